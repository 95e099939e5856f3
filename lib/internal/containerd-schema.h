/* SPDX-License-Identifier: MIT */
/* containerd 1.x's config.toml fields and types (lib/runtime/containerd-schema.c). */
#ifndef CAPSCOPE_CONTAINERD_SCHEMA_H
#define CAPSCOPE_CONTAINERD_SCHEMA_H

#include "toml.h"

/* A field of a table and the type go-toml v1 decodes it as; CS_TOML_ARRAY
 * is a []string. Lists end with a NULL key. */
struct cs_ctrd_field {
	const char *key;
	enum cs_toml_type type;
};

/* A sub-table (a field of its table, or a plugin by URI) and its fields. */
struct cs_ctrd_sub {
	const char *key;
	const struct cs_ctrd_field *fields;
};

extern const struct cs_ctrd_field cs_ctrd_root_fields[], cs_ctrd_cri_fields[],
    cs_ctrd_ctrd_fields[], cs_ctrd_runtime_fields[];
/* the root's and the CRI plugin's sub-tables; the other plugins by URI */
extern const struct cs_ctrd_sub cs_ctrd_root_subs[], cs_ctrd_cri_subs[], cs_ctrd_plugin_subs[];

#endif
