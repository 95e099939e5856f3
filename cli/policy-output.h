/* SPDX-License-Identifier: MIT */
/* capscope policy's renderers (cli/policy-output.c). */
#ifndef CAPSCOPE_CLI_POLICY_OUTPUT_H
#define CAPSCOPE_CLI_POLICY_OUTPUT_H

#include "capscope/policy-json.h"
#include "capscope/policy.h"

/* The advice for one pod: the chosen SCC, every less privileged one with its reason. */
int policy_scc_text(const struct cs_k8s_pod *p, const struct cs_policy_scc_advice *a,
		    enum cs_policy_order order);
/* One pod's allow/deny line and its violations; manifest text escaped. */
void policy_check_text(const struct cs_k8s_pod *p, const struct cs_policy_check *c);

#endif
