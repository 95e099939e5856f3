/* SPDX-License-Identifier: MIT */
/*
 * Which file of an image a container's argv[0] runs, and what execve sees of
 * it, without extracting the image: the rules of lib/exec-file.c (runc 1.1
 * calls Go's exec.LookPath, then execve follows the last symlink) applied to
 * the image's final view. The view only knows paths inside the image, so
 * "..", absolute links and relative links all stay in it by construction.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capscope/scan.h"
#include "../internal/cleanup.h"
#include "../internal/exec-script.h"
#include "view.h"

/* The caller names the candidate itself; only the metadata is kept. */
static void drop_path(struct cs_image_stat *st)
{
	free(st->path);
	st->path = NULL;
}

/* Go's findExecutable (os/exec, lp_unix.go): exists, not a directory, some x bit. */
static int candidate(const struct cs_image *im, const char *path, struct cs_image_stat *st)
{
	int rc = cs_image_lookup(im, path, true, st);

	if (rc < 0)
		return rc;
	drop_path(st);
	if (S_ISDIR(st->mode) || !(st->mode & 0111))
		return -EACCES;
	return 0;
}

static void fill(const struct cs_image_stat *st, struct cs_exec_file *f)
{
	f->known = true;
	f->mode = (mode_t)st->mode;
	f->owner_uid = (uid_t)st->uid;
	f->owner_gid = (gid_t)st->gid;
	f->nosuid = false; /* the image says nothing about mounts */
	f->unknown_format = st->unknown_format;
	if (!S_ISREG(st->mode) || !st->has_fcaps)
		return;
	if (st->fcaps_invalid) {
		f->fcaps_state = -EINVAL;
	} else {
		f->fcaps_state = 1;
		f->fcaps = st->fcaps;
	}
}

/* The image kept the first bytes of "#!" executables only: others read as binaries. */
static size_t copy_head(const struct cs_image_stat *st, char head[CS_EXEC_HEAD_MAX])
{
	size_t n = st->head ? st->headlen : 0;

	memcpy(head, st->head ? st->head : "", n < CS_EXEC_HEAD_MAX ? n : CS_EXEC_HEAD_MAX);
	return n < CS_EXEC_HEAD_MAX ? n : CS_EXEC_HEAD_MAX;
}

/* An interpreter named by a "#!" line: a plain lookup, symlinks followed (open_exec). */
static int open_fn(void *root, const char *path, struct cs_exec_file *f,
		   char head[CS_EXEC_HEAD_MAX], size_t *n)
{
	struct cs_image_stat st;
	int rc;

	*n = 0;
	if (cs_exec_file_set_path(f, path) < 0)
		return -ENOMEM;
	rc = cs_image_lookup(root, path, true, &st);
	if (rc == -ENOMEM || rc == -E2BIG) /* E2BIG: the image's lookup bound, no answer */
		return rc;
	if (rc < 0) {
		f->error = -rc;
		return 0;
	}
	fill(&st, f);
	*n = copy_head(&st, head);
	cs_image_stat_clear(&st);
	return cs_image_searched_dirs(root, path, f);
}

static int found(const struct cs_image *im, const char *cwd, const struct cs_image_stat *st,
		 struct cs_exec_file *f)
{
	char head[CS_EXEC_HEAD_MAX];
	size_t n = copy_head(st, head);
	int rc;

	fill(st, f);
	if ((rc = cs_image_searched_dirs(im, f->path, f)) < 0)
		return rc;
	return cs_exec_script_follow((void *)im, open_fn, cwd, f, head, n);
}

/* $PATH in an image (lib/exec-path.c): probe keeps what it found for fill. */
struct image_path {
	const struct cs_image *im;
	const char *cwd;
	struct cs_image_stat st;
	/* The cwd resolved once, at the first relative entry. */
	struct cs_view_base *base;
};

static int image_probe(void *ctx, const char *path, bool relative, size_t joined_len)
{
	struct image_path *p = ctx;
	const char *cwd = p->cwd && strcmp(p->cwd, "/") ? p->cwd : "";
	int rc;

	if (!relative)
		return candidate(p->im, path, &p->st);
	if (!p->base && (rc = cs_image_base_new(p->im, cwd, &p->base)) < 0)
		return rc;
	rc = cs_image_lookup_from(p->im, p->base, path, joined_len, true, &p->st);
	if (rc < 0)
		return rc;
	/* candidate()'s test: Go's findExecutable */
	if (S_ISDIR(p->st.mode) || !(p->st.mode & 0111))
		return -EACCES;
	return 0;
}

static int image_fill(void *ctx, const char *path, bool relative, struct cs_exec_file *f)
{
	struct image_path *p = ctx;

	int rc;

	if (cs_exec_file_set_path(f, path) < 0)
		return -ENOMEM;
	if (relative && (rc = cs_image_gate_cwd(p->im, p->cwd, f)) < 0)
		return rc;
	return found(p->im, p->cwd, &p->st, f);
}

static const struct cs_exec_path_ops image_path_ops = {image_probe, image_fill};

/* cs_exec_cwd_stat_fn in the image's view. */
static int image_stat(void *ctx, const char *path, bool follow, bool *is_dir)
{
	struct cs_image_stat st;
	int rc = cs_image_lookup(ctx, path, follow, &st);

	if (rc < 0)
		return rc;
	*is_dir = S_ISDIR(st.mode);
	cs_image_stat_clear(&st);
	return 0;
}

static int resolve_image(const struct cs_image *im, const char *cwd, const char *arg0,
			 const char *path_env, struct cs_exec_file *f);

/* runc's MkdirAll of the cwd first (lib/exec-cwd.c), as in a rootfs. */
int cs_image_exec_resolve(const struct cs_image *im, const char *cwd, const char *arg0,
			  const char *path_env, struct cs_exec_file *f)
{
	cs_cleanup_free char *eff = NULL, *failed = NULL;
	int err = cs_exec_cwd_mkdir(cwd, image_stat, (void *)im, &eff, &failed);
	int rc;

	if (err < 0)
		return err;
	rc = resolve_image(im, eff ? eff : cwd, arg0, path_env, f);
	f->cwd_error = err;
	return rc;
}

static int resolve_image(const struct cs_image *im, const char *cwd, const char *arg0,
			 const char *path_env, struct cs_exec_file *f)
{
	struct cs_image_stat st;
	int rc;

	memset(f, 0, sizeof(*f));
	if (cs_exec_file_set_path(f, arg0) < 0)
		return -ENOMEM;
	if (!arg0 || !*arg0) {
		f->error = ENOENT;
		return 0;
	}
	if (strchr(arg0, '/')) {
		cs_cleanup_free char *joined = NULL;

		/* runc has changed to the cwd: "./app" and "bin/app" are the cwd's. */
		if (cs_exec_join_cwd(cwd, arg0, &joined) < 0)
			return -ENOMEM;
		if (joined && cs_exec_file_set_path(f, joined) < 0)
			return -ENOMEM;
		if (joined && (rc = cs_image_gate_cwd(im, cwd, f)) < 0)
			return rc;
		if (joined)
			arg0 = joined;
		rc = candidate(im, arg0, &st);
		if (rc == -ENOMEM || rc == -E2BIG)
			return rc;
		if (rc < 0 && rc != -EACCES) {
			f->error = -rc;
			return 0;
		}
		/* -EACCES (not executable, a directory): execve itself says no. */
		return found(im, cwd, &st, f);
	}
	{
		struct image_path p = {im, cwd, {0}, NULL};

		rc = cs_exec_path_lookup(path_env, cwd, arg0, f, &image_path_ops, &p);
		cs_view_base_free(p.base);
		return rc;
	}
}
