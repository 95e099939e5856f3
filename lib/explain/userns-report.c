/* SPDX-License-Identifier: MIT */
/*
 * explain's user namespace section, as text and JSON: the pod's ids and the
 * node's, and where each effective capability acts (the table in
 * lib/userns.c). Nothing here comes from the manifest, so nothing needs
 * escaping.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../internal/cleanup.h"
#include "capscope/userns.h"
#include "internal/memstream.h"

int cs_userns_id_text(const struct cs_idmap *map, size_t n, bool userns, uint32_t id, char *buf,
		      size_t len)
{
	uint32_t host;

	if (!userns)
		return snprintf(buf, len, "%u", (unsigned)id);
	if (!cs_idmap_lookup(map, n, id, true, &host))
		return snprintf(buf, len, "%u (unmapped)", (unsigned)id);
	return snprintf(buf, len, "%u (node %u)", (unsigned)id, (unsigned)host);
}

static cs_mask_t held(const struct cs_oci_process *oci, const struct cs_cred *post)
{
	if (post)
		return post->caps.set[CS_EFF];
	return (oci->caps.present & (1u << CS_EFF)) ? oci->caps.set[CS_EFF] : 0;
}

/* The row of the next capability in eff after *cap, its name ("CAP_…") in
 * name; NULL after the last. */
static const struct cs_userns_cap *next_held(cs_mask_t eff, int *cap, char *name, size_t len)
{
	while (++*cap < 64)
		if (eff & CS_BIT(*cap)) {
			cs_cap_name_r(*cap, true, name, len);
			return cs_userns_cap_info(*cap);
		}
	return NULL;
}

static uid_t uid_of(const struct cs_oci_process *oci, const struct cs_cred *post)
{
	return post ? post->uid[1] : oci->uid;
}

/* The node ids the pod's map covers, as "65536-131071" (first mapping). */
static void range_text(const struct cs_oci_process *oci, char *buf, size_t len)
{
	const struct cs_idmap *m = &oci->uid_map[0];

	if (!oci->n_uid_map) {
		snprintf(buf, len, "none");
		return;
	}
	snprintf(buf, len, "%u-%u", (unsigned)m->host_id,
		 (unsigned)(m->host_id + (m->size ? m->size - 1 : 0)));
}

char *cs_userns_report_text(const struct cs_oci_process *oci, const struct cs_cred *post,
			    const char *indent, int *err)
{
	cs_cleanup_free char *out = NULL;
	size_t len = 0;
	char range[48], uid[48], name[64];
	const struct cs_userns_cap *u;
	cs_mask_t eff;
	FILE *f;

	*err = 0;
	if (!oci || !oci->user_namespace)
		return NULL;
	if (!(f = cs_memstream_open(&out, &len))) {
		*err = -ENOMEM;
		return NULL;
	}
	range_text(oci, range, sizeof(range));
	cs_userns_id_text(oci->uid_map, oci->n_uid_map, true, uid_of(oci, post), uid, sizeof(uid));
	fprintf(f, "%sUser namespace: pod ids 0-%u are node ids %s; the process is uid %s.\n",
		indent, oci->n_uid_map ? (unsigned)(oci->uid_map[0].size - 1) : 0u, range, uid);
	fprintf(f,
		"%sIts capabilities are held in the pod's user namespace: they act on the "
		"pod's own network,\n%smount, UTS and IPC namespaces and on files of node ids "
		"%s, never on the node.\n%sNode-owned files show as owned by nobody (65534); "
		"no capability overrides their permissions.\n",
		indent, indent, range, indent);
	eff = held(oci, post);
	if (!eff)
		fprintf(f, "%sNo capability is effective.\n", indent);
	for (int cap = -1; (u = next_held(eff, &cap, name, sizeof(name)));)
		fprintf(f, "%s  %-20s %-15s %s\n", indent,
			strncmp(name, "CAP_", 4) ? name : name + 4, cs_userns_scope_label(u->scope),
			u->acts_on);
	if (cs_memstream_close(f) < 0) {
		*err = -ENOMEM;
		return NULL;
	}
	return cs_steal_ptr(out);
}

static void maps(struct cs_json *j, const struct cs_idmap *m, size_t n)
{
	cs_json_arr_begin(j);
	for (size_t i = 0; i < n; i++) {
		cs_json_obj_begin(j);
		cs_json_key(j, "container_id");
		cs_json_uint(j, m[i].container_id);
		cs_json_key(j, "host_id");
		cs_json_uint(j, m[i].host_id);
		cs_json_key(j, "size");
		cs_json_uint(j, m[i].size);
		cs_json_obj_end(j);
	}
	cs_json_arr_end(j);
}

void cs_userns_report_json(struct cs_json *j, const struct cs_oci_process *oci,
			   const struct cs_cred *post)
{
	const struct cs_userns_cap *u;
	uint32_t host;
	char name[64];
	cs_mask_t eff;

	if (!oci || !oci->user_namespace) {
		cs_json_null(j);
		return;
	}
	cs_json_obj_begin(j);
	cs_json_key(j, "uid_map");
	maps(j, oci->uid_map, oci->n_uid_map);
	cs_json_key(j, "gid_map");
	maps(j, oci->gid_map, oci->n_gid_map);
	cs_json_key(j, "uid");
	cs_json_uint(j, uid_of(oci, post));
	cs_json_key(j, "host_uid");
	if (cs_idmap_lookup(oci->uid_map, oci->n_uid_map, uid_of(oci, post), true, &host))
		cs_json_uint(j, host);
	else
		cs_json_null(j);
	cs_json_key(j, "unmapped_files");
	cs_json_str(j, "files of node ids outside the map show as nobody (65534); no "
		       "capability overrides their permissions");
	cs_json_key(j, "capabilities");
	cs_json_arr_begin(j);
	eff = held(oci, post);
	for (int cap = -1; (u = next_held(eff, &cap, name, sizeof(name)));) {
		cs_json_obj_begin(j);
		cs_json_key(j, "name");
		cs_json_str(j, name);
		cs_json_key(j, "scope");
		cs_json_str(j, cs_userns_scope_id(u->scope));
		cs_json_key(j, "works");
		if (u->scope == CS_USERNS_PARTLY)
			cs_json_str(j, "partly");
		else
			cs_json_bool(j, u->scope != CS_USERNS_NODE_ONLY);
		cs_json_key(j, "acts_on");
		cs_json_str(j, u->acts_on);
		cs_json_key(j, "source");
		cs_json_str(j, u->source);
		cs_json_obj_end(j);
	}
	cs_json_arr_end(j);
	cs_json_obj_end(j);
}
