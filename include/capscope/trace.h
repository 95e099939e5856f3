/* SPDX-License-Identifier: MIT */
/*
 * capscope trace, the part that needs no BPF: decoding what the BPF program
 * (bpf/capscope.bpf.c) hands over, classifying each check by its kernel call
 * site, aggregating per capability, and turning the result into a
 * least-privilege profile in the formats people paste (Kubernetes, OpenShift
 * SCC, setcap, capscope run, docker, systemd). Unit tests feed it recorded
 * records; the CLI feeds it the live maps.
 */
#ifndef CAPSCOPE_TRACE_H
#define CAPSCOPE_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "caps.h"
#include "diag.h"
#include "json.h"

/* One decoded check (an aggregated map row, or one ring-buffer event). */
struct cs_trace_rec {
	uint64_t count; /* 1 for an event */
	uint64_t ts_ns; /* events only */
	uint32_t pid;	/* events only (thread id) */
	uint32_t tgid;
	uint32_t uid;
	int cap;
	int ret;     /* 0 granted, -errno denied */
	int stackid; /* < 0 none */
	int syscall; /* < 0 none */
	int opts;    /* cap_capable opts, -1 when the hook cannot see them */
	/* User namespaces as inode numbers (/proc/PID/ns/user): the one the
	 * check is made against, and the checking credentials' own; 0 unknown. */
	uint32_t target_ns, own_ns;
	uint64_t cgroup; /* cgroup v2 id of the process (per-cgroup tracers only), else 0 */
	char comm[17];	 /* NUL-terminated, non-printable bytes replaced by '?' */
};

/*
 * In which user namespace a check is made, as seen from the process that
 * makes it: the initial one (init_user_ns: the node's own resources, e.g.
 * the host network namespace or a host file system), its own (a user
 * namespace it runs in, e.g. a pod with hostUsers: false acting on its own
 * network namespace), or another one (a user namespace below its own, e.g.
 * a host process acting on a container's network namespace).
 */
enum cs_userns_kind {
	CS_USERNS_INITIAL = 0,
	CS_USERNS_OWN,
	CS_USERNS_OTHER,
	CS_USERNS_UNKNOWN, /* the hook could not read it */
	CS_USERNS_KINDS,
};

/*
 * Decode a check's (target, own) inode numbers: the initial user namespace
 * has the fixed inode number 0xEFFFFFFD (PROC_USER_INIT_INO), which wins
 * even when it is also the process's own; target 0 is unknown.
 */
CS_EXPORT enum cs_userns_kind cs_trace_userns(uint32_t target_ns, uint32_t own_ns);
/* "initial", "own", "other", "unknown". */
CS_EXPORT const char *cs_userns_kind_name(enum cs_userns_kind k);

/*
 * Decode a row of the "counts" map (struct cs_trace_key + cs_trace_val from
 * bpf/capscope-trace.h) or one event. The sizes must match exactly and the
 * capability must be 0..63; otherwise -EPROTO / -ERANGE.
 */
CS_EXPORT int cs_trace_decode_count(const void *key, size_t klen, const void *val, size_t vlen,
				    struct cs_trace_rec *r);
CS_EXPORT int cs_trace_decode_event(const void *data, size_t len, struct cs_trace_rec *r);

/* Kernel text symbols from /proc/kallsyms, sorted by address. */
struct cs_ksym {
	uint64_t addr;
	uint32_t name; /* offset into names */
};
struct cs_ksyms {
	struct cs_ksym *v;
	size_t n;
	char *names;
	size_t names_len, names_cap;
};

/*
 * Parse the text of /proc/kallsyms. Only text symbols (t, T, w, W) are kept.
 * -EPERM when every address is zero (kptr_restrict hides them), -EPROTO with
 * the line in d for a malformed line.
 */
CS_EXPORT int cs_ksyms_parse(const char *buf, size_t len, struct cs_ksyms *k, struct cs_diag *d);
/* The symbol that contains addr (the nearest one at or below it), or NULL. */
CS_EXPORT const char *cs_ksyms_find(const struct cs_ksyms *k, uint64_t addr);
CS_EXPORT void cs_ksyms_free(struct cs_ksyms *k);

/* What a check's call site says about it. */
enum cs_site_class {
	CS_SITE_CHECK = 0,  /* an ordinary (audited) check: it counts for the profile */
	CS_SITE_OVERCOMMIT, /* cap_vm_enough_memory: every allocation asks, noaudit */
	CS_SITE_NOAUDIT,    /* a *_noaudit helper or CAP_OPT_NOAUDIT: a probe, not a need */
	CS_SITE_CLASSES,
};

/* "check", "vm-overcommit", "noaudit". */
CS_EXPORT const char *cs_site_class_name(enum cs_site_class c);

/*
 * Classify a check from its kernel stack (function names, innermost first;
 * NULL entries are unresolved frames) and opts (-1 unknown). The first frame
 * that names a capability API decides; frames of the tracer and of
 * cap_capable/security_capable are skipped. No deciding frame = CS_SITE_CHECK
 * (when unsure, a check counts: a profile must not miss a need).
 * *caller (may be NULL) gets the first frame outside the capability
 * machinery, the function that asked, or NULL.
 */
CS_EXPORT enum cs_site_class cs_trace_classify(const char *const *frames, size_t n, int opts,
					       const char **caller);

/* Syscall name for this architecture ("setuid"), or NULL. */
CS_EXPORT const char *cs_syscall_name(int nr);

/* Per (capability, site class): what was seen. */
#define CS_TRACE_MAX_NAMES 16
struct cs_trace_row {
	uint64_t granted, denied;
	char *comms[CS_TRACE_MAX_NAMES];
	size_t ncomms;
	int syscalls[32];
	size_t nsyscalls;
	char *callers[CS_TRACE_MAX_NAMES];
	size_t ncallers;
	uint64_t granted_in[CS_USERNS_KINDS]; /* granted, by user namespace kind */
	uint64_t denied_in[CS_USERNS_KINDS];
	uint32_t other_ns[4]; /* inode numbers of the "other" user namespaces seen */
	size_t nother_ns;
	bool more_comms, more_syscalls, more_callers, more_other_ns; /* lists were cut */
};

struct cs_trace_report {
	struct cs_trace_row rows[CS_CAP_BITS][CS_SITE_CLASSES];
	uint32_t *tgids; /* distinct processes seen, sorted */
	size_t ntgids, tgids_cap;
	uint64_t checks;      /* every check counted */
	uint64_t lost_events; /* ring buffer had no room */
	uint64_t dropped;     /* counts map full: checks not counted */
	uint64_t nostack;     /* checks without a stack (classified as CHECK) */
	/* trace -p: exits of traced processes whose children were not all
	 * followed (more than 8,192, or one reaped during the walk): those may
	 * have gone untraced (reparented). */
	uint64_t unfollowed;
	/*
	 * Set before adding (a container's scope): checks by the container
	 * runtime's own init (cs_trace_runtime_init_comm) are counted in
	 * runtime_init and in no row, as the node agent does.
	 */
	bool skip_runtime_init;
	uint64_t runtime_init;
	int error; /* -ENOMEM once an add failed; sticky */
	/*
	 * Checks counted after the kernel's counts map was full: in their
	 * capability's row and the profile, as ordinary checks (no call site
	 * to tell noise), without their process, syscall or comm. The
	 * runtime init's, when left out, are in runtime_init alone.
	 */
	uint64_t unattributed;
	/*
	 * Some checks were counted without their process (added unattributed,
	 * the runtime init's among them) or not at all (dropped): ntgids is
	 * then a lower bound. A fork storm of 20,000 processes was reported
	 * as "16503 processes" (eighteenth pass, part E).
	 */
	bool tgids_partial;
};

/*
 * True for the comm of a container runtime's own init, which runs in the
 * container's cgroup before it executes the container's process (on
 * `runc exec` too), with the runtime's capabilities: its setgroups, setuid
 * and capset are the runtime's needs, not the workload's. runc's init is
 * "exe" (runc run again as /proc/self/exe) until nsexec names its stages
 * "runc:[0:PARENT]", "runc:[1:CHILD]", "runc:[2:INIT]"; crun's keeps
 * "crun". A workload that runs itself through /proc/self/exe, or names
 * itself so, has those checks left out too (docs/serve.md).
 */
CS_EXPORT bool cs_trace_runtime_init_comm(const char *comm);

CS_EXPORT void cs_trace_report_init(struct cs_trace_report *r);
CS_EXPORT void cs_trace_report_free(struct cs_trace_report *r);
/* Add one decoded record under its class; caller may be NULL. */
CS_EXPORT int cs_trace_report_add(struct cs_trace_report *r, const struct cs_trace_rec *rec,
				  enum cs_site_class cls, const char *caller);
/*
 * Add a record that names no process (the kernel's overflow counters:
 * unattributed above): its count goes to its capability's ordinary row,
 * its verdict and kind of user namespace (rec->target_ns, own_ns), and to
 * runtime_init instead when skip_runtime_init and rec->comm is the
 * runtime's init; no process, comm, syscall or user namespace number.
 */
CS_EXPORT int cs_trace_report_add_unattributed(struct cs_trace_report *r,
					       const struct cs_trace_rec *rec);

/* The least set: capabilities granted at least once by an ordinary check. */
CS_EXPORT cs_mask_t cs_trace_profile(const struct cs_trace_report *r);
/* Denied by an ordinary check and never granted: reported, never added. */
CS_EXPORT cs_mask_t cs_trace_denied_only(const struct cs_trace_report *r);
/*
 * The profile's capabilities granted (by an ordinary check) in user
 * namespaces of this kind. cs_trace_profile minus the CS_USERNS_INITIAL
 * ones is what was needed only inside a user namespace, never on the node.
 */
CS_EXPORT cs_mask_t cs_trace_profile_in(const struct cs_trace_report *r, enum cs_userns_kind k);
/*
 * The user namespaces a row's checks were made in, for a table cell:
 * "initial", "own", "other:4026532840" joined by commas ("-" for none).
 * Returns the length it needed (as snprintf).
 */
CS_EXPORT size_t cs_trace_row_userns_text(const struct cs_trace_row *row, char *buf, size_t len);

/*
 * The report's fields into an open JSON object: "processes", "checks",
 * "noise", "profile", "lost_events", "dropped_checks". checks[] has one
 * entry per capability with ordinary checks, {"capability", "granted",
 * "denied", "denied_only", "comms", "syscalls", "callers",
 * "user_namespaces": [{"kind", "granted", "denied"[, "inodes"]}]}; noise[]
 * the same per (capability, site) plus "site". "profile" also splits the
 * profile "by_user_namespace" and names the capabilities needed
 * "only_in_child_user_namespaces" (never against the initial one).
 */
CS_EXPORT void cs_trace_report_json(const struct cs_trace_report *r, struct cs_json *j);

/* Paste-ready profile snippets. */
enum cs_profile_kind {
	CS_PROFILE_K8S,
	CS_PROFILE_SCC,
	CS_PROFILE_SETCAP,
	CS_PROFILE_RUN,
	CS_PROFILE_DOCKER,
	CS_PROFILE_SYSTEMD,
};

/* "k8s", "scc", … → kind; -EINVAL for anything else. */
CS_EXPORT int cs_profile_kind_parse(const char *s);
CS_EXPORT const char *cs_profile_kind_name(enum cs_profile_kind k);

/*
 * Write the snippet for mask m. argv (NULL-terminated, may be NULL) is the
 * traced command, used by setcap (its path), run and docker (the command
 * line, shell-quoted). Returns 0 or -EIO on a write error.
 */
CS_EXPORT int cs_profile_write(enum cs_profile_kind k, cs_mask_t m, const char *const *argv,
			       FILE *f);

/*
 * The k8s snippet as a JSON value: {"securityContext": {"capabilities":
 * {"drop": ["ALL"], "add": [...]}}}, the names spelled as in the YAML one.
 */
CS_EXPORT void cs_profile_k8s_json(struct cs_json *j, cs_mask_t m);

/* /proc/kallsyms, read and parsed (cs_ksyms_parse); d names the file on error. */
CS_EXPORT int cs_ksyms_load(struct cs_ksyms *k, struct cs_diag *d);

/*
 * The live tracer: bpf/capscope.bpf.c loaded, attached to cap_capable and
 * read back. The hook is chosen by probing what the kernel offers (the
 * capability:cap_capable tracepoint, else fexit, else kprobes), never by
 * kernel version. It never prints: libbpf's own messages go to cfg->log.
 */
struct cs_tracer;

/* Which processes' checks are counted; checks of others never leave the kernel. */
enum cs_tracer_scope {
	CS_TRACER_PIDS = 0,   /* the processes given to cs_tracer_track, followed over fork */
	CS_TRACER_CGROUP = 1, /* one cgroup v2 and the cgroups below it */
	CS_TRACER_ALL = 2,    /* every process but the caller */
};

typedef void (*cs_tracer_log_fn)(void *ctx, const char *line);

struct cs_tracer_config {
	enum cs_tracer_scope scope;
	uint64_t cgroup_id; /* CS_TRACER_CGROUP: cs_cgroup_resolve's id and level */
	uint32_t cgroup_level;
	bool events;		/* also stream every check through a ring buffer */
	cs_mask_t stack_caps;	/* take kernel stacks (call sites) for these capabilities */
	const char *force_hook; /* "tp_btf", "fexit", "kprobe" or NULL: for tests */
	/*
	 * kprobes through tracefs need it mounted: mount it on
	 * /sys/kernel/tracing when it is not (as bpftrace does). Off: never mount.
	 */
	bool mount_tracefs;
	cs_tracer_log_fn log; /* libbpf's messages (and stacks with log_stacks); NULL: dropped */
	void *log_ctx;
	bool log_stacks; /* send each classified kernel stack to log (for bug reports) */
	/*
	 * For a long-running agent (capscope serve --trace): rows keyed by
	 * cgroup (cs_trace_rec.cgroup) instead of process, counted straight into
	 * the kernel map so that cs_tracer_drain can empty it while the
	 * programs stay attached. cs_tracer_collect is not for this mode.
	 */
	bool per_cgroup;
};

/*
 * Probe, load and attach. On failure -errno, with the sentence for the user
 * in d (-EPERM: not allowed; -ENOENT: no kernel BTF; -ENOTSUP: no hook, or
 * a build without BPF).
 */
CS_EXPORT int cs_tracer_open(const struct cs_tracer_config *cfg, struct cs_tracer **out,
			     struct cs_diag *d);
/* The hook in use: "tp_btf/cap_capable", "fexit/cap_capable", "kprobe/cap_capable". */
CS_EXPORT const char *cs_tracer_hook(const struct cs_tracer *t);
/* True when cs_tracer_open mounted tracefs (cfg->mount_tracefs). */
CS_EXPORT bool cs_tracer_mounted_tracefs(const struct cs_tracer *t);
/* Count the checks of process tgid (CS_TRACER_PIDS) and of the processes it starts. */
CS_EXPORT int cs_tracer_track(struct cs_tracer *t, pid_t tgid);
/* The same for root and every process below it now (from /proc/N/stat). */
CS_EXPORT int cs_tracer_track_tree(struct cs_tracer *t, pid_t root);

/*
 * Start argv (execvp) with its pid tracked before it execs, so its first
 * check is counted. -errno when it could not be started or exec failed.
 */
CS_EXPORT int cs_tracer_spawn(struct cs_tracer *t, char *const argv[], bool stdout_to_stderr,
			      pid_t *pid);

typedef void (*cs_tracer_event_fn)(const struct cs_trace_rec *rec, void *ctx);
/* Wait up to timeout_ms for events and hand each to fn (without events: sleep). */
CS_EXPORT int cs_tracer_poll(struct cs_tracer *t, int timeout_ms, cs_tracer_event_fn fn, void *ctx);
/*
 * Stop counting and add every count to r, each classified by its kernel
 * stack (ksyms may be NULL: every check then counts as ordinary); also the
 * tracer's statistics (lost events, dropped checks, checks without stack).
 */
CS_EXPORT int cs_tracer_collect(struct cs_tracer *t, struct cs_trace_report *r,
				const struct cs_ksyms *ksyms);
CS_EXPORT void cs_tracer_close(struct cs_tracer *t);

/*
 * A per_cgroup tracer: the containers' own cgroup ids (sorted ascending),
 * replacing those given before. Each cgroup's share of the kernel map
 * between two drains is charged to the deepest of its ancestors named
 * here, so that a container's sub-cgroups share one. At most
 * 16,384 are kept; the rest are charged by their own cgroup. Returns 0 or
 * -errno (-EINVAL for a tracer not opened per_cgroup).
 */
CS_EXPORT int cs_tracer_set_owners(struct cs_tracer *t, const uint64_t *ids, size_t n);

typedef void (*cs_tracer_row_fn)(const struct cs_trace_rec *rec, enum cs_site_class cls, void *ctx);
/*
 * A per_cgroup tracer: take the rows counted so far out of the kernel map
 * (each removed as it is read), classify each by its kernel stack (ksyms
 * may be NULL) and hand it to fn; counting goes on. At most the map's size
 * is drained per call. A row's tgid is 0, or CS_ROW_COARSE (1) when it was
 * counted without its call site and command (past its cgroup's quota, or
 * the map full); a row of cgroup 0 holds checks counted past a full map
 * whose cgroup could not be kept (the node's spill counters). Returns the
 * number of rows or -errno (-EINVAL for a tracer not opened per_cgroup).
 */
CS_EXPORT int cs_tracer_drain(struct cs_tracer *t, const struct cs_ksyms *ksyms,
			      cs_tracer_row_fn fn, void *ctx);

/* The tracer's own counters since it was opened. */
struct cs_tracer_stats {
	uint64_t lost_events;  /* ring buffer had no room (events only) */
	uint64_t dropped;      /* checks not counted: the kernel map was full */
	uint64_t nostack;      /* checks without a stack (classified as ordinary) */
	uint64_t coarse;       /* per-cgroup rows: checks counted past their cgroup's quota */
	uint64_t spilled;      /* per-cgroup rows: counted in their cgroup's entry, the map full */
	uint64_t spilled_node; /* per-cgroup rows: counted by capability alone (cgroup 0 rows) */
	/* serve: named containers at a level past the CS_OWNER_LEVELS (256)
	 * distinct ones the programs look at: their sub-cgroups' rows are keyed
	 * by leaf (each its own quota), joined by the agent at the next drain. */
	uint64_t owners_unwatched;
};
CS_EXPORT void cs_tracer_stats(struct cs_tracer *t, struct cs_tracer_stats *s);
/* Why this build has no tracer, or NULL when it has one. */
CS_EXPORT const char *cs_tracer_unavailable(void);

/*
 * Run argv again with only the capabilities in m (bounding set and I/P/E
 * reduced to m through cs_launch_*, as `capscope run` does) in a forked
 * child, and compare its exit status with orig_status.
 */
struct cs_trace_verify {
	bool ran, ok;
	int status;	    /* exit status, 128+N for signal N, 127 when it was not executed */
	const char *runner; /* "capscope run" */
	char *error;	    /* heap: why the re-run was not executed, or NULL */
};
CS_EXPORT int cs_trace_verify_run(char *const argv[], cs_mask_t m, int orig_status,
				  bool stdout_to_stderr, struct cs_trace_verify *v);
CS_EXPORT void cs_trace_verify_free(struct cs_trace_verify *v);

#endif
