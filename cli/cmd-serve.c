/* SPDX-License-Identifier: MIT */
/*
 * capscope serve: the node agent and admission webhook over HTTP(S)
 * (libmicrohttpd, GnuTLS). This file owns the process: options, listening
 * sockets, TLS material, and the signals — SIGHUP reloads the certificate
 * (a new server takes over each listening socket, the old one finishes what
 * it has), SIGTERM stops accepting and lets requests in flight finish.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "capscope/proc.h"
#include "commands.h"
#include "output.h"
#include "serve-mhd.h"
#include "serve.h"

#define CMD	   "serve"
#define MAX_LISTEN 16
#define MAX_ROOTS  16

static const char help[] =
    "Usage: capscope serve [OPTIONS]\n"
    "\n"
    "Run the node agent and the admission webhook: Prometheus metrics of what every\n"
    "container on this node holds, and warnings at kubectl apply for requested\n"
    "capabilities that will not be effective.\n"
    "\n"
    "Routes: POST /validate (AdmissionReview), GET /metrics, GET /api/v1/containers,\n"
    "GET /healthz, GET /readyz.\n"
    "\n"
    "Options:\n"
    "  --listen ADDR:PORT     listen here (repeatable; default 127.0.0.1:8443; port 0\n"
    "                         picks a free port, printed on stderr)\n"
    "  --tls-cert FILE        serve HTTPS with this PEM certificate (chain) ...\n"
    "  --tls-key FILE         ... and key; both are read again on SIGHUP\n"
    "  --webhook MODE         warn (default: always allowed, with warnings), enforce\n"
    "                         (denied, with the same reasons) or off\n"
    "  --no-inventory         no node inventory (the webhook's Deployment)\n"
    "  --bundle-root KIND:DIR where a runtime keeps its bundles (repeatable; replaces\n"
    "                         the defaults): task:DIR (containerd, moby), userdata:DIR\n"
    "                         (CRI-O, Podman) or runc:DIR (runc state)\n"
    "  --max-body BYTES       largest request body (default 4194304; 413 beyond)\n"
    "  --request-timeout SEC  close a connection idle this long (default 10)\n"
    "  --max-connections N    at most N connections at once (default 4096)\n"
    "  --threads N            worker threads (default: the number of CPUs)\n"
    "  --shutdown-timeout SEC on SIGTERM, wait this long for requests (default 10)\n"
    "  --quiet                no log line per admission review\n"
    "  --scc FILE|NAME, --openshift, --uid-range S/N, --runtime NAME,\n"
    "  --crio-config PATH     the model, as for capscope explain pod\n"
    "  -h, --help             this help\n"
    "\n"
    "Examples:\n"
    "  capscope serve --listen 0.0.0.0:8443 --tls-cert tls.crt --tls-key tls.key\n"
    "  capscope serve --listen 127.0.0.1:9090 --webhook off\n"
    "  capscope serve --listen 127.0.0.1:8443 --webhook enforce --openshift --no-inventory\n";

struct listener {
	char spec[128];
	int fd;
	struct MHD_Daemon *d;
};

struct retiring {
	struct MHD_Daemon *d;
	time_t deadline;
	char *key, *cert; /* kept while the old server still uses them */
};

struct server {
	struct serve_ctx ctx;
	struct listener l[MAX_LISTEN];
	size_t n_l;
	const char *cert_path, *key_path;
	char *cert, *key;
	unsigned timeout, max_conns, threads, shutdown_timeout;
	struct retiring old[MAX_LISTEN * 4];
	size_t n_old;
};

/* Bind ADDR:PORT ("[::1]:8443" for IPv6). Returns the fd or -errno. */
static int open_listener(struct listener *l)
{
	char host[128], port[16], *colon;
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE};
	struct addrinfo *ai;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd, one = 1;

	snprintf(host, sizeof(host), "%s", l->spec);
	colon = strrchr(host, ':');
	if (!colon || !colon[1])
		return -EINVAL;
	*colon = '\0';
	snprintf(port, sizeof(port), "%s", colon + 1);
	if (host[0] == '[' && colon[-1] == ']') {
		colon[-1] = '\0';
		memmove(host, host + 1, strlen(host));
	}
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
 */
static struct MHD_Daemon *start(struct server *sv, int fd)
{
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | (sv->cert ? MHD_USE_TLS : 0);

	fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return NULL;
	return mhd.start_daemon(
	    flags, 0, NULL, NULL, (MHD_AccessHandlerCallback)serve_http_handler, &sv->ctx,
	    MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE, sv->threads,
	    MHD_OPTION_CONNECTION_LIMIT, sv->max_conns, MHD_OPTION_CONNECTION_TIMEOUT, sv->timeout,
	    MHD_OPTION_NOTIFY_COMPLETED, (MHD_RequestCompletedCallback)serve_http_completed, NULL,
	    sv->cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, sv->cert,
	    MHD_OPTION_HTTPS_MEM_KEY, sv->key, MHD_OPTION_END);
}

/* Stop accepting on d (it finishes what it has); close its listening socket. */
static void retire(struct MHD_Daemon *d)
{
	MHD_socket fd = mhd.quiesce_daemon(d);

	if (fd != MHD_INVALID_SOCKET)
		close(fd);
}

static int read_tls(struct server *sv, char **cert, char **key)
{
	size_t len;
	int r;

	*cert = *key = NULL;
	if (!sv->cert_path)
		return 0;
	if ((r = cs_read_file(sv->cert_path, 1u << 20, cert, &len)) < 0)
		return cs_err(CMD, "--tls-cert %s: %s", sv->cert_path, strerror(-r));
	if ((r = cs_read_file(sv->key_path, 1u << 20, key, &len)) < 0) {
		free(*cert);
		return cs_err(CMD, "--tls-key %s: %s", sv->key_path, strerror(-r));
	}
	return 0;
}

static unsigned connections(struct MHD_Daemon *d)
{
	const union MHD_DaemonInfo *i = mhd.get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

	return i ? i->num_connections : 0;
}

/* SIGHUP: a new server per socket with the new certificate, then the old
 * ones stop accepting and finish what they have. A certificate that does
 * not load leaves the old one serving. */
static void reload(struct server *sv)
{
	char *cert, *key;
	struct MHD_Daemon *nd[MAX_LISTEN];

	if (!sv->cert_path || read_tls(sv, &cert, &key) != 0)
		return;
	char *oc = sv->cert, *ok = sv->key;

	sv->cert = cert;
	sv->key = key;
	for (size_t i = 0; i < sv->n_l; i++)
		if (!(nd[i] = start(sv, sv->l[i].fd))) {
			fprintf(stderr,
				"capscope serve: SIGHUP: the new certificate does not load; "
				"keeping the old one\n");
			while (i-- > 0)
				mhd.stop_daemon(nd[i]);
			sv->cert = oc;
			sv->key = ok;
			free(cert);
			free(key);
			return;
		}
	for (size_t i = 0; i < sv->n_l; i++) {
		struct retiring *r = &sv->old[sv->n_old < MAX_LISTEN * 4 ? sv->n_old++ : 0];

		retire(sv->l[i].d);
		r->d = sv->l[i].d;
		r->deadline = time(NULL) + sv->timeout + 1;
		r->cert = i + 1 == sv->n_l ? oc : NULL;
		r->key = i + 1 == sv->n_l ? ok : NULL;
		sv->l[i].d = nd[i];
	}
	fprintf(stderr, "capscope serve: SIGHUP: certificate reloaded\n");
}

static void reap(struct server *sv, bool all)
{
	size_t k = 0;

	for (size_t i = 0; i < sv->n_old; i++) {
		struct retiring *r = &sv->old[i];

		if (all || !connections(r->d) || time(NULL) >= r->deadline) {
			mhd.stop_daemon(r->d);
			free(r->cert);
			free(r->key);
		} else {
			sv->old[k++] = *r;
		}
	}
	sv->n_old = k;
}

/* SIGTERM: stop accepting (readyz says 503), let requests finish, stop. */
static void shutdown_all(struct server *sv)
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
		if (busy)
			nanosleep(&ts, NULL);
	}
	for (size_t i = 0; i < sv->n_l; i++)
		mhd.stop_daemon(sv->l[i].d);
	reap(sv, true);
}

static int loop(struct server *sv, const sigset_t *set)
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
	}
}

static int parse_uint(const char *opt, const char *a, unsigned long max, unsigned long *out)
{
	char *e;

	errno = 0;
	*out = strtoul(a, &e, 10);
	if (e == a || *e || errno || *out > max || a[0] == '-')
		return cs_usage_err(CMD, "%s wants a number up to %lu, not '%s'", opt, max, a);
	return 0;
}

static int parse_range(const char *a, uint32_t *start, uint32_t *size)
{
	unsigned long long x, y;
	char *e;

	errno = 0;
	x = strtoull(a, &e, 10);
	if (e == a || *e != '/' || errno || x > UINT32_MAX)
		return -EINVAL;
	a = e + 1;
	y = strtoull(a, &e, 10);
	if (e == a || *e || errno || !y || y > UINT32_MAX || x + y - 1 > UINT32_MAX)
		return -EINVAL;
	*start = (uint32_t)x;
	*size = (uint32_t)y;
	return 0;
}

static int model_opt(struct server *sv, int c, const char *arg)
{
	struct serve_model *m = &sv->ctx.model;
	struct cs_diag d = {0};

	switch (c) {
	case 's':
		if (serve_model_add_scc(m, arg, true, &d) < 0)
			return cs_diag_err(CMD, "--scc", &d);
		return 0;
	case 'O':
		if (serve_model_openshift(m, &d) < 0)
			return cs_diag_err(CMD, "--openshift", &d);
		return 0;
	case 'U':
		if (parse_range(arg, &m->uid_start, &m->uid_size) < 0)
			return cs_usage_err(CMD, "--uid-range wants START/SIZE, not '%s'", arg);
		return 0;
	case 'r':
		if (!strcmp(arg, "crio") || !strcmp(arg, "cri-o"))
			m->runtime = CS_CRI_CRIO;
		else if (!strcmp(arg, "containerd"))
			m->runtime = CS_CRI_CONTAINERD;
		else if (!strcmp(arg, "docker") || !strcmp(arg, "moby"))
			m->runtime = CS_CRI_DOCKER;
		else
			return cs_usage_err(
			    CMD, "--runtime takes crio, containerd or docker, not '%s'", arg);
		return 0;
	case 'C':
		if (cs_crio_config_load(&m->crio, arg, &d) < 0)
			return cs_diag_err(CMD, "--crio-config", &d);
		m->crio_loaded = true;
		return 0;
	}
	return -1;
}

static int parse_opts(struct server *sv, int argc, char **argv, struct cs_node_root *roots)
{
	static const struct option longopts[] = {
	    {"listen", required_argument, NULL, 'l'},
	    {"tls-cert", required_argument, NULL, 'c'},
	    {"tls-key", required_argument, NULL, 'k'},
	    {"webhook", required_argument, NULL, 'w'},
	    {"no-inventory", no_argument, NULL, 'N'},
	    {"bundle-root", required_argument, NULL, 'b'},
	    {"max-body", required_argument, NULL, 'm'},
	    {"request-timeout", required_argument, NULL, 't'},
	    {"max-connections", required_argument, NULL, 'x'},
	    {"threads", required_argument, NULL, 'T'},
	    {"shutdown-timeout", required_argument, NULL, 'S'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"scc", required_argument, NULL, 's'},
	    {"openshift", no_argument, NULL, 'O'},
	    {"uid-range", required_argument, NULL, 'U'},
	    {"runtime", required_argument, NULL, 'r'},
	    {"crio-config", required_argument, NULL, 'C'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	unsigned long v;
	int c, r;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (sv->n_l == MAX_LISTEN)
				return cs_usage_err(CMD, "too many --listen");
			snprintf(sv->l[sv->n_l++].spec, sizeof(sv->l[0].spec), "%s", optarg);
			break;
		case 'c':
			sv->cert_path = optarg;
			break;
		case 'k':
			sv->key_path = optarg;
			break;
		case 'w':
			if (!strcmp(optarg, "warn"))
				sv->ctx.webhook = SERVE_WEBHOOK_WARN;
			else if (!strcmp(optarg, "enforce"))
				sv->ctx.webhook = SERVE_WEBHOOK_ENFORCE;
			else if (!strcmp(optarg, "off"))
				sv->ctx.webhook = SERVE_WEBHOOK_OFF;
			else
				return cs_usage_err(
				    CMD, "--webhook takes warn, enforce or off, not '%s'", optarg);
			break;
		case 'N':
			sv->ctx.inventory = false;
			break;
		case 'b':
			if (sv->ctx.node.opts.n_roots == MAX_ROOTS)
				return cs_usage_err(CMD, "too many --bundle-root");
			if (cs_node_root_parse(optarg, &roots[sv->ctx.node.opts.n_roots]) < 0)
				return cs_usage_err(CMD,
						    "--bundle-root wants task:DIR, userdata:DIR or "
						    "runc:DIR (an absolute DIR), not '%s'",
						    optarg);
			sv->ctx.node.opts.roots = roots;
			sv->ctx.node.opts.n_roots++;
			break;
		case 'm':
			if ((r = parse_uint("--max-body", optarg, 64ul << 20, &v)) != 0)
				return r;
			sv->ctx.max_body = v;
			break;
		case 't':
		case 'S':
			if ((r = parse_uint(c == 't' ? "--request-timeout" : "--shutdown-timeout",
					    optarg, 3600, &v)) != 0)
				return r;
			*(c == 't' ? &sv->timeout : &sv->shutdown_timeout) = (unsigned)v;
			break;
		case 'x':
		case 'T':
			if ((r = parse_uint(c == 'x' ? "--max-connections" : "--threads", optarg,
					    c == 'x' ? 1000000 : 256, &v)) != 0 ||
			    v == 0)
				return r ? r
					 : cs_usage_err(CMD, "--%s must be at least 1",
							c == 'x' ? "max-connections" : "threads");
			*(c == 'x' ? &sv->max_conns : &sv->threads) = (unsigned)v;
			break;
		case 'q':
			sv->ctx.quiet = true;
			break;
		case 'h':
			fputs(help, stdout);
			return cs_finish_stdout(CMD, 0) ? CS_EXIT_FAIL : -1;
		default:
			if ((r = model_opt(sv, c, optarg)) >= 0) {
				if (r)
					return r;
				break;
			}
			return cs_bad_option(CMD, c, optopt, argv, optind);
		}
	}
	if (optind != argc)
		return cs_usage_err(CMD, "unexpected argument '%s'", argv[optind]);
	if (!sv->cert_path != !sv->key_path)
		return cs_usage_err(CMD, "--tls-cert and --tls-key go together");
	if (sv->ctx.model.crio_loaded && sv->ctx.model.runtime != CS_CRI_CRIO)
		return cs_usage_err(CMD, "--crio-config goes with --runtime crio");
	if (!sv->n_l)
		snprintf(sv->l[sv->n_l++].spec, sizeof(sv->l[0].spec), "127.0.0.1:8443");
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	static struct server sv; /* one per process */
	struct cs_node_root roots[MAX_ROOTS];
	char err[256];
	sigset_t set;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int r;

	memset(&sv, 0, sizeof(sv));
	sv.ctx.webhook = SERVE_WEBHOOK_WARN;
	sv.ctx.inventory = true;
	sv.ctx.max_body = 4u << 20;
	sv.timeout = 10;
	sv.shutdown_timeout = 10;
	sv.max_conns = 4096;
	sv.threads = ncpu > 0 && ncpu < 64 ? (unsigned)ncpu : 2;
	sv.ctx.model.runtime = CS_CRI_CRIO;
	sv.ctx.model.uid_start = 1000660000;
	sv.ctx.model.uid_size = 10000;
	cs_k8s_manifest_init(&sv.ctx.model.sm);
	cs_crio_config_default(&sv.ctx.model.crio);
	pthread_mutex_init(&sv.ctx.node_lock, NULL);
	if ((r = parse_opts(&sv, argc, argv, roots)) != 0)
		goto out;
	if (serve_mhd_load(err, sizeof(err)) < 0) {
		r = cs_err(CMD, "%s", err);
		goto out;
	}
	if (sv.cert_path && mhd.is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		r = cs_err(CMD, "this libmicrohttpd has no TLS");
		goto out;
	}
	if ((r = read_tls(&sv, &sv.cert, &sv.key)) != 0)
		goto out;
	/* Every thread libmicrohttpd starts inherits this mask: signals come to
	 * the main thread's sigtimedwait only. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	for (size_t i = 0; i < sv.n_l; i++) {
		char spec[128];

		snprintf(spec, sizeof(spec), "%s", sv.l[i].spec);
		if ((r = open_listener(&sv.l[i])) < 0) {
			r = cs_err(CMD, "--listen %s: %s", spec, strerror(-r));
			goto out;
		}
		if (!(sv.l[i].d = start(&sv, sv.l[i].fd))) {
			r = cs_err(CMD, "%s: the server does not start%s", spec,
				   sv.cert ? " (is the certificate and key a matching PEM pair?)"
					   : "");
			goto out;
		}
		fprintf(stderr, "capscope serve: listening on %s://%s\n",
			sv.cert ? "https" : "http", sv.l[i].spec);
	}
	r = loop(&sv, &set);
out:
	serve_model_free(&sv.ctx.model);
	cs_node_inventory_free(&sv.ctx.node.inv);
	free(sv.cert);
	free(sv.key);
	return r < 0 ? 0 : r;
}
