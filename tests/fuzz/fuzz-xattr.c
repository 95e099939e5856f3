/* SPDX-License-Identifier: MIT */
/* Fuzz the security.capability codec: decode, and re-encode must round-trip. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/fcaps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_fcaps f, g;
	struct cs_diag d = {0};
	unsigned char buf[CS_VFS_CAP_V3_SIZE];
	int n;

	if (cs_fcaps_decode(data, size, &f, &d) < 0)
		return 0;
	n = cs_fcaps_encode(&f, buf, sizeof(buf));
	if (n < 0 || (size_t)n != size || memcmp(buf, data, size) != 0)
		abort();
	if (cs_fcaps_decode(buf, (size_t)n, &g, &d) < 0 || memcmp(&f, &g, sizeof(f)) != 0)
		abort();
	free(cs_fcaps_to_text(&f));
	return 0;
}
