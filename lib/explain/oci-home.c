/* SPDX-License-Identifier: MIT */
/*
 * The HOME runc 1.1 sets when process.env has none or an empty one
 * (libcontainer's setupUser: os.Setenv("HOME", execUser.Home)), for the
 * E2BIG bound: the home of the first line of the rootfs's /etc/passwd whose
 * uid is the process's, "/" when none is or the file cannot be opened
 * (GetExecUserPath's defaults). Read as libcontainer/user reads it: lines
 * split at '\n' (a '\r' before it dropped), blanks around each line
 * trimmed, empty lines skipped, fields split at ':', a uid that strconv.Atoi
 * refuses read as 0, a line with fewer than six fields has an empty home.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../internal/cleanup.h"
#include "../internal/open-in-root.h"
#include "../internal/util.h"
#include "oci-home.h"

/* bufio.Scanner's default buffer: a longer line fails runc's lookup. */
#define GO_SCAN_MAX (64u * 1024u)
/* More than any passwd file: past it the home is not looked for. */
#define PASSWD_MAX ((size_t)16 << 20)

static bool go_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * strconv.Atoi as libcontainer reads a passwd uid (its error ignored): a
 * number that is no number is 0; one past int64 is the value Atoi returns
 * with its range error, int64's limit, not 0 (twenty-first pass, part E:
 * a parser of its own made such a line's uid 0, and its home root's).
 */
static long long go_atoi(const char *s, size_t n)
{
	long long v;

	return cs_go_atoi(s, n, &v) ? v : 0;
}

/* The home field of one trimmed line when its uid is uid: 1 with *home and
 * *len, 0 when it is another's. */
static int line_home(const char *l, size_t n, uid_t uid, const char **home, size_t *len)
{
	const char *f[7] = {0};
	size_t flen[7] = {0}, k = 0, start = 0;

	for (size_t i = 0; i <= n && k < 7; i++)
		if (i == n || l[i] == ':') {
			f[k] = l + start;
			flen[k++] = i - start;
			start = i + 1;
		}
	if (k < 3 || go_atoi(f[2], flen[2]) != (long long)uid)
		return 0;
	*home = k > 5 ? f[5] : "";
	*len = k > 5 ? flen[5] : 0;
	return 1;
}

/* Whether text holds what Go's TrimSpace would trim otherwise (a Unicode
 * space at a line's end): then the home is not known here. */
static bool non_ascii_edge(const char *l, size_t n)
{
	return n && ((unsigned char)l[0] >= 0x80 || (unsigned char)l[n - 1] >= 0x80);
}

/* Every line is read (ParsePasswdFilter scans the whole file before the
 * first match is taken), so an over-long line anywhere fails runc. */
static int home_in(const char *t, size_t n, uid_t uid, size_t *len)
{
	bool found = false;

	*len = 1; /* no line for the uid: GetExecUser's default "/" */
	for (size_t at = 0; at < n;) {
		const char *nl = memchr(t + at, '\n', n - at), *home;
		size_t end = nl ? (size_t)(nl - t) : n, e = end, b = at, hl;

		if (end - at >= GO_SCAN_MAX)
			return 1; /* bufio.ErrTooLong: runc fails, not this model's to say */
		while (b < e && go_space((unsigned char)t[b]))
			b++;
		while (e > b && go_space((unsigned char)t[e - 1]))
			e--;
		if (!found && e > b && line_home(t + b, e - b, uid, &home, &hl)) {
			if (non_ascii_edge(t + b, e - b))
				return 1;
			found = true;
			*len = hl;
		}
		at = end + 1;
	}
	return 0;
}

int cs_oci_runc_home_in(const char *t, size_t n, uid_t uid, size_t *len)
{
	if (home_in(t, n, uid, len) == 0)
		return 0;
	*len = 0;
	return 1;
}

int cs_oci_runc_home_len(const char *root, uid_t uid, size_t *len)
{
	cs_cleanup_close int rfd = -1, fd = -1;
	cs_cleanup_free char *buf = NULL;
	struct stat sb;
	size_t got = 0;
	ssize_t r;

	*len = 0;
	if (!root || (rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 1;
	fd = cs_open_in_root(rfd, "/etc/passwd", O_RDONLY | O_NOCTTY | O_NONBLOCK, RESOLVE_IN_ROOT);
	if (fd == -ENOENT || fd == -ENOTDIR || fd == -EACCES) {
		*len = 1; /* os.Open fails: the defaults, "/" */
		return 0;
	}
	if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || (size_t)sb.st_size > PASSWD_MAX)
		return 1;
	if (!(buf = malloc((size_t)sb.st_size + 1)))
		return -ENOMEM;
	while (got <= (size_t)sb.st_size &&
	       (r = read(fd, buf + got, (size_t)sb.st_size + 1 - got)) > 0)
		got += (size_t)r;
	if (got > (size_t)sb.st_size)
		return 1; /* grew while read */
	return cs_oci_runc_home_in(buf, got, uid, len);
}

/* One of the files: 1 with why filled when runc's scan of it fails. */
static int scan_fails(int rfd, const char *path, char *why, size_t len)
{
	cs_cleanup_close int fd =
	    cs_open_in_root(rfd, path, O_RDONLY | O_NOCTTY | O_NONBLOCK, RESOLVE_IN_ROOT);
	struct stat sb;
	char buf[8192];
	size_t line = 0;
	ssize_t r;

	if (fd < 0 || fstat(fd, &sb) < 0)
		return 0; /* os.Open fails: no file, runc's defaults */
	if (S_ISDIR(sb.st_mode)) {
		snprintf(why, len, "%s in the rootfs is a directory (read: is a directory)", path);
		return 1;
	}
	if (!S_ISREG(sb.st_mode) || (size_t)sb.st_size > PASSWD_MAX)
		return 0;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < r; i++) {
			line = buf[i] == '\n' ? 0 : line + 1;
			if (line >= GO_SCAN_MAX) {
				snprintf(why, len,
					 "%s in the rootfs has a line of 64 KiB or more "
					 "(bufio.Scanner: token too long)",
					 path);
				return 1;
			}
		}
	return 0;
}

int cs_oci_runc_user_files(const char *root, char *why, size_t len)
{
	cs_cleanup_close int rfd = -1;

	why[0] = '\0';
	if (!root || (rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 0;
	/* Only /etc/passwd: runc 1.1.5 starts the process with such a line in
	 * /etc/group (measured), whatever GetExecUser's reading of it says. */
	return scan_fails(rfd, "/etc/passwd", why, len);
}
