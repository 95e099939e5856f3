/* SPDX-License-Identifier: MIT */
/*
 * capscope serve's process: listening sockets, one libmicrohttpd server per
 * socket, TLS material, and the signals — SIGHUP reloads the certificate (a
 * new server takes over each listening socket, the old one finishes what it
 * has), SIGTERM stops accepting and lets requests in flight finish.
 */
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "capscope/number.h"
#include "capscope/proc.h"
#include "output.h"
#include "serve-mhd.h"
#include "serve.h"
#include "internal/util.h"

#define CMD "serve"

/*
 * ADDR:PORT ("[::1]:8443" for IPv6) into host and port, or -EINVAL. The
 * address is strict: inet_pton's forms only (getaddrinfo alone takes
 * "127.1" and reads "0127.0.0.1" as octal), brackets around IPv6, and a
 * port through the one number parser (getaddrinfo took " 80", "+80" and
 * 99999, which it wrapped to 34463). cmd-serve.c checks each --listen with
 * it as the options are read (twenty-first pass, part E: a bad one was
 * refused only after the start-up work, as a run-time error).
 */
int serve_listen_parse(const char *spec, char host[128], char port[16])
{
	unsigned char bin[sizeof(struct in6_addr)];
	char *colon;
	uint32_t pnum;
	bool v6;

	if (strlen(spec) >= 128)
		return -EINVAL;
	snprintf(host, 128, "%s", spec);
	colon = strrchr(host, ':');
	if (!colon || !colon[1])
		return -EINVAL;
	*colon = '\0';
	if (strlen(colon + 1) >= 16 || cs_parse_u32(colon + 1, 65535, &pnum) < 0)
		return -EINVAL;
	snprintf(port, 16, "%s", colon + 1);
	v6 = host[0] == '[' && colon > host + 1 && colon[-1] == ']';
	if (v6) {
		colon[-1] = '\0';
		memmove(host, host + 1, strlen(host));
	}
	return inet_pton(v6 ? AF_INET6 : AF_INET, host, bin) == 1 ? 0 : -EINVAL;
}

/* Bind l->spec (serve_listen_parse's form). Returns the fd or -errno. */
static int open_listener(struct listener *l)
{
	char host[128], port[16];
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE};
	struct addrinfo *ai;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd, one = 1;

	if (serve_listen_parse(l->spec, host, port) < 0)
		return -EINVAL;
	if (getaddrinfo(host, port, &hints, &ai) != 0)
		return -EINVAL;
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 1024) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) < 0) {
		int e = -errno;

		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return e;
	}
	freeaddrinfo(ai);
	getnameinfo((struct sockaddr *)&ss, sl, host, sizeof(host), port, sizeof(port),
		    NI_NUMERICHOST | NI_NUMERICSERV);
	snprintf(l->spec, sizeof(l->spec), strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, port);
	l->fd = fd;
	return fd;
}

/*
 * A server on (a duplicate of) the listening socket fd: each server owns its
 * own descriptor, since libmicrohttpd closes it when a start fails and when
 * it stops, while the socket must outlive every server (SIGHUP).
 *
 * Ninth pass: one client could hold every connection (--max-connections 8:
 * eight half-sent requests from one address, renewed as the deadline cuts
 * them, and nobody else was accepted: the API server's reviews, the
 * kubelet's probes). An address holds at most half of the connections
 * unless told otherwise; one API server keeps at most its in-flight limits
 * (600 by default) open to a webhook. Beyond it libmicrohttpd closes the
 * new connection at once.
 */
static struct MHD_Daemon *start(struct serve_server *sv, int fd, struct serve_tag **tag)
{
	/* Page requests are suspended while their page is built (serve-pager.c). */
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME |
			 (sv->cert ? MHD_USE_TLS : 0);
	unsigned per_client = sv->ctx.per_client;

	struct MHD_Daemon *d;

	/* The handler's cls: the server's own (serve.h), freed when it stops. */
	if (!(*tag = malloc(sizeof(**tag))))
		return NULL;
	(*tag)->s = &sv->ctx;
	fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0) {
		free(*tag);
		return NULL;
	}
	d = mhd.start_daemon(
	    flags, 0, NULL, NULL, (MHD_AccessHandlerCallback)serve_http_handler, *tag,
	    MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE, sv->threads,
	    MHD_OPTION_CONNECTION_LIMIT, sv->max_conns, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    per_client, MHD_OPTION_CONNECTION_TIMEOUT, sv->timeout, MHD_OPTION_NOTIFY_COMPLETED,
	    (MHD_RequestCompletedCallback)serve_http_completed, &sv->ctx,
	    MHD_OPTION_UNESCAPE_CALLBACK, serve_http_unescape, NULL, MHD_OPTION_URI_LOG_CALLBACK,
	    serve_http_uri, NULL, MHD_OPTION_NOTIFY_CONNECTION,
	    (MHD_NotifyConnectionCallback)serve_deadline_notify, &sv->ctx,
	    sv->cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, sv->cert,
	    MHD_OPTION_HTTPS_MEM_KEY, sv->key, MHD_OPTION_END);
	if (!d)
		free(*tag);
	return d;
}

/* Stop d: no connection of it may be suspended then (libmicrohttpd aborts),
 * so the queues finish d's jobs and take no more of its meanwhile (the
 * other servers' go on: serve-pager.c). */
static void stop_daemon(struct MHD_Daemon *d, struct serve_tag *tag)
{
	serve_pager_hold(tag);
	mhd.stop_daemon(d);
	serve_pager_release();
	free(tag);
}

/* Stop accepting on d (it finishes what it has); close its listening socket. */
static void retire(struct MHD_Daemon *d)
{
	MHD_socket fd = mhd.quiesce_daemon(d);

	if (fd != MHD_INVALID_SOCKET)
		close(fd);
}

static int read_tls_file(const char *opt, const char *path, char **out)
{
	size_t len;
	int r = cs_read_regular_file(path, 1u << 20, out, &len);

	if (r == -EINVAL)
		return cs_err(CMD, "%s %s: not a regular file (it is read again on SIGHUP)", opt,
			      path);
	if (r < 0)
		return cs_err(CMD, "%s %s: %s", opt, path, strerror(-r));
	return 0;
}

/* Both files, read whole; a key with a passphrase that does not load is
 * named as such (GnuTLS says only that it could not decrypt). Thirteenth
 * pass, second round: the markers were looked for first, so a key file
 * that loads (an unencrypted key after a note holding the words) was
 * refused as encrypted. */
int serve_read_tls(struct serve_server *sv, char **cert, char **key)
{
	char why[1024] = "";
	int r = 0;

	*cert = *key = NULL;
	if (!sv->cert_path)
		return 0;
	if (read_tls_file("--tls-cert", sv->cert_path, cert))
		return CS_EXIT_ERROR;
	if (read_tls_file("--tls-key", sv->key_path, key) == 0 &&
	    (r = serve_tls_check(sv->cert_path, *cert, sv->key_path, *key, why, sizeof(why))) == 0)
		return 0;
	if (r == -2 && (strstr(*key, "-----BEGIN ENCRYPTED PRIVATE KEY-----") ||
			strstr(*key, "Proc-Type: 4,ENCRYPTED")))
		cs_err(CMD,
		       "--tls-key %s: the key is encrypted (it has a passphrase): serve needs "
		       "it unencrypted",
		       sv->key_path);
	else if (*key)
		cs_err(CMD, "%s", why);
	free(*cert);
	free(*key);
	*cert = *key = NULL;
	return CS_EXIT_ERROR;
}

static unsigned connections(struct MHD_Daemon *d)
{
	const union MHD_DaemonInfo *i = mhd.get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

	return i ? i->num_connections : 0;
}

/* Is cert still used by a retired server that has not stopped yet? */
static bool cert_in_use(const struct serve_server *sv, const char *cert)
{
	for (size_t i = 0; i < sv->n_old; i++)
		if (sv->old[i].cert == cert)
			return true;
	return false;
}

/* Stop the retired server old[i] (cutting what it still has) and forget it;
 * the certificate of its generation goes with the last server of it. */
static void stop_retired(struct serve_server *sv, size_t i)
{
	struct retiring r = sv->old[i];

	stop_daemon(r.d, r.tag);
	memmove(&sv->old[i], &sv->old[i + 1], (sv->n_old - i - 1) * sizeof(sv->old[0]));
	sv->n_old--;
	if (!cert_in_use(sv, r.cert)) {
		free(r.cert);
		free(r.key);
	}
}

static void reap(struct serve_server *sv, bool all)
{
	for (size_t i = 0; i < sv->n_old;)
		if (all || !connections(sv->old[i].d) || time(NULL) >= sv->old[i].deadline)
			stop_retired(sv, i);
		else
			i++;
}

/* SIGHUP: a new server per socket with the new certificate, then the old
 * ones stop accepting and finish what they have. A certificate that does
 * not load leaves the old one serving. */
static void reload(struct serve_server *sv)
{
	char *cert, *key;
	struct MHD_Daemon *nd[SERVE_MAX_LISTEN];
	struct serve_tag *nt[SERVE_MAX_LISTEN];

	if (!sv->cert_path)
		return;
	if (serve_read_tls(sv, &cert, &key) != 0) {
		fprintf(stderr, "capscope serve: SIGHUP: the new certificate does not load; "
				"keeping the old one\n");
		return;
	}
	char *oc = sv->cert, *ok = sv->key;

	sv->cert = cert;
	sv->key = key;
	for (size_t i = 0; i < sv->n_l; i++)
		if (!(nd[i] = start(sv, sv->l[i].fd, &nt[i]))) {
			fprintf(stderr,
				"capscope serve: SIGHUP: the new certificate does not load; "
				"keeping the old one\n");
			while (i-- > 0)
				stop_daemon(nd[i], nt[i]);
			sv->cert = oc;
			sv->key = ok;
			free(cert);
			free(key);
			return;
		}
	for (size_t i = 0; i < sv->n_l; i++) {
		struct retiring *r;

		if (sv->n_old == SERVE_MAX_OLD)
			stop_retired(sv, 0); /* a reload storm: the oldest goes now */
		r = &sv->old[sv->n_old++];
		retire(sv->l[i].d);
		r->d = sv->l[i].d;
		r->tag = sv->l[i].tag;
		r->deadline = time(NULL) + sv->timeout + 1;
		r->cert = oc; /* shared by this generation's servers: freed with the last */
		r->key = ok;
		sv->l[i].d = nd[i];
		sv->l[i].tag = nt[i];
	}
	fprintf(stderr, "capscope serve: SIGHUP: certificate reloaded\n");
}

/* SIGTERM: stop accepting (readyz says 503), let requests finish, stop. */
static void shutdown_all(struct serve_server *sv)
{
	time_t deadline = time(NULL) + sv->shutdown_timeout;
	bool busy = true;

	sv->ctx.stopping = 1;
	for (size_t i = 0; i < sv->n_l; i++) {
		retire(sv->l[i].d);
		close(sv->l[i].fd);
	}
	while (busy && time(NULL) < deadline) {
		struct timespec ts = {0, 50 * 1000 * 1000};

		busy = false;
		for (size_t i = 0; i < sv->n_l; i++)
			busy = busy || connections(sv->l[i].d);
		for (size_t i = 0; i < sv->n_old; i++)
			busy = busy || connections(sv->old[i].d);
		if (busy) {
			serve_deadline_sweep(&sv->ctx);
			nanosleep(&ts, NULL);
		}
	}
	for (size_t i = 0; i < sv->n_l; i++)
		stop_daemon(sv->l[i].d, sv->l[i].tag);
	reap(sv, true);
}

int serve_server_run(struct serve_server *sv, const sigset_t *set)
{
	for (;;) {
		struct timespec ts = {0, 250 * 1000 * 1000};
		int sig = sigtimedwait(set, NULL, &ts);

		if (sig == SIGHUP) {
			reload(sv);
		} else if (sig == SIGTERM || sig == SIGINT) {
			fprintf(stderr, "capscope serve: %s: finishing requests in flight\n",
				sig == SIGTERM ? "SIGTERM" : "SIGINT");
			shutdown_all(sv);
			return 0;
		}
		reap(sv, false);
		serve_deadline_sweep(&sv->ctx);
		serve_client_pace(&sv->ctx, serve_mono_ms());
		serve_trace_tick(&sv->ctx);
	}
}

/* A failed start: the servers already running stop before the linger state is freed. */
static int open_failed(struct serve_server *sv, int r)
{
	for (size_t i = 0; i < sv->n_l; i++)
		if (sv->l[i].d) {
			stop_daemon(sv->l[i].d, sv->l[i].tag);
			sv->l[i].d = NULL;
		}
	return r;
}

int serve_server_open(struct serve_server *sv)
{
	int e;

	pthread_mutex_init(&sv->ctx.conn_lock, NULL);
	pthread_mutex_init(&sv->ctx.review_lock, NULL);
	pthread_mutex_init(&sv->ctx.page_lock, NULL);
	pthread_cond_init(&sv->ctx.review_done, NULL);
	sv->ctx.request_timeout = sv->timeout;
	sv->ctx.per_client = sv->max_client_conns ? sv->max_client_conns : (sv->max_conns + 1) / 2;
	if ((e = serve_linger_start(&sv->ctx)) < 0)
		return cs_err(CMD, "starting the lingering-close thread: %s", strerror(-e));
	if ((e = serve_pager_start(&sv->ctx, sv->threads)) < 0)
		return cs_err(CMD, "starting the page builder's and reviewers' threads: %s",
			      strerror(-e));
	for (size_t i = 0; i < sv->n_l; i++) {
		char spec[128];
		int r;

		snprintf(spec, sizeof(spec), "%s", sv->l[i].spec);
		if ((r = open_listener(&sv->l[i])) < 0)
			return open_failed(
			    sv, cs_err(CMD, "--listen %s: %s", spec,
				       r == -EINVAL ? "not ADDR:PORT (an IPv4 address or an IPv6 "
						      "one in brackets, a port 0-65535)"
						    : strerror(-r)));
		if (!(sv->l[i].d = start(sv, sv->l[i].fd, &sv->l[i].tag)))
			/* The TLS pair was loaded by GnuTLS already (serve_tls_check):
			 * what is left is libmicrohttpd's, which says nothing more. */
			return open_failed(sv, cs_err(CMD, "%s: the server does not start", spec));
		fprintf(stderr, "capscope serve: listening on %s://%s\n",
			sv->cert ? "https" : "http", sv->l[i].spec);
	}
	return 0;
}
