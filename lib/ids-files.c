/* SPDX-License-Identifier: MIT */
/* User and group lookups in /etc/passwd and /etc/group, without NSS (see ids.h). */
#include <stdio.h>
#include <string.h>

#include "capscope/ids.h"
#include "internal/cleanup.h"

static struct passwd *pw_file_find(const char *name, uid_t uid)
{
	cs_cleanup_fclose FILE *f = fopen("/etc/passwd", "re");
	struct passwd *pw = NULL;

	while (f && (pw = fgetpwent(f)))
		if (name ? strcmp(pw->pw_name, name) == 0 : pw->pw_uid == uid)
			break;
	return pw;
}

static struct passwd *pw_file_by_name(const char *name)
{
	return pw_file_find(name, 0);
}

static struct passwd *pw_file_by_uid(uid_t uid)
{
	return pw_file_find(NULL, uid);
}

static struct group *gr_file_find(const char *name)
{
	cs_cleanup_fclose FILE *f = fopen("/etc/group", "re");
	struct group *gr = NULL;

	while (f && (gr = fgetgrent(f)))
		if (strcmp(gr->gr_name, name) == 0)
			break;
	return gr;
}

const struct cs_ids cs_ids_etc_files = {
    .pw_name = pw_file_by_name,
    .pw_uid = pw_file_by_uid,
    .gr_name = gr_file_find,
};
