/* SPDX-License-Identifier: MIT */
/* Fuzz the /proc/kallsyms parser behind capscope trace's call-site names. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_ksyms k;
	struct cs_diag d = {0};

	if (cs_ksyms_parse((const char *)data, size, &k, &d) == 0) {
		for (size_t i = 1; i < k.n; i++)
			if (k.v[i - 1].addr > k.v[i].addr)
				abort(); /* must be sorted */
		for (size_t i = 0; i < k.n; i++) {
			const char *n = cs_ksyms_find(&k, k.v[i].addr);

			if (!n || !*n)
				abort();
		}
		cs_ksyms_find(&k, UINT64_MAX);
		cs_ksyms_free(&k);
	}
	return 0;
}
