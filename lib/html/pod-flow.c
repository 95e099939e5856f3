/* SPDX-License-Identifier: MIT */
/*
 * explain pod's flow grid: one column per stage a container's credentials
 * pass (pod request, SCC admission when modelled, the runtime's OCI process,
 * runc just before execve, after execve, after an ambient-raising helper),
 * one row per capability that any stage names or holds. A cell says whether
 * the capability is kept, gained or dropped relative to the stage before: a
 * colour, a symbol ("=", "+", "−") and the sets holding it, with the model's
 * step that moved it in the title, so hovering a cell shows the rule.
 *
 * "Held" means: listed in capabilities.add (pod request, SCC), or in the
 * effective set (the runtime's and the process's stages): what the article's
 * question is about. The set letters show the rest (bounding-only is not
 * held, and reads so).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capscope/explain.h"
#include "html-internal.h"
#include "internal/util.h"

enum stage_kind { ST_REQ, ST_SCC, ST_OCI, ST_RUNC, ST_EXEC, ST_HELPER, ST_N };

struct stage {
	enum stage_kind k;
	const char *name;
	const struct cs_k8s_sc *sc; /* ST_REQ, ST_SCC */
	const struct cs_quintet *q; /* the others */
	long long uid;		    /* -1: not known at this stage */
	int nnp;		    /* -1: not decided here */
};

enum cell_state { CELL_ABSENT, CELL_KEPT, CELL_GAINED, CELL_DROPPED };

static const char *const state_class[] = {"absent", "kept", "gained", "dropped"};
static const char *const state_mark[] = {"\xc2\xb7", "=", "+", "\xe2\x88\x92"}; /* · = + − */

/* Does the list name cap (any spelling the model accepts), or ALL? */
static bool list_has(const struct cs_strlist *l, int cap, bool *all)
{
	bool hit = false;

	for (size_t i = 0; i < l->n; i++) {
		if (!strcasecmp(l->v[i], "ALL")) {
			if (all)
				*all = true;
			hit = true;
		} else if (cs_cap_from_name(l->v[i], strlen(l->v[i])) == cap) {
			hit = true;
		}
	}
	return hit;
}

static bool privileged(const struct cs_k8s_sc *sc)
{
	return sc->privileged.set && sc->privileged.v;
}

static bool held(const struct stage *s, int cap)
{
	if (s->sc)
		return privileged(s->sc) || list_has(&s->sc->add, cap, NULL);
	return s->q->set[CS_EFF] & CS_BIT(cap);
}

/* Does the list name cap itself (not through ALL)? */
static bool names_cap(const struct cs_strlist *l, int cap)
{
	for (size_t i = 0; i < l->n; i++)
		if (cs_cap_from_name(l->v[i], strlen(l->v[i])) == cap)
			return true;
	return false;
}

/*
 * The rows: every capability a stage holds in any set, adds, or names in a
 * drop list ("drop: [ALL]" alone does not make 41 rows).
 */
static cs_mask_t rows_of(const struct stage *st, size_t n)
{
	cs_mask_t m = 0;

	for (size_t i = 0; i < n; i++) {
		const struct stage *s = &st[i];

		if (s->q) {
			for (int k = 0; k < CS_NSETS; k++)
				m |= s->q->set[k];
			continue;
		}
		for (int cap = 0; cap <= cs_cap_last(); cap++)
			if (held(s, cap) || names_cap(&s->sc->drop, cap))
				m |= CS_BIT(cap);
	}
	return m;
}

static bool in_stage(const struct cs_step *s, enum stage_kind k)
{
	bool kernel = !strcmp(s->layer, "kernel"),
	     execve = kernel && !strncmp(s->rule, "execve", 6);
	/* runc's own steps, and the kernel's for the calls runc makes before execve. */
	bool runc = !strncmp(s->rule, "runc.", 5) || (kernel && !execve);

	switch (k) {
	case ST_REQ:
		return !strcmp(s->layer, "pod");
	case ST_SCC:
		return !strcmp(s->layer, "scc");
	case ST_OCI:
		return !strcmp(s->layer, "runtime") && !runc;
	case ST_RUNC:
		return runc;
	case ST_EXEC:
		return execve;
	default:
		return !strcmp(s->layer, "helper");
	}
}

/* The steps a container's report shows: the pod's (cs_pod_steps_of), then its own. */
struct step_views {
	struct cs_steps v[4];
	size_t n;
};

/* The step of this stage that moved cap: the effective set's first, else any set's. */
static const struct cs_step *step_for(const struct step_views *sts, enum stage_kind k, int cap)
{
	const struct cs_step *any = NULL;

	for (size_t i = 0; i < sts->n; i++)
		for (size_t j = 0; j < sts->v[i].n; j++) {
			const struct cs_step *s = &sts->v[i].v[j];

			if (!s->has_set || !in_stage(s, k) ||
			    !((s->added | s->removed) & CS_BIT(cap)))
				continue;
			if (s->set == CS_EFF)
				return s;
			if (!any)
				any = s;
		}
	return any;
}

/* The set letters holding cap: "B P E I A" order, as /proc lists them. */
static void letters(const struct cs_quintet *q, int cap, char *buf, size_t len)
{
	static const struct {
		enum cs_set s;
		char c;
	} order[] = {{CS_BND, 'B'}, {CS_PRM, 'P'}, {CS_EFF, 'E'}, {CS_INH, 'I'}, {CS_AMB, 'A'}};
	size_t o = 0;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]) && o + 3 < len; i++)
		if (q->set[order[i].s] & CS_BIT(cap)) {
			if (o)
				buf[o++] = ' ';
			buf[o++] = order[i].c;
		}
	buf[o] = '\0';
}

static void cell(FILE *f, enum cell_state st, const char *text, const char *title)
{
	fprintf(f, "<td class=\"%s\" data-state=\"%s\" title=\"", state_class[st], state_class[st]);
	cs_html_put(f, title);
	fprintf(f, "\"><span class=\"mark\">%s</span>", state_mark[st]);
	cs_html_put(f, text);
	fputs("</td>", f);
}

/* A manifest stage's cell: add / drop lists, compared with the request for SCC. */
static void list_cell(FILE *f, const struct stage *s, const struct stage *req, int cap,
		      const char *scc)
{
	bool all = false, now = held(s, cap), drop = list_has(&s->sc->drop, cap, &all);
	char why[256];

	if (s->k == ST_REQ) {
		if (now)
			cell(f, CELL_GAINED, privileged(s->sc) ? "privileged" : "add",
			     privileged(s->sc) ? "privileged: true asks for every capability"
					       : "securityContext.capabilities.add names it");
		else if (drop)
			cell(f, CELL_DROPPED, all ? "drop ALL" : "drop",
			     all ? "securityContext.capabilities.drop has ALL"
				 : "securityContext.capabilities.drop names it");
		else
			cell(f, CELL_ABSENT, "", "not named: the runtime's defaults decide");
		return;
	}
	if (now && !held(req, cap)) {
		cs_format_cut(why, sizeof(why), "SCC %s adds it (defaultAddCapabilities)", scc);
		cell(f, CELL_GAINED, "add (SCC)", why);
	} else if (now) {
		cell(f, CELL_KEPT, "add", "the SCC keeps the request's add");
	} else if (held(req, cap)) {
		cs_format_cut(why, sizeof(why), "SCC %s removes it from add", scc);
		cell(f, CELL_DROPPED, "", why);
	} else if (drop && !list_has(&req->sc->drop, cap, NULL)) {
		cs_format_cut(why, sizeof(why), "SCC %s drops it (requiredDropCapabilities)", scc);
		cell(f, CELL_DROPPED, "drop (SCC)", why);
	} else {
		cell(f, CELL_ABSENT, drop ? "drop" : "",
		     drop ? "dropped as requested" : "not named");
	}
}

/* A process stage's cell: the effective set compared with the stage before. */
static void proc_cell(FILE *f, const struct stage *s, bool before, int cap,
		      const struct step_views *sts, const struct cs_cap_verdict *v)
{
	bool now = held(s, cap);
	enum cell_state st = now && before ? CELL_KEPT
			     : now	   ? CELL_GAINED
			     : before	   ? CELL_DROPPED
					   : CELL_ABSENT;
	const struct cs_step *step = st == CELL_KEPT ? NULL : step_for(sts, s->k, cap);
	const char *vt = v && v->text ? v->text : NULL;
	char l[16], title[700];

	letters(s->q, cap, l, sizeof(l));
	/* Cut in its middle on a character, and said so (cs_format_cut).
	 * Twentieth pass: snprintf cut a long verdict (an entrypoint of 400
	 * "é") at 699 bytes, half a character, which the page showed as
	 * "\xc3", a byte the name does not hold, and no mark of the cut. */
	if (step)
		cs_format_cut(title, sizeof(title), "%s: %s%s%s", step->rule, step->detail,
			      vt ? ". Verdict: " : "", vt ? vt : "");
	else
		cs_format_cut(title, sizeof(title), "%s: %s%s%s%s%s%s", s->name,
			      now ? "effective" : "not effective", l[0] ? " (sets: " : "", l,
			      l[0] ? ")" : "", vt ? ". Verdict: " : "", vt ? vt : "");
	cell(f, st, l, title);
}

static const struct cs_cap_verdict *verdict_of(const struct cs_pod_ctr_result *c, int cap)
{
	for (size_t i = 0; i < c->n_verdicts; i++)
		if (c->verdicts[i].cap == cap)
			return &c->verdicts[i];
	return NULL;
}

static struct stage list_stage(enum stage_kind k, const char *name, const struct cs_k8s_sc *sc)
{
	return (struct stage){.k = k,
			      .name = name,
			      .sc = sc,
			      .uid = sc->run_as_user.set ? sc->run_as_user.v : -1,
			      .nnp = -1};
}

static struct stage proc_stage(enum stage_kind k, const char *name, const struct cs_quintet *q,
			       uid_t uid, bool nnp)
{
	return (struct stage){.k = k, .name = name, .q = q, .uid = uid, .nnp = nnp};
}

/* The stages this container reached. */
static size_t stages_of(const struct cs_pod_explain_result *pod, const struct cs_pod_ctr_result *c,
			struct stage *st)
{
	const struct cs_helper_result *h = c->helper;
	size_t n = 0;

	st[n++] = list_stage(ST_REQ, "pod request", &c->req);
	if (pod->scc_modelled)
		st[n++] = list_stage(ST_SCC, "SCC admission", &c->adm);
	if (!c->admitted || !c->oci_ok || !c->oci)
		return n;
	st[n++] = proc_stage(ST_OCI, "runtime (OCI)", &c->oci->caps, c->oci->uid,
			     c->oci->no_new_privileges);
	if (!c->exec.ok && !c->exec.error) /* runc stopped before execve */
		return n;
	st[n++] = proc_stage(ST_RUNC, "runc, before execve", &c->pre.caps, c->pre.euid,
			     c->pre.no_new_privs);
	if (!c->exec.ok || !c->post)
		return n;
	st[n++] = proc_stage(ST_EXEC, "after execve", &c->post->caps, c->post->uid[1],
			     c->post->no_new_privs);
	/* An ambient-raising helper as entrypoint: what the program it execs gets. */
	if (h && h->ok)
		st[n++] = proc_stage(ST_HELPER, "after the helper", &h->post.caps, h->post.uid[1],
				     h->post.no_new_privs);
	return n;
}

static void header_row(FILE *f, const struct stage *st, size_t n, const struct step_views *sts)
{
	fputs("<thead><tr><th>capability</th>", f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "<th data-stage=\"%d\" title=\"", (int)st[i].k);
		for (size_t k = 0, first = 1; k < sts->n; k++)
			for (size_t j = 0; j < sts->v[k].n; j++)
				if (in_stage(&sts->v[k].v[j], st[i].k)) {
					fputs(first ? "rules: " : ", ", f);
					cs_html_put(f, sts->v[k].v[j].rule);
					first = 0;
				}
		fprintf(f, "\">%s</th>", st[i].name);
	}
	fputs("<th>verdict</th></tr></thead>\n", f);
}

/* uid and no_new_privs per stage, above the capabilities. */
static void cred_rows(FILE *f, const struct stage *st, size_t n)
{
	fputs("<tr><th>uid</th>", f);
	for (size_t i = 0; i < n; i++)
		if (st[i].uid >= 0)
			fprintf(f, "<td class=\"mono\">%lld</td>", st[i].uid);
		else
			fputs("<td class=\"absent\">image's</td>", f);
	fputs("<td></td></tr>\n<tr><th>no_new_privs</th>", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "<td>%s</td>", st[i].nnp < 0 ? "" : st[i].nnp ? "yes" : "no");
	fputs("<td></td></tr>\n", f);
}

static void verdict_cell(FILE *f, const struct cs_cap_verdict *v)
{
	if (!v) {
		fputs("<td></td>", f);
		return;
	}
	fprintf(f, "<td class=\"%s\" data-verdict=\"%s\" title=\"", v->effective ? "ok" : "bad",
		cs_why_id(v->why));
	cs_html_put(f, v->text);
	fprintf(f,
		"\">%s: ", v->effective ? "\xe2\x9c\x93 effective" : "\xe2\x9c\x97 not effective");
	cs_html_put(f, v->short_text);
	fputs("</td>", f);
}

void html_pod_flow(FILE *f, const struct cs_pod_explain_result *pod,
		   const struct cs_pod_ctr_result *c)
{
	struct step_views sv;
	struct stage st[ST_N];
	size_t n = stages_of(pod, c, st);
	cs_mask_t rows = rows_of(st, n);
	char name[32];

	fputs("<table class=\"flow\">\n", f);
	sv.n = cs_pod_steps_of(pod, c, sv.v);
	sv.v[sv.n++] = c->steps;
	header_row(f, st, n, &sv);
	fputs("<tbody>\n", f);
	cred_rows(f, st, n);
	for (int cap = 0; cap < CS_CAP_BITS; cap++) {
		const struct cs_cap_verdict *v = verdict_of(c, cap);

		if (!(rows & CS_BIT(cap)))
			continue;
		cs_cap_name_r(cap, true, name, sizeof(name));
		fprintf(f, "<tr data-cap=\"%s\"%s><th>%s</th>", name, v ? " class=\"req\"" : "",
			name);
		for (size_t i = 0; i < n; i++) {
			if (st[i].sc) {
				list_cell(f, &st[i], &st[0], cap, c->scc_name ? c->scc_name : "");
				continue;
			}
			/* st[0] is always the request: a process stage has one before it. */
			proc_cell(f, &st[i], held(&st[i - 1], cap), cap, &sv,
				  i == n - 1 ? v : NULL);
		}
		verdict_cell(f, v);
		fputs("</tr>\n", f);
	}
	fputs(
	    "</tbody></table>\n<p class=\"legend\"><span class=\"gained\">+ gained</span>"
	    "<span class=\"kept\">= kept</span><span class=\"dropped\">\xe2\x88\x92 dropped</span>"
	    "<span>B P E I A: bounding, permitted, effective, inheritable, ambient</span></p>\n",
	    f);
}
