/* SPDX-License-Identifier: MIT */
/* What Go's time.ParseDuration and net/url.Parse refuse (lib/runtime/go-syntax.c):
 * containerd 1.x's CRI plugin does not start on such a value. */
#ifndef CAPSCOPE_GO_SYNTAX_H
#define CAPSCOPE_GO_SYNTAX_H

#include <stddef.h>

/* NULL when time.ParseDuration reads s, else Go's reason ("unknown unit"). */
const char *cs_go_duration_error(const char *s);

/* NULL when url.Parse reads s as far as checked here (control bytes, a
 * scheme that is empty, a colon in a first path segment, % escapes, a
 * port that is not digits), else Go's reason. Not every url.Parse error. */
const char *cs_go_url_error(const char *s);

#endif
