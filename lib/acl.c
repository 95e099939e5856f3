/* SPDX-License-Identifier: MIT */
/*
 * POSIX access ACLs as the kernel stores and reads them (kernel.h): the
 * system.posix_acl_access value (fs/posix_acl.c posix_acl_from_xattr,
 * posix_acl_valid). Which entry decides is kernel.c's (posix_acl_permission).
 * An ACL can let a named user or group search a 0700 directory, or stop a
 * named user at a 0755 one; the mode bits alone miss both.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#include "capscope/kernel.h"

#define ACL_XATTR	  "system.posix_acl_access"
#define ACL_XATTR_VERSION 2
#define ACL_MAX_BYTES	  65536 /* the largest value an attribute can hold */

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* posix_acl_valid's walk over the tags: the next state, or -1 when out of order. */
static int next_state(int state, uint16_t tag, bool *needs_mask)
{
	switch (tag) {
	case CS_ACL_USER_OBJ:
		return state == CS_ACL_USER_OBJ ? CS_ACL_USER : -1;
	case CS_ACL_USER:
		*needs_mask = true;
		return state == CS_ACL_USER ? state : -1;
	case CS_ACL_GROUP_OBJ:
		return state == CS_ACL_USER ? CS_ACL_GROUP : -1;
	case CS_ACL_GROUP:
		*needs_mask = true;
		return state == CS_ACL_GROUP ? state : -1;
	case CS_ACL_MASK:
		return state == CS_ACL_GROUP ? CS_ACL_OTHER : -1;
	case CS_ACL_OTHER:
		return state == CS_ACL_OTHER || (state == CS_ACL_GROUP && !*needs_mask) ? 0 : -1;
	}
	return -1;
}

int cs_acl_parse(const void *value, size_t len, struct cs_acl **out)
{
	const unsigned char *v = value;
	size_t n = len >= 4 ? (len - 4) / 8 : 0;
	struct cs_acl *acl;
	bool needs_mask = false;
	int state = CS_ACL_USER_OBJ;

	*out = NULL;
	if (len < 4 || (len - 4) % 8 || le32(v) != ACL_XATTR_VERSION)
		return -EINVAL;
	if (!n)
		return 0;
	if (!(acl = calloc(1, sizeof(*acl) + n * sizeof(acl->e[0]))))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const unsigned char *e = v + 4 + 8 * i;
		struct cs_acl_entry *a = &acl->e[i];

		a->tag = (uint16_t)(e[0] | e[1] << 8);
		a->perm = (uint16_t)(e[2] | e[3] << 8);
		a->id = le32(e + 4);
		/* posix_acl_from_xattr: a named entry's id must map (-1 never does). */
		if ((a->perm & ~7u) || state == 0 ||
		    ((a->tag == CS_ACL_USER || a->tag == CS_ACL_GROUP) && a->id == UINT32_MAX) ||
		    (state = next_state(state, a->tag, &needs_mask)) < 0) {
			free(acl);
			return -EINVAL;
		}
	}
	if (state != 0) {
		free(acl);
		return -EINVAL;
	}
	acl->n = n;
	*out = acl;
	return 0;
}

int cs_acl_fget(int fd, struct cs_acl **out)
{
	unsigned char small[512], *buf = small;
	size_t size = sizeof(small);
	char proc[64];
	ssize_t n;
	int rc;

	*out = NULL;
	/* An O_PATH descriptor has no fgetxattr; its /proc/self/fd link names the inode. */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	for (;;) {
		n = fgetxattr(fd, ACL_XATTR, buf, size);
		if (n < 0 && errno == EBADF && fd >= 0)
			n = getxattr(proc, ACL_XATTR, buf, size);
		/* Most ACLs fit the first buffer; a longer one is read again at its size. */
		if (n >= 0 || errno != ERANGE || buf != small)
			break;
		size = ACL_MAX_BYTES;
		if (!(buf = malloc(size)))
			return -ENOMEM;
	}
	if (n < 0)
		rc = errno == ENODATA || errno == EOPNOTSUPP ? 0 : -errno;
	else
		rc = cs_acl_parse(buf, (size_t)n, out);
	if (buf != small)
		free(buf);
	return rc;
}

struct cs_acl *cs_acl_dup(const struct cs_acl *acl)
{
	size_t size = sizeof(*acl) + acl->n * sizeof(acl->e[0]);
	struct cs_acl *c = malloc(size);

	return c ? memcpy(c, acl, size) : NULL;
}
