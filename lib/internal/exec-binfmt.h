/* SPDX-License-Identifier: MIT */
/*
 * Whether a binfmt_misc handler claims a file (fs/binfmt_misc.c check_file):
 * the kernel asks binfmt_misc before the ELF and "#!" loaders, so a claimed
 * file runs the handler's interpreter instead, with that interpreter's
 * credentials (or the file's, flag C). execve of a close-on-exec descriptor
 * is refused by every handler (ENOENT), and an extension is matched on the
 * path only, so the checked run must ask before executing, and its dry run
 * the same question.
 */
#ifndef CAPSCOPE_INTERNAL_EXEC_BINFMT_H
#define CAPSCOPE_INTERNAL_EXEC_BINFMT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define CS_BINFMT_DIR "/proc/sys/fs/binfmt_misc"

struct cs_binfmt_claim {
	char name[NAME_MAX + 1]; /* the handler's entry */
	char interp[PATH_MAX];	 /* its interpreter, as registered */
	bool credentials;	 /* flag C: the credentials come from the file itself */
	/* flag F: the interpreter was opened when the handler was registered and
	 * stays open, held against writers; the path may name another file now */
	bool open_file;
	/* flag P: argv[0] is kept; without it load_misc_binary takes it out
	 * before it puts the file's name and the interpreter's in front */
	bool preserve_argv0;
};

/*
 * path: the file as execve would be given it (the extension is taken from
 * it: the text after its last '.'); head: its first n bytes (the kernel
 * matches magic against 256 bytes, zero-padded past the end). dir: where
 * binfmt_misc is mounted (CS_BINFMT_DIR). Returns 1 and fills out when an
 * enabled handler claims it, 0 when none does, binfmt_misc is disabled or
 * not mounted there (its handlers cannot be seen then).
 * -errno when which handler claims it cannot be told: the directory or its
 * status cannot be read, or a handler listed before any that claims cannot
 * be read (-EINVAL: its text is not what the kernel prints); out->name then
 * names that handler ("" for the directory).
 */
int cs_exec_binfmt_claim(const char *dir, const char *path, const char *head, size_t n,
			 struct cs_binfmt_claim *out);

#endif
