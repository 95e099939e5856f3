/* SPDX-License-Identifier: MIT */
/* The JSON of explain pod's results: what `capscope explain pod --json` prints. */
#include "capscope/image-ref.h"
#include "capscope/explain.h"
#include "capscope/userns.h"

static void strlist(struct cs_json *j, const struct cs_strlist *l)
{
	cs_json_strv(j, l->v, l->n);
}

static void json_sc(struct cs_json *j, const struct cs_k8s_sc *sc)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "add");
	strlist(j, &sc->add);
	cs_json_key(j, "drop");
	strlist(j, &sc->drop);
	cs_json_key(j, "run_as_user");
	if (sc->run_as_user.set)
		cs_json_int(j, sc->run_as_user.v);
	else
		cs_json_null(j);
	cs_json_key(j, "allow_privilege_escalation");
	if (sc->allow_privilege_escalation.set)
		cs_json_bool(j, sc->allow_privilege_escalation.v);
	else
		cs_json_null(j);
	cs_json_obj_end(j);
}

static void admission(struct cs_json *j, const struct cs_pod_explain_result *pod,
		      const struct cs_pod_ctr_result *c)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "scc");
	cs_json_str(j, c->scc_name); /* null when absent */
	cs_json_key(j, "admitted");
	cs_json_bool(j, c->admitted);
	cs_json_key(j, "reason");
	cs_json_str(j, c->reason);
	cs_json_key(j, "pod_security");
	cs_json_str(j, cs_psa_level_name(pod->psa.level));
	cs_json_key(j, "requested");
	json_sc(j, &c->req);
	cs_json_key(j, "after");
	json_sc(j, &c->adm);
	cs_json_obj_end(j);
}

static void oci(struct cs_json *j, const struct cs_oci_process *p)
{
	if (!p) {
		cs_json_null(j);
		return;
	}
	cs_json_obj_begin(j);
	cs_json_key(j, "uid");
	cs_json_uint(j, p->uid);
	cs_json_key(j, "gid");
	cs_json_uint(j, p->gid);
	cs_json_key(j, "additional_gids");
	cs_json_arr_begin(j);
	for (size_t k = 0; k < p->n_additional_gids; k++)
		cs_json_uint(j, p->additional_gids[k]);
	cs_json_arr_end(j);
	cs_json_key(j, "user_namespace");
	cs_json_bool(j, p->user_namespace);
	if (p->user_namespace) {
		uint32_t h;

		cs_json_key(j, "host_uid");
		if (cs_idmap_lookup(p->uid_map, p->n_uid_map, p->uid, true, &h))
			cs_json_uint(j, h);
		else
			cs_json_null(j);
	}
	cs_json_key(j, "no_new_privs");
	cs_json_bool(j, p->no_new_privileges);
	cs_json_key(j, "caps");
	cs_json_caps(j, &p->caps);
	cs_json_obj_end(j);
}

static void exec(struct cs_json *j, const struct cs_pod_ctr_result *c)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "ok");
	cs_json_bool(j, c->exec_ok);
	cs_json_key(j, "error");
	if (c->exec_ok)
		cs_json_null(j);
	else
		cs_json_str(j, c->exec_error && c->exec_error[0] ? c->exec_error : "?");
	cs_json_key(j, "path");
	if (c->file.unnamed)
		cs_json_null(j); /* no command named: not a file's name */
	else
		cs_json_str(j, c->file.path ? c->file.path : "");
	cs_json_key(j, "interpreter");
	if (c->file.interpreter)
		cs_json_str(j, c->file.interpreter);
	else
		cs_json_null(j);
	cs_json_obj_end(j);
}

static void helper(struct cs_json *j, const struct cs_helper_result *h)
{
	if (!h) {
		cs_json_null(j);
		return;
	}
	cs_json_obj_begin(j);
	cs_json_key(j, "what");
	cs_json_str(j, h->what);
	cs_json_key(j, "ok");
	cs_json_bool(j, h->ok);
	cs_json_key(j, "error");
	if (h->ok)
		cs_json_null(j);
	else
		cs_json_str(j, h->error ? h->error : "");
	cs_json_key(j, "path");
	cs_json_str(j, h->path ? h->path : "");
	cs_json_key(j, "process");
	if (h->ok)
		cs_explain_json_cred(j, &h->post);
	else
		cs_json_null(j);
	cs_json_obj_end(j);
}

static void checks(struct cs_json *j, const struct cs_pod_ctr_result *c)
{
	cs_json_arr_begin(j);
	for (size_t i = 0; i < c->n_checks; i++) {
		cs_json_obj_begin(j);
		cs_json_key(j, "check");
		cs_json_str(j, c->checks[i].check);
		cs_json_key(j, "ok");
		cs_json_bool(j, c->checks[i].ok);
		cs_json_key(j, "why");
		cs_json_str(j, c->checks[i].why);
		cs_json_obj_end(j);
	}
	cs_json_arr_end(j);
}

static void verdicts(struct cs_json *j, const struct cs_pod_ctr_result *c)
{
	cs_json_arr_begin(j);
	for (size_t i = 0; i < c->n_verdicts; i++) {
		cs_json_obj_begin(j);
		cs_json_key(j, "capability");
		cs_json_str(j, c->verdicts[i].name);
		cs_json_key(j, "effective");
		cs_json_bool(j, c->verdicts[i].effective);
		cs_json_key(j, "why");
		cs_json_str(j, c->verdicts[i].text);
		cs_json_obj_end(j);
	}
	cs_json_arr_end(j);
}

static void remedies(struct cs_json *j, const struct cs_pod_ctr_result *c)
{
	cs_json_arr_begin(j);
	for (size_t i = 0; i < c->n_remedies; i++) {
		const struct cs_remedy *v = &c->remedies[i];

		cs_json_obj_begin(j);
		cs_json_key(j, "rank");
		cs_json_uint(j, i + 1);
		cs_json_key(j, "id");
		cs_json_str(j, v->id);
		cs_json_key(j, "title");
		cs_json_str(j, v->title);
		cs_json_key(j, "risk");
		cs_json_str(j, v->risk);
		cs_json_key(j, "snippet");
		cs_json_str(j, v->snippet);
		cs_json_key(j, "security");
		cs_json_str(j, v->note);
		cs_json_key(j, "blocked_by");
		cs_json_str(j, v->blocked_by); /* null when nothing blocks it */
		cs_json_obj_end(j);
	}
	cs_json_arr_end(j);
}

/* The pod's steps this container's report shows, then the container's, as one list. */
static void steps(struct cs_json *j, const struct cs_pod_explain_result *pod,
		  const struct cs_pod_ctr_result *c)
{
	struct cs_steps all[4];
	size_t n = cs_pod_steps_of(pod, c, all);

	all[n++] = c->steps;
	cs_json_arr_begin(j);
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < all[k].n; i++) {
			const struct cs_step *s = &all[k].v[i];

			cs_json_obj_begin(j);
			cs_json_key(j, "layer");
			cs_json_str(j, s->layer);
			cs_json_key(j, "rule");
			cs_json_str(j, s->rule);
			cs_json_key(j, "detail");
			cs_json_str(j, s->detail);
			cs_json_obj_end(j);
		}
	cs_json_arr_end(j);
}

/* Which image the container's files came from (--image REF=ARCHIVE), or that none was given. */
static void image(struct cs_json *j, const struct cs_pod_ctr_result *c)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "ref");
	cs_json_str(j, c->c->image);
	cs_json_key(j, "matched");
	cs_json_str(j, c->image_pair ? c->image_pair->ref_text : NULL);
	cs_json_key(j, "archive");
	cs_json_str(j, c->image_pair ? c->image_pair->archive : NULL);
	cs_json_key(j, "not_given");
	cs_json_bool(j, c->image_missing);
	cs_json_obj_end(j);
}

void cs_pod_ctr_explain_json(struct cs_json *j, const struct cs_pod_explain_result *pod,
			     const struct cs_pod_ctr_result *c)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "name");
	cs_json_str(j, c->c->name);
	cs_json_key(j, "kind");
	cs_json_str(j, cs_k8s_ctr_kind_name(c->c->kind));
	cs_json_key(j, "pod");
	cs_json_str(j, pod->pod->name ? pod->pod->name : "");
	cs_json_key(j, "image");
	image(j, c);
	cs_json_key(j, "admission");
	admission(j, pod, c);
	cs_json_key(j, "oci");
	oci(j, c->oci_ok ? c->oci : NULL);
	cs_json_key(j, "not_modelled");
	cs_json_str(j, c->not_modelled);
	cs_json_key(j, "exec");
	exec(j, c);
	cs_json_key(j, "process");
	if (c->exec_ok && c->post)
		cs_explain_json_cred(j, c->post);
	else
		cs_json_null(j);
	cs_json_key(j, "user_namespace");
	cs_userns_report_json(j, c->oci_ok ? c->oci : NULL, c->exec_ok ? c->post : NULL);
	cs_json_key(j, "helper");
	helper(j, c->helper);
	cs_json_key(j, "checks");
	checks(j, c);
	cs_json_key(j, "verdicts");
	verdicts(j, c);
	cs_json_key(j, "steps");
	steps(j, pod, c);
	cs_json_key(j, "remedies");
	remedies(j, c);
	cs_json_obj_end(j);
}

void cs_pod_explain_json(struct cs_json *j, const struct cs_pod_explain_result *r)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "containers");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < r->n_containers; i++)
		cs_pod_ctr_explain_json(j, r, &r->containers[i]);
	cs_json_arr_end(j);
	cs_json_obj_end(j);
}
