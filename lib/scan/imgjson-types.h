/* SPDX-License-Identifier: MIT */
/* The types of an image config's other fields, as Go's decoders check them. */
#ifndef CAPSCOPE_SCAN_IMGJSON_TYPES_H
#define CAPSCOPE_SCAN_IMGJSON_TYPES_H

#include <stdbool.h>

#include "capscope/diag.h"
#include "../k8s/ydoc.h"

/*
 * root is the config blob (or the bare config object, when cfg == root),
 * cfg its "config" object or NULL. 0, or -EINVAL with d at the first field
 * of a type the runtimes' decoders refuse; a second key for one field (any
 * case) lands in *dup, as cs_json_get_go does.
 */
int cs_img_config_types(const struct ydoc_node *root, const struct ydoc_node *cfg,
			const struct ydoc_node **dup, struct cs_diag *d);

/*
 * An image manifest (index false) or index: its fields typed as containerd
 * decodes them (ocispec.Manifest, ocispec.Index: a descriptor's size is an
 * int64, its data base64, its platform an object, ...). 0, or -EINVAL
 * with d at the first field of another type; a second key for one field
 * lands in *dup.
 */
int cs_img_manifest_types(const struct ydoc_node *root, bool index, const struct ydoc_node **dup,
			  struct cs_diag *d);

#endif
