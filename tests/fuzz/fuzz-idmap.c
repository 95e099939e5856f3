/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the /proc/PID/uid_map reader (lib/idmap-proc.c): a map it takes
 * must keep the kernel's rules (no empty range, none past 4294967294, no id
 * in two ranges, at most max), and one it refuses keeps nothing.
 */
#include <stdint.h>
#include <stdlib.h>

#include "capscope/userns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_idmap m[CS_IDMAP_KERNEL_MAX];
	struct cs_diag d = {0};
	size_t n = 7, max = size % 2 ? 16 : CS_IDMAP_KERNEL_MAX;

	if (cs_idmap_parse((const char *)data, size, m, max, &n, &d) < 0) {
		if (n != 0 || d.line == 0)
			abort();
		return 0;
	}
	if (n > max)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (m[i].size == 0 || (uint64_t)m[i].container_id + m[i].size > UINT32_MAX ||
		    (uint64_t)m[i].host_id + m[i].size > UINT32_MAX)
			abort();
		for (size_t j = 0; j < i; j++)
			if (((uint64_t)m[i].container_id <
				 (uint64_t)m[j].container_id + m[j].size &&
			     (uint64_t)m[j].container_id <
				 (uint64_t)m[i].container_id + m[i].size) ||
			    ((uint64_t)m[i].host_id < (uint64_t)m[j].host_id + m[j].size &&
			     (uint64_t)m[j].host_id < (uint64_t)m[i].host_id + m[i].size))
				abort();
	}
	return 0;
}
