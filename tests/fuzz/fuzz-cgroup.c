/* SPDX-License-Identifier: MIT */
/* Fuzz the /proc/PID/cgroup parser that tells containers apart. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/proc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_container c;

	if (cs_cgroup_parse((const char *)data, size, &c) > 0) {
		if (strlen(c.id) > 64 || strlen(c.pod_uid) > 36)
			abort();
	}
	return 0;
}
