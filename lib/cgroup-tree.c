/* SPDX-License-Identifier: MIT */
/*
 * The cgroups below a container's own: the node agent's tracer keys its
 * rows by the cgroup a check was made in (the leaf), and a container whose
 * processes make sub-cgroups (systemd in a container, a workload that
 * delegates) has its checks in them. Twelfth pass: they were counted as
 * no container's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/proc.h"
#include "internal/util.h"

/* A cgroup is at most this deep below a container's (the kernel's limit is a setting). */
#define MAX_DEPTH 32

struct walk {
	const uint64_t *skip;
	size_t nskip;
	uint64_t *ids;
	size_t max, n;
	bool more;
};

/* The directories below the cgroup open as dfd (closed here), depth first. */
static int walk_dir(int dfd, unsigned depth, struct walk *w)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;
	int rc = 0;

	if (!d) {
		rc = -errno;
		close(dfd);
		return rc;
	}
	while (rc == 0 && (de = readdir(d))) {
		struct stat st;
		int sub;

		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode))
			continue; /* removed meanwhile */
		/* Another container's cgroup and all below it are that one's: an
		 * outer container took the sub-cgroups an inner one had left
		 * beyond its own MAX_SUBS. */
		if (w->nskip && bsearch(&(uint64_t){st.st_ino}, w->skip, w->nskip, sizeof(*w->skip),
					cs_u64_cmp))
			continue;
		/* Deeper than MAX_DEPTH: not entered, and no -E2BIG: that says
		 * ids is full, and the caller read max ids of which fewer were set. */
		if (depth == MAX_DEPTH)
			break;
		if (w->n == w->max) {
			w->more = true;
			break;
		}
		w->ids[w->n++] = (uint64_t)st.st_ino;
		sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (sub >= 0)
			rc = walk_dir(sub, depth + 1, w);
	}
	closedir(d);
	return rc;
}

int cs_cgroup_descendant_ids(const char *path, const uint64_t *skip, size_t nskip, uint64_t *ids,
			     size_t max)
{
	struct walk w = {.skip = skip, .nskip = nskip, .ids = ids, .max = max};
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	rc = walk_dir(fd, 0, &w);
	if (rc < 0)
		return rc;
	return w.more ? -E2BIG : (int)w.n;
}
