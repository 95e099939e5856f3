/* SPDX-License-Identifier: MIT */
/*
 * The types of an image's JSON fields that the model does not read, as
 * the runtimes' decoders check them. containerd and CRI-O decode the config
 * blob into the OCI image-spec's Image (ocispec.Image), the manifest and
 * index into ocispec.Manifest and ocispec.Index, Docker the config into
 * moby's image.Image, all with Go's encoding/json: a field of the wrong
 * type (`"ExposedPorts": 5`, a label that is a number, `"history": [1]`,
 * a descriptor's `"size": "12"`) fails the image there, and an image no
 * runtime takes must not be predicted to run. Unknown keys are ignored, as
 * Go ignores them; null is Go's absent. Keys match without case, as Go's do
 * (cs_json_get_go). The checks themselves are lib/json-types.c's.
 */
#include "imgjson-types.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../internal/json-types.h"

#define STR	  CS_JS_STR
#define I64	  CS_JS_I64
#define B64	  CS_JS_B64
#define TIME	  CS_JS_TIME
#define BOOL	  CS_JS_BOOL
#define STRV	  CS_JS_STRV
#define SET	  CS_JS_SET
#define STR_MAP	  CS_JS_STR_MAP
#define OBJ	  CS_JS_OBJ
#define OBJ_ARRAY CS_JS_OBJ_ARRAY

static const struct cs_json_field rootfs[] = {
    {"type", STR, NULL}, {"diff_ids", STRV, NULL}, {NULL}};
static const struct cs_json_field history[] = {
    {"created", TIME, NULL}, {"created_by", STR, NULL},	  {"author", STR, NULL},
    {"comment", STR, NULL},  {"empty_layer", BOOL, NULL}, {NULL}};
/* ocispec.Image around its config (os.version and os.features are the
 * Platform fields image-spec 1.1 inlines). */
static const struct cs_json_field blob[] = {
    {"created", TIME, NULL},	     {"author", STR, NULL},
    {"architecture", STR, NULL},     {"os", STR, NULL},
    {"os.version", STR, NULL},	     {"os.features", STRV, NULL},
    {"variant", STR, NULL},	     {"rootfs", OBJ, rootfs},
    {"history", OBJ_ARRAY, history}, {NULL}};
/* ocispec.ImageConfig's fields beyond the ones the model reads. */
static const struct cs_json_field config[] = {
    {"ExposedPorts", SET, NULL}, {"Volumes", SET, NULL},      {"Labels", STR_MAP, NULL},
    {"StopSignal", STR, NULL},	 {"ArgsEscaped", BOOL, NULL}, {NULL}};

/* image-spec's Descriptor, Platform, Manifest and Index (v1.1), as
 * containerd decodes them (ocispec.Manifest, ocispec.Index). */
static const struct cs_json_field platform[] = {
    {"architecture", STR, NULL}, {"os", STR, NULL},	 {"os.version", STR, NULL},
    {"os.features", STRV, NULL}, {"variant", STR, NULL}, {NULL}};
static const struct cs_json_field descriptor[] = {
    {"mediaType", STR, NULL},	 {"digest", STR, NULL},		 {"size", I64, NULL},
    {"urls", STRV, NULL},	 {"annotations", STR_MAP, NULL}, {"data", B64, NULL},
    {"platform", OBJ, platform}, {"artifactType", STR, NULL},	 {NULL}};
static const struct cs_json_field manifest[] = {
    {"schemaVersion", I64, NULL},      {"mediaType", STR, NULL},
    {"artifactType", STR, NULL},       {"config", OBJ, descriptor},
    {"layers", OBJ_ARRAY, descriptor}, {"subject", OBJ, descriptor},
    {"annotations", STR_MAP, NULL},    {NULL}};
static const struct cs_json_field oci_index[] = {{"schemaVersion", I64, NULL},
						 {"mediaType", STR, NULL},
						 {"artifactType", STR, NULL},
						 {"manifests", OBJ_ARRAY, descriptor},
						 {"subject", OBJ, descriptor},
						 {"annotations", STR_MAP, NULL},
						 {NULL}};

int cs_img_config_types(const struct ydoc_node *root, const struct ydoc_node *cfg,
			const struct ydoc_node **dup, struct cs_diag *d)
{
	static const char why[] = "Docker, containerd and CRI-O (Go's encoding/json) fail an "
				  "image whose config holds anything else there";
	int r = 0;

	/* The bare config object (--image-config) has no blob around it. */
	if (cfg != root)
		r = cs_json_check_types(root, blob, "", "config", why, dup, d);
	if (!r && cfg && cfg->kind == YDOC_MAP)
		r = cs_json_check_types(cfg, config, "config", "config", why, dup, d);
	return r;
}

int cs_img_manifest_types(const struct ydoc_node *root, bool index, const struct ydoc_node **dup,
			  struct cs_diag *d)
{
	const char *doc = index ? "index" : "manifest";
	char why[120];

	snprintf(why, sizeof(why),
		 "Docker, containerd and CRI-O (Go's encoding/json) fail an image whose %s "
		 "holds anything else there",
		 doc);
	return root->kind == YDOC_MAP
		   ? cs_json_check_types(root, index ? oci_index : manifest, "", doc, why, dup, d)
		   : ydoc_error(d, root, EINVAL, doc, "the %s must be a JSON object", doc);
}
