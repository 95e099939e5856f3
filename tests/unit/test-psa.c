/* SPDX-License-Identifier: MIT */
/* Pod Security levels and the reasons a pod misses a stricter one. */
#include "cmocka-wrap.h"

#include <stdio.h>
#include <string.h>

#include "capscope/psa.h"

/*
 * What a report prints (explain pod; eighteenth pass, part D): the level
 * just above the pod's whole, and for a privileged pod restricted's first
 * whole reasons past head bytes, a prefix of it (each container fails both
 * levels: held whole, both doubled explain's cost of a refused container).
 */
static void next_reasons(const struct cs_k8s_pod *pod, const struct cs_psa_result *all)
{
	static const size_t head = 40;
	struct cs_psa_result nx;
	size_t n;

	assert_int_equal(cs_psa_evaluate_next(pod, NULL, &nx, head), 0);
	assert_int_equal(nx.level, all->level);
	if (all->baseline_fail)
		assert_string_equal(nx.baseline_fail, all->baseline_fail);
	else
		assert_null(nx.baseline_fail);
	if (all->level != CS_PSA_PRIVILEGED || !all->restricted_fail) {
		if (all->restricted_fail)
			assert_string_equal(nx.restricted_fail, all->restricted_fail);
		else
			assert_null(nx.restricted_fail);
	} else {
		n = strlen(nx.restricted_fail);
		assert_memory_equal(nx.restricted_fail, all->restricted_fail, n);
		/* whole reasons, and no further than the one that reaches head */
		assert_true(all->restricted_fail[n] == '\0' ||
			    (n >= head && !strncmp(all->restricted_fail + n, "; ", 2)));
		assert_true(n < head || !strstr(nx.restricted_fail + head, "; "));
	}
	cs_psa_result_free(&nx);
}

static enum cs_psa_level level(const char *y, struct cs_psa_result *r)
{
	struct cs_k8s_manifest m;
	struct cs_diag d = {0};

	cs_k8s_manifest_init(&m);
	assert_int_equal(cs_k8s_parse(&m, y, strlen(y), "t", &d), 0);
	struct cs_psa_result bare;

	cs_psa_result_free(r);
	assert_int_equal(cs_psa_evaluate(&m.pods[0], NULL, r), 0);
	/* The level alone (lint without --psa-level): the same, no text. */
	assert_int_equal(cs_psa_level(&m.pods[0], NULL, &bare), 0);
	assert_int_equal(bare.level, r->level);
	assert_null(bare.baseline_fail);
	assert_null(bare.restricted_fail);
	next_reasons(&m.pods[0], r);
	cs_k8s_manifest_free(&m);
	return r->level;
}

static void test_levels(void **state)
{
	struct cs_psa_result r = {0};
	(void)state;
	assert_int_equal(level("kind: Pod\nspec:\n  containers: [{name: a}]\n", &r),
			 CS_PSA_BASELINE);
	assert_non_null(strstr(r.restricted_fail, "must drop ALL"));
	assert_int_equal(level("kind: Pod\nspec:\n  securityContext: {runAsNonRoot: true, "
			       "seccompProfile: {type: RuntimeDefault}}\n"
			       "  containers:\n  - name: a\n    securityContext:\n      "
			       "allowPrivilegeEscalation: false\n"
			       "      capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}\n",
			       &r),
			 CS_PSA_RESTRICTED);
	assert_int_equal(
	    level("kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n"
		  "      capabilities: {add: [NET_ADMIN]}\n",
		  &r),
	    CS_PSA_PRIVILEGED);
	assert_non_null(strstr(r.baseline_fail, "NET_ADMIN"));
	assert_int_equal(
	    level("kind: Pod\nspec:\n  hostNetwork: true\n  containers: [{name: a}]\n", &r),
	    CS_PSA_PRIVILEGED);
	assert_int_equal(level("kind: Pod\nspec:\n  securityContext:\n    sysctls: [{name: "
			       "net.ipv4.ip_unprivileged_port_start, value: \"0\"}]\n"
			       "  containers: [{name: a}]\n",
			       &r),
			 CS_PSA_BASELINE);
	/* check_sysctls.go sysctlsAllowedV1Dot32: tcp_rmem and tcp_wmem are
	 * baseline under the current policy; a neighbour is not */
	assert_int_equal(level("kind: Pod\nspec:\n  securityContext:\n    sysctls: [{name: "
			       "net.ipv4.tcp_rmem, value: \"4096 87380 6291456\"}, {name: "
			       "net.ipv4.tcp_wmem, value: \"4096 16384 4194304\"}]\n"
			       "  containers: [{name: a}]\n",
			       &r),
			 CS_PSA_BASELINE);
	assert_int_equal(level("kind: Pod\nspec:\n  securityContext:\n    sysctls: [{name: "
			       "net.ipv4.tcp_mem, value: \"1 2 3\"}]\n  containers: [{name: a}]\n",
			       &r),
			 CS_PSA_PRIVILEGED);
	/* capability names are compared as written: CAP_CHOWN is not CHOWN */
	assert_int_equal(
	    level("kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n"
		  "      capabilities: {add: [CAP_CHOWN]}\n",
		  &r),
	    CS_PSA_PRIVILEGED);
	cs_psa_result_free(&r);
}

/* restricted otherwise, root in the pod: relaxed only with hostUsers: false */
#define ROOT_POD(hu)                                                                               \
	"kind: Pod\nspec:\n" hu "  securityContext: {runAsUser: 0, runAsNonRoot: false, "          \
	"seccompProfile: {type: RuntimeDefault}}\n"                                                \
	"  containers:\n  - name: a\n    securityContext:\n      runAsUser: 0\n"                   \
	"      allowPrivilegeEscalation: false\n"                                                  \
	"      capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}\n"

static void userns_relaxation(void **state)
{
	struct cs_psa_result r = {0};
	(void)state;
	assert_int_equal(level(ROOT_POD("  hostUsers: false\n"), &r), CS_PSA_RESTRICTED);
	assert_null(r.restricted_fail);
	assert_null(r.baseline_fail);
	assert_int_equal(level(ROOT_POD(""), &r), CS_PSA_BASELINE);
	assert_non_null(strstr(r.restricted_fail, "pod runAsUser is 0"));
	assert_non_null(strstr(r.restricted_fail, "pod runAsNonRoot is false"));
	assert_non_null(strstr(r.restricted_fail, "a: runAsUser must not be 0"));
	/* hostUsers: true is not a relaxation */
	assert_int_equal(level(ROOT_POD("  hostUsers: true\n"), &r), CS_PSA_BASELINE);
	/* capabilities are never relaxed: NET_ADMIN fails baseline with or without */
	assert_int_equal(level("kind: Pod\nspec:\n  hostUsers: false\n  containers:\n  - name: a\n"
			       "    securityContext:\n      capabilities: {add: [NET_ADMIN]}\n",
			       &r),
			 CS_PSA_PRIVILEGED);
	cs_psa_result_free(&r);
}

/* many failing containers: the reasons are not cut at any fixed length */
static void long_reasons(void **state)
{
	char y[16384] = "kind: Pod\nspec:\n  containers:\n";
	struct cs_psa_result r = {0};
	(void)state;
	for (int i = 0; i < 60; i++)
		snprintf(y + strlen(y), sizeof(y) - strlen(y),
			 "  - name: container-%02d\n    securityContext: {capabilities: {add: "
			 "[SYS_ADMIN]}}\n",
			 i);
	assert_int_equal(level(y, &r), CS_PSA_PRIVILEGED);
	assert_non_null(strstr(r.baseline_fail, "container-59: adds capability SYS_ADMIN"));
	assert_non_null(strstr(r.restricted_fail, "container-59: must drop ALL"));
	cs_psa_result_free(&r);
}

/*
 * spec.os.name windows: the V1Dot25 checks of allowPrivilegeEscalation,
 * restricted capabilities and seccompProfile allow the pod (the API server
 * refuses those fields on it); runAsNonRoot is still checked.
 */
static void windows_relaxation(void **state)
{
	struct cs_psa_result r = {0};
	(void)state;
	assert_int_equal(level("kind: Pod\nspec:\n  os: {name: windows}\n  securityContext: "
			       "{runAsNonRoot: true}\n  containers: [{name: a}]\n",
			       &r),
			 CS_PSA_RESTRICTED);
	assert_null(r.restricted_fail);
	assert_int_equal(
	    level("kind: Pod\nspec:\n  os: {name: windows}\n  containers: [{name: a}]\n", &r),
	    CS_PSA_BASELINE);
	assert_string_equal(r.restricted_fail, "a: runAsNonRoot must be true");
	assert_int_equal(level("kind: Pod\nspec:\n  os: {name: linux}\n  securityContext: "
			       "{runAsNonRoot: true}\n  containers: [{name: a}]\n",
			       &r),
			 CS_PSA_BASELINE);
	/* check_windowsHostProcess.go: the pod's or a container's hostProcess
	 * fails baseline (windowsOptions was not read: restricted) */
	assert_int_equal(level("kind: Pod\nspec:\n  os: {name: windows}\n  securityContext: "
			       "{runAsNonRoot: true, windowsOptions: {hostProcess: true}}\n"
			       "  containers: [{name: a}]\n",
			       &r),
			 CS_PSA_PRIVILEGED);
	assert_string_equal(r.baseline_fail, "hostProcess (windowsOptions) is not allowed");
	assert_int_equal(level("kind: Pod\nspec:\n  os: {name: windows}\n  securityContext: "
			       "{runAsNonRoot: true}\n  containers:\n  - name: a\n"
			       "    securityContext: {windowsOptions: {hostProcess: true}}\n",
			       &r),
			 CS_PSA_PRIVILEGED);
	assert_string_equal(r.baseline_fail, "a: hostProcess (windowsOptions)");
	assert_int_equal(level("kind: Pod\nspec:\n  os: {name: windows}\n  securityContext: "
			       "{runAsNonRoot: true, windowsOptions: {hostProcess: false}}\n"
			       "  containers: [{name: a}]\n",
			       &r),
			 CS_PSA_RESTRICTED);
	cs_psa_result_free(&r);
}

/* Session 13, part A, model (outside #13's classes): appArmorProfile,
 * seLinuxOptions and procMount were not read, so a pod that Pod Security's
 * baseline refuses (check_appArmorProfile.go, check_seLinuxOptions.go,
 * check_procMount.go) was called baseline or restricted. */
static void isolation_checks(void **state)
{
	static const struct {
		const char *sc, *why;
	} bad[] = {
	    {"{appArmorProfile: {type: Unconfined}}",
	     "a: appArmorProfile Unconfined is not allowed"},
	    {"{seLinuxOptions: {type: spc_t}}", "a: seLinuxOptions type spc_t is not allowed"},
	    {"{seLinuxOptions: {user: system_u}}",
	     "a: seLinuxOptions user and role must not be set"},
	    {"{seLinuxOptions: {role: r}}", "a: seLinuxOptions user and role must not be set"},
	    /* procMount: Unmasked outside a user namespace is refused by the API
	     * server, and by the reader (test-k8s test_profiles) */
	};
	static const char *const good[] = {
	    "{appArmorProfile: {type: RuntimeDefault}}",
	    "{appArmorProfile: {type: Localhost, localhostProfile: p}}",
	    "{seLinuxOptions: {type: container_t, level: 's0:c1,c2'}}",
	    "{seLinuxOptions: {type: container_engine_t, user: ''}}",
	    "{procMount: Default}",
	};
	struct cs_psa_result r = {0};
	char y[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(y, sizeof(y),
			 "kind: Pod\nspec:\n  containers:\n  - name: a\n"
			 "    securityContext: %s\n",
			 bad[i].sc);
		assert_int_equal(level(y, &r), CS_PSA_PRIVILEGED);
		assert_string_equal(r.baseline_fail, bad[i].why);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(y, sizeof(y),
			 "kind: Pod\nspec:\n  containers:\n  - name: a\n"
			 "    securityContext: %s\n",
			 good[i]);
		assert_int_equal(level(y, &r), CS_PSA_BASELINE);
	}
	/* the pod's own securityContext */
	assert_int_equal(level("kind: Pod\nspec:\n  securityContext: {appArmorProfile: {type: "
			       "Unconfined}, seLinuxOptions: {type: unconfined_t}}\n"
			       "  containers: [{name: a}]\n",
			       &r),
			 CS_PSA_PRIVILEGED);
	assert_string_equal(r.baseline_fail, "pod appArmorProfile Unconfined is not allowed; "
					     "pod seLinuxOptions type unconfined_t is not allowed");
	/* the beta annotations (check_appArmorProfile.go's other half): empty,
	 * runtime/default and localhost/... allowed, of a Deployment's template */
	assert_int_equal(
	    level("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n"
		  "    metadata:\n      annotations:\n"
		  "        container.apparmor.security.beta.kubernetes.io/a: unconfined\n"
		  "        container.apparmor.security.beta.kubernetes.io/b: localhost/p\n"
		  "        container.apparmor.security.beta.kubernetes.io/c: runtime/default\n"
		  "        container.apparmor.security.beta.kubernetes.io/d: ''\n"
		  "    spec:\n      containers: [{name: a}, {name: b}, {name: c}, {name: d}]\n",
		  &r),
	    CS_PSA_PRIVILEGED);
	assert_string_equal(r.baseline_fail, "AppArmor annotation "
					     "container.apparmor.security.beta.kubernetes.io/"
					     "a=unconfined is not allowed");
	/* procMount is relaxed for a pod in a user namespace (policy 1.35) */
	assert_int_equal(level("kind: Pod\nspec:\n  hostUsers: false\n  containers:\n"
			       "  - name: a\n    securityContext: {procMount: Unmasked}\n",
			       &r),
			 CS_PSA_BASELINE);
	cs_psa_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_levels),	cmocka_unit_test(userns_relaxation),
	    cmocka_unit_test(long_reasons),	cmocka_unit_test(windows_relaxation),
	    cmocka_unit_test(isolation_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
