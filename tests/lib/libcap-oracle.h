/* SPDX-License-Identifier: MIT */
/* libcap as the oracle: one of a cap_t's three sets as a capscope mask. */
#ifndef CAPSCOPE_TEST_LIBCAP_ORACLE_H
#define CAPSCOPE_TEST_LIBCAP_ORACLE_H

#include <sys/capability.h>

#include "capscope/caps.h"

static inline cs_mask_t libcap_set(cap_t c, cap_flag_t flag)
{
	cs_mask_t m = 0;

	for (int cap = 0; cap < CS_CAP_BITS; cap++) {
		cap_flag_value_t v = CAP_CLEAR;

		if (cap_get_flag(c, cap, flag, &v) == 0 && v == CAP_SET)
			m |= CS_BIT(cap);
	}
	return m;
}

#endif
