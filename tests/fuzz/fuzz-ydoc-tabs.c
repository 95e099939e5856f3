/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the YAML tab check (lib/k8s/ydoc-tabs.c): libfyaml's scanner run
 * over any text, fed in pieces (ydoc-held.c), with the gaps between its
 * tokens walked by hand. Property: no crash; a refusal is at a tab. Only
 * texts the reader hands it: UTF-8 without C0 controls but tab, LF and CR
 * that cs_fy_check_text passes, as ydoc_read asks it first. libfyaml
 * 0.7.12's scanner double-frees in fy_fetch_value on "? \031k\f: \t\0..."
 * (a control the reader refuses first; twenty-second pass, part H, still
 * open) and on "? -2\t!\tk :\t-" (a complex key and a tab, which
 * cs_fy_check_text refuses: this harness had not asked it; twenty-fifth
 * pass, part B, corpus complex-key-tab).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/fyaml-text.h"
#include "../../lib/k8s/ydoc-tabs.h"
#include "../../lib/internal/json-check.h"
#include "../../lib/internal/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_diag d = {0};
	int rc;

	if (size > 1 << 16)
		return 0;
	for (size_t i = 0; i < size; i++)
		if (data[i] < 0x20 && data[i] != '\t' && data[i] != '\n' && data[i] != '\r')
			return 0;
	if (!cs_utf8_valid((const char *)data, size) ||
	    cs_fy_check_text((const char *)data, size, "", &d) < 0)
		return 0;
	rc = ydoc_check_tabs((const char *)data, size, &d);
	if (rc < 0 && rc != -ENOMEM && (!d.line || !d.column || !memchr(data, '\t', size)))
		abort();
	return 0;
}
