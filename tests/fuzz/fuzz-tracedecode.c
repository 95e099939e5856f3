/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the decoding of BPF records and their aggregation: the input is
 * split into a counts-map row (key + value) and an event.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capscope-trace.h"
#include "capscope/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_trace_rec r;
	struct cs_trace_report rep;
	size_t kl = sizeof(struct cs_trace_key), vl = sizeof(struct cs_trace_val);

	cs_trace_report_init(&rep);
	if (size >= kl + vl && cs_trace_decode_count(data, kl, data + kl, vl, &r) == 0) {
		if (r.cap < 0 || r.cap > 63 || strlen(r.comm) > 16)
			abort();
		cs_trace_report_add(&rep, &r, (enum cs_site_class)(data[0] % CS_SITE_CLASSES),
				    r.comm);
	}
	if (cs_trace_decode_event(data, size, &r) == 0) {
		if (r.cap < 0 || r.cap > 63 || r.count != 1)
			abort();
		cs_trace_report_add(&rep, &r, CS_SITE_CHECK, NULL);
	}
	if ((cs_trace_profile(&rep) & cs_trace_denied_only(&rep)) != 0)
		abort(); /* denied-only never enters the profile */
	for (int k = 0; k < CS_USERNS_KINDS; k++)
		if ((cs_trace_profile_in(&rep, (enum cs_userns_kind)k) & ~cs_trace_profile(&rep)) !=
		    0)
			abort(); /* each user namespace's part is part of the profile */
	cs_trace_report_free(&rep);
	return 0;
}
