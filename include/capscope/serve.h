/* SPDX-License-Identifier: MIT */
/*
 * What `capscope serve` speaks, as data in and text out, so that it can be
 * tested and fuzzed without a network: the Kubernetes admission webhook's
 * AdmissionReview (admission.k8s.io/v1, and v1beta1 which has the same
 * shape) and the Prometheus text exposition format. The HTTP server itself
 * lives in the CLI.
 */
#ifndef CAPSCOPE_SERVE_H
#define CAPSCOPE_SERVE_H

#include <stdint.h>
#include <stdio.h>

#include "caps.h"
#include "diag.h"
#include "explain.h"
#include "json.h"
#include "k8s.h"

/* An AdmissionReview request, the parts a validating webhook needs. */
struct cs_admission_request {
	char *api_version;  /* "admission.k8s.io/v1" (answered with the same) */
	char *uid;	    /* request.uid: echoed in the response */
	char *kind;	    /* request.kind.kind: "Pod", "Deployment", … */
	char *resource;	    /* request.resource.resource: "pods", "deployments", … */
	char *sub_resource; /* request.subResource or NULL ("ephemeralcontainers", …) */
	char *operation;    /* CREATE, UPDATE, DELETE, CONNECT */
	char *namespace;    /* request.namespace or NULL */
	char *name;	    /* request.name or NULL (generateName) */
	bool dry_run;	    /* request.dryRun */
	char *object;	    /* request.object as JSON text, or NULL (DELETE) */
	size_t object_len;
	char *old_object; /* request.oldObject (UPDATE) as JSON text, or NULL */
	size_t old_object_len;
};

/*
 * Read an AdmissionReview (JSON) from memory. On error returns -EINVAL
 * (-ENOMEM) with d saying where; whatever was read before the error stays in
 * req (notably uid, so that the caller can still answer the request), and
 * must be freed with cs_admission_request_free either way.
 */
CS_EXPORT int cs_admission_parse(const char *buf, size_t len, struct cs_admission_request *req,
				 struct cs_diag *d);
CS_EXPORT void cs_admission_request_free(struct cs_admission_request *req);

/* The answer. */
struct cs_admission_response {
	bool allowed;
	const char *const *warnings; /* shown by kubectl as "Warning: …" */
	size_t n_warnings;
	int code;	     /* status.code when not allowed (403), 0: no status */
	const char *message; /* status.message when not allowed, or NULL */
};

/*
 * Write the AdmissionReview response for req (apiVersion and uid echoed)
 * to f. Returns 0 or the first write error (-errno).
 */
CS_EXPORT int cs_admission_write(FILE *f, const struct cs_admission_request *req,
				 const struct cs_admission_response *resp);

/* ---------- the webhook's answer ---------- */

/*
 * A Kubernetes Status object for a failed call, what the API server logs as
 * the webhook's failure: {"apiVersion": "v1", "kind": "Status", "status":
 * "Failure", "code", "reason" (left out when NULL), "message"}.
 */
CS_EXPORT void cs_k8s_status_json(struct cs_json *j, unsigned code, const char *reason,
				  const char *message);

/*
 * The warning lines for pod: one per requested capability that will not be
 * effective, cs_explain_warning's line (at most CS_EXPLAIN_WARNING_MAX
 * characters) with "; see capscope explain pod" when that still fits.
 * Appended to *lines / *n (heap strings). A container the model cannot
 * follow (cs_pod_ctr_result.not_modelled) gets the line "container NAME:
 * not modelled: REASON". 0; 1 when a container was not modelled or the pod
 * could not be explained (past the model's limits, an /etc file it cannot
 * read), with a line saying why; or -ENOMEM.
 */
CS_EXPORT int cs_pod_warnings(const struct cs_k8s_pod *pod, const struct cs_pod_explain_opts *o,
			      char ***lines, size_t *n);

struct cs_review_opts {
	const struct cs_pod_explain_opts *model; /* how pods are explained */
	bool enforce; /* deny (403, status.message) when there are warnings */
};

enum cs_review_outcome {
	CS_REVIEW_ALLOWED,
	CS_REVIEW_WARNED,
	CS_REVIEW_DENIED,
	CS_REVIEW_UNREADABLE,
	CS_REVIEW_N_OUTCOMES,
};

struct cs_review {
	int http_status; /* 200: an AdmissionReview; 400: a Status (no uid to answer to) */
	char *body;	 /* the JSON to send */
	size_t len;
	enum cs_review_outcome outcome;
	bool dry_run;
	size_t n_warnings;
	/* What was read of it (for a log line); its object and oldObject NULL:
	 * they were read in the body, the caller's. */
	struct cs_admission_request request;
};

/*
 * Answer one AdmissionReview body: Pods and workloads with a pod template
 * are explained and warned about; other kinds, subresources and DELETE are
 * allowed without a word; a review whose object cannot be read is allowed
 * with a warning saying why; a body with no request uid gets a 400 Status.
 * Returns 0 (out filled; cs_review_free it) or -ENOMEM.
 */
CS_EXPORT int cs_admission_review(const char *buf, size_t len, const struct cs_review_opts *o,
				  struct cs_review *out);
CS_EXPORT void cs_review_free(struct cs_review *r);

/* ---------- Prometheus text exposition format 0.0.4 ---------- */

struct cs_prom {
	FILE *f;
	int error; /* first write error, sticky */
};

CS_EXPORT void cs_prom_init(struct cs_prom *p, FILE *f);
/* "# HELP name help" and "# TYPE name type" (type: gauge, counter, …). */
CS_EXPORT void cs_prom_family(struct cs_prom *p, const char *name, const char *type,
			      const char *help);
/*
 * One sample: name{k1="v1",k2="v2"} value. labels is a NULL-terminated list
 * of key, value pairs (NULL values are written as ""). A value is its
 * terminal text (escape.h: a backslash "\\", a control or a byte that is
 * not UTF-8 "\xNN", a hidden character "\uNNNN"), then escaped as the
 * format wants (backslash, double quote, newline): valid UTF-8, nothing
 * hidden raw, and no two values with one label text (twentieth pass: an
 * invalid byte was U+FFFD, as U+FFFD itself), so any text a container
 * controls is safe as a label.
 */
CS_EXPORT void cs_prom_sample(struct cs_prom *p, const char *name, const char *const *labels,
			      double value);
/*
 * The same with labels escaped once for many samples: prefix is the text
 * cs_prom_labels made ('k1="v1",k2="v2"'), labels the ones that vary.
 */
CS_EXPORT void cs_prom_sample_pre(struct cs_prom *p, const char *name, const char *prefix,
				  const char *const *labels, double value);
/* 'k1="v1",k2="v2"' for a NULL-terminated key, value list, escaped; malloc'd. */
CS_EXPORT char *cs_prom_labels(const char *const *labels);
/* Returns 0 or the first write error. */
CS_EXPORT int cs_prom_finish(struct cs_prom *p);
/* Escape one label value into a malloc'd string (for tests and the fuzzer). */
CS_EXPORT char *cs_prom_escape_label(const char *s);

#endif
