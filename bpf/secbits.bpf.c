// SPDX-License-Identifier: (MIT OR GPL-2.0)
/*
 * capscope ps: the securebits of every thread.
 *
 * The kernel exports a task's securebits nowhere but prctl(PR_GET_SECUREBITS)
 * for the task itself, so ps reads cred->securebits with a task iterator:
 * one text line "tid tgid securebits start" per thread, read once per
 * listing; start (the boot clock, ns) tells the thread from a later one
 * given its number before ps reads it.
 */
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual MIT/GPL";

SEC("iter/task")
int dump_securebits(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	unsigned int bits;
	__u64 start;

	if (!task)
		return 0;
	bits = BPF_CORE_READ(task, cred, securebits);
	start = BPF_CORE_READ(task, start_boottime);
	BPF_SEQ_PRINTF(seq, "%d %d %u %llu\n", task->pid, task->tgid, bits, start);
	return 0;
}
