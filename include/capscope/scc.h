/* SPDX-License-Identifier: MIT */
/*
 * OpenShift SecurityContextConstraints admission, as
 * openshift/apiserver-library-go pkg/securitycontextconstraints does it:
 * candidates sorted by priority, restrictiveness and name; the first SCC
 * under which every container of the pod validates (after that SCC's
 * mutation) wins. The result carries each container's mutated effective
 * securityContext, which is what the kubelet then hands to the runtime.
 */
#ifndef CAPSCOPE_SCC_H
#define CAPSCOPE_SCC_H

#include "k8s.h"
#include "steps.h"

struct cs_scc_opts {
	/* The namespace's openshift.io/sa.scc.uid-range (also used for groups
	 * when the SCC gives no ranges of its own). */
	uint32_t uid_range_start, uid_range_size;
	/* SCCs the pod's service account may use; NULL = every SCC given. */
	const char *const *granted;
	size_t n_granted;
};

struct cs_scc_attempt {
	const struct cs_scc *scc;
	int points;
	bool granted, ok;
	char *reason; /* heap; why it refused (NULL when chosen); freed by cs_scc_result_free */
};

struct cs_scc_result {
	bool admitted;
	const struct cs_scc *chosen;
	struct cs_scc_attempt *attempts; /* in the order admission tried them */
	size_t n_attempts;
	/* Per pod container (same index): the effective securityContext after
	 * the chosen SCC's mutation. Lists point into the manifest and SCCs. */
	struct cs_k8s_sc *sc;
	size_t n_sc;
	struct cs_opt_i64 fs_group; /* after mutation */
	/* heap, n_sc + 1 entries when admitted (else NULL): the chosen SCC's
	 * changes to container i are steps notes[i] to notes[i + 1] - 1 of the
	 * list cs_scc_admit was given. A container's report shows its own and
	 * not every other's (cs_pod_steps_of): N containers' reports each
	 * holding all N containers' changes were N² steps. */
	size_t *notes;
	/* heap; cs_scc_result_free. Set when an SCC admitted the pod or none
	 * was tried; NULL when every SCC tried refused: that reason repeats
	 * every attempt's, so it is made when written (cs_scc_reason_each).
	 * Read it through cs_scc_reason_each, _len, _head or _dup. */
	char *reason;
	/* internal: memory the mutated lists live in */
	void **owned;
	size_t n_owned, cap_owned;
};

/* Restrictiveness score (sort.go pointValue): lower is more restrictive. */
CS_EXPORT int cs_scc_points(const struct cs_scc *s);

/*
 * Run admission for pod over the n SCCs. Returns 0 when admission ran (see
 * res->admitted), -ENOMEM on allocation failure. Steps go to the "scc" layer.
 */
CS_EXPORT int cs_scc_admit(const struct cs_k8s_pod *pod, const struct cs_scc *const *sccs, size_t n,
			   const struct cs_scc_opts *o, struct cs_scc_result *res,
			   struct cs_steps *steps);
CS_EXPORT void cs_scc_result_free(struct cs_scc_result *res);

/*
 * The pod's admission reason: "admitted by SCC …", why none was tried, or
 * "unable to validate against any security context constraint: a: why;
 * b: why" (sccadmission/admission.go), the last made from the attempts as
 * it is written, never held whole (lib/k8s/scc-reason.c). put gets each
 * piece in order (the pieces meet only beside ASCII, so a printer that
 * escapes each character gives the bytes the whole text would); the first
 * nonzero return of put stops it and is returned; -ENOMEM when a name
 * could not be quoted.
 */
CS_EXPORT int cs_scc_reason_each(const struct cs_scc_result *res,
				 int (*put)(const char *piece, void *data), void *data);
/* Its length in bytes; 0 or -ENOMEM. */
CS_EXPORT int cs_scc_reason_len(const struct cs_scc_result *res, size_t *len);
/* Its first size - 1 bytes (cut anywhere: cs_text_cut them), NUL-terminated. */
CS_EXPORT int cs_scc_reason_head(const struct cs_scc_result *res, char *buf, size_t size);
/* The whole reason, malloc'd; NULL on ENOMEM. */
CS_EXPORT char *cs_scc_reason_dup(const struct cs_scc_result *res);

#endif
