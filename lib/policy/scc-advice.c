/* SPDX-License-Identifier: MIT */
/*
 * The least built-in SCC that admits a pod, the offline counterpart of
 * `oc adm policy scc-subject-review`. Each SCC is tried alone through the
 * admission model (cs_scc_admit with only that SCC), so every verdict says
 * why that SCC, and not a neighbour, refuses; then the verdicts are put in
 * the order of privilege (docs/policy.md "Which SCC is least privileged").
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/policy.h"
#include "capscope/scc-load.h"
#include "internal/cleanup.h"
#include "internal/strlist.h"
#include "internal/util.h"

static enum cs_policy_order sort_order;

static int verdict_cmp(const void *a, const void *b)
{
	const struct cs_policy_scc_verdict *x = a, *y = b;

	if (sort_order == CS_POLICY_ORDER_ADMISSION && x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	if (x->points != y->points)
		return x->points < y->points ? -1 : 1;
	return strcmp(x->scc->name, y->scc->name);
}

/* keep: v->reason is set (the accessor); otherwise only the verdict is. */
static int try_one(const struct cs_k8s_pod *pod, const struct cs_scc *s,
		   const struct cs_scc_opts *o, struct cs_policy_scc_verdict *v, bool keep)
{
	struct cs_scc_opts one = *o;
	struct cs_scc_result res;
	int rc;

	one.granted = NULL; /* each SCC is judged as if granted: the question is "would it admit" */
	one.n_granted = 0;
	v->scc = s;
	v->points = cs_scc_points(s);
	v->priority = s->priority.set ? s->priority.v : 0;
	struct cs_steps st;

	cs_steps_init(&st);
	rc = cs_scc_admit(pod, &s, 1, &one, &res, &st);
	cs_steps_free(&st);
	if (rc < 0) {
		cs_scc_result_free(&res);
		return rc;
	}
	v->admits = res.admitted;
	if (!res.admitted && keep) {
		/* Taken from the result, not copied: one refusal held once. */
		char **why = res.n_attempts ? &res.attempts[0].reason : &res.reason;

		v->reason = *why;
		*why = NULL;
	}
	cs_scc_result_free(&res);
	return 0;
}

/* Admission with system:authenticated's SCCs and the chosen one granted. */
static int with_grant(const struct cs_k8s_pod *pod, const struct cs_scc *const *sccs, size_t n,
		      const struct cs_scc_opts *o, const struct cs_scc *chosen,
		      const struct cs_scc **out)
{
	size_t na;
	const char *const *auth = cs_scc_authenticated(&na);
	const char *granted[8];
	struct cs_scc_opts g = *o;
	struct cs_scc_result res;
	int rc;

	for (g.n_granted = 0; g.n_granted < na && g.n_granted < 7; g.n_granted++)
		granted[g.n_granted] = auth[g.n_granted];
	granted[g.n_granted++] = chosen->name;
	g.granted = granted;
	struct cs_steps st;

	cs_steps_init(&st);
	rc = cs_scc_admit(pod, sccs, n, &g, &res, &st);
	cs_steps_free(&st);
	if (rc < 0) {
		cs_scc_result_free(&res);
		return rc;
	}
	*out = res.admitted ? res.chosen : NULL;
	cs_scc_result_free(&res);
	return 0;
}

/* The first SCC before `last` that needs a user namespace and admits the pod
 * once it has one (hostUsers: false, nothing else changed). */
static int find_in_user_namespace(const struct cs_k8s_pod *pod, const struct cs_scc_opts *o,
				  struct cs_policy_scc_advice *a, size_t last)
{
	struct cs_k8s_pod userns = *pod;
	int rc;

	if (pod->host_users.set && !pod->host_users.v)
		return 0;
	userns.host_users.set = true;
	userns.host_users.v = false;
	for (size_t i = 0; i < last; i++) {
		const struct cs_scc *s = a->v[i].scc;
		struct cs_policy_scc_verdict v = {0};

		if (a->v[i].admits || !s->user_namespace_level ||
		    strcmp(s->user_namespace_level, "RequirePodLevel"))
			continue;
		rc = try_one(&userns, s, o, &v, false);
		if (rc < 0)
			return rc;
		if (v.admits) {
			a->in_user_namespace = s;
			return 0;
		}
	}
	return 0;
}

/* An SCC's name as a word of a step's sentence (lib/word.c); "?" on ENOMEM. */
struct word {
	char *s;
};

static void word_free(struct word *w)
{
	free(w->s);
}

/* Out of memory is the steps' error, set before the step that would have
 * named the SCC "?" (twenty-fourth pass): a failed step list adds no more. */
static const char *word_of(struct word *w, const struct cs_scc *s, struct cs_steps *st)
{
	free(w->s);
	if (!(w->s = cs_word_dup(s->name, '"')))
		st->error = -ENOMEM;
	return w->s ? w->s : "";
}

/* The advice as steps: which order, who refused and why, what was chosen. */
static void record(const struct cs_policy_scc_advice *a, enum cs_policy_order order,
		   struct cs_steps *st)
{
	size_t last = a->chosen >= 0 ? (size_t)a->chosen : a->n;
	__attribute__((cleanup(word_free))) struct word w1 = {0}, w2 = {0};

	cs_steps_add(st, "policy", "policy.scc-order", "%s",
		     order == CS_POLICY_ORDER_ADMISSION
			 ? "priority (higher first), then pointValue, then name: admission's sort"
			 : "pointValue (lower is more restrictive), then name");
	for (size_t i = 0; i < last; i++) {
		const char *why = NULL;
		cs_cleanup_free char *owned = NULL;

		if (cs_policy_scc_reason(a, i, &why, &owned) < 0)
			st->error = -ENOMEM;
		cs_steps_add(st, "policy", "policy.scc-refuses", "%s (points %d): %s",
			     word_of(&w1, a->v[i].scc, st), a->v[i].points, why ? why : "?");
	}
	if (a->in_user_namespace)
		cs_steps_add(st, "policy", "policy.scc-user-namespace",
			     "with hostUsers: false, %s admits the pod: root in the pod, not on "
			     "the node",
			     word_of(&w1, a->in_user_namespace, st));
	if (a->chosen < 0) {
		cs_steps_add(st, "policy", "policy.scc-none", "no SCC given admits the pod");
		return;
	}
	cs_steps_add(st, "policy", "policy.scc-least",
		     "%s: the least privileged SCC that admits the pod",
		     word_of(&w1, a->v[a->chosen].scc, st));
	if (a->admitted_with_grant)
		cs_steps_add(st, "policy", "policy.scc-grant",
			     "with system:authenticated's SCCs and %s granted, admission picks %s",
			     word_of(&w1, a->v[a->chosen].scc, st),
			     word_of(&w2, a->admitted_with_grant, st));
}

int cs_policy_scc_advise(const struct cs_k8s_pod *pod, const struct cs_scc *const *sccs, size_t n,
			 const struct cs_scc_opts *o, enum cs_policy_order order,
			 struct cs_policy_scc_advice **out, struct cs_steps *st)
{
	struct cs_policy_scc_advice *a = calloc(1, sizeof(*a));
	int rc = -ENOMEM;

	*out = NULL;
	if (!a || !(a->v = calloc(n ? n : 1, sizeof(*a->v))))
		goto fail;
	a->pod = pod;
	a->opts = *o;
	for (size_t i = 0; i < n; i++, a->n++)
		if ((rc = try_one(pod, sccs[i], o, &a->v[i], false)) < 0)
			goto fail;
	sort_order = order; /* qsort has no context argument; the library is not threaded here */
	qsort(a->v, a->n, sizeof(*a->v), verdict_cmp);
	a->chosen = -1;
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].admits) {
			a->chosen = (long)i;
			break;
		}
	if (a->chosen >= 0 &&
	    (rc = with_grant(pod, sccs, n, o, a->v[a->chosen].scc, &a->admitted_with_grant)) < 0)
		goto fail;
	a->chosen_authenticated =
	    a->chosen >= 0 && cs_scc_is_authenticated(a->v[a->chosen].scc->name);
	if ((rc = find_in_user_namespace(pod, o, a, a->chosen >= 0 ? (size_t)a->chosen : a->n)) < 0)
		goto fail;
	if (st)
		record(a, order, st);
	*out = a;
	return 0;
fail:
	cs_policy_scc_advice_free(a);
	return rc;
}

void cs_policy_scc_advice_free(struct cs_policy_scc_advice *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i].reason);
	free(a->v);
	free(a);
}

int cs_policy_scc_reason(const struct cs_policy_scc_advice *a, size_t i, const char **out,
			 char **owned)
{
	struct cs_policy_scc_verdict v = {0};
	int rc;

	*out = a->v[i].reason;
	*owned = NULL;
	if (a->v[i].admits || a->v[i].reason || !a->pod)
		return 0;
	/* The same call as the verdict's, so the same words, byte for byte. */
	if ((rc = try_one(a->pod, a->v[i].scc, &a->opts, &v, true)) < 0)
		return rc;
	*out = *owned = v.reason;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cs_policy_sccs_load_dir(struct cs_k8s_manifest *m, const char *dir, struct cs_diag *d)
{
	cs_cleanup_closedir DIR *dp = opendir(dir);
	char *names[64];
	size_t n = 0;
	struct dirent *e;
	int rc = 0;

	if (!dp) {
		int err = errno;

		cs_diag_file(d, dir);
		return cs_diag_set(d, err, 0, 0, "", "cannot open: %s", strerror(err));
	}
	while ((e = readdir(dp)) && n < sizeof(names) / sizeof(names[0])) {
		size_t l = strlen(e->d_name);

		if (l > 5 && !strcmp(e->d_name + l - 5, ".yaml") && e->d_name[0] != '.') {
			if (!(names[n] = strdup(e->d_name))) {
				rc = -ENOMEM;
				break;
			}
			n++;
		}
	}
	qsort(names, n, sizeof(*names), name_cmp); /* readdir order is not stable */
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX];

		if (rc == 0 && names[i]) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
			rc = cs_k8s_load(m, path, d);
		}
		free(names[i]);
	}
	return rc;
}

bool cs_policy_scc_sets_no_escalation(const struct cs_scc *s, const struct cs_k8s_pod *pod,
				      const struct cs_k8s_container *c)
{
	struct cs_k8s_sc sc;

	cs_k8s_effective_sc(pod, c, &sc);
	if (sc.allow_privilege_escalation.set)
		return false;
	/* The default is not copied for privileged or an add of CAP_SYS_ADMIN
	 * (lib/k8s/scc.c, the same rule); allowPrivilegeEscalation: false is. */
	if (s->allow_privilege_escalation.set && !s->allow_privilege_escalation.v)
		return true;
	if (!s->default_allow_privilege_escalation.set || s->default_allow_privilege_escalation.v)
		return false;
	if (sc.privileged.set && sc.privileged.v)
		return false;
	return !(sc.caps_set && cs_strlist_has(&sc.add, "CAP_SYS_ADMIN"));
}
