/* SPDX-License-Identifier: MIT */
/* User and group lookups in /etc/passwd and /etc/group, without NSS (see ids.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "capscope/ids.h"

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

/*
 * errno as getpwnam(3) leaves it: 0 when there is no such entry, the reason
 * when the file could not be read (EMFILE under a low RLIMIT_NOFILE, EACCES),
 * so a caller does not say "no such user" of a database it never read.
 */
static struct passwd *pw_file_find(const char *name, uid_t uid)
{
	FILE *f;
	struct passwd *pw = NULL;

	errno = 0;
	if (name && !real_entry(name))
		return NULL;
	if (!(f = fopen("/etc/passwd", "re")))
		return NULL;
	while ((pw = fgetpwent(f)))
		if (real_entry(pw->pw_name) &&
		    (name ? strcmp(pw->pw_name, name) == 0 : pw->pw_uid == uid))
			break;
	fclose(f);
	errno = 0; /* fgetpwent's end of file (ENOENT) is "no such entry" */
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

/* errno as for pw_file_find. */
static struct group *gr_file_find(const char *name)
{
	FILE *f;
	struct group *gr = NULL;

	errno = 0;
	if (!real_entry(name))
		return NULL;
	if (!(f = fopen("/etc/group", "re")))
		return NULL;
	while ((gr = fgetgrent(f)))
		if (real_entry(gr->gr_name) && strcmp(gr->gr_name, name) == 0)
			break;
	fclose(f);
	errno = 0;
	return gr;
}

const struct cs_ids cs_ids_etc_files = {
    .pw_name = pw_file_by_name,
    .pw_uid = pw_file_by_uid,
    .gr_name = gr_file_find,
};
