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
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>

#include "serve-mhd.h"
#include "serve.h"

struct serve_pager {
	pthread_mutex_t lock;
	pthread_cond_t work, idle;
	struct serve_page_job *head, *tail;
	unsigned pending; /* queued or being built: their connections are suspended */
	unsigned held;	  /* serve_pager_hold calls in force: no suspending */
	bool stop;
	pthread_t thread;
};

static struct serve_pager pager = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .work = PTHREAD_COND_INITIALIZER,
    .idle = PTHREAD_COND_INITIALIZER,
};
static bool running;

static void *pager_main(void *arg)
{
	struct serve_ctx *s = arg;

	pthread_mutex_lock(&pager.lock);
	for (;;) {
		struct serve_page_job *j;

		while (!pager.head && !pager.stop)
			pthread_cond_wait(&pager.work, &pager.lock);
		if (!pager.head)
			break;
		j = pager.head;
		pager.head = j->next;
		if (!pager.head)
			pager.tail = NULL;
		pthread_mutex_unlock(&pager.lock);
		serve_page_build(s, j);
		j->done = true;
		/* The handler runs again in the connection's thread, answers. */
		mhd.resume_connection(j->conn);
		pthread_mutex_lock(&pager.lock);
		if (--pager.pending == 0)
			pthread_cond_broadcast(&pager.idle);
	}
	pthread_mutex_unlock(&pager.lock);
	return NULL;
}

int serve_pager_start(struct serve_ctx *s)
{
	int e = pthread_create(&pager.thread, NULL, pager_main, s);

	if (e)
		return -e;
	running = true;
	return 0;
}

void serve_pager_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&pager.lock);
	pager.stop = true;
	pthread_cond_signal(&pager.work);
	pthread_mutex_unlock(&pager.lock);
	pthread_join(pager.thread, NULL);
	running = false;
}

bool serve_pager_submit(struct serve_page_job *j)
{
	bool queued = false;

	pthread_mutex_lock(&pager.lock);
	if (running && !pager.stop && !pager.held) {
		/* Suspended before it is queued: the builder never resumes a
		 * connection not suspended yet. */
		mhd.suspend_connection(j->conn);
		j->done = false;
		j->next = NULL;
		if (pager.tail)
			pager.tail->next = j;
		else
			pager.head = j;
		pager.tail = j;
		pager.pending++;
		pthread_cond_signal(&pager.work);
		queued = true;
	}
	pthread_mutex_unlock(&pager.lock);
	return queued;
}

void serve_pager_hold(void)
{
	pthread_mutex_lock(&pager.lock);
	pager.held++;
	while (pager.pending)
		pthread_cond_wait(&pager.idle, &pager.lock);
	pthread_mutex_unlock(&pager.lock);
}

void serve_pager_release(void)
{
	pthread_mutex_lock(&pager.lock);
	pager.held--;
	pthread_mutex_unlock(&pager.lock);
}

/* Replaced in tests/truth's capscope-fault (a strong definition there). */
__attribute__((weak)) void serve_fault_page_build(void)
{
}
