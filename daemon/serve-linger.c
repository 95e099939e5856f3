/* SPDX-License-Identifier: MIT */
/*
 * Lingering close. A request refused before its body was read (a chunked
 * body: 411; ambiguous framing: 400; a body over --max-body: 413) leaves the
 * client's bytes unread, and closing a socket with unread bytes makes the
 * kernel answer with a reset: a client still sending its body (curl: "Send
 * failure: Broken pipe") never reads the answer already on its way to it.
 * libmicrohttpd closes at once, so when such a connection ends a duplicate of
 * its socket is kept here: its write side is shut down (the client sees the
 * answer end) and what arrives is read and dropped, until the client closes,
 * SERVE_LINGER_MS pass or 16 x --max-body bytes were dropped (the bound of a
 * body read and dropped in serve-http.c). Apache and nginx do the same.
 * At most SERVE_LINGER_MAX sockets linger; beyond that the close is at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "serve.h"

#define SERVE_LINGER_MAX   256
#define SERVE_LINGER_MS	   2000
#define SERVE_LINGER_READS 4 /* 64 KiB a socket a wake */

struct lingerer {
	int fd; /* -1: a free slot */
	long long until;
	size_t dropped;
};

struct serve_linger {
	pthread_t thread;
	pthread_mutex_t lock;
	int ep;
	volatile int stop;
	size_t budget;
	struct lingerer l[SERVE_LINGER_MAX];
};

static void drop(struct serve_linger *g, struct lingerer *l)
{
	epoll_ctl(g->ep, EPOLL_CTL_DEL, l->fd, NULL);
	close(l->fd);
	l->fd = -1;
}

/*
 * Read what is there, up to SERVE_LINGER_READS reads a wake (epoll is level
 * triggered: the rest wakes it again); true when the socket is done with.
 * Eighth pass: a drain read until the socket was empty, and a client sending
 * as fast as it read held the lock through up to the whole budget, while
 * libmicrohttpd's threads, which take it to hand over a socket, waited:
 * /healthz took 1 to 2 s under sixteen such clients (tests/cli/serve-load.sh).
 */
static bool drain(struct serve_linger *g, struct lingerer *l)
{
	char buf[16384];

	for (int reads = 0; reads < SERVE_LINGER_READS;) {
		ssize_t n = recv(l->fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n > 0 && (l->dropped += (size_t)n) <= g->budget) {
			reads++;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return !(n < 0 && errno == EAGAIN); /* the end, an error, the budget */
	}
	return false;
}

static void *linger_loop(void *arg)
{
	struct serve_linger *g = arg;
	struct epoll_event ev[32];

	while (!g->stop) {
		int n = epoll_wait(g->ep, ev, 32, 100);
		long long now = serve_mono_ms();

		pthread_mutex_lock(&g->lock);
		for (int i = 0; i < n; i++) {
			struct lingerer *l = &g->l[ev[i].data.u32];

			if (l->fd >= 0 && drain(g, l))
				drop(g, l);
		}
		for (size_t i = 0; i < SERVE_LINGER_MAX; i++)
			if (g->l[i].fd >= 0 && now >= g->l[i].until)
				drop(g, &g->l[i]);
		pthread_mutex_unlock(&g->lock);
	}
	return NULL;
}

int serve_linger_start(struct serve_ctx *s)
{
	struct serve_linger *g = calloc(1, sizeof(*g));

	if (!g)
		return -ENOMEM;
	for (size_t i = 0; i < SERVE_LINGER_MAX; i++)
		g->l[i].fd = -1;
	g->budget = 16 * s->max_body;
	pthread_mutex_init(&g->lock, NULL);
	if ((g->ep = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
	    pthread_create(&g->thread, NULL, linger_loop, g) != 0) {
		int e = g->ep < 0 ? errno : EAGAIN;

		if (g->ep >= 0)
			close(g->ep);
		pthread_mutex_destroy(&g->lock);
		free(g);
		return -e;
	}
	s->linger = g;
	return 0;
}

void serve_linger_stop(struct serve_ctx *s)
{
	struct serve_linger *g = s->linger;

	if (!g)
		return;
	g->stop = 1;
	pthread_join(g->thread, NULL);
	for (size_t i = 0; i < SERVE_LINGER_MAX; i++)
		if (g->l[i].fd >= 0)
			drop(g, &g->l[i]);
	close(g->ep);
	pthread_mutex_destroy(&g->lock);
	free(g);
	s->linger = NULL;
}

/*
 * Called while libmicrohttpd still holds fd, just before it closes it: the
 * duplicate keeps the connection open after that close. Nothing is kept when
 * every slot is taken or the duplicate cannot be made: the close is at once,
 * as it was without lingering.
 */
void serve_linger_add(struct serve_ctx *s, int fd)
{
	struct serve_linger *g = s->linger;
	struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP};
	size_t i;

	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	for (i = 0; i < SERVE_LINGER_MAX && g->l[i].fd >= 0; i++)
		;
	if (i < SERVE_LINGER_MAX && (g->l[i].fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) >= 0) {
		ev.data.u32 = (uint32_t)i;
		shutdown(g->l[i].fd, SHUT_WR);
		g->l[i].until = serve_mono_ms() + SERVE_LINGER_MS;
		g->l[i].dropped = 0;
		if (epoll_ctl(g->ep, EPOLL_CTL_ADD, g->l[i].fd, &ev) < 0) {
			close(g->l[i].fd);
			g->l[i].fd = -1;
		}
	}
	pthread_mutex_unlock(&g->lock);
}
