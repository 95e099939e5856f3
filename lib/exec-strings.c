/* SPDX-License-Identifier: MIT */
/*
 * execve's own bounds on the strings it copies (fs/exec.c, 4 KiB pages;
 * see internal/exec-strings.h): one string past MAX_ARG_STRLEN, the total
 * past bprm_stack_limits's limit, or a stack the soft limit cannot hold.
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "internal/exec-strings.h"

#define EXEC_TOTAL_MAX ((size_t)6 << 20)
#define EXEC_TOTAL_MIN ((size_t)32 * 4096u)

size_t cs_exec_strings_limit(bool known, uint64_t soft)
{
	if (!known || soft / 4 >= EXEC_TOTAL_MAX)
		return EXEC_TOTAL_MAX;
	return soft / 4 > EXEC_TOTAL_MIN ? (size_t)(soft / 4) : EXEC_TOTAL_MIN;
}

bool cs_exec_strings_stack_over(size_t strings, uint64_t soft)
{
	return (uint64_t)(strings + 8 + 4095) / 4096 * 4096 > soft;
}

static const char tail[] = ": execve fails with E2BIG (argument list too long)";

int cs_exec_strings_e2big(const char *filename, char *const argv[], char *const envp[], char *why,
			  size_t len)
{
	struct rlimit rl;
	bool known = getrlimit(RLIMIT_STACK, &rl) == 0;
	size_t strings = strlen(filename) + 1, ptrs = 0, limit;

	for (int pass = 0; pass < 2; pass++)
		for (char *const *v = pass ? envp : argv; v && *v; v++, ptrs++) {
			size_t n = strlen(*v) + 1;

			if (n > CS_EXEC_STRLEN_MAX) {
				snprintf(why, len,
					 "%s %zu is %zu bytes with its NUL: more than 128 KiB "
					 "(MAX_ARG_STRLEN)%s",
					 pass ? "the environment's entry" : "argument",
					 (size_t)(v - (pass ? envp : argv)), n, tail);
				return 1;
			}
			strings += n;
		}
	if (argv && !argv[0])
		ptrs++; /* argc 0: room for one pointer is kept */
	if (known && rl.rlim_cur != RLIM_INFINITY &&
	    cs_exec_strings_stack_over(strings, rl.rlim_cur)) {
		snprintf(why, len,
			 "the file's name, arguments and environment take %zu bytes with their "
			 "NULs: the new stack that holds them would pass RLIMIT_STACK's soft "
			 "limit %llu%s",
			 strings, (unsigned long long)rl.rlim_cur, tail);
		return 1;
	}
	limit = cs_exec_strings_limit(known && rl.rlim_cur != RLIM_INFINITY, rl.rlim_cur);
	if (strings + ptrs * 8 <= limit)
		return 0;
	snprintf(why, len,
		 "the file's name, arguments and environment take %zu bytes with their NULs "
		 "and pointers, past the %zu execve copies (a quarter of RLIMIT_STACK's soft "
		 "limit, at least 128 KiB, at most 6 MiB)%s",
		 strings + ptrs * 8, limit, tail);
	return 1;
}
