/* SPDX-License-Identifier: MIT */
/*
 * execve's own bounds on the strings it copies (fs/exec.c, 4 KiB pages;
 * see internal/exec-strings.h): one string past MAX_ARG_STRLEN, the total
 * past bprm_stack_limits's limit, or a stack the soft limit cannot hold.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "capscope/kernel.h"
#include "internal/cleanup.h"
#include "internal/exec-script.h"
#include "internal/exec-strings.h"

#define EXEC_TOTAL_MIN ((size_t)32 * 4096u)

size_t cs_exec_strings_limit(bool known, uint64_t soft)
{
	if (!known || soft / 4 >= CS_EXEC_TOTAL_MAX)
		return CS_EXEC_TOTAL_MAX;
	return soft / 4 > EXEC_TOTAL_MIN ? (size_t)(soft / 4) : EXEC_TOTAL_MIN;
}

bool cs_exec_strings_stack_over(size_t strings, uint64_t soft)
{
	return (uint64_t)(strings + 8 + 4095) / 4096 * 4096 > soft;
}

static const char tail[] = ": execve fails with E2BIG (argument list too long)";

/* The strings and pointers execve counts for filename, argv and envp: 1 with
 * why filled when one string alone is past MAX_ARG_STRLEN. */
static int measure(const char *filename, char *const argv[], char *const envp[], size_t *strings,
		   size_t *ptrs, char *why, size_t len)
{
	*strings = strlen(filename) + 1;
	*ptrs = 0;
	for (int pass = 0; pass < 2; pass++)
		for (char *const *v = pass ? envp : argv; v && *v; v++, ++*ptrs) {
			size_t n = strlen(*v) + 1;

			if (n > CS_EXEC_STRLEN_MAX) {
				snprintf(why, len,
					 "%s %zu is %zu bytes with its NUL: more than 128 KiB "
					 "(MAX_ARG_STRLEN)%s",
					 pass ? "the environment's entry" : "argument",
					 (size_t)(v - (pass ? envp : argv)), n, tail);
				return 1;
			}
			*strings += n;
		}
	/* argc 0: room for one pointer is kept, and do_execveat_common copies
	 * an empty argv[0] ("", one byte) after the strings (Linux 5.18+) */
	if (!argv || !argv[0])
		++*ptrs, ++*strings;
	return 0;
}

/* Whether strings (deepest, the most ever on the new stack) and ptrs pass
 * the bounds under the soft limit (known): 1 with why filled. what: where. */
static int over(size_t strings, size_t deepest, size_t ptrs, bool known, uint64_t soft,
		const char *what, char *why, size_t len)
{
	size_t limit = cs_exec_strings_limit(known, soft);

	if (known && cs_exec_strings_stack_over(deepest, soft)) {
		snprintf(why, len,
			 "%s take %zu bytes with their NULs: the new stack that holds them would "
			 "pass RLIMIT_STACK's soft limit %llu%s",
			 what, deepest, (unsigned long long)soft, tail);
		return 1;
	}
	if (strings + ptrs * 8 <= limit)
		return 0;
	snprintf(why, len,
		 "%s take %zu bytes with their NULs and pointers, past the %zu execve copies (a "
		 "quarter of RLIMIT_STACK's soft limit, at least 128 KiB, at most 6 MiB)%s",
		 what, strings + ptrs * 8, limit, tail);
	return 1;
}

int cs_exec_strings_e2big_as(const char *filename, char *const argv[], char *const envp[],
			     const char *what, char *why, size_t len)
{
	struct rlimit rl;
	bool known = getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY;
	size_t strings, ptrs;

	if (measure(filename, argv, envp, &strings, &ptrs, why, len))
		return 1;
	return over(strings, strings, ptrs, known, known ? rl.rlim_cur : 0, what, why, len);
}

int cs_exec_strings_e2big(const char *filename, char *const argv[], char *const envp[], char *why,
			  size_t len)
{
	return cs_exec_strings_e2big_as(filename, argv, envp,
					"the file's name, arguments and environment", why, len);
}

int cs_exec_splice_start(struct cs_exec_splice *s, const char *filename, char *const argv[],
			 char *const envp[], char *why, size_t len)
{
	struct rlimit rl;

	memset(s, 0, sizeof(*s));
	s->known = getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY;
	s->soft = s->known ? rl.rlim_cur : 0;
	if (measure(filename, argv, envp, &s->strings, &s->ptrs, why, len))
		return 1;
	s->deepest = s->strings;
	s->arg0 = argv && argv[0] ? strlen(argv[0]) + 1 : 1;
	s->interp = strlen(filename);
	return over(s->strings, s->deepest, s->ptrs, s->known, s->soft,
		    "the file's name, arguments and environment", why, len);
}

/* argv[0] out (drop), then strings of those lengths (with their NULs) in front. */
static void put_front(struct cs_exec_splice *s, bool drop, size_t a, size_t b, size_t c)
{
	if (drop)
		s->strings -= s->arg0;
	s->strings += a + b + c;
	s->deepest = s->strings > s->deepest ? s->strings : s->deepest;
}

/*
 * fs/binfmt_script.c load_script, at each "#!" file of the chain: argv[0]
 * goes (remove_arg_zero), then the file's name (bprm->interp: the name
 * execve was given, then each interpreter's), the line's one argument if
 * any, and the interpreter's name are copied, each checked against the
 * same bounds (copy_string_kernel), before the interpreter is opened. The
 * pointers were counted once, at the start (bprm_stack_limits). A sixth
 * script is spliced too before its interpreter's ELOOP (exec_binprm).
 */
int cs_exec_splice_chain(struct cs_exec_splice *s, int fd, const struct cs_exec_file *f, int upto,
			 char *why, size_t len)
{
	char head[CS_EXEC_HEAD_MAX], name[CS_EXEC_HEAD_MAX], arg[CS_EXEC_HEAD_MAX];
	ssize_t n = cs_exec_read_head(fd, head);

	for (int level = 0; f && f->interp && n >= 0 && level <= CS_EXEC_SCRIPT_DEPTH; level++) {
		cs_cleanup_close int next = -1;

		if (level && level == upto) /* a handler claims this file: load_script never runs */
			return 0;
		if (cs_exec_script_interpreter(head, (size_t)n, name, arg) != 1)
			return 0;
		put_front(s, true, s->interp + 1, arg[0] ? strlen(arg) + 1 : 0, strlen(name) + 1);
		if (over(s->strings, s->deepest, s->ptrs, s->known, s->soft,
			 "the file's name, arguments and environment after a \"#!\" line's "
			 "interpreter, its argument and the script's name are put in argv[0]'s "
			 "place",
			 why, len))
			return 1;
		/* the next "#!" file: its name is its argv[0] and its bprm->interp */
		s->arg0 = strlen(name) + 1;
		s->interp = strlen(name);
		f = f->interp;
		if (f->error || !f->interp ||
		    (next = open(name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)) < 0)
			return 0;
		n = cs_exec_read_head(next, head);
	}
	return 0;
}

int cs_exec_splice_binfmt(struct cs_exec_splice *s, const char *interp, bool preserve, char *why,
			  size_t len)
{
	put_front(s, !preserve, s->interp + 1, strlen(interp) + 1, 0);
	s->arg0 = s->interp = strlen(interp);
	s->arg0++;
	return over(s->strings, s->deepest, s->ptrs, s->known, s->soft,
		    preserve ? "the file's name, arguments and environment after a binfmt_misc "
			       "handler's interpreter and the file's name are put in front"
			     : "the file's name, arguments and environment after a binfmt_misc "
			       "handler's interpreter and the file's name are put in argv[0]'s "
			       "place",
		    why, len);
}

int cs_exec_strings_chain_e2big(const char *filename, char *const argv[], char *const envp[],
				int fd, const struct cs_exec_file *f, char *why, size_t len)
{
	struct cs_exec_splice s;

	if (cs_exec_splice_start(&s, filename, argv, envp, why, len))
		return 0; /* the first copy's answer, not the chain's */
	return cs_exec_splice_chain(&s, fd, f, 0, why, len);
}
