/* SPDX-License-Identifier: MIT */
/*
 * What capscope serve speaks (capscope/serve.h) and how it reads a node
 * (capscope/node.h): AdmissionReview in and out, Prometheus escaping, the
 * runtimes' pod annotations, the prediction/proc comparison.
 */
#include "cmocka-wrap.h"
#include "fixtures.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capscope/explain.h"
#include "capscope/k8s.h"
#include "capscope/node.h"
#include "capscope/serve.h"
#include "../../lib/node/node-internal.h"

static char *label(const char *s)
{
	char *r = cs_prom_escape_label(s);

	assert_non_null(r);
	return r;
}

#define LABEL_EQ(in, want)                                                                         \
	do {                                                                                       \
		char *got_ = label(in);                                                            \
		assert_string_equal(got_, want);                                                   \
		free(got_);                                                                        \
	} while (0)

static void prom_label_escaping(void **state)
{
	(void)state;
	LABEL_EQ("web-0", "web-0");
	LABEL_EQ("a\"b", "a\\\"b");
	LABEL_EQ("caf\xc3\xa9", "caf\xc3\xa9"); /* valid UTF-8 as is */
	/* Twentieth pass: the value's text is the terminal's (escape.h), so
	 * no two values share a label text: a backslash doubled before the
	 * format doubles it again, a byte that is not UTF-8 as "\xNN" (it
	 * was U+FFFD, as U+FFFD itself is), a line feed and a tab as text. */
	LABEL_EQ("a\\b", "a\\\\\\\\b");
	LABEL_EQ("line\nfeed", "line\\\\nfeed");
	LABEL_EQ("tab\tx", "tab\\\\tx");
	LABEL_EQ("bad\xff\xc3", "bad\\\\xff\\\\xc3");
	LABEL_EQ("\xed\xa0\x80", "\\\\xed\\\\xa0\\\\x80"); /* a surrogate */
	LABEL_EQ("\xef\xbf\xbd", "\xef\xbf\xbd");	   /* U+FFFD itself */
	LABEL_EQ("web\\u200d", "web\\\\\\\\u200d");	   /* six characters */
	LABEL_EQ("a\"\\\"", "a\\\"\\\\\\\\\\\"");
	/* Nineteenth pass: what the escaping rule hides is not raw in a value
	 * a page or a terminal shows: controls, bidi, a joiner beside ASCII. */
	LABEL_EQ("web\xe2\x80\x8d", "web\\\\u200d");
	LABEL_EQ("\x1b[31mx\r", "\\\\x1b[31mx\\\\r");
	LABEL_EQ("\xe2\x80\xae"
		 "evil",
		 "\\\\u202eevil");
	LABEL_EQ("\xc3\xa9\xe2\x80\x8d\xc3\xa9", "\xc3\xa9\xe2\x80\x8d\xc3\xa9");
}

/*
 * Twentieth pass: two values never share a label text. Before, the value
 * "\u200d" (six characters) and "web" U+200D's escape were one series
 * text, a byte that is not UTF-8 and U+FFFD itself too.
 */
static void prom_label_injective(void **state)
{
	static const char *const v[] = {
	    "web\xe2\x80\x8d", "web\\u200d", "web\\\\u200d", "\x1b", "\\x1b", "\r", "\\r", "\n",
	    "\\n", "\t", "\\t", "\xff", "\\xff", "\xef\xbf\xbd", "\\", "\\\\", "\"", "\\\"",
	    "\xe2\x80\xae", "\\u202e", "\xf3\xa0\x80\x81", "\\U000e0001", "", "x",
	    /* the id label's 12 bytes of ids "aaaaaaaaaaa" "é" and "aaaaaaaaaaa" U+0100 */
	    "aaaaaaaaaaa\xc3", "aaaaaaaaaaa\xc4"};
	size_t n = sizeof(v) / sizeof(*v);
	char *e[sizeof(v) / sizeof(*v)];

	(void)state;
	for (size_t i = 0; i < n; i++)
		assert_non_null(e[i] = cs_prom_escape_label(v[i]));
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(e[i], e[j]) == 0)
				fail_msg("values %zu and %zu share the label text %s", i, j, e[i]);
	for (size_t i = 0; i < n; i++)
		free(e[i]);
}

static void prom_sample_lines(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct cs_prom p;
	const char *l[] = {"pod", "a\"b", "set", "effective", NULL};
	const char *more[] = {"capability", "CAP_CHOWN", NULL};
	char *prefix = cs_prom_labels((const char *[]){"namespace", "ns", NULL});

	(void)state;
	assert_non_null(f);
	assert_non_null(prefix);
	cs_prom_init(&p, f);
	cs_prom_family(&p, "capscope_x", "gauge", "help with \\ and\nnewline");
	cs_prom_sample(&p, "capscope_x", l, 1);
	cs_prom_sample(&p, "capscope_y", NULL, 0.25);
	cs_prom_sample_pre(&p, "capscope_z", prefix, more, 3);
	assert_int_equal(cs_prom_finish(&p), 0);
	fclose(f);
	assert_string_equal(buf, "# HELP capscope_x help with \\\\ and\\nnewline\n"
				 "# TYPE capscope_x gauge\n"
				 "capscope_x{pod=\"a\\\"b\",set=\"effective\"} 1\n"
				 "capscope_y 0.25\n"
				 "capscope_z{namespace=\"ns\",capability=\"CAP_CHOWN\"} 3\n");
	free(buf);
	free(prefix);
}

static const char review[] =
    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
    "\"uid\":\"u-1\",\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"},"
    "\"resource\":{\"resource\":\"deployments\"},\"operation\":\"CREATE\",\"namespace\":\"ns\","
    "\"name\":\"shop\",\"dryRun\":true,\"object\":{\"kind\":\"Deployment\",\"spec\":{}}}}";

static void admission_read(void **state)
{
	struct cs_admission_request r;
	struct cs_diag d = {0};

	(void)state;
	assert_int_equal(cs_admission_parse(review, strlen(review), &r, &d), 0);
	assert_string_equal(r.api_version, "admission.k8s.io/v1");
	assert_string_equal(r.uid, "u-1");
	assert_string_equal(r.kind, "Deployment");
	assert_string_equal(r.resource, "deployments");
	assert_string_equal(r.operation, "CREATE");
	assert_string_equal(r.namespace, "ns");
	assert_string_equal(r.name, "shop");
	assert_null(r.sub_resource);
	assert_true(r.dry_run);
	/* Tenth pass: the object's own bytes (libfyaml's emission leaked). */
	assert_string_equal(r.object, "{\"kind\":\"Deployment\",\"spec\":{}}");
	cs_admission_request_free(&r);
	/* Found through its keys only: an "object" key elsewhere, an escaped
	 * "request" key, white space, a nested object holding "}" in a string. */
	{
		static const char other[] =
		    "{\"object\": [1], \"apiVersion\":\"admission.k8s.io/v1\",\"kind\":"
		    "\"AdmissionReview\",\"\\u0072equest\":{\"x\":{\"object\":{}},\"uid\":\"u\","
		    "\"object\" :\n  { \"a\" : [ {\"}\" : \"{\"} ] }\n}}";

		assert_int_equal(cs_admission_parse(other, strlen(other), &r, &d), 0);
		assert_string_equal(r.object, "{ \"a\" : [ {\"}\" : \"{\"} ] }");
		assert_int_equal(r.object_len, strlen(r.object));
		cs_admission_request_free(&r);
	}
}

static void admission_errors(void **state)
{
	struct cs_admission_request r;
	struct cs_diag d = {0};
	static const char no_uid[] =
	    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{}}";
	static const char bad_dry[] =
	    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":"
	    "\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"dryRun\":1}}";
	static const char str_dry[] =
	    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":"
	    "\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"dryRun\":\"yes\"}}";
	static const char *const not_str[] = {
	    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
	    "\"request\":{\"uid\":5}}",
	    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
	    "\"request\":{\"uid\":\"u\",\"operation\":true}}",
	    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
	    "\"request\":{\"uid\":\"u\",\"kind\":{\"kind\":1e2}}}",
	    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":false}",
	};

	(void)state;
	assert_int_equal(cs_admission_parse("{", 1, &r, &d), -EINVAL);
	assert_null(r.uid);
	cs_admission_request_free(&r);
	assert_int_equal(cs_admission_parse("{\"kind\":\"Pod\"}", 14, &r, &d), -EINVAL);
	assert_string_equal(d.field, "kind");
	cs_admission_request_free(&r);
	assert_int_equal(cs_admission_parse(no_uid, strlen(no_uid), &r, &d), -EINVAL);
	assert_string_equal(d.field, "request.uid");
	cs_admission_request_free(&r);
	/* the uid is kept when a later field is wrong, so the request can be answered */
	assert_int_equal(cs_admission_parse(bad_dry, strlen(bad_dry), &r, &d), -EINVAL);
	assert_string_equal(d.field, "request.dryRun");
	assert_string_equal(r.uid, "u");
	cs_admission_request_free(&r);
	/* a string at its opening quote, where an editor shows it (it was one
	 * column right, past the quote: twenty-eighth pass, part A) */
	assert_int_equal(cs_admission_parse(str_dry, strlen(str_dry), &r, &d), -EINVAL);
	assert_string_equal(d.field, "request.dryRun");
	assert_int_equal(d.line, 1);
	assert_int_equal(d.column, (unsigned)(strstr(str_dry, "\"yes\"") - str_dry) + 1);
	cs_admission_request_free(&r);
	assert_int_equal(cs_admission_parse("{\"a\":\"\xff\"}", 8, &r, &d), -EINVAL);
	assert_string_equal(d.message, "not UTF-8 text (byte 0xff)");
	cs_admission_request_free(&r);
	/* Ninth pass: a number or a boolean was read as a string's text. */
	for (size_t i = 0; i < sizeof(not_str) / sizeof(not_str[0]); i++) {
		assert_int_equal(cs_admission_parse(not_str[i], strlen(not_str[i]), &r, &d),
				 -EINVAL);
		assert_string_equal(d.message, "is not a string");
		cs_admission_request_free(&r);
	}
	/* Eighth pass: libfyaml skipped a byte order mark; Go's JSON refuses it. */
	assert_int_equal(cs_admission_parse("\xef\xbb\xbf{}", 5, &r, &d), -EINVAL);
	assert_int_equal(d.line, 1);
	assert_int_equal(d.column, 1);
	assert_string_equal(d.message, "JSON: a byte order mark (U+FEFF) before the value");
	cs_admission_request_free(&r);
	/* Tenth pass: duplicates are found by a hash (libfyaml's check was
	 * quadratic): still refused, at the later key's text, at any depth,
	 * escapes compared decoded ("\u006b1" is "k1"); "k40" is not one. */
	for (int last = 1; last <= 40; last += 39) {
		char doc[2048];
		int n = snprintf(
		    doc, sizeof(doc),
		    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":"
		    "\"AdmissionReview\",\n\"request\":{\"uid\":\"u\",\"object\":{\"a\":[{");

		for (int i = 0; i < 40; i++)
			n += snprintf(doc + n, sizeof(doc) - (size_t)n, "\"k%d\":%d,", i, i);
		n += snprintf(doc + n, sizeof(doc) - (size_t)n, "\n \"\\u006b%d\":0}]}}}", last);
		assert_int_equal(cs_admission_parse(doc, (size_t)n, &r, &d),
				 last == 1 ? -EINVAL : 0);
		if (last == 1) {
			assert_string_equal(d.message, "JSON: duplicate key 'k1'");
			assert_int_equal(d.line, 3);
			assert_int_equal(d.column, 2); /* its opening quote */
		}
		cs_admission_request_free(&r);
	}
}

static void admission_answer(void **state)
{
	struct cs_admission_request r = {.api_version = "admission.k8s.io/v1", .uid = "u-1"};
	const char *w[] = {"container web: \"x\""};
	struct cs_admission_response resp = {
	    .allowed = false, .warnings = w, .n_warnings = 1, .code = 403, .message = "no"};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_int_equal(cs_admission_write(f, &r, &resp), 0);
	fclose(f);
	assert_string_equal(buf,
			    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
			    "\"response\":{\"uid\":\"u-1\",\"allowed\":false,"
			    "\"warnings\":[\"container web: \\\"x\\\"\"],"
			    "\"status\":{\"code\":403,\"message\":\"no\"}}}\n");
	free(buf);
}

/*
 * A container past the model's 256 groups (here 300 supplementalGroups) is
 * said not to be modelled, and the answer is 1 (as an object not read), not
 * the -E2BIG that became a 500 for the whole review; the other container's
 * verdicts still come (eleventh pass, part D).
 */
static void warnings_not_modelled(void **state)
{
	char yaml[4096], *p = yaml;
	struct cs_k8s_manifest m;
	struct cs_pod_explain_opts o = {.runtime = CS_CRI_CONTAINERD};
	struct cs_diag d = {0};
	char **lines = NULL;
	size_t n = 0;

	(void)state;
	p += sprintf(p, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
			"  securityContext:\n    supplementalGroups: [1");
	for (int i = 2; i <= 300; i++)
		p += sprintf(p, ",%d", i);
	sprintf(p, "]\n  containers:\n  - name: a\n    image: x\n"
		   "    securityContext: {capabilities: {add: [NET_ADMIN]}}\n");
	cs_k8s_manifest_init(&m);
	assert_int_equal(cs_k8s_parse(&m, yaml, strlen(yaml), "p.yaml", &d), 0);
	assert_int_equal(cs_pod_warnings(&m.pods[0], &o, &lines, &n), 1);
	assert_int_equal(n, 1);
	assert_string_equal(lines[0],
			    "container a: not modelled: supplementalGroups: "
			    "more than 256 supplementary groups: the model holds at most 256");
	free(lines[0]);
	free(lines);
	cs_k8s_manifest_free(&m);
}

/*
 * A pod past the model's fixed lists (129 names in capabilities.add; no
 * runtime refuses it): answered, with one warning saying why. Session 11:
 * cs_pod_warnings passed cs_pod_explain's E2BIG up, the answer failed as
 * out of memory, and the webhook closed the connection without a word.
 */
static void review_past_model(void **state)
{
	struct cs_pod_explain_opts m = {0};
	struct cs_review_opts o = {.model = &m};
	struct cs_review rv;
	char doc[4096];
	int n = snprintf(doc, sizeof(doc),
			 "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
			 "\"request\":{\"uid\":\"u\",\"kind\":{\"kind\":\"Pod\"},"
			 "\"operation\":\"CREATE\",\"object\":{\"apiVersion\":\"v1\",\"kind\":"
			 "\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{"
			 "\"name\":\"c\",\"image\":\"i\",\"securityContext\":{"
			 "\"capabilities\":{\"add\":[\"NET_ADMIN\"");

	(void)state;
	for (int i = 0; i < 128; i++)
		n += snprintf(doc + n, sizeof(doc) - (size_t)n, ",\"NET_ADMIN\"");
	n += snprintf(doc + n, sizeof(doc) - (size_t)n, "]}}}]}}}}");
	assert_true(n < (int)sizeof(doc));
	assert_int_equal(cs_admission_review(doc, (size_t)n, &o, &rv), 0);
	assert_int_equal(rv.http_status, 200);
	assert_int_equal(rv.outcome, CS_REVIEW_UNREADABLE);
	/* Since part D, the container alone is "not modelled", with the reason. */
	assert_non_null(strstr(rv.body, "\"allowed\":true,\"warnings\":[\"container c: not "
					"modelled: capabilities.add: 129 names"));
	cs_review_free(&rv);
}

/*
 * More warnings than the answer holds: the last line it shows says how many
 * more there are. Twelfth pass: 40 containers adding NET_ADMIN as uid 1000
 * gave 32 lines and not a word of the other 8, so a user who fixed what
 * kubectl showed met the rest at the next apply (and enforce's denial
 * listed the same 32 as if they were all).
 */
static void review_more_warnings(void **state)
{
	struct cs_pod_explain_opts m = {0};
	struct cs_review_opts o = {.model = &m};
	struct cs_review rv;
	char doc[8192];
	int n = snprintf(doc, sizeof(doc),
			 "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
			 "\"request\":{\"uid\":\"u\",\"kind\":{\"kind\":\"Pod\"},"
			 "\"operation\":\"CREATE\",\"object\":{\"apiVersion\":\"v1\",\"kind\":"
			 "\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"securityContext\":{"
			 "\"runAsUser\":1000},\"containers\":[");

	(void)state;
	for (int i = 0; i < 40; i++)
		n += snprintf(doc + n, sizeof(doc) - (size_t)n,
			      "%s{\"name\":\"c%d\",\"image\":\"i\",\"securityContext\":{"
			      "\"capabilities\":{\"add\":[\"NET_ADMIN\"]}}}",
			      i ? "," : "", i);
	n += snprintf(doc + n, sizeof(doc) - (size_t)n, "]}}}}");
	assert_true(n < (int)sizeof(doc));
	for (int enforce = 0; enforce < 2; enforce++) {
		o.enforce = enforce;
		assert_int_equal(cs_admission_review(doc, (size_t)n, &o, &rv), 0);
		assert_int_equal(rv.n_warnings, 40);
		/* 31 of the 40, then the line that counts the other 9 */
		assert_non_null(
		    strstr(rv.body, "\"container c30: NET_ADMIN will not be effective"));
		assert_null(strstr(rv.body, "container c31:"));
		assert_non_null(
		    strstr(rv.body, "\"9 more warnings not shown; see capscope explain pod\"]"));
		/* enforce: the denial's message ends with the same line */
		if (enforce)
			assert_non_null(strstr(rv.body, "; 9 more warnings not shown; see capscope "
							"explain pod\"}"));
		cs_review_free(&rv);
	}
}

/*
 * A warning saying what could not be read holds text of the object: escaped
 * first, then cut to the API server's 120 characters on a whole escape,
 * with "...". Eleventh pass left it cut at 120 bytes and then escaped, so
 * an apiVersion of 60 ESC bytes made a warning of 279 characters.
 */
static void review_unreadable_cut(void **state)
{
	struct cs_pod_explain_opts m = {0};
	struct cs_review_opts o = {.model = &m};
	struct cs_review rv;
	char doc[4096], esc[61 * 6 + 1] = "";
	const char *w;
	int n;

	(void)state;
	for (int i = 0; i < 60; i++)
		strcat(esc, "\\u001b");
	n = snprintf(doc, sizeof(doc),
		     "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
		     "\"request\":{\"uid\":\"u\",\"kind\":{\"kind\":\"Pod\"},"
		     "\"operation\":\"CREATE\",\"object\":{\"apiVersion\":\"%s\",\"kind\":"
		     "\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[]}}}}",
		     esc);
	assert_true(n < (int)sizeof(doc));
	assert_int_equal(cs_admission_review(doc, (size_t)n, &o, &rv), 0);
	assert_int_equal(rv.outcome, CS_REVIEW_UNREADABLE);
	w = strstr(rv.body, "\"warnings\":[\"capscope could not read the Pod: ");
	assert_non_null(w);
	w += strlen("\"warnings\":[\"");
	/* in the JSON text each escaped ESC's backslash is doubled */
	n = 0;
	for (const char *p = w; *p != '"'; p++)
		n += !(p[0] == '\\' && p[1] == '\\' && p++);
	assert_true(n <= CS_EXPLAIN_WARNING_MAX);
	assert_non_null(strstr(w, "\\\\x1b...\"]"));
	cs_review_free(&rv);
}

/*
 * A ReplicationController is a workload with a pod template, as the manifest
 * reader and lint read it. Twelfth pass: the webhook allowed it without
 * reading it (its kind was not in the list), so kubectl apply said nothing
 * of what its pods would not get.
 */
static void review_replication_controller(void **state)
{
	static const char doc[] =
	    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
	    "\"request\":{\"uid\":\"u\",\"kind\":{\"kind\":\"ReplicationController\"},"
	    "\"operation\":\"CREATE\",\"object\":{\"apiVersion\":\"v1\",\"kind\":"
	    "\"ReplicationController\",\"metadata\":{\"name\":\"rc\"},\"spec\":{\"template\":{"
	    "\"spec\":{\"securityContext\":{\"runAsUser\":1000},\"containers\":[{\"name\":\"c\","
	    "\"image\":\"i\",\"securityContext\":{\"capabilities\":{\"add\":[\"NET_ADMIN\"]}}}]}}}}"
	    "}}";
	struct cs_pod_explain_opts m = {0};
	struct cs_review_opts o = {.model = &m};
	struct cs_review rv;

	(void)state;
	assert_int_equal(cs_admission_review(doc, sizeof(doc) - 1, &o, &rv), 0);
	assert_int_equal(rv.outcome, CS_REVIEW_WARNED);
	assert_non_null(strstr(rv.body, "\"container c: NET_ADMIN will not be effective"));
	cs_review_free(&rv);
	/* OpenShift's DeploymentConfig likewise (fifteenth pass: the reader
	 * now reads it, the webhook allowed it unread) */
	static const char dc[] =
	    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
	    "\"request\":{\"uid\":\"u\",\"kind\":{\"kind\":\"DeploymentConfig\"},"
	    "\"operation\":\"CREATE\",\"object\":{\"apiVersion\":\"apps.openshift.io/v1\","
	    "\"kind\":\"DeploymentConfig\",\"metadata\":{\"name\":\"dc\"},\"spec\":{"
	    "\"template\":{\"spec\":{\"securityContext\":{\"runAsUser\":1000},\"containers\":[{"
	    "\"name\":\"c\",\"image\":\"i\",\"securityContext\":{\"capabilities\":{\"add\":["
	    "\"NET_ADMIN\"]}}}]}}}}}}";

	assert_int_equal(cs_admission_review(dc, sizeof(dc) - 1, &o, &rv), 0);
	assert_int_equal(rv.outcome, CS_REVIEW_WARNED);
	assert_non_null(strstr(rv.body, "\"container c: NET_ADMIN will not be effective"));
	cs_review_free(&rv);
}

/*
 * Session 18: the API server has decoded the object with its own release's
 * types, so a key capscope's 1.32 lists lack (a field of a newer release)
 * is read as absent and said in one line, which is no finding: enforce
 * still admits a pod with nothing else to say. Strict reading made every
 * such pod unreadable.
 */
static void review_newer_field(void **state)
{
	static const char fmt[] =
	    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
	    "\"request\":{\"uid\":\"u\",\"kind\":{\"kind\":\"Pod\"},"
	    "\"operation\":\"CREATE\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
	    "\"metadata\":{\"name\":\"p\",\"creationTimestamp\":null},\"spec\":{"
	    "\"hostnameOverride\":\"h\",\"containers\":[{\"name\":\"c\",\"image\":\"i\","
	    "\"resources\":{},\"terminationMessagePath\":\"/dev/termination-log\","
	    "\"securityContext\":{\"runAsUser\":1000%s}}]},\"status\":{}}}}";
	struct cs_pod_explain_opts m = {0};
	struct cs_review_opts o = {.model = &m, .enforce = true};
	struct cs_review rv;
	char doc[1024];
	int n;

	(void)state;
	n = snprintf(doc, sizeof(doc), fmt, "");
	assert_int_equal(cs_admission_review(doc, (size_t)n, &o, &rv), 0);
	assert_int_equal(rv.outcome, CS_REVIEW_ALLOWED);
	assert_non_null(strstr(rv.body, "\"warnings\":[\"capscope read 1 field newer than "
					"Kubernetes 1.32 as absent: spec.hostnameOverride\"]"));
	assert_non_null(strstr(rv.body, "\"allowed\":true"));
	cs_review_free(&rv);
	/* with a finding: denied for the finding, both lines said */
	n = snprintf(doc, sizeof(doc), fmt, ",\"capabilities\":{\"add\":[\"NET_ADMIN\"]}");
	assert_int_equal(cs_admission_review(doc, (size_t)n, &o, &rv), 0);
	assert_int_equal(rv.outcome, CS_REVIEW_DENIED);
	assert_non_null(strstr(rv.body, "spec.hostnameOverride"));
	assert_non_null(strstr(rv.body, "NET_ADMIN will not be effective"));
	cs_review_free(&rv);
}

/* pods/ephemeralcontainers (kubectl debug): the whole Pod, its debug
 * container read; another subresource (pods/status) is not. */
static void review_ephemeral(void **state)
{
	static const char head[] =
	    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
	    "\"request\":{\"uid\":\"u\",\"kind\":{\"kind\":\"Pod\"},\"subResource\":\"";
	static const char tail[] =
	    "\",\"operation\":\"UPDATE\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
	    "\"metadata\":{\"name\":\"p\"},\"spec\":{\"securityContext\":{\"runAsUser\":1000},"
	    "\"containers\":[{\"name\":\"c\",\"image\":\"i\"}],\"ephemeralContainers\":[{"
	    "\"name\":\"debugger\",\"image\":\"i\",\"securityContext\":{\"capabilities\":{"
	    "\"add\":[\"NET_ADMIN\"]}}}]}}}}";
	struct cs_pod_explain_opts m = {0};
	struct cs_review_opts o = {.model = &m};
	struct cs_review rv;
	char doc[1024];
	int n;

	(void)state;
	n = snprintf(doc, sizeof(doc), "%s%s%s", head, "ephemeralcontainers", tail);
	assert_int_equal(cs_admission_review(doc, (size_t)n, &o, &rv), 0);
	assert_int_equal(rv.outcome, CS_REVIEW_WARNED);
	assert_non_null(strstr(rv.body, "\"container debugger: NET_ADMIN will not be effective"));
	cs_review_free(&rv);
	n = snprintf(doc, sizeof(doc), "%s%s%s", head, "status", tail);
	assert_int_equal(cs_admission_review(doc, (size_t)n, &o, &rv), 0);
	assert_int_equal(rv.outcome, CS_REVIEW_ALLOWED);
	cs_review_free(&rv);
}

/* A pod as the API server sends it: a container c adding NET_BIND_SERVICE
 * (not effective for uid 1000), and the ephemeral containers given. */
static int pod_json(char *buf, size_t size, const char *ephemeral)
{
	return snprintf(buf, size,
			"{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},"
			"\"spec\":{\"securityContext\":{\"runAsUser\":1000},\"containers\":[{"
			"\"name\":\"c\",\"image\":\"i\",\"securityContext\":{\"capabilities\":{"
			"\"add\":[\"NET_BIND_SERVICE\"]}}}],\"ephemeralContainers\":[%s]}}",
			ephemeral);
}

/* The review of an UPDATE (sub: its subResource, "" for none) from old to new. */
static void update_review(const char *sub, const char *old_eph, const char *new_eph,
			  struct cs_review *rv)
{
	static char doc[4096];
	char old[1024], cur[1024];
	struct cs_pod_explain_opts m = {0};
	struct cs_review_opts o = {.model = &m};
	int n;

	pod_json(old, sizeof(old), old_eph);
	pod_json(cur, sizeof(cur), new_eph);
	n = snprintf(doc, sizeof(doc),
		     "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
		     "\"request\":{\"uid\":\"u\",\"kind\":{\"kind\":\"Pod\"},%s%s%s"
		     "\"operation\":\"UPDATE\",\"object\":%s,\"oldObject\":%s}}",
		     *sub ? "\"subResource\":\"" : "", sub, *sub ? "\"," : "", cur,
		     old_eph ? old : "null");
	assert_true(n > 0 && (size_t)n < sizeof(doc));
	assert_int_equal(cs_admission_review(doc, (size_t)n, &o, rv), 0);
}

/*
 * Fourteenth pass (the thirteenth's open find): a pod UPDATE was judged
 * whole, so each kubectl debug repeated the warning of container c, and a
 * label change was warned about (denied under enforce). Only what the
 * update adds is judged: the ephemeral containers oldObject did not have.
 */
static void review_update_adds(void **state)
{
	static const char dbg1[] =
	    "{\"name\":\"debugger-1\",\"image\":\"i\","
	    "\"securityContext\":{\"capabilities\":{\"add\":[\"NET_ADMIN\"]}}}";
	static const char dbg2[] =
	    "{\"name\":\"debugger-2\",\"image\":\"i\","
	    "\"securityContext\":{\"capabilities\":{\"add\":[\"SYS_PTRACE\"]}}}";
	char both[512];
	struct cs_review rv;

	(void)state;
	snprintf(both, sizeof(both), "%s,%s", dbg1, dbg2);
	/* the first kubectl debug: its container alone */
	update_review("ephemeralcontainers", "", dbg1, &rv);
	assert_int_equal(rv.outcome, CS_REVIEW_WARNED);
	assert_int_equal(rv.n_warnings, 1);
	assert_non_null(strstr(rv.body, "container debugger-1: NET_ADMIN"));
	cs_review_free(&rv);
	/* the second: debugger-2 alone, not debugger-1 again, not c */
	update_review("ephemeralcontainers", dbg1, both, &rv);
	assert_int_equal(rv.n_warnings, 1);
	assert_non_null(strstr(rv.body, "container debugger-2: SYS_PTRACE"));
	assert_null(strstr(rv.body, "debugger-1"));
	cs_review_free(&rv);
	/* a metadata update of the pod: nothing added, nothing said */
	update_review("", dbg1, dbg1, &rv);
	assert_int_equal(rv.outcome, CS_REVIEW_ALLOWED);
	assert_int_equal(rv.n_warnings, 0);
	cs_review_free(&rv);
	/* no oldObject: the whole pod, as before (c and debugger-1) */
	update_review("ephemeralcontainers", NULL, dbg1, &rv);
	assert_int_equal(rv.n_warnings, 2);
	assert_non_null(strstr(rv.body, "container c: NET_BIND_SERVICE"));
	cs_review_free(&rv);
}

static void annotations(void **state)
{
	static const char containerd[] =
	    "{\"annotations\":{\"io.kubernetes.cri.container-type\":\"sandbox\","
	    "\"io.kubernetes.cri.sandbox-name\":\"web-0\",\"io.kubernetes.cri.sandbox-namespace\":"
	    "\"shop\",\"io.kubernetes.cri.sandbox-uid\":\"1-2\"}}";
	static const char crio[] = "{\"annotations\":{\"io.kubernetes.pod.name\":\"web-0\",\"io."
				   "kubernetes.pod.namespace\":"
				   "\"shop\",\"io.kubernetes.container.name\":\"web\",\"io."
				   "kubernetes.cri-o.ContainerType\":"
				   "\"container\"}}";
	static const char podman[] = "{\"annotations\":{\"io.container.manager\":\"libpod\","
				     "\"io.kubernetes.cri-o.ContainerType\":\"container\"}}";
	struct cs_node_ctr c;
	struct cs_diag d = {0};

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(cs_node_annotations_parse(containerd, strlen(containerd), &c, &d), 0);
	assert_string_equal(c.namespace, "shop");
	assert_string_equal(c.pod, "web-0");
	assert_string_equal(c.pod_uid, "1-2");
	assert_null(c.container);
	assert_true(c.sandbox);
	free(c.namespace), free(c.pod), free(c.pod_uid);
	memset(&c, 0, sizeof(c));
	assert_int_equal(cs_node_annotations_parse(crio, strlen(crio), &c, &d), 0);
	assert_string_equal(c.container, "web");
	assert_false(c.sandbox);
	assert_string_equal(c.runtime, "cri-o");
	free(c.namespace), free(c.pod), free(c.container);
	/* podman kube play 4.3.1's bundle: CRI-O's ContainerType, no pod */
	memset(&c, 0, sizeof(c));
	assert_int_equal(cs_node_annotations_parse(podman, strlen(podman), &c, &d), 0);
	assert_string_equal(c.runtime, "podman");
	assert_null(c.pod);
	assert_false(c.sandbox);
	/* runc and CRI-O decode config.json with Go's encoding/json, which
	 * takes a struct field's key in any case: thirteenth pass, the pod's
	 * names under "Annotations" were not read. Two such keys (Go merges
	 * the two maps) are refused, not read as one. */
	memset(&c, 0, sizeof(c));
	assert_int_equal(cs_node_annotations_parse("{\"Annotations\":{\"io.kubernetes.pod.name\":"
						   "\"web-0\"}}",
						   50, &c, &d),
			 0);
	assert_non_null(c.pod);
	assert_string_equal(c.pod, "web-0");
	free(c.pod);
	memset(&c, 0, sizeof(c));
	assert_int_equal(cs_node_annotations_parse("{\"annotations\":{},\"ANNOTATIONS\":{\"io."
						   "kubernetes.pod.name\":\"x\"}}",
						   63, &c, &d),
			 -EINVAL);
	assert_null(c.pod);
}

static void mismatch(void **state)
{
	struct cs_node_ctr c;
	struct cs_cred pred;
	char *why = NULL;

	(void)state;
	memset(&c, 0, sizeof(c));
	memset(&pred, 0, sizeof(pred));
	pred.uid[1] = 1000;
	pred.caps.set[CS_BND] = 0x401;
	c.predict_ok = true;
	c.prediction = &pred;
	c.have_status = true;
	c.status.have = CS_HAVE_UID | CS_HAVE_CAPS;
	c.status.uid[1] = 1000;
	c.status.no_new_privs = 0;
	c.status.caps.set[CS_BND] = 0x401;
	assert_int_equal(cs_node_mismatch(&c, &why), 0);
	assert_null(why);
	c.status.caps.set[CS_BND] = 0x400;
	c.status.uid[1] = 0;
	assert_int_equal(cs_node_mismatch(&c, &why), 1);
	assert_string_equal(why,
			    "bounding predicted 0x401, /proc 0x400; euid predicted 1000, /proc 0");
	free(why);
	assert_int_equal(cs_node_mismatch(&c, NULL), 1);
	/* in a user namespace the predicted uid is mapped to the host's */
	c.cfg.process.user_namespace = true;
	c.cfg.process.uid_map[0] = (struct cs_idmap){0, 100000, 65536};
	c.cfg.process.n_uid_map = 1;
	c.status.caps.set[CS_BND] = 0x401;
	c.status.uid[1] = 101000;
	assert_int_equal(cs_node_mismatch(&c, &why), 0);
}

/*
 * The node agent joins a process to its container by its cgroup, read in
 * the scan of /proc, and reads its credentials after: thirteenth pass, a
 * number given to another process between the two showed that one's
 * credentials as the container's. Staged in a pid namespace of its own: the
 * victim (uid 4321) in a cgroup ".../docker/ID" made here; the seam between
 * the join and the credentials ends it and gives its number (ns_last_pid)
 * to a process of uid 0 outside the cgroup. 0: not shown as the
 * container's; 2: the number not given back.
 */
#define REUSE_ID "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
static pid_t node_victim, node_new;

/* Set: the number is given only from the clock tick after the victim's
 * start (the start-time check cannot tell a reuse within one tick). */
static bool reuse_next_tick;

static unsigned long long start_tick(pid_t pid)
{
	char p[64], buf[1024], *e;
	unsigned long long v = 0;
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	if (!(f = fopen(p, "r")))
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (!(e = strrchr(buf, ')')))
		return 0;
	/* field 22, the 20th after the comm's ")" */
	for (int i = 0; i < 20 && e; i++)
		e = strchr(e + 1, ' ');
	if (e)
		sscanf(e + 1, "%llu", &v);
	return v;
}

static void node_reuse(const struct cs_node_inventory *inv)
{
	FILE *f;
	int fds[2];
	char b;
	unsigned long long victim_start = reuse_next_tick ? start_tick(node_victim) : 0;

	(void)inv;
	kill(node_victim, SIGKILL);
	waitpid(node_victim, NULL, 0);
	while (reuse_next_tick) {
		struct timespec ts;

		clock_gettime(CLOCK_BOOTTIME, &ts);
		if ((unsigned long long)ts.tv_sec * 100 +
			(unsigned long long)ts.tv_nsec / 10000000 >
		    victim_start + 1)
			break;
	}
	if (!(f = fopen("/proc/sys/kernel/ns_last_pid", "w")))
		return;
	fprintf(f, "%d", (int)node_victim - 1);
	fclose(f);
	if (pipe(fds) < 0)
		return;
	if ((node_new = fork()) == 0) {
		close(fds[0]);
		close(fds[1]);
		pause();
		_exit(0);
	}
	close(fds[1]);
	while (read(fds[0], &b, 1) < 0 && errno == EINTR) /* EOF: it runs */
		;
	close(fds[0]);
}

static int node_reuse_in_ns(void *arg)
{
	const char *cg = arg;
	struct cs_node_opts o = {.proc = "/proc", .no_predict = true, .n_roots = 1};
	struct cs_node_root root = {CS_NODE_TASK, "/nonexistent"};
	struct cs_node_inventory inv = {0};
	struct cs_diag d = {0};
	char procs[600], num[16];
	int rc = 1, fd;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("proc", "/proc", "proc", 0, NULL) < 0)
		return 3;
	if ((node_victim = cs_test_idle_child(4321)) < 0)
		return 3;
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
	snprintf(num, sizeof(num), "%d", (int)node_victim);
	if ((fd = open(procs, O_WRONLY)) < 0 || write(fd, num, strlen(num)) < 0)
		return 4;
	close(fd);
	o.roots = &root;
	cs_node_seam_before_procs = node_reuse;
	if (cs_node_scan(&inv, &o, &d) < 0)
		return 5;
	cs_node_seam_before_procs = NULL;
	if (node_new != node_victim)
		rc = 2;
	for (size_t i = 0; rc == 1 && i < inv.n; i++)
		if (!strcmp(inv.v[i]->id, REUSE_ID))
			rc = inv.v[i]->have_status ? 10 + (inv.v[i]->status.uid[1] == 0) : 0;
	cs_node_inventory_free(&inv);
	kill(node_new, SIGKILL);
	return rc;
}

static void node_pid_reuse(void **state)
{
	char *root = NULL, top[256], dk[300], cg[400];
	int st;

	(void)state;
	if (geteuid() != 0 || cs_cgroup2_root(&root) < 0)
		skip();
	snprintf(top, sizeof(top), "%s/capscope-test-ns-%d", strcmp(root, "/") ? root : "",
		 (int)getpid());
	free(root);
	snprintf(dk, sizeof(dk), "%s/docker", top);
	snprintf(cg, sizeof(cg), "%s/" REUSE_ID, dk);
	if (mkdir(top, 0755) < 0)
		skip(); /* no writable cgroup v2 here */
	assert_int_equal(mkdir(dk, 0755), 0);
	assert_int_equal(mkdir(cg, 0755), 0);
	st = cs_test_in_pidns(node_reuse_in_ns, cg);
	if (st == CS_TEST_NO_NS || st == 2)
		skip();
	assert_int_equal(st, 0);
}

/*
 * Fourteenth pass: the same reuse for a container whose first process is
 * its pid file's, in no container's cgroup (plain runc without a cgroup
 * path). The pid file's checks (in none, started before the file was
 * written) ran at the scan, and a number given between them and the
 * credentials to another process in none showed that one's credentials.
 * A containerd task root made under /tmp, its init.pid naming the victim.
 */
#define PIDFILE_ID "pidfile-reuse-test"
static int node_pidfile_in_ns(void *arg)
{
	const char *dir = arg;
	struct cs_node_opts o = {.proc = "/proc", .no_predict = true, .n_roots = 1};
	struct cs_node_root root = {CS_NODE_TASK, dir};
	struct cs_node_inventory inv = {0};
	struct cs_diag d = {0};
	char path[600];
	FILE *f;
	int rc = 1;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("proc", "/proc", "proc", 0, NULL) < 0)
		return 3;
	if ((node_victim = cs_test_idle_child(4321)) < 0)
		return 3;
	snprintf(path, sizeof(path), "%s/default/" PIDFILE_ID "/init.pid", dir);
	if (!(f = fopen(path, "w")))
		return 4;
	fprintf(f, "%d", (int)node_victim);
	fclose(f);
	o.roots = &root;
	cs_node_seam_before_procs = node_reuse;
	if (cs_node_scan(&inv, &o, &d) < 0)
		return 5;
	cs_node_seam_before_procs = NULL;
	if (node_new != node_victim)
		rc = 2;
	for (size_t i = 0; rc == 1 && i < inv.n; i++)
		if (!strcmp(inv.v[i]->id, PIDFILE_ID))
			rc = inv.v[i]->pid != node_victim ? 6
			     : inv.v[i]->have_status	  ? 10 + (inv.v[i]->status.uid[1] == 0)
							  : 0;
	cs_node_inventory_free(&inv);
	kill(node_new, SIGKILL);
	return rc;
}

static char pidfile_dir[] = "/tmp/capscope-test-pidfile-XXXXXX";

static void node_pidfile_reuse(void **state)
{
	char *dir = pidfile_dir, sub[128];
	int st;
	size_t max = cs_node_pidfd_max;

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/default", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	snprintf(sub, sizeof(sub), "%s/default/" PIDFILE_ID, dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	st = cs_test_in_pidns(node_pidfile_in_ns, dir);
	if (st == 0) { /* and without a pidfd: the start time read again */
		cs_node_pidfd_max = 0;
		reuse_next_tick = true;
		st = cs_test_in_pidns(node_pidfile_in_ns, dir);
		reuse_next_tick = false;
		cs_node_pidfd_max = max;
	}
	if (st == CS_TEST_NO_NS || st == 2)
		skip();
	assert_int_equal(st, 0);
}

/*
 * Fifteenth pass, second round (part P): CRI-O and Podman share the
 * userdata layout, and a bundle whose config.json could not be read was
 * shown as "podman", a guess, with an empty config_error; a config.json
 * that was a fifo held the scan in open() for ever (alarm: the test dies).
 * A /proc made here: one process in CRI-O's cgroup of the first container.
 */
#define UD_CRIO "c0ffee0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
#define UD_FIFO "fifo-config"
static char ud_dir[] = "/tmp/capscope-test-ud-XXXXXX";

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void userdata_unread(void **state)
{
	struct cs_node_root roots[3] = {
	    {CS_NODE_USERDATA, NULL}, {CS_NODE_RUNC, NULL}, {CS_NODE_TASK, NULL}};
	struct cs_node_opts o = {.roots = roots, .n_roots = 3, .no_predict = true};
	struct cs_node_inventory inv = {0};
	struct cs_diag d = {0};
	char p[600], proc[100], ud[100], runc[100], task[100];
	int found = 0;

	(void)state;
	assert_non_null(mkdtemp(ud_dir));
	snprintf(proc, sizeof(proc), "%s/proc", ud_dir);
	snprintf(ud, sizeof(ud), "%s/ud", ud_dir);
	assert_int_equal(mkdir(proc, 0755), 0);
	snprintf(p, sizeof(p), "%s/4242", proc);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/4242/cgroup", proc);
	put(p, "0::/kubepods.slice/crio-" UD_CRIO ".scope\n");
	assert_int_equal(mkdir(ud, 0755), 0);
	snprintf(p, sizeof(p), "%s/" UD_CRIO, ud);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/" UD_CRIO "/userdata", ud);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/" UD_CRIO "/userdata/config.json", ud);
	assert_int_equal(mkdir(p, 0755), 0); /* a directory: not read */
	snprintf(p, sizeof(p), "%s/" UD_FIFO, ud);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/" UD_FIFO "/userdata", ud);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/" UD_FIFO "/userdata/config.json", ud);
	assert_int_equal(mkfifo(p, 0644), 0);
	snprintf(p, sizeof(p), "%s/" UD_FIFO "/userdata/pidfile", ud);
	assert_int_equal(mkfifo(p, 0644), 0); /* the pid file too */
	/* and runc's state.json (that container is not listed) */
	snprintf(runc, sizeof(runc), "%s/runc", ud_dir);
	assert_int_equal(mkdir(runc, 0755), 0);
	snprintf(p, sizeof(p), "%s/fifo-state", runc);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/fifo-state/state.json", runc);
	assert_int_equal(mkfifo(p, 0644), 0);
	/* A containerd task bundle (`ctr run --annotation`) that says libpod
	 * is containerd's all the same: it showed "podman". */
	snprintf(task, sizeof(task), "%s/task", ud_dir);
	assert_int_equal(mkdir(task, 0755), 0);
	snprintf(p, sizeof(p), "%s/default", task);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/default/annotated", task);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/default/annotated/config.json", task);
	put(p, "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"process\":{\"user\":"
	       "{\"uid\":0,\"gid\":0},\"args\":[\"/pause\"],\"cwd\":\"/\"},\"annotations\":"
	       "{\"io.container.manager\":\"libpod\"}}");
	/* Nineteenth pass, part B: what follows the first value (a second
	 * value cut short, a byte that is no UTF-8) is not read, as runc's
	 * decoder does not read it: the agent said "not valid JSON". */
	snprintf(p, sizeof(p), "%s/default/trailing", task);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/default/trailing/config.json", task);
	put(p, "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"process\":{\"user\":"
	       "{\"uid\":0,\"gid\":0},\"args\":[\"/pause\"],\"cwd\":\"/\"}}\n{\"process\": \xff,,");
	roots[0].path = ud;
	roots[1].path = runc;
	roots[2].path = task;
	o.proc = proc;
	alarm(20);
	assert_int_equal(cs_node_scan(&inv, &o, &d), 0);
	alarm(0);
	for (size_t i = 0; i < inv.n; i++) {
		const struct cs_node_ctr *c = inv.v[i];

		if (!strcmp(c->id, UD_CRIO)) {
			found++;
			assert_string_equal(c->runtime, "cri-o"); /* its cgroup's */
			assert_false(c->have_config);
			assert_non_null(c->config_error);
			assert_non_null(strstr(c->config_error, "config.json"));
		} else if (!strcmp(c->id, UD_FIFO)) {
			found++;
			assert_null(c->runtime); /* no cgroup, config not read: none */
			assert_non_null(c->config_error);
			assert_non_null(strstr(c->config_error, "not a regular file"));
		} else if (!strcmp(c->id, "annotated")) {
			found++;
			assert_true(c->have_config);
			assert_string_equal(c->runtime, "containerd");
		} else if (!strcmp(c->id, "trailing")) {
			found++;
			assert_null(c->config_error);
			assert_true(c->have_config);
		} else {
			assert_string_not_equal(c->id, "fifo-state");
		}
	}
	assert_int_equal(found, 4);
	cs_node_inventory_free(&inv);
}

/*
 * Part P: a bundle root a user may write (a rootless user's storage given
 * with --bundle-root), listed first, held a bundle named after a root
 * container's id: the root container's process joined it, and the user's
 * annotations named its pod (kube-system/evil). A bundle not root's names
 * only its owner's processes, and never shadows root's.
 */
#define UB_ID "beef000000000000000000000000000000000000000000000000000000000009"
static char ub_dir[] = "/tmp/capscope-test-ub-XXXXXX";

static void ub_bundle(const char *root, const char *ns, uid_t owner)
{
	char p[600], text[400];

	snprintf(p, sizeof(p), "%s/" UB_ID, root);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/" UB_ID "/userdata", root);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/" UB_ID "/userdata/config.json", root);
	snprintf(text, sizeof(text),
		 "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"process\":{\"user\":"
		 "{\"uid\":0,\"gid\":0},\"args\":[\"/x\"],\"cwd\":\"/\"},\"annotations\":{\"io."
		 "kubernetes.pod.namespace\":\"%s\",\"io.kubernetes.pod.name\":\"p\"}}",
		 ns);
	put(p, text);
	assert_int_equal(chown(p, owner, owner), 0);
}

/* The text of file p with its first from replaced by to (as long). */
static void ub_rewrite(const char *p, const char *from, const char *to)
{
	char buf[600], *at;
	FILE *f = fopen(p, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_non_null(at = strstr(buf, from));
	memcpy(at, to, strlen(to));
	put(p, buf);
}

static void user_bundle_not_root(void **state)
{
	struct cs_node_root roots[2] = {{CS_NODE_USERDATA, NULL}, {CS_NODE_USERDATA, NULL}};
	struct cs_node_opts o = {.roots = roots, .n_roots = 2, .no_predict = true};
	struct cs_node_inventory inv = {0};
	struct cs_diag d = {0};
	char p[300], proc[100], user[100], sys[100];
	struct stat sb;
	struct timespec ts[2];

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_non_null(mkdtemp(ub_dir));
	snprintf(proc, sizeof(proc), "%s/proc", ub_dir);
	snprintf(user, sizeof(user), "%s/user", ub_dir);
	snprintf(sys, sizeof(sys), "%s/sys", ub_dir);
	assert_int_equal(mkdir(proc, 0755), 0);
	assert_int_equal(mkdir(user, 0755), 0);
	assert_int_equal(mkdir(sys, 0755), 0);
	snprintf(p, sizeof(p), "%s/777", proc);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/777/cgroup", proc);
	put(p, "0::/kubepods.slice/crio-" UB_ID ".scope\n"); /* a runtime's cgroup */
	ub_bundle(user, "kube-system", 4321);
	ub_bundle(sys, "prod", 0);
	roots[0].path = user; /* the user's root first */
	roots[1].path = sys;
	o.proc = proc;
	assert_int_equal(cs_node_scan(&inv, &o, &d), 0);
	assert_int_equal(inv.n, 1);
	assert_string_equal(inv.v[0]->namespace, "prod");
	assert_int_equal(inv.v[0]->pid, 777);
	/* The next scrape keeps root's and does not parse it again: its text
	 * changed under the same mtime and size is not seen (the two bundles
	 * took turns, each parsed at every scrape). */
	snprintf(p, sizeof(p), "%s/" UB_ID "/userdata/config.json", sys);
	assert_int_equal(stat(p, &sb), 0);
	ub_rewrite(p, "\"prod\"", "\"prox\"");
	ts[0] = sb.st_atim;
	ts[1] = sb.st_mtim;
	assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
	assert_int_equal(cs_node_scan(&inv, &o, &d), 0);
	assert_int_equal(inv.n, 1);
	assert_string_equal(inv.v[0]->namespace, "prod");
	assert_int_equal(inv.v[0]->pid, 777);
	cs_node_inventory_free(&inv);
	/* the user's alone: it names no root process */
	o.n_roots = 1;
	assert_int_equal(cs_node_scan(&inv, &o, &d), 0);
	assert_int_equal(inv.n, 1);
	assert_int_equal(inv.v[0]->pid, 0);
	assert_int_equal(inv.v[0]->n_procs, 0);
	cs_node_inventory_free(&inv);
	/* Nineteenth pass, part B: nor when its config.json, or its bundle
	 * directory, is the user's symbolic link to root's: the owner was the
	 * linked file's (root), and the root container's process was named. */
	{
		char link[300], target[300];

		snprintf(link, sizeof(link), "%s/" UB_ID "/userdata/config.json", user);
		snprintf(target, sizeof(target), "%s/" UB_ID "/userdata/config.json", sys);
		assert_int_equal(unlink(link), 0);
		assert_int_equal(symlink(target, link), 0);
		assert_int_equal(lchown(link, 4321, 4321), 0);
		assert_int_equal(cs_node_scan(&inv, &o, &d), 0);
		assert_int_equal(inv.n, 1);
		assert_int_equal(inv.v[0]->pid, 0);
		cs_node_inventory_free(&inv);
		snprintf(p, sizeof(p), "rm -rf '%s/" UB_ID "'", user);
		assert_int_equal(system(p), 0);
		snprintf(link, sizeof(link), "%s/" UB_ID, user);
		snprintf(target, sizeof(target), "%s/" UB_ID, sys);
		assert_int_equal(symlink(target, link), 0);
		assert_int_equal(lchown(link, 4321, 4321), 0);
		assert_int_equal(cs_node_scan(&inv, &o, &d), 0);
		assert_int_equal(inv.n, 1);
		assert_int_equal(inv.v[0]->pid, 0);
		cs_node_inventory_free(&inv);
	}
}

/* After the tests that make them, failed or not: their cgroups and files. */
static int rm_made(void **state)
{
	char p[64];

	(void)state;
	snprintf(p, sizeof(p), "capscope-test-ns-%d", (int)getpid());
	cs_test_rm_cgroup_tree(p);
	if (!strstr(pidfile_dir, "XXXXXX"))
		cs_test_rm_tree(pidfile_dir);
	if (!strstr(ud_dir, "XXXXXX"))
		cs_test_rm_tree(ud_dir);
	if (!strstr(ub_dir, "XXXXXX"))
		cs_test_rm_tree(ub_dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(prom_label_escaping),
	    cmocka_unit_test(prom_label_injective),
	    cmocka_unit_test(prom_sample_lines),
	    cmocka_unit_test(admission_read),
	    cmocka_unit_test(admission_errors),
	    cmocka_unit_test(admission_answer),
	    cmocka_unit_test(warnings_not_modelled),
	    cmocka_unit_test(review_past_model),
	    cmocka_unit_test(review_more_warnings),
	    cmocka_unit_test(review_unreadable_cut),
	    cmocka_unit_test(review_replication_controller),
	    cmocka_unit_test(review_newer_field),
	    cmocka_unit_test(review_ephemeral),
	    cmocka_unit_test(review_update_adds),
	    cmocka_unit_test(annotations),
	    cmocka_unit_test(mismatch),
	    cmocka_unit_test_teardown(node_pid_reuse, rm_made),
	    cmocka_unit_test_teardown(node_pidfile_reuse, rm_made),
	    cmocka_unit_test_teardown(userdata_unread, rm_made),
	    cmocka_unit_test_teardown(user_bundle_not_root, rm_made),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
