/* SPDX-License-Identifier: MIT */
/*
 * A request must arrive whole within --request-timeout of its start (the
 * connection's opening, or the end of the request before it on a kept-alive
 * connection). libmicrohttpd's own timeout is an idle timeout, reset by every
 * byte: a client sending a header line every few seconds (slowloris) kept a
 * connection for ever, and --max-connections of them kept /healthz, /metrics
 * and the webhook from everyone else. The server's loop calls
 * serve_deadline_sweep a few times a second and shuts down the socket of a
 * connection past its deadline; libmicrohttpd then sees the end of the stream
 * and closes it as usual. While a response is being sent there is no
 * deadline: the idle timeout still applies.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "serve-mhd.h"
#include "serve.h"

struct serve_conn {
	struct serve_conn *prev, *next;
	int fd;
	long long deadline; /* CLOCK_MONOTONIC milliseconds; 0 while answering */
	bool linger;	    /* answered with the body unread: linger at the end */
};

/* Milliseconds: whole seconds would cut a request up to a second early. */
long long serve_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void serve_deadline_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
			   enum MHD_ConnectionNotificationCode toe)
{
	struct serve_ctx *s = cls;
	struct serve_conn *c = *socket_context;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *i =
		    mhd.get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);

		if (!i || !(c = calloc(1, sizeof(*c))))
			return; /* no deadline for it, as before: the idle timeout holds */
		c->fd = i->connect_fd;
		pthread_mutex_lock(&s->conn_lock);
		c->deadline = serve_mono_ms() + 1000LL * s->request_timeout;
		c->next = s->conns;
		if (s->conns)
			s->conns->prev = c;
		s->conns = c;
		pthread_mutex_unlock(&s->conn_lock);
		*socket_context = c;
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && c) {
		/* Before libmicrohttpd closes the descriptor: the sweep, under the
		 * same lock, never shuts down a number reused by another socket. */
		pthread_mutex_lock(&s->conn_lock);
		if (c->prev)
			c->prev->next = c->next;
		else
			s->conns = c->next;
		if (c->next)
			c->next->prev = c->prev;
		pthread_mutex_unlock(&s->conn_lock);
		if (c->linger)
			serve_linger_add(s, c->fd);
		free(c);
		*socket_context = NULL;
	}
}

/* answering: the request is whole (no deadline), or done (the next one's starts). */
void serve_deadline_mark(struct serve_ctx *s, struct MHD_Connection *conn, bool answering)
{
	const union MHD_ConnectionInfo *i =
	    mhd.get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct serve_conn *c = i ? i->socket_context : NULL;

	if (!c)
		return;
	pthread_mutex_lock(&s->conn_lock);
	c->deadline = answering ? 0 : serve_mono_ms() + 1000LL * s->request_timeout;
	pthread_mutex_unlock(&s->conn_lock);
}

void serve_deadline_linger(struct serve_ctx *s, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *i =
	    mhd.get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct serve_conn *c = i ? i->socket_context : NULL;

	if (c) {
		pthread_mutex_lock(&s->conn_lock);
		c->linger = true;
		pthread_mutex_unlock(&s->conn_lock);
	}
}

void serve_deadline_sweep(struct serve_ctx *s)
{
	long long now = serve_mono_ms();

	pthread_mutex_lock(&s->conn_lock);
	for (struct serve_conn *c = s->conns; c; c = c->next)
		if (c->deadline && now >= c->deadline) {
			shutdown(c->fd, SHUT_RDWR);
			c->deadline = 0;
		}
	pthread_mutex_unlock(&s->conn_lock);
}
