/* SPDX-License-Identifier: MIT */
/* CAP_SETFCAP over one file, asked of the kernel (see internal/fcaps-reach.h). */
#include <errno.h>
#include <string.h>
#include <sys/xattr.h>
#include <linux/capability.h>

#include "capscope/fcaps.h"
#include "internal/fcaps-reach.h"
#include "internal/kernel-release.h"

int cs_fcaps_setfcap_reaches(int fd, const unsigned char *old, size_t oldlen)
{
	/* struct vfs_ns_cap_data, little-endian: revision 3, no sets, root id 4294967295. */
	unsigned char v[CS_VFS_CAP_V3_SIZE] = {0};

	/* Linux 4.14 (8db6c34f1dbc) brought version 3 and cap_convert_nscap. */
	if (!cs_kernel_release_at_least(4, 14))
		return 2;
	v[3] = VFS_CAP_REVISION_3 >> 24;
	memset(v + 20, 0xff, 4);
	if (fsetxattr(fd, CS_XATTR_CAPS, v, sizeof(v), 0) == 0) {
		/* Never seen: a kernel that kept it gets the old value back. */
		if (oldlen ? fsetxattr(fd, CS_XATTR_CAPS, old, oldlen, 0) < 0
			   : fremovexattr(fd, CS_XATTR_CAPS) < 0)
			return -errno;
		return 2;
	}
	return errno == EPERM ? 0 : errno == EINVAL ? 1 : 2;
}
