/* SPDX-License-Identifier: MIT */
/*
 * The node's pages are built off libmicrohttpd's threads. A page is built
 * under node_lock (a scan, a drain, the rendering: a second on a large
 * node), and every connection of a libmicrohttpd thread waits while that
 * thread does anything: a page request that waited for the lock in the
 * thread stalled the /healthz and /readyz probes of its other connections
 * (sixteenth pass, part A: 2.8 s under sixteen clients looping HEAD
 * /metrics; the kubelet restarts the agent after three failed probes).
 * Now a page request's connection is suspended (libmicrohttpd's
 * MHD_suspend_connection) and its page built by this one thread, one
 * request after another as the lock did; the connection is resumed with
 * the result, which the handler answers (serve_page_reply).
 *
 * libmicrohttpd aborts when a server is stopped with a connection still
 * suspended (MHD_stop_daemon, 0.9.75), so before any server stops, the
 * pages are built in the request's thread again (serve_pager_hold) and the
 * jobs queued are finished first.
 *
 * Seventeenth pass: a review was read and answered in libmicrohttpd's
 * thread too, and reviews whose bodies add up to more than --max-body wait
 * for each other (serve-review.c): a review waiting there, or one being
 * worked on (seconds for a review of thousands of containers), stopped
 * its thread's other connections, whose bodies then arrived past
 * --request-timeout and were cut, unanswered (four 4 MB reviews at once,
 * under load: two of four had no answer, cli/serve-review-memory's
 * intermittent failure). Reviews are now queued the same way, to threads
 * of their own (as many as --threads); the wait for the bodies' budget is
 * made there. Two queues, so that a page build never waits behind reviews
 * nor a review behind a build.
 *
 * Seventeenth pass, part I: the hold before a server stops waited for
 * every job queued, of every server, and took every server's jobs into
 * their request threads meanwhile. After a SIGHUP the retired server is
 * stopped by the main loop (reap) while the new one works: the loop then
 * waited for the new server's reviews (tens of seconds when large ones
 * queue for the bodies' budget), with no deadline sweep (slowloris
 * connections not cut) and no SIGTERM taken, and the new server's reviews
 * stopped their threads' probes again. A hold is now of one server: it
 * waits for the jobs of that server's connections alone, and only they
 * are worked on in their request's thread until it stops.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>

#include "serve-mhd.h"
#include "serve.h"

#define QUEUE_THREADS_MAX 256 /* --threads at most */

struct serve_queue {
	pthread_mutex_t lock;
	pthread_cond_t work, idle;
	struct serve_job *head, *tail;
	struct serve_job *running; /* being worked on (linked by next) */
	/* The server being stopped (serve_pager_hold), or NULL: its
	 * connections are not suspended, its jobs queued are waited for. */
	const struct serve_tag *held;
	bool stop, active;
	unsigned n_threads;
	pthread_t threads[QUEUE_THREADS_MAX];
	struct serve_ctx *s;
};

#define QUEUE_INIT                                                                                 \
	{                                                                                          \
		.lock = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER,               \
		.idle = PTHREAD_COND_INITIALIZER                                                   \
	}
static struct serve_queue pages = QUEUE_INIT, reviews = QUEUE_INIT;

static void run_job(struct serve_ctx *s, struct serve_job *j)
{
	if (j->what == SERVE_JOB_REVIEW)
		serve_review_job(s, j);
	else
		serve_page_build(s, j);
}

static void unlink_running(struct serve_queue *q, struct serve_job *j)
{
	struct serve_job **pp = &q->running;

	while (*pp != j)
		pp = &(*pp)->next;
	*pp = j->next;
}

/* Under q->lock: has server t jobs queued or being worked on? (A walk of
 * at most the connections suspended.) */
static bool has_jobs_of(const struct serve_queue *q, const struct serve_tag *t)
{
	for (const struct serve_job *j = q->head; j; j = j->next)
		if (j->server == t)
			return true;
	for (const struct serve_job *j = q->running; j; j = j->next)
		if (j->server == t)
			return true;
	return false;
}

static void *queue_main(void *arg)
{
	struct serve_queue *q = arg;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		struct serve_job *j;

		while (!q->head && !q->stop)
			pthread_cond_wait(&q->work, &q->lock);
		if (!q->head)
			break;
		j = q->head;
		q->head = j->next;
		if (!q->head)
			q->tail = NULL;
		j->next = q->running;
		q->running = j;
		pthread_mutex_unlock(&q->lock);
		run_job(q->s, j);
		pthread_mutex_lock(&q->lock);
		unlink_running(q, j);
		j->done = true;
		/* The handler runs again in the connection's thread, answers.
		 * Resumed under the lock: a hold that no longer finds j finds
		 * its connection resumed (j may be freed from here on). */
		mhd.resume_connection(j->conn);
		pthread_cond_broadcast(&q->idle);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

static void queue_stop(struct serve_queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->stop = true;
	pthread_cond_broadcast(&q->work);
	pthread_mutex_unlock(&q->lock);
	for (unsigned i = 0; i < q->n_threads; i++)
		pthread_join(q->threads[i], NULL);
	q->n_threads = 0;
	q->active = false;
}

static int queue_start(struct serve_queue *q, struct serve_ctx *s, unsigned n)
{
	q->s = s;
	q->stop = false;
	for (q->n_threads = 0; q->n_threads < n && q->n_threads < QUEUE_THREADS_MAX;
	     q->n_threads++) {
		int e = pthread_create(&q->threads[q->n_threads], NULL, queue_main, q);

		if (e) {
			queue_stop(q);
			return -e;
		}
	}
	q->active = true;
	return 0;
}

int serve_pager_start(struct serve_ctx *s, unsigned review_threads)
{
	int e = queue_start(&pages, s, 1);

	if (e == 0 && (e = queue_start(&reviews, s, review_threads ? review_threads : 1)) < 0)
		queue_stop(&pages);
	return e;
}

void serve_pager_stop(void)
{
	if (pages.active)
		queue_stop(&pages);
	if (reviews.active)
		queue_stop(&reviews);
}

bool serve_pager_submit(struct serve_job *j)
{
	struct serve_queue *q = j->what == SERVE_JOB_REVIEW ? &reviews : &pages;
	bool queued = false;

	pthread_mutex_lock(&q->lock);
	if (q->active && !q->stop && j->server && j->server != q->held) {
		/* Suspended before it is queued: a thread of the queue never
		 * resumes a connection not suspended yet. */
		mhd.suspend_connection(j->conn);
		j->done = false;
		j->next = NULL;
		if (q->tail)
			q->tail->next = j;
		else
			q->head = j;
		q->tail = j;
		pthread_cond_signal(&q->work);
		queued = true;
	}
	pthread_mutex_unlock(&q->lock);
	return queued;
}

static void queue_hold(struct serve_queue *q, const struct serve_tag *t)
{
	pthread_mutex_lock(&q->lock);
	q->held = t;
	while (has_jobs_of(q, t))
		pthread_cond_wait(&q->idle, &q->lock);
	pthread_mutex_unlock(&q->lock);
}

static void queue_release(struct serve_queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->held = NULL;
	pthread_mutex_unlock(&q->lock);
}

/* One server at a time: servers are stopped by the main thread alone. */
void serve_pager_hold(const struct serve_tag *t)
{
	queue_hold(&pages, t);
	queue_hold(&reviews, t);
}

void serve_pager_release(void)
{
	queue_release(&reviews);
	queue_release(&pages);
}

/* Replaced in tests/truth's capscope-fault (a strong definition there). */
__attribute__((weak)) void serve_fault_page_build(void)
{
}
