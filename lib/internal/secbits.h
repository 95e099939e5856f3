/* SPDX-License-Identifier: MIT */
/* Securebits of every thread, read with a BPF task iterator (bpf/secbits.bpf.c). */
#ifndef CAPSCOPE_INTERNAL_SECBITS_H
#define CAPSCOPE_INTERNAL_SECBITS_H

#include <stddef.h>
#include <sys/types.h>

#include "capscope/diag.h"

struct cs_secbits_table {
	struct cs_secbits_entry {
		pid_t tid;
		unsigned bits;
		unsigned long long start; /* clock ticks after boot, as /proc/PID/stat's */
	} * v;				  /* sorted by tid */
	size_t n;
};

/*
 * Take one snapshot of every thread's securebits. 0, or -errno when BPF is
 * not available or not allowed, with the reason in d.
 */
int cs_secbits_table_load(struct cs_secbits_table *t, struct cs_diag *d);
/*
 * The securebits of thread tid in the snapshot, or -1; and -1 when the
 * thread the snapshot saw under that number started at another time than
 * start (clock ticks after boot): a thread that ended and whose number was
 * given to another before it was read.
 */
int cs_secbits_table_lookup(const struct cs_secbits_table *t, pid_t tid, unsigned long long start);
/*
 * Parse the iterator's text into t (sorted); 0 or -EPROTO, -ENOMEM. Its
 * start times get boottime_ns added, as /proc/PID/stat's in a time
 * namespace (cs_secbits_boottime_offset).
 */
int cs_secbits_table_parse(const char *buf, size_t len, long hz, long long boottime_ns,
			   struct cs_secbits_table *t);
/* This process's time namespace's boottime offset in ns: 0, or -EPROTO, -errno. */
int cs_secbits_boottime_offset(long long *ns);
void cs_secbits_table_free(struct cs_secbits_table *t);

#endif
