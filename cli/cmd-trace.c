/* SPDX-License-Identifier: MIT */
/*
 * capscope trace: which capability checks a command (a process, a cgroup, a
 * container, everything) makes, granted or denied, and the least set that
 * covers them, as paste-ready profiles, optionally verified by re-running.
 * Options and the run loop; the tracer is lib/trace/tracer.c, the output
 * trace-render.c.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capscope/html.h"
#include "capscope/proc.h"
#include "capscope/trace.h"
#include "capscope/trace-watch.h"
#include "commands.h"
#include "capscope/number.h"
#include "html-guard.h"
#include "output.h"
#include "trace-render.h"

static const char trace_help[] =
    "Usage: capscope trace [OPTIONS] -- CMD [ARGS...]\n"
    "       capscope trace [OPTIONS] -p PID | --cgroup PATH | --container ID | --all\n"
    "\n"
    "Record every capability check the kernel makes (security/commoncap.c\n"
    "cap_capable, through the capability:cap_capable tracepoint or, on older\n"
    "kernels, fexit/kprobe) for the traced processes only, counted in the kernel.\n"
    "Then report per capability how often it was granted and denied, by which\n"
    "commands and in which syscalls, and the least set that covers the granted\n"
    "checks. Checks that only probe (the overcommit heuristic's CAP_SYS_ADMIN on\n"
    "every allocation, *_noaudit helpers) are recognised by their kernel call\n"
    "site and kept out of the profile; -v shows them. A capability that was only\n"
    "denied is reported as such and never added to the profile.\n"
    "\n"
    "Scope (checks of any other process never leave the kernel):\n"
    "  -- CMD [ARGS]         start CMD, registered before it execs, and its children\n"
    "  -p, --pid PID         an existing process and the children it has or starts\n"
    "      --cgroup PATH     a cgroup v2 directory (absolute, or relative to the\n"
    "                        cgroup2 mount) and the cgroups below it\n"
    "      --container ID    the cgroup of the container whose id starts with ID\n"
    "      --all             every process but capscope itself\n"
    "\n"
    "Options:\n"
    "  -d, --duration SEC    stop after SEC seconds (-p, --cgroup, --container, --all);\n"
    "                        otherwise Ctrl-C stops the trace\n"
    "      --profile KIND    print the least set as a snippet; KIND is k8s, scc, setcap,\n"
    "                        run, docker or systemd (repeatable)\n"
    "      --verify          re-run CMD with only the profile's capabilities and\n"
    "                        report whether it still exits as it did (runs CMD twice)\n"
    "      --events          also print every check as it happens (ring buffer);\n"
    "                        lost events are counted\n"
    "  -v, --verbose         also the noise checks, and the kernel callers of each\n"
    "      --json            the report as JSON (CMD's own stdout then goes to stderr)\n"
    "      --html FILE       also write the report as one self-contained HTML page\n"
    "  -h, --help            this text\n"
    "\n"
    "Needs root, or CAP_BPF and CAP_PERFMON, and a kernel with BTF.\n"
    "\n"
    "Examples:\n"
    "  capscope trace -- chown nobody /tmp/file\n"
    "  capscope trace --profile k8s --verify -- ./server --port 80\n"
    "  capscope trace -v -p 1234 --duration 10\n"
    "  capscope trace --json --container 3f2a -d 30 | jq .profile.capabilities\n";

struct trace_opts {
	bool verbose, json, events, verify, all;
	unsigned profiles; /* bit per enum cs_profile_kind */
	pid_t pid;
	const char *cgroup, *container;
	double duration;
	char **cmd;
	size_t ncmd;
	const char *force_hook;
	const char *html; /* --html FILE */
};

static volatile sig_atomic_t got_signal, signal_from_tty;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	got_signal = sig;
	/* Ctrl-C from the terminal (si_code SI_KERNEL) reaches the traced command too. */
	signal_from_tty = si && si->si_code == SI_KERNEL;
}

/*
 * A signal the caller ignores stays ignored, here and in the command (SIG_IGN
 * survives execve; a handler does not): a script's background job, started
 * with SIGINT and SIGQUIT ignored, had its command given SIGINT's default by
 * the child's reset (lib/trace/spawn.c) and --verify's run (the handler
 * reset by execve), so the terminal's Ctrl-C killed a command that without
 * capscope would have ignored it.
 */
static void catch_unless_ignored(int sig, const struct sigaction *sa)
{
	struct sigaction old;

	if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
		return;
	sigaction(sig, sa, NULL);
}

static int parse_pid(const char *s, pid_t *out)
{
	uint32_t v;

	if (cs_parse_u32(s, 0x3fffffff, &v) < 0 || v == 0)
		return cs_usage_err("trace", "'%s' is not a process id", s);
	*out = (pid_t)v;
	return 0;
}

/* One option into o; 0, or the exit code of a usage error; -1 after --help. */
/* Here, not in parse_args: parse_opt names a refused option by them. */
static const struct option longopts[] = {
    {"pid", required_argument, NULL, 'p'},
    {"cgroup", required_argument, NULL, 'C'},
    {"container", required_argument, NULL, 'K'},
    {"all", no_argument, NULL, 'a'},
    {"duration", required_argument, NULL, 'd'},
    {"profile", required_argument, NULL, 'P'},
    {"verify", no_argument, NULL, 'V'},
    {"events", no_argument, NULL, 'e'},
    {"verbose", no_argument, NULL, 'v'},
    {"json", no_argument, NULL, 'j'},
    {"html", required_argument, NULL, 'W'},
    {"help", no_argument, NULL, 'h'},
    {"hook", required_argument, NULL, 'H'}, /* test hook: force a fallback */
    {NULL, 0, NULL, 0},
};

static int parse_opt(int c, struct trace_opts *o, int *nscope, char **argv)
{
	int k;

	switch (c) {
	case 'p':
		(*nscope)++;
		return parse_pid(optarg, &o->pid);
	case 'C':
		o->cgroup = optarg;
		(*nscope)++;
		return 0;
	case 'K':
		o->container = optarg;
		(*nscope)++;
		return 0;
	case 'a':
		o->all = true;
		(*nscope)++;
		return 0;
	case 'd':
		if ((k = cs_parse_seconds(optarg, 86400 * 365, &o->duration)) < 0)
			return cs_usage_err("trace",
					    k == -ERANGE
						? "--duration: '%s' seconds is out of range: "
						  "more than 0, at most a year (31536000)"
						: "--duration: '%s' is not a number of seconds",
					    optarg);
		return 0;
	case 'P':
		k = cs_profile_kind_parse(optarg);
		if (k < 0)
			return cs_usage_err("trace",
					    "--profile: '%s' is not one of k8s, scc, setcap, "
					    "run, docker, systemd",
					    optarg);
		o->profiles |= 1u << k;
		return 0;
	case 'V':
		o->verify = true;
		return 0;
	case 'e':
		o->events = true;
		return 0;
	case 'v':
		o->verbose = true;
		return 0;
	case 'j':
		o->json = true;
		return 0;
	case 'H':
		o->force_hook = optarg;
		return 0;
	case 'W':
		o->html = optarg;
		return 0;
	case 'h':
		fputs(trace_help, stdout);
		return -1;
	default:
		return cs_bad_option("trace", c, optopt, argv, optind, longopts);
	}
}

static int parse_args(int argc, char **argv, struct trace_opts *o)
{
	int c, rc, nscope = 0;
	unsigned long long seen = 0;

	opterr = 0;
	optind = 1;
	while ((c = cs_getopt(argc, argv, "+:p:d:vh", longopts, NULL)) != -1)
		if ((rc = cs_opt_once("trace", c, longopts, &seen, "P")) ||
		    (rc = parse_opt(c, o, &nscope, argv)) != 0)
			return rc;
	if (optind < argc) {
		o->cmd = argv + optind;
		o->ncmd = (size_t)(argc - optind);
	}
	if (o->cmd && nscope)
		return cs_usage_err("trace", "give either a command or one of -p, --cgroup, "
					     "--container, --all");
	if (!o->cmd && nscope == 0)
		return cs_usage_err("trace", "nothing to trace: give -- CMD, -p PID, --cgroup, "
					     "--container or --all");
	if (nscope > 1)
		return cs_usage_err("trace", "-p, --cgroup, --container and --all exclude each "
					     "other");
	if (o->events && o->json) /* the events are text lines; JSON has the totals */
		return cs_usage_err("trace", "--events prints text lines: not with --json");
	if (o->verify && !o->cmd)
		return cs_usage_err("trace", "--verify re-runs a command: use it with -- CMD");
	if (o->duration > 0 && o->cmd)
		return cs_usage_err("trace", "--duration is for -p, --cgroup, --container and "
					     "--all; a command is traced until it exits");
	return 0;
}

/* libbpf's messages on stderr, only with CAPSCOPE_BPF_DEBUG set; stacks with CAPSCOPE_TRACE_STACKS.
 */
static void log_line(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "%s\n", line);
}

/* Run the command to its end, or watch the scope until the duration, the
 * process or a signal ends it. */
static int run_scope(struct cs_tracer *t, const struct trace_opts *o,
		     const struct cs_trace_target *tg, struct event_ctx *ectx, int *status)
{
	struct cs_trace_watch w = {.target = tg,
				   .duration = o->duration,
				   .cmd_stdout_to_stderr = o->json,
				   .signal = &got_signal,
				   .signal_from_tty = &signal_from_tty,
				   .on_event = trace_print_event,
				   .ctx = ectx};
	struct cs_diag d = {0};

	int rc = cs_tracer_watch(t, &w, status, &d);

	if (rc < 0)
		return cs_err("trace", "%s", d.message);
	if (rc == 1) /* a note, not a failure: what was in the cgroup is counted */
		cs_err("trace", "the cgroup was removed: the trace ended there");
	return 0;
}

/* Read the counts, verify, print. */
static int report(struct cs_tracer *t, const struct trace_opts *o, const char *what, int status,
		  struct cs_html *page)
{
	struct cs_trace_report r;
	struct cs_ksyms ks = {0};
	struct cs_trace_verify vr = {0};
	struct cs_diag d = {0};
	char m[800];
	bool have_ks;
	int rc, exit_code = CS_EXIT_OK, werr = 0;
	struct cs_trace_view v = {
	    .verbose = o->verbose,
	    .profiles = o->profiles,
	    .scope = o->cmd   ? "command"
		     : o->pid ? "pid"
		     : o->all ? "all"
			      : "cgroup",
	    .what = what,
	    .hook = cs_tracer_hook(t),
	    .cmd = o->cmd,
	    .ncmd = o->ncmd,
	    .status = status,
	    .verify = &vr,
	};

	cs_trace_report_init(&r);
	/* A container's cgroup holds the runtime's init while it sets up an exec. */
	r.skip_runtime_init = o->container != NULL;
	have_ks = cs_ksyms_load(&ks, &d) == 0;
	if (!have_ks)
		cs_err("trace", "cannot name call sites, noise is not separated: %s",
		       cs_diag_format(&d, m, sizeof(m)));
	rc = cs_tracer_collect(t, &r, have_ks ? &ks : NULL);
	if (rc < 0)
		exit_code = cs_err("trace", "reading the counts: %s", strerror(-rc));
	if (o->verify) {
		rc = cs_trace_verify_run(o->cmd, cs_trace_profile(&r), status, o->json, &vr);
		if (rc < 0)
			exit_code = cs_err("trace", "--verify: %s", strerror(-rc));
		else if (vr.error) /* not executed: no verdict */
			exit_code = cs_err("trace", "--verify: %s", vr.error);
		else if (!vr.ok)
			exit_code = CS_EXIT_FINDINGS;
	}
	if (o->json)
		werr = trace_json_report(&r, &v);
	else
		trace_text_report(&r, &v);
	memset(&d, 0, sizeof(d));
	if (page) {
		cs_html_trace(page, &r, &v);
		if (html_guard_close(page, &d) < 0)
			exit_code = cs_diag_err("trace", "--html", &d);
	}
	if (r.error)
		exit_code = cs_err("trace", "out of memory while aggregating");
	else if (werr < 0) /* the JSON writer's own cause */
		exit_code = cs_finish_stdout_err("trace", CS_EXIT_ERROR, werr);
	cs_trace_verify_free(&vr);
	cs_trace_report_free(&r);
	cs_ksyms_free(&ks);
	return exit_code;
}

/* Everything after the target was resolved (rc, d: how that went). */
static int trace_resolved(struct trace_opts *o, struct cs_tracer_config *cfg,
			  const struct cs_trace_target *tg, char *what, int rc, struct cs_diag *d)
{
	struct cs_tracer *t = NULL;
	struct event_ctx ectx = {0};
	struct cs_html *page = NULL;
	struct sigaction sa = {0};
	int status = -1;

	if (rc == -EXDEV)
		return cs_usage_err("trace", "%s", d->message);
	if (rc < 0)
		return cs_err("trace", "%s", d->message);
	/* Stacks are the costly part: take them where call sites tell noise apart
	 * (see lib/trace/classify.c), or for every capability with -v. */
	cfg->stack_caps = o->verbose ? ~0ULL : CS_BIT(21) | CS_BIT(19); /* SYS_ADMIN, SYS_PTRACE */
	cfg->events = o->events;
	cfg->force_hook = o->force_hook;
	cfg->mount_tracefs = true;
	cfg->log =
	    getenv("CAPSCOPE_BPF_DEBUG") || getenv("CAPSCOPE_TRACE_STACKS") ? log_line : NULL;
	cfg->log_stacks = getenv("CAPSCOPE_TRACE_STACKS") != NULL;
	rc = cs_tracer_open(cfg, &t, d);
	if (rc < 0)
		return cs_err("trace", "%s", d->message);
	if (cs_tracer_mounted_tracefs(t))
		fprintf(stderr, "capscope trace: mounted tracefs on /sys/kernel/tracing\n");
	/*
	 * The page is created before anything is traced: a --html FILE that
	 * cannot be written was found only after CMD had run (twice with
	 * --verify). It replaces FILE only once complete (cs_html_close).
	 */
	if (o->html && html_guard_open(o->html, "capscope trace", &page, d) < 0) {
		cs_tracer_close(t);
		return cs_diag_err("trace", "--html", d);
	}

	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	catch_unless_ignored(SIGINT, &sa);
	catch_unless_ignored(SIGTERM, &sa);
	ectx.json = o->json;
	rc = run_scope(t, o, tg, &ectx, &status);
	if (rc == 0)
		rc = report(t, o, what, status, page);
	else
		html_guard_discard(page);
	cs_tracer_close(t);
	return rc && rc != CS_EXIT_FINDINGS ? rc : cs_finish_stdout("trace", rc);
}

int cmd_trace(int argc, char **argv)
{
	struct trace_opts o = {0};
	struct cs_tracer_config cfg = {0};
	struct cs_trace_target tg;
	struct cs_diag d = {0};
	char *what = NULL;
	int rc;

	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc < 0 ? cs_finish_stdout("trace", 0) : rc;
	tg = (struct cs_trace_target){
	    .cmd = o.cmd, .pid = o.pid, .cgroup = o.cgroup, .container = o.container, .all = o.all};
	rc = cs_trace_target_resolve(&tg, &cfg, &what, &d);
	/* The pidfd of -p PID is held until the trace ends: it names that
	 * process and no later one given its number. */
	rc = trace_resolved(&o, &cfg, &tg, what, rc, &d);
	cs_trace_target_close(&tg);
	free(what);
	return rc;
}
