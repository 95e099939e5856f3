/* SPDX-License-Identifier: MIT */
/*
 * Explain every container of a manifest with libcapscope, through the
 * public headers only: one line per requested capability, and the warning
 * line an admission webhook would send for those that will not be effective.
 *
 *   cc explain-pod.c -I include -L build -lcapscope -lcap -lfyaml -larchive -o explain-pod
 *   ./explain-pod deploy.yaml
 */
#include <stdio.h>
#include <stdlib.h>

#include <capscope/escape.h>
#include <capscope/explain.h>
#include <capscope/k8s.h>

int main(int argc, char **argv)
{
	struct cs_k8s_manifest m;
	struct cs_pod_explain_opts o = {.runtime = CS_CRI_CRIO}; /* plain Kubernetes, CRI-O */
	struct cs_diag d = {0};
	char line[CS_EXPLAIN_WARNING_MAX + 1], diag[512];
	int rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s MANIFEST\n", argv[0]);
		return 2;
	}
	cs_k8s_manifest_init(&m);
	if (cs_k8s_load(&m, argv[1], &d) < 0) {
		fprintf(stderr, "%s\n", cs_diag_format(&d, diag, sizeof(diag)));
		cs_k8s_manifest_free(&m);
		return 1;
	}
	for (size_t p = 0; p < m.n_pods && rc == 0; p++) {
		struct cs_pod_explain_result *r = NULL;

		if (cs_pod_explain(&m.pods[p], &o, &r, &d) < 0) {
			fprintf(stderr, "%s\n", cs_diag_format(&d, diag, sizeof(diag)));
			rc = 1;
			break;
		}
		for (size_t i = 0; i < r->n_containers; i++) {
			const struct cs_pod_ctr_result *c = &r->containers[i];

			for (size_t k = 0; k < c->n_verdicts; k++) {
				const struct cs_cap_verdict *v = &c->verdicts[k];
				char *name =
				    cs_escape_dup(c->c->name); /* manifest text: escape it */

				printf("%s %s %s %s\n", name ? name : "?", v->name,
				       v->effective ? "yes" : "no", cs_why_id(v->why));
				free(name);
				if (!v->effective) {
					cs_explain_warning(c->c->name, v, line, sizeof(line));
					printf("  warning: %s\n", line);
				}
			}
		}
		cs_pod_explain_free(r); /* one call frees the whole result */
	}
	cs_k8s_manifest_free(&m);
	return rc;
}
