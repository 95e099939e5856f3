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
 * deadline (the idle timeout still applies), but for the node's pages
 * (serve_deadline_send).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "serve-mhd.h"
#include "serve.h"

struct serve_conn {
	struct serve_conn *prev, *next;
	int fd;
	long long deadline; /* CLOCK_MONOTONIC milliseconds; 0 while answering */
	bool linger;	    /* answered with the body unread: linger at the end */
	/* The client: 4, an IPv4 address (or v4-mapped) in net[0..3]; 6, an
	 * IPv6 /64 in net; 0, not known (no limit of a client applies). */
	unsigned char fam;
	unsigned char net[8];
	int page_kind;		 /* with page: SERVE_PAGE_METRICS or SERVE_PAGE_JSON */
	unsigned long long page; /* the node page it is being sent (serve_page_id), 0 */
	/* With page, its client's pace (serve_client_pace): serve_tcp_acked at
	 * two times, the window's start (win) and the last sample (mid), at
	 * least SERVE_PAGE_RATE_MS apart but for the first (its answer). */
	long long win_ms, mid_ms;
	unsigned long long win_acked, mid_acked;
};

/*
 * Fourteenth pass (open since the twelfth): --max-client-connections is
 * libmicrohttpd's per address, and a host holding an IPv6 /64 (what SLAAC
 * gives one machine) spread its half-sent requests over as many addresses,
 * keeping everyone else out as one address could not. An IPv6 client's /64
 * counts as one client here, across every server; over the limit its new
 * connection is shut down at once, as libmicrohttpd does for one address.
 * The count walks the open connections (at most --max-connections), once
 * per connection accepted, as the deadline sweep does.
 *
 * Fifteenth pass, second round (part L of the fourteenth's open find): an
 * IPv4 client was left to libmicrohttpd's count, which is per server, so
 * with two --listen addresses one address held twice the limit (and a
 * v4-mapped client of a dual-stack listener was another client there than
 * the same address on an IPv4 listener). Every client is counted here now.
 */
static void client_net(struct MHD_Connection *conn, struct serve_conn *c)
{
	const union MHD_ConnectionInfo *i =
	    mhd.get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr_in6 *a6;

	if (i && i->client_addr && i->client_addr->sa_family == AF_INET) {
		const struct sockaddr_in *a4 =
		    (const struct sockaddr_in *)(const void *)i->client_addr;

		c->fam = 4;
		memcpy(c->net, &a4->sin_addr, 4);
	}
	if (!i || !i->client_addr || i->client_addr->sa_family != AF_INET6)
		return;
	a6 = (const struct sockaddr_in6 *)(const void *)i->client_addr;
	if (IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr)) {
		c->fam = 4; /* one IPv4 address: libmicrohttpd's own count */
		memcpy(c->net, a6->sin6_addr.s6_addr + 12, 4);
		return;
	}
	c->fam = 6;
	memcpy(c->net, a6->sin6_addr.s6_addr, sizeof(c->net));
}

static bool same_client(const struct serve_conn *a, const struct serve_conn *b)
{
	return a->fam && a->fam == b->fam && !memcmp(a->net, b->net, sizeof(a->net));
}

/* Under conn_lock: are there max connections of c's client (its IPv4
 * address, its IPv6 /64) open already, on any server? */
static bool net_full(const struct serve_ctx *s, const struct serve_conn *c)
{
	unsigned n = 0;

	if (!c->fam || !s->per_client)
		return false;
	for (const struct serve_conn *o = s->conns; o; o = o->next)
		if (same_client(o, c) && ++n >= s->per_client)
			return true;
	return false;
}

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
		client_net(conn, c);
		pthread_mutex_lock(&s->conn_lock);
		if (net_full(s, c))
			shutdown(c->fd, SHUT_RDWR); /* libmicrohttpd then closes it */
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

/*
 * Fourteenth pass, second round: a node page (/metrics, /api/v1/containers,
 * megabytes) is held until its client has read it, and a client reading a
 * byte every few seconds resets the idle timeout each time: four of them
 * held the four pages a kind may have alive (serve-page.c) for as long as
 * they liked, and every scrape was answered 503. Such an answer must be
 * sent within request_timeout of its start; past that the sweep shuts the
 * socket down as it does a late request, libmicrohttpd fails its next send
 * (EPIPE), closes the connection and drops the response, which releases the
 * page (its free callback, once). Prometheus gives up on a scrape at its
 * scrape_timeout (10 s by default, as --request-timeout) anyway.
 */
void serve_deadline_send(struct serve_ctx *s, struct MHD_Connection *conn)
{
	/* the same deadline as a request's, from now */
	serve_deadline_mark(s, conn, false);
}

static struct serve_conn *conn_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *i =
	    mhd.get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return i ? i->socket_context : NULL;
}

/*
 * Fifteenth pass (part O's open find): a client keeps one node page of a
 * kind alive at most (serve-page.c). The connections are walked (at most
 * --max-connections) once per page asked for, under node_lock, which
 * node_page holds from this look-up to serve_client_page_set: two requests
 * of one client cannot both find nothing.
 */
unsigned long long serve_client_page(struct serve_ctx *s, struct MHD_Connection *conn, int kind)
{
	const struct serve_conn *c = conn_of(conn);
	unsigned long long id = 0;

	if (!c || !c->fam)
		return 0;
	pthread_mutex_lock(&s->conn_lock);
	for (const struct serve_conn *o = s->conns; o; o = o->next)
		if (o->page > id && o->page_kind == kind && same_client(o, c))
			id = o->page;
	pthread_mutex_unlock(&s->conn_lock);
	return id;
}

void serve_client_page_set(struct serve_ctx *s, struct MHD_Connection *conn, int kind,
			   unsigned long long id)
{
	struct serve_conn *c = conn_of(conn);

	if (!c)
		return;
	pthread_mutex_lock(&s->conn_lock);
	c->page_kind = kind;
	c->page = id;
	c->win_ms = c->mid_ms = serve_mono_ms();
	c->win_acked = c->mid_acked = id ? serve_tcp_acked(c->fd) : 0;
	pthread_mutex_unlock(&s->conn_lock);
}

/*
 * Fifteenth pass, second round (part L's open find): four clients reading
 * slowly held the four pages of a kind, and every other scrape more than
 * a second after the newest build got 503 until --request-timeout cut them.
 * When a page is needed then, the readers of the page taken slowest
 * (serve_client_rates, serve_page_cut) are cut: their sockets shut down as the sweep does, so
 * libmicrohttpd's next send fails, it closes them and drops their
 * responses. Each of them reads a body short of its Content-Length: a
 * failed scrape, seen, never a stale one. (The page's bytes are freed at
 * the cut itself, since the seventeenth pass: serve-page.c.)
 */
/*
 * Sixteenth pass (part U's open find): a page was rated over its whole
 * send, so a reader that took most of its page at once and then stopped
 * kept a high rate for as long as it held it, and a steady scraper's page
 * was cut before it. The pace is what a client took over the last one to
 * two seconds: the sweep (a few times a second) moves the window on once
 * a SERVE_PAGE_RATE_MS, one getsockopt a connection being sent a page.
 */
void serve_client_pace(struct serve_ctx *s, long long now)
{
	pthread_mutex_lock(&s->conn_lock);
	for (struct serve_conn *c = s->conns; c; c = c->next)
		if (c->page && now - c->mid_ms >= SERVE_PAGE_RATE_MS) {
			c->win_ms = c->mid_ms;
			c->win_acked = c->mid_acked;
			c->mid_ms = now;
			c->mid_acked = serve_tcp_acked(c->fd);
		}
	pthread_mutex_unlock(&s->conn_lock);
}

/* Bytes a second c's client has taken over its window, to now. */
static unsigned long long taken_rate(const struct serve_conn *c, long long now)
{
	unsigned long long a = serve_tcp_acked(c->fd);
	long long ms = now - c->win_ms;

	return a > c->win_acked ? (a - c->win_acked) * 1000 / (unsigned long long)(ms > 0 ? ms : 1)
				: 0;
}

/*
 * The pages to cut, when some must be, are those their readers take
 * slowest (serve_page_cut), so that a scraper reading at any speed keeps
 * its page while a client reading nothing holds another. A page is rated
 * by its fastest reader (it is freed soon after that one is done, and a
 * page shared with a scraper is then left to the slow ones, and rated by
 * them). The connections are walked once (at most --max-connections), at
 * most once a second a kind (serve-page.c), under node_lock.
 */
void serve_client_rates(struct serve_ctx *s, struct serve_cand *cands, size_t n)
{
	long long now = serve_mono_ms();

	for (size_t i = 0; i < n; i++)
		cands[i].rate = 0;
	pthread_mutex_lock(&s->conn_lock);
	for (const struct serve_conn *c = s->conns; c; c = c->next)
		for (size_t i = 0; c->page && i < n; i++)
			if (c->page == cands[i].id && c->page_kind == cands[i].kind) {
				unsigned long long r = taken_rate(c, now);

				cands[i].rate = r > cands[i].rate ? r : cands[i].rate;
			}
	pthread_mutex_unlock(&s->conn_lock);
}

void serve_client_cut(struct serve_ctx *s, int kind, unsigned long long id)
{
	pthread_mutex_lock(&s->conn_lock);
	for (struct serve_conn *c = s->conns; c; c = c->next)
		if (id && c->page == id && c->page_kind == kind) {
			shutdown(c->fd, SHUT_RDWR);
			c->deadline = 0;
		}
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
