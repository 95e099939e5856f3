/* SPDX-License-Identifier: MIT */
/* Securebits of every thread, read with a BPF task iterator (bpf/secbits.bpf.c). */
#ifndef CAPSCOPE_CLI_PS_SECBITS_H
#define CAPSCOPE_CLI_PS_SECBITS_H

#include <stddef.h>
#include <sys/types.h>

struct ps_secbits {
	struct ps_secbits_entry {
		pid_t tid;
		unsigned bits;
	} *v;
	size_t n;
};

/*
 * Take one snapshot. 0 on success; -errno when BPF is not available or not
 * allowed, with the reason in why (the caller then shows securebits as
 * unknown).
 */
int ps_secbits_load(struct ps_secbits *t, char *why, size_t whylen);
/* The securebits of thread tid in the snapshot, or -1. */
int ps_secbits_lookup(const struct ps_secbits *t, pid_t tid);
void ps_secbits_free(struct ps_secbits *t);

#endif
