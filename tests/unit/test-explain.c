/* SPDX-License-Identifier: MIT */
/*
 * The explain model as library calls: verdict reasons (stable ids) for the
 * classic cases, bind:PORT checks, the remedies chosen and their order, the
 * ambient helper, and the webhook's one-line warning.
 */
#include "cmocka-wrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capscope/explain.h"
#include "capscope/runtime.h"

#define NBS 10 /* CAP_NET_BIND_SERVICE */

/* ---- cs_explain_cap on the kernel model, no manifest ---- */

struct proc {
	uid_t uid;
	cs_mask_t bnd, prm, inh, amb;
	bool nnp;
};

/* Predict p's exec of f and return the verdict for NET_BIND_SERVICE. */
static enum cs_why why_of(const struct proc *p, const struct cs_exec_file *f, bool *effective)
{
	struct cs_oci_process oci = {.uid = p->uid, .gid = p->uid, .no_new_privileges = p->nnp};
	struct cs_cred pre, post;
	struct cs_exec_result res;
	struct cs_steps st;
	struct cs_cap_verdict v = {0};
	enum cs_why why;

	oci.caps.present = (1u << CS_NSETS) - 1;
	oci.caps.set[CS_BND] = p->bnd;
	oci.caps.set[CS_PRM] = p->prm;
	oci.caps.set[CS_EFF] = p->prm;
	oci.caps.set[CS_INH] = p->inh;
	oci.caps.set[CS_AMB] = p->amb;
	cs_steps_init(&st);
	assert_int_equal(cs_oci_predict_from(&oci, NULL, f, &pre, &post, &res, &st), 0);
	assert_int_equal(cs_explain_cap(NBS, &oci.caps, &pre, &post, f, &res, &st, &v), 0);
	assert_non_null(v.text);
	assert_non_null(v.short_text);
	assert_true(strlen(v.short_text) <= 60);
	*effective = v.effective;
	why = v.why;
	cs_cap_verdict_free(&v);
	cs_steps_free(&st);
	return why;
}

static struct cs_exec_file file(mode_t mode, int fcaps_state, bool fe, cs_mask_t fp, cs_mask_t fi)
{
	struct cs_exec_file f = {.known = true, .mode = S_IFREG | mode};

	f.path = (char *)"/bin/nc";
	f.fcaps_state = fcaps_state;
	f.fcaps.version = 2;
	f.fcaps.effective = fe;
	f.fcaps.permitted = fp;
	f.fcaps.inheritable = fi;
	return f;
}

static void test_verdict_root_and_nonroot(void **state)
{
	struct cs_exec_file plain = file(0755, 0, false, 0, 0);
	struct proc root = {0, CS_BIT(NBS), CS_BIT(NBS), 0, 0, false};
	struct proc user = {1000, CS_BIT(NBS), CS_BIT(NBS), 0, 0, false};
	struct proc user_bare = {1000, CS_BIT(NBS), 0, 0, 0, false};
	struct proc no_bnd = {1000, 0, 0, 0, 0, false};
	bool e;

	(void)state;
	assert_int_equal(why_of(&root, &plain, &e), CS_WHY_EFFECTIVE_ROOT);
	assert_true(e);
	assert_int_equal(why_of(&user, &plain, &e), CS_WHY_NONROOT_NO_AMBIENT);
	assert_false(e);
	assert_int_equal(why_of(&user_bare, &plain, &e), CS_WHY_NONROOT_NOT_PERMITTED);
	assert_int_equal(why_of(&no_bnd, &plain, &e), CS_WHY_NOT_IN_BOUNDING);
	assert_false(e);
}

static void test_verdict_ambient(void **state)
{
	struct cs_exec_file plain = file(0755, 0, false, 0, 0);
	struct proc amb = {1000, CS_BIT(NBS), CS_BIT(NBS), CS_BIT(NBS), CS_BIT(NBS), false};
	struct proc amb_no_inh = {1000, CS_BIT(NBS), CS_BIT(NBS), 0, CS_BIT(NBS), false};
	struct cs_exec_file fcaps = file(0755, 1, true, CS_BIT(NBS), 0);
	bool e;

	(void)state;
	assert_int_equal(why_of(&amb, &plain, &e), CS_WHY_EFFECTIVE_AMBIENT);
	assert_true(e);
	/* runc cannot raise it (not inheritable): the kernel refuses, runc skips it. */
	assert_int_equal(why_of(&amb_no_inh, &plain, &e), CS_WHY_AMBIENT_REFUSED);
	assert_false(e);
	/* A file with capabilities clears the ambient set; +ep grants it back. */
	assert_int_equal(why_of(&amb, &fcaps, &e), CS_WHY_EFFECTIVE_FCAPS);
}

static void test_verdict_file_caps(void **state)
{
	struct cs_exec_file ep = file(0755, 1, true, CS_BIT(NBS), 0);
	struct cs_exec_file p_only = file(0755, 1, false, CS_BIT(NBS), 0);
	struct cs_exec_file ei = file(0755, 1, true, 0, CS_BIT(NBS));
	struct proc user = {1000, CS_BIT(NBS), 0, 0, 0, false};
	struct proc user_inh = {1000, CS_BIT(NBS), CS_BIT(NBS), CS_BIT(NBS), 0, false};
	struct proc user_prm = {1000, CS_BIT(NBS), CS_BIT(NBS), 0, 0, false};
	bool e;

	(void)state;
	assert_int_equal(why_of(&user, &ep, &e), CS_WHY_EFFECTIVE_FCAPS);
	assert_true(e);
	assert_int_equal(why_of(&user, &p_only, &e), CS_WHY_PERMITTED_ONLY);
	assert_false(e);
	/* +ei needs the capability in the process's inheritable set. */
	assert_int_equal(why_of(&user_inh, &ei, &e), CS_WHY_EFFECTIVE_FCAPS);
	assert_true(e);
	assert_int_equal(why_of(&user_prm, &ei, &e), CS_WHY_NONROOT_NO_AMBIENT);
	assert_false(e);
}

static void test_verdict_setuid_and_nnp(void **state)
{
	struct cs_exec_file suid = file(04755, 0, false, 0, 0);
	struct proc user = {1000, CS_BIT(NBS), 0, 0, 0, false};
	struct proc user_nnp = {1000, CS_BIT(NBS), CS_BIT(NBS), 0, 0, true};
	struct proc root_nnp = {0, CS_BIT(NBS), 0, 0, 0, true};
	struct cs_exec_file plain = file(0755, 0, false, 0, 0);
	bool e;

	(void)state;
	assert_int_equal(why_of(&user, &suid, &e), CS_WHY_EFFECTIVE_ROOT);
	assert_true(e);
	/* no_new_privs: the set-uid bit is ignored. */
	assert_false(why_of(&user_nnp, &suid, &e) == CS_WHY_EFFECTIVE_ROOT);
	assert_false(e);
	/* root with no_new_privs keeps only what was permitted before execve */
	assert_int_equal(why_of(&root_nnp, &plain, &e), CS_WHY_NO_NEW_PRIVS);
	assert_false(e);
}

static void test_why_ids(void **state)
{
	(void)state;
	assert_string_equal(cs_why_id(CS_WHY_NONROOT_NO_AMBIENT), "nonroot-no-ambient");
	assert_string_equal(cs_why_id(CS_WHY_EFFECTIVE_ROOT), "effective-root");
	assert_string_equal(cs_why_id(CS_WHY_SCC_DROPPED), "scc-dropped");
	assert_string_equal(cs_why_id((enum cs_why)999), "unknown");
}

/* ---- cs_pod_explain on manifests ---- */

static struct cs_k8s_manifest m;

static struct cs_pod_explain_result *explain(const char *yaml, enum cs_cri_runtime rt,
					     const int *ports, size_t n_ports)
{
	struct cs_pod_explain_opts o = {.runtime = rt, .ports = ports, .n_ports = n_ports};
	struct cs_pod_explain_result *r = NULL;
	struct cs_diag d = {0};

	cs_k8s_manifest_free(&m);
	cs_k8s_manifest_init(&m);
	assert_int_equal(cs_k8s_parse(&m, yaml, strlen(yaml), "t.yaml", &d), 0);
	assert_true(m.n_pods >= 1);
	assert_int_equal(cs_pod_explain(&m.pods[0], &o, &r, &d), 0);
	assert_non_null(r);
	return r;
}

#define POD(sc, extra)                                                                             \
	"kind: Pod\nmetadata: {name: p}\nspec:\n" extra "  containers:\n  - name: web\n"           \
	"    command: [/bin/nc]\n    securityContext: " sc "\n"

static const struct cs_cap_verdict *verdict(const struct cs_pod_explain_result *r, size_t i)
{
	assert_true(r->n_containers > 0);
	assert_true(r->containers[0].n_verdicts > i);
	return &r->containers[0].verdicts[i];
}

static void test_pod_verdicts(void **state)
{
	struct cs_pod_explain_result *r;

	(void)state;
	r = explain(POD("{runAsUser: 1000, capabilities: {add: [NET_BIND_SERVICE]}}", ""),
		    CS_CRI_CRIO, NULL, 0);
	assert_int_equal(verdict(r, 0)->why, CS_WHY_NONROOT_NO_AMBIENT);
	assert_string_equal(verdict(r, 0)->short_text, "non-root uid 1000, no ambient set");
	assert_true(r->containers[0].missing & CS_BIT(NBS));
	assert_false(r->all_ok);
	cs_pod_explain_free(r);

	/* containerd passes unknown names on (CRI-O would refuse to create the container) */
	r = explain(POD("{capabilities: {add: [NET_BIND_SERVICE, NOT_A_CAP, ALL]}}", ""),
		    CS_CRI_CONTAINERD, NULL, 0);
	assert_int_equal(verdict(r, 0)->why, CS_WHY_EFFECTIVE_ROOT);
	assert_true(verdict(r, 0)->effective);
	assert_int_equal(verdict(r, 1)->why, CS_WHY_NOT_A_CAPABILITY);
	assert_int_equal(verdict(r, 2)->why, CS_WHY_ALL);
	cs_pod_explain_free(r);

	/* A drop of the same capability wins over the add (bounding set). */
	r = explain(POD("{capabilities: {add: [NET_RAW], drop: [NET_RAW]}}", ""), CS_CRI_CRIO, NULL,
		    0);
	assert_int_equal(verdict(r, 0)->why, CS_WHY_RUNTIME_DROPPED);
	cs_pod_explain_free(r);

	/* The API server rejects allowPrivilegeEscalation: false with CAP_SYS_ADMIN. */
	r = explain(
	    POD("{allowPrivilegeEscalation: false, capabilities: {add: [CAP_SYS_ADMIN]}}", ""),
	    CS_CRI_CRIO, NULL, 0);
	assert_false(r->containers[0].admitted);
	assert_int_equal(verdict(r, 0)->why, CS_WHY_NOT_ADMITTED);
	assert_string_equal(r->containers[0].exec_error, "Forbidden");
	cs_pod_explain_free(r);

	/* The kubelet refuses runAsNonRoot for a root image user. */
	r = explain(POD("{runAsNonRoot: true, capabilities: {add: [CHOWN]}}", ""), CS_CRI_CRIO,
		    NULL, 0);
	assert_false(r->containers[0].oci_ok);
	assert_int_equal(verdict(r, 0)->why, CS_WHY_NOT_CREATED);
	assert_string_equal(r->containers[0].exec_error, "CreateContainerConfigError");
	cs_pod_explain_free(r);
}

static const struct cs_check_result *check(const struct cs_pod_explain_result *r, size_t i)
{
	assert_true(r->containers[0].n_checks > i);
	return &r->containers[0].checks[i];
}

static void test_bind_checks(void **state)
{
	static const int ports[] = {443, 8080};
	struct cs_pod_explain_result *r;

	(void)state;
	r = explain(POD("{runAsUser: 1000, capabilities: {add: [NET_BIND_SERVICE]}}", ""),
		    CS_CRI_CRIO, ports, 2);
	assert_string_equal(check(r, 0)->check, "bind:443");
	assert_false(check(r, 0)->ok);
	assert_non_null(strstr(check(r, 0)->why, "is not effective"));
	assert_true(check(r, 1)->ok);
	cs_pod_explain_free(r);

	/* Docker sets ip_unprivileged_port_start=0 in the container's netns. */
	r = explain(POD("{runAsUser: 1000}", ""), CS_CRI_DOCKER, ports, 1);
	assert_true(check(r, 0)->ok);
	assert_non_null(strstr(check(r, 0)->why, "Docker"));
	cs_pod_explain_free(r);

	/* The pod's own sysctl. */
	r = explain(POD("{runAsUser: 1000}",
			"  securityContext:\n    sysctls: [{name: "
			"net.ipv4.ip_unprivileged_port_start, value: \"400\"}]\n"),
		    CS_CRI_CRIO, ports, 1);
	assert_true(check(r, 0)->ok);
	cs_pod_explain_free(r);

	/* Root gets it effective. */
	r = explain(POD("{runAsUser: 0}", ""), CS_CRI_CRIO, ports, 1);
	assert_true(check(r, 0)->ok);
	assert_true(r->all_ok);
	assert_int_equal(r->containers[0].n_remedies, 0);
	cs_pod_explain_free(r);
}

static void test_helper(void **state)
{
	static const int ports[] = {443};
	static const char y[] =
	    "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: web\n"
	    "    command: [/usr/bin/set_ambient, /usr/bin/nc, -l, '443']\n"
	    "    securityContext: {runAsUser: 1000, capabilities: {add: [NET_BIND_SERVICE]}}\n";
	struct cs_pod_explain_result *r = explain(y, CS_CRI_CRIO, ports, 1);
	const struct cs_helper_result *h = r->containers[0].helper;

	(void)state;
	/* Without file capabilities on set_ambient (nothing known about it), non-root has
	 * nothing permitted after execve: its capset fails, it never execs nc. */
	assert_non_null(h);
	assert_false(h->ok);
	assert_string_equal(h->error, "EPERM");
	assert_non_null(cs_steps_find(&r->containers[0].steps, "helper.failed"));
	assert_false(check(r, 0)->ok);
	cs_pod_explain_free(r);
	/* As root, the helper raises the ambient set and nc keeps it. */
	r = explain(
	    "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: web\n"
	    "    command: [capscope, run, --ambient, net_bind_service, --, nc]\n"
	    "    securityContext: {runAsUser: 0, capabilities: {add: [NET_BIND_SERVICE]}}\n",
	    CS_CRI_CRIO, ports, 1);
	h = r->containers[0].helper;
	assert_non_null(h);
	assert_true(h->ok);
	assert_true(h->post.caps.set[CS_AMB] & CS_BIT(NBS));
	assert_string_equal(h->path, "nc");
	assert_true(check(r, 0)->ok);
	assert_non_null(strstr(check(r, 0)->why, "of the process the helper execs"));
	cs_pod_explain_free(r);
}

static void remedy_ids(const struct cs_pod_ctr_result *c, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < c->n_remedies; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? " " : "",
			 c->remedies[i].id);
}

static void test_remedies(void **state)
{
	static const int ports[] = {443, 80};
	struct cs_pod_explain_result *r;
	const struct cs_pod_ctr_result *c;
	char ids[512];

	(void)state;
	r = explain(POD("{runAsUser: 1000, capabilities: {add: [NET_BIND_SERVICE]}}", ""),
		    CS_CRI_CRIO, ports, 2);
	c = &r->containers[0];
	remedy_ids(c, ids, sizeof(ids));
	/* NET_BIND_SERVICE is one of CRI-O's defaults already: no node-wide row. */
	assert_string_equal(ids, "sysctl user-namespace ambient-helper file-caps "
				 "root-dropped-caps setuid");
	assert_string_equal(c->remedies[0].risk, "low");
	assert_string_equal(c->remedies[5].risk, "high");
	/* the lowest failed port goes into the sysctl */
	assert_non_null(strstr(c->remedies[0].snippet, "value: \"80\""));
	assert_null(c->remedies[3].blocked_by);
	cs_pod_explain_free(r);

	/* NET_RAW is not a CRI-O default: the row lists the defaults once and adds it. */
	r = explain(POD("{runAsUser: 1000, capabilities: {add: [NET_RAW, NET_BIND_SERVICE]}}", ""),
		    CS_CRI_CRIO, NULL, 0);
	c = &r->containers[0];
	remedy_ids(c, ids, sizeof(ids));
	assert_non_null(strstr(ids, "crio-default-capabilities"));
	for (size_t i = 0; i < c->n_remedies; i++) {
		const char *sn = c->remedies[i].snippet, *first;

		if (strcmp(c->remedies[i].id, "crio-default-capabilities"))
			continue;
		assert_non_null(strstr(sn, "\"KILL\", \"NET_RAW\""));
		first = strstr(sn, "\"NET_BIND_SERVICE\"");
		assert_non_null(first);
		assert_null(strstr(first + 1, "\"NET_BIND_SERVICE\""));
	}
	cs_pod_explain_free(r);

	/* No failed port: no sysctl; containerd: no CRI-O row. no_new_privs blocks
	 * set-uid, not file caps for a bit already permitted before execve
	 * (the add is: pP' &= pP keeps it). */
	r = explain(POD("{runAsUser: 1000, allowPrivilegeEscalation: false, "
			"capabilities: {add: [NET_BIND_SERVICE]}}",
			"  hostNetwork: true\n"),
		    CS_CRI_CONTAINERD, NULL, 0);
	c = &r->containers[0];
	remedy_ids(c, ids, sizeof(ids));
	assert_string_equal(ids,
			    "user-namespace ambient-helper file-caps root-dropped-caps setuid");
	assert_null(c->remedies[2].blocked_by);
	assert_non_null(strstr(c->remedies[4].blocked_by, "no_new_privs"));
	assert_null(c->remedies[3].blocked_by);
	cs_pod_explain_free(r);
}

static void test_streaming(void **state);

/* ---- the webhook's warning line ---- */

static void test_warning_line(void **state)
{
	struct cs_cap_verdict v = {.name = (char *)"NET_BIND_SERVICE",
				   .cap = NBS,
				   .effective = false,
				   .short_text = (char *)"non-root uid 1000, no ambient set"};
	char buf[CS_EXPLAIN_WARNING_MAX + 1], name[400];
	size_t n;

	(void)state;
	n = cs_explain_warning("web", &v, buf, sizeof(buf));
	assert_string_equal(buf, "container web: NET_BIND_SERVICE will not be effective "
				 "(non-root uid 1000, no ambient set)");
	assert_int_equal(n, strlen(buf));
	/* A long hostile name: cut, escaped, the capability and reason kept. */
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	memcpy(name + 5, "\033[2J\nContainer forged", 21);
	n = cs_explain_warning(name, &v, buf, sizeof(buf));
	assert_true(n <= CS_EXPLAIN_WARNING_MAX);
	assert_int_equal(n, strlen(buf));
	assert_null(strchr(buf, '\033'));
	assert_null(strchr(buf, '\n'));
	assert_non_null(strstr(buf, "NET_BIND_SERVICE will not be effective (non-root uid 1000"));
	assert_non_null(strstr(buf, "..."));
	assert_int_equal(strncmp(buf, "container aaaaa\\x1b[2J\\n", 24), 0);
	/* Twentieth pass: the cut put "..." over the name's last three bytes,
	 * so at one alignment in two an "é" lost its second byte (the line
	 * was not UTF-8) and in three of four an escape lost its end
	 * ("\x0..."). Every alignment: whole characters and escapes, then "...". */
	for (size_t k = 0; k < 4; k++) {
		for (int kind = 0; kind < 2; kind++) {
			const char *unit = kind ? "\xc3\xa9" : "\x01",
				   *shown = kind ? "\xc3\xa9" : "\\x01";
			size_t at = 0, ul = strlen(shown);
			const char *p;

			memset(name, 'a', k);
			name[k] = '\0';
			for (int i = 0; i < 80; i++)
				strcat(name, unit);
			cs_explain_warning(name, &v, buf, sizeof(buf));
			p = buf + strlen("container ") + k;
			while (strncmp(p + at, shown, ul) == 0)
				at += ul;
			if (strncmp(p + at, "...: NET_BIND_SERVICE", 21) != 0)
				fail_msg("k %zu, %s: a piece cut before \"...\": %s", k,
					 kind ? "é" : "\\x01", buf);
		}
	}
	/* A small buffer is never overrun. */
	n = cs_explain_warning("web", &v, buf, 10);
	assert_int_equal(strlen(buf), 9);
	/* Effective, an unknown name. */
	v.effective = true;
	v.cap = -1;
	v.name = (char *)"FOO";
	v.short_text = (char *)"x";
	cs_explain_warning("w", &v, buf, sizeof(buf));
	assert_string_equal(buf, "container w: FOO will be effective (x)");
	/* Seventeenth pass: a name that is not plain is a quoted word, so it
	 * cannot read as the warning's own words. */
	v.name = (char *)"X will be effective (y)";
	cs_explain_warning("w", &v, buf, sizeof(buf));
	assert_string_equal(buf, "container w: \"X will be effective (y)\" will be effective (x)");
	/* Twelfth pass: an unknown name past the room for it was cut at 39
	 * bytes without a word, so it read as another, shorter name. */
	v.name = (char *)"NET_ADMIN_AND_A_NAME_FAR_TOO_LONG_TO_SHOW_WHOLE";
	cs_explain_warning("w", &v, buf, sizeof(buf));
	assert_string_equal(
	    buf, "container w: NET_ADMIN_AND_A_NAME_FAR_TOO_LONG_TO... will be effective (x)");
}

struct seen {
	size_t n;
	bool all_web;
};

static int on_container(const struct cs_pod_explain_result *pod, const struct cs_pod_ctr_result *c,
			void *data)
{
	struct seen *s = data;

	assert_int_equal(pod->n_containers, 0);
	assert_int_equal(c->index, s->n);
	s->n++;
	return 0;
}

static void test_streaming(void **state)
{
	static const char y[] = "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
				"  - {name: a}\n  - {name: b}\n  - {name: c}\n";
	struct seen s = {0};
	struct cs_pod_explain_opts o = {
	    .runtime = CS_CRI_CRIO, .on_container = on_container, .data = &s};
	struct cs_pod_explain_result *r = NULL;
	struct cs_diag d = {0};

	(void)state;
	cs_k8s_manifest_free(&m);
	cs_k8s_manifest_init(&m);
	assert_int_equal(cs_k8s_parse(&m, y, strlen(y), "t.yaml", &d), 0);
	assert_int_equal(cs_pod_explain(&m.pods[0], &o, &r, &d), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(r->n_containers, 0);
	cs_pod_explain_free(r);
}

/* The library's JSON is what the CLI prints: one object per container, in order. */
static void test_json(void **state)
{
	static const int ports[] = {443};
	struct cs_pod_explain_result *r =
	    explain(POD("{runAsUser: 1000, capabilities: {add: [NET_BIND_SERVICE]}}", ""),
		    CS_CRI_CRIO, ports, 1);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct cs_json j;

	(void)state;
	assert_non_null(f);
	cs_json_init(&j, f, false);
	cs_pod_explain_json(&j, r);
	assert_int_equal(cs_json_finish(&j), 0);
	fclose(f);
	assert_int_equal(
	    strncmp(buf, "{\"containers\":[{\"name\":\"web\",\"kind\":\"container\",\"pod\":\"p\",",
		    53),
	    0);
	assert_non_null(strstr(buf, "\"checks\":[{\"check\":\"bind:443\",\"ok\":false,"));
	assert_non_null(strstr(buf, "\"capability\":\"NET_BIND_SERVICE\",\"effective\":false,"));
	/* the pod's steps come first, then the container's */
	assert_true(strstr(buf, "\"rule\":\"psa.level\"") <
		    strstr(buf, "\"rule\":\"pod.requested\""));
	assert_non_null(strstr(buf, "\"remedies\":[{\"rank\":1,\"id\":\"sysctl\""));
	free(buf);
	cs_pod_explain_free(r);
}

static int teardown(void **state)
{
	(void)state;
	cs_k8s_manifest_free(&m);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_verdict_root_and_nonroot),
	    cmocka_unit_test(test_verdict_ambient),
	    cmocka_unit_test(test_verdict_file_caps),
	    cmocka_unit_test(test_verdict_setuid_and_nnp),
	    cmocka_unit_test(test_why_ids),
	    cmocka_unit_test(test_pod_verdicts),
	    cmocka_unit_test(test_bind_checks),
	    cmocka_unit_test(test_helper),
	    cmocka_unit_test(test_remedies),
	    cmocka_unit_test(test_streaming),
	    cmocka_unit_test(test_warning_line),
	    cmocka_unit_test(test_json),
	};

	cs_k8s_manifest_init(&m);
	return cmocka_run_group_tests(tests, NULL, teardown);
}
