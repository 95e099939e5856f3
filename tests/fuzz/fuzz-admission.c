/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the AdmissionReview reader, hand what it accepts to the manifest
 * reader and the response writer, answer it whole as the webhook does
 * (cs_admission_review: every answer is JSON of the right kind, every
 * warning at most 120 characters), and escape the input
 * as a Prometheus label value: the result must hold no raw line feed, no
 * unescaped quote, and be valid UTF-8.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/k8s.h"
#include "capscope/serve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_label(const char *in)
{
	char *e = cs_prom_escape_label(in);

	if (!e)
		return;
	for (const char *p = e; *p; p++) {
		if (*p == '\n')
			abort();
		if (*p == '\\') {
			if (!p[1] || !strchr("\\\"n", p[1]))
				abort();
			p++;
		} else if (*p == '"') {
			abort();
		}
	}
	free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_admission_request r;
	struct cs_diag d = {0};
	char *s;
	int rc;

	if (size > 1 << 16)
		return 0;
	rc = cs_admission_parse((const char *)data, size, &r, &d);
	if (rc == 0) {
		struct cs_k8s_manifest m;
		const char *w[] = {"container x: y"};
		struct cs_admission_response resp = {
		    .allowed = false, .warnings = w, .n_warnings = 1, .code = 403, .message = "m"};
		FILE *f = fopen("/dev/null", "w");

		if (!r.uid || !r.uid[0] || !r.api_version)
			abort();
		if (f) {
			if (cs_admission_write(f, &r, &resp) != 0)
				abort();
			fclose(f);
		}
		if (r.object) {
			cs_k8s_manifest_init(&m);
			cs_k8s_parse(&m, r.object, r.object_len, "request.object", &d);
			cs_k8s_manifest_free(&m);
		}
	}
	cs_admission_request_free(&r);
	{
		struct cs_pod_explain_opts model = {
		    .runtime = CS_CRI_CRIO, .uid_range_start = 1000660000, .uid_range_size = 10000};
		struct cs_review_opts o = {.model = &model, .enforce = (size & 1) != 0};
		struct cs_review rv;

		if (cs_admission_review((const char *)data, size, &o, &rv) == 0) {
			if (!rv.body || (rv.http_status != 200 && rv.http_status != 400) ||
			    rv.body[0] != '{')
				abort();
			if (rv.http_status == 400 && rv.request.uid)
				abort(); /* a request with a uid is always answered */
		}
		cs_review_free(&rv);
	}
	if ((s = strndup((const char *)data, size)) != NULL) {
		check_label(s);
		free(s);
	}
	return 0;
}
