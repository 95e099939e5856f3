/* SPDX-License-Identifier: MIT */
/*
 * The one file of capscope serve that asks the model for the webhook: the
 * same call explain pod makes (cs_pod_explain: SCC admission when modelled,
 * the kubelet's user, the runtime's merge, runc and execve), one warning line
 * per requested capability that does not end effective (cs_explain_warning),
 * and the SCCs the options name.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/explain.h"
#include "serve.h"

#ifndef CAPSCOPE_DATADIR
#define CAPSCOPE_DATADIR "/usr/local/share/capscope"
#endif

static const char *const builtin_sccs[] = {
    "restricted-v2",  "restricted",  "nonroot-v2",	 "nonroot",    "anyuid",
    "hostnetwork-v2", "hostnetwork", "hostmount-anyuid", "hostaccess", "privileged"};

/* $CAPSCOPE_DATADIR, the source tree next to the binary, the install prefix. */
static int builtin_path(const char *name, char out[PATH_MAX])
{
	char exe[PATH_MAX];
	const char *env = getenv("CAPSCOPE_DATADIR");
	struct stat sb;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return -EINVAL;
	if (env && snprintf(out, PATH_MAX, "%s/scc/%s.yaml", env, name) < PATH_MAX &&
	    stat(out, &sb) == 0)
		return 0;
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			if (snprintf(out, PATH_MAX, "%s/../data/scc/%s.yaml", exe, name) <
				PATH_MAX &&
			    stat(out, &sb) == 0)
				return 0;
			if (snprintf(out, PATH_MAX, "%s/../share/capscope/scc/%s.yaml", exe, name) <
				PATH_MAX &&
			    stat(out, &sb) == 0)
				return 0;
		}
	}
	snprintf(out, PATH_MAX, "%s/scc/%s.yaml", CAPSCOPE_DATADIR, name);
	return stat(out, &sb) == 0 ? 0 : -ENOENT;
}

int serve_model_add_scc(struct serve_model *m, const char *arg, bool grant, struct cs_diag *d)
{
	char path[PATH_MAX];
	struct stat sb;
	size_t before = m->sm.n_sccs;
	int r;

	if (stat(arg, &sb) == 0 || strchr(arg, '/'))
		snprintf(path, sizeof(path), "%s", arg);
	else if (builtin_path(arg, path) < 0)
		return cs_diag_set(d, ENOENT, 0, 0, "", "%s: no such file and no built-in SCC",
				   arg);
	if ((r = cs_k8s_load(&m->sm, path, d)) < 0)
		return r;
	if (m->sm.n_sccs == before)
		return cs_diag_set(d, EINVAL, 0, 0, "", "%s: no SecurityContextConstraints in it",
				   path);
	m->n_sccs = 0;
	for (size_t i = 0; i < m->sm.n_sccs && m->n_sccs < SERVE_MAX_SCCS; i++)
		m->sccs[m->n_sccs++] = &m->sm.sccs[i];
	for (size_t i = before; grant && i < m->sm.n_sccs && m->n_granted < SERVE_MAX_SCCS; i++)
		m->granted[m->n_granted++] = m->sm.sccs[i].name;
	m->use_scc = true;
	return 0;
}

int serve_model_openshift(struct serve_model *m, struct cs_diag *d)
{
	int r;

	for (size_t i = 0; i < sizeof(builtin_sccs) / sizeof(builtin_sccs[0]); i++)
		if ((r = serve_model_add_scc(m, builtin_sccs[i], false, d)) < 0)
			return r;
	m->granted[m->n_granted++] = "restricted-v2";
	m->openshift = true;
	return 0;
}

void serve_model_free(struct serve_model *m)
{
	cs_k8s_manifest_free(&m->sm);
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
	    .granted = m->openshift ? m->granted : NULL,
	    .n_granted = m->n_granted,
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
