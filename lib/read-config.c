/* SPDX-License-Identifier: MIT */
/*
 * A file read as a program's configuration (a config.toml, a base spec,
 * crio.conf, daemon.json, a manifest or SCC file, a bundle's config.json):
 * a regular file, or a pipe that has a writer (`--containerd-config
 * <(...)`, kubectl's `-f <(...)`). Twenty-first pass, part E: read with
 * cs_read_file, a FIFO nobody wrote to held `explain pod` in open() for
 * ever and a character device was read to capscope's limit, where the
 * file is what the program would have read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/diag.h"
#include "internal/util.h"

static const char *kind_of(mode_t m)
{
	return S_ISCHR(m)    ? "a character device"
	       : S_ISBLK(m)  ? "a block device"
	       : S_ISSOCK(m) ? "a socket"
			     : "not a regular file";
}

int cs_read_config_file(const char *path, size_t max, const char *reader, char **out,
			size_t *outlen, struct cs_diag *d)
{
	/* O_NONBLOCK: a FIFO opens at once, writer or not (open(2) would wait) */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK), rc;
	struct stat sb;

	*out = NULL;
	if (fd < 0 || fstat(fd, &sb) < 0) {
		rc = -errno;
		if (fd >= 0)
			close(fd);
		return cs_diag_read_error(d, path, rc, max);
	}
	if (S_ISREG(sb.st_mode)) {
		rc = cs_read_regular_fd(fd, max, out, outlen);
		return rc < 0 ? cs_diag_read_error(d, path, rc, max) : 0;
	}
	if (S_ISDIR(sb.st_mode)) {
		close(fd);
		cs_diag_put_file(d, "%s", path);
		return cs_diag_set(d, EISDIR, 0, 0, "", "a directory, not a file%s%s%s",
				   reader ? ": " : "", reader ? reader : "",
				   reader ? " cannot read it either" : "");
	}
	if (!S_ISFIFO(sb.st_mode)) {
		close(fd);
		cs_diag_put_file(d, "%s", path);
		return cs_diag_set(
		    d, EINVAL, 0, 0, "",
		    "%s, not a regular file: %s%scapscope reads a regular file or a pipe",
		    kind_of(sb.st_mode), reader ? reader : "",
		    reader ? " would read it as one (/dev/zero without end); " : "");
	}
	/*
	 * A pipe: with a writer, read to its end as the program would (stdin
	 * is read so too). Without one (a FIFO nobody has opened, or a pipe
	 * whose writer has gone leaving nothing) the first read is the end at
	 * once; with a writer that has not written yet it is EAGAIN. The
	 * program would wait in open() for a writer; capscope does not.
	 */
	if ((rc = cs_read_pipe_fd(fd, max, out, outlen)) == -EPIPE) {
		cs_diag_put_file(d, "%s", path);
		return cs_diag_set(d, EPIPE, 0, 0, "",
				   "a FIFO or pipe with no writer and nothing in it: %s%s"
				   "capscope does not wait for a writer",
				   reader ? reader : "", reader ? " would wait for one; " : "");
	}
	return rc < 0 ? cs_diag_read_error(d, path, rc, max) : 0;
}
