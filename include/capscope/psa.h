/* SPDX-License-Identifier: MIT */
/*
 * Pod Security Admission (k8s.io/pod-security-admission policy/check_*.go):
 * the strictest level a pod meets, and for each stricter level the checks it
 * fails. Evaluated on the pod as written (what a namespace label enforces at
 * creation; OpenShift's SCC mutation happens before PSA there, so callers may
 * pass a mutated copy).
 */
#ifndef CAPSCOPE_PSA_H
#define CAPSCOPE_PSA_H

#include "k8s.h"

enum cs_psa_level { CS_PSA_PRIVILEGED = 0, CS_PSA_BASELINE, CS_PSA_RESTRICTED };

struct cs_psa_result {
	enum cs_psa_level level; /* strictest level the pod meets */
	char baseline_fail[768]; /* why not baseline ("" when it is) */
	char restricted_fail[768];
};

/*
 * sc: per container (same index as pod->containers) effective security
 * contexts to judge, or NULL to use the pod as written.
 */
CS_EXPORT void cs_psa_evaluate(const struct cs_k8s_pod *pod, const struct cs_k8s_sc *sc,
			       struct cs_psa_result *r);
CS_EXPORT const char *cs_psa_level_name(enum cs_psa_level l);

#endif
