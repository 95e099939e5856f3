/* SPDX-License-Identifier: MIT */
#include "json-doc.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "../fyaml-mark.h"

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
	struct fy_parser *fyp = fy_parser_create(&cfg);
	struct fy_mark at;
	int after = 0;

	doc = fyp && fy_parser_set_string(fyp, buf, len) == 0 ? fy_parse_load_document(fyp) : NULL;
	if (!doc) {
		void *it = NULL;
		struct fy_diag_error *e = fy_diag_errors_iterate(fd, &it);

		if (!fyp)
			cs_diag_set(d, ENOMEM, 0, 0, "", "out of memory");
		else if (e)
			cs_diag_set(d, EINVAL, e->line > 0 ? (unsigned)e->line : 1,
				    e->column > 0 ? (unsigned)e->column : 0, "", "JSON: %s",
				    e->msg ? e->msg : "syntax error");
		else
			cs_diag_set(d, EINVAL, 0, 0, "", "JSON: syntax error");
	}
	/* Go's json.Unmarshal (the API server's, runc's) refuses data after the
	 * top-level value; what follows is read on from where the value ended. */
	if (doc && whole && (after = cs_fy_after_first(fyp, &at)) != 0) {
		void *it = NULL;
		struct fy_diag_error *e = after < 0 ? fy_diag_errors_iterate(fd, &it) : NULL;

		fy_document_destroy(doc);
		doc = NULL;
		cs_diag_set(d, EINVAL,
			    after > 0	       ? (unsigned)(at.line + 1)
			    : e && e->line > 0 ? (unsigned)e->line
					       : 1,
			    after > 0		 ? (unsigned)(at.column + 1)
			    : e && e->column > 0 ? (unsigned)e->column
						 : 0,
			    "", "JSON: more after the first value");
	}
	fy_parser_destroy(fyp);
	if (doc && cs_fy_json_dup_keys(doc, "", "JSON: ", d) < 0) {
		fy_document_destroy(doc);
		doc = NULL;
	}
	fy_diag_destroy(fd);
	*out = doc;
	return doc ? 0 : -EINVAL;
}

/*
 * Where the object or array at path lies in buf: one more pass over the
 * events, following the keys. Tenth pass: the webhook handed request.object
 * to the manifest reader as libfyaml's JSON emission of the node, and
 * libfyaml 0.7.12's emitter leaks about 2 KiB per string holding several
 * escapes (fy_atom_is_number leaves its atom iterator unfinished; found by
 * libFuzzer): a 570 KB review of 20,000 such keys cost the webhook 10 to 40
 * MB each time, and its Deployment's 96 MiB went in a few requests. The
 * reader now gets the object's own bytes, as `explain pod` of the same JSON
 * would (and is spared the emission).
 */
struct span_frame {
	bool map, key_next, key_hit, on_path;
};

int cs_json_span(const char *buf, size_t len, const char *const *path, size_t n, size_t *start,
		 size_t *end)
{
	struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_JSON_FORCE};
	struct fy_parser *fyp = fy_parser_create(&cfg);
	struct span_frame st[FYPCF_GUARANTEED_MINIMUM_DEPTH_LIMIT + 2];
	struct fy_event *ev;
	int depth = -1, target = -2, rc = -ENOENT;

	if (!fyp)
		return -ENOMEM;
	if (fy_parser_set_string(fyp, buf, len) != 0)
		rc = -ENOMEM;
	while (rc == -ENOENT && (ev = fy_parser_parse(fyp)) != NULL) {
		enum fy_event_type t = ev->type;
		bool open = t == FYET_MAPPING_START || t == FYET_SEQUENCE_START;
		bool close = t == FYET_MAPPING_END || t == FYET_SEQUENCE_END;
		struct span_frame *up = depth >= 0 ? &st[depth] : NULL;
		bool is_key = up && up->map && up->key_next;
		/* A value below the path's last key, or the root when n is 0. */
		bool on_path = up ? up->on_path && up->key_hit && !is_key : true;

		if (is_key && t == FYET_SCALAR && up->on_path && (size_t)depth < n) {
			size_t kl = 0;
			const char *k = fy_token_get_text(ev->scalar.value, &kl);

			up->key_hit = k && kl == strlen(path[depth]) && !memcmp(k, path[depth], kl);
		}
		if (open && on_path && (size_t)depth + 1 == n) {
			*start = fy_event_start_mark(ev)->input_pos;
			target = depth + 1;
		}
		if (close && depth == target) {
			*end = fy_event_end_mark(ev)->input_pos;
			rc = 0;
		}
		if (open && depth + 1 >= (int)(sizeof(st) / sizeof(st[0]))) {
			rc = -E2BIG; /* deeper than libfyaml's builder took it */
		} else if (open) {
			depth++;
			st[depth] = (struct span_frame){
			    .map = t == FYET_MAPPING_START, .key_next = true, .on_path = on_path};
		} else if (close) {
			depth--;
		}
		/* A whole node done (a scalar, or a collection closed): the next
		 * node of the mapping above is a key again, or a value. */
		if ((t == FYET_SCALAR || t == FYET_ALIAS || close) && depth >= 0 && st[depth].map)
			st[depth].key_next = !st[depth].key_next;
		fy_parser_event_free(fyp, ev);
	}
	fy_parser_destroy(fyp);
	return rc;
}
