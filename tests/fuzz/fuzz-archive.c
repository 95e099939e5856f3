/* SPDX-License-Identifier: MIT */
/* Fuzz the image reader: the bytes as one layer (tar, maybe compressed). */
#include <stdint.h>
#include <stdlib.h>

#include "capscope/scan.h"
#include "internal/scan-fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Small bounds so a bomb is refused quickly instead of timing out the fuzzer. */
	struct cs_scan_opts o = {.max_bytes = 64u << 20, .max_ratio = 1000};
	struct cs_scan_result r = {0};
	struct cs_diag d = {0};

	if (cs_scan_layer_buffer(data, size, &o, &r, &d) == 0) {
		for (size_t i = 0; i < r.nfindings; i++)
			if (!r.findings[i].path || r.findings[i].path[0] != '/')
				abort(); /* every path is absolute inside the image */
	}
	cs_scan_result_free(&r);
	return 0;
}
