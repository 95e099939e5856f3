/* SPDX-License-Identifier: MIT */
/* Fuzz the daemon.json reader (lib/runtime/docker-config.c). */
#include <stdint.h>

#include "capscope/cri.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_docker_config c;
	struct cs_diag d = {0};

	if (size > 1 << 16)
		return 0;
	cs_docker_config_default(&c);
	cs_docker_config_parse(&c, (const char *)data, size, "fuzz", &d);
	return 0;
}
