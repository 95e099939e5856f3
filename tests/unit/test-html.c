/* SPDX-License-Identifier: MIT */
/* lib/html: the escaper against hostile names, and the three page writers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "capscope/escape.h"
#include "capscope/explain.h"
#include "capscope/html.h"
#include "capscope/scan.h"
#include "capscope/trace-json.h"
#include "capscope/trace.h"

static char *esc(const char *s, size_t n)
{
	static char buf[4096];

	cs_html_escape(s, n, buf, sizeof(buf));
	return buf;
}

/* The literal's bytes, embedded NULs included. */
#define E(lit) esc(lit, sizeof(lit) - 1)

static void test_escape_markup(void **state)
{
	(void)state;
	assert_string_equal(E("<script>alert(\"x\")</script>"),
			    "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
	assert_string_equal(E("a'b&c"), "a&#39;b&amp;c");
	assert_string_equal(E("\" onmouseover=\"x"), "&quot; onmouseover=&quot;x");
	assert_string_equal(E("plain-name_1.2"), "plain-name_1.2");
	assert_int_equal(cs_html_escape("<", 1, NULL, 0), 4);
}

/* Control bytes, invalid UTF-8 and bidi controls as the terminal shows them. */
static void test_escape_bytes(void **state)
{
	(void)state;
	assert_string_equal(E("a\x1b[31mb"), "a\\x1b[31mb");
	assert_string_equal(E("x\nFAKE\tROW\r"), "x\\nFAKE\\tROW\\r");
	assert_string_equal(E("nul\0byte"), "nul\\x00byte");
	assert_string_equal(E("\xff\xfe<"), "\\xff\\xfe&lt;");
	assert_string_equal(E("\xc3\xa9t\xc3\xa9"), "\xc3\xa9t\xc3\xa9"); /* été kept */
	assert_string_equal(E("\xe2\x80\xae"
			      "evil"),
			    "\\u202eevil");			   /* RLO */
	assert_string_equal(E("\xc2\x85"), "\\u0085");		   /* C1 */
	assert_string_equal(E("\xc0\xbc"), "\\xc0\\xbc");	   /* overlong '<' */
	assert_string_equal(E("\xe2\x80"), "\\xe2\\x80");	   /* truncated */
	assert_string_equal(E("\xed\xa0\x80"), "\\xed\\xa0\\x80"); /* surrogate */
	assert_string_equal(E("\x80\x80\x80\x80\x80"), "\\x80\\x80\\x80\\x80\\x80");
	assert_string_equal(E("\xf0\x9f\x98\x80\x80"), "\xf0\x9f\x98\x80\\x80"); /* emoji + stray */
	assert_string_equal(E("back\\slash"), "back\\\\slash");
	/* Nineteenth pass: fed one character at a time, a joiner beside ASCII
	 * was kept ("web" U+200D showed as web); judged in the whole string. */
	assert_string_equal(E("web\xe2\x80\x8d"), "web\\u200d");
	assert_string_equal(E("\xc3\xa9\xe2\x80\x8d<"), "\xc3\xa9\\u200d&lt;");
	assert_string_equal(E("\xc3\xa9\xe2\x80\x8d\xc3\xa9"), "\xc3\xa9\xe2\x80\x8d\xc3\xa9");
}

/* Cut on a whole escape, never inside an entity; the return is the full length. */
static void test_escape_cut(void **state)
{
	char b[8];

	(void)state;
	assert_int_equal(cs_html_escape("ab<cd", 5, b, sizeof(b)), 8);
	assert_string_equal(b, "ab&lt;c");
	assert_int_equal(cs_html_escape("a<b", 3, b, 4), 6);
	assert_string_equal(b, "a");
	char *d = cs_html_escape_dup(NULL);
	assert_string_equal(d, "");
	free(d);
	d = cs_html_escape_dup("<x>");
	assert_string_equal(d, "&lt;x&gt;");
	free(d);
}

/* The piecewise escaper equals the terminal rule on the whole string, then entities. */
static void test_escape_equals_terminal_rule(void **state)
{
	static const unsigned char alphabet[] = {'a',  '<',  '&',  '"',	 '\\', '\n', 0x1b,
						 0x7f, 0x80, 0x85, 0xbf, 0xc2, 0xc3, 0xe2,
						 0xed, 0xf0, 0xf4, 0xff, 0x9f, 0xa0};
	unsigned seed = 12345;

	(void)state;
	for (int iter = 0; iter < 3000; iter++) {
		char s[24], t[200], want[1200], got[1200];
		size_t n = (size_t)(iter % 23) + 1, o = 0;

		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			s[i] = (char)alphabet[(seed >> 16) % sizeof(alphabet)];
		}
		cs_escape_text(s, n, t, sizeof(t));
		for (const char *p = t; *p; p++) {
			const char *e = *p == '<'    ? "&lt;"
					: *p == '>'  ? "&gt;"
					: *p == '&'  ? "&amp;"
					: *p == '"'  ? "&quot;"
					: *p == '\'' ? "&#39;"
						     : NULL;

			if (e) {
				memcpy(want + o, e, strlen(e));
				o += strlen(e);
			} else {
				want[o++] = *p;
			}
		}
		want[o] = '\0';
		cs_html_escape(s, n, got, sizeof(got));
		assert_string_equal(got, want);
	}
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/* What every page must hold: the CSP, no script, nothing that loads. */
static void assert_self_contained(const char *page)
{
	assert_non_null(strstr(page, "http-equiv=\"Content-Security-Policy\" "
				     "content=\"default-src 'none';"));
	assert_null(strstr(page, "<script"));
	assert_null(strstr(page, " src="));
	assert_null(strstr(page, " href="));
	assert_null(strstr(page, "url("));
	assert_null(strstr(page, "<link"));
	assert_null(strstr(page, "<img"));
	assert_non_null(strstr(page, "</html>\n"));
}

static char tmpdir[] = "/tmp/capscope-html-XXXXXX";

static char *path_in_tmp(const char *name)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
	return p;
}

static void test_scan_page(void **state)
{
	struct cs_finding f[2] = {
	    {.path = (char *)"/usr/bin/<script>alert(1)</script>\x1b[2J",
	     .mode = S_IFREG | S_ISUID | 0755,
	     .risk = CS_RISK_HIGH,
	     .reason = (char *)"set-uid root",
	     .layer = -1},
	    {.path = (char *)"/usr/bin/ping\"onmouseover=\"x",
	     .mode = S_IFREG | 0755,
	     .has_fcaps = true,
	     .fcaps = {.version = 3, .effective = true, .permitted = CS_BIT(13), .rootid = 100000},
	     .risk = CS_RISK_MEDIUM,
	     .reason = (char *)"file capabilities",
	     .layer = -1},
	};
	struct cs_scan_target t = {.name = "tree\xff",
				   .r = {.findings = f, .nfindings = 2, .files = 7}};
	struct cs_diag d = {0};
	char *a, *b;

	(void)state;
	assert_int_equal(cs_html_scan_page(path_in_tmp("scan.html"), &t, 1, &d), 0);
	a = slurp(path_in_tmp("scan.html"));
	assert_self_contained(a);
	assert_non_null(strstr(a, "/usr/bin/&lt;script&gt;alert(1)&lt;/script&gt;\\x1b[2J"));
	assert_non_null(strstr(a, "/usr/bin/ping&quot;onmouseover=&quot;x"));
	assert_non_null(strstr(a, "tree\\xff"));
	assert_non_null(strstr(a, "data-count=\"findings\">2<"));
	assert_non_null(strstr(a, "data-count=\"setuid\">1<"));
	assert_non_null(strstr(a, "data-count=\"fcaps\">1<"));
	assert_non_null(strstr(a, "cap_net_raw=ep"));
	assert_non_null(strstr(a, "<td>100000</td>")); /* rootid */
	/* byte-identical on a re-run */
	assert_int_equal(cs_html_scan_page(path_in_tmp("scan2.html"), &t, 1, &d), 0);
	b = slurp(path_in_tmp("scan2.html"));
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void test_open_fails(void **state)
{
	struct cs_html *h = (struct cs_html *)1;
	struct cs_diag d = {0};

	(void)state;
	assert_int_equal(cs_html_open("/nonexistent-dir/x.html", "t", &h, &d), -ENOENT);
	assert_null(h);
	assert_non_null(strstr(d.message, "cannot create the HTML page"));
	assert_string_equal(d.file, "/nonexistent-dir/x.html");
}

#define HOSTILE_POD                                                                                \
	"kind: Pod\nmetadata: {name: \"p<b>x</b>\"}\nspec:\n  securityContext: {runAsUser: "       \
	"1000}\n"                                                                                  \
	"  containers:\n  - name: \"web<script>alert('x')</script>\"\n"                            \
	"    command: [/bin/nc]\n    securityContext:\n"                                           \
	"      capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}\n"

static int on_ctr(const struct cs_pod_explain_result *pod, const struct cs_pod_ctr_result *c,
		  void *data)
{
	return cs_html_pod_container(data, pod, c);
}

static char *pod_page(const char *name)
{
	struct cs_k8s_manifest m;
	struct cs_pod_explain_result *r = NULL;
	struct cs_diag d = {0};
	struct cs_html *h;
	struct cs_cri_target tg;
	struct cs_pod_explain_opts o = {
	    .runtime = CS_CRI_CRIO, .target = &tg, .on_container = on_ctr};

	cs_cri_target_default(CS_CRI_CRIO, &tg);
	cs_k8s_manifest_init(&m);
	assert_int_equal(cs_k8s_parse(&m, HOSTILE_POD, strlen(HOSTILE_POD), "t.yaml", &d), 0);
	assert_int_equal(cs_html_open(path_in_tmp(name), "explain <pod>", &h, &d), 0);
	o.data = h;
	assert_int_equal(cs_pod_explain(&m.pods[0], &o, &r, &d), 0);
	assert_int_equal(cs_html_close(h, &d), 0);
	cs_pod_explain_free(r);
	cs_k8s_manifest_free(&m);
	return slurp(path_in_tmp(name));
}

static void test_pod_page(void **state)
{
	char *a = pod_page("pod.html"), *b = pod_page("pod2.html"), *row;

	(void)state;
	assert_self_contained(a);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "<title>explain &lt;pod&gt;</title>"));
	assert_non_null(strstr(a, "p&lt;b&gt;x&lt;/b&gt;"));
	assert_non_null(strstr(a, "web&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
	/* the stages as columns */
	assert_non_null(strstr(a, ">pod request</th>"));
	assert_non_null(strstr(a, ">runtime (OCI)</th>"));
	assert_non_null(strstr(a, ">runc, before execve</th>"));
	assert_non_null(strstr(a, ">after execve</th>"));
	/* NET_BIND_SERVICE: added, kept through runc, dropped by execve, with the rule */
	row = strstr(a, "<tr data-cap=\"CAP_NET_BIND_SERVICE\" class=\"req\">");
	assert_non_null(row);
	row = strndup(row, (size_t)(strstr(row, "</tr>") - row));
	assert_non_null(strstr(row, "data-state=\"gained\""));
	assert_non_null(strstr(row, "data-state=\"kept\""));
	assert_non_null(strstr(row, "data-state=\"dropped\" title=\"execve."));
	assert_non_null(strstr(row, "data-verdict=\"nonroot-no-ambient\""));
	/* no other capability survives drop: [ALL] */
	assert_null(strstr(a, "data-cap=\"CAP_CHOWN\""));
	/* remedies with their snippets */
	assert_non_null(strstr(a, "data-remedy=\"user-namespace\""));
	assert_non_null(strstr(a, "hostUsers: false"));
	assert_non_null(strstr(a, "<pre class=\"snippet\">"));
	free(row);
	free(a);
	free(b);
}

static void add(struct cs_trace_report *r, int cap, int ret, const char *comm, int sys)
{
	struct cs_trace_rec x = {.count = 2, .tgid = 42, .cap = cap, .ret = ret, .syscall = sys};

	snprintf(x.comm, sizeof(x.comm), "%s", comm);
	assert_int_equal(cs_trace_report_add(r, &x, CS_SITE_CHECK, "do_<caller>"), 0);
}

static void test_trace_page(void **state)
{
	struct cs_trace_report r;
	char *cmd[] = {"/bin/true", "<arg>", NULL};
	struct cs_trace_view v = {.scope = "command",
				  .what = "'/bin/true'",
				  .hook = "tp_btf/cap_capable",
				  .cmd = cmd,
				  .ncmd = 2};
	struct cs_diag d = {0};
	char *a;

	(void)state;
	cs_trace_report_init(&r);
	add(&r, 7, 0, "setuid<img>", 105); /* SETUID granted */
	add(&r, 10, 0, "nc", 49);	   /* NET_BIND_SERVICE granted */
	add(&r, 1, -1, "ls\"x", 2);	   /* DAC_OVERRIDE denied only */
	/* CAP_FOWNER counted after the kernel map was full: no process. */
	assert_int_equal(
	    cs_trace_report_add_unattributed(
		&r, &(struct cs_trace_rec){.count = 5, .cap = 3, .target_ns = 0xEFFFFFFDu}),
	    0);
	assert_int_equal(cs_html_trace_page(path_in_tmp("trace.html"), &r, &v, &d), 0);
	a = slurp(path_in_tmp("trace.html"));
	assert_self_contained(a);
	assert_non_null(strstr(a, "setuid&lt;img&gt;"));
	assert_non_null(strstr(a, "ls&quot;x"));
	assert_non_null(strstr(a, "do_&lt;caller&gt;"));
	assert_non_null(strstr(a, "/bin/true &lt;arg&gt;"));
	assert_non_null(strstr(a, "data-profile=\"CAP_FOWNER,CAP_SETUID,CAP_NET_BIND_SERVICE\""));
	assert_non_null(strstr(a, "data-cap=\"CAP_DAC_OVERRIDE\" data-site=\"check\""));
	assert_non_null(strstr(a, "denied only, not added"));
	assert_non_null(strstr(a, "<th>setuid&lt;img&gt;</th>")); /* a grid column */
	/* The page says why CAP_FOWNER's row names no process (it did not). */
	assert_non_null(strstr(a, "5 checks were counted without their process"));
	cs_trace_report_free(&r);
	free(a);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), getenv("KEEP") ? "true %s" : "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape_markup),
	    cmocka_unit_test(test_escape_bytes),
	    cmocka_unit_test(test_escape_cut),
	    cmocka_unit_test(test_escape_equals_terminal_rule),
	    cmocka_unit_test(test_open_fails),
	    cmocka_unit_test(test_scan_page),
	    cmocka_unit_test(test_pod_page),
	    cmocka_unit_test(test_trace_page),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
