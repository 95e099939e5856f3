/* SPDX-License-Identifier: MIT */
/*
 * The SCCs admission chooses from — files, the built-in OpenShift ones
 * (data/scc) for --openshift and bare names — and which of them the pod's
 * service account may use. Model input shared by explain pod and admission.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/scc-load.h"
#include "internal/cleanup.h"
#include "internal/util.h"

#ifndef CAPSCOPE_DATADIR
#define CAPSCOPE_DATADIR "/usr/local/share/capscope"
#endif

/* A candidate path if it exists: 0 and *out (heap), -ENOENT if it does not,
 * -ENOMEM. Out of memory is not "no such SCC" (twenty-fourth pass: the
 * first allocation failing read as a name that is not built in). */
__attribute__((format(printf, 2, 3))) static int existing(char **out, const char *fmt, ...)
{
	va_list ap;
	char *p = NULL;
	struct stat sb;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	if (stat(p, &sb) == 0) {
		*out = p;
		return 0;
	}
	free(p);
	return -ENOENT;
}

/* Where built-in SCCs live: $CAPSCOPE_DATADIR, next to the binary in the
 * source tree (build/capscope → data/), the install prefix, the configured
 * datadir. 0 and a heap path in *out, -ENOENT (not a built-in name), or
 * -ENOMEM. */
static int builtin_scc_path(const char *name, char **out)
{
	char exe[PATH_MAX];
	const char *env = getenv("CAPSCOPE_DATADIR");
	ssize_t n;
	int r;

	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return -ENOENT;
	if (env && (r = existing(out, "%s/scc/%s.yaml", env, name)) != -ENOENT)
		return r;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');

		if (slash) {
			*slash = '\0';
			if ((r = existing(out, "%s/../data/scc/%s.yaml", exe, name)) != -ENOENT ||
			    (r = existing(out, "%s/../share/capscope/scc/%s.yaml", exe, name)) !=
				-ENOENT)
				return r;
		}
	}
	return existing(out, "%s/scc/%s.yaml", CAPSCOPE_DATADIR, name);
}

static const char *const builtin_sccs[] = {"restricted-v3",    "restricted-v2",	 "restricted",
					   "nested-container", "nonroot-v2",	 "nonroot",
					   "anyuid",	       "hostnetwork-v2", "hostnetwork",
					   "hostmount-anyuid", "hostaccess",	 "privileged"};

/* What system:authenticated may use on OpenShift 4.20
 * (crb-systemauthenticated-scc-restricted-v2.yaml and -v3.yaml). */
static const char *const authenticated_sccs[] = {"restricted-v2", "restricted-v3"};

static int load_scc(struct cs_scc_set *s, const char *arg, bool grant, struct cs_diag *d)
{
	cs_cleanup_free char *path = NULL;
	struct stat sb;
	size_t before = s->sm.n_sccs;
	int r;

	if (stat(arg, &sb) == 0 || strchr(arg, '/'))
		path = strdup(arg);
	else if ((r = builtin_scc_path(arg, &path)) == -ENOENT)
		return cs_diag_set(d, ENOENT, 0, 0, "scc",
				   "--scc %s: no such file and no built-in SCC of that name", arg);
	if (!path)
		return cs_diag_set(d, ENOMEM, 0, 0, "scc", "out of memory");
	r = cs_k8s_load(&s->sm, path, d);
	if (r < 0)
		return r;
	if (s->sm.n_sccs == before)
		return cs_diag_set(d, ENODATA, 0, 0, "",
				   "%s: no SecurityContextConstraints document in it", path);
	for (size_t i = before; grant && i < s->sm.n_sccs && s->n_granted < CS_SCC_MAX_GRANTED; i++)
		s->granted[s->n_granted++] = s->sm.sccs[i].name;
	return 0;
}

const char *const *cs_scc_authenticated(size_t *n)
{
	*n = sizeof(authenticated_sccs) / sizeof(authenticated_sccs[0]);
	return authenticated_sccs;
}

bool cs_scc_is_authenticated(const char *name)
{
	for (size_t i = 0; i < sizeof(authenticated_sccs) / sizeof(authenticated_sccs[0]); i++)
		if (!strcmp(authenticated_sccs[i], name))
			return true;
	return false;
}

static void grant(struct cs_scc_set *s, const char *name)
{
	if (s->n_granted < CS_SCC_MAX_GRANTED)
		s->granted[s->n_granted++] = name;
}

void cs_scc_set_init(struct cs_scc_set *s)
{
	memset(s, 0, sizeof(*s));
	cs_k8s_manifest_init(&s->sm);
}

void cs_scc_set_free(struct cs_scc_set *s)
{
	cs_k8s_manifest_free(&s->sm);
	s->n_granted = 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int duplicate_name(const struct cs_scc_set *s, struct cs_diag *d)
{
	cs_cleanup_free const char **names = NULL;

	/* none or one: nothing twice, nothing to allocate (`lint` without any
	 * SCC said "--scc: scc: out of memory" for this calloc, session 26) */
	if (s->sm.n_sccs < 2)
		return 0;
	if (!(names = calloc(s->sm.n_sccs, sizeof(*names))))
		return cs_diag_set(d, ENOMEM, 0, 0, "scc", "out of memory");
	for (size_t i = 0; i < s->sm.n_sccs; i++)
		names[i] = s->sm.sccs[i].name;
	qsort(names, s->sm.n_sccs, sizeof(*names), by_name);
	for (size_t i = 1; i < s->sm.n_sccs; i++)
		if (!strcmp(names[i - 1], names[i]))
			return cs_diag_set(d, EINVAL, 0, 0, "scc",
					   "SecurityContextConstraints '%s' is given twice (a name "
					   "is unique in a cluster)",
					   names[i]);
	return 0;
}

int cs_scc_set_load(struct cs_scc_set *s, bool openshift, const char *const *names, size_t n,
		    const char *const *uses, size_t n_uses, struct cs_diag *d)
{
	int rc;

	if (openshift) {
		for (size_t i = 0; i < sizeof(builtin_sccs) / sizeof(builtin_sccs[0]); i++)
			if ((rc = load_scc(s, builtin_sccs[i], false, d)) != 0)
				return rc;
		for (size_t i = 0; i < sizeof(authenticated_sccs) / sizeof(authenticated_sccs[0]);
		     i++)
			grant(s, authenticated_sccs[i]);
	}
	for (size_t i = 0; i < n; i++) {
		/* A built-in name already loaded by --openshift is only granted. */
		bool dup = false;

		for (size_t k = 0; openshift && k < s->sm.n_sccs; k++)
			if (!strcmp(s->sm.sccs[k].name, names[i]) && !strchr(names[i], '/')) {
				grant(s, s->sm.sccs[k].name);
				dup = true;
			}
		if (!dup && (rc = load_scc(s, names[i], true, d)) != 0)
			return rc;
	}
	for (size_t i = 0; i < n_uses; i++)
		grant(s, uses[i]);
	/* An SCC's name is unique in a cluster: the same one given twice
	 * (--scc X --scc X, or a file naming a built-in one) was evaluated twice,
	 * its reasons repeated, and two that differ cannot both be the cluster's.
	 * Sorted, not compared pairwise: a file may hold thousands. */
	return duplicate_name(s, d);
}

void cs_scc_set_grant_manifest(struct cs_scc_set *s, const struct cs_k8s_manifest *m)
{
	for (size_t i = 0; i < m->n_sccs; i++)
		grant(s, m->sccs[i].name);
}

static bool named_in(const struct cs_k8s_manifest *m, const char *name)
{
	for (size_t i = 0; m && i < m->n_sccs; i++)
		if (!strcmp(m->sccs[i].name, name))
			return true;
	return false;
}

/* At most 64 names each, against the SCCs read: no index needed. */
const char *cs_scc_set_unknown_use(const struct cs_scc_set *s, const char *const *uses,
				   size_t n_uses, const struct cs_k8s_manifest *m)
{
	for (size_t i = 0; i < n_uses; i++)
		if (!named_in(&s->sm, uses[i]) && !named_in(m, uses[i]))
			return uses[i];
	return NULL;
}

static int by_name_then_place(const void *a, const void *b)
{
	const struct cs_scc *const *x = a, *const *y = b;
	int c = strcmp((*x)->name, (*y)->name);

	return c ? c : (*x < *y ? -1 : *x > *y);
}

/*
 * The set's names are unique (duplicate_name, at load); an SCC of the
 * pod's own file may carry the name of one of the set's, or of another in
 * that file: evaluated twice before (its reasons repeated, and of two that
 * differ one cannot be the cluster's). Sorted, not compared pairwise.
 */
static int duplicate_candidate(const struct cs_scc **v, size_t n, struct cs_diag *d)
{
	cs_cleanup_free const struct cs_scc **w = malloc((n + 1) * sizeof(*w));

	if (!w)
		return cs_diag_set(d, ENOMEM, 0, 0, "scc", "out of memory");
	memcpy(w, v, n * sizeof(*w));
	qsort(w, n, sizeof(*w), by_name_then_place);
	for (size_t i = 1; i < n; i++) {
		const struct cs_scc *a = w[i - 1], *b = w[i];

		if (strcmp(a->name, b->name))
			continue;
		cs_diag_set(d, EINVAL, b->pos.line, b->pos.column, NULL,
			    "SecurityContextConstraints '%.*s%s' is given twice (a name is unique "
			    "in a cluster; also %s:%u)",
			    CS_MSG_CUTS(b->name, 64), a->file ? a->file : "-", a->pos.line);
		cs_diag_file(d, b->file);
		return -EINVAL;
	}
	return 0;
}

int cs_scc_set_candidates(const struct cs_scc_set *s, const struct cs_k8s_manifest *m,
			  const struct cs_scc ***out, size_t *n, struct cs_diag *d)
{
	const struct cs_scc **v = calloc(s->sm.n_sccs + (m ? m->n_sccs : 0) + 1, sizeof(*v));
	int rc;

	*n = 0;
	if (!v)
		return cs_diag_set(d, ENOMEM, 0, 0, "scc", "out of memory");
	for (size_t i = 0; i < s->sm.n_sccs; i++)
		v[(*n)++] = &s->sm.sccs[i];
	for (size_t i = 0; m && i < m->n_sccs; i++)
		v[(*n)++] = &m->sccs[i];
	if (m && m->n_sccs && (rc = duplicate_candidate(v, *n, d)) < 0) {
		free(v);
		*n = 0;
		return rc;
	}
	*out = v;
	return 0;
}

int cs_scc_builtin_dir(char *out, size_t len)
{
	const char *env = getenv("CAPSCOPE_DATADIR");
	char exe[PATH_MAX - 32];
	struct stat sb;
	ssize_t n;

	if (env) {
		snprintf(out, len, "%s/scc", env);
		if (stat(out, &sb) == 0)
			return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');

		if (slash) {
			*slash = '\0';
			snprintf(out, len, "%s/../data/scc", exe);
			if (stat(out, &sb) == 0)
				return 0;
			snprintf(out, len, "%s/../share/capscope/scc", exe);
			if (stat(out, &sb) == 0)
				return 0;
		}
	}
	snprintf(out, len, "%s/scc", CAPSCOPE_DATADIR);
	return stat(out, &sb) == 0 ? 0 : -ENOENT;
}
