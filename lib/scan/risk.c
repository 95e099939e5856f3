/* SPDX-License-Identifier: MIT */
/*
 * The risk table: how much a privileged file gives whoever can run it.
 * docs/scan.md lists every row with its reason; keep the two in step.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "capscope/scan.h"

static const char *const risk_names[] = {"info", "low", "medium", "high", "critical"};

const char *cs_risk_name(enum cs_risk r)
{
	if ((unsigned)r >= sizeof(risk_names) / sizeof(risk_names[0]))
		return "?";
	return risk_names[r];
}

int cs_risk_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(risk_names) / sizeof(risk_names[0]); i++)
		if (strcasecmp(s, risk_names[i]) == 0)
			return (int)i;
	return -EINVAL;
}

struct cap_risk {
	int cap;
	enum cs_risk risk;
	const char *why;
};

/* Capability numbers from include/uapi/linux/capability.h. */
static const struct cap_risk cap_table[] = {
    {21, CS_RISK_CRITICAL, "mount, namespaces, bpf, most of root (cap_sys_admin)"},
    {16, CS_RISK_CRITICAL, "loads kernel modules: runs code in the kernel"},
    {17, CS_RISK_CRITICAL, "raw I/O: /dev/mem, ioperm, block devices"},
    {19, CS_RISK_CRITICAL, "ptrace any process, including root's"},
    {1, CS_RISK_CRITICAL, "writes any file regardless of permissions (/etc/shadow)"},
    {7, CS_RISK_CRITICAL, "setuid(0): becomes root"},
    {31, CS_RISK_CRITICAL, "sets file capabilities on any file"},
    {0, CS_RISK_CRITICAL, "chowns any file, e.g. /etc/shadow to itself"},
    {3, CS_RISK_CRITICAL, "chmods any file it does not own (set-uid any binary)"},
    {39, CS_RISK_CRITICAL, "loads BPF programs that read kernel memory"},
    {2, CS_RISK_HIGH, "reads any file (/etc/shadow), open_by_handle_at escapes"},
    {6, CS_RISK_HIGH, "setgid(0) and any group: group-owned secrets"},
    {8, CS_RISK_HIGH, "adds capabilities to its inheritable set, drops bounding"},
    {12, CS_RISK_HIGH, "network admin: routes, firewall, interfaces"},
    {22, CS_RISK_HIGH, "reboot and kexec_load"},
    {33, CS_RISK_HIGH, "changes the MAC (SELinux/AppArmor/Smack) policy"},
    {32, CS_RISK_HIGH, "overrides the MAC policy"},
    {27, CS_RISK_HIGH, "creates device nodes (raw disk access)"},
    {9, CS_RISK_HIGH, "clears immutable/append-only flags"},
    {30, CS_RISK_HIGH, "controls the audit subsystem"},
    {34, CS_RISK_HIGH, "reads kernel log (kernel addresses)"},
    {38, CS_RISK_HIGH, "perf monitoring of every process"},
    {40, CS_RISK_HIGH, "checkpoint/restore: sets pids, reads other processes"},
    {13, CS_RISK_MEDIUM, "raw and packet sockets: spoofing, sniffing"},
    {5, CS_RISK_MEDIUM, "signals any process"},
    {4, CS_RISK_MEDIUM, "keeps set-id bits on files it writes"},
    {15, CS_RISK_MEDIUM, "bypasses IPC permission checks"},
    {14, CS_RISK_MEDIUM, "locks memory"},
    {18, CS_RISK_MEDIUM, "chroot (with a writable dir: escalation helpers)"},
    {20, CS_RISK_MEDIUM, "process accounting"},
    {23, CS_RISK_MEDIUM, "priority and CPU affinity of any process"},
    {24, CS_RISK_MEDIUM, "overrides resource limits and quotas"},
    {25, CS_RISK_MEDIUM, "sets the system clock"},
    {26, CS_RISK_MEDIUM, "configures ttys (vhangup)"},
    {28, CS_RISK_MEDIUM, "leases on files it does not own"},
    {35, CS_RISK_MEDIUM, "sets wake alarms"},
    {36, CS_RISK_MEDIUM, "blocks system suspend"},
    {37, CS_RISK_MEDIUM, "reads the audit log"},
    {10, CS_RISK_LOW, "binds ports below 1024"},
    {11, CS_RISK_LOW, "broadcast and multicast"},
    {29, CS_RISK_LOW, "writes audit records"},
};

/*
 * Keep the first reason given at the highest level. A reason that cannot be
 * allocated is the assessment's failure (*err = -ENOMEM): the level must not
 * stay below what the file gives, nor beside another level's reason (a
 * set-uid root file that read "info", or cap_sys_admin "low").
 */
static void raise_to(struct cs_finding *f, int *err, enum cs_risk r, const char *a, const char *b)
{
	char *s;

	if (r < f->risk || (r == f->risk && f->reason))
		return;
	if (asprintf(&s, "%s%s%s", a, b ? ": " : "", b ? b : "") < 0) {
		*err = -ENOMEM;
		return;
	}
	f->risk = r;
	free(f->reason);
	f->reason = s;
}

int cs_risk_assess(struct cs_finding *f)
{
	bool suid = f->mode & S_ISUID, sgid = f->mode & S_ISGID;
	bool exec_any = f->mode & 0111;
	char name[32];
	int err = 0;

	f->risk = CS_RISK_INFO;
	free(f->reason);
	f->reason = NULL;
	if (f->has_fcaps && f->fcaps_invalid) {
		raise_to(f, &err, CS_RISK_MEDIUM,
			 "security.capability is not a valid value: execve fails with EINVAL",
			 NULL);
	} else if (f->has_fcaps) {
		cs_mask_t m = f->fcaps.permitted | f->fcaps.inheritable;

		if (m == 0)
			raise_to(f, &err, CS_RISK_INFO,
				 "empty file capabilities (=): grants nothing, clears ambient",
				 NULL);
		for (size_t i = 0; i < sizeof(cap_table) / sizeof(cap_table[0]); i++) {
			const struct cap_risk *c = &cap_table[i];

			if (m & CS_BIT(c->cap))
				raise_to(f, &err, c->risk,
					 cs_cap_name_r(c->cap, false, name, sizeof(name)), c->why);
		}
		for (int cap = CS_CAP_LAST_KNOWN + 1; cap < CS_CAP_BITS; cap++)
			if (m & CS_BIT(cap))
				raise_to(f, &err, CS_RISK_MEDIUM,
					 cs_cap_name_r(cap, false, name, sizeof(name)),
					 "unknown to this table");
	}
	if (suid && f->uid == 0)
		raise_to(f, &err, CS_RISK_HIGH, "set-uid root: runs as root for every user", NULL);
	else if (suid)
		raise_to(f, &err, CS_RISK_MEDIUM, "set-uid to a non-root user", NULL);
	if (sgid && (f->mode & S_IXGRP)) {
		if (f->gid == 0)
			raise_to(f, &err, CS_RISK_MEDIUM, "set-gid root group", NULL);
		else
			raise_to(f, &err, CS_RISK_LOW, "set-gid to a non-root group", NULL);
	} else if (sgid) {
		raise_to(f, &err, CS_RISK_INFO,
			 "set-gid without group execute: a locking marker, not a privilege", NULL);
	}
	/* Nobody can execve a file without any execute bit, not even root. */
	if (!exec_any && f->risk > CS_RISK_INFO) {
		char *s;

		f->risk = CS_RISK_INFO;
		if (asprintf(&s, "not executable (would be: %s)", f->reason ? f->reason : "") < 0) {
			err = -ENOMEM;
		} else {
			free(f->reason);
			f->reason = s;
		}
	}
	return err;
}
