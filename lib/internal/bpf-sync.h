/* SPDX-License-Identifier: MIT */
/*
 * Waiting from user space for the BPF programs that are running to end:
 * for a program that read a value before it changed (serve's epoch), or one
 * still running after its link was destroyed (detaching does not wait).
 */
#ifndef CAPSCOPE_INTERNAL_BPF_SYNC_H
#define CAPSCOPE_INTERNAL_BPF_SYNC_H

struct cs_bpf_sync {
	int outer, inner; /* -1 when not made */
};

/* Make what cs_bpf_sync_wait needs; 0 or -errno. */
int cs_bpf_sync_open(struct cs_bpf_sync *s);
/* Return once every non-sleepable BPF program that was running when it was
 * called has ended; 0 or -errno (then nothing is known). */
int cs_bpf_sync_wait(const struct cs_bpf_sync *s);
void cs_bpf_sync_close(struct cs_bpf_sync *s);

#endif
