/* SPDX-License-Identifier: MIT */
/*
 * The AdmissionReview a Kubernetes API server posts to a validating webhook
 * (k8s.io/api/admission/v1 AdmissionReview: request.uid, kind, resource,
 * subResource, operation, namespace, name, dryRun, object) and the answer it
 * expects back (response.uid, allowed, warnings, status). Read with libfyaml
 * from memory; the object is handed on as JSON text, for the manifest reader
 * that explain pod uses, so both read pods the same way.
 */
#include "capscope/serve.h"

#include <errno.h>
#include <libfyaml.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/json.h"
#include "fyaml-mark.h"
#include "json-doc.h"

/* An AdmissionReview is small (the API server caps objects at 3 MiB); a
 * deeper or larger input is refused before any walk of it. */
#define MAX_REVIEW (8u << 20)

/*
 * libfyaml's document costs some 1.7 KiB per JSON value, and its JSON-mode
 * parser holds the root object's tokens until it closes (tenth pass, part
 * B: a 3.7 MB review of 380,000 keys took 668 MB, an array of 1.9 million
 * zeros 1.4 GB, where the webhook's Deployment has 96 MiB). A pod, even a
 * large one with its managedFields, has a few thousand; a review with more
 * values than this is refused before it is built (session 10, measured: a
 * review of 9,800 values peaks the webhook at 13 MB, 5.5 MB idle).
 */
#define MAX_REVIEW_VALUES 10000

/*
 * An upper bound on the values and keys of JSON text: the separators and
 * openings outside strings, plus one. One pass, no memory; the text is not
 * checked here (the reader does that).
 */
static size_t json_values(const char *s, size_t len)
{
	size_t n = 1;
	bool in_str = false;

	for (size_t i = 0; i < len; i++) {
		if (in_str) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_str = false;
		} else if (s[i] == '"') {
			in_str = true;
		} else if (s[i] == ',' || s[i] == ':' || s[i] == '[' || s[i] == '{') {
			n++;
		}
	}
	return n;
}

static int fail(struct cs_diag *d, struct fy_node *n, const char *field, const char *msg)
{
	const struct fy_mark *mk = n ? cs_fy_node_mark(n) : NULL;

	return cs_diag_set(d, EINVAL, mk ? (unsigned)mk->line + 1 : 0,
			   mk ? (unsigned)mk->column + 1 : 0, field, "%s", msg);
}

/*
 * A string field: absent or null leaves *out NULL; anything but a string is
 * an error. Ninth pass: a number or a boolean was read as its text ("uid": 5
 * answered as uid "5", "operation": true as "true"), where Go's
 * json.Unmarshal refuses a number or a boolean for a string field.
 */
static int get_str(struct fy_node *map, const char *key, const char *field, char **out,
		   struct cs_diag *d)
{
	struct fy_node *n = map ? fy_node_mapping_lookup_by_string(map, key, FY_NT) : NULL;
	const char *s;
	size_t len;

	*out = NULL;
	if (!n)
		return 0;
	if (!fy_node_is_scalar(n))
		return fail(d, n, field, "is not a string");
	s = fy_node_get_scalar(n, &len);
	if (fy_node_get_style(n) == FYNS_PLAIN && len == 4 && !memcmp(s, "null", 4))
		return 0;
	if (fy_node_get_style(n) != FYNS_DOUBLE_QUOTED)
		return fail(d, n, field, "is not a string");
	if (memchr(s, '\0', len))
		return fail(d, n, field, "holds a NUL character");
	*out = strndup(s, len);
	return *out ? 0 : -ENOMEM;
}

static int get_map(struct fy_node *map, const char *key, const char *field, struct fy_node **out,
		   struct cs_diag *d)
{
	struct fy_node *n = map ? fy_node_mapping_lookup_by_string(map, key, FY_NT) : NULL;

	*out = NULL;
	if (!n)
		return 0;
	if (fy_node_is_scalar(n)) {
		size_t len;
		const char *s = fy_node_get_scalar(n, &len);

		if (fy_node_get_style(n) == FYNS_PLAIN && len == 4 && !memcmp(s, "null", 4))
			return 0;
	}
	if (!fy_node_is_mapping(n))
		return fail(d, n, field, "is not an object");
	*out = n;
	return 0;
}

static int read_request(const char *buf, size_t buf_len, struct fy_node *rq,
			struct cs_admission_request *req, struct cs_diag *d)
{
	struct fy_node *kind, *res, *dry, *obj;
	int r;

	if ((r = get_str(rq, "uid", "request.uid", &req->uid, d)) < 0)
		return r;
	if (!req->uid || !req->uid[0])
		return fail(d, rq, "request.uid", "missing: the answer could not name its request");
	if ((r = get_map(rq, "kind", "request.kind", &kind, d)) < 0 ||
	    (r = get_str(kind, "kind", "request.kind.kind", &req->kind, d)) < 0 ||
	    (r = get_map(rq, "resource", "request.resource", &res, d)) < 0 ||
	    (r = get_str(res, "resource", "request.resource.resource", &req->resource, d)) < 0 ||
	    (r = get_str(rq, "subResource", "request.subResource", &req->sub_resource, d)) < 0 ||
	    (r = get_str(rq, "operation", "request.operation", &req->operation, d)) < 0 ||
	    (r = get_str(rq, "namespace", "request.namespace", &req->namespace, d)) < 0 ||
	    (r = get_str(rq, "name", "request.name", &req->name, d)) < 0)
		return r;
	dry = fy_node_mapping_lookup_by_string(rq, "dryRun", FY_NT);
	if (dry) {
		size_t len;
		const char *s = fy_node_is_scalar(dry) ? fy_node_get_scalar(dry, &len) : NULL;

		if (!s || fy_node_get_style(dry) != FYNS_PLAIN)
			return fail(d, dry, "request.dryRun", "is not true or false");
		req->dry_run = len == 4 && !memcmp(s, "true", 4);
		if (!req->dry_run && !(len == 5 && !memcmp(s, "false", 5)) &&
		    !(len == 4 && !memcmp(s, "null", 4)))
			return fail(d, dry, "request.dryRun", "is not true or false");
	}
	if ((r = get_map(rq, "object", "request.object", &obj, d)) < 0)
		return r;
	if (obj) {
		/* Its own bytes, not libfyaml's emission of it, which leaks
		 * (json-doc.c, cs_json_span). */
		static const char *const path[] = {"request", "object"};
		size_t from = 0, to = 0;

		if ((r = cs_json_span(buf, buf_len, path, 2, &from, &to)) < 0)
			return r == -ENOMEM ? r : fail(d, obj, "request.object", "not found");
		if (!(req->object = strndup(buf + from, to - from)))
			return -ENOMEM;
		req->object_len = to - from;
	}
	return 0;
}

int cs_admission_parse(const char *buf, size_t len, struct cs_admission_request *req,
		       struct cs_diag *d)
{
	struct fy_document *doc;
	struct fy_node *root, *rq;
	char *kind = NULL;
	int r;

	memset(req, 0, sizeof(*req));
	if (len > MAX_REVIEW)
		return cs_diag_set(d, E2BIG, 0, 0, "",
				   "an AdmissionReview of %zu bytes is too large", len);
	if (!len)
		return cs_diag_set(d, EINVAL, 0, 0, "",
				   "empty body: an AdmissionReview was expected");
	if (json_values(buf, len) > MAX_REVIEW_VALUES)
		return cs_diag_set(d, E2BIG, 0, 0, "",
				   "an AdmissionReview of more than %d JSON values (keys, items, "
				   "values) is more than a pod holds: not read",
				   MAX_REVIEW_VALUES);
	if ((r = cs_json_doc_build(buf, len, true, &doc, d)) < 0)
		return r;
	root = fy_document_root(doc);
	if (!root || !fy_node_is_mapping(root)) {
		r = fail(d, root, "", "an AdmissionReview is a JSON object");
		goto out;
	}
	if ((r = get_str(root, "apiVersion", "apiVersion", &req->api_version, d)) < 0 ||
	    (r = get_str(root, "kind", "kind", &kind, d)) < 0)
		goto out;
	if (!kind || strcmp(kind, "AdmissionReview") != 0) {
		r = fail(d, root, "kind", "is not AdmissionReview");
		goto out;
	}
	if (!req->api_version || (strcmp(req->api_version, "admission.k8s.io/v1") != 0 &&
				  strcmp(req->api_version, "admission.k8s.io/v1beta1") != 0)) {
		r = fail(d, root, "apiVersion", "is not admission.k8s.io/v1 (or v1beta1)");
		goto out;
	}
	if ((r = get_map(root, "request", "request", &rq, d)) < 0)
		goto out;
	if (!rq) {
		r = fail(d, root, "request", "missing");
		goto out;
	}
	r = read_request(buf, len, rq, req, d);
out:
	free(kind);
	fy_document_destroy(doc);
	return r;
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
		cs_json_arr_begin(&j);
		for (size_t i = 0; i < resp->n_warnings; i++)
			cs_json_str(&j, resp->warnings[i]);
		cs_json_arr_end(&j);
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
