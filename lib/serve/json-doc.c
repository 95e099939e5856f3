/* SPDX-License-Identifier: MIT */
#include "json-doc.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "../fyaml-mark.h"

/*
 * Is there anything but white space after the first JSON value? libfyaml
 * builds the first document of a stream and ignores the rest, so
 * "{review} {other}" was read as the review, where Go's json.Unmarshal (the
 * API server's, runc's) refuses data after the top-level value. A second
 * pass over the events: after the first document's end the stream must
 * end; otherwise the parser stops with an error (collected in cfg's diag,
 * which says where).
 */
static bool trailing_data(const struct fy_parse_cfg *cfg, const char *buf, size_t len)
{
	struct fy_parser *fyp = fy_parser_create(cfg);
	struct fy_event *ev;
	bool ended = false;

	if (!fyp)
		return false;
	if (fy_parser_set_string(fyp, buf, len) == 0)
		while ((ev = fy_parser_parse(fyp)) != NULL) {
			ended = ev->type == FYET_STREAM_END;
			fy_parser_event_free(fyp, ev);
		}
	fy_parser_destroy(fyp);
	return !ended;
}

int cs_json_doc_build(const char *buf, size_t len, bool whole, struct fy_document **out,
		      struct cs_diag *d)
{
	struct fy_diag_cfg dcfg;
	struct fy_diag *fd;
	struct fy_document *doc;

	*out = NULL;
	if (cs_fy_check_text(buf, len, "", d) < 0)
		return -EINVAL;
	/* libfyaml skips a byte order mark, as YAML allows; Go's json.Unmarshal
	 * (RFC 8259 8.1: a sender must not add one) refuses it. */
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		return cs_diag_set(d, EINVAL, 1, 1, "",
				   "JSON: a byte order mark (U+FEFF) before the value");
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = NULL;
	dcfg.level = FYET_ERROR;
	if (!(fd = fy_diag_create(&dcfg)))
		return cs_diag_set(d, ENOMEM, 0, 0, "", "out of memory");
	fy_diag_set_collect_errors(fd, true);
	/* Duplicate keys are refused below: libfyaml's check is quadratic. */
	struct fy_parse_cfg cfg = {
	    .flags = FYPCF_QUIET | FYPCF_JSON_FORCE | FYPCF_ALLOW_DUPLICATE_KEYS, .diag = fd};
	doc = fy_document_build_from_string(&cfg, buf, len);
	if (!doc) {
		void *it = NULL;
		struct fy_diag_error *e = fy_diag_errors_iterate(fd, &it);

		if (e)
			cs_diag_set(d, EINVAL, e->line > 0 ? (unsigned)e->line : 1,
				    e->column > 0 ? (unsigned)e->column : 0, "", "JSON: %s",
				    e->msg ? e->msg : "syntax error");
		else
			cs_diag_set(d, EINVAL, 0, 0, "", "JSON: syntax error");
	}
	if (doc && whole && trailing_data(&cfg, buf, len)) {
		void *it = NULL;
		struct fy_diag_error *e = fy_diag_errors_iterate(fd, &it);

		fy_document_destroy(doc);
		doc = NULL;
		cs_diag_set(d, EINVAL, e && e->line > 0 ? (unsigned)e->line : 1,
			    e && e->column > 0 ? (unsigned)e->column : 0, "",
			    "JSON: more after the first value");
	}
	if (doc && cs_fy_json_dup_keys(doc, "", "JSON: ", d) < 0) {
		fy_document_destroy(doc);
		doc = NULL;
	}
	fy_diag_destroy(fd);
	*out = doc;
	return doc ? 0 : -EINVAL;
}
