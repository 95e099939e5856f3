/* SPDX-License-Identifier: MIT */
/*
 * A tab between tokens, in block context, where go-yaml's scanner
 * (yaml_parser_scan_to_next_token, as libyaml's) does not skip it: at a
 * line's start or on a line of white space alone, and after '-', a '?' or
 * the ':' of a '?' key on the same line, wherever a simple key may start.
 * There go-yaml takes the tab for the next token and kubectl 1.32 refuses
 * the file ("found character that cannot start any token"): `-<TAB>name: c`
 * or a line of spaces and a tab under `securityContext:`. libfyaml 0.7.12
 * reads the tab as white space, so a pod kubectl never creates was linted
 * and predicted (twenty-first pass, part H). In flow context, after a ':'
 * of a simple key, after "---", a tag, an anchor or a scalar on its line,
 * go-yaml skips tabs as libfyaml does. Tabs inside a scalar are the
 * scalar's (ydoc-scalar.c has block scalars' rule).
 *
 * The tokens come from libfyaml's own scanner, run once more over the
 * text, and only when it holds a tab: a text without one costs a memchr.
 */
#include "ydoc-tabs.h"

#include "internal/json-check.h"

#include <errno.h>
#include <libfyaml.h>
#include <stdbool.h>
#include <string.h>

/* A scanner that keeps quiet: its errors are the reader's to say. */
static struct fy_parser *quiet_scanner(struct fy_diag **fd)
{
	struct fy_diag_cfg dcfg;
	struct fy_parser *fyp;

	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = NULL;
	dcfg.level = FYET_ERROR;
	if (!(*fd = fy_diag_create(&dcfg)))
		return NULL;
	struct fy_parse_cfg pcfg = {
	    .flags =
		FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_1 | FYPCF_JSON_NONE | FYPCF_DISABLE_RECYCLING,
	    .diag = *fd,
	};
	if (!(fyp = fy_parser_create(&pcfg))) {
		fy_diag_destroy(*fd);
		*fd = NULL;
	}
	return fyp;
}

/* The first tab go-yaml refuses in text[from, to), between two tokens in
 * block context (to when none); allowed: a simple key may start at from. */
static size_t refused_tab(const char *text, size_t from, size_t to, bool allowed)
{
	for (size_t i = from; i < to; i++) {
		char c = text[i];

		if (c == '\n' || c == '\r')
			allowed = true;
		else if (c == '#')
			while (i + 1 < to && text[i + 1] != '\n' && text[i + 1] != '\r')
				i++;
		else if (c == '\t' && allowed)
			return i;
		else if (c != ' ' && c != '\t')
			allowed = false;
	}
	return to;
}

static int refuse(const char *text, size_t at, struct cs_diag *d)
{
	unsigned line, col;

	cs_json_pos(text, at, &line, &col);
	return cs_diag_set(d, EINVAL, line, col, "",
			   "YAML: a tab where Kubernetes (go-yaml) expects the next token: at a "
			   "line's start, on a blank line or after '-' or '?', outside '[...]' "
			   "and '{...}'; kubectl refuses the file (found character that cannot "
			   "start any token); use spaces");
}

int ydoc_check_tabs(const char *text, size_t len, struct cs_diag *d)
{
	struct fy_diag *fd;
	struct fy_parser *fyp;
	struct fy_token *t;
	size_t prev = 0, at = len;
	unsigned flow = 0;
	bool allowed = true, explicit_key = false, done = false;

	if (!memchr(text, '\t', len))
		return 0;
	if (!(fyp = quiet_scanner(&fd)))
		return -ENOMEM;
	if (fy_parser_set_string(fyp, text, len)) {
		fy_parser_destroy(fyp);
		fy_diag_destroy(fd);
		return -ENOMEM;
	}
	while (!done && at == len && (t = fy_scan(fyp))) {
		enum fy_token_type ty = fy_token_get_type(t);
		const struct fy_mark *s = fy_token_start_mark(t), *e = fy_token_end_mark(t);

		size_t to = s && s->input_pos <= len ? s->input_pos : prev;

		if (!flow && to > prev && (at = refused_tab(text, prev, to, allowed)) == to)
			at = len;
		if (ty == FYTT_FLOW_SEQUENCE_START || ty == FYTT_FLOW_MAPPING_START)
			flow++;
		else if ((ty == FYTT_FLOW_SEQUENCE_END || ty == FYTT_FLOW_MAPPING_END) && flow)
			flow--;
		if (ty == FYTT_KEY && !flow)
			explicit_key = s && s->input_pos < len && text[s->input_pos] == '?';
		/* where go-yaml's simple_key_allowed stays set after the token */
		allowed = !flow && (ty == FYTT_BLOCK_ENTRY || (ty == FYTT_KEY && explicit_key) ||
				    (ty == FYTT_VALUE && explicit_key));
		if (ty == FYTT_VALUE)
			explicit_key = false;
		if (e && e->input_pos > prev)
			prev = e->input_pos;
		done = ty == FYTT_STREAM_END;
		fy_scan_token_free(fyp, t);
	}
	fy_parser_destroy(fyp);
	fy_diag_destroy(fd);
	return at < len ? refuse(text, at, d) : 0;
}
