/* SPDX-License-Identifier: MIT */
#include "capscope/fcaps.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/fs.h>

#include "capscope/userns.h"
#include "internal/cleanup.h"
#include "internal/fcaps-reach.h"
#include "internal/util.h"

/* VFS_CAP_* come from include/uapi/linux/capability.h */

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

int cs_fcaps_decode(const void *buf, size_t len, struct cs_fcaps *out, struct cs_diag *d)
{
	const unsigned char *b = buf;
	uint32_t magic, rev;
	size_t want;

	memset(out, 0, sizeof(*out));
	if (len < 4)
		return cs_diag_set(d, EINVAL, 0, 0, CS_XATTR_CAPS,
				   "value is %zu bytes, too short for a header", len);
	magic = le32(b);
	rev = magic & VFS_CAP_REVISION_MASK;
	switch (rev) {
	case VFS_CAP_REVISION_1:
		out->version = 1;
		want = CS_VFS_CAP_V1_SIZE;
		break;
	case VFS_CAP_REVISION_2:
		out->version = 2;
		want = CS_VFS_CAP_V2_SIZE;
		break;
	case VFS_CAP_REVISION_3:
		out->version = 3;
		want = CS_VFS_CAP_V3_SIZE;
		break;
	default:
		return cs_diag_set(d, EINVAL, 0, 0, CS_XATTR_CAPS, "unknown revision 0x%02x",
				   rev >> 24);
	}
	if (len != want)
		return cs_diag_set(d, EINVAL, 0, 0, CS_XATTR_CAPS,
				   "revision %d value must be %zu bytes, not %zu", out->version,
				   want, len);
	out->effective = magic & VFS_CAP_FLAGS_EFFECTIVE;
	out->unknown_flags = magic & VFS_CAP_FLAGS_MASK & ~VFS_CAP_FLAGS_EFFECTIVE;
	out->permitted = le32(b + 4);
	out->inheritable = le32(b + 8);
	if (out->version >= 2) {
		out->permitted |= (cs_mask_t)le32(b + 12) << 32;
		out->inheritable |= (cs_mask_t)le32(b + 16) << 32;
	}
	if (out->version == 3)
		out->rootid = le32(b + 20);
	return 0;
}

int cs_fcaps_encode(const struct cs_fcaps *f, void *buf, size_t len)
{
	unsigned char *b = buf;
	size_t need;
	uint32_t rev;

	switch (f->version) {
	case 1:
		if ((f->permitted | f->inheritable) >> 32)
			return -EINVAL; /* v1 holds 32 bits only */
		need = CS_VFS_CAP_V1_SIZE;
		rev = VFS_CAP_REVISION_1;
		break;
	case 2:
		need = CS_VFS_CAP_V2_SIZE;
		rev = VFS_CAP_REVISION_2;
		break;
	case 3:
		need = CS_VFS_CAP_V3_SIZE;
		rev = VFS_CAP_REVISION_3;
		break;
	default:
		return -EINVAL;
	}
	if (len < need)
		return -ENOSPC;
	put_le32(b, rev | (f->effective ? VFS_CAP_FLAGS_EFFECTIVE : 0) |
			(f->unknown_flags & VFS_CAP_FLAGS_MASK & ~VFS_CAP_FLAGS_EFFECTIVE));
	put_le32(b + 4, (uint32_t)f->permitted);
	put_le32(b + 8, (uint32_t)f->inheritable);
	if (f->version >= 2) {
		put_le32(b + 12, (uint32_t)(f->permitted >> 32));
		put_le32(b + 16, (uint32_t)(f->inheritable >> 32));
	}
	if (f->version == 3)
		put_le32(b + 20, f->rootid);
	return (int)need;
}

static int decode_read(ssize_t n, const unsigned char *buf, struct cs_fcaps *out, struct cs_diag *d)
{
	if (n < 0) {
		int e = errno;

		memset(out, 0, sizeof(*out));
		if (e == ERANGE) /* larger than any valid value */
			return cs_diag_set(d, EINVAL, 0, 0, CS_XATTR_CAPS,
					   "value is larger than %d bytes", CS_VFS_CAP_V3_SIZE);
		/*
		 * The kernel checks the stored value on read (cap_inode_getsecurity)
		 * and gives back only a version 2 or 3 value of its exact size: a
		 * version 1 value, which execve still honours, is refused like an
		 * empty or corrupt one ("not a valid v1" was not true of it).
		 */
		if (e == EINVAL)
			return cs_diag_set(d, EINVAL, 0, 0, CS_XATTR_CAPS, "%s",
					   CS_FCAPS_UNREADABLE);
		/* cap_inode_getsecurity: the rootid does not own this namespace. */
		if (e == EOVERFLOW)
			return cs_diag_set(d, EOVERFLOW, 0, 0, CS_XATTR_CAPS, "%s",
					   CS_FCAPS_OTHER_NS);
		return -e;
	}
	return cs_fcaps_decode(buf, (size_t)n, out, d);
}

int cs_fcaps_fget(int fd, struct cs_fcaps *out, struct cs_diag *d)
{
	unsigned char buf[CS_VFS_CAP_V3_SIZE];
	ssize_t n = fgetxattr(fd, CS_XATTR_CAPS, buf, sizeof(buf));
	char proc[64];

	/*
	 * An O_PATH descriptor (a file we may execute but not read) has no
	 * fgetxattr: EBADF. Its /proc/self/fd link names the same inode; taking
	 * EBADF as "no file capabilities" modelled a 0711 file with
	 * cap_net_raw=ep as gaining nothing.
	 */
	if (n < 0 && errno == EBADF && fd >= 0) {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		n = getxattr(proc, CS_XATTR_CAPS, buf, sizeof(buf));
	}
	return decode_read(n, buf, out, d);
}

int cs_fcaps_get(const char *path, struct cs_fcaps *out, struct cs_diag *d)
{
	unsigned char buf[CS_VFS_CAP_V3_SIZE];

	return decode_read(lgetxattr(path, CS_XATTR_CAPS, buf, sizeof(buf)), buf, out, d);
}

int cs_fcaps_set(const char *path, const struct cs_fcaps *f)
{
	unsigned char buf[CS_VFS_CAP_V3_SIZE];
	int n = cs_fcaps_encode(f, buf, sizeof(buf));

	if (n < 0)
		return n;
	if (lsetxattr(path, CS_XATTR_CAPS, buf, (size_t)n, 0) < 0)
		return -errno;
	return 0;
}

/*
 * Whether this process holds CAP_SETFCAP in its effective set: 0, or
 * -errno with d set. A capget that fails (a caller's seccomp filter) is
 * said as such, not as "does not have CAP_SETFCAP".
 */
static int need_setfcap(struct cs_diag *d)
{
	uint64_t eff;
	int rc = cs_self_effective(&eff);

	if (rc < 0)
		return cs_diag_set(d, -rc, 0, 0, "",
				   "cannot read this process's capabilities (capget): %s",
				   strerror(-rc));
	if (!(eff & (1ull << CAP_SETFCAP)))
		return cs_diag_set(d, EPERM, 0, 0, "",
				   "changing file capabilities needs CAP_SETFCAP, which this "
				   "process does not have");
	return 0;
}

/* Does the id lie in one of the ranges of this process's map? 1, 0 or -errno (d says why). */
static int id_in_map(bool gid, uint32_t id, struct cs_diag *d)
{
	struct cs_idmap m[CS_IDMAP_KERNEL_MAX];
	size_t n;
	uint32_t out;
	int rc = cs_idmap_read_self(gid, m, CS_IDMAP_KERNEL_MAX, &n, d);

	return rc < 0 ? rc : cs_idmap_lookup(m, n, id, true, &out);
}

/*
 * cap_convert_nscap asks capable_wrt_inode_uidgid: the file's owner and
 * group must both be mapped in the caller's user namespace, or CAP_SETFCAP
 * does not reach the file and the write fails with a bare EPERM after every
 * other check passed. stat shows an unmapped id as the overflow id
 * (/proc/sys/kernel/overflowuid, 65534 unless root changed it): an id it
 * shows that is not in this process's map can only be that, so every
 * owner and group is looked up, whatever the overflow id is (only 65534
 * was: with another overflow id an unmapped file was not caught). An
 * overflow id that is itself mapped cannot be told from a mapped owner
 * here: the kernel is asked after (internal/fcaps-reach.h).
 * 1, 0 or -errno (a map that cannot be read: d says why).
 */
static int owner_mapped(const struct stat *sb, struct cs_diag *d)
{
	int rc = id_in_map(false, sb->st_uid, d);

	return rc == 1 ? id_in_map(true, sb->st_gid, d) : rc;
}

int cs_fcaps_rootid_mapped(uint32_t rootid, struct cs_diag *d)
{
	return id_in_map(false, rootid, d);
}

int cs_fcaps_open_for_set(const char *path, unsigned char old[CS_VFS_CAP_V3_SIZE], size_t *oldlen,
			  struct cs_diag *d)
{
	cs_cleanup_close int fd = -1;
	struct stat sb;
	struct statvfs vfs;
	ssize_t n;
	int flags = 0, rc;

	*oldlen = 0;
	if (lstat(path, &sb) < 0)
		return cs_diag_set(d, errno, 0, 0, "", "%s", strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return cs_diag_set(d, EINVAL, 0, 0, "", "not a regular file%s",
				   S_ISLNK(sb.st_mode) ? " (a symlink: name its target)" : "");
	/* O_NOFOLLOW + the type check again on the fd: the file checked is the file written */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return cs_diag_set(d, errno, 0, 0, "", "cannot open: %s", strerror(errno));
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode))
		return cs_diag_set(d, EINVAL, 0, 0, "", "not a regular file");
	if (fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_RDONLY))
		return cs_diag_set(d, EROFS, 0, 0, "", "on a read-only filesystem");
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && (flags & (FS_IMMUTABLE_FL | FS_APPEND_FL)))
		return cs_diag_set(d, EPERM, 0, 0, "", "the file is %s",
				   flags & FS_IMMUTABLE_FL ? "immutable" : "append-only");
	n = fgetxattr(fd, CS_XATTR_CAPS, old, CS_VFS_CAP_V3_SIZE);
	/*
	 * The old value is kept to put it back if a later path fails: one the
	 * kernel will not give back cannot be, and "Invalid argument" or
	 * "Value too large for defined data type" alone said nothing of why.
	 */
	if (n < 0 && (errno == EINVAL || errno == EOVERFLOW || errno == ERANGE))
		return cs_diag_set(d, errno, 0, 0, "",
				   "its " CS_XATTR_CAPS " cannot be read back, so it could not be "
				   "put back if a change failed: %s",
				   errno == EOVERFLOW ? CS_FCAPS_OTHER_NS
				   : errno == ERANGE  ? "it is larger than any valid value"
						      : CS_FCAPS_UNREADABLE);
	if (n < 0 && errno != ENODATA)
		return cs_diag_set(d, errno, 0, 0, "", "%s",
				   errno == EOPNOTSUPP
				       ? "the filesystem does not take security xattrs"
				       : strerror(errno));
	if ((rc = need_setfcap(d)) < 0 || (rc = owner_mapped(&sb, d)) < 0)
		return rc;
	if (rc == 0)
		return cs_diag_set(d, EPERM, 0, 0, "",
				   "its owner or group has no mapping in this user namespace, "
				   "so CAP_SETFCAP does not reach it");
	*oldlen = n > 0 ? (size_t)n : 0;
	/*
	 * The map holds what stat shows, but an overflow id the namespace maps
	 * too hides an unmapped owner: the kernel's own check, asked without a
	 * write, or the write failed later with a bare EPERM, the files before
	 * it written and put back.
	 */
	if ((rc = cs_fcaps_setfcap_reaches(fd, old, *oldlen)) < 0)
		return cs_diag_set(d, -rc, 0, 0, "",
				   "asking the kernel whether CAP_SETFCAP reaches it left a value "
				   "that could not be taken back: %s",
				   strerror(-rc));
	if (rc == 0)
		return cs_diag_set(
		    d, EPERM, 0, 0, "",
		    "the kernel says CAP_SETFCAP does not reach it: its owner or group "
		    "has no mapping in this user namespace (stat shows such an id as "
		    "the overflow id, which this namespace maps too), or a security "
		    "module refuses the capability");
	return cs_steal_fd(&fd);
}

int cs_fcaps_fset(int fd, const struct cs_fcaps *f)
{
	unsigned char buf[CS_VFS_CAP_V3_SIZE];
	int n = cs_fcaps_encode(f, buf, sizeof(buf));

	if (n < 0)
		return n;
	return cs_fcaps_fset_raw(fd, buf, (size_t)n);
}

int cs_fcaps_fset_raw(int fd, const unsigned char *buf, size_t len)
{
	if (len ? fsetxattr(fd, CS_XATTR_CAPS, buf, len, 0) < 0
		: fremovexattr(fd, CS_XATTR_CAPS) < 0 && errno != ENODATA)
		return -errno;
	return 0;
}

int cs_fcaps_remove(const char *path)
{
	if (lremovexattr(path, CS_XATTR_CAPS) < 0)
		return -errno;
	return 0;
}

int cs_fcaps_from_text(const char *text, uint32_t rootid, struct cs_fcaps *out, struct cs_diag *d)
{
	struct cs_iep iep;
	int rc = cs_text_parse(text, strlen(text), &iep, d);

	if (rc < 0)
		return rc;
	memset(out, 0, sizeof(*out));
	if (iep.eff && iep.eff != (iep.prm | iep.inh))
		return cs_diag_set(d, EINVAL, 0, 0, NULL,
				   "the file effective bit is one flag: effective must be empty "
				   "or equal permitted|inheritable");
	out->version = rootid ? 3 : 2;
	out->rootid = rootid;
	out->effective = iep.eff != 0;
	out->permitted = iep.prm;
	out->inheritable = iep.inh;
	return 0;
}

char *cs_fcaps_to_text(const struct cs_fcaps *f)
{
	struct cs_iep iep = {
	    .inh = f->inheritable,
	    .prm = f->permitted,
	    .eff = f->effective ? (f->permitted | f->inheritable) : 0,
	};

	return cs_text_format(&iep);
}
