/* SPDX-License-Identifier: MIT */
/*
 * What lint reads: one manifest text, a file, or a directory tree walked in
 * name order (so the report does not depend on readdir's order). A symbolic
 * link below the path given is read, as kubectl -f DIR reads it, only when
 * named like a manifest and only when its target stays inside the tree
 * (openat2 RESOLVE_BENEATH): a chart checked out from a pull request must
 * not make lint read /etc or loop, and a directory mounted from a ConfigMap
 * (x.yaml -> ..data/x.yaml) must still be read. A link to a directory is
 * never descended (kubectl does not either). One file's manifest is freed
 * before the next is read, so memory follows the largest file, not the
 * tree.
 */
#include "lint-internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../internal/cleanup.h"
#include "../internal/open-in-root.h"
#include "../internal/util.h"
#include "capscope/scc-load.h"

#define MAX_FILE  (16u << 20) /* as cs_k8s_load: larger is not a manifest */
#define MAX_DEPTH 64

/* The keys one file's reading took as absent, copied into the report (the
 * manifest is freed before the next file): at most CS_K8S_UNKNOWN_KEPT in
 * all, every one counted. */
static int keep_unknown(struct cs_lint_report *r, const struct cs_k8s_manifest *m)
{
	r->n_unknown_total += m->n_unknown_total;
	for (size_t i = 0; i < m->n_unknown && r->n_unknown < CS_K8S_UNKNOWN_KEPT; i++) {
		const struct cs_k8s_unknown_field *u = &m->unknown[i];
		struct cs_lint_unknown *k;

		if (!r->unknown && !(r->unknown = calloc(CS_K8S_UNKNOWN_KEPT, sizeof(*r->unknown))))
			return -ENOMEM;
		k = &r->unknown[r->n_unknown];
		k->file = strdup(u->file ? u->file : "");
		k->field = strdup(u->field);
		if (!k->file || !k->field) {
			free(k->file);
			free(k->field);
			k->file = k->field = NULL;
			return -ENOMEM;
		}
		k->object = u->object;
		k->api = u->api;
		k->line = u->pos.line;
		k->column = u->pos.column;
		r->n_unknown++;
	}
	return 0;
}

int cs_lint_buffer(const char *buf, size_t len, const char *name, const struct cs_lint_opts *o,
		   struct cs_lint_report *r, struct cs_diag *d)
{
	struct cs_k8s_manifest m;
	struct cs_lint_opts lo = *o;
	const struct cs_scc **sccs = NULL;
	int ret;

	cs_k8s_manifest_init(&m);
	m.validate = o->validate;
	r->n_files++;
	if ((ret = cs_k8s_parse(&m, buf, len, name, d)) < 0 || (ret = keep_unknown(r, &m)) < 0)
		goto out;
	/* Named once the SCCs of every file are known: a --use name no SCC
	 * has is a usage error (cmd-lint.c), as in explain pod. */
	for (size_t i = 0; i < o->n_uses && i < 64; i++)
		for (size_t k = 0; k < m.n_sccs; k++)
			if (!strcmp(m.sccs[k].name, o->uses[i]))
				r->uses_in_files |= UINT64_C(1) << i;
	if (o->explain.use_scc && o->scc_set) {
		size_t n = 0;

		/* SCCs in the linted file join the candidates, as in explain pod. */
		if ((ret = cs_scc_set_candidates(o->scc_set, &m, &sccs, &n, d)) < 0)
			goto out;
		lo.explain.sccs = (const struct cs_scc *const *)sccs;
		lo.explain.n_sccs = n;
	}
	for (size_t i = 0; i < m.n_pods; i++)
		if ((ret = cs_lint_pod(&m.pods[i], &lo, r, d)) < 0) {
			cs_diag_file(d, name);
			break;
		}
out:
	free(sccs);
	cs_k8s_manifest_free(&m);
	return ret;
}

/* Read all of fd, at most MAX_FILE bytes. */
static int read_fd(int fd, char **out, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (n == cap) {
			char *nb;

			if (!(nb = realloc(buf, cap * 2))) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t k = read(fd, buf + n, cap - n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = errno;

			free(buf);
			return -e;
		}
		if (k == 0)
			break;
		if ((n += (size_t)k) > MAX_FILE) {
			free(buf);
			return -EFBIG;
		}
	}
	if (n > MAX_FILE) {
		free(buf);
		return -EFBIG;
	}
	*out = buf;
	*len = n;
	return 0;
}

static int lint_fd(int fd, const char *name, const struct cs_lint_opts *o, struct cs_lint_report *r,
		   struct cs_diag *d)
{
	cs_cleanup_free char *buf = NULL;
	size_t len = 0;
	int ret = read_fd(fd, &buf, &len);

	if (ret < 0) {
		cs_diag_file(d, name);
		return cs_diag_set(d, -ret, 0, 0, "", "cannot read: %s",
				   ret == -EFBIG ? "larger than 16 MiB" : strerror(-ret));
	}
	return cs_lint_buffer(buf, len, name, o, r, d);
}

/*
 * kubectl's test (cli-runtime ignoreFile): filepath.Ext, the name from its
 * last dot, is .json, .yaml or .yml, case and all. A file named `.yaml`
 * alone is one: kubectl apply -f DIR reads it, and lint skipped it
 * (fifteenth pass, second round).
 */
static bool manifest_name(const char *n)
{
	const char *ext = strrchr(n, '.');

	return ext && (!strcmp(ext, ".yaml") || !strcmp(ext, ".yml") || !strcmp(ext, ".json"));
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The entries of dfd (owned, closed), sorted, without "." and "..". */
static int list_dir(int dfd, char ***out, size_t *n_out)
{
	DIR *dir = fdopendir(dfd);
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, cap = 0;
	int ret = 0;

	if (!dir) {
		ret = -errno;
		close(dfd);
		return ret;
	}
	while ((errno = 0, de = readdir(dir)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			char **nv = realloc(v, (cap = cap ? cap * 2 : 32) * sizeof(*v));

			if (!nv) {
				ret = -ENOMEM;
				break;
			}
			v = nv;
		}
		if (!(v[n] = strdup(de->d_name))) {
			ret = -ENOMEM;
			break;
		}
		n++;
	}
	if (!ret && errno)
		ret = -errno;
	closedir(dir);
	if (ret < 0) {
		free_names(v, n);
		return ret;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_name);
	*out = v;
	*n_out = n;
	return 0;
}

/*
 * A tree holds YAML that is not Kubernetes (values.yaml, CI workflows,
 * lint's own --config): a document without a kind. Walking a tree, such a
 * file is passed over; named on the command line it is an error.
 */
static bool not_kubernetes(const struct cs_diag *d)
{
	return d && !strcmp(d->field, "kind") && strstr(d->message, "has no kind");
}

/*
 * The walk's state: the tree's root (links are resolved beneath it), how
 * many bytes of an entry's path spell the root, and the files already read
 * by their device and inode, so that one file reached by two names is read
 * once (a tsearch tree: log n a file, not a list searched for each).
 */
struct walk_ctx {
	int root;
	size_t skip;
	const struct cs_lint_opts *o;
	struct cs_lint_report *r;
	struct cs_diag *d;
};

struct file_id {
	dev_t dev;
	ino_t ino;
};

static int cmp_id(const void *a, const void *b)
{
	const struct file_id *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* 1 when the file of fd was read before (by another name, or named again:
 * the set is the report's, sixteenth pass, part H), 0 when not (it is now
 * remembered), or -errno. */
static int seen_before(struct cs_lint_report *r, int fd)
{
	struct stat st;
	struct file_id *id, **slot;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!(id = malloc(sizeof(*id))))
		return -ENOMEM;
	*id = (struct file_id){st.st_dev, st.st_ino};
	if (!(slot = tsearch(id, &r->seen, cmp_id))) {
		free(id);
		return -ENOMEM;
	}
	if (*slot != id) {
		free(id);
		return 1;
	}
	return 0;
}

/*
 * What walk does with the entry name of pfd (sub: its path, for messages):
 * 1 read it (a directory, or a regular file named like a manifest), 2 read
 * the target of the link it is, 0 pass over it (kubectl does too), or an
 * error naming it. Whatever kubectl would read and lint does not is an
 * error, never passed over in silence.
 */
static int entry_kind(int pfd, const char *name, const char *sub, struct stat *st,
		      struct cs_diag *d)
{
	/* EACCES in a directory lint may list but not search: kubectl fails
	 * ("lstat ...: permission denied"); lint passed over every entry,
	 * "0 object(s)", exit 0 (fifteenth pass, second round) */
	if (fstatat(pfd, name, st, AT_SYMLINK_NOFOLLOW) < 0) {
		int e = errno;

		cs_diag_file(d, sub);
		return cs_diag_set(d, e, 0, 0, "", "cannot read: %s", strerror(e));
	}
	if (S_ISDIR(st->st_mode))
		return 1;
	if (!manifest_name(name))
		return 0; /* a link to a directory too: kubectl does not descend it */
	if (S_ISREG(st->st_mode))
		return 1;
	if (S_ISLNK(st->st_mode))
		return 2;
	cs_diag_file(d, sub);
	/* a FIFO, socket or device: kubectl opens it (and reads, or waits) */
	return cs_diag_set(d, EINVAL, 0, 0, "",
			   "not a regular file: kubectl -f would open it; lint reads only files");
}

/*
 * The target of the link sub (rel: its path below the root), opened
 * beneath the root and nowhere else, or an error naming the link. kubectl
 * -f DIR opens the link and reads its target wherever it is; lint reads it
 * when it stays in the tree (a ConfigMap or Secret volume: x.yaml ->
 * ..data/x.yaml, ..data -> ..2026_11_30_...), and refuses the others
 * rather than follow them out or pass over what kubectl reads. Part A of
 * the fifteenth pass refused every link, so lint failed on every
 * ConfigMap-mounted directory (second round).
 */
static int open_link(struct walk_ctx *w, const char *sub, const char *rel)
{
	const uint64_t how = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	struct stat st, st2;
	int fd cs_cleanup_close = cs_open_in_root(w->root, rel, O_PATH, how);
	int e = fd < 0 ? -fd : 0, rfd;

	if (!e && fstat(fd, &st) < 0)
		e = errno;
	cs_diag_file(w->d, sub);
	if (e == EXDEV)
		return cs_diag_set(w->d, e, 0, 0, "",
				   "a symbolic link out of the tree (or absolute): kubectl -f "
				   "reads its target, lint never follows a link out of the "
				   "directory given; lint the target itself");
	if (e == ENOENT)
		return cs_diag_set(w->d, e, 0, 0, "",
				   "a dangling symbolic link: kubectl -f fails opening it");
	if (e == ELOOP)
		return cs_diag_set(w->d, e, 0, 0, "",
				   "a symbolic link loop (or more than 40 links): kubectl -f "
				   "fails opening it");
	if (e)
		return cs_diag_set(w->d, e, 0, 0, "", "cannot read: %s", strerror(e));
	if (S_ISDIR(st.st_mode))
		return cs_diag_set(w->d, EISDIR, 0, 0, "",
				   "a symbolic link to a directory: kubectl -f fails reading it");
	if (!S_ISREG(st.st_mode))
		return cs_diag_set(w->d, EINVAL, 0, 0, "",
				   "a symbolic link to what is not a regular file: kubectl -f "
				   "would open it; lint reads only files");
	/* Opened again for reading (O_PATH does not read), beneath the root
	 * again: a link changed meanwhile cannot lead out; the same file or
	 * an error. */
	if ((rfd = cs_open_in_root(w->root, rel, O_RDONLY, how)) < 0)
		return cs_diag_set(w->d, -rfd, 0, 0, "", "cannot open: %s", strerror(-rfd));
	if (fstat(rfd, &st2) < 0 || st2.st_dev != st.st_dev || st2.st_ino != st.st_ino) {
		close(rfd);
		return cs_diag_set(w->d, EAGAIN, 0, 0, "",
				   "the symbolic link changed while it was read");
	}
	memset(w->d, 0, sizeof(*w->d));
	return rfd;
}

/* Read the file fd (owned, closed) once: a second name of a file already
 * read (a ConfigMap's x.yaml and ..2026_.../x.yaml, which kubectl -f DIR -R
 * reads twice) is counted, not linted again, so its findings are not
 * reported twice. */
static int read_entry(struct walk_ctx *w, int fd, const char *sub)
{
	int ret = seen_before(w->r, fd);

	if (ret != 0) {
		close(fd);
		if (ret > 0) {
			w->r->n_same_files++;
			return 0;
		}
		cs_diag_file(w->d, sub);
		return cs_diag_set(w->d, -ret, 0, 0, "", "cannot read: %s", strerror(-ret));
	}
	ret = lint_fd(fd, sub, w->o, w->r, w->d);
	close(fd);
	if (ret == -EINVAL && not_kubernetes(w->d)) {
		w->r->n_files--;
		w->r->n_other_files++;
		memset(w->d, 0, sizeof(*w->d));
		ret = 0;
	}
	return ret;
}

static int walk(struct walk_ctx *w, int dfd, const char *path, int depth)
{
	char **names = NULL;
	size_t n = 0;
	int ret, pfd = dup(dfd);
	struct cs_diag *d = w->d;

	if (pfd < 0)
		return cs_diag_set(d, errno, 0, 0, "", "%s: %s", path, strerror(errno));
	if (depth > MAX_DEPTH) {
		close(dfd);
		ret = -ELOOP;
	} else
		ret = list_dir(dfd, &names, &n);
	if (ret < 0) {
		close(pfd);
		cs_diag_file(d, path);
		return cs_diag_set(d, -ret, 0, 0, "", "cannot read the directory: %s",
				   ret == -ELOOP ? "nested too deeply" : strerror(-ret));
	}
	for (size_t i = 0; ret >= 0 && i < n; i++) {
		struct stat st;
		cs_cleanup_free char *sub = NULL;
		int fd;

		/* Every entry is looked at, dot entries and version control stores
		 * too: `kubectl apply -f DIR -R` reads `.x.yaml`, `.d/x.yaml` and
		 * `.svn/x.yaml`, and a git checkout can hold `.svn/` and `.hg/`
		 * (an hg or svn one `.git/`); skipping them hid a privileged Pod
		 * from lint (fifteenth pass, both rounds). */
		if (asprintf(&sub, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/",
			     names[i]) < 0) {
			sub = NULL;
			ret = -ENOMEM;
			break;
		}
		if ((ret = entry_kind(pfd, names[i], sub, &st, d)) <= 0)
			continue;
		if (ret == 2) {
			if ((fd = open_link(w, sub, sub + w->skip)) >= 0)
				ret = read_entry(w, fd, sub);
			else
				ret = fd;
			continue;
		}
		fd = openat(pfd, names[i],
			    O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
				(S_ISDIR(st.st_mode) ? O_DIRECTORY : 0));
		if (fd < 0) {
			cs_diag_file(d, sub);
			ret = cs_diag_set(d, errno, 0, 0, "", "cannot open: %s", strerror(errno));
		} else if (S_ISDIR(st.st_mode))
			ret = walk(w, fd, sub, depth + 1);
		else
			ret = read_entry(w, fd, sub);
	}
	close(pfd);
	free_names(names, n);
	return ret;
}

static int walk_tree(int fd, const char *path, const struct cs_lint_opts *o,
		     struct cs_lint_report *r, struct cs_diag *d)
{
	size_t len = strlen(path);
	struct walk_ctx w = {
	    .root = fd, .skip = len + (path[len - 1] != '/'), .o = o, .r = r, .d = d};
	int root = dup(fd), ret;

	if (root < 0) {
		ret = -errno;
		close(fd);
		cs_diag_file(d, path);
		return cs_diag_set(d, -ret, 0, 0, "", "cannot open: %s", strerror(-ret));
	}
	w.root = root;
	ret = walk(&w, fd, path, 0);
	close(root);
	return ret;
}

int cs_lint_path(const char *path, const struct cs_lint_opts *o, struct cs_lint_report *r,
		 struct cs_diag *d)
{
	struct stat st;
	int fd, ret;

	if (!strcmp(path, "-"))
		return lint_fd(STDIN_FILENO, "-", o, r, d);
	/* The path given is followed (the user named it); what is below is not.
	 * O_NONBLOCK: a FIFO nobody writes to is refused below, not waited on
	 * (twenty-first pass, part E); a regular file or directory ignores it. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) < 0) {
		ret = -errno;
		if (fd >= 0)
			close(fd);
		cs_diag_file(d, path);
		return cs_diag_set(d, -ret, 0, 0, "", "cannot open: %s", strerror(-ret));
	}
	if (S_ISDIR(st.st_mode))
		return walk_tree(fd, path, o, r, d);
	if (!S_ISREG(st.st_mode)) {
		/* a pipe (`lint <(helm template ...)`) read to its end as kubectl
		 * -f reads it; a FIFO with no writer, a device: refused */
		cs_cleanup_free char *buf = NULL;
		size_t len = 0;

		close(fd);
		ret = cs_read_config_file(path, 16u << 20, "kubectl", &buf, &len, d);
		return ret < 0 ? ret : cs_lint_buffer(buf, len, path, o, r, d);
	}
	/* A regular file read before (named twice, or in a tree named too):
	 * its findings were reported; a pipe was read above. */
	if (S_ISREG(st.st_mode) && (ret = seen_before(r, fd)) != 0) {
		close(fd);
		if (ret > 0) {
			r->n_same_files++;
			return 0;
		}
		cs_diag_file(d, path);
		return cs_diag_set(d, -ret, 0, 0, "", "cannot read: %s", strerror(-ret));
	}
	ret = lint_fd(fd, path, o, r, d);
	close(fd);
	return ret;
}
