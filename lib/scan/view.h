/* SPDX-License-Identifier: MIT */
/*
 * An image's final view: the layers' entries applied in order, with OCI
 * whiteouts, opaque directories and hard links, in memory only. Nothing here
 * touches the host filesystem; every path is a string inside the image.
 */
#ifndef CAPSCOPE_SCAN_VIEW_H
#define CAPSCOPE_SCAN_VIEW_H

#include <stdint.h>

#include "capscope/scan.h"

/*
 * What hard links share: one inode's owner, mode and file capabilities. A
 * hard link entry changes them for every name of the inode (the appliers
 * chown, set the entry's xattrs and chmod the new name), so a node that has
 * been hard-linked reads them here, not from its own fields.
 */
struct cs_vattr {
	uint32_t mode, uid, gid;
	bool has_fcaps, fcaps_invalid;
	struct cs_fcaps fcaps;
};

struct cs_vinode {
	struct cs_vattr a;
	int layer; /* overlayfs copies a lower file up before linking it: a new inode */
	size_t refs;
};

struct cs_vnode {
	struct cs_vnode *hnext;
	struct cs_vnode *parent, *child, *next, *prev;
	uint32_t mode, uid, gid;
	int layer; /* layer that wrote it; -1 for a directory only implied by a child */
	bool has_fcaps, fcaps_invalid;
	struct cs_fcaps fcaps;
	char *link;	/* symlink target */
	char *data;	/* content, only for entries read with it (cs_ventry.data) */
	size_t datalen; /* data's length; without data, a regular file's size */
	char *head;	/* a "#!" executable's first bytes (cs_ventry.head), or NULL */
	size_t headlen;
	bool unknown_format; /* cs_ventry.unknown_format */
	/* A regular file's bytes: entry src_nth of layer src_layer (its hard
	 * links' too), read again when data is needed and was not kept. */
	uint16_t src_layer;
	uint32_t src_nth;
	struct cs_vinode *ino; /* shared with its hard links, or NULL: the fields above hold */
	size_t namelen;
	char name[]; /* the last component only ("" for the root): see view.c */
};

struct cs_view {
	struct cs_vnode **tab;
	size_t nbuckets, count;
	struct cs_vnode *root;
	size_t max_nodes;
	/* Bytes hashed and names compared by lookups: linear in the names' length
	 * whatever the depth (tests/unit/test-scan.c counts it). */
	uint64_t work;
	/* The work the entries applied so far allow (cs_view_apply): symlinked
	 * parent directories can make each entry's lookup walk up to 40 targets
	 * of 4 KiB, about 1,000 times a small entry's own walk. */
	uint64_t budget;
	/* Nodes an opaque whiteout walked and kept (opaque_clear), against what
	 * the entries allow: the same directory made opaque again and again,
	 * each time after one more entry of its own, re-walked all of them. */
	uint64_t opq_work, opq_budget;
};

/* One tar entry, already decoded. */
struct cs_ventry {
	const char *name; /* as in the archive */
	uint32_t mode;	  /* type bits and permissions */
	uint32_t uid, gid;
	const char *hardlink; /* target name as in the archive, or NULL */
	const char *symlink;  /* symlink target, or NULL */
	bool has_fcaps, fcaps_invalid;
	struct cs_fcaps fcaps;
	const char *data; /* a regular file's content when the reader kept it, or NULL */
	size_t datalen;
	const char *head; /* a "#!" executable's first bytes when the reader kept them */
	size_t headlen;
	bool unknown_format; /* read, and neither ELF nor "#!" */
	uint32_t nth;	     /* its ordinal in its layer, from 1 (0: not known) */
	uint64_t size;	     /* a regular file's size */
};

enum {
	CS_NORM_ESCAPED = 1, /* ".." climbed above the root (clamped there, as containerd does) */
	CS_NORM_ABSOLUTE = 2,
};

/*
 * Lexically clean an archive name into "/a/b" (never above "/"). Returns the
 * length, or -ENAMETOOLONG; *flags gets CS_NORM_*.
 */
int cs_view_normalize(const char *name, char *out, size_t len, int *flags);

int cs_view_init(struct cs_view *v);
void cs_view_free(struct cs_view *v);
struct cs_vnode *cs_view_lookup(const struct cs_view *v, const char *path);
/* The node's owner, mode and file capabilities (its inode's when hard-linked). */
void cs_vnode_attr(const struct cs_vnode *n, struct cs_vattr *out);
/* Give a regular file without data its bytes (a copy). 0 or -ENOMEM. */
int cs_vnode_set_data(struct cs_vnode *n, const char *p, size_t len);
/* The node's path "/a/b" on the heap (built from its parents), or NULL. */
char *cs_vnode_path(const struct cs_vnode *n);

/*
 * Apply one entry of layer `layer`. Whiteouts remove (".wh.NAME": the path,
 * ".wh..wh..opq": what lower layers put in the directory). Parent directories
 * that are symlinks inside the image are followed inside the image. Returns
 * 0; 2 when it was kept but moved inside the root ('..' or an absolute
 * name), CS_VIEW_UNPACKABLE when no applier can unpack it (a hard link
 * link(2) cannot make, a name too long, a parent that is not a directory or
 * cannot be resolved, an invalid whiteout), d saying why in these cases; or
 * -errno. (1, an entry ignored, is no longer returned: each was one of these.)
 */
#define CS_VIEW_UNPACKABLE 3
int cs_view_apply(struct cs_view *v, int layer, const struct cs_ventry *e, struct cs_diag *d);

/*
 * Resolve a path inside the image, following symlinks (at most 40) and
 * clamping ".." at the root; out gets the final path. -ENOENT, -ELOOP;
 * -E2BIG when the lookups' work is over what the image and the paths looked
 * up allow (struct cs_view.budget): the image is refused, never a file taken
 * as missing (cs_view_over_budget says why).
 */
int cs_view_resolve(const struct cs_view *v, const char *path, bool follow_last, char *out,
		    size_t len);

/*
 * cs_view_resolve, calling visit(ctx, dir, dirpath, len, depth) before each
 * name is looked up in an existing directory ("." and ".." too, as the
 * kernel's may_lookup does): dirpath spells it from the root ("/" for the
 * root, len 0), depth counts its names. A negative return from visit stops
 * the walk with that value.
 */
typedef int cs_view_visit_fn(void *ctx, const struct cs_vnode *dir, const char *dirpath, size_t len,
			     size_t depth);
int cs_view_resolve_visit(const struct cs_view *v, const char *path, bool follow_last, char *out,
			  size_t len, cs_view_visit_fn *visit, void *ctx);

/*
 * A directory resolved once (symlinks followed), for lookups of names
 * relative to it that cost their own names only (cs_view_node_from).
 * 0 or -ENOMEM; the walk's own error is kept for those lookups.
 */
struct cs_view_base;
int cs_view_base_new(const struct cs_view *v, const char *dir, struct cs_view_base **out);
void cs_view_base_free(struct cs_view_base *b);
/*
 * What cs_view_resolve of the joined path "DIR/rel" (joined_len bytes, DIR
 * the base's) and cs_view_lookup of its result find, with the same errors
 * and the same allowance, the base's walk not made again: 0 with *node
 * (NULL: not there), or -errno. rel must not start with '/'.
 */
int cs_view_node_from(const struct cs_view *v, struct cs_view_base *b, const char *rel,
		      size_t joined_len, bool follow, const struct cs_vnode **node);

/*
 * cs_image_lookup of the joined path "DIR/rel" from a base made of DIR
 * (cs_image_base_new): st->path is not set (NULL). 0 or -errno.
 */
/* The steps the view's lookups have taken so far (struct cs_view.work): for the tests. */
uint64_t cs_image_lookup_work(const struct cs_image *ci);
int cs_image_base_new(const struct cs_image *ci, const char *dir, struct cs_view_base **b);
int cs_image_lookup_from(const struct cs_image *ci, struct cs_view_base *b, const char *rel,
			 size_t joined_len, bool follow, struct cs_image_stat *st);

/*
 * The directories a lookup of path searches in the image's final view, added
 * to f->dirs (lib/kernel.c checks the process may search them). 0 or -ENOMEM.
 */
struct cs_exec_file;
int cs_image_searched_dirs(const struct cs_image *ci, const char *path, struct cs_exec_file *f);
/*
 * The next walk of f is of a name joined to the working directory cwd: the
 * directories above it are not searched (cs_exec_file_gate_dirs). 0 or
 * -ENOMEM; a cwd the view does not hold gates nothing.
 */
int cs_image_gate_cwd(const struct cs_image *ci, const char *cwd, struct cs_exec_file *f);

/* d says that the lookups' work is over the bound (loaded: after the layers
 * were applied); returns -E2BIG. */
int cs_view_over_budget(const struct cs_view *v, struct cs_diag *d, bool loaded);

/* Every privileged regular file of the view, added to r (risk assessed). */
int cs_view_findings(const struct cs_view *v, struct cs_scan_result *r);

#endif
