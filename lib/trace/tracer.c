/* SPDX-License-Identifier: MIT */
/*
 * Loading bpf/capscope.bpf.c through its bpftool skeleton.
 *
 * The hook is chosen by probing, never by comparing kernel versions: the
 * capability:cap_capable tracepoint exists when the kernel's BTF describes
 * btf_trace_cap_capable; fexit needs a BTF FUNC cap_capable and BPF
 * trampolines (loading is the probe); kprobes need a kprobe PMU or tracefs kprobe_events. Each
 * candidate that passes its probe is loaded with only its programs set to
 * autoload; if loading or attaching fails the next one is tried, and the
 * errors of all of them are reported when none works.
 *
 * It never prints: errors go into struct cs_diag, libbpf's messages and the
 * optional stack dumps to the caller's log function.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "capscope/trace.h"

#ifdef CAPSCOPE_HAVE_BPF
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "capscope-trace.h"
#include "capscope.skel.h"
#include "capscope/proc.h"
#include "../internal/bpf-log.h"
#include "../internal/bpf-sync.h"
#include "../internal/cgroup-owner.h"
#include "../internal/pid-tree.h"
#include "../internal/stack-memo.h"
#include "../internal/util.h"

_Static_assert(CS_TRACER_PIDS == (int)CS_SCOPE_TGIDS && CS_TRACER_CGROUP == (int)CS_SCOPE_CGROUP &&
		   CS_TRACER_ALL == (int)CS_SCOPE_ALL,
	       "the public scope values are the BPF program's");

struct cs_tracer {
	struct capscope_bpf *skel;
	struct ring_buffer *rb;
	int hook;
	bool mounted_tracefs;
	cs_tracer_event_fn fn;
	void *fn_ctx;
	struct timespec poll_end; /* when cs_tracer_poll must hand back control */
	cs_tracer_log_fn log;
	void *log_ctx;
	bool log_stacks;
	bool per_cgroup;
	unsigned char *drain_cls;  /* per stack id: its class + 1, 0 not yet known */
	struct cs_bpf_sync sync;   /* waits for the programs running (drain, collect) */
	__u32 epoch;		   /* serve: the set of maps the programs write */
	int ncpu;		   /* the cache's CPUs: each has a header */
	struct cs_owner_level *lv; /* serve: the named containers' levels, by id */
	size_t nlv;
	uint64_t owners_unwatched; /* serve: named past CS_OWNER_LEVELS levels */
	__u64 *spill_seen;	   /* serve: the node's spill counters at the last drain */
};

static const char *const hook_names[] = {
    [CS_HOOK_TP_BTF] = "tp_btf/cap_capable",
    [CS_HOOK_FEXIT] = "fexit/cap_capable",
    [CS_HOOK_KPROBE] = "kprobe/cap_capable",
};

const char *cs_tracer_unavailable(void)
{
	return NULL;
}

const char *cs_tracer_hook(const struct cs_tracer *t)
{
	return hook_names[t->hook];
}

bool cs_tracer_mounted_tracefs(const struct cs_tracer *t)
{
	return t->mounted_tracefs;
}

/* kprobes through tracefs need it mounted; mount it when the caller allows it. */
static void ensure_tracefs(struct cs_tracer *t, bool may_mount)
{
	struct stat st;

	if (!may_mount || stat("/sys/kernel/tracing/events", &st) == 0)
		return;
	if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0)
		t->mounted_tracefs = true;
}

static bool have_kprobes(struct cs_tracer *t, bool may_mount)
{
	if (access("/sys/bus/event_source/devices/kprobe/type", R_OK) == 0)
		return true;
	ensure_tracefs(t, may_mount);
	return access("/sys/kernel/tracing/kprobe_events", W_OK) == 0;
}

/* What the kernel offers, from its BTF and libbpf's feature probes. */
static bool probe_hook(struct cs_tracer *t, const struct cs_tracer_config *cfg, int hook,
		       struct btf *vmlinux, char *why, size_t len)
{
	switch (hook) {
	case CS_HOOK_TP_BTF:
		if (btf__find_by_name_kind(vmlinux, "btf_trace_cap_capable", BTF_KIND_TYPEDEF) <
		    0) {
			snprintf(why, len, "no capability:cap_capable tracepoint in this kernel");
			return false;
		}
		return true;
	case CS_HOOK_FEXIT:
		/* libbpf cannot probe BPF_PROG_TYPE_TRACING without a target, so
		 * the load itself is the probe for trampolines. */
		if (btf__find_by_name_kind(vmlinux, "cap_capable", BTF_KIND_FUNC) < 0) {
			snprintf(why, len, "cap_capable is not in the kernel's BTF");
			return false;
		}
		return true;
	case CS_HOOK_KPROBE:
		if (!have_kprobes(t, cfg->mount_tracefs)) {
			snprintf(why, len, "no kprobe PMU and no tracefs kprobe_events");
			return false;
		}
		return true;
	}
	return false;
}

/* The settings, in the header slot of every CPU's cache page (struct cs_cache_head). */
static int write_heads(struct capscope_bpf *s, const struct cs_tracer_config *cfg, int ncpu)
{
	union {
		struct cs_cache_head head;
		struct cs_cache_slot slot;
	} v = {.head = {.stack_caps = cfg->stack_caps, .flags = cfg->events ? CS_HEAD_EVENTS : 0}};
	int fd = bpf_map__fd(s->maps.cache);

	_Static_assert(sizeof(struct cs_cache_head) == sizeof(struct cs_cache_slot),
		       "the header takes one slot");
	for (__u32 cpu = 0; cpu < (__u32)ncpu; cpu++) {
		__u32 idx = cpu * CS_CACHE_SLOTS;

		if (bpf_map_update_elem(fd, &idx, &v, BPF_ANY))
			return -errno;
	}
	return 0;
}

static int try_hook(struct cs_tracer *t, const struct cs_tracer_config *cfg, int hook, char *why,
		    size_t len)
{
	struct capscope_bpf *s = capscope_bpf__open();
	int rc, ncpu;
	bool tgids;

	if (!s) {
		rc = -errno;
		snprintf(why, len, "opening the BPF object: %s", strerror(-rc));
		return rc;
	}
	s->rodata->scope = (__u32)cfg->scope;
	s->rodata->cgroup_id = cfg->cgroup_id;
	s->rodata->cgroup_level = cfg->cgroup_level;
	s->rodata->self_tgid = (__u32)getpid();
	/* In a child pid namespace getpid() is that namespace's id: the
	 * programs ask the kernel for the task's id there (bpf/capscope.bpf.c). */
	if (cs_proc_in_child_pidns() != 0) {
		struct stat ns;

		/* Also when it cannot be told (fourteenth pass, part K): taken for
		 * the initial namespace, capscope's own id here was compared with
		 * the kernel's. */
		if (stat("/proc/self/ns/pid", &ns) < 0) {
			rc = -errno;
			snprintf(
			    why, len,
			    "/proc/self/ns/pid: %s: the programs must tell this capscope's own "
			    "checks by its pid namespace",
			    strerror(-rc));
			capscope_bpf__destroy(s);
			return rc;
		}
		s->rodata->self_ns_dev = (__u64)ns.st_dev;
		s->rodata->self_ns_ino = (__u64)ns.st_ino;
	}
	s->rodata->per_cgroup = cfg->per_cgroup;
	/* The program for tracked processes, or the one for every scope. */
	tgids = cfg->scope == CS_TRACER_PIDS && !cfg->per_cgroup;
	bpf_program__set_autoload(s->progs.cs_tp_cap_capable, hook == CS_HOOK_TP_BTF && tgids);
	bpf_program__set_autoload(s->progs.cs_tp_cap_capable_wide,
				  hook == CS_HOOK_TP_BTF && !tgids);
	bpf_program__set_autoload(s->progs.cs_fexit_cap_capable, hook == CS_HOOK_FEXIT && tgids);
	bpf_program__set_autoload(s->progs.cs_fexit_cap_capable_wide,
				  hook == CS_HOOK_FEXIT && !tgids);
	bpf_program__set_autoload(s->progs.cs_kprobe_cap_capable, hook == CS_HOOK_KPROBE);
	bpf_program__set_autoload(s->progs.cs_kretprobe_cap_capable, hook == CS_HOOK_KPROBE);
	if (hook != CS_HOOK_KPROBE)
		bpf_map__set_autocreate(s->maps.kp_pending, false);
	/* Only the tracepoint and fexit programs mark threads; the kprobe pair
	 * is the fallback of kernels that may predate task storage for tracing
	 * programs (5.11), so it must not need the map. */
	if (hook == CS_HOOK_KPROBE)
		bpf_map__set_autocreate(s->maps.marks, false);
	if (!cfg->events)
		bpf_map__set_max_entries(s->maps.events, 4096); /* unused, keep it small */
	/* One page of CS_CACHE_SLOTS per possible CPU (its header is needed
	 * even for per-cgroup rows, which bypass the slots). */
	ncpu = libbpf_num_possible_cpus();
	if (ncpu <= 0) {
		snprintf(why, len, "counting the CPUs: %s", strerror(ncpu < 0 ? -ncpu : EINVAL));
		capscope_bpf__destroy(s);
		return ncpu < 0 ? ncpu : -EINVAL;
	}
	bpf_map__set_max_entries(s->maps.cache, (__u32)ncpu * CS_CACHE_SLOTS);
	/* trace never switches epochs and has no per-cgroup rows: the second
	 * set and the quota are not written (preallocated, 2 and 1 MiB). */
	if (!cfg->per_cgroup) {
		bpf_map__set_max_entries(s->maps.counts_1, 1);
		bpf_map__set_max_entries(s->maps.cgroup_rows, 1);
		bpf_map__set_max_entries(s->maps.cgroup_rows_1, 1);
	}
	rc = capscope_bpf__load(s);
	if (rc) {
		rc = rc < 0 ? rc : -errno;
		snprintf(why, len, "loading: %s", strerror(-rc));
		capscope_bpf__destroy(s);
		return rc;
	}
	rc = write_heads(s, cfg, ncpu);
	if (rc) {
		snprintf(why, len, "writing the settings: %s", strerror(-rc));
		capscope_bpf__destroy(s);
		return rc;
	}
	rc = capscope_bpf__attach(s);
	if (rc) {
		rc = rc < 0 ? rc : -errno;
		snprintf(why, len, "attaching: %s", strerror(-rc));
		capscope_bpf__destroy(s);
		return rc;
	}
	t->skel = s;
	t->hook = hook;
	t->ncpu = ncpu;
	return 0;
}

/*
 * Tracing programs need CAP_BPF + CAP_PERFMON, or CAP_SYS_ADMIN
 * (kernel/bpf/syscall.c). Asked of the kernel (capget), not of
 * /proc/getpid(): in a pid namespace that sees its parent's /proc, that is
 * another process, and an unprivileged one there had `trace --cgroup`
 * refused for want of capabilities this process holds.
 */
static bool may_bpf(void)
{
	uint64_t eff;

	if (cs_self_effective(&eff) < 0)
		return true; /* cannot tell: let the kernel decide */
	return (eff & CS_BIT(21)) || ((eff & CS_BIT(39)) && (eff & CS_BIT(38)));
}

static int on_event(void *ctx, void *data, size_t len)
{
	struct cs_tracer *t = ctx;
	struct cs_trace_rec rec;

	struct timespec now;

	if (cs_trace_decode_event(data, len, &rec) == 0 && t->fn)
		t->fn(&rec, t->fn_ctx);
	/*
	 * libbpf's ring_buffer__poll goes on while new records keep coming, so
	 * a scope that checks faster than fn prints (--all beside a busy loop,
	 * stdout to a slow reader) kept the caller inside it for ever: neither
	 * --duration nor Ctrl-C was looked at again. A negative answer stops
	 * it after this record, which is consumed (libbpf 1.1
	 * ringbuf_process_ring); the rest waits for the next poll.
	 */
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > t->poll_end.tv_sec ||
	    (now.tv_sec == t->poll_end.tv_sec && now.tv_nsec >= t->poll_end.tv_nsec))
		return -EAGAIN;
	return 0;
}

/* Why the tracer cannot run at all, before any hook is tried; 0 when it may. */
static int preconditions(const struct cs_tracer_config *cfg, struct cs_diag *d)
{
	/* A forced hook is one of the three names: matched as a prefix, "" or
	 * "t" selected some and a typo none, which was then reported as the
	 * kernel having no way to trace. */
	if (cfg->force_hook && strcmp(cfg->force_hook, "tp_btf") != 0 &&
	    strcmp(cfg->force_hook, "fexit") != 0 && strcmp(cfg->force_hook, "kprobe") != 0)
		return cs_diag_set(d, EINVAL, 0, 0, "hook",
				   "'%s' is not a hook: tp_btf, fexit or kprobe", cfg->force_hook);
	if (!may_bpf())
		return cs_diag_set(d, EPERM, 0, 0, "",
				   "not allowed to trace with BPF: run as root, or give capscope "
				   "CAP_BPF and CAP_PERFMON (CAP_SYS_ADMIN on kernels before 5.8)");
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		return cs_diag_set(d, ENOENT, 0, 0, "",
				   "the kernel has no BTF (/sys/kernel/btf/vmlinux is missing): "
				   "capscope trace needs a kernel built with "
				   "CONFIG_DEBUG_INFO_BTF=y");
	return 0;
}

/*
 * Try the hooks in order of preference; whys[i] says why hook i was not
 * taken, errs[i] what loading or attaching it gave (0: not tried).
 */
static int attach_first(struct cs_tracer *t, const struct cs_tracer_config *cfg,
			struct btf *vmlinux, char whys[3][160], int errs[3])
{
	static const int order[] = {CS_HOOK_TP_BTF, CS_HOOK_FEXIT, CS_HOOK_KPROBE};
	int rc = -ENOTSUP;

	for (size_t i = 0; i < 3; i++) {
		int hook = order[i];

		whys[i][0] = '\0';
		errs[i] = 0;
		if (cfg->force_hook &&
		    strncmp(hook_names[hook], cfg->force_hook, strlen(cfg->force_hook)) != 0) {
			snprintf(whys[i], sizeof(whys[i]), "not selected");
			continue;
		}
		if (!probe_hook(t, cfg, hook, vmlinux, whys[i], sizeof(whys[i])))
			continue;
		rc = errs[i] = try_hook(t, cfg, hook, whys[i], sizeof(whys[i]));
		if (rc == 0)
			return 0;
		/* EPERM here can be specific to the hook (fexit on a function the
		 * kernel refuses to trace); the next candidate may still work. */
	}
	return rc ? rc : -ENOTSUP;
}

/*
 * Whether the kernel refused every hook tried, the tracepoint among them:
 * only then is BPF tracing itself forbidden (lockdown, an LSM). fexit alone
 * is refused on some kernels (EPERM on 6.18 for cap_capable) where the
 * tracepoint works.
 */
static bool all_refused(const int errs[3])
{
	if (errs[0] != -EPERM && errs[0] != -EACCES)
		return false;
	for (int i = 1; i < 3; i++)
		if (errs[i] && errs[i] != -EPERM && errs[i] != -EACCES)
			return false;
	return true;
}

static int open_attached(struct cs_tracer *t, const struct cs_tracer_config *cfg, struct cs_diag *d)
{
	char whys[3][160];
	int errs[3];
	struct btf *vmlinux = btf__load_vmlinux_btf();
	int rc;

	if (!vmlinux)
		return cs_diag_set(d, errno, 0, 0, "", "cannot read the kernel's BTF: %s",
				   strerror(errno));
	rc = attach_first(t, cfg, vmlinux, whys, errs);
	btf__free(vmlinux);
	/* A hook asked for that cannot work says so of that hook alone:
	 * twelfth pass, "--hook kprobe" said "no way to trace cap_capable
	 * here" on a kernel whose tracepoint works, and "--hook fexit" blamed
	 * lockdown or an LSM for the kernel's refusal of fexit alone. */
	if (rc < 0 && cfg->force_hook)
		return cs_diag_set(d, -rc, 0, 0, "hook",
				   "--hook %s cannot trace cap_capable here: %s", cfg->force_hook,
				   whys[strcmp(cfg->force_hook, "tp_btf") == 0	? 0
					: strcmp(cfg->force_hook, "fexit") == 0 ? 1
										: 2]);
	if (rc < 0 && all_refused(errs))
		return cs_diag_set(d, -rc, 0, 0, "",
				   "the kernel refused the BPF programs (%s) although this "
				   "process has the capabilities; kernel lockdown or an LSM may "
				   "forbid BPF tracing. tracepoint: %s; fexit: %s; kprobe: %s",
				   strerror(-rc), whys[0], whys[1], whys[2]);
	if (rc < 0)
		return cs_diag_set(d, -rc, 0, 0, "",
				   "no way to trace cap_capable here: tracepoint: %s; fexit: %s; "
				   "kprobe: %s",
				   whys[0], whys[1], whys[2]);
	if (cfg->events) {
		t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), on_event, t, NULL);
		if (!t->rb)
			return cs_diag_set(d, errno, 0, 0, "", "ring buffer: %s", strerror(errno));
	}
	return 0;
}

int cs_tracer_open(const struct cs_tracer_config *cfg, struct cs_tracer **out, struct cs_diag *d)
{
	struct cs_tracer *t;
	int rc;

	*out = NULL;
	rc = preconditions(cfg, d);
	if (rc < 0)
		return rc;
	t = calloc(1, sizeof(*t));
	if (!t)
		return cs_diag_set(d, ENOMEM, 0, 0, "", "out of memory");
	t->log = cfg->log;
	t->log_ctx = cfg->log_ctx;
	t->log_stacks = cfg->log_stacks;
	t->per_cgroup = cfg->per_cgroup;
	t->sync.outer = t->sync.inner = -1;
	/* Before the programs: without it no count could be read exactly. */
	if ((rc = cs_bpf_sync_open(&t->sync)) < 0) {
		cs_tracer_close(t);
		return cs_diag_set(d, -rc, 0, 0, "",
				   "cannot make the map that waits for the BPF programs: %s",
				   strerror(-rc));
	}
	cs_bpf_log_begin(cfg->log, cfg->log_ctx);
	rc = open_attached(t, cfg, d);
	cs_bpf_log_end();
	if (rc < 0) {
		cs_tracer_close(t);
		return rc;
	}
	*out = t;
	return 0;
}

int cs_tracer_track_fresh(struct cs_tracer *t, pid_t tgid)
{
	__u32 k = (__u32)tgid;
	__u64 bit = 1ULL << (k & 63), old;

	if (tgid <= 0 || (k >> 6) >= CS_TGID_WORDS)
		return -ERANGE;
	/* .bss is mmapped: set the bit in place, atomically against the fork handler. */
	old = __atomic_fetch_or(&t->skel->bss->tracked_bits[k >> 6], bit, __ATOMIC_SEQ_CST);
	return !(old & bit);
}

bool cs_tracer_tracked(struct cs_tracer *t, pid_t tgid)
{
	__u32 k = (__u32)tgid;

	if (tgid <= 0 || (k >> 6) >= CS_TGID_WORDS)
		return false;
	return __atomic_load_n(&t->skel->bss->tracked_bits[k >> 6], __ATOMIC_RELAXED) &
	       (1ULL << (k & 63));
}

int cs_tracer_track(struct cs_tracer *t, pid_t tgid)
{
	int rc = cs_tracer_track_fresh(t, tgid);

	return rc < 0 ? rc : 0;
}

int cs_tracer_poll(struct cs_tracer *t, int timeout_ms, cs_tracer_event_fn fn, void *ctx)
{
	int rc;

	if (!t->rb) {
		usleep((useconds_t)timeout_ms * 1000);
		return 0;
	}
	t->fn = fn;
	t->fn_ctx = ctx;
	clock_gettime(CLOCK_MONOTONIC, &t->poll_end);
	t->poll_end.tv_sec += timeout_ms / 1000;
	t->poll_end.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (t->poll_end.tv_nsec >= 1000000000L) {
		t->poll_end.tv_sec++;
		t->poll_end.tv_nsec -= 1000000000L;
	}
	rc = ring_buffer__poll(t->rb, timeout_ms);
	return rc == -EINTR || rc == -EAGAIN ? 0 : rc < 0 ? rc : 0;
}

static int classify_stack(struct cs_tracer *t, const struct cs_ksyms *ksyms, int stackid, int opts,
			  enum cs_site_class *cls, const char **caller)
{
	__u64 ips[CS_TRACE_STACK_DEPTH] = {0};
	const char *frames[CS_TRACE_STACK_DEPTH];
	size_t n = 0;

	*cls = CS_SITE_CHECK;
	*caller = NULL;
	if (stackid < 0 || !ksyms)
		return opts >= 0 && (opts & CS_OPT_NOAUDIT) ? (*cls = CS_SITE_NOAUDIT, 0) : 0;
	if (bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.stacks), &stackid, ips))
		return -errno;
	for (; n < CS_TRACE_STACK_DEPTH && ips[n]; n++)
		frames[n] = cs_ksyms_find(ksyms, ips[n]);
	*cls = cs_trace_classify(frames, n, opts, caller);
	if (t->log_stacks && t->log) {
		/* Diagnostics for docs/trace.md and bug reports: the raw stacks. */
		char line[600];

		snprintf(line, sizeof(line), "stack %d -> %s, caller %s:", stackid,
			 cs_site_class_name(*cls), *caller ? *caller : "-");
		t->log(t->log_ctx, line);
		for (size_t i = 0; i < n; i++) {
			snprintf(line, sizeof(line), "  %s", frames[i] ? frames[i] : "?");
			t->log(t->log_ctx, line);
		}
	}
	return 0;
}

/* Classify one record (stack ids resolved once) and add it to the report. */
static int add_rec(struct cs_tracer *t, struct cs_trace_report *r, const struct cs_ksyms *ksyms,
		   const struct cs_trace_rec *rec, struct cs_stack_memo *memo)
{
	enum cs_site_class cls = CS_SITE_CHECK;
	const char *caller = NULL; /* points into ksyms */
	int known;

	/* each stack id resolved and classified once */
	if (cs_stack_memo_get(memo, rec->stackid, &known, &caller)) {
		cls = (enum cs_site_class)known;
	} else {
		classify_stack(t, ksyms, rec->stackid, rec->opts, &cls, &caller);
		/* without room to remember it, it is classified again next time */
		(void)cs_stack_memo_put(memo, rec->stackid, (int)cls, caller);
	}
	/* Without a stack, fexit/kprobe still know opts; the tracepoint does not. */
	if (rec->stackid < 0 && rec->opts >= 0 && (rec->opts & CS_OPT_NOAUDIT))
		cls = CS_SITE_NOAUDIT;
	return cs_trace_report_add(r, rec, cls, caller);
}

/* The counts still held in the cache slots (CS_CACHE_SLOTS per CPU, the first a header). */
static int collect_cache(struct cs_tracer *t, struct cs_trace_report *r,
			 const struct cs_ksyms *ksyms, struct cs_stack_memo *memo)
{
	const struct bpf_map *map = t->skel->maps.cache;
	__u32 n = bpf_map__max_entries(map);
	int fd = bpf_map__fd(map), rc = 0;

	for (__u32 i = 0; i < n && rc == 0; i++) {
		struct cs_cache_slot v;
		struct cs_trace_val val;
		struct cs_trace_rec rec;

		if (i % CS_CACHE_SLOTS == 0 || bpf_map_lookup_elem(fd, &i, &v) || !v.count)
			continue;
		val = (struct cs_trace_val){.count = v.count};
		if (cs_trace_decode_count(&v.key, sizeof(v.key), &val, sizeof(val), &rec) < 0)
			continue;
		rc = add_rec(t, r, ksyms, &rec, memo);
	}
	return rc;
}

/*
 * The row of the node's spill counter i (bpf/capscope.bpf.c, spill) with
 * its count: the kinds of user namespace by stand-in inode numbers (own:
 * the same one twice, other: two), the runtime's init by a comm the report
 * knows for one.
 */
static void spill_rec(__u32 i, __u64 n, struct cs_trace_rec *rec)
{
	static const uint32_t target[CS_SPILL_KINDS] = {0, 0xEFFFFFFDu, 1, 2};
	__u32 kind = (i / 2) % CS_SPILL_KINDS;

	_Static_assert(CS_SPILL_INDEX(63, 1, CS_SPILL_KINDS - 1, 1) == CS_SPILL_SLOTS - 1,
		       "the index covers the map");
	*rec = (struct cs_trace_rec){
	    .cap = (int)(i / (2 * CS_SPILL_KINDS * 2)),
	    .ret = (i / (2 * CS_SPILL_KINDS)) % 2 ? -EPERM : 0,
	    .stackid = -1,
	    .syscall = -1,
	    .opts = CS_OPTS_UNKNOWN,
	    .target_ns = target[kind],
	    .own_ns = kind >= 2 ? 1 : 0,
	    .count = n,
	};
	if (i % 2)
		memcpy(rec->comm, "runc", 5);
}

/* The checks counted after "counts" was full (bpf/capscope.bpf.c, spill). */
static int collect_spill(struct cs_tracer *t, struct cs_trace_report *r)
{
	int fd = bpf_map__fd(t->skel->maps.spill), rc = 0;

	for (__u32 i = 0; i < CS_SPILL_SLOTS && rc == 0; i++) {
		struct cs_trace_rec rec;
		__u64 n;

		if (bpf_map_lookup_elem(fd, &i, &n) || !n)
			continue;
		spill_rec(i, n, &rec);
		if (rec.cap < CS_CAP_BITS)
			rc = cs_trace_report_add_unattributed(r, &rec);
	}
	return rc;
}

static uint64_t stat_sum(struct cs_tracer *t, __u32 slot)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t sum = 0;
	__u64 *v;

	if (ncpu <= 0)
		return 0;
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v)
		return 0;
	if (bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.stats), &slot, v) == 0)
		for (int i = 0; i < ncpu; i++)
			sum += v[i];
	free(v);
	return sum;
}

int cs_tracer_collect(struct cs_tracer *t, struct cs_trace_report *r, const struct cs_ksyms *ksyms)
{
	int fd = bpf_map__fd(t->skel->maps.counts);
	struct cs_trace_key key, next;
	struct cs_trace_val val;
	struct cs_stack_memo memo;
	void *prev = NULL;
	int rc = 0;

	/* Stop counting first: the per-CPU cache is read below and must not move.
	 * Then the events left: with the programs detached none is added, so
	 * this ends however busy the scope was (consumed before the detach, it
	 * went on as long as the scope kept checking). */
	capscope_bpf__detach(t->skel);
	/* Detaching does not wait for a program already running (a check on
	 * another CPU): it could still move a cache slot's count into "counts"
	 * while both are read (counted twice), or be half way through
	 * rewriting a slot's key (a row no check had). */
	if ((rc = cs_bpf_sync_wait(&t->sync)) < 0)
		return rc;
	if (t->rb) {
		t->poll_end = (struct timespec){.tv_sec = INT64_MAX};
		ring_buffer__consume(t->rb);
	}
	cs_stack_memo_init(&memo, bpf_map__max_entries(t->skel->maps.stacks));
	rc = collect_cache(t, r, ksyms, &memo);
	while (rc == 0 && bpf_map_get_next_key(fd, prev, &next) == 0) {
		struct cs_trace_rec rec;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &val))
			continue;
		if (cs_trace_decode_count(&key, sizeof(key), &val, sizeof(val), &rec) < 0)
			continue;
		rc = add_rec(t, r, ksyms, &rec, &memo);
	}
	cs_stack_memo_free(&memo);
	if (rc == 0)
		rc = collect_spill(t, r);
	r->lost_events = stat_sum(t, CS_STAT_LOST);
	r->dropped = stat_sum(t, CS_STAT_DROPPED);
	r->nostack = stat_sum(t, CS_STAT_NOSTACK);
	r->unfollowed = stat_sum(t, CS_STAT_UNFOLLOWED);
	if (r->dropped)
		r->tgids_partial = true;
	return rc;
}

/* The class of a stack id, remembered across drains: an id names the same
 * stack for as long as the map lives (no BPF_F_REUSE_STACKID). */
static enum cs_site_class drain_class(struct cs_tracer *t, const struct cs_ksyms *ksyms,
				      const struct cs_trace_rec *rec)
{
	uint32_t n = bpf_map__max_entries(t->skel->maps.stacks);
	enum cs_site_class cls = CS_SITE_CHECK;
	const char *caller;

	if (rec->stackid < 0 || (uint32_t)rec->stackid >= n || !ksyms)
		return rec->opts >= 0 && (rec->opts & CS_OPT_NOAUDIT) ? CS_SITE_NOAUDIT
								      : CS_SITE_CHECK;
	if (!t->drain_cls && !(t->drain_cls = calloc(n, 1)))
		return CS_SITE_CHECK; /* when unsure, a check counts */
	if (t->drain_cls[rec->stackid])
		return (enum cs_site_class)(t->drain_cls[rec->stackid] - 1);
	if (classify_stack(t, ksyms, rec->stackid, rec->opts, &cls, &caller) == 0)
		t->drain_cls[rec->stackid] = (unsigned char)(cls + 1);
	return cls;
}

/*
 * Each cgroup's new rows counted from nothing again (bpf/capscope.bpf.c,
 * cgroup_rows of the epoch being taken, which nothing writes now): when the
 * programs come back to this set it is empty, and a cgroup has at most its
 * quota and its coarse rows in it. The map holds no more cgroups than made
 * new rows in an epoch.
 */
static void reset_quota(const struct bpf_map *map)
{
	int fd = bpf_map__fd(map);
	__u64 key, next;
	bool more = bpf_map_get_next_key(fd, NULL, &key) == 0;

	/* The next key is asked for before this one is deleted: asked for
	 * after, the walk would restart at the first bucket each time, 16,384
	 * buckets scanned a key. */
	while (more) {
		more = bpf_map_get_next_key(fd, &key, &next) == 0;
		bpf_map_delete_elem(fd, &key);
		key = next;
	}
}

static bool in_sorted(const uint64_t *ids, size_t n, uint64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ids[mid] == id)
			return true;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* A named container's cgroup and its level, kept from one naming to the next. */
struct cs_owner_level {
	uint64_t id;
	int level; /* -1: not told */
};

static int by_level_id(const void *a, const void *b)
{
	const struct cs_owner_level *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* The level of id, from the last naming's when it was there (a cgroup's
 * level never changes), else asked of the kernel: the cost a scan is the
 * new containers' depth, not every container's. */
static int level_of_owner(const struct cs_tracer *t, int mfd, uint64_t id)
{
	struct cs_owner_level k = {.id = id}, *hit;

	hit = t->lv ? bsearch(&k, t->lv, t->nlv, sizeof(k), by_level_id) : NULL;
	/* One not told is asked again: a refusal may not last. */
	if (hit && hit->level > 0)
		return hit->level;
	return mfd >= 0 ? cs_cgroup_level(mfd, id) : -1;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * The levels the programs' walk looks at (bpf/capscope.bpf.c quota_owner):
 * each level where a named container's cgroup is, shallowest first. When
 * any cannot be told, none (the programs then look at levels 1 to 32, the
 * old walk). Past CS_OWNER_LEVELS distinct levels, the shallowest ones: a
 * container at a deeper level then has its sub-cgroups' rows keyed by
 * their leaves (joined by the agent), and is counted in owners_unwatched.
 * Seventeenth pass: 32 levels, and the containers past them counted
 * nowhere. The levels are sorted once (n log n), not compared with each
 * kept one.
 */
static void set_owner_levels(struct cs_tracer *t, const uint64_t *ids, size_t n)
{
	struct cs_owner_level *lv = n ? calloc(n, sizeof(*lv)) : NULL;
	int *levels = n ? calloc(n, sizeof(*levels)) : NULL, mfd = -1;
	size_t nl = 0, nd = 0;
	bool known = lv != NULL && levels != NULL;
	char *root = NULL;

	if (!known) {
		free(lv);
		lv = NULL;
	}
	if (known && cs_cgroup2_root(&root) == 0)
		mfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(root);
	for (size_t i = 0; lv && i < n; i++) { /* ids are sorted, and so lv */
		lv[i] = (struct cs_owner_level){ids[i], level_of_owner(t, mfd, ids[i])};
		/* A container gone since its scan (exited, its cgroup removed)
		 * has no sub-cgroup left to charge: it leaves the others' levels
		 * as they are. Sixteenth pass, second round: it made every level
		 * "not told", and the walk the old one, until the next scan. */
		known = known && (lv[i].level > 0 || lv[i].level == CS_CGROUP_GONE);
		if (lv[i].level > 0)
			levels[nl++] = lv[i].level;
	}
	if (mfd >= 0)
		close(mfd);
	free(t->lv);
	t->lv = lv;
	t->nlv = lv ? n : 0;
	if (!known)
		nl = 0;
	if (nl)
		qsort(levels, nl, sizeof(levels[0]), cmp_int);
	for (size_t i = 0; i < nl; i++) /* distinct ones */
		if (nd == 0 || levels[i] != levels[nd - 1])
			levels[nd++] = levels[i];
	t->owners_unwatched = 0;
	if (nd > CS_OWNER_LEVELS) {
		for (size_t i = 0; i < t->nlv; i++)
			t->owners_unwatched += lv[i].level > levels[CS_OWNER_LEVELS - 1];
		nd = CS_OWNER_LEVELS;
	}
	/* Plain stores: a walk that reads them mid-change is one check's. */
	__atomic_store_n(&t->skel->bss->owner_nlevels, 0, __ATOMIC_RELAXED);
	for (size_t i = 0; i < nd; i++)
		t->skel->bss->owner_levels[i] = (__u32)levels[i];
	__atomic_store_n(&t->skel->bss->owner_levels_cut, t->owners_unwatched ? 1u : 0u,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&t->skel->bss->owner_nlevels, (__u32)nd, __ATOMIC_RELEASE);
	free(levels);
}

/* The new ids in first, then the old ones out: a container named in both
 * is never missing from the map, so its sub-cgroups never charge alone. */
int cs_tracer_set_owners(struct cs_tracer *t, const uint64_t *ids, size_t n)
{
	int fd;
	__u64 key, next;
	__u8 one = 1;
	bool more;

	if (!t->per_cgroup)
		return -EINVAL;
	fd = bpf_map__fd(t->skel->maps.owners);
	for (size_t i = 0; i < n && i < CS_OWNERS_MAX; i++) {
		key = ids[i];
		bpf_map_update_elem(fd, &key, &one, BPF_ANY);
	}
	more = bpf_map_get_next_key(fd, NULL, &key) == 0;
	while (more) {
		more = bpf_map_get_next_key(fd, &key, &next) == 0;
		if (!in_sorted(ids, n < CS_OWNERS_MAX ? n : CS_OWNERS_MAX, key))
			bpf_map_delete_elem(fd, &key);
		key = next;
	}
	set_owner_levels(t, ids, n < CS_OWNERS_MAX ? n : CS_OWNERS_MAX);
	return 0;
}

/* The stand-in user namespaces of a kind (cs_trace_userns gives it back). */
static void kind_ns(int kind, struct cs_trace_rec *rec)
{
	static const uint32_t target[CS_USERNS_KINDS] = {
	    [CS_USERNS_INITIAL] = 0xEFFFFFFDu, [CS_USERNS_OWN] = 1, [CS_USERNS_OTHER] = 2};

	rec->target_ns = target[kind];
	rec->own_ns = kind == CS_USERNS_OWN || kind == CS_USERNS_OTHER ? 1 : 0;
}

/* One container's checks counted after "counts" was full, given to fn as
 * ordinary rows: each capability's count under the first kind of user
 * namespace it was used in, the other kinds as rows of no checks (they add
 * the kind, not a count); the runtime init's under its comm. */
static int spill_rows(const struct cs_cgroup_spill *v, uint64_t cgroup, cs_tracer_row_fn fn,
		      void *ctx)
{
	int rows = 0;

	for (int c = 0; c < 64 && c < CS_CAP_BITS; c++)
		for (int denied = 0; denied < 2; denied++) {
			struct cs_trace_rec rec = {.cgroup = cgroup,
						   .tgid = CS_ROW_COARSE,
						   .cap = c,
						   .ret = denied ? -EPERM : 0,
						   .stackid = -1,
						   .syscall = -1,
						   .opts = CS_OPTS_UNKNOWN};
			bool first = true;

			if (!v->checks[c][denied])
				continue;
			kind_ns(CS_USERNS_UNKNOWN, &rec);
			for (int k = 0; !denied && k < CS_USERNS_KINDS && k < 4; k++) {
				if (!(v->used_in[k] & (1ULL << c)))
					continue;
				kind_ns(k, &rec);
				rec.count = first ? v->checks[c][denied] : 0;
				fn(&rec, CS_SITE_CHECK, ctx);
				first = false;
				rows++;
			}
			if (first) { /* denied, or granted with no kind set yet */
				rec.count = v->checks[c][denied];
				fn(&rec, CS_SITE_CHECK, ctx);
				rows++;
			}
		}
	if (v->init) {
		struct cs_trace_rec rec = {.cgroup = cgroup,
					   .tgid = CS_ROW_COARSE,
					   .count = v->init,
					   .stackid = -1,
					   .syscall = -1,
					   .opts = CS_OPTS_UNKNOWN};

		memcpy(rec.comm, "runc", 5);
		fn(&rec, CS_SITE_CHECK, ctx);
		rows++;
	}
	return rows;
}

/* The containers' spilled checks (bpf/capscope.bpf.c, cgroup_spill), taken out. */
static int drain_spill(const struct bpf_map *map, cs_tracer_row_fn fn, void *ctx)
{
	int fd = bpf_map__fd(map), rows = 0;
	__u64 keys[CS_CGROUP_SPILL_MAX];
	size_t n = 0;
	struct cs_cgroup_spill *v = malloc(sizeof(*v));

	if (!v)
		return -ENOMEM;
	while (n < CS_CGROUP_SPILL_MAX &&
	       bpf_map_get_next_key(fd, n ? &keys[n - 1] : NULL, &keys[n]) == 0)
		n++;
	for (size_t i = 0; i < n; i++)
		if (bpf_map_lookup_and_delete_elem(fd, &keys[i], v) == 0)
			rows += spill_rows(v, keys[i], fn, ctx);
	free(v);
	return rows;
}

/*
 * The node's spill counters (bpf/capscope.bpf.c, spill): the checks no
 * cgroup's entry had room for, handed to fn as rows of cgroup 0 (no cgroup
 * has that id), by what each counted since the last drain. The counters
 * are never reset: an array's element is never freed, and an add in
 * flight lands in the next drain's difference, so none is lost or counted
 * twice (fifteenth pass, part K's proposal, right for these).
 */
static int drain_node_spill(struct cs_tracer *t, cs_tracer_row_fn fn, void *ctx)
{
	int fd = bpf_map__fd(t->skel->maps.spill), rows = 0;

	if (!t->spill_seen && !(t->spill_seen = calloc(CS_SPILL_SLOTS, sizeof(__u64))))
		return -ENOMEM;
	for (__u32 i = 0; i < CS_SPILL_SLOTS; i++) {
		struct cs_trace_rec rec;
		__u64 n;

		if (bpf_map_lookup_elem(fd, &i, &n) || n == t->spill_seen[i])
			continue;
		spill_rec(i, n - t->spill_seen[i], &rec);
		t->spill_seen[i] = n;
		rec.tgid = CS_ROW_COARSE;
		if (rec.cap < CS_CAP_BITS) {
			fn(&rec, CS_SITE_CHECK, ctx);
			rows++;
		}
	}
	return rows;
}

/* The epoch in every CPU's cache header (bpf/capscope.bpf.c, "Epochs").
 * Read, changed and written back whole: in serve's scope the programs
 * write nothing in the header (only trace's tracked threads are
 * remembered there). */
static int set_epoch(struct cs_tracer *t, __u32 epoch)
{
	int fd = bpf_map__fd(t->skel->maps.cache);

	for (__u32 cpu = 0; cpu < (__u32)t->ncpu; cpu++) {
		__u32 idx = cpu * CS_CACHE_SLOTS;
		union {
			struct cs_cache_head head;
			struct cs_cache_slot slot;
		} v;

		if (bpf_map_lookup_elem(fd, &idx, &v))
			return -errno;
		v.head.epoch = epoch;
		if (bpf_map_update_elem(fd, &idx, &v, BPF_ANY))
			return -errno;
	}
	return 0;
}

/*
 * The programs switched to the other set of maps, and waited for: those
 * still counting into this one when the switch was made have ended. Then
 * this set is read and emptied with nothing writing it, so each check is
 * counted once, in its own row. If the wait fails, nothing is read: the
 * set stays as it is and becomes the programs' again at the next switch,
 * its rows taken a drain later.
 */
static int switch_epoch(struct cs_tracer *t, __u32 *old)
{
	int rc;

	*old = t->epoch;
	if ((rc = set_epoch(t, !t->epoch)) < 0)
		return rc;
	t->epoch = !t->epoch;
	return cs_bpf_sync_wait(&t->sync);
}

int cs_tracer_drain(struct cs_tracer *t, const struct cs_ksyms *ksyms, cs_tracer_row_fn fn,
		    void *ctx)
{
	const struct bpf_map *counts, *quota, *spill;
	int fd, rows = 0, spilled, rc;
	size_t max, n = 0;
	struct cs_trace_key *keys;
	__u32 old;

	if (!t->per_cgroup)
		return -EINVAL;
	if ((rc = switch_epoch(t, &old)) < 0)
		return rc;
	counts = old ? t->skel->maps.counts_1 : t->skel->maps.counts;
	quota = old ? t->skel->maps.cgroup_rows_1 : t->skel->maps.cgroup_rows;
	spill = old ? t->skel->maps.cgroup_spill_1 : t->skel->maps.cgroup_spill;
	fd = bpf_map__fd(counts);
	max = bpf_map__max_entries(counts);
	/* The keys first, then each taken out: deleting while walking would
	 * restart the walk at the first bucket. */
	if (!(keys = malloc(max * sizeof(*keys))))
		return -ENOMEM;
	/* This epoch's rows of each cgroup counted from nothing when the
	 * programs come back to it. */
	reset_quota(quota);
	while (n < max && bpf_map_get_next_key(fd, n ? &keys[n - 1] : NULL, &keys[n]) == 0)
		n++;
	for (size_t i = 0; i < n; i++) {
		struct cs_trace_val val;
		struct cs_trace_rec rec;

		if (bpf_map_lookup_and_delete_elem(fd, &keys[i], &val) != 0)
			continue;
		if (cs_trace_decode_count(&keys[i], sizeof(keys[i]), &val, sizeof(val), &rec) < 0)
			continue;
		fn(&rec, drain_class(t, ksyms, &rec), ctx);
		rows++;
	}
	free(keys);
	spilled = drain_spill(spill, fn, ctx);
	if (spilled < 0)
		return spilled;
	/* This set's entries for unnamed cgroups counted from nothing again. */
	__atomic_store_n(&t->skel->bss->anon_spilled[old], 0, __ATOMIC_RELAXED);
	rows += spilled;
	spilled = drain_node_spill(t, fn, ctx);
	return spilled < 0 ? spilled : rows + spilled;
}

void cs_tracer_stats(struct cs_tracer *t, struct cs_tracer_stats *s)
{
	s->lost_events = stat_sum(t, CS_STAT_LOST);
	s->dropped = stat_sum(t, CS_STAT_DROPPED);
	s->nostack = stat_sum(t, CS_STAT_NOSTACK);
	s->coarse = stat_sum(t, CS_STAT_COARSE);
	s->spilled = stat_sum(t, CS_STAT_SPILLED);
	s->spilled_node = stat_sum(t, CS_STAT_SPILLED_NODE);
	s->owners_unwatched = t->owners_unwatched;
}

void cs_tracer_close(struct cs_tracer *t)
{
	if (!t)
		return;
	free(t->drain_cls);
	free(t->lv);
	free(t->spill_seen);
	cs_bpf_sync_close(&t->sync);
	ring_buffer__free(t->rb);
	if (t->skel)
		capscope_bpf__destroy(t->skel);
	free(t);
}

#else /* !CAPSCOPE_HAVE_BPF */

struct cs_tracer {
	int unused;
};

const char *cs_tracer_unavailable(void)
{
#ifdef CAPSCOPE_NO_BPF_REASON
	return "this capscope was built without its BPF tracer: " CAPSCOPE_NO_BPF_REASON;
#else
	return "this capscope was built without its BPF tracer";
#endif
}

int cs_tracer_open(const struct cs_tracer_config *cfg, struct cs_tracer **out, struct cs_diag *d)
{
	*out = NULL;
	return cs_diag_set(d, ENOTSUP, 0, 0, "", "%s", cs_tracer_unavailable());
}

const char *cs_tracer_hook(const struct cs_tracer *t)
{
	return "none";
}

bool cs_tracer_mounted_tracefs(const struct cs_tracer *t)
{
	return false;
}

int cs_tracer_track(struct cs_tracer *t, pid_t tgid)
{
	return -ENOTSUP;
}

int cs_tracer_track_fresh(struct cs_tracer *t, pid_t tgid)
{
	return -ENOTSUP;
}

bool cs_tracer_tracked(struct cs_tracer *t, pid_t tgid)
{
	return false;
}

int cs_tracer_poll(struct cs_tracer *t, int timeout_ms, cs_tracer_event_fn fn, void *ctx)
{
	return -ENOTSUP;
}

int cs_tracer_collect(struct cs_tracer *t, struct cs_trace_report *r, const struct cs_ksyms *ksyms)
{
	return -ENOTSUP;
}

int cs_tracer_set_owners(struct cs_tracer *t, const uint64_t *ids, size_t n)
{
	return -ENOTSUP;
}

int cs_tracer_drain(struct cs_tracer *t, const struct cs_ksyms *ksyms, cs_tracer_row_fn fn,
		    void *ctx)
{
	return -ENOTSUP;
}

void cs_tracer_stats(struct cs_tracer *t, struct cs_tracer_stats *s)
{
	memset(s, 0, sizeof(*s));
}

void cs_tracer_close(struct cs_tracer *t)
{
}
#endif
