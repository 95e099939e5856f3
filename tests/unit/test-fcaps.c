/* SPDX-License-Identifier: MIT */
#include "cmocka-wrap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "capscope/fcaps.h"

static void decode_versions(void **state)
{
	static const unsigned char v1[] = {0x01, 0, 0, 0x01, 0x00, 0x04, 0, 0, 0, 0, 0, 0};
	static const unsigned char v2[] = {0x00, 0, 0,	  0x02, 0x00, 0x20, 0, 0, 0x01, 0,
					   0,	 0, 0x00, 0x02, 0,    0,    0, 0, 0,	0};
	static const unsigned char v3[] = {0x01, 0, 0, 0x03, 0x01, 0x20, 0, 0, 0,    0,	   0, 0,
					   0,	 0, 0, 0,    0,	   0,	 0, 0, 0x92, 0x10, 0, 0};
	struct cs_fcaps f;
	struct cs_diag d;

	(void)state;
	assert_int_equal(cs_fcaps_decode(v1, sizeof(v1), &f, &d), 0);
	assert_int_equal(f.version, 1);
	assert_true(f.effective);
	assert_int_equal(f.permitted, CS_BIT(10));
	assert_int_equal(cs_fcaps_decode(v2, sizeof(v2), &f, &d), 0);
	assert_int_equal(f.version, 2);
	assert_false(f.effective);
	assert_int_equal(f.permitted, CS_BIT(13) | CS_BIT(41));
	assert_int_equal(f.inheritable, 1);
	assert_int_equal(cs_fcaps_decode(v3, sizeof(v3), &f, &d), 0);
	assert_int_equal(f.version, 3);
	assert_int_equal(f.rootid, 4242);
	assert_int_equal(f.permitted, CS_BIT(0) | CS_BIT(13));
}

static void decode_hostile(void **state)
{
	unsigned char b[64];
	struct cs_fcaps f;
	struct cs_diag d;

	(void)state;
	memset(b, 0, sizeof(b));
	assert_int_equal(cs_fcaps_decode(b, 0, &f, &d), -EINVAL);
	assert_int_equal(cs_fcaps_decode(b, 3, &f, &d), -EINVAL);
	/* Revision 2 with the sizes of 1 and 3, and other sizes. */
	b[3] = 0x02;
	assert_int_equal(cs_fcaps_decode(b, 12, &f, &d), -EINVAL);
	assert_non_null(strstr(d.message, "must be 20 bytes"));
	assert_int_equal(cs_fcaps_decode(b, 24, &f, &d), -EINVAL);
	assert_int_equal(cs_fcaps_decode(b, 21, &f, &d), -EINVAL);
	b[3] = 0x01;
	assert_int_equal(cs_fcaps_decode(b, 20, &f, &d), -EINVAL);
	b[3] = 0x03;
	assert_int_equal(cs_fcaps_decode(b, 20, &f, &d), -EINVAL);
	assert_int_equal(cs_fcaps_decode(b, 28, &f, &d), -EINVAL);
	/* Unknown revisions. */
	b[3] = 0x04;
	assert_int_equal(cs_fcaps_decode(b, 24, &f, &d), -EINVAL);
	assert_non_null(strstr(d.message, "unknown revision 0x04"));
	b[3] = 0x00;
	assert_int_equal(cs_fcaps_decode(b, 20, &f, &d), -EINVAL);
	b[3] = 0xff;
	assert_int_equal(cs_fcaps_decode(b, 24, &f, &d), -EINVAL);
	/* Stray flag bits: the kernel ignores them, so do we, but we say so. */
	b[3] = 0x02;
	b[0] = 0x01 | 0x02 | 0x80;
	b[1] = 0x10;
	assert_int_equal(cs_fcaps_decode(b, 20, &f, &d), 0);
	assert_true(f.effective);
	assert_int_equal(f.unknown_flags, 0x1082);
}

static void rootids(void **state)
{
	static const uint32_t ids[] = {0, 4242, 0x80000000U, 0xffffffffU};
	unsigned char b[CS_VFS_CAP_V3_SIZE];
	struct cs_fcaps f = {.version = 3, .effective = true, .permitted = CS_BIT(10)}, g;

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		f.rootid = ids[i];
		assert_int_equal(cs_fcaps_encode(&f, b, sizeof(b)), 24);
		assert_int_equal(cs_fcaps_decode(b, 24, &g, NULL), 0);
		assert_int_equal(g.rootid, ids[i]);
		assert_int_equal(g.version, 3);
	}
	assert_int_equal(cs_fcaps_encode(&f, b, 20), -ENOSPC);
	f.version = 1;
	f.permitted = CS_BIT(40);
	assert_int_equal(cs_fcaps_encode(&f, b, sizeof(b)), -EINVAL); /* v1: 32 bits */
	f.version = 7;
	assert_int_equal(cs_fcaps_encode(&f, b, sizeof(b)), -EINVAL);
}

static void from_text(void **state)
{
	struct cs_fcaps f;
	struct cs_diag d;
	char *t;

	(void)state;
	assert_int_equal(cs_fcaps_from_text("cap_net_bind_service+ep", 0, &f, &d), 0);
	assert_int_equal(f.version, 2);
	assert_true(f.effective);
	assert_int_equal(f.permitted, CS_BIT(10));
	t = cs_fcaps_to_text(&f);
	assert_string_equal(t, "cap_net_bind_service=ep");
	free(t);
	assert_int_equal(cs_fcaps_from_text("cap_net_raw+p", 100000, &f, &d), 0);
	assert_int_equal(f.version, 3);
	assert_int_equal(f.rootid, 100000);
	/* The file has one effective bit: these cannot be encoded. */
	assert_int_equal(cs_fcaps_from_text("cap_chown+ep cap_kill+p", 0, &f, &d), -EINVAL);
	assert_non_null(strstr(d.message, "effective"));
	assert_int_equal(cs_fcaps_from_text("all=ip cap_chown+e", 0, &f, &d), -EINVAL);
	assert_int_equal(cs_fcaps_from_text("cap_chown+e", 0, &f, &d), -EINVAL);
	/* +ei: effective equals permitted|inheritable. */
	assert_int_equal(cs_fcaps_from_text("cap_chown+ei", 0, &f, &d), 0);
	assert_true(f.effective);
	assert_int_equal(f.inheritable, 1);
	/* "=" is a valid, empty value. */
	assert_int_equal(cs_fcaps_from_text("=", 0, &f, &d), 0);
	assert_int_equal(f.permitted, 0);
	t = cs_fcaps_to_text(&f);
	assert_string_equal(t, "=");
	free(t);
	assert_int_equal(cs_fcaps_from_text("cap_bogus+p", 0, &f, &d), -EINVAL);
}

/* Checked before anything is written: what is not a regular file never opens. */
static void open_for_set(void **state)
{
	char dir[] = "/tmp/capscope-fcaps-XXXXXX", p[64], q[64];
	unsigned char old[CS_VFS_CAP_V3_SIZE];
	size_t oldlen = 99;
	struct cs_diag d = {0};
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/fifo", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	/* a fifo would block an open for reading: refused from lstat alone */
	assert_int_equal(cs_fcaps_open_for_set(p, old, &oldlen, &d), -EINVAL);
	assert_non_null(strstr(d.message, "not a regular file"));
	assert_int_equal(oldlen, 0);
	unlink(p);
	snprintf(q, sizeof(q), "%s/file", dir);
	fd = creat(q, 0755);
	assert_true(fd >= 0);
	close(fd);
	snprintf(p, sizeof(p), "%s/link", dir);
	assert_int_equal(symlink(q, p), 0);
	assert_int_equal(cs_fcaps_open_for_set(p, old, &oldlen, &d), -EINVAL);
	assert_non_null(strstr(d.message, "symlink"));
	unlink(p);
	assert_int_equal(cs_fcaps_open_for_set(dir, old, &oldlen, &d), -EINVAL);
	snprintf(p, sizeof(p), "%s/missing", dir);
	assert_int_equal(cs_fcaps_open_for_set(p, old, &oldlen, &d), -ENOENT);
	/* a regular file: an fd, or EPERM/EOPNOTSUPP naming why (no CAP_SETFCAP, no xattrs) */
	fd = cs_fcaps_open_for_set(q, old, &oldlen, &d);
	if (fd >= 0) {
		struct cs_fcaps f;

		assert_int_equal(oldlen, 0);
		assert_int_equal(cs_fcaps_from_text("cap_chown+ep", 0, &f, &d), 0);
		if (cs_fcaps_fset(fd, &f) == 0) {
			assert_true(getxattr(q, CS_XATTR_CAPS, old, sizeof(old)) > 0);
			assert_int_equal(cs_fcaps_fset_raw(fd, NULL, 0), 0); /* undo: removed */
			assert_true(getxattr(q, CS_XATTR_CAPS, old, sizeof(old)) < 0);
		}
		close(fd);
	} else {
		assert_true(fd == -EPERM || fd == -EOPNOTSUPP);
		assert_true(d.message[0] != '\0');
	}
	unlink(q);
	rmdir(dir);
}

/*
 * Eleventh pass: the write opens each path again (no descriptor is held per
 * path); a name that now leads to another file is refused, never written.
 */
static void reopen_same_file(void **state)
{
	char dir[] = "/tmp/capscope-fcaps-XXXXXX", p[64], q[64];
	unsigned char old[CS_VFS_CAP_V3_SIZE];
	size_t oldlen;
	struct cs_fcaps_target t;
	struct cs_diag d = {0};
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/file", dir);
	snprintf(q, sizeof(q), "%s/other", dir);
	close(creat(p, 0755));
	close(creat(q, 0755));
	if (cs_fcaps_check(p, &t, &d) < 0) { /* no CAP_SETFCAP or no xattrs here */
		assert_true(d.message[0] != '\0');
	} else {
		fd = cs_fcaps_reopen(p, &t, old, &oldlen, &d);
		assert_true(fd >= 0);
		close(fd);
		assert_int_equal(rename(q, p), 0); /* the name now leads to another file */
		assert_int_equal(cs_fcaps_reopen(p, &t, old, &oldlen, &d), -ESTALE);
		assert_non_null(strstr(d.message, "another file"));
	}
	unlink(p);
	unlink(q);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(decode_versions), cmocka_unit_test(reopen_same_file),
	    cmocka_unit_test(decode_hostile),  cmocka_unit_test(rootids),
	    cmocka_unit_test(from_text),       cmocka_unit_test(open_for_set),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
