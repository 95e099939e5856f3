/* SPDX-License-Identifier: MIT */
#include <nss.h>

#include "commands.h"

/*
 * A static program cannot load NSS modules safely: libnss_systemd, which
 * Debian lists after "files", crashes in one (its thread-local state belongs
 * to the second libc it brings along). Users and groups then come from
 * /etc/passwd and /etc/group, which static glibc reads itself, as runc reads
 * them; an id found in neither shows as a number, a name as unknown.
 */
void cs_static_nss_files_only(void)
{
	__nss_configure_lookup("passwd", "files");
	__nss_configure_lookup("group", "files");
	__nss_configure_lookup("initgroups", "files");
}
