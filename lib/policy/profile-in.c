/* SPDX-License-Identifier: MIT */
/*
 * Inputs that are not manifests: the profile of `capscope trace --json`
 * (profile.capabilities, lib/trace/report.c), and the pod that stands for
 * it. The pod is written as YAML and read back through the manifest reader,
 * so it is exactly what a user would get by pasting the k8s snippet.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/policy.h"
#include "internal/cleanup.h"
#include "internal/json-tree.h"
#include "internal/util.h"
#include "yaml-out.h"
#include "internal/memstream.h"

struct profile {
	cs_mask_t *caps;
	struct cs_diag *d;
};

/*
 * One entry of profile.capabilities, as trace writes it (cs_json_cap_names:
 * "CAP_NET_BIND_SERVICE", upper case, the prefix given), else -EINVAL. The
 * lenient spellings --caps takes ("net_bind_service", "NET_BIND_SERVICE")
 * are no output of trace: a profile carrying them was written or edited by
 * hand, and is refused rather than guessed at.
 */
static int profile_cap(const struct ydoc_node *it)
{
	cs_cleanup_free char *s = NULL;
	char exact[32];
	int c;

	if (!cs_json_is_string(it) || cs_json_strdup(it, &s) < 0)
		return -EINVAL;
	c = cs_policy_cap_normalise(s);
	if (c < 0 || c > CS_CAP_LAST_KNOWN)
		return -ENOENT; /* unknown here (trace writes one it does not know as CAP_41) */
	if (strcmp(s, cs_cap_name_r(c, true, exact, sizeof(exact))) != 0)
		return -EINVAL;
	return c;
}

/*
 * profile.mask is the same set as a number. It is not needed, but a file
 * whose mask and list disagree has been edited, and which of the two the
 * editor meant is not known: refused, naming the mask.
 */
static int check_mask(struct profile *p, const struct ydoc_node *prof, cs_mask_t caps)
{
	const struct ydoc_node *mask = ydoc_get(prof, "mask");
	cs_cleanup_free char *s = NULL;
	char want[24];
	struct cs_pos at;

	if (!mask)
		return 0;
	at = ydoc_pos(mask);
	snprintf(want, sizeof(want), "0x%016" PRIx64, caps);
	if (!cs_json_is_string(mask) || cs_json_strdup(mask, &s) < 0 || strcmp(s, want) != 0)
		return cs_diag_set(p->d, EINVAL, at.line, at.column, "profile.mask",
				   "does not match profile.capabilities (which is %s): the "
				   "file was edited; give the list and the mask of one trace",
				   want);
	return 0;
}

static int read_profile(void *user, const struct ydoc_node *root)
{
	struct profile *p = user;
	const struct ydoc_node *prof = ydoc_get(root, "profile");
	const struct ydoc_node *list = ydoc_get(prof, "capabilities");

	if (!list || list->kind != YDOC_SEQ)
		return cs_diag_set(
		    p->d, EINVAL, 0, 0, "profile.capabilities",
		    "not the output of 'capscope trace --json' (no profile.capabilities list)");
	for (uint32_t i = 0; i < list->n; i++) {
		struct cs_pos at = ydoc_pos(list->u.items[i]);
		int c = profile_cap(list->u.items[i]);

		if (c < 0) {
			/* the entry named in the message (part J: only its place was) */
			cs_cleanup_free char *text = NULL;
			char last[32];

			if (!cs_json_is_string(list->u.items[i]) ||
			    cs_json_strdup(list->u.items[i], &text) < 0)
				text = NULL;
			if (c == -ENOENT)
				return cs_diag_set(
				    p->d, EINVAL, at.line, at.column, "profile.capabilities",
				    "\"%.*s%s\": not a capability this capscope knows (up to %s)",
				    CS_MSG_CUTS(text ? text : "", 40),
				    cs_cap_name_r(CS_CAP_LAST_KNOWN, true, last, sizeof(last)));
			return cs_diag_set(p->d, EINVAL, at.line, at.column, "profile.capabilities",
					   "%s%.*s%s%s: not a capability name as trace writes it "
					   "(CAP_ and the name in upper case)",
					   text ? "\"" : "", CS_MSG_CUTS(text ? text : "", 40),
					   text ? "\"" : "an entry that is no string");
		}
		if (*p->caps & CS_BIT(c))
			return cs_diag_set(p->d, EINVAL, at.line, at.column, "profile.capabilities",
					   "a capability listed twice (trace lists each once)");
		*p->caps |= CS_BIT(c);
	}
	return check_mask(p, prof, *p->caps);
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
	cs_cleanup_free char *buf = NULL;
	size_t n = 0;
	int rc = cs_read_config_file(path, 16u << 20, NULL, &buf, &n, d);

	return rc < 0 ? rc : cs_policy_profile_parse(buf, n, path, caps, d);
}

int cs_policy_profile_pod(struct cs_k8s_manifest *m, cs_mask_t caps,
			  const struct cs_policy_pod_opts *o, struct cs_diag *d)
{
	cs_cleanup_free char *buf = NULL;
	size_t len = 0;
	FILE *f = cs_memstream_open(&buf, &len);

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
	if (cs_memstream_close(f) < 0)
		return -ENOMEM;
	return cs_k8s_parse(m, buf, len, "trace profile", d);
}
