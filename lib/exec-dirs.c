/* SPDX-License-Identifier: MIT */
/*
 * The directories the lookup of an executable searched (cs_exec_file.dirs),
 * recorded as the walks go. A rootfs or an image is data, possibly hostile:
 * 40 symlinks that each re-enter, or lead into, a chain of thousands of
 * directories make a walk of some 80,000 directories. Recording each by its
 * whole path, found again by comparing paths, cost the square of that in
 * time and in memory (40 chains of 1,000 0700 directories: 18 s). So a
 * directory is found again by its identity in a hash table, and keeps only
 * the part of its path below the nearest recorded directory above it: both
 * linear in the walk.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/kernel.h"
#include "internal/exec-script.h"

/* The walk's current way down: at each depth, the nearest recorded directory at or above it. */
struct way {
	size_t rec; /* index in dirs, or CS_EXEC_DIR_NONE */
	size_t len; /* the length of the path at this depth, as this walk spelled it */
};

struct cs_exec_dir_index {
	size_t cap;    /* of dirs: it grows by doubling */
	size_t *slots; /* index in dirs + 1; 0 for an empty slot */
	size_t nslots;
	struct way *way;
	size_t nway;
	/* Set by cs_exec_file_gate_dirs: directories before the first visit
	 * of gate (the working directory) are passed unrecorded. */
	bool gated;
	uint64_t gate[2];
};

static size_t hash_id(const uint64_t id[2])
{
	uint64_t h = id[0] * 0x9e3779b97f4a7c15ULL ^ id[1];

	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ULL;
	return (size_t)(h ^ (h >> 29));
}

/* The slot of id: the one holding it, or the empty one where it goes. */
static size_t *slot_of(const struct cs_exec_file *f, const uint64_t id[2])
{
	const struct cs_exec_dir_index *x = f->dir_index;

	for (size_t i = hash_id(id) & (x->nslots - 1);; i = (i + 1) & (x->nslots - 1)) {
		size_t s = x->slots[i];

		if (!s || (f->dirs[s - 1].id[0] == id[0] && f->dirs[s - 1].id[1] == id[1]))
			return &x->slots[i];
	}
}

/* Room for one more directory: the table stays at most half full. */
static int grow_table(struct cs_exec_file *f)
{
	struct cs_exec_dir_index *x = f->dir_index;
	size_t *old = x->slots, nold = x->nslots;

	if (2 * (f->ndirs + 1) <= x->nslots)
		return 0;
	x->nslots = nold ? 2 * nold : 64;
	if (!(x->slots = calloc(x->nslots, sizeof(*x->slots)))) {
		x->slots = old;
		x->nslots = nold;
		return -ENOMEM;
	}
	for (size_t i = 0; i < nold; i++)
		if (old[i])
			*slot_of(f, f->dirs[old[i] - 1].id) = old[i];
	free(old);
	return 0;
}

static int set_way(struct cs_exec_dir_index *x, size_t depth, size_t rec, size_t len)
{
	if (depth >= x->nway) {
		size_t n = x->nway ? 2 * x->nway : 32;
		struct way *w;

		while (n <= depth)
			n *= 2;
		if (!(w = realloc(x->way, n * sizeof(*w))))
			return -ENOMEM;
		x->way = w;
		x->nway = n;
	}
	x->way[depth] = (struct way){rec, len};
	return 0;
}

static int append(struct cs_exec_file *f, const struct cs_searched_dir *d, size_t parent,
		  size_t from)
{
	struct cs_exec_dir_index *x = f->dir_index;
	size_t n = d->depth ? d->len - from : 1;
	struct cs_acl *acl = NULL;
	char *name;

	if (f->ndirs == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 16;
		struct cs_exec_dir *v = realloc(f->dirs, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		f->dirs = v;
		x->cap = cap;
	}
	if (!(name = malloc(n + 1)))
		return -ENOMEM;
	memcpy(name, d->depth ? d->path + from : "/", n);
	name[n] = 0;
	if (d->acl && !(acl = cs_acl_dup(d->acl))) {
		free(name);
		return -ENOMEM;
	}
	f->dirs[f->ndirs] = (struct cs_exec_dir){.parent = parent,
						 .name = name,
						 .mode = d->mode,
						 .owner_uid = d->uid,
						 .owner_gid = d->gid,
						 .id = {d->id[0], d->id[1]},
						 .acl = acl};
	return 0;
}

int cs_exec_file_add_dir(struct cs_exec_file *f, const struct cs_searched_dir *d)
{
	struct cs_exec_dir_index *x = f->dir_index;
	size_t above = CS_EXEC_DIR_NONE, from = 0, rec = CS_EXEC_DIR_NONE, *slot;
	int rc;

	if (!x && !(x = f->dir_index = calloc(1, sizeof(*x))))
		return -ENOMEM;
	/* Every walk reaches depth d through depths 0..d-1 of its own way. */
	if (d->depth && d->depth <= x->nway) {
		above = x->way[d->depth - 1].rec;
		from = above == CS_EXEC_DIR_NONE ? 0 : x->way[d->depth - 1].len;
	}
	/* Above the working directory of a relative lookup: the kernel starts at
	 * the cwd, so these are not searched (the way still goes through them). */
	if (x->gated && (d->id[0] != x->gate[0] || d->id[1] != x->gate[1]))
		return set_way(x, d->depth, above, from);
	x->gated = false;
	/* Every class of process has its x bit here and no ACL picks out a user or a
	 * group: no credential is stopped, none needs a capability, so the model has
	 * nothing to say about it (the common case). */
	if ((d->mode & 0111) == 0111 && !(d->acl && (d->mode & 070)))
		return set_way(x, d->depth, above, from);
	if ((rc = grow_table(f)) < 0)
		return rc;
	slot = slot_of(f, d->id);
	if (*slot) {
		rec = *slot - 1;
	} else {
		if ((rc = append(f, d, above, from)) < 0)
			return rc;
		rec = f->ndirs++;
		*slot = f->ndirs;
	}
	return set_way(x, d->depth, rec, d->depth ? d->len : 0);
}

int cs_exec_file_gate_dirs(struct cs_exec_file *f, const uint64_t id[2])
{
	struct cs_exec_dir_index *x = f->dir_index;

	if (!x && !(x = f->dir_index = calloc(1, sizeof(*x))))
		return -ENOMEM;
	x->gated = true;
	x->gate[0] = id[0];
	x->gate[1] = id[1];
	return 0;
}

/* The root's "/" spells the root alone: the names below it start with '/'. */
static size_t part_len(const struct cs_exec_file *f, size_t k, size_t i)
{
	if (k != i && f->dirs[k].parent == CS_EXEC_DIR_NONE && !strcmp(f->dirs[k].name, "/"))
		return 0;
	return strlen(f->dirs[k].name);
}

char *cs_exec_dir_path(const struct cs_exec_file *f, size_t i)
{
	size_t len = 0;
	char *p;

	for (size_t k = i; k != CS_EXEC_DIR_NONE; k = f->dirs[k].parent)
		len += part_len(f, k, i);
	if (!(p = malloc(len + 1)))
		return NULL;
	p[len] = 0;
	for (size_t k = i; k != CS_EXEC_DIR_NONE; k = f->dirs[k].parent) {
		size_t n = part_len(f, k, i);

		len -= n;
		memcpy(p + len, f->dirs[k].name, n);
	}
	return p;
}

void cs_exec_dirs_clear(struct cs_exec_file *f)
{
	for (size_t i = 0; i < f->ndirs; i++) {
		free(f->dirs[i].name);
		free(f->dirs[i].acl);
	}
	free(f->dirs);
	if (f->dir_index) {
		free(f->dir_index->slots);
		free(f->dir_index->way);
		free(f->dir_index);
	}
	f->dirs = NULL;
	f->ndirs = 0;
	f->dir_index = NULL;
}
