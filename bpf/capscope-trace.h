/* SPDX-License-Identifier: MIT */
/*
 * The records capscope.bpf.c shares with user space. Included by the BPF
 * program (after vmlinux.h, which defines the __u32 family) and by
 * lib/trace/ (which gets them from <linux/types.h>). Every field is a fixed
 * width integer so both sides agree on the layout; lib/trace/ checks the
 * sizes before it decodes anything.
 */
#ifndef CAPSCOPE_BPF_TRACE_H
#define CAPSCOPE_BPF_TRACE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define CS_TRACE_COMM_LEN 16

/* How the BPF program decides whether a check is in scope. */
enum cs_trace_scope {
	CS_SCOPE_TGIDS = 0,  /* the tgids in the "tracked" map, followed over fork */
	CS_SCOPE_CGROUP = 1, /* processes in one cgroup (v2) and its descendants */
	CS_SCOPE_ALL = 2,    /* everything except capscope itself */
};

/* Which hook delivered the checks (reported so the user knows what ran). */
enum cs_trace_hook {
	CS_HOOK_TP_BTF = 0, /* tp_btf/cap_capable (Linux 6.14+) */
	CS_HOOK_FEXIT = 1,  /* fexit/cap_capable: also sees the opts argument */
	CS_HOOK_KPROBE = 2, /* kprobe + kretprobe on cap_capable */
};

/* cap_capable()'s opts, when the hook can see them (fexit, kprobe). */
#define CS_OPTS_UNKNOWN (-1)
#define CS_OPT_NOAUDIT	0x2 /* include/linux/security.h CAP_OPT_NOAUDIT */
#define CS_OPT_INSETID	0x4 /* CAP_OPT_INSETID */

/* No syscall (kernel thread, interrupt) or not known. */
#define CS_SYSCALL_NONE (-1)

/*
 * Aggregation key of the "counts" hash map: one row per distinct check.
 * 8-aligned so the BPF side can compare keys as seven 64-bit words.
 * target_ns and own_ns are inode numbers of user namespaces (ns.inum, what
 * /proc/PID/ns/user shows): the namespace the check is made against (the
 * target_ns argument of cap_capable: the owner of the netns, file system,
 * ... acted on) and the checking credentials' own (cred->user_ns).
 */
struct __attribute__((aligned(8))) cs_trace_key {
	__u32 tgid; /* 0 in per-cgroup mode */
	__s32 cap;
	__s32 ret;     /* 0 granted, else -errno (-EPERM) */
	__s32 stackid; /* id in the "stacks" map, < 0 when none was taken */
	__s32 syscall; /* syscall number of the task at the time, or CS_SYSCALL_NONE */
	__s32 opts;    /* CS_OPTS_UNKNOWN on the tracepoint */
	__u32 target_ns;
	__u32 own_ns;
	__u64 cgroup; /* cgroup v2 id of the task in per-cgroup mode, else 0 */
	char comm[CS_TRACE_COMM_LEN];
};

struct cs_trace_val {
	__u64 count;
	__u64 reserved; /* zero; keeps the value 16 bytes for later use */
};

/* A slot of the per-CPU cache in front of "counts": a key and its pending count. */
struct cs_cache_slot {
	struct cs_trace_key key;
	__u64 count;
};

/*
 * The per-CPU cache is one 4 KiB page per CPU (the "cache" array is
 * mmapable, so its values start on a page boundary): CS_CACHE_SLOTS slots of
 * 64 bytes, of which the first is not a slot but this header, with the
 * settings a check needs. User space writes it into every CPU's page before
 * attaching. The settings live there and not in read-only globals because
 * each page a check touches costs it a page walk on a kernel that flushes
 * the TLB on every syscall (docs/trace.md, "Overhead").
 */
#define CS_CACHE_SLOTS_SHIFT 6
#define CS_CACHE_SLOTS	     (1 << CS_CACHE_SLOTS_SHIFT)
#define CS_HEAD_EVENTS	     0x1 /* send each check to the ring buffer too */
#define CS_HEAD_SEEN	     2	 /* threads remembered in scope per CPU */
struct cs_cache_head {
	__u64 stack_caps; /* take a stack id for these capabilities */
	__u32 flags;	  /* CS_HEAD_* */
	/*
	 * serve: which of the two sets of maps the programs write (0 or 1);
	 * a drain switches it and takes the other set (bpf/capscope.bpf.c,
	 * "Epochs"). trace: always 0.
	 */
	__u32 epoch;
	/*
	 * Threads this CPU found in scope (a tracked tgid, not exiting), so
	 * that their next checks need not read the tracked-process bitmap,
	 * a page of its own. pid and start time (ns since boot, at fork)
	 * name a thread for good: a recycled pid has a new start time.
	 * Written by the BPF program only; zero means none.
	 */
	struct {
		__u64 start_time;
		__u32 pid;
		__u32 reserved;
	} seen[CS_HEAD_SEEN];
	__u64 reserved2[2];
};

/* One check, on the optional ring buffer stream (--events). */
struct cs_trace_event {
	__u64 ts_ns; /* bpf_ktime_get_ns */
	__u32 pid;
	__u32 tgid;
	__u32 uid;
	__s32 cap;
	__s32 ret;
	__s32 stackid;
	__s32 syscall;
	__s32 opts;
	__u32 target_ns; /* as in cs_trace_key */
	__u32 own_ns;
	char comm[CS_TRACE_COMM_LEN];
};

/* Slots of the per-CPU "stats" array. */
enum cs_trace_stat {
	CS_STAT_LOST = 1,    /* events the ring buffer had no room for */
	CS_STAT_DROPPED = 2, /* checks not counted: the counts map was full */
	CS_STAT_NOSTACK = 3, /* stack ids that could not be taken */
	CS_STAT_FORKS = 4,   /* processes added to the tracked set */
	CS_STAT_COARSE = 5,  /* checks counted in a coarse row: their cgroup's quota was spent */
	CS_STAT_SPILLED = 6, /* serve: checks counted in their cgroup's spill entry (map full) */
	CS_STAT_SPILLED_NODE = 7, /* serve: counted in the node's spill counters, no cgroup kept */
	CS_STAT_UNFOLLOWED = 8,	  /* trace -p: exits whose children were past CS_CHILDREN_MAX */
	CS_STAT_MAX = 9,
};

/*
 * serve's rows are keyed by cgroup, with tgid 0; a row counted without its
 * call site and command (a coarse row, past its cgroup's quota, or a spill
 * entry's) has this tgid instead, so that the agent can say which
 * containers' counts are coarse (a noise check among them counts as a use).
 */
#define CS_ROW_COARSE 1

/*
 * serve's per-cgroup rows: the new rows one cgroup may add to the kernel's
 * map (16,384 rows, shared by the node) between two drains; its further new
 * checks are counted in coarse rows (capability, verdict, kind of user
 * namespace, runtime init or not: at most 2 x 3 x 2 = 12 a capability,
 * 492 for the 41 of Linux 6.18), so at most 748 rows a cgroup. Room for a
 * runtime's init at a container's start (a user-namespaced runc container's
 * made more than 64).
 */
#define CS_CGROUP_ROWS 256
/*
 * trace's checks past a full "counts" map (bpf/capscope.bpf.c, spill): one
 * counter for each capability, verdict, kind of user namespace (unknown,
 * initial, own, other, as cs_trace_userns tells them) and runtime init or
 * not. The index is CS_SPILL_INDEX; user space rebuilds the row from it.
 */
#define CS_SPILL_KINDS 4
#define CS_SPILL_SLOTS (64 * 2 * CS_SPILL_KINDS * 2)
#define CS_SPILL_INDEX(cap, denied, kind, init)                                                    \
	((((cap)*2 + (denied)) * CS_SPILL_KINDS + (kind)) * 2 + (init))

/*
 * serve's checks of a named container (one of "owners") that "counts" has
 * no room for (bpf/capscope.bpf.c, cgroup_spill): what the agent keeps of
 * them, by the container's own cgroup. used_in is indexed by
 * enum cs_userns_kind (initial, own, other, unknown).
 */
struct cs_cgroup_spill {
	__u64 checks[64][2]; /* [capability][0 granted, 1 denied] */
	__u64 used_in[4];    /* capabilities granted, per kind of user namespace */
	__u64 init;	     /* checks of the runtime's init (not the container's) */
};
#define CS_CGROUP_SPILL_MAX 2048
/*
 * Of those, entries made for cgroups the agent has not named (a host
 * service, a container between its start and the scan that finds it) in
 * one epoch: the rest stays the named containers'. Past both, a check is
 * counted in the node's spill counters (the map "spill", CS_SPILL_INDEX),
 * with no cgroup.
 */
#define CS_CGROUP_SPILL_ANON 1024

/*
 * The distinct levels of the named containers' cgroups the programs' walk
 * looks at (bpf/capscope.bpf.c quota_owner), shallowest first. A power of
 * two (the programs mask an index with it). Past it, the deepest levels are
 * left out and the agent counts their containers
 * (capscope_trace_owners_unwatched).
 */
#define CS_OWNER_LEVELS 256

/* Containers' own cgroups the agent names to the programs (cs_tracer_set_owners). */
#define CS_OWNERS_MAX 16384

/* trace -p: the parents a fork or an exit of a process not tracked asks
 * (bpf/capscope.bpf.c below_tracked), and the children of an exiting one
 * tracked (track_children). */
#define CS_ANCESTRY_MAX 4096
#define CS_CHILDREN_MAX 8192

/* Words of the tracked-tgid bitmap: PID_MAX_LIMIT (4194304) bits. */
#define CS_TGID_WORDS 65536

/* Depth of a kept kernel stack; the callers of cap_capable are near the top. */
#define CS_TRACE_STACK_DEPTH 24

#endif
