/* SPDX-License-Identifier: MIT */
/*
 * The running kernel's release, for the few questions that are asked of
 * the kernel by a call whose meaning changed across releases (a call an
 * older kernel would not refuse but carry out): the caller passes the
 * question only to a kernel that knows it.
 */
#ifndef CAPSCOPE_INTERNAL_KERNEL_RELEASE_H
#define CAPSCOPE_INTERNAL_KERNEL_RELEASE_H

#include <stdbool.h>

/* true when uname's release is major.minor or later; false when older or unreadable. */
bool cs_kernel_release_at_least(unsigned major, unsigned minor);

#endif
