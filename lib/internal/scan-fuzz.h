/* SPDX-License-Identifier: MIT */
/* The image reader's fuzz entry point: not part of the public API. */
#ifndef CAPSCOPE_INTERNAL_SCAN_FUZZ_H
#define CAPSCOPE_INTERNAL_SCAN_FUZZ_H

#include "capscope/scan.h"

/* Read bytes as one layer tar, as cs_scan_image reads a layer. */
int cs_scan_layer_buffer(const void *buf, size_t len, const struct cs_scan_opts *o,
			 struct cs_scan_result *r, struct cs_diag *d);

#endif
