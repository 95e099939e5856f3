/* SPDX-License-Identifier: MIT */
/*
 * openat2(2) with RESOLVE_IN_ROOT or RESOLVE_BENEATH, and the same answer
 * where openat2 is missing: Linux before 5.6, a seccomp profile that says
 * ENOSYS for syscalls it does not know (Docker's, for one), valgrind. Without
 * the fallback every lookup in a rootfs said "not found" there, and the model
 * explained a container that "cannot start".
 */
#ifndef CAPSCOPE_INTERNAL_OPEN_IN_ROOT_H
#define CAPSCOPE_INTERNAL_OPEN_IN_ROOT_H

#include <stdint.h>

/*
 * Opens path relative to dirfd with open(2) flags (O_CLOEXEC is added) and
 * resolve, a mask of RESOLVE_IN_ROOT or RESOLVE_BENEATH (one of them is
 * required) with RESOLVE_NO_SYMLINKS and RESOLVE_NO_MAGICLINKS. Returns the
 * descriptor or -errno as openat2 does: ELOOP past 40 symlinks or for a
 * symlink RESOLVE_NO_SYMLINKS forbids, EXDEV for a way out under
 * RESOLVE_BENEATH. O_CREAT is not supported (-EINVAL).
 */
int cs_open_in_root(int dirfd, const char *path, int flags, uint64_t resolve);

/* The fallback alone, whatever the kernel has: for the tests. */
int cs_open_in_root_walk(int dirfd, const char *path, int flags, uint64_t resolve);

/*
 * The walk, calling visit(ctx, dirfd, dirpath, len, depth) before each name
 * is looked up in a directory (dirpath spells it from the root, "/" for the
 * root with len 0; depth counts its names): the directories a kernel lookup
 * of path would search, in order. A negative return from visit stops the
 * walk with that value.
 */
typedef int cs_open_in_root_visit_fn(void *ctx, int dirfd, const char *dirpath, size_t len,
				     size_t depth);
int cs_open_in_root_visit(int dirfd, const char *path, int flags, uint64_t resolve,
			  cs_open_in_root_visit_fn *visit, void *ctx);

/*
 * The lookup of the joined path "START/path" under RESOLVE_IN_ROOT of root,
 * without walking START's names again: start is a directory depth levels
 * below root (depth 0: root itself), its ".." opens its parent, up to root
 * and no further; *links holds the symlinks already followed to reach start
 * and gets the count at the end (the kernel's 40 are for the whole joined
 * lookup). The walk of cs_open_in_root_walk; resolve must have
 * RESOLVE_IN_ROOT. A $PATH of many entries through an absolute link in the
 * cwd cost the cwd's length each when joined (lib/exec-file.c).
 */
int cs_open_in_root_from(int root, int start, unsigned depth, const char *path, int flags,
			 uint64_t resolve, int *links);

/* How many ".." lead from dir up to root (at most max: -EXDEV past it), or -errno. */
int cs_open_in_root_depth(int root, int dir, unsigned max);

#endif
