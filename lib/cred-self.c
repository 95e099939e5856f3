/* SPDX-License-Identifier: MIT */
/* The calling thread's real credentials, as a struct cs_cred (an OS adapter). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "capscope/kernel.h"
#include "capscope/proc.h"
#include "capscope/userns.h"
#include "internal/util.h"

/*
 * userns_may_setgroups: a gid_map written, and "allow" in the namespace's
 * setgroups file (unshare -r writes "deny"; a child namespace inherits it).
 * Without it the run failed at setgroups with a bare EPERM the model had
 * not predicted. A file missing (before Linux 3.19) allows; any other
 * text is not read as either.
 */
static int read_setgroups(struct cs_cred *c, struct cs_diag *d)
{
	char *buf = NULL;
	size_t len = 0;
	int rc = 0;

	if (cs_read_file("/proc/self/setgroups", 64, &buf, &len) < 0) {
		c->setgroups_denied = c->n_gid_map == 0;
		return 0;
	}
	cs_diag_put_file(d, "%s", "/proc/self/setgroups");
	if (len == 5 && memcmp(buf, "deny\n", 5) == 0)
		c->setgroups_denied = true;
	else if (len == 6 && memcmp(buf, "allow\n", 6) == 0)
		c->setgroups_denied = c->n_gid_map == 0;
	else
		rc = cs_diag_set(d, EINVAL, 1, 1, NULL, "says neither allow nor deny");
	free(buf);
	return rc;
}

int cs_cred_read_self(struct cs_cred *c, struct cs_diag *d)
{
	struct cs_proc_status st;
	pid_t self = cs_proc_self_pid();
	int rc, sb;

	memset(c, 0, sizeof(*c));
	/* Not getpid(): /proc/PID of a parent PID namespace's /proc is another process. */
	if (self < 0)
		return cs_diag_set(d, -self, 0, 0, "/proc/self",
				   "this process is not in /proc (a /proc of another PID "
				   "namespace?): %s",
				   strerror(-self));
	rc = cs_proc_status_read(self, 0, &st, d);
	if (rc < 0)
		return rc;
	memcpy(c->uid, st.uid, sizeof(c->uid));
	memcpy(c->gid, st.gid, sizeof(c->gid));
	if (st.ngroups > CS_CRED_MAX_GROUPS) {
		/* Counted before the free, which zeroes it ("has 0 groups, more than 256"). */
		size_t n = st.ngroups;

		cs_proc_status_free(&st);
		return cs_diag_set(d, E2BIG, 0, 0, "Groups",
				   "this process has %zu supplementary groups, more than the "
				   "model holds (%d)",
				   n, CS_CRED_MAX_GROUPS);
	}
	c->ngroups = st.ngroups;
	if (c->ngroups)
		memcpy(c->groups, st.groups, c->ngroups * sizeof(gid_t));
	c->caps = st.caps;
	c->caps.present = (1u << CS_NSETS) - 1;
	c->no_new_privs = st.no_new_privs > 0;
	cs_proc_status_free(&st);
	/* The status file is read: an error below is not about it. */
	if (d)
		d->file[0] = '\0';
	/*
	 * Neither read may fail quietly: securebits taken as 0 when prctl
	 * failed (a seccomp filter of the caller's), the dry run predicted a
	 * root command's full sets under a locked noroot, and the run's
	 * read-back compared the same 0 with itself; a user namespace not seen
	 * was the initial one, its maps not read.
	 */
	if ((sb = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0)) < 0)
		return cs_diag_set(d, errno, 0, 0, "securebits",
				   "cannot read this process's securebits "
				   "(prctl PR_GET_SECUREBITS): %s",
				   strerror(errno));
	c->securebits = (unsigned)sb;
	if ((rc = cs_proc_in_child_userns(self)) < 0) {
		cs_diag_put_file(d, "/proc/%d/ns/user", (int)self);
		return cs_diag_set(d, -rc, 0, 0, NULL,
				   "cannot tell whether this process is in a user namespace: %s",
				   strerror(-rc));
	}
	if (rc == 1) {
		c->user_namespace = true;
		/* More ranges than the model holds is an error (a cut map mis-maps ids). */
		if ((rc = cs_idmap_read_self(false, c->uid_map, CS_OCI_MAX_IDMAPS, &c->n_uid_map,
					     d)) < 0 ||
		    (rc = cs_idmap_read_self(true, c->gid_map, CS_OCI_MAX_IDMAPS, &c->n_gid_map,
					     d)) < 0 ||
		    (rc = read_setgroups(c, d)) < 0)
			return rc;
	}
	return 0;
}

int cs_self_effective(uint64_t *eff)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct c[2] = {{0}};

	if (syscall(SYS_capget, &h, c) < 0)
		return -errno;
	*eff = (uint64_t)c[0].effective | (uint64_t)c[1].effective << 32;
	return 0;
}
