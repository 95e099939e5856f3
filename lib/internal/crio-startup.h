/* SPDX-License-Identifier: MIT */
/* CRI-O's start-up checks on values beyond the capabilities (lib/runtime/crio-startup.c). */
#ifndef CAPSCOPE_CRIO_STARTUP_H
#define CAPSCOPE_CRIO_STARTUP_H

#include <errno.h>
#include <stdbool.h>

#include "capscope/cri.h"
#include "toml.h"

/* Record the values of one file (typed by the schema check first), from: its name. */
void cs_crio_startup_take(struct cs_crio_startup *st, const struct cs_toml_value *root,
			  const char *from);

/* After every file: 0, or -EINVAL with d at the first value CRI-O refuses;
 * the checks CRI-O makes before default_capabilities', or (after_caps) after. */
int cs_crio_startup_check(const struct cs_crio_startup *st, bool after_caps, struct cs_diag *d);

/* Why CRI-O refuses one runtime handler or workload table (NULL: it does not,
 * as far as the host is not asked); *at: the value to point at
 * (lib/runtime/crio-tables.c). */
const char *cs_crio_handler_refused(const struct cs_toml_value *t, const char *name,
				    const struct cs_toml_value **at, bool *split);
const char *cs_crio_workload_refused(const struct cs_toml_value *t, const struct cs_toml_value **at,
				     bool *split);

#endif
