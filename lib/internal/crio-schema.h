/* SPDX-License-Identifier: MIT */
/* The types of crio.conf's fields as CRI-O decodes them (lib/runtime/crio-schema.c). */
#ifndef CAPSCOPE_CRIO_SCHEMA_H
#define CAPSCOPE_CRIO_SCHEMA_H

#include "capscope/diag.h"
#include "toml.h"

/*
 * 0 when every key of the document that names one of CRI-O's fields holds a
 * value of that field's type; else -EINVAL with d at the value (line,
 * column, the field's dotted path). Keys CRI-O has no field for are passed
 * over, as CRI-O's decoder passes over them.
 */
int cs_crio_schema_check(const struct cs_toml_value *root, struct cs_diag *d);

#endif
