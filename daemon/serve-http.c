/* SPDX-License-Identifier: MIT */
/*
 * capscope serve's routes: /healthz, /readyz, /metrics, /api/v1/containers
 * and the admission webhook, POST /validate. A body is collected up to
 * --max-body and refused with 413 beyond it (before it is read when
 * Content-Length says so); an unreadable review gets an answer the API
 * server understands (400 with a Status, or an allowed review with a
 * warning when its uid could be read) — never a crash or a hang.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "capscope/json.h"
#include "capscope/serve.h"
#include "internal/memstream.h"
#include "output.h"
#include "serve-mhd.h"
#include "serve.h"

struct req {
	/* The request target as libmicrohttpd handed it to serve_http_uri: its
	 * start and where strlen ends it (0: not seen). */
	const char *target, *target_end;
	bool started; /* the handler's first call is done */
	char *buf;
	size_t len, cap; /* cap: counted in bodies_held */
	size_t expect;	 /* Content-Length */
	size_t dropped;	 /* bytes of a body over the limit, read and dropped */
	bool too_large, answered;
	bool busy;	      /* over SERVE_BODIES: the body is dropped, the answer is 503 */
	struct serve_job job; /* a page request's or a review's, while worked on */
	const struct serve_tag *server; /* its connection's (the handler's cls) */
};

/*
 * body NULL is a body that could not be made (text's strdup, out of
 * memory): no answer, the connection closed. It was sent as an empty body
 * with the route's status, /healthz a 200 without its "ok" (twenty-first
 * pass, part C, tests/cli/serve-enomem.sh).
 */
static enum MHD_Result answer(struct MHD_Connection *conn, unsigned status, const char *type,
			      char *body, size_t len)
{
	struct MHD_Response *r =
	    body ? mhd.create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE) : NULL;
	enum MHD_Result ret;

	if (!r) {
		free(body);
		return MHD_NO;
	}
	mhd.add_response_header(r, "Content-Type", type);
	ret = mhd.queue_response(conn, status, r);
	mhd.destroy_response(r);
	return ret;
}

static enum MHD_Result text(struct MHD_Connection *conn, unsigned status, const char *msg)
{
	char *b = strdup(msg);

	return answer(conn, status, "text/plain; charset=utf-8", b, b ? strlen(b) : 0);
}

/* A field name is a token (RFC 9110 5.1): no whitespace, no separator. */
static bool is_token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("!#$%&'*+-.^_`|~", *s)))
			return false;
	return true;
}

/* A control character in a field value: a bare CR, which a proxy may take
 * for the end of the line (RFC 9112 2.2 asks to refuse or replace it). */
static bool has_ctl(const char *v)
{
	for (; v && *v; v++)
		if (((unsigned char)*v < 0x20 && *v != '\t') || *v == 0x7f)
			return true;
	return false;
}

/* A Host value (RFC 9110 7.2: uri-host [":" port]; empty is allowed): the
 * bytes of a reg-name, an IP literal and a port, as Go's server checks them. */
static bool host_value(const char *v)
{
	for (; v && *v; v++)
		if (!((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
		      (*v >= '0' && *v <= '9') || strchr("!$%&'()*+,-.:;=[]_~", *v)))
			return false;
	return true;
}

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	unsigned *n = cls;

	(void)kind;
	if (!is_token(key) || has_ctl(value))
		n[2]++; /* "Content-Length : 40": a proxy may strip the space */
	else if (!strcasecmp(key, "Host"))
		n[3] += host_value(value) ? 1 : 2; /* a bad value counts as two: 400 */
	else if (!strcasecmp(key, "Content-Length"))
		n[0]++;
	else if (!strcasecmp(key, "Transfer-Encoding"))
		n[1]++, n[2] += !value || strcasecmp(value, "chunked") != 0;
	else if (!strncasecmp(key, "Content-Length", 14) ||
		 !strncasecmp(key, "Transfer-Encoding", 17))
		n[2]++; /* an obs-fold: libmicrohttpd glues the next line to the name */
	return MHD_YES;
}

/*
 * Two Content-Length headers, or one beside Transfer-Encoding: libmicrohttpd
 * reads the body by the first, and a proxy in front by another reads the
 * rest as a second request (RFC 9112 6.3: an unrecoverable error). A
 * Transfer-Encoding other than "chunked" alone (identity, gzip, "chunked,
 * identity"): libmicrohttpd 0.9.75 waits on it for ever, reading whatever
 * follows on the connection as the body, while a proxy that reads no body
 * sends the next request there (RFC 9112 6.3: 400 and close). Whitespace
 * between a field name and its colon: libmicrohttpd takes "Content-Length :
 * 40" as another field and reads no body, a proxy that strips the space
 * frames the body by it (RFC 9112 5.1: 400). Seventh pass: an obs-fold
 * ("Content-Length: 2" then " 0") is glued by libmicrohttpd to the field
 * *name* ("Content-Length0"), so it reads no body where a proxy that
 * unfolds or drops the line reads 2 bytes (RFC 9112 5.2: 400 or replace by
 * SP); a bare CR inside a value ("Host: a<CR>Content-Length: 5") is kept in
 * the value, where a proxy may end the line. 400, and the connection is
 * closed, so nothing after it is read as a request.
 */
enum framing { FRAMING_OK, FRAMING_AMBIGUOUS, FRAMING_CHUNKED, FRAMING_HOST, FRAMING_NUL };

/*
 * Eighth pass: two Host fields, none in HTTP/1.1, or a Host value with bytes
 * no host or port holds ("a b", "a/b", "a@b") were answered. RFC 9112 3.2
 * asks 400 for each (Go's server answers so): serve routes by path alone,
 * but a proxy in front that routes or authorizes by the first Host while
 * another reads the last is told apart only by refusing both.
 */

/*
 * A chunked body alone (seventh pass) is refused too, with 411: libmicrohttpd
 * 0.9.75 ends a chunk-size line at a bare LF, skips a bare LF after a
 * chunk's data and keeps a CR inside a chunk extension, with no option to
 * refuse them, and the handler only sees the decoded bytes. Go's net/http
 * refuses such lines since CVE-2025-22871 (RFC 9112 7.1 asks CRLF there;
 * the bare-LF leniency of 2.2 covers the start line and fields only), so a
 * proxy in front that reads a bare LF as part of a chunk extension frames
 * the body otherwise: smuggling. No client of serve sends one: the API
 * server posts its encoded review with Content-Length, probes and scrapes
 * are GETs without a body (RFC 9112 6.3 lets a server ask for the length).
 */
static enum framing framing_check(struct MHD_Connection *conn, const char *version)
{
	unsigned n[4] = {0, 0, 0, 0}; /* Content-Length, Transfer-Encoding, bad, Host */

	mhd.get_connection_values(conn, MHD_HEADER_KIND, count_framing, n);
	if (n[0] > 1 || n[1] > 1 || (n[0] && n[1]) || n[2])
		return FRAMING_AMBIGUOUS;
	if (n[3] > 1 || (!n[3] && strcmp(version, "HTTP/1.0") != 0))
		return FRAMING_HOST;
	return n[1] ? FRAMING_CHUNKED : FRAMING_OK;
}

static enum MHD_Result refuse_framing(struct MHD_Connection *conn, enum framing f)
{
	static const char ambiguous[] =
	    "ambiguous body length: Content-Length given twice or with "
	    "Transfer-Encoding, a Transfer-Encoding other than chunked, a field name "
	    "that is not a token (whitespace before its colon, a folded line) or a "
	    "control character in a field value\n";
	static const char chunked[] = "a chunked request body is not read: send Content-Length\n";
	static const char host[] =
	    "one Host field is required, holding a host and an optional port\n";
	static const char nul[] = "a NUL byte in the request line\n";
	const char *msg = f == FRAMING_CHUNKED ? chunked
			  : f == FRAMING_HOST  ? host
			  : f == FRAMING_NUL   ? nul
					       : ambiguous;
	struct MHD_Response *r =
	    mhd.create_response_from_buffer(strlen(msg), (void *)msg, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	mhd.add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
	mhd.add_response_header(r, "Connection", "close");
	ret = mhd.queue_response(conn, f == FRAMING_CHUNKED ? 411 : 400, r);
	mhd.destroy_response(r);
	return ret;
}

/* A Kubernetes Status object: what the API server logs for a failed call. */
static enum MHD_Result status_json(struct MHD_Connection *conn, unsigned code, const char *msg)
{
	char *b = NULL;
	size_t len = 0;
	FILE *f = cs_memstream_open(&b, &len);
	struct cs_json j;
	int r;

	if (!f)
		return MHD_NO;
	cs_json_init(&j, f, false);
	cs_k8s_status_json(&j, code, NULL, msg);
	r = cs_json_finish(&j);
	/* Whole or not at all (internal/memstream.h): no answer closes the connection. */
	if (cs_memstream_close(f) < 0 || r < 0) {
		free(b);
		return MHD_NO;
	}
	return answer(conn, code, "application/json", b, len);
}

/* A review refused before it is read: counted (serve-review.c), then answered. */
static enum MHD_Result refuse_review(struct serve_ctx *s, struct MHD_Connection *conn,
				     enum serve_refusal why, unsigned code, const char *msg)
{
	serve_review_refused(s, why);
	return status_json(conn, code, msg);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Drain, and join what was counted to the containers just scanned. */
static int trace_update(struct serve_ctx *s, struct cs_diag *d)
{
	int r = cs_node_trace_drain(&s->node.nt);

	s->node.last_drain = now_s();
	if (r >= 0)
		r = cs_node_trace_claim(&s->node.nt, &s->node.inv, s->node.opts.proc);
	return r < 0 ? cs_diag_set(d, -r, 0, 0, "", "reading the tracer: %s", strerror(-r)) : 0;
}

int serve_trace_open(struct serve_ctx *s)
{
	struct cs_diag d = {0};
	int r;

	if (!s->inventory)
		return cs_usage_err("serve",
				    "--trace observes the inventory's containers: not with "
				    "--no-inventory");
	if ((r = cs_node_trace_open(&s->node.nt, 0, &d)) < 0)
		return cs_diag_err("serve", "--trace", &d);
	s->node.trace = true;
	fprintf(stderr, "capscope serve: tracing capability checks via %s\n",
		cs_tracer_hook(s->node.nt.tracer));
	/* The containers running now are observed from now on. */
	if ((r = cs_node_scan(&s->node.inv, &s->node.opts, &d)) == 0)
		r = trace_update(s, &d);
	return r < 0 ? cs_diag_err("serve", "--trace", &d) : 0;
}

void serve_trace_tick(struct serve_ctx *s)
{
	if (!s->node.trace || now_s() - s->node.last_drain < 1.0)
		return;
	pthread_mutex_lock(&s->node_lock);
	cs_node_trace_drain(&s->node.nt);
	s->node.last_drain = now_s();
	pthread_mutex_unlock(&s->node_lock);
}

/* Under node_lock: scan, and render the page into mb; 0, -errno with d
 * saying why, or 1 when the page could not be held (out of memory). */
static int render_page(struct serve_ctx *s, bool metrics, struct serve_zpage **zp,
		       struct cs_diag *d)
{
	FILE *f = serve_zpage_open(zp);
	int r = 0;

	if (!f)
		return 1;
	if (s->inventory) {
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		r = cs_node_scan(&s->node.inv, &s->node.opts, d);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		s->node.last_scan_seconds =
		    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (r == 0 && s->node.trace)
			r = trace_update(s, d);
	}
	/* A writer's error (one of its own allocations failed) is a page not whole. */
	if (r == 0 && metrics) {
		serve_metrics_self(s, f);
		if (s->inventory && cs_node_metrics_write(&s->node.inv, f) < 0)
			r = 1;
		if (s->node.trace &&
		    cs_node_trace_metrics_write(&s->node.nt, &s->node.inv, now_s(), f) < 0)
			r = 1;
	} else if (r == 0 && cs_node_json_write_traced(&s->node.inv,
						       s->node.trace ? &s->node.nt : NULL, f) < 0) {
		r = 1;
	}
	/* A write whose flush failed (a block not kept, serve-zpage.c) dropped a buffer's
	 * worth of the page and set f's error flag; fclose still returns 0 when
	 * its own last flush succeeds: the page was sent with 200 and a hole of
	 * up to 64 KiB (twenty-first pass, part C, tests/cli/serve-enomem.sh). */
	if (ferror(f) && r == 0)
		r = 1;
	if (fclose(f) != 0 && r == 0)
		r = 1;
	if (r != 0) {
		serve_zpage_free(*zp);
		*zp = NULL;
	} else {
		serve_zpage_seal(*zp);
	}
	return r;
}

/*
 * A page is counted (serve-page.c) under the same lock that builds it, so
 * requests that wait for the lock see the pages built before them: past
 * SERVE_PAGES alive, or SERVE_PAGE_BYTES, they share the newest rather
 * than build one each, or cut the readers of the pages taken slowest when
 * it is too old to be shared (serve-page.c). The page a connection is sent is noted under
 * that lock too, so that the next request of its client finds it (one
 * page alive a client). Run by the page builder's thread (serve-pager.c),
 * or by the request's when the builder takes no more.
 */
void serve_page_build(struct serve_ctx *s, struct serve_job *j)
{
	int kind = j->metrics ? SERVE_PAGE_METRICS : SERVE_PAGE_JSON;
	struct serve_cand cands[SERVE_PAGE_CANDS];
	struct serve_zpage *zp = NULL;
	size_t n;
	long long t0;

	j->r = 0;
	j->d = (struct cs_diag){0};
	pthread_mutex_lock(&s->node_lock);
	serve_fault_page_build();
	t0 = serve_mono_ms(); /* the page's age counts from its scan */
	j->p =
	    serve_page_shared(s, kind, serve_client_page(s, j->conn, kind), &j->refuse, cands, &n);
	if (n) { /* at a bound, the newest stale: the slowest taken are cut */
		serve_client_rates(s, cands, n);
		n = serve_page_cut(s, kind, cands, n);
		for (size_t i = 0; i < n; i++)
			serve_client_cut(s, cands[i].kind, cands[i].id);
	}
	if (!j->p && !j->refuse && (j->r = render_page(s, j->metrics, &zp, &j->d)) == 0)
		j->p = serve_page_new(s, kind, zp, t0);
	if (j->p)
		serve_client_page_set(s, j->conn, kind, serve_page_id(j->p));
	pthread_mutex_unlock(&s->node_lock);
}

/* The answer to a page request whose page j was built (the reference to
 * the page passes to the response). */
static enum MHD_Result page_reply(struct serve_ctx *s, struct serve_job *j)
{
	bool metrics = j->metrics;
	const char *type =
	    metrics ? "text/plain; version=0.0.4; charset=utf-8" : "application/json";

	j->done = false;
	if (j->refuse) /* this client is being sent a page of this kind over a second old */
		return text(j->conn, 429,
			    metrics ? "busy: this client (its address; an IPv6 /64) is being sent "
				      "a page of /metrics already, more than a second old: one at "
				      "a time; try again when it is read\n"
				    : "busy: this client (its address; an IPv6 /64) is being sent "
				      "a page of /api/v1/containers already, more than a second "
				      "old: one at a time; try again when it is read\n");
	if (j->r != 0)
		return text(j->conn, 500, j->r < 0 ? j->d.message : "out of memory\n");
	if (!j->p)
		return MHD_NO;
	serve_deadline_send(s, j->conn); /* a page is held no longer than that */
	return serve_page_answer(j->conn, j->p, type);
}

/* The answer to a review made (its answer passes to the response). */
static enum MHD_Result review_reply(struct serve_ctx *s, struct serve_job *j)
{
	char *out = j->out;

	j->done = false;
	j->out = NULL;
	if (j->code == -EBUSY)
		return refuse_review(s, j->conn, SERVE_REFUSED_BUSY, 503,
				     "too many reviews in progress: this one waited for memory "
				     "until the API server's timeout; try again");
	if (j->code < 0)
		return MHD_NO;
	return answer(j->conn, (unsigned)j->code, "application/json", out, j->out_len);
}

/*
 * How long a review may wait for the others (serve-review.c review_begin):
 * the timeout the API server gives its call (`?timeout=10s`: Go's duration
 * of timeoutSeconds, 1 to 30 s), or else --request-timeout.
 */
static long long review_deadline(struct serve_ctx *s, struct MHD_Connection *conn)
{
	const char *t = mhd.lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "timeout");
	long long ms = 1000LL * s->request_timeout;
	unsigned long long v = 0;
	size_t i = 0;

	if (t) {
		while (t[i] >= '0' && t[i] <= '9' && v < 1000000)
			v = v * 10 + (unsigned long long)(t[i++] - '0');
		if (i > 0 && t[i] == 's' && !t[i + 1] && v > 0 && v <= 3600)
			ms = (long long)v * 1000;
	}
	return serve_mono_ms() + ms;
}

/* A page request: its connection suspended while the builder makes the
 * page (its thread's other connections are served meanwhile), or, when the
 * builder takes no more (a server stopping), the page built here. */
static enum MHD_Result node_page(struct serve_ctx *s, struct MHD_Connection *conn, bool metrics,
				 struct req *q)
{
	q->job = (struct serve_job){
	    .conn = conn, .server = q->server, .what = SERVE_JOB_PAGE, .metrics = metrics};
	if (serve_pager_submit(&q->job))
		return MHD_YES; /* answered when resumed (serve_http_handler) */
	serve_page_build(s, &q->job);
	return page_reply(s, &q->job);
}

static enum MHD_Result route(struct serve_ctx *s, struct MHD_Connection *conn, const char *url,
			     const char *method, struct req *q)
{
	bool get = !strcmp(method, "GET") || !strcmp(method, "HEAD");

	if (!strcmp(url, "/validate")) {
		if (s->webhook == SERVE_WEBHOOK_OFF)
			return text(conn, 404, "the webhook is off (--webhook off)\n");
		if (strcmp(method, "POST") != 0)
			return text(conn, 405, "POST an AdmissionReview\n");
		if (q->too_large)
			return refuse_review(s, conn, SERVE_REFUSED_TOO_LARGE, 413,
					     "request body too large");
		if (q->busy)
			return refuse_review(s, conn, SERVE_REFUSED_BUSY, 503,
					     "too many reviews in progress: try again");
		/* Worked on by a reviewer's thread (serve-pager.c says why), or
		 * here when the reviewers take no more (a server stopping). */
		q->job = (struct serve_job){.conn = conn,
					    .server = q->server,
					    .what = SERVE_JOB_REVIEW,
					    .body = q->buf,
					    .len = q->len,
					    .deadline_ms = review_deadline(s, conn)};
		if (serve_pager_submit(&q->job))
			return MHD_YES; /* answered when resumed (serve_http_handler) */
		serve_review_job(s, &q->job);
		return review_reply(s, &q->job);
	}
	if (!get)
		return text(conn, 405, "method not allowed\n");
	if (!strcmp(url, "/healthz"))
		return text(conn, 200, "ok\n");
	if (!strcmp(url, "/readyz"))
		return s->stopping ? text(conn, 503, "shutting down\n") : text(conn, 200, "ok\n");
	if (!strcmp(url, "/metrics"))
		return node_page(s, conn, true, q);
	if (!strcmp(url, "/api/v1/containers")) {
		if (!s->inventory)
			return text(conn, 404, "the inventory is off (--no-inventory)\n");
		return node_page(s, conn, false, q);
	}
	return text(conn, 404, "not found\n");
}

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/*
 * The path's %HH escapes, decoded in place, except %00: libmicrohttpd's own
 * decoder ends the path there, so "/validate%00x" and "/metrics%00.png"
 * were served as /validate and /metrics, while anything in front (a proxy
 * rule) sees another path. Left as it is, such a path matches no route.
 */
size_t serve_http_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	char *w = s;

	(void)cls;
	(void)conn;
	for (const char *r = s; *r;) {
		int hi, lo;

		if (r[0] == '%' && (hi = hexval(r[1])) >= 0 && (lo = hexval(r[2])) >= 0 &&
		    (hi || lo)) {
			*w++ = (char)(hi * 16 + lo);
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

/*
 * Eleventh pass: a request whose query held a few hundred arguments
 * ("GET /healthz?a0=b&a1=b&..." of 4 KB) got no answer at all: libmicrohttpd
 * 0.9.75 keeps each argument in the connection's 32 KiB memory pool, and
 * when the pool runs out, the 431 it queues is lost and the connection waits
 * for the request timeout, then closes with nothing sent. No route reads a
 * query (the API server's "?timeout=10s" included), so the query is cut
 * here, the one moment before libmicrohttpd splits it: this callback gets
 * the request line's own bytes, which libmicrohttpd itself writes into next.
 * It returns the request's state, where the target's bytes are noted (nul_in_line).
 */
void *serve_http_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct req *r = calloc(1, sizeof(*r)); /* the handler's, or NULL: it makes one */
	char *q = strchr(uri, '?');

	(void)cls;
	(void)conn;
	if (r) {
		r->target = uri;
		r->target_end = uri + strlen(uri);
	}
	if (q && q[1])
		q[1] = '\0';
	return r;
}

/*
 * Fourteenth pass (left open since the ninth): a raw NUL in the request
 * line ("GET /healthz<NUL>.png HTTP/1.1", "GET<NUL>x /metrics HTTP/1.1")
 * was answered as /healthz, or as a GET: libmicrohttpd 0.9.75 keeps the
 * line's length but hands on NUL-terminated strings, so the path or method
 * served is not the one a proxy in front checked. With the line parsed in
 * place (serve-mhd.c), the method ends at one NUL followed by spaces up to
 * the target, and the target's NUL is the one just before the version: any
 * other layout means a NUL inside one of them. The pointers are compared
 * only when they are in that order and within one request line.
 */
static bool nul_in_line(const struct req *q, const char *method, const char *version)
{
	const char *m_end;

	if (!mhd.line_in_place || !q->target || !method || !version || !*version ||
	    !(method < q->target && q->target <= q->target_end && q->target_end < version) ||
	    version - method > 65536)
		return false;
	m_end = method + strlen(method);
	if (m_end >= q->target)
		return true;
	for (const char *p = m_end + 1; p < q->target; p++)
		if (*p != ' ')
			return true;
	return version != q->target_end + 1;
}

/* An answer before the body is read: no deadline, and the socket lingers at its close. */
static void answer_early(struct serve_ctx *s, struct MHD_Connection *conn, struct req *q)
{
	q->answered = true;
	serve_deadline_mark(s, conn, true);
	serve_deadline_linger(s, conn);
}

/*
 * Ninth pass: every request's body was kept up to --max-body, whatever its
 * route, and nothing bounded the sum: thirty connections posting 4 MB to
 * /metrics of an agent with the webhook off held 120 MB (the DaemonSet's
 * limit is 64 MiB: killed for memory), as thirty half-sent reviews did to
 * the webhook. Only a review is read (POST /validate, the webhook on); any
 * other request is answered before its body, which lingers and is dropped.
 * The reviews' bodies held at once are bounded by SERVE_BODIES x --max-body,
 * counted as they arrive (a sender pays for what is held): a review that
 * does not fit is read, dropped and answered 503 (the API server applies the
 * webhook's failurePolicy, as for a timeout). libmicrohttpd 0.9.75 takes an
 * answer only before the body or after it, never in between.
 */
#define SERVE_BODIES 8

/* A body over --max-body is read and dropped up to this many times it, then
 * the 413 is sent and the connection closed. */
#define SERVE_DROP_FACTOR 16

static bool takes_body(const struct serve_ctx *s, const char *url, const char *method)
{
	return s->webhook != SERVE_WEBHOOK_OFF && !strcmp(url, "/validate") &&
	       !strcmp(method, "POST");
}

/*
 * Twelfth pass, left open: a review was read whatever its Content-Type
 * ("text/plain", "application/x-www-form-urlencoded", none at all), where
 * Go's webhooks (controller-runtime) refuse anything but application/json.
 * The API server always sends "application/json"; a body sent as anything
 * else was not meant as a review, and JSON is UTF-8 only (RFC 8259 8.1),
 * so a charset other than UTF-8 would be misread. The media type is
 * case-insensitive (RFC 9110 8.3.1), with optional whitespace around the
 * ";" of its one allowed parameter, charset=utf-8 (quoted or not).
 */
static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static bool json_media_type(const char *v)
{
	static const char type[] = "application/json", cs[] = "charset=";
	const char *p = v;

	if (!v || strncasecmp(p, type, sizeof(type) - 1) != 0)
		return false;
	for (p += sizeof(type) - 1; is_ows(*p); p++)
		;
	if (!*p)
		return true;
	if (*p++ != ';')
		return false;
	while (is_ows(*p))
		p++;
	if (strncasecmp(p, cs, sizeof(cs) - 1) != 0)
		return false;
	p += sizeof(cs) - 1;
	if (!strncasecmp(p, "utf-8", 5))
		p += 5;
	else if (!strncasecmp(p, "\"utf-8\"", 7))
		p += 7;
	else
		return false;
	while (is_ows(*p))
		p++;
	return !*p;
}

static enum MHD_Result count_content_type(void *cls, enum MHD_ValueKind kind, const char *key,
					  const char *value)
{
	(void)kind;
	(void)value;
	*(unsigned *)cls += !strcasecmp(key, "Content-Type");
	return MHD_YES;
}

/* One Content-Type field, application/json: two (one of them JSON) say
 * nothing certain of the body. */
static bool review_content_type(struct MHD_Connection *conn)
{
	unsigned n = 0;

	mhd.get_connection_values(conn, MHD_HEADER_KIND, count_content_type, &n);
	return n == 1 &&
	       json_media_type(mhd.lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type"));
}

/* Count n more bytes of bodies held; false (nothing counted) past the bound. */
static bool hold_body(struct serve_ctx *s, size_t n)
{
	size_t bound = SERVE_BODIES * (s->max_body + 1);
	size_t cur = __atomic_load_n(&s->bodies_held, __ATOMIC_RELAXED);

	do {
		if (n > bound - cur)
			return false;
	} while (!__atomic_compare_exchange_n(&s->bodies_held, &cur, cur + n, true,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return true;
}

/* Forget q's body (what it held no longer counts). */
static void release_body(struct serve_ctx *s, struct req *q)
{
	__atomic_sub_fetch(&s->bodies_held, q->cap, __ATOMIC_RELAXED);
	free(q->buf);
	q->buf = NULL;
	q->len = q->cap = 0;
}

int serve_http_handler(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
		       const char *version, const char *upload, size_t *upload_size, void **req_cls)
{
	const struct serve_tag *server = cls;
	struct serve_ctx *s = server->s;
	struct req *q = *req_cls;

	if (!q || !q->started) {
		const char *cl =
		    mhd.lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		const char *ex = mhd.lookup_connection_value(conn, MHD_HEADER_KIND, "Expect");
		unsigned long long clen;
		enum framing f;

		if (!q && !(q = calloc(1, sizeof(*q))))
			return MHD_NO;
		*req_cls = q;
		q->started = true;
		q->server = server;
		f = nul_in_line(q, method, version) ? FRAMING_NUL : framing_check(conn, version);
		if (f != FRAMING_OK) {
			answer_early(s, conn, q);
			if (takes_body(s, url, method))
				serve_review_refused(s, SERVE_REFUSED_FRAMING);
			return refuse_framing(conn, f);
		}
		/* One Content-Length at most (framing_check), a number (libmicrohttpd refuses
		 * others). */
		clen = cl ? strtoull(cl, NULL, 10) : 0;
		if (takes_body(s, url, method) && !review_content_type(conn)) {
			answer_early(s, conn, q);
			return refuse_review(s, conn, SERVE_REFUSED_CONTENT_TYPE, 415,
					     "an AdmissionReview is sent as Content-Type: "
					     "application/json (charset utf-8 only)");
		}
		if (clen && !takes_body(s, url, method)) {
			answer_early(s, conn, q);
			return route(s, conn, url, method, q);
		}
		if (clen > s->max_body) {
			/* A client waiting for "100 Continue" gets the 413 before it
			 * sends a byte; any other has its body read and dropped, so it
			 * is not reset mid-send and reads the 413 (up to a bound). A
			 * body past that bound is never read: twelfth pass, it got no
			 * answer at all, waited for until --request-timeout closed the
			 * connection (Content-Length: 18446744073709551615). */
			if ((ex && !strcasecmp(ex, "100-continue")) ||
			    clen / SERVE_DROP_FACTOR > s->max_body) {
				answer_early(s, conn, q);
				return refuse_review(s, conn, SERVE_REFUSED_TOO_LARGE, 413,
						     "request body too large");
			}
			q->too_large = true;
		} else {
			q->expect = clen;
		}
		return MHD_YES;
	}
	if (q->job.done) /* resumed: its page is built, or its review made */
		return q->job.what == SERVE_JOB_REVIEW ? review_reply(s, &q->job)
						       : page_reply(s, &q->job);
	if (q->answered) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;

		*upload_size = 0;
		if (q->busy) /* dropped; answered 503 when it has all arrived */
			return MHD_YES;
		if (q->too_large || q->len + n > s->max_body) {
			q->too_large = true;
			q->dropped += n;
			/* enough: answer and close */
			if (q->dropped > SERVE_DROP_FACTOR * s->max_body) {
				answer_early(s, conn, q);
				return refuse_review(s, conn, SERVE_REFUSED_TOO_LARGE, 413,
						     "request body too large");
			}
			return MHD_YES;
		}
		if (q->len + n + 1 > q->cap) {
			/* room as it arrives (the sender pays for what is held), at
			 * most its Content-Length; counted in bodies_held */
			size_t cap = (q->len + n + 1) * 2;
			char *b;

			cap = cap > q->expect + 1 && q->len + n <= q->expect ? q->expect + 1 : cap;
			cap = cap > s->max_body + 1 ? s->max_body + 1 : cap;
			if (!hold_body(s, cap - q->cap)) {
				release_body(s, q);
				q->busy = true;
				return MHD_YES;
			}
			if (!(b = realloc(q->buf, cap))) {
				__atomic_sub_fetch(&s->bodies_held, cap - q->cap, __ATOMIC_RELAXED);
				return MHD_NO;
			}
			q->buf = b;
			q->cap = cap;
		}
		memcpy(q->buf + q->len, upload, n);
		q->len += n;
		q->buf[q->len] = '\0';
		return MHD_YES;
	}
	q->answered = true;
	serve_deadline_mark(s, conn, true);
	return route(s, conn, url, method, q);
}

void serve_http_completed(void *cls, struct MHD_Connection *conn, void **req_cls, int toe)
{
	struct req *q = *req_cls;

	if (cls) {
		serve_deadline_mark(cls, conn, false);
		serve_client_page_set(cls, conn, 0, 0); /* its page, if any, is not its now */
	}
	/* A page built for a connection closed before the handler answered it:
	 * no response took the page's reference. libmicrohttpd 0.9.75 runs the
	 * handler after each resume, even for a client that reset or a server
	 * stopping (tests/cli/serve-probe.sh; nothing reached here), but that
	 * is not promised by its API: the reference is not left to it. */
	if (q && q->job.done && q->job.p)
		serve_page_put(q->job.p);
	if (q)
		free(q->job.out); /* a review's answer never queued (NULL once it is) */
	if (cls && q)
		release_body(cls, q);
	else if (q)
		free(q->buf);
	free(q);
	*req_cls = NULL;
}
