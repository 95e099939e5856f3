/* SPDX-License-Identifier: MIT */
/*
 * One AdmissionReview in, one answer out — the admission webhook as a
 * library call. Pods and every workload with a pod template are read with
 * the manifest reader explain pod uses and explained with cs_pod_explain;
 * each requested capability that does not end effective becomes one
 * warning line (cs_explain_warning). Anything else the webhook is sent
 * (another kind, a subresource, DELETE) is allowed without a word: the
 * webhook speaks only about capabilities. A dry run gets the same answer.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/escape.h"
#include "capscope/json.h"
#include "capscope/serve.h"
#include "capscope/text.h"
#include "internal/admission.h"
#include "internal/cleanup.h"
#include "internal/memstream.h"
#include "internal/util.h"

/* kubectl shows them all; past this many, explain pod is the place to look. */
#define MAX_WARNINGS 32

/* Every kind with a pod template the manifest reader reads (twelfth pass:
 * ReplicationController was allowed unread). */
static const char *const kinds[] = {
    "Pod", "Deployment", "StatefulSet",		  "DaemonSet",	     "ReplicaSet",
    "Job", "CronJob",	 "ReplicationController", "DeploymentConfig"};

/*
 * A subresource is not a workload, but for one: pods/ephemeralcontainers
 * (kubectl debug) is sent as an UPDATE whose object is the whole Pod with
 * its spec.ephemeralContainers, which the manifest reader reads. Thirteenth
 * pass (the twelfth's open find): it was skipped, so a debug container
 * asking for a capability it would not get had no warning.
 */
static bool checked_sub_resource(const struct cs_admission_request *r)
{
	return !r->sub_resource ||
	       (!strcmp(r->sub_resource, "ephemeralcontainers") && !strcmp(r->kind, "Pod"));
}

static bool checked_kind(const struct cs_admission_request *r)
{
	if (!r->kind || !checked_sub_resource(r) || !r->object || !r->operation ||
	    (strcmp(r->operation, "CREATE") != 0 && strcmp(r->operation, "UPDATE") != 0))
		return false;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(r->kind, kinds[i]))
			return true;
	return false;
}

static int push(char ***lines, size_t *n, char *line)
{
	char **v;

	if (!line || !(v = realloc(*lines, (*n + 1) * sizeof(*v)))) {
		free(line);
		return -ENOMEM;
	}
	*lines = v;
	v[(*n)++] = line;
	return 0;
}

static int unreadable(const char *verb, const char *what, const struct cs_diag *d, char ***lines,
		      size_t *n);

/*
 * A line holding text of the object, escaped and then cut to the API
 * server's 120 characters on a whole escape, with "..." when cut (freed).
 * Twelfth pass: it was cut at 120 bytes and then escaped, so an apiVersion
 * of 60 ESC bytes made a warning of 279 characters.
 */
static char *escaped_line(char *line)
{
	char buf[CS_EXPLAIN_WARNING_MAX + 1];

	if (!line)
		return NULL;
	cs_escape_clip(line, buf, sizeof(buf));
	free(line);
	return strdup(buf);
}

/*
 * The containers a Pod UPDATE adds: the ephemeral ones whose names the pod
 * did not have before (oldObject). Fourteenth pass (the thirteenth's open
 * find): a pod UPDATE was judged whole, so each `kubectl debug` repeated the
 * warnings of every container the pod already had, and under --webhook
 * enforce a pod admitted in warn mode could no longer be debugged, nor
 * labelled. The API server validates an UPDATE before validating webhooks
 * see it, and a pod's containers and ephemeral containers cannot change
 * after they are added (ValidatePodUpdate, ValidatePodEphemeralContainersUpdate):
 * what the update adds is all that can differ from what was judged. The
 * model still sees the whole pod (its pod-level context).
 */
struct added {
	bool only;  /* warn only for the containers the update adds */
	char **old; /* the ephemeral container names before, sorted (copies) */
	size_t n_old;
};

static void added_free(struct added *a)
{
	for (size_t i = 0; i < a->n_old; i++)
		free(a->old[i]);
	free(a->old);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_added(const struct added *a, const struct cs_k8s_container *c)
{
	if (!a || !a->only)
		return true;
	return c->kind == CS_CTR_EPHEMERAL && c->name &&
	       !bsearch(&c->name, a->old, a->n_old, sizeof(*a->old), cmp_str);
}

struct warn_ctx {
	char ***lines;
	size_t *n;
	size_t keep;		   /* lines kept at most; the others are only counted */
	size_t *total;		   /* lines, kept or not */
	bool unknown;		   /* a container the model could not follow */
	const struct added *added; /* or NULL: every container */
};

/* One container's result, as soon as it is complete: its warning lines. */
static int ctr_warnings(const struct cs_pod_explain_result *pod, const struct cs_pod_ctr_result *c,
			void *data)
{
	static const char tail[] = "; see capscope explain pod";
	struct warn_ctx *w = data;
	int rc = 0;

	(void)pod;
	if (!is_added(w->added, c->c))
		return 0;
	/* Past the model's 256 groups: said so; the review is "unreadable" (1). */
	if (c->not_modelled) {
		char *line = NULL;

		w->unknown = true;
		if (++*w->total > w->keep)
			return 0;
		if (asprintf(&line, "container %s: not modelled: %s", c->c->name, c->not_modelled) <
		    0)
			return -ENOMEM;
		return push(w->lines, w->n, escaped_line(line));
	}
	for (size_t k = 0; rc == 0 && k < c->n_verdicts; k++) {
		const struct cs_cap_verdict *v = &c->verdicts[k];
		char buf[CS_EXPLAIN_WARNING_MAX + sizeof(tail)];
		size_t len;

		/* ALL has no single verdict: explain pod shows the sets */
		if (v->effective || v->why == CS_WHY_ALL)
			continue;
		if (++*w->total > w->keep)
			continue;
		len = cs_explain_warning(c->c->name, v, buf, sizeof(buf));
		if (len + sizeof(tail) - 1 <= CS_EXPLAIN_WARNING_MAX)
			memcpy(buf + len, tail, sizeof(tail));
		rc = push(w->lines, w->n, strdup(buf));
	}
	return rc;
}

/*
 * cs_pod_warnings, keeping at most keep lines and counting all in *total.
 * Session 11, part E: a 4 MB review of 7,000 containers adding 41
 * capabilities each made 287,000 lines, 102 MB in the webhook, of which
 * the answer shows 32.
 */
static int pod_warnings(const struct cs_k8s_pod *pod, const struct cs_pod_explain_opts *o,
			const struct added *added, char ***lines, size_t *n, size_t keep,
			size_t *total)
{
	struct warn_ctx w = {lines, n, keep, total, false, added};
	struct cs_pod_explain_opts so = *o;
	struct cs_pod_explain_result *r = NULL;
	struct cs_diag d = {0};
	int rc;

	/*
	 * Streamed, each container's result freed once its lines are taken:
	 * session 11, a review of 30,000 containers of two values each (0.9 MB;
	 * the cap is on values, 400,000) held every result at once, some 18 KB
	 * each, and took the webhook to 537 MB (its Deployment: 96 MiB).
	 */
	so.on_container = ctr_warnings;
	so.data = &w;
	/*
	 * The Pod Security level without its reasons: no warning shows them.
	 * Both reasons name every container and each check it fails, and were
	 * held for the whole review: found by parts C and D of the eighteenth
	 * pass, 48 of the 63 MB a 4 MB review of 7,000 containers adding 41
	 * capabilities each took.
	 */
	so.psa_level_only = true;
	/* Nor remedies (a fifth of a review's instructions): explain pod's. */
	so.no_remedies = true;
	rc = cs_pod_explain(pod, &so, &r, &d);
	cs_pod_explain_free(r);
	/*
	 * Past the model's fixed lists (E2BIG: 1,000 names in capabilities.add)
	 * or an /etc file it cannot read: one warning saying why, as for an
	 * object that could not be read. Session 11: this went up as -ENOMEM,
	 * and the webhook closed the connection without an answer or a log line.
	 */
	if (rc < 0 && rc != -ENOMEM)
		rc = unreadable("explain", "pod", &d, lines, n) < 0 ? -ENOMEM : 1;
	if (rc == 1)
		++*total;
	return rc == 0 && w.unknown ? 1 : rc;
}

int cs_pod_warnings(const struct cs_k8s_pod *pod, const struct cs_pod_explain_opts *o,
		    char ***lines, size_t *n)
{
	size_t total = 0;

	return pod_warnings(pod, o, NULL, lines, n, SIZE_MAX, &total);
}

/* One warning saying what could not be read (or explained). */
static int unreadable(const char *verb, const char *what, const struct cs_diag *d, char ***lines,
		      size_t *n)
{
	char msg[800], *line = NULL;

	cs_diag_format(d, msg, sizeof(msg));
	if (asprintf(&line, "capscope could not %s the %s: %s", verb, what, msg) < 0)
		return -ENOMEM;
	return push(lines, n, escaped_line(line));
}

/* The names of p's ephemeral containers, copied, sorted; 0 or -ENOMEM. */
static int old_names(const struct cs_k8s_pod *p, struct added *a)
{
	if (p->n_containers && !(a->old = calloc(p->n_containers, sizeof(*a->old))))
		return -ENOMEM;
	for (size_t i = 0; i < p->n_containers; i++) {
		const struct cs_k8s_container *c = &p->containers[i];

		if (c->kind != CS_CTR_EPHEMERAL || !c->name)
			continue;
		if (!(a->old[a->n_old] = strdup(c->name)))
			return -ENOMEM;
		a->n_old++;
	}
	if (a->n_old) /* a->old is NULL for a pod of no container */
		qsort(a->old, a->n_old, sizeof(*a->old), cmp_str);
	return 0;
}

/*
 * A Pod UPDATE whose oldObject reads as one pod: a->only, with the names of
 * its ephemeral containers (0, or -ENOMEM). Anything else (a CREATE, a
 * workload, whose template may change in any way and starts new pods; an
 * UPDATE without a readable oldObject) is judged whole, as before. The old
 * pod's tree is freed before the new one is built (a review's memory).
 */
static int added_by_update(const struct cs_admission_request *r, struct added *a)
{
	struct cs_k8s_manifest old;
	struct cs_diag d = {0};
	int rc;

	memset(a, 0, sizeof(*a));
	if (strcmp(r->operation, "UPDATE") != 0 || strcmp(r->kind, "Pod") != 0 || !r->old_object)
		return 0;
	cs_k8s_manifest_init(&old);
	old.validate = CS_K8S_VALIDATE_WARN; /* as in check() */
	rc = cs_k8s_parse(&old, r->old_object, r->old_object_len, "request.oldObject", &d);
	if (rc == 0 && old.n_pods == 1 && (rc = old_names(&old.pods[0], a)) == 0)
		a->only = true;
	cs_k8s_manifest_free(&old);
	return rc == -ENOMEM ? -ENOMEM : 0;
}

/*
 * The API server has decoded the object with its own release's types, so a
 * key capscope's Kubernetes 1.32 lists lack is a field of a newer release:
 * read as absent (CS_K8S_VALIDATE_WARN), since refusing it would leave
 * every pod of a newer cluster that sets one unexplained, and said in one
 * line, since what the field does is not predicted (session 18).
 */
static int unknown_fields(const struct cs_k8s_manifest *m, char ***lines, size_t *n, size_t *total)
{
	char *line = NULL;

	if (!m->n_unknown_total)
		return 0;
	++*total;
	if (asprintf(&line, "capscope read %zu field%s newer than Kubernetes 1.32 as absent: %s",
		     m->n_unknown_total, m->n_unknown_total == 1 ? "" : "s",
		     m->unknown[0].field) < 0)
		return -ENOMEM;
	return push(lines, n, escaped_line(line));
}

/* Warnings for the request's object, the first MAX_WARNINGS kept, all
 * counted in *total, the first *info of them saying what was read as
 * absent (not a finding: enforce does not deny for it, as it does not for
 * an object it cannot read): 0, 1 when it could not be read or a pod of it
 * not explained, -ENOMEM. */
static int check(const struct cs_review_opts *o, const struct cs_admission_request *r,
		 char ***lines, size_t *n, size_t *total, size_t *info)
{
	struct cs_k8s_manifest m;
	struct cs_diag d = {0};
	struct added a;
	int rc;

	cs_k8s_manifest_init(&m);
	m.validate = CS_K8S_VALIDATE_WARN;
	rc = added_by_update(r, &a);
	/* Memory that ran out is the server's, not the object's: 500, as for a
	 * pod not explained for it. It was "could not read the Pod: out of
	 * memory" with 200, and enforce allowed what it denies (session 26). */
	if (rc == 0 &&
	    (rc = cs_k8s_parse(&m, r->object, r->object_len, "request.object", &d)) < 0 &&
	    rc != -ENOMEM) {
		*total = 1;
		rc = unreadable("read", r->kind, &d, lines, n) < 0 ? -ENOMEM : 1;
	}
	if (rc == 0 && (rc = unknown_fields(&m, lines, n, total)) == 0)
		*info = *n;
	for (size_t i = 0; rc == 0 && i < m.n_pods; i++)
		rc = pod_warnings(&m.pods[i], o->model, &a, lines, n, MAX_WARNINGS, total);
	cs_k8s_manifest_free(&m);
	added_free(&a);
	return rc;
}

/*
 * More lines than the answer shows (total of them, *n kept): the last line
 * shown counts the others. Twelfth pass: 40 containers each adding a
 * capability that would not be effective were answered with 32 lines and
 * not a word of the other 8, so the user met them at the next apply, and
 * enforce's denial listed the 32 as if they were all.
 */
static int count_more(char ***lines, size_t *n, size_t total)
{
	char *line = NULL;

	if (total <= MAX_WARNINGS)
		return 0;
	while (*n > MAX_WARNINGS - 1)
		free((*lines)[--*n]);
	if (asprintf(&line, "%zu more warnings not shown; see capscope explain pod",
		     total - (MAX_WARNINGS - 1)) < 0)
		return -ENOMEM;
	return push(lines, n, line);
}

/* "capscope: LINE; LINE" */
static char *join(char **v, size_t n)
{
	return cs_join("capscope: ", (const char *const *)v, n, "; ");
}

void cs_k8s_status_json(struct cs_json *j, unsigned code, const char *reason, const char *message)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "apiVersion");
	cs_json_str(j, "v1");
	cs_json_key(j, "kind");
	cs_json_str(j, "Status");
	cs_json_key(j, "status");
	cs_json_str(j, "Failure");
	cs_json_key(j, "code");
	cs_json_int(j, code);
	if (reason) {
		cs_json_key(j, "reason");
		cs_json_str(j, reason);
	}
	cs_json_key(j, "message");
	cs_json_str(j, message);
	cs_json_obj_end(j);
}

/* Nothing to answer to: a Status the API server logs as the webhook's failure. */
static int bad_request(const struct cs_diag *d, struct cs_review *out)
{
	char m[800];
	FILE *f = cs_memstream_open(&out->body, &out->len);
	struct cs_json j;
	int r;

	if (!f)
		return -ENOMEM;
	cs_diag_format(d, m, sizeof(m));
	cs_json_init(&j, f, false);
	cs_k8s_status_json(&j, 400, "BadRequest", m);
	r = cs_json_finish(&j);
	out->http_status = 400;
	out->outcome = CS_REVIEW_UNREADABLE;
	return cs_memstream_close(f) == 0 && r == 0 ? 0 : -ENOMEM;
}

/* The verdict and the answer, once the request was read (or its uid was). */
static int answer(const struct cs_review_opts *o, const struct cs_admission_request *r, int parsed,
		  const struct cs_diag *d, struct cs_review *out)
{
	struct cs_admission_response resp = {.allowed = true};
	char **lines = NULL, *msg = NULL;
	size_t n = 0, total = 0, info = 0;
	int rc = 0;
	FILE *f;

	out->outcome = CS_REVIEW_ALLOWED;
	if (parsed < 0) {
		rc = unreadable("read", "request", d, &lines, &n);
		total = n;
		out->outcome = CS_REVIEW_UNREADABLE;
	} else if (checked_kind(r)) {
		rc = check(o, r, &lines, &n, &total, &info);
		if (rc >= 0 && count_more(&lines, &n, total) < 0)
			rc = -ENOMEM;
		out->outcome = rc == 1	  ? CS_REVIEW_UNREADABLE
			       : n > info ? CS_REVIEW_WARNED
					  : CS_REVIEW_ALLOWED;
	}
	if (rc >= 0 && out->outcome == CS_REVIEW_WARNED && o->enforce) {
		if ((msg = join(lines, n > MAX_WARNINGS ? MAX_WARNINGS : n)) == NULL)
			rc = -ENOMEM;
		resp.allowed = false;
		resp.code = 403;
		resp.message = msg;
		out->outcome = CS_REVIEW_DENIED;
	}
	resp.warnings = (const char *const *)lines;
	resp.n_warnings = n > MAX_WARNINGS ? MAX_WARNINGS : n;
	out->n_warnings = total;
	if (rc >= 0) {
		if (!(f = cs_memstream_open(&out->body, &out->len))) {
			rc = -ENOMEM;
		} else {
			rc = cs_admission_write(f, r, &resp);
			/* closed whatever the writer said: its error left it open */
			if (cs_memstream_close(f) < 0 || rc < 0)
				rc = -ENOMEM;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(msg);
	out->http_status = 200;
	return rc < 0 ? -ENOMEM : 0;
}

int cs_admission_review(const char *buf, size_t len, const struct cs_review_opts *o,
			struct cs_review *out)
{
	struct cs_diag d = {0};
	int rc;

	memset(out, 0, sizeof(*out));
	/* The object is read in buf (internal/admission.h), and let go of
	 * before out is given back: buf is the caller's. */
	rc = cs_admission_parse_in_place(buf ? buf : "", len, &out->request, &d);
	if (rc == -ENOMEM) {
		cs_admission_request_forget(&out->request);
		return rc;
	}
	out->dry_run = out->request.dry_run;
	if (rc < 0 && !out->request.uid)
		rc = bad_request(&d, out);
	else
		rc = answer(o, &out->request, rc, &d, out);
	cs_admission_request_forget(&out->request);
	return rc;
}

void cs_review_free(struct cs_review *r)
{
	if (!r)
		return;
	cs_admission_request_free(&r->request);
	free(r->body);
	memset(r, 0, sizeof(*r));
}
