/* SPDX-License-Identifier: MIT */
/*
 * Fuzz capscope policy's inputs: the trace profile reader, and everything
 * lib/policy does with a manifest the reader accepts (the allow rule, SCC
 * advice over the manifest's own SCCs, the custom SCC with its read-back,
 * and the three admission policy writers).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "capscope/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void policies(const struct cs_k8s_pod *p, struct cs_k8s_manifest *m)
{
	struct cs_policy_gen g = {.name = "fuzz",
				  .namespace = "ns",
				  .allowed = cs_policy_pod_caps(p),
				  .scc_opts = {1000660000, 10000, NULL, 0}};
	const struct cs_scc *v[16];
	size_t n = m->n_sccs < 16 ? m->n_sccs : 16;
	struct cs_policy_scc_advice *a;
	struct cs_policy_check *c;
	struct cs_diag d = {0};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	for (size_t i = 0; i < n; i++)
		v[i] = &m->sccs[i];
	if (cs_policy_check_pod(p, g.allowed, &c) == 0)
		cs_policy_check_free(c);
	if (cs_policy_scc_advise(p, v, n, &g.scc_opts, CS_POLICY_ORDER_RESTRICTIVENESS, &a, NULL) ==
	    0)
		cs_policy_scc_advice_free(a);
	cs_policy_write_custom_scc(p, &g, f, &d);
	cs_policy_write_vap(&g, f, &d);
	cs_policy_write_kyverno(&g, f, &d);
	cs_policy_write_gatekeeper(&g, f, &d);
	fclose(f);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_k8s_manifest m;
	struct cs_diag d = {0};
	cs_mask_t caps;

	if (size > 1 << 16)
		return 0;
	cs_k8s_manifest_init(&m);
	if (cs_policy_profile_parse((const char *)data, size, "fuzz", &caps, &d) == 0)
		cs_policy_profile_pod(&m, caps, NULL, &d);
	else
		cs_k8s_parse(&m, (const char *)data, size, "fuzz", &d);
	for (size_t i = 0; i < m.n_pods && i < 8; i++)
		policies(&m.pods[i], &m);
	cs_k8s_manifest_free(&m);
	return 0;
}
