/* SPDX-License-Identifier: MIT */
/*
 * Where user and group names are looked up: cs_ids_nss (getpwnam & co.,
 * whatever /etc/nsswitch.conf names) or cs_ids_etc_files, which reads
 * /etc/passwd and /etc/group itself. A static program cannot load NSS
 * modules safely (Debian's libnss_systemd crashes in one), and a static
 * entrypoint wrapper cannot count on the libraries NSS would load from an
 * image; both take the files, as runc does for a container's user. Separate
 * objects, so a program that uses only the files links no NSS.
 */
#ifndef CAPSCOPE_IDS_H
#define CAPSCOPE_IDS_H

#include <grp.h>
#include <pwd.h>

#include "caps.h"

struct cs_ids {
	struct passwd *(*pw_name)(const char *name);
	struct passwd *(*pw_uid)(uid_t uid);
	struct group *(*gr_name)(const char *name);
};
CS_EXPORT extern const struct cs_ids cs_ids_nss;
CS_EXPORT extern const struct cs_ids cs_ids_etc_files;

#endif
