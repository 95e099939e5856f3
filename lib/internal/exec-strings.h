/* SPDX-License-Identifier: MIT */
/* execve's bounds on the strings it copies (lib/exec-strings.c). */
#ifndef CAPSCOPE_INTERNAL_EXEC_STRINGS_H
#define CAPSCOPE_INTERNAL_EXEC_STRINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One string of more than this with its NUL is E2BIG (MAX_ARG_STRLEN, 4 KiB pages). */
#define CS_EXEC_STRLEN_MAX (32u * 4096u)

/* The most execve copies whatever the stack limit: _STK_LIM / 4 * 3. */
#define CS_EXEC_TOTAL_MAX ((size_t)6 << 20)

/*
 * The most the file's name, argv and envp may take with their NULs and
 * 8-byte pointers (bprm_stack_limits): a quarter of RLIMIT_STACK's soft
 * limit (known), at least ARG_MAX (128 KiB), at most _STK_LIM / 4 * 3
 * (6 MiB, also the answer when the limit is not known).
 */
size_t cs_exec_strings_limit(bool known, uint64_t soft);

/*
 * Whether strings bytes (with their NULs, pointers not counted) cannot be
 * put on the new stack under the soft limit: copied below its top word, it
 * grows a page at a time, and past the limit (acct_stack_growth)
 * get_arg_page fails and copy_strings says E2BIG. Only below 512 KiB can
 * this come before cs_exec_strings_limit.
 */
bool cs_exec_strings_stack_over(size_t strings, uint64_t soft);

/*
 * What execve of filename with argv and envp (NULL-terminated) copies in
 * this process, under its RLIMIT_STACK now: 1 with why filled when it
 * certainly says E2BIG, else 0.
 */
int cs_exec_strings_e2big(const char *filename, char *const argv[], char *const envp[], char *why,
			  size_t len);
/* The same, what naming the strings in why ("the file's name, arguments and
 * environment" for cs_exec_strings_e2big). */
int cs_exec_strings_e2big_as(const char *filename, char *const argv[], char *const envp[],
			     const char *what, char *why, size_t len);

struct cs_exec_file;

/*
 * The strings on the new stack as execve copies them, then splices them
 * (fs/binfmt_script.c load_script, fs/binfmt_misc.c load_misc_binary),
 * each splice's strings checked against the first copy's bounds.
 */
struct cs_exec_splice {
	size_t strings; /* with their NULs, now */
	size_t deepest; /* the most they ever took */
	size_t ptrs;	/* counted once, at the first copy (bprm_stack_limits) */
	size_t arg0;	/* argv[0]'s bytes with its NUL */
	size_t interp;	/* bprm->interp's length: the name given, then each interpreter's */
	bool known;	/* RLIMIT_STACK's soft limit known (not infinity) */
	uint64_t soft;
};

/*
 * The first copy of filename, argv and envp under this process's
 * RLIMIT_STACK into s: 1 with why filled when it is E2BIG, else 0.
 */
int cs_exec_splice_start(struct cs_exec_splice *s, const char *filename, char *const argv[],
			 char *const envp[], char *why, size_t len);

/*
 * load_script's splice at each "#!" file of f's chain (f: the file open
 * as fd; each interpreter after the first is read again by its name, from
 * the working directory), stopping before the chain's first unopenable
 * interpreter, or before the upto-th interpreter's own splice (1: f's
 * interpreter; 0: none), which a binfmt_misc handler claims (a claim of f
 * itself: no splice of the chain): 1 with why filled when a splice passes
 * the bounds, else 0.
 */
int cs_exec_splice_chain(struct cs_exec_splice *s, int fd, const struct cs_exec_file *f, int upto,
			 char *why, size_t len);

/*
 * load_misc_binary's splice for a handler with interpreter interp: argv[0]
 * out unless flag P (preserve), then bprm->interp (the file's name as
 * execve was given it, or the "#!" line's) and interp in front: 1 with why
 * filled when it passes the bounds, else 0. interp is bprm->interp after.
 */
int cs_exec_splice_binfmt(struct cs_exec_splice *s, const char *interp, bool preserve, char *why,
			  size_t len);

/*
 * cs_exec_splice_start then cs_exec_splice_chain over all of f's chain: 1
 * with why filled when a splice passes the bounds, else 0 (also when the
 * first copy already does: ask cs_exec_strings_e2big first).
 */
int cs_exec_strings_chain_e2big(const char *filename, char *const argv[], char *const envp[],
				int fd, const struct cs_exec_file *f, char *why, size_t len);

#endif
