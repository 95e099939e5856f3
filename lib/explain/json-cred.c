/* SPDX-License-Identifier: MIT */
/*
 * The JSON shapes of steps, an exec attempt and a thread's credentials
 * (with host_uids / host_gids, the node's view, when it runs in a user
 * namespace),
 * shared by explain oci, explain pod and run (capscope-run links this file
 * alone, so it depends on nothing but json.c and kernel.c).
 */
#include "capscope/explain.h"

void cs_explain_json_steps(struct cs_json *j, const struct cs_steps *st)
{
	cs_json_arr_begin(j);
	for (size_t i = 0; i < st->n; i++) {
		cs_json_obj_begin(j);
		cs_json_key(j, "layer");
		cs_json_str(j, st->v[i].layer);
		cs_json_key(j, "rule");
		cs_json_str(j, st->v[i].rule);
		cs_json_key(j, "detail");
		cs_json_str(j, st->v[i].detail);
		cs_json_obj_end(j);
	}
	cs_json_arr_end(j);
}

void cs_explain_json_exec(struct cs_json *j, const struct cs_exec_result *r,
			  const struct cs_exec_file *f)
{
	const struct cs_exec_file *last = cs_exec_file_final(f);

	cs_json_obj_begin(j);
	cs_json_key(j, "ok");
	cs_json_bool(j, r->ok);
	cs_json_key(j, "error");
	/* Not ok with no error: never modelled (run's check refused to read on). */
	if (r->ok || !r->error)
		cs_json_null(j);
	else
		cs_json_str(j, cs_errno_name(r->error));
	cs_json_key(j, "path");
	cs_json_str(j, f->path ? f->path : "");
	cs_json_key(j, "interpreter");
	if (last != f)
		cs_json_str(j, last->path ? last->path : "");
	else
		cs_json_null(j);
	cs_json_obj_end(j);
}

static void id_array(struct cs_json *j, const uint32_t *v, size_t n)
{
	cs_json_arr_begin(j);
	for (size_t i = 0; i < n; i++)
		cs_json_uint(j, v[i]);
	cs_json_arr_end(j);
}

/* The same ids as the node sees them (null where the map has none). */
static void host_ids(struct cs_json *j, const struct cs_idmap *m, size_t nm, const uint32_t *v,
		     size_t n)
{
	uint32_t h;

	cs_json_arr_begin(j);
	for (size_t i = 0; i < n; i++)
		if (cs_idmap_lookup(m, nm, v[i], true, &h))
			cs_json_uint(j, h);
		else
			cs_json_null(j);
	cs_json_arr_end(j);
}

void cs_explain_json_cred(struct cs_json *j, const struct cs_cred *c)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "uids");
	id_array(j, c->uid, 4);
	cs_json_key(j, "gids");
	id_array(j, c->gid, 4);
	if (c->user_namespace) {
		cs_json_key(j, "host_uids");
		host_ids(j, c->uid_map, c->n_uid_map, c->uid, 4);
		cs_json_key(j, "host_gids");
		host_ids(j, c->gid_map, c->n_gid_map, c->gid, 4);
	}
	cs_json_key(j, "groups");
	id_array(j, c->groups, c->ngroups);
	cs_json_key(j, "no_new_privs");
	cs_json_bool(j, c->no_new_privs);
	cs_json_key(j, "securebits");
	cs_json_uint(j, c->securebits);
	cs_json_key(j, "caps");
	cs_json_caps(j, &c->caps);
	cs_json_obj_end(j);
}
