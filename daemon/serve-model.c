/* SPDX-License-Identifier: MIT */
/*
 * The webhook's model, from the options explain pod takes: the SCCs (loaded
 * by explain pod's own loader) and the cs_pod_explain options the library's
 * cs_admission_review explains each pod with.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/explain.h"
#include "capscope/scc-load.h"
#include "output.h"
#include "serve.h"
#include "unknown-fields.h"

int serve_model_sccs(struct serve_model *m, const char *const *names, size_t n,
		     const char *const *uses, size_t n_uses)
{
	struct cs_diag d = {0};
	int rc = cs_scc_set_load(&m->sc, m->openshift, names, n, uses, n_uses, &d);

	/* a name that is neither a file nor a built-in SCC is a usage error; a
	 * file that cannot be read is named (twenty-first pass, part E: "cannot
	 * read: No such file or directory", the file not said) */
	if ((rc == -ENOENT && !strcmp(d.field, "scc")) || rc == -ENODATA)
		return cs_usage_err("serve", "%s", d.message);
	/* the option before the file, as explain pod and lint say it (an SCC
	 * file's refusal read "capscope serve: scc.yaml:3:17: ...": which
	 * option's file not said) */
	if (rc < 0)
		return cs_diag_err("serve", "--scc", &d);
	if (rc == 0 && cs_scc_set_unknown_use(&m->sc, uses, n_uses, NULL))
		return cs_usage_err(
		    "serve", "--use %s: no SCC of that name was given (--scc or --openshift)",
		    cs_scc_set_unknown_use(&m->sc, uses, n_uses, NULL));
	cs_warn_unknown_fields("serve", &m->sc.sm); /* --validate=warn */
	for (size_t i = 0; rc == 0 && i < m->sc.sm.n_sccs && m->n_sccs < SERVE_MAX_SCCS; i++)
		m->sccs[m->n_sccs++] = &m->sc.sm.sccs[i];
	m->use_scc = m->openshift || n > 0;
	return rc;
}

void serve_model_free(struct serve_model *m)
{
	cs_scc_set_free(&m->sc);
}

void serve_model_opts(const struct serve_model *m, struct cs_pod_explain_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->runtime = m->runtime;
	o->target = &m->target;
	o->crio = m->crio_loaded ? &m->crio : NULL;
	o->use_scc = m->use_scc;
	o->sccs = m->sccs;
	o->n_sccs = m->n_sccs;
	o->granted = m->openshift ? m->sc.granted : NULL;
	o->n_granted = m->sc.n_granted;
	o->uid_range_start = m->uid_start;
	o->uid_range_size = m->uid_size;
	o->unsafe_sysctls = m->unsafe.v;
	o->n_unsafe_sysctls = m->unsafe.n;
}
