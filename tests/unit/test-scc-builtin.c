/* SPDX-License-Identifier: MIT */
/*
 * The SCCs added since OpenShift 4.6, as shipped in data/scc: restricted-v3
 * and nested-container. Each is loaded through --openshift's loader and
 * judged through cs_scc_admit, granted alone unless a test says otherwise.
 */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/policy.h"
#include "capscope/scc-load.h"
#include "capscope/scc.h"
#include "scc-reason-of.h"

static struct cs_scc_set set;
static struct cs_k8s_manifest pods;
static struct cs_scc_result res;
static struct cs_steps steps;

static int setup(void **state)
{
	const char *top = getenv("CAPSCOPE_TOP");
	char dir[4096];
	struct cs_diag d = {0};

	(void)state;
	snprintf(dir, sizeof(dir), "%s/data", top ? top : ".");
	setenv("CAPSCOPE_DATADIR", dir, 1);
	cs_scc_set_init(&set);
	return cs_scc_set_load(&set, true, NULL, 0, NULL, 0, &d) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	cs_scc_set_free(&set);
	return 0;
}

static const struct cs_scc *find(const char *name)
{
	for (size_t i = 0; i < set.sm.n_sccs; i++)
		if (!strcmp(set.sm.sccs[i].name, name))
			return &set.sm.sccs[i];
	fail_msg("no built-in SCC %s", name);
	return NULL;
}

/* A pod with one container "c"; pod_extra and sc are YAML flow fragments. */
static void admit_pod(const char *pod_extra, const char *sc, const char *const *granted,
		      size_t n_granted)
{
	char y[1024];
	struct cs_diag d = {0};
	const struct cs_scc **cand;
	size_t n;
	struct cs_scc_opts o = {1000660000, 10000, NULL, 0};

	snprintf(y, sizeof(y),
		 "kind: Pod\nmetadata: {name: p}\nspec:\n  %s\n  containers:\n  - name: c\n"
		 "    image: x\n    securityContext: {%s}\n",
		 pod_extra, sc);
	cs_k8s_manifest_init(&pods);
	assert_int_equal(cs_k8s_parse(&pods, y, strlen(y), "p.yaml", &d), 0);
	assert_int_equal(cs_scc_set_candidates(&set, NULL, &cand, &n, NULL), 0);
	o.granted = granted ? granted : set.granted;
	o.n_granted = granted ? n_granted : set.n_granted;
	cs_steps_init(&steps);
	assert_int_equal(cs_scc_admit(&pods.pods[0], cand, n, &o, &res, &steps), 0);
	free(cand);
	assert_non_null(reason_of(&res));
}

static void done(void)
{
	cs_scc_result_free(&res);
	cs_steps_free(&steps);
	cs_k8s_manifest_free(&pods);
}

/* Admitted by exactly `name` when only `name` is granted. */
static void only(const char *name, const char *pod_extra, const char *sc, bool admitted,
		 const char *why)
{
	const char *g[] = {name};

	admit_pod(pod_extra, sc, g, 1);
	if (admitted) {
		if (!res.admitted)
			fail_msg("%s should admit {%s} {%s}: %s", name, pod_extra, sc,
				 reason_of(&res));
		assert_string_equal(res.chosen->name, name);
	} else {
		assert_false(res.admitted);
		if (why && !strstr(reason_of(&res), why))
			fail_msg("expected '%s' in: %s", why, reason_of(&res));
	}
}

static void restricted_v3_fields(void **state)
{
	const struct cs_scc *s = find("restricted-v3");

	(void)state;
	assert_string_equal(s->user_namespace_level, "RequirePodLevel");
	assert_int_equal(s->run_as_user, CS_SCC_MUST_RUN_AS_RANGE);
	assert_true(s->uid_min.set && s->uid_min.v == 1000 && s->uid_max.v == 65534);
	assert_false(s->run_as_user_ranges_pruned);
	assert_int_equal(s->n_fs_group_ranges, 1);
	assert_int_equal(s->fs_group_ranges[0].min, 1000);
	assert_int_equal(s->fs_group_ranges[0].max, 65534);
	assert_int_equal(s->n_supplemental_groups_ranges, 1);
	assert_string_equal(s->supplemental_groups_type, "MustRunAs");
	assert_string_equal(s->seccomp_profiles.v[0], "runtime/default");
	assert_false(s->priority.set);
	/* same score as restricted-v2: the name puts v2 first */
	assert_int_equal(cs_scc_points(s), 132010);
	assert_int_equal(cs_scc_points(find("restricted-v2")), 132010);
}

static void restricted_v3_host_users(void **state)
{
	(void)state;
	only("restricted-v3", "hostUsers: false", "runAsUser: 1000", true, NULL);
	assert_int_equal(res.sc[0].run_as_user.v, 1000);
	done();
	only("restricted-v3", "hostUsers: true", "runAsUser: 1000", false,
	     "Host Users must be set to false");
	done();
	/* unset is the host's user namespace too */
	only("restricted-v3", "hostNetwork: false", "runAsUser: 1000", false,
	     "Host Users must be set to false");
	done();
	/* restricted-v2 (AllowHostLevel by omission) takes either */
	only("restricted-v2", "hostUsers: true", "", true, NULL);
	done();
	only("restricted-v2", "hostUsers: false", "", true, NULL);
	done();
}

static void restricted_v3_uid_range(void **state)
{
	(void)state;
	only("restricted-v3", "hostUsers: false", "runAsUser: 999", false,
	     "runAsUser 999 must be in the ranges: [1000, 65534]");
	done();
	only("restricted-v3", "hostUsers: false", "runAsUser: 0", false, "[1000, 65534]");
	done();
	only("restricted-v3", "hostUsers: false", "runAsUser: 65534", true, NULL);
	done();
	only("restricted-v3", "hostUsers: false", "runAsUser: 65535", false, "[1000, 65534]");
	done();
	/* unset: the range's first uid, and runAsNonRoot */
	only("restricted-v3", "hostUsers: false", "", true, NULL);
	assert_int_equal(res.sc[0].run_as_user.v, 1000);
	assert_true(res.sc[0].run_as_non_root.set && res.sc[0].run_as_non_root.v);
	assert_non_null(cs_steps_find(&steps, "scc.run-as-user"));
	done();
}

static void restricted_v3_caps_and_groups(void **state)
{
	(void)state;
	only("restricted-v3", "hostUsers: false", "capabilities: {add: [NET_BIND_SERVICE]}", true,
	     NULL);
	assert_string_equal(res.sc[0].drop.v[0], "ALL");
	assert_true(res.sc[0].allow_privilege_escalation.set &&
		    !res.sc[0].allow_privilege_escalation.v);
	done();
	only("restricted-v3", "hostUsers: false", "capabilities: {add: [SETUID]}", false,
	     "\"SETUID\": capability may not be added");
	done();
	only("restricted-v3", "hostUsers: false", "allowPrivilegeEscalation: true", false,
	     "Allowing privilege escalation");
	done();
	/* the SCC's own group ranges, not the namespace's */
	only("restricted-v3", "hostUsers: false", "", true, NULL);
	assert_true(res.fs_group.set && res.fs_group.v == 1000);
	done();
	only("restricted-v3", "hostUsers: false\n  securityContext: {fsGroup: 999}", "", false,
	     "fsGroup: 999 is not an allowed group");
	done();
	only("restricted-v3", "hostUsers: false\n  securityContext: {fsGroup: 65534}", "", true,
	     NULL);
	done();
	only("restricted-v3", "hostUsers: false\n  securityContext: {supplementalGroups: [70000]}",
	     "", false, "supplementalGroups[0]: 70000 is not an allowed group");
	done();
	/* restricted-v2 takes the namespace's range for fsGroup */
	only("restricted-v2", "securityContext: {fsGroup: 1000}", "", false,
	     "fsGroup: 1000 is not an allowed group");
	done();
	/* ... and of that range only its first id (matcher.go
	 * getPreallocatedFSGroup: {Start, Start}) */
	only("restricted-v2", "securityContext: {fsGroup: 1000660000}", "", true, NULL);
	done();
	only("restricted-v2", "securityContext: {fsGroup: 1000660001}", "", false,
	     "fsGroup: 1000660001 is not an allowed group");
	done();
}

static void nested_container(void **state)
{
	const struct cs_scc *s = find("nested-container");

	(void)state;
	assert_string_equal(s->selinux_options_type, "container_engine_t");
	assert_true(s->uid_min.set && s->uid_min.v == 0 && s->uid_max.v == 65534);
	assert_int_equal(cs_scc_points(s), 135020);
	/* root in the pod, only in a user namespace */
	only("nested-container", "hostUsers: false", "runAsUser: 0", true, NULL);
	assert_int_equal(res.sc[0].run_as_user.v, 0);
	assert_false(res.sc[0].caps_set);
	assert_false(res.sc[0].allow_privilege_escalation.set);
	done();
	only("nested-container", "hostUsers: true", "runAsUser: 0", false,
	     "Host Users must be set to false");
	done();
	/* unset uid: the range's first, 0 */
	only("nested-container", "hostUsers: false", "", true, NULL);
	assert_int_equal(res.sc[0].run_as_user.v, 0);
	assert_false(res.sc[0].run_as_non_root.set);
	done();
	only("nested-container", "hostUsers: false", "runAsUser: 65535", false, "[0, 65534]");
	done();
	only("nested-container", "hostUsers: false",
	     "capabilities: {add: [SETUID, SETGID]}, allowPrivilegeEscalation: true", true, NULL);
	done();
	only("nested-container", "hostUsers: false", "capabilities: {add: [NET_ADMIN]}", false,
	     "\"NET_ADMIN\": capability may not be added");
	done();
	only("nested-container", "hostUsers: false\n  securityContext: {fsGroup: 0}", "", true,
	     NULL);
	done();
}

/* --openshift's grants (restricted-v2, restricted-v3) in admission's order. */
static void authenticated_order(void **state)
{
	(void)state;
	/* both admit: equal priority and score, restricted-v2 by name */
	admit_pod("hostUsers: false", "", NULL, 0);
	assert_true(res.admitted);
	assert_string_equal(res.chosen->name, "restricted-v2");
	done();
	/* a uid outside the namespace's range, in a user namespace: restricted-v3 */
	admit_pod("hostUsers: false", "runAsUser: 1000", NULL, 0);
	assert_true(res.admitted);
	assert_string_equal(res.chosen->name, "restricted-v3");
	done();
	/* root in the pod: neither; nested-container is not granted */
	admit_pod("hostUsers: false", "runAsUser: 0", NULL, 0);
	assert_false(res.admitted);
	assert_non_null(strstr(reason_of(&res),
			       "nested-container: the pod's service account is not "
			       "allowed to use it"));
	done();
}

/* f6bb470's restricted-v3: runAsUser.ranges is not an API field. */
static void pruned_run_as_user_ranges(void **state)
{
	static const char y[] =
	    "kind: SecurityContextConstraints\nmetadata: {name: old-v3}\n"
	    "userNamespaceLevel: RequirePodLevel\n"
	    "runAsUser:\n  type: MustRunAsRange\n  ranges:\n  - {min: 1000, max: 65534}\n"
	    "seLinuxContext: {type: MustRunAs}\n---\n"
	    "kind: Pod\nmetadata: {name: p}\nspec:\n  hostUsers: false\n  containers:\n"
	    "  - {name: c, image: x, securityContext: {runAsUser: 1000}}\n";
	struct cs_k8s_manifest m;
	struct cs_diag d = {0};
	const struct cs_scc *v[1];
	struct cs_scc_opts o = {1000660000, 10000, NULL, 0};

	(void)state;
	cs_k8s_manifest_init(&m);
	assert_int_equal(cs_k8s_parse(&m, y, sizeof(y) - 1, "old.yaml", &d), 0);
	assert_true(m.sccs[0].run_as_user_ranges_pruned);
	assert_false(m.sccs[0].uid_min.set);
	v[0] = &m.sccs[0];
	cs_steps_init(&steps);
	assert_int_equal(cs_scc_admit(&m.pods[0], v, 1, &o, &res, &steps), 0);
	assert_false(res.admitted);
	assert_non_null(strstr(reason_of(&res), "[1000660000, 1000669999]"));
	assert_non_null(cs_steps_find(&steps, "scc.run-as-user-ranges-pruned"));
	cs_scc_result_free(&res);
	cs_steps_free(&steps);
	cs_k8s_manifest_free(&m);
}

static void bad_user_namespace_level(void **state)
{
	static const char y[] = "kind: SecurityContextConstraints\nmetadata: {name: x}\n"
				"userNamespaceLevel: RequireHostLevel\n"
				"runAsUser: {type: RunAsAny}\n";
	struct cs_k8s_manifest m;
	struct cs_diag d = {0};

	(void)state;
	cs_k8s_manifest_init(&m);
	assert_int_equal(cs_k8s_parse(&m, y, sizeof(y) - 1, "x.yaml", &d), -EINVAL);
	assert_string_equal(d.field, "userNamespaceLevel");
	cs_k8s_manifest_free(&m);
}

/* Reasons are heap strings: forty refusals are all there, none cut. */
static void long_reason_not_cut(void **state)
{
	char y[8192];
	size_t l;
	struct cs_diag d = {0};
	const struct cs_scc *v[1];
	struct cs_scc_opts o = {1000660000, 10000, NULL, 0};
	struct cs_k8s_manifest m;

	(void)state;
	l = (size_t)snprintf(y, sizeof(y),
			     "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n");
	for (int i = 0; i < 40; i++)
		l += (size_t)snprintf(
		    y + l, sizeof(y) - l,
		    "  - {name: c%02d, image: x, securityContext: {runAsUser: 0}}\n", i);
	cs_k8s_manifest_init(&m);
	assert_int_equal(cs_k8s_parse(&m, y, l, "p.yaml", &d), 0);
	v[0] = find("restricted-v3");
	cs_steps_init(&steps);
	assert_int_equal(cs_scc_admit(&m.pods[0], v, 1, &o, &res, &steps), 0);
	assert_false(res.admitted);
	assert_true(strlen(res.attempts[0].reason) > 768);
	assert_non_null(strstr(res.attempts[0].reason, "c39: runAsUser 0 must be in the ranges"));
	assert_non_null(strstr(reason_of(&res), "c39: runAsUser 0 must be in the ranges"));
	cs_scc_result_free(&res);
	cs_steps_free(&steps);
	cs_k8s_manifest_free(&m);
}

/* policy scc: the least SCC, and the user-namespace alternative to anyuid. */
static void policy_least_and_user_namespace(void **state)
{
	const struct cs_scc **cand;
	size_t n;
	struct cs_scc_opts o = {1000660000, 10000, NULL, 0};
	struct cs_policy_scc_advice *a;
	struct cs_diag d = {0};
	static const char root[] = "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
				   "  - {name: c, image: x, securityContext: {runAsUser: 0}}\n";

	(void)state;
	cs_k8s_manifest_init(&pods);
	assert_int_equal(cs_k8s_parse(&pods, root, sizeof(root) - 1, "p.yaml", &d), 0);
	assert_int_equal(cs_scc_set_candidates(&set, NULL, &cand, &n, NULL), 0);
	cs_steps_init(&steps);
	assert_int_equal(cs_policy_scc_advise(&pods.pods[0], cand, n, &o,
					      CS_POLICY_ORDER_RESTRICTIVENESS, &a, &steps),
			 0);
	assert_true(a->chosen >= 0);
	assert_string_equal(a->v[a->chosen].scc->name, "anyuid");
	assert_false(a->chosen_authenticated);
	assert_non_null(a->in_user_namespace);
	assert_string_equal(a->in_user_namespace->name, "nested-container");
	assert_non_null(cs_steps_find(&steps, "policy.scc-user-namespace"));
	cs_policy_scc_advice_free(a);
	cs_steps_free(&steps);
	cs_k8s_manifest_free(&pods);

	/* a non-root uid in a user namespace: restricted-v3, nothing to grant */
	static const char v3[] = "kind: Pod\nmetadata: {name: p}\nspec:\n  hostUsers: false\n"
				 "  containers:\n"
				 "  - {name: c, image: x, securityContext: {runAsUser: 2000}}\n";
	cs_k8s_manifest_init(&pods);
	assert_int_equal(cs_k8s_parse(&pods, v3, sizeof(v3) - 1, "p.yaml", &d), 0);
	cs_steps_init(&steps);
	assert_int_equal(cs_policy_scc_advise(&pods.pods[0], cand, n, &o,
					      CS_POLICY_ORDER_RESTRICTIVENESS, &a, &steps),
			 0);
	assert_string_equal(a->v[a->chosen].scc->name, "restricted-v3");
	assert_true(a->chosen_authenticated);
	assert_null(a->in_user_namespace);
	assert_string_equal(a->admitted_with_grant->name, "restricted-v3");
	cs_policy_scc_advice_free(a);
	cs_steps_free(&steps);
	cs_k8s_manifest_free(&pods);
	free(cand);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(restricted_v3_fields),
	    cmocka_unit_test(restricted_v3_host_users),
	    cmocka_unit_test(restricted_v3_uid_range),
	    cmocka_unit_test(restricted_v3_caps_and_groups),
	    cmocka_unit_test(nested_container),
	    cmocka_unit_test(authenticated_order),
	    cmocka_unit_test(pruned_run_as_user_ranges),
	    cmocka_unit_test(bad_user_namespace_level),
	    cmocka_unit_test(long_reason_not_cut),
	    cmocka_unit_test(policy_least_and_user_namespace),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
