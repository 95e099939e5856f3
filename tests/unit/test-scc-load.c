/* SPDX-License-Identifier: MIT */
/* Loading SCCs by built-in name, by file, for --openshift, and the grants. */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capscope/scc-load.h"
#include "k8s/scc-sysctls.h"

static void use_source_data(void)
{
	const char *top = getenv("CAPSCOPE_TOP");
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/data", top ? top : ".");
	setenv("CAPSCOPE_DATADIR", dir, 1);
}

static bool granted(const struct cs_scc_set *s, const char *name)
{
	for (size_t i = 0; i < s->n_granted; i++)
		if (!strcmp(s->granted[i], name))
			return true;
	return false;
}

static void by_name_and_uses(void **state)
{
	const char *names[] = {"anyuid"}, *uses[] = {"custom"};
	struct cs_scc_set s;
	struct cs_diag d = {0};

	(void)state;
	use_source_data();
	cs_scc_set_init(&s);
	assert_int_equal(cs_scc_set_load(&s, false, names, 1, uses, 1, &d), 0);
	assert_int_equal(s.sm.n_sccs, 1);
	assert_string_equal(s.sm.sccs[0].name, "anyuid");
	assert_int_equal(s.n_granted, 2);
	assert_true(granted(&s, "anyuid") && granted(&s, "custom"));
	cs_scc_set_free(&s);
}

static void openshift_loads_all_grants_restricted(void **state)
{
	const char *names[] = {"privileged"};
	struct cs_scc_set s;
	struct cs_diag d = {0};

	(void)state;
	use_source_data();
	cs_scc_set_init(&s);
	assert_int_equal(cs_scc_set_load(&s, true, names, 1, NULL, 0, &d), 0);
	assert_int_equal(s.sm.n_sccs, 12);
	/* restricted-v2 and -v3 for every authenticated user (OpenShift 4.20); privileged
	 * named: granted, not loaded twice. */
	assert_int_equal(s.n_granted, 3);
	assert_true(granted(&s, "restricted-v2") && granted(&s, "restricted-v3") &&
		    granted(&s, "privileged"));
	assert_false(granted(&s, "anyuid"));
	assert_false(granted(&s, "nested-container"));
	cs_scc_set_free(&s);
}

static void by_file(void **state)
{
	char path[] = "/tmp/capscope-scc-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	const char *names[] = {path};
	struct cs_scc_set s;
	struct cs_diag d = {0};

	(void)state;
	assert_non_null(f);
	fputs("apiVersion: security.openshift.io/v1\nkind: SecurityContextConstraints\n"
	      "metadata:\n  name: mine\nallowedCapabilities: [NET_BIND_SERVICE]\n"
	      "runAsUser:\n  type: MustRunAsNonRoot\nseLinuxContext:\n  type: MustRunAs\n",
	      f);
	fclose(f);
	cs_scc_set_init(&s);
	assert_int_equal(cs_scc_set_load(&s, false, names, 1, NULL, 0, &d), 0);
	assert_int_equal(s.sm.n_sccs, 1);
	assert_string_equal(s.sm.sccs[0].name, "mine");
	assert_true(granted(&s, "mine"));
	cs_scc_set_free(&s);
	unlink(path);
}

static void errors(void **state)
{
	char path[] = "/tmp/capscope-scc-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	const char *unknown[] = {"no-such-scc"}, *bad_name[] = {"Anyuid"}, *empty[] = {path},
		   *missing[] = {"/nonexistent/scc.yaml"};
	struct cs_scc_set s;
	struct cs_diag d = {0};

	(void)state;
	use_source_data();
	cs_scc_set_init(&s);
	assert_int_equal(cs_scc_set_load(&s, false, unknown, 1, NULL, 0, &d), -ENOENT);
	assert_string_equal(d.message,
			    "--scc no-such-scc: no such file and no built-in SCC of that name");
	/* Only lower-case names, digits and '-' are looked up as built-ins. */
	assert_int_equal(cs_scc_set_load(&s, false, bad_name, 1, NULL, 0, &d), -ENOENT);
	memset(&d, 0, sizeof(d));
	assert_true(cs_scc_set_load(&s, false, missing, 1, NULL, 0, &d) < 0);
	assert_non_null(f);
	fputs("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n", f);
	fclose(f);
	memset(&d, 0, sizeof(d));
	assert_int_equal(cs_scc_set_load(&s, false, empty, 1, NULL, 0, &d), -ENODATA);
	assert_non_null(strstr(d.message, "no SecurityContextConstraints document in it"));
	assert_int_equal(s.n_granted, 0);
	cs_scc_set_free(&s);
	unlink(path);
}

static void candidates_join_manifest(void **state)
{
	const char *names[] = {"anyuid"};
	struct cs_scc_set s;
	struct cs_k8s_manifest m;
	struct cs_scc extra[2] = {{.name = "a"}, {.name = "b"}};
	const struct cs_scc **v = NULL;
	struct cs_diag d = {0};
	size_t n = 0;

	(void)state;
	use_source_data();
	cs_scc_set_init(&s);
	cs_k8s_manifest_init(&m);
	assert_int_equal(cs_scc_set_load(&s, false, names, 1, NULL, 0, &d), 0);
	m.sccs = extra;
	m.n_sccs = 2;
	assert_int_equal(cs_scc_set_candidates(&s, &m, &v, &n, NULL), 0);
	assert_int_equal(n, 3);
	assert_string_equal(v[0]->name, "anyuid");
	assert_ptr_equal(v[1], &extra[0]);
	assert_ptr_equal(v[2], &extra[1]);
	cs_scc_set_grant_manifest(&s, &m);
	assert_true(granted(&s, "a") && granted(&s, "b"));
	free(v);
	assert_int_equal(cs_scc_set_candidates(&s, NULL, &v, &n, NULL), 0);
	assert_int_equal(n, 1);
	free(v);
	/* Sixteenth pass (part I): a name of the manifest's that another
	 * candidate has, the set's or the manifest's own, was evaluated twice. */
	struct cs_scc twice[2] = {{.name = "b", .file = "p.yaml", .pos = {3, 1}},
				  {.name = "b", .file = "p.yaml", .pos = {9, 1}}};
	struct cs_scc same[1] = {{.name = "anyuid", .file = "q.yaml", .pos = {4, 1}}};

	m.sccs = twice;
	v = NULL;
	assert_int_equal(cs_scc_set_candidates(&s, &m, &v, &n, &d), -EINVAL);
	assert_null(v);
	assert_string_equal(d.file, "p.yaml");
	assert_int_equal(d.line, 9);
	assert_non_null(strstr(d.message, "'b' is given twice"));
	assert_non_null(strstr(d.message, "also p.yaml:3"));
	m.sccs = same;
	m.n_sccs = 1;
	memset(&d, 0, sizeof(d));
	assert_int_equal(cs_scc_set_candidates(&s, &m, &v, &n, &d), -EINVAL);
	assert_string_equal(d.file, "q.yaml");
	assert_int_equal(d.line, 4);
	assert_non_null(strstr(d.message, "'anyuid' is given twice"));
	cs_scc_set_free(&s);
}

/* Sixteenth pass (part I): the sysctl patterns' index says what the
 * pattern walk it replaced said: "*", "PREFIX*", exact names. */
static void sysctl_patterns(void **state)
{
	const char *v[] = {"net.ipv4.*", "kernel.msgmax", "", "a.b*", "a.*", "zz*", "**"};
	struct cs_strlist l = {.v = v, .n = 7};
	struct cs_sysctl_pats p;
	static const struct {
		const char *name;
		bool match;
	} cases[] = {
	    {"net.ipv4.ip_forward", true},
	    {"net.ipv4.", true},
	    {"net.ipv4", false},
	    {"net.ipv6.x", false},
	    {"kernel.msgmax", true},
	    {"kernel.msgmaxx", false},
	    {"kernel.msgma", false},
	    {"", true},
	    {"a.b", true},
	    {"a.c", true},
	    {"a", false},
	    {"zz", true},
	    {"z", false},
	    {"*x", true},
	    {"x*", false},
	};

	(void)state;
	assert_int_equal(cs_sysctl_pats_build(&p, &l), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cs_sysctl_pats_match(&p, cases[i].name) != cases[i].match)
			fail_msg("%s: %d", cases[i].name, !cases[i].match);
	}
	cs_sysctl_pats_free(&p);
	v[0] = "*";
	l.n = 1;
	assert_int_equal(cs_sysctl_pats_build(&p, &l), 0);
	assert_true(cs_sysctl_pats_match(&p, "anything"));
	cs_sysctl_pats_free(&p);
	l.n = 0;
	assert_int_equal(cs_sysctl_pats_build(&p, &l), 0);
	assert_false(cs_sysctl_pats_match(&p, "kernel.msgmax"));
	cs_sysctl_pats_free(&p);
}

static void builtin_dir(void **state)
{
	char dir[4096];

	(void)state;
	use_source_data();
	assert_int_equal(cs_scc_builtin_dir(dir, sizeof(dir)), 0);
	assert_non_null(strstr(dir, "/data/scc"));
	assert_int_equal(access(dir, R_OK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(by_name_and_uses),
	    cmocka_unit_test(openshift_loads_all_grants_restricted),
	    cmocka_unit_test(by_file),
	    cmocka_unit_test(errors),
	    cmocka_unit_test(candidates_join_manifest),
	    cmocka_unit_test(sysctl_patterns),
	    cmocka_unit_test(builtin_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
