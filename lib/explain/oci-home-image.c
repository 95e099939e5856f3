/* SPDX-License-Identifier: MIT */
/*
 * runc 1.1's reading of /etc/passwd (the HOME it sets, the files its user
 * lookup fails on: oci-home.c) when the files are an image's (explain oci
 * --image). The image reader keeps /etc/passwd's bytes (up to 1 MiB,
 * lib/scan/image.c) and follows its symlinks inside the image only, as
 * runc's init opens the file after pivot_root: nothing outside the image
 * is read. os.Open failing (no file, a component not a directory, a link
 * loop) gives runc's defaults: "/", nothing refused.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>

#include "capscope/kubelet.h"
#include "capscope/scan.h"
#include "oci-home.h"

static bool open_fails(int rc)
{
	return rc == -ENOENT || rc == -ENOTDIR || rc == -ELOOP || rc == -ENAMETOOLONG;
}

int cs_oci_image_home_len(const struct cs_image *im, uid_t uid, size_t *len)
{
	const char *data;
	size_t n;
	int rc = cs_image_read_small(im, "/etc/passwd", &data, &n);

	*len = 0;
	if (rc == -E2BIG || rc == -ENOMEM)
		return rc;
	if (open_fails(rc)) {
		*len = 1; /* GetExecUserPath's defaults: "/" */
		return 0;
	}
	if (rc < 0) /* not a regular file, over 1 MiB, not read: the least */
		return 1;
	return cs_oci_runc_home_in(data, n, uid, len);
}

/* A directory at /etc/passwd: cs_image_read_small says only "not regular". */
static int is_dir(const struct cs_image *im)
{
	struct cs_image_stat st;
	int rc = cs_image_lookup(im, "/etc/passwd", true, &st), dir;

	if (rc < 0)
		return rc == -E2BIG || rc == -ENOMEM ? rc : 0;
	dir = S_ISDIR(st.mode);
	cs_image_stat_clear(&st);
	return dir;
}

int cs_oci_image_user_files(const struct cs_image *im, char *why, size_t len)
{
	const char *data;
	size_t n, line;
	int rc = cs_image_read_small(im, "/etc/passwd", &data, &n);

	why[0] = '\0';
	if (rc == -E2BIG || rc == -ENOMEM)
		return rc;
	if (rc == -EINVAL && (rc = is_dir(im)) != 0) {
		if (rc < 0)
			return rc;
		snprintf(why, len,
			 "/etc/passwd in the image is a directory (read: is a directory)");
		return 1;
	}
	/* Missing: the defaults. Over 1 MiB or not read: not known here. */
	if (rc < 0 || !(line = cs_passwd_unreadable_line(data, n)))
		return 0;
	snprintf(why, len,
		 "/etc/passwd in the image has a line of 64 KiB or more (line %zu; "
		 "bufio.Scanner: token too long)",
		 line);
	return 1;
}
