/* SPDX-License-Identifier: MIT */
/* OpenShift SecurityContextConstraints documents, read as the manifest's
 * other objects are (manifest-read.h). */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dns-name.h"
#include "manifest-read.h"
#include "scc-volumes.h"
#include "../internal/util.h"

/* ---- SecurityContextConstraints ---- */

/* fsGroup.ranges / supplementalGroups.ranges: a list of {min, max} (IDRange). */
/* validateSCC's rule for a uid, the priority and an id range's bounds:
 * a negative value is refused at its node, naming what it is. */
static int not_negative(struct mf_ctx *c, struct ydoc_node *node, const char *field,
			const char *what, int64_t v)
{
	if (v >= 0)
		return 0;
	return mf_errf(c, node, EINVAL, field,
		       "Invalid value %" PRId64 ": %s cannot be negative (the API server refuses "
		       "the SCC)",
		       v, what);
}

static int get_id_ranges(struct mf_ctx *c, struct ydoc_node *map, const char *field,
			 struct cs_id_range **out, size_t *n)
{
	struct ydoc_node *seq, *it;
	size_t iter = 0;
	char f[96];
	int r;

	*out = NULL;
	*n = 0;
	mf_fieldf(f, sizeof(f), "%s.ranges", field);
	if ((r = mf_get_seq(c, map, "ranges", f, &seq)) < 0 || !seq)
		return r;
	*out = cs_arena_alloc(c->m->arena, ((size_t)seq->n + 1) * sizeof(**out));
	if (!*out)
		return -ENOMEM;
	while ((it = next_item(seq, &iter)) != NULL) {
		struct cs_opt_i64 lo, hi;

		mf_fieldf(f, sizeof(f), "%s.ranges[%zu]", field, *n);
		if ((r = mf_need_map(c, it, f)) < 0 ||
		    (r = mf_check_fields(c, it, f, MF_SCC_RANGE)) < 0 ||
		    (r = mf_get_i64(c, it, "min", f, &lo)) < 0 ||
		    (r = mf_get_i64(c, it, "max", f, &hi)) < 0)
			return r;
		/* IDRange's min and max are int64s, not pointers: an absent one
		 * is 0 ({max: 5} is 0-5, which the eleventh pass's "needs min
		 * <= max" refused). validateIDRanges refuses a negative bound
		 * and min above max. */
		if (!lo.set)
			lo.v = 0;
		if (!hi.set)
			hi.v = 0;
		if (lo.v < 0 || hi.v < 0) {
			const char *which = lo.v < 0 ? "min" : "max";

			mf_fieldf(f, sizeof(f), "%s.ranges[%zu].%s", field, *n, which);
			return not_negative(c, ydoc_get(it, which), f, which,
					    lo.v < 0 ? lo.v : hi.v);
		}
		if (lo.v > hi.v) {
			mf_fieldf(f, sizeof(f), "%s.ranges[%zu].min", field, *n);
			return mf_errf(c, lo.set ? ydoc_get(it, "min") : it, EINVAL, f,
				       "Invalid value %" PRId64 ": min cannot be greater than max "
				       "%" PRId64 "%s (the API server refuses the SCC)",
				       lo.v, hi.v, hi.set ? "" : " (an absent max is 0)");
		}
		(*out)[(*n)++] = (struct cs_id_range){lo.v, hi.v};
	}
	return 0;
}

static int get_group_strategy(struct mf_ctx *c, struct ydoc_node *root, const char *key,
			      const char **type, struct cs_id_range **v, size_t *n)
{
	struct ydoc_node *map;
	char f[64];
	int r;

	*type = NULL;
	*v = NULL;
	*n = 0;
	mf_fieldf(f, sizeof(f), "%s.type", key);
	if ((r = mf_get_map(c, root, key, key, &map)) < 0 || !map ||
	    (r = mf_check_fields(c, map, key, MF_SCC_GROUP)) < 0 ||
	    (r = mf_get_str(c, map, "type", f, type)) < 0)
		return r;
	/* provider.go createFSGroupStrategy / createSupplementalGroupStrategy:
	 * another type fails every admission; absent or "" is defaulted to
	 * RunAsAny (sccdefaults). Read as RunAsAny, it checked nothing. */
	if (*type && **type && strcmp(*type, "MustRunAs") != 0 && strcmp(*type, "RunAsAny") != 0)
		return mf_errf(c, ydoc_get(map, "type"), EINVAL, f,
			       "unknown %s strategy '%s' (MustRunAs or RunAsAny)", key, *type);
	return get_id_ranges(c, map, key, v, n);
}

/* runAsUser: its type, uid and range, as admission's strategies take them. */
static int get_run_as_user(struct mf_ctx *c, struct ydoc_node *root, struct cs_scc *s)
{
	struct ydoc_node *rau;
	const char *type;
	int r;

	if ((r = mf_get_map(c, root, "runAsUser", "runAsUser", &rau)) < 0)
		return r;
	if (!rau)
		return mf_errf(c, root, EINVAL, "runAsUser", "SCC %s has no runAsUser strategy",
			       s->name);
	if ((r = mf_check_fields(c, rau, "runAsUser", MF_SCC_USER)) < 0 ||
	    (r = mf_get_str(c, rau, "type", "runAsUser.type", &type)) < 0)
		return r;
	if (!type)
		return mf_errf(c, rau, EINVAL, "runAsUser.type", "runAsUser has no type");
	if (!strcmp(type, "MustRunAs"))
		s->run_as_user = CS_SCC_MUST_RUN_AS;
	else if (!strcmp(type, "MustRunAsRange"))
		s->run_as_user = CS_SCC_MUST_RUN_AS_RANGE;
	else if (!strcmp(type, "MustRunAsNonRoot"))
		s->run_as_user = CS_SCC_MUST_RUN_AS_NON_ROOT;
	else if (!strcmp(type, "RunAsAny"))
		s->run_as_user = CS_SCC_RUN_AS_ANY;
	else
		return mf_errf(c, ydoc_get(rau, "type"), EINVAL, "runAsUser.type",
			       "unknown runAsUser strategy '%s'", type);
	if ((r = mf_get_i64(c, rau, "uid", "runAsUser.uid", &s->uid)) < 0 ||
	    (r = mf_get_i64(c, rau, "uidRangeMin", "runAsUser.uidRangeMin", &s->uid_min)) < 0 ||
	    (r = mf_get_i64(c, rau, "uidRangeMax", "runAsUser.uidRangeMax", &s->uid_max)) < 0)
		return r;
	if (s->uid.set &&
	    (r = not_negative(c, ydoc_get(rau, "uid"), "runAsUser.uid", "uid", s->uid.v)) < 0)
		return r;
	if (s->run_as_user == CS_SCC_MUST_RUN_AS && !s->uid.set)
		return mf_errf(c, rau, EINVAL, "runAsUser.uid", "MustRunAs needs a uid");
	/* matcher.go takes the namespace's range only when both bounds are
	 * absent; with one of them NewMustRunAsRange fails, and with it the
	 * admission of every pod in the namespace (CreateProvidersFromConstraints). */
	if (s->run_as_user == CS_SCC_MUST_RUN_AS_RANGE && s->uid_min.set != s->uid_max.set)
		return mf_errf(c, rau, EINVAL,
			       s->uid_min.set ? "runAsUser.uidRangeMax" : "runAsUser.uidRangeMin",
			       "MustRunAsRange needs both uidRangeMin and uidRangeMax, or neither "
			       "(the namespace's range)");
	/* restricted-v3 and nested-container shipped `runAsUser.ranges` before
	 * 362a74d / d22154c; the API has no such field and drops it. */
	s->run_as_user_ranges_pruned = ydoc_get(rau, "ranges") != NULL;
	return 0;
}

/* An SCC is cluster-scoped: a namespace in its file is dropped by the
 * server (EnsureObjectNamespaceMatchesRequestNamespace), not refused. */
static const struct mf_meta_rules scc_meta = {.object = "SCC", .names = true};

int mf_parse_scc_doc(struct mf_ctx *c, struct ydoc_node *root, const char *file)
{
	struct cs_k8s_manifest *m = c->m;
	struct cs_scc *s;
	struct ydoc_node *meta, *sel;
	struct cs_opt_bool b;
	bool vols_given = false, generated;
	int r;

	if (m->n_sccs == m->cap_sccs) {
		size_t nc = m->cap_sccs ? m->cap_sccs * 2 : 8;
		struct cs_scc *v = cs_arena_grow(m->arena, m->sccs, m->n_sccs, nc, sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->sccs = v;
		m->cap_sccs = nc;
	}
	s = &m->sccs[m->n_sccs];
	memset(s, 0, sizeof(*s));
	s->file = file;
	s->pos = pos_of(c, root);
	if ((r = mf_check_fields(c, root, "", MF_SCC)) < 0 ||
	    (r = mf_get_map(c, root, "metadata", "metadata", &meta)) < 0 ||
	    (r = mf_check_fields(c, meta, "metadata", MF_META)) < 0)
		return r;
	if (meta && (r = mf_get_str(c, meta, "name", "metadata.name", &s->name)) < 0)
		return r;
	/* ValidateSecurityContextConstraints: ValidateObjectMeta, cluster-scoped,
	 * with NameIsDNSSubdomain (object-meta.c). Read without a word,
	 * "Restricted_V2" was an SCC that cannot exist. */
	if ((r = mf_check_object_meta(c, meta, "metadata", &scc_meta, &generated)) < 0)
		return r;
	/* With generateName alone the server names the SCC itself, five
	 * random characters after the prefix: its place among SCCs of equal
	 * priority and score, and the name --use and the pod's
	 * openshift.io/required-scc give, cannot be known. */
	if ((!s->name || !*s->name) && generated)
		return mf_errf(c, ydoc_get(meta, "generateName"), EINVAL, "metadata.name",
			       "SecurityContextConstraints has generateName and no name: the API "
			       "server names it at random (the prefix and five characters), which "
			       "capscope cannot predict; give metadata.name");
	if (!s->name || !*s->name)
		return mf_errf(c, s->name ? ydoc_get(meta, "name") : root, EINVAL, "metadata.name",
			       "SecurityContextConstraints has no name");
	if ((r = mf_get_i32(c, root, "priority", "priority", &s->priority)) < 0)
		return r;
	if (s->priority.set && (r = not_negative(c, ydoc_get(root, "priority"), "priority",
						 "priority", s->priority.v)) < 0)
		return r;
#define B(key, dst)                                                                                \
	do {                                                                                       \
		if ((r = mf_get_bool(c, root, key, key, &b)) < 0)                                  \
			return r;                                                                  \
		dst = b.set && b.v;                                                                \
	} while (0)
	B("allowPrivilegedContainer", s->allow_privileged);
	B("allowHostNetwork", s->allow_host_network);
	B("allowHostPID", s->allow_host_pid);
	B("allowHostIPC", s->allow_host_ipc);
	B("allowHostPorts", s->allow_host_ports);
	B("allowHostDirVolumePlugin", s->allow_host_dir_volume);
	B("readOnlyRootFilesystem", s->read_only_root_fs);
#undef B
	if ((r = mf_get_bool(c, root, "allowPrivilegeEscalation", "allowPrivilegeEscalation",
			     &s->allow_privilege_escalation)) < 0 ||
	    (r = mf_get_bool(c, root, "defaultAllowPrivilegeEscalation",
			     "defaultAllowPrivilegeEscalation",
			     &s->default_allow_privilege_escalation)) < 0)
		return r;
	if ((r = mf_get_strlist(c, root, "allowedCapabilities", "allowedCapabilities",
				&s->allowed_caps, NULL, NULL)) < 0 ||
	    (r = mf_get_strlist(c, root, "defaultAddCapabilities", "defaultAddCapabilities",
				&s->default_add_caps, NULL, NULL)) < 0 ||
	    (r = mf_get_strlist(c, root, "requiredDropCapabilities", "requiredDropCapabilities",
				&s->required_drop_caps, NULL, NULL)) < 0 ||
	    (r = mf_get_strlist(c, root, "volumes", "volumes", &s->volumes, &vols_given, NULL)) <
		0 ||
	    (r = cs_scc_default_volumes(c->m->arena, s, vols_given)) < 0 ||
	    (r = mf_get_scc_sysctls(c, root, s)) < 0 ||
	    (r = mf_get_strlist(c, root, "seccompProfiles", "seccompProfiles", &s->seccomp_profiles,
				NULL, NULL)) < 0 ||
	    (r = mf_get_str(c, root, "userNamespaceLevel", "userNamespaceLevel",
			    &s->user_namespace_level)) < 0)
		return r;
	/* The CRD's enum (openshift/api security/v1 NamespaceLevelType). */
	if (s->user_namespace_level && strcmp(s->user_namespace_level, "AllowHostLevel") &&
	    strcmp(s->user_namespace_level, "RequirePodLevel"))
		return mf_errf(
		    c, ydoc_get(root, "userNamespaceLevel"), EINVAL, "userNamespaceLevel",
		    "unknown userNamespaceLevel '%s' (AllowHostLevel or RequirePodLevel)",
		    s->user_namespace_level);
	if ((r = get_run_as_user(c, root, s)) < 0)
		return r;
	if ((r = mf_get_map(c, root, "seLinuxContext", "seLinuxContext", &sel)) < 0)
		return r;
	/* Unlike fsGroup and supplementalGroups, sccdefaults gives no default
	 * here: provider.go createSELinuxStrategy fails every admission for a
	 * missing or empty type, as for any other. Read as "no SELinux
	 * strategy", the SCC scored as if it were usable. */
	if (!sel)
		return mf_errf(c, root, EINVAL, "seLinuxContext",
			       "SCC %s has no seLinuxContext strategy", s->name);
	if ((r = mf_check_fields(c, sel, "seLinuxContext", MF_SCC_SELINUX)) < 0 ||
	    (r = mf_get_str(c, sel, "type", "seLinuxContext.type", &s->selinux_type)) < 0)
		return r;
	if (!s->selinux_type || !*s->selinux_type)
		return mf_errf(c, s->selinux_type ? ydoc_get(sel, "type") : sel, EINVAL,
			       "seLinuxContext.type",
			       "seLinuxContext has no type (MustRunAs or RunAsAny)");
	if (strcmp(s->selinux_type, "MustRunAs") != 0 && strcmp(s->selinux_type, "RunAsAny") != 0)
		return mf_errf(c, ydoc_get(sel, "type"), EINVAL, "seLinuxContext.type",
			       "unknown seLinuxContext strategy '%s' (MustRunAs or RunAsAny)",
			       s->selinux_type);
	if ((r = mf_get_map(c, sel, "seLinuxOptions", "seLinuxContext.seLinuxOptions", &sel)) < 0)
		return r;
	if (sel &&
	    ((r = mf_check_fields(c, sel, "seLinuxContext.seLinuxOptions", MF_SELINUX)) < 0 ||
	     (r = mf_get_str(c, sel, "type", "seLinuxContext.seLinuxOptions.type",
			     &s->selinux_options_type)) < 0))
		return r;
	if ((r = get_group_strategy(c, root, "fsGroup", &s->fs_group_type, &s->fs_group_ranges,
				    &s->n_fs_group_ranges)) < 0 ||
	    (r = get_group_strategy(c, root, "supplementalGroups", &s->supplemental_groups_type,
				    &s->supplemental_groups_ranges,
				    &s->n_supplemental_groups_ranges)) < 0 ||
	    (r = mf_check_scc_rules(c, root, s)) < 0)
		return r;
	m->n_sccs++;
	return 0;
}
