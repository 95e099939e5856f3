/* SPDX-License-Identifier: MIT */
/*
 * The tree walker. Cost per regular file is what the speed target allows:
 * the dirent type skips everything that is not a regular file or a
 * directory, then one statx and one getxattrat by name. Only a file that
 * turns out privileged is re-read through an O_PATH descriptor (statx and
 * the xattr both from that one pinned inode), so what is reported never mixes
 * the mode of one object with the capabilities of another, whatever renames
 * happen meanwhile. Directories are opened with openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS) from the root, so a directory swapped for a symlink
 * mid-walk is refused instead of followed. Two threads share a LIFO of
 * directories (the machine has two cores; the work is syscall-bound).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "capscope/scan.h"

#ifndef SYS_getxattrat
#define SYS_getxattrat 464 /* Linux 6.13, same number on every architecture */
#endif
#ifndef ST_NOSUID
#define ST_NOSUID 2
#endif

struct cs_xattr_args {
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};

struct item {
	char *rel; /* relative to the root, "" for the root itself */
	struct item *next;
};

struct walk {
	int rootfd;
	char *root; /* as shown in paths, without a trailing slash unless "/" */
	dev_t rootdev;
	const struct cs_scan_opts *o;
	struct cs_scan_result *r;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct item *stack;
	unsigned nthreads, idle;
	bool done;
	atomic_int fatal;
	atomic_uint_fast64_t files, dirs;
};

static atomic_int have_getxattrat = 1;
/* Per thread: the last mount seen and whether it is nosuid. */
static _Thread_local uint64_t tl_mnt;
static _Thread_local bool tl_nosuid;

static ssize_t xattr_at(int dirfd, const char *name, void *buf, size_t len)
{
	if (atomic_load_explicit(&have_getxattrat, memory_order_relaxed)) {
		struct cs_xattr_args a = {.value = (uintptr_t)buf, .size = (uint32_t)len};
		long n = syscall(SYS_getxattrat, dirfd, name, AT_SYMLINK_NOFOLLOW, CS_XATTR_CAPS,
				 &a, sizeof(a));

		if (n >= 0 || errno != ENOSYS)
			return n;
		atomic_store(&have_getxattrat, 0);
	}
	/* Older kernels: the directory's magic link, then the name, not following it. */
	char p[64 + 256];

	snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", dirfd, name);
	return lgetxattr(p, CS_XATTR_CAPS, buf, len);
}

static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	bool slash = la && a[la - 1] != '/';
	char *s = malloc(la + slash + lb + 1);

	if (!s)
		return NULL;
	memcpy(s, a, la);
	if (slash)
		s[la] = '/';
	memcpy(s + la + slash, b, lb + 1);
	return s;
}

static char *show_path(struct walk *w, const char *rel, const char *name)
{
	char *t, *s;

	if (!*rel)
		return name ? join(w->root, name) : strdup(w->root);
	t = join(w->root, rel);
	if (!t || !name)
		return t;
	s = join(t, name);
	free(t);
	return s;
}

static void note_error(struct walk *w, const char *rel, const char *name, int err,
		       const char *what)
{
	char *p = show_path(w, rel, name);

	pthread_mutex_lock(&w->mu);
	if (!p || cs_scan_add_error(w->r, p ? p : "?", err, "%s: %s", what, strerror(err)) < 0)
		w->fatal = -ENOMEM;
	pthread_mutex_unlock(&w->mu);
	free(p);
}

#define STX_WANT (STATX_TYPE | STATX_MODE | STATX_UID | STATX_GID | STATX_INO | STATX_MNT_ID)

/* Re-read a privileged file through one pinned inode: statx and xattr agree. */
static int verify(int dirfd, const char *name, struct statx *sx, unsigned char *xv, ssize_t *xn,
		  bool *nosuid, uint64_t dir_mnt)
{
	int fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	char p[64];

	if (fd < 0)
		return -errno;
	if (statx(fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STX_WANT, sx) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	if (!S_ISREG(sx->stx_mode)) {
		close(fd);
		return -ENOENT; /* replaced by something else: nothing to report */
	}
	/* getxattr refuses O_PATH descriptors; the magic link resolves to this very inode. */
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	*xn = getxattr(p, CS_XATTR_CAPS, xv, 64);
	if (*xn < 0 && errno == ENOENT) {
		/* No /proc: open the inode for reading instead and check it is the same one. */
		int rfd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
						 O_CLOEXEC);
		struct statx s2;

		if (rfd < 0 || statx(rfd, "", AT_EMPTY_PATH, STATX_INO, &s2) < 0 ||
		    s2.stx_ino != sx->stx_ino) {
			int e = rfd < 0 ? errno : ENOENT;

			if (rfd >= 0)
				close(rfd);
			close(fd);
			return -e;
		}
		*xn = fgetxattr(rfd, CS_XATTR_CAPS, xv, 64);
		if (*xn < 0)
			*xn = -errno;
		close(rfd);
	} else if (*xn < 0) {
		*xn = -errno;
	}
	/* A file bind-mounted over a file lives on its own mount. */
	if ((sx->stx_mask & STATX_MNT_ID) && sx->stx_mnt_id != dir_mnt) {
		struct statfs sf;

		if (fstatfs(fd, &sf) == 0)
			*nosuid = sf.f_flags & ST_NOSUID;
	}
	close(fd);
	return 0;
}

static void check_file(struct walk *w, int dirfd, const char *rel, const char *name, bool nosuid,
		       uint64_t dir_mnt)
{
	struct statx sx;
	unsigned char xv[64];
	ssize_t xn;
	int rc;

	if (statx(dirfd, name, AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC, STX_WANT, &sx) < 0) {
		int e = errno;

		note_error(w, rel, name, e, e == ENOENT ? "vanished during the scan" : "statx");
		return;
	}
	if (!S_ISREG(sx.stx_mode))
		return;
	xn = xattr_at(dirfd, name, xv, sizeof(xv));
	if (xn < 0 && errno != ENODATA && errno != ENOTSUP && errno != ERANGE) {
		int e = errno;

		if (e == ENOENT)
			note_error(w, rel, name, e, "vanished during the scan");
		else
			note_error(w, rel, name, e, "reading security.capability");
		return;
	}
	if (!(sx.stx_mode & (S_ISUID | S_ISGID)) && xn < 0 && errno != ERANGE)
		return;

	rc = verify(dirfd, name, &sx, xv, &xn, &nosuid, dir_mnt);
	if (rc == -ENOENT) {
		note_error(w, rel, name, ENOENT, "vanished during the scan");
		return;
	}
	if (rc < 0) {
		note_error(w, rel, name, -rc, "re-reading a privileged file");
		return;
	}
	if (!(sx.stx_mode & (S_ISUID | S_ISGID)) && xn < 0 && xn != -ERANGE)
		return;

	struct cs_finding f = {
		.uid = sx.stx_uid,
		.gid = sx.stx_gid,
		.mode = sx.stx_mode,
		.inert = nosuid,
		.layer = -1,
	};
	if (xn >= 0 || xn == -ERANGE) {
		struct cs_diag d;

		f.has_fcaps = true;
		if (xn < 0 || cs_fcaps_decode(xv, (size_t)xn, &f.fcaps, &d) < 0)
			f.fcaps_invalid = true;
	}
	cs_risk_assess(&f);
	f.path = show_path(w, rel, name);
	pthread_mutex_lock(&w->mu);
	if (!f.path || cs_scan_add_finding(w->r, &f) < 0)
		w->fatal = -ENOMEM;
	pthread_mutex_unlock(&w->mu);
	free(f.path);
}

static int open_dir(struct walk *w, const char *rel)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	int base = w->rootfd;
	char chunk[4000];

	if (!*rel)
		return fcntl(w->rootfd, F_DUPFD_CLOEXEC, 3);
	/*
	 * Deeper than PATH_MAX (find handles that, so must we): resolve the path
	 * in pieces shorter than PATH_MAX, each beneath the previous directory.
	 * Components come from getdents, so none is "..".
	 */
	while (strlen(rel) >= sizeof(chunk)) {
		const char *cut = rel + sizeof(chunk) - 1;
		long nfd;

		while (cut > rel && *cut != '/')
			cut--;
		if (cut == rel) {
			errno = ENAMETOOLONG;
			fd = -1;
			goto out;
		}
		memcpy(chunk, rel, (size_t)(cut - rel));
		chunk[cut - rel] = 0;
		nfd = syscall(SYS_openat2, base, chunk, &how, sizeof(how));
		if (base != w->rootfd)
			close(base);
		if (nfd < 0)
			return -1;
		base = (int)nfd;
		rel = cut + 1;
	}
	fd = syscall(SYS_openat2, base, rel, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		fd = openat(base, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
out:
	if (base != w->rootfd) {
		int e = errno;

		close(base);
		errno = e;
	}
	return (int)fd;
}

static void push_items(struct walk *w, struct item *head, struct item *tail)
{
	if (!head)
		return;
	pthread_mutex_lock(&w->mu);
	tail->next = w->stack;
	w->stack = head;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void walk_dir(struct walk *w, const char *rel)
{
	int fd = open_dir(w, rel);
	struct statfs sf;
	struct statx mx;
	bool nosuid = false;
	uint64_t mnt = 0, nfiles = 0;
	char buf[32768];
	struct item *head = NULL, *tail = NULL;

	if (fd < 0) {
		int e = errno;

		note_error(w, rel, NULL, e,
			   e == ENOENT	 ? "directory vanished during the scan"
			   : e == ELOOP || e == EXDEV ? "directory replaced by a symlink during the scan"
						      : "cannot open directory");
		return;
	}
	if (statx(fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_TYPE | STATX_MNT_ID, &mx) < 0) {
		note_error(w, rel, NULL, errno, "statx");
		close(fd);
		return;
	}
	/* find -xdev: a directory on another device is not descended into. */
	if (w->o->one_filesystem && makedev(mx.stx_dev_major, mx.stx_dev_minor) != w->rootdev) {
		close(fd);
		return;
	}
	atomic_fetch_add_explicit(&w->dirs, 1, memory_order_relaxed);
	if (mx.stx_mask & STATX_MNT_ID)
		mnt = mx.stx_mnt_id;
	/* The mount's flags only change at a mount boundary: one statfs per mount per thread. */
	if (mnt && mnt == tl_mnt) {
		nosuid = tl_nosuid;
	} else if (fstatfs(fd, &sf) == 0) {
		nosuid = sf.f_flags & ST_NOSUID;
		tl_mnt = mnt;
		tl_nosuid = nosuid;
	}

	for (;;) {
		ssize_t n = getdents64(fd, buf, sizeof(buf));

		if (n == 0)
			break;
		if (n < 0) {
			note_error(w, rel, NULL, errno, "reading directory");
			break;
		}
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *de = (struct dirent64 *)(buf + off);
			const char *name = de->d_name;
			unsigned char type = de->d_type;

			off += de->d_reclen;
			if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
				continue;
			if (type == DT_UNKNOWN) {
				struct stat s;

				if (fstatat(fd, name, &s, AT_SYMLINK_NOFOLLOW) < 0)
					continue;
				type = S_ISDIR(s.st_mode) ? DT_DIR : S_ISREG(s.st_mode) ? DT_REG : DT_LNK;
			}
			if (type == DT_REG) {
				check_file(w, fd, rel, name, nosuid, mnt);
				/* Shared counters are bumped per directory, not per file. */
				if (++nfiles % 4096 == 0 && w->o->progress) {
					uint64_t c = atomic_fetch_add(&w->files, 4096) + 4096;

					nfiles = 0;
					w->o->progress(w->o->progress_arg, c, atomic_load(&w->dirs));
				}
			} else if (type == DT_DIR) {
				struct item *it = malloc(sizeof(*it));

				if (!it || !(it->rel = *rel ? join(rel, name) : strdup(name))) {
					free(it);
					w->fatal = -ENOMEM;
					continue;
				}
				it->next = NULL;
				if (tail)
					tail->next = it;
				else
					head = it;
				tail = it;
			}
		}
	}
	close(fd);
	atomic_fetch_add_explicit(&w->files, nfiles, memory_order_relaxed);
	push_items(w, head, tail);
}

static void *worker(void *arg)
{
	struct walk *w = arg;

	for (;;) {
		struct item *it = NULL;

		pthread_mutex_lock(&w->mu);
		for (;;) {
			if (w->stack) {
				it = w->stack;
				w->stack = it->next;
				break;
			}
			if (w->done)
				break;
			if (++w->idle == w->nthreads) {
				w->done = true;
				pthread_cond_broadcast(&w->cv);
				break;
			}
			pthread_cond_wait(&w->cv, &w->mu);
			w->idle--;
		}
		pthread_mutex_unlock(&w->mu);
		if (!it)
			return NULL;
		walk_dir(w, it->rel);
		free(it->rel);
		free(it);
	}
}

/* A regular file given as the root: the same checks as in a walk, for that file alone. */
static int scan_one_file(const char *path, const struct cs_scan_opts *o,
			 struct cs_scan_result *r, struct cs_diag *d)
{
	struct walk w = {.o = o, .r = r};
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : strdup(".");
	int dirfd;
	struct statfs sf;
	struct statx mx;
	bool nosuid = false;

	if (!dir)
		return -ENOMEM;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (dirfd < 0)
		return cs_diag_set(d, errno, 0, 0, NULL, "%s", strerror(errno));
	if (fstatfs(dirfd, &sf) == 0)
		nosuid = sf.f_flags & ST_NOSUID;
	if (statx(dirfd, "", AT_EMPTY_PATH, STATX_MNT_ID, &mx) < 0)
		mx.stx_mnt_id = 0;
	pthread_mutex_init(&w.mu, NULL);
	/* Shown exactly as given: the path is the root itself. */
	w.root = strdup(path);
	if (!w.root) {
		close(dirfd);
		return -ENOMEM;
	}
	check_file(&w, dirfd, "", slash ? slash + 1 : path, nosuid, mx.stx_mnt_id);
	for (size_t i = 0; i < r->nfindings; i++) {
		free(r->findings[i].path);
		r->findings[i].path = strdup(path);
		if (!r->findings[i].path)
			w.fatal = -ENOMEM;
	}
	for (size_t i = 0; i < r->nerrors; i++) {
		free(r->errors[i].path);
		r->errors[i].path = strdup(path);
		if (!r->errors[i].path)
			w.fatal = -ENOMEM;
	}
	r->files++;
	free(w.root);
	close(dirfd);
	pthread_mutex_destroy(&w.mu);
	return w.fatal ? -ENOMEM : 0;
}

int cs_scan_tree(const char *root, const struct cs_scan_opts *o, struct cs_scan_result *r,
		 struct cs_diag *d)
{
	static const struct cs_scan_opts defaults;
	struct walk w = {0};
	struct stat st;
	pthread_t th[16];
	unsigned started = 0;
	size_t len;
	int rc = 0;

	if (!o)
		o = &defaults;
	/* Like find -P and getcap -r: a symlink given as the root is not followed. */
	w.rootfd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (w.rootfd < 0) {
		int e = errno;

		bool known = (e == ELOOP || e == ENOTDIR) && lstat(root, &st) == 0;

		if (known && S_ISLNK(st.st_mode))
			return cs_diag_set(d, ELOOP, 0, 0, NULL,
					   "is a symlink; scan its target (symlinks are never followed)");
		if (known && S_ISREG(st.st_mode))
			return scan_one_file(root, o, r, d);
		return cs_diag_set(d, e, 0, 0, NULL, "%s", strerror(e));
	}
	if (fstat(w.rootfd, &st) < 0) {
		rc = cs_diag_set(d, errno, 0, 0, NULL, "%s", strerror(errno));
		close(w.rootfd);
		return rc;
	}
	w.root = strdup(root);
	if (!w.root) {
		close(w.rootfd);
		return -ENOMEM;
	}
	len = strlen(w.root);
	while (len > 1 && w.root[len - 1] == '/')
		w.root[--len] = 0;
	w.rootdev = st.st_dev;
	w.o = o;
	w.r = r;
	w.nthreads = o->threads ? o->threads : 2;
	if (w.nthreads > 16)
		w.nthreads = 16;
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.cv, NULL);
	w.stack = calloc(1, sizeof(*w.stack));
	if (!w.stack || !(w.stack->rel = strdup(""))) {
		free(w.stack);
		free(w.root);
		close(w.rootfd);
		return -ENOMEM;
	}
	/* Workers wait on the lock until nthreads counts only the threads that started. */
	pthread_mutex_lock(&w.mu);
	for (unsigned i = 1; i < w.nthreads; i++)
		if (pthread_create(&th[started + 1], NULL, worker, &w) == 0)
			started++;
	w.nthreads = started + 1;
	pthread_mutex_unlock(&w.mu);
	worker(&w);
	for (unsigned i = 1; i <= started; i++)
		pthread_join(th[i], NULL);
	r->files += atomic_load(&w.files);
	r->dirs += atomic_load(&w.dirs);
	pthread_mutex_destroy(&w.mu);
	pthread_cond_destroy(&w.cv);
	free(w.root);
	close(w.rootfd);
	if (w.fatal)
		return cs_diag_set(d, -w.fatal, 0, 0, NULL, "%s", strerror(-w.fatal));
	cs_scan_sort_by_path(r);
	return 0;
}
