/* SPDX-License-Identifier: MIT */
/* capscope policy: normalisation, the allow rule, SCC advice, generators. */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/policy.h"
#include "capscope/scc.h"

static void load(struct cs_k8s_manifest *m, const char *y)
{
	struct cs_diag d = {0};

	cs_k8s_manifest_init(m);
	if (cs_k8s_parse(m, y, strlen(y), "t.yaml", &d) < 0) {
		fprintf(stderr, "%u:%u %s %s\n", d.line, d.column, d.field, d.message);
		fail();
	}
}

static void test_normalise(void **state)
{
	(void)state;
	/* What CRI-O, containerd and Docker all read as CAP_NET_RAW (13). */
	assert_int_equal(cs_policy_cap_normalise("NET_RAW"), 13);
	assert_int_equal(cs_policy_cap_normalise("net_raw"), 13);
	assert_int_equal(cs_policy_cap_normalise("CAP_NET_RAW"), 13);
	assert_int_equal(cs_policy_cap_normalise("cap_Net_Raw"), 13);
	assert_int_equal(cs_policy_cap_normalise("ALL"), CS_POLICY_CAP_ALL);
	assert_int_equal(cs_policy_cap_normalise("aLl"), CS_POLICY_CAP_ALL);
	/* Refused: no runtime agrees on these. */
	static const char *const bad[] = {"CAP_ALL",	      "CAP_CAP_NET_RAW",
					  "NET-RAW",	      "",
					  " NET_RAW",	      "13",
					  "cap_41",	      "CAP_",
					  "NET_RAW ",	      "NET_RA\xc4\xb1W",
					  "S\xc5\xbfYS_ADMIN"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(cs_policy_cap_normalise(bad[i]), -EINVAL);
	assert_int_equal(cs_policy_cap_normalise(NULL), -EINVAL);
}

static const char pod_yaml[] =
    "kind: Pod\nmetadata: {name: p, namespace: ns}\nspec:\n"
    "  initContainers:\n  - name: init\n    securityContext: {capabilities: {drop: [all]}}\n"
    "  containers:\n  - name: web\n"
    "    securityContext: {capabilities: {drop: [ALL], add: [cap_net_bind_service, NET_RAW]}}\n"
    "  ephemeralContainers:\n  - name: debug\n"
    "    securityContext: {privileged: true, capabilities: {add: [ALL]}}\n";

static void test_check(void **state)
{
	struct cs_k8s_manifest m;
	struct cs_policy_check *c;
	(void)state;

	load(&m, pod_yaml);
	assert_int_equal(cs_policy_pod_caps(&m.pods[0]), CS_BIT(10) | CS_BIT(13));
	assert_int_equal(cs_policy_check_pod(&m.pods[0], CS_BIT(10) | CS_BIT(13), &c), 0);
	assert_false(c->allowed);
	/* Only the ephemeral container: privileged, no drop ALL, ALL added. */
	assert_int_equal(c->n, 3);
	for (size_t i = 0; i < c->n; i++)
		assert_int_equal(c->v[i].container, 2);
	assert_string_equal(c->v[0].rule, "privileged");
	assert_string_equal(c->v[1].rule, "drop-all");
	assert_string_equal(c->v[2].rule, "add");
	assert_non_null(strstr(c->v[2].message, "ALL is every capability"));
	cs_policy_check_free(c);
	/* Without NET_RAW allowed, the web container's add is refused too. */
	assert_int_equal(cs_policy_check_pod(&m.pods[0], CS_BIT(10), &c), 0);
	assert_int_equal(c->n, 4);
	assert_int_equal(c->v[0].container, 1);
	assert_non_null(strstr(c->v[0].message, "\"NET_RAW\": not in the allowed set"));
	cs_policy_check_free(c);
	cs_k8s_manifest_free(&m);
}

static void test_profile(void **state)
{
	static const char ok[] =
	    "{\"profile\": {\"capabilities\": [\"CAP_NET_RAW\", \"CAP_CHOWN\"]}}";
	static const char bad[] = "{\"profile\": {\"capabilities\": [\"CAP_NET_RAW\", \"ALL\"]}}";
	struct cs_diag d = {0};
	struct cs_k8s_manifest m;
	struct cs_policy_pod_opts o = {.name = "x: y\nkind: Secret", .run_as_user = {true, 1000}};
	cs_mask_t caps;
	(void)state;

	assert_int_equal(cs_policy_profile_parse(ok, strlen(ok), "t.json", &caps, &d), 0);
	assert_int_equal(caps, CS_BIT(0) | CS_BIT(13));
	assert_int_equal(cs_policy_profile_parse(bad, strlen(bad), "t.json", &caps, &d), -EINVAL);
	assert_string_equal(d.field, "profile.capabilities");
	assert_int_equal(cs_policy_profile_parse("{}", 2, "t.json", &caps, &d), -EINVAL);
	/* Only what trace writes (twelfth pass: a hand-edited profile was
	 * read leniently, and its mask not at all). */
	static const char *const refused[][2] = {
	    {"{\"profile\": {\"capabilities\": [\"net_raw\"]}}", "profile.capabilities"},
	    {"{\"profile\": {\"capabilities\": [\"NET_RAW\"]}}", "profile.capabilities"},
	    {"{\"profile\": {\"capabilities\": [\"CAP_NET_RAW\", \"CAP_NET_RAW\"]}}",
	     "profile.capabilities"},
	    {"{\"profile\": {\"capabilities\": [\"CAP_CHOWN\"], \"mask\": \"0x0000000000200000\"}}",
	     "profile.mask"},
	    {"{\"profile\": {\"capabilities\": [\"CAP_CHOWN\"], \"mask\": \"0x1\"}}",
	     "profile.mask"},
	    {"{\"profile\": {\"capabilities\": [], \"mask\": 0}}", "profile.mask"},
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		assert_int_equal(cs_policy_profile_parse(refused[i][0], strlen(refused[i][0]),
							 "t.json", &caps, &d),
				 -EINVAL);
		assert_string_equal(d.field, refused[i][1]);
		assert_int_equal(d.line, 1);
	}
	/* Thirteenth pass: a capability trace saw but this capscope does not
	 * know is written CAP_41, as trace writes it: refused for being
	 * unknown, not for its spelling. */
	static const char unknown[] = "{\"profile\": {\"capabilities\": [\"CAP_41\"]}}";
	assert_int_equal(cs_policy_profile_parse(unknown, strlen(unknown), "t.json", &caps, &d),
			 -EINVAL);
	assert_non_null(strstr(d.message, "not a capability this capscope knows"));
	assert_non_null(strstr(d.message, "CAP_CHECKPOINT_RESTORE"));
	/* Twentieth pass, part J: the entry itself is named, quoted. */
	assert_non_null(strstr(d.message, "\"CAP_41\": "));
	static const char lower[] = "{\"profile\": {\"capabilities\": [\"net_raw\"]}}";
	assert_int_equal(cs_policy_profile_parse(lower, strlen(lower), "t.json", &caps, &d),
			 -EINVAL);
	assert_non_null(strstr(d.message, "\"net_raw\": not a capability name as trace writes it"));
	static const char masked[] =
	    "{\"profile\": {\"capabilities\": [\"CAP_CHOWN\", \"CAP_NET_RAW\"], "
	    "\"mask\": \"0x0000000000002001\"}}";
	assert_int_equal(cs_policy_profile_parse(masked, strlen(masked), "t.json", &caps, &d), 0);
	assert_int_equal(caps, CS_BIT(0) | CS_BIT(13));
	/* The pod a profile stands for: a hostile name stays the name. */
	cs_k8s_manifest_init(&m);
	assert_int_equal(cs_policy_profile_pod(&m, CS_BIT(13), &o, &d), 0);
	assert_int_equal(m.n_pods, 1);
	assert_string_equal(m.pods[0].name, "x: y\nkind: Secret");
	assert_string_equal(m.pods[0].kind, "Pod");
	assert_int_equal(m.pods[0].containers[0].sc.run_as_user.v, 1000);
	assert_int_equal(m.pods[0].containers[0].sc.add.n, 1);
	assert_string_equal(m.pods[0].containers[0].sc.add.v[0], "NET_RAW");
	assert_string_equal(m.pods[0].containers[0].sc.drop.v[0], "ALL");
	cs_k8s_manifest_free(&m);
}

/* Three SCCs: a strict one, a wider one with priority, and one allowing NET_RAW. */
static const char sccs_yaml[] =
    "kind: SecurityContextConstraints\nmetadata: {name: strict}\nrunAsUser: {type: "
    "MustRunAsRange}\n"
    "seLinuxContext: {type: MustRunAs}\nrequiredDropCapabilities: [ALL]\n---\n"
    "kind: SecurityContextConstraints\nmetadata: {name: wide}\npriority: 10\n"
    "runAsUser: {type: RunAsAny}\nseLinuxContext: {type: RunAsAny}\nallowedCapabilities: "
    "['*']\n---\n"
    "kind: SecurityContextConstraints\nmetadata: {name: netraw}\nrunAsUser: {type: "
    "MustRunAsRange}\n"
    "seLinuxContext: {type: MustRunAs}\nrequiredDropCapabilities: [ALL]\n"
    "allowedCapabilities: [NET_RAW]\n---\n"
    "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n"
    "    securityContext: {capabilities: {drop: [ALL], add: [NET_RAW]}}\n";

static void advise(enum cs_policy_order order, const char *first, const char *chosen)
{
	struct cs_k8s_manifest m;
	struct cs_policy_scc_advice *a;
	const struct cs_scc *v[3];
	struct cs_scc_opts o = {1000660000, 10000, NULL, 0};

	load(&m, sccs_yaml);
	for (size_t i = 0; i < 3; i++)
		v[i] = &m.sccs[i];
	struct cs_steps st;

	cs_steps_init(&st);
	assert_int_equal(cs_policy_scc_advise(&m.pods[0], v, 3, &o, order, &a, &st), 0);
	assert_non_null(cs_steps_find(&st, "policy.scc-order"));
	assert_non_null(cs_steps_find(&st, "policy.scc-least"));
	assert_non_null(strstr(cs_steps_find(&st, "policy.scc-least")->detail, chosen));
	assert_non_null(cs_steps_find(&st, "policy.scc-grant"));
	assert_null(cs_steps_find(&st, "policy.scc-none"));
	/* One refusal step per SCC before the chosen one. */
	size_t refusals = 0;
	for (size_t i = 0; i < st.n; i++)
		refusals += !strcmp(st.v[i].rule, "policy.scc-refuses");
	assert_int_equal(refusals, (size_t)a->chosen);
	cs_steps_free(&st);
	assert_int_equal(a->n, 3);
	assert_string_equal(a->v[0].scc->name, first);
	assert_true(a->chosen >= 0);
	assert_string_equal(a->v[a->chosen].scc->name, chosen);
	for (long i = 0; i < a->chosen; i++) {
		const char *why = NULL;
		char *owned = NULL;

		assert_false(a->v[i].admits);
		/* Not held by the advice: made again when asked for. */
		assert_null(a->v[i].reason);
		assert_int_equal(cs_policy_scc_reason(a, (size_t)i, &why, &owned), 0);
		assert_non_null(why);
		assert_ptr_equal(why, owned);
		assert_non_null(strstr(why, "\"NET_RAW\": capability may not be added"));
		free(owned);
	}
	const char *none = "x";
	char *owned = NULL;
	assert_int_equal(cs_policy_scc_reason(a, (size_t)a->chosen, &none, &owned), 0);
	assert_null(none); /* the chosen one admits: no reason */
	cs_policy_scc_advice_free(a);
	cs_k8s_manifest_free(&m);
}

static void test_scc_advice(void **state)
{
	(void)state;
	/* By restrictiveness: strict (refuses NET_RAW, says why), then netraw. */
	advise(CS_POLICY_ORDER_RESTRICTIVENESS, "strict", "netraw");
	/* By admission's sort, wide's priority puts it first, and it admits. */
	advise(CS_POLICY_ORDER_ADMISSION, "wide", "wide");
}

static char *gen(int (*fn)(const struct cs_policy_gen *, FILE *, struct cs_diag *),
		 const struct cs_policy_gen *g, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct cs_diag d = {0};

	*rc = fn(g, f, &d);
	fclose(f);
	return buf;
}

static void test_generators(void **state)
{
	struct cs_policy_gen g = {.name = "web-caps", .allowed = CS_BIT(10) | CS_BIT(13)};
	char *y;
	int rc;
	(void)state;

	y = gen(cs_policy_write_vap, &g, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(y, "expression: \"['NET_BIND_SERVICE', 'NET_RAW']\""));
	assert_non_null(strstr(y, "pods/ephemeralcontainers"));
	assert_null(strstr(y, "namespaceSelector"));
	free(y);
	y = gen(cs_policy_write_kyverno, &g, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(y, "value: [\"NET_BIND_SERVICE\", \"NET_RAW\"]"));
	assert_non_null(strstr(y, "request.object.spec.jobTemplate.spec.template.spec"));
	free(y);
	g.namespace = "shop";
	y = gen(cs_policy_write_gatekeeper, &g, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(y, "name: \"webcaps\""));
	assert_non_null(strstr(y, "kind: \"WebCaps\""));
	assert_non_null(strstr(y, "namespaces: [\"shop\"]"));
	free(y);
	g.name = "Bad: name";
	y = gen(cs_policy_write_vap, &g, &rc);
	assert_int_equal(rc, -EINVAL);
	free(y);
	assert_false(cs_policy_name_valid("-x"));
	assert_false(cs_policy_name_valid("x."));
	assert_true(cs_policy_name_valid("a.b-c"));
	assert_false(cs_policy_name_valid("a..b"));
	assert_false(cs_policy_name_valid("a.-b"));
	assert_true(cs_policy_namespace_valid("shop-1"));
	assert_false(cs_policy_namespace_valid(""));
	assert_false(cs_policy_namespace_valid("shop*"));
	assert_false(cs_policy_namespace_valid("a.b"));
	g.name = "webcaps";
	g.namespace = "";
	y = gen(cs_policy_write_kyverno, &g, &rc);
	assert_int_equal(rc, -EINVAL);
	free(y);
}

static void test_custom_scc(void **state)
{
	struct cs_k8s_manifest m, back;
	struct cs_policy_gen g = {.name = "p-scc",
				  .scc_opts = {1000660000, 10000, NULL, 0},
				  .service_account = "sa\n- kind: User"};
	struct cs_diag d = {0};
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	(void)state;

	load(&m, "kind: Pod\nmetadata: {name: p, namespace: ns}\nspec:\n  hostPID: true\n"
		 "  containers:\n  - name: c\n    ports: [{containerPort: 80, hostPort: 80}]\n"
		 "    securityContext: {runAsUser: 0, capabilities: {add: [cap_sys_ptrace]}}\n");
	/* A subject no API server takes is refused before anything is written. */
	f = open_memstream(&buf, &len);
	assert_int_equal(cs_policy_write_custom_scc(&m.pods[0], &g, f, &d), -EINVAL);
	assert_string_equal(d.field, "serviceAccountName");
	fclose(f);
	assert_int_equal(len, 0);
	free(buf);
	buf = NULL;
	g.service_account = "sa";
	f = open_memstream(&buf, &len);
	assert_int_equal(cs_policy_write_custom_scc(&m.pods[0], &g, f, &d), 0);
	fclose(f);
	assert_non_null(strstr(buf, "allowHostPID: true"));
	assert_non_null(strstr(buf, "allowHostPorts: true"));
	assert_non_null(strstr(buf, "allowedCapabilities: [\"cap_sys_ptrace\"]"));
	assert_non_null(strstr(buf, "type: MustRunAs\n  uid: 0"));
	assert_non_null(strstr(buf, "name: \"sa\"\n  namespace: \"ns\""));
	/* Read back: one SCC, and it admits the pod alone. */
	cs_k8s_manifest_init(&back);
	assert_int_equal(cs_k8s_parse(&back, buf, len, "gen.yaml", &d), 0);
	assert_int_equal(back.n_sccs, 1);
	assert_true(back.sccs[0].allow_host_pid);
	free(buf);
	cs_k8s_manifest_free(&back);
	/* Without a namespace anywhere there is no Role to write. */
	m.pods[0].namespace = NULL;
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(cs_policy_write_custom_scc(&m.pods[0], &g, f, &d), -EINVAL);
	assert_string_equal(d.field, "namespace");
	fclose(f);
	free(buf);
	cs_k8s_manifest_free(&m);
}

/* The custom SCC admits the pod it was written for: an fsGroup inside the
 * namespace's block but not its first id needs RunAsAny (MustRunAs without
 * ranges admits only the first, matcher.go getPreallocatedFSGroup). */
static void custom_scc_admits(const char *fsg, const char *type)
{
	struct cs_k8s_manifest m, back;
	struct cs_policy_gen g = {
	    .name = "p-scc", .scc_opts = {1000660000, 10000, NULL, 0}, .service_account = "sa"};
	struct cs_diag d = {0};
	struct cs_scc_result r;
	struct cs_steps st;
	const struct cs_scc *v[1];
	char *buf = NULL, pod[256];
	size_t len = 0;
	FILE *f;

	snprintf(pod, sizeof(pod),
		 "kind: Pod\nmetadata: {name: p, namespace: ns}\nspec:\n"
		 "  securityContext: {fsGroup: %s}\n  containers:\n  - name: c\n",
		 fsg);
	load(&m, pod);
	f = open_memstream(&buf, &len);
	assert_int_equal(cs_policy_write_custom_scc(&m.pods[0], &g, f, &d), 0);
	fclose(f);
	assert_non_null(strstr(buf, type));
	cs_k8s_manifest_init(&back);
	assert_int_equal(cs_k8s_parse(&back, buf, len, "gen.yaml", &d), 0);
	v[0] = &back.sccs[0];
	cs_steps_init(&st);
	assert_int_equal(cs_scc_admit(&m.pods[0], v, 1, &g.scc_opts, &r, &st), 0);
	if (!r.admitted)
		fprintf(stderr, "%s\n", r.reason);
	assert_true(r.admitted);
	cs_scc_result_free(&r);
	cs_steps_free(&st);
	free(buf);
	cs_k8s_manifest_free(&back);
	cs_k8s_manifest_free(&m);
}

static void test_custom_scc_fs_group(void **state)
{
	(void)state;
	custom_scc_admits("1000660000", "fsGroup:\n  type: MustRunAs");
	custom_scc_admits("1000660001", "fsGroup:\n  type: RunAsAny");
	custom_scc_admits("5", "fsGroup:\n  type: RunAsAny");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_normalise),
	    cmocka_unit_test(test_check),
	    cmocka_unit_test(test_profile),
	    cmocka_unit_test(test_scc_advice),
	    cmocka_unit_test(test_generators),
	    cmocka_unit_test(test_custom_scc),
	    cmocka_unit_test(test_custom_scc_fs_group),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
