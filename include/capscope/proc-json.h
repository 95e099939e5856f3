/* SPDX-License-Identifier: MIT */
/* JSON writers of process snapshots (capscope-ps(1) documents the shape). */
#ifndef CAPSCOPE_PROC_JSON_H
#define CAPSCOPE_PROC_JSON_H

#include "json.h"
#include "proc.h"

/* One process with its differing threads, as an object. */
CS_EXPORT void cs_proc_info_json(struct cs_json *j, const struct cs_proc_info *v);
/* {"processes": [...]} */
CS_EXPORT void cs_proc_snapshot_json(struct cs_json *j, const struct cs_proc_snapshot *s);

#endif
