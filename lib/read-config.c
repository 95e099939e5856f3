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

static int read_pipe(int fd, const char *path, size_t max, const char *reader, char **out,
		     size_t *outlen, struct cs_diag *d)
{
	size_t n = 0, cap = 0;
	char *buf = NULL;
	bool first = true;
	int rc = 0;

	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb;

			if (cap >= max) {
				rc = -EFBIG;
				break;
			}
			cap = cap ? (cap * 2 > max ? max : cap * 2) : 4096;
			if (!(nb = realloc(buf, cap + 1))) {
				rc = -ENOMEM;
				break;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EAGAIN && first) {
			first = false; /* a writer: now wait for what it writes */
			if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
				rc = -errno;
				break;
			}
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			break;
		}
		if (r == 0 && first && n == 0) {
			close(fd);
			free(buf);
			cs_diag_put_file(d, "%s", path);
			return cs_diag_set(d, EPIPE, 0, 0, "",
					   "a FIFO or pipe with no writer and nothing in it: %s%s"
					   "capscope does not wait for a writer",
					   reader ? reader : "",
					   reader ? " would wait for one; " : "");
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (first && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
			rc = -errno;
			break;
		}
		first = false;
	}
	close(fd);
	if (rc < 0) {
		free(buf);
		return cs_diag_read_error(d, path, rc, max);
	}
	buf[n] = '\0';
	*out = buf;
	if (outlen)
		*outlen = n;
	return 0;
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
	return read_pipe(fd, path, max, reader, out, outlen, d);
}
