/* SPDX-License-Identifier: MIT */
/*
 * The supplementary groups each runtime writes into the OCI process
 * (process.user.additionalGids), which runc passes to setgroups:
 *
 *  containerd  WithUser's ensureAdditionalGids puts the gid in;
 *              WithAdditionalGIDs adds the groups /etc/group lists the
 *              user in, but not one that bears the user's own name;
 *              WithSupplementalGroups adds the kubelet's groups; mergeGids
 *              leaves them sorted and unique (1.6.18+, 1.7, 2.x; the
 *              CVE-2023-25173 fix).
 *  CRI-O       setupContainerUser: the gid, the memberships runc's
 *              GetExecUser finds for the user (the kubelet never sends a
 *              group with it), then the kubelet's groups.
 *  Docker      getUser (daemon/oci_linux.go): the gid, GetExecUser's
 *              memberships (none when cri-dockerd wrote "UID:GID" for
 *              runAsGroup), then HostConfig.GroupAdd.
 *  Podman      kube play: the gid when a user was given, GroupAdd from
 *              supplementalGroups only (no fsGroup), and the memberships
 *              when the user string has no ':' (container_internal_common.go).
 *
 * runc's GetAdditionalGroups drops repeats, and the kernel keeps the
 * groups sorted, so the set is what the process shows.
 */
#include "internal/cri-groups.h"
#include "internal/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static int add(struct cs_oci_process *o, gid_t g, struct cs_diag *d)
{
	for (size_t i = 0; i < o->n_additional_gids; i++)
		if (o->additional_gids[i] == g)
			return 0;
	if (o->n_additional_gids == CS_OCI_MAX_GROUPS)
		return cs_diag_set(d, E2BIG, 0, 0, "supplementalGroups",
				   "more than %d supplementary groups: the model holds at most %d",
				   CS_OCI_MAX_GROUPS, CS_OCI_MAX_GROUPS);
	o->additional_gids[o->n_additional_gids++] = g;
	return 0;
}

/* What the image's memberships give under t; "" when it gives them all. */
static const char *members_rule(enum cs_cri_runtime rt, const struct cs_cri_request *r, bool *use,
				bool *skip_own)
{
	*use = r->members && r->members->known && !r->strict_groups;
	*skip_own = rt == CS_CRI_CONTAINERD;
	if (r->strict_groups)
		return "none: supplementalGroupsPolicy: Strict";
	if ((rt == CS_CRI_DOCKER || rt == CS_CRI_PODMAN) && r->group_explicit) {
		*use = false;
		return "none: the user is given with its group";
	}
	if (!r->members || !r->members->known)
		return "not known: the image's /etc/passwd and /etc/group were not read "
		       "(--rootfs or --image) or do not list the user";
	return *skip_own ? "those listing the user, but not a group of the user's own name" : "";
}

int cs_cri_merge_groups(const struct cs_cri_target *t, const struct cs_cri_request *r,
			struct cs_oci_process *o, struct cs_steps *st, struct cs_diag *d)
{
	bool use, skip_own, kubelet = t->rt != CS_CRI_PODMAN;
	const char *why = members_rule(t->rt, r, &use, &skip_own);
	size_t from_image = 0;
	char rule[32];
	int rc = 0;

	o->n_additional_gids = 0;
	if (kubelet || r->user_given)
		rc = add(o, r->gid, d);
	for (size_t i = 0; rc == 0 && use && i < r->members->n; i++) {
		if (skip_own && r->members->own_name[i])
			continue;
		from_image++;
		rc = add(o, r->members->gid[i], d);
	}
	for (size_t i = 0; rc == 0 && i < r->n_groups; i++)
		rc = add(o, r->groups[i], d);
	if (rc == 0 && kubelet && r->fs_group_set)
		rc = add(o, r->fs_group, d);
	if (rc < 0)
		return rc;
	if (t->rt == CS_CRI_CONTAINERD)
		qsort(o->additional_gids, o->n_additional_gids, sizeof(gid_t), cs_gid_cmp);
	snprintf(rule, sizeof(rule), "%s.groups", cs_cri_runtime_name(t->rt));
	cs_steps_add(
	    st, "runtime", rule,
	    "process.user.additionalGids: %s%zu group%s from the image's /etc/group%s%s%s, "
	    "%zu from supplementalGroups%s; %zu in all",
	    kubelet || r->user_given ? "the gid, " : "", from_image, from_image == 1 ? "" : "s",
	    *why ? " (" : "", why, *why ? ")" : "", r->n_groups,
	    !r->fs_group_set ? ""
	    : kubelet	     ? ", fsGroup"
			     : " (kube play leaves fsGroup out)",
	    o->n_additional_gids);
	return 0;
}
