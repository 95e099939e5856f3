/* SPDX-License-Identifier: MIT */
/*
 * One AdmissionReview in, one answer out. Pods and every workload with a pod
 * template are followed through the model (serve-model.c); anything else the
 * webhook is sent (another kind, a subresource, DELETE) is allowed without a
 * word, since the webhook only speaks about capabilities. A dry run gets the
 * same answer (kubectl apply --dry-run=server shows the same warnings) but
 * leaves no log line: the webhook has no side effects to skip.
 */
/* A warning line is cut at 120 characters on purpose: the API server's limit. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/escape.h"
#include "capscope/json.h"
#include "capscope/serve.h"
#include "serve.h"

#define MAX_WARNINGS 32

static const char *const kinds[] = {"Pod",	  "Deployment", "StatefulSet", "DaemonSet",
				    "ReplicaSet", "Job",	"CronJob"};

static bool checked_kind(const struct cs_admission_request *r)
{
	if (!r->kind || r->sub_resource || !r->object || !r->operation ||
	    (strcmp(r->operation, "CREATE") != 0 && strcmp(r->operation, "UPDATE") != 0))
		return false;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(r->kind, kinds[i]))
			return true;
	return false;
}

static void free_lines(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* "denied by capscope: LINE; LINE" */
static char *join(char **v, size_t n)
{
	size_t len = 32;
	char *m;

	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + 2;
	if (!(m = malloc(len)))
		return NULL;
	strcpy(m, "capscope: ");
	for (size_t i = 0; i < n; i++) {
		strcat(m, v[i]);
		if (i + 1 < n)
			strcat(m, "; ");
	}
	return m;
}

static void log_review(const struct serve_ctx *s, const struct cs_admission_request *r,
		       enum serve_outcome o, size_t n)
{
	static const char *const names[] = {"allowed", "warned", "denied", "unreadable"};
	char *ns, *name, *kind;

	if (s->quiet || r->dry_run)
		return;
	ns = cs_escape_dup(r->namespace ? r->namespace : "-");
	name = cs_escape_dup(r->name ? r->name : "-");
	kind = cs_escape_dup(r->kind ? r->kind : "-");
	if (ns && name && kind)
		fprintf(stderr, "capscope serve: review %s/%s %s: %s (%zu warnings)\n", ns, name,
			kind, names[o], n);
	free(ns);
	free(name);
	free(kind);
}

/* Warnings for the request's object; -ENOMEM only. */
static int check(struct serve_ctx *s, const struct cs_admission_request *r, char ***lines,
		 size_t *n)
{
	struct cs_k8s_manifest m;
	struct cs_diag d = {0};
	int rc = 0;

	cs_k8s_manifest_init(&m);
	if (cs_k8s_parse(&m, r->object, r->object_len, "request.object", &d) < 0) {
		char msg[400], line[SERVE_WARNING_MAX + 1];

		cs_diag_format(&d, msg, sizeof(msg));
		snprintf(line, sizeof(line), "capscope could not read the %s: %s", r->kind, msg);
		cs_k8s_manifest_free(&m);
		if (!(*lines = calloc(1, sizeof(char *))) || !((*lines)[0] = cs_escape_dup(line)))
			return -ENOMEM;
		*n = 1;
		return 1;
	}
	for (size_t i = 0; rc == 0 && i < m.n_pods; i++)
		rc = serve_model_warnings(&s->model, &m.pods[i], lines, n);
	cs_k8s_manifest_free(&m);
	return rc;
}

int serve_review(struct serve_ctx *s, const char *body, size_t len, char **out, size_t *outlen)
{
	struct cs_admission_request r;
	struct cs_admission_response resp = {.allowed = true};
	struct cs_diag d = {0};
	char **lines = NULL, *msg = NULL;
	size_t n = 0;
	enum serve_outcome o = SERVE_ALLOWED;
	int code = 200, rc;
	FILE *f;

	rc = cs_admission_parse(body ? body : "", len, &r, &d);
	if (rc == -ENOMEM)
		goto fail;
	if (rc < 0 && !r.uid) {
		/* Nothing to answer to: a Status the API server logs as the failure. */
		char m[400];

		cs_diag_format(&d, m, sizeof(m));
		code = 400;
		o = SERVE_UNREADABLE;
		if (!(f = open_memstream(out, outlen)))
			goto fail;
		fprintf(f, "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\","
			   "\"code\":400,"
			   "\"reason\":\"BadRequest\",\"message\":");
		struct cs_json j;
		cs_json_init(&j, f, false);
		cs_json_str(&j, m);
		fputs("}\n", f);
		if (fclose(f) != 0)
			goto fail;
		__atomic_add_fetch(&s->reviews[o][0], 1, __ATOMIC_RELAXED);
		cs_admission_request_free(&r);
		return code;
	}
	if (rc < 0) {
		char m[400], line[SERVE_WARNING_MAX + 1];

		cs_diag_format(&d, m, sizeof(m));
		snprintf(line, sizeof(line), "capscope could not read the request: %s", m);
		if (!(lines = calloc(1, sizeof(char *))) || !(lines[0] = cs_escape_dup(line)))
			goto fail;
		n = 1;
		o = SERVE_UNREADABLE;
	} else if (checked_kind(&r)) {
		rc = check(s, &r, &lines, &n);
		if (rc < 0)
			goto fail;
		o = rc == 1 ? SERVE_UNREADABLE : n ? SERVE_WARNED : SERVE_ALLOWED;
	}
	if (o == SERVE_WARNED && s->webhook == SERVE_WEBHOOK_ENFORCE) {
		if (!(msg = join(lines, n > MAX_WARNINGS ? MAX_WARNINGS : n)))
			goto fail;
		resp.allowed = false;
		resp.code = 403;
		resp.message = msg;
		o = SERVE_DENIED;
	}
	resp.warnings = (const char *const *)lines;
	/* kubectl shows them all; past this many, explain pod is the place to look. */
	resp.n_warnings = n > MAX_WARNINGS ? MAX_WARNINGS : n;
	if (!(f = open_memstream(out, outlen)))
		goto fail;
	rc = cs_admission_write(f, &r, &resp);
	if (fclose(f) != 0 || rc < 0)
		goto fail;
	__atomic_add_fetch(&s->reviews[o][r.dry_run], 1, __ATOMIC_RELAXED);
	log_review(s, &r, o, n);
	free_lines(lines, n);
	free(msg);
	cs_admission_request_free(&r);
	return code;
fail:
	free_lines(lines, n);
	free(msg);
	cs_admission_request_free(&r);
	return -ENOMEM;
}

void serve_metrics_self(struct serve_ctx *s, FILE *f)
{
	static const char *const names[] = {"allowed", "warned", "denied", "unreadable"};
	struct cs_prom p;

	cs_prom_init(&p, f);
	if (s->inventory) {
		cs_prom_family(&p, "capscope_inventory_scan_duration_seconds", "gauge",
			       "How long the last inventory scan (bundles and /proc) took");
		cs_prom_sample(&p, "capscope_inventory_scan_duration_seconds", NULL,
			       s->node.last_scan_seconds);
	}
	if (s->webhook == SERVE_WEBHOOK_OFF)
		return;
	cs_prom_family(&p, "capscope_admission_reviews_total", "counter",
		       "AdmissionReviews answered, by outcome and dry run");
	for (int o = 0; o < SERVE_N_OUTCOMES; o++)
		for (int dr = 0; dr < 2; dr++) {
			const char *l[] = {"outcome", names[o], "dry_run", dr ? "true" : "false",
					   NULL};

			cs_prom_sample(
			    &p, "capscope_admission_reviews_total", l,
			    (double)__atomic_load_n(&s->reviews[o][dr], __ATOMIC_RELAXED));
		}
}
