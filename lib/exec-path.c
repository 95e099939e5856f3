/* SPDX-License-Identifier: MIT */
/*
 * A name without '/' looked up in $PATH as runc's Go exec.LookPath does,
 * for a rootfs (lib/exec-file.c) and an image (lib/scan/image-exec.c): each
 * entry in order, "DIR/NAME" (an empty entry is "./NAME"), the first file
 * that is executable wins. Which candidate runc can stat depends on the
 * process's credentials (a directory it cannot search is skipped, Go 1.19),
 * so every candidate is kept, chained through path_next, and the runtime
 * model picks (lib/runtime/runc.c, runc.lookpath).
 *
 * A relative entry ("bin", ".", the empty one) is stat'ed from the process's
 * working directory, where runc has changed before exec.LookPath: the
 * probe looks it up from there (the cwd resolved once, each entry costing
 * its own names, as the kernel's lookup does), fill gets it cwd-joined, and
 * it is marked path_relative, since
 * Go 1.19's LookPath answers ErrDot for it and runc then refuses to start
 * the process (lib/runtime/runc.c).
 *
 * A probe's -ENOMEM or -E2BIG (an image's lookups over their bound,
 * lib/scan/view.c) ends the search with that error: the candidate was not
 * looked at, so neither it nor a later one may be taken.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/kernel.h"
#include "internal/exec-script.h"

int cs_exec_path_lookup(const char *path_env, const char *cwd, const char *name,
			struct cs_exec_file *f, const struct cs_exec_path_ops *ops, void *ctx)
{
	struct cs_exec_file *last = NULL;
	unsigned found = 0;
	char *buf = NULL;
	int rc = 0;

	/* Go's filepath.SplitList("") is no entry at all, not one empty entry. */
	for (const char *p = path_env && *path_env ? path_env : NULL;
	     p && rc >= 0 && found < CS_EXEC_PATH_MAX;) {
		const char *end = strchr(p, ':');
		size_t dl = end ? (size_t)(end - p) : strlen(p), need = dl + strlen(name) + 3;
		char *nb = realloc(buf, need);
		struct cs_exec_file *alt;
		char *joined = NULL;
		const char *rel;
		bool relative = !dl || p[0] != '/';

		if (!nb) {
			rc = -ENOMEM;
			break;
		}
		buf = nb;
		snprintf(buf, need, "%.*s/%s", dl ? (int)dl : 1, dl ? p : ".", name);
		p = end ? end + 1 : NULL;
		/* A relative candidate is probed from the cwd, not joined to it:
		 * joining each of 100,000 entries to a 4 KB cwd walked the cwd
		 * 100,000 times (8.7 s). The joined path is made for fill only. */
		rel = relative ? cs_exec_rel_name(buf) : buf;
		if ((rc = ops->probe(ctx, rel, relative,
				     relative ? cs_exec_joined_len(cwd, rel) : 0)) < 0) {
			/* ENOMEM, or an image's lookup bound (E2BIG): no answer, the
			 * search stops; any other error is a candidate LookPath skips. */
			if (rc == -ENOMEM || rc == -E2BIG)
				break;
			rc = 0;
			continue;
		}
		if (relative && cs_exec_join_cwd(cwd, buf, &joined) < 0) {
			rc = -ENOMEM;
			break;
		}
		if (joined) {
			free(buf);
			buf = joined;
		}
		if (!(alt = last ? calloc(1, sizeof(*alt)) : f)) {
			rc = -ENOMEM;
			break;
		}
		if (last)
			last->path_next = alt; /* linked first: freed with f */
		last = alt;
		alt->from_path = true;
		found++;
		rc = ops->fill(ctx, buf, relative, alt);
		alt->path_relative = relative; /* after fill, which may clear the record */
	}
	free(buf);
	if (rc >= 0 && !found)
		f->error = ENOENT; /* exec.LookPath: "executable file not found in $PATH" */
	return rc < 0 ? rc : 0;
}
