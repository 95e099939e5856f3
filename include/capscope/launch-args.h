/* SPDX-License-Identifier: MIT */
/*
 * capscope run's option strings turned into a struct cs_launch_plan: users,
 * groups and securebits by name or number. Errors are whole sentences in
 * d->message ("--user: no such user 'x'"), -ENOMEM when memory ran out.
 */
#ifndef CAPSCOPE_LAUNCH_ARGS_H
#define CAPSCOPE_LAUNCH_ARGS_H

#include <grp.h>
#include <pwd.h>

#include "diag.h"
#include "launch.h"

/*
 * Where user and group names are looked up: cs_ids_nss (getpwnam & co.) or
 * cs_ids_etc_files, which reads /etc/passwd and /etc/group directly — a
 * static entrypoint wrapper cannot count on the shared libraries glibc's
 * NSS would load from the image. Separate objects, so a static program
 * that uses only the files links no NSS.
 */
struct cs_ids {
	struct passwd *(*pw_name)(const char *name);
	struct passwd *(*pw_uid)(uid_t uid);
	struct group *(*gr_name)(const char *name);
};
CS_EXPORT extern const struct cs_ids cs_ids_nss;
CS_EXPORT extern const struct cs_ids cs_ids_etc_files;

/* --user USER|UID; also takes the passwd group unless p->set_gid. */
CS_EXPORT int cs_launch_args_user(struct cs_launch_plan *p, const char *user,
				  const struct cs_ids *ids, struct cs_diag *d);
/* A group name or number; opt names the option in the message. */
CS_EXPORT int cs_launch_args_gid(const char *opt, const char *s, const struct cs_ids *ids,
				 gid_t *out, struct cs_diag *d);
/* --groups LIST: comma-separated names or numbers, no empty entries. */
CS_EXPORT int cs_launch_args_groups(struct cs_launch_plan *p, const char *list,
				    const struct cs_ids *ids, struct cs_diag *d);
/* --securebits: a number (decimal or 0x hex) or comma-separated names. */
CS_EXPORT int cs_launch_args_securebits(const char *s, unsigned *out, struct cs_diag *d);

#endif
