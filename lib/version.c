/* SPDX-License-Identifier: MIT */
#include "capscope/version.h"

#include "capscope-config.h"

const char *cs_version(void)
{
	return CAPSCOPE_VERSION;
}
