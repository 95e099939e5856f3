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
	char *baseline_fail;	 /* why not baseline, "; "-separated; NULL when it is */
	char *restricted_fail;	 /* why not restricted; NULL when it is */
};

/*
 * sc: per container (same index as pod->containers) effective security
 * contexts to judge, or NULL to use the pod as written. The policy is the
 * current one ("latest", 1.35 and later): for a pod with hostUsers: false
 * the restricted checks runAsNonRoot and runAsUser are skipped
 * (policy/check_runAsNonRoot.go runAsNonRoot1_35, check_runAsUser.go
 * runAsUser1_35, helpers.go relaxPolicyForUserNamespacePod). 0 or -ENOMEM;
 * free r with cs_psa_result_free either way.
 */
CS_EXPORT int cs_psa_evaluate(const struct cs_k8s_pod *pod, const struct cs_k8s_sc *sc,
			      struct cs_psa_result *r);
/* The same level without the reasons (both NULL): a pod's reasons name
 * every container and each check it fails, and a caller that prints no
 * reason (lint without --psa-level) held them all. */
CS_EXPORT int cs_psa_level(const struct cs_k8s_pod *pod, const struct cs_k8s_sc *sc,
			   struct cs_psa_result *r);
/*
 * The level with the reasons a report prints: those of the level just
 * above it whole (baseline's for a pod that is privileged, restricted's
 * for a baseline one), and for a privileged pod restricted's only as far
 * as its first reasons reach head bytes (whole reasons: a cut of the text
 * at head or less is the same bytes; explain's psa.level step). 0 or
 * -ENOMEM; free r with cs_psa_result_free either way.
 */
CS_EXPORT int cs_psa_evaluate_next(const struct cs_k8s_pod *pod, const struct cs_k8s_sc *scv,
				   struct cs_psa_result *r, size_t head);
/* Free r's strings (r itself belongs to the caller); NULL-safe. */
CS_EXPORT void cs_psa_result_free(struct cs_psa_result *r);
CS_EXPORT const char *cs_psa_level_name(enum cs_psa_level l);

#endif
