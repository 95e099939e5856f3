/* SPDX-License-Identifier: MIT */
/* capscope explain pod: the text rendering of the library's results. */
#ifndef CAPSCOPE_CLI_EXPLAIN_POD_H
#define CAPSCOPE_CLI_EXPLAIN_POD_H

#include "capscope/explain.h"

/* The pod's header: kind and name, Pod Security, SCC admission. */
void pod_text_header(const struct cs_pod_explain_result *pod);
/* One container: sets, flow table, verdicts, checks, steps, remedies. */
void pod_text_container(const struct cs_pod_explain_result *pod, const struct cs_pod_ctr_result *c,
			enum cs_cri_runtime rt);

/* The SCCs admission chooses from, and those the service account may use. */
#define POD_MAX_GRANTED 64
struct pod_sccs {
	struct cs_k8s_manifest sm; /* SCCs from --scc and --openshift */
	const char *granted[POD_MAX_GRANTED];
	size_t n_granted;
};

/*
 * Load the built-in OpenShift SCCs (openshift: restricted-v2 granted), the
 * --scc files or built-in names (granted), and grant the --use names.
 * Returns 0 or the exit status after printing the error.
 */
int pod_load_sccs(struct pod_sccs *s, bool openshift, const char *const *names, size_t n,
		  const char *const *uses, size_t n_uses);
/* SCCs in the pod files join the candidates, granted (the article's layout). */
void pod_grant_manifest_sccs(struct pod_sccs *s, const struct cs_k8s_manifest *m);

#endif
