/* SPDX-License-Identifier: MIT */
/* The HOME runc 1.1 gives a process whose process.env has none (oci-home.c). */
#ifndef CAPSCOPE_EXPLAIN_OCI_HOME_H
#define CAPSCOPE_EXPLAIN_OCI_HOME_H

#include <stddef.h>
#include <sys/types.h>

/*
 * The length of the home runc 1.1 sets as HOME for uid, from the rootfs at
 * root (its /etc/passwd, looked up inside it): 0 with *len, 1 when it is
 * not known here (no rootfs, a file runc's lookup fails on or that this
 * reader does not take: *len 0, the least it can be), -ENOMEM.
 */
int cs_oci_runc_home_len(const char *root, uid_t uid, size_t *len);

/* The same from the n bytes of an /etc/passwd at t (an image's): 0 with
 * *len, 1 when not known here (*len 0). */
int cs_oci_runc_home_in(const char *t, size_t n, uid_t uid, size_t *len);

/*
 * Whether runc 1.1's reading of the rootfs's /etc/passwd for the process's
 * user (GetExecUserPath: the file scanned whole, bufio's 64 KiB lines; a
 * directory there) fails: 1 with why filled, else 0.
 */
int cs_oci_runc_user_files(const char *root, char *why, size_t len);

struct cs_image;
/*
 * Both from an image's /etc/passwd instead (explain oci --image: runc reads
 * the file in the rootfs it unpacks to; symlinks followed inside the
 * image, as in the container after pivot_root). The home: 0, 1, -ENOMEM
 * or -E2BIG (the image's lookup bound: cs_image_lookup_bound says it).
 * The files: 1 with why filled, 0, or -E2BIG / -ENOMEM.
 */
int cs_oci_image_home_len(const struct cs_image *im, uid_t uid, size_t *len);
int cs_oci_image_user_files(const struct cs_image *im, char *why, size_t len);

#endif
