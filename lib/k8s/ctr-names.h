/* SPDX-License-Identifier: MIT */
/* Unique container names in a pod spec, as the API server's validation wants them. */
#ifndef CAPSCOPE_LIB_K8S_CTR_NAMES_H
#define CAPSCOPE_LIB_K8S_CTR_NAMES_H

#include <stddef.h>

#include "capscope/k8s.h"

/*
 * The first container (in document order: initContainers, containers,
 * ephemeralContainers) whose name an earlier one already has: 1 and *dup
 * its index in v, 0 when every name is unique, -ENOMEM. O(n log n).
 */
int cs_k8s_dup_ctr_name(const struct cs_k8s_container *v, size_t n, size_t *dup);

#endif
