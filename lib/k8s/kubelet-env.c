/* SPDX-License-Identifier: MIT */
/*
 * The container's environment as the kubelet builds it, for the two things
 * the model needs from it: $(NAME) in command and args (the kubelet expands
 * them before the runtime sees them: `command: ["$(APP)"]` runs what APP
 * holds) and PATH (the runtime lays env over the image's Env, and runc
 * looks the entrypoint up in that PATH).
 *
 * The expansion is the kubelet's (third_party/forked/golang/expansion):
 * `$(NAME)` is replaced by NAME's value, `$$` is `$`, a `$` before anything
 * else stays with that byte (Go's string(byte): a byte of 0x80 or more
 * becomes its two-byte UTF-8 form), an unclosed `$(` stays, an undefined
 * NAME stays `$(NAME)`. An env value is expanded when it is defined,
 * against the entries before it; command and args against all of them.
 *
 * What the manifest does not hold is unknown, never guessed: a valueFrom,
 * a name that envFrom or a service link (`*_SERVICE_*`, `*_PORT*`) may
 * define. The work is bounded: 64 lookups, each a backward scan of env
 * (linear in its length), and 64 KiB of text; past that it is unknown too.
 *
 * The 64 lookups are a word's: a command line of N args each naming one of
 * N env entries scanned env N times (N^2: 10,000 / 40,000 args and entries,
 * lint 0.30 / 4.20 s; twenty-fourth pass). cs_kubelet_argv expands its
 * words against an index of the names (cs_env_index), sorted once: each
 * lookup a binary search.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/kubelet.h"
#include "../internal/util.h"
#include "kubelet-env.h"

#define MAX_LOOKUPS 64
#define MAX_TEXT    (64u << 10)

struct xbuf {
	char *p;
	size_t len, cap;
	unsigned lookups;
	const struct cs_k8s_container *c;
	const struct cs_env_index *ix; /* or NULL: env scanned */
};

struct cs_env_name {
	const char *name;
	size_t len, at; /* at: its place in env */
};

static int name_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	return c ? c : (an > bn) - (an < bn);
}

static int entry_cmp(const void *pa, const void *pb)
{
	const struct cs_env_name *a = pa, *b = pb;
	int c = name_cmp(a->name, a->len, b->name, b->len);

	return c ? c : (a->at > b->at) - (a->at < b->at);
}

int cs_env_index_build(const struct cs_k8s_container *c, struct cs_env_index *ix)
{
	*ix = (struct cs_env_index){0};
	if (!c->n_env)
		return 0;
	if (!(ix->v = calloc(c->n_env, sizeof(*ix->v))))
		return -ENOMEM;
	for (size_t i = 0; i < c->n_env; i++)
		ix->v[i] = (struct cs_env_name){c->env[i].name, strlen(c->env[i].name), i};
	ix->n = c->n_env;
	qsort(ix->v, ix->n, sizeof(*ix->v), entry_cmp);
	return 0;
}

void cs_env_index_free(struct cs_env_index *ix)
{
	free(ix->v);
	*ix = (struct cs_env_index){0};
}

/* The first entry of ix not before (name, at): name, then place. */
static size_t index_bound(const struct cs_env_index *ix, const char *name, size_t n, size_t at)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct cs_env_name *e = &ix->v[mid];
		int c = name_cmp(e->name, e->len, name, n);

		if (c < 0 || (c == 0 && e->at < at))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The last env entry named name in [0, upto): its place, or SIZE_MAX. */
static size_t find(const struct xbuf *b, const char *name, size_t n, size_t upto)
{
	if (b->ix) {
		size_t k = index_bound(b->ix, name, n, upto);
		const struct cs_env_name *e = k ? &b->ix->v[k - 1] : NULL;

		return e && e->len == n && !memcmp(e->name, name, n) ? e->at : SIZE_MAX;
	}
	for (size_t i = upto; i-- > 0;) {
		const struct cs_k8s_env *e = &b->c->env[i];

		if (strlen(e->name) == n && !memcmp(e->name, name, n))
			return i;
	}
	return SIZE_MAX;
}

/* 0, 1 when past MAX_TEXT (unknown), -ENOMEM. */
static int put(struct xbuf *b, const char *s, size_t n)
{
	if (n > MAX_TEXT - b->len)
		return 1;
	if (b->len + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 64;
		char *p;

		while (nc < b->len + n + 1)
			nc *= 2;
		if (!(p = realloc(b->p, nc)))
			return -ENOMEM;
		b->p = p;
		b->cap = nc;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

/* A variable the kubelet's service links define for a Service: not in the manifest. */
static bool may_be_service_link(const char *name, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (name[i] == '_' && ((n - i >= 9 && !memcmp(name + i, "_SERVICE_", 9)) ||
				       (n - i >= 5 && !memcmp(name + i, "_PORT", 5))))
			return true;
	return false;
}

static int expand(struct xbuf *b, const char *s, size_t upto);

/* $(name) against env entries [0, upto): its value, expanded where it was defined. */
static int lookup(struct xbuf *b, const char *name, size_t n, size_t upto)
{
	const struct cs_k8s_container *c = b->c;
	size_t i;

	if (++b->lookups > MAX_LOOKUPS)
		return 1;
	if ((i = find(b, name, n, upto)) != SIZE_MAX)
		return c->env[i].value ? expand(b, c->env[i].value, i) : 1;
	if (c->env_from || may_be_service_link(name, n))
		return 1;
	int rc = put(b, "$(", 2);

	return rc ? rc : (rc = put(b, name, n)) ? rc : put(b, ")", 1);
}

static int expand(struct xbuf *b, const char *s, size_t upto)
{
	size_t len = strlen(s), done = 0;
	int rc;

	for (size_t i = 0; i + 1 < len; i++) {
		char two[4];

		if (s[i] != '$')
			continue;
		if ((rc = put(b, s + done, i - done)) != 0)
			return rc;
		if (s[i + 1] == '(') {
			const char *close = memchr(s + i + 2, ')', len - i - 2);

			if (close) {
				rc = lookup(b, s + i + 2, (size_t)(close - s - i - 2), upto);
				i = (size_t)(close - s);
			} else {
				rc = put(b, "$(", 2);
				i++;
			}
		} else if (s[i + 1] == '$') {
			rc = put(b, "$", 1);
			i++;
		} else {
			unsigned char ch = (unsigned char)s[i + 1];

			/* Go: "$" + string(input[0]), a byte taken as a code point. */
			rc = put(b, "$", 1);
			if (!rc)
				rc = put(b, two, cs_utf8_encode(ch, two));
			i++;
		}
		if (rc)
			return rc;
		done = i + 1;
	}
	return put(b, s + done, len - done);
}

static int expand_at(const struct cs_k8s_container *c, const struct cs_env_index *ix, const char *s,
		     size_t upto, char **out)
{
	struct xbuf b = {.c = c, .ix = ix};
	int rc = expand(&b, s, upto);

	if (rc == 0 && !b.p)
		rc = put(&b, "", 0); /* an empty text: "" */
	if (rc != 0) {
		free(b.p);
		*out = NULL;
		return rc;
	}
	*out = b.p;
	return 0;
}

int cs_kubelet_expand(const struct cs_k8s_container *c, const char *s, char **out)
{
	return expand_at(c, NULL, s, c->n_env, out);
}

int cs_kubelet_expand_indexed(const struct cs_k8s_container *c, const struct cs_env_index *ix,
			      const char *s, char **out)
{
	return expand_at(c, ix, s, c->n_env, out);
}

int cs_kubelet_path(const struct cs_k8s_container *c, char **out)
{
	*out = NULL;
	for (size_t i = c->n_env; i-- > 0;)
		if (!strcmp(c->env[i].name, "PATH"))
			return c->env[i].value ? expand_at(c, NULL, c->env[i].value, i, out) : 1;
	return c->env_from ? 1 : 0; /* envFrom may set it; else the image's applies */
}
