/* SPDX-License-Identifier: MIT */
/*
 * Fuzz containerd's config.toml reader (lib/runtime/containerd-config.c,
 * its schema lib/runtime/containerd-schema.c and go-toml v1's key
 * spellings): the first byte picks the release (odd: 2.x, even: 1.x), the
 * rest is the file. Property: no crash; a refusal says why; a reading
 * names a runtime handler, and a base spec only with a handler's path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/cri.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_containerd_config c;
	struct cs_diag d = {0};
	unsigned major;

	if (size < 1 || size > 1 << 16)
		return 0;
	major = data[0] & 1 ? 2 : 1;
	if (cs_containerd_config_parse(&c, (const char *)data + 1, size - 1, "fuzz.toml", major,
				       &d) < 0) {
		if (!d.message[0] || c.runtime[0] != 'r' || c.base_set)
			abort(); /* a refusal says why, and leaves the defaults */
		return 0;
	}
	if (!c.runtime[0] || strnlen(c.runtime, sizeof(c.runtime)) == sizeof(c.runtime) ||
	    (c.base_set && !c.base_spec[0]))
		abort();
	return 0;
}
