// SPDX-License-Identifier: (MIT OR GPL-2.0)
/*
 * bench/bench-trace.sh's floor: an empty program on the hook capscope trace
 * uses (tp_btf/cap_capable). What the kernel charges for running any BPF
 * program there (the trampoline into the program, the recursion guard, and
 * with kernel.bpf_stats_enabled its own clock reads) is what this costs;
 * whatever capscope's program costs above it is its own work.
 */
#include "vmlinux.h"

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual MIT/GPL";

SEC("tp_btf/cap_capable")
int BPF_PROG(cs_floor)
{
	return 0;
}
