/* SPDX-License-Identifier: MIT */
/*
 * capscope run's option strings turned into a struct cs_launch_plan: users,
 * groups and securebits by name or number. Errors are whole sentences in
 * d->message ("--user: no such user 'x'"), -ENOMEM when memory ran out.
 */
#ifndef CAPSCOPE_LAUNCH_ARGS_H
#define CAPSCOPE_LAUNCH_ARGS_H

#include "diag.h"
#include "ids.h"
#include "launch.h"

/* --user USER|UID; also takes the passwd group unless p->set_gid. */
CS_EXPORT int cs_launch_args_user(struct cs_launch_plan *p, const char *user,
				  const struct cs_ids *ids, struct cs_diag *d);
/* A group name or number; opt names the option in the message. */
CS_EXPORT int cs_launch_args_gid(const char *opt, const char *s, const struct cs_ids *ids,
				 gid_t *out, struct cs_diag *d);
/* --groups LIST: comma-separated names or numbers, no empty entries. */
CS_EXPORT int cs_launch_args_groups(struct cs_launch_plan *p, const char *list,
				    const struct cs_ids *ids, struct cs_diag *d);
/*
 * --inh, --ambient, --bounding CAPS: capability names (any spelling
 * cs_cap_from_name reads, or "all") separated by one comma and nothing else,
 * as setpriv's lists; "" is the empty set. A blank anywhere (cs_names_parse
 * reads "chown kill" as two names) or an empty name is -EINVAL with the
 * column and the word; the caller names the option.
 */
CS_EXPORT int cs_launch_args_caps(const char *s, cs_mask_t *out, struct cs_diag *d);
/* --securebits: a number (decimal or 0x hex) or comma-separated names. */
CS_EXPORT int cs_launch_args_securebits(const char *s, unsigned *out, struct cs_diag *d);

#endif
