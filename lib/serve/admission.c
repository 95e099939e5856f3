/* SPDX-License-Identifier: MIT */
/*
 * The AdmissionReview a Kubernetes API server posts to a validating webhook
 * (k8s.io/api/admission/v1 AdmissionReview: request.uid, kind, resource,
 * subResource, operation, namespace, name, dryRun, object) and the answer it
 * expects back (response.uid, allowed, warnings, status). The object is
 * handed on as its own JSON text, for the manifest reader that explain pod
 * uses, so both read pods the same way.
 */
#include "capscope/serve.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/json.h"
#include "internal/admission.h"
#include "internal/json-check.h"

/* An AdmissionReview is small (the API server caps objects at 3 MiB); a
 * larger input is refused before it is read. */
#define MAX_REVIEW (8u << 20)

/*
 * The envelope is checked and its fields found in one pass of our own
 * (lib/json-check.c), in memory that grows with the nesting; only
 * request.object is built as a tree, by the manifest reader. Session 11:
 * libfyaml's JSON document held some 1.1 KB a value of one-line JSON, so
 * the webhook refused reviews of more than 10,000 values (tenth pass); now
 * the cap is on the object's tree alone, at 50 to 112 bytes a value with
 * the manifest's model of it: a pod of this many values (a large pod with
 * its managedFields has a few thousand; etcd's 1.5 MiB at its densest some
 * 300,000) costs the webhook at most some 48 MB, inside its Deployment's
 * 96 MiB.
 */
#define MAX_OBJECT_VALUES 400000

enum field {
	F_ROOT,
	F_API,
	F_KIND,
	F_RQ,
	F_UID,
	F_RKIND,
	F_RKK,
	F_RES,
	F_RRES,
	F_SUB,
	F_OP,
	F_NS,
	F_NAME,
	F_DRY,
	F_OBJ,
	F_OLD,
	N_FIELDS
};

/* The fields read: the name messages give, and the keys from the root. */
static const struct {
	const char *name;
	const char *const path[3];
} fields[N_FIELDS] = {
    [F_ROOT] = {"", {NULL}},
    [F_API] = {"apiVersion", {"apiVersion"}},
    [F_KIND] = {"kind", {"kind"}},
    [F_RQ] = {"request", {"request"}},
    [F_UID] = {"request.uid", {"request", "uid"}},
    [F_RKIND] = {"request.kind", {"request", "kind"}},
    [F_RKK] = {"request.kind.kind", {"request", "kind", "kind"}},
    [F_RES] = {"request.resource", {"request", "resource"}},
    [F_RRES] = {"request.resource.resource", {"request", "resource", "resource"}},
    [F_SUB] = {"request.subResource", {"request", "subResource"}},
    [F_OP] = {"request.operation", {"request", "operation"}},
    [F_NS] = {"request.namespace", {"request", "namespace"}},
    [F_NAME] = {"request.name", {"request", "name"}},
    [F_DRY] = {"request.dryRun", {"request", "dryRun"}},
    [F_OBJ] = {"request.object", {"request", "object"}},
    [F_OLD] = {"request.oldObject", {"request", "oldObject"}},
};

struct envelope {
	const char *buf;
	bool in_place; /* objects as pointers into buf (internal/admission.h) */
	struct cs_json_want w[N_FIELDS];
	struct cs_diag *d;
};

static int fail(struct envelope *e, enum field at, enum field field, const char *msg)
{
	unsigned line = 0, col = 0;

	/* A string at its opening quote, as the other readers' marks (it was
	 * past the quote: twenty-eighth pass, part A). */
	if (e->w[at].found)
		cs_json_pos(e->buf, e->w[at].from, &line, &col);
	return cs_diag_set(e->d, EINVAL, line, col, fields[field].name, "%s", msg);
}

static bool is_null(const struct envelope *e, enum field f)
{
	return !e->w[f].found || e->w[f].type == 'n';
}

/*
 * A string field: absent or null leaves *out NULL; anything but a string is
 * an error. Ninth pass: a number or a boolean was read as its text ("uid": 5
 * answered as uid "5", "operation": true as "true"), where Go's
 * json.Unmarshal refuses a number or a boolean for a string field.
 */
static int get_str(struct envelope *e, enum field f, char **out)
{
	size_t len;
	int r;

	*out = NULL;
	if (is_null(e, f))
		return 0;
	if (e->w[f].type != '"')
		return fail(e, f, f, "is not a string");
	r = cs_json_string(e->buf, e->w[f].from, e->w[f].to, out, &len);
	return r == -EINVAL ? fail(e, f, f, "holds a NUL character") : r;
}

static int want_map(struct envelope *e, enum field f)
{
	return is_null(e, f) || e->w[f].type == '{' ? 0 : fail(e, f, f, "is not an object");
}

/* An object field's own bytes (NULL when absent or null), for the manifest
 * reader that explain pod uses: a copy, or in place (the review's own; see
 * cs_admission_parse_in_place). */
static int get_object(struct envelope *e, enum field f, char **out, size_t *len)
{
	size_t from = e->w[f].from, to = e->w[f].to;
	int r;

	if ((r = want_map(e, f)) < 0 || is_null(e, f))
		return r;
	if (cs_json_values(e->buf + from, to - from) > MAX_OBJECT_VALUES) {
		if (f == F_OLD) /* not kept, no error (read_request) */
			return -E2BIG;
		return cs_diag_set(e->d, E2BIG, 0, 0, fields[f].name,
				   "more than %d JSON values (keys, items, values), more than a "
				   "pod holds: not read",
				   MAX_OBJECT_VALUES);
	}
	if (e->in_place)
		*out = (char *)(e->buf + from);
	else if (!(*out = strndup(e->buf + from, to - from)))
		return -ENOMEM;
	*len = to - from;
	return 0;
}

static int read_request(struct envelope *e, struct cs_admission_request *req)
{
	int r;

	if ((r = get_str(e, F_UID, &req->uid)) < 0)
		return r;
	if (!req->uid || !req->uid[0])
		return fail(e, F_RQ, F_UID, "missing: the answer could not name its request");
	if ((r = want_map(e, F_RKIND)) < 0 || (r = get_str(e, F_RKK, &req->kind)) < 0 ||
	    (r = want_map(e, F_RES)) < 0 || (r = get_str(e, F_RRES, &req->resource)) < 0 ||
	    (r = get_str(e, F_SUB, &req->sub_resource)) < 0 ||
	    (r = get_str(e, F_OP, &req->operation)) < 0 ||
	    (r = get_str(e, F_NS, &req->namespace)) < 0 || (r = get_str(e, F_NAME, &req->name)) < 0)
		return r;
	if (!is_null(e, F_DRY)) {
		if (e->w[F_DRY].type != 't' && e->w[F_DRY].type != 'f')
			return fail(e, F_DRY, F_DRY, "is not true or false");
		req->dry_run = e->w[F_DRY].type == 't';
	}
	if ((r = get_object(e, F_OBJ, &req->object, &req->object_len)) < 0 || !req->object)
		return r;
	/*
	 * A Pod UPDATE's object as it was (lib/serve/review.c: what the update
	 * adds); no other review needs it, so no other pays for it (a workload's
	 * oldObject may be 3 MB). Past the cap it is not kept: the whole pod is
	 * judged, as without it.
	 */
	if (!req->kind || strcmp(req->kind, "Pod") != 0 || !req->operation ||
	    strcmp(req->operation, "UPDATE") != 0)
		return 0;
	if ((r = get_object(e, F_OLD, &req->old_object, &req->old_object_len)) == -E2BIG)
		return 0;
	return r;
}

static int parse(const char *buf, size_t len, bool in_place, struct cs_admission_request *req,
		 struct cs_diag *d)
{
	struct envelope e = {.buf = buf, .in_place = in_place, .d = d};
	char *kind = NULL;
	int r;

	memset(req, 0, sizeof(*req));
	if (len > MAX_REVIEW)
		return cs_diag_set(d, E2BIG, 0, 0, "",
				   "an AdmissionReview of %zu bytes is too large", len);
	if (!len)
		return cs_diag_set(d, EINVAL, 0, 0, "",
				   "empty body: an AdmissionReview was expected");
	for (size_t f = 0; f < N_FIELDS; f++) { /* each field's keys, counted */
		e.w[f].path = fields[f].path;
		while (e.w[f].n < 3 && fields[f].path[e.w[f].n])
			e.w[f].n++;
	}
	if ((r = cs_json_check(buf, len, true, e.w, N_FIELDS, NULL, "", "JSON: ", d)) < 0)
		return r;
	if (e.w[F_ROOT].type != '{')
		return fail(&e, F_ROOT, F_ROOT, "an AdmissionReview is a JSON object");
	if ((r = get_str(&e, F_API, &req->api_version)) < 0 || (r = get_str(&e, F_KIND, &kind)) < 0)
		goto out;
	if (!kind || strcmp(kind, "AdmissionReview") != 0) {
		r = fail(&e, F_ROOT, F_KIND, "is not AdmissionReview");
		goto out;
	}
	if (!req->api_version || (strcmp(req->api_version, "admission.k8s.io/v1") != 0 &&
				  strcmp(req->api_version, "admission.k8s.io/v1beta1") != 0)) {
		r = fail(&e, F_ROOT, F_API, "is not admission.k8s.io/v1 (or v1beta1)");
		goto out;
	}
	if ((r = want_map(&e, F_RQ)) < 0)
		goto out;
	if (is_null(&e, F_RQ)) {
		r = fail(&e, F_ROOT, F_RQ, "missing");
		goto out;
	}
	r = read_request(&e, req);
out:
	free(kind);
	return r;
}

int cs_admission_parse(const char *buf, size_t len, struct cs_admission_request *req,
		       struct cs_diag *d)
{
	return parse(buf, len, false, req, d);
}

/*
 * Nineteenth pass, part A: a 4 MB review held its body, this reader's copy
 * of the object and the manifest reader's copy of that (with room for its
 * prefix) while the object's tree was built: 12 of its 37 MB were the same
 * text three times. The review reads the object where it is.
 */
int cs_admission_parse_in_place(const char *buf, size_t len, struct cs_admission_request *req,
				struct cs_diag *d)
{
	return parse(buf, len, true, req, d);
}

void cs_admission_request_forget(struct cs_admission_request *req)
{
	req->object = NULL;
	req->object_len = 0;
	req->old_object = NULL;
	req->old_object_len = 0;
}

void cs_admission_request_free(struct cs_admission_request *req)
{
	if (!req)
		return;
	free(req->api_version);
	free(req->uid);
	free(req->kind);
	free(req->resource);
	free(req->sub_resource);
	free(req->operation);
	free(req->namespace);
	free(req->name);
	free(req->object);
	free(req->old_object);
	memset(req, 0, sizeof(*req));
}

int cs_admission_write(FILE *f, const struct cs_admission_request *req,
		       const struct cs_admission_response *resp)
{
	struct cs_json j;

	cs_json_init(&j, f, false);
	cs_json_obj_begin(&j);
	cs_json_key(&j, "apiVersion");
	cs_json_str(&j, req->api_version ? req->api_version : "admission.k8s.io/v1");
	cs_json_key(&j, "kind");
	cs_json_str(&j, "AdmissionReview");
	cs_json_key(&j, "response");
	cs_json_obj_begin(&j);
	cs_json_key(&j, "uid");
	cs_json_str(&j, req->uid ? req->uid : "");
	cs_json_key(&j, "allowed");
	cs_json_bool(&j, resp->allowed);
	if (resp->n_warnings) {
		cs_json_key(&j, "warnings");
		cs_json_strv(&j, resp->warnings, resp->n_warnings);
	}
	if (resp->code || resp->message) {
		cs_json_key(&j, "status");
		cs_json_obj_begin(&j);
		if (resp->code) {
			cs_json_key(&j, "code");
			cs_json_int(&j, resp->code);
		}
		if (resp->message) {
			cs_json_key(&j, "message");
			cs_json_str(&j, resp->message);
		}
		cs_json_obj_end(&j);
	}
	cs_json_obj_end(&j);
	cs_json_obj_end(&j);
	return cs_json_finish(&j);
}
