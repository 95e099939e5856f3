/* SPDX-License-Identifier: MIT */
/*
 * capscope trace: which capability checks a command (a process, a cgroup, a
 * container, everything) makes, granted or denied, and the least set that
 * covers them, as paste-ready profiles, optionally verified by re-running.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "capscope-trace.h"
#include "capscope/json.h"
#include "capscope/proc.h"
#include "capscope/text.h"
#include "capscope/trace.h"
#include "commands.h"
#include "output.h"
#include "trace-bpf.h"

/* capscope run, when this binary has it (the launcher lives on its own branch). */
extern int cmd_run(int argc, char **argv) __attribute__((weak));

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
};

static volatile sig_atomic_t got_signal, signal_from_tty;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	got_signal = sig;
	/* Ctrl-C from the terminal (si_code SI_KERNEL) reaches the traced command too. */
	signal_from_tty = si && si->si_code == SI_KERNEL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Where the cgroup v2 hierarchy is mounted (/sys/fs/cgroup, or .../unified on hybrid systems). */
static int cgroup2_root(char *out, size_t len)
{
	char *buf = NULL, *line, *save = NULL;
	size_t n;
	int rc = cs_read_file("/proc/self/mountinfo", 4u << 20, &buf, &n);

	if (rc < 0)
		return rc;
	rc = -EMEDIUMTYPE;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS... - FSTYPE SOURCE SUPER" */
		char *dash = strstr(line, " - "), mnt[2001];

		if (!dash || strncmp(dash + 3, "cgroup2 ", 8) != 0)
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %2000s", mnt) == 1) {
			snprintf(out, len, "%s", mnt);
			rc = 0;
			break;
		}
	}
	free(buf);
	return rc;
}

/* cgroup v2 id (the kernfs inode number) and depth below the root. */
static int cgroup_resolve(const char *arg, char *path, size_t len, uint64_t *id, uint32_t *level)
{
	char root[2048];
	struct statfs sfs;
	struct stat st;
	size_t rl;
	uint32_t n = 0;
	int rc = cgroup2_root(root, sizeof(root));

	if (rc < 0)
		return rc;
	rl = strlen(root);
	if (arg[0] == '/')
		snprintf(path, len, "%s", arg);
	else
		snprintf(path, len, "%s/%.2000s", root, arg);
	if (strncmp(path, root, rl) != 0 || (path[rl] && path[rl] != '/' && rl > 1))
		return -EXDEV;
	if (statfs(path, &sfs) < 0)
		return -errno;
	if (sfs.f_type != 0x63677270 /* CGROUP2_SUPER_MAGIC */)
		return -EXDEV;
	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	for (const char *p = path + rl; *p; p++)
		if (*p == '/' && p[1] && p[1] != '/')
			n++;
	*id = (uint64_t)st.st_ino;
	*level = n;
	return 0;
}

/* The cgroup of the first process whose container id starts with prefix. */
static int container_cgroup(const char *prefix, char *out, size_t len)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int rc = -ESRCH;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char p[64], *buf = NULL, *line;
		size_t n;
		struct cs_container c;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(p, sizeof(p), "/proc/%.32s/cgroup", de->d_name);
		if (cs_read_file(p, 1 << 20, &buf, &n) < 0)
			continue;
		if (cs_cgroup_parse(buf, n, &c) > 0 && c.id[0] &&
		    strncmp(c.id, prefix, strlen(prefix)) == 0) {
			/* The unified hierarchy's line, "0::PATH". */
			line = strstr(buf, "0::");
			if (line && (line == buf || line[-1] == '\n')) {
				char *e = strchr(line, '\n');

				if (e)
					*e = '\0';
				char root[2048];

				rc = cgroup2_root(root, sizeof(root));
				if (rc == 0)
					snprintf(out, len, "%s%.2000s",
						 strcmp(root, "/") ? root : "", line + 3);
			} else {
				rc = -EMEDIUMTYPE;
			}
			free(buf);
			break;
		}
		free(buf);
	}
	closedir(d);
	return rc;
}

/* Track pid and every process below it (from the ppid field of /proc/N/stat). */
static void track_tree(struct tracer *t, pid_t root)
{
	DIR *d;
	struct dirent *de;
	pid_t *pid = NULL, *ppid = NULL;
	size_t n = 0, cap = 0;
	pid_t *queue;
	size_t qh = 0, qt = 0;

	tracer_track(t, root);
	d = opendir("/proc");
	if (!d)
		return;
	while ((de = readdir(d))) {
		char p[64], *buf = NULL, *rp;
		size_t len;
		int pp;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(p, sizeof(p), "/proc/%.32s/stat", de->d_name);
		if (cs_read_file(p, 4096, &buf, &len) < 0)
			continue;
		rp = strrchr(buf, ')');
		if (rp && sscanf(rp + 1, " %*c %d", &pp) == 1) {
			if (n == cap) {
				cap = cap ? cap * 2 : 512;
				pid_t *a = realloc(pid, cap * sizeof(*a)), *b;

				if (a)
					pid = a;
				b = realloc(ppid, cap * sizeof(*b));
				if (b)
					ppid = b;
				if (!a || !b) {
					free(buf);
					break;
				}
			}
			pid[n] = (pid_t)atoi(de->d_name);
			ppid[n++] = (pid_t)pp;
		}
		free(buf);
	}
	closedir(d);
	queue = calloc(n + 1, sizeof(*queue));
	if (queue) {
		queue[qt++] = root;
		while (qh < qt)
			for (size_t i = 0, p = (size_t)queue[qh++]; i < n; i++)
				if ((size_t)ppid[i] == p && qt <= n) {
					queue[qt++] = pid[i];
					tracer_track(t, pid[i]);
				}
	}
	free(queue);
	free(pid);
	free(ppid);
}

struct event_ctx {
	bool json;
	struct cs_json *j;
	uint64_t t0;
};

static void print_event(const struct cs_trace_rec *r, void *ctx_)
{
	struct event_ctx *ctx = ctx_;
	char name[32];
	const char *sc = r->syscall >= 0 ? cs_syscall_name(r->syscall) : NULL;

	if (ctx->json)
		return; /* the JSON report carries the totals */
	if (!ctx->t0)
		ctx->t0 = r->ts_ns;
	printf("%10.6f %7u %7u %-16s %-24s %-7s %s\n", (double)(r->ts_ns - ctx->t0) / 1e9, r->tgid,
	       r->pid, r->comm, cs_cap_name_r(r->cap, true, name, sizeof(name)),
	       r->ret == 0 ? "granted" : "denied", sc ? sc : "-");
}

/* Run argv; the child waits on a pipe until its pid is in the tracked map. */
static int start_traced(struct tracer *t, char **argv, bool stdout_to_stderr, pid_t *out)
{
	int go[2], fail[2];
	pid_t pid;
	char c = 0;
	int err = 0;

	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(fail, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		close(go[1]);
		close(fail[0]);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		if (stdout_to_stderr)
			dup2(STDERR_FILENO, STDOUT_FILENO);
		execvp(argv[0], argv);
		err = errno;
		if (write(fail[1], &err, sizeof(err)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(fail[1]);
	err = tracer_track(t, pid);
	if (err < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return err;
	}
	if (write(go[1], &c, 1) != 1)
		err = -errno;
	close(go[1]);
	{
		/* The exec-failure pipe is close-on-exec: EOF means exec succeeded. */
		int e = 0;

		if (read(fail[0], &e, sizeof(e)) == (ssize_t)sizeof(e)) {
			waitpid(pid, NULL, 0);
			close(fail[0]);
			return -(e > 0 ? e : ENOEXEC);
		}
	}
	close(fail[0]);
	*out = pid;
	return err;
}

static int wait_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

static char *mask_text(cs_mask_t m, enum cs_name_style st)
{
	size_t n = cs_mask_format_names(m, st, NULL, 0) + 1;
	char *s = malloc(n);

	if (s)
		cs_mask_format_names(m, st, s, n);
	return s;
}

struct verify_result {
	bool ran, ok;
	int status;
	const char *runner;
};

/*
 * Re-run argv with exactly mask: bounding set and I/P/E reduced to it. Run
 * as the same user as the trace; for root the execve rule pP' = pB | pI then
 * gives the command exactly the profile.
 */
static int verify(char **argv, cs_mask_t m, bool stdout_to_stderr, int orig_status,
		  struct verify_result *v)
{
	char *keep = mask_text(m, CS_NAMES_LOWER);
	char *drop = mask_text(cs_mask_all() & ~m, CS_NAMES_CAPSH);
	char caps[1024], dropopt[1200], bnd[1100];
	size_t argc = 0;
	char **args;
	size_t k = 0;
	pid_t pid;
	int status;

	while (argv[argc])
		argc++;
	args = calloc(argc + 12, sizeof(*args));
	if (!keep || !drop || !args) {
		free(keep);
		free(drop);
		free(args);
		return -ENOMEM;
	}
	snprintf(caps, sizeof(caps), m ? "%s=eip" : "=", keep);
	if (cmd_run) {
		v->runner = "capscope run";
		snprintf(bnd, sizeof(bnd), "%s", keep);
		args[k++] = "/proc/self/exe";
		args[k++] = "run";
		args[k++] = "--bounding";
		args[k++] = bnd;
		args[k++] = "--caps";
		args[k++] = caps;
		args[k++] = "--";
		for (size_t i = 0; i < argc; i++)
			args[k++] = argv[i];
	} else {
		/* capsh (libcap2-bin): drop the bounding set, set I/P/E, then exec the
		 * command through sh so its argv stays exactly as given. */
		v->runner = "capsh";
		snprintf(dropopt, sizeof(dropopt), "--drop=%.1150s", drop);
		snprintf(bnd, sizeof(bnd), "--caps=%.1000s", caps);
		args[k++] = "capsh";
		if (*drop)
			args[k++] = dropopt;
		args[k++] = bnd;
		args[k++] = "--shell=/bin/sh";
		args[k++] = "--";
		args[k++] = "-c";
		args[k++] = "exec \"$@\"";
		args[k++] = "capscope-verify";
		for (size_t i = 0; i < argc; i++)
			args[k++] = argv[i];
	}
	args[k] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (stdout_to_stderr)
			dup2(STDERR_FILENO, STDOUT_FILENO);
		execvp(args[0], args);
		fprintf(stderr, "capscope trace: --verify: cannot run %s: %s\n", args[0],
			strerror(errno));
		_exit(127);
	}
	free(keep);
	free(drop);
	free(args);
	if (pid < 0)
		return -errno;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	v->ran = true;
	v->status = wait_status(status);
	v->ok = v->status == orig_status;
	return 0;
}

static void json_str_list(struct cs_json *j, char *const *v, size_t n, bool more)
{
	cs_json_arr_begin(j);
	for (size_t i = 0; i < n; i++)
		cs_json_str(j, v[i]);
	if (more)
		cs_json_str(j, "...");
	cs_json_arr_end(j);
}

/* "a,b,c" from a list, cut with ",…" when it was cut. */
static void join(char *buf, size_t len, char *const *v, size_t n, bool more)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? "," : "", v[i]);
	if (more && o < len)
		snprintf(buf + o, len - o, ",...");
	if (!n)
		snprintf(buf, len, "-");
}

static void join_syscalls(char *buf, size_t len, const struct cs_trace_row *row)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < row->nsyscalls && o < len; i++) {
		const char *s = cs_syscall_name(row->syscalls[i]);

		if (s)
			o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? "," : "", s);
		else
			o += (size_t)snprintf(buf + o, len - o, "%s%d", i ? "," : "",
					      row->syscalls[i]);
	}
	if (row->more_syscalls && o < len)
		snprintf(buf + o, len - o, ",...");
	if (!row->nsyscalls)
		snprintf(buf, len, "-");
}

static void text_report(const struct cs_trace_report *r, const struct trace_opts *o,
			const char *hook, const char *what)
{
	struct cs_table t;
	static const char *const head[] = {"CAPABILITY", "GRANTED",  "DENIED",
					   "COMMANDS",	 "SYSCALLS", "NOTE"};
	static const char *const vhead[] = {"CAPABILITY", "GRANTED", "DENIED", "COMMANDS",
					    "SYSCALLS",	  "NOTE",    "CALLERS"};
	uint64_t noise = 0;
	cs_mask_t prof = cs_trace_profile(r), den = cs_trace_denied_only(r);
	char *names;

	printf("traced %s via %s: %zu process%s, %" PRIu64 " checks, %" PRIu64 " lost events\n\n",
	       what, hook, r->ntgids, r->ntgids == 1 ? "" : "es", r->checks, r->lost_events);
	cs_table_init(&t, o->verbose ? 7 : 6);
	cs_table_add(&t, o->verbose ? vhead : head);
	for (int k = 0; k < CS_SITE_CLASSES; k++)
		for (int c = 0; c < CS_CAP_BITS; c++) {
			const struct cs_trace_row *row = &r->rows[c][k];
			char name[32], g[24], dn[24], comms[256], sc[256], callers[512], note[64];
			const char *cells[7];

			if (!row->granted && !row->denied)
				continue;
			if (k != CS_SITE_CHECK) {
				noise += row->granted + row->denied;
				if (!o->verbose)
					continue;
				snprintf(note, sizeof(note), "noise: %s",
					 cs_site_class_name((enum cs_site_class)k));
			} else if (!row->granted) {
				snprintf(note, sizeof(note), "denied only: not in profile");
			} else {
				snprintf(note, sizeof(note), "-");
			}
			snprintf(g, sizeof(g), "%" PRIu64, row->granted);
			snprintf(dn, sizeof(dn), "%" PRIu64, row->denied);
			join(comms, sizeof(comms), row->comms, row->ncomms, row->more_comms);
			join_syscalls(sc, sizeof(sc), row);
			join(callers, sizeof(callers), row->callers, row->ncallers,
			     row->more_callers);
			cells[0] = cs_cap_name_r(c, true, name, sizeof(name));
			cells[1] = g;
			cells[2] = dn;
			cells[3] = comms;
			cells[4] = sc;
			cells[5] = note;
			cells[6] = callers;
			cs_table_add(&t, cells);
		}
	if (t.nrow > 1)
		cs_table_print(&t, stdout, cs_color(stdout, "\033[1m"));
	else
		printf("no capability checks\n");
	cs_table_free(&t);
	if (noise && !o->verbose)
		printf("\n%" PRIu64 " noise checks (overcommit heuristic, noaudit probes) are not "
		       "shown; -v lists them\n",
		       noise);
	if (r->nostack)
		printf("warning: %" PRIu64 " checks had no kernel stack and count as ordinary "
		       "checks\n",
		       r->nostack);
	if (r->dropped)
		printf("warning: %" PRIu64 " checks were not counted (the kernel map was full)\n",
		       r->dropped);
	names = mask_text(prof, CS_NAMES_OCI);
	printf("\nprofile: %s\n", prof ? names : "(no capabilities)");
	free(names);
	if (den) {
		names = mask_text(den, CS_NAMES_OCI);
		printf("denied only, not added: %s (a denied check is not proof of a need)\n",
		       names);
		free(names);
	}
}

static int parse_duration(const char *s, double *out)
{
	char *e;
	double v;

	errno = 0;
	v = strtod(s, &e);
	if (errno || e == s || *e || v <= 0 || v > 86400 * 365)
		return -EINVAL;
	*out = v;
	return 0;
}

static int load_ksyms(struct cs_ksyms *k, char *err, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	struct cs_diag d = {0};
	int rc = cs_read_file("/proc/kallsyms", 256u << 20, &buf, &n);

	if (rc < 0) {
		snprintf(err, len, "/proc/kallsyms: %s", strerror(-rc));
		return rc;
	}
	rc = cs_ksyms_parse(buf, n, k, &d);
	free(buf);
	if (rc < 0) {
		char m[400];

		snprintf(err, len, "/proc/kallsyms: %s", cs_diag_format(&d, m, sizeof(m)));
	}
	return rc;
}

int cmd_trace(int argc, char **argv)
{
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
	    {"help", no_argument, NULL, 'h'},
	    {"hook", required_argument, NULL, 'H'}, /* test hook: force a fallback */
	    {NULL, 0, NULL, 0},
	};
	struct trace_opts o = {0};
	struct trace_cfg cfg = {.scope = CS_SCOPE_TGIDS};
	struct tracer *t = NULL;
	struct cs_trace_report r;
	struct cs_ksyms ks = {0};
	bool have_ks;
	char err[1024], cgpath[4096], what[600];
	int c, nscope = 0, rc, status = -1, exit_code = CS_EXIT_OK;
	pid_t child = 0;
	struct verify_result vr = {0};
	struct event_ctx ectx = {0};
	struct sigaction sa = {0};
	double t0;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:p:d:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': {
			char *e;
			long v;

			errno = 0;
			v = strtol(optarg, &e, 10);
			if (!isdigit((unsigned char)optarg[0]) || *e || errno || v <= 0 ||
			    v > 0x3fffffff)
				return cs_usage_err("trace", "'%s' is not a process id", optarg);
			o.pid = (pid_t)v;
			nscope++;
			break;
		}
		case 'C':
			o.cgroup = optarg;
			nscope++;
			break;
		case 'K':
			o.container = optarg;
			nscope++;
			break;
		case 'a':
			o.all = true;
			nscope++;
			break;
		case 'd':
			if (parse_duration(optarg, &o.duration) < 0)
				return cs_usage_err("trace",
						    "--duration: '%s' is not a number of "
						    "seconds",
						    optarg);
			break;
		case 'P': {
			int k = cs_profile_kind_parse(optarg);

			if (k < 0)
				return cs_usage_err(
				    "trace",
				    "--profile: '%s' is not one of k8s, scc, setcap, "
				    "run, docker, systemd",
				    optarg);
			o.profiles |= 1u << k;
			break;
		}
		case 'V':
			o.verify = true;
			break;
		case 'e':
			o.events = true;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'j':
			o.json = true;
			break;
		case 'H':
			cfg.force_hook = optarg;
			break;
		case 'h':
			fputs(trace_help, stdout);
			return cs_finish_stdout("trace", 0);
		default:
			return cs_bad_option("trace", c, optopt, argv, optind);
		}
	}
	if (optind < argc)
		o.cmd = argv + optind;
	if (o.cmd && nscope)
		return cs_usage_err("trace", "give either a command or one of -p, --cgroup, "
					     "--container, --all");
	if (!o.cmd && nscope == 0)
		return cs_usage_err("trace", "nothing to trace: give -- CMD, -p PID, --cgroup, "
					     "--container or --all");
	if (nscope > 1)
		return cs_usage_err("trace", "-p, --cgroup, --container and --all exclude each "
					     "other");
	if (o.verify && !o.cmd)
		return cs_usage_err("trace", "--verify re-runs a command: use it with -- CMD");
	if (o.duration > 0 && o.cmd)
		return cs_usage_err("trace", "--duration is for -p, --cgroup, --container and "
					     "--all; a command is traced until it exits");

	if (o.cmd) {
		snprintf(what, sizeof(what), "'%s'", o.cmd[0]);
	} else if (o.pid) {
		if (kill(o.pid, 0) < 0 && errno == ESRCH)
			return cs_err("trace", "process %d: no such process", (int)o.pid);
		snprintf(what, sizeof(what), "process %d and its children", (int)o.pid);
	} else if (o.all) {
		cfg.scope = CS_SCOPE_ALL;
		snprintf(what, sizeof(what), "all processes");
	} else {
		if (o.container) {
			rc = container_cgroup(o.container, cgpath, sizeof(cgpath));
			if (rc == -ESRCH)
				return cs_err("trace", "no running container's id starts with '%s'",
					      o.container);
			if (rc < 0)
				return cs_err("trace", "container %s: its cgroup v2 path: %s",
					      o.container, strerror(-rc));
		}
		rc = cgroup_resolve(o.container ? cgpath : o.cgroup, cgpath, sizeof(cgpath),
				    &cfg.cgroup_id, &cfg.cgroup_level);
		if (rc == -EMEDIUMTYPE)
			return cs_err("trace", "no cgroup v2 hierarchy is mounted: --cgroup and "
					       "--container need it");
		if (rc == -EXDEV)
			return cs_usage_err("trace",
					    "--cgroup: '%s' is not a directory of the "
					    "cgroup v2 hierarchy",
					    o.cgroup ? o.cgroup : cgpath);
		if (rc < 0)
			return cs_err("trace", "cgroup %s: %s", cgpath, strerror(-rc));
		cfg.scope = CS_SCOPE_CGROUP;
		snprintf(what, sizeof(what), "cgroup %.560s", cgpath);
	}

	/* Stacks are the costly part: take them where call sites tell noise apart
	 * (see lib/trace/classify.c), or for every capability with -v. */
	cfg.stack_caps = o.verbose ? ~0ULL : CS_BIT(21) | CS_BIT(19); /* SYS_ADMIN, SYS_PTRACE */
	cfg.events = o.events;
	rc = tracer_open(&t, &cfg, err, sizeof(err));
	if (rc < 0)
		return cs_err("trace", "%s", err);

	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ectx.json = o.json;
	t0 = now_s();
	if (o.cmd) {
		rc = start_traced(t, o.cmd, o.json, &child);
		if (rc < 0) {
			tracer_close(t);
			return cs_err("trace", "cannot run '%s': %s", o.cmd[0], strerror(-rc));
		}
		for (;;) {
			int st;
			pid_t w = waitpid(child, &st, WNOHANG);

			if (w == child) {
				status = wait_status(st);
				break;
			}
			if (got_signal) {
				/* A signal sent to capscope alone is passed on; the
				 * terminal's Ctrl-C already reached the child. */
				if (!signal_from_tty)
					kill(child, got_signal);
				got_signal = 0;
			}
			tracer_poll(t, 50, print_event, &ectx);
		}
	} else {
		if (o.pid)
			track_tree(t, o.pid);
		while (!got_signal) {
			if (o.duration > 0 && now_s() - t0 >= o.duration)
				break;
			if (o.pid && kill(o.pid, 0) < 0 && errno == ESRCH)
				break;
			tracer_poll(t, 100, print_event, &ectx);
		}
	}

	cs_trace_report_init(&r);
	have_ks = load_ksyms(&ks, err, sizeof(err)) == 0;
	if (!have_ks)
		cs_err("trace", "cannot name call sites, noise is not separated: %s", err);
	rc = tracer_collect(t, &r, have_ks ? &ks : NULL);
	const char *hook = tracer_hook(t);

	if (rc < 0) {
		cs_err("trace", "reading the counts: %s", strerror(-rc));
		exit_code = CS_EXIT_FAIL;
	}

	if (o.verify) {
		rc = verify(o.cmd, cs_trace_profile(&r), o.json, status, &vr);
		if (rc < 0) {
			cs_err("trace", "--verify: %s", strerror(-rc));
			exit_code = CS_EXIT_FAIL;
		} else if (!vr.ok) {
			exit_code = CS_EXIT_FAIL;
		}
	}

	if (o.json) {
		struct cs_json j;

		cs_json_init(&j, stdout, true);
		cs_json_obj_begin(&j);
		cs_json_key(&j, "scope");
		cs_json_str(&j, o.cmd ? "command" : o.pid ? "pid" : o.all ? "all" : "cgroup");
		cs_json_key(&j, "target");
		cs_json_str(&j, what);
		cs_json_key(&j, "hook");
		cs_json_str(&j, hook);
		if (o.cmd) {
			cs_json_key(&j, "command");
			json_str_list(&j, o.cmd, (size_t)(argc - optind), false);
			cs_json_key(&j, "exit_status");
			cs_json_int(&j, status);
		}
		cs_trace_report_json(&r, &j);
		if (o.profiles) {
			cs_json_key(&j, "snippets");
			cs_json_obj_begin(&j);
			for (int k = 0; k <= CS_PROFILE_SYSTEMD; k++) {
				char *buf = NULL;
				size_t n = 0;
				FILE *f;

				if (!(o.profiles & (1u << k)))
					continue;
				f = open_memstream(&buf, &n);
				if (!f)
					continue;
				cs_profile_write((enum cs_profile_kind)k, cs_trace_profile(&r),
						 (const char *const *)o.cmd, f);
				fclose(f);
				cs_json_key(&j, cs_profile_kind_name((enum cs_profile_kind)k));
				cs_json_str(&j, buf);
				free(buf);
			}
			cs_json_obj_end(&j);
		}
		cs_json_key(&j, "verify");
		if (!vr.ran) {
			cs_json_null(&j);
		} else {
			cs_json_obj_begin(&j);
			cs_json_key(&j, "runner");
			cs_json_str(&j, vr.runner);
			cs_json_key(&j, "exit_status");
			cs_json_int(&j, vr.status);
			cs_json_key(&j, "ok");
			cs_json_bool(&j, vr.ok);
			cs_json_obj_end(&j);
		}
		cs_json_obj_end(&j);
		cs_json_finish(&j);
	} else {
		if (o.cmd)
			printf("\n");
		text_report(&r, &o, hook, what);
		if (o.cmd)
			printf("exit status of the traced command: %d\n", status);
		for (int k = 0; k <= CS_PROFILE_SYSTEMD; k++) {
			if (!(o.profiles & (1u << k)))
				continue;
			printf("\n# %s\n", cs_profile_kind_name((enum cs_profile_kind)k));
			cs_profile_write((enum cs_profile_kind)k, cs_trace_profile(&r),
					 (const char *const *)o.cmd, stdout);
		}
		if (vr.ran)
			printf("\nverify (%s, only the profile's capabilities): exit %d, %s\n",
			       vr.runner, vr.status,
			       vr.ok ? "same as traced: the profile is enough"
				     : "different from the traced run: the profile is NOT enough");
	}
	if (r.error)
		exit_code = cs_err("trace", "out of memory while aggregating");
	cs_trace_report_free(&r);
	cs_ksyms_free(&ks);
	tracer_close(t);
	return cs_finish_stdout("trace", exit_code);
}
