/* SPDX-License-Identifier: MIT */
/* capscope ps: the five sets and credentials of every (or the named) process. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "capscope/escape.h"
#include "capscope/json.h"
#include "capscope/kernel.h"
#include "capscope/proc.h"
#include "capscope/proc-json.h"
#include "capscope/text.h"
#include "commands.h"
#include "capscope/number.h"
#include "output.h"

static const char ps_help[] =
    "Usage: capscope ps [OPTIONS] [PID...]\n"
    "\n"
    "Show the capability sets and credentials of every process, or of the\n"
    "PIDs given: effective, permitted, inheritable, bounding and ambient sets,\n"
    "no_new_privs, seccomp mode, whether it runs in a non-initial user\n"
    "namespace, and its container (runtime, id and Kubernetes pod UID, read\n"
    "from /proc/PID/cgroup). Threads whose sets or ids differ from their\n"
    "thread-group leader are listed under it.\n"
    "\n"
    "Compact sets: '-' empty, 'all' every capability of this kernel, up to three\n"
    "names, else a count. The kernel exports securebits only to the process\n"
    "itself, so -v and --json read them for every process with a BPF task\n"
    "iterator (root, or CAP_BPF and CAP_PERFMON; loading it takes about 0.1 s);\n"
    "without it they are '?' (null in JSON) except for capscope's own process.\n"
    "\n"
    "Options:\n"
    "  -v, --verbose   every set in full, one per line\n"
    "      --no-bpf    do not load the securebits iterator\n"
    "      --json      {\"processes\": [...]} (see capscope-ps(1))\n"
    "  -h, --help      this text\n"
    "\n"
    "Examples:\n"
    "  capscope ps                 # every process\n"
    "  capscope ps -v $$           # this shell, in full\n"
    "  capscope ps --json 1 | jq '.processes[0].caps.effective.names'\n";

struct ps_opts {
	bool verbose, json, no_bpf;
};

/* A field a process controls (comm, argv, cgroup names), made safe for a terminal. */
struct safe_text {
	char *s;
};

static void safe_text_free(struct safe_text *t)
{
	free(t->s);
}
#define cs_cleanup_safe __attribute__((cleanup(safe_text_free)))

static const char *safe(struct safe_text *t, const char *raw)
{
	free(t->s);
	t->s = cs_escape_dup(raw ? raw : "");
	return t->s ? t->s : cs_oom_mark();
}

/* The comm as the process set it, escaped (the kernel's own escaping undone first). */
static const char *safe_comm(struct safe_text *t, const char *status_name)
{
	char raw[sizeof(((struct cs_proc_status *)0)->name)];

	cs_proc_comm_raw(status_name, raw, sizeof(raw));
	return safe(t, raw);
}

/* Compact set: "-", "all", up to three short names, or "N caps". */
static void compact(cs_mask_t m, char *buf, size_t len)
{
	int n = cs_mask_count(m);

	if (m == 0) {
		snprintf(buf, len, "-");
	} else if (m == cs_mask_all()) {
		snprintf(buf, len, "all");
	} else if (n <= 3) {
		size_t off = 0;

		buf[0] = '\0';
		for (int cap = 0; cap < CS_CAP_BITS && off < len; cap++) {
			char name[32];

			if (!(m & CS_BIT(cap)))
				continue;
			cs_cap_name_r(cap, false, name, sizeof(name));
			off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? "," : "",
						name + 4);
		}
	} else {
		snprintf(buf, len, "%d caps", n);
	}
}

/*
 * "runtime:id pod:uid", from cgroup names (which a delegated cgroup's owner
 * picks). An LXC container's id is its cgroup's name, which may hold a
 * space: in a column with COMMAND after it, "lxc:x  sh" read as the id x
 * and the command sh (twelfth pass). The id is a cell (escape.h
 * cs_escape_cell_dup: a space as "\x20", NBSP and the other blanks as
 * "\uNNNN"), as trace's columns.
 */
static const char *container_text(const struct cs_proc_info *v, struct safe_text *out)
{
	char raw[13], *id;
	/* 12 bytes, as docker shows an id, never half a character of a name */
	size_t len = cs_text_cut(v->container.id, strnlen(v->container.id, 64), 12);
	int r;

	if (!v->has_container)
		return "-";
	memcpy(raw, v->container.id, len);
	raw[len] = '\0';
	if (!(id = cs_escape_cell_dup(raw)))
		return cs_oom_mark();
	free(out->s);
	/* Runtime names and pod uids (hex digits and '-') need no escaping. */
	r = asprintf(&out->s, "%s%s%s%s%.8s", cs_runtime_name(v->container.runtime), len ? ":" : "",
		     id, v->container.pod_uid[0] ? " pod:" : "", v->container.pod_uid);
	free(id);
	if (r < 0)
		out->s = NULL;
	return out->s ? out->s : cs_oom_mark();
}

static const char *const compact_header[] = {"PID",	"USER",	  "EFF",       "PRM",
					     "INH",	"BND",	  "AMB",       "NNP",
					     "SECCOMP", "USERNS", "CONTAINER", "COMMAND"};
#define NCOLS (sizeof(compact_header) / sizeof(compact_header[0]))

static int add_row(struct cs_table *t, const struct cs_proc_status *st, const char *user,
		   const char *cmd, int userns, const char *ctext, bool thread)
{
	char pid[32], sets[CS_NSETS][96];
	static const enum cs_set order[] = {CS_EFF, CS_PRM, CS_INH, CS_BND, CS_AMB};
	const char *cells[NCOLS];

	snprintf(pid, sizeof(pid), thread ? " └%d" : "%d", (int)st->pid);
	for (int i = 0; i < CS_NSETS; i++)
		compact(st->caps.set[order[i]], sets[i], sizeof(sets[i]));
	cells[0] = pid;
	cells[1] = user;
	for (int i = 0; i < CS_NSETS; i++)
		cells[2 + i] = sets[i];
	cells[7] = st->no_new_privs < 0 ? "?" : st->no_new_privs ? "yes" : "no";
	cells[8] = cs_seccomp_name(st->seccomp);
	cells[9] = userns < 0 ? "?" : userns ? "child" : "init";
	cells[10] = ctext;
	cells[11] = cmd;
	return cs_table_add(t, cells);
}

/* The leader's row and one per differing thread. */
static void add_rows(struct cs_table *t, const struct cs_proc_info *v)
{
	cs_cleanup_safe struct safe_text user = {0}, ct = {0}, comm = {0};
	const char *u = safe(&user, v->user), *c = container_text(v, &ct);
	char cmd[160];

	/* The column is cut at 159 bytes, on a whole escape. */
	if (v->cmdline) {
		cs_escape_text(v->cmdline, strlen(v->cmdline), cmd, sizeof(cmd));
	} else {
		/* Kernel threads have no command line: show [comm] as ps does. */
		snprintf(cmd, sizeof(cmd), "[%s]", safe_comm(&comm, v->st.name));
	}
	add_row(t, &v->st, u, cmd, v->userns, c, false);
	/* A thread's own user: it may differ from its leader's (setresuid(2) as a
	 * raw system call changes one thread). */
	for (size_t k = 0; k < v->nthreads; k++) {
		cs_cleanup_safe struct safe_text tu = {0};

		add_row(t, &v->threads[k], safe(&tu, v->thread_users[k]),
			safe_comm(&comm, v->threads[k].name), v->userns, c, true);
	}
}

/* The names of the bits set (include/uapi/linux/securebits.h). */
static void print_securebits_names(unsigned bits)
{
	bool any = false;

	for (unsigned i = 0; cs_securebit_name(i); i++)
		if (bits & (1u << i)) {
			printf("%s%s", any ? "," : " (", cs_securebit_name(i));
			any = true;
		}
	if (any)
		printf(")");
}

static void print_sets(const struct cs_proc_status *st)
{
	static const enum cs_set order[] = {CS_EFF, CS_PRM, CS_INH, CS_BND, CS_AMB};

	for (int i = 0; i < CS_NSETS; i++) {
		cs_mask_t m = st->caps.set[order[i]];
		size_t need = cs_mask_format_names(m, CS_NAMES_LOWER, NULL, 0) + 1;
		char *names = malloc(need);

		if (!names)
			continue;
		cs_mask_format_names(m, CS_NAMES_LOWER, names, need);
		printf("  %-11s 0x%016" PRIx64 " %s\n", cs_set_name(order[i]), m, m ? names : "-");
		free(names);
	}
}

/*
 * The comm with text after it on its line ("PID COMM (CMDLINE)"): the item
 * rule, its spaces and parentheses as \xNN (escape.h cs_escape_item_dup), so
 * a comm "a (sleep 9)" cannot read as the comm a and its command line
 * (sixteenth pass).
 */
static const char *item_comm(struct safe_text *t, const char *status_name)
{
	char raw[sizeof(((struct cs_proc_status *)0)->name)];

	cs_proc_comm_raw(status_name, raw, sizeof(raw));
	free(t->s);
	t->s = cs_escape_item_dup(raw, "()");
	return t->s ? t->s : cs_oom_mark();
}

static void print_verbose(const struct cs_proc_info *v, const struct cs_proc_status *st,
			  bool thread, const char *secbits_why)
{
	cs_cleanup_safe struct safe_text comm = {0}, cmd = {0}, ct = {0};

	if (thread)
		printf("  thread %d (%s)\n", (int)st->pid, item_comm(&comm, st->name));
	else
		printf("%d %s (%s)\n", (int)st->pid, item_comm(&comm, st->name),
		       safe(&cmd, v->cmdline));
	printf("  uids    %u %u %u %u (real effective saved fs)\n", (unsigned)st->uid[0],
	       (unsigned)st->uid[1], (unsigned)st->uid[2], (unsigned)st->uid[3]);
	printf("  gids    %u %u %u %u\n", (unsigned)st->gid[0], (unsigned)st->gid[1],
	       (unsigned)st->gid[2], (unsigned)st->gid[3]);
	print_sets(st);
	if (thread)
		return;
	if (v->securebits >= 0) {
		printf("  securebits  0x%x", (unsigned)v->securebits);
		print_securebits_names((unsigned)v->securebits);
		printf("\n");
	} else {
		printf("  securebits  ? (%s)\n", secbits_why);
	}
	printf("  no_new_privs %s, seccomp %s, user namespace %s\n",
	       st->no_new_privs < 0 ? "?"
	       : st->no_new_privs   ? "yes"
				    : "no",
	       cs_seccomp_name(st->seccomp),
	       v->userns < 0 ? "?"
	       : v->userns   ? "child"
			     : "initial");
	printf("  container %s\n", container_text(v, &ct));
}

/* The PIDs named on the command line, or a usage error. */
static int parse_pids(int argc, char **argv, int first, pid_t **out, size_t *n)
{
	pid_t *pids = calloc((size_t)(argc - first), sizeof(*pids));

	if (!pids)
		return cs_err("ps", "out of memory");
	for (int i = first; i < argc; i++) {
		uint32_t v;

		if (cs_parse_u32(argv[i], 0x3fffffff, &v) < 0 || v == 0) {
			free(pids);
			return cs_usage_err("ps", "'%s' is not a process id", argv[i]);
		}
		pids[i - first] = (pid_t)v;
	}
	*out = pids;
	*n = (size_t)(argc - first);
	return 0;
}

/* Returns the JSON writer's error (-errno) or 0. */
static int render(const struct cs_proc_snapshot *s, const struct ps_opts *o)
{
	const char *why = o->no_bpf	      ? "--no-bpf"
			  : s->securebits_why ? s->securebits_why
					      : "not readable";
	struct cs_json j;
	struct cs_table t;

	if (o->json) {
		cs_json_init(&j, stdout, true);
		cs_proc_snapshot_json(&j, s);
		return cs_json_finish(&j);
	} else if (o->verbose) {
		for (size_t i = 0; i < s->n; i++) {
			print_verbose(&s->procs[i], &s->procs[i].st, false, why);
			for (size_t k = 0; k < s->procs[i].nthreads; k++)
				print_verbose(&s->procs[i], &s->procs[i].threads[k], true, why);
		}
	} else {
		cs_table_init(&t, NCOLS);
		cs_table_add(&t, compact_header);
		for (size_t i = 0; i < s->n; i++)
			add_rows(&t, &s->procs[i]);
		cs_table_emit(&t, stdout, cs_color(stdout, "\033[1m"));
	}
	return 0;
}

int cmd_ps(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"verbose", no_argument, NULL, 'v'},
	    {"json", no_argument, NULL, 'j'},
	    {"no-bpf", no_argument, NULL, 'B'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct ps_opts o = {0};
	struct cs_proc_snapshot_opts so = {0};
	struct cs_proc_snapshot s;
	struct cs_diag d = {0};
	pid_t *pids = NULL;
	int c, rc, status = 0, werr;

	opterr = 0;
	optind = 1;
	while ((c = cs_getopt(argc, argv, ":vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'v':
			o.verbose = true;
			break;
		case 'j':
			o.json = true;
			break;
		case 'B':
			o.no_bpf = true;
			break;
		case 'h':
			fputs(ps_help, stdout);
			return cs_finish_stdout("ps", 0);
		default:
			return cs_bad_option("ps", c, optopt, argv, optind, longopts);
		}
	}
	if (optind < argc && (rc = parse_pids(argc, argv, optind, &pids, &so.npids)) != 0)
		return rc;
	so.pids = pids;
	so.ids = CS_CLI_IDS;
	/* Only the views that show securebits pay for loading the iterator. */
	so.securebits = !o.no_bpf && (o.verbose || o.json);
	so.skip_securebits = !o.verbose && !o.json; /* the table has no column for them */
	rc = cs_proc_snapshot(&so, &s, &d);
	free(pids);
	if (rc < 0) {
		cs_proc_snapshot_free(&s);
		return cs_err("ps", "%s", d.message);
	}
	for (size_t i = 0; i < s.nmissing; i++) {
		cs_err("ps", "process %d: %s", (int)s.missing[i].pid,
		       s.missing[i].err == -ENOENT ? "no such process"
						   : strerror(-s.missing[i].err));
		status = CS_EXIT_ERROR;
	}
	werr = render(&s, &o);
	cs_proc_snapshot_free(&s);
	return cs_finish_stdout_err("ps", status, werr);
}
