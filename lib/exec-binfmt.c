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
	bool enabled, magic, credentials, open_file;
	unsigned offset;
	unsigned char bytes[BINPRM_BUF_SIZE], mask[BINPRM_BUF_SIZE];
	size_t size, masksize;
	char ext[NAME_MAX + 1];
	char interp[PATH_MAX];
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

/* 0 when the entry was read and understood; -1 when it is not (then it is ignored). */
static int read_entry(int dirfd, const char *name, struct entry *e)
{
	char buf[2 * BINPRM_BUF_SIZE * 2 + PATH_MAX + 256];
	cs_cleanup_close int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t got = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	const char *v;

	memset(e, 0, sizeof(*e));
	if (got <= 0)
		return -1;
	buf[got] = 0;
	for (char *rest = buf, *line; (line = strsep(&rest, "\n"));) {
		if (!strcmp(line, "enabled"))
			e->enabled = true;
		else if ((v = value(line, "interpreter ")))
			snprintf(e->interp, sizeof(e->interp), "%s", v);
		else if ((v = value(line, "flags: "))) {
			e->credentials = strchr(v, 'C') != NULL;
			e->open_file = strchr(v, 'F') != NULL;
		} else if ((v = value(line, "offset ")))
			e->offset = (unsigned)strtoul(v, NULL, 10);
		else if ((v = value(line, "magic "))) {
			ssize_t n = unhex(v, e->bytes);

			if (n < 0)
				return -1;
			e->magic = true;
			e->size = (size_t)n;
		} else if ((v = value(line, "mask "))) {
			ssize_t n = unhex(v, e->mask);

			if (n < 0)
				return -1;
			e->masksize = (size_t)n;
		} else if ((v = value(line, "extension .")))
			snprintf(e->ext, sizeof(e->ext), "%s", v);
	}
	if (e->magic && (e->offset > BINPRM_BUF_SIZE || e->size > BINPRM_BUF_SIZE - e->offset ||
			 (e->masksize && e->masksize != e->size)))
		return -1;
	return 0;
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

int cs_exec_binfmt_claim(const char *dir, const char *path, const char *head, size_t n,
			 struct cs_binfmt_claim *out)
{
	unsigned char buf[BINPRM_BUF_SIZE] = {0};
	char status[16] = {0};
	cs_cleanup_close int sfd = -1;
	DIR *d;
	struct dirent *de;
	int dfd, found = 0;

	/* No status file: binfmt_misc is not mounted here and its handlers cannot be seen. */
	sfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sfd < 0)
		return 0;
	{
		cs_cleanup_close int st = openat(sfd, "status", O_RDONLY | O_CLOEXEC);

		if (st < 0 || read(st, status, sizeof(status) - 1) <= 0 ||
		    strncmp(status, "enabled", 7) != 0)
			return 0;
	}
	if ((dfd = dup(sfd)) < 0 || !(d = fdopendir(dfd))) {
		if (dfd >= 0)
			close(dfd);
		return 0;
	}
	memcpy(buf, head, n < sizeof(buf) ? n : sizeof(buf));
	while (!found && (de = readdir(d))) {
		struct entry e;

		if (de->d_name[0] == '.' || !strcmp(de->d_name, "status") ||
		    !strcmp(de->d_name, "register"))
			continue;
		if (read_entry(sfd, de->d_name, &e) < 0 || !claims(&e, path, buf))
			continue;
		snprintf(out->name, sizeof(out->name), "%s", de->d_name);
		snprintf(out->interp, sizeof(out->interp), "%s", e.interp);
		out->credentials = e.credentials;
		out->open_file = e.open_file;
		found = 1;
	}
	closedir(d);
	return found;
}
