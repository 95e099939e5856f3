/* SPDX-License-Identifier: MIT */
/*
 * Does this process's CAP_SETFCAP reach a file? The kernel asks
 * capable_wrt_inode_uidgid (security/commoncap.c cap_convert_nscap): the
 * capability in the caller's user namespace, and the file's owner and
 * group both mapped there. stat cannot say the second part: it shows an
 * unmapped id as the overflow id (65534), which a namespace may map too
 * (podman's usual 0 100000 65536 does), and an idmapped mount moves ids.
 * The kernel is asked instead, by a write it refuses in every case: a
 * version 3 value whose root id (4294967295) no namespace maps.
 * cap_convert_nscap checks the header, then the capability over the
 * inode (EPERM), then the root id (EINVAL), before anything is written.
 */
#ifndef CAPSCOPE_INTERNAL_FCAPS_REACH_H
#define CAPSCOPE_INTERNAL_FCAPS_REACH_H

#include <stddef.h>

/*
 * 1 when the kernel says CAP_SETFCAP reaches the file open as fd, 0 when it
 * says not (EPERM), 2 when it was not asked or answered otherwise (a
 * kernel before 4.14, which knows no version 3 value, is never asked: it
 * would write it). old/oldlen: the file's value now, put back should a
 * kernel ever keep the probe's; -errno when that put back failed.
 */
int cs_fcaps_setfcap_reaches(int fd, const unsigned char *old, size_t oldlen);

#endif
