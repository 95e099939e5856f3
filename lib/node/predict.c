/* SPDX-License-Identifier: MIT */
/*
 * A running container's first process, predicted from its bundle exactly as
 * explain oci predicts it (runc, then execve in the kernel model), and the
 * comparison with what /proc shows.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/node.h"
#include "capscope/runtime.h"
#include "internal/memstream.h"

/* Find argv[0] as runc would, in the container's root or the bundle's. */
static int resolve(const struct cs_node_ctr *c, struct cs_exec_file *f)
{
	const char *arg0 = c->cfg.args[0], *path = cs_oci_config_getenv(&c->cfg, "PATH");
	struct cs_diag d = {0};
	char root[64];

	snprintf(root, sizeof(root), "/proc/%d/root", (int)c->pid);
	if (c->pid && cs_exec_file_resolve(root, c->cfg.cwd, arg0, path, f, &d) == 0 && !f->error)
		return 0;
	cs_exec_file_clear(f);
	if (c->cfg.root_path &&
	    cs_exec_file_resolve(c->cfg.root_path, c->cfg.cwd, arg0, path, f, &d) == 0 && !f->error)
		return 0;
	cs_exec_file_clear(f);
	return cs_exec_file_set_path(f, arg0); /* assumed plain: the model says so */
}

int cs_node_predict(struct cs_node_ctr *c)
{
	struct cs_exec_file *f = calloc(1, sizeof(*f));
	struct cs_cred *pre = calloc(1, sizeof(*pre)), *post = calloc(1, sizeof(*post));
	struct cs_exec_result res;
	struct cs_steps st;
	int r = -ENOMEM;

	c->predicted = true;
	if (!f || !pre || !post)
		goto out;
	if (!c->cfg.nargs || !c->cfg.args[0]) {
		c->predict_why = strdup("config.json has no process.args");
		r = c->predict_why ? 0 : -ENOMEM;
		goto out;
	}
	if (resolve(c, f) < 0)
		goto out;
	cs_steps_init(&st);
	if (cs_oci_predict_from(&c->cfg.process, NULL, f, pre, post, &res, &st) < 0 || st.error) {
		cs_steps_free(&st);
		goto out;
	}
	cs_steps_free(&st);
	r = 0;
	if (res.ok) {
		c->predict_ok = true;
		c->prediction = post;
		post = NULL;
	} else if (!(c->predict_why = strdup(cs_errno_name(res.error)))) {
		r = -ENOMEM;
	}
out:
	if (f)
		cs_exec_file_clear(f);
	free(f);
	free(pre);
	free(post);
	return r;
}

static const char *const set_names[CS_NSETS] = {"inheritable", "permitted", "effective", "bounding",
						"ambient"};

int cs_node_mismatch(const struct cs_node_ctr *c, char **why)
{
	const struct cs_cred *p = c->prediction;
	char *text = NULL;
	size_t size = 0;
	unsigned sets = 0; /* bit per set that differs */
	bool uid, nnp;
	uint32_t euid;
	const char *sep = "";
	FILE *f;

	if (why)
		*why = NULL;
	if (!c->predict_ok || !p || !c->have_status)
		return 0;
	euid = p->uid[1];
	if (c->cfg.process.user_namespace &&
	    !cs_idmap_lookup(c->cfg.process.uid_map, c->cfg.process.n_uid_map, euid, true, &euid))
		euid = (uint32_t)-1;
	for (int s = 0; s < CS_NSETS; s++)
		if (p->caps.set[s] != c->status.caps.set[s])
			sets |= 1u << s;
	uid = (c->status.have & CS_HAVE_UID) && euid != c->status.uid[1];
	nnp = c->status.no_new_privs >= 0 && p->no_new_privs != (c->status.no_new_privs == 1);
	if (!sets && !uid && !nnp)
		return 0;
	/* The metrics only ask whether; the words are built for those who read them. */
	if (!why)
		return 1;
	if (!(f = cs_memstream_open(&text, &size)))
		return -ENOMEM;
	/* Each part after the first behind "; " (no ftell: a stream of
	 * internal/memstream.h cannot seek). */
	for (int s = 0; s < CS_NSETS; s++) {
		if (!(sets & (1u << s)))
			continue;
		fprintf(f, "%s%s predicted %#llx, /proc %#llx", sep, set_names[s],
			(unsigned long long)p->caps.set[s],
			(unsigned long long)c->status.caps.set[s]);
		sep = "; ";
	}
	if (uid) {
		fprintf(f, "%seuid predicted %u, /proc %u", sep, (unsigned)euid,
			(unsigned)c->status.uid[1]);
		sep = "; ";
	}
	if (nnp)
		fprintf(f, "%sno_new_privs predicted %d, /proc %d", sep, p->no_new_privs,
			c->status.no_new_privs);
	if (cs_memstream_close(f) < 0) {
		free(text);
		return -ENOMEM;
	}
	*why = text;
	return 1;
}
