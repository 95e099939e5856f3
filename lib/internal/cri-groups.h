/* SPDX-License-Identifier: MIT */
/* Each runtime's rule for process.user.additionalGids (lib/runtime/cri-groups.c). */
#ifndef CAPSCOPE_INTERNAL_CRI_GROUPS_H
#define CAPSCOPE_INTERNAL_CRI_GROUPS_H

#include "capscope/cri.h"

/*
 * o->additional_gids for the request as runtime t writes them: the
 * process's gid, the image's /etc/group memberships, supplementalGroups and
 * fsGroup, each runtime with its own choice of these (docs/runtimes.md).
 * Appends one "<runtime>.groups" step. 0, or -E2BIG when more distinct
 * groups result than the model holds (d says so).
 */
int cs_cri_merge_groups(const struct cs_cri_target *t, const struct cs_cri_request *r,
			struct cs_oci_process *o, struct cs_steps *st, struct cs_diag *d);

#endif
