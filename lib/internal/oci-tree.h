/* SPDX-License-Identifier: MIT */
/* config.json from a tree already read, for a reader that wants more of it. */
#ifndef CAPSCOPE_LIB_INTERNAL_OCI_TREE_H
#define CAPSCOPE_LIB_INTERNAL_OCI_TREE_H

#include "capscope/oci.h"
#include "../k8s/ydoc.h"

/*
 * cs_oci_config_parse on the root of config.json's tree (cs_json_tree):
 * the node agent reads the annotations from the same tree instead of
 * checking and building the text twice. filename names the file in d.
 */
int cs_oci_config_read_tree(const struct ydoc_node *root, const char *filename,
			    struct cs_oci_config *cfg, struct cs_diag *d);

#endif
