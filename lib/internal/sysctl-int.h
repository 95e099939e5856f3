/* SPDX-License-Identifier: MIT */
/*
 * A sysctl value as the kernel reads it. The runtimes (runc, crun) write a
 * pod's sysctl value into /proc/sys as it is written, so which value the
 * kernel ends with is the kernel's parse, not capscope's strict one:
 * proc_dointvec_minmax takes "0x0", "00", " 0", "-0" and "0 junk" as 0.
 */
#ifndef CAPSCOPE_INTERNAL_SYSCTL_INT_H
#define CAPSCOPE_INTERNAL_SYSCTL_INT_H

#include <stddef.h>

/*
 * The int one write of s to an integer sysctl in [min, max] sets, as
 * __do_proc_dointvec does (kernel/sysctl.c): 0 and *out, -EINVAL when the
 * kernel refuses the write, -ENODATA for "" (a write of nothing changes
 * nothing). Only the first 4,095 bytes are read, as the kernel reads them.
 */
int cs_sysctl_int(const char *s, int min, int max, int *out);

/*
 * The same for a sysctl of n ints (n <= 2: ip_local_port_range), each in
 * [min, max]: on 0 the first values s gives replace vals' (one number
 * writes only the first); vals is untouched on an error.
 */
int cs_sysctl_ints(const char *s, size_t n, int min, int max, int *vals);

#endif
