/* SPDX-License-Identifier: MIT */
/*
 * Every process (or the named ones) with its five sets, ids, groups,
 * no_new_privs, seccomp, user namespace, container and the threads that
 * differ from their leader: `capscope ps` renders it, the node agent exports it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "capscope/ids.h"
#include "capscope/number.h"
#include "capscope/proc.h"
#include "internal/proc-seam.h"
#include "internal/cleanup.h"
#include "internal/proc-snapshot.h"
#include "internal/secbits.h"
#include "internal/util.h"

/*
 * getpwuid reads the passwd database on every call (a scan of /etc/passwd,
 * or a query to sssd or LDAP), so the snapshot looks each uid up once: a
 * table of every uid seen, at most one entry a process or thread read.
 * It kept the last 16 before (session 12): 2,000 processes of 100 uids (a
 * node of 100 OpenShift namespaces, each its own uid) missed it on nearly
 * every process, and with a 20,000-line passwd `capscope ps` took 46 s
 * where procps's ps, which keeps every name, took 0.9 s.
 */
struct user_entry {
	uid_t uid;
	char *name; /* NULL: a free slot */
};

struct user_cache {
	const struct cs_ids *ids;
	struct user_entry *e; /* open addressing; at most half full */
	size_t cap, used;
};

static void user_cache_free(struct user_cache *c)
{
	for (size_t i = 0; i < c->cap; i++)
		free(c->e[i].name);
	free(c->e);
}

size_t cs_proc_user_probes;

/*
 * The uid's slot. Thirteenth pass: the hash was the low bits of
 * uid * 2654435761, which depend only on the uid's low bits, so uids that
 * differ above them shared one run of slots: the roots of pods in user
 * namespaces (each range at a multiple of 65536) made every lookup walk
 * all of them, quadratic in such uids. Mixed (splitmix64's finaliser), the
 * mask takes every bit's part.
 */
static struct user_entry *user_slot(struct user_entry *e, size_t cap, uid_t uid)
{
	uint64_t h = (uint64_t)uid * 0x9e3779b97f4a7c15ULL;
	size_t i;

	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 31;
	for (i = (size_t)h & (cap - 1); cs_proc_user_probes++, e[i].name && e[i].uid != uid;
	     i = (i + 1) & (cap - 1))
		;
	return &e[i];
}

/* Room for one more entry, the table at most half full. */
static int user_cache_room(struct user_cache *c)
{
	size_t cap = c->cap ? 2 * c->cap : 64;
	struct user_entry *e;

	if (2 * (c->used + 1) <= c->cap)
		return 0;
	if (!(e = calloc(cap, sizeof(*e))))
		return -ENOMEM;
	for (size_t i = 0; i < c->cap; i++)
		if (c->e[i].name)
			*user_slot(e, cap, c->e[i].uid) = c->e[i];
	free(c->e);
	c->e = e;
	c->cap = cap;
	return 0;
}

/*
 * getpwuid_r into a buffer grown while it says ERANGE, up to PW_BUF_MAX: a
 * passwd line longer than the 1 KiB it had (a long GECOS or home, an LDAP
 * user's) gave ERANGE, and the user was shown as its number (twenty-
 * seventh pass, part G, found, not fixed). glibc's getpwuid grows its own
 * buffer the same way. 0 (*res NULL: no such user), or the errno.
 */
#define PW_BUF_MAX (1u << 20)

static int pw_by_uid(uid_t uid, struct passwd *pw, char **buf, struct passwd **res)
{
	for (size_t len = 1024;; len *= 2) {
		char *b = realloc(*buf, len);
		int err;

		if (!b)
			return ENOMEM;
		*buf = b;
		*res = NULL;
		err = getpwuid_r(uid, pw, b, len, res);
		if (err != ERANGE || len >= PW_BUF_MAX)
			return err;
	}
}

/*
 * The name of uid's user into *out (its number when the user database has
 * none): 0, or -errno. A database that could not be read for want of
 * descriptors or memory (cs_short_of: fopen of /etc/passwd under EMFILE, NSS's
 * own) is the process's error, not cached: its number in place of the name
 * read as a user without one, exit 0 (twenty-seventh pass, part G).
 */
static int user_name(struct user_cache *c, uid_t uid, char **out)
{
	struct passwd pw, *res = NULL;
	cs_cleanup_free char *buf = NULL;
	char num[16];
	const char *name = num;
	struct user_entry *slot;
	int err;

	*out = NULL;
	if (c->cap && (slot = user_slot(c->e, c->cap, uid))->name)
		return (*out = strdup(slot->name)) ? 0 : -ENOMEM;
	if (user_cache_room(c) < 0)
		return -ENOMEM;
	snprintf(num, sizeof(num), "%u", (unsigned)uid);
	if (c->ids) {
		errno = 0; /* cs_ids: errno 0 when there is no such user */
		res = c->ids->pw_uid(uid);
		err = res ? 0 : errno;
	} else if ((err = pw_by_uid(uid, &pw, &buf, &res)) != 0) {
		res = NULL;
	}
	if (!res && cs_short_of(-err))
		return -err;
	if (res && res->pw_name)
		name = res->pw_name;
	slot = user_slot(c->e, c->cap, uid);
	if (!(slot->name = strdup(name)))
		return -ENOMEM;
	slot->uid = uid;
	c->used++;
	return (*out = strdup(slot->name)) ? 0 : -ENOMEM;
}

void cs_proc_comm_raw(const char *name, char *out, size_t outlen)
{
	size_t o = 0;

	if (!outlen)
		return;
	for (const char *p = name; *p && o + 1 < outlen; p++) {
		if (p[0] == '\\' && (p[1] == 'n' || p[1] == '\\')) {
			out[o++] = p[1] == 'n' ? '\n' : '\\';
			p++;
		} else {
			out[o++] = *p;
		}
	}
	out[o] = '\0';
}

#define CMDLINE_MAX (64 * 1024)

/*
 * A read that failed for want of memory or descriptors (cs_short_of) says
 * nothing of the process: taken for "gone" or "unreadable" it showed a
 * process without its command line, user namespace, container, securebits
 * or differing threads, exit 0 (twenty-seventh pass). Such a failure is
 * the process's error; any other (ENOENT, ESRCH: it exited) leaves the
 * field empty as before.
 */

/*
 * argv joined with spaces into *out, NULL when empty or unreadable; 0, or
 * a cs_short_of error (twentieth pass: out of memory was a process without a
 * command line, shown as its "[comm]", exit 0). A longer one is cut at CMDLINE_MAX
 * and ends in U+2026: dropped whole, a process could hide its command
 * behind the "[comm]" of a process without one by making its arguments long.
 */
static int read_cmdline(int pidfd, char **out)
{
	char more;
	cs_cleanup_close int fd = -1;
	cs_cleanup_free char *buf = NULL;
	size_t n = 0, cap = 4096;
	bool cut = false;

	*out = NULL;
	if ((fd = openat(pidfd, "cmdline", O_RDONLY | O_CLOEXEC)) < 0)
		return cs_short_of(-errno) ? -errno : 0;
	/*
	 * A page first, grown to CMDLINE_MAX: malloc's 64 KiB at once wrote
	 * its next chunk's header a page further, one page more for each `ps`
	 * to fault in (twenty-second pass, bench-foundation.sh's start-up).
	 */
	if (!(buf = malloc(cap + 4)))
		return -ENOMEM;
	while (n < CMDLINE_MAX) {
		ssize_t r;

		if (n == cap) {
			char *nb;

			cap = cap * 2 > CMDLINE_MAX ? CMDLINE_MAX : cap * 2;
			if (!(nb = realloc(buf, cap + 4)))
				return -ENOMEM;
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) /* the kernel's ENOMEM copying the arguments too */
			return cs_short_of(-errno) ? -errno : 0;
		if (r == 0)
			break;
		n += (size_t)r;
		/* The kernel copies what is asked up to the end of the arguments
		 * (get_mm_cmdline): a short read is the end, and the read that
		 * would return 0 is saved (one system call a process). */
		if (n < cap)
			break;
	}
	cut = n == CMDLINE_MAX && read(fd, &more, 1) == 1;
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	for (size_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	if (n == 0)
		return 0;
	if (cut) /* the escaping rule shows a cut UTF-8 sequence's bytes as \xNN */
		memcpy(buf + n, "\xe2\x80\xa6", 3), n += 3;
	buf[n] = '\0';
	/* Kept as long as it is, not in the 64 KiB read buffer: a listing
	 * holds every process's (session 12: 2,000 processes took 37 MB). */
	return (*out = strdup(buf)) ? 0 : -ENOMEM;
}

static bool thread_differs(const struct cs_proc_status *a, const struct cs_proc_status *b)
{
	return !cs_quintet_equal(&a->caps, &b->caps) || memcmp(a->uid, b->uid, sizeof(a->uid)) ||
	       memcmp(a->gid, b->gid, sizeof(a->gid)) || a->no_new_privs != b->no_new_privs ||
	       a->seccomp != b->seccomp;
}

/*
 * Keep thread tid's status when it differs from its leader's, with the name
 * of its own effective uid: a thread may run as another user than its
 * leader (setresuid(2) called as a raw system call changes one thread), and
 * a row showing the leader's user would say something untrue of it.
 */
static int add_thread(int taskfd, pid_t tid, struct cs_proc_info *v, struct user_cache *users)
{
	struct cs_proc_status t, *nt;
	char **nu, *user, rel[24], *buf;
	size_t n;
	int rc;

	/* "TID/status" under the task directory already open: one name fewer
	 * for the kernel to look up than "task/TID/status" under /proc/PID. */
	snprintf(rel, sizeof(rel), "%d/status", (int)tid);
	if ((rc = cs_read_proc_file_at(taskfd, rel, 1 << 20, &buf, &n)) < 0)
		return cs_short_of(rc) ? rc : 0; /* else the thread exited meanwhile */
	rc = cs_proc_status_parse(buf, n, &t, NULL);
	free(buf);
	if (rc < 0)
		return rc == -ENOMEM ? rc : 0;
	if (!thread_differs(&v->st, &t)) {
		cs_proc_status_free(&t);
		return 0;
	}
	if ((rc = user_name(users, t.uid[1], &user)) < 0) {
		cs_proc_status_free(&t);
		return rc;
	}
	nt = realloc(v->threads, (v->nthreads + 1) * sizeof(*nt));
	if (nt)
		v->threads = nt;
	nu = nt && user ? realloc(v->thread_users, (v->nthreads + 1) * sizeof(*nu)) : NULL;
	if (!nu) {
		free(user);
		cs_proc_status_free(&t);
		return -ENOMEM;
	}
	v->thread_users = nu;
	v->thread_users[v->nthreads] = user;
	v->threads[v->nthreads++] = t;
	return 0;
}

/*
 * The threads of a process, listed with getdents64 into a buffer on the
 * stack: opendir's 32 KiB buffer would push what follows onto fresh heap
 * pages, and on a VM a page touched the first time costs more than reading
 * a thread's status (docs/foundation.md, start-up).
 */
static int collect_threads(int pidfd, pid_t pid, struct cs_proc_info *v, struct user_cache *users)
{
	char buf[2048] __attribute__((aligned(8)));
	cs_cleanup_close int fd = -1;
	ssize_t n;
	int rc;

	fd = openat(pidfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) /* gone: the leader's data still stands */
		return cs_short_of(-errno) ? -errno : 0;
	while ((n = getdents64(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n;) {
			const struct dirent64 *de = (const struct dirent64 *)(buf + off);
			uint32_t tid;

			off += de->d_reclen;
			if (cs_parse_u32(de->d_name, INT32_MAX, &tid) < 0 || tid == 0 ||
			    (pid_t)tid == pid)
				continue;
			if ((rc = add_thread(fd, (pid_t)tid, v, users)) < 0)
				return rc;
		}
	}
	return n < 0 && cs_short_of(-errno) ? -errno : 0;
}

static void info_free(struct cs_proc_info *v)
{
	cs_proc_status_free(&v->st);
	free(v->user);
	free(v->cmdline);
	for (size_t i = 0; i < v->nthreads; i++) {
		cs_proc_status_free(&v->threads[i]);
		free(v->thread_users[i]);
	}
	free(v->threads);
	free(v->thread_users);
	memset(v, 0, sizeof(*v));
}

struct snap_ctx {
	pid_t self;
	bool skip_cmdline, skip_container;
	struct user_cache users;
	const struct cs_secbits_table *secbits; /* NULL when not read */
};

void (*cs_proc_seam_after_status)(pid_t pid);
const char *cs_proc_seam_secbits_text;

/*
 * Every file of one process is read under its /proc/PID directory, opened
 * once: a file under it is of the process it was opened for or none. Read
 * by path one after the other, a pid reused between two reads mixed two
 * processes in one row (the credentials of one, the command line, user
 * namespace and container of the other).
 */
static int load(struct snap_ctx *c, pid_t pid, struct cs_proc_info *v, struct cs_diag *d)
{
	char path[64], *cg = NULL;
	cs_cleanup_close int pidfd = -1;
	size_t n;
	int rc;

	memset(v, 0, sizeof(*v));
	v->securebits = -1;
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (d)
		cs_diag_put_file(d, "%s/status", path);
	if ((pidfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return cs_diag_set(d, errno, 0, 0, NULL, "%s", strerror(errno));
	rc = cs_proc_status_read_at(pidfd, pid, 0, &v->st, d);
	if (rc < 0)
		return rc;
	if (cs_proc_seam_after_status)
		cs_proc_seam_after_status(pid);
	if ((rc = user_name(&c->users, v->st.uid[1], &v->user)) < 0) {
		info_free(v);
		return rc;
	}
	if (v->st.kthread == 1) {
		/* Kernel threads have no command line, no container and always
		 * the initial user namespace: most of a host's pids, read for nothing. */
		v->userns = 0;
	} else {
		if (!c->skip_cmdline && (rc = read_cmdline(pidfd, &v->cmdline)) < 0) {
			info_free(v);
			return rc;
		}
		/* The kernel's ENOMEM here was "userns unknown", exit 0. */
		if ((v->userns = cs_proc_in_child_userns_at(pidfd, "")) < 0 &&
		    cs_short_of(v->userns)) {
			rc = v->userns;
			info_free(v);
			return rc;
		}
		if (v->userns < 0)
			v->userns = -1;
		/* Out of memory (or descriptors) was a process in no container, exit 0. */
		rc = c->skip_container ? -ENOENT
				       : cs_read_proc_file_at(pidfd, "cgroup", 1 << 20, &cg, &n);
		if (cs_short_of(rc)) {
			info_free(v);
			return rc;
		}
		if (rc == 0) {
			v->has_container = cs_cgroup_parse(cg, n, &v->container) > 0;
			free(cg);
		}
	}
	if (pid == c->self) {
		int sb = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);

		v->securebits = sb >= 0 ? sb : -1;
	} else if (c->secbits) {
		/* Under the number the iterator saw, this process or unknown:
		 * the iterator ran before the listing, and a process given the
		 * number of one that ended since was shown with its securebits. */
		unsigned long long start;

		if ((rc = cs_proc_start_ticks_at(pidfd, &start)) == 0)
			v->securebits = cs_secbits_table_lookup(c->secbits, pid, start);
		else if (cs_short_of(rc)) { /* was securebits unknown, exit 0 */
			info_free(v);
			return rc;
		}
	}
	/* A single-threaded process has no other thread to compare. */
	rc = v->st.threads == 1 ? 0 : collect_threads(pidfd, pid, v, &c->users);
	if (rc < 0) { /* a cs_short_of error: it was freed and still counted, a row of pid 0 */
		info_free(v);
		return rc;
	}
	/* A process that exits after its status was read is still shown: what
	 * it had is what was read; a later file that vanished leaves its field empty. */
	return rc;
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
	if (cnt) /* p is NULL for a /proc of no process (qsort's array is nonnull) */
		qsort(p, cnt, sizeof(*p), compare_pid);
	*out = p;
	*n = cnt;
	return 0;
}

static int add_missing(struct cs_proc_snapshot *s, pid_t pid, int err)
{
	struct cs_proc_missing *m = realloc(s->missing, (s->nmissing + 1) * sizeof(*m));

	if (!m)
		return -ENOMEM;
	s->missing = m;
	s->missing[s->nmissing++] = (struct cs_proc_missing){pid, err};
	return 0;
}

/* Every thread's securebits, or the reason they are unknown in s; 0 or a
 * cs_short_of error with its words in d (out of memory was "securebits
 * unknown", exit 0; a descriptor short, the iterator's or
 * timens_offsets', still was, twenty-seventh pass). Unknown stays for what
 * lasts: no BPF, no privilege, a pid namespace. */
static int load_secbits(struct cs_proc_snapshot *s, struct cs_secbits_table *t, bool *have,
			struct cs_diag *err)
{
	struct cs_diag d = {0};
	int r;

	/* The iterator prints the kernel's (initial namespace's) thread ids, and
	 * /proc here shows this namespace's: twelfth pass, a thread was shown
	 * with the securebits of the task whose host id equals its id here. */
	/* An error too: /proc that does not show this process is not the host's. */
	if (cs_proc_in_child_pidns() != 0) {
		*have = false;
		s->securebits_why = strdup("this capscope runs in a pid namespace other than the "
					   "host's, and the BPF task iterator names threads by the "
					   "host's ids");
		return s->securebits_why ? 0 : -ENOMEM;
	}
	if (cs_proc_seam_secbits_text) {
		long long off;

		if (cs_short_of(r = cs_secbits_boottime_offset(&off)))
			return cs_diag_set(err, -r, 0, 0, "", "securebits: %s", strerror(-r));
		*have = r == 0 && cs_secbits_table_parse(cs_proc_seam_secbits_text,
							 strlen(cs_proc_seam_secbits_text),
							 sysconf(_SC_CLK_TCK), off, t) == 0;
		return 0;
	}
	*have = (r = cs_secbits_table_load(t, &d)) == 0;
	if (cs_short_of(r))
		return cs_diag_set(err, -r, 0, 0, "", "securebits: %s",
				   r == -ENOMEM || !d.message[0] ? strerror(-r) : d.message);
	if (!*have && !(s->securebits_why = strdup(d.message)))
		return cs_diag_set(err, ENOMEM, 0, 0, "", "out of memory");
	return 0;
}

int cs_proc_snapshot(const struct cs_proc_snapshot_opts *o, struct cs_proc_snapshot *s,
		     struct cs_diag *d)
{
	/* Only a view that shows securebits needs to know which pid is its own
	 * (a readlink of /proc/self on every `ps`). */
	struct snap_ctx c = {.self = o->skip_securebits ? 0 : cs_proc_self_pid(),
			     .skip_cmdline = o->skip_cmdline,
			     .skip_container = o->skip_container,
			     .users.ids = o->ids};
	struct cs_secbits_table sb = {0};
	cs_cleanup_free pid_t *all = NULL;
	const pid_t *pids = o->pids;
	size_t npids = o->npids;
	bool have_sb = false;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	if (!pids) {
		rc = list_all_pids(&all, &npids);
		if (rc < 0)
			return cs_diag_set(d, -rc, 0, 0, "", "cannot list /proc: %s",
					   strerror(-rc));
		pids = all;
	}
	s->procs = calloc(npids ? npids : 1, sizeof(*s->procs));
	if (!s->procs)
		return cs_diag_set(d, ENOMEM, 0, 0, "", "out of memory");
	if (o->securebits && (rc = load_secbits(s, &sb, &have_sb, d)) < 0)
		return rc;
	c.secbits = have_sb ? &sb : NULL;
	for (size_t i = 0; i < npids && rc == 0; i++) {
		struct cs_diag pd = {0};
		int r = load(&c, pids[i], &s->procs[s->n], &pd);

		if (r == 0)
			s->n++;
		else if (r == -ENOMEM)
			rc = cs_diag_set(d, ENOMEM, 0, 0, "", "out of memory");
		else if (o->pids)
			rc = add_missing(s, pids[i], r);
		else if (cs_short_of(r)) /* left out as gone, exit 0 (twenty-seventh pass) */
			rc = cs_diag_set(d, -r, 0, 0, "", "process %d: %s", (int)pids[i],
					 strerror(-r));
	}
	user_cache_free(&c.users);
	cs_secbits_table_free(&sb);
	return rc;
}

void cs_proc_snapshot_free(struct cs_proc_snapshot *s)
{
	for (size_t i = 0; i < s->n; i++)
		info_free(&s->procs[i]);
	free(s->procs);
	free(s->missing);
	free(s->securebits_why);
	memset(s, 0, sizeof(*s));
}
