/* SPDX-License-Identifier: MIT */
#include <sys/auxv.h>

#include "internal/util.h"

/*
 * The kernel passes AT_BASE, the program interpreter's load address, only to
 * a dynamically linked program; a static (or static-pie) one has no
 * interpreter and sees 0.
 */
bool cs_linked_statically(void)
{
	return getauxval(AT_BASE) == 0;
}
