/* SPDX-License-Identifier: MIT */
/* capscope lint's rules, read off the model; config; suppression; fingerprints. */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/lint.h"

/* Lint y (one file) with defaults plus opts; findings in r. */
static void lint_opts(const char *y, struct cs_lint_opts *o, struct cs_lint_report *r)
{
	struct cs_cri_target t;
	struct cs_diag d = {0};

	cs_cri_target_default(o->explain.runtime, &t);
	o->explain.target = &t;
	memset(r, 0, sizeof(*r));
	assert_int_equal(cs_lint_buffer(y, strlen(y), "t.yaml", o, r, &d), 0);
	cs_lint_report_sort(r);
}

static void lint(const char *y, struct cs_lint_report *r)
{
	struct cs_lint_opts o = {.explain = {.runtime = CS_CRI_CRIO}};

	lint_opts(y, &o, r);
}

/* "rule:capability,…" of the findings, in report order. */
static const char *ids(const struct cs_lint_report *r)
{
	static char buf[1024];
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->n; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s%s%s", i ? "," : "",
				      cs_lint_rule(r->v[i].rule)->id, r->v[i].capability ? ":" : "",
				      r->v[i].capability ? r->v[i].capability : "");
	return buf;
}

#define POD(sc)                                                                                    \
	"kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    "                  \
	"securityContext: " sc "\n"

static void test_not_effective(void **state)
{
	struct cs_lint_report r;
	(void)state;
	/* non-root, NET_BIND_SERVICE: permitted before execve, lost at it */
	lint(POD("{runAsUser: 1000, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}"), &r);
	assert_string_equal(ids(&r), "cap-not-effective:NET_BIND_SERVICE");
	assert_non_null(strstr(r.v[0].message, "[nonroot-no-ambient]"));
	assert_non_null(strstr(r.v[0].message, "fix: "));
	assert_int_equal(r.v[0].line, 6); /* the add entry, in the flow mapping on line 6 */
	cs_lint_report_free(&r);
	/* listening on a low port: the sysctl is the fix */
	lint("kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n"
	     "    ports: [{containerPort: 80}]\n    securityContext: {runAsUser: 1000, "
	     "capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}\n",
	     &r);
	assert_string_equal(ids(&r), "cap-not-effective:NET_BIND_SERVICE");
	assert_non_null(strstr(r.v[0].message, "fix: let unprivileged processes bind low ports"));
	cs_lint_report_free(&r);
	/* the same as root is effective: nothing to say */
	lint(POD("{runAsUser: 0, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}"), &r);
	assert_string_equal(ids(&r), "");
	cs_lint_report_free(&r);
	/* a drop of the same capability wins over the add */
	lint(POD("{capabilities: {drop: [ALL, NET_RAW], add: [NET_RAW]}}"), &r);
	assert_string_equal(ids(&r), "cap-not-effective:NET_RAW");
	assert_non_null(strstr(r.v[0].message, "[runtime-dropped]"));
	assert_null(strstr(r.v[0].message, "fix: "));
	cs_lint_report_free(&r);
}

static void test_dangerous_and_defaults(void **state)
{
	struct cs_lint_report r;
	(void)state;
	lint(POD("{capabilities: {drop: [ALL], add: [SYS_ADMIN, BPF]}}"), &r);
	assert_string_equal(ids(&r), "dangerous-cap:SYS_ADMIN,dangerous-cap:BPF");
	cs_lint_report_free(&r);
	/* non-root: SYS_ADMIN is not held, so it is not dangerous but not effective */
	lint(POD("{runAsUser: 5, capabilities: {drop: [ALL], add: [SYS_ADMIN]}}"), &r);
	assert_string_equal(ids(&r), "cap-not-effective:SYS_ADMIN");
	cs_lint_report_free(&r);
	/* nothing dropped: CRI-O's nine defaults stay */
	lint(POD("{}"), &r);
	assert_string_equal(ids(&r), "missing-drop-all");
	assert_non_null(strstr(r.v[0].message, "keeps 9 capabilities"));
	cs_lint_report_free(&r);
	/* drop: [all] drops them for the runtime (only cap-spelling speaks) —
	 * kyverno/policies#455's false positive does not happen */
	lint(POD("{capabilities: {drop: [all]}}"), &r);
	assert_string_equal(ids(&r), "cap-spelling:ALL");
	cs_lint_report_free(&r);
	/* add: [ALL] as root: every dangerous capability, no missing-drop-all */
	lint(POD("{capabilities: {add: [ALL]}}"), &r);
	assert_non_null(strstr(ids(&r), "dangerous-cap:SYS_MODULE"));
	assert_null(strstr(ids(&r), "missing-drop-all"));
	cs_lint_report_free(&r);
}

static void test_privileged_spelling(void **state)
{
	struct cs_lint_report r;
	(void)state;
	lint(POD("{privileged: true}"), &r);
	assert_string_equal(ids(&r), "privileged");
	cs_lint_report_free(&r);
	lint(POD("{capabilities: {drop: [ALL], add: [CAP_CHOWN, chown, Kill]}}"), &r);
	assert_string_equal(ids(&r), "cap-spelling:CHOWN,cap-spelling:CHOWN,cap-spelling:KILL");
	assert_non_null(strstr(r.v[0].message, "CAP_CAP_CHOWN"));
	cs_lint_report_free(&r);
	/* containerd does not know CAP_CAP_CHOWN: the model says it is not effective */
	struct cs_lint_opts o = {.explain = {.runtime = CS_CRI_CONTAINERD}};
	lint_opts(POD("{capabilities: {drop: [ALL], add: [CAP_CHOWN]}}"), &o, &r);
	assert_string_equal(ids(&r), "cap-not-effective:CHOWN,cap-spelling:CHOWN");
	cs_lint_report_free(&r);
}

static void test_psa_suppress_config(void **state)
{
	struct cs_lint_report r;
	struct cs_lint_config cfg;
	struct cs_diag d = {0};
	struct cs_lint_opts o = {.explain = {.runtime = CS_CRI_CRIO},
				 .psa_set = true,
				 .psa_level = CS_PSA_RESTRICTED,
				 .config = &cfg};
	(void)state;
	cs_lint_config_init(&cfg);
	lint_opts(POD("{capabilities: {drop: [ALL]}}"), &o, &r);
	assert_string_equal(ids(&r), "psa-level");
	assert_int_equal(r.v[0].line, 1);
	cs_lint_report_free(&r);
	/* config: psa-level off */
	const char *c = "rules:\n  psa-level: off\n  CS004: warning\n";
	assert_int_equal(cs_lint_config_parse(&cfg, c, strlen(c), "c", &d), 0);
	assert_int_equal(cfg.level[CS_LINT_PSA_LEVEL], CS_LINT_OFF);
	assert_int_equal(cfg.level[CS_LINT_PRIVILEGED], CS_LINT_WARNING);
	lint_opts(POD("{privileged: true}"), &o, &r);
	assert_string_equal(ids(&r), "privileged");
	assert_int_equal(r.v[0].level, CS_LINT_WARNING);
	cs_lint_report_free(&r);
	/* errors: unknown rule, unknown level, unknown key, not a mapping, one
	 * rule twice (by id and code: the last must not silently win) */
	const char *bad[] = {
	    "rules: {nope: off}\n", "rules: {privileged: off, CS004: error}\n",
	    "rules: {privileged: loud}\n", "rule: {privileged: off}\n", "rules: [privileged]\n",
	    "- 1\n", "rules: {privileged: [off]}\n",
	    /* explicit tags: not the word as written (!!bool off is false) */
	    "rules: {privileged: !!bool off}\n", "rules: {privileged: !!str off}\n",
	    "rules: {privileged: !!binary b2Zm}\n", "rules: {!!str privileged: off}\n",
	    "rules: !!map {privileged: off}\n", "!!str rules: {privileged: off}\n",
	    "--- !!map\nrules: {privileged: off}\n", "rules: {privileged: ! off}\n",
	    /* a second document (tenth pass: it was dropped unread) */
	    "rules: {privileged: off}\n---\nrules: {privileged: error}\n"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&d, 0, sizeof(d));
		assert_int_equal(cs_lint_config_parse(&cfg, bad[i], strlen(bad[i]), "c", &d),
				 -EINVAL);
		assert_true(d.message[0] != '\0');
	}
	/* A trailing "---" (an empty second document) is nothing. */
	c = "rules: {privileged: off}\n---\n";
	assert_int_equal(cs_lint_config_parse(&cfg, c, strlen(c), "c", &d), 0);
	/* suppression: object-wide and per container */
	lint("kind: Pod\nmetadata:\n  name: p\n  annotations:\n"
	     "    capscope.io/lint-ignore: \"CS004:a missing-drop-all\"\n"
	     "spec:\n  containers:\n  - {name: a, securityContext: {privileged: true}}\n"
	     "  - {name: b, securityContext: {privileged: true}}\n  - {name: c}\n",
	     &r);
	assert_string_equal(ids(&r), "privileged");
	assert_string_equal(r.v[0].container, "b");
	assert_int_equal(r.n_suppressed, 2);
	cs_lint_report_free(&r);
}

static void test_tables_fingerprint(void **state)
{
	static const char *const danger[] = {"SYS_ADMIN",	"NET_ADMIN", "SYS_PTRACE",
					     "DAC_READ_SEARCH", "BPF",	     "SYS_MODULE",
					     "SYS_RAWIO",	"PERFMON",   "SYS_BOOT"};
	struct cs_lint_report a, b;
	(void)state;
	for (size_t i = 0; i < sizeof(danger) / sizeof(danger[0]); i++) {
		const struct cs_lint_danger *dg =
		    cs_lint_danger(cs_cap_from_name(danger[i], strlen(danger[i])));

		assert_non_null(dg);
		/* the reason names the capability it is about */
		assert_non_null(strstr(dg->why, danger[i]));
	}
	assert_null(cs_lint_danger(cs_cap_from_name("CHOWN", 5)));
	for (int i = 0; i < CS_LINT_NRULES; i++) {
		assert_int_equal(cs_lint_rule_find(cs_lint_rule(i)->id), i);
		assert_int_equal(cs_lint_rule_find(cs_lint_rule(i)->code), i);
		assert_true(atof(cs_lint_rule(i)->security_severity) > 0);
	}
	/* the fingerprint does not move with the line */
	lint(POD("{privileged: true}"), &a);
	lint("# moved\n\n" POD("{privileged: true}"), &b);
	assert_int_not_equal(a.v[0].line, b.v[0].line);
	assert_string_equal(a.v[0].fingerprint, b.v[0].fingerprint);
	cs_lint_report_free(&a);
	cs_lint_report_free(&b);
}

#define SCC(name, caps)                                                                            \
	"kind: SecurityContextConstraints\napiVersion: security.openshift.io/v1\n"                 \
	"metadata: {name: " name "}\nallowedCapabilities: " caps "\n"                              \
	"runAsUser: {type: RunAsAny}\nseLinuxContext: {type: RunAsAny}\n"                          \
	"fsGroup: {type: RunAsAny}\nsupplementalGroups: {type: RunAsAny}\nvolumes: "               \
	"[emptyDir]\n---\n"

static int count_piece(const char *piece, void *n)
{
	(void)piece;
	++*(size_t *)n;
	return 0;
}

/*
 * A refused pod's SCC finding is its refusals, not a copy of them
 * (eighteenth pass, part D): the message in pieces, each attempt's reason
 * one of them, and every writer gives the whole.
 */
static void test_scc_message_parts(void **state)
{
	static const char want[] =
	    "no SCC the service account may use admits the pod; b-x: c: capabilities.add: "
	    "Invalid value: \"NET_ADMIN\": capability may not be added; a: c: capabilities.add: "
	    "Invalid value: \"NET_ADMIN\": capability may not be added";
	struct cs_scc_set set;
	struct cs_lint_report r;
	struct cs_lint_opts o = {.explain = {.runtime = CS_CRI_CRIO, .use_scc = true},
				 .scc_set = &set};
	const struct cs_lint_finding *f;
	char *m, *buf = NULL;
	size_t n = 0, len = 0;
	FILE *out;
	(void)state;
	cs_scc_set_init(&set);
	/* an SCC's name is a DNS-1123 subdomain, or the API server refuses
	 * the SCC: "b: x" cannot be one since the twenty-seventh pass */
	lint_opts(SCC("a", "[NET_BIND_SERVICE]") SCC("b-x", "[]")
		      POD("{capabilities: {add: [NET_ADMIN]}}"),
		  &o, &r);
	/* the pod's rule is last: the container's findings are on its lines */
	assert_true(r.n > 0);
	f = &r.v[0];
	assert_int_equal(f->rule, CS_LINT_SCC_NOT_ADMITTED);
	assert_null(f->message);
	assert_int_equal(f->n_parts, 5); /* the head, and a word and a reason an SCC */
	assert_int_equal(cs_lint_message_each(f, count_piece, &n), 0);
	assert_int_equal(n, 5);
	assert_non_null(m = cs_lint_message_dup(f));
	assert_string_equal(m, want);
	free(m);
	for (int fmt = CS_LINT_TEXT; fmt <= CS_LINT_SARIF; fmt++) {
		assert_non_null(out = open_memstream(&buf, &len));
		assert_int_equal(cs_lint_write(out, &r, fmt, "0"), 0);
		fclose(out);
		/* JSON quotes the message's quotes */
		assert_non_null(strstr(buf, "admits the pod; b-x: c: "));
		assert_non_null(strstr(buf, fmt == CS_LINT_TEXT
						? "Invalid value: \"NET_ADMIN\": capability"
						: "Invalid value: \\\"NET_ADMIN\\\": capability"));
		assert_non_null(strstr(buf, "; a: c: capabilities.add: Invalid value: "));
		free(buf);
	}
	cs_lint_report_free(&r);
	cs_scc_set_free(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_not_effective),
	    cmocka_unit_test(test_dangerous_and_defaults),
	    cmocka_unit_test(test_privileged_spelling),
	    cmocka_unit_test(test_psa_suppress_config),
	    cmocka_unit_test(test_tables_fingerprint),
	    cmocka_unit_test(test_scc_message_parts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
