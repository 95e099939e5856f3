/* SPDX-License-Identifier: MIT */
/*
 * Inputs that are not manifests: the profile of `capscope trace --json`
 * (profile.capabilities, lib/trace/report.c), and the pod that stands for
 * it. The pod is written as YAML and read back through the manifest reader,
 * so it is exactly what a user would get by pasting the k8s snippet.
 */
#include <errno.h>
#include <libfyaml.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/policy.h"
#include "fyaml-mark.h"
#include "internal/cleanup.h"
#include "yaml-out.h"

CS_DEFINE_CLEANUP(struct fy_document, fy_document_destroy)

enum { PROFILE_MAX_DEPTH = 64 };

int cs_policy_profile_parse(const char *buf, size_t len, const char *name, cs_mask_t *caps,
			    struct cs_diag *d)
{
	__attribute__((cleanup(fy_document_destroyp))) struct fy_document *doc = NULL;
	struct fy_node *root, *list, *it;
	void *iter = NULL;

	*caps = 0;
	cs_diag_file(d, name);
	if (cs_json_nests_deeper(buf, len, PROFILE_MAX_DEPTH))
		return cs_diag_set(d, EINVAL, 0, 0, "", "nested deeper than %d levels",
				   PROFILE_MAX_DEPTH);
	/* The one quiet reader (fyaml-mark.h): its own copy here gave 0-based columns. */
	if (!(doc = cs_fy_build_quiet(buf, len, FYPCF_JSON_FORCE, "", d)))
		return -EINVAL;
	root = fy_document_root(doc);
	list = root && fy_node_is_mapping(root)
		   ? fy_node_by_path(root, "/profile/capabilities", FY_NT, FYNWF_DONT_FOLLOW)
		   : NULL;
	if (!list || !fy_node_is_sequence(list))
		return cs_diag_set(
		    d, EINVAL, 0, 0, "profile.capabilities",
		    "not the output of 'capscope trace --json' (no profile.capabilities list)");
	while ((it = fy_node_sequence_iterate(list, &iter))) {
		const struct fy_mark *m = cs_fy_node_mark(it);
		const char *s = fy_node_is_scalar(it) ? fy_node_get_scalar0(it) : NULL;
		int c = s ? cs_policy_cap_normalise(s) : -EINVAL;

		if (c < 0)
			return cs_diag_set(d, EINVAL, m ? (unsigned)m->line + 1 : 0,
					   m ? (unsigned)m->column + 1 : 0, "profile.capabilities",
					   "not a capability name");
		*caps |= CS_BIT(c);
	}
	return 0;
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
