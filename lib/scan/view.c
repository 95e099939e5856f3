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

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define VIEW_PATH_MAX 4096
#define VIEW_MAX_HOPS 40

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

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void node_free(struct cs_vnode *n)
{
	free(n->path);
	free(n->link);
	free(n->data);
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
			size_t b = hash(n->path) & (nb - 1);

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

struct cs_vnode *cs_view_lookup(const struct cs_view *v, const char *path)
{
	struct cs_vnode *n = v->tab[hash(path) & (v->nbuckets - 1)];

	for (; n; n = n->hnext)
		if (strcmp(n->path, path) == 0)
			return n;
	return NULL;
}

static struct cs_vnode *node_new(struct cs_view *v, struct cs_vnode *parent, const char *path)
{
	struct cs_vnode *n;
	size_t b;

	if (v->count >= v->max_nodes) {
		errno = E2BIG;
		return NULL;
	}
	if (v->count >= v->nbuckets && rehash(v) < 0)
		return NULL;
	n = calloc(1, sizeof(*n));
	if (!n || !(n->path = strdup(path))) {
		free(n);
		errno = ENOMEM;
		return NULL;
	}
	n->name = strrchr(n->path, '/') + 1;
	b = hash(path) & (v->nbuckets - 1);
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
	struct cs_vnode **pp = &v->tab[hash(n->path) & (v->nbuckets - 1)];

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
	v->tab = calloc(v->nbuckets, sizeof(*v->tab));
	if (!v->tab)
		return -ENOMEM;
	v->root = node_new(v, NULL, "/");
	if (!v->root) {
		free(v->tab);
		return -ENOMEM;
	}
	v->root->name = "";
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

int cs_view_resolve(const struct cs_view *v, const char *path, bool follow_last, char *out,
		    size_t len)
{
	/* rest holds what is left to walk; a symlink's target is put in front of it. */
	char rest[2 * VIEW_PATH_MAX + 2], tmp[2 * VIEW_PATH_MAX + 2];
	size_t clen = 0, r = 0;
	int hops = 0;

	if (strlen(path) >= sizeof(rest) / 2)
		return -ENAMETOOLONG;
	snprintf(rest, sizeof(rest), "%s", path);
	out[0] = 0;
	while (rest[r]) {
		const char *c;
		size_t n;
		struct cs_vnode *node;
		bool last;

		while (rest[r] == '/')
			r++;
		if (!rest[r])
			break;
		c = rest + r;
		while (rest[r] && rest[r] != '/')
			r++;
		n = (size_t)(rest + r - c);
		if (n == 1 && c[0] == '.')
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			while (clen > 0 && out[clen - 1] != '/')
				clen--;
			if (clen > 0)
				clen--;
			out[clen] = 0;
			continue;
		}
		if (push_comp(out, &clen, len, c, n) < 0)
			return -ENAMETOOLONG;
		{
			size_t k = r;

			while (rest[k] == '/')
				k++;
			last = !rest[k];
		}
		node = cs_view_lookup(v, out);
		if (!node)
			continue; /* a missing component: the caller decides */
		if (S_ISLNK(node->mode) && (!last || follow_last)) {
			if (++hops > VIEW_MAX_HOPS)
				return -ELOOP;
			if (snprintf(tmp, sizeof(tmp), "%s/%s", node->link ? node->link : "",
				     rest + r) >= (int)sizeof(tmp) ||
			    strlen(tmp) >= sizeof(rest))
				return -ENAMETOOLONG;
			memcpy(rest, tmp, strlen(tmp) + 1);
			r = 0;
			/* Drop the link's own component; an absolute target starts at the root. */
			while (clen > 0 && out[clen - 1] != '/')
				clen--;
			if (clen > 0)
				clen--;
			if (node->link && node->link[0] == '/')
				clen = 0;
			out[clen] = 0;
			continue;
		}
		if (!last && !S_ISDIR(node->mode))
			return -ENOTDIR;
	}
	if (clen == 0)
		snprintf(out, len, "/");
	return 0;
}

/* Make every missing directory of path (a resolved path); returns the node of path. */
static struct cs_vnode *ensure_dir(struct cs_view *v, const char *path)
{
	char buf[VIEW_PATH_MAX + 1];
	struct cs_vnode *parent = v->root, *n;
	size_t len = strlen(path);

	if (len > VIEW_PATH_MAX) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if (strcmp(path, "/") == 0)
		return v->root;
	for (size_t i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != 0)
			continue;
		memcpy(buf, path, i);
		buf[i] = 0;
		n = cs_view_lookup(v, buf);
		if (!n) {
			n = node_new(v, parent, buf);
			if (!n)
				return NULL;
			n->mode = S_IFDIR | 0755;
			n->layer = -1;
		} else if (!S_ISDIR(n->mode)) {
			errno = ENOTDIR;
			return NULL;
		}
		parent = n;
	}
	return parent;
}

static void opaque_clear(struct cs_view *v, struct cs_vnode *dir, int layer)
{
	struct cs_vnode *c = dir->child, *nx;

	for (; c; c = nx) {
		nx = c->next;
		if (c->layer != layer)
			remove_subtree(v, c);
		else if (S_ISDIR(c->mode))
			opaque_clear(v, c, layer);
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
	return cs_view_resolve(v, dir, true, pdir, len);
}

int cs_view_apply(struct cs_view *v, int layer, const struct cs_ventry *e, struct cs_diag *d)
{
	char norm[VIEW_PATH_MAX + 1], pdir[VIEW_PATH_MAX + 1], full[VIEW_PATH_MAX + 1];
	const char *base;
	int flags, rc, warn = 0;
	struct cs_vnode *parent, *old, *n, *target = NULL;

	if (d)
		memset(d, 0, sizeof(*d));
	rc = cs_view_normalize(e->name, norm, sizeof(norm), &flags);
	if (rc < 0) {
		cs_diag_set(d, EINVAL, 0, 0, NULL, "name longer than %d bytes: ignored",
			    VIEW_PATH_MAX);
		return 1;
	}
	if (flags & CS_NORM_ESCAPED) {
		cs_diag_set(d, EXDEV, 0, 0, NULL,
			    "name climbs out of the root with '..': kept inside it as %.200s",
			    norm);
		warn = 2;
	} else if (flags & CS_NORM_ABSOLUTE) {
		/* A tar that names /etc/passwd wants the host's file: say so (docs/scan.md). */
		cs_diag_set(d, EXDEV, 0, 0, NULL, "absolute name: kept inside the image as %.200s",
			    norm);
		warn = 2;
	}
	if (strcmp(norm, "/") == 0)
		return warn;
	rc = resolve_parent(v, norm, pdir, sizeof(pdir), &base);
	if (rc < 0) {
		cs_diag_set(d, EINVAL, 0, 0, NULL,
			    "parent directory cannot be resolved (%s): ignored", strerror(-rc));
		return 1;
	}
	if (strncmp(base, ".wh.", 4) == 0) {
		if (strcmp(base, ".wh..wh..opq") == 0) {
			struct cs_vnode *dir = cs_view_lookup(v, pdir);

			if (dir && S_ISDIR(dir->mode))
				opaque_clear(v, dir, layer);
			return warn;
		}
		if (strncmp(base, ".wh..wh.", 8) == 0)
			return warn; /* aufs bookkeeping (.wh..wh.plnk, …), nothing to apply */
		if (snprintf(full, sizeof(full), "%s%s%s", strcmp(pdir, "/") ? pdir : "", "/",
			     base + 4) >= (int)sizeof(full))
			return 1;
		remove_subtree(v, cs_view_lookup(v, full));
		return warn;
	}
	if (snprintf(full, sizeof(full), "%s/%s", strcmp(pdir, "/") ? pdir : "", base) >=
	    (int)sizeof(full)) {
		cs_diag_set(d, EINVAL, 0, 0, NULL, "name longer than %d bytes: ignored",
			    VIEW_PATH_MAX);
		return 1;
	}
	if (e->hardlink) {
		char tn[VIEW_PATH_MAX + 1], tp[VIEW_PATH_MAX + 1], tf[VIEW_PATH_MAX + 1];
		const char *tb;
		int tflags;

		if (cs_view_normalize(e->hardlink, tn, sizeof(tn), &tflags) < 0 ||
		    strcmp(tn, "/") == 0 || resolve_parent(v, tn, tp, sizeof(tp), &tb) < 0 ||
		    snprintf(tf, sizeof(tf), "%s/%s", strcmp(tp, "/") ? tp : "", tb) >=
			(int)sizeof(tf) ||
		    !(target = cs_view_lookup(v, tf)) || S_ISDIR(target->mode)) {
			cs_diag_set(
			    d, EINVAL, 0, 0, NULL,
			    "hard link to '%.200s', which is not a file in the image: ignored",
			    e->hardlink);
			return 1;
		}
		if (target == cs_view_lookup(v, full))
			return warn; /* a link to itself changes nothing */
	}
	parent = ensure_dir(v, pdir);
	if (!parent) {
		if (errno == ENOTDIR) {
			cs_diag_set(d, EINVAL, 0, 0, NULL,
				    "parent %.200s is not a directory: ignored", pdir);
			return 1;
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
	char *tlink = NULL, *tdata = NULL;

	if (target) {
		copy = *target;
		if (target->link && !(tlink = strdup(target->link)))
			return -ENOMEM;
		if (target->data && !(tdata = memdup(target->data, target->datalen))) {
			free(tlink);
			return -ENOMEM;
		}
	}
	remove_subtree(v, old);
	n = node_new(v, parent, full);
	if (!n) {
		free(tlink);
		free(tdata);
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
		return warn;
	}
	n->mode = e->mode;
	n->uid = e->uid;
	n->gid = e->gid;
	n->has_fcaps = e->has_fcaps && S_ISREG(e->mode);
	n->fcaps_invalid = e->fcaps_invalid;
	n->fcaps = e->fcaps;
	if (S_ISLNK(e->mode) && !(n->link = strdup(e->symlink ? e->symlink : "")))
		return -ENOMEM;
	if (S_ISREG(e->mode) && e->data) {
		if (!(n->data = memdup(e->data, e->datalen)))
			return -ENOMEM;
		n->datalen = e->datalen;
	}
	return warn;
}

int cs_view_findings(const struct cs_view *v, struct cs_scan_result *r)
{
	for (size_t i = 0; i < v->nbuckets; i++)
		for (struct cs_vnode *n = v->tab[i]; n; n = n->hnext) {
			struct cs_finding f = {0};
			int rc;

			if (S_ISREG(n->mode))
				r->files++;
			else if (S_ISDIR(n->mode))
				r->dirs++;
			if (!S_ISREG(n->mode) || !((n->mode & (S_ISUID | S_ISGID)) || n->has_fcaps))
				continue;
			f.path = n->path;
			f.uid = n->uid;
			f.gid = n->gid;
			f.mode = n->mode;
			f.has_fcaps = n->has_fcaps;
			f.fcaps_invalid = n->fcaps_invalid;
			f.fcaps = n->fcaps;
			f.layer = n->layer;
			cs_risk_assess(&f);
			rc = cs_scan_add_finding(r, &f);
			if (rc < 0)
				return rc;
		}
	cs_scan_sort_by_path(r);
	return 0;
}
