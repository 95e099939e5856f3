/* SPDX-License-Identifier: MIT */
/* The calling thread's real credentials, as a struct cs_cred (an OS adapter). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "capscope/kernel.h"
#include "capscope/proc.h"

static size_t read_map(const char *path, struct cs_idmap *m)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0, n = 0;

	if (cs_read_file(path, 1 << 16, &buf, &len) < 0)
		return 0;
	for (line = strtok_r(buf, "\n", &save); line && n < CS_OCI_MAX_IDMAPS;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned a, b, c;

		if (sscanf(line, "%u %u %u", &a, &b, &c) == 3)
			m[n++] = (struct cs_idmap){a, b, c};
	}
	free(buf);
	return n;
}

int cs_cred_read_self(struct cs_cred *c, struct cs_diag *d)
{
	struct cs_proc_status st;
	int rc, sb;

	memset(c, 0, sizeof(*c));
	rc = cs_proc_status_read(getpid(), 0, &st, d);
	if (rc < 0)
		return rc;
	memcpy(c->uid, st.uid, sizeof(c->uid));
	memcpy(c->gid, st.gid, sizeof(c->gid));
	c->ngroups = st.ngroups < CS_CRED_MAX_GROUPS ? st.ngroups : CS_CRED_MAX_GROUPS;
	if (c->ngroups)
		memcpy(c->groups, st.groups, c->ngroups * sizeof(gid_t));
	c->caps = st.caps;
	c->caps.present = (1u << CS_NSETS) - 1;
	c->no_new_privs = st.no_new_privs > 0;
	cs_proc_status_free(&st);
	sb = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
	c->securebits = sb > 0 ? (unsigned)sb : 0;
	if (cs_proc_in_child_userns(getpid()) == 1) {
		c->user_namespace = true;
		c->n_uid_map = read_map("/proc/self/uid_map", c->uid_map);
		c->n_gid_map = read_map("/proc/self/gid_map", c->gid_map);
	}
	return 0;
}
