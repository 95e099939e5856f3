/* SPDX-License-Identifier: MIT */
/* Printing helpers shared by the explain subjects. */
#include <stdio.h>
#include <string.h>

#include "capscope/text.h"
#include "explain.h"

const char *cs_explain_set_cell(cs_mask_t m, char *buf, size_t len)
{
	int n = cs_mask_count(m);

	if (n == 0)
		snprintf(buf, len, "-");
	else if (m == cs_mask_all())
		snprintf(buf, len, "all %d", n);
	else if (n <= 3)
		cs_mask_format_names(m, CS_NAMES_K8S, buf, len);
	else
		snprintf(buf, len, "%d caps", n);
	return buf;
}

void cs_explain_print_steps(FILE *f, const struct cs_steps *st)
{
	for (size_t i = 0; i < st->n; i++)
		fprintf(f, "  %2zu. [%s] %s: %s\n", i + 1, st->v[i].layer, st->v[i].rule,
			st->v[i].detail);
}

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

void cs_explain_json_exec(struct cs_json *j, const struct cs_exec_result *r)
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
	cs_json_str(j, r->path);
	cs_json_obj_end(j);
}

void cs_explain_json_cred(struct cs_json *j, const struct cs_cred *c)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "uids");
	cs_json_arr_begin(j);
	for (int i = 0; i < 4; i++)
		cs_json_uint(j, c->uid[i]);
	cs_json_arr_end(j);
	cs_json_key(j, "gids");
	cs_json_arr_begin(j);
	for (int i = 0; i < 4; i++)
		cs_json_uint(j, c->gid[i]);
	cs_json_arr_end(j);
	cs_json_key(j, "groups");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < c->ngroups; i++)
		cs_json_uint(j, c->groups[i]);
	cs_json_arr_end(j);
	cs_json_key(j, "no_new_privs");
	cs_json_bool(j, c->no_new_privs);
	cs_json_key(j, "securebits");
	cs_json_uint(j, c->securebits);
	cs_json_key(j, "caps");
	cs_json_caps(j, &c->caps);
	cs_json_obj_end(j);
}

static bool has_step(const struct cs_steps *st, const char *rule)
{
	return cs_steps_find(st, rule) != NULL;
}

bool cs_explain_cap_verdict(int cap, const struct cs_quintet *req, const struct cs_cred *pre,
			    const struct cs_cred *post, const struct cs_exec_file *f,
			    const struct cs_exec_result *res, const struct cs_steps *st,
			    char *buf, size_t len)
{
	cs_mask_t b = CS_BIT(cap);
	bool in_req[CS_NSETS];

	for (int s = 0; s < CS_NSETS; s++)
		in_req[s] = (req->present & (1u << s)) && (req->set[s] & b);
	if (!res->ok) {
		const char *why = "";

		/* The kernel's refusal says most: the last kernel step is it. */
		for (size_t i = st->n; i-- > 0;)
			if (strcmp(st->v[i].layer, "kernel") == 0) {
				why = st->v[i].detail;
				break;
			}
		snprintf(buf, len, "not effective: the process never starts (%s at %s%s%s)",
			 cs_errno_name(res->error), res->step, *why ? ": " : "", why);
		return false;
	}
	if (post->caps.set[CS_EFF] & b) {
		if (post->caps.set[CS_AMB] & b)
			snprintf(buf, len, "effective: ambient, kept across execve");
		else if (post->uid[1] == 0 && has_step(st, "execve.root-effective"))
			snprintf(buf, len,
				 "effective: euid 0 receives the bounding set (plus inheritable) "
				 "at execve");
		else
			snprintf(buf, len, "effective: granted by the file capabilities (+ep) of %s",
				 f->path);
		return true;
	}
	if (post->caps.set[CS_PRM] & b) {
		snprintf(buf, len,
			 "permitted but not effective: %s has no effective file bit and euid is "
			 "not 0, so the program would have to raise it itself",
			 f->path);
		return false;
	}
	if (!(pre->caps.set[CS_BND] & b) && !(pre->caps.set[CS_PRM] & b)) {
		snprintf(buf, len, "not effective: not in the bounding set%s",
			 in_req[CS_PRM] ? "" : " nor in permitted");
		return false;
	}
	if (!(pre->caps.set[CS_PRM] & b) && post->uid[1] != 0) {
		snprintf(buf, len,
			 "not effective: not in permitted before execve, and uid %u is not root",
			 (unsigned)post->uid[1]);
		return false;
	}
	if (has_step(st, "execve.nnp") && pre->no_new_privs &&
	    !(post->caps.set[CS_PRM] & b) && (pre->caps.set[CS_BND] & b)) {
		if (has_step(st, "execve.fcaps") || has_step(st, "execve.root")) {
			snprintf(buf, len,
				 "not effective: no_new_privs limits execve to what was already "
				 "permitted before it");
			return false;
		}
	}
	if (post->uid[1] == 0 && (post->securebits & CS_SECBIT_NOROOT)) {
		snprintf(buf, len, "not effective: SECBIT_NOROOT stops root from gaining it");
		return false;
	}
	if (in_req[CS_AMB] && !(pre->caps.set[CS_AMB] & b)) {
		snprintf(buf, len,
			 "not effective: ambient was requested, but the kernel refuses to raise "
			 "an ambient capability that is not both permitted and inheritable%s; "
			 "runc skips it silently, and execve drops the rest",
			 in_req[CS_INH] ? "" : " (it is not in inheritable)");
		return false;
	}
	if (has_step(st, "execve.fcaps-rootid")) {
		snprintf(buf, len,
			 "not effective: %s's file capabilities belong to another user "
			 "namespace's root (v3 rootid), so they are ignored",
			 f->path);
		return false;
	}
	if (has_step(st, "execve.fcaps-nosuid")) {
		snprintf(buf, len,
			 "not effective: %s is on a nosuid mount, so its file capabilities are "
			 "ignored",
			 f->path);
		return false;
	}
	if (has_step(st, "execve.ambient-cleared") && (pre->caps.set[CS_AMB] & b)) {
		snprintf(buf, len,
			 "not effective: it was ambient, but %s clears the ambient set at execve",
			 has_step(st, "execve.fcaps") ? "the file's capabilities"
						      : "the set-id exec");
		return false;
	}
	snprintf(buf, len,
		 "not effective: permitted before execve, but uid %u is not root, %s has no file "
		 "capabilities granting it and it is not ambient, so execve drops it "
		 "(P' = (B & fP) | (I & fI) | A, E' = A)",
		 (unsigned)post->uid[1], f->path);
	return false;
}

void cs_explain_flow_row(struct cs_table *t, const char *stage, const char *uid,
			 const struct cs_quintet *q, bool nnp)
{
	char b[5][64];
	const char *cells[8];
	static const enum cs_set order[5] = {CS_BND, CS_PRM, CS_EFF, CS_INH, CS_AMB};

	cells[0] = stage;
	cells[1] = uid;
	for (int i = 0; i < 5; i++)
		cells[2 + i] = (q->present & (1u << order[i]))
				       ? cs_explain_set_cell(q->set[order[i]], b[i], sizeof(b[i]))
				       : "(absent)";
	cells[7] = nnp ? "yes" : "no";
	cs_table_add(t, cells);
}
