/* SPDX-License-Identifier: MIT */
/*
 * runc creates process.cwd before it changes there: os.MkdirAll(cwd, 0755),
 * as root inside the container's root (libcontainer/rootfs_linux.go,
 * prepareRootfs: "spec.Process.Cwd can contain unclean value like
 * ../../../../foo/bar"). The model had taken a missing cwd as "created,
 * empty" and nothing more; two outcomes differ (both seen with real runc):
 *
 * - MkdirAll fails and runc init with it ("mkdir /ldang: file exists" for a
 *   dangling symlink, "mkdir /bin/app: not a directory" under a file): the
 *   process never starts, where the model ran it;
 * - a ".." after a created directory climbs back out of it: with cwd
 *   "/new/../bin" runc creates /new and "./app" is /bin/app, which the
 *   model looked for under a /new that is not there (ENOENT).
 *
 * Go's MkdirAll stats the whole path and, when that fails, makes the
 * lexical parent first, then Mkdir, taking EEXIST on a directory as done.
 * Walked here component by component (what the kernel resolves at each
 * prefix is the same): a name that resolves to a directory is entered; to
 * anything else, ENOTDIR; a name that is missing but is there unfollowed (a
 * dangling or looping symlink) is Mkdir's EEXIST; a missing one is
 * created, and below a created directory every name is created and ".."
 * comes back up. The lookups themselves are the caller's (a rootfs or an
 * image's view).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal/exec-script.h"

/* Append "/" and n bytes of s to the path being built (*p, *len). */
static int append(char **p, size_t *len, const char *s, size_t n)
{
	char *q = realloc(*p, *len + n + 2);

	if (!q)
		return -ENOMEM;
	q[(*len)++] = '/';
	memcpy(q + *len, s, n);
	*len += n;
	q[*len] = '\0';
	*p = q;
	return 0;
}

/* The lexical prefix of cwd that ends at end: what Go names in its error. */
static int failed_at(const char *cwd, const char *end, char **failed, int err)
{
	size_t n = (size_t)(end - cwd);

	if (!(*failed = malloc(n + 1)))
		return -ENOMEM;
	memcpy(*failed, cwd, n);
	(*failed)[n] = '\0';
	return err;
}

int cs_exec_cwd_mkdir(const char *cwd, cs_exec_cwd_stat_fn *stat_fn, void *ctx, char **eff,
		      char **failed)
{
	char *p = NULL; /* the directory reached, spelled from the root ("" is "/") */
	size_t len = 0, created = 0;
	bool is_dir = false;
	int rc = 0;

	*eff = NULL;
	*failed = NULL;
	if (!cwd || cwd[0] != '/')
		return 0;
	rc = stat_fn(ctx, cwd, true, &is_dir);
	if (rc == -ENOMEM || rc == -E2BIG || (rc == 0 && is_dir))
		return rc;
	rc = 0;
	for (const char *s = cwd; *s;) {
		size_t n;

		while (*s == '/')
			s++;
		n = strcspn(s, "/");
		if (!n || (n == 1 && s[0] == '.')) {
			s += n;
			continue;
		}
		if (created) {
			created += !(n == 2 && !memcmp(s, "..", 2)) ? 1 : (size_t)-1;
			s += n;
			continue;
		}
		if ((rc = append(&p, &len, s, n)) < 0)
			break;
		s += n;
		rc = stat_fn(ctx, p, true, &is_dir);
		if (rc == 0 && is_dir)
			continue;
		if (rc == 0 || rc == -ENOTDIR) {
			rc = failed_at(cwd, s, failed, ENOTDIR);
			break;
		}
		if (rc == -ENOMEM || rc == -E2BIG) /* E2BIG: an image's lookup bound */
			break;
		/* Missing followed: Mkdir finds the name itself there (EEXIST). */
		if ((rc = stat_fn(ctx, p, false, &is_dir)) == 0) {
			rc = failed_at(cwd, s, failed, EEXIST);
			break;
		}
		if (rc == -ENOMEM || rc == -E2BIG)
			break;
		len -= n + 1; /* created: not part of the directory reached */
		p[len] = '\0';
		created = 1;
		rc = 0;
	}
	/* Ended in a directory that exists: the lookups start there. */
	if (rc == 0 && !created && !(*eff = p ? p : strdup("/")))
		return -ENOMEM;
	if (rc != 0 || created)
		free(p);
	return rc;
}
