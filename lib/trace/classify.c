/* SPDX-License-Identifier: MIT */
/*
 * Which checks say what a program needs, judged by their kernel call site.
 *
 * The capability:cap_capable tracepoint (security/commoncap.c, cap_capable)
 * fires for every check but does not pass cap_capable's opts, so it cannot
 * tell an audited check (capable(), ns_capable(): "this operation needs the
 * capability") from a CAP_OPT_NOAUDIT probe. The probes come from a few
 * helpers, which are real functions and therefore show in the stack:
 *
 *  - security/commoncap.c cap_vm_enough_memory(): the overcommit heuristic
 *    (mm/util.c __vm_enough_memory via security_vm_enough_memory_mm) asks
 *    for CAP_SYS_ADMIN on every mmap/brk accounting, only to leave root a
 *    reserve of 3%. A denial changes nothing for ordinary programs.
 *  - kernel/capability.c has_ns_capability_noaudit(), has_capability_noaudit(),
 *    ns_capable_noaudit(): callers that try a capability and fall back
 *    quietly, e.g. kernel/ptrace.c __ptrace_may_access() for /proc reads
 *    with PTRACE_MODE_NOAUDIT, or the OOM score adjustment.
 *
 * Everything else reached through capable()/ns_capable()/file_ns_capable()/
 * capable_wrt_inode_uidgid()… is an ordinary check.
 */
#include <string.h>

#include "capscope-trace.h"
#include "capscope/trace.h"

struct site {
	const char *name;
	int cls; /* enum cs_site_class, or -1: an audited API (decides CHECK) */
};

static const struct site sites[] = {
    {"cap_vm_enough_memory", CS_SITE_OVERCOMMIT},
    {"security_vm_enough_memory_mm", CS_SITE_OVERCOMMIT},
    {"__vm_enough_memory", CS_SITE_OVERCOMMIT},
    {"has_ns_capability_noaudit", CS_SITE_NOAUDIT},
    {"has_capability_noaudit", CS_SITE_NOAUDIT},
    {"ns_capable_noaudit", CS_SITE_NOAUDIT},
    {"capable", -1},
    {"ns_capable", -1},
    {"ns_capable_setid", -1},
    {"file_ns_capable", -1},
    {"has_capability", -1},
    {"has_ns_capability", -1},
    {"capable_wrt_inode_uidgid", -1},
    {"privileged_wrt_inode_uidgid", -1},
    {"sk_ns_capable", -1},
    {"sk_capable", -1},
    {"sk_net_capable", -1},
    {"netlink_ns_capable", -1},
    {"__netlink_ns_capable", -1},
    {"netlink_capable", -1},
    {"netlink_net_capable", -1},
    {"bpf_token_capable", -1},
    {"checkpoint_restore_ns_capable", -1},
};

/* See trace.h; the one list for serve and trace --container. */
bool cs_trace_runtime_init_comm(const char *comm)
{
	return !strcmp(comm, "exe") || !strcmp(comm, "runc") || !strncmp(comm, "runc:[", 6) ||
	       !strcmp(comm, "crun");
}

/* Frames of the tracer itself and of the check machinery under every API. */
static bool machinery(const char *f)
{
	static const char *const exact[] = {"cap_capable", "security_capable", "ns_capable_common",
					    "cap_capable_helper", "__cap_capable"};
	static const char *const prefix[] = {
	    "bpf_trace_run",   "__bpf_trace_", "bpf_prog_",   "__bpf_prog_",
	    "bpf_trampoline_", "__traceiter_", "perf_trace_", "trace_event_raw_event_"};

	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (strcmp(f, exact[i]) == 0)
			return true;
	for (size_t i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
		if (strncmp(f, prefix[i], strlen(prefix[i])) == 0)
			return true;
	return false;
}

static const struct site *find_site(const char *f)
{
	for (size_t i = 0; i < sizeof(sites) / sizeof(sites[0]); i++)
		if (strcmp(f, sites[i].name) == 0)
			return &sites[i];
	return NULL;
}

const char *cs_site_class_name(enum cs_site_class c)
{
	switch (c) {
	case CS_SITE_CHECK:
		return "check";
	case CS_SITE_OVERCOMMIT:
		return "vm-overcommit";
	case CS_SITE_NOAUDIT:
		return "noaudit";
	default:
		return "unknown";
	}
}

enum cs_site_class cs_trace_classify(const char *const *frames, size_t n, int opts,
				     const char **caller)
{
	int cls = -2; /* undecided */

	if (caller)
		*caller = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *f = frames[i];
		const struct site *s;

		if (!f || machinery(f))
			continue;
		s = find_site(f);
		if (s) {
			if (cls == -2)
				cls = s->cls;
			continue;
		}
		/* The first frame past the capability API: the function that asked. */
		if (caller)
			*caller = f;
		break;
	}
	if (cls >= 0)
		return (enum cs_site_class)cls;
	/* fexit/kprobe hooks see the opts argument itself. */
	if (opts != CS_OPTS_UNKNOWN && (opts & CS_OPT_NOAUDIT))
		return CS_SITE_NOAUDIT;
	return CS_SITE_CHECK;
}
