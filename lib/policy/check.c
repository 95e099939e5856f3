/* SPDX-License-Identifier: MIT */
/*
 * The one rule the generated admission policies implement, and the
 * normalisation of capability strings they share. Why each choice:
 *  - case and one "CAP_" prefix do not matter: CRI-O (toCAPPrefixed, then a
 *    case-insensitive lookup), containerd ("CAP_" + ToUpper) and Docker
 *    (upper-case, prefix when missing) all accept "net_raw", "NET_RAW" and
 *    (CRI-O, Docker) "CAP_NET_RAW" for the same capability. containerd
 *    turns "CAP_NET_RAW" into "CAP_CAP_NET_RAW", which runc ignores: the
 *    container gets less, never more, so allowing it is safe (capscope lint
 *    warns about the spelling).
 *  - "ALL" is compared case-insensitively by all three (strings.EqualFold /
 *    strcasecmp in lib/runtime/cri.c): ALL in add is every capability, ALL
 *    in drop is the only way to leave no runtime default behind.
 *  - anything that is not a known name after that (numbers, "CAP_ALL",
 *    "CAP_CAP_X", typos) is refused: CRI-O and Docker refuse to create the
 *    container, and a policy must not guess what a future runtime does.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capscope/policy.h"
#include "gen-valid.h"
#include "../k8s/dns-name.h"
#include "internal/cleanup.h"
#include "internal/util.h"

int cs_policy_cap_normalise(const char *s)
{
	if (!s)
		return -EINVAL;
	if (!strcasecmp(s, "ALL"))
		return CS_POLICY_CAP_ALL;
	if (!strncasecmp(s, "CAP_", 4))
		s += 4;
	for (int c = 0; c <= CS_CAP_LAST_KNOWN; c++) {
		const char *n = cs_cap_name(c);

		if (n && !strcasecmp(n + 4, s))
			return c;
	}
	return -EINVAL;
}

cs_mask_t cs_policy_pod_caps(const struct cs_k8s_pod *pod)
{
	cs_mask_t m = 0;

	for (size_t i = 0; i < pod->n_containers; i++) {
		const struct cs_k8s_sc *sc = &pod->containers[i].sc;

		for (size_t k = 0; sc->caps_set && k < sc->add.n; k++) {
			int c = cs_policy_cap_normalise(sc->add.v[k]);

			if (c >= 0)
				m |= CS_BIT(c);
		}
	}
	return m;
}

/*
 * Twenty-fifth pass, part A: `policy vap|kyverno|gatekeeper FILE` left a
 * name that is no capability ("BOGUS") and ALL out of the allowed list with
 * nothing said, and wrote a policy that denies the very pod it was made
 * from (exit 0); custom-scc refused the name, but its message named no file.
 */
int cs_policy_pod_caps_checked(const struct cs_k8s_pod *pod, bool all_refused, cs_mask_t *out,
			       struct cs_diag *d)
{
	cs_mask_t m = 0;

	for (size_t i = 0; i < pod->n_containers; i++) {
		const struct cs_k8s_sc *sc = &pod->containers[i].sc;

		for (size_t k = 0; sc->caps_set && k < sc->add.n; k++) {
			int c = cs_policy_cap_normalise(sc->add.v[k]);
			cs_cleanup_free char *name = NULL;

			if (c >= 0) {
				m |= CS_BIT(c);
				continue;
			}
			if (c == CS_POLICY_CAP_ALL && !all_refused)
				continue;
			/* The name as a word of the sentence (word.c). */
			if (!(name = cs_word_dup(pod->containers[i].name, '"')))
				return -ENOMEM;
			if (d)
				cs_diag_file(d, pod->file);
			/* At the name refused, not the list's first item (which
			 * the list's place is): `add: [NET_RAW, BOGUS]` named
			 * NET_RAW's column (twenty-eighth pass, part A). */
			struct cs_pos at = sc->add_item_pos && sc->add_item_pos[k].line
					       ? sc->add_item_pos[k]
					       : sc->add_pos;
			char field[48];

			snprintf(field, sizeof(field), "capabilities.add[%zu]", k);
			if (c == CS_POLICY_CAP_ALL)
				return cs_diag_set(
				    d, EINVAL, at.line, at.column, field,
				    "container %s adds \"%s\": these policies never "
				    "allow ALL; name the capabilities it needs (--caps)",
				    name, sc->add.v[k]);
			return cs_diag_set(d, EINVAL, at.line, at.column, field,
					   "container %s adds \"%s\", which is no capability name",
					   name, sc->add.v[k]);
		}
	}
	if (out)
		*out = m;
	return 0;
}

static int violation(struct cs_policy_check *r, size_t ci, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int violation(struct cs_policy_check *r, size_t ci, const char *rule, const char *fmt, ...)
{
	struct cs_policy_violation *v = realloc(r->v, (r->n + 1) * sizeof(*v));
	va_list ap;
	char *msg = NULL;

	if (!v)
		return -ENOMEM;
	r->v = v;
	va_start(ap, fmt);
	msg = cs_vformat_quoted(fmt, ap); /* a quoted name's quotes doubled */
	va_end(ap);
	if (!msg)
		return -ENOMEM;
	r->v[r->n++] = (struct cs_policy_violation){ci, rule, msg};
	r->allowed = false;
	return 0;
}

static int check_container(struct cs_policy_check *r, size_t ci, const struct cs_k8s_container *c,
			   cs_mask_t allowed)
{
	const struct cs_k8s_sc *sc = &c->sc;
	/* The name as a word of the sentence (word.c): a manifest's container
	 * named "c is fine: nothing to report" imitated the words after it. */
	cs_cleanup_free char *name = cs_word_dup(c->name, '"');
	bool drop_all = false;
	int rc;

	if (!name)
		return -ENOMEM;
	if (sc->privileged.set && sc->privileged.v &&
	    (rc = violation(r, ci, "privileged", "%s %s is privileged: it holds every capability",
			    cs_k8s_ctr_kind_name(c->kind), name)) < 0)
		return rc;
	for (size_t k = 0; sc->caps_set && k < sc->drop.n; k++)
		drop_all |= cs_policy_cap_normalise(sc->drop.v[k]) == CS_POLICY_CAP_ALL;
	if (!drop_all &&
	    (rc = violation(r, ci, "drop-all",
			    "%s %s does not drop ALL: the runtime's default capabilities stay",
			    cs_k8s_ctr_kind_name(c->kind), name)) < 0)
		return rc;
	for (size_t k = 0; sc->caps_set && k < sc->add.n; k++) {
		int cap = cs_policy_cap_normalise(sc->add.v[k]);

		if (cap >= 0 && (allowed & CS_BIT(cap)))
			continue;
		rc = violation(r, ci, "add", "%s %s adds \"%s\": %s", cs_k8s_ctr_kind_name(c->kind),
			       name, sc->add.v[k],
			       cap == CS_POLICY_CAP_ALL ? "ALL is every capability"
			       : cap < 0		? "not a capability name runtimes agree on"
							: "not in the allowed set");
		if (rc < 0)
			return rc;
	}
	return 0;
}

int cs_policy_check_pod(const struct cs_k8s_pod *pod, cs_mask_t allowed,
			struct cs_policy_check **out)
{
	struct cs_policy_check *r = calloc(1, sizeof(*r));
	int rc;

	*out = NULL;
	if (!r)
		return -ENOMEM;
	r->allowed = true;
	for (size_t i = 0; i < pod->n_containers; i++)
		if ((rc = check_container(r, i, &pod->containers[i], allowed)) < 0) {
			cs_policy_check_free(r);
			return rc;
		}
	*out = r;
	return 0;
}

void cs_policy_check_free(struct cs_policy_check *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].message);
	free(c->v);
	free(c);
}

/* A DNS-1123 subdomain (lib/k8s/dns-name.c, the SCC reader's rule too). */
bool cs_policy_name_valid(const char *s)
{
	return cs_k8s_dns_subdomain(s);
}

/*
 * A namespace's name is a DNS-1123 label (at most 63). Eleventh pass: any
 * text was written into the policies as it was given, and each engine read
 * it its own way: "shop*" was a wildcard to Kyverno and Gatekeeper (every
 * namespace starting "shop") and refused in a VAP's label selector; "" made
 * a VAP binding and a Kyverno rule that match no namespace: a policy that
 * enforces nothing, applied without an error.
 */
bool cs_policy_namespace_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n <= 63 && cs_k8s_dns_label(s ? s : "", n);
}

int cs_policy_gen_valid(const struct cs_policy_gen *g, const char *ns, struct cs_diag *d)
{
	if (!cs_policy_name_valid(g->name))
		return cs_diag_set(d, EINVAL, 0, 0, "name", "not a valid object name (DNS-1123)");
	if (ns && !cs_policy_namespace_valid(ns))
		return cs_diag_set(d, EINVAL, 0, 0, "namespace",
				   "'%s' is not a namespace name (DNS-1123 label: at most 63 "
				   "lower-case letters, digits and '-')",
				   ns);
	if (g->service_account && !cs_policy_name_valid(g->service_account))
		return cs_diag_set(d, EINVAL, 0, 0, "serviceAccountName",
				   "'%s' is not a service account name (DNS-1123)",
				   g->service_account);
	return 0;
}
