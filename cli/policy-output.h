/* SPDX-License-Identifier: MIT */
/* capscope policy's renderers (cli/policy-output.c). */
#ifndef CAPSCOPE_CLI_POLICY_OUTPUT_H
#define CAPSCOPE_CLI_POLICY_OUTPUT_H

#include "capscope/json.h"
#include "capscope/policy.h"

/* The advice for one pod: the chosen SCC, every less privileged one with its reason. */
void policy_scc_text(const struct cs_k8s_pod *p, const struct cs_policy_scc_advice *a,
		     enum cs_policy_order order);
void policy_scc_json(struct cs_json *j, const struct cs_k8s_pod *p,
		     const struct cs_policy_scc_advice *a);
/* One pod's allow/deny line and its violations; manifest text escaped. */
void policy_check_text(const struct cs_k8s_pod *p, const struct cs_policy_check *c);
void policy_check_json(struct cs_json *j, const struct cs_k8s_pod *p,
		       const struct cs_policy_check *c);

#endif
