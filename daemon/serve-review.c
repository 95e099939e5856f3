/* SPDX-License-Identifier: MIT */
/*
 * The webhook's route behind POST /validate: the library answers
 * (cs_admission_review); this counts the outcome for /metrics and logs one
 * line per review — none for a dry run, which must leave no trace.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/escape.h"
#include "capscope/serve.h"
#include "internal/json-check.h"
#include "serve.h"

static void log_review(const struct serve_ctx *s, const struct cs_review *rv)
{
	static const char *const names[] = {"allowed", "warned", "denied", "unreadable"};
	const struct cs_admission_request *r = &rv->request;
	char *ns, *name, *kind;

	if (s->quiet || rv->dry_run)
		return;
	/* Each an item of the line (escape.h): no space, blank or "/" and ":"
	 * of its own, so a namespace "a/b" or a name "x Pod: allowed (0
	 * warnings)" cannot read as another review's words (twentieth pass;
	 * anyone who reaches the webhook can post a review). */
	ns = cs_escape_item_dup(r->namespace ? r->namespace : "-", "/:");
	name = cs_escape_item_dup(r->name ? r->name : "-", "/:");
	kind = cs_escape_item_dup(r->kind ? r->kind : "-", "/:");
	if (ns && name && kind)
		fprintf(stderr, "capscope serve: review %s/%s %s: %s (%zu warning%s)\n", ns, name,
			kind, names[rv->outcome], rv->n_warnings, rv->n_warnings == 1 ? "" : "s");
	free(ns);
	free(name);
	free(kind);
}

/*
 * A review's work (the object's tree, the manifest, the model) grows with
 * the values of its JSON, not with its bytes: session 11, part E, four 4 MB
 * reviews at once took the webhook to 219 MB, its Deployment's limit 96 MiB
 * (the cap of 400,000 values is per review). Reviews wait for each other
 * while what they would hold together passes SERVE_REVIEW_ROOM times
 * --max-body; one alone always goes.
 *
 * Eighteenth pass, part C: the budget was of the bodies' bytes, which is
 * not what a review holds. A review of 390,000 values in 0.8 MB held 21 MB
 * (27 times its body), five of them fitted in --max-body at once, and eight
 * at once took the webhook to 80 MB. Charged now with what it is measured
 * to hold: its body and two copies of its object (the request's and the
 * manifest reader's), and SERVE_REVIEW_VALUE_BYTES a value of the tree
 * (78 bytes a value for 7,000 containers of 41 capabilities, 54 for a list
 * of numbers). The values are counted in one pass, with no memory, before
 * the review waits: an upper bound, as oldObject is counted though only a
 * Pod UPDATE's is read.
 *
 * Nineteenth pass, part A: the object is read where it is in the body
 * (lib/serve/review.c), so a review holds its body once, not three times
 * (a 4 MB review of 7,000 containers adding 41 capabilities each: 37.0 MB
 * at its peak, 28.9 now, by massif). What is left grows with the values,
 * and the most a value was measured to hold is now 111 bytes: a pod of
 * 20,000 containers of a name and an image each (a container's model is
 * 312 bytes), which SERVE_REVIEW_VALUE_BYTES' 80 undercharged by a third.
 *
 * Twentieth pass, part F: containers of a name alone (3 values, a 312-byte
 * model each) held 158 bytes a value, a list of `{}` 344 (the model's array
 * was made for every item before the first was refused) and three lists
 * of containers 253 (each list's array grown apart): the charge was short.
 * The arrays are made once, for the named items (lib/k8s/manifest.c); the
 * tree's nodes are 24 bytes, not 32, and capability names are not copied
 * (52 bytes a value, not 68, for the review above). The most now: 150
 * bytes a value, containers of a name alone; charged 160.
 * tests/cli/serve-review-charge.sh checks the charge covers the peak.
 */
static size_t review_cost(const char *body, size_t len)
{
	return len + cs_json_values(body, len) * SERVE_REVIEW_VALUE_BYTES;
}

/*
 * Twenty-second pass, part F: a review waited for the others however long
 * they took. Eight 4 MB reviews (7,000 containers adding 41 capabilities
 * each, 13 s each on a loaded node) posted at once were answered 15, 29,
 * ..., 106 s later, long after the API server had given up on them (its
 * timeout, 10 s by default and at most 30, comes as ?timeout=10s), and
 * every other review, a small pod's too, waited behind them. A review now
 * waits until deadline_ms at most (serve_mono_ms; 0: no deadline) and is
 * then refused (503, counted as busy), its memory given back.
 */
static bool review_begin(struct serve_ctx *s, size_t cost, long long deadline_ms)
{
	size_t room = SERVE_REVIEW_ROOM * s->max_body;
	bool go = true;

	pthread_mutex_lock(&s->review_lock);
	while (s->reviewing && s->reviewing + cost > room) {
		long long left = deadline_ms - serve_mono_ms();
		struct timespec ts;

		if (deadline_ms && left <= 0) {
			go = false;
			break;
		}
		if (!deadline_ms) {
			pthread_cond_wait(&s->review_done, &s->review_lock);
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += left / 1000;
		ts.tv_nsec += (left % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_clockwait(&s->review_done, &s->review_lock, CLOCK_MONOTONIC, &ts);
	}
	if (go)
		s->reviewing += cost;
	pthread_mutex_unlock(&s->review_lock);
	return go;
}

static void review_end(struct serve_ctx *s, size_t cost)
{
	pthread_mutex_lock(&s->review_lock);
	s->reviewing -= cost;
	pthread_cond_broadcast(&s->review_done);
	pthread_mutex_unlock(&s->review_lock);
}

int serve_review(struct serve_ctx *s, const char *body, size_t len, long long deadline_ms,
		 char **out, size_t *outlen)
{
	struct cs_pod_explain_opts model;
	struct cs_review_opts o = {.model = &model, .enforce = s->webhook == SERVE_WEBHOOK_ENFORCE};
	struct cs_review rv;
	size_t cost = review_cost(body, len);
	int code, r;

	serve_model_opts(&s->model, &model);
	serve_fault_review();
	if (!review_begin(s, cost, deadline_ms))
		return -EBUSY;
	r = cs_admission_review(body, len, &o, &rv);
	review_end(s, cost);
	if (r < 0) {
		cs_review_free(&rv);
		return -ENOMEM;
	}
	__atomic_add_fetch(&s->reviews[rv.outcome][rv.dry_run], 1, __ATOMIC_RELAXED);
	if (rv.http_status == 200)
		log_review(s, &rv);
	*out = rv.body;
	*outlen = rv.len;
	rv.body = NULL;
	code = rv.http_status;
	cs_review_free(&rv);
	return code;
}

void serve_review_job(struct serve_ctx *s, struct serve_job *j)
{
	j->out = NULL;
	j->out_len = 0;
	j->code = serve_review(s, j->body, j->len, j->deadline_ms, &j->out, &j->out_len);
}

/*
 * Fourteenth pass (the thirteenth's open find): a review refused before it
 * was read (413, 415, 503, a framing 400 or 411) was counted nowhere, so an
 * operator saw the API server's failures (failurePolicy applied) and no
 * trace of them here. Counted apart from the reviews answered: neither the
 * outcome nor dry_run is known of a body never read.
 */
void serve_review_refused(struct serve_ctx *s, enum serve_refusal why)
{
	__atomic_add_fetch(&s->refused[why], 1, __ATOMIC_RELAXED);
}

static void refused_metrics(struct serve_ctx *s, struct cs_prom *p)
{
	static const char *const reasons[SERVE_REFUSED_N] = {"framing", "content_type", "too_large",
							     "busy"};

	cs_prom_family(p, "capscope_admission_refused_total", "counter",
		       "POST /validate answered before its review was read, by reason");
	for (int r = 0; r < SERVE_REFUSED_N; r++) {
		const char *l[] = {"reason", reasons[r], NULL};

		cs_prom_sample(p, "capscope_admission_refused_total", l,
			       (double)__atomic_load_n(&s->refused[r], __ATOMIC_RELAXED));
	}
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
	cs_prom_family(&p, "capscope_admission_body_bytes", "gauge",
		       "Bytes of AdmissionReview bodies being read now (at most 8 x --max-body)");
	cs_prom_sample(&p, "capscope_admission_body_bytes", NULL,
		       (double)__atomic_load_n(&s->bodies_held, __ATOMIC_RELAXED));
	cs_prom_family(&p, "capscope_admission_reviews_total", "counter",
		       "AdmissionReviews answered, by outcome and dry run");
	for (int o = 0; o < CS_REVIEW_N_OUTCOMES; o++)
		for (int dr = 0; dr < 2; dr++) {
			const char *l[] = {"outcome", names[o], "dry_run", dr ? "true" : "false",
					   NULL};

			cs_prom_sample(
			    &p, "capscope_admission_reviews_total", l,
			    (double)__atomic_load_n(&s->reviews[o][dr], __ATOMIC_RELAXED));
		}
	refused_metrics(s, &p);
}

/* Replaced in tests/truth's capscope-fault (a strong definition there). */
__attribute__((weak)) void serve_fault_review(void)
{
}
