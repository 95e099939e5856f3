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
	} * v; /* sorted by tid */
	size_t n;
};

/*
 * Take one snapshot of every thread's securebits. 0, or -errno when BPF is
 * not available or not allowed, with the reason in d.
 */
int cs_secbits_table_load(struct cs_secbits_table *t, struct cs_diag *d);
/* The securebits of thread tid in the snapshot, or -1. */
int cs_secbits_table_lookup(const struct cs_secbits_table *t, pid_t tid);
void cs_secbits_table_free(struct cs_secbits_table *t);

#endif
