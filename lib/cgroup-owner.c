/* SPDX-License-Identifier: MIT */
/*
 * A cgroup opened by its id (a file handle: cgroup2 supports them, the
 * handle is the 64-bit id the BPF programs give, FILEID_KERNFS) and its
 * ancestors walked by "..". Fifteenth pass, second round: the node agent
 * joined a container's sub-cgroups' rows by walking the container's tree,
 * at most 256 directories a scrape, whether or not they had rows; a
 * container that made more (or made empty ones first) had the rest's
 * checks counted as no container's. Asked from the row, the cost is the
 * rows the agent keeps (bounded by its table) times their depth below
 * the container (bounded here), whatever the tree holds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal/cgroup-owner.h"
#include "internal/util.h"

#define FILEID_KERNFS 0xfe /* include/linux/exportfs.h */

static int open_by_id(int mount_fd, uint64_t id)
{
	union {
		struct file_handle fh;
		char buf[sizeof(struct file_handle) + sizeof(uint64_t)];
	} h;

	memset(&h, 0, sizeof(h));
	h.fh.handle_bytes = sizeof(id);
	h.fh.handle_type = FILEID_KERNFS;
	memcpy(h.fh.f_handle, &id, sizeof(id));
	return open_by_handle_at(mount_fd, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int cs_cgroup_owner_by_id(int mount_fd, uint64_t id, const uint64_t *own, size_t n, uint64_t *owner)
{
	struct stat top;
	int fd, found = 0;

	if (fstat(mount_fd, &top) < 0)
		return -errno;
	if ((fd = open_by_id(mount_fd, id)) < 0) {
		/* Gone (a removed cgroup's handle is stale), or never was. */
		if (errno == ESTALE || errno == ENOENT)
			return 0;
		return -errno;
	}
	for (int up = 0; up < CS_CGROUP_OWNER_UP && !found; up++) {
		int parent = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		struct stat st;

		close(fd);
		fd = parent;
		/* Past the cgroup2 file system (".." of its root may cross
		 * into the mount below): no ancestor is left. */
		if (fd < 0 || fstat(fd, &st) < 0 || st.st_dev != top.st_dev)
			break;
		if (n && bsearch(&(uint64_t){st.st_ino}, own, n, sizeof(*own), cs_u64_cmp)) {
			*owner = (uint64_t)st.st_ino;
			found = 1;
		}
		if (st.st_ino == top.st_ino)
			break; /* the root (the mount's), no ancestor above */
	}
	if (fd >= 0)
		close(fd);
	return found;
}

/* Levels of id below the mount's root, at most max (then max + 1); -1
 * when it cannot be told (gone, not below the mount's root, refused). */
static long level_of(int mount_fd, const struct stat *top, uint64_t id, unsigned long max)
{
	int fd = open_by_id(mount_fd, id);
	unsigned long up = 0;
	ino_t prev = 0;
	long level = -1;

	while (fd >= 0) {
		struct stat st;
		int parent;

		/* Another file system, or a root that is its own parent (the
		 * cgroup is not below the mount's root): not told. */
		if (fstat(fd, &st) < 0 || st.st_dev != top->st_dev || (up && st.st_ino == prev))
			break;
		prev = st.st_ino;
		if (st.st_ino == top->st_ino) {
			level = (long)up;
			break;
		}
		if (up > max) {
			level = (long)up; /* deeper than one known: not the least */
			break;
		}
		parent = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		close(fd);
		fd = parent;
		up++;
	}
	if (fd >= 0)
		close(fd);
	return level;
}

int cs_cgroup_level(int mount_fd, uint64_t id)
{
	struct stat top;
	long l;

	if (fstat(mount_fd, &top) < 0)
		return -1;
	/* Removed: a removed cgroup's handle is stale (as in
	 * cs_cgroup_owner_by_id). The fd is only a probe. */
	{
		int fd = open_by_id(mount_fd, id);

		if (fd < 0 && (errno == ESTALE || errno == ENOENT))
			return CS_CGROUP_GONE;
		if (fd >= 0)
			close(fd);
	}
	l = level_of(mount_fd, &top, id, CS_CGROUP_LEVEL_MAX);
	return l >= 0 && l <= CS_CGROUP_LEVEL_MAX ? (int)l : -1;
}
