/* SPDX-License-Identifier: MIT */
/*
 * Finding an entrypoint inside a root filesystem the way runc does, and
 * reading what execve will look at: mode, owner, file capabilities and the
 * mount's nosuid flag. Every lookup goes through openat2(RESOLVE_IN_ROOT),
 * so "..", absolute symlinks and /proc magic links cannot lead out of the
 * rootfs: the rootfs is data, possibly hostile.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "capscope/kernel.h"
#include "capscope/proc.h"
#include "capscope/userns.h"
#include "internal/cleanup.h"
#include "internal/exec-script.h"
#include "internal/fcaps-owner.h"
#include "internal/open-in-root.h"

static void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

#define AUTOCLOSE __attribute__((cleanup(closep)))

static int open_in_root(int root, const char *path, int flags)
{
	return cs_open_in_root(root, path, flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

/* Go's findExecutable (os/exec, lp_unix.go): not a directory and some x bit. */
static int candidate(int root, const char *path, struct stat *sb)
{
	int fd AUTOCLOSE = open_in_root(root, path, O_PATH);

	if (fd < 0)
		return fd;
	if (fstat(fd, sb) < 0)
		return -errno;
	if (S_ISDIR(sb->st_mode) || !(sb->st_mode & 0111))
		return -EACCES;
	return 0;
}

/*
 * Mode, owner, nosuid, file capabilities and first bytes (a "#!" line, the
 * format) of an open file; *n gets how many bytes head holds, -1 when they
 * could not be read. With strict, a security.capability that cannot be read
 * (not absent, not invalid: /proc missing for an O_PATH descriptor, an I/O
 * error) is an error rather than "none": a check that must not run a file
 * gaining capabilities fails closed.
 */
/*
 * getxattr gives a v3 rootid as the reading process's namespace sees it
 * (cap_inode_getsecurity maps it; the kernel returns v2 when it is this
 * namespace's root). The model takes rootids as stored (host ids), so a
 * live read in a user namespace is mapped back through /proc/self/uid_map:
 * read as ns uid 1000, host 5000's value was taken for host 1000, the
 * namespace's root, and a run was refused for capabilities execve ignores.
 * The initial namespace's map is the identity: not read. In a child one the
 * run has read the same map for its credentials first (cs_cred_read_self),
 * where a map not understood is refused with its line.
 */
static int rootid_to_host(int fd, struct cs_fcaps *fc)
{
	struct cs_idmap m[CS_IDMAP_KERNEL_MAX];
	size_t n;
	int rc = cs_proc_in_child_userns_at(AT_FDCWD, "/proc/self");

	if (rc == 0)
		return 0;
	if (rc < 0 || (rc = cs_idmap_read_self(false, m, CS_IDMAP_KERNEL_MAX, &n, NULL)) < 0)
		return rc;
	/* getxattr showed it, so it is mapped here; unmapped, it is left as read. */
	cs_idmap_lookup(m, n, fc->rootid, true, &fc->rootid);
	/*
	 * Not the parent's root either: a namespace further up may still own
	 * it, which only the kernel can see (internal/fcaps-owner.h). Owned
	 * above, it is the model's rootid 0, a root every namespace below
	 * answers to; a question that cannot be asked is no answer.
	 */
	if (fc->rootid == 0)
		return 0;
	if ((rc = cs_fcaps_rootid_owned_above(fd)) < 0)
		return rc;
	if (rc == 1)
		fc->rootid = 0;
	return 0;
}

static int fill_fd(int fd, struct cs_exec_file *f, bool strict, bool live,
		   char head[CS_EXEC_HEAD_MAX], ssize_t *n)
{
	struct stat sb;
	struct statvfs vfs;
	int rc;

	*n = -1;
	if (fstat(fd, &sb) < 0) {
		f->error = errno;
		return 0;
	}
	f->known = true;
	f->mode = sb.st_mode;
	f->owner_uid = sb.st_uid;
	f->owner_gid = sb.st_gid;
	free(f->acl);
	if ((rc = cs_acl_fget(fd, &f->acl)) < 0) {
		f->error = rc == -EINVAL ? EIO : -rc; /* what check_acl's read gives */
		return 0;
	}
	if (fstatvfs(fd, &vfs) == 0)
		f->nosuid = (vfs.f_flag & ST_NOSUID) != 0;
	else if (strict)
		return -errno;
	/* Only a regular file is read: opening a device can act on it. */
	if (!S_ISREG(sb.st_mode))
		return 0;
	*n = cs_exec_read_head(fd, head);
	f->unknown_format = *n >= 0 && cs_exec_head_unknown(head, (size_t)*n);
	rc = cs_fcaps_fget(fd, &f->fcaps, NULL);
	/* A uid map not understood is no answer, strict or not: never the rootid as read. */
	if (rc == 0 && live && f->fcaps.version == 3 && (rc = rootid_to_host(fd, &f->fcaps)) < 0)
		return rc;
	if (rc == 0)
		f->fcaps_state = 1;
	else if (rc == -EINVAL)
		f->fcaps_state = -EINVAL;
	/* EOVERFLOW: a v3 value for another namespace's root, which execve ignores
	 * (get_vfs_caps_from_disk says ENODATA); the run refused such a file. */
	else if (strict && rc != -ENODATA && rc != -EOPNOTSUPP && rc != -EOVERFLOW)
		return rc;
	return 0;
}

static int searched(void *ctx, int dirfd, const char *dirpath, size_t len, size_t depth)
{
	struct cs_acl *acl = NULL;
	struct stat sb;
	int rc;

	if (fstat(dirfd, &sb) < 0)
		return -errno;
	/* An ACL the kernel could not have stored is no answer: said as the error. */
	if ((rc = cs_acl_fget(dirfd, &acl)) < 0)
		return rc;
	rc = cs_exec_file_add_dir(ctx, &(struct cs_searched_dir){.path = dirpath,
								 .len = len,
								 .depth = depth,
								 .id = {sb.st_dev, sb.st_ino},
								 .mode = sb.st_mode,
								 .uid = sb.st_uid,
								 .gid = sb.st_gid,
								 .acl = acl});
	free(acl);
	return rc;
}

/* The kernel's answer for the calling process's credentials (see exec_access). */
static int exec_access(int fd)
{
	return faccessat(fd, "", X_OK, AT_EACCESS | AT_EMPTY_PATH) == 0 ? 1 : -EACCES;
}

/* Where a "#!" chain is opened, and whether the caller holds the credentials modelled. */
struct chain_root {
	int fd;
	bool ask_kernel;
};

/*
 * Opens path in the root. For the model, by the walk that records each
 * directory it searches into f (openat2 does not say which it went through);
 * run executes each file from its checked descriptor, so no path is searched
 * again and openat2 alone will do.
 */
static int open_searching(const struct chain_root *r, const char *path, int flags,
			  struct cs_exec_file *f)
{
	if (r->ask_kernel)
		return open_in_root(r->fd, path, flags);
	return cs_open_in_root_visit(r->fd, path, flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
				     searched, f);
}

/* What execve will look at in the file at path, and its first bytes. */
static int fill(const struct chain_root *r, const char *path, struct cs_exec_file *f,
		char head[CS_EXEC_HEAD_MAX], size_t *n)
{
	int root = r->fd;
	int fd AUTOCLOSE = open_searching(r, path, O_RDONLY | O_NONBLOCK | O_NOCTTY, f);
	ssize_t got;
	int rc;

	*n = 0;
	if (fd == -ENOMEM || cs_exec_file_set_path(f, path) < 0)
		return -ENOMEM;
	/* The directories were recorded on the way, whether the last open worked or not. */
	if (fd < 0) {
		/* Not readable to us (or a FIFO without a writer): an O_PATH fd still stats. */
		fd = open_in_root(root, path, O_PATH);
		if (fd < 0) {
			f->error = -fd;
			return 0;
		}
	}
	rc = fill_fd(fd, f, false, r->ask_kernel, head, &got);
	if (r->ask_kernel && f->known)
		f->exec_access = exec_access(fd);
	*n = got > 0 ? (size_t)got : 0;
	return rc;
}

static int open_fn(void *root, const char *path, struct cs_exec_file *f,
		   char head[CS_EXEC_HEAD_MAX], size_t *n)
{
	return fill(root, path, f, head, n);
}

int cs_exec_file_set_path(struct cs_exec_file *f, const char *path)
{
	char *p = strdup(path ? path : "");

	if (!p)
		return -ENOMEM;
	free(f->path);
	f->path = p;
	return 0;
}

void cs_exec_file_clear(struct cs_exec_file *f)
{
	/* A $PATH chain can be as long as PATH: freed in a loop, not by recursion. */
	while (f->path_next) {
		struct cs_exec_file *n = f->path_next;

		f->path_next = n->path_next;
		n->path_next = NULL;
		cs_exec_file_clear(n);
		free(n);
	}
	cs_exec_dirs_clear(f);
	free(f->acl);
	if (f->interp) {
		cs_exec_file_clear(f->interp); /* at most six deep: the kernel's limit */
		free(f->interp);
	}
	free(f->path);
	memset(f, 0, sizeof(*f));
}

int cs_exec_file_take_path_next(struct cs_exec_file *f, unsigned n)
{
	struct cs_exec_file *pred = f, *take;

	if (n == 0)
		return 0;
	for (unsigned i = 1; i < n && pred->path_next; i++)
		pred = pred->path_next;
	take = pred->path_next;
	if (!take)
		return -EINVAL;
	pred->path_next = NULL; /* f's chain now ends before take */
	cs_exec_file_clear(f);
	*f = *take;
	free(take);
	return 0;
}

const struct cs_exec_file *cs_exec_file_final(const struct cs_exec_file *f)
{
	while (f->interp)
		f = f->interp;
	return f;
}

int cs_exec_file_from_fd(int fd, const char *path, const char *cwd, struct cs_exec_file *f,
			 bool *first_read)
{
	int root AUTOCLOSE = -1;
	char head[CS_EXEC_HEAD_MAX];
	ssize_t n;
	int rc;

	memset(f, 0, sizeof(*f));
	if (first_read)
		*first_read = false;
	if (cs_exec_file_set_path(f, path) < 0)
		return -ENOMEM;
	if ((rc = fill_fd(fd, f, true, true, head, &n)) < 0)
		return rc;
	f->exec_access = exec_access(fd);
	if (first_read)
		*first_read = n >= 0;
	if (n <= 0)
		return 0;
	if ((root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	return cs_exec_script_follow(&(struct chain_root){root, true}, open_fn, cwd, f, head,
				     (size_t)n);
}

/* fill, then the "#!" chain, if any. */
static int fill_exec(int root, const char *cwd, const char *path, struct cs_exec_file *f)
{
	struct chain_root r = {root, false};
	char head[CS_EXEC_HEAD_MAX];
	size_t n;
	int rc = fill(&r, path, f, head, &n);

	return rc < 0 ? rc : cs_exec_script_follow(&r, open_fn, cwd, f, head, n);
}

/*
 * A relative name's lookup starts at the working directory (runc changed
 * there as root, before the user was set): what is above it is not
 * searched. A cwd that is not there yet (runc creates it) gates nothing.
 */
static int gate_at_cwd(int root, const char *cwd, struct cs_exec_file *f)
{
	int fd AUTOCLOSE = open_in_root(root, cwd ? cwd : "/", O_PATH | O_DIRECTORY);
	struct stat sb;

	if (fd < 0 || fstat(fd, &sb) < 0)
		return 0;
	return cs_exec_file_gate_dirs(f, (uint64_t[2]){sb.st_dev, sb.st_ino});
}

/* $PATH in a rootfs (lib/exec-path.c). */
struct rootfs_path {
	int root;
	const char *cwd;
	/* The cwd opened once for the relative entries' lookups: -2 not yet,
	 * -1 when they are looked up joined (cwd_err: its lookup's error). */
	int cwdfd, cwd_err;
	int cwd_links;	    /* symlinks its lookup followed: counted toward the 40 */
	unsigned cwd_depth; /* the ".." that lead from it to the root */
};

/*
 * The links the cwd's lookup follows, by our walk (openat2 does not say),
 * on the condition that the walk reaches the directory the kernel reached.
 */
static int cwd_links(const struct rootfs_path *r, const char *cwd, int fd)
{
	int links = 0;
	int wfd AUTOCLOSE = cs_open_in_root_from(r->root, r->root, 0, cwd, O_PATH | O_DIRECTORY,
						 RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS, &links);
	struct stat a, b;

	if (wfd < 0 || fstat(wfd, &a) < 0 || fstat(fd, &b) < 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino)
		return -1;
	return links;
}

/*
 * The cwd as a starting point for relative candidates, with the links its
 * own lookup followed and its depth below the root (what a joined lookup
 * would have counted and climbed). A cwd that is not there fails every
 * joined lookup too (at its missing name): cwd_err, and each candidate is
 * skipped. What cannot be told (a walk that disagrees with the kernel)
 * leaves the candidates to the joined lookup.
 */
static void open_cwd(struct rootfs_path *r)
{
	const char *cwd = r->cwd ? r->cwd : "/";
	uint64_t plain = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	int fd = cs_open_in_root(r->root, cwd, O_PATH | O_DIRECTORY, plain | RESOLVE_NO_SYMLINKS);
	int depth;

	r->cwdfd = -1;
	if (fd == -ELOOP) {
		fd = cs_open_in_root(r->root, cwd, O_PATH | O_DIRECTORY, plain);
		if (fd >= 0 && (r->cwd_links = cwd_links(r, cwd, fd)) < 0) {
			close(fd); /* each candidate is looked up joined */
			return;
		}
	}
	if (fd < 0) {
		r->cwd_err = fd;
		return;
	}
	if ((depth = cs_open_in_root_depth(r->root, fd, PATH_MAX)) < 0) {
		close(fd);
		return;
	}
	r->cwd_depth = (unsigned)depth;
	r->cwdfd = fd;
}

/*
 * The leading ".." of a relative candidate ("..", "../bin"), climbed from
 * the cwd one parent at a time and stopped at the root as RESOLVE_IN_ROOT
 * stops: each costs one of the entry's own names, where the joined lookup
 * walked the cwd again (100,000 ".." entries under a 4 KB cwd: 28 s). The
 * cwd's path follows no symlink (open_cwd), so its parents are the ones the
 * joined path names. *rel is moved past them; a new descriptor or -errno.
 */
static int climb(const struct rootfs_path *r, const char **rel)
{
	const char *p = *rel;
	struct stat rb;
	int fd = fcntl(r->cwdfd, F_DUPFD_CLOEXEC, 0);

	if (fd < 0 || fstat(r->root, &rb) < 0) {
		int err = -errno;

		if (fd >= 0)
			close(fd);
		return err;
	}
	for (;;) {
		struct stat sb;
		int up;

		while (*p == '/' || (p[0] == '.' && (p[1] == '/' || !p[1])))
			p++;
		if (p[0] != '.' || p[1] != '.' || (p[2] && p[2] != '/'))
			break;
		p += 2;
		if (fstat(fd, &sb) < 0) {
			close(fd);
			return -errno;
		}
		if (sb.st_dev == rb.st_dev && sb.st_ino == rb.st_ino)
			continue; /* ".." at the root is the root */
		up = openat(fd, "..", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		if (up < 0)
			return -errno;
		fd = up;
	}
	*rel = *p ? p : "."; /* "cwd/..": the directory itself */
	return fd;
}

/*
 * A relative candidate from the cwd (the kernel starts there: one name per
 * entry, where joining each of 100,000 empty entries to a 4 KB cwd took
 * 16 s). RESOLVE_BENEATH keeps the lookup under the cwd, so it meets what
 * the joined lookup meets past the cwd. One that leaves it ("..", an
 * absolute link: EXDEV) or meets many links (ELOOP), and every candidate
 * when the cwd's own lookup followed links, is walked by hand from the cwd
 * (cs_open_in_root_from: its ".." climb to the root, its links counted with
 * the cwd's): joined, 20,000 entries through an absolute link under a 4 KB
 * cwd took 4.4 s.
 */
static int rootfs_probe(void *ctx, const char *path, bool relative, size_t joined_len)
{
	struct rootfs_path *r = ctx;
	cs_cleanup_free char *joined = NULL;
	struct stat sb;

	if (!relative)
		return candidate(r->root, path, &sb);
	if (joined_len >= PATH_MAX)
		return -ENAMETOOLONG; /* the joined path's getname */
	if (r->cwdfd == -2)
		open_cwd(r);
	if (r->cwd_err)
		return r->cwd_err;
	if (r->cwdfd >= 0 && r->cwd_links == 0) {
		const char *rest = path; /* past its leading "..": path stays whole */
		int up AUTOCLOSE = climb(r, &rest);
		int fd AUTOCLOSE = up < 0
				       ? up
				       : cs_open_in_root(up, rest, O_PATH,
							 RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);

		if (fd >= 0 && fstat(fd, &sb) < 0)
			return -errno;
		if (fd >= 0)
			return S_ISDIR(sb.st_mode) || !(sb.st_mode & 0111) ? -EACCES : 0;
		if (fd != -EXDEV && fd != -ELOOP)
			return fd;
	}
	if (r->cwdfd >= 0) {
		int links = r->cwd_links;
		int fd AUTOCLOSE =
		    cs_open_in_root_from(r->root, r->cwdfd, r->cwd_depth, path, O_PATH,
					 RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS, &links);

		if (fd >= 0 && fstat(fd, &sb) < 0)
			return -errno;
		if (fd >= 0)
			return S_ISDIR(sb.st_mode) || !(sb.st_mode & 0111) ? -EACCES : 0;
		return fd;
	}
	if (cs_exec_join_cwd(r->cwd, path, &joined) < 0)
		return -ENOMEM;
	return candidate(r->root, joined ? joined : path, &sb);
}

static int rootfs_fill(void *ctx, const char *candidate, bool relative, struct cs_exec_file *f)
{
	const struct rootfs_path *r = ctx;
	int rc = relative ? gate_at_cwd(r->root, r->cwd, f) : 0;

	return rc < 0 ? rc : fill_exec(r->root, r->cwd, candidate, f);
}

static const struct cs_exec_path_ops rootfs_path_ops = {rootfs_probe, rootfs_fill};

/* cs_exec_cwd_stat_fn in a rootfs: fd is the root. */
static int rootfs_stat(void *ctx, const char *path, bool follow, bool *is_dir)
{
	int fd AUTOCLOSE = open_in_root(*(int *)ctx, path, O_PATH | (follow ? 0 : O_NOFOLLOW));
	struct stat sb;

	if (fd < 0)
		return fd;
	if (fstat(fd, &sb) < 0)
		return -errno;
	*is_dir = S_ISDIR(sb.st_mode);
	return 0;
}

static int resolve_rootfs(const char *rootfs, const char *cwd, const char *arg0,
			  const char *path_env, struct cs_exec_file *f, struct cs_diag *d);

/* runc's MkdirAll of the cwd first: where the lookups start, or its failure. */
int cs_exec_file_resolve(const char *rootfs, const char *cwd, const char *arg0,
			 const char *path_env, struct cs_exec_file *f, struct cs_diag *d)
{
	cs_cleanup_free char *eff = NULL, *failed = NULL;
	int root AUTOCLOSE = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int err = root < 0 ? 0 : cs_exec_cwd_mkdir(cwd, rootfs_stat, &root, &eff, &failed);
	int rc;

	if (err < 0)
		return err;
	rc = resolve_rootfs(rootfs, eff ? eff : cwd, arg0, path_env, f, d);
	f->cwd_error = err;
	return rc;
}

static int resolve_rootfs(const char *rootfs, const char *cwd, const char *arg0,
			  const char *path_env, struct cs_exec_file *f, struct cs_diag *d)
{
	int root AUTOCLOSE = -1;
	struct stat sb;
	int rc;

	memset(f, 0, sizeof(*f));
	if (cs_exec_file_set_path(f, arg0) < 0)
		return -ENOMEM;
	if (!arg0 || !*arg0) {
		f->error = ENOENT;
		return 0;
	}
	root = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return cs_diag_set(d, errno, 0, 0, "root.path", "%s: %s", rootfs, strerror(errno));

	if (strchr(arg0, '/')) {
		cs_cleanup_free char *joined = NULL;

		/* runc has changed to the cwd: "./app" and "bin/app" are the cwd's. */
		if (cs_exec_join_cwd(cwd, arg0, &joined) < 0)
			return -ENOMEM;
		if (joined && (rc = gate_at_cwd(root, cwd, f)) < 0)
			return rc;
		if (joined)
			arg0 = joined;
		rc = candidate(root, arg0, &sb);
		if (rc == -EACCES) {
			/* Not executable or a directory: execve itself says no (EACCES). */
			f->error = EACCES;
			rc = fill_exec(root, cwd, arg0, f);
			f->error = f->known ? 0 : f->error;
			return rc;
		}
		if (rc < 0) {
			f->error = -rc;
			return 0;
		}
		return fill_exec(root, cwd, arg0, f);
	}
	{
		struct rootfs_path r = {root, cwd, -2, 0, 0, 0};

		rc = cs_exec_path_lookup(path_env, cwd, arg0, f, &rootfs_path_ops, &r);
		if (r.cwdfd >= 0)
			close(r.cwdfd);
		return rc;
	}
}
