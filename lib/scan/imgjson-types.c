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
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../internal/json-tree.h"
#include "../internal/util.h"

typedef const struct ydoc_node node;

enum shape {
	STR,	   /* string (digest.Digest is one in JSON) */
	I64,	   /* int64: a JSON number without fraction or exponent, in range */
	B64,	   /* []byte: a string in standard base64, padded */
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

/* image-spec's Descriptor, Platform, Manifest and Index (v1.1), as
 * containerd decodes them (ocispec.Manifest, ocispec.Index). */
static const struct field platform[] = {{"architecture", STR, NULL}, {"os", STR, NULL},
					{"os.version", STR, NULL},   {"os.features", STRV, NULL},
					{"variant", STR, NULL},	     {NULL}};
static const struct field descriptor[] = {
    {"mediaType", STR, NULL},	 {"digest", STR, NULL},		 {"size", I64, NULL},
    {"urls", STRV, NULL},	 {"annotations", STR_MAP, NULL}, {"data", B64, NULL},
    {"platform", OBJ, platform}, {"artifactType", STR, NULL},	 {NULL}};
static const struct field manifest[] = {
    {"schemaVersion", I64, NULL},      {"mediaType", STR, NULL},
    {"artifactType", STR, NULL},       {"config", OBJ, descriptor},
    {"layers", OBJ_ARRAY, descriptor}, {"subject", OBJ, descriptor},
    {"annotations", STR_MAP, NULL},    {NULL}};
static const struct field oci_index[] = {{"schemaVersion", I64, NULL},
					 {"mediaType", STR, NULL},
					 {"artifactType", STR, NULL},
					 {"manifests", OBJ_ARRAY, descriptor},
					 {"subject", OBJ, descriptor},
					 {"annotations", STR_MAP, NULL},
					 {NULL}};

static const char *const wants[] = {
    [STR] = "a string",
    [I64] = "a whole number (int64)",
    [B64] = "a string in base64 (standard, padded)",
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

/* One document's check: the second key of a field (cs_json_get_go), the
 * diagnostic, and the document's name for it ("config", "manifest", ...). */
struct ctx {
	node **dup;
	struct cs_diag *d;
	const char *doc;
};

static int check_fields(node *map, const struct field *f, const char *where, struct ctx *c);

/* strconv.ParseInt(text, 10, 64), which Go's decoder uses for an int64:
 * digits with an optional '-', within range (the JSON grammar has already
 * refused a '+', leading zeros and a lone '-'). */
static bool is_int64(node *n)
{
	uint64_t v = 0, max;
	size_t i = 0;

	if (n->kind != YDOC_SCALAR || n->style != YDOC_PLAIN || !n->n)
		return false;
	i = n->u.text[0] == '-';
	max = i ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (i == n->n)
		return false;
	for (; i < n->n; i++) {
		unsigned dgt = (unsigned)(n->u.text[i] - '0');

		if (dgt > 9 || v > (max - dgt) / 10)
			return false;
		v = v * 10 + dgt;
	}
	return true;
}

/* What base64.StdEncoding.Decode takes, as encoding/json decodes a []byte:
 * the 64 characters in groups of four, the last padded with '=', CR and
 * LF skipped anywhere. */
static bool is_base64(const char *s, size_t len)
{
	size_t k = 0, pad = 0;

	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (ch == '\r' || ch == '\n')
			continue;
		if (ch == '=') {
			pad++;
		} else if (pad || !((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
				    (ch >= '0' && ch <= '9') || ch == '+' || ch == '/')) {
			return false;
		}
		k++;
	}
	return k % 4 == 0 && pad <= 2;
}

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
static bool fits(node *n, const struct field *f, const char *where, node **bad, struct ctx *c,
		 int *err)
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
	case I64:
		return is_int64(n);
	case B64:
		return cs_json_is_string(n) && is_base64(n->u.text, n->n);
	case OBJ:
		if (n->kind != YDOC_MAP)
			return false;
		place(here, where, f->name, -1);
		*err = check_fields(n, f->inner, here, c);
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
				*err = check_fields(it, f->inner, here, c);
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

static int check_fields(node *map, const struct field *f, const char *where, struct ctx *c)
{
	for (; f->name; f++) {
		node *bad = NULL;
		int err = 0;

		if (!fits(cs_json_get_go(map, f->name, c->dup), f, where, &bad, c, &err))
			return ydoc_error(
			    c->d, bad, EINVAL, c->doc,
			    "%s%s%s must be %s: Docker, containerd and CRI-O (Go's "
			    "encoding/json) fail an image whose %s holds anything else "
			    "there",
			    where, *where ? "." : "", f->name, wants[f->shape], c->doc);
		if (err)
			return err;
	}
	return 0;
}

int cs_img_config_types(const struct ydoc_node *root, const struct ydoc_node *cfg,
			const struct ydoc_node **dup, struct cs_diag *d)
{
	struct ctx c = {dup, d, "config"};
	int r = 0;

	/* The bare config object (--image-config) has no blob around it. */
	if (cfg != root)
		r = check_fields(root, blob, "", &c);
	if (!r && cfg && cfg->kind == YDOC_MAP)
		r = check_fields(cfg, config, "config", &c);
	return r;
}

int cs_img_manifest_types(const struct ydoc_node *root, bool index, const struct ydoc_node **dup,
			  struct cs_diag *d)
{
	struct ctx c = {dup, d, index ? "index" : "manifest"};

	return root->kind == YDOC_MAP
		   ? check_fields(root, index ? oci_index : manifest, "", &c)
		   : ydoc_error(d, root, EINVAL, c.doc, "the %s must be a JSON object", c.doc);
}
