/* SPDX-License-Identifier: MIT */
/* --html pages whose temporary file a fatal signal does not leave behind. */
#ifndef CAPSCOPE_CLI_HTML_GUARD_H
#define CAPSCOPE_CLI_HTML_GUARD_H

#include "capscope/diag.h"
#include "capscope/html.h"

/*
 * cs_html_open, and until html_guard_close or html_guard_discard a signal
 * that ends capscope (SIGHUP, SIGINT, SIGTERM, SIGPIPE, SIGXFSZ, each only
 * while at its default action) first removes the page's temporary file,
 * then ends capscope as it would have. One page at a time.
 */
int html_guard_open(const char *path, const char *title, struct cs_html **out, struct cs_diag *d);
/* cs_html_close with those signals held until the page is at its path. */
int html_guard_close(struct cs_html *h, struct cs_diag *d);
/* cs_html_discard, likewise. NULL does nothing. */
void html_guard_discard(struct cs_html *h);

#endif
