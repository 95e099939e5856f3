/* SPDX-License-Identifier: MIT */
/*
 * A model of the kernel's credential rules: what execve(2), setresuid(2),
 * setgroups(2), capset(2) and the capability prctl()s do to a thread's
 * credentials (security/commoncap.c, fs/exec.c, kernel/sys.c). Pure logic:
 * no system call is made. Every rule that fires appends a step with layer
 * "kernel" and a stable rule id (docs/kernel-model.md lists them all).
 *
 * Ids in struct cs_cred are as seen inside the thread's user namespace; a
 * file's owner and a v3 rootid are on-disk (host) ids that the model maps
 * through the namespace's uid/gid maps, the way the kernel does.
 */
#ifndef CAPSCOPE_KERNEL_H
#define CAPSCOPE_KERNEL_H

#include <stdint.h>
#include <sys/types.h>

#include "caps.h"
#include "fcaps.h"
#include "oci.h"
#include "steps.h"

/* include/uapi/linux/securebits.h */
#define CS_SECBIT_NOROOT		       (1u << 0)
#define CS_SECBIT_NOROOT_LOCKED		       (1u << 1)
#define CS_SECBIT_NO_SETUID_FIXUP	       (1u << 2)
#define CS_SECBIT_NO_SETUID_FIXUP_LOCKED       (1u << 3)
#define CS_SECBIT_KEEP_CAPS		       (1u << 4)
#define CS_SECBIT_KEEP_CAPS_LOCKED	       (1u << 5)
#define CS_SECBIT_NO_CAP_AMBIENT_RAISE	       (1u << 6)
#define CS_SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED  (1u << 7)
#define CS_SECBIT_EXEC_RESTRICT_FILE	       (1u << 8)
#define CS_SECBIT_EXEC_RESTRICT_FILE_LOCKED    (1u << 9)
#define CS_SECBIT_EXEC_DENY_INTERACTIVE	       (1u << 10)
#define CS_SECBIT_EXEC_DENY_INTERACTIVE_LOCKED (1u << 11)
#define CS_SECBIT_ALL			       0xfffu

/*
 * The name of one securebit as capscope spells it ("noroot", "keep-caps-locked",
 * …), for bits 0..7; NULL for any other bit.
 */
CS_EXPORT const char *cs_securebit_name(unsigned bit);

#define CS_CRED_MAX_GROUPS CS_OCI_MAX_GROUPS

/* A thread's credentials. */
struct cs_cred {
	uid_t uid[4]; /* real, effective, saved, fs */
	gid_t gid[4];
	gid_t groups[CS_CRED_MAX_GROUPS];
	size_t ngroups;
	struct cs_quintet caps; /* all five sets present */
	unsigned securebits;	/* CS_SECBIT_* */
	bool no_new_privs;
	/*
	 * The thread runs in a user namespace other than the initial one, with
	 * these maps (container id → host id). false: the initial namespace,
	 * every id maps to itself.
	 */
	bool user_namespace;
	struct cs_idmap uid_map[CS_OCI_MAX_IDMAPS], gid_map[CS_OCI_MAX_IDMAPS];
	size_t n_uid_map, n_gid_map;
	/*
	 * setgroups(2) is refused in this user namespace whatever the
	 * capabilities (kernel/user_namespace.c userns_may_setgroups): its
	 * /proc/PID/setgroups says "deny", or no gid_map is written yet.
	 */
	bool setgroups_denied;
};

/*
 * A POSIX access ACL (the system.posix_acl_access attribute), checked as
 * fs/posix_acl.c posix_acl_permission checks it. Entries are in the
 * kernel's order (owner, named users, owning group, named groups, mask,
 * other); ids are on-disk (host) ids, mapped through the cred's maps.
 */
enum cs_acl_tag {
	CS_ACL_USER_OBJ = 0x01,
	CS_ACL_USER = 0x02,
	CS_ACL_GROUP_OBJ = 0x04,
	CS_ACL_GROUP = 0x08,
	CS_ACL_MASK = 0x10,
	CS_ACL_OTHER = 0x20,
};
struct cs_acl {
	size_t n;
	struct cs_acl_entry {
		uint16_t tag, perm;
		uint32_t id;
	} e[];
};

/*
 * The ACL in an attribute's value: 0 with *out (heap; NULL for no entries),
 * or -EINVAL when the kernel would not have stored it (posix_acl_from_xattr
 * and posix_acl_valid: version 2, whole entries, the order above, a mask
 * beside named entries, permissions rwx only), -ENOMEM.
 */
CS_EXPORT int cs_acl_parse(const void *value, size_t len, struct cs_acl **out);

/*
 * The ACL of the file open at fd (an O_PATH descriptor too): 0 with *out
 * (NULL: none), or -errno (-EINVAL: an invalid value).
 */
CS_EXPORT int cs_acl_fget(int fd, struct cs_acl **out);

/* A heap copy of acl, NULL when out of memory. */
CS_EXPORT struct cs_acl *cs_acl_dup(const struct cs_acl *acl);

/*
 * A directory a lookup of an executable searched. runc's stat of the path
 * and execve itself need search (x) permission on each, for the process's
 * credentials (fs/namei.c may_lookup); CAP_DAC_READ_SEARCH or
 * CAP_DAC_OVERRIDE stands in for a missing bit.
 */
struct cs_exec_dir {
	/*
	 * Where it is: name follows the path of dirs[parent], the nearest
	 * recorded directory above it on the way it was first reached
	 * (CS_EXEC_DIR_NONE: name is the whole path, "/" for the root). A
	 * directory deep in a tree costs its own name, not its whole path:
	 * cs_exec_dir_path spells it.
	 */
	size_t parent;
	char *name; /* heap */
	mode_t mode;
	uid_t owner_uid; /* on-disk (host) ids, mapped through the cred's maps */
	gid_t owner_gid;
	uint64_t id[2];	    /* which directory: st_dev and st_ino, or the image view's node */
	struct cs_acl *acl; /* its access ACL (heap), NULL: none or not read (images) */
};
#define CS_EXEC_DIR_NONE SIZE_MAX

/* What execve needs to know about the file it runs. */
struct cs_exec_file {
	/* As the caller named it (inside the rootfs for OCI); heap, NULL when
	 * unset, freed by cs_exec_file_clear(). */
	char *path;
	int error;	 /* 0, or the errno that resolving it gave: ENOENT, ENOTDIR, ELOOP … */
	bool known;	 /* false: nothing is known about the file (no rootfs); the model
			  * assumes a plain regular 0755 root-owned file without file caps and
			  * says so in a step */
	mode_t mode;	 /* st_mode incl. S_ISUID / S_ISGID */
	uid_t owner_uid; /* on-disk (host) owner; mapped through the cred's maps */
	gid_t owner_gid;
	struct cs_acl *acl; /* its access ACL (heap), NULL: none or not read (images) */
	bool nosuid;	    /* the file's mount has MS_NOSUID */
	/* path is a placeholder for a file no one named (explain pod: no
	 * command and no image config), written as it is, never as a file's
	 * word: a command of that text is quoted, so the two read apart */
	bool unnamed;
	/*
	 * The kernel's own answer to "may the credentials modelled execute it",
	 * when the caller holds them and asked (faccessat X_OK, AT_EACCESS:
	 * POSIX ACLs, a noexec mount): 1 yes, -EACCES no, 0 not asked (the
	 * model reads the mode bits, which do not see ACLs).
	 */
	int exec_access;
	/* security.capability: 0 none, 1 present and valid, -EINVAL invalid */
	int fcaps_state;
	struct cs_fcaps fcaps; /* rootid as stored (host id for v3) */
	/*
	 * When this file is a "#!" script: the interpreter its first line names,
	 * resolved in the same root (heap, freed with this record), which may be
	 * a script in turn. execve checks each file's execute permission, but
	 * the credentials come from the last one alone: a script's own set-uid
	 * bit and file capabilities are ignored. NULL for a binary, or when the
	 * file could not be read.
	 */
	struct cs_exec_file *interp;
	/* With interp: the "#!" line's optional argument's bytes with its NUL,
	 * 0 when the line has none. load_script copies it into argv beside the
	 * interpreter's name, so it counts toward execve's E2BIG bounds. */
	size_t interp_arg;
	/* Read, and neither an ELF binary nor a "#!" script (a shell script
	 * without its first line, an empty file): execve fails with ENOEXEC,
	 * unless a binfmt_misc handler of the node claims the file. */
	bool unknown_format;
	/* Every directory the lookup of this file searched that some process
	 * could be stopped by (an x bit missing), in order, each once however
	 * often and by whichever way it was reached (the root, the path's, a
	 * symlink target's); none when unknown. Heap, freed with this record. */
	struct cs_exec_dir *dirs;
	size_t ndirs;
	struct cs_exec_dir_index *dir_index; /* the resolver's own: which are in dirs */
	/* Found through $PATH: the next directory's candidate (heap, a chain
	 * freed with this record). runc's exec.LookPath stats each candidate as
	 * the process and takes the first it can reach, so which one runs
	 * depends on the credentials (cs_exec_file_reachable). */
	struct cs_exec_file *path_next;
	bool from_path; /* found through $PATH (a name without '/') */
	/* ... through a relative $PATH entry ("bin", ".", ""), from the working
	 * directory: Go 1.19's exec.LookPath answers ErrDot for it, and runc
	 * does not start the process. */
	bool path_relative;
	/* runc's os.MkdirAll(process.cwd) fails with this errno (EEXIST: a
	 * dangling symlink is in the way; ENOTDIR: a file is): runc init
	 * stops, the process never starts. 0: it does not fail. */
	int cwd_error;
};

/* What an exec attempt led to. */
struct cs_exec_result {
	bool ok;
	int error;	/* positive errno when !ok: EPERM, ENOENT, EACCES, EINVAL … */
	char layer[16]; /* where it failed: "runtime" or "kernel"; "" when ok */
	char step[48];	/* the rule id of the failing step */
	/* Which $PATH candidate ran: 0 the file given, n its n-th path_next
	 * (cs_exec_file_take_path_next makes it the file given). */
	unsigned path_index;
};

/* uid 0 in the initial namespace with every capability in P, E and B (I, A empty). */
CS_EXPORT void cs_cred_init_root(struct cs_cred *c);

/*
 * The calling thread's credentials: /proc/self/status, PR_GET_SECUREBITS and
 * the user namespace maps when it runs in one.
 */
CS_EXPORT int cs_cred_read_self(struct cs_cred *c, struct cs_diag *d);

/*
 * Map between namespace and host ids. A thread outside any user namespace
 * (c->user_namespace false) maps every id to itself. Return false when the id
 * has no mapping.
 */
CS_EXPORT bool cs_cred_uid_to_host(const struct cs_cred *c, uid_t ns_id, uid_t *host);
CS_EXPORT bool cs_cred_uid_from_host(const struct cs_cred *c, uid_t host, uid_t *ns_id);
CS_EXPORT bool cs_cred_gid_from_host(const struct cs_cred *c, gid_t host, gid_t *ns_id);
CS_EXPORT bool cs_idmap_lookup(const struct cs_idmap *m, size_t n, uint32_t from, bool to_host,
			       uint32_t *out);

/* Does the thread hold cap in its effective set (in its own namespace)? */
CS_EXPORT bool cs_cred_capable(const struct cs_cred *c, int cap);

/*
 * execve(2): fs/exec.c bprm_fill_uid + security/commoncap.c
 * cap_bprm_creds_from_file. On success c holds the new credentials and 0 is
 * returned; on failure c is unchanged and -EPERM (capability-dumb binary,
 * or a file whose fP the new pP cannot cover), -EACCES (no execute
 * permission), -EINVAL (invalid security.capability) or the resolve error
 * is returned.
 */
CS_EXPORT int cs_kernel_execve(struct cs_cred *c, const struct cs_exec_file *f,
			       struct cs_steps *st);

/*
 * setresuid(2) / setresgid(2): (uid_t)-1 leaves an id unchanged. Needs
 * CAP_SETUID / CAP_SETGID unless each new id is one of the current r/e/s.
 * fsuid follows euid; cap_emulate_setxuid then adjusts P/E/A unless
 * SECBIT_NO_SETUID_FIXUP.
 */
CS_EXPORT int cs_kernel_setresuid(struct cs_cred *c, uid_t r, uid_t e, uid_t s,
				  struct cs_steps *st);
CS_EXPORT int cs_kernel_setresgid(struct cs_cred *c, gid_t r, gid_t e, gid_t s,
				  struct cs_steps *st);
/* setuid(2) / setgid(2): all ids with CAP_SETUID/SETGID, else only the effective one. */
CS_EXPORT int cs_kernel_setuid(struct cs_cred *c, uid_t uid, struct cs_steps *st);
CS_EXPORT int cs_kernel_setgid(struct cs_cred *c, gid_t gid, struct cs_steps *st);
/* setfsuid(2): moves the filesystem capabilities in or out of pE. */
CS_EXPORT int cs_kernel_setfsuid(struct cs_cred *c, uid_t fsuid, struct cs_steps *st);
CS_EXPORT int cs_kernel_setgroups(struct cs_cred *c, const gid_t *g, size_t n, struct cs_steps *st);

/* capset(2) of the three sets (cap_capset). */
CS_EXPORT int cs_kernel_capset(struct cs_cred *c, cs_mask_t eff, cs_mask_t prm, cs_mask_t inh,
			       struct cs_steps *st);
/* prctl(PR_CAP_AMBIENT, RAISE / LOWER / CLEAR_ALL). */
CS_EXPORT int cs_kernel_ambient_raise(struct cs_cred *c, int cap, struct cs_steps *st);
CS_EXPORT int cs_kernel_ambient_lower(struct cs_cred *c, int cap, struct cs_steps *st);
CS_EXPORT int cs_kernel_ambient_clear(struct cs_cred *c, struct cs_steps *st);
/* prctl(PR_CAPBSET_DROP). */
CS_EXPORT int cs_kernel_bset_drop(struct cs_cred *c, int cap, struct cs_steps *st);
/* prctl(PR_SET_SECUREBITS) and prctl(PR_SET_KEEPCAPS). */
CS_EXPORT int cs_kernel_set_securebits(struct cs_cred *c, unsigned bits, struct cs_steps *st);
CS_EXPORT int cs_kernel_set_keepcaps(struct cs_cred *c, bool on, struct cs_steps *st);
/* prctl(PR_SET_NO_NEW_PRIVS, 1). */
CS_EXPORT int cs_kernel_set_no_new_privs(struct cs_cred *c, struct cs_steps *st);

/*
 * Find args0 the way runc 1.1 does before execve (Go's exec.LookPath with
 * the container's PATH, then execve follows the final symlink), inside
 * rootfs, never leaving it (openat2 RESOLVE_IN_ROOT: "..", absolute symlinks
 * and magic links stay inside). path_env is the PATH value (NULL: no PATH,
 * only names with a '/' resolve). Fills f: mode, on-disk owner, file caps,
 * nosuid. A missing file is not an error of this function: it returns 0 with
 * f->error = ENOENT (what the exec would fail with). -errno only when rootfs
 * itself cannot be opened (d says why) or memory runs out. f is overwritten
 * (not freed first); the caller frees it with cs_exec_file_clear().
 *
 * A "#!" script's interpreters are followed as execve follows them
 * (f->interp, at most five scripts in a chain, then ELOOP; a "#!" line
 * naming no usable interpreter gives ENOEXEC on the interpreter's record).
 * A relative interpreter, and a relative arg0 with a '/' ("./app", as runc
 * looks it up after changing to process.cwd), are taken from cwd, the
 * working directory inside rootfs (NULL: "/").
 */
CS_EXPORT int cs_exec_file_resolve(const char *rootfs, const char *cwd, const char *arg0,
				   const char *path_env, struct cs_exec_file *f, struct cs_diag *d);

/*
 * Whether the process c can search every directory the lookup of f went
 * through (not its interpreters': a stat does not read the file): what
 * runc's stat of a $PATH candidate needs. -1 when it can, else the index in
 * f->dirs of the first directory that stops it.
 */
CS_EXPORT int cs_exec_file_unreachable(const struct cs_cred *c, const struct cs_exec_file *f);
/* The path of f->dirs[i] from the root (heap; NULL when out of memory). */
CS_EXPORT char *cs_exec_dir_path(const struct cs_exec_file *f, size_t i);
/* Makes f's n-th $PATH alternative (n >= 1) the file f, freeing the others before it. */
CS_EXPORT int cs_exec_file_take_path_next(struct cs_exec_file *f, unsigned n);

/* The file whose mode and capabilities execve takes: f, or its last interpreter. */
CS_EXPORT const struct cs_exec_file *cs_exec_file_final(const struct cs_exec_file *f);

/*
 * What execve would look at for the open file fd (O_PATH is enough), shown
 * as path, its "#!" chain followed from "/" (a relative interpreter from
 * cwd). Unlike the resolver, a security.capability that cannot be read
 * (other than absent or invalid) is an error: 0, -ENOMEM or -errno.
 * *first_read (may be NULL) says whether the file's first bytes could be
 * read, so whether a "#!" line would have been seen. The caller holds the
 * credentials modelled (run, after they are set): each file's exec_access
 * is the kernel's answer for them.
 */
CS_EXPORT int cs_exec_file_from_fd(int fd, const char *path, const char *cwd,
				   struct cs_exec_file *f, bool *first_read);

/* Replace f->path with a copy of path; -ENOMEM leaves f->path as it was. */
CS_EXPORT int cs_exec_file_set_path(struct cs_exec_file *f, const char *path);
/* Free what f owns (its path, its interpreters) and zero it. */
CS_EXPORT void cs_exec_file_clear(struct cs_exec_file *f);

/* Short errno name: "EPERM", "ENOENT", … ("E%d" for others). */
CS_EXPORT const char *cs_errno_name(int err);

#endif
