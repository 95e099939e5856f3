/* SPDX-License-Identifier: MIT */
/*
 * Scoped path resolution (openat2 RESOLVE_IN_ROOT / RESOLVE_BENEATH) with a
 * walk of our own where the syscall is missing. The walk never hands the
 * kernel more than one name: each component is opened O_PATH|O_NOFOLLOW
 * beneath a descriptor we hold, ".." pops our own stack of descriptors
 * (the kernel's ".." could leave the root through a rename), and a symlink
 * is read as text and spliced into what is left, so neither a hostile tree
 * nor one changing under us can lead the walk out of the root.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal/cleanup.h"
#include "internal/open-in-root.h"

/* The kernel's MAXSYMLINKS (include/linux/namei.h). */
#define LINKS_MAX 40

#define KNOWN_RESOLVE                                                                              \
	(RESOLVE_IN_ROOT | RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)

/*
 * Descriptors of the directories walked so far; fds[0] is the caller's.
 * path spells the top one from the root ("" is the root), lens[i] the
 * length of directory i's path in it.
 */
struct dir_stack {
	int *fds;
	size_t *lens;
	size_t n, cap;
	char *path;
	size_t pathcap;
	/* fds[1] is a start given by the caller, base_depth levels below
	 * fds[0] (cs_open_in_root_from): its ".." opens the parent. */
	bool base;
	unsigned base_depth;
};

static void stack_pop(struct dir_stack *s)
{
	if (s->n > 1) {
		close(s->fds[--s->n]);
		s->path[s->lens[s->n - 1]] = 0;
		if (s->n == 1)
			s->base = false;
	}
}

/*
 * ".." from the caller's start: its parent, opened (we hold no descriptor
 * of it), at most base_depth times, where the root must be met (a tree
 * renamed under us meets something else: EAGAIN, as the kernel's scoped
 * lookups say). The root itself is fds[0] again, so ".." stops there.
 */
static int climb_base(struct dir_stack *s)
{
	struct stat rb, ub;
	int up = openat(s->fds[1], "..", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (up < 0)
		return -errno;
	if (--s->base_depth > 0) {
		close(s->fds[1]);
		s->fds[1] = up;
		return 0;
	}
	if (fstat(s->fds[0], &rb) < 0 || fstat(up, &ub) < 0) {
		int err = -errno;

		close(up);
		return err;
	}
	close(up);
	if (ub.st_dev != rb.st_dev || ub.st_ino != rb.st_ino)
		return -EAGAIN;
	stack_pop(s);
	return 0;
}

static void stack_free(struct dir_stack *s)
{
	while (s->n > 1)
		stack_pop(s);
	free(s->fds);
	free(s->lens);
	free(s->path);
}

static int stack_push(struct dir_stack *s, int fd, const char *name)
{
	size_t at = s->n ? s->lens[s->n - 1] : 0, need = at + 1 + strlen(name) + 1;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		int *p = realloc(s->fds, cap * sizeof(*p));
		size_t *l;

		if (!p)
			return -ENOMEM;
		s->fds = p;
		if (!(l = realloc(s->lens, cap * sizeof(*l))))
			return -ENOMEM;
		s->lens = l;
		s->cap = cap;
	}
	if (need > s->pathcap) {
		char *np = realloc(s->path, need * 2);

		if (!np)
			return -ENOMEM;
		s->path = np;
		s->pathcap = need * 2;
	}
	if (s->n)
		at += (size_t)sprintf(s->path + at, "/%s", name);
	else
		s->path[0] = 0;
	s->lens[s->n] = at;
	s->fds[s->n++] = fd;
	return 0;
}

/*
 * A procfs link the kernel would jump through rather than read as a path
 * (/proc/PID/exe, cwd, root, fd/N, map_files/N, ns/NAME): its text is an
 * absolute path or "type:[inode]". procfs' plain links ("self", "mounts")
 * are relative names without a colon.
 */
static bool magic_link(int linkfd, const char *text)
{
	struct statfs fs;

	if (fstatfs(linkfd, &fs) < 0 || fs.f_type != PROC_SUPER_MAGIC)
		return false;
	return text[0] == '/' || strchr(text, ':');
}

/*
 * rest becomes the link's text, then what was left after the link behind a
 * '/'. A last link gets the '/' only when the path had one after it ("lnk/":
 * the target must be a directory).
 */
static int splice_link(char **rest, size_t *off, const char *text, const char *after, bool slash)
{
	size_t tn = strlen(text), an = strlen(after);
	char *p = malloc(tn + 1 + an + 1);

	if (!p)
		return -ENOMEM;
	memcpy(p, text, tn);
	p[tn] = '/';
	memcpy(p + tn + (slash || an), after, an + 1);
	free(*rest);
	*rest = p;
	*off = 0;
	return 0;
}

/* The final open of a component already identified through an O_PATH descriptor. */
static int open_last(int dirfd, const char *name, const struct stat *sb, int flags,
		     bool must_be_dir)
{
	struct stat now;
	int fd;

	if ((must_be_dir || (flags & O_DIRECTORY)) && !S_ISDIR(sb->st_mode))
		return -ENOTDIR;
	fd = openat(dirfd, name, flags | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* Replaced between the two opens: the kernel's scoped lookups say EAGAIN too. */
	if (fstat(fd, &now) < 0 || now.st_dev != sb->st_dev || now.st_ino != sb->st_ino) {
		close(fd);
		return -EAGAIN;
	}
	return fd;
}

/* *links counts the symlinks followed, toward the kernel's 40 for the whole lookup. */
static int walk(struct dir_stack *s, char **rest, int flags, uint64_t resolve,
		cs_open_in_root_visit_fn *visit, void *ctx, int *links)
{
	bool in_root = resolve & RESOLVE_IN_ROOT;
	size_t off = 0;

	if ((*rest)[0] == '/' && !in_root)
		return -EXDEV;
	for (;;) {
		char *p = *rest + off, name[NAME_MAX + 1];
		size_t len, after;
		bool last, trailing_slash;
		struct stat sb;
		int top = s->fds[s->n - 1];

		while (*p == '/')
			p++;
		if (!*p) { /* "/", "a/..": the directory reached is the answer */
			int fd = openat(top, ".", flags | O_CLOEXEC);

			return fd < 0 ? -errno : fd;
		}
		len = strcspn(p, "/");
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(name, p, len);
		name[len] = 0;
		after = len + strspn(p + len, "/");
		last = !p[after];
		trailing_slash = last && after > len;
		off = (size_t)(p - *rest) + after;
		/* Every name is looked up in top, "." and ".." too: may_lookup checks top. */
		if (visit) {
			int rc = visit(ctx, top, s->path[0] ? s->path : "/", s->lens[s->n - 1],
				       s->n - 1);

			if (rc < 0)
				return rc;
		}
		if (!strcmp(name, "."))
			continue;
		if (!strcmp(name, "..")) {
			int rc = s->n == 2 && s->base ? climb_base(s) : 0;

			if (rc < 0)
				return rc;
			if (s->n == 2 && s->base)
				continue; /* climbed */
			if (s->n > 1)
				stack_pop(s);
			else if (!in_root)
				return -EXDEV;
			continue;
		}
		int fd cs_cleanup_close = openat(top, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);

		if (fd < 0)
			return -errno;
		if (fstat(fd, &sb) < 0)
			return -errno;
		if (S_ISLNK(sb.st_mode)) {
			char text[PATH_MAX];
			ssize_t n;
			int rc;

			/* A last symlink not followed: O_PATH opens the link itself. */
			if (last && !trailing_slash && (flags & O_NOFOLLOW)) {
				if (flags & O_DIRECTORY)
					return -ENOTDIR;
				return (flags & O_PATH) ? cs_steal_fd(&fd) : -ELOOP;
			}
			if ((resolve & RESOLVE_NO_SYMLINKS) || ++*links > LINKS_MAX)
				return -ELOOP;
			n = readlinkat(fd, "", text, sizeof(text) - 1);
			if (n < 0)
				return -errno;
			if (n == 0)
				return -ENOENT;
			text[n] = 0;
			if (magic_link(fd, text))
				return (resolve & RESOLVE_NO_MAGICLINKS) ? -ELOOP : -EXDEV;
			if (text[0] == '/') {
				if (!in_root)
					return -EXDEV;
				while (s->n > 1)
					stack_pop(s);
			}
			rc = splice_link(rest, &off, text, *rest + off, trailing_slash);
			if (rc < 0)
				return rc;
			continue;
		}
		if (!last) {
			if (!S_ISDIR(sb.st_mode))
				return -ENOTDIR;
			int rc = stack_push(s, fd, name);

			if (rc < 0)
				return rc;
			fd = -1; /* the stack owns it */
			continue;
		}
		if (flags & O_PATH) {
			if ((trailing_slash || (flags & O_DIRECTORY)) && !S_ISDIR(sb.st_mode))
				return -ENOTDIR;
			return cs_steal_fd(&fd);
		}
		return open_last(top, name, &sb, flags, trailing_slash);
	}
}

int cs_open_in_root_visit(int dirfd, const char *path, int flags, uint64_t resolve,
			  cs_open_in_root_visit_fn *visit, void *ctx)
{
	struct dir_stack s = {0};
	char *rest cs_cleanup_free = NULL;
	int rc;

	if (!(resolve & (RESOLVE_IN_ROOT | RESOLVE_BENEATH)) || (resolve & ~KNOWN_RESOLVE) ||
	    (flags & O_CREAT))
		return -EINVAL;
	if (!*path)
		return -ENOENT;
	if (strlen(path) >= PATH_MAX)
		return -ENAMETOOLONG;
	rest = strdup(path);
	if (!rest)
		return -ENOMEM;
	rc = stack_push(&s, dirfd, ""); /* fds[0] is never closed: stack_pop stops above it */
	if (rc == 0)
		rc = walk(&s, &rest, flags, resolve, visit, ctx, &(int){0});
	stack_free(&s);
	return rc;
}

int cs_open_in_root_from(int root, int start, unsigned depth, const char *path, int flags,
			 uint64_t resolve, int *links)
{
	struct dir_stack s = {0};
	char *rest cs_cleanup_free = NULL;
	int rc, fd;

	if (!(resolve & RESOLVE_IN_ROOT) || (resolve & ~KNOWN_RESOLVE) || (flags & O_CREAT))
		return -EINVAL;
	if (!*path)
		return -ENOENT;
	if (strlen(path) >= PATH_MAX)
		return -ENAMETOOLONG;
	if (!(rest = strdup(path)))
		return -ENOMEM;
	if ((rc = stack_push(&s, root, "")) < 0)
		return rc;
	if (depth > 0) {
		/* Our own copy: climbing replaces it, stack_pop closes it. */
		if ((fd = fcntl(start, F_DUPFD_CLOEXEC, 0)) < 0) {
			rc = -errno;
			stack_free(&s);
			return rc;
		}
		if ((rc = stack_push(&s, fd, ".")) < 0) {
			close(fd);
			stack_free(&s);
			return rc;
		}
		s.base = true;
		s.base_depth = depth;
	}
	rc = walk(&s, &rest, flags, resolve, NULL, NULL, links);
	stack_free(&s);
	return rc;
}

int cs_open_in_root_depth(int root, int dir, unsigned max)
{
	struct stat rb, sb;
	int fd = fcntl(dir, F_DUPFD_CLOEXEC, 0);
	unsigned depth = 0;

	if (fd < 0 || fstat(root, &rb) < 0) {
		int err = -errno;

		if (fd >= 0)
			close(fd);
		return err;
	}
	for (;;) {
		int up;

		if (fstat(fd, &sb) < 0) {
			int err = -errno;

			close(fd);
			return err;
		}
		if (sb.st_dev == rb.st_dev && sb.st_ino == rb.st_ino)
			break;
		if (depth == max || (up = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
			int err = depth == max ? -EXDEV : -errno;

			close(fd);
			return err;
		}
		close(fd);
		fd = up;
		depth++;
	}
	close(fd);
	return (int)depth;
}

int cs_open_in_root_walk(int dirfd, const char *path, int flags, uint64_t resolve)
{
	return cs_open_in_root_visit(dirfd, path, flags, resolve, NULL, NULL);
}

/*
 * openat2 says EAGAIN for a lookup through ".." while anything on the machine
 * was renamed or mounted (the kernel's global rename and mount sequence
 * counts moved): no answer about this tree. Under load it came once in some
 * ten thousand lookups and turned a prediction's ENOENT into EAGAIN (the
 * flaky "same evil" of cli/explain-pod-image). A few tries, then the walk,
 * which depends on no other rename than the tree's own.
 */
#define OPENAT2_TRIES 4

int cs_open_in_root(int dirfd, const char *path, int flags, uint64_t resolve)
{
	struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC), .resolve = resolve};

	for (int i = 0; i < OPENAT2_TRIES; i++) {
		long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

		if (fd >= 0)
			return (int)fd;
		if (errno != EAGAIN && errno != ENOSYS)
			return -errno;
		if (errno == ENOSYS)
			break;
	}
	return cs_open_in_root_walk(dirfd, path, flags, resolve);
}
