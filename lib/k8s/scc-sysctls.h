/* SPDX-License-Identifier: MIT */
/* An SCC's sysctl patterns, indexed for one admission attempt. */
#ifndef CAPSCOPE_LIB_K8S_SCC_SYSCTLS_H
#define CAPSCOPE_LIB_K8S_SCC_SYSCTLS_H

#include <stdbool.h>
#include <stddef.h>

#include "capscope/k8s.h"

/*
 * forbiddenSysctls / allowedUnsafeSysctls as the sysctl strategy reads
 * them: "*" takes every name, "PREFIX*" every name starting with PREFIX,
 * anything else itself. Looked up by binary search: each pod sysctl was
 * compared with every pattern, pod sysctls x patterns (8,000 x 16,000:
 * 3.3 s an SCC, sixteenth pass).
 */
struct cs_sysctl_pats {
	const char **exact, **prefix; /* sorted; prefix entries keep their '*' */
	size_t n_exact, n_prefix;
	bool all;
};

/* 0 or -ENOMEM; p is then freed with cs_sysctl_pats_free. */
int cs_sysctl_pats_build(struct cs_sysctl_pats *p, const struct cs_strlist *pats);
bool cs_sysctl_pats_match(const struct cs_sysctl_pats *p, const char *name);
void cs_sysctl_pats_free(struct cs_sysctl_pats *p);

#endif
