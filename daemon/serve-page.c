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
 *
 * Fifteenth pass (part O's open find): the send deadline bounded one hold,
 * not a client that asks again. Four connections of one address, asking
 * again every --request-timeout, built and held the four pages, and every
 * other scrape more than a second after their builds got 503 for most of
 * each round. A client (an address; an IPv6 /64, as connections are counted
 * in serve-deadline.c) now keeps one page of a kind alive at most: asking
 * again while it is being sent one, it shares that page while it is fresh,
 * and is refused (429) after, whatever the other clients do. One address
 * can no longer hold what the other clients need; it takes SERVE_PAGES
 * addresses (or /64s) to hold them all.
 *
 * Fifteenth pass, second round (part L's open find): four addresses did
 * hold them, and every other scrape more than a second after the newest
 * build got 503 for up to --request-timeout a round. Now, when a page is
 * needed, SERVE_PAGES are alive and the newest is too old to share, the
 * readers of the page taken slowest (serve_client_slowest: by the bytes
 * its clients acknowledged a second) are cut (serve_client_cut) and a new
 * page built: a scrape is never refused for want of a page, memory stays
 * SERVE_PAGES pages of a kind (and the one being torn down), and a cut
 * reader reads a body short of its Content-Length, a failed scrape, seen.
 * Pages are cut only when over a second has passed since the newest was
 * built, so one a second at most, and the slowest first: to have a
 * scraper's page cut, the other three must be read faster than it is.
 * Weighed and not taken (docs/hardening.md, part U): a fixed minimum send
 * rate (readers at that rate still hold the four pages); a page in a memfd
 * sent from its descriptor (shmem is charged to the cgroup as the heap is,
 * and is not reclaimed without swap).
 *
 * Sixteenth pass (part U's open find): four pages of a 1,000-container
 * node's /metrics (19.5 MB each) took the agent to 86 MB, past its
 * DaemonSet's 64 MiB limit. The pages counted (both kinds) are bounded in
 * bytes too, SERVE_PAGE_BYTES with the next page's guess (the last one's
 * size of its kind: a page's size is known only once it is built): past
 * that, as past SERVE_PAGES, the newest is shared while fresh, and after
 * that the pages taken slowest are cut until the next fits. Only pages
 * over a second old are cut, of either kind (a page just built is
 * shared, not cut), and a request cuts only when its kind's newest page
 * is stale, so cuts are made once a second a kind at most;
 * when none is left to cut, the page is built all the same (one page
 * larger than the bound is still served). 24 MiB: a page cut is freed by
 * the thread that sends it, which may be the one building the next (it
 * waits in this handler), so the peak is the bound, one cut page and the
 * agent's own: measured 52 MB (1,000 containers, twelve clients asking for
 * both pages and reading fast, slowly or not at all), 58 to 64 MB with
 * 32 MiB, under the manifest's 64 MiB with its 256 connections' 6 MiB.
 *
 * Seventeenth pass (part A's open find of the sixteenth): a cut page was
 * freed by libmicrohttpd once the thread sending it saw the socket shut
 * down, after the builder had begun the next page, so the two overlapped
 * and the budget held only with a cut page's slack. A page is now sent
 * through a reader (page_read) that copies it a block at a time under
 * page_lock, and a cut takes its buffer away at once (serve_page_cut): the
 * next page is built with the cut one's memory given back, and a reader of
 * it that runs again ends its connection (a body short of its
 * Content-Length, as before). Each response holds one block of its own
 * (SERVE_PAGE_BLOCK) while it is sent.
 */
#include <stdlib.h>
#include <string.h>

#include "serve-mhd.h"
#include "serve.h"

struct serve_page {
	struct serve_page *next; /* the alive pages of its kind (page_lock) */
	struct serve_ctx *s;
	unsigned long long id;	/* never 0, never reused (serve_client_page) */
	struct serve_zpage *zp; /* its text, deflated; NULL once cut: its readers end (page_lock) */
	size_t len;		/* of the text */
	unsigned refs;		/* responses using it (page_lock) */
	int kind;		/* SERVE_PAGE_METRICS or SERVE_PAGE_JSON */
	long long built_ms;	/* serve_mono_ms() when its scan began */
	bool cut;		/* its readers are being cut: no longer counted (page_lock) */
};

/* Under page_lock: the alive page of kind numbered id, or NULL. */
static struct serve_page *alive_page(struct serve_ctx *s, int kind, unsigned long long id)
{
	struct serve_page *p = s->alive[kind];

	while (p && p->id != id)
		p = p->next;
	return p;
}

static bool fresh(const struct serve_page *p)
{
	return serve_mono_ms() - p->built_ms <= SERVE_PAGE_FRESH_MS;
}

/* Under page_lock: is there room for one more page of kind (its guess, the
 * last one's size)? */
static bool fits(const struct serve_ctx *s, int kind)
{
	return s->pages[kind] < SERVE_PAGES &&
	       s->page_bytes + s->page_last[kind] <= SERVE_PAGE_BYTES;
}

/* Under page_lock: the pages that may be cut, of either kind: those counted
 * and over a second old (a page just built is shared, never cut). */
static size_t stale_pages(struct serve_ctx *s, struct serve_cand *cands)
{
	size_t n = 0;

	for (int k = 0; k < 2; k++)
		for (struct serve_page *p = s->alive[k]; p && n < SERVE_PAGE_CANDS; p = p->next)
			if (!p->cut && !fresh(p))
				cands[n++] = (struct serve_cand){.id = p->id, .kind = k};
	return n;
}

struct serve_page *serve_page_shared(struct serve_ctx *s, int kind, unsigned long long held,
				     unsigned *refuse, struct serve_cand *cands, size_t *n_cands)
{
	struct serve_page *p = NULL, *n;

	*refuse = 0;
	*n_cands = 0;
	pthread_mutex_lock(&s->page_lock);
	if (held && (n = alive_page(s, kind, held)) != NULL) {
		if (fresh(n) && !n->cut) { /* its own, no older than a second: no new page */
			p = n;
			p->refs++;
		} else {
			*refuse = 429;
		}
	} else if (!fits(s, kind)) {
		n = s->newest[kind];
		if (n && fresh(n)) {
			p = n;
			p->refs++;
		} else { /* none newer than a second: some are to be cut */
			*n_cands = stale_pages(s, cands);
		}
	}
	pthread_mutex_unlock(&s->page_lock);
	return p;
}

/* Under page_lock: p is no longer counted (its readers are being cut). */
static void uncount(struct serve_ctx *s, struct serve_page *p)
{
	p->cut = true; /* freed with its last response, soon */
	s->pages[p->kind]--;
	s->page_bytes -= p->len;
	if (s->newest[p->kind] == p)
		s->newest[p->kind] = NULL;
}

static bool slower(const struct serve_cand *a, const struct serve_cand *b)
{
	return a->rate < b->rate || (a->rate == b->rate && a->id < b->id);
}

size_t serve_page_cut(struct serve_ctx *s, int kind, struct serve_cand *cands, size_t n)
{
	struct serve_zpage *drop[SERVE_PAGE_CANDS];
	size_t done = 0;

	for (size_t i = 1; i < n; i++) /* the slowest first (at most SERVE_PAGE_CANDS) */
		for (size_t j = i; j > 0 && slower(&cands[j], &cands[j - 1]); j--) {
			struct serve_cand t = cands[j];

			cands[j] = cands[j - 1];
			cands[j - 1] = t;
		}
	pthread_mutex_lock(&s->page_lock);
	for (size_t i = 0; i < n && !fits(s, kind); i++) {
		struct serve_page *p = alive_page(s, cands[i].kind, cands[i].id);

		/* Gone since it was listed, or of the other kind when only the
		 * count of this one is at its bound: cutting it would not help. */
		if (!p || p->cut ||
		    (p->kind != kind && s->page_bytes + s->page_last[kind] <= SERVE_PAGE_BYTES))
			continue;
		uncount(s, p);
		drop[done] = p->zp; /* no reader copies from it once page_lock is let go */
		p->zp = NULL;
		cands[done++] = cands[i];
	}
	pthread_mutex_unlock(&s->page_lock);
	for (size_t i = 0; i < done; i++) /* before the next page is built */
		serve_zpage_free(drop[i]);
	return done;
}

struct serve_page *serve_page_new(struct serve_ctx *s, int kind, struct serve_zpage *zp,
				  long long built_ms)
{
	struct serve_page *p = calloc(1, sizeof(*p));
	size_t len = serve_zpage_len(zp);

	if (!p) {
		serve_zpage_free(zp);
		return NULL;
	}
	*p = (struct serve_page){
	    .s = s, .zp = zp, .len = len, .refs = 1, .kind = kind, .built_ms = built_ms};
	pthread_mutex_lock(&s->page_lock);
	p->id = ++s->page_serial;
	p->next = s->alive[kind];
	s->alive[kind] = p;
	s->pages[kind]++;
	s->page_bytes += len;
	s->page_last[kind] = len;
	s->newest[kind] = p;
	pthread_mutex_unlock(&s->page_lock);
	return p;
}

unsigned long long serve_page_id(const struct serve_page *p)
{
	return p->id; /* set before p was handed out, never changed */
}

/* libmicrohttpd is done with one response using p. */
static void page_release(void *cls)
{
	struct serve_page *p = cls;
	struct serve_ctx *s = p->s;
	bool last;

	pthread_mutex_lock(&s->page_lock);
	if ((last = --p->refs == 0)) {
		struct serve_page **pp = &s->alive[p->kind];

		while (*pp != p)
			pp = &(*pp)->next;
		*pp = p->next;
		if (!p->cut) { /* (a cut page was uncounted when it was cut) */
			s->pages[p->kind]--;
			s->page_bytes -= p->len;
		}
		if (s->newest[p->kind] == p)
			s->newest[p->kind] = NULL;
	}
	pthread_mutex_unlock(&s->page_lock);
	if (last) {
		serve_fault_page_release();
		serve_zpage_free(p->zp); /* NULL when cut: freed at the cut */
		free(p);
	}
}

/* Replaced in tests/truth's capscope-fault (a strong definition there). */
__attribute__((weak)) void serve_fault_page_release(void)
{
}

void serve_page_put(struct serve_page *p)
{
	page_release(p);
}

/* One response sending p: the page and the response's own inflater. */
struct page_resp {
	struct serve_page *p;
	void *reader;
};

static void resp_release(void *cls)
{
	struct page_resp *pr = cls;

	serve_zpage_reader_free(pr->reader);
	page_release(pr->p);
	free(pr);
}

/* libmicrohttpd asks for the bytes of p from pos (at most max, its block):
 * inflated under page_lock, as a cut takes the page's text away under it. */
static ssize_t page_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct page_resp *pr = cls;
	struct serve_page *p = pr->p;
	ssize_t n = MHD_CONTENT_READER_END_WITH_ERROR; /* cut: the connection ends */

	pthread_mutex_lock(&p->s->page_lock);
	if (p->zp && pos < p->len) {
		n = serve_zpage_read(p->zp, pr->reader, pos, buf, max);
		if (n <= 0) /* not made (never seen): the body ends short, a failed read */
			n = MHD_CONTENT_READER_END_WITH_ERROR;
	} else if (p->zp) {
		n = MHD_CONTENT_READER_END_OF_STREAM;
	}
	pthread_mutex_unlock(&p->s->page_lock);
	return n;
}

enum MHD_Result serve_page_answer(struct MHD_Connection *conn, struct serve_page *p,
				  const char *type)
{
	struct page_resp *pr = calloc(1, sizeof(*pr));
	struct MHD_Response *r;
	enum MHD_Result ret;

	/* The inflater is made before the answer: sending allocates nothing. */
	if (!pr || !(pr->reader = serve_zpage_reader())) {
		free(pr);
		page_release(p);
		return MHD_NO;
	}
	pr->p = p;
	r = mhd.create_response_from_callback(p->len, SERVE_PAGE_BLOCK, page_read, pr,
					      resp_release);
	if (!r) {
		resp_release(pr);
		return MHD_NO;
	}
	mhd.add_response_header(r, "Content-Type", type);
	ret = mhd.queue_response(conn, 200, r);
	mhd.destroy_response(r);
	return ret;
}
