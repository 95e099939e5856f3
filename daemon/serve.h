/* SPDX-License-Identifier: MIT */
/*
 * capscope serve: the model calls (serve-model.c, the one place that asks
 * the model), the inventory's renderers (serve-node.c) and the HTTP server
 * (cmd-serve.c over libmicrohttpd, loaded by serve-mhd.c).
 */
#ifndef CAPSCOPE_CLI_SERVE_H
#define CAPSCOPE_CLI_SERVE_H

#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>

#include "capscope/cri.h"
#include "capscope/k8s.h"
#include "capscope/kernel.h"
#include "capscope/kubelet.h"
#include "capscope/node.h"
#include "capscope/scc.h"
#include "capscope/serve.h"
#include "capscope/scc-load.h"
#include "explain-pod.h"

#define SERVE_MAX_SCCS 64

/* The same model options as explain pod. */
struct serve_model {
	enum cs_cri_runtime runtime;
	struct cs_cri_target target; /* --runtime NAME@VERSION, --runtime-caps */
	struct cs_crio_config crio;
	bool crio_loaded;
	bool openshift, use_scc;
	struct cs_scc_set sc; /* loaded as explain pod loads them */
	const struct cs_scc *sccs[SERVE_MAX_SCCS];
	size_t n_sccs;
	uint32_t uid_start, uid_size;
	struct cs_kubelet_unsafe_sysctls unsafe; /* --allowed-unsafe-sysctls */
};

/*
 * Load the SCCs as explain pod does (--openshift: the built-in ones,
 * restricted-v2 granted; --scc files or built-in names, granted; --use
 * names granted). Returns 0 or the exit status after printing the error.
 */
int serve_model_sccs(struct serve_model *m, const char *const *names, size_t n,
		     const char *const *uses, size_t n_uses);
void serve_model_free(struct serve_model *m);

/* The cs_pod_explain options of m (borrowing from it). */
void serve_model_opts(const struct serve_model *m, struct cs_pod_explain_opts *o);

/* The agent's state, shared by the request threads under its lock. */
struct serve_node {
	struct cs_node_opts opts;
	struct cs_node_inventory inv;
	double last_scan_seconds;
	bool trace;		 /* --trace: nt is open */
	struct cs_node_trace nt; /* what each container uses */
	double last_drain;	 /* CLOCK_MONOTONIC seconds */
};

/* Everything a request may touch. */
enum serve_webhook { SERVE_WEBHOOK_OFF, SERVE_WEBHOOK_WARN, SERVE_WEBHOOK_ENFORCE };

/* Why a POST /validate was answered before its review was read
 * (capscope_admission_refused_total{reason}, serve-review.c). */
enum serve_refusal {
	SERVE_REFUSED_FRAMING,	    /* 400, 411: ambiguous length, chunked, Host */
	SERVE_REFUSED_CONTENT_TYPE, /* 415 */
	SERVE_REFUSED_TOO_LARGE,    /* 413 */
	SERVE_REFUSED_BUSY,	    /* 503: the bodies held at once are at their bound */
	SERVE_REFUSED_N
};

struct serve_ctx {
	struct serve_model model;
	enum serve_webhook webhook;
	bool inventory;
	size_t max_body;
	size_t bodies_held; /* bytes of review bodies held now, atomic (serve-http.c) */
	bool quiet;	    /* no log line per admission review */
	/* What the reviews worked on now are measured to hold (serve-review.c
	 * review_cost): at most SERVE_REVIEW_ROOM x max_body but for one review. */
	pthread_mutex_t review_lock;
	pthread_cond_t review_done;
	size_t reviewing;
	struct serve_node node;
	pthread_mutex_t node_lock;
	volatile int stopping;				/* /readyz says 503 while shutting down */
	unsigned long reviews[CS_REVIEW_N_OUTCOMES][2]; /* [outcome][dry_run], atomic adds */
	unsigned long refused[SERVE_REFUSED_N];		/* atomic adds */
	/* Open connections and their deadlines (serve-deadline.c). */
	pthread_mutex_t conn_lock;
	struct serve_conn *conns;
	unsigned request_timeout;
	unsigned per_client;	     /* connections of one client (an IPv6 /64 counts as one) */
	struct serve_linger *linger; /* sockets closed after a refusal (serve-linger.c) */
	/* The node's pages alive, by kind, and the newest (serve-page.c). */
	pthread_mutex_t page_lock;
	unsigned pages[2];
	size_t page_bytes;   /* of the pages counted in pages[], both kinds */
	size_t page_last[2]; /* the last page built of a kind: the next one's guess */
	struct serve_page *newest[2];
	struct serve_page *alive[2];	/* the pages[kind] alive, linked */
	unsigned long long page_serial; /* the last page's id */
};

/* The node's pages being sent (serve-page.c): at most SERVE_PAGES of a kind
 * alive, and SERVE_PAGE_BYTES of both kinds with the next page's guess
 * (the last one built of its kind); past either, the newest is shared while
 * it is SERVE_PAGE_FRESH_MS old at most (a scrape never gets a page from
 * before the one it made a second earlier), and after that the readers of
 * the pages taken slowest are cut, until the next one fits, and a new page
 * built. */
#define SERVE_PAGES	    4
#define SERVE_PAGE_FRESH_MS 1000
#define SERVE_PAGE_BYTES    (24u << 20)
#define SERVE_PAGE_CANDS    (2 * SERVE_PAGES)
/* A page is sent a block at a time, copied into each response's own block
 * (serve-page.c: a cut frees the page at once): 16 KiB, a TLS record, so
 * 256 connections sent a page hold 4 MiB of blocks. */
#define SERVE_PAGE_BLOCK (16u << 10)
/* The window over which a reader's pace is rated (serve-deadline.c): what
 * it took in the last one to two of these. */
#define SERVE_PAGE_RATE_MS 1000
enum { SERVE_PAGE_METRICS, SERVE_PAGE_JSON };
struct serve_page;
/* A page's text deflated a SERVE_PAGE_BLOCK at a time (serve-zpage.c):
 * written through the stream open gives (its write or fclose fails when a
 * block cannot be kept), then sealed; read back a block at a time by a
 * response's own reader, made before its answer is queued. */
struct serve_zpage;
FILE *serve_zpage_open(struct serve_zpage **zp);
void serve_zpage_seal(struct serve_zpage *zp);
size_t serve_zpage_len(const struct serve_zpage *zp);
void serve_zpage_free(struct serve_zpage *zp);
void *serve_zpage_reader(void);
void serve_zpage_reader_free(void *reader);
ssize_t serve_zpage_read(const struct serve_zpage *zp, void *reader, uint64_t pos, char *buf,
			 size_t max);
struct MHD_Connection;
/* One a server (serve-server.c): the access handler's cls, so that a job
 * knows its connection's server (serve_pager_hold); libmicrohttpd names a
 * pooled thread's daemon, not the one started. */
struct serve_tag {
	struct serve_ctx *s;
};
/* A page that may be cut, its kind and its readers' pace (bytes a second). */
struct serve_cand {
	unsigned long long id, rate;
	int kind;
};
/* held: the page of kind that the request's client is being sent already
 * (serve_client_page), or 0. The page to answer with, one more reference
 * to it: the client's own while it is fresh, or the newest when the pages
 * are at a bound and it is fresh. NULL: refuse with *refuse 429 (the
 * client's own page is too old to be shared: one page alive a client), or
 * build one (*refuse 0), after cutting some of the *n_cands pages listed in
 * cands (room for SERVE_PAGE_CANDS: those of either kind over
 * SERVE_PAGE_FRESH_MS old) when there are any: a bound was reached and the
 * newest stale (serve_client_rates rates them, serve_page_cut chooses and
 * uncounts, serve_client_cut cuts). */
struct serve_page *serve_page_shared(struct serve_ctx *s, int kind, unsigned long long held,
				     unsigned *refuse, struct serve_cand *cands, size_t *n_cands);
/* Of the n rated cands, the pages taken slowest (the oldest of equals) are
 * no longer counted nor shared, one by one, until a page of kind fits both
 * bounds or none is left; they are moved to the front of cands, and their
 * number returned (their readers are to be cut). */
size_t serve_page_cut(struct serve_ctx *s, int kind, struct serve_cand *cands, size_t n);
/* A page of zp's text (owned from here, freed with the last response using
 * it), its scan begun at built_ms (serve_mono_ms); NULL when out of memory
 * (zp freed). Its text counts whole against SERVE_PAGE_BYTES, though it is
 * held deflated (serve-zpage.c). */
struct serve_page *serve_page_new(struct serve_ctx *s, int kind, struct serve_zpage *zp,
				  long long built_ms);
/* p's number, never 0 and never another page's. */
unsigned long long serve_page_id(const struct serve_page *p);
/* Drop a reference to p that no response took. */
void serve_page_put(struct serve_page *p);
/* Answer 200 with p (the reference passes to the response). */
enum MHD_Result serve_page_answer(struct MHD_Connection *conn, struct serve_page *p,
				  const char *type);

/* A page request handed to the page builder (serve-pager.c): its connection
 * is suspended while the page is built, then resumed with the result. */
/* A request worked on off libmicrohttpd's threads (serve-pager.c) while its
 * connection is suspended: a node page, or a review. */
enum { SERVE_JOB_PAGE, SERVE_JOB_REVIEW };
struct serve_job {
	struct serve_job *next;
	struct MHD_Connection *conn;
	const struct serve_tag *server; /* its connection's (serve_pager_hold) */
	int what;			/* SERVE_JOB_PAGE or SERVE_JOB_REVIEW */
	bool done;			/* worked on: the handler answers with the rest */
	/* A page's: its kind, the page (or refuse, or r and d: an error). */
	bool metrics;
	struct serve_page *p;
	unsigned refuse;
	int r;
	struct cs_diag d;
	/* A review's: its body (the request's), the answer (out owned until
	 * answered), its status or -ENOMEM. */
	const char *body;
	size_t len, out_len;
	char *out;
	int code;	       /* or -ENOMEM, or -EBUSY: not begun by deadline_ms */
	long long deadline_ms; /* serve_mono_ms: the review waits for the others until then */
};
/* Under node_lock: share, cut, or build j's page (serve-http.c). */
void serve_page_build(struct serve_ctx *s, struct serve_job *j);
/* Reviews worked on at once hold at most this many times --max-body (32 MiB
 * at the default; docs/serve.md's sizing table), but for one alone. */
#define SERVE_REVIEW_ROOM 8
/* Bytes a JSON value of a review's object takes in its tree and model, at
 * the most measured (serve-review.c review_cost; tests/cli/serve-review-charge.sh
 * checks it covers the peak). */
#define SERVE_REVIEW_VALUE_BYTES 160

/* Review j's body (serve-review.c). */
void serve_review_job(struct serve_ctx *s, struct serve_job *j);
/* Start and stop the page builder's thread and review_threads reviewers;
 * 0 or -errno. */
int serve_pager_start(struct serve_ctx *s, unsigned review_threads);
void serve_pager_stop(void);
/* From the access handler: suspend j's connection and queue j; false when
 * the queues take no more (stopped, or held): work on it in this thread. */
bool serve_pager_submit(struct serve_job *j);
/* Before server t stops: none of its connections is suspended from here
 * until the release (its jobs queued are done first, their connections
 * resumed); the other servers' jobs are queued as before. */
void serve_pager_hold(const struct serve_tag *t);
void serve_pager_release(void);
/* Test builds only (tests/truth/serve-fault.c): called under node_lock
 * before a page is built; a no-op in capscope. */
void serve_fault_page_build(void);
/* Test builds only: called when a page's last response lets it go, before
 * it is freed (in the thread that sent it); a no-op in capscope. */
void serve_fault_page_release(void);
/* Test builds only: called before a review is worked on; a no-op in capscope. */
void serve_fault_review(void);

/* libmicrohttpd's access handler and completion callback (serve-http.c). */
struct MHD_Connection;
int serve_http_handler(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
		       const char *version, const char *upload, size_t *upload_size,
		       void **req_cls);
void serve_http_completed(void *cls, struct MHD_Connection *conn, void **req_cls, int toe);
/* libmicrohttpd's unescaper: %HH decoded in place, %00 left as it is. */
size_t serve_http_unescape(void *cls, struct MHD_Connection *conn, char *s);
/* MHD_OPTION_URI_LOG_CALLBACK: drops the query, which no route reads, and
 * returns the request's state with where the target ends (a NUL in it). */
void *serve_http_uri(void *cls, const char *uri, struct MHD_Connection *conn);
/* A request arrives whole within request_timeout of its start (serve-deadline.c):
 * libmicrohttpd's connection callback, the marks of a request's answer
 * (answering) and end (!answering), and the sweep that cuts late ones. */
enum MHD_ConnectionNotificationCode;
void serve_deadline_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
			   enum MHD_ConnectionNotificationCode toe);
void serve_deadline_mark(struct serve_ctx *s, struct MHD_Connection *conn, bool answering);
void serve_deadline_sweep(struct serve_ctx *s);
/* A node page's answer: the connection is cut if it is not sent whole
 * within request_timeout (no deadline for the other answers). */
void serve_deadline_send(struct serve_ctx *s, struct MHD_Connection *conn);
/* The pages a client is being sent (serve-deadline.c; a client is an
 * address, an IPv6 /64): the id of the page of kind one of its connections
 * is being sent (the highest, if several), or 0; and conn's own, set when
 * it is answered with page id and cleared (0) when its request is done. */
unsigned long long serve_client_page(struct serve_ctx *s, struct MHD_Connection *conn, int kind);
void serve_client_page_set(struct serve_ctx *s, struct MHD_Connection *conn, int kind,
			   unsigned long long id);
/* Rate each of the n cands: its fastest reader's bytes acknowledged a
 * second over the last one to two SERVE_PAGE_RATE_MS (since it was
 * answered, in its first); 0 with no reader. */
void serve_client_rates(struct serve_ctx *s, struct serve_cand *cands, size_t n);
/* Sample the pace of every connection being sent a page (the sweep). */
void serve_client_pace(struct serve_ctx *s, long long now);
/* Shut down the sockets of every connection being sent page id of kind. */
void serve_client_cut(struct serve_ctx *s, int kind, unsigned long long id);
/* Bytes a TCP connection's client has acknowledged (0: not known). */
unsigned long long serve_tcp_acked(int fd);
/* CLOCK_MONOTONIC in milliseconds. */
long long serve_mono_ms(void);
/* An answer that leaves the request's body unread: when the connection ends,
 * its socket lingers (serve-linger.c) so the client reads the answer. */
void serve_deadline_linger(struct serve_ctx *s, struct MHD_Connection *conn);
/* Lingering close (serve-linger.c): the thread that reads and drops what the
 * clients of refused requests still send; 0 or -errno. */
int serve_linger_start(struct serve_ctx *s);
void serve_linger_stop(struct serve_ctx *s);
void serve_linger_add(struct serve_ctx *s, int fd);
/* The body of an answer to one AdmissionReview: status (200 or 400) and text. */
int serve_review(struct serve_ctx *s, const char *body, size_t len, long long deadline_ms,
		 char **out, size_t *outlen);
/* --trace: open the tracer and start observing the running containers; 0 or an exit status. */
int serve_trace_open(struct serve_ctx *s);
/* --trace: empty the kernel's map into the usage table when a second has passed. */
void serve_trace_tick(struct serve_ctx *s);
/* Count a review refused before it was read. */
void serve_review_refused(struct serve_ctx *s, enum serve_refusal why);
/* capscope serve's own metrics (admission reviews, build info). */
void serve_metrics_self(struct serve_ctx *s, FILE *f);

/* ---------- the process: sockets, servers, signals (serve-server.c) ---------- */

#define SERVE_MAX_LISTEN 16
#define SERVE_MAX_OLD	 (SERVE_MAX_LISTEN * 4) /* retired servers still finishing */
struct MHD_Daemon;

/* ADDR:PORT (an IPv4 address, or IPv6 in brackets; a port 0-65535, digits
 * only) into host and port: 0 or -EINVAL. daemon/serve-server.c. */
int serve_listen_parse(const char *spec, char host[128], char port[16]);

struct listener {
	char spec[128];
	int fd;
	struct MHD_Daemon *d;
	struct serve_tag *tag; /* d's */
};

struct retiring {
	struct MHD_Daemon *d;
	struct serve_tag *tag;
	time_t deadline;
	char *key, *cert; /* kept while the old server still uses them */
};

struct serve_server {
	struct serve_ctx ctx;
	struct listener l[SERVE_MAX_LISTEN];
	size_t n_l;
	const char *cert_path, *key_path;
	char *cert, *key;
	const char *scc_args[SERVE_MAX_SCCS], *use_args[SERVE_MAX_SCCS]; /* --scc, --use */
	size_t n_sccs, n_uses;
	bool uid_range;	     /* --uid-range given (it needs an SCC to apply to) */
	bool want_trace;     /* --trace */
	bool validate_given; /* --validate */
	unsigned timeout, max_conns, threads, shutdown_timeout;
	unsigned max_client_conns;	    /* per address; 0: half of max_conns (serve-server.c) */
	struct retiring old[SERVE_MAX_OLD]; /* full: the oldest is stopped (serve-server.c) */
	size_t n_old;
};

/* Bind every --listen address and start a server on each; 0 or an exit status. */
int serve_server_open(struct serve_server *sv);
/* Wait for signals (SIGHUP: reload, SIGTERM/SIGINT: drain and stop); the exit status. */
int serve_server_run(struct serve_server *sv, const sigset_t *set);
/* Does the PEM pair load as libmicrohttpd loads it (GnuTLS)? 0, or with why
 * (naming the file at fault) in why: -1 the certificate, -2 the key alone,
 * -3 the two together (serve-tls.c). */
int serve_tls_check(const char *cert_path, const char *cert, const char *key_path, const char *key,
		    char *why, size_t len);
/* Read --tls-cert and --tls-key (nothing without them); 0 or an exit status. */
int serve_read_tls(struct serve_server *sv, char **cert, char **key);

#endif
