/* SPDX-License-Identifier: MIT */
/* --allowed-unsafe-sysctls, as explain pod, lint and serve take it. */
#include <errno.h>

#include "capscope/diag.h"
#include "capscope/kubelet.h"
#include "commands.h"
#include "output.h"

/*
 * A pattern list refused is a usage error; out of memory is not the
 * caller's mistake (said with a "Try --help" line, twenty-seventh pass,
 * part G: the suites sweeping each allocation of these commands).
 */
int cs_unsafe_sysctls_opt(const char *cmd, struct cs_kubelet_unsafe_sysctls *u, const char *list)
{
	struct cs_diag d = {0};
	int rc = cs_kubelet_unsafe_sysctls_add(u, list, &d);

	if (rc == -ENOMEM)
		return cs_err(cmd, "--allowed-unsafe-sysctls: %s", d.message);
	if (rc < 0)
		return cs_usage_err(cmd, "--allowed-unsafe-sysctls: %s", d.message);
	return 0;
}
