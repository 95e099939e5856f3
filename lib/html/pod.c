/* SPDX-License-Identifier: MIT */
/*
 * explain pod as a page: per pod its admission (Pod Security, SCC), per
 * container the flow grid (pod-flow.c), the verdict per requested
 * capability, the checks, the remedies with their snippets and the steps.
 * Every name from the manifest, an SCC or the image goes through
 * cs_html_put; the library's own words (titles, risk, why ids) are fixed
 * strings.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/explain.h"
#include "capscope/fcaps.h"
#include "html-internal.h"

/* One piece of the pod's SCC reason (cs_scc_reason_each): escapes are per
 * character and the pieces meet beside ASCII, so the bytes of the whole. */
static int html_piece(const char *piece, void *data)
{
	cs_html_put(data, piece);
	return 0;
}

static int pod_header(FILE *f, const struct cs_pod_explain_result *r)
{
	const struct cs_k8s_pod *pod = r->pod;
	const struct cs_psa_result *psa = &r->psa;

	fputs("<h2 class=\"pod\">", f);
	cs_html_put(f, pod->kind);
	fputc(' ', f);
	cs_html_put(f, pod->name ? pod->name : "(unnamed)");
	fputs("</h2>\n<p>From <code>", f);
	cs_html_put(f, pod->file ? pod->file : "-");
	fprintf(f, ":%u</code></p>\n<p>Pod Security: <b>%s</b>", pod->pos.line,
		cs_psa_level_name(psa->level));
	if (psa->level < CS_PSA_RESTRICTED) {
		fprintf(f,
			" (not %s: ", psa->level == CS_PSA_PRIVILEGED ? "baseline" : "restricted");
		cs_html_put(f, psa->level == CS_PSA_PRIVILEGED ? psa->baseline_fail
							       : psa->restricted_fail);
		fputc(')', f);
	}
	fputs("</p>\n", f);
	if (pod->runtime_class) {
		fputs("<p>RuntimeClass: <code>", f);
		cs_html_put(f, pod->runtime_class);
		fputs("</code> (not read: the runtime's default handler is modelled)</p>\n", f);
	}
	if (!r->scc_modelled) {
		fputs("<p>SCC admission: not modelled (use --openshift or --scc)</p>\n", f);
		return 0;
	}
	fputs("<p>SCC admission: ", f);
	if (cs_scc_reason_each(&r->scc, html_piece, f) < 0)
		return -ENOMEM;
	fputs("</p>\n<table class=\"scc\"><thead><tr><th>SCC</th><th>result</th></tr></thead>"
	      "<tbody>\n",
	      f);
	for (size_t k = 0; k < r->scc.n_attempts; k++) {
		const struct cs_scc_attempt *a = &r->scc.attempts[k];

		fputs("<tr><td>", f);
		cs_html_put(f, a->scc->name);
		fprintf(f, "</td><td class=\"%s\">", a->ok ? "ok" : "bad");
		cs_html_put(f, a->ok ? "\xe2\x9c\x93 chosen" : a->reason);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
	return 0;
}

/* File capabilities not spelled for memory set *oom (no page), never "?". */
static void entrypoint(FILE *f, const struct cs_explain_file *e, bool *oom)
{
	fputs("<p>Entrypoint: <code>", f);
	cs_html_put(f, e->path ? e->path : "");
	fputs("</code>", f);
	if (e->interpreter) {
		fputs(", a <code>#!</code> script run by <code>", f);
		cs_html_put(f, e->interpreter);
		fputs("</code>", f);
	}
	if (e->note) {
		fputs(" (", f);
		cs_html_put(f, e->note);
		fputc(')', f);
	}
	if (e->known && !e->error) {
		fprintf(f, ", mode %04o, owner %u", (unsigned)(e->mode & 07777),
			(unsigned)e->owner_uid);
		if (e->fcaps_state > 0) {
			char *txt = cs_fcaps_to_text(&e->fcaps);

			if (!txt)
				*oom = true;
			fputs(", file capabilities <code>", f);
			cs_html_put(f, txt);
			fputs("</code>", f);
			free(txt);
		}
	}
	fputs("</p>\n", f);
}

static void verdicts(FILE *f, const struct cs_pod_ctr_result *c)
{
	if (!c->n_verdicts)
		return;
	fputs("<h4>Requested capabilities</h4>\n<table class=\"verdicts\"><thead><tr>"
	      "<th>capability</th><th>verdict</th><th>why</th><th>explanation</th></tr></thead>"
	      "<tbody>\n",
	      f);
	for (size_t i = 0; i < c->n_verdicts; i++) {
		const struct cs_cap_verdict *v = &c->verdicts[i];

		fputs("<tr><td>", f);
		cs_html_put(f, v->name);
		fprintf(f, "</td><td class=\"%s\">%s</td><td><code>%s</code></td><td>",
			v->effective ? "ok" : "bad",
			v->effective ? "\xe2\x9c\x93 effective" : "\xe2\x9c\x97 not effective",
			cs_why_id(v->why));
		cs_html_put(f, v->text);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

static void checks(FILE *f, const struct cs_pod_ctr_result *c)
{
	if (!c->n_checks)
		return;
	fputs("<h4>Checks</h4>\n<table class=\"checks\"><tbody>\n", f);
	for (size_t i = 0; i < c->n_checks; i++) {
		fputs("<tr><td>", f);
		cs_html_put(f, c->checks[i].check);
		fprintf(f, "</td><td class=\"%s\">%s</td><td>", c->checks[i].ok ? "ok" : "bad",
			c->checks[i].ok ? "\xe2\x9c\x93 yes" : "\xe2\x9c\x97 no");
		cs_html_put(f, c->checks[i].why);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

/* The library escaped the manifest's text in remedies for terminals already
 * (explain.h): its backslashes are kept, not escaped a second time. */
static void remedies(FILE *f, const struct cs_pod_ctr_result *c)
{
	if (!c->n_remedies)
		return;
	fputs("<h4>Remedies, lowest risk first</h4>\n<ol class=\"remedies\">\n", f);
	for (size_t i = 0; i < c->n_remedies; i++) {
		const struct cs_remedy *v = &c->remedies[i];

		fprintf(f, "<li data-remedy=\"%s\"><p><b>", v->id);
		cs_html_put(f, v->title);
		fprintf(f, "</b> <span class=\"risk-%s\">risk: %s</span></p>\n", v->risk, v->risk);
		if (v->blocked_by) {
			fputs("<p>In this pod: ", f);
			cs_html_put_escaped(f, v->blocked_by);
			fputs(".</p>\n", f);
		}
		html_pre(f, "snippet", v->snippet);
		fputs("<p>Security: ", f);
		cs_html_put_escaped(f, v->note);
		fputs("</p></li>\n", f);
	}
	fputs("</ol>\n", f);
}

void html_steps(FILE *f, const struct cs_steps *st, size_t first)
{
	for (size_t i = 0; i < st->n; i++) {
		const struct cs_step *s = &st->v[i];

		fprintf(f, "<tr><td>%zu</td><td>", first + i);
		cs_html_put(f, s->layer);
		fputs("</td><td><code>", f);
		cs_html_put(f, s->rule);
		fputs("</code></td><td>", f);
		cs_html_put(f, s->detail);
		fputs("</td></tr>\n", f);
	}
}

int cs_html_pod_container(struct cs_html *h, const struct cs_pod_explain_result *pod,
			  const struct cs_pod_ctr_result *c)
{
	FILE *f = h->f;

	if (c->index == 0 && pod_header(f, pod) < 0)
		return -ENOMEM;
	fprintf(f, "<section class=\"container\" data-ok=\"%s\">\n<h3>Container ",
		cs_pod_ctr_ok(c) ? "yes" : "no");
	cs_html_put(f, c->c->name);
	fprintf(f, " <small>(%s", cs_k8s_ctr_kind_name(c->c->kind));
	if (c->c->image) {
		fputs(", image ", f);
		cs_html_put(f, c->c->image);
	}
	fputs(")</small></h3>\n", f);
	if (c->not_modelled) {
		fputs("<p class=\"bad\">Not modelled: ", f);
		cs_html_put(f, c->not_modelled);
		fputs("</p>\n", f);
	} else if (!c->admitted) {
		fputs("<p class=\"bad\">Not admitted: ", f);
		cs_html_put(f, c->reason);
		fputs("</p>\n", f);
	} else if (!c->oci_ok) {
		fputs("<p class=\"bad\">Not created: ", f);
		cs_html_put(f, c->exec_error);
		fputs(": ", f);
		cs_html_put(f, c->reason);
		fputs("</p>\n", f);
	} else {
		entrypoint(f, &c->file, &h->oom);
		if (!c->exec_ok) {
			fputs("<p class=\"bad\">The process does not start: ", f);
			cs_html_put(f, c->exec_error);
			fputs("</p>\n", f);
		}
	}
	html_pod_flow(f, pod, c);
	verdicts(f, c);
	checks(f, c);
	remedies(f, c);
	fputs("<details><summary>Steps of the model</summary>\n<table class=\"steps\"><thead><tr>"
	      "<th>#</th><th>layer</th><th>rule</th><th>detail</th></tr></thead><tbody>\n",
	      f);
	struct cs_steps ps[3];
	size_t np = cs_pod_steps_of(pod, c, ps), first = 1;

	for (size_t k = 0; k < np; first += ps[k++].n)
		html_steps(f, &ps[k], first);
	html_steps(f, &c->steps, first);
	fputs("</tbody></table></details>\n</section>\n", f);
	return 0;
}
