/* SPDX-License-Identifier: MIT */
/*
 * Inputs that are not manifests: the profile of `capscope trace --json`
 * (profile.capabilities, lib/trace/report.c), and the pod that stands for
 * it. The pod is written as YAML and read back through the manifest reader,
 * so it is exactly what a user would get by pasting the k8s snippet.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/policy.h"
#include "internal/cleanup.h"
#include "internal/json-tree.h"
#include "yaml-out.h"

struct profile {
	cs_mask_t *caps;
	struct cs_diag *d;
};

static int read_profile(void *user, const struct ydoc_node *root)
{
	struct profile *p = user;
	const struct ydoc_node *list = ydoc_get(ydoc_get(root, "profile"), "capabilities");

	if (!list || list->kind != YDOC_SEQ)
		return cs_diag_set(
		    p->d, EINVAL, 0, 0, "profile.capabilities",
		    "not the output of 'capscope trace --json' (no profile.capabilities list)");
	for (uint32_t i = 0; i < list->n; i++) {
		const struct ydoc_node *it = list->u.items[i];
		struct cs_pos at = ydoc_pos(it);
		cs_cleanup_free char *s = NULL;
		int c = cs_json_is_string(it) && cs_json_strdup(it, &s) == 0
			    ? cs_policy_cap_normalise(s)
			    : -EINVAL;

		if (c < 0)
			return cs_diag_set(p->d, EINVAL, at.line, at.column, "profile.capabilities",
					   "not a capability name");
		*p->caps |= CS_BIT(c);
	}
	return 0;
}

int cs_policy_profile_parse(const char *buf, size_t len, const char *name, cs_mask_t *caps,
			    struct cs_diag *d)
{
	struct profile p = {caps, d};

	*caps = 0;
	cs_diag_file(d, name);
	/* Checked as Go reads JSON, read as a compact tree (lib/json-tree.c). */
	return cs_json_tree(buf, len, true, "", "not valid JSON: ", read_profile, &p, d);
}

int cs_policy_profile_load(const char *path, cs_mask_t *caps, struct cs_diag *d)
{
	cs_cleanup_fclose FILE *f = fopen(path, "re");
	cs_cleanup_free char *buf = NULL;
	size_t n = 0, cap = 0;

	cs_diag_file(d, path); /* every message below names the file */
	if (!f)
		return cs_diag_set(d, errno, 0, 0, "", "cannot read: %s", strerror(errno));
	for (;;) {
		if (n + 4096 > cap) {
			if (cap >= 16u << 20)
				return cs_diag_set(d, E2BIG, 0, 0, "", "larger than 16 MiB");
			char *nb = realloc(buf, cap = cap ? cap * 2 : 65536);
			if (!nb)
				return -ENOMEM;
			buf = nb;
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f))
		return cs_diag_set(d, EIO, 0, 0, "", "read error");
	return cs_policy_profile_parse(buf, n, path, caps, d);
}

int cs_policy_profile_pod(struct cs_k8s_manifest *m, cs_mask_t caps,
			  const struct cs_policy_pod_opts *o, struct cs_diag *d)
{
	cs_cleanup_free char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return -ENOMEM;
	fputs("apiVersion: v1\nkind: Pod\nmetadata:\n", f);
	yw_kv(f, 2, "name", o && o->name ? o->name : "traced");
	if (o && o->namespace)
		yw_kv(f, 2, "namespace", o->namespace);
	fputs("spec:\n", f);
	if (o && o->service_account)
		yw_kv(f, 2, "serviceAccountName", o->service_account);
	fputs("  containers:\n  - name: traced\n    image: traced\n    securityContext:\n", f);
	if (o && o->run_as_user.set)
		fprintf(f, "      runAsUser: %lld\n", (long long)o->run_as_user.v);
	fputs("      allowPrivilegeEscalation: false\n"
	      "      capabilities:\n        drop: [\"ALL\"]\n        add: ",
	      f);
	yw_caps(f, caps, "\"");
	fputc('\n', f);
	if (fclose(f) != 0)
		return -ENOMEM;
	return cs_k8s_parse(m, buf, len, "trace profile", d);
}
