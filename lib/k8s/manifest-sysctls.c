/* SPDX-License-Identifier: MIT */
/* The API server's rules on a pod's sysctls (validateSysctls). */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "manifest-read.h"
#include "sysctl-names.h"
#include "../internal/util.h"

/*
 * A sysctl of the pod as the API server's validateSysctls takes it
 * (pkg/apis/core/validation): a name IsValidSysctlName takes (at most 253
 * bytes, segments of [a-z0-9], '-' and '_' inside, between '.' or '/'),
 * none twice, and none of the network namespace with hostNetwork nor of
 * the IPC namespace with hostIPC (ValidateHostSysctl, on create). Each
 * was read: `hostNetwork: true` with net.ipv4.ip_unprivileged_port_start=0
 * was said to let the container bind port 80, on a pod the API server
 * refuses (and whose sysctl would be the node's).
 */
static bool sysctl_name_ok(const char *n)
{
	size_t len = strlen(n), seg = 0;

	if (!len || len > 253)
		return false;
	for (size_t i = 0; i <= len; i++) {
		char ch = n[i];

		if (ch == '.' || ch == '/' || ch == '\0') {
			/* a segment: [a-z0-9] at both ends */
			if (!seg || n[i - 1] == '-' || n[i - 1] == '_')
				return false;
			seg = 0;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ((ch == '-' || ch == '_') && seg)))
			return false;
		seg++;
	}
	return true;
}

void cs_k8s_sysctl_dots(const char *in, char *out, size_t len)
{
	bool swap = in[strcspn(in, "./")] == '/';
	size_t i = 0;

	for (; in[i] && i + 1 < len; i++)
		out[i] = !swap ? in[i] : in[i] == '/' ? '.' : in[i] == '.' ? '/' : in[i];
	out[i] = '\0';
}

char cs_k8s_sysctl_ns(const char *name)
{
	static const char *const ipc[] = {
	    "kernel.sem",    "kernel.shmall",	       "kernel.shmmax",
	    "kernel.shmmni", "kernel.shm_rmid_forced", "kernel.shm",
	    "kernel.msgmax", "kernel.msgmnb",	       "kernel.msgmni",
	    "kernel.msg"};
	char n[256];

	cs_k8s_sysctl_dots(name, n, sizeof(n));
	n[strcspn(n, "*")] = '\0';
	for (size_t i = 0; i < sizeof(ipc) / sizeof(ipc[0]); i++)
		if (!strcmp(n, ipc[i]))
			return 'I';
	if (!strncmp(n, "net.", 4))
		return 'N';
	return !strncmp(n, "fs.mqueue.", 10) ? 'I' : 0;
}

static int cmp_sysctl(const void *a, const void *b)
{
	const struct cs_k8s_sysctl *x = *(const struct cs_k8s_sysctl *const *)a,
				   *y = *(const struct cs_k8s_sysctl *const *)b;
	int r = strcmp(x->name, y->name);

	return r ? r : (x < y ? -1 : x > y);
}

int mf_check_sysctls(struct mf_ctx *c, struct ydoc_node **nodes, const char *path,
		     const struct cs_k8s_pod *p)
{
	const struct cs_k8s_sysctl **v;
	char f[192], cl[CS_CLIP];

	for (size_t i = 0; i < p->n_sysctls; i++) {
		const char *n = p->sysctls[i].name;
		char ns = cs_k8s_sysctl_ns(n);

		mf_fieldf(f, sizeof(f), "%s.securityContext.sysctls[%zu].name", path, i);
		if (!*n)
			return mf_errf(
			    c, nodes[i], EINVAL, f,
			    "Required value: a sysctl needs a name (the API server refuses the "
			    "pod)");
		if (!sysctl_name_ok(n))
			return mf_errf(
			    c, nodes[i], EINVAL, f,
			    "Invalid value \"%s\": must have at most 253 characters and "
			    "match [a-z0-9]([-_a-z0-9]*[a-z0-9])? between '.' or '/' (the "
			    "API server refuses the pod)",
			    cs_clip(cl, sizeof(cl), n));
		if ((ns == 'N' && p->host_network) || (ns == 'I' && p->host_ipc))
			return mf_errf(
			    c, nodes[i], EINVAL, f,
			    "Invalid value \"%s\": may not be specified when '%s' is true "
			    "(the API server refuses the pod)",
			    cs_clip(cl, sizeof(cl), n), ns == 'N' ? "hostNetwork" : "hostIPC");
	}
	/* duplicates, by sorting: n sysctls are not n^2 comparisons */
	if (p->n_sysctls < 2)
		return 0;
	if (!(v = cs_arena_alloc(c->m->arena, p->n_sysctls * sizeof(*v))))
		return -ENOMEM;
	for (size_t i = 0; i < p->n_sysctls; i++)
		v[i] = &p->sysctls[i];
	qsort(v, p->n_sysctls, sizeof(*v), cmp_sysctl);
	for (size_t i = 1; i < p->n_sysctls; i++) {
		size_t k = (size_t)(v[i] - p->sysctls);

		if (strcmp(v[i - 1]->name, v[i]->name) != 0)
			continue;
		mf_fieldf(f, sizeof(f), "%s.securityContext.sysctls[%zu].name", path, k);
		return mf_errf(c, nodes[k], EINVAL, f,
			       "Duplicate value \"%s\" (the API server refuses the pod)",
			       v[i]->name);
	}
	return 0;
}
