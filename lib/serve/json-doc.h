/* SPDX-License-Identifier: MIT */
/* A JSON document from untrusted bytes, for the webhook and the node reader. */
#ifndef CAPSCOPE_LIB_SERVE_JSON_DOC_H
#define CAPSCOPE_LIB_SERVE_JSON_DOC_H

#include <libfyaml.h>
#include <stdbool.h>

#include "capscope/diag.h"
#include "../internal/util.h" /* cs_utf8_seq_len */

/*
 * Parse buf as JSON with libfyaml, silently (errors go to d with line and
 * column, never to stderr). The bytes are checked to be UTF-8 without NUL
 * first: libfyaml 0.7.12 can loop forever on some invalid sequences (see
 * lib/k8s/manifest.c). whole: nothing but white space may follow the
 * first value (the webhook's review, as Go's json.Unmarshal reads it);
 * otherwise the rest is ignored, as runc's json.Decoder does with
 * config.json. Returns 0 with *doc set, or -EINVAL / -ENOMEM (d says why).
 */
int cs_json_doc_build(const char *buf, size_t len, bool whole, struct fy_document **doc,
		      struct cs_diag *d);

/*
 * The bytes of the object or array reached from the root through the n
 * object keys of path, [*start, *end) in buf (text cs_json_doc_build took):
 * 0, -ENOENT when there is none (absent, null, a scalar), -ENOMEM, -E2BIG.
 */
int cs_json_span(const char *buf, size_t len, const char *const *path, size_t n, size_t *start,
		 size_t *end);

#endif
