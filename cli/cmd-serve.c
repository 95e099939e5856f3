/* SPDX-License-Identifier: MIT */
/*
 * capscope serve: the node agent and admission webhook over HTTP(S). This
 * file is its options and start; serve-server.c owns sockets and signals,
 * serve-http.c the routes, serve-review.c the webhook's answer.
 */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "capscope/number.h"
#include "output.h"
#include "serve-mhd.h"
#include "serve.h"
#include "unknown-fields.h"

#define CMD	  "serve"
#define MAX_ROOTS 16

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
    "  --trace                also count every container's capability checks (eBPF):\n"
    "                         checks, unused capabilities and a least-privilege profile\n"
    "  --bundle-root KIND:DIR where a runtime keeps its bundles (repeatable; replaces\n"
    "                         the defaults): task:DIR (containerd, moby), userdata:DIR\n"
    "                         (CRI-O, Podman) or runc:DIR (runc state)\n"
    "  --max-body BYTES       largest request body (default 4194304; 413 beyond)\n"
    "  --request-timeout SEC  close a connection idle this long, or whose request has\n"
    "                         not arrived whole this long after it began (default 10)\n"
    "  --max-connections N    at most N connections at once on each --listen\n"
    "                         address (default 4096)\n"
    "  --max-client-connections N\n"
    "                         at most N of them from one address, an IPv6 /64\n"
    "                         as one (default: half of --max-connections)\n"
    "  --threads N            worker threads, and as many reviewers' (default: the number\n"
    "                         of CPUs)\n"
    "  --shutdown-timeout SEC on SIGTERM, wait this long for requests (default 10)\n"
    "  --quiet                no log line per admission review\n"
    "  --scc FILE|NAME, --openshift, --use NAME, --uid-range S/N, --runtime NAME[@VERSION],\n"
    "  --runtime-caps MASK, --crio-config PATH, --allowed-unsafe-sysctls LIST\n"
    "                         the model, as for capscope explain pod\n"
    "  --validate MODE        a key of an --scc FILE that is no field in Kubernetes 1.32\n"
    "                         or OpenShift's SCC: strict (default: not started, at its\n"
    "                         line and column) or warn (read as absent, said at start)\n"
    "  -h, --help             this help\n"
    "\n"
    "Examples:\n"
    "  capscope serve --listen 0.0.0.0:8443 --tls-cert tls.crt --tls-key tls.key\n"
    "  capscope serve --listen 127.0.0.1:9090 --webhook off\n"
    "  capscope serve --listen 127.0.0.1:8443 --webhook enforce --openshift --no-inventory\n";

static int parse_uint(const char *opt, const char *a, uint64_t max, uint64_t *out)
{
	if (cs_parse_u64(a, CS_NUM_DEC, max, out) < 0)
		return cs_usage_err(CMD, "%s wants a number up to %llu, not '%s'", opt,
				    (unsigned long long)max, a);
	return 0;
}

static int model_opt(struct serve_server *sv, int c, const char *arg)
{
	struct serve_model *m = &sv->ctx.model;
	struct cs_diag d = {0};

	switch (c) {
	case 's':
	case 'u':
		if (c == 's' ? sv->n_sccs == SERVE_MAX_SCCS : sv->n_uses == SERVE_MAX_SCCS)
			return cs_usage_err(CMD, "too many --%s", c == 's' ? "scc" : "use");
		if (c == 's')
			sv->scc_args[sv->n_sccs++] = arg;
		else
			sv->use_args[sv->n_uses++] = arg;
		return 0;
	case 'O':
		m->openshift = true;
		return 0;
	case 'U':
		if (cs_parse_id_range(arg, &m->uid_start, &m->uid_size) < 0)
			return cs_usage_err(
			    CMD, "--uid-range wants START/SIZE, e.g. 1000660000/10000, not '%s'",
			    arg);
		sv->uid_range = true;
		return 0;
	case 'r':
		/* NAME[@VERSION]: the release whose rules apply, as for explain pod */
		if (cs_cri_target_parse(arg, &m->target, &d) < 0)
			return cs_usage_err(CMD, "--runtime: %s", d.message);
		m->runtime = m->target.rt;
		return 0;
	case 'P':
		if (cs_cri_runtime_caps_parse(arg, &m->target, &d) < 0)
			return cs_usage_err(CMD, "--runtime-caps: %s", d.message);
		return 0;
	case 'V':
		/* Nineteenth pass, part D: the SCC files were read strict with
		 * no way out, and the refusal named a --validate=warn that
		 * serve did not take. The reviews' objects are read as warn
		 * whatever this says (the API server has decoded them). */
		sv->validate_given = true;
		return cs_validate_parse(CMD, arg, &m->sc.sm.validate);
	case 'C':
		if (cs_crio_config_load(&m->crio, arg, &d) < 0)
			return cs_diag_err(CMD, "--crio-config", &d);
		m->crio_loaded = true;
		return 0;
	case 'A':
		return cs_unsafe_sysctls_opt(CMD, &m->unsafe, arg);
	}
	return -1;
}

/* Options that contradict each other or would do nothing: usage errors.
 * webhook_only: the long name of an option only the webhook reads, or NULL. */
static int check_combined(const struct serve_server *sv, const char *webhook_only)
{
	/* Eleventh pass: the model's options, --max-body and --quiet did nothing
	 * with --webhook off (an agent started as if it applied an SCC). */
	if (webhook_only && sv->ctx.webhook == SERVE_WEBHOOK_OFF)
		return cs_usage_err(CMD, "--%s is for the webhook: not with --webhook off",
				    webhook_only);
	if (!sv->ctx.inventory && sv->ctx.webhook == SERVE_WEBHOOK_OFF)
		return cs_usage_err(CMD, "--no-inventory with --webhook off: nothing to serve");
	if (!sv->ctx.inventory && sv->ctx.node.opts.n_roots)
		return cs_usage_err(CMD,
				    "--bundle-root is for the inventory: not with --no-inventory");
	/* Sixteenth pass, part H: the webhook models SCCs only with these
	 * two (a review holds no SCC), so --use and --uid-range without them
	 * were taken and did nothing. */
	if (sv->validate_given && !sv->n_sccs)
		return cs_usage_err(CMD, "--validate is for the files of --scc: give --scc FILE");
	if ((sv->n_uses || sv->uid_range) && !sv->ctx.model.openshift && !sv->n_sccs)
		return cs_usage_err(CMD, "%s is for SCC admission: give --scc or --openshift",
				    sv->n_uses ? "--use" : "--uid-range");
	if (!sv->cert_path != !sv->key_path)
		return cs_usage_err(CMD, "--tls-cert and --tls-key go together");
	if (sv->ctx.model.crio_loaded && sv->ctx.model.runtime != CS_CRI_CRIO)
		return cs_usage_err(CMD, "--crio-config goes with --runtime crio");
	return 0;
}

/* One --listen: checked here, before any start-up work (serve_listen_parse). */
static int add_listen(struct serve_server *sv, const char *arg)
{
	char host[128], port[16];

	if (sv->n_l == SERVE_MAX_LISTEN)
		return cs_usage_err(CMD, "too many --listen");
	if (strlen(arg) >= sizeof(sv->l[0].spec))
		return cs_usage_err(CMD, "--listen: '%s' is too long", arg);
	if (serve_listen_parse(arg, host, port) < 0)
		return cs_usage_err(
		    CMD,
		    "--listen: '%s' is not ADDR:PORT (an IPv4 address or an IPv6 one "
		    "in brackets, a port 0-65535 in digits)",
		    arg);
	snprintf(sv->l[sv->n_l++].spec, sizeof(sv->l[0].spec), "%s", arg);
	return 0;
}

static int parse_opts(struct serve_server *sv, int argc, char **argv, struct cs_node_root *roots)
{
	static const struct option longopts[] = {
	    {"listen", required_argument, NULL, 'l'},
	    {"tls-cert", required_argument, NULL, 'c'},
	    {"tls-key", required_argument, NULL, 'k'},
	    {"webhook", required_argument, NULL, 'w'},
	    {"no-inventory", no_argument, NULL, 'N'},
	    {"trace", no_argument, NULL, 'R'},
	    {"bundle-root", required_argument, NULL, 'b'},
	    {"max-body", required_argument, NULL, 'm'},
	    {"request-timeout", required_argument, NULL, 't'},
	    {"max-connections", required_argument, NULL, 'x'},
	    {"max-client-connections", required_argument, NULL, 'X'},
	    {"threads", required_argument, NULL, 'T'},
	    {"shutdown-timeout", required_argument, NULL, 'S'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"scc", required_argument, NULL, 's'},
	    {"openshift", no_argument, NULL, 'O'},
	    {"use", required_argument, NULL, 'u'},
	    {"uid-range", required_argument, NULL, 'U'},
	    {"runtime-caps", required_argument, NULL, 'P'},
	    {"runtime", required_argument, NULL, 'r'},
	    {"crio-config", required_argument, NULL, 'C'},
	    {"allowed-unsafe-sysctls", required_argument, NULL, 'A'},
	    {"validate", required_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	unsigned long long seen = 0;
	uint64_t v;
	int c, r, webhook_only = 0; /* the first option only the webhook reads */

	opterr = 0;
	optind = 1;
	while ((c = cs_getopt(argc, argv, ":h", longopts, NULL)) != -1) {
		if ((r = cs_opt_once(CMD, c, longopts, &seen, "lbsuA")))
			return r;
		if (!webhook_only && c > 0 && strchr("mqsuOUrPCAV", c))
			webhook_only = c;
		switch (c) {
		case 'l':
			if ((r = add_listen(sv, optarg)))
				return r;
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
		case 'R':
			*(c == 'N' ? &sv->ctx.inventory : &sv->want_trace) = c == 'R';
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
			/* Eleventh pass: 0 (read as "no limit" by many servers)
			 * answered every review 413. */
			if (!v)
				return cs_usage_err(CMD, "--max-body must be at least 1 (a review "
							 "is a few KB; the default is 4194304)");
			sv->ctx.max_body = v;
			break;
		case 't':
		case 'S':
			if ((r = parse_uint(c == 't' ? "--request-timeout" : "--shutdown-timeout",
					    optarg, 3600, &v)) != 0)
				return r;
			/* Eleventh pass: --request-timeout 0, "no timeout" to
			 * libmicrohttpd, was a deadline of now: every request not
			 * in one packet (the API server's POST) was cut unanswered
			 * and kept-alive connections closed at once. */
			if (c == 't' && !v)
				return cs_usage_err(CMD, "--request-timeout must be at least 1");
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
		case 'X':
			if ((r = parse_uint("--max-client-connections", optarg, 1000000, &v)) != 0)
				return r;
			if (!v)
				return cs_usage_err(CMD,
						    "--max-client-connections must be at least 1");
			sv->max_client_conns = (unsigned)v;
			break;
		case 'q':
			sv->ctx.quiet = true;
			break;
		case 'h':
			fputs(help, stdout);
			return cs_finish_stdout(CMD, 0) ? CS_EXIT_ERROR : -1;
		default:
			if ((r = model_opt(sv, c, optarg)) >= 0) {
				if (r)
					return r;
				break;
			}
			return cs_bad_option(CMD, c, optopt, argv, optind, longopts);
		}
	}
	if (optind != argc)
		return cs_usage_err(CMD, "unexpected argument '%s'", argv[optind]);
	if (sv->max_client_conns > sv->max_conns)
		return cs_usage_err(CMD, "--max-client-connections %u is over --max-connections %u",
				    sv->max_client_conns, sv->max_conns);
	for (size_t i = 0; webhook_only && longopts[i].name; i++)
		if (longopts[i].val == webhook_only && (r = check_combined(sv, longopts[i].name)))
			return r;
	if ((r = check_combined(sv, NULL)) != 0)
		return r;
	if (!sv->n_l)
		snprintf(sv->l[sv->n_l++].spec, sizeof(sv->l[0].spec), "127.0.0.1:8443");
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	static struct serve_server sv; /* one per process */
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
	cs_cri_target_default(CS_CRI_CRIO, &sv.ctx.model.target);
	sv.ctx.model.uid_start = 1000660000;
	sv.ctx.model.uid_size = 10000;
	cs_scc_set_init(&sv.ctx.model.sc);
	cs_crio_config_default(&sv.ctx.model.crio);
	pthread_mutex_init(&sv.ctx.node_lock, NULL);
	if ((r = parse_opts(&sv, argc, argv, roots)) != 0)
		goto out;
	if ((r = serve_model_sccs(&sv.ctx.model, sv.scc_args, sv.n_sccs, sv.use_args, sv.n_uses)) !=
	    0)
		goto out;
	if (serve_mhd_load(err, sizeof(err)) < 0) {
		r = cs_err(CMD, "%s", err);
		goto out;
	}
	if (sv.cert_path && mhd.is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		r = cs_err(CMD, "this libmicrohttpd has no TLS");
		goto out;
	}
	if (sv.ctx.inventory && (r = cs_proc_in_child_pidns()) != 0) {
		if (r < 0)
			r = cs_err(CMD,
				   "/proc/self/ns/pid: %s: %s; --no-inventory serves the "
				   "webhook alone",
				   strerror(-r), CS_NODE_NEEDS_HOST_PIDNS_WHY);
		else
			r = cs_err(CMD, "%s; --no-inventory serves the webhook alone",
				   CS_NODE_NEEDS_HOST_PIDNS);
		goto out;
	}
	if ((r = serve_read_tls(&sv, &sv.cert, &sv.key)) != 0 ||
	    (sv.want_trace && (r = serve_trace_open(&sv.ctx)) != 0))
		goto out;
	/* Every thread libmicrohttpd starts inherits this mask: signals come to
	 * the main thread's sigtimedwait only. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/*
	 * One heap for all threads, large blocks mapped and freed memory given
	 * back: a review's work is freed when it is answered, but each request
	 * thread's own arena kept its peak. Session 11, part E: four 4 MB
	 * reviews one after the other took the webhook to 162 MB (75 MB for
	 * one), its Deployment's limit 96 MiB.
	 */
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, 128 << 10);
	mallopt(M_TRIM_THRESHOLD, 128 << 10);
	if ((r = serve_server_open(&sv)) != 0)
		goto out;
	r = serve_server_run(&sv, &set);
out:
	serve_pager_stop(); /* after every server stopped: none is suspended */
	serve_linger_stop(&sv.ctx);
	serve_model_free(&sv.ctx.model);
	cs_node_inventory_free(&sv.ctx.node.inv);
	if (sv.ctx.node.trace)
		cs_node_trace_close(&sv.ctx.node.nt);
	free(sv.cert);
	free(sv.key);
	return r < 0 ? 0 : r;
}
