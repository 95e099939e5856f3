/* SPDX-License-Identifier: MIT */
#ifndef CAPSCOPE_INTERNAL_OCI_TYPES_H
#define CAPSCOPE_INTERNAL_OCI_TYPES_H

#include "capscope/diag.h"
#include "../k8s/ydoc.h"

/* config.json's root object against runc's specs.Spec (lib/oci-types.c): 0,
 * or -EINVAL with d at the first value of another Go type. reader: the
 * program that decodes the file, for the message ("runc" for a bundle's
 * config.json, "containerd" for a base_runtime_spec). */
int cs_oci_config_types(const struct ydoc_node *root, const char *reader, struct cs_diag *d);

/* What runc refuses in fields it has decoded and the model does not read
 * (lib/oci-runc-checks.c): 0, or -EINVAL with d at the value. Call after
 * cs_oci_config_types. */
int cs_oci_runc_checks(const struct ydoc_node *root, struct cs_diag *d);
/*
 * runc's config check of one sysctl named with dots (n bytes, NULs
 * counted): 'I' needs an ipc namespace (eight kernel.* names and
 * fs.mqueue.*), 'N' a network namespace (net.*), 'D' is kernel.domainname
 * (a uts namespace), 'H' kernel.hostname (refused beside the hostname
 * field), 0 any other: "not in a separate kernel namespace".
 */
char cs_runc_sysctl_kind(const char *name, size_t n);

#endif
