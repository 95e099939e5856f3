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
	if (!S_ISREG(st->mode) || !st->has_fcaps)
		return;
	if (st->fcaps_invalid) {
		f->fcaps_state = -EINVAL;
	} else {
		f->fcaps_state = 1;
		f->fcaps = st->fcaps;
	}
}

int cs_image_exec_resolve(const struct cs_image *im, const char *arg0, const char *path_env,
			  struct cs_exec_file *f)
{
	struct cs_image_stat st;
	char buf[4096];
	int rc;

	memset(f, 0, sizeof(*f));
	if (cs_exec_file_set_path(f, arg0) < 0)
		return -ENOMEM;
	if (!arg0 || !*arg0) {
		f->error = ENOENT;
		return 0;
	}
	if (strchr(arg0, '/')) {
		/* A relative name is taken from the image root, as lib/exec-file.c does. */
		rc = candidate(im, arg0, &st);
		if (rc == -EACCES) {
			/* Not executable or a directory: execve itself says no (EACCES). */
			fill(&st, f);
			return 0;
		}
		if (rc < 0) {
			f->error = -rc;
			return 0;
		}
		fill(&st, f);
		return 0;
	}
	for (const char *p = path_env; p;) {
		const char *end = strchr(p, ':');
		size_t dl = end ? (size_t)(end - p) : strlen(p);

		if (dl == 0)
			rc = snprintf(buf, sizeof(buf), "./%s", arg0);
		else
			rc = snprintf(buf, sizeof(buf), "%.*s/%s", (int)dl, p, arg0);
		if (rc > 0 && (size_t)rc < sizeof(buf) && candidate(im, buf, &st) == 0) {
			if (cs_exec_file_set_path(f, buf) < 0)
				return -ENOMEM;
			fill(&st, f);
			return 0;
		}
		p = end ? end + 1 : NULL;
	}
	/* exec.LookPath: "executable file not found in $PATH". */
	f->error = ENOENT;
	return 0;
}
