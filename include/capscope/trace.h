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

#include <stdint.h>
#include <stdio.h>

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
	int ret;       /* 0 granted, -errno denied */
	int stackid;   /* < 0 none */
	int syscall;   /* < 0 none */
	int opts;      /* cap_capable opts, -1 when the hook cannot see them */
	char comm[17]; /* NUL-terminated, non-printable bytes replaced by '?' */
};

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
	bool more_comms, more_syscalls, more_callers; /* lists were cut */
};

struct cs_trace_report {
	struct cs_trace_row rows[CS_CAP_BITS][CS_SITE_CLASSES];
	uint32_t *tgids; /* distinct processes seen, sorted */
	size_t ntgids, tgids_cap;
	uint64_t checks;      /* every check counted */
	uint64_t lost_events; /* ring buffer had no room */
	uint64_t dropped;     /* counts map full: checks not counted */
	uint64_t nostack;     /* checks without a stack (classified as CHECK) */
	int error;	      /* -ENOMEM once an add failed; sticky */
};

CS_EXPORT void cs_trace_report_init(struct cs_trace_report *r);
CS_EXPORT void cs_trace_report_free(struct cs_trace_report *r);
/* Add one decoded record under its class; caller may be NULL. */
CS_EXPORT int cs_trace_report_add(struct cs_trace_report *r, const struct cs_trace_rec *rec,
				  enum cs_site_class cls, const char *caller);

/* The least set: capabilities granted at least once by an ordinary check. */
CS_EXPORT cs_mask_t cs_trace_profile(const struct cs_trace_report *r);
/* Denied by an ordinary check and never granted: reported, never added. */
CS_EXPORT cs_mask_t cs_trace_denied_only(const struct cs_trace_report *r);

/*
 * The report's fields into an open JSON object: "processes", "checks",
 * "noise", "profile", "lost_events", "dropped_checks". checks[] has one
 * entry per capability with ordinary checks, {"capability", "granted",
 * "denied", "denied_only", "comms", "syscalls", "callers"}; noise[] the same
 * per (capability, site) plus "site".
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

/* Shell-quote one word into buf ('…' when needed). Returns the length needed. */
CS_EXPORT size_t cs_shell_quote(const char *s, char *buf, size_t len);

#endif
