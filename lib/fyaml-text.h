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
 * A tab in a text with a complex key ('? ') is refused too (see the .c).
 */
int cs_fy_check_text(const char *buf, size_t len, const char *field, struct cs_diag *d);

#endif
