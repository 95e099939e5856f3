/* SPDX-License-Identifier: MIT */
/*
 * The final view of an image, built from layer entries in memory. The rules
 * follow what containerd's naive applier (archive/tar.go, applyNaive) does
 * on a real filesystem, so the report matches a real extraction:
 *  - names are cleaned lexically and joined to "/": "../x" lands in "/x";
 *  - parent directories that are symlinks are followed inside the image;
 *  - ".wh.NAME" removes NAME and everything below it;
 *  - ".wh..wh..opq" removes from its directory everything this layer has not
 *    itself written so far (the layer's own entries stay);
 *  - an entry replaces what was at its path (a directory over a directory
 *    only updates the metadata); the last duplicate wins;
 *  - a hard link is the same inode as its target: same mode, owner and
 *    xattrs, so a hard link to a set-uid file is a set-uid file.
 */
#include "view.h"
#include "../internal/util.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define VIEW_PATH_MAX 4096
/* What is left of a walk, a link's target put in front of it. */
#define VIEW_REST_MAX (2 * VIEW_PATH_MAX + 2)
#define VIEW_MAX_HOPS 40
/*
 * Lookup work (struct cs_view.work) allowed: a start, then so much an entry
 * and a name's byte. A merged-/usr entry ("lib/x/libc.so.6" through
 * "lib -> usr/lib") costs a few hundred; 10,000 entries under a chain of
 * 40 links of 3.4 KB each cost 160,000 each, 35 s for a 5 MB layer.
 */
#define VIEW_WORK_FREE	   (16u << 20)
#define VIEW_WORK_ENTRY	   8192u
#define VIEW_WORK_PER_BYTE 16u
/*
 * Nodes an opaque whiteout may walk and keep: a start, then so many an
 * entry. A layer's marker walks what the layer wrote under its directory
 * so far; N markers of one directory, each after one more entry of the
 * layer's, walked N^2/2 (64,000 of them: 76 s; twenty-fifth pass, part C).
 */
#define VIEW_OPQ_FREE  (4u << 20)
#define VIEW_OPQ_ENTRY 256u

int cs_view_normalize(const char *name, char *out, size_t len, int *flags)
{
	size_t o = 0;
	const char *p = name;

	*flags = 0;
	if (len < 2)
		return -ENAMETOOLONG;
	if (*p == '/')
		*flags |= CS_NORM_ABSOLUTE;
	out[0] = '/';
	o = 1;
	while (*p) {
		const char *s;
		size_t n;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		s = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - s);
		if (n == 1 && s[0] == '.')
			continue;
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			if (o == 1) {
				*flags |= CS_NORM_ESCAPED;
				continue;
			}
			while (o > 1 && out[o - 1] != '/')
				o--;
			if (o > 1)
				o--; /* the slash */
			continue;
		}
		if (o + (o > 1) + n + 1 > len)
			return -ENAMETOOLONG;
		if (o > 1)
			out[o++] = '/';
		memcpy(out + o, s, n);
		o += n;
	}
	out[o] = 0;
	return (int)o;
}

/* A copy with a terminating NUL (kept contents are read as text). */
static char *memdup(const char *p, size_t n)
{
	char *c = malloc(n + 1);

	if (c) {
		memcpy(c, p, n);
		c[n] = 0;
	}
	return c;
}

/*
 * Nodes are hashed by (parent, name), never by their whole path: looking a
 * path up walks it one component at a time, so an entry costs what its name
 * is long, whatever the depth (hashing every prefix of a 2,000-level name
 * made one entry cost millions of steps), and a node keeps only its name.
 */
static uint64_t hash(const struct cs_vnode *parent, const char *s, size_t n)
{
	uint64_t h =
	    cs_fnv1a(1469598103934665603ULL ^ ((uintptr_t)parent * 0x9e3779b97f4a7c15ULL), s, n);

	return h ^ (h >> 29);
}

/*
 * A kept file's content (cs_vnode.data), shared by its hard links: each link
 * copied it, so 3,000 link entries (1.5 MB) to a 1 MiB /etc/passwd held
 * 3 GB. data points at bytes[]; the count sits before it.
 */
struct vdata {
	size_t refs;
	char bytes[];
};

static char *data_new(const char *p, size_t n)
{
	struct vdata *d = malloc(sizeof(*d) + n + 1); /* NUL-terminated: read as text */

	if (!d)
		return NULL;
	d->refs = 1;
	memcpy(d->bytes, p, n);
	d->bytes[n] = 0;
	return d->bytes;
}

static struct vdata *data_of(char *data)
{
	return (struct vdata *)(void *)(data - offsetof(struct vdata, bytes));
}

static char *data_ref(char *data)
{
	if (data)
		data_of(data)->refs++;
	return data;
}

static void data_put(char *data)
{
	if (data && --data_of(data)->refs == 0)
		free(data_of(data));
}

static void inode_put(struct cs_vinode *ino)
{
	if (ino && --ino->refs == 0)
		free(ino);
}

static void node_free(struct cs_vnode *n)
{
	inode_put(n->ino);
	data_put(n->link);
	data_put(n->data);
	free(n->head);
	free(n);
}

static int rehash(struct cs_view *v)
{
	size_t nb = v->nbuckets * 2;
	struct cs_vnode **t = calloc(nb, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < v->nbuckets; i++) {
		struct cs_vnode *n = v->tab[i], *nx;

		for (; n; n = nx) {
			size_t b = hash(n->parent, n->name, n->namelen) & (nb - 1);

			nx = n->hnext;
			n->hnext = t[b];
			t[b] = n;
		}
	}
	free(v->tab);
	v->tab = t;
	v->nbuckets = nb;
	return 0;
}

/* The child of parent called name (n bytes), or NULL. */
static struct cs_vnode *child(const struct cs_view *v, const struct cs_vnode *parent,
			      const char *name, size_t n)
{
	struct cs_vnode *c = v->tab[hash(parent, name, n) & (v->nbuckets - 1)];
	/* A statistic only, kept by lookups that are otherwise read-only. */
	uint64_t *work = (uint64_t *)&v->work;

	*work += n + 1;
	for (; c; c = c->hnext) {
		++*work;
		if (c->parent == parent && c->namelen == n && memcmp(c->name, name, n) == 0)
			return c;
	}
	return NULL;
}

/* Next component of *p ("." skipped); false at the end. */
static bool next_comp(const char **p, const char **c, size_t *n)
{
	for (;;) {
		while (**p == '/')
			(*p)++;
		if (!**p)
			return false;
		*c = *p;
		while (**p && **p != '/')
			(*p)++;
		*n = (size_t)(*p - *c);
		if (*n != 1 || (*c)[0] != '.')
			return true;
	}
}

struct cs_vnode *cs_view_lookup(const struct cs_view *v, const char *path)
{
	struct cs_vnode *n = v->root;
	const char *c;
	size_t len;

	while (n && next_comp(&path, &c, &len))
		n = child(v, n, c, len);
	return n;
}

void cs_vnode_attr(const struct cs_vnode *n, struct cs_vattr *out)
{
	if (n->ino) {
		*out = n->ino->a;
		return;
	}
	*out = (struct cs_vattr){.mode = n->mode,
				 .uid = n->uid,
				 .gid = n->gid,
				 .has_fcaps = n->has_fcaps,
				 .fcaps_invalid = n->fcaps_invalid,
				 .fcaps = n->fcaps};
}

/*
 * What a hard link entry does to its inode, as containerd, Docker and
 * containers/storage (CRI-O, Podman) apply it after link(2): lchown to the
 * entry's owner, which makes the kernel drop set-uid, set-gid (with group
 * execute) and security.capability; then the entry's xattrs; then chmod to
 * the entry's mode (containers/storage always; containerd and Docker when
 * their Lstat of the link name succeeds, else the bits stay without set-id:
 * the entry's bits are never less than what runs). The header of a hard
 * link written by a real tool repeats its target's, so nothing changes.
 */
static void link_attrs(struct cs_vattr *a, const struct cs_ventry *e)
{
	a->uid = e->uid;
	a->gid = e->gid;
	if (!S_ISREG(a->mode))
		return; /* a link to a symlink: no set-id bits, no chmod */
	a->has_fcaps = e->has_fcaps;
	a->fcaps_invalid = e->has_fcaps && e->fcaps_invalid;
	a->fcaps = e->has_fcaps ? e->fcaps : (struct cs_fcaps){0};
	a->mode = (a->mode & S_IFMT) | (e->mode & 07777);
}

/*
 * Make target and n two names of one inode with the entry's attributes.
 * Within one layer every earlier name of the inode shares the change; a
 * target from a lower layer is copied up first (overlayfs), so the lower
 * names keep what they had.
 */
static int share_inode(struct cs_vnode *target, struct cs_vnode *n, int layer,
		       const struct cs_ventry *e)
{
	struct cs_vinode *ino = target->ino;

	if (!ino || ino->layer != layer) {
		if (!(ino = calloc(1, sizeof(*ino))))
			return -ENOMEM;
		cs_vnode_attr(target, &ino->a);
		ino->layer = layer;
		ino->refs = 1;
		inode_put(target->ino);
		target->ino = ino;
	}
	ino->refs++;
	n->ino = ino;
	link_attrs(&ino->a, e);
	return 0;
}

int cs_vnode_set_data(struct cs_vnode *n, const char *p, size_t len)
{
	if (n->data || !(n->data = data_new(p, len)))
		return n->data ? -EEXIST : -ENOMEM;
	n->datalen = len;
	return 0;
}

char *cs_vnode_path(const struct cs_vnode *n)
{
	size_t len = 0, at;
	char *s;

	for (const struct cs_vnode *x = n; x->parent; x = x->parent)
		len += x->namelen + 1;
	if (!len)
		return strdup("/");
	s = malloc(len + 1);
	if (!s)
		return NULL;
	s[at = len] = 0;
	for (const struct cs_vnode *x = n; x->parent; x = x->parent) {
		at -= x->namelen;
		memcpy(s + at, x->name, x->namelen);
		s[--at] = '/';
	}
	return s;
}

static struct cs_vnode *node_new(struct cs_view *v, struct cs_vnode *parent, const char *name,
				 size_t len)
{
	struct cs_vnode *n;
	size_t b;

	if (v->count >= v->max_nodes) {
		errno = E2BIG;
		return NULL;
	}
	if (v->count >= v->nbuckets && rehash(v) < 0)
		return NULL;
	n = calloc(1, sizeof(*n) + len + 1);
	if (!n) {
		errno = ENOMEM;
		return NULL;
	}
	memcpy(n->name, name, len);
	n->namelen = len;
	b = hash(parent, name, len) & (v->nbuckets - 1);
	n->hnext = v->tab[b];
	v->tab[b] = n;
	n->parent = parent;
	if (parent) {
		n->next = parent->child;
		if (parent->child)
			parent->child->prev = n;
		parent->child = n;
	}
	v->count++;
	return n;
}

static void unhash(struct cs_view *v, struct cs_vnode *n)
{
	struct cs_vnode **pp = &v->tab[hash(n->parent, n->name, n->namelen) & (v->nbuckets - 1)];

	for (; *pp; pp = &(*pp)->hnext)
		if (*pp == n) {
			*pp = n->hnext;
			break;
		}
}

static void remove_subtree(struct cs_view *v, struct cs_vnode *n)
{
	if (!n || n == v->root)
		return;
	while (n->child)
		remove_subtree(v, n->child);
	if (n->prev)
		n->prev->next = n->next;
	else if (n->parent)
		n->parent->child = n->next;
	if (n->next)
		n->next->prev = n->prev;
	unhash(v, n);
	v->count--;
	node_free(n);
}

int cs_view_init(struct cs_view *v)
{
	memset(v, 0, sizeof(*v));
	v->nbuckets = 1024;
	v->max_nodes = 8u << 20;
	v->budget = VIEW_WORK_FREE;
	v->opq_budget = VIEW_OPQ_FREE;
	v->tab = calloc(v->nbuckets, sizeof(*v->tab));
	if (!v->tab)
		return -ENOMEM;
	v->root = node_new(v, NULL, "", 0);
	if (!v->root) {
		/* NULL too: cs_view_free, which the caller runs on a view that
		 * failed here, freed the table again (a docker archive's view
		 * made again after pass 1, its root not allocated: "double free
		 * or corruption", exit 134; twenty-eighth pass, part C). */
		free(v->tab);
		v->tab = NULL;
		return -ENOMEM;
	}
	v->root->mode = S_IFDIR | 0755;
	v->root->layer = -1;
	return 0;
}

void cs_view_free(struct cs_view *v)
{
	if (!v->tab)
		return;
	for (size_t i = 0; i < v->nbuckets; i++) {
		struct cs_vnode *n = v->tab[i], *nx;

		for (; n; n = nx) {
			nx = n->hnext;
			node_free(n);
		}
	}
	free(v->tab);
	memset(v, 0, sizeof(*v));
}

/* Append component c (n bytes) to the resolved prefix cur ("" = root). */
static int push_comp(char *cur, size_t *clen, size_t len, const char *c, size_t n)
{
	if (*clen + 1 + n + 1 > len)
		return -ENAMETOOLONG;
	cur[(*clen)++] = '/';
	memcpy(cur + *clen, c, n);
	*clen += n;
	cur[*clen] = 0;
	return 0;
}

/* Drop the last component of the resolved prefix. */
static void pop_comp(char *cur, size_t *clen)
{
	while (*clen > 0 && cur[*clen - 1] != '/')
		(*clen)--;
	if (*clen > 0)
		(*clen)--;
	cur[*clen] = 0;
}

static int walk(const struct cs_view *v, const char *path, bool follow_last, char *out, size_t len,
		cs_view_visit_fn *visit, void *ctx);

int cs_view_resolve(const struct cs_view *v, const char *path, bool follow_last, char *out,
		    size_t len)
{
	return cs_view_resolve_visit(v, path, follow_last, out, len, NULL, NULL);
}

/*
 * A lookup made once the layers are applied (the entrypoint's $PATH search,
 * an interpreter, /etc/passwd) may cost what its own path allows, 16 steps a
 * byte, beyond what the entries left: a plain walk costs a few steps a byte,
 * so only symlinked directories reach the bound (10,000 "/l39" entries of a
 * config's PATH under a chain of 40 links took 10 s before the bound).
 */
int cs_view_resolve_visit(const struct cs_view *v, const char *path, bool follow_last, char *out,
			  size_t len, cs_view_visit_fn *visit, void *ctx)
{
	/* Kept in the view like its work, which lookups otherwise only read. */
	uint64_t *budget = (uint64_t *)&v->budget;

	*budget += VIEW_WORK_PER_BYTE * ((uint64_t)strlen(path) + 1);
	return walk(v, path, follow_last, out, len, visit, ctx);
}

/*
 * Where a walk stands: the resolved prefix out (clen bytes), the node of each
 * of its components (at, NULL past a missing one), the links followed. A walk
 * from a base (cs_view_base) starts where the base's walk ended and notes the
 * lowest clen and depth it reached, below which it wrote over the base.
 */
struct walk_state {
	char *out;
	size_t len, clen, depth, lo_clen, lo_depth;
	const struct cs_vnode **at;
	int hops;
	/* The most bytes a link's expansion had to spare (a base's walk only). */
	size_t slack;
};

static void walk_low(struct walk_state *s)
{
	if (s->clen < s->lo_clen)
		s->lo_clen = s->clen;
	if (s->depth < s->lo_depth)
		s->lo_depth = s->depth;
}

static int walk_from(const struct cs_view *v, const char *path, bool follow_last,
		     struct walk_state *s, cs_view_visit_fn *visit, void *ctx);

static int walk(const struct cs_view *v, const char *path, bool follow_last, char *out, size_t len,
		cs_view_visit_fn *visit, void *ctx)
{
	/* The node of each resolved component (NULL past a missing one): ".." pops. */
	const struct cs_vnode *at[VIEW_PATH_MAX / 2 + 2];
	struct walk_state s = {.out = out, .len = len, .at = at, .slack = SIZE_MAX};

	if (strlen(path) >= VIEW_REST_MAX / 2)
		return -ENAMETOOLONG;
	out[0] = 0;
	at[0] = v->root;
	return walk_from(v, path, follow_last, &s, visit, ctx);
}

static int walk_from(const struct cs_view *v, const char *path, bool follow_last,
		     struct walk_state *s, cs_view_visit_fn *visit, void *ctx)
{
	/* rest holds what is left to walk; a symlink's target is put in front of it. */
	char rest[VIEW_REST_MAX], tmp[VIEW_REST_MAX];
	char *out = s->out;
	const struct cs_vnode **at = s->at;
	size_t r = 0;
	/* child() counts the names it looks up; "." and ".." and the bytes a
	 * symlink puts in front of the rest are walked too: 40 links whose
	 * targets were 4 KB of "./" or '/' cost 80,000 steps an entry and were
	 * counted 80 (10,000 entries: 2.3 s, 40,000 some 10 s, under the bound). */
	uint64_t *work = (uint64_t *)&v->work;

	snprintf(rest, sizeof(rest), "%s", path);
	while (rest[r]) {
		const char *c;
		size_t n;
		const struct cs_vnode *node;
		bool last;

		if (v->work > v->budget)
			return -E2BIG; /* cs_view_over_budget says it */
		while (rest[r] == '/')
			r++;
		if (!rest[r])
			break;
		c = rest + r;
		while (rest[r] && rest[r] != '/')
			r++;
		n = (size_t)(rest + r - c);
		if (visit && at[s->depth]) {
			int rc = visit(ctx, at[s->depth], s->clen ? out : "/", s->clen, s->depth);

			if (rc < 0)
				return rc;
		}
		if (n == 1 && c[0] == '.') {
			++*work;
			continue;
		}
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			++*work;
			pop_comp(out, &s->clen);
			if (s->depth)
				s->depth--;
			walk_low(s);
			continue;
		}
		if (push_comp(out, &s->clen, s->len, c, n) < 0 ||
		    s->depth + 1 >= VIEW_PATH_MAX / 2 + 2)
			return -ENAMETOOLONG;
		node = at[s->depth] ? child(v, at[s->depth], c, n) : NULL;
		at[++s->depth] = node;
		{
			size_t k = r;

			while (rest[k] == '/')
				k++;
			last = !rest[k];
		}
		if (!node)
			continue; /* a missing component: the caller decides */
		if (S_ISLNK(node->mode) && (!last || follow_last)) {
			size_t tl;

			if (++s->hops > VIEW_MAX_HOPS)
				return -ELOOP;
			if (snprintf(tmp, sizeof(tmp), "%s/%s", node->link ? node->link : "",
				     rest + r) >= (int)sizeof(tmp) ||
			    (tl = strlen(tmp)) >= sizeof(rest))
				return -ENAMETOOLONG;
			if (sizeof(rest) - 1 - tl < s->slack)
				s->slack = sizeof(rest) - 1 - tl;
			*work += tl;
			memcpy(rest, tmp, tl + 1);
			r = 0;
			/* Drop the link's own component; an absolute target starts at the root. */
			pop_comp(out, &s->clen);
			s->depth--;
			if (node->link && node->link[0] == '/') {
				s->clen = 0;
				s->depth = 0;
				out[0] = 0;
			}
			walk_low(s);
			continue;
		}
		if (!last && !S_ISDIR(node->mode))
			return -ENOTDIR;
	}
	if (s->clen == 0)
		snprintf(out, s->len, "/");
	return 0;
}

/*
 * A directory resolved once, for the lookups of names relative to it (the
 * $PATH search's relative entries, from the working directory): each walks
 * its own names from where the directory's walk ended, as the kernel starts
 * a relative lookup at the cwd, instead of the whole joined path again
 * (100,000 empty entries under a 4 KB WorkingDir took 8.7 s).
 */
struct cs_view_base {
	struct walk_state s;
	int rc;
	size_t dirlen; /* of the path the joined names would have had in front */
	char out[VIEW_PATH_MAX], saved[VIEW_PATH_MAX];
	const struct cs_vnode *at[VIEW_PATH_MAX / 2 + 2], *saved_at[VIEW_PATH_MAX / 2 + 2];
};

int cs_view_base_new(const struct cs_view *v, const char *dir, struct cs_view_base **out)
{
	struct cs_view_base *b = calloc(1, sizeof(*b));
	uint64_t *budget = (uint64_t *)&v->budget;

	if (!(*out = b))
		return -ENOMEM;
	b->s = (struct walk_state){
	    .out = b->out, .len = sizeof(b->out), .at = b->at, .slack = SIZE_MAX};
	b->dirlen = strlen(dir);
	b->at[0] = v->root;
	*budget += VIEW_WORK_PER_BYTE * ((uint64_t)b->dirlen + 1);
	if (b->dirlen >= VIEW_REST_MAX / 2)
		b->rc = -ENAMETOOLONG;
	else
		b->rc = walk_from(v, dir, true, &b->s, NULL, NULL);
	/* Joined, its last name was not the last: a file there is ENOTDIR. */
	if (!b->rc && b->at[b->s.depth] && !S_ISDIR(b->at[b->s.depth]->mode))
		b->rc = -ENOTDIR;
	if (b->s.clen == 0)
		b->out[0] = 0; /* walk wrote "/" for the root; joined, it is the empty prefix */
	memcpy(b->saved, b->out, b->s.clen + 1);
	memcpy(b->saved_at, b->at, (b->s.depth + 1) * sizeof(b->at[0]));
	return 0;
}

void cs_view_base_free(struct cs_view_base *b)
{
	free(b);
}

int cs_view_node_from(const struct cs_view *v, struct cs_view_base *b, const char *rel,
		      size_t joined_len, bool follow, const struct cs_vnode **node)
{
	struct walk_state s = b->s;
	uint64_t *budget = (uint64_t *)&v->budget;
	int rc;

	*node = NULL;
	/* What the joined path's lookup was allowed, so the bound is the same. */
	*budget += VIEW_WORK_PER_BYTE * ((uint64_t)joined_len + 1);
	if (joined_len >= VIEW_REST_MAX / 2)
		return -ENAMETOOLONG;
	if (b->rc < 0)
		return b->rc;
	/* A link in the directory's path had the joined rest after it. */
	if (b->s.slack != SIZE_MAX && joined_len - b->dirlen > b->s.slack)
		return -ENAMETOOLONG;
	s.lo_clen = s.clen;
	s.lo_depth = s.depth;
	rc = walk_from(v, rel, follow, &s, NULL, NULL);
	if (!rc)
		*node = s.at[s.depth];
	/* Put back what this walk wrote over the base: its own length at most,
	 * or the base's when a link sent it to the root. */
	memcpy(b->out + s.lo_clen, b->saved + s.lo_clen, b->s.clen + 1 - s.lo_clen);
	memcpy(b->at + s.lo_depth, b->saved_at + s.lo_depth,
	       (b->s.depth + 1 - s.lo_depth) * sizeof(b->at[0]));
	return rc;
}

/* Make every missing directory of path (a resolved path); returns the node of path. */
static struct cs_vnode *ensure_dir(struct cs_view *v, const char *path)
{
	struct cs_vnode *n = v->root, *c;
	const char *comp;
	size_t len;

	if (strlen(path) > VIEW_PATH_MAX) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	while (next_comp(&path, &comp, &len)) {
		c = child(v, n, comp, len);
		if (!c) {
			c = node_new(v, n, comp, len);
			if (!c)
				return NULL;
			c->mode = S_IFDIR | 0755;
			c->layer = -1;
		} else if (!S_ISDIR(c->mode)) {
			errno = ENOTDIR;
			return NULL;
		}
		n = c;
	}
	return n;
}

/* Each node removed was paid for by its entry; each one kept is charged
 * (opq_work), and the walk stops once over what the entries allow. */
static void opaque_clear(struct cs_view *v, struct cs_vnode *dir, int layer)
{
	struct cs_vnode *c = dir->child, *nx;

	for (; c && v->opq_work <= v->opq_budget; c = nx) {
		nx = c->next;
		if (c->layer != layer) {
			remove_subtree(v, c);
		} else {
			v->opq_work++;
			if (S_ISDIR(c->mode))
				opaque_clear(v, c, layer);
		}
	}
}

/* Split a normalized path into its parent resolved inside the image and its base. */
static int resolve_parent(const struct cs_view *v, const char *norm, char *pdir, size_t len,
			  const char **base)
{
	char dir[VIEW_PATH_MAX + 1];
	const char *slash = strrchr(norm, '/');
	size_t dl = (size_t)(slash - norm);

	*base = slash + 1;
	if (dl == 0) {
		snprintf(pdir, len, "/");
		return 0;
	}
	memcpy(dir, norm, dl);
	dir[dl] = 0;
	return walk(v, dir, true, pdir, len, NULL, NULL); /* charged by charge() */
}

/*
 * An entry no applier can write, as a hard link link(2) cannot make
 * (bad_link): containerd's applier fails the layer on the error of its
 * open, mkdir or lstat, and so does Docker's. It was ignored with a
 * warning and the container predicted from the rest.
 */
static int too_long(const char *name, struct cs_diag *d)
{
	char cut[CS_CLIP];

	/* The name's head and tail, so the reason after it fits the message
	 * (cut at 200 bytes, it pushed the reason out). */
	cs_diag_set(d, ENAMETOOLONG, 0, 0, NULL,
		    "%s: a name longer than %d bytes (ENAMETOOLONG): containerd and Docker "
		    "fail on this layer",
		    cs_clip_mid(cut, sizeof(cut), name), VIEW_PATH_MAX);
	return CS_VIEW_UNPACKABLE;
}

/* A whiteout entry (".wh.NAME", ".wh..wh..opq") in directory pdir: 0, or
 * CS_VIEW_UNPACKABLE (said in d). */
static int apply_whiteout(struct cs_view *v, int layer, const char *pdir, const char *base,
			  struct cs_diag *d)
{
	const char *name = base + 4;
	char full[VIEW_PATH_MAX + 1];

	if (strcmp(base, ".wh..wh..opq") == 0) {
		struct cs_vnode *dir = cs_view_lookup(v, pdir);

		if (dir && S_ISDIR(dir->mode))
			opaque_clear(v, dir, layer);
		if (v->opq_work > v->opq_budget)
			return cs_diag_set(
			    d, E2BIG, 0, 0, NULL,
			    "opaque whiteouts (.wh..wh..opq) walked %llu entries again, "
			    "over what the entries allow (%u, and %u an entry)",
			    (unsigned long long)v->opq_work, VIEW_OPQ_FREE, VIEW_OPQ_ENTRY);
		return 0;
	}
	if (strncmp(base, ".wh..wh.", 8) == 0)
		return 0; /* aufs bookkeeping (.wh..wh.plnk, …), nothing to apply */
	/* ".wh.", ".wh.." and ".wh...": a whiteout of its own directory or of
	 * the one above, which the lookup took for that directory (a whole
	 * tree of set-id files gone, without a word). containerd refuses the
	 * layer ("invalid whiteout name"); Docker's overlay2 fails on it too. */
	if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		cs_diag_set(d, EINVAL, 0, 0, NULL,
			    "invalid whiteout name '%s': containerd and Docker fail on this layer",
			    base);
		return CS_VIEW_UNPACKABLE;
	}
	if (snprintf(full, sizeof(full), "%s%s%s", strcmp(pdir, "/") ? pdir : "", "/", name) >=
	    (int)sizeof(full))
		return too_long(base, d);
	remove_subtree(v, cs_view_lookup(v, full));
	return 0;
}

/* A new node n takes what entry e says of itself (not a hard link). */
static int fill_from_entry(struct cs_vnode *n, const struct cs_ventry *e)
{
	n->mode = e->mode;
	n->uid = e->uid;
	n->gid = e->gid;
	n->has_fcaps = e->has_fcaps && S_ISREG(e->mode);
	n->fcaps_invalid = e->fcaps_invalid;
	n->fcaps = e->fcaps;
	if (S_ISLNK(e->mode) && !(n->link = data_new(e->symlink ? e->symlink : "",
						     e->symlink ? strlen(e->symlink) : 0)))
		return -ENOMEM;
	if (S_ISREG(e->mode) && e->data) {
		if (!(n->data = data_new(e->data, e->datalen)))
			return -ENOMEM;
		n->datalen = e->datalen;
	} else if (S_ISREG(e->mode)) {
		n->datalen = (size_t)e->size; /* what a second read would give */
	}
	if (S_ISREG(e->mode)) {
		n->src_layer = (uint16_t)n->layer;
		n->src_nth = e->nth;
	}
	n->unknown_format = S_ISREG(e->mode) && e->unknown_format;
	if (S_ISREG(e->mode) && e->head) {
		if (!(n->head = memdup(e->head, e->headlen)))
			return -ENOMEM;
		n->headlen = e->headlen;
	}
	return 0;
}

int cs_view_over_budget(const struct cs_view *v, struct cs_diag *d, bool loaded)
{
	return cs_diag_set(d, E2BIG, 0, 0, NULL,
			   "lookups through symlinked directories cost %llu steps, over what "
			   "the entries allow (%u each and %u a name's byte)%s",
			   (unsigned long long)v->work, VIEW_WORK_ENTRY, VIEW_WORK_PER_BYTE,
			   loaded ? " and the paths looked up in the image once read (16 a byte)"
				  : "");
}

/* d cleared; the lookups' work so far against what the entries allow, then this
 * entry's allowance. */
static int charge(struct cs_view *v, const struct cs_ventry *e, struct cs_diag *d)
{
	if (d)
		memset(d, 0, sizeof(*d));
	if (v->work > v->budget)
		return cs_view_over_budget(v, d, false);
	v->opq_budget += VIEW_OPQ_ENTRY;
	v->budget += VIEW_WORK_ENTRY +
		     VIEW_WORK_PER_BYTE *
			 (uint64_t)(strlen(e->name) + (e->hardlink ? strlen(e->hardlink) : 0) +
				    (e->symlink ? strlen(e->symlink) : 0));
	return 0;
}

/* symlink(2) takes a target shorter than PATH_MAX: the appliers' os.Symlink fails. */
static int long_symlink(const struct cs_ventry *e, const char *norm, struct cs_diag *d)
{
	if (S_ISLNK(e->mode) && !e->hardlink && e->symlink && strlen(e->symlink) >= VIEW_PATH_MAX)
		return cs_diag_set(
		    d, ENAMETOOLONG, 0, 0, NULL,
		    "%.*s%s: a symlink to %zu bytes, where symlink(2) takes fewer "
		    "than %d (ENAMETOOLONG): containerd and Docker fail on this layer",
		    CS_MSG_CUTS(norm + 1, 200), strlen(e->symlink), VIEW_PATH_MAX);
	return 0;
}

/*
 * A hard link no applier can make: containerd's applier (archive/tar.go)
 * removes what the entry's name holds, then calls link(2) on the target,
 * and fails the layer when it does not exist (ENOENT: never written, or
 * written after the link, or the link itself) or is a directory (EPERM).
 * Ignoring the link predicted a container from an image that cannot be
 * pulled: refused, as containerd does.
 */
static int bad_link(const struct cs_ventry *e, const char *norm, const char *why, struct cs_diag *d)
{
	cs_diag_set(d, EINVAL, 0, 0, NULL,
		    "%.*s%s: a hard link to '%.*s%s', %s: link(2) fails: containerd and "
		    "Docker fail on this layer",
		    CS_MSG_CUTS(norm + 1, 200), CS_MSG_CUTS(e->hardlink, 200), why);
	return CS_VIEW_UNPACKABLE;
}

/* A hard link's target, resolved into tf: 0, CS_VIEW_UNPACKABLE (d says why), or -E2BIG. */
static int link_target(struct cs_view *v, const struct cs_ventry *e, const char *norm,
		       char tf[VIEW_PATH_MAX + 1], struct cs_vnode **target, struct cs_diag *d)
{
	char tn[VIEW_PATH_MAX + 1], tp[VIEW_PATH_MAX + 1];
	const char *tb;
	int tflags, rc = 0;

	bool root = false;

	if (cs_view_normalize(e->hardlink, tn, sizeof(tn), &tflags) < 0 ||
	    (root = strcmp(tn, "/") == 0) ||
	    (rc = resolve_parent(v, tn, tp, sizeof(tp), &tb)) < 0 ||
	    snprintf(tf, VIEW_PATH_MAX + 1, "%s/%s", strcmp(tp, "/") ? tp : "", tb) >=
		VIEW_PATH_MAX + 1 ||
	    !(*target = cs_view_lookup(v, tf)) || S_ISDIR((*target)->mode)) {
		if (rc == -E2BIG)
			return cs_view_over_budget(v, d, false);
		return bad_link(e, norm,
				root || (*target && S_ISDIR((*target)->mode))
				    ? "a directory"
				    : "not in the image when linked",
				d);
	}
	return 0;
}

/* Whether n is `top` or below it: removed with it. */
static bool under(const struct cs_vnode *n, const struct cs_vnode *top)
{
	for (; n; n = n->parent)
		if (n == top)
			return true;
	return false;
}

int cs_view_apply(struct cs_view *v, int layer, const struct cs_ventry *e, struct cs_diag *d)
{
	char norm[VIEW_PATH_MAX + 1], pdir[VIEW_PATH_MAX + 1], full[VIEW_PATH_MAX + 1];
	char tf[VIEW_PATH_MAX + 1]; /* a hard link's target, resolved */
	const char *base;
	int flags, rc, warn = 0;
	struct cs_vnode *parent, *old, *n, *target = NULL;

	if ((rc = charge(v, e, d)) < 0) /* and d cleared */
		return rc;
	rc = cs_view_normalize(e->name, norm, sizeof(norm), &flags);
	if (rc < 0)
		return too_long(e->name, d);
	if (flags & CS_NORM_ESCAPED) {
		cs_diag_set(d, EXDEV, 0, 0, NULL,
			    "name climbs out of the root with '..': kept inside it as %.*s%s",
			    CS_MSG_CUTS(norm, 200));
		warn = 2;
	} else if (flags & CS_NORM_ABSOLUTE) {
		/* A tar that names /etc/passwd wants the host's file: say so (docs/scan.md). */
		cs_diag_set(d, EXDEV, 0, 0, NULL, "absolute name: kept inside the image as %.*s%s",
			    CS_MSG_CUTS(norm, 200));
		warn = 2;
	}
	if (strcmp(norm, "/") == 0) {
		/* The root entry ("./"): containerd's applier skips it, moby's
		 * UnpackLayer (Docker's graph drivers, and the fork in
		 * containers/storage) chmods and chowns the container's root by it.
		 * The view keeps 0755 root:root; one that says otherwise makes the
		 * prediction depend on the runtime: said, never silent. */
		if (S_ISDIR(e->mode) && !e->hardlink &&
		    ((e->mode & 07777) != 0755 || e->uid != 0 || e->gid != 0)) {
			cs_diag_set(
			    d, EXDEV, 0, 0, NULL,
			    "the root entry has mode %04o, uid %u, gid %u: containerd ignores "
			    "it, Docker's graph drivers (and CRI-O's, from the same code) "
			    "apply it to the container's root; predicted as 0755 root:root",
			    e->mode & 07777, e->uid, e->gid);
			return 2;
		}
		return warn;
	}
	rc = resolve_parent(v, norm, pdir, sizeof(pdir), &base);
	if (rc == -E2BIG)
		return cs_view_over_budget(v, d, false);
	if (rc < 0) {
		cs_diag_set(d, -rc, 0, 0, NULL,
			    "%.*s%s: its parent directory cannot be resolved (%s): containerd and "
			    "Docker fail on this layer",
			    CS_MSG_CUTS(norm + 1, 200), strerror(-rc));
		return CS_VIEW_UNPACKABLE;
	}
	if (strncmp(base, ".wh.", 4) == 0)
		return (rc = apply_whiteout(v, layer, pdir, base, d)) ? rc : warn;
	if (snprintf(full, sizeof(full), "%s/%s", strcmp(pdir, "/") ? pdir : "", base) >=
	    (int)sizeof(full))
		return too_long(norm + 1, d);
	if ((rc = long_symlink(e, norm, d)) < 0)
		return rc;
	if (e->hardlink) {
		if ((rc = link_target(v, e, norm, tf, &target, d)) != 0)
			return rc;
		/* The applier removes the name first: a link to itself, or to a
		 * file under the directory it replaces, has no target left. */
		if (under(target, cs_view_lookup(v, full)))
			return bad_link(e, norm, "removed first when this entry is unpacked", d);
	}
	parent = ensure_dir(v, pdir);
	if (!parent) {
		if (errno == ENOTDIR) {
			cs_diag_set(d, ENOTDIR, 0, 0, NULL,
				    "%.*s%s: its parent %.*s%s is not a directory (ENOTDIR): "
				    "containerd and Docker fail on this layer",
				    CS_MSG_CUTS(norm + 1, 200), CS_MSG_CUTS(pdir, 200));
			return CS_VIEW_UNPACKABLE;
		}
		return -errno;
	}
	old = cs_view_lookup(v, full);
	if (old && S_ISDIR(old->mode) && S_ISDIR(e->mode) && !e->hardlink) {
		old->mode = e->mode;
		old->uid = e->uid;
		old->gid = e->gid;
		old->layer = layer;
		return warn;
	}
	if (old && old == v->root)
		return warn;
	/* Copy the target before removing anything: the link may replace a sibling of it. */
	struct cs_vnode copy = {0};
	char *tlink = NULL, *tdata = NULL, *thead = NULL;

	if (target) {
		copy = *target;
		/* Shared, and kept while the target may be removed: a copy of a
		 * symlink's 4 KB target for each of 100,000 hard links (51 MB of
		 * tar) held 426 MB. */
		tdata = data_ref(target->data);
		tlink = data_ref(target->link);
		if (target->head && !(thead = memdup(target->head, target->headlen))) {
			data_put(tlink);
			data_put(tdata);
			return -ENOMEM;
		}
	}
	remove_subtree(v, old);
	n = node_new(v, parent, base, strlen(base));
	if (!n) {
		data_put(tlink);
		data_put(tdata);
		free(thead);
		return -errno;
	}
	n->layer = layer;
	if (target) {
		n->mode = copy.mode;
		n->uid = copy.uid;
		n->gid = copy.gid;
		n->has_fcaps = copy.has_fcaps;
		n->fcaps_invalid = copy.fcaps_invalid;
		n->fcaps = copy.fcaps;
		n->link = tlink;
		n->data = tdata;
		n->datalen = copy.datalen;
		n->src_layer = copy.src_layer;
		n->src_nth = copy.src_nth;
		n->head = thead;
		n->headlen = copy.headlen;
		n->unknown_format = copy.unknown_format;
		/* The target may have been removed above (a link over itself by another name). */
		target = cs_view_lookup(v, tf);
		if (target)
			return share_inode(target, n, layer, e) < 0 ? -ENOMEM : warn;
		struct cs_vattr a;

		cs_vnode_attr(n, &a);
		link_attrs(&a, e);
		n->uid = a.uid;
		n->gid = a.gid;
		n->mode = a.mode;
		n->has_fcaps = a.has_fcaps;
		n->fcaps_invalid = a.fcaps_invalid;
		n->fcaps = a.fcaps;
		return warn;
	}
	return fill_from_entry(n, e) < 0 ? -ENOMEM : warn;
}

int cs_view_findings(const struct cs_view *v, struct cs_scan_result *r)
{
	for (size_t i = 0; i < v->nbuckets; i++)
		for (struct cs_vnode *n = v->tab[i]; n; n = n->hnext) {
			struct cs_finding f = {0};
			struct cs_vattr a;
			int rc;

			cs_vnode_attr(n, &a);
			if (S_ISREG(a.mode))
				r->files++;
			else if (S_ISDIR(a.mode))
				r->dirs++;
			if (!S_ISREG(a.mode) || !((a.mode & (S_ISUID | S_ISGID)) || a.has_fcaps))
				continue;
			f.path = cs_vnode_path(n);
			if (!f.path)
				return -ENOMEM;
			f.uid = a.uid;
			f.gid = a.gid;
			f.mode = a.mode;
			f.has_fcaps = a.has_fcaps;
			f.fcaps_invalid = a.fcaps_invalid;
			f.fcaps = a.fcaps;
			f.layer = n->layer;
			rc = cs_risk_assess(&f);
			if (rc == 0)
				rc = cs_scan_add_finding(r, &f);
			free(f.path);
			free(f.reason);
			if (rc < 0)
				return rc;
		}
	cs_scan_sort_by_path(r);
	return 0;
}
