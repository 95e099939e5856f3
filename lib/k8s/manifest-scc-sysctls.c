/* SPDX-License-Identifier: MIT */
/*
 * The API server's rules on an SCC's sysctl patterns (openshift/
 * apiserver-library-go, ValidateSecurityContextConstraints: validateSCCSysctls
 * and validatePodSecurityPolicySysctlListsDoNotOverlap). An SCC file whose
 * allowedUnsafeSysctls or forbiddenSysctls held an empty item, a name with
 * a control character or 5,000 bytes of it was read without a word, and
 * admitted or refused pods by it (twenty-sixth pass, part A): such an SCC
 * cannot exist in a cluster. Refused at the item, as the server says it.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "manifest-read.h"
#include "scc-sysctls.h"
#include "../internal/util.h"

#define SEG(ch) (((ch) >= 'a' && (ch) <= 'z') || ((ch) >= '0' && (ch) <= '9'))

/*
 * IsValidSysctlPattern: at most 253 bytes matching
 * ([a-z0-9]([-_a-z0-9]*[a-z0-9])?\.)*([a-z0-9][-_a-z0-9]*)?[a-z0-9*]: segments
 * between dots (no '/', unlike a pod's name), the last one may end in '*'.
 */
static bool pattern_ok(const char *s)
{
	size_t len = strlen(s), start = 0;

	if (!len || len > 253)
		return false;
	for (size_t i = 0; i <= len; i++) {
		bool last = i == len;

		if (!last && s[i] != '.')
			continue;
		if (i == start) /* an empty segment */
			return false;
		for (size_t k = start; k < i; k++) {
			char ch = s[k];
			bool end = k + 1 == i;

			if (SEG(ch) || (last && end && ch == '*') ||
			    (k > start && !end && (ch == '-' || ch == '_')))
				continue;
			return false;
		}
		start = i + 1;
	}
	return true;
}

static struct ydoc_node *item(struct ydoc_node *root, const char *key, size_t i)
{
	struct ydoc_node *seq = ydoc_get(root, key);

	return seq && seq->kind == YDOC_SEQ && i < seq->n ? seq->u.items[i] : seq;
}

static int check_list(struct mf_ctx *c, struct ydoc_node *root, const char *key,
		      const struct cs_strlist *l)
{
	char f[64];
	bool all = false;

	for (size_t i = 0; i < l->n; i++) {
		const char *s = l->v[i];

		mf_fieldf(f, sizeof(f), "%s[%zu]", key, i);
		if (!*s)
			return mf_errf(
			    c, item(root, key, i), EINVAL, f,
			    "Invalid value \"\": empty sysctl not allowed (the API server "
			    "refuses the SCC)");
		if (!pattern_ok(s))
			return mf_errf(c, item(root, key, i), EINVAL, f,
				       "Invalid value \"%.*s%s\": must have at most 253 characters "
				       "and match [a-z0-9]([-_a-z0-9]*[a-z0-9])? between dots, the "
				       "last ending in '*' or not (the API server refuses the SCC)",
				       CS_MSG_CUTS(s, 64));
		all = all || s[0] == '*';
	}
	if (all && l->n > 1)
		return mf_errf(c, ydoc_get(root, key), EINVAL, key,
			       "Forbidden: if '*' is present, must not specify other sysctls (the "
			       "API server refuses the SCC)");
	return 0;
}

/* The first of l that one of pats covers (itself, or a PREFIX* of it), or -1. */
static long covered(const struct cs_strlist *pats, const struct cs_strlist *l)
{
	struct cs_sysctl_pats p;
	long found = -1;

	if (!pats->n || !l->n)
		return -1;
	if (cs_sysctl_pats_build(&p, pats) < 0)
		return -2;
	for (size_t i = 0; i < l->n && found < 0; i++)
		if (cs_sysctl_pats_match(&p, l->v[i]))
			found = (long)i;
	cs_sysctl_pats_free(&p);
	return found;
}

static int check_lists(struct mf_ctx *c, struct ydoc_node *root, const struct cs_strlist *allowed,
		       const struct cs_strlist *forbidden)
{
	char f[64];
	bool at_allowed;
	long i;
	int r;

	if ((r = check_list(c, root, "allowedUnsafeSysctls", allowed)) < 0 ||
	    (r = check_list(c, root, "forbiddenSysctls", forbidden)) < 0)
		return r;
	/*
	 * validatePodSecurityPolicySysctlListsDoNotOverlap: an allowed pattern
	 * a forbidden one covers is said at the allowed one, a forbidden one an
	 * allowed pattern covers at the forbidden one. Each list indexed
	 * (scc-sysctls.c), not pairs of them compared: an SCC of 3,000 of each
	 * (cli/scc-lists-cost) stays linear.
	 */
	if ((i = covered(forbidden, allowed)) == -2)
		return -ENOMEM;
	at_allowed = i >= 0;
	if (!at_allowed && (i = covered(allowed, forbidden)) == -2)
		return -ENOMEM;
	if (i < 0)
		return 0;
	{
		const char *key = at_allowed ? "allowedUnsafeSysctls" : "forbiddenSysctls";
		const struct cs_strlist *l = at_allowed ? allowed : forbidden;

		mf_fieldf(f, sizeof(f), "%s[%ld]", key, i);
		return mf_errf(c, item(root, key, (size_t)i), EINVAL, f,
			       "Invalid value \"%.*s%s\": sysctl overlaps with %s (the API server "
			       "refuses the SCC)",
			       CS_MSG_CUTS(l->v[i], 64),
			       at_allowed ? "a forbiddenSysctls pattern"
					  : "an allowedUnsafeSysctls pattern");
	}
}

int mf_get_scc_sysctls(struct mf_ctx *c, struct ydoc_node *root, struct cs_scc *s)
{
	int r;

	if ((r = mf_get_strlist(c, root, "allowedUnsafeSysctls", "allowedUnsafeSysctls",
				&s->allowed_unsafe_sysctls, NULL, NULL)) < 0 ||
	    (r = mf_get_strlist(c, root, "forbiddenSysctls", "forbiddenSysctls",
				&s->forbidden_sysctls, NULL, NULL)) < 0)
		return r;
	return check_lists(c, root, &s->allowed_unsafe_sysctls, &s->forbidden_sysctls);
}
