/* SPDX-License-Identifier: MIT */
/*
 * The tree walker. Cost per regular file is what the speed target allows:
 * the dirent type skips everything that is not a regular file or a
 * directory, then one statx and one getxattrat by name. Only a file that
 * turns out privileged is re-read through an O_PATH descriptor (statx and
 * the xattr both from that one pinned inode), so what is reported never mixes
 * the mode of one object with the capabilities of another, whatever renames
 * happen meanwhile. A directory is opened by its one name beneath its
 * parent's descriptor with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS),
 * so a directory swapped for a symlink mid-walk is refused instead of
 * followed, and the work per directory does not grow with the depth (see
 * struct dnode). Two threads share a LIFO of directories (the machine has
 * two cores; the work is syscall-bound).
 */
#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/statvfs.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "capscope/scan.h"
#include "../internal/cleanup.h"
#include "../internal/open-in-root.h"

#ifndef SYS_getxattrat
#define SYS_getxattrat 464 /* Linux 6.13, same number on every architecture */
#endif
#ifndef ST_NOSUID
#define ST_NOSUID 2
#endif

struct cs_xattr_args {
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};

/*
 * One directory of the walk. Paths are never rebuilt from the root to open
 * anything: a directory is opened by its one name, beneath its parent's
 * descriptor, so the work per directory is constant whatever the depth (a
 * 10,000-level chain planted in /tmp costs what 10,000 siblings cost). The
 * full path is spelled out from the parent links only for a finding or an
 * error.
 */
struct dnode {
	struct dnode *parent;
	struct dnode *next;		   /* the LIFO of directories still to walk */
	struct dnode *lru_prev, *lru_next; /* among the directories whose fd is held */
	int fd;		  /* held while child directories wait to be opened, else -1 */
	unsigned waiting; /* child directories pushed and not opened yet */
	unsigned pins;	  /* openat calls in flight on fd: it must not be closed */
	unsigned refs;	  /* child nodes alive + the walk of this one + a thread's "last" */
	uint32_t depth;
	uint64_t dev, ino; /* to check a descriptor reopened through ".." */
	uint64_t vgen;	   /* the places check's generation this node is in (under places.mu) */
	uint32_t vidx;	   /* and its node there */
	uint32_t ridx;	   /* its index in the result's tdirs + 1, 0: not there (under mu) */
	size_t namelen;
	char name[]; /* one component; for the root, the root as shown */
};

/*
 * Findings waiting for the check that their path from the root still leads
 * to them (check_places). Checked together, the directories their paths
 * share are opened once: one lookup per directory of the paths' union, not
 * one per component of each path. Checked one by one, a planted chain of
 * 10,000 directories with a set-uid file at each level cost 50 million
 * lookups (17 s; find walks the tree in 0.07 s).
 */
#define PLACES_FINDINGS 4096	   /* checked together at least (see places_due) */
#define PLACES_NODES	(1u << 18) /* directories on their paths at most, + the deepest */
#define NO_NODE		UINT32_MAX

struct pend {
	struct dnode *dn; /* referenced until checked */
	char *name;
	uint32_t dev_major, dev_minor;
	uint64_t ino;
	struct cs_finding f; /* all but the path */
	uint32_t next;	     /* the next finding in the same directory */
	int err;	     /* what the check found: 0, or why it is not reported */
	bool checked;	     /* looked up in its directory (never reported unchecked) */
};

/* A directory on the pending findings' paths (the root is one). */
struct vnode {
	struct dnode *d;
	uint32_t parent, first_child, next_sibling, first_pend, size;
	int err; /* its path from the root does not lead to it (any more) */
};

struct places {
	pthread_mutex_t mu;
	uint64_t gen;
	struct pend *p;
	uint32_t np, pcap;
	struct vnode *v;
	uint32_t nv, vcap, root;
	uint32_t deepest; /* nodes on the longest pending path (its depth + 1) */
	uint32_t *stack;  /* vcap entries: the walks over the nodes */
};

/* Per worker thread: the last directory it finished, kept open to climb back up. */
struct wctx {
	struct dnode *last;
	int last_fd;
};

struct walk {
	int rootfd;
	struct dnode *rootn;
	dev_t rootdev;
	const struct cs_scan_opts *o;
	struct cs_scan_result *r;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct dnode *stack;
	struct dnode *lru_head, *lru_tail;
	unsigned held, max_held;
	unsigned nthreads, idle;
	struct wctx ctx[16]; /* each worker's, to climb from where another thread is */
	unsigned nctx;
	bool done;
	atomic_int fatal;
	atomic_uint_fast64_t files, dirs, steps;
	struct places pl;
	uint64_t place_steps; /* under places.mu */
};

static atomic_int have_getxattrat = 1;
/* Per thread: the last mount seen and whether it is nosuid. */
static _Thread_local uint64_t tl_mnt;
static _Thread_local bool tl_nosuid;

static ssize_t xattr_at(int dirfd, const char *name, void *buf, size_t len)
{
	if (atomic_load_explicit(&have_getxattrat, memory_order_relaxed)) {
		struct cs_xattr_args a = {.value = (uintptr_t)buf, .size = (uint32_t)len};
		long n = syscall(SYS_getxattrat, dirfd, name, AT_SYMLINK_NOFOLLOW, CS_XATTR_CAPS,
				 &a, sizeof(a));

		if (n >= 0 || errno != ENOSYS)
			return n;
		atomic_store(&have_getxattrat, 0);
	}
	/* Older kernels: the directory's magic link, then the name, not following it. */
	char p[64 + 256];

	snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", dirfd, name);
	return lgetxattr(p, CS_XATTR_CAPS, buf, len);
}

static struct dnode *dnode_new(struct dnode *parent, const char *name, size_t n)
{
	struct dnode *d = malloc(sizeof(*d) + n + 1);

	if (!d)
		return NULL;
	memset(d, 0, sizeof(*d));
	d->parent = parent;
	d->fd = -1;
	d->refs = 1;
	d->depth = parent ? parent->depth + 1 : 0;
	d->namelen = n;
	memcpy(d->name, name, n);
	d->name[n] = 0;
	if (parent)
		parent->refs++; /* under the walk's lock */
	return d;
}

static void lru_unlink(struct walk *w, struct dnode *d)
{
	if (d->lru_prev)
		d->lru_prev->lru_next = d->lru_next;
	else
		w->lru_head = d->lru_next;
	if (d->lru_next)
		d->lru_next->lru_prev = d->lru_prev;
	else
		w->lru_tail = d->lru_prev;
	d->lru_prev = d->lru_next = NULL;
	w->held--;
}

/* Under the lock: drop a descriptor that nothing needs or pins any more. */
static void release_fd(struct walk *w, struct dnode *d)
{
	if (d == w->rootn || d->fd < 0 || d->pins)
		return;
	lru_unlink(w, d);
	close(d->fd);
	d->fd = -1;
}

/* Under the lock: hold fd for d's waiting children, closing the oldest held beyond the bound. */
static void hold_fd(struct walk *w, struct dnode *d, int fd)
{
	d->fd = fd;
	d->lru_prev = w->lru_tail;
	d->lru_next = NULL;
	if (w->lru_tail)
		w->lru_tail->lru_next = d;
	else
		w->lru_head = d;
	w->lru_tail = d;
	w->held++;
	for (struct dnode *o = w->lru_head, *nx; o && w->held > w->max_held; o = nx) {
		nx = o->lru_next;
		if (o != d)
			release_fd(w, o);
	}
}

/* Under the lock: one reference less; a node and its ancestors go when unused. */
static void unref(struct walk *w, struct dnode *d)
{
	while (d && --d->refs == 0) {
		struct dnode *p = d->parent;

		release_fd(w, d);
		if (d == w->rootn)
			w->rootn = NULL;
		free(d);
		d = p;
	}
}

/* The path as shown: the root as given, then the components (only for findings and errors). */
static char *show_path(const struct dnode *d, const char *name)
{
	const struct dnode *root = d;
	size_t nl = name ? strlen(name) : 0, parts = name ? nl + 1 : 0, len, at;
	char *s;

	for (; root->parent; root = root->parent)
		parts += root->namelen + 1;
	/* Each part brings its '/'; a root that ends in '/' ("/") already has one. */
	len = root->namelen + parts -
	      (parts && root->namelen && root->name[root->namelen - 1] == '/');
	s = malloc(len + 1);
	if (!s)
		return NULL;
	memcpy(s, root->name, root->namelen);
	s[at = len] = 0;
	if (name) {
		at -= nl;
		memcpy(s + at, name, nl);
		s[--at] = '/';
	}
	for (const struct dnode *x = d; x->parent; x = x->parent) {
		at -= x->namelen;
		memcpy(s + at, x->name, x->namelen);
		s[--at] = '/';
	}
	return s;
}

static int intern_dir(struct walk *w, struct dnode *d, uint32_t *out);

/*
 * An error at name in d (NULL: d itself). A walk's holds its directory and
 * name, never its whole path (cs_scan_error_path): a planted chain with an
 * error at each level would hold d^2/2 bytes. A root that is one file has
 * no walk: its path.
 */
static void add_error(struct walk *w, struct dnode *d, const char *name, int err, const char *text)
{
	char *p = w->rootfd < 0 ? show_path(d, name) : NULL;
	uint32_t dir;

	pthread_mutex_lock(&w->mu);
	if (w->rootfd < 0 ? !p || cs_scan_add_error(w->r, p, err, "%s", text) < 0
			  : intern_dir(w, d, &dir) < 0 ||
				cs_scan_add_tree_error(w->r, dir, name, err, text) < 0)
		w->fatal = -ENOMEM;
	pthread_mutex_unlock(&w->mu);
	free(p);
}

static void note_error(struct walk *w, struct dnode *d, const char *name, int err, const char *what)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s: %s", what, strerror(err));
	add_error(w, d, name, err, msg);
}

static void note_error_text(struct walk *w, struct dnode *d, const char *name, int err,
			    const char *text)
{
	add_error(w, d, name, err, text);
}

#define STX_WANT (STATX_TYPE | STATX_MODE | STATX_UID | STATX_GID | STATX_INO | STATX_MNT_ID)

/* Re-read a privileged file through one pinned inode: statx and xattr agree. */
static int verify(int dirfd, const char *name, struct statx *sx, unsigned char *xv, ssize_t *xn,
		  bool *nosuid, uint64_t dir_mnt)
{
	int fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	char p[64];

	if (fd < 0)
		return -errno;
	if (statx(fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STX_WANT, sx) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	if (!S_ISREG(sx->stx_mode)) {
		close(fd);
		return -ENOENT; /* replaced by something else: nothing to report */
	}
	/* getxattr refuses O_PATH descriptors; the magic link resolves to this very inode. */
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	*xn = getxattr(p, CS_XATTR_CAPS, xv, 64);
	if (*xn < 0 && errno == ENOENT) {
		/* No /proc: open the inode for reading instead and check it is the same one. */
		int rfd =
		    openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		struct statx s2;

		if (rfd < 0 || statx(rfd, "", AT_EMPTY_PATH, STATX_INO, &s2) < 0 ||
		    s2.stx_ino != sx->stx_ino) {
			int e = rfd < 0 ? errno : ENOENT;

			if (rfd >= 0)
				close(rfd);
			close(fd);
			return -e;
		}
		*xn = fgetxattr(rfd, CS_XATTR_CAPS, xv, 64);
		if (*xn < 0)
			*xn = -errno;
		close(rfd);
	} else if (*xn < 0) {
		*xn = -errno;
	}
	/* A file bind-mounted over a file lives on its own mount. */
	if ((sx->stx_mask & STATX_MNT_ID) && sx->stx_mnt_id != dir_mnt) {
		struct statfs sf;

		if (fstatfs(fd, &sf) == 0)
			*nosuid = sf.f_flags & ST_NOSUID;
	}
	close(fd);
	return 0;
}

static int open_below(struct walk *w, int base, const struct dnode *a, const struct dnode *d,
		      bool count);
static int open_beneath(struct walk *w, int dirfd, const char *rel, unsigned ncomp);

/* An error of the check, as the walk names them: gone from its path is "moved". */
static int place_err(int e)
{
	return e == ENOENT || e == ELOOP || e == EXDEV || e == ENOTDIR ? ESTALE : e;
}

/* Under places.mu: a new node for directory x. */
static int place_new(struct places *pl, struct dnode *x, uint32_t *out)
{
	if (pl->nv == pl->vcap) {
		uint32_t n = pl->vcap ? pl->vcap * 2 : 256;
		struct vnode *v = realloc(pl->v, n * sizeof(*v));
		uint32_t *st;

		if (!v)
			return -ENOMEM;
		pl->v = v;
		if (!(st = realloc(pl->stack, n * sizeof(*st))))
			return -ENOMEM;
		pl->stack = st;
		pl->vcap = n;
	}
	*out = pl->nv++;
	pl->v[*out] = (struct vnode){x, NO_NODE, NO_NODE, NO_NODE, NO_NODE, 1, 0};
	x->vgen = pl->gen;
	x->vidx = *out;
	if (!x->parent)
		pl->root = *out;
	return 0;
}

/* Under places.mu: d's node in this check, added with the ancestors not there yet. */
static int place_node(struct places *pl, struct dnode *d)
{
	uint32_t child = NO_NODE;

	for (struct dnode *x = d; x; x = x->parent) {
		bool known = x->vgen == pl->gen;
		uint32_t i = x->vidx;

		if (!known && place_new(pl, x, &i) < 0)
			return -ENOMEM;
		if (child != NO_NODE) {
			pl->v[child].parent = i;
			pl->v[child].next_sibling = pl->v[i].first_child;
			pl->v[i].first_child = child;
		}
		if (known)
			return 0; /* it was there: so are its ancestors */
		child = i;
	}
	return 0;
}

/* Each node's subtree size (nodes), to descend into the largest child last. */
static void place_sizes(struct places *pl)
{
	uint32_t top = 0, n = 0;

	/* Preorder into stack[], then the sizes in reverse: children before parents. */
	pl->stack[top++] = pl->root;
	while (top) {
		uint32_t i = pl->stack[--top];

		pl->stack[pl->nv - 1 - n++] = i; /* the order, kept at the end */
		for (uint32_t c = pl->v[i].first_child; c != NO_NODE; c = pl->v[c].next_sibling)
			pl->stack[top++] = c;
	}
	for (uint32_t k = 0; k < pl->nv; k++) {
		const struct vnode *x = &pl->v[pl->stack[k]];

		if (x->parent != NO_NODE)
			pl->v[x->parent].size += x->size;
	}
}

/* A node whose directory could not be reached from its parent: every node below too. */
static void place_fail(struct places *pl, uint32_t i, int err)
{
	uint32_t top = 0;

	pl->stack[top++] = i;
	while (top) {
		uint32_t k = pl->stack[--top];

		pl->v[k].err = err;
		for (uint32_t c = pl->v[k].first_child; c != NO_NODE; c = pl->v[c].next_sibling)
			pl->stack[top++] = c;
	}
}

/* The pending files of node i, looked up by name in fd, its directory reached from the root. */
static void place_files(struct walk *w, uint32_t i, int fd)
{
	struct places *pl = &w->pl;

	for (uint32_t k = pl->v[i].first_pend; k != NO_NODE; k = pl->p[k].next) {
		struct pend *p = &pl->p[k];
		struct statx s2;

		w->place_steps++;
		p->checked = true;
		if (statx(fd, p->name, AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC, STATX_INO, &s2) <
		    0)
			p->err = place_err(errno);
		else if (s2.stx_ino != p->ino || s2.stx_dev_major != p->dev_major ||
			 s2.stx_dev_minor != p->dev_minor)
			p->err = ESTALE;
	}
}

/*
 * Open node i's directories from fd (node i's, taken over) down, one name
 * beneath its parent each, no symlinks: the path as the report will show it.
 * The largest child is walked last, in the loop, its parent's descriptor
 * closed first; only a smaller one recurses with the parent held, and it
 * holds at most half the nodes of its parent's subtree: at most log2(nodes)
 * descriptors are open at once, and the recursion is as deep (a chain of
 * 10,000 directories is a loop, not 10,000 frames).
 */
static void place_walk(struct walk *w, uint32_t i, int fd)
{
	struct places *pl = &w->pl;

	for (;;) {
		uint32_t big = NO_NODE, next;
		int cfd;

		place_files(w, i, fd);
		for (uint32_t c = pl->v[i].first_child; c != NO_NODE; c = pl->v[c].next_sibling)
			if (big == NO_NODE || pl->v[c].size > pl->v[big].size)
				big = c;
		for (uint32_t c = pl->v[i].first_child; c != NO_NODE; c = next) {
			next = pl->v[c].next_sibling;
			if (c == big)
				continue;
			w->place_steps++;
			cfd = open_beneath(w, fd, pl->v[c].d->name, 0);
			if (cfd < 0) {
				place_fail(pl, c, place_err(errno));
				continue;
			}
			place_walk(w, c, cfd);
		}
		w->place_steps += big != NO_NODE;
		cfd = big == NO_NODE ? -1 : open_beneath(w, fd, pl->v[big].d->name, 0);
		if (big != NO_NODE && cfd < 0)
			place_fail(pl, big, place_err(errno));
		close(fd);
		if (cfd < 0)
			return;
		i = big;
		fd = cfd;
	}
}

/*
 * Under the walk's lock: d's index in the result's directories, added with
 * its ancestors not there yet (each directory once, whatever the findings
 * below it: the memory is linear in the tree, not in the paths' lengths).
 */
static int intern_dir(struct walk *w, struct dnode *d, uint32_t *out)
{
	struct cs_scan_result *r = w->r;
	struct dnode *x = d, *y;
	uint32_t n = 0, at;

	for (; x && !x->ridx; x = x->parent)
		n++;
	/* x: the nearest ancestor there already (NULL: none); the n below it take
	 * the next n places, top down, each named once. */
	if (n > UINT32_MAX - 1 - r->ntdirs)
		return -ENOMEM;
	if (r->ntdirs + n > r->captdirs) {
		size_t cap = r->captdirs ? r->captdirs : 64;
		struct cs_scan_dir *v;

		while (cap < (size_t)r->ntdirs + n)
			cap *= 2;
		if (cap > UINT32_MAX)
			cap = UINT32_MAX;
		if (!(v = realloc(r->tdirs, cap * sizeof(*v))))
			return -ENOMEM;
		r->tdirs = v;
		r->captdirs = (uint32_t)cap;
	}
	at = r->ntdirs + n;
	for (y = d; y != x; y = y->parent) {
		if (!(r->tdirs[--at].name = strndup(y->name, y->namelen))) {
			for (struct dnode *z = d; z != y; z = z->parent) {
				free(r->tdirs[z->ridx - 1].name);
				z->ridx = 0;
			}
			return -ENOMEM;
		}
		r->tdirs[at].namelen = y->namelen;
		y->ridx = at + 1;
	}
	for (y = d; y != x; y = y->parent)
		r->tdirs[y->ridx - 1].parent = y->parent ? y->parent->ridx - 1 : CS_SCAN_NO_DIR;
	r->ntdirs += n;
	*out = d->ridx - 1;
	return 0;
}

/* Under places.mu: check the pending findings, report them (or why not), start again. */
static void check_places(struct walk *w)
{
	struct places *pl = &w->pl;
	int fd;

	if (!pl->np)
		return;
	place_sizes(pl);
	fd = fcntl(w->rootfd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		place_fail(pl, pl->root, errno);
	else
		place_walk(w, pl->root, fd);
	for (uint32_t k = 0; k < pl->np; k++) {
		struct pend *p = &pl->p[k];
		int e = pl->v[p->dn->vidx].err ? pl->v[p->dn->vidx].err
			: p->checked	       ? p->err
					       : EIO; /* not reached: fail closed */

		if (e) {
			note_error(w, p->dn, p->name, e,
				   e == ESTALE ? "moved during the scan" : "checking its place");
		} else {
			/* Its name and directory, never its whole path (cs_finding_path). */
			p->f.name = p->name;
			pthread_mutex_lock(&w->mu);
			if (intern_dir(w, p->dn, &p->f.dir) < 0 ||
			    cs_scan_add_finding(w->r, &p->f) < 0)
				w->fatal = -ENOMEM;
			pthread_mutex_unlock(&w->mu);
		}
		free(p->f.reason);
		free(p->name);
		pthread_mutex_lock(&w->mu);
		unref(w, p->dn);
		pthread_mutex_unlock(&w->mu);
	}
	pl->np = pl->nv = pl->deepest = 0;
	pl->gen++;
}

/*
 * Whether the pending findings are to be checked now. A check opens every
 * directory on their paths from the root, so it opens again those that
 * earlier checks opened: the walk goes depth first, so these lie on the
 * paths to where it is, at most the deepest pending path's nodes. A fixed
 * batch (4,096 findings, or 2^18 nodes) made that quadratic in a planted
 * set-id chain (a finding at each of d levels: d^2/8,192 reopens, and one
 * check a finding below 2^18 levels); waiting until the findings number
 * half the deepest path keeps the reopens under twice the findings (the
 * chain's checks fall at doubling depths), and the nodes' bound grows by
 * that path only, whose nodes the walk holds anyway. The tenth pass's
 * proof stays whole: each check still opens every path from the root.
 */
static bool places_due(const struct places *pl)
{
	return (pl->np >= PLACES_FINDINGS && 2 * (uint64_t)pl->np >= pl->deepest) ||
	       (uint64_t)pl->nv >= (uint64_t)PLACES_NODES + pl->deepest;
}

/*
 * A directory's descriptor follows the directory when it is renamed, out of
 * the tree too, and so does a climb through "..": a file found through it is
 * reported only if its path from the root still leads to this very inode
 * (beneath the root, no symlinks), else it was moved during the scan. The
 * finding waits with others (see places_due) and they are checked together.
 */
static void defer_finding(struct walk *w, struct dnode *dn, const char *name,
			  const struct statx *sx, struct cs_finding *f)
{
	struct places *pl = &w->pl;
	struct pend *p;

	pthread_mutex_lock(&pl->mu);
	if (pl->np == pl->pcap) {
		uint32_t n = pl->pcap ? pl->pcap * 2 : 64;

		if (!(p = realloc(pl->p, n * sizeof(*p))))
			goto nomem;
		pl->p = p;
		pl->pcap = n;
	}
	if (place_node(pl, dn) < 0)
		goto nomem;
	p = &pl->p[pl->np];
	*p = (struct pend){.dn = dn,
			   .name = strdup(name),
			   .dev_major = sx->stx_dev_major,
			   .dev_minor = sx->stx_dev_minor,
			   .ino = sx->stx_ino,
			   .f = *f,
			   .next = pl->v[dn->vidx].first_pend};
	if (!p->name)
		goto nomem;
	pl->v[dn->vidx].first_pend = pl->np++;
	if (dn->depth + 1 > pl->deepest)
		pl->deepest = dn->depth + 1;
	pthread_mutex_lock(&w->mu);
	dn->refs++;
	pthread_mutex_unlock(&w->mu);
	if (places_due(pl))
		check_places(w);
	pthread_mutex_unlock(&pl->mu);
	return;
nomem:
	free(f->reason);
	w->fatal = -ENOMEM;
	pthread_mutex_unlock(&pl->mu);
}

static void check_file(struct walk *w, int dirfd, struct dnode *dn, const char *name, bool nosuid,
		       uint64_t dir_mnt)
{
	struct statx sx;
	unsigned char xv[64];
	ssize_t xn;
	int rc;

	if (statx(dirfd, name, AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC, STX_WANT, &sx) < 0) {
		int e = errno;

		note_error(w, dn, name, e, e == ENOENT ? "vanished during the scan" : "statx");
		return;
	}
	if (!S_ISREG(sx.stx_mode))
		return;
	xn = xattr_at(dirfd, name, xv, sizeof(xv));
	if (xn < 0 && errno != ENODATA && errno != ENOTSUP && errno != ERANGE) {
		int e = errno;

		if (e == ENOENT)
			note_error(w, dn, name, e, "vanished during the scan");
		else if (e == EINVAL) /* "reading security.capability: Invalid argument" */
			note_error_text(w, dn, name, e, CS_XATTR_CAPS ": " CS_FCAPS_UNREADABLE);
		else if (e == EOVERFLOW) /* "...: Value too large for defined data type" */
			note_error_text(w, dn, name, e, CS_XATTR_CAPS ": " CS_FCAPS_OTHER_NS);
		else
			note_error(w, dn, name, e, "reading security.capability");
		/* The error stays (exit 2), and a set-uid or set-gid file is
		 * still a finding: an unreadable security.capability beside the
		 * bit left it out of the report (eleventh pass, part C's find). */
		if (e == ENOENT || !(sx.stx_mode & (S_ISUID | S_ISGID)))
			return;
	} else if (!(sx.stx_mode & (S_ISUID | S_ISGID)) && xn < 0 && errno != ERANGE) {
		return;
	}

	rc = verify(dirfd, name, &sx, xv, &xn, &nosuid, dir_mnt);
	if (rc == -ENOENT) {
		note_error(w, dn, name, ENOENT, "vanished during the scan");
		return;
	}
	if (rc < 0) {
		note_error(w, dn, name, -rc, "re-reading a privileged file");
		return;
	}
	if (!(sx.stx_mode & (S_ISUID | S_ISGID)) && xn < 0 && xn != -ERANGE)
		return;

	struct cs_finding f = {
	    .uid = sx.stx_uid,
	    .gid = sx.stx_gid,
	    .mode = sx.stx_mode,
	    .inert = nosuid,
	    .layer = -1,
	};
	if (xn >= 0 || xn == -ERANGE) {
		struct cs_diag d;

		f.has_fcaps = true;
		if (xn < 0 || cs_fcaps_decode(xv, (size_t)xn, &f.fcaps, &d) < 0)
			f.fcaps_invalid = true;
	}
	if (cs_risk_assess(&f) < 0) { /* a level without its reason is not the file's */
		free(f.reason);
		w->fatal = -ENOMEM;
		return;
	}
	/* Only what is still where the report will say it is (a root that is one file: its path).
	 */
	if (w->rootfd >= 0) {
		defer_finding(w, dn, name, &sx, &f);
		return;
	}
	f.path = show_path(dn, name);
	pthread_mutex_lock(&w->mu);
	if (!f.path || cs_scan_add_finding(w->r, &f) < 0)
		w->fatal = -ENOMEM;
	pthread_mutex_unlock(&w->mu);
	free(f.path);
	free(f.reason);
}

/* One name beneath dirfd, never through a symlink (components come from getdents: no ".."). */
static int open_beneath(struct walk *w, int dirfd, const char *rel, unsigned ncomp)
{
	int fd = cs_open_in_root(dirfd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW,
				 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);

	atomic_fetch_add_explicit(&w->steps, ncomp, memory_order_relaxed);
	if (fd < 0)
		errno = -fd;
	return fd < 0 ? -1 : fd;
}

static bool same_dir(int fd, const struct dnode *d)
{
	struct statx sx;

	return statx(fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_INO, &sx) == 0 &&
	       sx.stx_ino == d->ino && makedev(sx.stx_dev_major, sx.stx_dev_minor) == d->dev;
}

/* How many levels below d x is, when d is x's ancestor fewer than limit levels up; else 0. */
static uint32_t levels_below(const struct dnode *x, const struct dnode *d, uint32_t limit)
{
	uint32_t k;

	if (!x || x->depth <= d->depth || (k = x->depth - d->depth) >= limit)
		return 0;
	for (uint32_t i = k; i > 0; i--)
		x = x->parent;
	return x == d ? k : 0;
}

/*
 * Climb k levels from from, a directory below d, to d with "..", one level at
 * a time: walking back up a deep tree then costs what walking down did (fts
 * does the same). from is left open. The result must be d's very inode, or it
 * is not used.
 */
static int climb(struct walk *w, int from, uint32_t k, const struct dnode *d)
{
	int fd = from;

	for (; k > 0 && fd >= 0; k--) {
		int up = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		atomic_fetch_add_explicit(&w->steps, 1, memory_order_relaxed);
		if (fd != from)
			close(fd);
		fd = up;
	}
	if (fd >= 0 && !same_dir(fd, d)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Climb from the directory this thread finished last, when d is above it. */
static int climb_from_last(struct walk *w, struct wctx *c, const struct dnode *d)
{
	uint32_t k = c->last_fd < 0 ? 0 : levels_below(c->last, d, UINT32_MAX);

	return k ? climb(w, c->last_fd, k, d) : -1;
}

/*
 * Under the lock: a descriptor of the directory below d nearest to it, nearer
 * than limit levels (a held directory or the one another thread finished
 * last), duplicated, with its distance in *levels; or -1. Another thread may
 * have gone deep below d while this one waited: climbing back from there costs
 * the levels that thread went down, where opening d's path from an ancestor
 * above costs d's depth (quadratic when it happens at every level).
 */
static int nearest_below(const struct walk *w, const struct dnode *d, uint32_t limit,
			 uint32_t *levels)
{
	int best = -1;

	for (const struct dnode *h = w->lru_head; h; h = h->lru_next) {
		uint32_t k = levels_below(h, d, limit);

		if (k) {
			best = h->fd;
			limit = k;
		}
	}
	for (unsigned i = 0; i < w->nctx; i++) {
		uint32_t k = w->ctx[i].last_fd < 0 ? 0 : levels_below(w->ctx[i].last, d, limit);

		if (k) {
			best = w->ctx[i].last_fd;
			limit = k;
		}
	}
	*levels = limit;
	return best < 0 ? -1 : fcntl(best, F_DUPFD_CLOEXEC, 3);
}

/*
 * Open d's path beneath base, a descriptor of d's ancestor a (taken over:
 * closed or returned), in pieces shorter than PATH_MAX (a tree deeper than
 * PATH_MAX is walked: find walks it too). count: the components go into
 * walk_steps (the walk's own opens; not a finding's check, which costs its
 * path's length, the size of the answer).
 */
static int open_below(struct walk *w, int base, const struct dnode *a, const struct dnode *d,
		      bool count)
{
	char chunk[4000];

	while (base >= 0 && a != d) {
		const struct dnode *stop = d, *x;
		size_t len = 0, at;
		unsigned n = 0;

		/* The deepest ancestor of d below a whose path from a fits in chunk. */
		for (x = d; x != a; x = x->parent) {
			len += x->namelen + 1;
			n++;
		}
		while (len >= sizeof(chunk) && stop != a) {
			len -= stop->namelen + 1;
			n--;
			stop = stop->parent;
		}
		if (stop == a) {
			errno = ENAMETOOLONG;
			close(base);
			return -1;
		}
		at = len - 1;
		chunk[at] = 0;
		for (x = stop; x != a; x = x->parent) {
			at -= x->namelen;
			memcpy(chunk + at, x->name, x->namelen);
			if (at)
				chunk[--at] = '/';
		}
		int fd = open_beneath(w, base, chunk, count ? n : 0);

		close(base);
		base = fd;
		a = stop;
	}
	return base;
}

/* Under the lock: d's nearest ancestor whose descriptor is open (the root's always is). */
static const struct dnode *open_ancestor(const struct dnode *d)
{
	const struct dnode *a = d->parent;

	while (a->fd < 0)
		a = a->parent;
	return a;
}

/*
 * Reopen d, whose descriptor was closed to keep the number of open files
 * bounded: climb from the nearest open directory below it, else open its
 * path beneath the nearest ancestor still open.
 */
static int reopen(struct walk *w, struct wctx *c, const struct dnode *d)
{
	const struct dnode *a;
	int base, below, fd = climb_from_last(w, c, d);
	uint32_t levels;

	if (fd >= 0)
		return fd;
	pthread_mutex_lock(&w->mu);
	a = open_ancestor(d);
	below = nearest_below(w, d, d->depth - a->depth, &levels);
	pthread_mutex_unlock(&w->mu);
	if (below >= 0) {
		fd = climb(w, below, levels, d);
		close(below);
		if (fd >= 0)
			return fd;
	}
	pthread_mutex_lock(&w->mu);
	a = open_ancestor(d); /* again: the lock was let go */
	base = fcntl(a->fd, F_DUPFD_CLOEXEC, 3);
	pthread_mutex_unlock(&w->mu);
	if (base < 0)
		return -1;
	base = open_below(w, base, a, d, true);
	if (base >= 0 && !same_dir(base, d)) {
		close(base);
		errno = ESTALE;
		return -1;
	}
	return base;
}

/* Open d beneath its parent's descriptor (the parent is reopened first when it was closed). */
static int open_node(struct walk *w, struct wctx *c, struct dnode *d)
{
	struct dnode *p = d->parent;
	int fd, e;

	if (!p) {
		atomic_fetch_add_explicit(&w->steps, 1, memory_order_relaxed);
		return fcntl(w->rootfd, F_DUPFD_CLOEXEC, 3);
	}
	pthread_mutex_lock(&w->mu);
	if (p->fd < 0) {
		pthread_mutex_unlock(&w->mu);
		fd = reopen(w, c, p);
		pthread_mutex_lock(&w->mu);
		if (fd < 0) {
			e = errno;
			p->waiting--;
			pthread_mutex_unlock(&w->mu);
			errno = e;
			return -1;
		}
		if (p->fd < 0)
			hold_fd(w, p, fd); /* its other children will need it too */
		else
			close(fd); /* another thread reopened it meanwhile */
	}
	p->pins++;
	pthread_mutex_unlock(&w->mu);
	fd = open_beneath(w, p->fd, d->name, 1);
	e = errno;
	pthread_mutex_lock(&w->mu);
	p->pins--;
	if (--p->waiting == 0)
		release_fd(w, p);
	pthread_mutex_unlock(&w->mu);
	errno = e;
	return fd;
}

static void push_items(struct walk *w, struct dnode *parent, int fd, struct dnode *head,
		       struct dnode *tail, unsigned n)
{
	pthread_mutex_lock(&w->mu);
	parent->waiting = n;
	if (parent != w->rootn)
		hold_fd(w, parent, fd);
	tail->next = w->stack;
	w->stack = head;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

/* Remember the directory just finished, to climb back up from it. */
static void set_last(struct walk *w, struct wctx *c, struct dnode *d, int fd)
{
	struct dnode *old = c->last;
	int old_fd = c->last_fd;

	/* Under the lock: other threads read it to climb from here. */
	pthread_mutex_lock(&w->mu);
	c->last = d;
	c->last_fd = fd;
	if (d)
		d->refs++;
	if (old)
		unref(w, old);
	pthread_mutex_unlock(&w->mu);
	if (old_fd >= 0)
		close(old_fd);
}

static void walk_dir(struct walk *w, struct wctx *c, struct dnode *dn)
{
	int fd = open_node(w, c, dn);
	struct statfs sf;
	struct statx mx;
	bool nosuid = false;
	uint64_t mnt = 0, nfiles = 0;
	char buf[32768];
	struct dnode *head = NULL, *tail = NULL;
	unsigned nsub = 0;

	if (fd < 0) {
		int e = errno;

		note_error(w, dn, NULL, e,
			   e == ENOENT ? "directory vanished during the scan"
			   : e == ELOOP || e == EXDEV
			       ? "directory replaced by a symlink during the scan"
			   : e == ESTALE ? "directory moved during the scan"
					 : "cannot open directory");
		return;
	}
	if (statx(fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_TYPE | STATX_INO | STATX_MNT_ID,
		  &mx) < 0) {
		note_error(w, dn, NULL, errno, "statx");
		close(fd);
		return;
	}
	dn->dev = makedev(mx.stx_dev_major, mx.stx_dev_minor);
	dn->ino = mx.stx_ino;
	/* find -xdev: a directory on another device is not descended into. */
	if (w->o->one_filesystem && dn->dev != w->rootdev) {
		close(fd);
		return;
	}
	atomic_fetch_add_explicit(&w->dirs, 1, memory_order_relaxed);
	if (mx.stx_mask & STATX_MNT_ID)
		mnt = mx.stx_mnt_id;
	/* The mount's flags only change at a mount boundary: one statfs per mount per thread. */
	if (mnt && mnt == tl_mnt) {
		nosuid = tl_nosuid;
	} else if (fstatfs(fd, &sf) == 0) {
		nosuid = sf.f_flags & ST_NOSUID;
		tl_mnt = mnt;
		tl_nosuid = nosuid;
	}

	for (;;) {
		ssize_t n = getdents64(fd, buf, sizeof(buf));

		if (n == 0)
			break;
		if (n < 0) {
			note_error(w, dn, NULL, errno, "reading directory");
			break;
		}
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *de = (struct dirent64 *)(buf + off);
			const char *name = de->d_name;
			unsigned char type = de->d_type;

			off += de->d_reclen;
			if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
				continue;
			if (type == DT_UNKNOWN) {
				struct stat s;

				if (fstatat(fd, name, &s, AT_SYMLINK_NOFOLLOW) < 0)
					continue;
				type = S_ISDIR(s.st_mode)   ? DT_DIR
				       : S_ISREG(s.st_mode) ? DT_REG
							    : DT_LNK;
			}
			if (type == DT_REG) {
				check_file(w, fd, dn, name, nosuid, mnt);
				/* Shared counters are bumped per directory, not per file. */
				if (++nfiles % 4096 == 0 && w->o->progress) {
					uint64_t cnt = atomic_fetch_add(&w->files, 4096) + 4096;

					nfiles = 0;
					w->o->progress(w->o->progress_arg, cnt,
						       atomic_load(&w->dirs));
				}
			} else if (type == DT_DIR) {
				struct dnode *it;

				pthread_mutex_lock(&w->mu);
				it = dnode_new(dn, name, strlen(name));
				pthread_mutex_unlock(&w->mu);
				if (!it) {
					w->fatal = -ENOMEM;
					continue;
				}
				if (tail)
					tail->next = it;
				else
					head = it;
				tail = it;
				nsub++;
			}
		}
	}
	atomic_fetch_add_explicit(&w->files, nfiles, memory_order_relaxed);
	if (nsub) {
		/* The children open beneath this descriptor: it stays open until they have. */
		push_items(w, dn, fd, head, tail, nsub);
		if (dn == w->rootn)
			close(fd);
	} else {
		set_last(w, c, dn, fd);
	}
}

static void *worker(void *arg)
{
	struct walk *w = arg;
	struct wctx *c;

	pthread_mutex_lock(&w->mu);
	c = &w->ctx[w->nctx++];
	c->last_fd = -1;
	pthread_mutex_unlock(&w->mu);

	for (;;) {
		struct dnode *it = NULL;

		pthread_mutex_lock(&w->mu);
		for (;;) {
			if (w->stack) {
				it = w->stack;
				w->stack = it->next;
				break;
			}
			if (w->done)
				break;
			if (++w->idle == w->nthreads) {
				w->done = true;
				pthread_cond_broadcast(&w->cv);
				break;
			}
			pthread_cond_wait(&w->cv, &w->mu);
			w->idle--;
		}
		pthread_mutex_unlock(&w->mu);
		if (!it)
			break;
		walk_dir(w, c, it);
		pthread_mutex_lock(&w->mu);
		unref(w, it);
		pthread_mutex_unlock(&w->mu);
	}
	set_last(w, c, NULL, -1);
	return NULL;
}

/* A regular file given as the root: the same checks as in a walk, for that file alone. */
static int scan_one_file(const char *path, const struct cs_scan_opts *o, struct cs_scan_result *r,
			 struct cs_diag *d)
{
	struct walk w = {.rootfd = -1, .o = o, .r = r};
	const char *slash = strrchr(path, '/');
	cs_cleanup_free char *dir =
	    slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : strdup(".");
	cs_cleanup_close int dirfd = -1;
	cs_cleanup_free struct dnode *root = NULL;
	struct statfs sf;
	struct statx mx;
	bool nosuid = false;

	if (!dir)
		return -ENOMEM;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return cs_diag_set(d, errno, 0, 0, NULL, "%s", strerror(errno));
	if (fstatfs(dirfd, &sf) == 0)
		nosuid = sf.f_flags & ST_NOSUID;
	if (statx(dirfd, "", AT_EMPTY_PATH, STATX_MNT_ID, &mx) < 0)
		mx.stx_mnt_id = 0;
	/* Shown exactly as given: the path is the root itself. */
	root = dnode_new(NULL, path, strlen(path));
	if (!root)
		return -ENOMEM;
	pthread_mutex_init(&w.mu, NULL);
	check_file(&w, dirfd, root, slash ? slash + 1 : path, nosuid, mx.stx_mnt_id);
	pthread_mutex_destroy(&w.mu);
	for (size_t i = 0; i < r->nfindings; i++) {
		free(r->findings[i].path);
		r->findings[i].path = strdup(path);
		if (!r->findings[i].path)
			w.fatal = -ENOMEM;
	}
	for (size_t i = 0; i < r->nerrors; i++) {
		free(r->errors[i].path);
		r->errors[i].path = strdup(path);
		if (!r->errors[i].path)
			w.fatal = -ENOMEM;
	}
	r->files++;
	return w.fatal ? -ENOMEM : 0;
}

/* Directories whose descriptor may stay open for their children: a bound, whatever the tree. */
static unsigned max_held_dirs(const struct cs_scan_opts *o, unsigned nthreads)
{
	struct rlimit rl;
	rlim_t room = 256;

	if (o->max_open_dirs)
		return o->max_open_dirs;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		room = rl.rlim_cur > 64 ? (rl.rlim_cur - 32) / 2 : 8;
	if (room > 1024)
		room = 1024;
	return room > 4 * nthreads ? (unsigned)room - 2 * nthreads : 2;
}

int cs_scan_tree(const char *root, const struct cs_scan_opts *o, struct cs_scan_result *r,
		 struct cs_diag *d)
{
	static const struct cs_scan_opts defaults;
	struct walk w = {0};
	struct stat st;
	pthread_t th[16];
	unsigned started = 0;
	size_t len;

	if (!o)
		o = &defaults;
	/* Like find -P and getcap -r: a symlink given as the root is not followed. */
	w.rootfd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (w.rootfd < 0) {
		int e = errno;
		bool known = (e == ELOOP || e == ENOTDIR) && lstat(root, &st) == 0;

		if (known && S_ISLNK(st.st_mode))
			return cs_diag_set(
			    d, ELOOP, 0, 0, NULL,
			    "is a symlink; scan its target (symlinks are never followed)");
		if (known && S_ISREG(st.st_mode))
			return scan_one_file(root, o, r, d);
		/* "Not a directory" alone hid that a regular file is taken too. */
		if (known && !S_ISDIR(st.st_mode)) /* a directory now: it changed, say errno */
			return cs_diag_set(d, e, 0, 0, NULL,
					   "is a %s: neither a directory, an image nor a file "
					   "to check",
					   S_ISFIFO(st.st_mode)	  ? "fifo"
					   : S_ISSOCK(st.st_mode) ? "socket"
					   : S_ISCHR(st.st_mode)  ? "character device"
								  : "block device");
		return cs_diag_set(d, e, 0, 0, NULL, "%s", strerror(e));
	}
	if (fstat(w.rootfd, &st) < 0) {
		int e = errno;

		close(w.rootfd);
		return cs_diag_set(d, e, 0, 0, NULL, "%s", strerror(e));
	}
	len = strlen(root);
	while (len > 1 && root[len - 1] == '/')
		len--;
	w.rootn = dnode_new(NULL, root, len);
	if (!w.rootn) {
		close(w.rootfd);
		return -ENOMEM;
	}
	w.rootn->fd = w.rootfd;
	w.stack = w.rootn;
	w.rootdev = st.st_dev;
	w.o = o;
	w.r = r;
	w.nthreads = o->threads ? o->threads : 2;
	if (w.nthreads > 16)
		w.nthreads = 16;
	w.max_held = max_held_dirs(o, w.nthreads);
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.cv, NULL);
	pthread_mutex_init(&w.pl.mu, NULL);
	w.pl.gen = 1; /* a new node's 0 is in no check */
	/* Workers wait on the lock until nthreads counts only the threads that started. */
	pthread_mutex_lock(&w.mu);
	for (unsigned i = 1; i < w.nthreads; i++)
		if (pthread_create(&th[started + 1], NULL, worker, &w) == 0)
			started++;
	w.nthreads = started + 1;
	pthread_mutex_unlock(&w.mu);
	worker(&w);
	for (unsigned i = 1; i <= started; i++)
		pthread_join(th[i], NULL);
	r->files += atomic_load(&w.files);
	r->dirs += atomic_load(&w.dirs);
	r->walk_steps += atomic_load(&w.steps);
	pthread_mutex_lock(&w.pl.mu);
	check_places(&w); /* the findings still waiting */
	pthread_mutex_unlock(&w.pl.mu);
	r->place_steps += w.place_steps;
	free(w.pl.p);
	free(w.pl.v);
	free(w.pl.stack);
	pthread_mutex_destroy(&w.pl.mu);
	pthread_mutex_destroy(&w.mu);
	pthread_cond_destroy(&w.cv);
	close(w.rootfd);
	if (w.fatal)
		return cs_diag_set(d, -w.fatal, 0, 0, NULL, "%s", strerror(-w.fatal));
	cs_scan_sort_by_path(r);
	return 0;
}
