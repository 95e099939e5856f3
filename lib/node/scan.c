/* SPDX-License-Identifier: MIT */
/*
 * The /proc side of the node inventory: every process's cgroup names its
 * container (as `capscope ps` reads it), which joins it to the bundle of the
 * same id; the container's first process is the runtime's pid file when it
 * is alive, else its lowest pid. Containers seen only in /proc (a runtime
 * whose bundles are elsewhere) are listed too, without a config.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "capscope/ids.h"
#include "capscope/node.h"
#include "internal/cleanup.h"
#include "internal/util.h"
#include "node-internal.h"

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* The container a process runs in: 1 (id in c), 0 none, <0 gone. */
static int proc_container(const char *proc, const char *pid, struct cs_container *c)
{
	char path[PATH_MAX];
	cs_cleanup_free char *buf = NULL;
	size_t len;
	int r;

	snprintf(path, sizeof(path), "%s/%s/cgroup", proc, pid);
	if ((r = cs_read_proc_file(path, 1u << 16, &buf, &len)) < 0)
		return r;
	memset(c, 0, sizeof(*c));
	if ((r = cs_cgroup_parse(buf, len, c)) == -ENOMEM)
		return r;
	return r == 1 && c->id[0] ? 1 : 0;
}

/* A process in a container's cgroup, as read from /proc. */
struct member {
	pid_t pid;
	enum cs_runtime_kind runtime;
	bool delegated; /* its cgroup is in a user's delegated subtree (owner) */
	uid_t owner;
	char id[sizeof(((struct cs_container *)0)->id)];
};

/*
 * A cgroup below systemd's "user@UID.service" is in the subtree systemd
 * delegates to that user: its names (a container id included) are the
 * user's choice. Eighth pass: a rootless user named such a cgroup after a
 * root container's id (every /proc/PID/cgroup shows it) and its processes
 * counted in that container, the lowest of them its first process (shown by
 * /metrics with the user's credentials) when the pid file named none alive.
 */
static bool delegated_to(const char *cgroup, uid_t *uid)
{
	for (const char *p = strstr(cgroup, "/user@"); p; p = strstr(p + 1, "/user@")) {
		char *e;
		unsigned long v = strtoul(p + 6, &e, 10);

		if (p[6] >= '0' && p[6] <= '9' && !strncmp(e, ".service", 8) &&
		    (e[8] == '/' || !e[8]) && v < (uid_t)-1) {
			*uid = (uid_t)v;
			return true;
		}
	}
	return false;
}

/* By id; of one id, processes in the runtimes' cgroups before a user's. */
static int by_id(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	int r = strcmp(x->id, y->id);

	return r ? r : (int)x->delegated - (int)y->delegated;
}

static int ctr_by_id(const void *a, const void *b)
{
	return strcmp((*(struct cs_node_ctr *const *)a)->id, (*(struct cs_node_ctr *const *)b)->id);
}

/* The known container named id, or the first whose id starts with it (the
 * cgroup may carry a shorter id than the bundle's directory): sorted[] by id. */
/*
 * Whether a container of id full is the one a cgroup names by id: a
 * runtime's hex id may be a short form (12+ digits), so its start; an LXC
 * container's name is whole (lib/cgroup.c), so all of it. Twentieth pass,
 * part H: the LXC container "web"'s process was counted in the bundle
 * "web-prod", its first process (shown with its credentials).
 */
static bool id_names(const char *full, const char *id, enum cs_runtime_kind rt)
{
	return rt == CS_RT_LXC ? !strcmp(full, id) : !strncmp(full, id, strlen(id));
}

static struct cs_node_ctr *find_ctr(struct cs_node_ctr **sorted, size_t n, const char *id,
				    enum cs_runtime_kind rt)
{
	size_t lo = 0, hi = n;

	while (lo < hi) { /* the first id not below id */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(sorted[mid]->id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && id_names(sorted[lo]->id, id, rt) ? sorted[lo] : NULL;
}

/*
 * Every process in a container's cgroup, joined to its container by id.
 * The processes are sorted by id and the containers looked up in a sorted
 * copy of the inventory: a lookup from the start of the list for each
 * process was quadratic in the containers, and an unprivileged user with a
 * delegated cgroup subtree (rootless containers) can make thousands of
 * cgroups named like a container's (8,000: 2.7 s a scrape, under the lock).
 */
static int join_procs(struct cs_node_inventory *inv, const char *proc)
{
	cs_cleanup_closedir DIR *dp = opendir(proc);
	cs_cleanup_free struct member *m = NULL;
	cs_cleanup_free struct cs_node_ctr **sorted = NULL;
	size_t n = 0, cap = 0, known = inv->n;
	struct dirent *e;
	struct cs_container cc;
	struct cs_node_ctr *c = NULL;

	if (!dp)
		return -errno;
	while ((e = readdir(dp)) != NULL) {
		int r;

		if (!all_digits(e->d_name))
			continue;
		/* Out of memory is no process outside a container (twenty-first
		 * pass, part C): the page would leave its container out, with 200.
		 * Out of descriptors too (twenty-sixth pass, part D). */
		if ((r = proc_container(proc, e->d_name, &cc)) < 0 && cs_short_of(r))
			return r;
		if (r != 1)
			continue;
		if (n == cap) {
			struct member *nm = realloc(m, (cap = cap ? cap * 2 : 256) * sizeof(*m));

			if (!nm)
				return -ENOMEM;
			m = nm;
		}
		m[n].pid = (pid_t)strtol(e->d_name, NULL, 10);
		m[n].runtime = cc.runtime;
		m[n].delegated = delegated_to(cc.cgroup, &m[n].owner);
		memcpy(m[n].id, cc.id, strlen(cc.id) + 1);
		n++;
	}
	if (n)
		qsort(m, n, sizeof(*m), by_id);
	if (known && !(sorted = malloc(known * sizeof(*sorted))))
		return -ENOMEM;
	if (known) {
		memcpy(sorted, inv->v, known * sizeof(*sorted));
		qsort(sorted, known, sizeof(*sorted), ctr_by_id);
	}
	for (size_t i = 0; i < n; i++) {
		pid_t pid = m[i].pid;

		/* The processes of one id are together: one lookup for them all. */
		if (!c || strcmp(m[i].id, m[i - 1].id) != 0) {
			c = find_ctr(sorted, known, m[i].id, m[i].runtime);
			if (!c) {
				if (!(c = cs_node_add(inv, m[i].id)))
					return -ENOMEM;
				c->runtime = cs_runtime_name(m[i].runtime);
				c->state_owner = m[i].delegated ? m[i].owner : 0;
			}
		}
		/* A user's cgroup joins only that user's container: one whose
		 * runtime state the user wrote, or one known by such cgroups only. */
		if (m[i].delegated ? m[i].owner != cs_node_owner(c) : cs_node_owner(c) != 0)
			continue;
		/* A userdata bundle names no runtime when its config.json was
		 * not read (or marks none): the cgroup's (crio-, libpod-). */
		if (!c->runtime && m[i].runtime != CS_RT_NONE)
			c->runtime = cs_runtime_name(m[i].runtime);
		c->seen = true;
		c->n_procs++;
		if (c->pidfile_pid == pid || !c->pid || (c->pid != c->pidfile_pid && pid < c->pid))
			c->pid = pid;
	}
	return 0;
}

/*
 * The boot time in seconds of the wall clock (/proc/stat's btime), read at
 * most once a scan: /proc/stat is made anew at each read, over every CPU and
 * interrupt, and read for each container a pid file names it was a fifth of
 * a warm scrape of 500 (twenty-sixth pass).
 */
struct boot_time {
	unsigned long long btime;
	bool read;
	int err; /* why it could not be read: the scan's error (pidfile_fallback) */
};

static int boot_time(const char *proc, struct boot_time *bt)
{
	char path[PATH_MAX];
	cs_cleanup_free char *stat = NULL;
	const char *p;
	size_t len;
	int rc;

	if (bt->read || bt->err)
		return bt->err; /* read once a scan, or failed once */
	snprintf(path, sizeof(path), "%s/stat", proc);
	if ((rc = cs_read_proc_file(path, 1u << 20, &stat, &len)) < 0)
		return bt->err = rc;
	if (!(p = strstr(stat, "\nbtime ")) || sscanf(p + 7, "%llu", &bt->btime) != 1)
		return bt->err = -ENODATA;
	bt->read = true;
	return 0;
}

/* When pid started: its start in clock ticks after boot (/proc/PID/stat
 * field 22) into *ticks, and in seconds of the wall clock into *out. */
static int start_time(const char *proc, pid_t pid, struct boot_time *bt, unsigned long long *ticks,
		      double *out)
{
	long hz = sysconf(_SC_CLK_TCK);
	int rc = cs_proc_start_ticks(proc, pid, ticks);

	if (rc < 0)
		return rc;
	if ((rc = boot_time(proc, bt)) < 0)
		return rc;
	if (hz <= 0)
		return -EINVAL;
	*out = (double)bt->btime + (double)*ticks / (double)hz;
	return 0;
}

/* Whether the process of pidfd has exited (its pidfd polls readable). */
static bool pidfd_gone(int pidfd)
{
	struct pollfd p = {.fd = pidfd, .events = POLLIN};

	return poll(&p, 1, 0) != 0;
}

/*
 * The first process named by the runtime, alive but not in a cgroup we can
 * tell (plain runc without a container cgroup path). A pid file outlives
 * its process (CRI-O and Podman keep an exited container's, the kubelet
 * keeps the last exited one of each container), and its number is reused:
 * a process in another container's cgroup is that container's, and one
 * that started after the file was written is not the one it names (two
 * seconds for /proc/stat's whole-second boot time). Before, /metrics showed
 * whatever process held the number as the exited container, running.
 *
 * Fourteenth pass: these checks ran at the scan, and the credentials are
 * read later; a number reused between the two by another process in no
 * container's cgroup passed still_ctr, and its credentials were shown as
 * the container's. A pidfd is taken before the start time is read and
 * asked after the credentials are (still_ctr): a process that has not
 * exited still holds its number. Without pidfd_open (before 5.3), and
 * beyond pidfd_max() such containers (every plain runc container is one: its
 * "/NAME" names no id; a pidfd each, held over the snapshot, would leave it
 * no descriptor to read /proc with), its start time is read again instead
 * (a reuse within one clock tick is not seen).
 */
size_t cs_node_pidfd_max = (size_t)-1;

/*
 * How many pidfds a scan may hold: cs_node_pidfd_max when set (the tests),
 * else an eighth of the descriptors RLIMIT_NOFILE allows (128 when it
 * cannot be told). Until part D of the twenty-sixth pass at least 128:
 * under RLIMIT_NOFILE 100 the pidfds took every descriptor, the reads of
 * /proc after them failed (EMFILE) and 55 of 150 containers were shown
 * without a process. A container whose pid file is
 * checked without one has its process's stat read again after the
 * snapshot: 372 of the bench's 500 containers, a seventh of a warm scrape.
 * Where the agent runs (a container of containerd's, CRI-O's: 1,048,576
 * descriptors) every such container gets one; under the default 1,024
 * seven eighths stay for the connections and the reads.
 */
static size_t pidfd_max(void)
{
	struct rlimit rl;

	if (cs_node_pidfd_max != (size_t)-1)
		return cs_node_pidfd_max;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return 128;
	return (size_t)(rl.rlim_cur / 8);
}

/*
 * Whether a process of these uids (real, effective, saved, fs) may be named
 * by c's pid file: any when c's runtime state is root's; else only one
 * whose every uid is the owner's. A user's bundle (its pid file or
 * config.json a user's, in a --bundle-root the user may write) named any
 * process outside a container's cgroup, root's own too (a root `sleep`
 * shown as a pod of kube-system with all its capabilities), where the join
 * of cgroups gives such a bundle only that user's processes (twentieth
 * pass, part B).
 */
static bool owner_runs(const struct cs_node_ctr *c, const uid_t uid[4])
{
	uid_t o = cs_node_owner(c);

	for (int i = 0; o && i < 4; i++)
		if (uid[i] != o)
			return false;
	return true;
}

/* owner_runs for pid as proc shows it: 1, 0 (also when it cannot be
 * read), or a cs_short_of error. */
static int owner_runs_at(const struct cs_node_ctr *c, const char *proc, const char *pid)
{
	char path[PATH_MAX];
	cs_cleanup_free char *buf = NULL;
	struct cs_proc_status st = {0};
	size_t len;
	int r;

	if (!cs_node_owner(c))
		return 1;
	snprintf(path, sizeof(path), "%s/%s/status", proc, pid);
	if ((r = cs_read_proc_file(path, 1u << 20, &buf, &len)) == 0)
		r = cs_proc_status_parse(buf, len, &st, NULL);
	if (r < 0 || !(st.have & CS_HAVE_UID)) {
		cs_proc_status_free(&st);
		return cs_short_of(r) ? r : 0;
	}
	r = owner_runs(c, st.uid);
	cs_proc_status_free(&st);
	return r;
}

/*
 * 0, or a cs_short_of error: a check not made for memory (or descriptors) is no
 * process gone (twenty-first pass, part C: the container was left out of
 * the page, with 200).
 */
static int pidfile_fallback(struct cs_node_ctr *c, const char *proc, size_t *held, size_t max,
			    struct boot_time *bt)
{
	char pid[16];
	struct cs_container cc;
	double started;
	int fd = -1, r[3] = {0, 0, 0};

	c->pidfile_pidfd = -1;
	if (c->pid || !c->pidfile_pid)
		return 0;
	if (*held < max && (fd = (int)syscall(SYS_pidfd_open, c->pidfile_pid, 0)) < 0 &&
	    errno == ESRCH)
		return 0;
	snprintf(pid, sizeof(pid), "%d", (int)c->pidfile_pid);
	if ((r[0] = proc_container(proc, pid, &cc)) != 0 ||
	    (r[1] = owner_runs_at(c, proc, pid)) != 1 ||
	    (r[2] = start_time(proc, c->pidfile_pid, bt, &c->pidfile_start, &started)) < 0 ||
	    started > (double)c->pid_written.tv_sec + 2.0 || (fd >= 0 && pidfd_gone(fd))) {
		if (fd >= 0)
			close(fd);
		for (int i = 0; i < 3; i++)
			if (cs_short_of(r[i]))
				return r[i];
		/* No boot time is no start time for any of them: not "gone".
		 * A /proc/stat without btime left every plain runc container
		 * without its process, with 200 (twenty-sixth pass, part D). */
		return bt->err ? -EIO : 0;
	}
	c->pidfile_pidfd = fd;
	*held += fd >= 0;
	c->pid = c->pidfile_pid;
	c->n_procs = c->n_procs ? c->n_procs : 1;
	return 0;
}

/* The pidfds pidfile_fallback took, closed at the end of a scan. */
static void pidfile_close(struct cs_node_inventory *inv)
{
	for (size_t i = 0; i < inv->n; i++) {
		if (inv->v[i]->pidfile_pidfd >= 0)
			close(inv->v[i]->pidfile_pidfd);
		inv->v[i]->pidfile_pidfd = -1;
	}
}

/* Whether c's pid is still the process pidfile_fallback checked: asked
 * after its credentials were read. */
static int pidfile_same(const struct cs_node_ctr *c, const char *proc)
{
	unsigned long long now;
	int r;

	if (c->pidfile_pidfd >= 0)
		return !pidfd_gone(c->pidfile_pidfd);
	/* Its stat not opened for want of descriptors is no other process:
	 * the credentials were left out, with 200 (twenty-sixth pass, part D). */
	if ((r = cs_proc_start_ticks(proc, c->pid, &now)) < 0)
		return cs_short_of(r) ? r : 0;
	return now == c->pidfile_start;
}

/*
 * The first processes' credentials, in one call to the library's process
 * snapshot (what `capscope ps` shows): the status, the user namespace and
 * the threads whose credentials differ from the leader's.
 */
void (*cs_node_seam_before_procs)(const struct cs_node_inventory *inv);

/*
 * Whether the process read is still c's (1, 0, or a cs_short_of error): the join read its cgroup by
 * path in the scan of /proc, and its number may have gone to another process since (thirteenth
 * pass: that one's credentials were shown as the container's). The snapshot reads the cgroup with
 * the credentials, of one process. In a container's cgroup, that must be c's (c's id starts with
 * the cgroup's, as in the join); in none, it must be the process c's pid
 * file names, which pidfile_fallback took for being in none.
 */
static int still_ctr(const struct cs_node_ctr *c, const struct cs_proc_info *p, const char *proc)
{
	int same;

	if (!p->has_container || !p->container.id[0]) {
		if (c->pid != c->pidfile_pid || (same = pidfile_same(c, proc)) == 0)
			return 0;
		return same < 0 ? same : owner_runs(c, p->st.uid); /* pidfile_fallback's */
	}
	return id_names(c->id, p->container.id, p->container.runtime);
}

/*
 * No user names: the pages show uids. A name is an NSS lookup (a scan of
 * /etc/passwd, or sssd or LDAP) on every scrape, and glibc 2.36's first one
 * dereferences NULL when its NSS state cannot be allocated: the agent died
 * of SIGSEGV at a page when that one allocation failed (twenty-first pass,
 * part C, tests/cli/serve-enomem.sh). The snapshot writes the number.
 */
static struct passwd *no_name(uid_t uid)
{
	(void)uid;
	return NULL;
}

static const struct cs_ids numbers_only = {.pw_uid = no_name};

static int read_procs(struct cs_node_inventory *inv, const char *proc, struct cs_diag *d)
{
	cs_cleanup_free pid_t *pids = calloc(inv->n + 1, sizeof(*pids));
	struct cs_proc_snapshot_opts o = {.pids = pids, .skip_cmdline = true, .ids = &numbers_only};
	struct cs_proc_snapshot s;
	int r;

	if (!pids)
		return -ENOMEM;
	for (size_t i = 0; i < inv->n; i++) {
		struct cs_node_ctr *c = inv->v[i];

		cs_proc_status_free(&c->status);
		c->have_status = false;
		c->userns = -1;
		c->threads_differing = 0;
		if (c->pid)
			pids[o.npids++] = c->pid;
	}
	if (!o.npids)
		return 0;
	if ((r = cs_proc_snapshot(&o, &s, d)) < 0) {
		cs_proc_snapshot_free(&s);
		return r;
	}
	/* A process not read for want of descriptors is not gone: shown
	 * without its credentials, with 200, when the agent was at its
	 * RLIMIT_NOFILE (twenty-sixth pass, part D). The scan's error. */
	for (size_t i = 0; i < s.nmissing; i++)
		if (cs_short_of(s.missing[i].err)) {
			r = s.missing[i].err;
			cs_proc_snapshot_free(&s);
			return cs_diag_set(d, -r, 0, 0, "", "reading %s: %s", proc, strerror(-r));
		}
	/* The snapshot keeps the order asked, leaving out processes that are gone. */
	for (size_t i = 0, k = 0; i < inv->n && k < s.n; i++) {
		struct cs_node_ctr *c = inv->v[i];
		struct cs_proc_info *p = &s.procs[k];

		if (!c->pid || p->st.pid != c->pid)
			continue;
		k++;
		if ((r = still_ctr(c, p, proc)) < 0) {
			cs_proc_snapshot_free(&s);
			return cs_diag_set(d, -r, 0, 0, "", "reading %s: %s", proc, strerror(-r));
		}
		if (!r)
			continue; /* as a process gone: no credentials */
		c->status = p->st;
		memset(&p->st, 0, sizeof(p->st)); /* the groups are c's now */
		c->have_status = true;
		c->userns = p->userns;
		c->threads_differing = p->nthreads;
	}
	cs_proc_snapshot_free(&s);
	return 0;
}

/*
 * Ninth pass: the id label is an id's first 12 characters, and two
 * containers of one name (no pod at all: plain runc, Podman) whose ids begin
 * alike ("my-container-1" and "my-container-2" under runc; a user's cgroup
 * named to match a root container's first 12) had the same labels:
 * duplicate series, of which Prometheus keeps one, the other container's
 * values shown for both. Such ids are labelled whole. Sorted by namespace,
 * pod, container and id, the containers whose labels would meet are
 * neighbours.
 */
static int by_name(const struct cs_node_ctr *x, const struct cs_node_ctr *y)
{
	int r;

#define OR_EMPTY(s) ((s) ? (s) : "")
	if ((r = strcmp(OR_EMPTY(x->namespace), OR_EMPTY(y->namespace))) ||
	    (r = strcmp(OR_EMPTY(x->pod), OR_EMPTY(y->pod))))
		return r;
	return strcmp(OR_EMPTY(x->container), OR_EMPTY(y->container));
#undef OR_EMPTY
}

static int by_labels(const void *a, const void *b)
{
	const struct cs_node_ctr *x = *(struct cs_node_ctr *const *)a;
	const struct cs_node_ctr *y = *(struct cs_node_ctr *const *)b;
	int r = by_name(x, y);

	return r ? r : strcmp(x->id, y->id);
}

static int mark_shared_ids(struct cs_node_inventory *inv)
{
	cs_cleanup_free struct cs_node_ctr **s = inv->n ? malloc(inv->n * sizeof(*s)) : NULL;

	if (inv->n && !s)
		return -ENOMEM;
	for (size_t i = 0; i < inv->n; i++)
		(s[i] = inv->v[i])->id_shared = false;
	if (inv->n)
		qsort(s, inv->n, sizeof(*s), by_labels);
	for (size_t i = 1; i < inv->n; i++)
		if (!by_name(s[i - 1], s[i]) && !strncmp(s[i - 1]->id, s[i]->id, 12))
			s[i - 1]->id_shared = s[i]->id_shared = true;
	return 0;
}

int cs_node_scan(struct cs_node_inventory *inv, const struct cs_node_opts *o, struct cs_diag *d)
{
	const char *proc = o && o->proc ? o->proc : "/proc";
	size_t k = 0, held = 0, max = pidfd_max();
	struct boot_time bt = {0, false, 0};
	int r, failed = 0;

	/* The runtimes' pid files hold the host's ids, and in another pid
	 * namespace /proc shows that namespace's processes under its own ids:
	 * a pid file's number named whichever of them held it (twelfth pass). */
	if (!(o && o->proc) && (r = cs_proc_in_child_pidns()) < 0)
		return cs_diag_set(d, -r, 0, 0, "", "/proc/self/ns/pid: %s: %s", strerror(-r),
				   CS_NODE_NEEDS_HOST_PIDNS_WHY);
	if (!(o && o->proc) && r == 1)
		return cs_diag_set(d, EXDEV, 0, 0, "", "%s", CS_NODE_NEEDS_HOST_PIDNS);

	for (size_t i = 0; i < inv->n; i++) {
		inv->v[i]->seen = false;
		inv->v[i]->pid = 0;
		inv->v[i]->n_procs = 0;
	}
	if ((r = cs_node_scan_bundles(inv, o)) < 0)
		return cs_diag_set(d, -r, 0, 0, "", "reading the runtimes' bundles");
	if ((r = join_procs(inv, proc)) < 0)
		return cs_diag_set(d, -r, 0, 0, "", "reading %s", proc);
	for (size_t i = 0; i < inv->n; i++) {
		struct cs_node_ctr *c = inv->v[i];

		if (!c->seen) {
			cs_node_ctr_free(c);
			continue;
		}
		if ((r = pidfile_fallback(c, proc, &held, max, &bt)) < 0 && !failed)
			failed = r; /* after the containers are kept or freed */
		inv->v[k++] = c;
	}
	inv->n = k;
	if (bt.err && failed == -EIO) {
		pidfile_close(inv);
		return cs_diag_set(
		    d, bt.err == -ENODATA ? EIO : -bt.err, 0, 0, "", "%s/stat: %s", proc,
		    bt.err == -ENODATA ? "no btime line (the boot time)" : strerror(-bt.err));
	}
	if (failed && failed != -ENOMEM) {
		pidfile_close(inv);
		return cs_diag_set(d, -failed, 0, 0, "", "reading %s: %s", proc, strerror(-failed));
	}
	if (failed || mark_shared_ids(inv) < 0) {
		pidfile_close(inv);
		return cs_diag_set(d, ENOMEM, 0, 0, "", "out of memory");
	}
	if (cs_node_seam_before_procs)
		cs_node_seam_before_procs(inv);
	r = read_procs(inv, proc, d);
	pidfile_close(inv);
	if (r < 0)
		return r;
	for (size_t i = 0; i < inv->n; i++) {
		struct cs_node_ctr *c = inv->v[i];

		if (c->have_config && c->pid && !c->predicted && !(o && o->no_predict) &&
		    cs_node_predict(c) < 0)
			r = -ENOMEM;
	}
	return r < 0 ? cs_diag_set(d, ENOMEM, 0, 0, "", "out of memory") : 0;
}

void cs_node_inventory_free(struct cs_node_inventory *inv)
{
	for (size_t i = 0; inv && i < inv->n; i++)
		cs_node_ctr_free(inv->v[i]);
	if (inv) {
		free(inv->v);
		memset(inv, 0, sizeof(*inv));
	}
}
