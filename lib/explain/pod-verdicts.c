/* SPDX-License-Identifier: MIT */
/*
 * One verdict per entry of capabilities.add, in the manifest's order and
 * spelling: the layers before execve (admission, the kubelet, the runtime's
 * merge) can already decide it; otherwise the kernel model's verdict
 * (cs_explain_cap) says why.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capscope/userns.h"
#include "internal/strlist.h"
#include "internal/cleanup.h"
#include "internal/util.h"
#include "pod-internal.h"
#include "strf.h"

static int set(struct cs_cap_verdict *v, enum cs_why why, char *short_text, char *text)
{
	v->why = why;
	v->short_text = short_text;
	v->text = text;
	return text && short_text ? 0 : -ENOMEM;
}

/*
 * Did the runtime pass nm on as a name runc does not know ("net_raw" as
 * "CAP_net_raw")? The list is "a, b, c" of words (lib/word.c); names are
 * compared whole, as words (a name "X, NET_RAW" is one quoted word):
 * a strstr matched "NET_RAW" inside "CAP_NET_RAWX" and blamed the spelling
 * for what a drop did. 1 yes, 0 no, -ENOMEM.
 */
static int spelled_unknown(const char *list, const char *nm)
{
	cs_cleanup_free char *w = cs_word_dup(nm, '"'), *cap = NULL, *wc = NULL;

	if (!*nm)
		return 0;
	/* Out of memory is not "no": the verdict would blame a drop for
	 * what the spelling did (twenty-fourth pass). */
	if (!w || asprintf(&cap, "CAP_%s", nm) < 0) {
		cap = NULL;
		return -ENOMEM;
	}
	if (!(wc = cs_word_dup(cap, '"')))
		return -ENOMEM;
	return cs_word_list_has(list, w) || cs_word_list_has(list, wc);
}

/* The runtime's merge left it out of the bounding set: why. */
static int not_in_bounding(const struct cs_pod_ctr_result *r, const char *nm,
			   struct cs_cap_verdict *v)
{
	int spelled;

	if (r->scc_name && cs_strlist_has(&r->adm.drop, nm) && !cs_strlist_has(&r->req.drop, nm)) {
		cs_cleanup_free char *scc = cs_word_dup(r->scc_name, '"'); /* lib/word.c */

		if (!scc) /* out of memory: never "SCC ?'s" in a whole answer */
			return -ENOMEM;
		return set(v, CS_WHY_SCC_DROPPED, cs_strf("dropped by the SCC"),
			   cs_strf("not effective: SCC %s's requiredDropCapabilities drop it, and "
				   "the runtime applies drops after adds",
				   scc));
	}
	if ((spelled = spelled_unknown(r->oci->unknown_caps, nm)) < 0)
		return spelled;
	if (spelled)
		return set(
		    v, CS_WHY_RUNTIME_UNKNOWN_NAME, cs_strf("unknown spelling, runc skips it"),
		    cs_strf("not effective: the runtime spelled it as an unknown name, which "
			    "runc skips"));
	return set(
	    v, CS_WHY_RUNTIME_DROPPED, cs_strf("a drop of it wins over the add"),
	    cs_strf("not effective: the runtime leaves it out of the bounding set (a drop of "
		    "the same capability wins over the add)"));
}

/* Effective, but in the pod's user namespace: say where it acts (lib/userns.c). */
static int userns_note(struct cs_cap_verdict *v)
{
	const struct cs_userns_cap *u = cs_userns_cap_info(v->cap);
	char *t;

	if (u->scope == CS_USERNS_NODE_ONLY)
		t = cs_strf("%s; but it is held in the pod's user namespace and the kernel checks "
			    "it only in the node's (%s): it never works from this pod",
			    v->text, u->source);
	else
		t = cs_strf("%s; held in the pod's user namespace, it %s", v->text,
			    u->scope == CS_USERNS_PARTLY ? "works partly: "
							 : "acts on what the pod owns: ");
	if (!t)
		return -ENOMEM;
	if (u->scope != CS_USERNS_NODE_ONLY) {
		char *t2 = cs_strf("%s%s", t, u->acts_on);

		free(t);
		if (!(t = t2))
			return -ENOMEM;
	}
	free(v->text);
	v->text = t;
	return 0;
}

static int verdict(const struct pod_work *w, const char *nm, struct cs_cap_verdict *v)
{
	const struct cs_pod_ctr_result *r = w->r;
	char up[64];

	if (!(v->name = strdup(nm)))
		return -ENOMEM;
	if (!strcasecmp(nm, "ALL")) {
		v->cap = -1;
		v->effective = r->admitted && r->exec_ok;
		return set(v, CS_WHY_ALL, cs_strf("ALL: see the sets"),
			   cs_strf("ALL: see the sets in the table"));
	}
	/* The runtime upper-cases the name as Go does ("\u017fys_admin" is SYS_ADMIN). */
	cs_go_upper(up, sizeof(up), "", nm);
	v->cap = cs_cap_from_name(up, strlen(up));
	if (!r->admitted)
		return set(v, CS_WHY_NOT_ADMITTED, cs_strf("the pod is not admitted"),
			   cs_strf("not effective: the pod is not admitted"));
	if (!r->oci_ok)
		return set(v, CS_WHY_NOT_CREATED,
			   cs_strf("not created: %s", r->exec_error ? r->exec_error : "?"),
			   cs_strf("not effective: %s", r->reason));
	if (v->cap < 0) {
		/* Inside its quotes, a quote of its own doubled (cs_strf). */
		return set(v, CS_WHY_NOT_A_CAPABILITY, cs_strf("not a capability name"),
			   cs_strf("not effective: '%s' is not a capability name%s", nm,
				   r->oci->unknown_caps[0]
				       ? " (the runtime passes it on, runc ignores it)"
				       : ""));
	}
	if (!(r->oci->caps.set[CS_BND] & CS_BIT(v->cap)))
		return not_in_bounding(r, nm, v);
	if (!r->exec_ok)
		return set(
		    v, CS_WHY_NOT_STARTED,
		    cs_strf("the process does not start (%s)", r->exec_error),
		    cs_strf("not effective: the process does not start (%s)", r->exec_error));
	if (cs_explain_cap(v->cap, &w->oci.caps, &w->pre, &w->post, &w->f, &w->res, &r->steps, v) <
	    0)
		return -ENOMEM;
	return v->effective && r->oci->user_namespace ? userns_note(v) : 0;
}

int cs_pod_verdicts(struct pod_work *w)
{
	struct cs_pod_ctr_result *r = w->r;
	const struct cs_strlist *add = r->req.caps_set ? &r->req.add : NULL;

	if (!add || !add->n)
		return 0;
	if (!(r->verdicts = calloc(add->n, sizeof(*r->verdicts))))
		return -ENOMEM;
	for (size_t i = 0; i < add->n; i++) {
		struct cs_cap_verdict *v = &r->verdicts[r->n_verdicts++];

		if (verdict(w, add->v[i], v) < 0)
			return -ENOMEM;
		if (!v->effective && v->cap >= 0)
			r->missing |= CS_BIT(v->cap);
	}
	return 0;
}
