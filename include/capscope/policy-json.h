/* SPDX-License-Identifier: MIT */
/* JSON writers of capscope policy's results (capscope-policy(1) has the shape). */
#ifndef CAPSCOPE_POLICY_JSON_H
#define CAPSCOPE_POLICY_JSON_H

#include "json.h"
#include "policy.h"

/* One pod's advice: file, kind, name, namespace, chosen, admitted_with_grant, sccs[]. */
CS_EXPORT void cs_policy_scc_advice_json(struct cs_json *j, const struct cs_k8s_pod *p,
					 const struct cs_policy_scc_advice *a);
/* One pod's check: kind, name, allowed, violations[{rule, message}]. */
CS_EXPORT void cs_policy_check_json(struct cs_json *j, const struct cs_k8s_pod *p,
				    const struct cs_policy_check *c);

#endif
