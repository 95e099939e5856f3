/* SPDX-License-Identifier: MIT */
/* User and group lookups in /etc/passwd and /etc/group, without NSS (see ids.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "capscope/ids.h"
#include "internal/cleanup.h"

/*
 * fgetpwent and fgetgrent return every line, also the NIS compatibility
 * ones ("+", "+name", "-name": their empty ids read as 0) and a line with
 * an empty name. glibc's files module never answers with those (getpwnam
 * of "-bob" is "no such user"), so `run --user=-bob` or `--user ''` gave
 * uid 0 where every other tool says there is no such user. Skipped, as
 * there.
 */
static bool real_entry(const char *name)
{
	return name && name[0] && name[0] != '+' && name[0] != '-';
}

static struct passwd *pw_file_find(const char *name, uid_t uid)
{
	cs_cleanup_fclose FILE *f = NULL;
	struct passwd *pw = NULL;

	if (name && !real_entry(name))
		return NULL;
	f = fopen("/etc/passwd", "re");
	while (f && (pw = fgetpwent(f)))
		if (real_entry(pw->pw_name) &&
		    (name ? strcmp(pw->pw_name, name) == 0 : pw->pw_uid == uid))
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
	cs_cleanup_fclose FILE *f = NULL;
	struct group *gr = NULL;

	if (!real_entry(name))
		return NULL;
	f = fopen("/etc/group", "re");
	while (f && (gr = fgetgrent(f)))
		if (real_entry(gr->gr_name) && strcmp(gr->gr_name, name) == 0)
			break;
	return gr;
}

const struct cs_ids cs_ids_etc_files = {
    .pw_name = pw_file_by_name,
    .pw_uid = pw_file_by_uid,
    .gr_name = gr_file_find,
};
