/* SPDX-License-Identifier: MIT */
/*
 * An SCC's metadata as ValidateSecurityContextConstraints checks it
 * (ValidateObjectMeta of k8s.io/apimachinery, cluster-scoped): label keys
 * and values, annotation keys and their total size, generateName. Before
 * the twenty-seventh pass (part H) these were read without a word: an SCC
 * the server refuses was loaded and admitted pods. The name itself is
 * checked by manifest-scc.c.
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

/* One key of labels or annotations: a scalar, a qualified name (lower:
 * lowered first, as ValidateAnnotations does). */
static int meta_key(struct mf_ctx *c, struct ydoc_node *key, const char *what, bool lower,
		    const char **k, size_t *kl)
{
	cs_cleanup_free char *low = NULL;
	const char *why;
	char f[128];
	int r;

	if ((r = mf_visit(c, &key, what)) < 0 || (r = mf_field_key(c, key, what, k, kl)) < 0)
		return r;
	if (lower) {
		if (!(low = malloc(*kl + 1)))
			return -ENOMEM;
		why = qualified_name(low, go_lower(*k, *kl, low));
	} else {
		why = qualified_name(*k, *kl);
	}
	if (!why)
		return 0;
	mf_fieldf(f, sizeof(f), "%s.%.*s%s", what, CS_MSG_CUT(*k, *kl, 64));
	return mf_errf(c, key, EINVAL, f,
		       "Invalid value \"%.*s%s\": %s (the API server refuses the SCC)",
		       CS_MSG_CUT(*k, *kl, 64), why);
}

static int labels(struct mf_ctx *c, struct ydoc_node *map)
{
	for (uint32_t i = 0; i < map->n; i++) {
		struct ydoc_pair *kv = &map->u.pairs[i];
		const char *k, *v;
		size_t kl, vl;
		char f[128];
		int r;

		if ((r = meta_key(c, kv->key, "metadata.labels", false, &k, &kl)) < 0 ||
		    (r = mf_node_str(
			 c, kv->value,
			 mf_fieldf(f, sizeof(f), "metadata.labels.%.*s%s", CS_MSG_CUT(k, kl, 64)),
			 &v)) < 0)
			return r;
		vl = v ? strlen(v) : 0;
		if (vl <= 63 && qualified_chars(v, vl))
			continue;
		return mf_errf(c, kv->value, EINVAL, f,
			       "Invalid value \"%.*s%s\": %s (the API server refuses the SCC)",
			       CS_MSG_CUT(v, vl, 64),
			       vl > 63 ? "must be no more than 63 characters"
				       : "a valid label must be an empty string or consist of "
					 "alphanumeric characters, '-', '_' or '.', and must start "
					 "and end with an alphanumeric character");
	}
	return 0;
}

static int annotations(struct mf_ctx *c, struct ydoc_node *ann, struct ydoc_node *at)
{
	uint64_t total = 0;

	for (uint32_t i = 0; i < ann->n; i++) {
		struct ydoc_pair *kv = &ann->u.pairs[i];
		const char *k, *v;
		size_t kl;
		char f[128];
		int r;

		if ((r = meta_key(c, kv->key, "metadata.annotations", true, &k, &kl)) < 0 ||
		    (r = mf_node_str(c, kv->value,
				     mf_fieldf(f, sizeof(f), "metadata.annotations.%.*s%s",
					       CS_MSG_CUT(k, kl, 64)),
				     &v)) < 0)
			return r;
		total += kl + (v ? strlen(v) : 0);
	}
	if (total <= ANNOTATIONS_MAX)
		return 0;
	return mf_errf(c, at, EINVAL, "metadata.annotations",
		       "Too long: must have at most %d bytes of keys and values, these have "
		       "%llu (the API server refuses the SCC)",
		       ANNOTATIONS_MAX, (unsigned long long)total);
}

/* NameIsDNSSubdomain(generateName, prefix=true): maskTrailingDash puts an
 * 'a' for the last two bytes when it ends in '-' (the server appends five
 * random characters to it). */
static int generate_name(struct mf_ctx *c, struct ydoc_node *meta, const char *g)
{
	size_t n = strlen(g);
	char masked[256];
	bool ok;

	if (n > 1 && g[n - 1] == '-' && n <= 254) {
		memcpy(masked, g, n - 2);
		masked[n - 2] = 'a';
		masked[n - 1] = '\0';
		ok = cs_k8s_dns_subdomain(masked);
		n--;
	} else {
		ok = cs_k8s_dns_subdomain(g);
	}
	if (ok)
		return 0;
	return mf_errf(c, ydoc_get(meta, "generateName"), EINVAL, "metadata.generateName",
		       "Invalid value \"%.*s%s\": %s (the API server refuses the SCC)",
		       CS_MSG_CUTS(g, 48),
		       n > 253 ? "must be no more than 253 characters"
			       : "a lowercase RFC 1123 subdomain: lower-case letters, digits, '-' "
				 "and '.', each part starting and ending with a letter or digit");
}

int mf_check_scc_meta(struct mf_ctx *c, struct ydoc_node *meta, bool *generated)
{
	struct ydoc_node *map;
	const char *g;
	int r;

	*generated = false;
	if (!meta)
		return 0;
	if ((r = mf_get_str(c, meta, "generateName", "metadata.generateName", &g)) < 0)
		return r;
	if (g && *g && (r = generate_name(c, meta, g)) < 0)
		return r;
	*generated = g && *g;
	if ((r = mf_get_map(c, meta, "labels", "metadata.labels", &map)) < 0 ||
	    (map && (r = labels(c, map)) < 0))
		return r;
	if ((r = mf_get_map(c, meta, "annotations", "metadata.annotations", &map)) < 0 ||
	    (map && (r = annotations(c, map, ydoc_get(meta, "annotations"))) < 0))
		return r;
	return 0;
}
