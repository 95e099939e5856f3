/* SPDX-License-Identifier: MIT */
/*
 * scan as a page: summary counts, then per target the table of privileged
 * files (path, set-uid / set-gid, file capabilities, rootid, owner, layer,
 * risk and why). Paths come from the scanned data: cs_html_put.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capscope/scan.h"
#include "html-internal.h"

struct counts {
	uint64_t files, dirs;
	size_t findings, setuid, setgid, fcaps, inert, errors, risk[CS_RISK_CRITICAL + 1];
};

static void count(const struct cs_scan_target *t, size_t n, struct counts *k)
{
	memset(k, 0, sizeof(*k));
	for (size_t i = 0; i < n; i++) {
		const struct cs_scan_result *r = &t[i].r;

		k->files += r->files;
		k->dirs += r->dirs;
		k->errors += r->nerrors + (t[i].rc < 0);
		for (size_t j = 0; j < r->nfindings; j++) {
			const struct cs_finding *f = &r->findings[j];

			k->findings++;
			k->setuid += (f->mode & S_ISUID) != 0;
			k->setgid += (f->mode & S_ISGID) != 0;
			k->fcaps += f->has_fcaps;
			k->inert += f->inert;
			if (f->risk <= CS_RISK_CRITICAL)
				k->risk[f->risk]++;
		}
	}
}

static void summary(FILE *f, const struct cs_scan_target *t, size_t n)
{
	struct counts k;

	count(t, n, &k);
	fputs("<h2>Summary</h2>\n<table class=\"summary\"><tbody>\n", f);
	fprintf(f,
		"<tr><th>privileged files</th><td data-count=\"findings\">%zu</td></tr>\n"
		"<tr><th>set-uid</th><td data-count=\"setuid\">%zu</td></tr>\n"
		"<tr><th>set-gid</th><td data-count=\"setgid\">%zu</td></tr>\n"
		"<tr><th>file capabilities</th><td data-count=\"fcaps\">%zu</td></tr>\n"
		"<tr><th>inert (nosuid mount)</th><td data-count=\"inert\">%zu</td></tr>\n",
		k.findings, k.setuid, k.setgid, k.fcaps, k.inert);
	for (int r = CS_RISK_CRITICAL; r >= CS_RISK_INFO; r--)
		fprintf(
		    f,
		    "<tr><th>risk %s</th><td class=\"risk-%s\" data-count=\"%s\">%zu</td></tr>\n",
		    cs_risk_name(r), cs_risk_name(r), cs_risk_name(r), k.risk[r]);
	fprintf(
	    f,
	    "<tr><th>files / directories looked at</th><td>%" PRIu64 " / %" PRIu64 "</td></tr>\n"
	    "<tr><th>unreadable</th><td data-count=\"errors\">%zu</td></tr>\n</tbody></table>\n",
	    k.files, k.dirs, k.errors);
}

/* false: a cell was left out for memory (twentieth pass, part I: the page
 * said "(out of memory)" there and the run exited 0) */
static bool finding_row(FILE *f, const struct cs_scan_result *r, const struct cs_finding *x)
{
	bool whole;

	char *caps = cs_finding_caps_text(x);
	const char *path = cs_finding_path(r, x);

	whole = path && (caps || x->fcaps_invalid);
	fprintf(f, "<tr class=\"risk-%s\"><td>%s%s</td><td class=\"mono\">", cs_risk_name(x->risk),
		cs_risk_name(x->risk), x->inert ? " (inert)" : "");
	cs_html_put(f, path ? path : "(out of memory)");
	fprintf(f, "</td><td>%s</td><td>%s</td><td class=\"mono\">", x->mode & S_ISUID ? "yes" : "",
		x->mode & S_ISGID ? "yes" : "");
	cs_html_put(f, x->fcaps_invalid ? "invalid" : !caps ? "(out of memory)" : caps);
	fputs("</td><td>", f);
	if (x->has_fcaps && !x->fcaps_invalid && x->fcaps.version == 3)
		fprintf(f, "%" PRIu32, x->fcaps.rootid);
	fprintf(f, "</td><td>%" PRIu32 ":%" PRIu32 "</td><td class=\"mono\">0%o</td><td>", x->uid,
		x->gid, x->mode & 07777);
	if (x->layer >= 0)
		fprintf(f, "%d", x->layer);
	fputs("</td><td>", f);
	if (x->entrypoint)
		fputs("<b>entrypoint</b>; ", f);
	if (x->inert)
		fputs("nosuid mount; ", f);
	cs_html_put(f, x->reason);
	fputs("</td></tr>\n", f);
	free(caps);
	return whole;
}

static bool target(FILE *f, const struct cs_scan_target *t)
{
	const struct cs_scan_result *r = &t->r;
	char msg[800];
	bool whole = true;

	fputs("<h2>", f);
	cs_html_put(f, t->name);
	fprintf(f, " <small>(%s)</small></h2>\n", t->image ? "image" : "directory tree");
	if (t->image && r->image_kind && strcmp(r->image_kind, "layer")) {
		fprintf(f, "<p>%s, %u layer%s, user <code>", r->image_kind, r->nlayers,
			r->nlayers == 1 ? "" : "s");
		cs_html_put(f, r->config.user);
		fputs("</code>", f);
		if (r->entrypoint_path) {
			fputs(", entrypoint <code>", f);
			cs_html_put(f, r->entrypoint_path);
			fputs("</code>", f);
		}
		fputs("</p>\n", f);
	}
	if (t->rc < 0) {
		fputs("<p class=\"bad\">", f);
		cs_html_put(f, cs_diag_format(&t->diag, msg, sizeof(msg)));
		fputs("</p>\n", f);
	}
	fputs("<table class=\"findings\"><thead><tr><th>risk</th><th>path</th><th>set-uid</th>"
	      "<th>set-gid</th><th>file capabilities</th><th>rootid</th><th>uid:gid</th>"
	      "<th>mode</th><th>layer</th><th>why</th></tr></thead><tbody>\n",
	      f);
	for (size_t i = 0; i < r->nfindings; i++)
		whole &= finding_row(f, r, &r->findings[i]);
	fprintf(f, "</tbody></table>\n<p>%zu privileged file%s.</p>\n", r->nfindings,
		r->nfindings == 1 ? "" : "s");
	for (size_t i = 0; i < r->nerrors; i++) {
		fputs("<p class=\"bad\">Not read: <code>", f);
		const char *p = cs_scan_error_path(r, &r->errors[i]);

		cs_html_put(f, p ? p : "(out of memory)");
		whole &= p != NULL;
		fputs("</code>: ", f);
		cs_html_put(f, r->errors[i].message);
		fputs("</p>\n", f);
	}
	return whole;
}

void cs_html_scan(struct cs_html *h, const struct cs_scan_target *t, size_t n)
{
	summary(h->f, t, n);
	for (size_t i = 0; i < n; i++)
		if (!target(h->f, &t[i]))
			h->oom = true;
}

int cs_html_scan_page(const char *path, const struct cs_scan_target *t, size_t n, struct cs_diag *d)
{
	struct cs_html *h;
	int rc = cs_html_open(path, "capscope scan", &h, d);

	if (rc < 0)
		return rc;
	cs_html_scan(h, t, n);
	return cs_html_close(h, d);
}
