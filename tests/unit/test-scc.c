/* SPDX-License-Identifier: MIT */
/* SCC admission: order, ties, mutation, validation and rejections. */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/scc.h"
#include "scc-reason-of.h"

static struct cs_k8s_manifest m;

static const char *scc_yaml(char *buf, size_t len, const char *name, const char *prio,
			    const char *rau, const char *extra)
{
	snprintf(buf, len,
		 "kind: SecurityContextConstraints\nmetadata: {name: %s}\npriority: %s\n"
		 "runAsUser:\n  type: %s\nseLinuxContext: {type: MustRunAs}\n%s\n---\n",
		 name, prio, rau, extra);
	return buf;
}

static void load(const char *y)
{
	struct cs_diag d = {0};

	cs_k8s_manifest_init(&m);
	if (cs_k8s_parse(&m, y, strlen(y), "t.yaml", &d) < 0) {
		fprintf(stderr, "%u:%u %s %s\n", d.line, d.column, d.field, d.message);
		fail();
	}
}

static int admit(struct cs_scc_result *r, struct cs_steps *st, const char *const *granted,
		 size_t ng)
{
	const struct cs_scc *v[32];
	struct cs_scc_opts o = {1000660000, 10000, granted, ng};

	for (size_t i = 0; i < m.n_sccs; i++)
		v[i] = &m.sccs[i];
	cs_steps_init(st);
	return cs_scc_admit(&m.pods[0], v, m.n_sccs, &o, r, st);
}

static void test_order_and_mutation(void **state)
{
	char a[512], b[512], c[512], all[4096];
	struct cs_scc_result r;
	struct cs_steps st;
	(void)state;
	snprintf(
	    all, sizeof(all),
	    "%s%s%s"
	    "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: web\n"
	    "    securityContext: {capabilities: {add: [NET_BIND_SERVICE]}}\n",
	    scc_yaml(a, sizeof(a), "zeta", "", "MustRunAsRange",
		     "allowPrivilegeEscalation: false\nallowedCapabilities: [NET_BIND_SERVICE]\n"
		     "requiredDropCapabilities: [ALL]"),
	    scc_yaml(b, sizeof(b), "alpha", "", "MustRunAsRange",
		     "allowPrivilegeEscalation: false\nallowedCapabilities: [NET_BIND_SERVICE]\n"
		     "requiredDropCapabilities: [ALL]"),
	    scc_yaml(c, sizeof(c), "strict", "", "MustRunAsRange",
		     "requiredDropCapabilities: [ALL]"));
	load(all);
	/* tie on priority and score: name decides (alpha before zeta); strict
	 * scores lower (more restrictive) and is tried first but rejects the add */
	assert_int_equal(admit(&r, &st, NULL, 0), 0);
	assert_true(r.admitted);
	assert_string_equal(r.chosen->name, "alpha");
	assert_int_equal(r.n_attempts, 2);
	assert_string_equal(r.attempts[0].scc->name, "strict");
	assert_non_null(strstr(r.attempts[0].reason, "capability may not be added"));
	/* mutation: uid from the range, drop ALL, no privilege escalation */
	assert_int_equal(r.sc[0].run_as_user.v, 1000660000);
	assert_true(r.sc[0].run_as_non_root.v);
	assert_true(r.sc[0].allow_privilege_escalation.set &&
		    !r.sc[0].allow_privilege_escalation.v);
	assert_int_equal(r.sc[0].drop.n, 1);
	assert_string_equal(r.sc[0].drop.v[0], "ALL");
	assert_non_null(cs_steps_find(&st, "scc.run-as-user"));
	cs_scc_result_free(&r);
	cs_steps_free(&st);
	/* not granted → skipped with a reason */
	const char *g[] = {"zeta"};
	assert_int_equal(admit(&r, &st, g, 1), 0);
	assert_string_equal(r.chosen->name, "zeta");
	assert_non_null(strstr(r.attempts[0].reason, "not allowed to use"));
	cs_scc_result_free(&r);
	cs_steps_free(&st);
	cs_k8s_manifest_free(&m);
}

static void test_priority_and_rejection(void **state)
{
	char a[512], b[512], all[4096];
	struct cs_scc_result r;
	struct cs_steps st;
	(void)state;
	/* priority beats restrictiveness; privileged is refused; names match exactly */
	snprintf(
	    all, sizeof(all),
	    "%s%s"
	    "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: web\n"
	    "    securityContext: {privileged: true, capabilities: {add: [net_bind_service]}}\n",
	    scc_yaml(a, sizeof(a), "loose", "10", "RunAsAny",
		     "allowedCapabilities: [NET_BIND_SERVICE]"),
	    scc_yaml(b, sizeof(b), "tight", "", "MustRunAs\n  uid: 5", ""));
	load(all);
	assert_int_equal(admit(&r, &st, NULL, 0), 0);
	assert_false(r.admitted);
	assert_string_equal(r.attempts[0].scc->name, "loose");
	assert_non_null(strstr(r.attempts[0].reason, "Privileged containers are not allowed"));
	assert_non_null(
	    strstr(r.attempts[0].reason, "\"net_bind_service\": capability may not be added"));
	assert_non_null(
	    strstr(reason_of(&r), "unable to validate against any security context constraint"));
	/* Not held: made from the attempts when written (scc-reason.c). */
	assert_null(r.reason);
	assert_non_null(strstr(reason_of(&r), "; tight: "));
	{
		const char *prefix = "unable to validate against any security context constraint: "
				     "loose: ";
		size_t len;
		char head[33];

		assert_int_equal(strncmp(reason_of(&r), prefix, strlen(prefix)), 0);

		assert_int_equal(cs_scc_reason_len(&r, &len), 0);
		assert_int_equal(len, strlen(reason_of(&r)));
		assert_int_equal(cs_scc_reason_head(&r, head, sizeof(head)), 0);
		assert_string_equal(head, "unable to validate against any s");
	}
	cs_scc_result_free(&r);
	cs_steps_free(&st);
	cs_k8s_manifest_free(&m);
}

/* The API server refuses an SCC that allows (or adds by default) a name it
 * requires dropping, compared as exact strings (validateSCCCapsAgainstDrops). */
static void test_caps_against_drops(void **state)
{
	static const struct {
		const char *extra, *field; /* NULL: read */
	} cases[] = {
	    {"allowedCapabilities: [KILL, NET_RAW]\nrequiredDropCapabilities: [NET_RAW]",
	     "allowedCapabilities[1]"},
	    {"defaultAddCapabilities: [NET_RAW]\nrequiredDropCapabilities: [KILL, NET_RAW]",
	     "defaultAddCapabilities[0]"},
	    {"allowedCapabilities: ['*']\nrequiredDropCapabilities: [KILL]",
	     "requiredDropCapabilities"},
	    {"allowedCapabilities: [NET_RAW]\nrequiredDropCapabilities: [CAP_NET_RAW, ALL]", NULL},
	    {"allowedCapabilities: ['*']\nrequiredDropCapabilities: []", NULL},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char a[512];
		struct cs_diag d = {0};
		int r;

		scc_yaml(a, sizeof(a), "s", "", "RunAsAny", cases[i].extra);
		cs_k8s_manifest_init(&m);
		r = cs_k8s_parse(&m, a, strlen(a), "t.yaml", &d);
		if (!cases[i].field) {
			assert_int_equal(r, 0);
		} else {
			assert_int_equal(r, -EINVAL);
			assert_string_equal(d.field, cases[i].field);
			assert_non_null(strstr(d.message, "the API server refuses the SCC"));
		}
		cs_k8s_manifest_free(&m);
	}
}

static void test_allowed_and_dropped(void **state)
{
	char a[512], all[2048];
	struct cs_scc_result r;
	struct cs_steps st;
	(void)state;
	snprintf(all, sizeof(all),
		 "%s"
		 "kind: Pod\nmetadata: {name: p, annotations: {openshift.io/required-scc: "
		 "both}}\nspec:\n  containers:\n  - name: web\n"
		 "    securityContext: {capabilities: {add: [NET_BIND_SERVICE], drop: "
		 "[NET_BIND_SERVICE]}}\n",
		 /* an SCC requiring to drop what it allows is refused by the API
		  * server (test_caps_against_drops): the container drops it */
		 scc_yaml(a, sizeof(a), "both", "", "RunAsAny",
			  "allowedCapabilities: [NET_BIND_SERVICE]\nrequiredDropCapabilities: "
			  "[KILL]"));
	load(all);
	assert_int_equal(admit(&r, &st, NULL, 0), 0);
	assert_true(r.admitted);
	assert_non_null(cs_steps_find(&st, "scc.add-and-drop"));
	assert_non_null(cs_steps_find(&st, "scc.required"));
	cs_scc_result_free(&r);
	cs_steps_free(&st);
	cs_k8s_manifest_free(&m);
}

/* A refused SCC's mutated capability lists are freed when it is refused:
 * kept, they made memory grow with SCCs x containers x capabilities. And
 * the checks read lists of any order and length (sorted lookups). */
static void test_refused_memory(void **state)
{
	char a[512], b[512], all[4096];
	struct cs_scc_result r;
	struct cs_steps st;
	(void)state;
	snprintf(all, sizeof(all),
		 "%s%s"
		 "kind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n  containers:\n"
		 "  - name: a\n    securityContext: {capabilities: {add: [B, A], drop: [Z, "
		 "D2]}}\n  - name: b\n  - name: c\n",
		 scc_yaml(a, sizeof(a), "first", "10", "RunAsAny",
			  "defaultAddCapabilities: [D3, D2, D1]\nallowedCapabilities: [A, B]\n"
			  "requiredDropCapabilities: [Z, W]"),
		 scc_yaml(b, sizeof(b), "second", "", "RunAsAny",
			  "allowHostPID: true\nallowedCapabilities: [B, A]\n"
			  "requiredDropCapabilities: [Z]"));
	load(all);
	assert_int_equal(admit(&r, &st, NULL, 0), 0);
	assert_true(r.admitted);
	assert_string_equal(r.chosen->name, "second");
	assert_non_null(strstr(r.attempts[0].reason, "Host PID"));
	/* first's lists (two for each of 3 containers) are gone; second's remain */
	assert_int_equal(r.n_owned, 6);
	assert_int_equal(r.sc[0].add.n, 2);
	assert_int_equal(r.sc[0].drop.n, 2);
	assert_non_null(cs_steps_find(&st, "scc.capabilities"));
	cs_scc_result_free(&r);
	cs_steps_free(&st);
	cs_k8s_manifest_free(&m);
	/* refused everywhere: nothing of the attempts is kept */
	snprintf(all, sizeof(all),
		 "%s"
		 "kind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n  containers:\n"
		 "  - name: a\n    securityContext: {capabilities: {add: [C], drop: [W]}}\n",
		 scc_yaml(a, sizeof(a), "first", "10", "RunAsAny",
			  "defaultAddCapabilities: [D1]\nallowedCapabilities: [A, B]\n"
			  "requiredDropCapabilities: [Z, W]"));
	load(all);
	assert_int_equal(admit(&r, &st, NULL, 0), 0);
	assert_false(r.admitted);
	assert_non_null(strstr(r.attempts[0].reason, "\"C\": capability may not be added"));
	assert_null(strstr(r.attempts[0].reason, "required to be dropped"));
	assert_int_equal(r.n_owned, 0);
	cs_scc_result_free(&r);
	cs_steps_free(&st);
	cs_k8s_manifest_free(&m);
}

/* One SCC (extra: its volume fields) against a pod with one volume. */
static bool volume_admitted(const char *extra, const char *volume, const char *why)
{
	char a[512], all[2048];
	struct cs_scc_result r;
	struct cs_steps st;
	bool ok;

	snprintf(all, sizeof(all),
		 "%s"
		 "kind: Pod\nmetadata: {name: p}\nspec:\n  volumes: [{name: v, %s}]\n"
		 "  containers:\n  - name: web\n",
		 scc_yaml(a, sizeof(a), "s", "", "RunAsAny", extra), volume);
	load(all);
	assert_int_equal(admit(&r, &st, NULL, 0), 0);
	ok = r.admitted;
	if (why && (ok || !strstr(reason_of(&r), why)))
		fail_msg("expected '%s' in: %s", why, reason_of(&r));
	cs_scc_result_free(&r);
	cs_steps_free(&st);
	cs_k8s_manifest_free(&m);
	return ok;
}

/* sccdefaults.SetDefaults_SCC: the volumes admission reads. */
static void test_volume_defaults(void **state)
{
	const char *host = "hostPath: {path: /}", *empty = "emptyDir: {}";
	(void)state;
	/* "*" without allowHostDirVolumePlugin: every type but hostPath */
	assert_false(volume_admitted("volumes: ['*']", host, "hostPath volumes are not allowed"));
	assert_true(volume_admitted("volumes: ['*']", empty, NULL));
	assert_false(volume_admitted("volumes: [hostPath]", host, "hostPath volumes"));
	assert_true(volume_admitted("volumes: ['*']\nallowHostDirVolumePlugin: true", host, NULL));
	assert_true(
	    volume_admitted("volumes: [emptyDir]\nallowHostDirVolumePlugin: true", host, NULL));
	/* absent: "*"; empty: none (or hostPath with the plugin) */
	assert_false(volume_admitted("", host, "hostPath volumes"));
	assert_true(volume_admitted("", empty, NULL));
	assert_false(volume_admitted("volumes: []", empty, "emptyDir volumes"));
	assert_true(volume_admitted("volumes: []\nallowHostDirVolumePlugin: true", host, NULL));
	/* the pod's key, the SCC's FSType */
	assert_true(volume_admitted("volumes: [cephFS]", "cephfs: {monitors: [m]}", NULL));
	assert_true(volume_admitted("volumes: [vsphere]", "vsphereVolume: {volumePath: p}", NULL));
	assert_false(volume_admitted("volumes: [cephfs]", "cephfs: {monitors: [m]}",
				     "cephFS volumes are not allowed"));
	/* the score reads the stored list: "*" alone is non-trivial, not host */
	char a[512];
	load(scc_yaml(a, sizeof(a), "s", "", "RunAsAny", "volumes: ['*']"));
	assert_int_equal(cs_scc_points(&m.sccs[0]), 100000 + 40000 + 10000 + 5000);
	cs_k8s_manifest_free(&m);
	load(scc_yaml(a, sizeof(a), "s", "", "RunAsAny",
		      "volumes: ['*']\nallowHostDirVolumePlugin: true"));
	assert_int_equal(cs_scc_points(&m.sccs[0]), 200000 + 40000 + 10000 + 5000);
	cs_k8s_manifest_free(&m);
}

static void test_points(void **state)
{
	struct cs_scc s;
	const char *drop_all[] = {"ALL"}, *star[] = {"*"};
	(void)state;
	memset(&s, 0, sizeof(s));
	s.run_as_user = CS_SCC_MUST_RUN_AS_RANGE;
	s.selinux_type = "MustRunAs";
	s.required_drop_caps.v = drop_all;
	s.required_drop_caps.n = 1;
	assert_int_equal(cs_scc_points(&s), 20000 + 10000 + 5000 - 3000);
	s.allow_privileged = true;
	s.allowed_caps.v = star;
	s.allowed_caps.n = 1;
	assert_int_equal(cs_scc_points(&s), 1600000 + 20000 + 10000 + 5000 + 4000 - 3000);
	/* Sixteenth pass (part I): 7,200,000 default capabilities (a 14 MB
	 * file) times 300 overflowed an int; as Go's int, the most, 9,999.
	 * The score reads only the count of this list. */
	s.allow_privileged = false;
	s.required_drop_caps.n = 0;
	s.default_add_caps.n = 7200000;
	assert_int_equal(cs_scc_points(&s), 20000 + 10000 + 9999);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_order_and_mutation),
	    cmocka_unit_test(test_priority_and_rejection),
	    cmocka_unit_test(test_allowed_and_dropped),
	    cmocka_unit_test(test_caps_against_drops),
	    cmocka_unit_test(test_refused_memory),
	    cmocka_unit_test(test_volume_defaults),
	    cmocka_unit_test(test_points),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
