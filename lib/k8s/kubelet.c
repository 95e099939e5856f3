/* SPDX-License-Identifier: MIT */
/* The kubelet's user, command line and no_new_privs rules (kubelet.h). */
#include "capscope/kubelet.h"
#include "capscope/number.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../internal/cleanup.h"
#include "../internal/exec-strings.h"
#include "../internal/strlist.h"
#include "../internal/util.h"
#include "etc-index.h"
#include "kubelet-env.h"

/* containerd and runc take uids and gids 0-2147483647 (runc's maxID, 1<<31 - 1). */
#define RUNTIME_ID_MAX 2147483647LL

static int lookup(const struct cs_kubelet_image *img, const char *user, long *uid, long *gid)
{
	const char *name;
	long long u, g;

	if (!img->fs_given)
		return -ENOENT;
	if (!img->index)
		return cs_passwd_lookup(img->passwd, img->passwd_len, user, uid, gid);
	if (cs_etc_index_passwd(img->index, user, &name, &u, &g) < 0)
		return -ENOENT;
	*uid = (long)(uint32_t)u; /* as cs_passwd_lookup keeps them: the low 32 bits */
	*gid = (long)(uint32_t)g;
	return 0;
}

const char *cs_kubelet_error_name(int err)
{
	/* The runtime refuses these in CreateContainer; the others are the kubelet's. */
	return err == -ENOENT || err == -ERANGE ? "CreateContainerError"
						: "CreateContainerConfigError";
}

/* How the image's USER names its user, to the kubelet. */
enum user_form { USER_NUMBER, USER_NAME, USER_NONE };

/* A group name in the image's /etc/group: its gid's low 32 bits, -ENOENT. */
static int group_lookup(const struct cs_kubelet_image *img, const char *name, long *gid)
{
	long long v;

	if (!img->index)
		return cs_group_lookup(img->group, img->group_len, name, gid);
	if (cs_etc_index_group(img->index, name, &v) < 0)
		return -ENOENT;
	*gid = (long)(uint32_t)v;
	return 0;
}

/* USER's group part: a number, or a name in the image's /etc/group (both runtimes). */
static int image_group(const struct cs_kubelet_image *img, const char *iu, const char *g, long *pg,
		       struct cs_diag *d)
{
	long long v;

	if (cs_go_atoi(g, strlen(g), &v)) {
		if (v < 0 || v > RUNTIME_ID_MAX)
			return cs_diag_set(d, ERANGE, 0, 0, NULL,
					   "image USER '%s': gid out of range (the runtimes take "
					   "0-2147483647)",
					   iu);
		*pg = (long)v;
		return 0;
	}
	if (img->fs_given && group_lookup(img, g, pg) == 0)
		return 0;
	return cs_diag_set(d, ENOENT, 0, 0, NULL, "image USER '%s': group '%s' is a name and %s",
			   iu, g,
			   img->fs_given ? "the image's /etc/group does not list it"
					 : "no --rootfs or --image was given to look it up");
}

/*
 * The image's USER: a number or a name looked up in its passwd, then a
 * group part. An empty user part (":50", ":") is uid 0 in both runtimes
 * (containerd's WithUser keeps 0, runc's GetExecUser takes uid 0's passwd
 * line); the runtime's image status then gives the kubelet neither a uid
 * nor a name, which it takes as root (getImageUser): USER_NONE.
 */
static int image_user(const struct cs_kubelet_image *img, const char *iu, uid_t *uid, long *pg,
		      enum user_form *form, char **unamep, struct cs_diag *d)
{
	const char *colon = strchr(iu, ':');
	size_t ul = colon ? (size_t)(colon - iu) : strlen(iu);
	long pu = -1;
	long long v;
	int r;
	char *uname;

	/* The whole user part (twentieth pass: it was cut to 127 bytes, so a
	 * longer name was looked up by its head, and the message quoted the
	 * head, half an "é" at its end, as if it were the whole name). */
	if (!(uname = *unamep = strndup(iu, ul)))
		return -ENOMEM;
	*form = ul == 0 ? USER_NONE : cs_go_atoi(iu, ul, &v) ? USER_NUMBER : USER_NAME;
	if (*form == USER_NONE) {
		pu = 0;
	} else if (*form == USER_NUMBER) {
		if (v < 0 || v > RUNTIME_ID_MAX)
			return cs_diag_set(d, ERANGE, 0, 0, NULL,
					   "image USER '%s': uid out of range (the runtimes take "
					   "0-2147483647)",
					   uname);
		pu = (long)v;
	} else if (lookup(img, uname, &pu, pg) < 0)
		return cs_diag_set(d, ENOENT, 0, 0, NULL, "image USER '%s' is a name and %s", uname,
				   img->fs_given
				       ? "the image's /etc/passwd does not list it"
				       : "no --rootfs or --image was given to look it up");
	*uid = (uid_t)pu;
	/*
	 * With a kubelet the runtime never sees the group part: the kubelet
	 * passes the image's uid as run_as_user or its name as
	 * run_as_username (determineEffectiveSecurityContext), and an empty
	 * user part as uid 0. Without one (Podman) "name:" keeps the passwd's
	 * group.
	 */
	if (img->whole_user && colon && colon[1] &&
	    (r = image_group(img, iu, colon + 1, pg, d)) < 0)
		return r;
	return 0;
}

static int run_as_non_root(const struct cs_k8s_sc *sc, uid_t uid, enum user_form form,
			   const char *uname, struct cs_steps *st, struct cs_diag *d)
{
	if (!sc->run_as_non_root.set || !sc->run_as_non_root.v)
		return 0;
	if (!sc->run_as_user.set && form == USER_NAME)
		return cs_diag_set(
		    d, EPERM, 0, 0, NULL,
		    "container has runAsNonRoot and image has non-numeric user (%s), "
		    "cannot verify user is non-root",
		    uname);
	if (uid != 0)
		return 0;
	cs_diag_set(d, EPERM, 0, 0, NULL, "%s",
		    sc->run_as_user.set ? "container's runAsUser breaks non-root policy"
					: "container has runAsNonRoot and image will run as root");
	cs_steps_add(st, "pod", "kubelet.run-as-non-root",
		     "the kubelet refuses to start the container: %s", d ? d->message : "");
	return -EPERM;
}

int cs_kubelet_user(const struct cs_k8s_sc *sc, const struct cs_kubelet_image *img, uid_t *uid,
		    gid_t *gid, struct cs_steps *st, struct cs_diag *d)
{
	const struct cs_image_config *cfg = img->config;
	const char *iu = cfg && cfg->user && cfg->user[0] ? cfg->user : NULL;
	long pu = -1, pg = -1;
	enum user_form form = USER_NUMBER;
	cs_cleanup_free char *uname = NULL;
	int r;

	if (img->whole_user && !sc->run_as_user.set && sc->run_as_group.set) {
		/* kube play writes runAsGroup alone as "0:GID" (setupSecurityContext). */
		*uid = 0;
		cs_steps_add(st, "pod", "pod.user",
			     "uid 0: runAsGroup without runAsUser is the user \"0:%lld\" to "
			     "Podman's kube play, whatever the image's USER",
			     (long long)sc->run_as_group.v);
	} else if (sc->run_as_user.set) {
		if (sc->run_as_user.v < 0 || sc->run_as_user.v > UINT32_MAX - 1)
			return cs_diag_set(d, EPERM, 0, 0, NULL, "runAsUser %lld is out of range",
					   (long long)sc->run_as_user.v);
		*uid = (uid_t)sc->run_as_user.v;
		cs_steps_add(st, "pod", "pod.user", "uid %u from runAsUser", (unsigned)*uid);
	} else if (iu) {
		if ((r = image_user(img, iu, uid, &pg, &form, &uname, d)) < 0)
			return r;
		cs_steps_add(st, "pod", "pod.user", "uid %u from the image's USER '%s'",
			     (unsigned)*uid, iu);
	} else {
		*uid = 0;
		if (cfg)
			cs_steps_add(st, "pod", "pod.user",
				     "no runAsUser and the image sets no USER: uid 0 (root)");
		else
			cs_steps_add(
			    st, "pod", "pod.user",
			    "no runAsUser and no image USER given: the image's default, "
			    "root (0), is assumed (pass --image or --image-config to read it)");
	}
	if ((r = run_as_non_root(sc, *uid, form, uname ? uname : "", st, d)) < 0)
		return r;
	if (sc->run_as_group.set) {
		*gid = (gid_t)sc->run_as_group.v;
	} else if (pg >= 0) {
		*gid = (gid_t)pg;
	} else if (img->fs_given) {
		char ub[32];

		snprintf(ub, sizeof(ub), "%u", (unsigned)*uid);
		*gid = lookup(img, ub, &pu, &pg) == 0 ? (gid_t)pg : 0;
	} else {
		*gid = 0;
	}
	return 0;
}

/* The env index of the words' container, built for the first word with a
 * '$' (kubelet-env.c says why). */
struct argv_env {
	struct cs_env_index ix;
	bool built;
};

/*
 * One word of the argv: the text as written (no copy: most hold no '$'), or
 * its $(VAR) expansion, a new string (*own set). 1 when the first '$(' names
 * no variable the model knows (expand says it), else 0 or -ENOMEM.
 */
static int argv_word(const struct cs_k8s_container *c, struct argv_env *env, const char *s,
		     bool expand_it, const char **text, bool *own)
{
	char *x;
	int rc;

	*text = s;
	*own = false;
	if (!expand_it || !strchr(s, '$'))
		return 0;
	if (!env->built && (rc = cs_env_index_build(c, &env->ix)) < 0)
		return rc;
	env->built = true;
	if ((rc = cs_kubelet_expand_indexed(c, &env->ix, s, &x)) != 0)
		return rc; /* 1: kept as written */
	*text = x;
	*own = true;
	return 0;
}

/* The words already packed, by their source string: open addressing. */
struct word_seen {
	struct {
		const char *s;
		size_t at;
	} * v;
	size_t n, cap;
};

/* Its slot: found, or taken for (s, at). */
static size_t same_word_put(struct word_seen *w, const char *s, size_t at)
{
	size_t i = (((uintptr_t)s * 0x9e3779b97f4a7c15u) >> 16) & (w->cap - 1);

	while (w->v[i].s && w->v[i].s != s)
		i = (i + 1) & (w->cap - 1);
	if (!w->v[i].s) {
		w->v[i].s = s;
		w->v[i].at = at;
		w->n++;
	}
	return i;
}

/* Words shorter than this are packed each time they come. */
#define SHARE_MIN 64

/*
 * The first word that has the source string s, word i's (i itself when
 * none before it; SIZE_MAX: out of memory). Only words as written: an
 * expansion is its own string.
 */
static size_t same_word(const char *s, size_t i, struct word_seen *w)
{
	size_t h;

	if (2 * (w->n + 1) > w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 64;
		struct word_seen g = {calloc(cap, sizeof(*g.v)), 0, cap};

		if (!g.v)
			return SIZE_MAX;
		for (size_t k = 0; k < w->cap; k++)
			if (w->v[k].s)
				(void)same_word_put(&g, w->v[k].s, w->v[k].at);
		free(w->v);
		*w = g;
	}
	h = same_word_put(w, s, i);
	return w->v[h].at;
}

/*
 * execve's own bounds on the strings it copies (fs/exec.c, 4 KiB pages):
 * one string of MAX_ARG_STRLEN (32 pages) or more with its NUL, or argv and
 * envp, their NULs and their pointers, past bprm_stack_limits's limit (a
 * quarter of RLIMIT_STACK, never more than _STK_LIM / 4 * 3 = 6 MiB): E2BIG,
 * "argument list too long". The limit depends on the stack rlimit the
 * runtime leaves and the environment on what the kubelet adds, so only what
 * fails whatever they are is certain: one word of 128 KiB or more, or the
 * words and their pointers alone past 6 MiB (internal/exec-strings.h).
 *
 * The expansions of one command line stop once the words known exactly
 * (as written without '$', the image's, or expanded) and their pointers pass
 * CS_EXEC_TOTAL_MAX: execve then fails whatever follows, so the later words are
 * kept as written and the cut changes no prediction. Each word is bounded
 * (64 KiB), their number is not: 20,000 args "$(E)" with a 60 KB E in a
 * 220 KB AdmissionReview held 2.4 GB in the webhook (fifteenth pass).
 */
int cs_kubelet_argv(const struct cs_k8s_container *c, const struct cs_image_config *img,
		    const char ***argv, size_t *n)
{
	const struct cs_strlist *cmd = c->command.n ? &c->command : img ? &img->entrypoint : NULL;
	const struct cs_strlist *args = c->args.n		 ? &c->args
					: (!c->command.n && img) ? &img->cmd
								 : NULL;
	size_t total = (cmd ? cmd->n : 0) + (args ? args->n : 0), k = 0, bytes;
	/* Each word as written or expanded, then packed into one block: the
	 * words were each copied before (a 390,000-arg review held three
	 * copies of its args at once, session 12). */
	const char **text = calloc(total + 1, sizeof(*text));
	bool *own = calloc(total + 1, sizeof(*own));
	const char **v = NULL;
	/* The words known exactly, with their NULs and pointers (argc 0 counts one). */
	size_t known = (total ? total : 1) * sizeof(char *);
	bool too_long = false;
	struct word_seen seen = {0};
	struct argv_env env = {0};
	char *at;
	int unknown0 = 0, rc = 0;

	if (!text || !own) {
		free(text);
		free(own);
		return -ENOMEM;
	}
	/* The kubelet expands the pod's own command and args, never the image's. */
	for (size_t i = 0; rc >= 0 && i < total; i++) {
		bool from_cmd = cmd && i < cmd->n;
		const struct cs_strlist *l = from_cmd ? cmd : args;
		const char *s = l->v[from_cmd ? i : i - (cmd ? cmd->n : 0)];

		bool pods = l == &c->command || l == &c->args;

		bool cut = known > CS_EXEC_TOTAL_MAX;

		rc = argv_word(c, &env, s, pods && !cut, &text[i], &own[i]);
		if (rc == 1) {
			unknown0 |= i == 0;
			rc = 0;
		}
		/* Exact: expanded, or holding no '$' (or the image's: never expanded). */
		if (rc >= 0 && (own[i] || !pods || !strchr(s, '$'))) {
			size_t len = strlen(text[i]) + 1;

			too_long |= len > CS_EXEC_STRLEN_MAX;
			known += len;
		}
	}
	/* A long word read through YAML aliases is the manifest's one string
	 * (manifest-read.c mf_copy): packed once, where 40,000 aliases of a
	 * 10 KB string made a 400 MB block (fifteenth pass). Short words are
	 * not looked up: a copy each costs no more than a few times the text
	 * that names it, and a table of 390,000 args cost 16 MB. */
	bytes = (total + 1) * sizeof(*v);
	for (size_t i = 0; rc >= 0 && i < total; i++) {
		size_t l = strlen(text[i]),
		       from = own[i] || l < SHARE_MIN ? i : same_word(text[i], i, &seen);

		if (from == SIZE_MAX)
			rc = -ENOMEM;
		else if (from == i)
			bytes += l + 1;
	}
	if (rc >= 0 && !(v = malloc(bytes)))
		rc = -ENOMEM;
	for (at = v ? (char *)(v + total + 1) : NULL; v && k < total; k++) {
		size_t l = strlen(text[k]) + 1, first = k;

		if (!own[k] && l > SHARE_MIN) /* put in the table by the loop above */
			first = seen.v[same_word_put(&seen, text[k], k)].at;
		if (first != k) {
			v[k] = v[first];
			continue;
		}
		v[k] = memcpy(at, text[k], l);
		at += l;
	}
	if (v)
		v[k] = NULL;
	for (size_t i = 0; i < total; i++)
		if (own[i])
			free((char *)text[i]);
	free(text);
	free(own);
	free(seen.v);
	cs_env_index_free(&env.ix);
	if (rc < 0)
		return rc;
	*argv = v;
	*n = k;
	return unknown0 | (too_long || known > CS_EXEC_TOTAL_MAX ? 2 : 0);
}

bool cs_k8s_api_rejects(const struct cs_k8s_sc *sc, struct cs_diag *d)
{
	bool priv = sc->privileged.set && sc->privileged.v;
	bool ape_false = sc->allow_privilege_escalation.set && !sc->allow_privilege_escalation.v;

	if (!ape_false || !(priv || (sc->caps_set && cs_strlist_has(&sc->add, "CAP_SYS_ADMIN"))))
		return false;
	cs_diag_set(d, EINVAL, 0, 0, NULL,
		    "the API server rejects the pod: cannot set allowPrivilegeEscalation to false "
		    "and %s",
		    priv ? "privileged to true" : "capabilities.add CAP_SYS_ADMIN");
	return true;
}

static bool bad_id(const struct cs_opt_i64 *v)
{
	return v->set && (v->v < 0 || v->v > RUNTIME_ID_MAX);
}

static bool reject_id(const char *who, const char *field, int64_t v, struct cs_diag *d)
{
	cs_diag_set(d, EINVAL, 0, 0, NULL,
		    "the API server rejects the pod: %s%s %lld: must be between 0 and "
		    "2147483647, inclusive",
		    who, field, (long long)v);
	return true;
}

bool cs_k8s_api_rejects_ids(const struct cs_k8s_pod *pod, struct cs_diag *d)
{
	const char *policy = pod->supplemental_groups_policy;

	/* validateSupplementalGroupsPolicy: the two values, spelled exactly. */
	if (policy && strcmp(policy, "Merge") && strcmp(policy, "Strict")) {
		cs_diag_set(
		    d, EINVAL, 0, 0, NULL,
		    "the API server rejects the pod: securityContext.supplementalGroupsPolicy: "
		    "Unsupported value: \"%s\": supported values: \"Merge\", \"Strict\"",
		    policy);
		return true;
	}
	if (bad_id(&pod->run_as_user))
		return reject_id("", "securityContext.runAsUser", pod->run_as_user.v, d);
	if (bad_id(&pod->run_as_group))
		return reject_id("", "securityContext.runAsGroup", pod->run_as_group.v, d);
	if (bad_id(&pod->fs_group))
		return reject_id("", "securityContext.fsGroup", pod->fs_group.v, d);
	for (size_t i = 0; i < pod->n_supplemental_groups; i++) {
		struct cs_opt_i64 g = {true, pod->supplemental_groups[i]};

		if (bad_id(&g))
			return reject_id("", "securityContext.supplementalGroups", g.v, d);
	}
	for (size_t i = 0; i < pod->n_containers; i++) {
		const struct cs_k8s_container *c = &pod->containers[i];
		/* Raw: every writer escapes the reason (the one rule, JSON, HTML). */
		const char *who = c->name ? c->name : "";

		if (!c->has_sc)
			continue;
		if (bad_id(&c->sc.run_as_user))
			return reject_id(who, ": securityContext.runAsUser", c->sc.run_as_user.v,
					 d);
		if (bad_id(&c->sc.run_as_group))
			return reject_id(who, ": securityContext.runAsGroup", c->sc.run_as_group.v,
					 d);
	}
	return false;
}

bool cs_kubelet_no_new_privs(const struct cs_k8s_sc *sc)
{
	bool priv = sc->privileged.set && sc->privileged.v;

	return sc->allow_privilege_escalation.set && !sc->allow_privilege_escalation.v && !priv;
}
