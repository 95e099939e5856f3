/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the YAML tab check (lib/k8s/ydoc-tabs.c): libfyaml's scanner run
 * over any text, fed in pieces (ydoc-held.c), with the gaps between its
 * tokens walked by hand. Property: no crash; a refusal is at a tab.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/k8s/ydoc-tabs.h"
#include "../../lib/internal/json-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_diag d = {0};
	int rc;

	if (size > 1 << 16)
		return 0;
	rc = ydoc_check_tabs((const char *)data, size, &d);
	if (rc < 0 && rc != -ENOMEM && (!d.line || !d.column || !memchr(data, '\t', size)))
		abort();
	return 0;
}
