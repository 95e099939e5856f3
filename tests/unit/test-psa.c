/* SPDX-License-Identifier: MIT */
/* Pod Security levels and the reasons a pod misses a stricter one. */
#include "cmocka-wrap.h"

#include <string.h>

#include "capscope/psa.h"

static enum cs_psa_level level(const char *y, struct cs_psa_result *r)
{
	struct cs_k8s_manifest m;
	struct cs_diag d = {0};

	cs_k8s_manifest_init(&m);
	assert_int_equal(cs_k8s_parse(&m, y, strlen(y), "t", &d), 0);
	cs_psa_evaluate(&m.pods[0], NULL, r);
	cs_k8s_manifest_free(&m);
	return r->level;
}

static void test_levels(void **state)
{
	struct cs_psa_result r;
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
	/* capability names are compared as written: CAP_CHOWN is not CHOWN */
	assert_int_equal(
	    level("kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n"
		  "      capabilities: {add: [CAP_CHOWN]}\n",
		  &r),
	    CS_PSA_PRIVILEGED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_levels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
