/* SPDX-License-Identifier: MIT */
/* capscope scan --diff OLD NEW: options are parsed by cmd-scan.c, the work is cs_scan_diff. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/json.h"
#include "capscope/scan-diff.h"
#include "commands.h"
#include "output.h"

static bool report_errors(const struct cs_scan_target *t)
{
	char b[800];
	bool bad = false;

	/* cs_err escapes the names (escape.h); the diagnostic may name the file. */
	if (t->rc < 0) {
		cs_err("scan --diff", "%s%s%s", t->diag.file[0] ? "" : t->name,
		       t->diag.file[0] ? "" : ": ", cs_diag_format(&t->diag, b, sizeof(b)));
		bad = true;
	}
	for (size_t k = 0; k < t->r.nerrors; k++) {
		const struct cs_scan_error *e = &t->r.errors[k];

		const char *p = cs_scan_error_path(&t->r, e);

		cs_err_entry("scan --diff", "%s: %s: %s", t->name, p ? p : "(out of memory)",
			     e->message);
		/* Vanished files and names kept but moved inside the root are news;
		 * anything else unread could hide a privilege difference. */
		bad = bad || (e->err != ENOENT && e->err != EXDEV);
	}
	return bad;
}

int scan_diff_main(const char *old, const char *new, const struct cs_scan_opts *o, bool json)
{
	struct cs_scan_diff df;
	struct cs_json j;
	int rc = cs_scan_diff(old, new, o, &df), status;
	bool bad_old = report_errors(&df.old), bad = report_errors(&df.new) || bad_old;

	if (rc < 0 || bad) {
		if (rc < 0 && df.old.rc == 0 && df.new.rc == 0)
			cs_err("scan --diff", "%s", strerror(-rc));
		cs_scan_diff_free(&df);
		return cs_finish_stdout("scan", CS_EXIT_ERROR);
	}
	if (json) {
		cs_json_init(&j, stdout, true);
		cs_scan_diff_write_json(&j, &df);
		rc = cs_json_finish(&j);
	} else {
		rc = cs_scan_diff_write_text(&df, stdout);
	}
	status = rc < 0 ? CS_EXIT_ERROR : cs_scan_diff_found(&df) ? CS_EXIT_FINDINGS : CS_EXIT_OK;
	cs_scan_diff_free(&df);
	return cs_finish_stdout_err("scan", status, rc);
}
