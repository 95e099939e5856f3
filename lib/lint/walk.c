/* SPDX-License-Identifier: MIT */
/*
 * What lint reads: one manifest text, a file, or a directory tree walked in
 * name order (so the report does not depend on readdir's order). Symbolic
 * links below the path given are never followed: a chart checked out from a
 * pull request must not make lint read /etc or loop. One file's manifest is
 * freed before the next is read, so memory follows the largest file, not
 * the tree.
 */
#include "lint-internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../internal/cleanup.h"
#include "capscope/scc-load.h"

#define MAX_FILE  (16u << 20) /* as cs_k8s_load: larger is not a manifest */
#define MAX_DEPTH 64

int cs_lint_buffer(const char *buf, size_t len, const char *name, const struct cs_lint_opts *o,
		   struct cs_lint_report *r, struct cs_diag *d)
{
	struct cs_k8s_manifest m;
	struct cs_lint_opts lo = *o;
	const struct cs_scc **sccs = NULL;
	int ret;

	cs_k8s_manifest_init(&m);
	r->n_files++;
	if ((ret = cs_k8s_parse(&m, buf, len, name, d)) < 0)
		goto out;
	if (o->explain.use_scc && o->scc_set) {
		size_t n = 0;

		/* SCCs in the linted file join the candidates, as in explain pod. */
		if ((ret = cs_scc_set_candidates(o->scc_set, &m, &sccs, &n)) < 0)
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
 * What walk does with the entry name of pfd (sub: its path, for messages):
 * 1 read it (a directory, or a regular file named like a manifest), 0 pass
 * over it (kubectl does too), or an error naming it. Whatever kubectl would
 * read and lint does not is an error, never passed over in silence.
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
		return 0;
	if (S_ISREG(st->st_mode))
		return 1;
	cs_diag_file(d, sub);
	/* kubectl -f DIR reads a link's target (a notes.txt holding a
	 * privileged Pod, behind x.yaml); lint does not follow links below
	 * the path given, so it refuses such a link rather than skip it. */
	if (S_ISLNK(st->st_mode))
		return cs_diag_set(d, ELOOP, 0, 0, "",
				   "a symbolic link: kubectl -f reads its target, lint does "
				   "not follow links in a tree; lint the target itself");
	/* a FIFO, socket or device: kubectl opens it (and reads, or waits) */
	return cs_diag_set(d, EINVAL, 0, 0, "",
			   "not a regular file: kubectl -f would open it; lint reads only files");
}

static int walk(int dfd, const char *path, int depth, const struct cs_lint_opts *o,
		struct cs_lint_report *r, struct cs_diag *d)
{
	char **names = NULL;
	size_t n = 0;
	int ret, pfd = dup(dfd);

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
		int fd = openat(pfd, names[i],
				O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
				    (S_ISDIR(st.st_mode) ? O_DIRECTORY : 0));

		if (fd < 0) {
			cs_diag_file(d, sub);
			ret = cs_diag_set(d, errno, 0, 0, "", "cannot open: %s", strerror(errno));
		} else if (S_ISDIR(st.st_mode))
			ret = walk(fd, sub, depth + 1, o, r, d);
		else {
			ret = lint_fd(fd, sub, o, r, d);
			close(fd);
			if (ret == -EINVAL && not_kubernetes(d)) {
				r->n_files--;
				r->n_other_files++;
				memset(d, 0, sizeof(*d));
				ret = 0;
			}
		}
	}
	close(pfd);
	free_names(names, n);
	return ret;
}

int cs_lint_path(const char *path, const struct cs_lint_opts *o, struct cs_lint_report *r,
		 struct cs_diag *d)
{
	struct stat st;
	int fd, ret;

	if (!strcmp(path, "-"))
		return lint_fd(STDIN_FILENO, "-", o, r, d);
	/* The path given is followed (the user named it); what is below is not. */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		ret = -errno;
		if (fd >= 0)
			close(fd);
		cs_diag_file(d, path);
		return cs_diag_set(d, -ret, 0, 0, "", "cannot open: %s", strerror(-ret));
	}
	if (S_ISDIR(st.st_mode))
		return walk(fd, path, 0, o, r, d);
	ret = lint_fd(fd, path, o, r, d);
	close(fd);
	return ret;
}
