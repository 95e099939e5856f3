/* SPDX-License-Identifier: MIT */
/*
 * The rules, read off the model's result for one pod: cs_pod_explain says
 * which requested capabilities end effective and why, what the runtime put
 * in the OCI process, what the process holds after execve, and whether SCC
 * admission and Pod Security let the pod in. A rule here never decides from
 * the text of add: or drop: what a node would do; only cap-spelling looks at
 * the text, because the spelling itself is what it is about.
 */
#include "lint-internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../explain/strf.h"
#include "capscope/cri.h"
#include "capscope/text.h"
#include "internal/cleanup.h"
#include "internal/util.h"

#define CS_CAP_NET_BIND_SERVICE 10

struct eval {
	const struct cs_lint_opts *o;
	const struct cs_pod_explain_result *res;
	struct cs_lint_report *r;
	struct cs_diag *d; /* a container the model cannot follow: why */
};

/* Does the annotation's list name this rule for this container? Entries are
 * "RULE" (the whole object) or "RULE:CONTAINER", separated by commas or
 * spaces; RULE is an id or a code. */
static bool suppressed(const char *list, enum cs_lint_rule_id rule, const char *container)
{
	const struct cs_lint_rule *ru = cs_lint_rule(rule);

	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ", \t\n"), idn;
		const char *colon = memchr(p, ':', n);

		idn = colon ? (size_t)(colon - p) : n;
		if ((idn == strlen(ru->id) && !strncmp(p, ru->id, idn)) ||
		    (idn == strlen(ru->code) && !strncmp(p, ru->code, idn))) {
			if (!colon)
				return true;
			size_t cn = n - idn - 1;

			if (container && cn == strlen(container) &&
			    !strncmp(colon + 1, container, cn))
				return true;
		}
		p += n;
		p += strspn(p, ", \t\n");
	}
	return false;
}

/* Add a finding unless turned off or suppressed; takes message. */
static int emit(struct eval *e, enum cs_lint_rule_id rule, const char *container,
		const char *capability, struct cs_pos pos, char *message)
{
	enum cs_lint_level l = e->o->config ? e->o->config->level[rule] : cs_lint_rule(rule)->level;
	struct cs_lint_where w = {e->res->pod, container, capability, pos};

	if (l == CS_LINT_OFF) {
		free(message);
		return message ? 0 : -ENOMEM;
	}
	if (suppressed(e->res->pod->lint_ignore, rule, container)) {
		e->r->n_suppressed++;
		free(message);
		return message ? 0 : -ENOMEM;
	}
	return cs_lint_report_add(e->r, rule, l, &w, message);
}

/* The first known position among a, b, c. */
static struct cs_pos first_pos(struct cs_pos a, struct cs_pos b, struct cs_pos c)
{
	return a.line ? a : b.line ? b : c;
}

/*
 * Where the container (as written) lists name in add (or drop); else its
 * capabilities, securityContext or the container itself. The search starts
 * at *from (NULL: at the first item) and goes round the list once; *from
 * is left after the item found. A caller that asks for the items in the
 * order they are written (the verdicts) so finds each at once: a list of n
 * names costs n, not n^2 (40,000 unknown names in add took 4.6 s).
 */
static struct cs_pos cap_pos_from(const struct cs_k8s_container *ct, const char *name, bool drop,
				  size_t *from)
{
	const struct cs_strlist *l = drop ? &ct->sc.drop : &ct->sc.add;
	const struct cs_pos *ip = drop ? ct->sc.drop_item_pos : ct->sc.add_item_pos;
	size_t start = from && *from < l->n ? *from : 0;

	for (size_t k = 0; name && ip && k < l->n; k++) {
		size_t i = (start + k) % l->n;

		if (!strcmp(l->v[i], name) && ip[i].line) {
			if (from)
				*from = i + 1;
			return ip[i];
		}
	}
	return first_pos(ct->sc.caps_pos, ct->sc.pos, ct->pos);
}

static struct cs_pos cap_pos(const struct cs_k8s_container *ct, const char *name, bool drop)
{
	return cap_pos_from(ct, name, drop, NULL);
}

static bool list_has_fold(const struct cs_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcasecmp(l->v[i], s))
			return true;
	return false;
}

static const char *k8s_name(int cap, char *buf, size_t len)
{
	cs_cap_name_r(cap, true, buf, len);
	return strncmp(buf, "CAP_", 4) ? buf : buf + 4;
}

/*
 * The lowest-risk remedy nothing in the pod stands in the way of, for cap.
 * The unprivileged-port sysctl only answers NET_BIND_SERVICE.
 */
static const struct cs_remedy *best_remedy(const struct cs_pod_ctr_result *c, int cap)
{
	const struct cs_remedy *any = NULL;

	for (size_t i = 0; i < c->n_remedies; i++) {
		if (!strcmp(c->remedies[i].id, "sysctl") && cap != CS_CAP_NET_BIND_SERVICE)
			continue;
		if (!c->remedies[i].blocked_by)
			return &c->remedies[i];
		any = any ? any : &c->remedies[i];
	}
	return any;
}

/* The verdicts a remedy of explain answers (the process starts, the
 * capability is lost on the way); the others have their cause in the text. */
static bool remedy_applies(enum cs_why why)
{
	return why != CS_WHY_NOT_CREATED && why != CS_WHY_NOT_A_CAPABILITY &&
	       why != CS_WHY_RUNTIME_UNKNOWN_NAME && why != CS_WHY_RUNTIME_DROPPED &&
	       why != CS_WHY_SCC_DROPPED && why != CS_WHY_NOT_STARTED && why != CS_WHY_EXEC_FAILS;
}

static int rule_not_effective(struct eval *e, const struct cs_pod_ctr_result *c)
{
	size_t at = 0;
	int r;

	for (size_t i = 0; i < c->n_verdicts; i++) {
		const struct cs_cap_verdict *v = &c->verdicts[i];
		const struct cs_remedy *rm = remedy_applies(v->why) ? best_remedy(c, v->cap) : NULL;
		const char *cause = v->why == CS_WHY_NOT_CREATED && c->reason ? c->reason : NULL;
		char buf[32];

		/* ALL is judged by the sets (dangerous-cap); a pod that is not
		 * admitted has its own finding. */
		if (v->effective || v->why == CS_WHY_ALL || v->why == CS_WHY_NOT_ADMITTED)
			continue;
		const char *cap = v->cap >= 0 ? k8s_name(v->cap, buf, sizeof(buf)) : v->name;
		/* A name that is no capability is a word of the sentence
		 * (lib/word.c): "X will not be effective: Y" as a name imitated
		 * the sentence after it (seventeenth pass, part D). */
		cs_cleanup_free char *word = v->cap < 0 ? cs_word_dup(v->name, '"') : NULL;

		if (v->cap < 0 && !word)
			return -ENOMEM;
		r = emit(e, CS_LINT_CAP_NOT_EFFECTIVE, c->c->name, cap,
			 cap_pos_from(c->c, v->name, false, &at),
			 cs_strf("%s will not be effective: %s [%s]%s%s%s%s", word ? word : cap,
				 v->short_text, cs_why_id(v->why), cause ? ": " : "",
				 cause ? cause : "", rm ? "; fix: " : "", rm ? rm->title : ""));
		if (r < 0)
			return r;
	}
	return 0;
}

static const char *requested_name(const struct cs_pod_ctr_result *c, int cap)
{
	for (size_t i = 0; i < c->n_verdicts; i++)
		if (c->verdicts[i].cap == cap)
			return c->verdicts[i].name;
	return NULL;
}

static int rule_dangerous(struct eval *e, const struct cs_pod_ctr_result *c)
{
	if (!c->post)
		return 0;
	cs_mask_t eff = c->post->caps.set[CS_EFF], held = eff | c->post->caps.set[CS_PRM];

	for (int cap = 0; cap < CS_CAP_BITS; cap++) {
		const struct cs_lint_danger *dg = cs_lint_danger(cap);
		char buf[32];
		int r;

		if (!(held & CS_BIT(cap)) || !dg)
			continue;
		const char *nm = k8s_name(cap, buf, sizeof(buf)), *req = requested_name(c, cap);
		r = emit(e, CS_LINT_DANGEROUS_CAP, c->c->name, nm,
			 req ? cap_pos(c->c, req, false) : cap_pos(c->c, NULL, false),
			 cs_strf("holds %s (%s%s): %s", nm,
				 eff & CS_BIT(cap) ? "effective" : "permitted",
				 req				     ? ""
				 : list_has_fold(&c->adm.add, "ALL") ? ", from add: [ALL]"
								     : ", not requested",
				 dg->why));
		if (r < 0)
			return r;
	}
	return 0;
}

static int rule_drop_all(struct eval *e, const struct cs_pod_ctr_result *c)
{
	cs_mask_t asked = 0, extra;
	char names[640];

	if (!c->oci || list_has_fold(&c->adm.add, "ALL"))
		return 0;
	for (size_t i = 0; i < c->n_verdicts; i++)
		if (c->verdicts[i].cap >= 0)
			asked |= CS_BIT(c->verdicts[i].cap);
	extra = c->oci->caps.set[CS_BND] & ~asked;
	if (!extra)
		return 0;
	cs_mask_format_names(extra, CS_NAMES_K8S, names, sizeof(names));
	return emit(
	    e, CS_LINT_MISSING_DROP_ALL, c->c->name, NULL,
	    first_pos(c->c->sc.drop_pos, c->c->sc.caps_pos,
		      first_pos(c->c->sc.pos, c->c->pos, c->c->pos)),
	    cs_strf("keeps %d capabilities %s adds by default that it did not ask for (%s): "
		    "no ALL in capabilities.drop",
		    cs_mask_count(extra), cs_cri_runtime_name(e->o->explain.runtime), names));
}

static int rule_escalation(struct eval *e, const struct cs_pod_ctr_result *c)
{
	const struct cs_explain_file *f = &c->file;
	char fc[640] = "";

	if (!f->known || f->error || !c->oci || c->oci->no_new_privileges)
		return 0;
	bool setid = f->mode & (S_ISUID | S_ISGID), fcaps = f->fcaps_state == 1;

	if (!setid && !fcaps)
		return 0;
	if (fcaps)
		cs_mask_format_names(f->fcaps.permitted | f->fcaps.inheritable, CS_NAMES_K8S, fc,
				     sizeof(fc));
	return emit(
	    e, CS_LINT_ESCALATION_ENTRYPOINT, c->c->name, NULL,
	    first_pos(c->c->sc.pos, c->c->pos, c->c->pos),
	    cs_strf("allowPrivilegeEscalation is not false and the entrypoint %s%s%s %s%s%s%s: "
		    "execve raises the process's privileges",
		    f->path, f->interpreter ? " is a \"#!\" script whose interpreter " : "",
		    f->interpreter ? f->interpreter : "",
		    setid ? (f->mode & S_ISUID ? "is set-uid" : "is set-gid") : "",
		    setid && fcaps ? " and " : "", fcaps ? "has file capabilities " : "",
		    fcaps ? fc : ""));
}

/* cap-spelling: the text as written is the point here (item i of add or drop). */
static int spelling_one(struct eval *e, const struct cs_k8s_container *ct, size_t i, bool drop)
{
	char buf[32], *msg;
	const char *nm = (drop ? &ct->sc.drop : &ct->sc.add)->v[i], *as_written = nm;

	if (!strcmp(nm, "ALL"))
		return 0;
	if (!strcasecmp(nm, "ALL")) {
		nm = "ALL";
		msg = cs_strf("'%s' in capabilities.%s: runtimes accept any case, but Pod Security "
			      "restricted and policy engines require \"ALL\"",
			      as_written, drop ? "drop" : "add");
	} else {
		int cap = cs_cap_from_name(nm, strlen(nm));
		const char *canon = cap < 0 ? NULL : k8s_name(cap, buf, sizeof(buf));

		if (!canon || !strcmp(nm, canon))
			return 0;
		if (!strncasecmp(nm, "CAP_", 4))
			msg = cs_strf("'%s' in capabilities.%s: containerd prefixes CAP_ again "
				      "(\"CAP_CAP_%s\", unknown, runc skips it) and Pod Security "
				      "compares names as written; write %s",
				      nm, drop ? "drop" : "add", canon, canon);
		else
			msg = cs_strf("'%s' in capabilities.%s: Pod Security, SCCs and policy "
				      "engines compare names as written; write %s",
				      nm, drop ? "drop" : "add", canon);
		nm = canon;
	}
	return emit(e, CS_LINT_CAP_SPELLING, ct->name, nm, cap_pos_from(ct, as_written, drop, &i),
		    msg);
}

static int rule_spelling(struct eval *e, const struct cs_k8s_container *ct)
{
	int r;

	for (int d = 0; d < 2; d++) {
		const struct cs_strlist *l = d ? &ct->sc.drop : &ct->sc.add;

		for (size_t i = 0; i < l->n; i++)
			if ((r = spelling_one(e, ct, i, d)) < 0)
				return r;
	}
	return 0;
}

static int container_rules(struct eval *e, const struct cs_pod_ctr_result *c)
{
	const struct cs_k8s_container *ct = c->c;
	int r;

	if (c->adm.privileged.set && c->adm.privileged.v) {
		if ((r = emit(
			 e, CS_LINT_PRIVILEGED, ct->name, NULL,
			 first_pos(ct->sc.pos, ct->pos, ct->pos),
			 cs_strf("privileged: every capability in all five sets, every device, "
				 "no seccomp"))) < 0)
			return r;
	} else if ((r = rule_dangerous(e, c)) < 0 || (r = rule_drop_all(e, c)) < 0)
		return r;
	if ((r = rule_not_effective(e, c)) < 0 || (r = rule_escalation(e, c)) < 0)
		return r;
	return rule_spelling(e, ct);
}

/*
 * Why each SCC the service account may use refused the pod (the others
 * are not the pod's to fix), made after the pod's containers from the
 * result cs_lint_pod owns. Every reason names every container, so the
 * message is kept as pieces (cs_lint_finding's parts): the words before
 * each reason, and the reason itself, taken from its attempt. Joined, it
 * was held beside the reasons it copied, whatever the order of filling
 * (seventeenth pass, part A's open find: 8.3 KB a container once every
 * allocated page counts). *n is the pieces' count; NULL on ENOMEM.
 */
static size_t granted(const struct cs_scc_result *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n_attempts; i++)
		n += s->attempts[i].granted;
	return n;
}

static char **scc_message_parts(struct cs_scc_result *s, size_t *n)
{
	static const char head[] = "no SCC the service account may use admits the pod";
	char **parts = calloc(1 + 2 * s->n_attempts, sizeof(*parts));
	bool oom = !parts || !(parts[0] = strdup(head));

	*n = parts ? 1 : 0;
	for (size_t i = 0; !oom && i < s->n_attempts; i++) {
		struct cs_scc_attempt *a = &s->attempts[i];
		/* Each SCC's name a word of the sentence (lib/word.c): an
		 * SCC "zz: the pod" imitated a reason (seventeenth pass, part D). */
		cs_cleanup_free char *w = a->granted ? cs_word_dup(a->scc->name, '"') : NULL;

		if (!a->granted)
			continue;
		if (!w || !(parts[*n] = cs_strf("; %s: ", w)))
			break;
		if (!(parts[++*n] = a->reason ? a->reason : strdup("")))
			break;
		a->reason = NULL; /* the finding's now */
		++*n;
	}
	oom = oom || *n < 1 + 2 * granted(s);
	if (!oom)
		return parts;
	for (size_t i = 0; parts && i < *n; i++)
		free(parts[i]);
	free(parts);
	return NULL;
}

/* emit for a message in pieces (scc_message_parts'; NULL: out of memory). */
static int emit_parts(struct eval *e, enum cs_lint_rule_id rule, struct cs_pos pos, char **parts,
		      size_t n)
{
	enum cs_lint_level l = e->o->config ? e->o->config->level[rule] : cs_lint_rule(rule)->level;
	struct cs_lint_where w = {e->res->pod, NULL, NULL, pos};
	bool made = parts != NULL, off = l == CS_LINT_OFF,
	     quiet = !off && suppressed(e->res->pod->lint_ignore, rule, NULL);

	if (made && !off && !quiet)
		return cs_lint_report_add_parts(e->r, rule, l, &w, parts, n);
	e->r->n_suppressed += quiet;
	for (size_t i = 0; made && i < n; i++)
		free(parts[i]);
	free(parts);
	return made ? 0 : -ENOMEM;
}

/* The pod's own rules, after its containers (the report is sorted). scc
 * is res->scc, which the SCC rule takes the reasons of. */
static int pod_rules(struct eval *e, struct cs_scc_result *scc)
{
	const struct cs_pod_explain_result *res = e->res;
	const struct cs_k8s_pod *p = res->pod;
	int r;

	if (res->scc_modelled && !res->scc.admitted) {
		size_t n = 0;
		char **parts = scc_message_parts(scc, &n);

		if ((r = emit_parts(e, CS_LINT_SCC_NOT_ADMITTED, p->pos, parts, n)) < 0)
			return r;
	}
	if (e->o->psa_set && res->psa.level < e->o->psa_level) {
		const char *why =
		    e->o->psa_level == CS_PSA_RESTRICTED && res->psa.restricted_fail[0]
			? res->psa.restricted_fail
			: res->psa.baseline_fail;

		if ((r = emit(e, CS_LINT_PSA_LEVEL, NULL, NULL, p->pos,
			      cs_strf("does not meet Pod Security %s (it meets %s): %s",
				      cs_psa_level_name(e->o->psa_level),
				      cs_psa_level_name(res->psa.level), why))) < 0)
			return r;
	}
	return 0;
}

static int low_port_wanted(const struct cs_k8s_pod *p)
{
	int port = 0;

	for (size_t i = 0; i < p->n_containers; i++) {
		const struct cs_k8s_container *c = &p->containers[i];
		bool nbs = false;

		for (size_t k = 0; k < c->sc.add.n; k++)
			nbs = nbs || cs_cap_from_name(c->sc.add.v[k], strlen(c->sc.add.v[k])) ==
					 CS_CAP_NET_BIND_SERVICE;
		if (nbs && c->low_port && (!port || c->low_port < port))
			port = c->low_port;
	}
	return port;
}

/* explain's callback: the container's rules (the pod's run after its containers). */
static int lint_container(const struct cs_pod_explain_result *pod,
			  const struct cs_pod_ctr_result *c, void *data)
{
	struct eval *e = data;

	e->res = pod;
	/* A container the model cannot follow (past its 256 groups) has no
	 * verdicts to lint: the file's error, as it was before it was per container. */
	if (c->not_modelled)
		return cs_diag_set(e->d, E2BIG, 0, 0, NULL, "container %s: not modelled: %s",
				   c->c->name, c->not_modelled);
	return container_rules(e, c);
}

int cs_lint_pod(const struct cs_k8s_pod *pod, const struct cs_lint_opts *o,
		struct cs_lint_report *r, struct cs_diag *d)
{
	struct cs_pod_explain_opts eo = o->explain;
	struct cs_pod_explain_result *res = NULL;
	struct eval e = {.o = o, .r = r, .d = d};
	int ret, port;

	/* Each container linted as it is modelled, then freed: all of a pod's
	 * results held at once cost 19 KB a container (384 MB for 20,000). */
	eo.on_container = lint_container;
	eo.data = &e;
	/* Pod Security's reasons only for the rule that prints them. */
	eo.psa_level_only = !o->psa_set;
	/* A container that listens on a low port and asks for NET_BIND_SERVICE:
	 * check the bind, so that explain's sysctl remedy (the least risky fix)
	 * is among the remedies. */
	if ((port = low_port_wanted(pod)) != 0) {
		eo.ports = &port;
		eo.n_ports = 1;
	}
	if ((ret = cs_pod_explain(pod, &eo, &res, d)) < 0)
		return ret;
	e.res = res;
	ret = pod_rules(&e, &res->scc);
	r->n_objects += ret >= 0;
	cs_pod_explain_free(res);
	return ret;
}
