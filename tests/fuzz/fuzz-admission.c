/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the AdmissionReview reader, hand what it accepts to the manifest
 * reader and the response writer, answer it whole as the webhook does
 * (cs_admission_review: every answer is JSON of the right kind, every
 * warning at most 120 characters), and escape the input
 * as a Prometheus label value: the result must hold no raw line feed, no
 * unescaped quote, and be valid UTF-8, and undone it must give the input
 * back (one to one).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/k8s.h"
#include "capscope/serve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The hex number of the k digits at s, or -1. */
static long hex_at(const char *s, int k)
{
	long v = 0;

	for (int i = 0; i < k; i++) {
		int c = s[i];

		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else
			return -1;
	}
	return v;
}

/* cp as UTF-8 at out; its length. */
static size_t put_cp(unsigned long cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6), out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12), out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18), out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f)), out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * The label text is the format's escapes of the terminal's text of the
 * value (escape.h), and that is one to one (twentieth pass): undone, both
 * give the value back, byte for byte.
 */
static void check_label(const char *in)
{
	char *e = cs_prom_escape_label(in), *text, *back;
	size_t t = 0, b = 0;

	if (!e)
		return;
	if (!(text = malloc(strlen(e) + 1)) || !(back = malloc(strlen(e) + 1)))
		abort();
	for (const char *p = e; *p; p++) {
		if (*p == '\n')
			abort();
		if (*p == '\\') {
			if (!p[1] || !strchr("\\\"n", p[1]))
				abort();
			p++;
			text[t++] = *p == 'n' ? '\n' : *p;
		} else if (*p == '"') {
			abort();
		} else {
			text[t++] = *p;
		}
	}
	for (size_t i = 0; i < t;) {
		long v;

		if (text[i] == '\n' || (unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			abort(); /* the terminal's text holds no control */
		if (text[i] != '\\') {
			back[b++] = text[i++];
			continue;
		}
		if (i + 1 >= t)
			abort();
		switch (text[i + 1]) {
		case '\\':
		case 'n':
		case 't':
		case 'r':
			back[b++] = text[i + 1] == 'n'	 ? '\n'
				    : text[i + 1] == 't' ? '\t'
				    : text[i + 1] == 'r' ? '\r'
							 : '\\';
			i += 2;
			break;
		case 'x':
			if (i + 4 > t || (v = hex_at(text + i + 2, 2)) < 0)
				abort();
			back[b++] = (char)v;
			i += 4;
			break;
		case 'u':
		case 'U': {
			int k = text[i + 1] == 'u' ? 4 : 8;

			if (i + 2 + (size_t)k > t || (v = hex_at(text + i + 2, k)) < 0 ||
			    v > 0x10ffff)
				abort();
			b += put_cp((unsigned long)v, back + b);
			i += 2 + (size_t)k;
			break;
		}
		default:
			abort();
		}
	}
	if (b != strlen(in) || memcmp(back, in, b) != 0)
		abort(); /* two values would share this label text */
	free(text);
	free(back);
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
