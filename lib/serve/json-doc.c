/* SPDX-License-Identifier: MIT */
#include "json-doc.h"

#include <errno.h>

#include "../fyaml-mark.h"

size_t cs_utf8_seq_len(const unsigned char *s, size_t left)
{
	unsigned char c = s[0];
	size_t n;
	unsigned lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (left < n)
		return 0;
	if (c == 0xe0)
		lo = 0xa0; /* no overlong 3-byte forms */
	else if (c == 0xed)
		hi = 0x9f; /* no surrogates */
	else if (c == 0xf0)
		lo = 0x90; /* no overlong 4-byte forms */
	else if (c == 0xf4)
		hi = 0x8f; /* nothing above U+10FFFF */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

int cs_json_doc_build(const char *buf, size_t len, struct fy_document **out, struct cs_diag *d)
{
	struct fy_diag_cfg dcfg;
	struct fy_diag *fd;
	struct fy_document *doc;

	*out = NULL;
	if (cs_fy_check_text(buf, len, "", d) < 0)
		return -EINVAL;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = NULL;
	dcfg.level = FYET_ERROR;
	if (!(fd = fy_diag_create(&dcfg)))
		return cs_diag_set(d, ENOMEM, 0, 0, "", "out of memory");
	fy_diag_set_collect_errors(fd, true);
	struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_JSON_FORCE, .diag = fd};
	doc = fy_document_build_from_string(&cfg, buf, len);
	if (!doc) {
		void *it = NULL;
		struct fy_diag_error *e = fy_diag_errors_iterate(fd, &it);

		if (e)
			cs_diag_set(d, EINVAL, e->line > 0 ? (unsigned)e->line : 1,
				    e->column >= 0 ? (unsigned)e->column + 1 : 0, "", "JSON: %s",
				    e->msg ? e->msg : "syntax error");
		else
			cs_diag_set(d, EINVAL, 0, 0, "", "JSON: syntax error");
	}
	fy_diag_destroy(fd);
	*out = doc;
	return doc ? 0 : -EINVAL;
}
