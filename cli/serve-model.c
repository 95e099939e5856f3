/* SPDX-License-Identifier: MIT */
/*
 * The one file of capscope serve that asks the model for the webhook: the
 * same call explain pod makes (cs_pod_explain: SCC admission when modelled,
 * the kubelet's user, the runtime's merge, runc and execve), one warning line
 * per requested capability that does not end effective (cs_explain_warning),
 * and the SCCs the options name (loaded by explain pod's own loader).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/explain.h"
#include "serve.h"

int serve_model_sccs(struct serve_model *m, const char *const *names, size_t n,
		     const char *const *uses, size_t n_uses)
{
	int rc = pod_load_sccs(&m->sc, m->openshift, names, n, uses, n_uses);

	for (size_t i = 0; rc == 0 && i < m->sc.sm.n_sccs && m->n_sccs < SERVE_MAX_SCCS; i++)
		m->sccs[m->n_sccs++] = &m->sc.sm.sccs[i];
	m->use_scc = m->openshift || n > 0;
	return rc;
}

void serve_model_free(struct serve_model *m)
{
	cs_k8s_manifest_free(&m->sc.sm);
}

int serve_model_warnings(const struct serve_model *m, const struct cs_k8s_pod *pod, char ***lines,
			 size_t *n)
{
	static const char tail[] = "; see capscope explain pod";
	struct cs_pod_explain_opts o = {
	    .runtime = m->runtime,
	    .crio = m->crio_loaded ? &m->crio : NULL,
	    .use_scc = m->use_scc,
	    .sccs = m->sccs,
	    .n_sccs = m->n_sccs,
	    .granted = m->openshift ? m->sc.granted : NULL,
	    .n_granted = m->sc.n_granted,
	    .uid_range_start = m->uid_start,
	    .uid_range_size = m->uid_size,
	};
	struct cs_pod_explain_result *r = NULL;
	struct cs_diag d = {0};
	int rc = cs_pod_explain(pod, &o, &r, &d);

	for (size_t i = 0; rc == 0 && i < r->n_containers; i++) {
		const struct cs_pod_ctr_result *c = &r->containers[i];

		for (size_t k = 0; rc == 0 && k < c->n_verdicts; k++) {
			const struct cs_cap_verdict *v = &c->verdicts[k];
			char buf[CS_EXPLAIN_WARNING_MAX + sizeof(tail)];
			size_t len;
			char **nv;

			/* ALL has no single verdict: explain pod shows the sets */
			if (v->effective || v->why == CS_WHY_ALL)
				continue;
			len = cs_explain_warning(c->c->name, v, buf, sizeof(buf));
			if (len + sizeof(tail) - 1 <= SERVE_WARNING_MAX)
				memcpy(buf + len, tail, sizeof(tail));
			if (!(nv = realloc(*lines, (*n + 1) * sizeof(*nv))) ||
			    !(nv[*n] = strdup(buf))) {
				if (nv)
					*lines = nv;
				rc = -ENOMEM;
				break;
			}
			*lines = nv;
			(*n)++;
		}
	}
	cs_pod_explain_free(r);
	return rc;
}
