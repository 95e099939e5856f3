/* SPDX-License-Identifier: MIT */
/*
 * The node's pages (/metrics, /api/v1/containers) being sent, shared when
 * there are many. Fourteenth pass: each scrape built its own page and
 * libmicrohttpd held it until the client had read it all, so clients that
 * ask and read slowly held one page each: fifty of them, on a node of 1,000
 * containers (a 20 MB /metrics), took the agent to 819 MB (its DaemonSet's
 * limit is 64 MiB). At most SERVE_PAGES pages of a kind are alive at once;
 * past that, a request is answered with the newest page already built (no
 * older than any alive), so memory is bounded by the pages, not the clients,
 * and nobody is refused: Prometheus still gets its samples.
 *
 * Fourteenth pass, second round: the newest page was shared however old it
 * was, and a page lives as long as its slowest reader (no deadline while a
 * response is sent; the idle timeout is reset by each byte read). Four
 * connections asking /metrics and reading a byte now and then froze the
 * page every scrape got: containers started since were in
 * /api/v1/containers and not in /metrics, silently. A page is shared only
 * for SERVE_PAGE_FRESH_MS after it was built; past that, with SERVE_PAGES
 * alive, the request is refused (503), as building one more
 * would give the memory bound up: a failed scrape is seen (up == 0), a
 * stale one is not.
 */
#include <stdlib.h>

#include "serve-mhd.h"
#include "serve.h"

struct serve_page {
	struct serve_ctx *s;
	char *buf;
	size_t len;
	unsigned refs;	    /* responses using it (page_lock) */
	int kind;	    /* SERVE_PAGE_METRICS or SERVE_PAGE_JSON */
	long long built_ms; /* serve_mono_ms() when its scan began */
};

struct serve_page *serve_page_shared(struct serve_ctx *s, int kind, bool *busy)
{
	struct serve_page *p = NULL, *n;

	*busy = false;
	pthread_mutex_lock(&s->page_lock);
	if (s->pages[kind] >= SERVE_PAGES) {
		n = s->newest[kind];
		if (n && serve_mono_ms() - n->built_ms <= SERVE_PAGE_FRESH_MS) {
			p = n;
			p->refs++;
		} else if (n) {
			*busy = true; /* (no newest: fewer than SERVE_PAGES, see page_release) */
		}
	}
	pthread_mutex_unlock(&s->page_lock);
	return p;
}

struct serve_page *serve_page_new(struct serve_ctx *s, int kind, char *buf, size_t len,
				  long long built_ms)
{
	struct serve_page *p = calloc(1, sizeof(*p));

	if (!p) {
		free(buf);
		return NULL;
	}
	*p = (struct serve_page){s, buf, len, 1, kind, built_ms};
	pthread_mutex_lock(&s->page_lock);
	s->pages[kind]++;
	s->newest[kind] = p;
	pthread_mutex_unlock(&s->page_lock);
	return p;
}

/* libmicrohttpd is done with one response using p. */
static void page_release(void *cls)
{
	struct serve_page *p = cls;
	struct serve_ctx *s = p->s;
	bool last;

	pthread_mutex_lock(&s->page_lock);
	if ((last = --p->refs == 0)) {
		s->pages[p->kind]--;
		if (s->newest[p->kind] == p)
			s->newest[p->kind] = NULL;
	}
	pthread_mutex_unlock(&s->page_lock);
	if (last) {
		free(p->buf);
		free(p);
	}
}

enum MHD_Result serve_page_answer(struct MHD_Connection *conn, struct serve_page *p,
				  const char *type)
{
	struct MHD_Response *r =
	    mhd.create_response_from_buffer_with_free_callback_cls(p->len, p->buf, page_release, p);
	enum MHD_Result ret;

	if (!r) {
		page_release(p);
		return MHD_NO;
	}
	mhd.add_response_header(r, "Content-Type", type);
	ret = mhd.queue_response(conn, 200, r);
	mhd.destroy_response(r);
	return ret;
}
