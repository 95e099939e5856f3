/* SPDX-License-Identifier: MIT */
/*
 * trace as a page: what was traced, the checks per capability (granted,
 * denied, by which processes, in which syscalls), a capability × process
 * grid, the least set and its profiles, and the re-run that verified it.
 * comm is the traced process's to choose: cs_html_put.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/text.h"
#include "capscope/trace-json.h"
#include "capscope/trace.h"
#include "html-internal.h"
#include "internal/memstream.h"

#define GRID_MAX 16 /* processes shown as grid columns */

/*
 * One item of a list, escaped, with ',' as "\x2c" ('\\' is escaped already,
 * so the form cannot be confused): a process names its comm, and "chown,
 * sshd" read as two commands. A comm that is the cut mark "\xe2\x80\xa6"
 * alone is shown as its three bytes, so it cannot pass for a cut list.
 */
static void put_item(FILE *f, const char *raw)
{
	char *e = cs_html_escape_dup(raw);

	if (!e) {
		fputs("?", f);
		return;
	}
	if (strcmp(e, "\xe2\x80\xa6") == 0) {
		fputs("\\xe2\\x80\\xa6", f);
	} else {
		for (const char *p = e; *p; p++)
			if (*p == ',')
				fputs("\\x2c", f);
			else
				fputc(*p, f);
	}
	free(e);
}

static void put_list(FILE *f, char *const *v, size_t n, bool more)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputs(", ", f);
		put_item(f, v[i]);
	}
	if (more)
		fputs(", \xe2\x80\xa6", f);
}

static void put_syscalls(FILE *f, const struct cs_trace_row *row)
{
	for (size_t i = 0; i < row->nsyscalls; i++) {
		const char *s = cs_syscall_name(row->syscalls[i]);

		fputs(i ? ", " : "", f);
		if (s)
			fputs(s, f);
		else
			fprintf(f, "%d", row->syscalls[i]);
	}
	if (row->more_syscalls)
		fputs(", \xe2\x80\xa6", f);
}

static void row_html(FILE *f, const struct cs_trace_report *r, int cap, int k, cs_mask_t prof)
{
	const struct cs_trace_row *row = &r->rows[cap][k];
	char name[32];
	bool in = k == CS_SITE_CHECK && (prof & CS_BIT(cap));

	cs_cap_name_r(cap, true, name, sizeof(name));
	fprintf(f,
		"<tr data-cap=\"%s\" data-site=\"%s\"><th>%s</th><td>%" PRIu64 "</td><td>%" PRIu64
		"</td><td class=\"%s\">%s</td><td>",
		name, cs_site_class_name((enum cs_site_class)k), name, row->granted, row->denied,
		in		     ? "gained"
		: k == CS_SITE_CHECK ? "dropped"
				     : "absent",
		in		     ? "+ in the least set"
		: k != CS_SITE_CHECK ? "\xc2\xb7 noise, not a need"
				     : "\xe2\x88\x92 denied only, not added");
	put_list(f, row->comms, row->ncomms, row->more_comms);
	fputs("</td><td class=\"mono\">", f);
	put_syscalls(f, row);
	fputs("</td><td class=\"mono\">", f);
	put_list(f, row->callers, row->ncallers, row->more_callers);
	fputs("</td></tr>\n", f);
}

static void checks_table(FILE *f, const struct cs_trace_report *r, cs_mask_t prof)
{
	fputs("<h2>Checks per capability</h2>\n<table class=\"checks\"><thead><tr>"
	      "<th>capability</th><th>granted</th><th>denied</th><th>profile</th>"
	      "<th>processes</th><th>syscalls</th><th>kernel callers</th></tr></thead><tbody>\n",
	      f);
	for (int k = 0; k < CS_SITE_CLASSES; k++)
		for (int c = 0; c < CS_CAP_BITS; c++)
			if (r->rows[c][k].granted || r->rows[c][k].denied)
				row_html(f, r, c, k, prof);
	fputs("</tbody></table>\n", f);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Capabilities (ordinary checks) as rows, the processes that asked as columns. */
static void grid(FILE *f, const struct cs_trace_report *r)
{
	const char *comms[GRID_MAX];
	size_t n = 0;

	for (int c = 0; c < CS_CAP_BITS; c++)
		for (size_t i = 0; i < r->rows[c][CS_SITE_CHECK].ncomms; i++) {
			const char *s = r->rows[c][CS_SITE_CHECK].comms[i];
			size_t j = 0;

			while (j < n && strcmp(comms[j], s))
				j++;
			if (j == n && n < GRID_MAX)
				comms[n++] = s;
		}
	if (!n)
		return;
	qsort(comms, n, sizeof(comms[0]), cmp_str);
	fputs("<h2>Capability \xc3\x97 process</h2>\n<table class=\"grid\"><thead><tr>"
	      "<th>capability</th>",
	      f);
	for (size_t j = 0; j < n; j++)
		html_elem(f, "th", NULL, comms[j]);
	fputs("</tr></thead><tbody>\n", f);
	for (int c = 0; c < CS_CAP_BITS; c++) {
		const struct cs_trace_row *row = &r->rows[c][CS_SITE_CHECK];
		char name[32];

		if (!row->granted && !row->denied)
			continue;
		fprintf(f, "<tr><th>%s</th>", cs_cap_name_r(c, true, name, sizeof(name)));
		for (size_t j = 0; j < n; j++) {
			bool asked = false;

			for (size_t i = 0; i < row->ncomms; i++)
				asked = asked || !strcmp(row->comms[i], comms[j]);
			fprintf(f, "<td class=\"%s\">%s</td>", asked ? "kept" : "absent",
				asked ? "\xe2\x9c\x93 checked" : "");
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

static void profiles(FILE *f, cs_mask_t prof, const struct cs_trace_view *v)
{
	char names[1024];

	cs_mask_format_names(prof, CS_NAMES_OCI, names, sizeof(names));
	fprintf(f, "<h2>Least set</h2>\n<p data-profile=\"%s\"><b>%s</b></p>\n", names,
		prof ? names : "(no capabilities)");
	for (int k = CS_PROFILE_K8S; k <= CS_PROFILE_SYSTEMD; k++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = cs_memstream_open(&buf, &len);

		if (!m)
			continue;
		cs_profile_write((enum cs_profile_kind)k, prof, (const char *const *)v->cmd, m);
		if (cs_memstream_close(m) == 0) {
			fprintf(f, "<h3>%s</h3>\n", cs_profile_kind_name((enum cs_profile_kind)k));
			html_pre(f, "snippet", buf);
		}
		free(buf);
	}
}

static void header(FILE *f, const struct cs_trace_report *r, const struct cs_trace_view *v)
{
	fputs("<p>Traced ", f);
	cs_html_put(f, v->what);
	fputs(" via <code>", f);
	cs_html_put(f, v->hook);
	fprintf(f,
		"</code>: %s%zu process%s, %" PRIu64 " checks, %" PRIu64 " lost events, %" PRIu64
		" not counted.</p>\n",
		r->tgids_partial ? "at least " : "", r->ntgids, r->ntgids == 1 ? "" : "es",
		r->checks, r->lost_events, r->dropped);
	/* As the text and JSON reports say it (fifteenth pass, second round:
	 * the page said nothing, and a capability whose checks were all
	 * counted so showed no process that asked for it). */
	if (r->unattributed)
		fprintf(f,
			"<p>%" PRIu64 " checks were counted without their process, syscall or call "
			"site (the kernel map was full): they count in the least set as ordinary "
			"checks.</p>\n",
			r->unattributed);
	if (v->cmd) {
		fputs("<p>Command: <code>", f);
		for (size_t i = 0; i < v->ncmd; i++) {
			fputs(i ? " " : "", f);
			cs_html_put(f, v->cmd[i]);
		}
		fprintf(f, "</code>, exit status %d.</p>\n", v->status);
	}
}

static void verify(FILE *f, const struct cs_trace_verify *vr)
{
	if (!vr || (!vr->ran && !vr->error))
		return;
	fputs("<h2>Verified by re-running</h2>\n", f);
	if (vr->ran)
		fprintf(f, "<p class=\"%s\">%s: with only the least set it exited %d (%s).</p>\n",
			vr->ok ? "ok" : "bad", vr->runner ? vr->runner : "re-run", vr->status,
			vr->ok ? "\xe2\x9c\x93 as before" : "\xe2\x9c\x97 not as before");
	if (vr->error) {
		fputs("<p class=\"bad\">", f);
		cs_html_put(f, vr->error);
		fputs("</p>\n", f);
	}
}

void cs_html_trace(struct cs_html *h, const struct cs_trace_report *r,
		   const struct cs_trace_view *v)
{
	cs_mask_t prof = cs_trace_profile(r);

	header(h->f, r, v);
	checks_table(h->f, r, prof);
	grid(h->f, r);
	profiles(h->f, prof, v);
	verify(h->f, v->verify);
}

int cs_html_trace_page(const char *path, const struct cs_trace_report *r,
		       const struct cs_trace_view *v, struct cs_diag *d)
{
	struct cs_html *h;
	int rc = cs_html_open(path, "capscope trace", &h, d);

	if (rc < 0)
		return rc;
	cs_html_trace(h, r, v);
	return cs_html_close(h, d);
}
