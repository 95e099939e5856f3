/* SPDX-License-Identifier: MIT */
/*
 * execve's own bounds on the strings it copies, for a bundle (fs/exec.c,
 * 4 KiB pages): one string of more than MAX_ARG_STRLEN (32 pages) with its
 * NUL, or the file's name, argv and envp with their NULs and 8-byte
 * pointers past bprm_stack_limits's limit: a quarter of RLIMIT_STACK's soft
 * limit, at most _STK_LIM / 4 * 3 (6 MiB), at least ARG_MAX (128 KiB).
 * explain pod knows neither the environment the runtime adds nor the stack
 * limit; a bundle gives both: process.env is what runc 1.1 passes (its
 * init clears its own environment and sets each entry with os.Setenv: one
 * entry a name, at the first one's place with the last one's value; then
 * HOME when it is unset or empty), and process.rlimits the stack limit.
 * Without RLIMIT_STACK there, runc leaves its caller's: only a total past
 * 6 MiB is certain.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../internal/exec-script.h"
#include "../internal/exec-strings.h"
#include "oci-e2big.h"
#include "oci-home.h"

struct entry {
	const char *s;
	size_t name, at; /* the name's length; the entry's index */
};

static int by_name(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	size_t n = x->name < y->name ? x->name : y->name;
	int c = memcmp(x->s, y->s, n);

	if (c || x->name != y->name)
		return c ? c : x->name < y->name ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

enum home { HOME_MISSING, HOME_EMPTY, HOME_SET };

/*
 * process.env as runc passes it: *bytes (with NULs) and *count of the
 * entries, one a name, the last value of each; *home: whether an entry
 * HOME is there with a value (else runc adds one, or replaces an empty one
 * in place, with the user's home). Sorted copies of the pointers, not a
 * search per entry: a config may hold 100,000 entries. 0 or -ENOMEM.
 */
static int env_size(const struct cs_oci_config *cfg, size_t *bytes, size_t *count, enum home *home,
		    size_t *longest)
{
	struct entry *v = calloc(cfg->nenv ? cfg->nenv : 1, sizeof(*v));

	*bytes = *count = 0;
	*home = HOME_MISSING;
	*longest = SIZE_MAX;
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < cfg->nenv; i++) {
		const char *eq = strchr(cfg->env[i], '='); /* checked at reading: there is one */

		v[i] = (struct entry){cfg->env[i], eq ? (size_t)(eq - cfg->env[i]) : 0, i};
	}
	qsort(v, cfg->nenv, sizeof(*v), by_name);
	for (size_t i = 0; i < cfg->nenv; i++) {
		size_t n;

		if (i + 1 < cfg->nenv && v[i + 1].name == v[i].name &&
		    !memcmp(v[i + 1].s, v[i].s, v[i].name))
			continue; /* a later entry of the name replaces it */
		n = strlen(v[i].s) + 1;
		*bytes += n;
		(*count)++;
		if (n > CS_EXEC_STRLEN_MAX && (*longest == SIZE_MAX || v[i].at < *longest))
			*longest = v[i].at;
		if (v[i].name == 4 && !memcmp(v[i].s, "HOME", 4))
			*home = v[i].s[5] ? HOME_SET : HOME_EMPTY;
	}
	free(v);
	return 0;
}

static const char tail[] = ": execve fails with E2BIG (argument list too long), the process "
			   "does not start";

/* What the E2BIG message adds when a "#!" chain was spliced. */
static const char *chain_note(const struct cs_exec_file *f)
{
	return f && f->interp && f->interp->path && f->interp->error != ENOEXEC
		   ? ", once each \"#!\" line's interpreter, its argument and the script's name "
		     "are put in argv[0]'s place"
		   : "";
}

/*
 * The strings after load_script's splice at each "#!" file of f's chain
 * (lib/exec-strings.c says how: argv[0] out, the file's name, the line's
 * optional argument and the interpreter's name in, up to the sixth
 * script's), *deepest the most they ever took. The argument's length was
 * kept when the chain was followed (cs_exec_script_follow), through the
 * rootfs or the image alike.
 */
static size_t spliced(const struct cs_exec_file *f, const char *filename, const char *arg0,
		      size_t strings, size_t *deepest)
{
	*deepest = strings;
	for (int level = 0; f && f->interp && f->interp->path && f->interp->error != ENOEXEC &&
			    level <= CS_EXEC_SCRIPT_DEPTH;
	     level++) {
		if (!level) /* never shorter: the name is args[0] or a $PATH directory's */
			strings = strings - (strlen(arg0) + 1) + strlen(filename) + 1;
		strings += f->interp_arg + strlen(f->interp->path) + 1;
		*deepest = strings > *deepest ? strings : *deepest;
		if (f->interp->error)
			break;
		f = f->interp;
	}
	return strings;
}

int cs_oci_exec_e2big(const struct cs_oci_config *cfg, const char *filename,
		      const struct cs_exec_file *f, const struct cs_image *image, char *why,
		      size_t len)
{
	size_t env_bytes, envc, long_env, strings, total, limit, deepest, home_len = 0;
	enum home home;
	int rc = env_size(cfg, &env_bytes, &envc, &home, &long_env);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < cfg->nargs; i++)
		if (strlen(cfg->args[i]) + 1 > CS_EXEC_STRLEN_MAX) {
			snprintf(why, len,
				 "process.args[%zu] is %zu bytes with its NUL: more than 128 KiB "
				 "(MAX_ARG_STRLEN)%s",
				 i, strlen(cfg->args[i]) + 1, tail);
			return 1;
		}
	if (long_env != SIZE_MAX) {
		snprintf(why, len,
			 "process.env[%zu] is %zu bytes with its NUL: more than 128 KiB "
			 "(MAX_ARG_STRLEN)%s",
			 long_env, strlen(cfg->env[long_env]) + 1, tail);
		return 1;
	}
	/* The home runc sets: from the rootfs's or the image's /etc/passwd;
	 * one not known here counts as empty (the least it can be). */
	if (home != HOME_SET &&
	    (rc = image ? cs_oci_image_home_len(image, cfg->process.uid, &home_len)
			: cs_oci_runc_home_len(cfg->root_path, cfg->process.uid, &home_len)) < 0)
		return rc;
	if (home == HOME_MISSING) { /* "HOME=", the home, a NUL and a pointer */
		env_bytes += 6;
		envc++;
	}
	if (home != HOME_SET)
		env_bytes += home_len;
	strings = strlen(filename) + 1 + env_bytes;
	for (size_t i = 0; i < cfg->nargs; i++)
		strings += strlen(cfg->args[i]) + 1;
	strings = spliced(f, filename, cfg->args[0], strings, &deepest);
	total = strings + (cfg->nargs ? cfg->nargs : 1) * 8 + envc * 8;
	limit = cs_exec_strings_limit(cfg->stack_rlimit_set, cfg->stack_rlimit);
	/* Just under the soft limit the process may still die after execve's point of
	 * no return, setting up the rest of its stack: not predicted. */
	if (cfg->stack_rlimit_set && cs_exec_strings_stack_over(deepest, cfg->stack_rlimit)) {
		snprintf(why, len,
			 "the file's name, process.args and process.env (as runc passes it) "
			 "take %zu bytes or more with their NULs: the new stack that holds them "
			 "would pass RLIMIT_STACK's soft limit %llu%s%s",
			 deepest, (unsigned long long)cfg->stack_rlimit, chain_note(f), tail);
		return 1;
	}
	if (total <= limit)
		return 0;
	if (cfg->stack_rlimit_set)
		snprintf(why, len,
			 "the file's name, process.args and process.env (as runc passes it) "
			 "take %zu bytes or more with their NULs and pointers, past the %zu "
			 "execve copies under RLIMIT_STACK's soft limit %llu (a quarter of it, at "
			 "least 128 KiB, at most 6 MiB)%s%s",
			 total, limit, (unsigned long long)cfg->stack_rlimit, chain_note(f), tail);
	else
		snprintf(why, len,
			 "the file's name, process.args and process.env (as runc passes it) "
			 "take %zu bytes or more with their NULs and pointers, past 6 MiB, the "
			 "most execve copies whatever the stack limit%s%s",
			 total, chain_note(f), tail);
	return 1;
}
