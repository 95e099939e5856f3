/* SPDX-License-Identifier: MIT */
/*
 * The manifest reader's primitives (manifest-read.h): one field of a ydoc
 * tree by its type, with Kubernetes' YAML 1.1 reading of booleans and
 * numbers, aliases followed against the document's node budget (an alias
 * bomb stops with an error), and one diagnostic at the node's place.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "capscope/caps.h"
#include "manifest-read.h"
#include "yaml11.h"
#include "../internal/util.h"

/*
 * A field path for messages ("spec.containers[2].securityContext") into a
 * fixed buffer. One longer than the buffer (an annotation's key) is cut
 * with "..." at its end: thirteenth pass, second round, it was cut
 * silently and named a key the manifest does not hold.
 */
__attribute__((format(printf, 3, 4))) const char *mf_fieldf(char *out, size_t len, const char *fmt,
							    ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, len, fmt, ap);
	va_end(ap);
	if (n >= (int)len)
		cs_mark_cut(out, len);
	return out;
}

int mf_errf(struct mf_ctx *c, struct ydoc_node *n, int err, const char *field, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	struct cs_pos p = pos_of(c, n);

	va_start(ap, fmt);
	cs_vformat_cut(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->d)
		cs_diag_put_file(c->d, "%s", c->name ? c->name : "");
	return cs_diag_set(c->d, err, p.line, p.column, field, "%s", msg);
}

/* Follow aliases and charge the visit to the budget. NULL stays NULL. */
int mf_visit(struct mf_ctx *c, struct ydoc_node **np, const char *field)
{
	struct ydoc_node *n = *np;

	if (!n)
		return 0;
	if (--c->budget < 0)
		return mf_errf(c, n, E2BIG, field,
			       "document expands to more than %ld node visits (alias bomb?)",
			       c->budget_given);
	if (n->kind == YDOC_ALIAS) {
		if (!ydoc_target(n))
			return mf_errf(c, n, EINVAL, field, "alias does not resolve");
		n = ydoc_target(n); /* an anchor is never on an alias */
	}
	/* go-yaml resolves an explicit tag (`!!str 0` is a string, `!!int "0"` a
	 * number, `!!binary` decodes base64); this reader does not: refused. */
	if (ydoc_tag(n))
		return mf_errf(
		    c, n, EINVAL, field,
		    "YAML tag '%.*s%s': Kubernetes resolves explicit tags, capscope does "
		    "not; remove it (quote a string)",
		    CS_MSG_CUTS(ydoc_tag(n), 40));
	*np = n;
	return 0;
}

int mf_need_map(struct mf_ctx *c, struct ydoc_node *n, const char *field)
{
	if (!is_map(n))
		return mf_errf(c, n, EINVAL, field, "expected a mapping");
	return 0;
}

int mf_get_str(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
	       const char **out)
{
	return mf_node_str(c, ydoc_get(map, key), field, out);
}

struct mf_alias_copy {
	const char *src; /* the anchored scalar's text in the document */
	char *copy;
};

static size_t copy_slot(const struct mf_alias_copy *v, size_t cap, const char *src)
{
	size_t h = ((uintptr_t)src * 0x9e3779b97f4a7c15u) >> 16;

	for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1))
		if (!v[i].src || v[i].src == src)
			return i;
}

/*
 * The model's copy of a string read at n: one copy per anchored scalar,
 * however many aliases read it (the model never writes to its strings), so
 * that the model holds no more than the document. The copies are in the
 * manifest's arena; the table (keyed by the document's own texts, which
 * last only as long as the document) is on the heap and forgotten at each
 * document (mf_copies_forget).
 */
static char *mf_copy(struct mf_ctx *c, const char *s, size_t len, bool aliased)
{
	size_t i;

	if (!aliased)
		return cs_arena_strndup(c->m->arena, s, len);
	if (2 * (c->n_copies + 1) > c->cap_copies) {
		size_t cap = c->cap_copies ? 2 * c->cap_copies : 16;
		struct mf_alias_copy *v = calloc(cap, sizeof(*v));

		if (!v)
			return NULL;
		for (size_t k = 0; k < c->cap_copies; k++)
			if (c->copies[k].src)
				v[copy_slot(v, cap, c->copies[k].src)] = c->copies[k];
		free(c->copies);
		c->copies = v;
		c->cap_copies = cap;
	}
	i = copy_slot(c->copies, c->cap_copies, s);
	if (!c->copies[i].src) {
		if (!(c->copies[i].copy = cs_arena_strndup(c->m->arena, s, len)))
			return NULL;
		c->copies[i].src = s;
		c->n_copies++;
	}
	return c->copies[i].copy;
}

void mf_copies_forget(struct mf_ctx *c)
{
	free(c->copies);
	c->copies = NULL;
	c->n_copies = c->cap_copies = 0;
}

/* A string field's value n (NULL: absent), as get_str reads it. */
int mf_node_str(struct mf_ctx *c, struct ydoc_node *n, const char *field, const char **out)
{
	const struct ydoc_node *given = n;
	const char *s;
	size_t len;
	int r;

	*out = NULL;
	if ((r = mf_visit(c, &n, field)) < 0)
		return r;
	if (!n || ydoc_is_null(n))
		return 0;
	if (!is_scalar(n))
		return mf_errf(c, n, EINVAL, field, "expected a string");
	s = scalar_text(n, &len);
	if (n->style == YDOC_PLAIN) {
		if (yaml11_bool(s, len) >= 0)
			return mf_errf(c, n, EINVAL, field,
				       "'%.*s%s' is a boolean to Kubernetes (YAML 1.1), not a "
				       "string; quote it",
				       CS_MSG_CUT(s, len, 40));
		if (yaml11_number(s, len))
			return mf_errf(c, n, EINVAL, field,
				       "'%.*s%s' is a number to Kubernetes, not a string; quote it",
				       CS_MSG_CUT(s, len, 40));
	}
	if (memchr(s, '\0', len))
		return mf_errf(c, n, EINVAL, field, "string contains a NUL byte");
	*out = mf_copy(c, s, len, n != given);
	return *out ? 0 : -ENOMEM;
}

int mf_scalar_bool(struct mf_ctx *c, struct ydoc_node *n, const char *field, bool *v)
{
	const char *s;
	size_t len;
	int b;

	if (!is_scalar(n))
		return mf_errf(c, n, EINVAL, field, "expected a boolean");
	s = scalar_text(n, &len);
	if (n->style != YDOC_PLAIN)
		return mf_errf(
		    c, n, EINVAL, field,
		    "'%.*s%s' is quoted: a string to Kubernetes, not a boolean; remove the "
		    "quotes",
		    CS_MSG_CUT(s, len, 40));
	b = yaml11_bool(s, len);
	if (b < 0)
		return mf_errf(c, n, EINVAL, field,
			       "expected a boolean (true or false), got '%.*s%s'",
			       CS_MSG_CUT(s, len, 40));
	*v = b;
	return 0;
}

/* The value of map's key, aliases followed; *out NULL when absent or null. */
static int field_value(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
		       struct ydoc_node **out)
{
	int r;

	*out = ydoc_get(map, key);
	if ((r = mf_visit(c, out, field)) < 0)
		return r;
	if (*out && ydoc_is_null(*out))
		*out = NULL;
	return 0;
}

int mf_get_bool(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
		struct cs_opt_bool *out)
{
	struct ydoc_node *n;
	int r;

	out->set = false;
	if ((r = field_value(c, map, key, field, &n)) < 0 || !n)
		return r;
	if ((r = mf_scalar_bool(c, n, field, &out->v)) < 0)
		return r;
	out->set = true;
	return 0;
}

int mf_scalar_i64(struct mf_ctx *c, struct ydoc_node *n, const char *field, int64_t *v)
{
	const char *s;
	size_t len;
	char buf[32], *end;
	long long x;

	if (!is_scalar(n))
		return mf_errf(c, n, EINVAL, field, "expected an integer");
	s = scalar_text(n, &len);
	if (n->style != YDOC_PLAIN)
		return mf_errf(
		    c, n, EINVAL, field,
		    "'%.*s%s' is quoted: a string to Kubernetes, not an integer; remove the "
		    "quotes",
		    CS_MSG_CUT(s, len, 40));
	if (len == 0)
		return mf_errf(c, n, EINVAL, field, "expected an integer");
	/* Nineteenth pass, part D: 31 characters and more were "expected an
	 * integer", untrue of `runAsUser: 000…0007` (7 to go-yaml, octal with
	 * any number of zeros) and of 40 digits (a float to kubectl) */
	if (len >= sizeof(buf))
		return mf_errf(
		    c, n, EINVAL, field,
		    yaml11_number(s, len)
			? "'%.*s%s' (%zu characters) is a number to Kubernetes (YAML 1.1), "
			  "but capscope reads only plain decimal integers of up to 31 "
			  "characters; "
			  "write it so"
			: "expected an integer, got '%.*s%s' (%zu characters)",
		    CS_MSG_CUT(s, len, 40), len);
	memcpy(buf, s, len);
	buf[len] = '\0';
	for (size_t i = (buf[0] == '-' || buf[0] == '+'); i < len; i++)
		if (buf[i] < '0' || buf[i] > '9' || (i + 1 == len && buf[i] == '\0'))
			return mf_errf(
			    c, n, EINVAL, field,
			    yaml11_number(s, len)
				? "'%s' is a number to Kubernetes (YAML 1.1), but not written as "
				  "a plain decimal integer; write it so"
				: "expected an integer, got '%s'",
			    buf);
	/* go-yaml reads 0777 as octal (511): never take it as decimal 777. */
	if (buf[buf[0] == '-' || buf[0] == '+'] == '0' &&
	    len > (size_t)1 + (buf[0] == '-' || buf[0] == '+'))
		return mf_errf(c, n, EINVAL, field,
			       "'%s' is octal to Kubernetes (YAML 1.1, a leading 0); write it in "
			       "decimal without the 0",
			       buf);
	errno = 0;
	x = strtoll(buf, &end, 10);
	/* an integer all the same (it said "expected an integer"): kubectl
	 * makes it a float, which the API server's int64 decode refuses, or,
	 * within 2^10 below the least, reads rounded (session 17, part F) */
	if (errno == ERANGE && !*end)
		return mf_errf(c, n, EINVAL, field,
			       "'%s' is beyond a 64-bit integer, which Kubernetes does not hold "
			       "exactly; capscope does not read it",
			       buf);
	if (errno || *end || end == buf || (len == 1 && (buf[0] == '-' || buf[0] == '+')))
		return mf_errf(c, n, EINVAL, field, "expected an integer, got '%s'", buf);
	*v = x;
	return 0;
}

/*
 * A pod's uid or gid (runAsUser, runAsGroup, fsGroup, supplementalGroups):
 * the API server's IsValidUserID / IsValidGroupID take 0 to 2147483647 and
 * refuse the pod otherwise. Twentieth pass, part D: -1 or 4294967296 was
 * read, lint found nothing and predicted from the rest of the pod.
 */
int mf_scalar_id(struct mf_ctx *c, struct ydoc_node *n, const char *field, int64_t *v)
{
	int r = mf_scalar_i64(c, n, field, v);

	if (r < 0)
		return r;
	if (*v < 0 || *v > 2147483647)
		return mf_errf(c, n, EINVAL, field,
			       "Invalid value: %lld: must be between 0 and 2147483647, inclusive "
			       "(the API server refuses the pod)",
			       (long long)*v);
	return 0;
}

/* An optional integer field, its scalar read by one of the readers above. */
static int get_opt_i64(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
		       struct cs_opt_i64 *out,
		       int (*scalar)(struct mf_ctx *, struct ydoc_node *, const char *, int64_t *))
{
	struct ydoc_node *n;
	int r;

	out->set = false;
	if ((r = field_value(c, map, key, field, &n)) < 0 || !n)
		return r;
	if ((r = scalar(c, n, field, &out->v)) < 0)
		return r;
	out->set = true;
	return 0;
}

int mf_get_id(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
	      struct cs_opt_i64 *out)
{
	return get_opt_i64(c, map, key, field, out, mf_scalar_id);
}

int mf_get_i64(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
	       struct cs_opt_i64 *out)
{
	return get_opt_i64(c, map, key, field, out, mf_scalar_i64);
}

/*
 * An int32 field (an SCC's priority, a port): the API server decodes it
 * into an int32 and refuses the object when the number does not fit, so
 * a wider one is refused here too (priority 2147483648 used to sort the
 * SCC above every other).
 */
int mf_get_i32(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
	       struct cs_opt_i64 *out)
{
	int r = mf_get_i64(c, map, key, field, out);

	if (r < 0 || !out->set || (out->v >= INT32_MIN && out->v <= INT32_MAX))
		return r;
	out->set = false;
	return mf_errf(c, ydoc_get(map, key), ERANGE, field,
		       "%lld does not fit the field's int32: Kubernetes refuses the object",
		       (long long)out->v);
}

/*
 * A sequence of strings; absent or null is empty with *set false. items (may
 * be NULL) receives where each item is, for messages about one entry.
 */
/*
 * Capability names as a manifest writes them, "CAP_CHOWN" and "CHOWN" (the
 * second is the first past its prefix), and "ALL": a capability list's
 * entry spelt so points here instead of being copied (twentieth pass, part
 * F: a 4 MB admission review of 7,000 containers adding 41 capabilities
 * each held 3.9 MB of such copies). Only text equal to one of them byte
 * for byte is shared, so a mistake here costs a copy, never a wrong name.
 */
static const char *const cap_spellings[CS_CAP_LAST_KNOWN + 1] = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

static const char *cap_spelling(const char *s, size_t len)
{
	int k;

	if (len == 3 && !memcmp(s, "ALL", 3))
		return "ALL";
	if (len < 3 || len > 22 || (k = cs_cap_from_name(s, len)) < 0 || k > CS_CAP_LAST_KNOWN)
		return NULL;
	const char *w = cap_spellings[k];
	size_t wl = strlen(w);

	if (len == wl && !memcmp(s, w, len))
		return w;
	if (len == wl - 4 && !memcmp(s, w + 4, len))
		return w + 4;
	return NULL;
}

static int strlist_at(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
		      struct cs_strlist *out, bool *set, struct cs_pos *pos,
		      const struct cs_pos **items, bool caps)
{
	struct cs_pos *ipos = NULL;
	struct ydoc_node *seq = ydoc_get(map, key), *it;
	size_t iter = 0;
	size_t i = 0;
	int r;
	char f[160];

	out->v = NULL;
	out->n = 0;
	if (set)
		*set = false;
	if ((r = mf_visit(c, &seq, field)) < 0)
		return r;
	if (!seq || ydoc_is_null(seq))
		return 0;
	if (pos)
		*pos = pos_of(c, seq);
	if (!is_seq(seq))
		return mf_errf(c, seq, EINVAL, field, "expected a list");
	out->n = (size_t)seq->n;
	out->v = cs_arena_alloc(c->m->arena, (out->n + 1) * sizeof(char *));
	if (!out->v)
		return -ENOMEM;
	if (items && !(ipos = cs_arena_alloc(c->m->arena, (out->n + 1) * sizeof(*ipos))))
		return -ENOMEM;
	while ((it = next_item(seq, &iter)) != NULL) {
		const char *s;
		size_t len;

		const struct ydoc_node *given = it;

		mf_fieldf(f, sizeof(f), "%s[%zu]", field, i);
		if ((r = mf_visit(c, &it, f)) < 0)
			return r;
		if (!is_scalar(it) || ydoc_is_null(it))
			return mf_errf(c, it, EINVAL, f, "expected a string");
		s = scalar_text(it, &len);
		if (it->style == YDOC_PLAIN) {
			if (yaml11_bool(s, len) >= 0)
				return mf_errf(
				    c, it, EINVAL, f,
				    "'%.*s%s' is a boolean to Kubernetes (YAML 1.1); quote it",
				    CS_MSG_CUT(s, len, 40));
			if (yaml11_number(s, len))
				return mf_errf(c, it, EINVAL, f,
					       "'%.*s%s' is a number to Kubernetes; quote it",
					       CS_MSG_CUT(s, len, 40));
		}
		if (memchr(s, '\0', len))
			return mf_errf(c, it, EINVAL, f, "string contains a NUL byte");
		if (i >= out->n)
			break;
		if (!(caps && (out->v[i] = cap_spelling(s, len))) &&
		    !(out->v[i] = mf_copy(c, s, len, it != given)))
			return -ENOMEM;
		if (ipos)
			ipos[i] = pos_of(c, it);
		i++;
	}
	out->n = i;
	if (items)
		*items = ipos;
	if (set)
		*set = true;
	return 0;
}

int mf_get_strlist_at(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
		      struct cs_strlist *out, bool *set, struct cs_pos *pos,
		      const struct cs_pos **items)
{
	return strlist_at(c, map, key, field, out, set, pos, items, false);
}

int mf_get_caplist_at(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
		      struct cs_strlist *out, struct cs_pos *pos, const struct cs_pos **items)
{
	return strlist_at(c, map, key, field, out, NULL, pos, items, true);
}

int mf_get_strlist(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
		   struct cs_strlist *out, bool *set, struct cs_pos *pos)
{
	return mf_get_strlist_at(c, map, key, field, out, set, pos, NULL);
}

int mf_get_map(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
	       struct ydoc_node **out)
{
	struct ydoc_node *n;
	int r;

	*out = NULL;
	if ((r = field_value(c, map, key, field, &n)) < 0 || !n)
		return r;
	if ((r = mf_need_map(c, n, field)) < 0)
		return r;
	*out = n;
	return 0;
}

int mf_get_seq(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
	       struct ydoc_node **out)
{
	struct ydoc_node *n;
	int r;

	*out = NULL;
	if ((r = field_value(c, map, key, field, &n)) < 0 || !n)
		return r;
	if (!is_seq(n))
		return mf_errf(c, n, EINVAL, field, "expected a list");
	*out = n;
	return 0;
}

/* validatePathNoBacksteps: a component, between '/', that is ".." */
bool mf_has_dotdot(const char *p)
{
	while (p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 2 && !memcmp(p, "..", 2))
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}
