/* SPDX-License-Identifier: MIT */
/*
 * The "#!" line as Linux 5.0+ reads it (fs/binfmt_script.c): only the first
 * 256 bytes count, a line without a newline in them is used only when the
 * interpreter's name provably ends inside them, trailing blanks are dropped
 * and the name ends at the first blank or NUL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/kernel.h"
#include "internal/cleanup.h"
#include "internal/exec-script.h"

ssize_t cs_exec_read_head(int fd, char head[CS_EXEC_HEAD_MAX])
{
	ssize_t got = pread(fd, head, CS_EXEC_HEAD_MAX, 0);
	char self[64];

	if (got < 0 && errno == EBADF) {
		snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
		cs_cleanup_close int rfd = open(self, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

		got = rfd < 0 ? -1 : pread(rfd, head, CS_EXEC_HEAD_MAX, 0);
	}
	return got;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

bool cs_exec_head_unknown(const char *head, size_t n)
{
	return !(n >= 4 && memcmp(head,
				  "\x7f"
				  "ELF",
				  4) == 0) &&
	       !(n >= 2 && head[0] == '#' && head[1] == '!');
}

int cs_exec_script_interpreter(const char *head, size_t n, char *name, char *arg)
{
	/* The kernel's buffer is zeroed before the read: bytes past the end are NUL. */
	char buf[CS_EXEC_HEAD_MAX + 1] = {0};
	char *last = buf + CS_EXEC_HEAD_MAX - 1, *end, *p, *q;

	if (n > CS_EXEC_HEAD_MAX)
		n = CS_EXEC_HEAD_MAX;
	memcpy(buf, head, n);
	if (buf[0] != '#' || buf[1] != '!')
		return 0;
	/* strnchr: the search for the newline stops at a NUL. */
	end = memchr(buf, '\n', strnlen(buf, CS_EXEC_HEAD_MAX));
	if (!end) {
		/* Usable only if a blank or a NUL provably ends the name within the buffer. */
		for (p = buf + 2; p <= last && blank(*p); p++)
			;
		if (p > last)
			return -ENOEXEC;
		for (q = p; q <= last && !blank(*q) && *q; q++)
			;
		if (q > last)
			return -ENOEXEC;
		end = last;
	}
	while (blank(end[-1]))
		end--;
	*end = '\0';
	for (p = buf + 2; p < end && blank(*p); p++)
		;
	if (p == end)
		return -ENOEXEC;
	/* The name may be empty ("#!" then a NUL): execve then fails to open "". */
	for (q = p; *q && !blank(*q); q++)
		;
	memcpy(name, p, (size_t)(q - p));
	name[q - p] = '\0';
	if (arg) {
		/* The kernel passes what follows the name as one word, blanks inside kept. */
		for (p = q; *q && p < end && blank(*p); p++)
			;
		arg[0] = '\0';
		if (*q && p < end)
			strcpy(arg, p);
	}
	return 1;
}

/*
 * The argv the kernel gives a "#!" script's interpreter (fs/binfmt_script.c):
 * the interpreter as written, its one argument if any, the script's path as
 * execve was given it, then the script's own arguments after argv[0]
 * (heap array of borrowed pointers: free the array only).
 */
char **cs_exec_script_argv(const char *name, const char *arg, const char *path, char *const argv[])
{
	size_t n = 0, k = 0;
	char **v;

	while (argv[n])
		n++;
	if (!(v = calloc(n + 3, sizeof(*v))))
		return NULL;
	v[k++] = (char *)name;
	if (*arg)
		v[k++] = (char *)arg;
	v[k++] = (char *)path;
	for (size_t i = n ? 1 : 0; i < n; i++)
		v[k++] = argv[i];
	return v;
}

const char *cs_exec_rel_name(const char *name)
{
	while (name[0] == '.' && name[1] == '/') /* "./app" is "app": the path shown stays plain */
		for (name += 2; *name == '/'; name++)
			;
	return name;
}

size_t cs_exec_joined_len(const char *cwd, const char *rel)
{
	return (cwd && strcmp(cwd, "/") ? strlen(cwd) : 0) + 1 + strlen(rel);
}

int cs_exec_join_cwd(const char *cwd, const char *name, char **joined)
{
	*joined = NULL;
	if (name[0] == '/')
		return 0;
	name = cs_exec_rel_name(name);
	return asprintf(joined, "%s/%s", cwd && strcmp(cwd, "/") ? cwd : "", name) < 0 ? -ENOMEM
										       : 0;
}

/*
 * fs/exec.c exec_binprm: each "#!" file hands execve its interpreter, opened
 * (and permission-checked) by the script handler, until a binary; a sixth
 * script in a chain fails the exec with ELOOP.
 */
int cs_exec_script_follow(void *root, cs_exec_open_fn open, const char *cwd, struct cs_exec_file *f,
			  const char *head, size_t n)
{
	char buf[CS_EXEC_HEAD_MAX], name[CS_EXEC_HEAD_MAX], arg[CS_EXEC_HEAD_MAX];

	for (int scripts = 1; f->known && !f->error && S_ISREG(f->mode); scripts++) {
		cs_cleanup_free char *joined = NULL;
		struct cs_exec_file *next;
		const char *path = name;
		int rc = cs_exec_script_interpreter(head, n, name, arg);

		if (rc == 0)
			return 0;
		f->interp_arg = rc > 0 && arg[0] ? strlen(arg) + 1 : 0;
		if (!(next = calloc(1, sizeof(*next))))
			return -ENOMEM;
		f->interp = next;
		if (rc < 0) {
			next->error = ENOEXEC;
			return cs_exec_file_set_path(next, "");
		}
		/* An empty name opens the working directory itself (EACCES). */
		if (cs_exec_join_cwd(cwd, name, &joined) < 0)
			return -ENOMEM;
		if (joined)
			path = joined;
		n = 0;
		if ((rc = open(root, path, next, buf, &n)) < 0)
			return rc;
		/* Keep the name as the script wrote it: that is what the user will look for. */
		if (joined && cs_exec_file_set_path(next, name) < 0)
			return -ENOMEM;
		if (scripts == CS_EXEC_SCRIPT_DEPTH + 1 && !next->error) {
			next->error = ELOOP;
			return 0;
		}
		f = next;
		head = buf;
	}
	return 0;
}
