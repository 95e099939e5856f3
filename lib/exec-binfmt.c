/* SPDX-License-Identifier: MIT */
/* binfmt_misc's handlers as execve consults them (see internal/exec-binfmt.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal/cleanup.h"
#include "internal/exec-binfmt.h"
#include "internal/util.h"

#define BINPRM_BUF_SIZE 256

/* One handler as its entry file shows it (fs/binfmt_misc.c entry_status). */
struct entry {
	bool enabled, magic, credentials, open_file, preserve_argv0;
	unsigned offset;
	unsigned char bytes[BINPRM_BUF_SIZE], mask[BINPRM_BUF_SIZE];
	size_t size, masksize;
	char ext[NAME_MAX + 1];
	char interp[PATH_MAX];
};

/* The longest text entry_status prints: magic and mask in hex, the interpreter. */
#define ENTRY_TEXT_MAX (2 * BINPRM_BUF_SIZE * 2 + PATH_MAX + 256)

/*
 * An entry and its text take 9 KiB: on the heap, because run asks this
 * after the credentials are set, on whatever stack RLIMIT_STACK leaves it,
 * and a caller's 16 KiB (enough for setpriv) overflowed into SIGSEGV with
 * no message (twenty-first pass).
 */
struct entry_read {
	struct entry e;
	char text[ENTRY_TEXT_MAX];
};

/* Hex as entry_status prints it (lower case; upper case is read too); -1 when it is
 * not hex or longer than the buffer. */
static ssize_t unhex(const char *s, unsigned char *out)
{
	size_t n = 0;

	for (; s[0]; s += 2) {
		int hi = cs_hex_digit(s[0]), lo = cs_hex_digit(s[1]);

		if (hi < 0 || lo < 0 || n == BINPRM_BUF_SIZE)
			return -1;
		out[n++] = (unsigned char)(hi << 4 | lo);
	}
	return (ssize_t)n;
}

static const char *value(const char *line, const char *key)
{
	size_t k = strlen(key);

	return strncmp(line, key, k) == 0 ? line + k : NULL;
}

/* The next line of *rest (cut at '\n'), or NULL at the end of the text. */
static char *next_line(char **rest)
{
	char *line = *rest, *nl;

	if (!line || !*line)
		return NULL;
	nl = strchr(line, '\n');
	if (!nl)
		return NULL; /* entry_status ends every line: a line without is a cut read */
	*nl = 0;
	*rest = nl + 1;
	return line;
}

/* Flags as entry_status prints them: P, O, C, F, each at most once, in that order. */
static int read_flags(const char *v, struct entry *e)
{
	const char *order = "POCF";

	for (; *v; v++) {
		const char *at = strchr(order, *v);

		if (!at)
			return -1;
		order = at + 1;
		e->preserve_argv0 |= *v == 'P';
		e->credentials |= *v == 'C';
		e->open_file |= *v == 'F';
	}
	return 0;
}

/* "offset N", "magic HEX" and an optional "mask HEX": a magic handler's lines. */
static int read_magic(char **rest, const char *first, struct entry *e)
{
	const char *v = value(first, "offset "), *line;
	char *end;
	unsigned long off;
	ssize_t n;

	if (!v || !(*v >= '0' && *v <= '9'))
		return -1;
	errno = 0;
	off = strtoul(v, &end, 10);
	if (*end || errno || off > BINPRM_BUF_SIZE)
		return -1;
	e->offset = (unsigned)off;
	if (!(line = next_line(rest)) || !(v = value(line, "magic ")) ||
	    (n = unhex(v, e->bytes)) <= 0)
		return -1;
	e->magic = true;
	e->size = (size_t)n;
	if ((line = next_line(rest))) {
		if (!(v = value(line, "mask ")) || (n = unhex(v, e->mask)) <= 0)
			return -1;
		e->masksize = (size_t)n;
	}
	return 0;
}

/*
 * The text entry_status prints, line by line in its order and nothing else:
 * the status, "interpreter", "flags: ", then "extension ." or the magic
 * lines. An interpreter or extension holding a newline (registration takes
 * one) would add a line, and is refused rather than read as another field.
 * 0 when read, -EINVAL when the text is not that.
 */
static int parse_entry(char *text, struct entry *e)
{
	char *rest = text, *line;
	const char *v;

	memset(e, 0, sizeof(*e));
	if (!(line = next_line(&rest)) || (strcmp(line, "enabled") && strcmp(line, "disabled")))
		return -EINVAL;
	e->enabled = !strcmp(line, "enabled");
	if (!(line = next_line(&rest)) || !(v = value(line, "interpreter ")) || !*v ||
	    strlen(v) >= sizeof(e->interp))
		return -EINVAL;
	strcpy(e->interp, v);
	if (!(line = next_line(&rest)) || !(v = value(line, "flags: ")) || read_flags(v, e) < 0 ||
	    !(line = next_line(&rest)))
		return -EINVAL;
	if ((v = value(line, "extension ."))) {
		if (!*v || strlen(v) >= sizeof(e->ext) || next_line(&rest))
			return -EINVAL;
		strcpy(e->ext, v);
	} else if (read_magic(&rest, line, e) < 0 || next_line(&rest)) {
		return -EINVAL;
	}
	/* what the kernel refuses at registration (create_entry) */
	if (*rest || (e->magic && (e->size > BINPRM_BUF_SIZE - e->offset ||
				   (e->masksize && e->masksize != e->size))))
		return -EINVAL;
	return 0;
}

/*
 * 0 when the entry was read, 1 when it is gone (unregistered since the
 * directory was listed: it claims nothing), -errno when it cannot be read
 * (-EINVAL: not the text entry_status prints).
 */
static int read_entry(int dirfd, const char *name, struct entry *e, char *buf)
{
	cs_cleanup_close int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t got;

	if (fd < 0)
		return errno == ENOENT ? 1 : -errno;
	/* one read: bm_entry_read hands the whole text, shorter than ENTRY_TEXT_MAX */
	if ((got = read(fd, buf, ENTRY_TEXT_MAX - 1)) < 0)
		return -errno;
	if (got == ENTRY_TEXT_MAX - 1)
		return -EINVAL;
	buf[got] = 0;
	return parse_entry(buf, e);
}

/* fs/binfmt_misc.c check_file, for one handler. */
static bool claims(const struct entry *e, const char *path, const unsigned char *buf)
{
	const char *dot = strrchr(path, '.');

	if (!e->enabled)
		return false;
	if (!e->magic)
		return dot && !strcmp(e->ext, dot + 1);
	for (size_t j = 0; j < e->size; j++) {
		unsigned char m = e->masksize ? e->mask[j] : 0xff;

		if ((buf[e->offset + j] ^ e->bytes[j]) & m)
			return false;
	}
	return true;
}

/* The "status" file of dir: 1 enabled, 0 disabled or not mounted, -errno unread. */
static int read_status(int sfd)
{
	char status[16] = {0};
	cs_cleanup_close int st = openat(sfd, "status", O_RDONLY | O_CLOEXEC);
	ssize_t got;

	/* No status file: binfmt_misc is not mounted here, and nothing claims a file. */
	if (st < 0)
		return errno == ENOENT ? 0 : -errno;
	if ((got = read(st, status, sizeof(status) - 1)) < 0)
		return -errno;
	if (!strcmp(status, "enabled\n"))
		return 1;
	return strcmp(status, "disabled\n") ? -EINVAL : 0;
}

int cs_exec_binfmt_claim(const char *dir, const char *path, const char *head, size_t n,
			 struct cs_binfmt_claim *out)
{
	unsigned char buf[BINPRM_BUF_SIZE] = {0};
	cs_cleanup_close int sfd = -1;
	DIR *d;
	struct dirent *de;
	struct entry_read *er;
	int dfd, rc;

	out->name[0] = 0;
	sfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sfd < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	if ((rc = read_status(sfd)) <= 0)
		return rc;
	if ((dfd = dup(sfd)) < 0)
		return -errno;
	if (!(d = fdopendir(dfd))) {
		rc = -errno;
		close(dfd);
		return rc;
	}
	memcpy(buf, head, n < sizeof(buf) ? n : sizeof(buf));
	/*
	 * The kernel takes the first handler of its list that claims the file,
	 * and the directory lists them in that order: an entry that cannot be
	 * read before the one that claims could be the one, so it is an error,
	 * never taken as claiming nothing.
	 */
	if (!(er = malloc(sizeof(*er)))) {
		closedir(d);
		return -ENOMEM;
	}
	for (rc = 0, errno = 0; rc == 0 && (de = readdir(d)); errno = 0) {
		struct entry *e = &er->e;
		int r;

		/* A handler may be named ".x" (create_entry refuses "." and ".." only). */
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, "status") || !strcmp(de->d_name, "register"))
			continue;
		if ((r = read_entry(sfd, de->d_name, e, er->text)) < 0) {
			snprintf(out->name, sizeof(out->name), "%s", de->d_name);
			rc = r;
		} else if (r == 0 && claims(e, path, buf)) {
			snprintf(out->name, sizeof(out->name), "%s", de->d_name);
			snprintf(out->interp, sizeof(out->interp), "%s", e->interp);
			out->credentials = e->credentials;
			out->open_file = e->open_file;
			out->preserve_argv0 = e->preserve_argv0;
			rc = 1;
		}
	}
	if (rc == 0 && errno)
		rc = -errno; /* the listing itself stopped early */
	free(er);
	closedir(d);
	return rc;
}
