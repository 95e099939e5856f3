/* SPDX-License-Identifier: MIT */
/*
 * All or nothing over many paths (file set / file rm) without holding a
 * descriptor per path. Holding one per path made the change fail on a
 * list longer than RLIMIT_NOFILE (1,024 by default): 1,100 files gave
 * 77 "Too many open files" lines and nothing written, where setcap takes
 * any number. Now every path is checked first and only its identity kept
 * (device and inode, from the descriptor the checks ran on); each is
 * opened again for its write and must still be that file, or the change
 * stops and the files already written are put back.
 */
#include "capscope/fcaps.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal/cleanup.h"

int cs_fcaps_check(const char *path, struct cs_fcaps_target *t, struct cs_diag *d)
{
	unsigned char old[CS_VFS_CAP_V3_SIZE];
	size_t oldlen;
	cs_cleanup_close int fd = cs_fcaps_open_for_set(path, old, &oldlen, d);
	struct stat sb;

	if (fd < 0)
		return fd;
	if (fstat(fd, &sb) < 0)
		return cs_diag_set(d, errno, 0, 0, "", "%s", strerror(errno));
	t->dev = sb.st_dev;
	t->ino = sb.st_ino;
	t->oldlen = 0;
	return 0;
}

int cs_fcaps_reopen(const char *path, const struct cs_fcaps_target *t,
		    unsigned char old[CS_VFS_CAP_V3_SIZE], size_t *oldlen, struct cs_diag *d)
{
	cs_cleanup_close int fd = cs_fcaps_open_for_set(path, old, oldlen, d);
	struct stat sb;

	if (fd < 0)
		return fd;
	if (fstat(fd, &sb) < 0)
		return cs_diag_set(d, errno, 0, 0, "", "%s", strerror(errno));
	/* A name renamed, replaced or re-linked since the check: not the file checked. */
	if (sb.st_dev != t->dev || sb.st_ino != t->ino)
		return cs_diag_set(d, ESTALE, 0, 0, "", "is another file than the one checked");
	return cs_steal_fd(&fd);
}
