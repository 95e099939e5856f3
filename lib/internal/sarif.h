/* SPDX-License-Identifier: MIT */
/* Pieces of SARIF 2.1.0 that more than one writer (scan, lint) needs. */
#ifndef CAPSCOPE_INTERNAL_SARIF_H
#define CAPSCOPE_INTERNAL_SARIF_H

#include "capscope/json.h"

/*
 * "locations": [{"physicalLocation": {"artifactLocation": {"uri"}, "region":
 * {"startLine", "startColumn"}}}] for one place; line 0 leaves out the
 * region, column 0 the column.
 */
/*
 * A path as a URI reference (RFC 3986): unreserved characters and '/' kept,
 * every other byte percent-encoded, so a file named "a%2F..%2Fb" or "b#c"
 * cannot name another file (a consumer decodes %2F) or end the path at a
 * fragment. Heap string, or NULL.
 */
char *cs_sarif_uri_encode(const char *path);

void cs_sarif_location(struct cs_json *j, const char *uri, unsigned line, unsigned column);

#endif
