/* SPDX-License-Identifier: MIT */
/*
 * capscope explain pod, text: every name, image, command and reason that
 * comes from the manifest, an SCC or the image goes through cs_esc, so a
 * hostile manifest can neither move the cursor nor forge a line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/escape.h"
#include "capscope/image-ref.h"
#include "capscope/text.h"
#include "capscope/userns.h"
#include "explain-pod.h"
#include "explain.h"
#include "output.h"

/* One piece of the pod's SCC reason (cs_scc_reason_each), escaped: escapes
 * are per character and the pieces meet beside ASCII, so the same bytes. */
static int esc_piece(const char *piece, void *data)
{
	cs_escape_write(data, piece);
	return 0;
}

int pod_text_header(const struct cs_pod_explain_result *r)
{
	const struct cs_k8s_pod *pod = r->pod;
	const struct cs_psa_result *psa = &r->psa;

	printf("%s%s %s%s (%s:%u)\n", cs_color(stdout, "\033[1m"), cs_esc(pod->kind),
	       cs_esc_cell(pod->name ? pod->name : "(unnamed)"), cs_color(stdout, "\033[0m"),
	       cs_esc_cell(pod->file ? pod->file : "-"), pod->pos.line);
	printf("  Pod Security: %s", cs_psa_level_name(psa->level));
	if (psa->level < CS_PSA_RESTRICTED) {
		printf(" (not %s: ", psa->level == CS_PSA_PRIVILEGED ? "baseline" : "restricted");
		cs_escape_write(stdout, psa->level == CS_PSA_PRIVILEGED ? psa->baseline_fail
					: psa->restricted_fail		? psa->restricted_fail
									: "");
		printf(")");
	}
	printf("\n");
	if (r->pod->runtime_class)
		printf("  RuntimeClass: %s (not read: the runtime's default handler is modelled)\n",
		       cs_esc_cell(r->pod->runtime_class));
	if (r->scc_modelled) {
		printf("  SCC admission: ");
		if (cs_scc_reason_each(&r->scc, esc_piece, stdout) < 0)
			return -ENOMEM;
		printf("\n");
		for (size_t k = 0; k < r->scc.n_attempts; k++) {
			/* Padded by columns, not bytes (text-table.h). */
			printf("    ");
			cs_text_pad(stdout, cs_esc_cell(r->scc.attempts[k].scc->name), 18);
			printf(" ");
			cs_escape_write(stdout, r->scc.attempts[k].ok ? "chosen"
								      : r->scc.attempts[k].reason);
			printf("\n");
		}
	} else {
		printf("  SCC admission: not modelled (use --openshift or --scc)\n");
	}
	return 0;
}

/*
 * "A,B" of a list shown as "[A,B]" with text after it: each item escaped
 * with the list's marks (escape.h cs_escape_item_dup), so a capability
 * named "X] drop [ALL" or "X,SYS_ADMIN" cannot read as the line's own
 * "drop [ALL]" or as two items. An empty name (`add: [""]`, which CRI-O
 * refuses) is shown as "" and a '"' of a name escaped, so `add [""]` is
 * neither `add []` (no names) nor a name of two quotes (session 17).
 */
static const char *list_text(const struct cs_strlist *l)
{
	char **v = calloc(l->n ? l->n : 1, sizeof(*v)), *s = NULL;
	bool ok = v != NULL;

	for (size_t i = 0; ok && i < l->n; i++)
		ok = (v[i] = *l->v[i] ? cs_escape_item_dup(l->v[i], ",]\"") : strdup("\"\"")) !=
		     NULL;
	if (ok)
		s = cs_join(NULL, (const char *const *)v, l->n, ",");
	for (size_t i = 0; v && i < l->n; i++)
		free(v[i]);
	free(v);
	return s ? cs_esc_own(s) : cs_oom_mark();
}

static void sc_line(const char *label, const struct cs_k8s_sc *sc)
{
	const char *a = list_text(&sc->add);

	printf("  %-10s add [%s] drop [%s]", label, a, list_text(&sc->drop));
	if (sc->run_as_user.set)
		printf(" runAsUser %lld", (long long)sc->run_as_user.v);
	if (sc->run_as_non_root.set)
		printf(" runAsNonRoot %s", sc->run_as_non_root.v ? "true" : "false");
	if (sc->allow_privilege_escalation.set)
		printf(" allowPrivilegeEscalation %s",
		       sc->allow_privilege_escalation.v ? "true" : "false");
	if (sc->privileged.set && sc->privileged.v)
		printf(" privileged");
	printf("\n");
}

static void proc_line(const char *prefix, const struct cs_quintet *q)
{
	printf("%sCapInh %016llx CapPrm %016llx CapEff %016llx CapBnd %016llx CapAmb %016llx",
	       prefix, (unsigned long long)q->set[CS_INH], (unsigned long long)q->set[CS_PRM],
	       (unsigned long long)q->set[CS_EFF], (unsigned long long)q->set[CS_BND],
	       (unsigned long long)q->set[CS_AMB]);
}

static void entrypoint(const struct cs_pod_ctr_result *c)
{
	const struct cs_explain_file *f = &c->file;

	/* a placeholder (no command named) as it is: no file's name */
	printf("  Entrypoint: %s",
	       f->unnamed && f->path ? f->path : cs_esc_cell(f->path ? f->path : ""));
	if (f->interpreter)
		printf(", a \"#!\" script run by %s", cs_esc_cell(f->interpreter));
	if (f->note)
		printf(" (%s)", f->note);
	if (f->known && !f->error) {
		printf(", mode %04o, owner %u", (unsigned)(f->mode & 07777),
		       (unsigned)f->owner_uid);
		if (f->fcaps_state > 0) {
			char *txt = cs_fcaps_to_text(&f->fcaps);

			printf(", file caps %s", txt ? txt : cs_oom_mark());
			free(txt);
		}
	}
	printf("\n\n");
}

static void flow(const struct cs_pod_ctr_result *c, enum cs_cri_runtime rt)
{
	static const char *const hdr[] = {"STAGE",     "UID",	      "BOUNDING", "PERMITTED",
					  "EFFECTIVE", "INHERITABLE", "AMBIENT",  "NNP"};
	struct cs_table t;
	const struct cs_oci_process *o = c->oci;
	char u[3][48], stage[64];

	cs_table_init(&t, 8);
	cs_table_add(&t, hdr);
	/* In a user namespace the UID column shows the node's uid too. */
	cs_userns_id_text(o->uid_map, o->n_uid_map, o->user_namespace, o->uid, u[0], sizeof(u[0]));
	snprintf(stage, sizeof(stage), "OCI (%s)", cs_cri_runtime_name(rt));
	cs_explain_flow_row(&t, stage, u[0], &c->oci->caps, c->oci->no_new_privileges);
	/* Only a process runc got to execve with: a container that stopped
	 * before showed uid 0 and every set "(absent)". */
	if (c->exec.ok || c->exec.error) {
		cs_userns_id_text(o->uid_map, o->n_uid_map, o->user_namespace, c->pre.euid, u[1],
				  sizeof(u[1]));
		cs_explain_flow_row(&t, "runc, before execve", u[1], &c->pre.caps,
				    c->pre.no_new_privs);
	}
	if (c->exec.ok && c->post) {
		cs_userns_id_text(o->uid_map, o->n_uid_map, o->user_namespace, c->post->uid[1],
				  u[2], sizeof(u[2]));
		cs_explain_flow_row(&t, "after execve", u[2], &c->post->caps,
				    c->post->no_new_privs);
	}
	cs_table_emit(&t, stdout, cs_color(stdout, "\033[1m"));
}

static void process(const struct cs_pod_ctr_result *c, enum cs_cri_runtime rt)
{
	const struct cs_helper_result *h = c->helper;
	char *un;
	int err;

	entrypoint(c);
	flow(c, rt);
	if (c->exec.ok && c->post) {
		proc_line("  /proc: ", &c->post->caps);
		printf("\n");
	}
	if ((un = cs_userns_report_text(c->oci, c->exec_ok ? c->post : NULL, "  ", &err)))
		printf("\n%s", un);
	free(un);
	if (!c->exec_ok)
		printf("  The process does not start: %s\n", cs_esc(c->exec_error));
	if (!h)
		return;
	printf("\n  Helper: %s\n", cs_esc(h->what));
	if (h->ok) {
		printf("  /proc of %s: ", cs_esc(h->path));
		proc_line("", &h->post.caps);
		printf(" (uid %u)\n", (unsigned)h->post.uid[1]);
	} else {
		printf("  the helper fails: %s\n", cs_esc(h->error ? h->error : ""));
	}
}

/* The library escapes manifest text in remedies already (explain.h): print as is. */
static void remedies(const struct cs_pod_ctr_result *c)
{
	printf("\nRemedies, lowest risk first:\n");
	for (size_t i = 0; i < c->n_remedies; i++) {
		const struct cs_remedy *v = &c->remedies[i];

		printf("\n  %zu. %s [risk: %s]\n", i + 1, v->title, v->risk);
		if (v->blocked_by)
			printf("     In this pod: %s.\n", v->blocked_by);
		for (const char *p = v->snippet; *p;) {
			const char *e = strchr(p, '\n');
			int l = e ? (int)(e - p) : (int)strlen(p);

			printf("       %.*s\n", l, p);
			p += l + (e ? 1 : 0);
		}
		printf("     Security: %s\n", v->note);
	}
}

void pod_text_container(const struct cs_pod_explain_result *pod, const struct cs_pod_ctr_result *c,
			enum cs_cri_runtime rt)
{
	printf("\n%sContainer %s%s (%s%s%s)\n", cs_color(stdout, "\033[1m"),
	       cs_esc_cell(c->c->name), cs_color(stdout, "\033[0m"),
	       cs_k8s_ctr_kind_name(c->c->kind), c->c->image ? ", image " : "",
	       c->c->image ? cs_esc_cell(c->c->image) : "");
	if (c->image_missing)
		printf("  image %s not given (--image REF=ARCHIVE): entrypoint assumed plain\n",
		       cs_esc_cell(c->c->image ? c->c->image : "(none)"));
	else if (c->image_pair)
		printf("  image %s read from %s\n", cs_esc_cell(c->c->image),
		       cs_esc(c->image_pair->archive));
	sc_line("requested", &c->req);
	if (pod->scc_modelled)
		sc_line(c->scc_name ? "after SCC" : "(no SCC)", &c->adm);
	if (c->not_modelled)
		printf("  NOT MODELLED: %s\n", cs_esc(c->not_modelled));
	else if (!c->admitted)
		printf("  NOT ADMITTED: %s\n", cs_esc(c->reason));
	else if (!c->oci_ok)
		printf("  NOT CREATED: %s: %s\n", cs_esc(c->exec_error), cs_esc(c->reason));
	else
		process(c, rt);
	if (c->n_verdicts) {
		printf("\n  Requested capabilities:\n");
		for (size_t i = 0; i < c->n_verdicts; i++) {
			printf("    ");
			cs_text_pad(stdout, cs_esc_cell(c->verdicts[i].name), 22);
			printf(" %s\n", cs_esc(c->verdicts[i].text));
		}
	}
	if (c->n_checks) {
		printf("\n  Checks:\n");
		for (size_t i = 0; i < c->n_checks; i++)
			printf("    %-10s %s: %s\n", c->checks[i].check,
			       c->checks[i].ok ? "yes" : "NO", cs_esc(c->checks[i].why));
	}
	printf("\n  Steps:\n");
	struct cs_steps ps[3];
	size_t np = cs_pod_steps_of(pod, c, ps), first = 1;

	for (size_t k = 0; k < np; first += ps[k++].n)
		cs_explain_print_steps_from(stdout, &ps[k], first);
	cs_explain_print_steps_from(stdout, &c->steps, first);
	if (c->n_remedies)
		remedies(c);
	cs_esc_release();
}

int pod_not_modelled(const struct cs_pod_explain_result *pod, const struct cs_pod_ctr_result *c)
{
	return cs_err("explain pod", "pod %s, container %s: not modelled: %s",
		      pod->pod->name ? pod->pod->name : "", c->c->name, c->not_modelled);
}
