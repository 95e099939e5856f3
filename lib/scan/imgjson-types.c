/* SPDX-License-Identifier: MIT */
/*
 * The types of an image config's fields that the model does not read, as
 * the runtimes' decoders check them. containerd and CRI-O decode the blob
 * into the OCI image-spec's Image (ocispec.Image), Docker into moby's
 * image.Image, both with Go's encoding/json: a field of the wrong type
 * (`"ExposedPorts": 5`, a label that is a number, `"history": [1]`) fails
 * the image there, and an image no runtime takes must not be predicted to
 * run. Unknown keys are ignored, as Go ignores them; null is Go's absent.
 * Keys match without case, as Go's do (cs_json_get_go).
 */
#include "imgjson-types.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../internal/json-tree.h"
#include "../internal/util.h"

typedef const struct ydoc_node node;

enum shape {
	STR,	   /* string (digest.Digest is one in JSON) */
	TIME,	   /* *time.Time: a string that time.Parse(time.RFC3339) takes */
	BOOL,	   /* true or false */
	STRV,	   /* []string */
	SET,	   /* map[string]struct{}: an object whose values are objects */
	STR_MAP,   /* map[string]string */
	OBJ,	   /* a struct */
	OBJ_ARRAY, /* []struct */
};

struct field {
	const char *name;
	enum shape shape;
	const struct field *inner; /* OBJ, OBJ_ARRAY: the struct's fields, ending in a NULL name */
};

static const struct field rootfs[] = {{"type", STR, NULL}, {"diff_ids", STRV, NULL}, {NULL}};
static const struct field history[] = {{"created", TIME, NULL},	    {"created_by", STR, NULL},
				       {"author", STR, NULL},	    {"comment", STR, NULL},
				       {"empty_layer", BOOL, NULL}, {NULL}};
/* ocispec.Image around its config (os.version and os.features are the
 * Platform fields image-spec 1.1 inlines). */
static const struct field blob[] = {{"created", TIME, NULL},	     {"author", STR, NULL},
				    {"architecture", STR, NULL},     {"os", STR, NULL},
				    {"os.version", STR, NULL},	     {"os.features", STRV, NULL},
				    {"variant", STR, NULL},	     {"rootfs", OBJ, rootfs},
				    {"history", OBJ_ARRAY, history}, {NULL}};
/* ocispec.ImageConfig's fields beyond the ones the model reads. */
static const struct field config[] = {{"ExposedPorts", SET, NULL}, {"Volumes", SET, NULL},
				      {"Labels", STR_MAP, NULL},   {"StopSignal", STR, NULL},
				      {"ArgsEscaped", BOOL, NULL}, {NULL}};

static const char *const wants[] = {
    [STR] = "a string",
    [TIME] = "a time as RFC 3339 writes it (2006-01-02T15:04:05Z)",
    [BOOL] = "true or false",
    [STRV] = "an array of strings",
    [SET] = "an object whose values are objects",
    [STR_MAP] = "an object whose values are strings",
    [OBJ] = "an object",
    [OBJ_ARRAY] = "an array of objects",
};

static bool is_bool(node *n)
{
	return n->kind == YDOC_SCALAR && n->style == YDOC_PLAIN &&
	       ((n->n == 4 && !memcmp(n->u.text, "true", 4)) ||
		(n->n == 5 && !memcmp(n->u.text, "false", 5)));
}

static int check_fields(node *map, const struct field *f, const char *where, node **dup,
			struct cs_diag *d);

/* where + "." + name, or name at the root, and "[i]" after it when i >= 0:
 * the field's place for a message. */
static void place(char out[96], const char *where, const char *name, long i)
{
	int n = snprintf(out, 96, "%s%s%s", where, *where ? "." : "", name);

	if (i >= 0 && n > 0 && n < 96)
		snprintf(out + n, (size_t)(96 - n), "[%ld]", i);
}

/* Whether n has shape s (null always does); the node at fault in *bad.
 * where is the place of the object that holds n. */
static bool fits(node *n, const struct field *f, const char *where, node **bad, node **dup,
		 struct cs_diag *d, int *err)
{
	char here[96];

	*bad = n;
	if (cs_json_is_null(n))
		return true;
	switch (f->shape) {
	case STR:
		return cs_json_is_string(n);
	case TIME:
		/* Go's time reader takes the string's bytes as written: an
		 * escape, which it does not decode, is no digit to it. */
		return cs_json_is_string(n) && !n->escaped && cs_go_time_ok(n->u.text, n->n);
	case BOOL:
		return is_bool(n);
	case OBJ:
		if (n->kind != YDOC_MAP)
			return false;
		place(here, where, f->name, -1);
		*err = check_fields(n, f->inner, here, dup, d);
		return true;
	case STRV:
	case OBJ_ARRAY:
		if (n->kind != YDOC_SEQ)
			return false;
		for (uint32_t i = 0; i < n->n && !*err; i++) {
			node *it = n->u.items[i];

			*bad = it;
			if (f->shape == STRV ? !cs_json_is_string(it) && !cs_json_is_null(it)
					     : it->kind != YDOC_MAP && !cs_json_is_null(it))
				return false;
			if (f->shape == OBJ_ARRAY && it->kind == YDOC_MAP) {
				place(here, where, f->name, (long)i);
				*err = check_fields(it, f->inner, here, dup, d);
			}
		}
		return true;
	case SET:
	case STR_MAP:
		if (n->kind != YDOC_MAP)
			return false;
		for (uint32_t i = 0; i < n->n; i++) {
			node *v = n->u.pairs[i].value;

			*bad = v;
			if (!cs_json_is_null(v) &&
			    (f->shape == SET ? v->kind != YDOC_MAP : !cs_json_is_string(v)))
				return false;
		}
		return true;
	}
	return false;
}

static int check_fields(node *map, const struct field *f, const char *where, node **dup,
			struct cs_diag *d)
{
	for (; f->name; f++) {
		node *bad = NULL;
		int err = 0;

		if (!fits(cs_json_get_go(map, f->name, dup), f, where, &bad, dup, d, &err))
			return ydoc_error(
			    d, bad, EINVAL, "config",
			    "%s%s%s must be %s: Docker, containerd and CRI-O (Go's "
			    "encoding/json) fail an image whose config holds anything else "
			    "there",
			    where, *where ? "." : "", f->name, wants[f->shape]);
		if (err)
			return err;
	}
	return 0;
}

int cs_img_config_types(const struct ydoc_node *root, const struct ydoc_node *cfg,
			const struct ydoc_node **dup, struct cs_diag *d)
{
	int r = 0;

	/* The bare config object (--image-config) has no blob around it. */
	if (cfg != root)
		r = check_fields(root, blob, "", dup, d);
	if (!r && cfg && cfg->kind == YDOC_MAP)
		r = check_fields(cfg, config, "config", dup, d);
	return r;
}
