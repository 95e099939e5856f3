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

#include "capscope/json.h"
#include "capscope/kernel.h"
#include "capscope/proc.h"
#include "capscope/text.h"
#include "commands.h"
#include "output.h"
#include "ps-secbits.h"

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

/* One snapshot of every thread's securebits, taken before the listing. */
static struct ps_secbits secbits;
static bool have_secbits;
static char secbits_why[256];

struct proc_view {
	struct cs_proc_status st;
	char user[64];
	char *cmdline; /* NUL-separated args joined with spaces; malloc'd */
	int userns;    /* 1 child, 0 initial, -1 unknown */
	int securebits; /* -1 unknown */
	bool has_container;
	struct cs_container ct;
	/* Threads that differ from the leader. */
	struct cs_proc_status *threads;
	size_t nthreads;
};

static void view_free(struct proc_view *v)
{
	cs_proc_status_free(&v->st);
	free(v->cmdline);
	for (size_t i = 0; i < v->nthreads; i++)
		cs_proc_status_free(&v->threads[i]);
	free(v->threads);
	memset(v, 0, sizeof(*v));
}

/*
 * getpwuid reads the passwd database on every call; a listing has few
 * distinct uids, so remember the last ones (bench/bench-foundation.sh).
 */
static void user_name(uid_t uid, char *buf, size_t len)
{
	static struct {
		uid_t uid;
		char name[64];
	} cache[16];
	static size_t used, next;
	struct passwd *pw;

	for (size_t i = 0; i < used; i++) {
		if (cache[i].uid == uid) {
			snprintf(buf, len, "%s", cache[i].name);
			return;
		}
	}
	pw = getpwuid(uid);
	if (pw && pw->pw_name)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "%u", (unsigned)uid);
	cache[next].uid = uid;
	snprintf(cache[next].name, sizeof(cache[next].name), "%s", buf);
	next = (next + 1) % 16;
	if (used < 16)
		used++;
}

static char *read_cmdline(pid_t pid)
{
	char path[64], *buf = NULL;
	size_t n = 0;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	if (cs_read_proc_file(path, 64 * 1024, &buf, &n) < 0) {
		/* Longer than we show, or unreadable: fall back to the comm name. */
		return NULL;
	}
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	for (size_t i = 0; i < n; i++)
		if (buf[i] == '\0' || !isprint((unsigned char)buf[i]))
			buf[i] = buf[i] == '\0' ? ' ' : '?';
	buf[n] = '\0';
	if (n == 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static bool thread_differs(const struct cs_proc_status *a, const struct cs_proc_status *b)
{
	return !cs_quintet_equal(&a->caps, &b->caps) || memcmp(a->uid, b->uid, sizeof(a->uid)) ||
	       memcmp(a->gid, b->gid, sizeof(a->gid)) || a->no_new_privs != b->no_new_privs ||
	       a->seccomp != b->seccomp;
}

static int collect_threads(pid_t pid, struct proc_view *v)
{
	char path[64];
	DIR *d;
	struct dirent *de;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return 0; /* gone: the leader's data still stands */
	while ((de = readdir(d))) {
		char *e;
		long tid = strtol(de->d_name, &e, 10);
		struct cs_proc_status t;

		if (*e || tid <= 0 || tid == pid)
			continue;
		if (cs_proc_status_read(pid, (pid_t)tid, &t, NULL) < 0)
			continue; /* thread exited meanwhile */
		if (!thread_differs(&v->st, &t)) {
			cs_proc_status_free(&t);
			continue;
		}
		struct cs_proc_status *nt =
			realloc(v->threads, (v->nthreads + 1) * sizeof(*nt));

		if (!nt) {
			cs_proc_status_free(&t);
			closedir(d);
			return -ENOMEM;
		}
		v->threads = nt;
		v->threads[v->nthreads++] = t;
	}
	closedir(d);
	return 0;
}

static int load(pid_t pid, pid_t self, struct proc_view *v, struct cs_diag *d)
{
	char path[64], *cg = NULL;
	size_t n;
	int rc;

	memset(v, 0, sizeof(*v));
	v->securebits = -1;
	rc = cs_proc_status_read(pid, 0, &v->st, d);
	if (rc < 0)
		return rc;
	user_name(v->st.uid[1], v->user, sizeof(v->user));
	if (v->st.kthread == 1) {
		/*
		 * Kernel threads have no command line, no container and always
		 * the initial user namespace: most of a host's pids, read for nothing.
		 */
		v->userns = 0;
	} else {
		v->cmdline = read_cmdline(pid);
		v->userns = cs_proc_in_child_userns(pid);
		if (v->userns < 0)
			v->userns = -1;
		snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
		if (cs_read_proc_file(path, 1 << 20, &cg, &n) == 0) {
			v->has_container = cs_cgroup_parse(cg, n, &v->ct) > 0;
			free(cg);
		}
	}
	if (pid == self) {
		int sb = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);

		v->securebits = sb >= 0 ? sb : -1;
	} else if (have_secbits) {
		v->securebits = ps_secbits_lookup(&secbits, pid);
	}
	/* A single-threaded process has no other thread to compare. */
	rc = v->st.threads == 1 ? 0 : collect_threads(pid, v);
	if (rc < 0) {
		view_free(v);
		return rc;
	}
	/*
	 * A process that exits after its status was read is still shown: what
	 * it had is what was read, and a later file that vanished only leaves
	 * its field empty.
	 */
	return 0;
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

static const char *container_text(const struct proc_view *v, char *buf, size_t len)
{
	if (!v->has_container)
		return "-";
	if (v->ct.id[0])
		snprintf(buf, len, "%s:%.12s", cs_runtime_name(v->ct.runtime), v->ct.id);
	else
		snprintf(buf, len, "%s", cs_runtime_name(v->ct.runtime));
	if (v->ct.pod_uid[0]) {
		size_t o = strlen(buf);

		snprintf(buf + o, len - o, " pod:%.8s", v->ct.pod_uid);
	}
	return buf;
}

static void json_ids(struct cs_json *j, const char *key, const unsigned *ids)
{
	cs_json_key(j, key);
	cs_json_arr_begin(j);
	for (int i = 0; i < 4; i++)
		cs_json_uint(j, ids[i]);
	cs_json_arr_end(j);
}

static void json_status_core(struct cs_json *j, const struct cs_proc_status *st)
{
	json_ids(j, "uids", (const unsigned *)st->uid);
	json_ids(j, "gids", (const unsigned *)st->gid);
	cs_json_key(j, "groups");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < st->ngroups; i++)
		cs_json_uint(j, st->groups[i]);
	cs_json_arr_end(j);
	cs_json_key(j, "caps");
	cs_json_caps(j, &st->caps);
	cs_json_key(j, "no_new_privs");
	if (st->no_new_privs < 0)
		cs_json_null(j);
	else
		cs_json_bool(j, st->no_new_privs);
	cs_json_key(j, "seccomp");
	cs_json_str(j, cs_seccomp_name(st->seccomp));
}

static void json_view(struct cs_json *j, const struct proc_view *v)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "pid");
	cs_json_int(j, v->st.pid ? v->st.pid : 0);
	cs_json_key(j, "ppid");
	cs_json_int(j, v->st.ppid);
	cs_json_key(j, "comm");
	cs_json_str(j, v->st.name);
	cs_json_key(j, "cmdline");
	cs_json_str(j, v->cmdline);
	cs_json_key(j, "user");
	cs_json_str(j, v->user);
	json_status_core(j, &v->st);
	cs_json_key(j, "securebits");
	if (v->securebits < 0)
		cs_json_null(j);
	else
		cs_json_int(j, v->securebits);
	cs_json_key(j, "in_user_namespace");
	if (v->userns < 0)
		cs_json_null(j);
	else
		cs_json_bool(j, v->userns);
	cs_json_key(j, "container");
	if (!v->has_container) {
		cs_json_null(j);
	} else {
		cs_json_obj_begin(j);
		cs_json_key(j, "runtime");
		cs_json_str(j, cs_runtime_name(v->ct.runtime));
		cs_json_key(j, "id");
		cs_json_str(j, v->ct.id[0] ? v->ct.id : NULL);
		cs_json_key(j, "pod_uid");
		cs_json_str(j, v->ct.pod_uid[0] ? v->ct.pod_uid : NULL);
		cs_json_key(j, "qos");
		cs_json_str(j, v->ct.qos[0] ? v->ct.qos : NULL);
		cs_json_key(j, "cgroup");
		cs_json_str(j, v->ct.cgroup);
		cs_json_obj_end(j);
	}
	cs_json_key(j, "threads");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < v->nthreads; i++) {
		cs_json_obj_begin(j);
		cs_json_key(j, "tid");
		cs_json_int(j, v->threads[i].pid);
		cs_json_key(j, "comm");
		cs_json_str(j, v->threads[i].name);
		json_status_core(j, &v->threads[i]);
		cs_json_obj_end(j);
	}
	cs_json_arr_end(j);
	cs_json_obj_end(j);
}

static const char *const compact_header[] = {"PID", "USER", "EFF", "PRM", "INH", "BND", "AMB",
					     "NNP", "SECCOMP", "USERNS", "CONTAINER", "COMMAND"};
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

/* The names of the bits set (include/uapi/linux/securebits.h). */
static const char *securebits_text(unsigned bits)
{
	static char buf[256];
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; cs_securebit_name(i); i++)
		if (bits & (1u << i))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? "," : " (",
					      cs_securebit_name(i));
	if (n)
		snprintf(buf + n, sizeof(buf) - n, ")");
	return buf;
}

static void print_verbose(const struct proc_view *v, const struct cs_proc_status *st,
			  bool thread)
{
	static const enum cs_set order[] = {CS_EFF, CS_PRM, CS_INH, CS_BND, CS_AMB};
	char ctext[160];

	if (thread)
		printf("  thread %d (%s)\n", (int)st->pid, st->name);
	else
		printf("%d %s (%s)\n", (int)st->pid, st->name, v->cmdline ? v->cmdline : "");
	printf("  uids    %u %u %u %u (real effective saved fs)\n", (unsigned)st->uid[0],
	       (unsigned)st->uid[1], (unsigned)st->uid[2], (unsigned)st->uid[3]);
	printf("  gids    %u %u %u %u\n", (unsigned)st->gid[0], (unsigned)st->gid[1],
	       (unsigned)st->gid[2], (unsigned)st->gid[3]);
	for (int i = 0; i < CS_NSETS; i++) {
		cs_mask_t m = st->caps.set[order[i]];
		size_t need = cs_mask_format_names(m, CS_NAMES_LOWER, NULL, 0) + 1;
		char *names = malloc(need);

		if (!names)
			continue;
		cs_mask_format_names(m, CS_NAMES_LOWER, names, need);
		printf("  %-11s 0x%016" PRIx64 " %s\n", cs_set_name(order[i]), m,
		       m ? names : "-");
		free(names);
	}
	if (thread)
		return;
	if (v->securebits >= 0)
		printf("  securebits  0x%x%s\n", (unsigned)v->securebits,
		       securebits_text((unsigned)v->securebits));
	else
		printf("  securebits  ? (%s)\n", secbits_why[0] ? secbits_why : "not readable");
	printf("  no_new_privs %s, seccomp %s, user namespace %s\n",
	       st->no_new_privs < 0 ? "?" : st->no_new_privs ? "yes" : "no",
	       cs_seccomp_name(st->seccomp),
	       v->userns < 0 ? "?" : v->userns ? "child" : "initial");
	printf("  container %s\n", container_text(v, ctext, sizeof(ctext)));
}

static int compare_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

static int list_all_pids(pid_t **out, size_t *n)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t *p = NULL;
	size_t cnt = 0, cap = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char *e;
		long v = strtol(de->d_name, &e, 10);

		if (*e || v <= 0)
			continue;
		if (cnt == cap) {
			pid_t *np;

			cap = cap ? cap * 2 : 256;
			np = realloc(p, cap * sizeof(*np));
			if (!np) {
				free(p);
				closedir(d);
				return -ENOMEM;
			}
			p = np;
		}
		p[cnt++] = (pid_t)v;
	}
	closedir(d);
	qsort(p, cnt, sizeof(*p), compare_pid);
	*out = p;
	*n = cnt;
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
	pid_t *pids = NULL;
	size_t npids = 0;
	bool named;
	int c, status = 0;
	struct cs_json j;
	struct cs_table t;
	pid_t self = getpid();

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
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
			return cs_bad_option("ps", c, optopt, argv, optind);
		}
	}
	named = optind < argc;
	if (named) {
		npids = (size_t)(argc - optind);
		pids = calloc(npids, sizeof(*pids));
		if (!pids)
			return cs_err("ps", "out of memory");
		for (int i = optind; i < argc; i++) {
			char *e;
			long v;

			errno = 0;
			v = strtol(argv[i], &e, 10);
			if (!isdigit((unsigned char)argv[i][0]) || *e || v <= 0 || v > 0x3fffffff ||
			    errno) {
				free(pids);
				return cs_usage_err("ps", "'%s' is not a process id", argv[i]);
			}
			pids[i - optind] = (pid_t)v;
		}
	} else {
		int rc = list_all_pids(&pids, &npids);

		if (rc < 0)
			return cs_err("ps", "cannot list /proc: %s", strerror(-rc));
	}

	/* Only the views that show securebits pay for loading the iterator. */
	if (o.no_bpf)
		snprintf(secbits_why, sizeof(secbits_why), "--no-bpf");
	else if (o.verbose || o.json)
		have_secbits = ps_secbits_load(&secbits, secbits_why, sizeof(secbits_why)) == 0;
	if (o.json) {
		cs_json_init(&j, stdout, true);
		cs_json_obj_begin(&j);
		cs_json_key(&j, "processes");
		cs_json_arr_begin(&j);
	} else if (!o.verbose) {
		cs_table_init(&t, NCOLS);
		cs_table_add(&t, compact_header);
	}
	for (size_t i = 0; i < npids; i++) {
		struct proc_view v;
		struct cs_diag d = {0};
		int rc = load(pids[i], self, &v, &d);

		if (rc < 0) {
			if (named) {
				cs_err("ps", "process %d: %s", (int)pids[i],
				       rc == -ENOENT ? "no such process" : strerror(-rc));
				status = CS_EXIT_FAIL;
			}
			continue;
		}
		if (o.json) {
			json_view(&j, &v);
		} else if (o.verbose) {
			print_verbose(&v, &v.st, false);
			for (size_t k = 0; k < v.nthreads; k++)
				print_verbose(&v, &v.threads[k], true);
		} else {
			char ctext[160], cmd[160];

			/* Kernel threads have no command line: show [comm] as ps does. */
			if (v.cmdline)
				snprintf(cmd, sizeof(cmd), "%s", v.cmdline);
			else
				snprintf(cmd, sizeof(cmd), "[%s]", v.st.name);
			const char *ct = container_text(&v, ctext, sizeof(ctext));

			add_row(&t, &v.st, v.user, cmd, v.userns, ct, false);
			for (size_t k = 0; k < v.nthreads; k++)
				add_row(&t, &v.threads[k], v.user, v.threads[k].name, v.userns,
					ct, true);
		}
		view_free(&v);
	}
	free(pids);
	ps_secbits_free(&secbits);
	if (o.json) {
		cs_json_arr_end(&j);
		cs_json_obj_end(&j);
		cs_json_finish(&j);
	} else if (!o.verbose) {
		cs_table_print(&t, stdout, cs_color(stdout, "\033[1m"));
		cs_table_free(&t);
	}
	return cs_finish_stdout("ps", status);
}
