/* SPDX-License-Identifier: MIT */
#include "fyaml-text.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "internal/util.h"

/* Is the '?' at i a complex key indicator: first on its line (after blanks
 * and "- "), followed by a blank or the end of the line? */
static bool complex_key_at(const unsigned char *u, size_t len, size_t i)
{
	if (i + 1 < len && u[i + 1] != ' ' && u[i + 1] != '\t' && u[i + 1] != '\n' &&
	    u[i + 1] != '\r')
		return false;
	while (i > 0 && (u[i - 1] == ' ' || u[i - 1] == '\t' || u[i - 1] == '-'))
		i--;
	return i == 0 || u[i - 1] == '\n' || u[i - 1] == '\r';
}

/*
 * libfyaml 0.7.12 writes through NULL (fy_indent_vacuum_internal) or frees
 * twice (fy_fetch_value) on some texts that have a complex key ('? ') and a
 * tab used as a separator: "? b:\t?" and "? b:\t:?" are enough (found by
 * fuzz-lint and fuzz-manifest). Rather than chase each shape, a text with
 * both is refused, at its first tab: complex keys are rare in manifests and
 * configs, and a space does what the tab did.
 */
int cs_fy_check_text(const char *buf, size_t len, const char *field, struct cs_diag *d)
{
	const unsigned char *u = (const unsigned char *)buf;
	unsigned line = 1, col = 1, tab_line = 0, tab_col = 0;
	bool complex_key = false;

	for (size_t i = 0, n; i < len; i += n) {
		n = u[i] ? cs_utf8_seq_len(u + i, len - i) : 0;
		if (!n)
			return cs_diag_set(d, EINVAL, line, col, field,
					   u[i] ? "not UTF-8 text (byte 0x%02x)"
						: "NUL byte in the text%.0d",
					   u[i]);
		if (u[i] == '?' && !complex_key)
			complex_key = complex_key_at(u, len, i);
		if (u[i] == '\t' && !tab_line)
			tab_line = line, tab_col = col;
		if (u[i] == '\n')
			line++, col = 1;
		else
			col++;
	}
	if (complex_key && tab_line)
		return cs_diag_set(d, EINVAL, tab_line, tab_col, field,
				   "a tab in a text with a complex key ('? '): libfyaml 0.7 can "
				   "crash on such a text; use spaces");
	return 0;
}
