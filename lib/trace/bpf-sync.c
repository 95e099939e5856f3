/* SPDX-License-Identifier: MIT */
/*
 * Waiting for the running BPF programs to end (internal/bpf-sync.h).
 *
 * Tracing programs that are not sleepable run inside an RCU read-side
 * section (kernel/trace/bpf_trace.c __bpf_trace_run for tp_btf, the
 * trampoline's __bpf_prog_enter for fexit, trace_call_bpf for kprobes), so
 * one RCU grace period is the wait. User space has one way to ask for it
 * that is made for this: an update of a map-in-map is followed by
 * synchronize_rcu() "so that userspace, when we return to it, knows that
 * all non-sleepable programs that could be running use the new map value"
 * (kernel/bpf/syscall.c maybe_wait_bpf_programs, since Linux 4.20, commit
 * 1ae80cf31938; only after an update that succeeded, 6.8). The kernel's own
 * selftests ask for a grace period the same way. So: a one-slot
 * ARRAY_OF_MAPS, and its slot set again to the same small array each time.
 * Milliseconds to tens of them a wait, asleep; made once a drain (and
 * once at the end of a trace), never a check.
 * Sleepable programs are not waited for (they would need
 * synchronize_rcu_tasks_trace); capscope loads none.
 */
#include "../internal/bpf-sync.h"

#ifdef CAPSCOPE_HAVE_BPF
#include <errno.h>
#include <unistd.h>

#include <bpf/bpf.h>

int cs_bpf_sync_open(struct cs_bpf_sync *s)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts);
	int rc;

	s->outer = s->inner = -1;
	s->inner = bpf_map_create(BPF_MAP_TYPE_ARRAY, "cs_sync_in", 4, 4, 1, NULL);
	if (s->inner < 0)
		return -errno;
	opts.inner_map_fd = s->inner;
	s->outer = bpf_map_create(BPF_MAP_TYPE_ARRAY_OF_MAPS, "cs_sync", 4, 4, 1, &opts);
	if (s->outer < 0) {
		rc = -errno;
		cs_bpf_sync_close(s);
		return rc;
	}
	return 0;
}

int cs_bpf_sync_wait(const struct cs_bpf_sync *s)
{
	__u32 slot = 0, inner = (__u32)s->inner;

	if (s->outer < 0)
		return -EBADF;
	return bpf_map_update_elem(s->outer, &slot, &inner, BPF_ANY) ? -errno : 0;
}

void cs_bpf_sync_close(struct cs_bpf_sync *s)
{
	if (s->outer >= 0)
		close(s->outer);
	if (s->inner >= 0)
		close(s->inner);
	s->outer = s->inner = -1;
}
#endif
