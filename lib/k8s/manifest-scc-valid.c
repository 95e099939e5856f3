/* SPDX-License-Identifier: MIT */
/*
 * The API server's rules between an SCC's fields (openshift/kubernetes
 * openshift-kube-apiserver customresourcevalidation, securitycontextconstraints
 * ValidateSecurityContextConstraints, on the SCC its SetDefaults_SCC has
 * defaulted). Each was read without a word before the twenty-seventh pass,
 * and the SCC admitted or refused pods by it: an SCC that allows NET_RAW and
 * requires dropping it, `*` beside required drops, a default of privilege
 * escalation its own field forbids, `none` beside other volumes, flex volume
 * drivers no volume type lets in. No such SCC exists in a cluster. Refused
 * at the field, first error first, in the server's words, with what it
 * means. users and groups, which admission by capscope does not model, are
 * read for their type (the CRD's: lists of strings).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "manifest-read.h"
#include "../internal/cleanup.h"
#include "../internal/util.h"

/* The i-th item of map's list key, or the list itself (an alias, a flow
 * list: ydoc_pos names where it starts). */
static struct ydoc_node *item(struct ydoc_node *map, const char *key, size_t i)
{
	struct ydoc_node *seq = ydoc_get(map, key);

	return seq && seq->kind == YDOC_SEQ && i < seq->n ? seq->u.items[i] : seq;
}

static bool has(const struct cs_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * validateSCCCapsAgainstDrops: a name of key also in requiredDropCapabilities
 * (exact strings, as hasCap compares: NET_RAW and CAP_NET_RAW are two).
 * Checked only when requiredDropCapabilities is given, as the server does;
 * an empty list holds nothing to match. The drops are sorted once (drops)
 * and each name looked up: an SCC of 100,000 names in each list is not
 * 10^10 comparisons (cli/scc-lists-cost).
 */
static int caps_against_drops(struct mf_ctx *c, struct ydoc_node *root, const char *key,
			      const struct cs_strlist *caps, const char *const *drops,
			      size_t n_drops)
{
	char f[64];

	for (size_t i = 0; n_drops && i < caps->n; i++) {
		if (!bsearch(&caps->v[i], drops, n_drops, sizeof(*drops), by_text))
			continue;
		mf_fieldf(f, sizeof(f), "%s[%zu]", key, i);
		return mf_errf(c, item(root, key, i), EINVAL, f,
			       "Invalid value \"%.*s%s\": capability is listed in %s and "
			       "requiredDropCapabilities (the API server refuses the SCC)",
			       CS_MSG_CUTS(caps->v[i], 64), key);
	}
	return 0;
}

static int check_caps(struct mf_ctx *c, struct ydoc_node *root, const struct cs_scc *s)
{
	const size_t nd = s->required_drop_caps.n;
	cs_cleanup_free const char **drops = NULL;
	int r;

	if (nd && (s->default_add_caps.n || s->allowed_caps.n)) {
		if (!(drops = malloc(nd * sizeof(*drops))))
			return -ENOMEM;
		memcpy(drops, s->required_drop_caps.v, nd * sizeof(*drops));
		qsort(drops, nd, sizeof(*drops), by_text);
	}
	if ((r = caps_against_drops(c, root, "defaultAddCapabilities", &s->default_add_caps, drops,
				    drops ? nd : 0)) < 0 ||
	    (r = caps_against_drops(c, root, "allowedCapabilities", &s->allowed_caps, drops,
				    drops ? nd : 0)) < 0)
		return r;
	if (has(&s->allowed_caps, "*") && s->required_drop_caps.n)
		return mf_errf(
		    c, ydoc_get(root, "requiredDropCapabilities"), EINVAL,
		    "requiredDropCapabilities",
		    "Invalid value: required capabilities must be empty when all "
		    "capabilities are allowed by a wildcard ('*' in allowedCapabilities) "
		    "(the API server refuses the SCC)");
	return 0;
}

/*
 * validateSCCDefaultAllowPrivilegeEscalation: a default of true where the
 * SCC's own allowPrivilegeEscalation is false (given: SetDefaults_SCC makes
 * an absent one true).
 */
static int check_escalation(struct mf_ctx *c, struct ydoc_node *root, const struct cs_scc *s)
{
	if (s->default_allow_privilege_escalation.set && s->default_allow_privilege_escalation.v &&
	    s->allow_privilege_escalation.set && !s->allow_privilege_escalation.v)
		return mf_errf(c, ydoc_get(root, "defaultAllowPrivilegeEscalation"), EINVAL,
			       "defaultAllowPrivilegeEscalation",
			       "Invalid value: Cannot set DefaultAllowPrivilegeEscalation to true "
			       "without also setting AllowPrivilegeEscalation to true (the API "
			       "server refuses the SCC)");
	return 0;
}

/*
 * The volume rules, on the list as SetDefaults_SCC stores it
 * (s->volumes, scc-volumes.c): `none` beside any other type (a set: `none`
 * twice is one; allowHostDirVolumePlugin: true adds hostPath beside it,
 * and without it hostPath is taken out), and allowedFlexVolumes when no
 * flexVolume or `*` is left, or an item without a driver.
 */
static int check_volumes(struct mf_ctx *c, struct ydoc_node *root, const struct cs_scc *s)
{
	const char *other = NULL;
	struct ydoc_node *seq, *it;
	bool none = false, flex = false;
	size_t iter = 0, n = 0;
	char f[64];
	int r;

	for (size_t i = 0; i < s->volumes.n; i++) {
		const char *v = s->volumes.v[i];

		if (!strcmp(v, "none"))
			none = true;
		else if (!other)
			other = v;
		flex = flex || !strcmp(v, "flexVolume") || !strcmp(v, "*");
	}
	if (none && other)
		return mf_errf(c, ydoc_get(root, "volumes"), EINVAL, "volumes",
			       "Invalid value: 'none' beside '%.*s%s'%s: if 'none' is specified, "
			       "no other values are allowed (the API server refuses the SCC)",
			       CS_MSG_CUTS(other, 64),
			       !strcmp(other, "hostPath") && s->allow_host_dir_volume
				   ? " (allowHostDirVolumePlugin: true adds hostPath)"
				   : "");
	if ((r = mf_get_seq(c, root, "allowedFlexVolumes", "allowedFlexVolumes", &seq)) < 0 ||
	    !seq || !seq->n)
		return r;
	if (!flex)
		return mf_errf(c, ydoc_get(root, "allowedFlexVolumes"), EINVAL,
			       "allowedFlexVolumes",
			       "Invalid value: volumes does not include 'flexVolume' or '*', so no "
			       "flex volumes are allowed (the API server refuses the SCC)");
	while ((it = next_item(seq, &iter)) != NULL) {
		const char *driver;

		mf_fieldf(f, sizeof(f), "allowedFlexVolumes[%zu]", n);
		if ((r = mf_need_map(c, it, f)) < 0 ||
		    (r = mf_check_fields(c, it, f, MF_SCC_FLEX)) < 0)
			return r;
		mf_fieldf(f, sizeof(f), "allowedFlexVolumes[%zu].driver", n);
		if ((r = mf_get_str(c, it, "driver", f, &driver)) < 0)
			return r;
		if (!driver || !*driver)
			return mf_errf(c, driver ? ydoc_get(it, "driver") : it, EINVAL, f,
				       "Required value: must specify a driver (the API server "
				       "refuses the SCC)");
		n++;
	}
	return 0;
}

int mf_check_scc_rules(struct mf_ctx *c, struct ydoc_node *root, const struct cs_scc *s)
{
	struct cs_strlist who;
	int r;

	if ((r = check_caps(c, root, s)) < 0 || (r = check_escalation(c, root, s)) < 0 ||
	    (r = check_volumes(c, root, s)) < 0 ||
	    (r = mf_get_strlist(c, root, "users", "users", &who, NULL, NULL)) < 0 ||
	    (r = mf_get_strlist(c, root, "groups", "groups", &who, NULL, NULL)) < 0)
		return r;
	return 0;
}
