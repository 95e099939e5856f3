/* SPDX-License-Identifier: MIT */
/*
 * The JSON shapes of steps, an exec attempt and a thread's credentials,
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

void cs_explain_json_exec(struct cs_json *j, const struct cs_exec_result *r, const char *path)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "ok");
	cs_json_bool(j, r->ok);
	cs_json_key(j, "error");
	if (r->ok)
		cs_json_null(j);
	else
		cs_json_str(j, cs_errno_name(r->error));
	cs_json_key(j, "path");
	cs_json_str(j, path ? path : "");
	cs_json_obj_end(j);
}

static void id_array(struct cs_json *j, const uint32_t *v, size_t n)
{
	cs_json_arr_begin(j);
	for (size_t i = 0; i < n; i++)
		cs_json_uint(j, v[i]);
	cs_json_arr_end(j);
}

void cs_explain_json_cred(struct cs_json *j, const struct cs_cred *c)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "uids");
	id_array(j, c->uid, 4);
	cs_json_key(j, "gids");
	id_array(j, c->gid, 4);
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
