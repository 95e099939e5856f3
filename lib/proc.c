/* SPDX-License-Identifier: MIT */
#include "capscope/proc.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/number.h"
#include "capscope/text.h"
#include "internal/open-in-root.h"
#include "internal/util.h"

const char *cs_seccomp_name(int mode)
{
	switch (mode) {
	case 0:
		return "disabled";
	case 1:
		return "strict";
	case 2:
		return "filter";
	default:
		return "unknown";
	}
}

/*
 * How read_opened reads its fd. SHORT_EOF: a procfs seq_file, whose short
 * read is the end. REGULAR: only a regular file. PIPE: a pipe or FIFO
 * opened O_NONBLOCK (lib/read-config.c): a first read of nothing with no
 * writer is -EPIPE; otherwise the fd is made blocking after the first
 * read and read to the end its writer makes.
 */
enum { READ_SHORT_EOF = 1, READ_REGULAR = 2, READ_PIPE = 4 };

static int read_opened(int fd, size_t max, int how, char **out, size_t *outlen)
{
	size_t cap = 4096, n = 0;
	bool first = true;
	struct stat sb;
	char *buf;

	if (fd < 0)
		return -errno;
	if (how & READ_REGULAR) {
		/* sb's mode is read only once fstat has filled it in. */
		int e = fstat(fd, &sb) < 0    ? errno
			: S_ISREG(sb.st_mode) ? 0
			: S_ISDIR(sb.st_mode) ? EISDIR
					      : EINVAL;

		if (e) {
			close(fd);
			return -e;
		}
	}
	buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb;

			if (cap >= max) {
				free(buf);
				close(fd);
				return -EFBIG;
			}
			cap = cap * 2 > max ? max : cap * 2;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if ((how & READ_PIPE) && first) {
			int e = 0;

			first = false;
			if (r == 0)
				e = EPIPE; /* no writer, and nothing written */
			else if (r < 0 && errno != EAGAIN)
				e = errno;
			else if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)
				e = errno; /* a writer: from now on wait for what it writes */
			if (e) {
				free(buf);
				close(fd);
				return -e;
			}
			if (r < 0)
				continue; /* it has not written yet */
		}
		if (r < 0) {
			int e = errno;

			free(buf);
			close(fd);
			return -e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		/*
		 * procfs files are seq_files: one read returns everything that
		 * fits, so a short read is the end and the EOF read can be saved
		 * (a third of ps's syscalls, bench/bench-foundation.sh).
		 */
		if ((how & READ_SHORT_EOF) && n < cap)
			break;
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	if (outlen)
		*outlen = n;
	return 0;
}

static int read_whole(const char *path, size_t max, int how, char **out, size_t *outlen)
{
	/* O_NONBLOCK: a fifo opens at once (to be refused); a regular file ignores it */
	int fd =
	    open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (how & READ_REGULAR ? O_NONBLOCK : 0));

	return read_opened(fd, max, how, out, outlen);
}

int cs_read_regular_file_in_root(int root, const char *path, size_t max, char **out, size_t *outlen)
{
	int fd = cs_open_in_root(root, path, O_RDONLY | O_NOCTTY | O_NONBLOCK,
				 RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);

	if (fd < 0) {
		errno = -fd;
		fd = -1;
	}
	return read_opened(fd, max, READ_REGULAR, out, outlen);
}

int cs_read_regular_fd(int fd, size_t max, char **out, size_t *outlen)
{
	return read_opened(fd, max, READ_REGULAR, out, outlen);
}

int cs_read_pipe_fd(int fd, size_t max, char **out, size_t *outlen)
{
	return read_opened(fd, max, READ_PIPE, out, outlen);
}

int cs_read_file(const char *path, size_t max, char **out, size_t *outlen)
{
	return read_whole(path, max, 0, out, outlen);
}

int cs_read_regular_file(const char *path, size_t max, char **out, size_t *outlen)
{
	return read_whole(path, max, READ_REGULAR, out, outlen);
}

int cs_read_proc_file(const char *path, size_t max, char **out, size_t *outlen)
{
	return read_whole(path, max, READ_SHORT_EOF, out, outlen);
}

int cs_read_proc_file_at(int dirfd, const char *rel, size_t max, char **out, size_t *outlen)
{
	return read_opened(openat(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY), max, READ_SHORT_EOF,
			   out, outlen);
}

/* Field 22 of the stat file rel under dirfd (AT_FDCWD: rel is the path). */
static int start_ticks_at(int dirfd, const char *rel, unsigned long long *ticks)
{
	char *st = NULL;
	const char *p;
	size_t len;
	int rc = -EINVAL;

	if ((rc = cs_read_proc_file_at(dirfd, rel, 4096, &st, &len)) < 0 ||
	    !(p = strrchr(st, ')'))) {
		free(st);
		/* Out of memory (or of descriptors: twenty-sixth pass, part D)
		 * is not a process gone. */
		return cs_short_of(rc) ? rc : -ENOENT;
	}
	rc = -EINVAL;
	/* comm may hold spaces and ')': fields are counted after its last ')',
	 * from the space before field 3 to the one before field 22 */
	for (int field = 3; p && field <= 22; field++)
		p = strchr(p + 1, ' ');
	if (p && sscanf(p + 1, "%llu", ticks) == 1)
		rc = 0;
	free(st);
	return rc;
}

int cs_proc_start_ticks(const char *proc, pid_t pid, unsigned long long *ticks)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%d/stat", proc, (int)pid);
	return start_ticks_at(AT_FDCWD, path, ticks);
}

int cs_proc_start_ticks_at(int pidfd, unsigned long long *ticks)
{
	return start_ticks_at(pidfd, "stat", ticks);
}

/* Unsigned decimal in [s, e); rejects empty, junk and overflow past max. */
static int parse_ulong(const char *s, const char *e, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (s >= e)
		return -EINVAL;
	for (; s < e; s++) {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		unsigned long digit = (unsigned long)(*s - '0');

		if (digit > max || v > (max - digit) / 10)
			return -ERANGE;
		v = v * 10 + digit;
	}
	*out = v;
	return 0;
}

/* "a\tb\tc\td" → four ids. */
static int parse_ids(const char *s, const char *e, unsigned *ids)
{
	for (int i = 0; i < 4; i++) {
		const char *t = s;
		unsigned long v;

		while (t < e && *t != '\t')
			t++;
		if (parse_ulong(s, t, 0xffffffffUL, &v) < 0)
			return -EINVAL;
		ids[i] = (unsigned)v;
		if (i < 3) {
			if (t >= e)
				return -EINVAL;
			s = t + 1;
		} else if (t != e) {
			return -EINVAL;
		}
	}
	return 0;
}

static int parse_groups(const char *s, const char *e, struct cs_proc_status *st)
{
	size_t n = 0, capn = 0;
	gid_t *g = NULL;

	while (s < e) {
		const char *t;
		unsigned long v;

		while (s < e && *s == ' ')
			s++;
		if (s >= e)
			break;
		t = s;
		while (t < e && *t != ' ')
			t++;
		if (parse_ulong(s, t, 0xffffffffUL, &v) < 0) {
			free(g);
			return -EINVAL;
		}
		if (n >= CS_MAX_GROUPS) {
			free(g);
			return -E2BIG;
		}
		if (n == capn) {
			gid_t *ng;

			capn = capn ? capn * 2 : 16;
			ng = realloc(g, capn * sizeof(*g));
			if (!ng) {
				free(g);
				return -ENOMEM;
			}
			g = ng;
		}
		g[n++] = (gid_t)v;
		s = t;
	}
	free(st->groups);
	st->groups = g;
	st->ngroups = n;
	return 0;
}

void cs_proc_status_free(struct cs_proc_status *st)
{
	if (st) {
		free(st->groups);
		st->groups = NULL;
		st->ngroups = 0;
	}
}

static const struct {
	const char *key;
	enum cs_set set;
} cap_keys[] = {{"CapInh", CS_INH},
		{"CapPrm", CS_PRM},
		{"CapEff", CS_EFF},
		{"CapBnd", CS_BND},
		{"CapAmb", CS_AMB}};

/*
 * The key of a status line that is read, by its length and bytes; 0 for the
 * ~50 other lines (VmRSS, Cpus_allowed, ...). A length first and one memcmp:
 * a chain of strcmp on each of a status file's ~57 lines was the parse's cost,
 * paid for every process and every thread `ps` reads (twenty-second pass).
 */
enum status_key {
	K_OTHER,
	K_NAME,
	K_UID,
	K_GID,
	K_GROUPS,
	K_PID,
	K_TGID,
	K_PPID,
	K_NNP,
	K_SECCOMP,
	K_KTHREAD,
	K_THREADS,
	K_FILTERS,
	K_CAP, /* + the index in cap_keys */
};

static int status_key(const char *k, size_t n)
{
#define IS(lit) (n == sizeof(lit) - 1 && memcmp(k, lit, sizeof(lit) - 1) == 0)
	switch (n) {
	case 3:
		return IS("Uid") ? K_UID : IS("Gid") ? K_GID : IS("Pid") ? K_PID : K_OTHER;
	case 4:
		return IS("Name") ? K_NAME : IS("Tgid") ? K_TGID : IS("PPid") ? K_PPID : K_OTHER;
	case 6:
		if (IS("Groups"))
			return K_GROUPS;
		for (size_t i = 0; i < sizeof(cap_keys) / sizeof(cap_keys[0]); i++)
			if (memcmp(k, cap_keys[i].key, 6) == 0)
				return K_CAP + (int)i;
		return K_OTHER;
	case 7:
		return IS("Seccomp")   ? K_SECCOMP
		       : IS("Kthread") ? K_KTHREAD
		       : IS("Threads") ? K_THREADS
				       : K_OTHER;
	case 10:
		return IS("NoNewPrivs") ? K_NNP : K_OTHER;
	case 15:
		return IS("Seccomp_filters") ? K_FILTERS : K_OTHER;
	default:
		return K_OTHER;
	}
#undef IS
}

int cs_proc_status_parse(const char *buf, size_t len, struct cs_proc_status *st, struct cs_diag *d)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 0;

	memset(st, 0, sizeof(*st));
	st->no_new_privs = -1;
	st->seccomp = -1;
	st->seccomp_filters = -1;
	st->kthread = -1;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *tab, *v;
		size_t klen;
		unsigned long num = 0;
		int rc = 0, k;

		line++;
		/* Key is [A-Za-z_0-9]+ followed by ":\t". */
		tab = p;
		while (tab < le && (isalnum((unsigned char)*tab) || *tab == '_'))
			tab++;
		if (tab + 1 >= le || tab[0] != ':' || tab[1] != '\t' || tab == p) {
			p = le + 1;
			continue;
		}
		klen = (size_t)(tab - p);
		v = tab + 2;

		switch ((k = status_key(p, klen))) {
		case K_OTHER:
			break;
		case K_NAME: {
			size_t n = (size_t)(le - v);

			if (n >= sizeof(st->name))
				n = sizeof(st->name) - 1;
			memcpy(st->name, v, n);
			st->name[n] = '\0';
			st->have |= CS_HAVE_NAME;
			break;
		}
		case K_UID:
		case K_GID:
			rc = parse_ids(v, le,
				       k == K_UID ? (unsigned *)st->uid : (unsigned *)st->gid);
			st->have |= k == K_UID ? CS_HAVE_UID : CS_HAVE_GID;
			break;
		case K_GROUPS:
			rc = parse_groups(v, le, st);
			st->have |= CS_HAVE_GROUPS;
			break;
		case K_PID:
		case K_TGID:
		case K_PPID:
			rc = parse_ulong(v, le, 0x7fffffffUL, &num);
			if (k == K_TGID)
				st->tgid = (pid_t)num;
			else if (k == K_PPID)
				st->ppid = (pid_t)num;
			else
				st->pid = (pid_t)num;
			st->have |= CS_HAVE_PIDS;
			break;
		case K_NNP:
			rc = parse_ulong(v, le, 1, &num);
			st->no_new_privs = (int)num;
			st->have |= CS_HAVE_NNP;
			break;
		case K_SECCOMP:
			rc = parse_ulong(v, le, 2, &num);
			st->seccomp = (int)num;
			st->have |= CS_HAVE_SECCOMP;
			break;
		case K_KTHREAD:
			rc = parse_ulong(v, le, 1, &num);
			st->kthread = (int)num;
			break;
		case K_THREADS:
			rc = parse_ulong(v, le, 0x7fffffffUL, &num);
			st->threads = (int)num;
			break;
		case K_FILTERS:
			rc = parse_ulong(v, le, 0x7fffffffUL, &num);
			st->seccomp_filters = (int)num;
			break;
		default: {
			enum cs_set set = cap_keys[k - K_CAP].set;
			cs_mask_t m;

			if (st->caps.present & (1u << set)) {
				rc = -EPROTO; /* a second line for one set is never the kernel's */
				break;
			}
			rc = cs_mask_parse_hex(v, (size_t)(le - v), &m, NULL);
			if (rc == 0) {
				st->caps.set[set] = m;
				st->caps.present |= 1u << set;
			}
			break;
		}
		}
		if (rc < 0) {
			char key[32]; /* every key read is shorter */

			memcpy(key, p, klen);
			key[klen] = '\0';
			cs_proc_status_free(st);
			/* Out of memory (a long Groups line) is no malformed file: a
			 * process whose status was "malformed" was left out of a listing. */
			if (rc == -ENOMEM)
				return cs_diag_set(d, ENOMEM, line, 0, key, "out of memory");
			return cs_diag_set(d, rc == -ERANGE ? ERANGE : EPROTO, line, 0, key,
					   "malformed value");
		}
		p = le + 1;
	}
	for (size_t i = 0; i < sizeof(cap_keys) / sizeof(cap_keys[0]); i++) {
		if (!(st->caps.present & (1u << cap_keys[i].set))) {
			cs_proc_status_free(st);
			return cs_diag_set(d, EPROTO, 0, 0, cap_keys[i].key, "line missing");
		}
	}
	st->have |= CS_HAVE_CAPS;
	return 0;
}

/* The status file rel under dirfd (AT_FDCWD: rel is the path), named path in d. */
static int status_read(int dirfd, const char *rel, const char *path, struct cs_proc_status *st,
		       struct cs_diag *d)
{
	char *buf;
	size_t n;
	int rc;

	if (d)
		cs_diag_put_file(d, "%s", path);
	rc = cs_read_proc_file_at(dirfd, rel, 1 << 20, &buf, &n);
	if (rc < 0) {
		memset(st, 0, sizeof(*st));
		/* A pid that exits between open and read gives ESRCH; report both as gone. */
		return cs_diag_set(d, rc == -ESRCH ? ENOENT : -rc, 0, 0, NULL, "%s", strerror(-rc));
	}
	rc = cs_proc_status_parse(buf, n, st, d);
	free(buf);
	return rc;
}

int cs_proc_status_read(pid_t pid, pid_t tid, struct cs_proc_status *st, struct cs_diag *d)
{
	char path[96];

	if (tid > 0)
		snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid, (int)tid);
	else
		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	return status_read(AT_FDCWD, path, path, st, d);
}

int cs_proc_status_read_at(int pidfd, pid_t pid, pid_t tid, struct cs_proc_status *st,
			   struct cs_diag *d)
{
	char path[96], rel[48];

	if (tid > 0) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid, (int)tid);
		snprintf(rel, sizeof(rel), "task/%d/status", (int)tid);
	} else {
		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
		snprintf(rel, sizeof(rel), "status");
	}
	return status_read(pidfd, rel, path, st, d);
}

pid_t cs_proc_self_pid(void)
{
	char buf[24];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);
	uint32_t pid;

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	/* "self" of a /proc that does not show this process is no number. */
	if (cs_parse_u32(buf, INT32_MAX, &pid) < 0 || pid == 0)
		return -ENOENT;
	return (pid_t)pid;
}

/* The inode number of the initial user namespace (include/linux/proc_ns.h). */
#define PROC_USER_INIT_INO 0xEFFFFFFDU

int cs_proc_in_child_userns(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return cs_proc_in_child_userns_at(AT_FDCWD, path);
}

int cs_proc_in_child_userns_at(int dirfd, const char *dir)
{
	char path[80];
	struct stat sb;

	snprintf(path, sizeof(path), "%s%sns/user", dir, *dir ? "/" : "");
	if (fstatat(dirfd, path, &sb, 0) < 0)
		return -errno;
	return sb.st_ino != PROC_USER_INIT_INO;
}

/* The inode number of the initial pid namespace (include/linux/proc_ns.h). */
#define PROC_PID_INIT_INO 0xEFFFFFFCU

int cs_proc_in_child_pidns(void)
{
	struct stat sb;

	if (stat("/proc/self/ns/pid", &sb) < 0)
		return -errno;
	return sb.st_ino != PROC_PID_INIT_INO;
}
