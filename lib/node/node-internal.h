/* SPDX-License-Identifier: MIT */
/* Between the bundle finder and the /proc join. */
#ifndef CAPSCOPE_LIB_NODE_INTERNAL_H
#define CAPSCOPE_LIB_NODE_INTERNAL_H

#include "capscope/node.h"

/* Mark every bundle found under the roots seen, reading changed configs. */
int cs_node_scan_bundles(struct cs_node_inventory *inv, const struct cs_node_opts *o);
/* A new container with this id at the end of inv, not looked for first (NULL: ENOMEM). */
struct cs_node_ctr *cs_node_add(struct cs_node_inventory *inv, const char *id);
void cs_node_ctr_free(struct cs_node_ctr *c);
/*
 * Who wrote a container's runtime state: its pid file's (or state.json's)
 * owner, else its config.json's. Fifteenth pass, part P: a user who may
 * write a bundle root the agent reads (a rootless user's storage) made a
 * bundle named after a root container's id; it took that container's
 * processes, and its config and annotations (another pod's name) were
 * shown as the container's. A bundle not root's names only its owner's
 * processes (those in the cgroups delegated to that user).
 */
static inline uid_t cs_node_owner(const struct cs_node_ctr *c)
{
	return c->state_owner ? c->state_owner : c->config_owner;
}
/* The labels that name a container (l[0..7]: namespace, pod, container, id). */
void cs_node_ident(const struct cs_node_ctr *c, const char **l, char id[13]);
/* Is c in the metrics: running, and not a pause container? */
bool cs_node_shown(const struct cs_node_ctr *c);
/* A test seam (NULL outside the unit tests): called between the /proc join
 * and the reading of the first processes' credentials. */
extern void (*cs_node_seam_before_procs)(const struct cs_node_inventory *inv);
/* How many pid-file processes a scan holds a pidfd of (scan.c); beyond, the
 * start time is read again. (size_t)-1, the default: from RLIMIT_NOFILE. A
 * variable for the unit tests, which try both. */
extern size_t cs_node_pidfd_max;
/* Slots passed over while looking container ids up in a bundle scan's
 * index (bundles.c): a count for the unit tests, never reset. */
extern size_t cs_node_id_probes;

#endif
