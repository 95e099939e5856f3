/* SPDX-License-Identifier: MIT */
/* File capabilities: the security.capability xattr, its codec, get/set/remove. */
#ifndef CAPSCOPE_FCAPS_H
#define CAPSCOPE_FCAPS_H

#include <stdint.h>
#include <sys/types.h>

#include "caps.h"
#include "diag.h"
#include "text.h"

#define CS_XATTR_CAPS	   "security.capability"
#define CS_VFS_CAP_V1_SIZE 12
#define CS_VFS_CAP_V2_SIZE 20
#define CS_VFS_CAP_V3_SIZE 24

/* Why getxattr of security.capability says EINVAL; one wording for file get and scan. */
#define CS_FCAPS_UNREADABLE                                                                        \
	"the kernel will not read the stored value: not a version 2 or 3 value of its exact "      \
	"size (empty, corrupt, or version 1, which getxattr never gives back)"

/* getxattr's EOVERFLOW: execve ignores such a value (get_vfs_caps_from_disk: ENODATA). */
#define CS_FCAPS_OTHER_NS                                                                          \
	"a version 3 value for the root of a user namespace that is neither this one nor an "      \
	"ancestor: execve ignores it here"

struct cs_fcaps {
	int version; /* 1, 2 or 3 */
	bool effective;
	cs_mask_t permitted, inheritable;
	uint32_t rootid; /* meaningful for version 3 only */
	uint32_t
	    unknown_flags; /* magic_etc flag bits besides "effective"; the kernel ignores them */
};

/*
 * Decode an xattr value as the kernel does (security/commoncap.c,
 * get_vfs_caps_from_disk): the size must match the revision in magic_etc.
 * -EINVAL with a reason for anything else.
 */
CS_EXPORT int cs_fcaps_decode(const void *buf, size_t len, struct cs_fcaps *out, struct cs_diag *d);

/* Encode; returns the size written (12/20/24) or -EINVAL / -ENOSPC. */
CS_EXPORT int cs_fcaps_encode(const struct cs_fcaps *f, void *buf, size_t len);

/*
 * Read the xattr of an open file or of a path (not following a final
 * symlink). -ENODATA when the file has none.
 */
CS_EXPORT int cs_fcaps_fget(int fd, struct cs_fcaps *out, struct cs_diag *d);
CS_EXPORT int cs_fcaps_get(const char *path, struct cs_fcaps *out, struct cs_diag *d);
CS_EXPORT int cs_fcaps_set(const char *path, const struct cs_fcaps *f);

/*
 * Everything that would make setting file capabilities on path fail,
 * checked before anything is written, so a command given several paths
 * writes all or none: path must be a regular file (a symlink, fifo,
 * directory or device is refused, never followed or opened for I/O), on a
 * writable filesystem that takes security xattrs, neither immutable nor
 * append-only, and this process must hold CAP_SETFCAP. Returns an open
 * fd for cs_fcaps_fset / cs_fcaps_fset_raw (the file checked is the file
 * written), or -errno with d->message saying why.
 * *old / *oldlen receive its current xattr (oldlen 0: none), for undoing.
 */
CS_EXPORT int cs_fcaps_open_for_set(const char *path, unsigned char old[CS_VFS_CAP_V3_SIZE],
				    size_t *oldlen, struct cs_diag *d);
/*
 * A version 3 rootid is written as seen from the caller's user namespace
 * and stored through its uid map (cap_convert_nscap, rootid_from_xattr): a
 * rootid with no mapping there is refused by the kernel with EINVAL.
 * 1 (mapped), 0, or -errno when this process's uid map cannot be read or
 * is not understood (d names the file, the line and why).
 */
CS_EXPORT int cs_fcaps_rootid_mapped(uint32_t rootid, struct cs_diag *d);
CS_EXPORT int cs_fcaps_fset(int fd, const struct cs_fcaps *f);
/* Put back what cs_fcaps_open_for_set saw (len 0: remove). */
CS_EXPORT int cs_fcaps_fset_raw(int fd, const unsigned char *buf, size_t len);
CS_EXPORT int cs_fcaps_remove(const char *path);

/*
 * All or nothing without a descriptor per path (lib/fcaps-change.c):
 * cs_fcaps_check runs cs_fcaps_open_for_set's checks and keeps only which
 * file it is; cs_fcaps_reopen opens path for the write and refuses
 * (-ESTALE) a name that no longer leads to that file. old / oldlen as
 * cs_fcaps_open_for_set, read just before the write.
 */
struct cs_fcaps_target {
	dev_t dev;
	ino_t ino;
	unsigned char old[CS_VFS_CAP_V3_SIZE]; /* the value before our write, to put back */
	size_t oldlen;			       /* 0: it had none */
};
CS_EXPORT int cs_fcaps_check(const char *path, struct cs_fcaps_target *t, struct cs_diag *d);
CS_EXPORT int cs_fcaps_reopen(const char *path, const struct cs_fcaps_target *t,
			      unsigned char old[CS_VFS_CAP_V3_SIZE], size_t *oldlen,
			      struct cs_diag *d);

/*
 * libcap text → file caps. The xattr holds one effective bit for the whole
 * file, so the effective set must be empty or equal permitted ∪ inheritable;
 * anything else is -EINVAL with the reason (setcap refuses it too).
 * The version is 2, or 3 when rootid != 0.
 */
CS_EXPORT int cs_fcaps_from_text(const char *text, uint32_t rootid, struct cs_fcaps *out,
				 struct cs_diag *d);

/* getcap's text for these file caps (libcap's cap_to_text); malloc'd. */
CS_EXPORT char *cs_fcaps_to_text(const struct cs_fcaps *f);

#endif
