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
void cs_sarif_location(struct cs_json *j, const char *uri, unsigned line, unsigned column);

#endif
