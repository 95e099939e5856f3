/* SPDX-License-Identifier: MIT */
/*
 * Kubernetes manifests, read by libfyaml into a ydoc tree. Kubernetes reads YAML with a YAML
 * 1.1 resolver (sigs.k8s.io/yaml on go-yaml): a plain `no`, `on` or `y` is a
 * boolean and a plain 0123 is a number, so a string field holding one of
 * those is a type error there. We report the same instead of quietly taking
 * the text, and point at the line and column.
 *
 * Aliases are followed, but every node visit is counted against a budget so
 * that an alias bomb ("billion laughs") stops with an error instead of
 * exhausting memory or time. The reader (ydoc.c) rejects duplicate keys
 * and bounds the nesting depth as libfyaml's document builder did.
 */
#include "capscope/k8s.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ctr-names.h"
#include "kubectl-stream.h"
#include "scc-volumes.h"
#include "ydoc.h"
#include "yaml11.h"
#include "capscope/proc.h"
#include "../internal/cleanup.h"
#include "../internal/util.h"

/*
 * A field path for messages ("spec.containers[2].securityContext") into a
 * fixed buffer. One longer than the buffer (an annotation's key) is cut
 * with "..." at its end: thirteenth pass, second round, it was cut
 * silently and named a key the manifest does not hold.
 */
__attribute__((format(printf, 3, 4))) static const char *fieldf(char *out, size_t len,
								const char *fmt, ...)
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

#define NODE_BUDGET    200000
#define MAX_LIST_DEPTH 4

struct ctx {
	struct cs_k8s_manifest *m;
	const char *name;
	struct cs_diag *d;
	long budget, budget_given; /* node visits left, and at the document's start */
	bool windows, linux_os;	   /* the pod being read has spec.os.name windows, linux */
	bool userns;		   /* ... and hostUsers: false */
};

static int errf(struct ctx *c, struct ydoc_node *n, int err, const char *field, const char *fmt,
		...) __attribute__((format(printf, 5, 6)));

/* Where a node is: a scalar's own token, a collection's first scalar inside
 * (the first key of a mapping, the first item of a list); see ydoc_pos. */
static struct cs_pos pos_of(const struct ctx *c, const struct ydoc_node *n)
{
	(void)c;
	return n ? ydoc_pos(n) : (struct cs_pos){0, 0};
}

static int errf(struct ctx *c, struct ydoc_node *n, int err, const char *field, const char *fmt,
		...)
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

/* As libfyaml had it, an alias is a scalar node (its text is the name);
 * visit() below leaves none behind. */
static bool is_scalar(const struct ydoc_node *n)
{
	return n->kind == YDOC_SCALAR || n->kind == YDOC_ALIAS;
}

static bool is_map(const struct ydoc_node *n)
{
	return n->kind == YDOC_MAP;
}

static bool is_seq(const struct ydoc_node *n)
{
	return n->kind == YDOC_SEQ;
}

/* The next item of a sequence (from *i = 0), NULL after the last. */
static struct ydoc_node *next_item(const struct ydoc_node *seq, size_t *i)
{
	return *i < seq->n ? seq->u.items[(*i)++] : NULL;
}

static const char *scalar_text(const struct ydoc_node *n, size_t *len)
{
	*len = n->n;
	return n->u.text;
}

/* Follow aliases and charge the visit to the budget. NULL stays NULL. */
static int visit(struct ctx *c, struct ydoc_node **np, const char *field)
{
	struct ydoc_node *n = *np;

	if (!n)
		return 0;
	if (--c->budget < 0)
		return errf(c, n, E2BIG, field,
			    "document expands to more than %ld node visits (alias bomb?)",
			    c->budget_given);
	if (n->kind == YDOC_ALIAS) {
		if (!n->x.target)
			return errf(c, n, EINVAL, field, "alias does not resolve");
		n = n->x.target; /* an anchor is never on an alias */
	}
	/* go-yaml resolves an explicit tag (`!!str 0` is a string, `!!int "0"` a
	 * number, `!!binary` decodes base64); this reader does not: refused. */
	if (n->x.tag)
		return errf(c, n, EINVAL, field,
			    "YAML tag '%.40s': Kubernetes resolves explicit tags, capscope does "
			    "not; remove it (quote a string)",
			    n->x.tag);
	*np = n;
	return 0;
}

static bool eqn(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

static int need_map(struct ctx *c, struct ydoc_node *n, const char *field)
{
	if (!is_map(n))
		return errf(c, n, EINVAL, field, "expected a mapping");
	return 0;
}

/* A string field: NULL when absent or null. */
static int node_str(struct ctx *c, struct ydoc_node *n, const char *field, const char **out);

static int get_str(struct ctx *c, struct ydoc_node *map, const char *key, const char *field,
		   const char **out)
{
	return node_str(c, ydoc_get(map, key), field, out);
}

/* A string field's value n (NULL: absent), as get_str reads it. */
static int node_str(struct ctx *c, struct ydoc_node *n, const char *field, const char **out)
{
	const char *s;
	size_t len;
	int r;

	*out = NULL;
	if ((r = visit(c, &n, field)) < 0)
		return r;
	if (!n || ydoc_is_null(n))
		return 0;
	if (!is_scalar(n))
		return errf(c, n, EINVAL, field, "expected a string");
	s = scalar_text(n, &len);
	if (n->style == YDOC_PLAIN) {
		if (yaml11_bool(s, len) >= 0)
			return errf(
			    c, n, EINVAL, field,
			    "'%.*s' is a boolean to Kubernetes (YAML 1.1), not a string; quote it",
			    (int)(len > 40 ? 40 : len), s);
		if (yaml11_number(s, len))
			return errf(c, n, EINVAL, field,
				    "'%.*s' is a number to Kubernetes, not a string; quote it",
				    (int)(len > 40 ? 40 : len), s);
	}
	if (memchr(s, '\0', len))
		return errf(c, n, EINVAL, field, "string contains a NUL byte");
	*out = cs_arena_strndup(c->m->arena, s, len);
	return *out ? 0 : -ENOMEM;
}

static int scalar_bool(struct ctx *c, struct ydoc_node *n, const char *field, bool *v)
{
	const char *s;
	size_t len;
	int b;

	if (!is_scalar(n))
		return errf(c, n, EINVAL, field, "expected a boolean");
	s = scalar_text(n, &len);
	if (n->style != YDOC_PLAIN)
		return errf(c, n, EINVAL, field,
			    "'%.*s' is quoted: a string to Kubernetes, not a boolean; remove the "
			    "quotes",
			    (int)(len > 40 ? 40 : len), s);
	b = yaml11_bool(s, len);
	if (b < 0)
		return errf(c, n, EINVAL, field, "expected a boolean (true or false), got '%.*s'",
			    (int)(len > 40 ? 40 : len), s);
	*v = b;
	return 0;
}

static int get_bool(struct ctx *c, struct ydoc_node *map, const char *key, const char *field,
		    struct cs_opt_bool *out)
{
	struct ydoc_node *n = ydoc_get(map, key);
	int r;

	out->set = false;
	if ((r = visit(c, &n, field)) < 0)
		return r;
	if (!n || ydoc_is_null(n))
		return 0;
	if ((r = scalar_bool(c, n, field, &out->v)) < 0)
		return r;
	out->set = true;
	return 0;
}

static int scalar_i64(struct ctx *c, struct ydoc_node *n, const char *field, int64_t *v)
{
	const char *s;
	size_t len;
	char buf[32], *end;
	long long x;

	if (!is_scalar(n))
		return errf(c, n, EINVAL, field, "expected an integer");
	s = scalar_text(n, &len);
	if (n->style != YDOC_PLAIN)
		return errf(c, n, EINVAL, field,
			    "'%.*s' is quoted: a string to Kubernetes, not an integer; remove the "
			    "quotes",
			    (int)(len > 40 ? 40 : len), s);
	if (len == 0 || len >= sizeof(buf))
		return errf(c, n, EINVAL, field, "expected an integer");
	memcpy(buf, s, len);
	buf[len] = '\0';
	for (size_t i = (buf[0] == '-' || buf[0] == '+'); i < len; i++)
		if (buf[i] < '0' || buf[i] > '9' || (i + 1 == len && buf[i] == '\0'))
			return errf(
			    c, n, EINVAL, field,
			    yaml11_number(s, len)
				? "'%s' is a number to Kubernetes (YAML 1.1), but not written as "
				  "a plain decimal integer; write it so"
				: "expected an integer, got '%s'",
			    buf);
	/* go-yaml reads 0777 as octal (511): never take it as decimal 777. */
	if (buf[buf[0] == '-' || buf[0] == '+'] == '0' &&
	    len > (size_t)1 + (buf[0] == '-' || buf[0] == '+'))
		return errf(c, n, EINVAL, field,
			    "'%s' is octal to Kubernetes (YAML 1.1, a leading 0); write it in "
			    "decimal without the 0",
			    buf);
	errno = 0;
	x = strtoll(buf, &end, 10);
	if (errno || *end || end == buf || (len == 1 && (buf[0] == '-' || buf[0] == '+')))
		return errf(c, n, EINVAL, field, "expected an integer, got '%s'", buf);
	*v = x;
	return 0;
}

static int get_i64(struct ctx *c, struct ydoc_node *map, const char *key, const char *field,
		   struct cs_opt_i64 *out)
{
	struct ydoc_node *n = ydoc_get(map, key);
	int r;

	out->set = false;
	if ((r = visit(c, &n, field)) < 0)
		return r;
	if (!n || ydoc_is_null(n))
		return 0;
	if ((r = scalar_i64(c, n, field, &out->v)) < 0)
		return r;
	out->set = true;
	return 0;
}

/*
 * An int32 field (an SCC's priority, a port): the API server decodes it
 * into an int32 and refuses the object when the number does not fit, so
 * a wider one is refused here too (priority 2147483648 used to sort the
 * SCC above every other).
 */
static int get_i32(struct ctx *c, struct ydoc_node *map, const char *key, const char *field,
		   struct cs_opt_i64 *out)
{
	int r = get_i64(c, map, key, field, out);

	if (r < 0 || !out->set || (out->v >= INT32_MIN && out->v <= INT32_MAX))
		return r;
	out->set = false;
	return errf(c, ydoc_get(map, key), ERANGE, field,
		    "%lld does not fit the field's int32: Kubernetes refuses the object",
		    (long long)out->v);
}

/*
 * A sequence of strings; absent or null is empty with *set false. items (may
 * be NULL) receives where each item is, for messages about one entry.
 */
static int get_strlist_at(struct ctx *c, struct ydoc_node *map, const char *key, const char *field,
			  struct cs_strlist *out, bool *set, struct cs_pos *pos,
			  const struct cs_pos **items)
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
	if ((r = visit(c, &seq, field)) < 0)
		return r;
	if (!seq || ydoc_is_null(seq))
		return 0;
	if (pos)
		*pos = pos_of(c, seq);
	if (!is_seq(seq))
		return errf(c, seq, EINVAL, field, "expected a list");
	out->n = (size_t)seq->n;
	out->v = cs_arena_alloc(c->m->arena, (out->n + 1) * sizeof(char *));
	if (!out->v)
		return -ENOMEM;
	if (items && !(ipos = cs_arena_alloc(c->m->arena, (out->n + 1) * sizeof(*ipos))))
		return -ENOMEM;
	while ((it = next_item(seq, &iter)) != NULL) {
		const char *s;
		size_t len;

		fieldf(f, sizeof(f), "%s[%zu]", field, i);
		if ((r = visit(c, &it, f)) < 0)
			return r;
		if (!is_scalar(it) || ydoc_is_null(it))
			return errf(c, it, EINVAL, f, "expected a string");
		s = scalar_text(it, &len);
		if (it->style == YDOC_PLAIN) {
			if (yaml11_bool(s, len) >= 0)
				return errf(
				    c, it, EINVAL, f,
				    "'%.*s' is a boolean to Kubernetes (YAML 1.1); quote it",
				    (int)(len > 40 ? 40 : len), s);
			if (yaml11_number(s, len))
				return errf(c, it, EINVAL, f,
					    "'%.*s' is a number to Kubernetes; quote it",
					    (int)(len > 40 ? 40 : len), s);
		}
		if (memchr(s, '\0', len))
			return errf(c, it, EINVAL, f, "string contains a NUL byte");
		if (i >= out->n)
			break;
		if (!(out->v[i] = cs_arena_strndup(c->m->arena, s, len)))
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

static int get_strlist(struct ctx *c, struct ydoc_node *map, const char *key, const char *field,
		       struct cs_strlist *out, bool *set, struct cs_pos *pos)
{
	return get_strlist_at(c, map, key, field, out, set, pos, NULL);
}

static int get_map(struct ctx *c, struct ydoc_node *map, const char *key, const char *field,
		   struct ydoc_node **out)
{
	struct ydoc_node *n = ydoc_get(map, key);
	int r;

	*out = NULL;
	if ((r = visit(c, &n, field)) < 0)
		return r;
	if (!n || ydoc_is_null(n))
		return 0;
	if ((r = need_map(c, n, field)) < 0)
		return r;
	*out = n;
	return 0;
}

static int get_seq(struct ctx *c, struct ydoc_node *map, const char *key, const char *field,
		   struct ydoc_node **out)
{
	struct ydoc_node *n = ydoc_get(map, key);
	int r;

	*out = NULL;
	if ((r = visit(c, &n, field)) < 0)
		return r;
	if (!n || ydoc_is_null(n))
		return 0;
	if (!is_seq(n))
		return errf(c, n, EINVAL, field, "expected a list");
	*out = n;
	return 0;
}

/* windowsOptions.hostProcess of a securityContext (Pod Security's baseline
 * forbids it: check_windowsHostProcess.go). */
static int get_host_process(struct ctx *c, struct ydoc_node *scn, const char *path,
			    struct cs_opt_bool *out)
{
	struct ydoc_node *wo;
	char f[192];
	int r;

	fieldf(f, sizeof(f), "%s.windowsOptions", path);
	if ((r = get_map(c, scn, "windowsOptions", f, &wo)) < 0 || !wo)
		return r;
	fieldf(f, sizeof(f), "%s.windowsOptions.hostProcess", path);
	return get_bool(c, wo, "hostProcess", f, out);
}

/*
 * seccompProfile or appArmorProfile (key) of a securityContext: its type,
 * checked as the API server's validateSeccompProfileField and
 * validateAppArmorProfileField do (a type of the three, localhostProfile
 * exactly when it is Localhost); a pod it refuses was read and predicted.
 */
/* Go's strings.TrimSpace would change s (unicode.IsSpace at either end) */
static bool go_padded(const char *s)
{
	size_t n = strlen(s), k;

	if (!n)
		return false;
	if (cs_go_space_len((const unsigned char *)s, n))
		return true;
	/* the last character: step back over UTF-8 continuation bytes */
	for (k = n - 1; k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80; k--)
		;
	return cs_go_space_len((const unsigned char *)s + k, n - k) == n - k;
}

/* validatePathNoBacksteps: a component, between '/', that is ".." */
static bool has_dotdot(const char *p)
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

/*
 * A Localhost profile's name as the API server checks it. seccomp
 * (validateLocalDescendingPath): relative, no ".." component. AppArmor
 * (validateAppArmorProfileField): not padded with white space, not empty,
 * at most 4095 bytes. 0, or an error at the node.
 */
static int check_local(struct ctx *c, struct ydoc_node *lp, const char *key, const char *f,
		       const char *local)
{
	char cl[CS_CLIP];

	if (!strcmp(key, "seccompProfile")) {
		if (*local == '/')
			return errf(c, lp, EINVAL, f,
				    "Invalid value \"%s\": must be a relative path (the API server "
				    "refuses the pod)",
				    cs_clip(cl, sizeof(cl), local));
		if (has_dotdot(local))
			return errf(c, lp, EINVAL, f,
				    "Invalid value \"%s\": must not contain '..' (the API server "
				    "refuses the pod)",
				    cs_clip(cl, sizeof(cl), local));
		return 0;
	}
	if (go_padded(local))
		return errf(c, lp, EINVAL, f,
			    "Invalid value \"%s\": must not be padded with whitespace (the API "
			    "server refuses the pod)",
			    cs_clip(cl, sizeof(cl), local));
	if (!*local)
		return errf(c, lp, EINVAL, f,
			    "Required value: must be set when AppArmor type is Localhost (the API "
			    "server refuses the pod)");
	if (strlen(local) > 4095)
		return errf(c, lp, EINVAL, f,
			    "Too long: may not be more than 4095 bytes (the API server refuses the "
			    "pod)");
	return 0;
}

static int get_profile(struct ctx *c, struct ydoc_node *scn, const char *key, const char *path,
		       const char **type, const char **local_out)
{
	static const char *const types[] = {"RuntimeDefault", "Unconfined", "Localhost"};
	struct ydoc_node *m, *lp;
	const char *local = NULL;
	char f[192];
	int r;
	bool known = false;

	*type = NULL;
	fieldf(f, sizeof(f), "%s.%s", path, key);
	if ((r = get_map(c, scn, key, f, &m)) < 0 || !m)
		return r;
	fieldf(f, sizeof(f), "%s.%s.type", path, key);
	if ((r = get_str(c, m, "type", f, type)) < 0)
		return r;
	if (!*type || !**type)
		return errf(c, *type ? ydoc_get(m, "type") : m, EINVAL, f,
			    "Required value: the API server refuses a %s without a type", key);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		known |= !strcmp(*type, types[i]);
	if (!known)
		return errf(c, ydoc_get(m, "type"), EINVAL, f,
			    "Unsupported value \"%s\": the API server takes RuntimeDefault, "
			    "Unconfined or Localhost",
			    *type);
	fieldf(f, sizeof(f), "%s.%s.localhostProfile", path, key);
	if ((r = get_str(c, m, "localhostProfile", f, &local)) < 0)
		return r;
	lp = ydoc_get(m, "localhostProfile");
	if (!strcmp(*type, "Localhost") && !local)
		return errf(c, ydoc_get(m, "type"), EINVAL, f,
			    "Required value: the API server refuses type Localhost without a "
			    "localhostProfile");
	if (strcmp(*type, "Localhost") != 0 && local)
		return errf(c, lp, EINVAL, f,
			    "the API server refuses a localhostProfile unless the type is "
			    "Localhost");
	if (local && (r = check_local(c, lp, key, f, local)) < 0)
		return r;
	if (local_out)
		*local_out = local;
	return 0;
}

/*
 * The isolation fields of a securityContext that Pod Security's baseline
 * judges (check_appArmorProfile.go, check_seLinuxOptions.go,
 * check_procMount.go): appArmorProfile.type, seLinuxOptions' type, user and
 * role, and procMount (pm NULL: the pod's, which has none). They were not
 * read, so `appArmorProfile: {type: Unconfined}`, `seLinuxOptions: {type:
 * spc_t}` or `procMount: Unmasked` were called baseline.
 */
static int get_isolation(struct ctx *c, struct ydoc_node *scn, const char *path, const char **aa,
			 const char **aa_local, const char **se_type, const char **se_user,
			 const char **se_role, const char **pm)
{
	struct ydoc_node *m;
	char f[192];
	int r;

#define G(k) (fieldf(f, sizeof(f), "%s.%s", path, k), f)
	if ((r = get_profile(c, scn, "appArmorProfile", path, aa, aa_local)) < 0 ||
	    (r = get_map(c, scn, "seLinuxOptions", G("seLinuxOptions"), &m)) < 0)
		return r;
	if (m && ((r = get_str(c, m, "type", G("seLinuxOptions.type"), se_type)) < 0 ||
		  (r = get_str(c, m, "user", G("seLinuxOptions.user"), se_user)) < 0 ||
		  (r = get_str(c, m, "role", G("seLinuxOptions.role"), se_role)) < 0))
		return r;
	if (pm && (r = get_str(c, scn, "procMount", G("procMount"), pm)) < 0)
		return r;
	/* validateProcMountType: the two values */
	if (pm && *pm && strcmp(*pm, "Default") != 0 && strcmp(*pm, "Unmasked") != 0)
		return errf(c, ydoc_get(scn, "procMount"), EINVAL, f,
			    "Unsupported value \"%s\": the API server takes Default or Unmasked",
			    *pm);
	/* Thirteenth pass, second round: the API server (1.30 on) refuses an
	 * unmasked /proc outside a user namespace; it was read and predicted. */
	if (pm && *pm && !strcmp(*pm, "Unmasked") && !c->userns)
		return errf(c, ydoc_get(scn, "procMount"), EINVAL, f,
			    "Invalid value \"Unmasked\": the API server refuses it unless the pod "
			    "has hostUsers: false");
#undef G
	return 0;
}

static int parse_sc(struct ctx *c, struct ydoc_node *scn, const char *path, struct cs_k8s_sc *sc)
{
	char f[160];
	struct ydoc_node *caps;
	int r;

	sc->pos = pos_of(c, scn);
#define F(k) (fieldf(f, sizeof(f), "%s.%s", path, k), f)
	if ((r = get_i64(c, scn, "runAsUser", F("runAsUser"), &sc->run_as_user)) < 0 ||
	    (r = get_i64(c, scn, "runAsGroup", F("runAsGroup"), &sc->run_as_group)) < 0 ||
	    (r = get_bool(c, scn, "runAsNonRoot", F("runAsNonRoot"), &sc->run_as_non_root)) < 0 ||
	    (r = get_bool(c, scn, "allowPrivilegeEscalation", F("allowPrivilegeEscalation"),
			  &sc->allow_privilege_escalation)) < 0 ||
	    (r = get_bool(c, scn, "privileged", F("privileged"), &sc->privileged)) < 0 ||
	    (r = get_bool(c, scn, "readOnlyRootFilesystem", F("readOnlyRootFilesystem"),
			  &sc->read_only_root_fs)) < 0)
		return r;
	if ((r = get_profile(c, scn, "seccompProfile", path, &sc->seccomp_type,
			     &sc->seccomp_local)) < 0)
		return r;
	if ((r = get_host_process(c, scn, path, &sc->host_process)) < 0 ||
	    (r = get_isolation(c, scn, path, &sc->apparmor_type, &sc->apparmor_local,
			       &sc->selinux_type, &sc->selinux_user, &sc->selinux_role,
			       &sc->proc_mount)) < 0 ||
	    (r = get_map(c, scn, "capabilities", F("capabilities"), &caps)) < 0)
		return r;
	if (caps) {
		sc->caps_set = true;
		sc->caps_pos = pos_of(c, caps);
		if ((r = get_strlist_at(c, caps, "add", F("capabilities.add"), &sc->add, NULL,
					&sc->add_pos, &sc->add_item_pos)) < 0 ||
		    (r = get_strlist_at(c, caps, "drop", F("capabilities.drop"), &sc->drop, NULL,
					&sc->drop_pos, &sc->drop_item_pos)) < 0)
			return r;
	}
#undef F
	return 0;
}

/*
 * env and envFrom: the kubelet builds the container's environment from them
 * and expands $(NAME) in command and args with it (lib/k8s/kubelet-env.c);
 * the runtime lays it over the image's Env, so a PATH here decides where
 * runc finds the entrypoint. Names are required, as the API server requires.
 */
static int parse_env(struct ctx *c, struct ydoc_node *ctr, const char *base,
		     struct cs_k8s_container *ct)
{
	struct ydoc_node *seq, *it, *from;
	size_t iter = 0, i = 0;
	char f[224];
	int r;

	fieldf(f, sizeof(f), "%s.envFrom", base);
	if ((r = get_seq(c, ctr, "envFrom", f, &seq)) < 0)
		return r;
	if (seq && seq->n) {
		ct->env_from = true;
		ct->env_from_pos = pos_of(c, seq);
	}
	fieldf(f, sizeof(f), "%s.env", base);
	if ((r = get_seq(c, ctr, "env", f, &seq)) < 0 || !seq || !seq->n)
		return r;
	if (!(ct->env = cs_arena_alloc(c->m->arena, seq->n * sizeof(*ct->env))))
		return -ENOMEM;
	while ((it = next_item(seq, &iter)) != NULL) {
		struct cs_k8s_env *e = &ct->env[i];
		char item[192];

		fieldf(item, sizeof(item), "%s.env[%zu]", base, i++);
		if ((r = visit(c, &it, item)) < 0 || (r = need_map(c, it, item)) < 0)
			return r;
		e->pos = pos_of(c, it);
#define F(k) (fieldf(f, sizeof(f), "%s.%s", item, k), f)
		if ((r = get_str(c, it, "name", F("name"), &e->name)) < 0 ||
		    (r = get_str(c, it, "value", F("value"), &e->value)) < 0 ||
		    (r = get_map(c, it, "valueFrom", F("valueFrom"), &from)) < 0)
			return r;
		if (!e->name || !*e->name)
			return errf(c, it, EINVAL, F("name"), "env entry has no name");
		if (from && e->value && *e->value)
			return errf(c, it, EINVAL, F("valueFrom"),
				    "both value and valueFrom: the API server rejects it");
#undef F
		if (from)
			e->value = NULL; /* not in the manifest */
		else if (!e->value)
			e->value = "";
		ct->n_env++;
	}
	return 0;
}

/*
 * A sysctl of the pod as the API server's validateSysctls takes it
 * (pkg/apis/core/validation): a name IsValidSysctlName takes (at most 253
 * bytes, segments of [a-z0-9], '-' and '_' inside, between '.' or '/'),
 * none twice, and none of the network namespace with hostNetwork nor of
 * the IPC namespace with hostIPC (ValidateHostSysctl, on create). Each
 * was read: `hostNetwork: true` with net.ipv4.ip_unprivileged_port_start=0
 * was said to let the container bind port 80, on a pod the API server
 * refuses (and whose sysctl would be the node's).
 */
static bool sysctl_name_ok(const char *n)
{
	size_t len = strlen(n), seg = 0;

	if (!len || len > 253)
		return false;
	for (size_t i = 0; i <= len; i++) {
		char ch = n[i];

		if (ch == '.' || ch == '/' || ch == '\0') {
			/* a segment: [a-z0-9] at both ends */
			if (!seg || n[i - 1] == '-' || n[i - 1] == '_')
				return false;
			seg = 0;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ((ch == '-' || ch == '_') && seg)))
			return false;
		seg++;
	}
	return true;
}

/* component-helpers' GetNamespace: 'N' (net), 'I' (IPC) or 0, after
 * NormalizeName (a name whose first separator is '/' swaps '/' and '.') and
 * up to a '*' */
static char sysctl_ns(const char *name)
{
	static const char *const ipc[] = {
	    "kernel.sem",    "kernel.shmall",	       "kernel.shmmax",
	    "kernel.shmmni", "kernel.shm_rmid_forced", "kernel.shm",
	    "kernel.msgmax", "kernel.msgmnb",	       "kernel.msgmni",
	    "kernel.msg"};
	char n[256];
	size_t sep = strcspn(name, "./"), len = strcspn(name, "*");

	if (len >= sizeof(n))
		len = sizeof(n) - 1;
	memcpy(n, name, len);
	n[len] = '\0';
	for (size_t i = 0; name[sep] == '/' && i < len; i++)
		n[i] = n[i] == '.' ? '/' : n[i] == '/' ? '.' : n[i];
	for (size_t i = 0; i < sizeof(ipc) / sizeof(ipc[0]); i++)
		if (!strcmp(n, ipc[i]))
			return 'I';
	if (!strncmp(n, "net.", 4))
		return 'N';
	return !strncmp(n, "fs.mqueue.", 10) ? 'I' : 0;
}

static int cmp_sysctl(const void *a, const void *b)
{
	const struct cs_k8s_sysctl *x = *(const struct cs_k8s_sysctl *const *)a,
				   *y = *(const struct cs_k8s_sysctl *const *)b;
	int r = strcmp(x->name, y->name);

	return r ? r : (x < y ? -1 : x > y);
}

static int check_sysctls(struct ctx *c, struct ydoc_node **nodes, const char *path,
			 const struct cs_k8s_pod *p)
{
	const struct cs_k8s_sysctl **v;
	char f[192], cl[CS_CLIP];

	for (size_t i = 0; i < p->n_sysctls; i++) {
		const char *n = p->sysctls[i].name;
		char ns = sysctl_ns(n);

		fieldf(f, sizeof(f), "%s.securityContext.sysctls[%zu].name", path, i);
		if (!*n)
			return errf(
			    c, nodes[i], EINVAL, f,
			    "Required value: a sysctl needs a name (the API server refuses the "
			    "pod)");
		if (!sysctl_name_ok(n))
			return errf(c, nodes[i], EINVAL, f,
				    "Invalid value \"%s\": must have at most 253 characters and "
				    "match [a-z0-9]([-_a-z0-9]*[a-z0-9])? between '.' or '/' (the "
				    "API server refuses the pod)",
				    cs_clip(cl, sizeof(cl), n));
		if ((ns == 'N' && p->host_network) || (ns == 'I' && p->host_ipc))
			return errf(c, nodes[i], EINVAL, f,
				    "Invalid value \"%s\": may not be specified when '%s' is true "
				    "(the API server refuses the pod)",
				    cs_clip(cl, sizeof(cl), n),
				    ns == 'N' ? "hostNetwork" : "hostIPC");
	}
	/* duplicates, by sorting: n sysctls are not n^2 comparisons */
	if (p->n_sysctls < 2)
		return 0;
	if (!(v = cs_arena_alloc(c->m->arena, p->n_sysctls * sizeof(*v))))
		return -ENOMEM;
	for (size_t i = 0; i < p->n_sysctls; i++)
		v[i] = &p->sysctls[i];
	qsort(v, p->n_sysctls, sizeof(*v), cmp_sysctl);
	for (size_t i = 1; i < p->n_sysctls; i++) {
		size_t k = (size_t)(v[i] - p->sysctls);

		if (strcmp(v[i - 1]->name, v[i]->name) != 0)
			continue;
		fieldf(f, sizeof(f), "%s.securityContext.sysctls[%zu].name", path, k);
		return errf(c, nodes[k], EINVAL, f,
			    "Duplicate value \"%s\" (the API server refuses the pod)", v[i]->name);
	}
	return 0;
}

/*
 * The fields the API server forbids on a pod whose spec.os.name is windows
 * (pkg/apis/core/validation validateWindows: "cannot be set for a windows
 * pod"): a container's Linux-only securityContext fields, and the pod's.
 * Read as if the pod ran, such a pod was predicted; the API server
 * refuses it.
 */
static const char *const windows_ctr_forbidden[] = {"seLinuxOptions",
						    "seccompProfile",
						    "capabilities",
						    "readOnlyRootFilesystem",
						    "privileged",
						    "allowPrivilegeEscalation",
						    "procMount",
						    "runAsUser",
						    "runAsGroup",
						    "appArmorProfile",
						    NULL};
static const char *const windows_pod_forbidden[] = {"seLinuxOptions",
						    "seccompProfile",
						    "fsGroup",
						    "fsGroupChangePolicy",
						    "sysctls",
						    "runAsUser",
						    "runAsGroup",
						    "supplementalGroups",
						    "appArmorProfile",
						    "supplementalGroupsPolicy",
						    "seLinuxChangePolicy",
						    NULL};

/* validateLinux: "windows options cannot be set for a linux pod". */
static const char *const linux_forbidden[] = {"windowsOptions", NULL};

/* keys (windows_*_forbidden, or linux_forbidden on a linux pod) set in sc */
static int os_forbidden(struct ctx *c, struct ydoc_node *sc, const char *base,
			const char *const *keys)
{
	char f[224];
	int r;

	if (c->linux_os)
		keys = linux_forbidden;
	for (size_t i = 0; (c->windows || c->linux_os) && sc && keys[i]; i++) {
		struct ydoc_node *v = ydoc_get(sc, keys[i]);

		fieldf(f, sizeof(f), "%s.%s", base, keys[i]);
		if ((r = visit(c, &v, f)) < 0)
			return r;
		if (v && !ydoc_is_null(v))
			return errf(c, v, EINVAL, f,
				    "cannot be set for a %s pod (spec.os.name): the API server "
				    "refuses the pod",
				    c->windows ? "windows" : "linux");
	}
	return 0;
}

/*
 * spec.os: absent, or a name the API server knows (validateOS: "linux" or
 * "windows"; an empty name is "Required value", another "Unsupported
 * value"). It decides which securityContext fields may be set, and the
 * kubelet of a Linux node refuses a windows pod (lib/explain/pod.c).
 */
static int get_os(struct ctx *c, struct ydoc_node *spec, const char *path, struct cs_k8s_pod *p)
{
	struct ydoc_node *os;
	char f[160];
	int r;

	c->windows = c->linux_os = false;
	fieldf(f, sizeof(f), "%s.os", path);
	if ((r = get_map(c, spec, "os", f, &os)) < 0 || !os)
		return r;
	fieldf(f, sizeof(f), "%s.os.name", path);
	if ((r = get_str(c, os, "name", f, &p->os_name)) < 0)
		return r;
	if (!p->os_name || !p->os_name[0])
		return errf(c, p->os_name ? ydoc_get(os, "name") : os, EINVAL, f,
			    "Required value: the API server refuses the pod");
	if (strcmp(p->os_name, "linux") && strcmp(p->os_name, "windows"))
		return errf(c, ydoc_get(os, "name"), EINVAL, f,
			    "Unsupported value \"%.40s\" (\"linux\" or \"windows\"): the API "
			    "server refuses the pod",
			    p->os_name);
	c->windows = !strcmp(p->os_name, "windows");
	c->linux_os = !c->windows;
	return 0;
}

static int parse_containers(struct ctx *c, struct ydoc_node *spec, const char *path,
			    const char *key, enum cs_k8s_ctr_kind kind, struct cs_k8s_pod *p)
{
	struct ydoc_node *seq, *it;
	size_t iter = 0;
	char base[128], f[192];
	size_t i = 0;
	int r;

	fieldf(f, sizeof(f), "%s.%s", path, key);
	if ((r = get_seq(c, spec, key, f, &seq)) < 0 || !seq)
		return r;
	size_t n = (size_t)seq->n;
	struct cs_k8s_container *v = cs_arena_grow(c->m->arena, p->containers, p->n_containers,
						   p->n_containers + n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	p->containers = v;
	while ((it = next_item(seq, &iter)) != NULL && i < n) {
		struct cs_k8s_container *ct = &p->containers[p->n_containers];
		struct ydoc_node *scn, *ports;

		fieldf(base, sizeof(base), "%s.%s[%zu]", path, key, i++);
		if ((r = visit(c, &it, base)) < 0 || (r = need_map(c, it, base)) < 0)
			return r;
		ct->kind = kind;
		ct->pos = pos_of(c, it);
#define F(k) (fieldf(f, sizeof(f), "%s.%s", base, k), f)
		if ((r = get_str(c, it, "name", F("name"), &ct->name)) < 0 ||
		    (r = get_str(c, it, "image", F("image"), &ct->image)) < 0 ||
		    (r = get_str(c, it, "workingDir", F("workingDir"), &ct->working_dir)) < 0 ||
		    (r = get_strlist(c, it, "command", F("command"), &ct->command, NULL, NULL)) <
			0 ||
		    (r = get_strlist(c, it, "args", F("args"), &ct->args, NULL, NULL)) < 0)
			return r;
		if (!ct->name)
			return errf(c, it, EINVAL, F("name"), "container has no name");
		if ((r = parse_env(c, it, base, ct)) < 0)
			return r;
		if ((r = get_map(c, it, "securityContext", F("securityContext"), &scn)) < 0)
			return r;
		if (scn) {
			ct->has_sc = true;
			if ((r = parse_sc(c, scn, F("securityContext"), &ct->sc)) < 0 ||
			    (r = os_forbidden(c, scn, F("securityContext"),
					      windows_ctr_forbidden)) < 0)
				return r;
		}
		if ((r = get_seq(c, it, "ports", F("ports"), &ports)) < 0)
			return r;
		if (ports) {
			size_t pi = 0;
			struct ydoc_node *pn;

			while ((pn = next_item(ports, &pi)) != NULL) {
				struct cs_opt_i64 hp, cp;

				if ((r = visit(c, &pn, F("ports"))) < 0 ||
				    (r = need_map(c, pn, F("ports"))) < 0 ||
				    (r = get_i32(c, pn, "hostPort", F("ports.hostPort"), &hp)) <
					0 ||
				    (r = get_i32(c, pn, "containerPort", F("ports.containerPort"),
						 &cp)) < 0)
					return r;
				if (hp.set && hp.v != 0)
					ct->host_port = true;
				if (cp.set && cp.v > 0 && cp.v < 1024 &&
				    (!ct->low_port || cp.v < ct->low_port))
					ct->low_port = (int)cp.v;
			}
		}
#undef F
		p->n_containers++;
	}
	return 0;
}

/* The API server's "Duplicate value" for a container name (lib/k8s/ctr-names.c). */
static int unique_names(struct ctx *c, const char *path, const struct cs_k8s_pod *p)
{
	static const char *const list[] = {
	    [CS_CTR_INIT] = "initContainers",
	    [CS_CTR_APP] = "containers",
	    [CS_CTR_EPHEMERAL] = "ephemeralContainers",
	};
	const struct cs_k8s_container *ct;
	char f[192];
	size_t dup, at = 0;
	int r = cs_k8s_dup_ctr_name(p->containers, p->n_containers, &dup);

	if (r <= 0)
		return r;
	ct = &p->containers[dup];
	for (size_t i = 0; i < dup; i++) /* its index in its own list */
		at += p->containers[i].kind == ct->kind;
	fieldf(f, sizeof(f), "%s.%s[%zu].name", path, list[ct->kind], at);
	if (c->d)
		cs_diag_put_file(c->d, "%s", c->name ? c->name : "");
	return cs_diag_set(c->d, EINVAL, ct->pos.line, ct->pos.column, f,
			   "Duplicate value \"%s\": the API server refuses the pod (container "
			   "names are unique across initContainers, containers and "
			   "ephemeralContainers)",
			   ct->name);
}

static int parse_pod_spec(struct ctx *c, struct ydoc_node *spec, const char *path,
			  struct cs_k8s_pod *p)
{
	char f[160];
	struct ydoc_node *psc, *vols;
	struct cs_opt_bool b;
	int r;

#define F(k) (fieldf(f, sizeof(f), "%s.%s", path, k), f)
	if ((r = need_map(c, spec, path)) < 0 || (r = get_os(c, spec, path, p)) < 0)
		return r;
	if ((r = get_bool(c, spec, "hostUsers", F("hostUsers"), &p->host_users)) < 0 ||
	    (r = get_str(c, spec, "serviceAccountName", F("serviceAccountName"),
			 &p->service_account)) < 0)
		return r;
	c->userns = p->host_users.set && !p->host_users.v;
	if ((r = get_bool(c, spec, "hostNetwork", F("hostNetwork"), &b)) < 0)
		return r;
	p->host_network = b.set && b.v;
	if ((r = get_bool(c, spec, "hostPID", F("hostPID"), &b)) < 0)
		return r;
	p->host_pid = b.set && b.v;
	if ((r = get_bool(c, spec, "hostIPC", F("hostIPC"), &b)) < 0)
		return r;
	p->host_ipc = b.set && b.v;

	if ((r = get_map(c, spec, "securityContext", F("securityContext"), &psc)) < 0)
		return r;
	if (psc) {
		struct ydoc_node *sg, *sy, *it;
		size_t iter = 0;

		if ((r = get_i64(c, psc, "runAsUser", F("securityContext.runAsUser"),
				 &p->run_as_user)) < 0 ||
		    (r = get_i64(c, psc, "runAsGroup", F("securityContext.runAsGroup"),
				 &p->run_as_group)) < 0 ||
		    (r = get_i64(c, psc, "fsGroup", F("securityContext.fsGroup"), &p->fs_group)) <
			0 ||
		    (r = get_bool(c, psc, "runAsNonRoot", F("securityContext.runAsNonRoot"),
				  &p->run_as_non_root)) < 0)
			return r;
		fieldf(f, sizeof(f), "%s.securityContext", path);
		if ((r = get_profile(c, psc, "seccompProfile", f, &p->seccomp_type,
				     &p->seccomp_local)) < 0)
			return r;
		if ((r = get_host_process(c, psc, f, &p->host_process)) < 0 ||
		    (r = get_isolation(c, psc, f, &p->apparmor_type, &p->apparmor_local,
				       &p->selinux_type, &p->selinux_user, &p->selinux_role,
				       NULL)) < 0)
			return r;
		if ((r = get_str(c, psc, "supplementalGroupsPolicy",
				 F("securityContext.supplementalGroupsPolicy"),
				 &p->supplemental_groups_policy)) < 0)
			return r;
		if ((r = get_seq(c, psc, "supplementalGroups",
				 F("securityContext.supplementalGroups"), &sg)) < 0)
			return r;
		if (sg) {
			size_t n = (size_t)sg->n;

			p->supplemental_groups =
			    cs_arena_alloc(c->m->arena, (n + 1) * sizeof(int64_t));
			if (!p->supplemental_groups)
				return -ENOMEM;
			while ((it = next_item(sg, &iter)) != NULL &&
			       p->n_supplemental_groups < n) {
				if ((r = visit(c, &it, f)) < 0 ||
				    (r = scalar_i64(
					 c, it, F("securityContext.supplementalGroups"),
					 &p->supplemental_groups[p->n_supplemental_groups])) < 0)
					return r;
				p->n_supplemental_groups++;
			}
		}
		if ((r = get_seq(c, psc, "sysctls", F("securityContext.sysctls"), &sy)) < 0)
			return r;
		if (sy) {
			size_t n = (size_t)sy->n;

			struct ydoc_node **nodes =
			    cs_arena_alloc(c->m->arena, (n + 1) * sizeof(*nodes));

			iter = 0;
			p->sysctls = cs_arena_alloc(c->m->arena, (n + 1) * sizeof(*p->sysctls));
			if (!p->sysctls || !nodes)
				return -ENOMEM;
			while ((it = next_item(sy, &iter)) != NULL && p->n_sysctls < n) {
				struct cs_k8s_sysctl *s = &p->sysctls[p->n_sysctls];

				if ((r = visit(c, &it, F("securityContext.sysctls"))) < 0 ||
				    (r = need_map(c, it, F("securityContext.sysctls"))) < 0 ||
				    (r = get_str(c, it, "name", F("securityContext.sysctls.name"),
						 &s->name)) < 0)
					return r;
				/* The value is a string in the API; a plain number is what
				 * people write ("0"), and Kubernetes rejects it unquoted. */
				if ((r = get_str(c, it, "value", F("securityContext.sysctls.value"),
						 &s->value)) < 0)
					return r;
				if (!s->name || !s->value)
					return errf(c, it, EINVAL, F("securityContext.sysctls"),
						    "a sysctl needs a name and a value");
				nodes[p->n_sysctls++] = ydoc_get(it, "name");
			}
			if ((r = check_sysctls(c, nodes, path, p)) < 0)
				return r;
		}
	}

	if ((r = os_forbidden(c, psc, F("securityContext"), windows_pod_forbidden)) < 0 ||
	    (r = get_seq(c, spec, "volumes", F("volumes"), &vols)) < 0)
		return r;
	if (vols) {
		size_t n = (size_t)vols->n, i = 0;
		size_t iter = 0;
		struct ydoc_node *it;

		p->volume_types.v = cs_arena_alloc(c->m->arena, (n + 1) * sizeof(char *));
		if (!p->volume_types.v)
			return -ENOMEM;
		while ((it = next_item(vols, &iter)) != NULL && i < n) {
			const char *type = NULL;

			if ((r = visit(c, &it, F("volumes"))) < 0 ||
			    (r = need_map(c, it, F("volumes"))) < 0)
				return r;
			for (uint32_t k_i = 0; k_i < it->n; k_i++) {
				const struct ydoc_node *k = it->u.pairs[k_i].key;
				size_t len;
				const char *ks = is_scalar(k) ? scalar_text(k, &len) : NULL;

				if (ks && !eqn(ks, len, "name")) {
					type = cs_arena_strndup(c->m->arena, ks, len);
					break;
				}
			}
			p->volume_types.v[i++] = type ? type : "unknown";
		}
		p->volume_types.n = i;
	}

	if ((r = parse_containers(c, spec, path, "initContainers", CS_CTR_INIT, p)) < 0 ||
	    (r = parse_containers(c, spec, path, "containers", CS_CTR_APP, p)) < 0 ||
	    (r = parse_containers(c, spec, path, "ephemeralContainers", CS_CTR_EPHEMERAL, p)) < 0)
		return r;
#undef F
	return unique_names(c, path, p);
}

static int add_pod(struct ctx *c, struct cs_k8s_pod **out)
{
	struct cs_k8s_manifest *m = c->m;

	if (m->n_pods == m->cap_pods) {
		size_t nc = m->cap_pods ? m->cap_pods * 2 : 4;
		struct cs_k8s_pod *v = cs_arena_grow(m->arena, m->pods, m->n_pods, nc, sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->pods = v;
		m->cap_pods = nc;
	}
	*out = &m->pods[m->n_pods];
	memset(*out, 0, sizeof(**out));
	return 0;
}

static int parse_scc_doc(struct ctx *c, struct ydoc_node *root, const char *name);
static int parse_object(struct ctx *c, struct ydoc_node *root, const char *path, int depth);

/*
 * capscope.io/lint-ignore: on the object's own metadata (what a chart author
 * edits), else on the pod template's.
 */
static int get_lint_ignore(struct ctx *c, struct ydoc_node *meta, struct ydoc_node *tmeta,
			   const char *tpath, struct cs_k8s_pod *p)
{
	struct ydoc_node *ann;
	char f[192];
	int r;

	for (int i = 0; i < 2 && !p->lint_ignore; i++) {
		struct ydoc_node *m = i ? tmeta : meta;
		const char *mp = i ? tpath : "metadata";

		if (!m)
			continue;
		if ((r = get_map(c, m, "annotations", fieldf(f, sizeof(f), "%s.annotations", mp),
				 &ann)) < 0)
			return r;
		fieldf(f, sizeof(f), "%s.annotations.capscope.io/lint-ignore", mp);
		if (ann && (r = get_str(c, ann, "capscope.io/lint-ignore", f, &p->lint_ignore)) < 0)
			return r;
	}
	return 0;
}

/*
 * The pod's label kubernetes.io/os: the kubelet compares it with its node's
 * (rejectPodAdmissionBasedOnOSSelector, lib/explain/pod.c).
 */
static int get_os_label(struct ctx *c, struct ydoc_node *tmeta, const char *tpath,
			struct cs_k8s_pod *p)
{
	struct ydoc_node *labels;
	char f[192];
	int r;

	if ((r = get_map(c, tmeta, "labels", fieldf(f, sizeof(f), "%s.labels", tpath), &labels)) <
		0 ||
	    !labels)
		return r;
	return get_str(c, labels, "kubernetes.io/os",
		       fieldf(f, sizeof(f), "%s.labels.kubernetes.io/os", tpath), &p->os_label);
}

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
static const struct cs_k8s_container **sorted_ctrs(struct ctx *c, const struct cs_k8s_pod *p,
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
	return *n && !go_padded(n) && strlen(n) <= 4095;
}

static int apparmor_match(struct ctx *c, struct ydoc_node *at, const char *f,
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
		return errf(c, at, EINVAL, f,
			    "Forbidden: apparmor type in annotation and field must match (\"%s\" "
			    "against appArmorProfile type %s of container %s): the API server "
			    "refuses the pod",
			    v, type, ct->name);
	if (!strcmp(type, "Localhost") && (!local || strcmp(v + 10, local) != 0))
		return errf(c, at, EINVAL, f,
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
static int annotation_entry(struct ctx *c, const struct ydoc_pair *kv, const char *tpath, char *f,
			    size_t fsize, const char **key, const char **v)
{
	size_t kl;
	const char *kt = scalar_text(kv->key, &kl);

	if (memchr(kt, '\0', kl))
		return errf(c, kv->key, EINVAL, fieldf(f, fsize, "%s.annotations", tpath),
			    "a key holds a NUL byte");
	if (!(*key = cs_arena_strndup(c->m->arena, kt, kl)))
		return -ENOMEM;
	fieldf(f, fsize, "%s.annotations.%s", tpath, *key);
	return node_str(c, kv->value, f, v);
}

/* Read after the pod's spec: a key names one of its containers. */
static int get_apparmor_annotations(struct ctx *c, struct ydoc_node *ann, const char *tpath,
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
			return errf(c, k, EINVAL, f,
				    "Invalid value \"%s\": container not found (the API server "
				    "refuses the pod)",
				    cs_clip(cl, sizeof(cl), key + pl));
		if (v && *v && strcmp(v, "runtime/default") != 0 && strcmp(v, "unconfined") != 0 &&
		    strncmp(v, "localhost/", 10) != 0)
			return errf(c, ann->u.pairs[i].value, EINVAL, f,
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
static int seccomp_annotation(struct ctx *c, struct ydoc_node *at, const char *f, const char *v,
			      const char *type, const char *local)
{
	char cl[CS_CLIP];
	bool lh = !strncmp(v, "localhost/", 10);
	const char *n = lh ? v + 10 : "";

	if (strcmp(v, "runtime/default") != 0 && strcmp(v, "docker/default") != 0 &&
	    strcmp(v, "unconfined") != 0 && !lh)
		return errf(c, at, EINVAL, f,
			    "Invalid value \"%s\": must be a valid seccomp profile (the API server "
			    "refuses the pod)",
			    cs_clip(cl, sizeof(cl), v));
	if (lh && (*n == '/' || has_dotdot(n)))
		return errf(c, at, EINVAL, f,
			    "Invalid value \"%s\": must be a relative path without '..' (the API "
			    "server refuses the pod)",
			    cs_clip(cl, sizeof(cl), n));
	if (!type)
		return 0;
	if ((!strcmp(type, "Unconfined") && strcmp(v, "unconfined") != 0) ||
	    (!strcmp(type, "RuntimeDefault") && strcmp(v, "runtime/default") != 0 &&
	     strcmp(v, "docker/default") != 0) ||
	    (!strcmp(type, "Localhost") && !lh))
		return errf(c, at, EINVAL, f,
			    "Forbidden: seccomp type in annotation and field must match (\"%s\" "
			    "against seccompProfile type %s): the API server refuses the pod",
			    v, type);
	if (!strcmp(type, "Localhost") && (!local || strcmp(n, local) != 0))
		return errf(c, at, EINVAL, f,
			    "Forbidden: seccomp profile in annotation and field must match (\"%s\" "
			    "against localhostProfile \"%s\"): the API server refuses the pod",
			    v, local ? local : "");
	return 0;
}

static int get_seccomp_annotations(struct ctx *c, struct ydoc_node *ann, const char *tpath,
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

/* A workload: find its pod template (spec, spec.template.spec, …). */
static int parse_workload(struct ctx *c, struct ydoc_node *root, const char *path, const char *kind)
{
	struct ydoc_node *meta, *spec, *tmpl = NULL, *tmeta = NULL, *pspec, *ann;
	struct cs_k8s_pod *p;
	/* tp: the pod (template) metadata's path, which messages name */
	char f[160], sp[128], tp[128] = "metadata";
	int r;

	if ((r = get_map(c, root, "metadata", "metadata", &meta)) < 0)
		return r;
	if ((r = get_map(c, root, "spec", "spec", &spec)) < 0)
		return r;
	if (!spec)
		return errf(c, root, EINVAL, "spec", "%s has no spec", kind);
	if (strcmp(kind, "Pod") == 0) {
		pspec = spec;
		tmeta = meta;
		fieldf(sp, sizeof(sp), "spec");
	} else {
		struct ydoc_node *s = spec;

		fieldf(sp, sizeof(sp), "spec");
		if (strcmp(kind, "CronJob") == 0) {
			struct ydoc_node *jt;

			if ((r = get_map(c, spec, "jobTemplate", "spec.jobTemplate", &jt)) < 0)
				return r;
			if (!jt || (r = get_map(c, jt, "spec", "spec.jobTemplate.spec", &s)) < 0 ||
			    !s)
				return r < 0 ? r
					     : errf(c, spec, EINVAL, "spec.jobTemplate.spec",
						    "CronJob has no jobTemplate.spec");
			fieldf(sp, sizeof(sp), "spec.jobTemplate.spec");
		}
		fieldf(f, sizeof(f), "%s.template", sp);
		if ((r = get_map(c, s, "template", f, &tmpl)) < 0)
			return r;
		if (!tmpl)
			return errf(c, s, EINVAL, f, "%s has no pod template", kind);
		fieldf(tp, sizeof(tp), "%s.template.metadata", sp);
		if ((r = get_map(c, tmpl, "metadata", tp, &tmeta)) < 0)
			return r;
		fieldf(f, sizeof(f), "%s.template.spec", sp);
		if ((r = get_map(c, tmpl, "spec", f, &pspec)) < 0)
			return r;
		if (!pspec)
			return errf(c, tmpl, EINVAL, f, "pod template has no spec");
		fieldf(sp, sizeof(sp), "%s", f);
	}
	if ((r = add_pod(c, &p)) < 0)
		return r;
	p->file = c->name;
	p->kind = cs_arena_strndup(c->m->arena, kind, strlen(kind));
	p->pos = pos_of(c, root);
	if (meta && ((r = get_str(c, meta, "name", "metadata.name", &p->name)) < 0 ||
		     (r = get_str(c, meta, "namespace", "metadata.namespace", &p->namespace)) < 0))
		return r;
	/* The SCC annotation is read from the pod (template) metadata, which is
	 * what admission sees; a Pod's own metadata is its template. */
	if ((r = get_lint_ignore(c, meta, tmeta, tp, p)) < 0)
		return r;
	if ((r = get_map(c, tmeta, "annotations", fieldf(f, sizeof(f), "%s.annotations", tp),
			 &ann)) < 0 ||
	    (r = get_os_label(c, tmeta, tp, p)) < 0)
		return r;
	fieldf(f, sizeof(f), "%s.annotations.openshift.io/required-scc", tp);
	if (ann && (r = get_str(c, ann, "openshift.io/required-scc", f, &p->required_scc)) < 0)
		return r;
	if ((r = parse_pod_spec(c, pspec, sp, p)) < 0 ||
	    (r = get_apparmor_annotations(c, ann, tp, p)) < 0 ||
	    (r = get_seccomp_annotations(c, ann, tp, p)) < 0)
		return r;
	(void)path;
	c->m->n_pods++;
	return 0;
}

/*
 * The apiVersions under which Kubernetes (and OpenShift, for SCCs: its
 * group, and the legacy v1 of OpenShift 3) has served each kind read here,
 * the removed betas included (older clusters took them).
 */
static const struct {
	const char *kind, *versions;
} kind_versions[] = {
    {"Pod", " v1 "},
    {"ReplicationController", " v1 "},
    {"Deployment", " apps/v1 apps/v1beta1 apps/v1beta2 extensions/v1beta1 "},
    {"DaemonSet", " apps/v1 apps/v1beta2 extensions/v1beta1 "},
    {"ReplicaSet", " apps/v1 apps/v1beta2 extensions/v1beta1 "},
    {"StatefulSet", " apps/v1 apps/v1beta1 apps/v1beta2 "},
    {"Job", " batch/v1 "},
    {"CronJob", " batch/v1 batch/v1beta1 batch/v2alpha1 "},
    {"SecurityContextConstraints", " security.openshift.io/v1 v1 "},
};

/* A group of Kubernetes or OpenShift themselves (no dot: the core and
 * apps, batch, extensions...; or *.k8s.io, *.openshift.io). */
static bool builtin_group(const char *av)
{
	const char *slash = strchr(av, '/');
	size_t gl = slash ? (size_t)(slash - av) : 0;
	static const char *const suffixes[] = {".k8s.io", ".openshift.io"};

	if (!memchr(av, '.', gl))
		return true;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t sl = strlen(suffixes[i]);

		if (gl >= sl && !memcmp(av + gl - sl, suffixes[i], sl))
			return true;
	}
	return false;
}

/*
 * The API server finds an object's type by apiVersion and kind: `apps/v1`
 * with kind Pod is "no matches for kind", refused by kubectl and the API
 * server, and `example.com/v1` with kind Deployment is a custom resource,
 * no Deployment at all. Both were read as the kind alone says (the
 * apiVersion was never read): linted and predicted as a workload that
 * runs. 0: the kind is read; 1: a custom resource, skipped; or an error.
 * No apiVersion at all is a fragment, read by its kind as before.
 */
static int check_api_version(struct ctx *c, struct ydoc_node *root, const char *kind)
{
	const char *av;
	int r;

	if ((r = get_str(c, root, "apiVersion", "apiVersion", &av)) < 0 || !av)
		return r;
	for (size_t i = 0; i < sizeof(kind_versions) / sizeof(kind_versions[0]); i++) {
		const char *v = kind_versions[i].versions;
		size_t n = strlen(av);

		if (strcmp(kind, kind_versions[i].kind))
			continue;
		/* a whole word of the list: " av " */
		for (const char *w = v; n && *w; w += strcspn(w, " "), w += strspn(w, " "))
			if (!strncmp(w, av, n) && w[n] == ' ')
				return 0;
		if (!n)
			return errf(c, ydoc_get(root, "apiVersion"), EINVAL, "apiVersion",
				    "empty: kubectl and the API server refuse the object");
		if (!builtin_group(av))
			return 1;
		return errf(c, ydoc_get(root, "apiVersion"), EINVAL, "apiVersion",
			    "'%.60s' serves no %s: kubectl and the API server refuse the object "
			    "(no matches for kind)",
			    av, kind);
	}
	return 0;
}

static int parse_object(struct ctx *c, struct ydoc_node *root, const char *path, int depth)
{
	const char *kind;
	int r;
	static const char *const workloads[] = {"Pod",	     "Deployment",	     "StatefulSet",
						"DaemonSet", "ReplicaSet",	     "Job",
						"CronJob",   "ReplicationController"};

	if ((r = visit(c, &root, path)) < 0)
		return r;
	if (!root || ydoc_is_null(root))
		return 0;
	if ((r = need_map(c, root, path)) < 0)
		return r;
	if ((r = get_str(c, root, "kind", "kind", &kind)) < 0)
		return r;
	if (!kind)
		return errf(c, root, EINVAL, "kind", "document has no kind");
	if ((r = check_api_version(c, root, kind)) != 0) {
		c->m->n_skipped += r > 0;
		return r > 0 ? 0 : r;
	}
	for (size_t i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++)
		if (strcmp(kind, workloads[i]) == 0)
			return parse_workload(c, root, path, kind);
	if (strcmp(kind, "SecurityContextConstraints") == 0)
		return parse_scc_doc(c, root, c->name);
	if (strcmp(kind, "List") == 0 ||
	    (strlen(kind) > 4 && !strcmp(kind + strlen(kind) - 4, "List"))) {
		struct ydoc_node *items, *it;
		size_t iter = 0;
		size_t i = 0;
		char f[64];

		if (depth >= MAX_LIST_DEPTH)
			return errf(c, root, EINVAL, "items", "Lists nested too deeply");
		if ((r = get_seq(c, root, "items", "items", &items)) < 0)
			return r;
		while (items && (it = next_item(items, &iter)) != NULL) {
			fieldf(f, sizeof(f), "items[%zu]", i++);
			if ((r = parse_object(c, it, f, depth + 1)) < 0)
				return r;
		}
		return 0;
	}
	c->m->n_skipped++;
	return 0;
}

/* ---- SecurityContextConstraints ---- */

/* fsGroup.ranges / supplementalGroups.ranges: a list of {min, max} (IDRange). */
static int get_id_ranges(struct ctx *c, struct ydoc_node *map, const char *field,
			 struct cs_id_range **out, size_t *n)
{
	struct ydoc_node *seq, *it;
	size_t iter = 0;
	char f[96];
	int r;

	*out = NULL;
	*n = 0;
	fieldf(f, sizeof(f), "%s.ranges", field);
	if ((r = get_seq(c, map, "ranges", f, &seq)) < 0 || !seq)
		return r;
	*out = cs_arena_alloc(c->m->arena, ((size_t)seq->n + 1) * sizeof(**out));
	if (!*out)
		return -ENOMEM;
	while ((it = next_item(seq, &iter)) != NULL) {
		struct cs_opt_i64 lo, hi;

		fieldf(f, sizeof(f), "%s.ranges[%zu]", field, *n);
		if ((r = need_map(c, it, f)) < 0 || (r = get_i64(c, it, "min", f, &lo)) < 0 ||
		    (r = get_i64(c, it, "max", f, &hi)) < 0)
			return r;
		if (!lo.set || !hi.set || lo.v > hi.v)
			return errf(c, it, EINVAL, f, "a range needs min <= max");
		(*out)[(*n)++] = (struct cs_id_range){lo.v, hi.v};
	}
	return 0;
}

static int get_group_strategy(struct ctx *c, struct ydoc_node *root, const char *key,
			      const char **type, struct cs_id_range **v, size_t *n)
{
	struct ydoc_node *map;
	char f[64];
	int r;

	*type = NULL;
	*v = NULL;
	*n = 0;
	fieldf(f, sizeof(f), "%s.type", key);
	if ((r = get_map(c, root, key, key, &map)) < 0 || !map ||
	    (r = get_str(c, map, "type", f, type)) < 0)
		return r;
	/* provider.go createFSGroupStrategy / createSupplementalGroupStrategy:
	 * another type fails every admission; absent or "" is defaulted to
	 * RunAsAny (sccdefaults). Read as RunAsAny, it checked nothing. */
	if (*type && **type && strcmp(*type, "MustRunAs") != 0 && strcmp(*type, "RunAsAny") != 0)
		return errf(c, ydoc_get(map, "type"), EINVAL, f,
			    "unknown %s strategy '%s' (MustRunAs or RunAsAny)", key, *type);
	return get_id_ranges(c, map, key, v, n);
}

static int parse_scc_doc(struct ctx *c, struct ydoc_node *root, const char *file)
{
	struct cs_k8s_manifest *m = c->m;
	struct cs_scc *s;
	struct ydoc_node *meta, *rau, *sel;
	struct cs_opt_bool b;
	bool vols_given = false;
	const char *type;
	int r;

	if (m->n_sccs == m->cap_sccs) {
		size_t nc = m->cap_sccs ? m->cap_sccs * 2 : 8;
		struct cs_scc *v = cs_arena_grow(m->arena, m->sccs, m->n_sccs, nc, sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->sccs = v;
		m->cap_sccs = nc;
	}
	s = &m->sccs[m->n_sccs];
	memset(s, 0, sizeof(*s));
	s->file = file;
	s->pos = pos_of(c, root);
	if ((r = get_map(c, root, "metadata", "metadata", &meta)) < 0)
		return r;
	if (meta && (r = get_str(c, meta, "name", "metadata.name", &s->name)) < 0)
		return r;
	if (!s->name)
		return errf(c, root, EINVAL, "metadata.name",
			    "SecurityContextConstraints has no name");
	if ((r = get_i32(c, root, "priority", "priority", &s->priority)) < 0)
		return r;
#define B(key, dst)                                                                                \
	do {                                                                                       \
		if ((r = get_bool(c, root, key, key, &b)) < 0)                                     \
			return r;                                                                  \
		dst = b.set && b.v;                                                                \
	} while (0)
	B("allowPrivilegedContainer", s->allow_privileged);
	B("allowHostNetwork", s->allow_host_network);
	B("allowHostPID", s->allow_host_pid);
	B("allowHostIPC", s->allow_host_ipc);
	B("allowHostPorts", s->allow_host_ports);
	B("allowHostDirVolumePlugin", s->allow_host_dir_volume);
	B("readOnlyRootFilesystem", s->read_only_root_fs);
#undef B
	if ((r = get_bool(c, root, "allowPrivilegeEscalation", "allowPrivilegeEscalation",
			  &s->allow_privilege_escalation)) < 0 ||
	    (r = get_bool(c, root, "defaultAllowPrivilegeEscalation",
			  "defaultAllowPrivilegeEscalation",
			  &s->default_allow_privilege_escalation)) < 0)
		return r;
	if ((r = get_strlist(c, root, "allowedCapabilities", "allowedCapabilities",
			     &s->allowed_caps, NULL, NULL)) < 0 ||
	    (r = get_strlist(c, root, "defaultAddCapabilities", "defaultAddCapabilities",
			     &s->default_add_caps, NULL, NULL)) < 0 ||
	    (r = get_strlist(c, root, "requiredDropCapabilities", "requiredDropCapabilities",
			     &s->required_drop_caps, NULL, NULL)) < 0 ||
	    (r = get_strlist(c, root, "volumes", "volumes", &s->volumes, &vols_given, NULL)) < 0 ||
	    (r = cs_scc_default_volumes(c->m->arena, s, vols_given)) < 0 ||
	    (r = get_strlist(c, root, "allowedUnsafeSysctls", "allowedUnsafeSysctls",
			     &s->allowed_unsafe_sysctls, NULL, NULL)) < 0 ||
	    (r = get_strlist(c, root, "forbiddenSysctls", "forbiddenSysctls", &s->forbidden_sysctls,
			     NULL, NULL)) < 0 ||
	    (r = get_strlist(c, root, "seccompProfiles", "seccompProfiles", &s->seccomp_profiles,
			     NULL, NULL)) < 0 ||
	    (r = get_str(c, root, "userNamespaceLevel", "userNamespaceLevel",
			 &s->user_namespace_level)) < 0)
		return r;
	/* The CRD's enum (openshift/api security/v1 NamespaceLevelType). */
	if (s->user_namespace_level && strcmp(s->user_namespace_level, "AllowHostLevel") &&
	    strcmp(s->user_namespace_level, "RequirePodLevel"))
		return errf(c, ydoc_get(root, "userNamespaceLevel"), EINVAL, "userNamespaceLevel",
			    "unknown userNamespaceLevel '%s' (AllowHostLevel or RequirePodLevel)",
			    s->user_namespace_level);
	if ((r = get_map(c, root, "runAsUser", "runAsUser", &rau)) < 0)
		return r;
	if (!rau)
		return errf(c, root, EINVAL, "runAsUser", "SCC %s has no runAsUser strategy",
			    s->name);
	if ((r = get_str(c, rau, "type", "runAsUser.type", &type)) < 0)
		return r;
	if (!type)
		return errf(c, rau, EINVAL, "runAsUser.type", "runAsUser has no type");
	if (!strcmp(type, "MustRunAs"))
		s->run_as_user = CS_SCC_MUST_RUN_AS;
	else if (!strcmp(type, "MustRunAsRange"))
		s->run_as_user = CS_SCC_MUST_RUN_AS_RANGE;
	else if (!strcmp(type, "MustRunAsNonRoot"))
		s->run_as_user = CS_SCC_MUST_RUN_AS_NON_ROOT;
	else if (!strcmp(type, "RunAsAny"))
		s->run_as_user = CS_SCC_RUN_AS_ANY;
	else
		return errf(c, ydoc_get(rau, "type"), EINVAL, "runAsUser.type",
			    "unknown runAsUser strategy '%s'", type);
	if ((r = get_i64(c, rau, "uid", "runAsUser.uid", &s->uid)) < 0 ||
	    (r = get_i64(c, rau, "uidRangeMin", "runAsUser.uidRangeMin", &s->uid_min)) < 0 ||
	    (r = get_i64(c, rau, "uidRangeMax", "runAsUser.uidRangeMax", &s->uid_max)) < 0)
		return r;
	if (s->run_as_user == CS_SCC_MUST_RUN_AS && !s->uid.set)
		return errf(c, rau, EINVAL, "runAsUser.uid", "MustRunAs needs a uid");
	/* matcher.go takes the namespace's range only when both bounds are
	 * absent; with one of them NewMustRunAsRange fails, and with it the
	 * admission of every pod in the namespace (CreateProvidersFromConstraints). */
	if (s->run_as_user == CS_SCC_MUST_RUN_AS_RANGE && s->uid_min.set != s->uid_max.set)
		return errf(c, rau, EINVAL,
			    s->uid_min.set ? "runAsUser.uidRangeMax" : "runAsUser.uidRangeMin",
			    "MustRunAsRange needs both uidRangeMin and uidRangeMax, or neither "
			    "(the namespace's range)");
	/* restricted-v3 and nested-container shipped `runAsUser.ranges` before
	 * 362a74d / d22154c; the API has no such field and drops it. */
	s->run_as_user_ranges_pruned = ydoc_get(rau, "ranges") != NULL;
	if ((r = get_map(c, root, "seLinuxContext", "seLinuxContext", &sel)) < 0)
		return r;
	/* Unlike fsGroup and supplementalGroups, sccdefaults gives no default
	 * here: provider.go createSELinuxStrategy fails every admission for a
	 * missing or empty type, as for any other. Read as "no SELinux
	 * strategy", the SCC scored as if it were usable. */
	if (!sel)
		return errf(c, root, EINVAL, "seLinuxContext",
			    "SCC %s has no seLinuxContext strategy", s->name);
	if ((r = get_str(c, sel, "type", "seLinuxContext.type", &s->selinux_type)) < 0)
		return r;
	if (!s->selinux_type || !*s->selinux_type)
		return errf(c, s->selinux_type ? ydoc_get(sel, "type") : sel, EINVAL,
			    "seLinuxContext.type",
			    "seLinuxContext has no type (MustRunAs or RunAsAny)");
	if (strcmp(s->selinux_type, "MustRunAs") != 0 && strcmp(s->selinux_type, "RunAsAny") != 0)
		return errf(c, ydoc_get(sel, "type"), EINVAL, "seLinuxContext.type",
			    "unknown seLinuxContext strategy '%s' (MustRunAs or RunAsAny)",
			    s->selinux_type);
	if ((r = get_map(c, sel, "seLinuxOptions", "seLinuxContext.seLinuxOptions", &sel)) < 0)
		return r;
	if (sel && (r = get_str(c, sel, "type", "seLinuxContext.seLinuxOptions.type",
				&s->selinux_options_type)) < 0)
		return r;
	if ((r = get_group_strategy(c, root, "fsGroup", &s->fs_group_type, &s->fs_group_ranges,
				    &s->n_fs_group_ranges)) < 0 ||
	    (r = get_group_strategy(c, root, "supplementalGroups", &s->supplemental_groups_type,
				    &s->supplemental_groups_ranges,
				    &s->n_supplemental_groups_ranges)) < 0)
		return r;
	m->n_sccs++;
	return 0;
}

/* ---- documents ---- */

/*
 * The visit budget is per document (an alias refers only within its own)
 * and grows with the document: without aliases each node is visited a few
 * times, so a List of many thousand pods, or a stream of them, is read
 * whole, while an alias bomb, whose visits grow exponentially with its
 * size, still stops.
 */
static int on_document(void *user, struct ydoc_node *root, size_t nodes)
{
	struct ctx *c = user;

	c->budget = NODE_BUDGET + (nodes < LONG_MAX / 16 ? (long)nodes * 8 : LONG_MAX / 2);
	c->budget_given = c->budget;
	return root ? parse_object(c, root, "", 0) : 0;
}

/* buf holds YDOC_ROOM free bytes before the text when room is set. */
static int parse_text(struct cs_k8s_manifest *m, char *buf, size_t len, bool room, const char *name,
		      struct cs_diag *d)
{
	struct ctx c = {.m = m, .name = name, .d = d};
	int r;

	/* what kubectl refuses before any YAML is read */
	if ((r = cs_k8s_kubectl_stream(buf + (room ? YDOC_ROOM : 0), len, d)) < 0) {
		cs_diag_file(d, name);
		return r;
	}
	if (!m->arena && !(m->arena = cs_arena_new()))
		return -ENOMEM;
	if (name && !(c.name = cs_arena_strndup(m->arena, name, strlen(name))))
		return -ENOMEM;
	return ydoc_read(buf, len, room, name, on_document, &c, d);
}

int cs_k8s_parse(struct cs_k8s_manifest *m, const char *buf, size_t len, const char *name,
		 struct cs_diag *d)
{
	cs_cleanup_free char *text = NULL;

	if (!ydoc_wants_room(buf, len))
		return parse_text(m, (char *)buf, len, false, name, d);
	if (!(text = malloc(len + YDOC_ROOM)))
		return -ENOMEM;
	memcpy(text + YDOC_ROOM, buf, len);
	return parse_text(m, text, len, true, name, d);
}

int cs_k8s_load(struct cs_k8s_manifest *m, const char *path, struct cs_diag *d)
{
	cs_cleanup_free char *buf = NULL;
	size_t len = 0;
	bool room;
	char *grown;
	int r = cs_read_file(path, 16u << 20, &buf, &len);

	if (r < 0) {
		if (d)
			cs_diag_put_file(d, "%s", path);
		return cs_diag_set(d, -r, 0, 0, "", "cannot read: %s", strerror(-r));
	}
	/* Room for the prefix in place: no second copy of a 16 MB file. */
	room = ydoc_wants_room(buf, len);
	if (room) {
		if (!(grown = realloc(buf, len + YDOC_ROOM)))
			return -ENOMEM;
		buf = grown;
		memmove(buf + YDOC_ROOM, buf, len);
	}
	return parse_text(m, buf, len, room, path, d);
}

void cs_k8s_manifest_init(struct cs_k8s_manifest *m)
{
	memset(m, 0, sizeof(*m));
}

void cs_k8s_manifest_free(struct cs_k8s_manifest *m)
{
	cs_arena_free(m->arena);
	memset(m, 0, sizeof(*m));
}

void cs_k8s_effective_sc(const struct cs_k8s_pod *p, const struct cs_k8s_container *c,
			 struct cs_k8s_sc *out)
{
	*out = c->sc;
	if (!out->run_as_user.set)
		out->run_as_user = p->run_as_user;
	if (!out->run_as_group.set)
		out->run_as_group = p->run_as_group;
	if (!out->run_as_non_root.set)
		out->run_as_non_root = p->run_as_non_root;
	if (!out->seccomp_type)
		out->seccomp_type = p->seccomp_type;
}

/*
 * name (dotted) against a pod's sysctl as the kubelet hands it to the
 * runtime: ConvertPodSysctlsVariableToDotsSeparator applies NormalizeName
 * first, so "net/ipv4/ip_unprivileged_port_start" sets the same sysctl
 * (fourteenth pass: it was not found, and port 80 said refused).
 */
static bool sysctl_is(const char *given, const char *name)
{
	size_t sep = strcspn(given, "./");

	if (given[sep] != '/')
		return !strcmp(given, name);
	for (; *given && *name; given++, name++)
		if ((*given == '/' ? '.' : *given == '.' ? '/' : *given) != *name)
			return false;
	return !*given && !*name;
}

const char *cs_k8s_sysctl(const struct cs_k8s_pod *p, const char *name)
{
	const char *v = NULL;

	for (size_t i = 0; i < p->n_sysctls; i++)
		if (sysctl_is(p->sysctls[i].name, name))
			v = p->sysctls[i].value;
	return v;
}

const char *cs_k8s_ctr_kind_name(enum cs_k8s_ctr_kind k)
{
	switch (k) {
	case CS_CTR_INIT:
		return "initContainer";
	case CS_CTR_EPHEMERAL:
		return "ephemeralContainer";
	default:
		return "container";
	}
}
