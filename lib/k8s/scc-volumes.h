/* SPDX-License-Identifier: MIT */
/* An SCC's volumes as the API server stores them (sccdefaults.SetDefaults_SCC). */
#ifndef CAPSCOPE_LIB_K8S_SCC_VOLUMES_H
#define CAPSCOPE_LIB_K8S_SCC_VOLUMES_H

#include <stdbool.h>

#include "arena.h"
#include "capscope/k8s.h"

/*
 * Rewrites s->volumes (given: the field was present and not null) from
 * s->allow_host_dir_volume, as the SCC defaulting does before admission
 * reads it. 0 or -ENOMEM.
 */
int cs_scc_default_volumes(struct cs_arena *a, struct cs_scc *s, bool given);

#endif
