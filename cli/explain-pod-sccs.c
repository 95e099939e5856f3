/* SPDX-License-Identifier: MIT */
/*
 * capscope explain pod: the SCCs to admit against — files given with --scc,
 * the built-in OpenShift ones (data/scc) for --openshift and bare names —
 * and which of them the pod's service account may use.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/internal/cleanup.h"
#include "explain-pod.h"
#include "output.h"

#define CMD "explain pod"

#ifndef CAPSCOPE_DATADIR
#define CAPSCOPE_DATADIR "/usr/local/share/capscope"
#endif

/* A candidate path if it exists (heap), else NULL. */
__attribute__((format(printf, 1, 2))) static char *existing(const char *fmt, ...)
{
	va_list ap;
	char *p = NULL;
	struct stat sb;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	if (stat(p, &sb) == 0)
		return p;
	free(p);
	return NULL;
}

/* Where built-in SCCs live: $CAPSCOPE_DATADIR, next to the binary in the
 * source tree (build/capscope → data/), the install prefix, the configured
 * datadir. A heap path, or NULL. */
static char *builtin_scc_path(const char *name)
{
	char exe[PATH_MAX], *out = NULL;
	const char *env = getenv("CAPSCOPE_DATADIR");
	ssize_t n;

	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return NULL;
	if (env && (out = existing("%s/scc/%s.yaml", env, name)))
		return out;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');

		if (slash) {
			*slash = '\0';
			if ((out = existing("%s/../data/scc/%s.yaml", exe, name)) ||
			    (out = existing("%s/../share/capscope/scc/%s.yaml", exe, name)))
				return out;
		}
	}
	return existing("%s/scc/%s.yaml", CAPSCOPE_DATADIR, name);
}

static const char *const builtin_sccs[] = {
    "restricted-v2",  "restricted",  "nonroot-v2",	 "nonroot",    "anyuid",
    "hostnetwork-v2", "hostnetwork", "hostmount-anyuid", "hostaccess", "privileged"};

static int load_scc(struct pod_sccs *s, const char *arg, bool grant)
{
	struct cs_diag d = {0};
	cs_cleanup_free char *path = NULL;
	struct stat sb;
	size_t before = s->sm.n_sccs;
	int r;

	if (stat(arg, &sb) == 0 || strchr(arg, '/'))
		path = strdup(arg);
	else if (!(path = builtin_scc_path(arg)))
		return cs_usage_err(CMD, "--scc %s: no such file and no built-in SCC of that name",
				    arg);
	if (!path)
		return cs_err(CMD, "out of memory");
	r = cs_k8s_load(&s->sm, path, &d);
	if (r < 0)
		return cs_diag_err(CMD, NULL, &d);
	if (s->sm.n_sccs == before)
		return cs_err(CMD, "%s: no SecurityContextConstraints document in it", path);
	for (size_t i = before; grant && i < s->sm.n_sccs && s->n_granted < POD_MAX_GRANTED; i++)
		s->granted[s->n_granted++] = s->sm.sccs[i].name;
	return 0;
}

static void grant(struct pod_sccs *s, const char *name)
{
	if (s->n_granted < POD_MAX_GRANTED)
		s->granted[s->n_granted++] = name;
}

int pod_load_sccs(struct pod_sccs *s, bool openshift, const char *const *names, size_t n,
		  const char *const *uses, size_t n_uses)
{
	int rc;

	if (openshift) {
		for (size_t i = 0; i < sizeof(builtin_sccs) / sizeof(builtin_sccs[0]); i++)
			if ((rc = load_scc(s, builtin_sccs[i], false)) != 0)
				return rc;
		grant(s, "restricted-v2");
	}
	for (size_t i = 0; i < n; i++) {
		/* A built-in name already loaded by --openshift is only granted. */
		bool dup = false;

		for (size_t k = 0; openshift && k < s->sm.n_sccs; k++)
			if (!strcmp(s->sm.sccs[k].name, names[i]) && !strchr(names[i], '/')) {
				grant(s, s->sm.sccs[k].name);
				dup = true;
			}
		if (!dup && (rc = load_scc(s, names[i], true)) != 0)
			return rc;
	}
	for (size_t i = 0; i < n_uses; i++)
		grant(s, uses[i]);
	return 0;
}

void pod_grant_manifest_sccs(struct pod_sccs *s, const struct cs_k8s_manifest *m)
{
	for (size_t i = 0; i < m->n_sccs; i++)
		grant(s, m->sccs[i].name);
}
