/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the sysctl readers of sessions 24 and 25, which had no target
 * (twenty-sixth pass, part B): a port sysctl's value as the kernel reads it
 * (lib/sysctl-int.c), and the kubelet's --allowed-unsafe-sysctls
 * (lib/k8s/kubelet-sysctls.c) with a name's namespace and its dotted
 * spelling (lib/k8s/manifest-sysctls.c). The first byte picks the reader;
 * the rest is its text. A value taken is within its bounds, a refused one
 * leaves the values as they were; a pattern list taken holds at most its
 * room, each pattern one the single check takes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/kubelet.h"
#include "capscope/proc.h"
#include "internal/sysctl-int.h"
#include "k8s/sysctl-names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void values(const char *s)
{
	int v = -7, r[2] = {32768, 60999}, rc;

	rc = cs_sysctl_int(s, 0, 65535, &v);
	if (rc == 0 ? v < 0 || v > 65535 : v != -7 || (rc != -EINVAL && rc != -ENODATA))
		abort();
	rc = cs_sysctl_ints(s, 2, 1, 65535, r);
	if (rc == 0 && (r[0] < 1 || r[0] > 65535 || r[1] < 1 || r[1] > 65535))
		abort();
	if (rc != 0 && (r[0] != 32768 || r[1] != 60999))
		abort();
}

static void patterns(const char *s)
{
	static struct cs_kubelet_unsafe_sysctls u;
	struct cs_diag d = {0};
	char dots[256];

	memset(&u, 0, sizeof(u));
	if (cs_kubelet_unsafe_sysctls_add(&u, s, &d) == 0) {
		if (u.n > CS_KUBELET_UNSAFE_SYSCTLS_MAX)
			abort();
		for (size_t i = 0; i < u.n; i++)
			if (cs_kubelet_unsafe_sysctl_check(u.v[i], &d) < 0)
				abort();
	}
	cs_k8s_sysctl_dots(s, dots, sizeof(dots));
	if (strlen(dots) >= sizeof(dots))
		abort();
	(void)cs_k8s_sysctl_ns(s);
	(void)cs_k8s_sysctl_safe(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1 || size > 16384)
		return 0;
	if (!(s = malloc(size)))
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	if (data[0] & 1)
		patterns(s);
	else
		values(s);
	free(s);
	return 0;
}
