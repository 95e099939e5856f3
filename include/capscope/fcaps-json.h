/* SPDX-License-Identifier: MIT */
/* capscope file get --json: one file and its capabilities. */
#ifndef CAPSCOPE_FCAPS_JSON_H
#define CAPSCOPE_FCAPS_JSON_H

#include <stdbool.h>

#include "fcaps.h"
#include "json.h"

/*
 * {"path", "regular", "file_caps": {"text", "version", "rootid" (null
 * unless version 3), "effective", "permitted", "inheritable",
 * "unknown_flags"}}; file_caps is null when f is NULL (no capabilities or
 * not a regular file). text is cs_fcaps_to_text(f).
 */
CS_EXPORT void cs_fcaps_file_json(struct cs_json *j, const char *path, bool regular,
				  const struct cs_fcaps *f, const char *text);

#endif
