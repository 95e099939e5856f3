/* SPDX-License-Identifier: MIT */
/*
 * What every text is checked for before libfyaml reads it (the manifest
 * reader's tree, lib/k8s/ydoc.c, which also reads JSON once
 * lib/json-check.c has checked it).
 */
#ifndef CAPSCOPE_LIB_FYAML_TEXT_H
#define CAPSCOPE_LIB_FYAML_TEXT_H

#include <stddef.h>

#include "capscope/diag.h"

/*
 * Is buf UTF-8 without NUL? libfyaml 0.7.12 loops forever on some invalid
 * sequences (a directive line "%" then bytes 0x91 0x99 0x99 0x99 never ends),
 * so every reader checks first: 0, or -EINVAL with d at the line and column.
 * A tab in a text with a complex key ('? ') is refused too (see the .c),
 * and more than CS_FY_DIRECTIVES_MAX lines opening with '%' (directives, to
 * libfyaml's scanner) between two "---" lines: libfyaml 0.7.12 looks each
 * %TAG up among those before it (fy_document_state_lookup_tag_directive),
 * so N directives cost N^2 (lint of 5,000 directives 0.08 s, of 20,000,
 * 0.6 MB, 1.0 s; a 16 MiB manifest's some 20 minutes), in the reader and
 * again in the tab scan.
 * Manifests hold none or one (kubectl refuses most, kubectl-stream.c);
 * the bound is capscope's own.
 */
#define CS_FY_DIRECTIVES_MAX 64

int cs_fy_check_text(const char *buf, size_t len, const char *field, struct cs_diag *d);

/*
 * A byte order mark after buf's start (which libfyaml may skip, or not, by
 * where its buffers fall; see the .c): -EINVAL with d at its line and
 * column, 0 when none. For the texts libfyaml reads, not JSON built by hand.
 */
int cs_fy_check_bom(const char *buf, size_t len, const char *field, struct cs_diag *d);

/*
 * The line break at u (n > 0 bytes): CR, LF, or NEL, U+2028, U+2029, which
 * YAML 1.1's scanner (libfyaml's, go-yaml's) also breaks lines at. Its
 * length in bytes, 0 for none (a CR LF is two breaks of 1 here).
 */
size_t cs_yaml11_break_len(const unsigned char *u, size_t n);

#endif
