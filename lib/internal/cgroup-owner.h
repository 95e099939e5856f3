/* SPDX-License-Identifier: MIT */
/*
 * The container a cgroup belongs to, from the cgroup's id alone: for the
 * node agent's rows keyed by a cgroup below a container's own, made before
 * the agent named the container to the tracer (lib/node/trace.c).
 */
#ifndef CAPSCOPE_INTERNAL_CGROUP_OWNER_H
#define CAPSCOPE_INTERNAL_CGROUP_OWNER_H

#include <stddef.h>
#include <stdint.h>

/* Levels looked at above a cgroup (as cs_cgroup_descendant_ids goes below one). */
#define CS_CGROUP_OWNER_UP 32

/*
 * The nearest ancestor of the cgroup v2 id (not the cgroup itself), at most
 * CS_CGROUP_OWNER_UP levels up, whose id is in own (n ids, sorted), into
 * *owner. mount_fd is the cgroup2 mount's root. 1 when found; 0 when none
 * is (or the cgroup has gone); -errno when the kernel will not open a
 * cgroup by its id (open_by_handle_at needs CAP_DAC_READ_SEARCH; a seccomp
 * filter or an old kernel may refuse it): the caller then finds the
 * cgroups another way.
 */
int cs_cgroup_owner_by_id(int mount_fd, uint64_t id, const uint64_t *own, size_t n,
			  uint64_t *owner);

/* Deeper than any layout a runtime makes; the bound of the walk below. */
#define CS_CGROUP_LEVEL_MAX 4096

/*
 * The level (0: the mount's root) of the cgroup v2 id, counted from the
 * cgroup2 mount's root mount_fd by "..", at most CS_CGROUP_LEVEL_MAX;
 * CS_CGROUP_GONE when no cgroup has that id now (removed, or never was);
 * -1 when it cannot be told (not below the mount's root, deeper than
 * that, file handles refused).
 */
#define CS_CGROUP_GONE (-2)
int cs_cgroup_level(int mount_fd, uint64_t id);

#endif
