/* SPDX-License-Identifier: MIT */
#ifndef CAPSCOPE_INTERNAL_JSON_TYPES_H
#define CAPSCOPE_INTERNAL_JSON_TYPES_H

#include "capscope/diag.h"
#include "../k8s/ydoc.h"

/*
 * The Go types of a JSON document's fields, as encoding/json checks them
 * when it decodes into a struct: a field of another type fails the whole
 * decode there. Unknown keys are ignored, null is Go's absent, keys match
 * without case (cs_json_get_go). Used for the fields a reader does not
 * read itself (lib/scan/imgjson-types.c, lib/oci-types.c).
 */
enum cs_json_shape {
	CS_JS_STR,	 /* string */
	CS_JS_BOOL,	 /* true or false */
	CS_JS_STRV,	 /* []string */
	CS_JS_SET,	 /* map[string]struct{}: an object whose values are objects */
	CS_JS_STR_MAP,	 /* map[string]string */
	CS_JS_BOOL_MAP,	 /* map[string]bool */
	CS_JS_OBJ,	 /* a struct (inner) */
	CS_JS_OBJ_ARRAY, /* []struct (inner) */
	CS_JS_OBJ_MAP,	 /* map[string]struct (inner) */
	CS_JS_U16,	 /* uint16: digits only (strconv.ParseUint) */
	CS_JS_U32,	 /* uint32 */
	CS_JS_U64,	 /* uint64, uint */
	CS_JS_I64,	 /* int64, int: an optional '-', digits (strconv.ParseInt) */
	CS_JS_U32V,	 /* []uint32 */
	CS_JS_B64,	 /* []byte: a string in standard base64, padded */
	CS_JS_TIME,	 /* time.Time: a string time.Parse(time.RFC3339) takes, as written */
};

struct cs_json_field {
	const char *name;
	enum cs_json_shape shape;
	const struct cs_json_field *inner; /* OBJ, OBJ_ARRAY, OBJ_MAP: ends in a NULL name */
};

/*
 * Check map's fields against f (a NULL name ends it). where names map in
 * messages ("config", "linux.resources"; "" for the root), field is the
 * diagnostic's field (NULL: the path of the value at fault), why ends the
 * message ("runc fails the bundle ...").
 * 0, or -EINVAL with d at the first value of another type. A second key for
 * one field (any case) lands in *dup, as cs_json_get_go does.
 */
int cs_json_check_types(const struct ydoc_node *map, const struct cs_json_field *f,
			const char *where, const char *field, const char *why,
			const struct ydoc_node **dup, struct cs_diag *d);

#endif
