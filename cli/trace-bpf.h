/* SPDX-License-Identifier: MIT */
/* The BPF side of capscope trace: probe, load, attach, read the maps. */
#ifndef CAPSCOPE_CLI_TRACE_BPF_H
#define CAPSCOPE_CLI_TRACE_BPF_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "capscope/trace.h"

struct trace_cfg {
	int scope; /* enum cs_trace_scope */
	uint64_t cgroup_id;
	uint32_t cgroup_level;
	bool events;
	cs_mask_t stack_caps;
	const char *force_hook; /* "tp_btf", "fexit", "kprobe" or NULL: test hook */
};

struct tracer;

/* Called per ring-buffer event with the decoded record. */
typedef void (*trace_event_fn)(const struct cs_trace_rec *rec, void *ctx);

/*
 * Probe what the kernel offers, load and attach. On failure returns -errno
 * and a sentence for the user in err.
 */
int tracer_open(struct tracer **out, const struct trace_cfg *cfg, char *err, size_t errlen);
/* The hook in use: "tp_btf/cap_capable", "fexit/cap_capable", "kprobe/cap_capable". */
const char *tracer_hook(const struct tracer *t);
int tracer_track(struct tracer *t, pid_t tgid);
/* Wait up to timeout_ms for events (no-op sleep without --events). */
int tracer_poll(struct tracer *t, int timeout_ms, trace_event_fn fn, void *ctx);
/*
 * Read the counts into r, classifying each row by its stack (ksyms may be
 * NULL: every check then counts as ordinary).
 */
int tracer_collect(struct tracer *t, struct cs_trace_report *r, const struct cs_ksyms *ksyms);
void tracer_close(struct tracer *t);

/* Why this build has no tracer, or NULL when it has one. */
const char *tracer_unavailable(void);

#endif
