/* SPDX-License-Identifier: MIT */
/*
 * The API server's rules on a pod's AppArmor and seccomp annotations
 * (ValidateAppArmorPodAnnotations, the annotation-against-field checks on
 * create): a pod they refuse was read and predicted.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "manifest-read.h"
#include "../internal/util.h"

/*
 * check_appArmorProfile.go's other half: an annotation
 * container.apparmor.security.beta.kubernetes.io/NAME of the pod (template)
 * whose value is not empty, runtime/default or localhost/... fails
 * baseline (`unconfined` is the usual one). Kept as "KEY=VALUE".
 */
static int cmp_ctr(const void *a, const void *b)
{
	return strcmp((*(const struct cs_k8s_container *const *)a)->name,
		      (*(const struct cs_k8s_container *const *)b)->name);
}

/* The pod's named containers, sorted by name (NULL with no memory): looked
 * up once for each annotation, so 20,000 of them on 20,000 containers are
 * not 4e8 comparisons. */
static const struct cs_k8s_container **sorted_ctrs(struct mf_ctx *c, const struct cs_k8s_pod *p,
						   size_t *n)
{
	const struct cs_k8s_container **v =
	    cs_arena_alloc(c->m->arena, (p->n_containers + 1) * sizeof(*v));

	*n = 0;
	for (size_t i = 0; v && i < p->n_containers; i++)
		if (p->containers[i].name)
			v[(*n)++] = &p->containers[i];
	if (v)
		qsort(v, *n, sizeof(*v), cmp_ctr);
	return v;
}

/*
 * validateAppArmorAnnotationsAndFieldsMatchOnCreate (pkg/apis/core/
 * validation, a Pod's create and every pod template): a container whose
 * appArmorProfile (its own, else the pod's) is set and that also has an
 * annotation must be told the same thing by both: Unconfined and
 * "unconfined", RuntimeDefault and "runtime/default", Localhost and
 * "localhost/" + its localhostProfile. The API server refuses the pod
 * ("Forbidden: apparmor type (profile) in annotation and field must
 * match"); read, capscope judged the annotation and the field apart.
 * A Pod (not a template) is first given, where its container has no
 * field of its own, the field its annotation names (pkg/api/pod
 * applyAppArmorVersionSkew, run by PrepareForCreate before validation),
 * so there only an annotation that names no valid profile ("",
 * "localhost/") can disagree with the pod's field.
 */
static bool derivable(const char *v)
{
	const char *n;

	if (!strcmp(v, "runtime/default") || !strcmp(v, "unconfined"))
		return true;
	if (strncmp(v, "localhost/", 10) != 0)
		return false;
	n = v + 10;
	return *n && !cs_go_padded(n, strlen(n)) && strlen(n) <= 4095;
}

static int apparmor_match(struct mf_ctx *c, struct ydoc_node *at, const char *f,
			  const struct cs_k8s_pod *p, const struct cs_k8s_container *ct,
			  const char *v)
{
	const char *type = p->apparmor_type, *local = p->apparmor_local;
	bool own = ct->has_sc && ct->sc.apparmor_type;

	if (own) {
		type = ct->sc.apparmor_type;
		local = ct->sc.apparmor_local;
	}
	if (!type || (p->os_name && !strcmp(p->os_name, "windows")))
		return 0;
	if (!own && p->kind && !strcmp(p->kind, "Pod") && derivable(v))
		return 0;
	if ((!strcmp(type, "Unconfined") && strcmp(v, "unconfined") != 0) ||
	    (!strcmp(type, "RuntimeDefault") && strcmp(v, "runtime/default") != 0) ||
	    (!strcmp(type, "Localhost") && strncmp(v, "localhost/", 10) != 0))
		return mf_errf(
		    c, at, EINVAL, f,
		    "Forbidden: apparmor type in annotation and field must match (\"%s\" "
		    "against appArmorProfile type %s of container %s): the API server "
		    "refuses the pod",
		    v, type, ct->name);
	if (!strcmp(type, "Localhost") && (!local || strcmp(v + 10, local) != 0))
		return mf_errf(c, at, EINVAL, f,
			       "Forbidden: apparmor profile in annotation and field must match "
			       "(\"%s\" against localhostProfile \"%s\" of container %s): the API "
			       "server refuses the pod",
			       v, local ? local : "", ct->name);
	return 0;
}

/*
 * One annotation whose key a rule reads (k's text is kt, kl bytes): its key
 * as a string of the document's arena, its field path in f and its value,
 * which must be a string. A NUL in the key is refused: the rules compare
 * C strings, and the API server's names hold none.
 */
static int annotation_entry(struct mf_ctx *c, const struct ydoc_pair *kv, const char *tpath,
			    char *f, size_t fsize, const char **key, const char **v)
{
	size_t kl;
	const char *kt = scalar_text(kv->key, &kl);

	if (memchr(kt, '\0', kl))
		return mf_errf(c, kv->key, EINVAL, mf_fieldf(f, fsize, "%s.annotations", tpath),
			       "a key holds a NUL byte");
	if (!(*key = cs_arena_strndup(c->m->arena, kt, kl)))
		return -ENOMEM;
	mf_fieldf(f, fsize, "%s.annotations.%s", tpath, *key);
	return mf_node_str(c, kv->value, f, v);
}

/* Read after the pod's spec: a key names one of its containers. */
int mf_get_apparmor_annotations(struct mf_ctx *c, struct ydoc_node *ann, const char *tpath,
				struct cs_k8s_pod *p)
{
	static const char prefix[] = "container.apparmor.security.beta.kubernetes.io/";
	const size_t pl = sizeof(prefix) - 1;
	const struct cs_k8s_container **ctrs = NULL, *const * hit;
	size_t nn = 0;
	char f[160], cl[CS_CLIP];
	int r;

	/* room for every annotation at once: grown one by one, it was quadratic */
	if (!ann || !ann->n ||
	    !(p->apparmor_bad.v = cs_arena_alloc(c->m->arena, ann->n * sizeof(char *))))
		return ann && ann->n ? -ENOMEM : 0;
	for (uint32_t i = 0; i < ann->n; i++) {
		struct ydoc_node *k = ann->u.pairs[i].key;
		const char *kt, *v, *key;
		char *kv;
		size_t kl;

		if (!is_scalar(k) || (kt = scalar_text(k, &kl), kl < pl) || memcmp(kt, prefix, pl))
			continue;
		if ((r = annotation_entry(c, &ann->u.pairs[i], tpath, f, sizeof(f), &key, &v)) < 0)
			return r;
		/* Thirteenth pass, second round: the API server's
		 * ValidateAppArmorPodAnnotations refuses a name that is no
		 * container of the pod and a value not of the four forms; both
		 * were read (and "foo" called a baseline failure). */
		if (!ctrs && !(ctrs = sorted_ctrs(c, p, &nn)))
			return -ENOMEM;
		if (!(hit = bsearch(&(const struct cs_k8s_container *){&(struct cs_k8s_container){
					.name = key + pl}},
				    ctrs, nn, sizeof(*ctrs), cmp_ctr)))
			return mf_errf(c, k, EINVAL, f,
				       "Invalid value \"%s\": container not found (the API server "
				       "refuses the pod)",
				       cs_clip(cl, sizeof(cl), key + pl));
		if (v && *v && strcmp(v, "runtime/default") != 0 && strcmp(v, "unconfined") != 0 &&
		    strncmp(v, "localhost/", 10) != 0)
			return mf_errf(
			    c, ann->u.pairs[i].value, EINVAL, f,
			    "Invalid value \"%s\": invalid AppArmor profile name (the API "
			    "server takes runtime/default, unconfined or localhost/NAME)",
			    cs_clip(cl, sizeof(cl), v));
		if ((r = apparmor_match(c, ann->u.pairs[i].value, f, p, *hit, v ? v : "")) < 0)
			return r;
		if (!v || !*v || !strcmp(v, "runtime/default") || !strncmp(v, "localhost/", 10))
			continue;
		if (!(kv = cs_arena_alloc(c->m->arena, kl + strlen(v) + 2)))
			return -ENOMEM;
		sprintf(kv, "%s=%s", key, v);
		p->apparmor_bad.v[p->apparmor_bad.n++] = kv;
	}
	return 0;
}

/*
 * The seccomp annotations the API server still validates, though nothing
 * reads them since 1.27 (pkg/apis/core/validation): the pod's
 * seccomp.security.alpha.kubernetes.io/pod and any
 * container.seccomp.security.alpha.kubernetes.io/NAME must be
 * runtime/default, docker/default, unconfined or localhost/ + a relative
 * path without ".." (ValidateSeccompPodAnnotations: "must be a valid
 * seccomp profile"), and where the pod's field, or the named container's
 * own field, is set too, the two must agree
 * (validateSeccompAnnotationsAndFields: "seccomp type (profile) in
 * annotation and field must match"), for a Pod and a pod template alike.
 * Each was read and predicted.
 */
static int seccomp_annotation(struct mf_ctx *c, struct ydoc_node *at, const char *f, const char *v,
			      const char *type, const char *local)
{
	char cl[CS_CLIP];
	bool lh = !strncmp(v, "localhost/", 10);
	const char *n = lh ? v + 10 : "";

	if (strcmp(v, "runtime/default") != 0 && strcmp(v, "docker/default") != 0 &&
	    strcmp(v, "unconfined") != 0 && !lh)
		return mf_errf(
		    c, at, EINVAL, f,
		    "Invalid value \"%s\": must be a valid seccomp profile (the API server "
		    "refuses the pod)",
		    cs_clip(cl, sizeof(cl), v));
	if (lh && (*n == '/' || mf_has_dotdot(n)))
		return mf_errf(
		    c, at, EINVAL, f,
		    "Invalid value \"%s\": must be a relative path without '..' (the API "
		    "server refuses the pod)",
		    cs_clip(cl, sizeof(cl), n));
	if (!type)
		return 0;
	if ((!strcmp(type, "Unconfined") && strcmp(v, "unconfined") != 0) ||
	    (!strcmp(type, "RuntimeDefault") && strcmp(v, "runtime/default") != 0 &&
	     strcmp(v, "docker/default") != 0) ||
	    (!strcmp(type, "Localhost") && !lh))
		return mf_errf(c, at, EINVAL, f,
			       "Forbidden: seccomp type in annotation and field must match (\"%s\" "
			       "against seccompProfile type %s): the API server refuses the pod",
			       v, type);
	if (!strcmp(type, "Localhost") && (!local || strcmp(n, local) != 0))
		return mf_errf(
		    c, at, EINVAL, f,
		    "Forbidden: seccomp profile in annotation and field must match (\"%s\" "
		    "against localhostProfile \"%s\"): the API server refuses the pod",
		    v, local ? local : "");
	return 0;
}

int mf_get_seccomp_annotations(struct mf_ctx *c, struct ydoc_node *ann, const char *tpath,
			       const struct cs_k8s_pod *p)
{
	static const char pod_key[] = "seccomp.security.alpha.kubernetes.io/pod";
	static const char prefix[] = "container.seccomp.security.alpha.kubernetes.io/";
	const size_t pl = sizeof(prefix) - 1;
	const struct cs_k8s_container **ctrs = NULL, *const * hit;
	size_t nn = 0;
	char f[160];
	int r;

	for (uint32_t i = 0; ann && i < ann->n; i++) {
		struct ydoc_node *k = ann->u.pairs[i].key;
		const char *kt, *v, *key, *type = NULL, *local = NULL;
		size_t kl;
		bool pod;

		if (!is_scalar(k))
			continue;
		kt = scalar_text(k, &kl);
		pod = kl == sizeof(pod_key) - 1 && !memcmp(kt, pod_key, kl);
		if (!pod && (kl < pl || memcmp(kt, prefix, pl)))
			continue;
		if ((r = annotation_entry(c, &ann->u.pairs[i], tpath, f, sizeof(f), &key, &v)) < 0)
			return r;
		if (pod) {
			type = p->seccomp_type;
			local = p->seccomp_local;
		} else {
			if (!ctrs && !(ctrs = sorted_ctrs(c, p, &nn)))
				return -ENOMEM;
			hit = bsearch(&(const struct cs_k8s_container *){&(struct cs_k8s_container){
					  .name = key + pl}},
				      ctrs, nn, sizeof(*ctrs), cmp_ctr);
			if (hit && (*hit)->has_sc) {
				type = (*hit)->sc.seccomp_type;
				local = (*hit)->sc.seccomp_local;
			}
		}
		if ((r = seccomp_annotation(c, ann->u.pairs[i].value, f, v ? v : "", type, local)) <
		    0)
			return r;
	}
	return 0;
}
