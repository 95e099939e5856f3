/* SPDX-License-Identifier: MIT */
/*
 * An object's metadata as the API server's ValidateObjectMeta checks it
 * (k8s.io/apimachinery api/validation/objectmeta.go, with the core
 * group's finalizer rule): generateName and name as DNS subdomains, label
 * keys and values, annotation keys and their total size, finalizers and
 * ownerReferences; a pod template's
 * metadata (ValidatePodTemplateSpec) its labels and annotations only.
 * Twenty-seventh pass, part H: an SCC's; twenty-eighth, part H: a Pod's,
 * a workload's and its pod template's, which were read without a word, so
 * a pod the server refuses for a label was explained as if it ran.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns-name.h"
#include "manifest-read.h"
#include "../internal/cleanup.h"
#include "../internal/util.h"

/* apimachinery's TotalAnnotationSizeLimitB: the keys' and values' bytes. */
#define ANNOTATIONS_MAX (256 * 1024)

static bool alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9], or empty: a label value's and
 * a qualified name's name part (the caller refuses an empty name part). */
static bool qualified_chars(const char *s, size_t n)
{
	if (n == 0)
		return true;
	if (!alnum(s[0]) || !alnum(s[n - 1]))
		return false;
	for (size_t i = 1; i + 1 < n; i++)
		if (!alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
	return true;
}

/* IsQualifiedName: [prefix/]name, the prefix a DNS-1123 subdomain, the
 * name at most 63 bytes. NULL if s is one, else the server's reason. */
static const char *qualified_name(const char *s, size_t n)
{
	const char *slash = memchr(s, '/', n);
	const char *name = s;
	size_t nl = n;

	if (slash) {
		size_t pl = (size_t)(slash - s);
		char prefix[254];

		if (memchr(slash + 1, '/', n - pl - 1))
			return "a qualified name is an optional DNS subdomain prefix, '/' and a "
			       "name: one '/' at most";
		if (pl == 0)
			return "prefix part must be non-empty";
		if (pl > 253)
			return "prefix part must be no more than 253 characters";
		memcpy(prefix, s, pl);
		prefix[pl] = '\0';
		if (memchr(s, '\0', pl) || !cs_k8s_dns_subdomain(prefix))
			return "prefix part must be a lowercase RFC 1123 subdomain: lower-case "
			       "letters, "
			       "digits, '-' and '.', each part starting and ending with a letter "
			       "or digit";
		name = slash + 1;
		nl = n - pl - 1;
	}
	if (nl == 0)
		return "name part must be non-empty";
	if (nl > 63)
		return "name part must be no more than 63 characters";
	if (!qualified_chars(name, nl))
		return "name part must consist of alphanumeric characters, '-', '_' or '.', and "
		       "must start and end with an alphanumeric character";
	return NULL;
}

/*
 * Go's strings.ToLower of a key into out (n bytes at least): ValidateAnnotations
 * checks the lowered key, and Go's simple case mapping lowers two runes
 * outside ASCII to ASCII letters: U+212A KELVIN SIGN to 'k' and U+0130
 * (capital I with dot above) to 'i'. The server takes an annotation key
 * written with them ("\u212A8s.io/a" is k8s.io/a to it); others stay what
 * they were, refused as before. Returns the lowered length (never longer).
 */
static size_t go_lower(const char *s, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch >= 'A' && ch <= 'Z') {
			out[o++] = (char)(ch - 'A' + 'a');
		} else if (ch == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x84 &&
			   (unsigned char)s[i + 2] == 0xaa) {
			out[o++] = 'k';
			i += 2;
		} else if (ch == 0xc4 && i + 1 < n && (unsigned char)s[i + 1] == 0xb0) {
			out[o++] = 'i';
			i += 1;
		} else {
			out[o++] = (char)ch;
		}
	}
	return o;
}

/* What is refused: "the SCC", "the pod", "the Deployment". */
struct meta_ctx {
	struct mf_ctx *c;
	const char *path; /* "metadata", "spec.template.metadata" */
	const char *object;
};

/* One pair of labels or annotations (what: "labels"): the key a scalar,
 * the value a string (*v, NULL for null), then the key a qualified name:
 * the server decodes the whole object before it validates any of it, so a
 * value of the wrong type is said first. The value's field holds its key
 * whole, cut only by the buffer (thirteenth pass: marked when cut). */
static int meta_pair(const struct meta_ctx *m, struct ydoc_pair *kv, const char *what, bool lower,
		     const char **k, size_t *kl, const char **v, char *vf, size_t vfl)
{
	struct ydoc_node *key = kv->key;
	cs_cleanup_free char *low = NULL;
	const char *why;
	char f[192];
	int r;

	mf_fieldf(f, sizeof(f), "%s.%s", m->path, what);
	if ((r = mf_visit(m->c, &key, f)) < 0 || (r = mf_field_key(m->c, key, f, k, kl)) < 0 ||
	    (r = mf_node_str(m->c, kv->value,
			     mf_fieldf(vf, vfl, "%s.%s.%.*s", m->path, what, (int)*kl, *k), v)) < 0)
		return r;
	mf_fieldf(f, sizeof(f), "%s.%s.%.*s%s", m->path, what, CS_MSG_CUT(*k, *kl, 64));
	if (lower) { /* as ValidateAnnotations: the key lowered first */
		if (!(low = malloc(*kl + 1)))
			return -ENOMEM;
		why = qualified_name(low, go_lower(*k, *kl, low));
	} else {
		why = qualified_name(*k, *kl);
	}
	if (!why)
		return 0;
	return mf_errf(m->c, key, EINVAL, f,
		       "Invalid value \"%.*s%s\": %s (the API server refuses the %s)",
		       CS_MSG_CUT(*k, *kl, 64), why, m->object);
}

static int labels(const struct meta_ctx *m, struct ydoc_node *map)
{
	for (uint32_t i = 0; i < map->n; i++) {
		const char *k, *v;
		size_t kl, vl;
		char f[160];
		int r;

		if ((r = meta_pair(m, &map->u.pairs[i], "labels", false, &k, &kl, &v, f,
				   sizeof(f))) < 0)
			return r;
		vl = v ? strlen(v) : 0;
		if (vl <= 63 && qualified_chars(v, vl))
			continue;
		return mf_errf(
		    m->c, map->u.pairs[i].value, EINVAL,
		    mf_fieldf(f, sizeof(f), "%s.labels.%.*s%s", m->path, CS_MSG_CUT(k, kl, 64)),
		    "Invalid value \"%.*s%s\": %s (the API server refuses the %s)",
		    CS_MSG_CUT(v, vl, 64),
		    vl > 63 ? "must be no more than 63 characters"
			    : "a valid label must be an empty string or consist of "
			      "alphanumeric characters, '-', '_' or '.', and must start "
			      "and end with an alphanumeric character",
		    m->object);
	}
	return 0;
}

static int annotations(const struct meta_ctx *m, struct ydoc_node *ann, struct ydoc_node *at)
{
	uint64_t total = 0;
	char f[160];

	for (uint32_t i = 0; i < ann->n; i++) {
		const char *k, *v;
		size_t kl;
		int r;

		if ((r = meta_pair(m, &ann->u.pairs[i], "annotations", true, &k, &kl, &v, f,
				   sizeof(f))) < 0)
			return r;
		total += kl + (v ? strlen(v) : 0);
	}
	if (total <= ANNOTATIONS_MAX)
		return 0;
	return mf_errf(m->c, at, EINVAL, mf_fieldf(f, sizeof(f), "%s.annotations", m->path),
		       "Too long: must have at most %d bytes of keys and values, these have "
		       "%llu (the API server refuses the %s)",
		       ANNOTATIONS_MAX, (unsigned long long)total, m->object);
}

/* NameIsDNSSubdomain(s, prefix): NULL when the server takes s, else its
 * reason. A prefix (generateName) ending in '-' is checked as
 * maskTrailingDash leaves it: the last two bytes "a" (the server appends
 * five random characters to it). */
static const char *name_why(const char *s, bool prefix)
{
	size_t n = strlen(s);
	char masked[256];

	if (prefix && n > 1 && s[n - 1] == '-' && n <= 254) {
		memcpy(masked, s, n - 2);
		masked[n - 2] = 'a';
		masked[n - 1] = '\0';
		s = masked;
	}
	return cs_k8s_dns_subdomain_why(s);
}

static int name_rule(const struct meta_ctx *m, struct ydoc_node *meta, const char *key, bool prefix)
{
	const char *v, *why;
	char f[192];
	int r;

	mf_fieldf(f, sizeof(f), "%s.%s", m->path, key);
	if ((r = mf_get_str(m->c, meta, key, f, &v)) < 0 || !v || !*v ||
	    !(why = name_why(v, prefix)))
		return r;
	return mf_errf(m->c, ydoc_get(meta, key), EINVAL, f,
		       "Invalid value \"%.*s%s\": %s (the API server refuses the %s)",
		       CS_MSG_CUTS(v, 48), why, m->object);
}

/* The finalizers the core group knows by a bare name (IsStandardFinalizerName). */
static bool standard_finalizer(const char *s)
{
	return !strcmp(s, "kubernetes") || !strcmp(s, "orphan") || !strcmp(s, "foregroundDeletion");
}

/* ValidateFinalizers: each a qualified name, a bare one a standard one
 * (the core group's validateKubeFinalizerName), not orphan and
 * foregroundDeletion both. */
static int finalizers(const struct meta_ctx *m, struct ydoc_node *seq)
{
	bool orphan = false, foreground = false;
	char f[192];

	for (uint32_t i = 0; i < seq->n; i++) {
		struct ydoc_node *it = seq->u.items[i];
		const char *v, *why;
		int r;

		mf_fieldf(f, sizeof(f), "%s.finalizers[%u]", m->path, i);
		if ((r = mf_visit(m->c, &it, f)) < 0 || (r = mf_node_str(m->c, it, f, &v)) < 0)
			return r;
		v = v ? v : "";
		why = qualified_name(v, strlen(v));
		if (!why && !strchr(v, '/') && !standard_finalizer(v))
			why = "name is neither a standard finalizer name nor is it fully "
			      "qualified";
		if (why)
			return mf_errf(
			    m->c, it, EINVAL, f,
			    "Invalid value \"%.*s%s\": %s (the API server refuses the %s)",
			    CS_MSG_CUTS(v, 48), why, m->object);
		orphan |= !strcmp(v, "orphan");
		foreground |= !strcmp(v, "foregroundDeletion");
		if (orphan && foreground)
			return mf_errf(
			    m->c, it, EINVAL, mf_fieldf(f, sizeof(f), "%s.finalizers", m->path),
			    "Invalid value: finalizer orphan and foregroundDeletion cannot "
			    "be both set (the API server refuses the %s)",
			    m->object);
	}
	return 0;
}

/* ValidateOwnerReferences: apiVersion with a version, kind, name and uid
 * not empty, no Event as an owner, one controller at most. */
static int owner_references(const struct meta_ctx *m, struct ydoc_node *seq)
{
	const char *ckind = NULL, *cname = NULL;
	char f[192];

	for (uint32_t i = 0; i < seq->n; i++) {
		struct ydoc_node *it = seq->u.items[i];
		static const char *const keys[] = {"apiVersion", "kind", "name", "uid"};
		const char *v[4];
		struct cs_opt_bool ctl;
		int r;

		mf_fieldf(f, sizeof(f), "%s.ownerReferences[%u]", m->path, i);
		if ((r = mf_visit(m->c, &it, f)) < 0 || (r = mf_need_map(m->c, it, f)) < 0)
			return r;
		for (size_t k = 0; k < 4; k++) {
			char g[224];
			const char *av;

			mf_fieldf(g, sizeof(g), "%s.%s", f, keys[k]);
			if ((r = mf_get_str(m->c, it, keys[k], g, &v[k])) < 0)
				return r;
			/* schema.FromAPIVersionAndKind: "group/version" or "version" */
			av = k == 0 && v[0] && strchr(v[0], '/') ? strchr(v[0], '/') + 1 : v[k];
			if (!av || !*av)
				return mf_errf(
				    m->c, ydoc_get(it, keys[k]) ? ydoc_get(it, keys[k]) : it,
				    EINVAL, g,
				    "Invalid value \"%.*s%s\": %s (the API server "
				    "refuses the %s)",
				    CS_MSG_CUTS(v[k] ? v[k] : "", 48),
				    k ? "must not be empty" : "version must not be empty",
				    m->object);
		}
		if ((!strcmp(v[0], "v1") || !strcmp(v[0], "/v1")) && !strcmp(v[1], "Event"))
			return mf_errf(m->c, it, EINVAL, f,
				       "Invalid value: /v1, Kind=Event is disallowed from being an "
				       "owner (the API server refuses the %s)",
				       m->object);
		mf_fieldf(f, sizeof(f), "%s.ownerReferences[%u].controller", m->path, i);
		if ((r = mf_get_bool(m->c, it, "controller", f, &ctl)) < 0)
			return r;
		if (!ctl.set || !ctl.v)
			continue;
		if (cname)
			return mf_errf(
			    m->c, ydoc_get(it, "controller"), EINVAL, f,
			    "Only one reference can have Controller set to true: found in "
			    "%.*s%s/%.*s%s and %.*s%s/%.*s%s (the API server refuses the %s)",
			    CS_MSG_CUTS(ckind, 24), CS_MSG_CUTS(cname, 24), CS_MSG_CUTS(v[1], 24),
			    CS_MSG_CUTS(v[2], 24), m->object);
		ckind = v[1];
		cname = v[2];
	}
	return 0;
}

int mf_check_object_meta(struct mf_ctx *c, struct ydoc_node *meta, const char *path,
			 const struct mf_meta_rules *rules, bool *generated)
{
	struct meta_ctx m = {c, path, rules->object};
	struct ydoc_node *n;
	const char *g;
	char f[192];
	int r;

	if (generated)
		*generated = false;
	if (!meta)
		return 0;
	if (!rules->template) {
		if ((r = name_rule(&m, meta, "generateName", true)) < 0 ||
		    (rules->names && (r = name_rule(&m, meta, "name", false)) < 0))
			return r;
		if ((r = mf_get_str(c, meta, "generateName",
				    mf_fieldf(f, sizeof(f), "%s.generateName", path), &g)) < 0)
			return r;
		if (generated)
			*generated = g && *g;
	}
	if ((r = mf_get_map(c, meta, "labels", mf_fieldf(f, sizeof(f), "%s.labels", path), &n)) <
		0 ||
	    (n && (r = labels(&m, n)) < 0))
		return r;
	if ((r = mf_get_map(c, meta, "annotations", mf_fieldf(f, sizeof(f), "%s.annotations", path),
			    &n)) < 0 ||
	    (n && (r = annotations(&m, n, ydoc_get(meta, "annotations"))) < 0))
		return r;
	if (rules->template)
		return 0;
	if ((r = mf_get_seq(c, meta, "ownerReferences",
			    mf_fieldf(f, sizeof(f), "%s.ownerReferences", path), &n)) < 0 ||
	    (n && (r = owner_references(&m, n)) < 0))
		return r;
	if ((r = mf_get_seq(c, meta, "finalizers", mf_fieldf(f, sizeof(f), "%s.finalizers", path),
			    &n)) < 0 ||
	    (n && (r = finalizers(&m, n)) < 0))
		return r;
	return 0;
}
