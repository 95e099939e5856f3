/* SPDX-License-Identifier: MIT */
/* Fuzz the /proc/PID/status parser. */
#include <stdint.h>
#include <stdlib.h>

#include "capscope/proc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_proc_status st;
	struct cs_diag d = {0};

	if (cs_proc_status_parse((const char *)data, size, &st, &d) == 0) {
		/* Parsed: the invariants of the result must hold. */
		if (st.ngroups > CS_MAX_GROUPS || !(st.have & CS_HAVE_CAPS))
			abort();
		cs_proc_status_free(&st);
	}
	return 0;
}
