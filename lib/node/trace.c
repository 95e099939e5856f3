/* SPDX-License-Identifier: MIT */
/*
 * capscope serve --trace: the capability checks of every container, counted
 * per cgroup. The tracer runs for every process of the node with its rows
 * keyed by cgroup (a node has many short-lived processes but few
 * containers); the agent drains the kernel map often (cs_node_trace_drain)
 * into a table per cgroup, and at each scrape joins the table to the
 * inventory by the cgroup of each container's first process, cut to the
 * container's own, and the cgroups below it (cs_node_trace_claim). Everything is bounded: max
 * cgroups in the table, the rest counted as overflow.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capscope/node.h"
#include "internal/cgroup-owner.h"
#include "internal/cleanup.h"
#include "internal/util.h"

#define DEFAULT_MAX 1024

/* CAP_SYS_ADMIN and CAP_SYS_PTRACE: where noise is told by its call site (docs/trace.md). */
#define NOISE_CAPS (CS_BIT(21) | CS_BIT(19))

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cs_node_trace_init(struct cs_node_trace *nt, size_t max)
{
	memset(nt, 0, sizeof(*nt));
	nt->max = max ? max : DEFAULT_MAX;
	nt->started = now_s();
}

int cs_node_trace_open(struct cs_node_trace *nt, size_t max, struct cs_diag *d)
{
	struct cs_tracer_config cfg = {
	    .scope = CS_TRACER_ALL, .stack_caps = NOISE_CAPS, .per_cgroup = true};
	struct cs_diag kd = {0};
	int r;

	cs_node_trace_init(nt, max);
	if ((r = cs_tracer_open(&cfg, &nt->tracer, d)) < 0)
		return r;
	/* Without kallsyms every check counts as ordinary: a profile can only
	 * be too large, never miss a need. */
	if (cs_ksyms_load(&nt->ksyms, &kd) < 0)
		memset(&nt->ksyms, 0, sizeof(nt->ksyms));
	nt->started = now_s();
	return 0;
}

/* The position in the index of cgroup, or where it would go. */
static size_t find(const struct cs_node_trace *nt, uint64_t cgroup)
{
	size_t lo = 0, hi = nt->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (nt->v[nt->idx[mid]].cgroup < cgroup)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The row of cgroup, or NULL. */
static struct cs_node_usage *row_of(const struct cs_node_trace *nt, uint64_t cgroup)
{
	size_t i = nt->n ? find(nt, cgroup) : 0;

	return i < nt->n && nt->v[nt->idx[i]].cgroup == cgroup ? &nt->v[nt->idx[i]] : NULL;
}

static int by_cgroup(const void *a, const void *b, void *rows)
{
	const struct cs_node_usage *v = rows;
	uint64_t x = v[*(const uint32_t *)a].cgroup, y = v[*(const uint32_t *)b].cgroup;

	return (x > y) - (x < y);
}

/* The index made again after rows were removed or moved in v. */
static void reindex(struct cs_node_trace *nt)
{
	for (size_t i = 0; i < nt->n; i++)
		nt->idx[i] = (uint32_t)i;
	if (nt->n)
		qsort_r(nt->idx, nt->n, sizeof(*nt->idx), by_cgroup, nt->v);
}

/*
 * Sixteenth pass: the rows themselves were kept sorted, and each new
 * cgroup moved half the table (rows of 1,104 bytes): 68 ms for 1,024 new
 * cgroups a drain (cgroup churn: a CronJob's pods, systemd's transient
 * units), 1.3 s for 4,096. Now the rows stay where they were added and an
 * index of 4-byte positions is kept sorted.
 */
static struct cs_node_usage *usage_of(struct cs_node_trace *nt, uint64_t cgroup)
{
	size_t i = nt->n ? find(nt, cgroup) : 0;

	if (i < nt->n && nt->v[nt->idx[i]].cgroup == cgroup)
		return &nt->v[nt->idx[i]];
	if (nt->n == nt->max || nt->max > UINT32_MAX)
		return NULL;
	if (!nt->v && !(nt->v = calloc(nt->max, sizeof(*nt->v))))
		return NULL;
	if (!nt->idx && !(nt->idx = calloc(nt->max, sizeof(*nt->idx))))
		return NULL;
	memmove(nt->idx + i + 1, nt->idx + i, (nt->n - i) * sizeof(*nt->idx));
	nt->idx[i] = (uint32_t)nt->n;
	memset(&nt->v[nt->n], 0, sizeof(nt->v[nt->n]));
	nt->v[nt->n].cgroup = cgroup;
	nt->v[nt->n].first = now_s();
	return &nt->v[nt->n++];
}

void cs_node_trace_add(const struct cs_trace_rec *rec, enum cs_site_class cls, void *ctx)
{
	struct cs_node_trace *nt = ctx;
	struct cs_node_usage *u;

	if (rec->cap < 0 || rec->cap >= CS_CAP_BITS)
		return;
	if (cls != CS_SITE_CHECK || cs_trace_runtime_init_comm(rec->comm)) {
		nt->noise += rec->count;
		return;
	}
	/* cgroup 0: counted past a full map with no cgroup (no cgroup has id 0). */
	if (!(u = rec->cgroup ? usage_of(nt, rec->cgroup) : &nt->node_spill)) {
		nt->overflow += rec->count;
		return;
	}
	u->checks[rec->cap][rec->ret != 0] += rec->count;
	/* Per-cgroup rows have tgid 0; a coarse one says so by its tgid. */
	if (rec->tgid)
		u->coarse += rec->count;
	if (rec->ret == 0) {
		u->used |= CS_BIT(rec->cap);
		u->used_in[cs_trace_userns(rec->target_ns, rec->own_ns)] |= CS_BIT(rec->cap);
	} else {
		u->denied |= CS_BIT(rec->cap);
	}
}

int cs_node_trace_drain(struct cs_node_trace *nt)
{
	if (!nt->tracer)
		return 0;
	return cs_tracer_drain(nt->tracer, nt->ksyms.n ? &nt->ksyms : NULL, cs_node_trace_add, nt);
}

const struct cs_node_usage *cs_node_trace_usage(const struct cs_node_trace *nt,
						const struct cs_node_ctr *c)
{
	if (!nt || !c->cgroup)
		return NULL;
	return row_of(nt, c->cgroup);
}

/* All the checks a usage row counted (for what is forgotten). */
static uint64_t total(const struct cs_node_usage *u)
{
	uint64_t n = 0;

	for (int c = 0; c < CS_CAP_BITS; c++)
		n += u->checks[c][0] + u->checks[c][1];
	return n;
}

/* What row from counted, added into row into (a sub-cgroup's into its container's). */
static void merge(struct cs_node_usage *into, const struct cs_node_usage *from)
{
	for (int c = 0; c < CS_CAP_BITS; c++) {
		into->checks[c][0] += from->checks[c][0];
		into->checks[c][1] += from->checks[c][1];
	}
	into->used |= from->used;
	for (int k = 0; k < CS_USERNS_KINDS; k++)
		into->used_in[k] |= from->used_in[k];
	into->denied |= from->denied;
	into->coarse += from->coarse;
	if (from->first < into->first)
		into->first = from->first;
}

/*
 * Only rows made before the agent named a container to the programs are
 * keyed by one of its sub-cgroups (cs_tracer_set_owners: the programs key
 * the others by the container's own cgroup). They are joined from the
 * row's cgroup up (join_by_id). Where the kernel will not open a cgroup
 * by its id, from the container's cgroup down instead: at most this many
 * cgroups below one container's are joined to it, each scrape.
 */
#define MAX_SUBS 256

/*
 * The rows of the cgroups below c's, moved into c's row (made when c's own
 * cgroup made no check). The row is removed first, so a full table still
 * has room for c's. Beyond MAX_SUBS sub-cgroups, the rest stay unclaimed.
 */
static void take_subs(struct cs_node_trace *nt, const struct cs_node_ctr *c, const uint64_t *own,
		      size_t nown)
{
	uint64_t ids[MAX_SUBS];
	int n = cs_cgroup_descendant_ids(c->cgroup_path, own, nown, ids, MAX_SUBS);

	if (n == -E2BIG)
		n = MAX_SUBS;
	for (int j = 0; j < n; j++) {
		struct cs_node_usage row, *u, *at = row_of(nt, ids[j]);

		/* Another container's own cgroup below c's, and all below it, are
		 * that container's: left out by the walk. */
		if (!at)
			continue;
		row = *at;
		*at = nt->v[--nt->n]; /* the last row takes its place */
		reindex(nt);
		if ((u = usage_of(nt, c->cgroup)))
			merge(u, &row);
	}
}

/* Whether id is one of the n sorted ids of own. */
static bool is_own(const uint64_t *own, size_t n, uint64_t id)
{
	return bsearch(&id, own, n, sizeof(*own), cs_u64_cmp) != NULL;
}

/* Each row's container from the row's cgroup (0: none), into to; -errno
 * when the kernel will not open cgroups by id (nothing resolved). */
static int owners_of_rows(const struct cs_node_trace *nt, const uint64_t *own, size_t nown,
			  uint64_t *to)
{
	char *root = NULL;
	int mfd, rc = 0;

	if ((rc = cs_cgroup2_root(&root)) < 0)
		return rc;
	mfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(root);
	if (mfd < 0)
		return -errno;
	for (size_t i = 0; i < nt->n && rc >= 0; i++) {
		to[i] = 0;
		if (!is_own(own, nown, nt->v[i].cgroup))
			rc = cs_cgroup_owner_by_id(mfd, nt->v[i].cgroup, own, nown, &to[i]);
	}
	close(mfd);
	return rc < 0 ? rc : 0;
}

/*
 * The rows of cgroups below a container's own moved into the container's
 * row, each found from its own cgroup up (the nearest container's, as the
 * programs key them). Fifteenth pass, part E's open find: joined from the
 * container's cgroup down, at most MAX_SUBS directories a scrape whether
 * they had rows or not, and the checks of the rest were counted as no
 * container's. The table is left as it was on an error.
 */
static int join_by_id(struct cs_node_trace *nt, const uint64_t *own, size_t nown)
{
	cs_cleanup_free uint64_t *to = NULL;
	cs_cleanup_free struct cs_node_usage *moved = NULL;
	size_t k = 0, m = 0;
	int rc;

	if (!nt->n)
		return 0;
	if (!(to = calloc(nt->n, sizeof(*to))))
		return -ENOMEM;
	if ((rc = owners_of_rows(nt, own, nown, to)) < 0)
		return rc;
	for (size_t i = 0; i < nt->n; i++)
		m += to[i] != 0;
	if (!m)
		return 0;
	/* Only the rows that move are copied (a row is over 1 KiB). */
	if (!(moved = calloc(m, sizeof(*moved))))
		return -ENOMEM;
	m = 0;
	for (size_t i = 0; i < nt->n; i++) {
		if (!to[i]) {
			nt->v[k++] = nt->v[i];
			continue;
		}
		moved[m] = nt->v[i];
		to[m++] = to[i];
	}
	nt->n = k;
	reindex(nt);
	/* Each row moved freed a place: its container's row always fits. */
	for (size_t j = 0; j < m; j++) {
		struct cs_node_usage *u = usage_of(nt, to[j]);

		if (u)
			merge(u, &moved[j]);
	}
	return 0;
}

/* c's cgroup, read again when its first process changed. */
static void read_cgroup(struct cs_node_ctr *c, const char *proc)
{
	struct cs_cgroup_target t;

	if (c->cgroup_pid == c->pid)
		return;
	free(c->cgroup_path);
	c->cgroup_path = NULL;
	c->cgroup = 0;
	c->cgroup_pid = c->pid;
	/* A process that has gone or moved, or a container in the root
	 * cgroup, leaves the cgroup unknown. */
	if (cs_pid_cgroup(proc, c->pid, &t) == 0) {
		c->cgroup = t.id;
		c->cgroup_path = t.path;
		t.path = NULL;
	}
	cs_cgroup_target_free(&t);
}

/* The deeper cgroup first: a container's below another's takes its own sub-cgroups first. */
static int deeper_first(const void *a, const void *b)
{
	const struct cs_node_ctr *x = *(struct cs_node_ctr *const *)a;
	const struct cs_node_ctr *y = *(struct cs_node_ctr *const *)b;
	size_t lx = x->cgroup_path ? strlen(x->cgroup_path) : 0;
	size_t ly = y->cgroup_path ? strlen(y->cgroup_path) : 0;

	return (lx < ly) - (lx > ly);
}

/* Every container's cgroup read, and the cgroups below each joined to it. */
static int join_subs(struct cs_node_trace *nt, struct cs_node_inventory *inv, const char *proc)
{
	cs_cleanup_free uint64_t *own = NULL;
	cs_cleanup_free struct cs_node_ctr **by_depth = NULL;
	size_t n = 0;

	if (inv->n && (!(own = calloc(inv->n, sizeof(*own))) ||
		       !(by_depth = calloc(inv->n, sizeof(*by_depth)))))
		return -ENOMEM;
	for (size_t i = 0; i < inv->n; i++) {
		struct cs_node_ctr *c = inv->v[i];

		if (!c->pid)
			continue;
		read_cgroup(c, proc);
		if (c->cgroup_path) {
			own[n] = c->cgroup;
			by_depth[n++] = c;
		}
	}
	if (n == 0) { /* qsort of a NULL array, even of nothing, is undefined */
		if (nt->tracer)
			cs_tracer_set_owners(nt->tracer, NULL, 0);
		return 0;
	}
	qsort(own, n, sizeof(*own), cs_u64_cmp);
	/* Each container's sub-cgroups share its room in the kernel map. */
	if (nt->tracer)
		cs_tracer_set_owners(nt->tracer, own, n);
	if (join_by_id(nt, own, n) == 0)
		return 0;
	qsort(by_depth, n, sizeof(*by_depth), deeper_first);
	for (size_t i = 0; i < n; i++)
		take_subs(nt, by_depth[i], own, n);
	return 0;
}

int cs_node_trace_claim(struct cs_node_trace *nt, struct cs_node_inventory *inv, const char *proc)
{
	double now = now_s();
	size_t k = 0;

	for (size_t i = 0; i < nt->n; i++)
		nt->v[i].claimed = false;
	if (join_subs(nt, inv, proc) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < inv->n; i++) {
		struct cs_node_ctr *c = inv->v[i];
		struct cs_node_usage *u;

		if (!c->pid)
			continue;
		u = c->cgroup ? row_of(nt, c->cgroup) : NULL;
		if (!c->trace_since) {
			/* Observed since it was first seen, or since its first check if
			 * that came earlier (it started between two scans), never before
			 * the tracer started. */
			c->trace_since = u && u->first < now ? u->first : now;
			if (c->trace_since < nt->started)
				c->trace_since = nt->started;
		}
		if (u)
			u->claimed = true;
	}
	for (size_t i = 0; i < nt->n; i++) {
		if (nt->v[i].claimed)
			nt->v[k++] = nt->v[i];
		else
			nt->unclaimed += total(&nt->v[i]);
	}
	nt->n = k;
	reindex(nt);
	return 0;
}

void cs_node_trace_close(struct cs_node_trace *nt)
{
	cs_tracer_close(nt->tracer);
	cs_ksyms_free(&nt->ksyms);
	free(nt->v);
	free(nt->idx);
	memset(nt, 0, sizeof(*nt));
}
