/* SPDX-License-Identifier: MIT */
/*
 * The pod-level steps one container's report shows. The pod's list holds
 * the chosen SCC's changes to every container; each report shows the
 * pod's own steps and its container's changes only. Showing them all made
 * a pod of N admitted containers N reports of some 4N steps: 2,000
 * containers, 2.4 GB of text (twenty-first pass, part F).
 */
#include "capscope/explain.h"

size_t cs_pod_steps_of(const struct cs_pod_explain_result *pod, const struct cs_pod_ctr_result *c,
		       struct cs_steps out[3])
{
	const struct cs_steps *st = &pod->steps;
	const size_t *notes = pod->scc.notes;
	size_t n = pod->scc.n_sc, k = 0;

	if (!notes || c->index >= n || notes[n] > st->n) {
		out[0] = (struct cs_steps){.v = st->v, .n = st->n};
		return 1;
	}
	/* Before the changes (the order, refusals, the chosen SCC), this
	 * container's changes, then what follows them (Pod Security). */
	out[k++] = (struct cs_steps){.v = st->v, .n = notes[0]};
	out[k++] = (struct cs_steps){.v = st->v + notes[c->index],
				     .n = notes[c->index + 1] - notes[c->index]};
	out[k++] = (struct cs_steps){.v = st->v + notes[n], .n = st->n - notes[n]};
	return k;
}
