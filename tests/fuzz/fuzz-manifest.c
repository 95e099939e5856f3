/* SPDX-License-Identifier: MIT */
/* Fuzz the manifest reader, and run admission and PSA on whatever it accepts. */
#include <stdint.h>
#include <string.h>

#include "capscope/psa.h"
#include "capscope/scc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_k8s_manifest m;
	struct cs_diag d = {0};

	if (size > 1 << 16)
		return 0;
	cs_k8s_manifest_init(&m);
	if (cs_k8s_parse(&m, (const char *)data, size, "fuzz", &d) == 0) {
		const struct cs_scc *v[16];
		size_t n = m.n_sccs < 16 ? m.n_sccs : 16;
		struct cs_scc_opts o = {1000660000, 10000, NULL, 0};

		for (size_t i = 0; i < n; i++)
			v[i] = &m.sccs[i];
		for (size_t p = 0; p < m.n_pods; p++) {
			struct cs_scc_result r;
			struct cs_steps st;
			struct cs_psa_result psa;

			cs_steps_init(&st);
			if (cs_scc_admit(&m.pods[p], v, n, &o, &r, &st) == 0) {
				cs_psa_evaluate(&m.pods[p], r.admitted ? r.sc : NULL, &psa);
				cs_psa_result_free(&psa);
				cs_scc_result_free(&r);
			}
			cs_steps_free(&st);
		}
	}
	cs_k8s_manifest_free(&m);
	return 0;
}
