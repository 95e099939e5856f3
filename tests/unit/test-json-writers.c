/* SPDX-License-Identifier: MIT */
/*
 * The JSON writers that moved out of the CLI (file get, encode, policy,
 * trace, run --dry-run): exact output for fixed inputs, so the node agent
 * and the CLI print the same bytes.
 */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/encode.h"
#include "capscope/fcaps-json.h"
#include "capscope/launch-dry-run.h"
#include "capscope/policy-json.h"
#include "capscope/trace-json.h"

struct out {
	char *buf;
	size_t len;
	FILE *f;
	struct cs_json j;
};

static struct cs_json *open_out(struct out *o)
{
	o->buf = NULL;
	o->f = open_memstream(&o->buf, &o->len);
	assert_non_null(o->f);
	cs_json_init(&o->j, o->f, false);
	return &o->j;
}

static char *close_out(struct out *o)
{
	assert_int_equal(cs_json_finish(&o->j), 0);
	fclose(o->f);
	return o->buf;
}

#define NBS  "{\"mask\":\"0x0000000000000400\",\"names\":[\"CAP_NET_BIND_SERVICE\"]}"
#define NONE "{\"mask\":\"0x0000000000000000\",\"names\":[]}"

static void fcaps_file(void **state)
{
	struct cs_fcaps f = {
	    .version = 3, .effective = true, .permitted = CS_BIT(10), .rootid = 1000};
	struct out o;
	char *s;

	(void)state;
	cs_fcaps_file_json(open_out(&o), "/bin/x", true, &f, "cap_net_bind_service=ep");
	s = close_out(&o);
	assert_string_equal(s, "{\"path\":\"/bin/x\",\"regular\":true,\"file_caps\":{\"text\":"
			       "\"cap_net_bind_service=ep\",\"version\":3,\"rootid\":1000,"
			       "\"effective\":true,\"permitted\":" NBS ",\"inheritable\":" NONE
			       ",\"unknown_flags\":0}}\n");
	free(s);
	f.version = 2;
	cs_fcaps_file_json(open_out(&o), "/bin/x", true, &f, "t");
	s = close_out(&o);
	assert_non_null(strstr(s, "\"version\":2,\"rootid\":null,"));
	free(s);
	cs_fcaps_file_json(open_out(&o), "/dev", false, NULL, NULL);
	s = close_out(&o);
	assert_string_equal(s, "{\"path\":\"/dev\",\"regular\":false,\"file_caps\":null}\n");
	free(s);
}

static void encode(void **state)
{
	struct cs_encoded e;
	struct cs_diag d = {0};
	struct out o;
	char *s;

	(void)state;
	assert_int_equal(cs_encode_arg("NET_BIND_SERVICE", &e, &d), 0);
	assert_false(e.is_text);
	assert_int_equal(e.mask, CS_BIT(10));
	cs_encoded_json(open_out(&o), "NET_BIND_SERVICE", &e);
	s = close_out(&o);
	assert_string_equal(s, "{\"text\":\"NET_BIND_SERVICE\",\"mask\":" NBS "}\n");
	free(s);
	assert_int_equal(cs_encode_arg("cap_net_bind_service+ep", &e, &d), 0);
	assert_true(e.is_text);
	assert_int_equal(e.iep.prm, CS_BIT(10));
	cs_encoded_json(open_out(&o), "x", &e);
	s = close_out(&o);
	assert_string_equal(s, "{\"text\":\"x\",\"inheritable\":" NONE ",\"permitted\":" NBS
			       ",\"effective\":" NBS "}\n");
	free(s);
	assert_true(cs_encode_arg("no_such_cap", &e, &d) < 0);
	assert_true(cs_encode_arg("cap_bogus+p", &e, &d) < 0);
}

static void policy(void **state)
{
	struct cs_scc a = {0}, b = {0};
	struct cs_policy_scc_verdict v[2] = {
	    {.scc = &a, .points = 1, .priority = 0, .admits = false, .reason = "no"},
	    {.scc = &b, .points = 2, .priority = 5, .admits = true}};
	struct cs_policy_scc_advice adv = {.v = v, .n = 2, .chosen = 1, .admitted_with_grant = &b};
	struct cs_k8s_pod pod = {.file = "p.yaml", .kind = "Pod", .name = "web"};
	struct cs_policy_violation viol = {.rule = "add", .message = "adds NET_RAW"};
	struct cs_policy_check c = {.allowed = false, .v = &viol, .n = 1};
	struct out o;
	char *s;

	(void)state;
	a.name = "restricted-v2";
	b.name = "anyuid";
	cs_policy_scc_advice_json(open_out(&o), &pod, &adv);
	s = close_out(&o);
	assert_string_equal(
	    s, "{\"file\":\"p.yaml\",\"kind\":\"Pod\",\"name\":\"web\",\"namespace\":null,"
	       "\"chosen\":\"anyuid\",\"admitted_with_grant\":\"anyuid\",\"admits_in_user_"
	       "namespace\":null,\"no_new_privs_by_default\":[],\"sccs\":["
	       "{\"name\":\"restricted-v2\",\"points\":1,\"priority\":0,\"admits\":false,"
	       "\"reason\":\"no\"},{\"name\":\"anyuid\",\"points\":2,\"priority\":5,"
	       "\"admits\":true,\"reason\":null}]}\n");
	free(s);
	cs_policy_check_json(open_out(&o), &pod, &c);
	s = close_out(&o);
	assert_string_equal(s,
			    "{\"kind\":\"Pod\",\"name\":\"web\",\"allowed\":false,"
			    "\"violations\":[{\"rule\":\"add\",\"message\":\"adds NET_RAW\"}]}\n");
	free(s);
}

static void trace_view(void **state)
{
	struct cs_trace_report *r = calloc(1, sizeof(*r));
	char *cmd[] = {"ping", NULL};
	struct cs_trace_verify ver = {
	    .ran = true, .ok = true, .status = 0, .runner = "capscope run"};
	struct cs_trace_view v = {.scope = "command",
				  .what = "'ping'",
				  .hook = "cap_capable",
				  .cmd = cmd,
				  .ncmd = 1,
				  .status = 3,
				  .verify = &ver};
	struct out o;
	char *s;

	(void)state;
	cs_trace_report_init(r);
	cs_trace_view_json(open_out(&o), r, &v);
	s = close_out(&o);
	assert_non_null(strstr(s, "{\"scope\":\"command\",\"target\":\"'ping'\",\"hook\":"
				  "\"cap_capable\",\"command\":[\"ping\"],\"exit_status\":3,"));
	assert_non_null(strstr(s, ",\"verify\":{\"runner\":\"capscope run\",\"exit_status\":0,"
				  "\"ok\":true}}"));
	assert_null(strstr(s, "\"snippets\""));
	free(s);
	/* A re-run that was not executed: no exit status, not ok, and why. */
	ver = (struct cs_trace_verify){
	    .ran = false, .status = 127, .runner = "capscope run", .error = "cannot run ping"};
	cs_trace_view_json(open_out(&o), r, &v);
	s = close_out(&o);
	assert_non_null(strstr(s, ",\"verify\":{\"runner\":\"capscope run\",\"exit_status\":null,"
				  "\"ok\":false,\"error\":\"cannot run ping\"}}"));
	free(s);
	v.cmd = NULL;
	v.verify = NULL;
	v.profiles = 1u << CS_PROFILE_SYSTEMD;
	cs_trace_view_json(open_out(&o), r, &v);
	s = close_out(&o);
	assert_null(strstr(s, "\"command\":["));
	assert_null(strstr(s, "\"exit_status\""));
	assert_non_null(strstr(s, "\"snippets\":{\"systemd\":"));
	assert_non_null(strstr(s, "\"verify\":null}"));
	free(s);
	cs_trace_report_free(r);
	free(r);
}

static void dry_run(void **state)
{
	struct cs_launch *l = calloc(1, sizeof(*l));
	struct cs_launch_dry_run *r = calloc(1, sizeof(*r));
	struct cs_steps st;
	struct out o;
	char *s;

	(void)state;
	l->predicted.caps.present = 0x1f;
	cs_steps_init(&st);
	assert_int_equal(cs_launch_dry_run(l, "/nonexistent/capscope-test", "/bin", &st, r), 0);
	assert_false(r->res.ok);
	assert_int_equal(r->res.error, ENOENT);
	cs_launch_dry_run_json(open_out(&o), l, r, &st);
	s = close_out(&o);
	assert_non_null(strstr(s, "{\"exec\":{"));
	assert_non_null(strstr(s, "\"before_exec\":{"));
	assert_non_null(strstr(s, "\"process\":null,\"refused\":null,\"steps\":["));
	free(s);
	cs_steps_free(&st);
	cs_launch_dry_run_clear(r);
	free(r);
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fcaps_file), cmocka_unit_test(encode),  cmocka_unit_test(policy),
	    cmocka_unit_test(trace_view), cmocka_unit_test(dry_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
