/* SPDX-License-Identifier: MIT */
/*
 * What fs/binfmt_script.c makes of a file's first bytes: whether execve runs
 * it through a "#!" interpreter, and which one. One reading for every place
 * that models execve (a rootfs, an image, the host for `run`).
 */
#ifndef CAPSCOPE_INTERNAL_EXEC_SCRIPT_H
#define CAPSCOPE_INTERNAL_EXEC_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The kernel reads this much of the file to choose a binary format. */
#define CS_EXEC_HEAD_MAX 256

/* $PATH candidates kept for runc's choice (Go has no limit; a PATH naming one
 * directory thousands of times must not cost thousands of records). */
#define CS_EXEC_PATH_MAX 32

/* Interpreters the kernel follows before ELOOP: five "#!" files in a chain run. */
#define CS_EXEC_SCRIPT_DEPTH 5

/*
 * head: the file's first n bytes (n <= CS_EXEC_HEAD_MAX; fewer when the file
 * is shorter). Returns 0 when the file is not a "#!" script, 1 when it is
 * (name gets the interpreter's path as written, NUL-terminated; name must
 * hold CS_EXEC_HEAD_MAX bytes), or -ENOEXEC when it starts with "#!" but
 * names no interpreter the kernel would use (empty, or cut off by the
 * 256-byte limit). arg (NULL, or CS_EXEC_HEAD_MAX bytes) gets the one
 * optional argument: the rest of the line after the name and its blanks,
 * trailing blanks dropped ("" when there is none).
 */
int cs_exec_script_interpreter(const char *head, size_t n, char *name, char *arg);

/*
 * The argv the kernel gives a "#!" script's interpreter: name, arg (when
 * not ""), path (the script as execve was given it), then argv after
 * argv[0]. The run builds it itself when it executes a checked interpreter
 * by descriptor (lib/launch.c exec_script), and its dry run to measure it.
 * A heap array of borrowed pointers (free the array only), NULL: ENOMEM.
 */
char **cs_exec_script_argv(const char *name, const char *arg, const char *path, char *const argv[]);

/*
 * The first bytes of an open file, as execve reads them: through the
 * descriptor, or its /proc/self/fd link when it is O_PATH (a file one may
 * execute but not read has no other way). -1 when they cannot be read.
 */
ssize_t cs_exec_read_head(int fd, char head[CS_EXEC_HEAD_MAX]);

/* Neither ELF (the magic) nor "#!": execve has no handler for it (binfmt_misc aside). */
bool cs_exec_head_unknown(const char *head, size_t n);

struct cs_exec_file;

/* A directory a lookup is about to search, as its walk sees it. */
struct cs_searched_dir {
	const char *path; /* from the root; "/" for the root */
	size_t len;	  /* of path; 0 for the root */
	size_t depth;	  /* names in path: 0 for the root */
	uint64_t id[2];	  /* which directory (see struct cs_exec_dir) */
	mode_t mode;
	uid_t uid;
	gid_t gid;
	const struct cs_acl *acl; /* its access ACL, NULL: none (copied when recorded) */
};

/*
 * Adds a directory the lookup of f searched, once per directory, in the
 * order of the walks: 0 or -ENOMEM. Each walk starts at the root (depth 0)
 * and calls this before every name it looks up; constant time per call.
 */
int cs_exec_file_add_dir(struct cs_exec_file *f, const struct cs_searched_dir *d);
/*
 * $PATH as exec.LookPath walks it (lib/exec-path.c): probe says whether a
 * candidate is a file LookPath takes (0) or not (< 0); fill reads a taken
 * one into its record (0 or -ENOMEM). The first taken is f, the others are
 * chained after it (path_next, CS_EXEC_PATH_MAX at most); none taken is
 * f->error ENOENT. A relative entry's candidate is the working directory
 * cwd's (NULL: "/"), marked path_relative. 0, or -ENOMEM or -E2BIG from
 * probe (the search stops: an image's lookup bound) or fill.
 */
struct cs_exec_path_ops {
	/* relative: candidate is a relative entry's, the cwd's to look up from
	 * (cs_exec_rel_name), whose joined path would be joined_len bytes */
	int (*probe)(void *ctx, const char *candidate, bool relative, size_t joined_len);
	/* relative: the candidate came from a relative entry, joined to the cwd
	 * (its lookup starts there: cs_exec_file_gate_dirs) */
	int (*fill)(void *ctx, const char *candidate, bool relative, struct cs_exec_file *f);
};
int cs_exec_path_lookup(const char *path_env, const char *cwd, const char *name,
			struct cs_exec_file *f, const struct cs_exec_path_ops *ops, void *ctx);

/*
 * The walk that follows is of a name joined to the working directory whose
 * directory is id: the kernel starts a relative lookup at the cwd (runc has
 * changed there as root), so the directories the walk passes before it
 * first reaches id are not searched and not recorded. 0 or -ENOMEM.
 */
int cs_exec_file_gate_dirs(struct cs_exec_file *f, const uint64_t id[2]);

/* Frees f's record of directories (lib/exec-dirs.c). */
void cs_exec_dirs_clear(struct cs_exec_file *f);

/*
 * A relative name (one that does not start with '/') as the working
 * directory cwd (NULL or "/": the root) makes it: *joined is "cwd/name", or
 * NULL for an absolute name. runc changes to process.cwd before it looks
 * the command up, so "./app" is the cwd's, not the root's.
 */
int cs_exec_join_cwd(const char *cwd, const char *name, char **joined);
/* A relative name with its leading "./" dropped, as cs_exec_join_cwd joins it. */
const char *cs_exec_rel_name(const char *name);
/* The length of cs_exec_join_cwd's path for cwd and a cs_exec_rel_name. */
size_t cs_exec_joined_len(const char *cwd, const char *rel);

/*
 * Is path there (symlinks followed, or the last one not followed), and a
 * directory? 0 with *is_dir, or -errno (-ENOENT, -ENOTDIR, -ELOOP, -ENOMEM).
 */
typedef int cs_exec_cwd_stat_fn(void *ctx, const char *path, bool follow, bool *is_dir);

/*
 * runc's os.MkdirAll(process.cwd) inside the root stat_fn looks in
 * (lib/exec-cwd.c): 0 when it succeeds, with *eff the directory the
 * process then starts in when that exists already (heap; NULL: cwd is
 * created, empty, or is used as it is); a positive errno (EEXIST, ENOTDIR)
 * when it fails, *failed naming the path (heap), as runc's error does; or
 * -ENOMEM.
 */
int cs_exec_cwd_mkdir(const char *cwd, cs_exec_cwd_stat_fn *stat_fn, void *ctx, char **eff,
		      char **failed);

/*
 * Fill f for the file at path (inside the caller's root, symlinks followed)
 * as the resolver does, and copy its first bytes to head (n gets how many;
 * 0 when unknown). Returns 0 (a missing file is f->error) or -ENOMEM.
 */
typedef int (*cs_exec_open_fn)(void *root, const char *path, struct cs_exec_file *f,
			       char head[CS_EXEC_HEAD_MAX], size_t *n);

/*
 * f was filled by open (head, n its first bytes): follow its "#!" chain as
 * execve does, appending the interpreters at f->interp. A relative
 * interpreter is taken from cwd (NULL: "/"). 0 or -ENOMEM.
 */
int cs_exec_script_follow(void *root, cs_exec_open_fn open, const char *cwd, struct cs_exec_file *f,
			  const char *head, size_t n);

#endif
