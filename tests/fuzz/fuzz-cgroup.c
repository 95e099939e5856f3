/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the /proc/PID/cgroup parser that tells containers apart. An id is a
 * runtime's 64 hex digits, but an LXC container's name is kept whole (up
 * to NAME_MAX, 9f427fb); the target still checked 64 for every runtime and
 * aborted on the first long LXC name (twenty-second pass, part H).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/proc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_container c;

	if (cs_cgroup_parse((const char *)data, size, &c) > 0) {
		size_t idmax = c.runtime == CS_RT_LXC ? sizeof(c.id) - 1 : 64;

		if (strnlen(c.id, sizeof(c.id)) > idmax ||
		    strnlen(c.pod_uid, sizeof(c.pod_uid)) > 36)
			abort();
	}
	return 0;
}
