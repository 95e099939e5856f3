// SPDX-License-Identifier: (MIT OR GPL-2.0)
/*
 * capscope trace: count capability checks in the kernel.
 *
 * Handlers per hook (tp_btf/cap_capable, fexit/cap_capable, kprobe +
 * kretprobe), and for the first two one per kind of scope; user space
 * enables exactly one with bpf_program__set_autoload after probing what the
 * running kernel offers. Each filters by scope first, so that checks of
 * other processes cost a bitmap load and never leave the kernel, then ends
 * in record(), which bumps a counter keyed by (tgid or cgroup, cap, result,
 * call-site stack, syscall, user namespaces, comm). Events go to the ring
 * buffer only when asked for (--events).
 *
 * What a check costs here is mostly the memory it touches that the syscall
 * has not: on a kernel with page-table isolation and no PCID each such page
 * is a page walk, 10 to 25 ns on the test VM. So a check inside the scope
 * touches one page besides those the kernel used (its CPU's cache page) and
 * one outside it one (the bitmap's); docs/trace.md, "Overhead", has the
 * measurements.
 */
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "capscope-trace.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

/*
 * Set by user space before load; read only by the handlers for scopes other
 * than tracked processes and by the fork and exit handlers. Whether to send
 * events and for which capabilities to take a stack id (the costliest step)
 * are in each CPU's cache page instead (struct cs_cache_head).
 */
const volatile __u32 scope = CS_SCOPE_TGIDS;
const volatile __u64 cgroup_id = 0;
const volatile __u32 cgroup_level = 0;
const volatile __u32 self_tgid = 0;
/*
 * When capscope runs in a pid namespace other than the initial one: that
 * namespace (the device and inode of /proc/self/ns/pid), and self_tgid is
 * its id there. Fourteenth pass: self_tgid was compared with the kernel's
 * (initial namespace's) ids, and the host process that held capscope's
 * own number was left out of `trace --cgroup`, its checks never counted.
 */
const volatile __u64 self_ns_dev = 0;
const volatile __u64 self_ns_ino = 0;
/*
 * capscope serve: rows keyed by cgroup instead of process (a node has many
 * short-lived processes but few containers) and counted straight into
 * "counts", bypassing the per-CPU cache, so that user space can drain the
 * map while the programs stay attached.
 */
const volatile __u32 per_cgroup = 0;

/*
 * The tracked processes: one bit per tgid, up to PID_MAX_LIMIT (4194304) on
 * 64-bit. A plain global (.bss, mmapped by user space) rather than a hash
 * map: the scope test runs on every capability check of every process on the
 * machine, and a load and a mask cost far less than hashing a key. A thread
 * found in scope is remembered in its CPU's cache header (remember()), so
 * that its next checks need not touch this page.
 */
__u64 tracked_bits[CS_TGID_WORDS];

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct cs_trace_key);
	__type(value, struct cs_trace_val);
} counts SEC(".maps"), counts_1 SEC(".maps");

/*
 * Epochs. serve takes the rows while the programs go on counting. Taken by
 * lookup-and-delete (fifteenth pass, second round: part K's find), a row
 * could go between a program's lookup and its add; the add then went to an
 * element already read (lost) or already handed to another key, another
 * container's row (a preallocated hash's freed element goes straight back
 * to its CPU's free list, a bpf_mem_alloc one to its cache: reused at once,
 * no grace period). So serve's maps come in two sets, counts, cgroup_rows
 * and cgroup_spill and their _1 twins: the programs write the set of the
 * epoch in their CPU's cache header (cs_cache_head.epoch, a page a check
 * reads already), and a drain switches the epoch, waits for every program
 * that may have read the old one to end (an RCU grace period: the programs
 * run under rcu_read_lock; lib/trace/bpf-sync.c), then takes the other set
 * whole, written by nobody. trace never switches (epoch 0; its rows are
 * read once the programs are detached, after the same wait); user space
 * makes its _1 maps one entry.
 *
 * BY_EPOCH: a call of its own on each map, so the verifier sees one map at
 * each call and inlines the lookup (a call given either of two maps is not
 * inlined: an indirect call a check). Written as one call with the map
 * chosen before it, clang makes one call of it.
 */
#define BY_EPOCH(e, map, call, ...)                                                                \
	({                                                                                         \
		__typeof__(call(&map, __VA_ARGS__)) r_;                                            \
		if (e) {                                                                           \
			r_ = call(&map##_1, __VA_ARGS__);                                          \
			/* different code after each call: clang does not merge them */            \
			asm volatile("" ::: "memory");                                             \
		} else {                                                                           \
			r_ = call(&map, __VA_ARGS__);                                              \
		}                                                                                  \
		r_;                                                                                \
	})

/*
 * A small direct-mapped cache per CPU in front of "counts": a hit is a key
 * compare and an increment, where the hash map costs a 40-byte jhash, a
 * bucket walk and an atomic add (about 100 ns per check on the test VM). A
 * miss moves the evicted slot's count into "counts". Tracing programs do not
 * nest on one CPU (the kernel's per-program recursion guard), so a slot is
 * only ever touched by one invocation at a time. User space detaches the
 * programs, then adds the slots still holding counts (cs_trace_decode_count
 * reads them like map rows).
 *
 * One page per CPU (CS_CACHE_SLOTS slots of 64 bytes; mmapable, so the
 * values start on a page boundary), indexed by the CPU's number (user space
 * sizes it to the possible CPUs), the first slot being the settings' header
 * (struct cs_cache_head): a check touches this page, the tracked-process
 * bitmap's and pages the kernel used already, and nothing else. Each other
 * page (a PERCPU_ARRAY's per-CPU area, the read-only globals, a private
 * stack, a second page of a larger cache) cost 10 to 25 ns per check on the
 * test VM (docs/trace.md, "Overhead").
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, CS_CACHE_SLOTS);
	__type(key, __u32);
	__type(value, struct cs_cache_slot);
} cache SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	/* Roomy: a bucket collision loses a stack (-EEXIST) and so a classification. */
	__uint(max_entries, 32768);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, CS_TRACE_STACK_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CS_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* kprobe fallback: the arguments, kept from entry to return, per thread. */
struct kp_args {
	__s32 cap;
	__s32 opts;
	__u32 target_ns, own_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct kp_args);
} kp_pending SEC(".maps");

static __always_inline void stat_add(__u32 slot, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &slot);

	if (v)
		*v += n;
}

#define TGID_OK(t) ((t) < (__u32)CS_TGID_WORDS * 64)

/*
 * Word index of a tgid. The mask must survive into the program so the
 * verifier sees the bound; without barrier_var clang proves it redundant
 * after the TGID_OK test and folds it away.
 */
static __always_inline __u32 tgid_word(__u32 tgid)
{
	__u32 w = tgid >> 6;

	barrier_var(w);
	return w & (CS_TGID_WORDS - 1);
}

static __always_inline bool tgid_tracked(__u32 tgid)
{
	return TGID_OK(tgid) && (tracked_bits[tgid_word(tgid)] & (1ULL << (tgid & 63)));
}

/* Whether the current task is of capscope itself (its process, tgid). */
static __always_inline bool is_self(__u32 tgid)
{
	struct bpf_pidns_info ns = {};

	if (!self_ns_ino)
		return tgid == self_tgid;
	/* 0 only for a task whose own pid namespace is capscope's. */
	return bpf_get_ns_current_pid_tgid(self_ns_dev, self_ns_ino, &ns, sizeof(ns)) == 0 &&
	       ns.tgid == self_tgid;
}

static __always_inline bool in_scope(__u32 tgid)
{
	if (scope == CS_SCOPE_TGIDS)
		return tgid_tracked(tgid);
	if (is_self(tgid))
		return false;
	if (scope == CS_SCOPE_CGROUP)
		return bpf_get_current_ancestor_cgroup_id(cgroup_level) == cgroup_id;
	return true;
}

/* The syscall the task is in: orig_ax/syscallno of its user-mode registers. */
static __always_inline __s32 current_syscall(struct task_struct *task)
{
	struct pt_regs *regs;

	if (task->flags & 0x00200000 /* PF_KTHREAD */)
		return CS_SYSCALL_NONE;
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	if (!regs)
		return CS_SYSCALL_NONE;
#if defined(__TARGET_ARCH_x86)
	return (__s32)regs->orig_ax;
#elif defined(__TARGET_ARCH_arm64)
	return (__s32)regs->syscallno;
#else
	return CS_SYSCALL_NONE;
#endif
}

/*
 * trace's checks that "counts" has no room for (every scope but serve's
 * per-cgroup rows). Fourteenth pass: a process in scope that renamed itself
 * before each check (comm is part of a row's key) filled the map's 16,384
 * rows, and every later check of every process was only counted as lost:
 * a capability another process used after that was missing from the
 * profile. Here such a check is still counted by what the profile is made
 * of: capability, verdict, kind of user namespace, runtime init or not
 * (CS_SPILL_INDEX, 1,024 counters, preallocated: an add never fails). What
 * goes is its process, syscall, comm and call site, so a noise check
 * counts as a use: the profile can only grow, never miss a capability.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CS_SPILL_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} spill SEC(".maps");

static __always_inline bool init_comm(const char *c);

#define INIT_USER_NS_INUM 0xEFFFFFFDu /* include/linux/proc_ns.h PROC_USER_INIT_INO */

/* The kind of user namespace of a key, numbered as CS_SPILL_INDEX wants. */
static __always_inline __u32 spill_kind(const struct cs_trace_key *key)
{
	if (!key->target_ns)
		return 0;
	if (key->target_ns == INIT_USER_NS_INUM)
		return 1;
	return key->target_ns == key->own_ns ? 2 : 3;
}

static __noinline int spill_add(const struct cs_trace_key *key, __u64 n)
{
	__u32 cap = (__u32)key->cap, idx;
	__u64 *v;

	if (cap >= 64)
		return 0;
	idx = CS_SPILL_INDEX(cap, key->ret != 0, spill_kind(key), init_comm(key->comm));
	v = bpf_map_lookup_elem(&spill, &idx);
	if (!v)
		return 0;
	__sync_fetch_and_add(v, n);
	return 1;
}

/*
 * The containers' own cgroups, written by the node agent after each scan
 * (cs_tracer_set_owners). A workload given a cgroup tree of its own
 * (delegation) makes as many cgroups as it likes; charged by its leaf
 * cgroup, each had its own quota and its own coarse rows, and a few dozen of
 * them filled the map again. A check is charged to the deepest of its
 * cgroup's ancestors that is a container's own (the one the agent gives
 * the sub-cgroups' rows to), else to its own cgroup (a container the agent
 * has not found yet, a service of the host).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, CS_OWNERS_MAX);
	__type(key, __u64);
	__type(value, __u8);
} owners SEC(".maps");

/*
 * serve's checks of a named container that "counts" has no room for.
 * Fourteenth pass, part K: with each cgroup's rows bounded (256 and its
 * coarse rows), some 22 containers flooding in the same second still
 * filled the node's map, and every other container's checks were lost
 * until the next drain (kernel_map_full). Here a container's checks are
 * still counted by what the agent keeps of them (struct cs_cgroup_spill:
 * per capability and verdict, the kinds of user namespace, the runtime
 * init's apart), one entry a container, made on its first such check.
 * Bounded by CS_CGROUP_SPILL_MAX (about 1 KiB each). Sixteenth pass: a
 * cgroup no container has (a host service, a container between its start
 * and the scan that finds it) lost its checks here, and so did the
 * containers past the map's room, counted only as dropped. Now an unnamed
 * cgroup may take an entry too, CS_CGROUP_SPILL_ANON of them an epoch (the
 * rest are the named containers'), and a check that finds no entry is
 * counted in the node's spill counters (spill_add, by capability, no
 * cgroup): none is lost.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, CS_CGROUP_SPILL_MAX);
	__type(key, __u64);
	__type(value, struct cs_cgroup_spill);
} cgroup_spill SEC(".maps"), cgroup_spill_1 SEC(".maps");

/* The value a container's spill entry starts from (too large for the stack). */
static const struct cs_cgroup_spill spill_zero;

/*
 * Entries made for unnamed cgroups in each epoch's cgroup_spill; user space
 * sets an epoch's to 0 once it has drained that set (nothing writes it then).
 */
__u32 anon_spilled[2];

/* Whether an unnamed cgroup may have an entry made in this epoch's map.
 * Tested, then added: CPUs racing pass the bound by one each at most. */
static __always_inline bool anon_room(__u32 epoch)
{
	__u32 *n = &anon_spilled[epoch & 1];

	if (*n >= CS_CGROUP_SPILL_ANON)
		return false;
	__sync_fetch_and_add(n, 1);
	return true;
}

static __noinline int cgroup_spill_add(const struct cs_trace_key *key, __u64 n, __u32 epoch)
{
	__u64 cgroup = key->cgroup;
	struct cs_cgroup_spill *v;
	__u32 cap = (__u32)key->cap;

	if (cap >= 64)
		return 0;
	v = BY_EPOCH(epoch, cgroup_spill, bpf_map_lookup_elem, &cgroup);
	if (!v) {
		if (!bpf_map_lookup_elem(&owners, &cgroup) && !anon_room(epoch))
			return 0;
		BY_EPOCH(epoch, cgroup_spill, bpf_map_update_elem, &cgroup, &spill_zero,
			 BPF_NOEXIST);
		v = BY_EPOCH(epoch, cgroup_spill, bpf_map_lookup_elem, &cgroup);
		if (!v)
			return 0;
	}
	stat_add(CS_STAT_SPILLED, n);
	if (init_comm(key->comm)) {
		__sync_fetch_and_add(&v->init, n);
		return 1;
	}
	__sync_fetch_and_add(&v->checks[cap][key->ret != 0], n);
	if (key->ret == 0) {
		/* enum cs_userns_kind: initial 0, own 1, other 2, unknown 3 */
		__u32 k = spill_kind(key);
		__u32 kind = k == 0 ? 3 : k - 1;

		__sync_fetch_and_or(&v->used_in[kind & 3], 1ULL << cap);
	}
	return 1;
}

/*
 * Add n checks of one key to the shared counts map. Out of line, like every
 * step a repeated check does not take: see "Stack" below.
 */
static __noinline int count_add(const struct cs_trace_key *key, __u64 n, __u32 epoch)
{
	struct cs_trace_val *val, zero = {};

	val = BY_EPOCH(epoch, counts, bpf_map_lookup_elem, key);
	if (!val) {
		/* Another CPU may insert the same key first: NOEXIST then fails
		 * harmlessly and the lookup below finds its entry. */
		BY_EPOCH(epoch, counts, bpf_map_update_elem, key, &zero, BPF_NOEXIST);
		val = BY_EPOCH(epoch, counts, bpf_map_lookup_elem, key);
		if (!val) {
			/* serve's rows keep their cgroup while the spill has
			 * room, and their capability past it (the node's). */
			if (per_cgroup ? cgroup_spill_add(key, n, epoch) : spill_add(key, n))
				return 0;
			if (per_cgroup && spill_add(key, n)) {
				stat_add(CS_STAT_SPILLED_NODE, n);
				return 0;
			}
			/* n checks: a cache slot's count moved here is one
			 * add of many (fourteenth pass: counted as one, so the
			 * warning said half of what was lost). */
			stat_add(CS_STAT_DROPPED, n);
			return 0;
		}
	}
	__sync_fetch_and_add(&val->count, n);
	return 0;
}

/* The header of this CPU's cache page: the settings. */
static __always_inline struct cs_cache_head *cache_head(void)
{
	__u32 idx = bpf_get_smp_processor_id() * CS_CACHE_SLOTS;

	return bpf_map_lookup_elem(&cache, &idx);
}

/*
 * Marks the threads that have been found in scope (a tracked tgid) with an
 * (empty) task-local storage entry. Nothing reads it: its point is that
 * task->bpf_storage is then not NULL, which a check reads from the task
 * (a page the kernel has used already) to know whether looking for the
 * thread in its CPU's cache header (cs_cache_head.seen) may pay off. Other
 * threads go straight to the bitmap, so a check outside the scope touches
 * one page, as before, and one inside it only its cache page.
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u32);
} marks SEC(".maps");

#define PF_EXITING_FLAG 0x00000004 /* include/linux/sched.h PF_EXITING */

static __always_inline bool seen_here(const struct cs_cache_head *head, struct task_struct *task)
{
	__u32 pid = task->pid;

	return head->seen[pid & (CS_HEAD_SEEN - 1)].pid == pid &&
	       head->seen[pid & (CS_HEAD_SEEN - 1)].start_time == task->start_time;
}

/*
 * A thread of a tracked tgid: remember it on this CPU. Not while it exits
 * (PF_EXITING): its process may be leaving the scope, and the bitmap says
 * when. A remembered thread stays in scope while it lives: its tgid's bit
 * is cleared only when the last thread exits, after PF_EXITING is set.
 */
static __noinline int remember(struct task_struct *task)
{
	struct cs_cache_head *head;
	__u32 pid;

	if (task->flags & PF_EXITING_FLAG)
		return 0;
	if (!task->bpf_storage &&
	    !bpf_task_storage_get(&marks, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE))
		return 0; /* no mark: its checks keep asking the bitmap */
	head = cache_head();
	if (!head)
		return 0;
	pid = task->pid;
	head->seen[pid & (CS_HEAD_SEEN - 1)].pid = pid;
	head->seen[pid & (CS_HEAD_SEEN - 1)].start_time = task->start_time;
	return 0;
}

/*
 * Scope CS_SCOPE_TGIDS: whether the current thread is in scope, from its
 * CPU's memory of it if it is marked, else from the bitmap.
 */
static __always_inline bool tgids_in_scope(struct task_struct *task, __u32 tgid,
					   struct cs_cache_head **found)
{
	struct cs_cache_head *head;

	if (task->bpf_storage && !(task->flags & PF_EXITING_FLAG)) {
		head = cache_head();
		if (head && seen_here(head, task)) {
			*found = head; /* record() needs it: not looked up twice */
			return true;
		}
	}
	if (!tgid_tracked(tgid))
		return false;
	remember(task);
	return true;
}

/*
 * The cache slot of a check on this CPU: a cheap mix of the fields that vary
 * picks one of the CPU's slots (1 to CS_CACHE_SLOTS - 1; 0 is the header);
 * it only has to spread keys.
 */
#define CACHE_SLOT(c) cache_slot((c)->tgid, (c)->cap, (c)->ret, (c)->syscall, (c)->stackid)
static __always_inline struct cs_cache_slot *cache_slot(__u32 tgid, int cap, int ret, int syscall,
							int stackid)
{
	__u32 cpu = bpf_get_smp_processor_id();
	/* One multiply, the top bits (Fibonacci hashing): the fields are
	 * small numbers, shifted apart first. */
	__u32 h = (tgid ^ (__u32)cap << 6 ^ (__u32)syscall << 12 ^ (__u32)stackid << 20 ^
		   (__u32)ret << 27) *
		  0x9E3779B1u;
	__u32 i = h >> (32 - CS_CACHE_SLOTS_SHIFT);
	__u32 idx = cpu * CS_CACHE_SLOTS + (i ? i : 1);

	return bpf_map_lookup_elem(&cache, &idx);
}

/* The user namespaces of a check, as inode numbers (see cs_trace_key). */
struct userns_pair {
	__u32 target, own;
};

/*
 * One capability check, as the hook saw it: 32 bytes on the handler's stack
 * (see "Stack" below). The current task is not in it: the functions called
 * out of line ask for it again (bpf_get_current_task_btf). Its fields are
 * compared with a slot's one by one (record()): read as 64-bit words, the
 * pairs written as 32-bit fields just before stall the load (no store
 * forwarding across two stores), and a hit cost more, not less.
 */
struct check {
	__u32 tgid;
	int cap, ret, opts;
	struct userns_pair ns;
	int stackid, syscall;
};

/* The first 8 bytes of the task's comm, then the next 8 (comm is 16 bytes, NUL padded). */
#define COMM_WORD(task, i) (((const __u64 *)(task)->comm)[i])

/*
 * Stack: the kernel gives a tracing program whose stack frame is 64 bytes or
 * more a private per-CPU stack (kernel/bpf/verifier.c, BPF_PRIV_STACK_MIN_SIZE),
 * and that is one more page for the check to touch: about 20 ns per check on
 * the test VM (docs/trace.md, "Overhead"). The frame is rounded up to 16
 * bytes before that test (round_up_stack_depth), so a 56-byte frame is 64
 * there. So the handlers keep their frame at 48 bytes or less (struct
 * check and a few spills; tests/cli/trace-frame.sh) and everything that needs
 * more (a key on the stack, a zero value, an event, a new key in a cache
 * slot) is a separate function with its own frame, called only when needed.
 * The hooks' arguments are read from ctx where they are used rather than
 * all at once on entry (BPF_PROG), which would spill them to the stack.
 */

/* Out of line: a stack id, the costliest step, only for some capabilities. */
static __noinline int take_stack(void *ctx)
{
	int id = bpf_get_stackid(ctx, &stacks, 0);

	if (id < 0)
		stat_add(CS_STAT_NOSTACK, 1);
	return id;
}

static __noinline int emit_event(const struct check *c)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct cs_trace_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		stat_add(CS_STAT_LOST, 1);
		return 0;
	}
	e->ts_ns = bpf_ktime_get_ns();
	e->pid = task->pid;
	e->tgid = c->tgid;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->cap = c->cap;
	e->ret = c->ret;
	e->stackid = c->stackid;
	e->syscall = c->syscall;
	e->opts = c->opts;
	e->target_ns = c->ns.target;
	e->own_ns = c->ns.own;
	__builtin_memcpy(e->comm, task->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/*
 * serve's per-cgroup rows: how many rows of its own each cgroup added to
 * "counts" since the last drain (user space empties this map before it
 * drains "counts"). One map of 16,384 rows is shared by every container of
 * the node: before this quota (fourteenth pass, part K), one whose
 * processes renamed themselves before each check (a new comm, a new key)
 * filled it in a fraction of a second, and every other container's checks
 * were lost until the next drain. Now a cgroup past CS_CGROUP_ROWS new rows
 * has its further new checks counted in coarse rows of its own (see
 * coarsen()): nothing of it is lost, and the others keep their room.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u32);
} cgroup_rows SEC(".maps"), cgroup_rows_1 SEC(".maps");

/*
 * Whether cgroup may add one more row of its own, charged here. A cgroup the
 * map has no room for may not (its checks go to coarse rows, which stay
 * few). The test and the add are two steps: CPUs racing may pass the quota
 * by one row each, a bound still; the counter never passes it by more, so
 * it cannot wrap.
 */
static __noinline int charge_row(__u64 cgroup, __u32 epoch)
{
	__u32 one = 1, *n = BY_EPOCH(epoch, cgroup_rows, bpf_map_lookup_elem, &cgroup);

	if (!n) {
		if (BY_EPOCH(epoch, cgroup_rows, bpf_map_update_elem, &cgroup, &one, BPF_NOEXIST) ==
		    0)
			return 1;
		n = BY_EPOCH(epoch, cgroup_rows, bpf_map_lookup_elem, &cgroup);
		if (!n)
			return 0;
	}
	if (*n >= CS_CGROUP_ROWS)
		return 0;
	__sync_fetch_and_add(n, 1);
	return 1;
}

/*
 * The levels at which the agent named containers' cgroups, shallowest
 * first, owner_nlevels of them (cs_tracer_set_owners); none: levels 1 to
 * CS_OWNER_LEVELS. Fifteenth pass, second round: the walk looked at levels
 * 1 to 31 only, then at 32 from the shallowest container's, and a
 * container more than 31 levels below another was silently not its
 * sub-cgroups' owner (their rows charged by leaf, past a full map only by
 * capability). Only the levels where a container is are looked at now.
 * Seventeenth pass: up to 32 distinct levels, and a container at a 33rd
 * was again not its sub-cgroups' owner. Now CS_OWNER_LEVELS (256) of them,
 * looked at from the deepest up (one below the task's own cgroup costs a
 * helper call that gives 0, no lookup), stopping at the first that is a
 * container's: the task's nearest container, so the lookups are the named
 * levels between the leaf and its container (one, in a node of pods). The levels
 * are the agent's (the containers it names), never the workload's: a
 * workload nesting cgroups below its container adds none, and so can
 * neither escape its container's quota nor make the walk longer.
 */
__u32 owner_levels[CS_OWNER_LEVELS];
__u32 owner_nlevels;
__u32 owner_levels_cut; /* 1: named containers at levels past those */

/* Who is charged for a new row of the current task's cgroup leaf. Out of
 * line, and only for a new row (or a sub-cgroup's check past its quota). */
static __noinline __u64 quota_owner(__u64 leaf)
{
	__u32 nl = owner_nlevels, cut;

	if (!nl) { /* no levels told: the old walk, down levels 1 to 32 */
		__u64 owner = leaf;

		for (int i = 1; i <= 32; i++) {
			__u64 id = bpf_get_current_ancestor_cgroup_id(i);

			if (!id) /* a level past the task's own: the walk ends */
				break;
			if (bpf_map_lookup_elem(&owners, &id))
				owner = id;
			if (id == leaf)
				break;
		}
		return owner;
	}
	/* Levels left out (more than CS_OWNER_LEVELS): a container at one of
	 * them is still its own cgroup's owner. Only then, for it costs a
	 * lookup a new row. */
	cut = owner_levels_cut;
	if (cut && bpf_map_lookup_elem(&owners, &leaf))
		return leaf;
	for (int i = 0; i < CS_OWNER_LEVELS; i++) {
		__u64 id;

		if ((__u32)i >= nl)
			break;
		/* From the deepest up. A level below the task's gives 0 (the
		 * same cgroup pointers as the old walk's, nothing more read);
		 * the leaf, when looked up above, is not looked up again. */
		id = bpf_get_current_ancestor_cgroup_id(
		    (int)owner_levels[(nl - 1 - (__u32)i) & (CS_OWNER_LEVELS - 1)]);
		if (!id || (cut && id == leaf))
			continue;
		if (bpf_map_lookup_elem(&owners, &id))
			return id;
	}
	return leaf;
}

/*
 * Whether comm is a container runtime's own init, as
 * cs_trace_runtime_init_comm (lib/trace/classify.c) tells it: "exe",
 * "runc", "runc:[...", "crun". Its checks are not the container's.
 */
static __always_inline bool init_comm(const char *c)
{
	if (c[0] == 'e' && c[1] == 'x' && c[2] == 'e' && !c[3])
		return true;
	if (c[0] == 'c' && c[1] == 'r' && c[2] == 'u' && c[3] == 'n' && !c[4])
		return true;
	return c[0] == 'r' && c[1] == 'u' && c[2] == 'n' && c[3] == 'c' &&
	       (!c[4] || (c[4] == ':' && c[5] == '['));
}

/*
 * A key past its cgroup's quota: only what serve's rows are made of is
 * kept, each as one of a few values, so a cgroup has a bounded number of
 * coarse rows whatever its processes call themselves or how many user
 * namespaces they make: the capability, the verdict, the kind of user
 * namespace (initial, own, other: as cs_trace_userns tells them apart, by
 * stand-in inode numbers) and whether it is the runtime's init (comm
 * "runc" or none). What goes is the call site that tells noise (stack):
 * such a check counts as the container's own use, so its own profile can
 * only grow, never another's shrink. Fourteenth pass, part K: with the
 * user namespaces cleared, a user-namespaced container whose runc init
 * spent the quota at its start had its own chown shown as "unknown".
 */
static __always_inline void coarsen(struct cs_trace_key *key)
{
	bool init = init_comm(key->comm);

	key->stackid = -1;
	key->syscall = CS_SYSCALL_NONE;
	key->opts = CS_OPTS_UNKNOWN;
	if (key->target_ns && key->target_ns != INIT_USER_NS_INUM) {
		key->target_ns = key->target_ns == key->own_ns ? 1 : 2;
		key->own_ns = 1;
	} else {
		key->own_ns = 0;
	}
	__builtin_memset(key->comm, 0, sizeof(key->comm));
	if (init)
		__builtin_memcpy(key->comm, "runc", 4);
	key->tgid = CS_ROW_COARSE; /* the agent says the container's counts are coarse */
}

/* One check straight into "counts" of the epoch: serve's per-cgroup rows. */
static __noinline int count_direct(const struct check *c, __u32 epoch)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct cs_trace_key key = {
	    .tgid = per_cgroup ? 0 : c->tgid,
	    .cgroup = per_cgroup ? bpf_get_current_cgroup_id() : 0,
	    .target_ns = c->ns.target,
	    .own_ns = c->ns.own,
	    .cap = c->cap,
	    .ret = c->ret,
	    .opts = c->opts,
	    .stackid = c->stackid,
	    .syscall = c->syscall,
	};

	struct cs_trace_val *val;
	__u64 owner;

	__builtin_memcpy(key.comm, task->comm, sizeof(key.comm));
	if (!per_cgroup)
		return count_add(&key, 1, epoch);
	if ((val = BY_EPOCH(epoch, counts, bpf_map_lookup_elem, &key))) {
		__sync_fetch_and_add(&val->count, 1);
		return 0;
	}
	owner = quota_owner(key.cgroup);
	/*
	 * Below a container's own cgroup (delegation): the row is the
	 * container's, keyed by its cgroup. Fourteenth pass: keyed by the
	 * leaf, the agent joined at most 256 sub-cgroups a container a scrape
	 * (a walk of the cgroup tree) and counted the rest's checks as no
	 * container's. The cost: a sub-cgroup's check, having no row of its
	 * own, walks to its owner each time (a lookup a level).
	 */
	if (owner != key.cgroup) {
		key.cgroup = owner;
		if ((val = BY_EPOCH(epoch, counts, bpf_map_lookup_elem, &key))) {
			__sync_fetch_and_add(&val->count, 1);
			return 0;
		}
	}
	if (!charge_row(owner, epoch)) {
		/* Kept by the owner's cgroup: a coarse row each capability and
		 * verdict of a container, however many cgroups it makes. */
		coarsen(&key);
		key.cgroup = owner;
		stat_add(CS_STAT_COARSE, 1);
	}
	return count_add(&key, 1, epoch);
}

/* A cache miss: the slot's count goes to "counts", the slot to this check. */
static __noinline int refill(struct cs_cache_slot *slot, const struct check *c)
{
	struct task_struct *task = bpf_get_current_task_btf();

	/* Epoch 0: trace, which never switches (its slots are read once
	 * the programs are detached). */
	if (slot->count)
		count_add(&slot->key, slot->count, 0);
	slot->key.tgid = c->tgid;
	slot->key.cap = c->cap;
	slot->key.ret = c->ret;
	slot->key.stackid = c->stackid;
	slot->key.syscall = c->syscall;
	slot->key.opts = c->opts;
	slot->key.target_ns = c->ns.target;
	slot->key.own_ns = c->ns.own;
	slot->key.cgroup = 0;
	__builtin_memcpy(slot->key.comm, task->comm, sizeof(slot->key.comm));
	slot->count = 1;
	return 0;
}

/*
 * Count one check of a process in scope. The common case is a check that
 * the same CPU counted a moment ago: its cache slot holds the same key. So
 * the key is never built on the stack: each field is compared with the
 * slot's as it is read, and only a miss writes the slot (after moving its
 * old count to "counts"). Building, zeroing and comparing a 56-byte key on
 * every check cost about a third of the program.
 */
static __always_inline int record(void *ctx, struct task_struct *task, struct check *c, bool wide,
				  struct cs_cache_head *head)
{
	bool by_cgroup = wide && per_cgroup, events;
	struct cs_cache_slot *slot;

	c->syscall = current_syscall(task);
	c->stackid = -1;
	if (!head) /* not found by the scope test (a thread's first check here, other scopes) */
		head = cache_head();
	if (!head) /* a CPU beyond the array: cannot happen, but a check counts */
		return count_direct(c, 0);
	if ((__u32)c->cap < 64 && (head->stack_caps & (1ULL << c->cap)))
		c->stackid = take_stack(ctx);
	events = head->flags & CS_HEAD_EVENTS;
	/* Read the fields from *c again below: copies kept in registers
	 * would be spilled around the calls and grow the frame past 48
	 * bytes. An opaque pointer makes the compiler reload them. */
	barrier_var(c);

	slot = by_cgroup ? NULL : CACHE_SLOT(c);
	if (!slot) {
		/* serve's per-cgroup rows go straight to "counts". */
		count_direct(c, head->epoch);
	} else if (slot->count && slot->key.tgid == c->tgid && slot->key.cap == c->cap &&
		   slot->key.ret == c->ret && slot->key.stackid == c->stackid &&
		   slot->key.syscall == c->syscall && slot->key.opts == c->opts &&
		   slot->key.target_ns == c->ns.target && slot->key.own_ns == c->ns.own &&
		   ((__u64 *)slot->key.comm)[0] == COMM_WORD(task, 0) &&
		   ((__u64 *)slot->key.comm)[1] == COMM_WORD(task, 1)) {
		slot->count++; /* the common case: same check as last time on this CPU */
	} else {
		refill(slot, c);
	}
	if (events)
		emit_event(c);
	return 0;
}

/*
 * The inode number of the checking credentials' user namespace. Most checks
 * are made against the task's own namespace: then the target's number,
 * read already, is the answer and the namespace is not read twice.
 */
static __always_inline __u32 own_userns(const struct cred *cred,
					const struct user_namespace *target, __u32 target_inum)
{
	const struct user_namespace *own;

	if (!cred)
		return 0;
	own = cred->user_ns; /* read once: each CO-RE field read is a load */
	if (!own)
		return 0;
	if (own == target)
		return target_inum;
	return own->ns.inum;
}

/* The user namespaces of a check from the hook's cred and target_ns. */
static __always_inline void check_userns(struct check *c, const struct cred *cred,
					 const struct user_namespace *target)
{
	c->ns.target = target ? target->ns.inum : 0;
	c->ns.own = own_userns(cred, target, c->ns.target);
}

/*
 * The start of every handler: the current task and whether it is in scope.
 * The current task is a trusted BTF pointer: its fields are plain loads
 * (CO-RE relocated), cheaper than the pid_tgid and comm helpers, and this
 * runs for every check of every process. Nothing else is read before the
 * scope test, so that checks of other processes cost this and no more.
 * With wide false the scope is the tracked tgids, known without reading
 * the settings (one page less).
 */
static __always_inline struct task_struct *current_in_scope(struct check *c, bool wide,
							    struct cs_cache_head **head)
{
	struct task_struct *task = bpf_get_current_task_btf();

	c->tgid = task->tgid;
	return (wide ? in_scope(c->tgid) : tgids_in_scope(task, c->tgid, head)) ? task : NULL;
}

/*
 * A check from the hook's arguments, cred and target_ns first and ret
 * fifth in both: the tracepoint (Linux 6.14+,
 * include/trace/events/capability.h) has (cred, target_ns, capable_ns, cap,
 * ret) and no opts; fexit on cap_capable (older kernels with BPF
 * trampolines) has (cred, targ_ns, cap, opts) and the return value.
 */
static __always_inline int hook_check(__u64 *ctx, bool wide, int cap_arg, int opts_arg)
{
	struct cs_cache_head *head = NULL;
	struct task_struct *task;
	struct check c;

	if (!(task = current_in_scope(&c, wide, &head)))
		return 0;
	c.cap = (int)ctx[cap_arg];
	c.ret = (int)ctx[4];
	c.opts = opts_arg < 0 ? CS_OPTS_UNKNOWN : (int)ctx[opts_arg];
	check_userns(&c, (const struct cred *)ctx[0], (const struct user_namespace *)ctx[1]);
	return record(ctx, task, &c, wide, head);
}
#define tp_check(ctx, wide)    hook_check(ctx, wide, 3, -1)
#define fexit_check(ctx, wide) hook_check(ctx, wide, 2, 3)

/*
 * Two programs per hook: one for the commonest scope, tracked processes
 * (capscope trace -- CMD, -p PID), which reads none of the read-only
 * settings, and one for every scope and serve's per-cgroup rows (_wide).
 * User space loads one of them.
 */
SEC("tp_btf/cap_capable")
int cs_tp_cap_capable(__u64 *ctx)
{
	return tp_check(ctx, false);
}

SEC("tp_btf/cap_capable")
int cs_tp_cap_capable_wide(__u64 *ctx)
{
	return tp_check(ctx, true);
}

SEC("fexit/cap_capable")
int cs_fexit_cap_capable(__u64 *ctx)
{
	return fexit_check(ctx, false);
}

SEC("fexit/cap_capable")
int cs_fexit_cap_capable_wide(__u64 *ctx)
{
	return fexit_check(ctx, true);
}

SEC("kprobe/cap_capable")
int BPF_KPROBE(cs_kprobe_cap_capable, const struct cred *cred, struct user_namespace *targ_ns,
	       int cap, unsigned int opts)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct kp_args a = {.cap = cap,
			    .opts = (__s32)opts,
			    .target_ns = BPF_CORE_READ(targ_ns, ns.inum),
			    .own_ns = BPF_CORE_READ(cred, user_ns, ns.inum)};

	if (!in_scope((__u32)(bpf_get_current_pid_tgid() >> 32)))
		return 0;
	bpf_map_update_elem(&kp_pending, &tid, &a, BPF_ANY);
	return 0;
}

SEC("kretprobe/cap_capable")
int BPF_KRETPROBE(cs_kretprobe_cap_capable, int ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct kp_args *a = bpf_map_lookup_elem(&kp_pending, &tid);
	struct task_struct *task;
	struct check c;

	if (!a)
		return 0;
	task = bpf_get_current_task_btf();
	c.tgid = task->tgid;
	c.cap = a->cap;
	c.ret = ret;
	c.opts = a->opts;
	c.ns.target = a->target_ns;
	c.ns.own = a->own_ns;
	bpf_map_delete_elem(&kp_pending, &tid);
	return record(ctx, task, &c, true, NULL);
}

/*
 * trace -p: whether task (its process) is below a tracked process, by its
 * parents as the kernel has them now; found so, it is tracked. Sixteenth
 * pass' open find: the processes below PID were taken from /proc, read
 * again until a read found none new (at most 8), and the fork handler
 * followed only tracked parents: a descendant not yet found that forked
 * had its child lost, in a storm the 8 reads were not enough, and one
 * whose parent exited before a read saw it was reparented and lost.
 * Now a fork or an exit whose process is not tracked asks its ancestors
 * (bounded: CS_ANCESTRY_MAX parents; the tracer's own process and init end
 * it), so one read of /proc after the programs are attached finds every
 * descendant the handlers did not (track-tree.c).
 */
struct walk {
	__u64 t;    /* the task looked at next (a kernel address) */
	__u64 head; /* children: the list's head */
	__u32 found;
};

/* One parent of the walk: 1 to stop (found, init, capscope's own). */
static __always_inline long parent_step(struct walk *w)
{
	struct task_struct *t = (struct task_struct *)w->t;
	__u32 tgid = BPF_CORE_READ(t, tgid);

	/* Tracked first: `trace -p 1` has init tracked. */
	if (tgid_tracked(tgid)) {
		w->found = 1;
		return 1;
	}
	if (tgid <= 1 || (tgid == self_tgid && !self_ns_ino)) /* capscope's own */
		return 1;
	w->t = (__u64)BPF_CORE_READ(t, real_parent);
	return !w->t;
}

static long parent_cb(__u64 i, void *ctx)
{
	return parent_step(ctx);
}

/*
 * The walks use bpf_loop (Linux 5.17+) where the kernel has it: the
 * verifier checks its callback once, where a bounded loop is simulated
 * iteration by iteration (512 parents and 1,024 children made `trace -p`
 * start in 1.3 s instead of 0.46). Older kernels get short bounded loops
 * (the branch not taken is never verified: the CO-RE test is a constant).
 */
#define CS_WALK_OLD 32

static __noinline bool below_tracked(struct task_struct *task)
{
	struct walk w = {.t = (__u64)task};

	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_loop)) {
		bpf_loop(CS_ANCESTRY_MAX, parent_cb, &w, 0);
	} else {
		for (int i = 0; i < CS_WALK_OLD; i++)
			if (parent_step(&w))
				break;
	}
	return w.found;
}

static __always_inline void track_tgid(__u32 tgid)
{
	if (!TGID_OK(tgid))
		return;
	/* Atomic: another CPU may set a bit in the same word at the same time. */
	__sync_fetch_and_or(&tracked_bits[tgid_word(tgid)], 1ULL << (tgid & 63));
	stat_add(CS_STAT_FORKS, 1);
}

/* Follow the traced processes: a new process of a tracked one, or of one
 * below a tracked one (below_tracked), is tracked. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(cs_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid, ctgid;

	if (scope != CS_SCOPE_TGIDS)
		return 0;
	ptgid = BPF_CORE_READ(parent, tgid);
	ctgid = BPF_CORE_READ(child, tgid);
	if (ptgid == ctgid) /* a new thread: its group is tracked already */
		return 0;
	if (!tgid_tracked(ptgid)) {
		if (!below_tracked(parent))
			return 0;
		track_tgid(ptgid);
	}
	track_tgid(ctgid);
	return 0;
}

/*
 * The children of an exiting thread of a traced process are tracked before
 * the kernel gives them to a reaper (exit_notify runs after this
 * tracepoint): past that, no parent says they were below PID. The list is
 * read without the kernel's lock (a child reaped meanwhile ends the walk
 * early, a self-linked entry), at most CS_CHILDREN_MAX children; a walk cut
 * either way is counted in CS_STAT_UNFOLLOWED.
 */
/* One child of the walk: 1 to stop (the list's end, or a child reaped
 * meanwhile, which points at itself: w->t is then not the head). */
static __always_inline long child_step(struct walk *w)
{
	struct task_struct *c;
	__u64 at = w->t, next = 0;

	if (!at || at == w->head)
		return 1;
	c = (struct task_struct *)(at - bpf_core_field_offset(struct task_struct, sibling));
	track_tgid(BPF_CORE_READ(c, tgid));
	if (bpf_probe_read_kernel(&next, sizeof(next), (void *)at) < 0 || next == at)
		return 1;
	w->t = next;
	return 0;
}

static long child_cb(__u64 i, void *ctx)
{
	return child_step(ctx);
}

static __noinline void track_children(struct task_struct *p)
{
	struct walk w = {
	    .t = (__u64)BPF_CORE_READ(p, children.next),
	    .head = (__u64)p + bpf_core_field_offset(struct task_struct, children),
	};

	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_loop)) {
		bpf_loop(CS_CHILDREN_MAX, child_cb, &w, 0);
	} else {
		for (int i = 0; i < CS_WALK_OLD; i++)
			if (child_step(&w))
				break;
	}
	if (w.t && w.t != w.head) /* cut: too many, or a child reaped */
		stat_add(CS_STAT_UNFOLLOWED, 1);
}

/* Forget a process when its last thread exits (signal->live reached 0);
 * first, its children are tracked (track_children). */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(cs_exit, struct task_struct *p)
{
	__u64 head = (__u64)p + bpf_core_field_offset(struct task_struct, children);
	__u32 tgid;

	if (scope != CS_SCOPE_TGIDS)
		return 0;
	tgid = BPF_CORE_READ(p, tgid);
	/* Most exiting threads have no child: one load, nothing more. */
	if ((__u64)BPF_CORE_READ(p, children.next) != head &&
	    (tgid_tracked(tgid) || below_tracked(p)))
		track_children(p);
	if (BPF_CORE_READ(p, signal, live.counter) != 0)
		return 0;
	if (tgid_tracked(tgid))
		__sync_fetch_and_and(&tracked_bits[tgid_word(tgid)], ~(1ULL << (tgid & 63)));
	return 0;
}
