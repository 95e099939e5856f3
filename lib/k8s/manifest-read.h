/* SPDX-License-Identifier: MIT */
/*
 * The manifest reader's own primitives, shared by its parts (manifest.c:
 * objects, pods and containers; manifest-annotations.c: the API server's
 * AppArmor and seccomp annotation rules; manifest-sysctls.c: its sysctl
 * rules; manifest-scc.c: SecurityContextConstraints). Each reads one field
 * of a ydoc tree, follows aliases against the document's node budget, and
 * on bad input sets one diagnostic (file, line, column, field path) and
 * returns a negative errno. Not part of the library's interface.
 */
#ifndef CAPSCOPE_K8S_MANIFEST_READ_H
#define CAPSCOPE_K8S_MANIFEST_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "capscope/k8s.h"
#include "ydoc.h"

/* The reading of one manifest file. */
struct mf_ctx {
	struct cs_k8s_manifest *m;
	const char *name;
	struct cs_diag *d;
	long budget, budget_given; /* node visits left, and at the document's start */
	bool windows, linux_os;	   /* the pod being read has spec.os.name windows, linux */
	bool userns;		   /* ... and hostUsers: false */
	/* the first document without a kind, and whether another has one:
	 * decided when the whole stream is read (manifest.c, kindless) */
	struct cs_pos kindless;
	bool has_kindless, has_kind;
	/* The copies of scalars read through an alias, by the anchored text:
	 * 40,000 aliases of a 10 KB string in a 130 KB file held 950 MB, a copy
	 * each (mf_copy). On the heap, open addressing, for one document. */
	struct mf_alias_copy *copies;
	size_t n_copies, cap_copies;
};

/* Drop the table of copies (mf_copy): at each document and at the end. */
void mf_copies_forget(struct mf_ctx *c);

/* As libfyaml had it, an alias is a scalar node (its text is the name);
 * mf_visit() below leaves none behind. */
static inline bool is_scalar(const struct ydoc_node *n)
{
	return n->kind == YDOC_SCALAR || n->kind == YDOC_ALIAS;
}

static inline bool is_map(const struct ydoc_node *n)
{
	return n->kind == YDOC_MAP;
}

static inline bool is_seq(const struct ydoc_node *n)
{
	return n->kind == YDOC_SEQ;
}

/* The next item of a sequence (from *i = 0), NULL after the last. */
static inline struct ydoc_node *next_item(const struct ydoc_node *seq, size_t *i)
{
	return *i < seq->n ? seq->u.items[(*i)++] : NULL;
}

static inline const char *scalar_text(const struct ydoc_node *n, size_t *len)
{
	*len = n->n;
	return n->u.text;
}

static inline bool eqn(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

/* Where a node is: a scalar's own token, a collection's first scalar inside
 * (the first key of a mapping, the first item of a list); see ydoc_pos. */
static inline struct cs_pos pos_of(const struct mf_ctx *c, const struct ydoc_node *n)
{
	(void)c;
	return n ? ydoc_pos(n) : (struct cs_pos){0, 0};
}

/*
 * A field path for messages ("spec.containers[2].securityContext") into a
 * fixed buffer; one longer than the buffer is cut with "..." at its end.
 */
__attribute__((format(printf, 3, 4))) const char *mf_fieldf(char *out, size_t len, const char *fmt,
							    ...);

/* One error at node n (its place; none when NULL), for field. */
int mf_errf(struct mf_ctx *c, struct ydoc_node *n, int err, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Follow aliases and charge the visit to the budget; a tag is refused.
 * NULL stays NULL. */
int mf_visit(struct mf_ctx *c, struct ydoc_node **np, const char *field);
int mf_need_map(struct mf_ctx *c, struct ydoc_node *n, const char *field);

/* A field of map (get_*) or a value (node_*, scalar_*), by its type: a
 * string, NULL when absent or null; a YAML 1.1 boolean; an integer. */
int mf_get_str(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
	       const char **out);
int mf_node_str(struct mf_ctx *c, struct ydoc_node *n, const char *field, const char **out);
int mf_scalar_bool(struct mf_ctx *c, struct ydoc_node *n, const char *field, bool *v);
int mf_get_bool(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
		struct cs_opt_bool *out);
int mf_scalar_i64(struct mf_ctx *c, struct ydoc_node *n, const char *field, int64_t *v);
int mf_get_i64(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
	       struct cs_opt_i64 *out);
/* A pod's uid or gid: an integer from 0 to 2147483647, as the API server takes. */
int mf_scalar_id(struct mf_ctx *c, struct ydoc_node *n, const char *field, int64_t *v);
int mf_get_id(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
	      struct cs_opt_i64 *out);
int mf_get_i32(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
	       struct cs_opt_i64 *out);

/* A list of strings; items, when given, gets each item's place. */
int mf_get_strlist_at(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
		      struct cs_strlist *out, bool *set, struct cs_pos *pos,
		      const struct cs_pos **items);
/* mf_get_strlist_at for a capability list: an entry spelt as a capability's
 * name (CAP_X, X, ALL) is not copied (manifest-read.c, cap_spelling). */
int mf_get_caplist_at(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
		      struct cs_strlist *out, struct cs_pos *pos, const struct cs_pos **items);
int mf_get_strlist(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
		   struct cs_strlist *out, bool *set, struct cs_pos *pos);

/* A mapping or a list (NULL when absent or null). */
int mf_get_map(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
	       struct ydoc_node **out);
int mf_get_seq(struct mf_ctx *c, struct ydoc_node *map, const char *key, const char *field,
	       struct ydoc_node **out);

/* The objects whose keys mf_check_fields knows (manifest-fields.c). */
enum mf_object {
	MF_POD_SPEC,
	MF_CONTAINER,
	MF_SC,
	MF_POD_SC,
	MF_CAPS,
	MF_SELINUX,
	MF_PROFILE,
	MF_WINDOWS,
	MF_SYSCTL,
	MF_OS,
	MF_TEMPLATE,
	MF_SCC, /* from here on: an SCC's */
	MF_SCC_USER,
	MF_SCC_SELINUX,
	MF_SCC_GROUP,
	MF_SCC_RANGE,
	MF_SCC_FLEX,
	MF_OBJECT, /* from here on: what holds a pod spec */
	MF_META,
	MF_DEPLOYMENT,
	MF_DAEMONSET,
	MF_REPLICASET,
	MF_STATEFULSET,
	MF_JOB,
	MF_CRONJOB,
	MF_RC,
	MF_DC,
};

/* Each key of map (the object at path) a field of obj, as the API server's
 * strict decoding wants it; else one error at the key, or (c->m->validate
 * CS_K8S_VALIDATE_WARN, a key a newer release may make a field) the key recorded in
 * c->m->unknown and read as absent. */
int mf_check_fields(struct mf_ctx *c, struct ydoc_node *map, const char *path, enum mf_object obj);
/* A mapping key's text as a field name (*k, *n), or -EINVAL with the
 * error set when the key is a collection, which no object's field is. */
int mf_field_key(struct mf_ctx *c, struct ydoc_node *key, const char *path, const char **k,
		 size_t *n);

/* A key k[0, n) of the object at path (what names it, api whose fields
 * they are, NULL for Kubernetes 1.32) that is none of its fields: refused,
 * or recorded as mf_check_fields does. other: the field it spells in
 * another case (as_case) or the object it is a field of, else NULL. */
int mf_unknown_key(struct mf_ctx *c, struct ydoc_node *key, const char *path, const char *k,
		   size_t n, const char *what, const char *api, const char *other, bool as_case);

/* Every object of the spec at path, a pod spec (root "PodSpec") or a
 * workload's (root its kind: "Deployment"...), at every depth, checked
 * against Kubernetes 1.32's fields (pod-schema.c) as mf_check_fields checks
 * one: the objects the reader checks itself are left to it
 * (manifest-deep.c). An unknown root: nothing checked. */
int mf_check_deep(struct mf_ctx *c, struct ydoc_node *spec, const char *path, const char *root);

/* A path with a ".." element. */
bool mf_has_dotdot(const char *p);

/* The rules of the other parts, each read after the pod's spec. */
int mf_get_apparmor_annotations(struct mf_ctx *c, struct ydoc_node *ann, const char *tpath,
				struct cs_k8s_pod *p);
int mf_get_seccomp_annotations(struct mf_ctx *c, struct ydoc_node *ann, const char *tpath,
			       const struct cs_k8s_pod *p);
int mf_check_sysctls(struct mf_ctx *c, struct ydoc_node **nodes, const char *path,
		     const struct cs_k8s_pod *p);
int mf_parse_scc_doc(struct mf_ctx *c, struct ydoc_node *root, const char *file);
/* An SCC's allowedUnsafeSysctls and forbiddenSysctls, read and validated as
 * the API server validates them (manifest-scc-sysctls.c). */
int mf_get_scc_sysctls(struct mf_ctx *c, struct ydoc_node *root, struct cs_scc *s);
/* The API server's rules for one object's metadata (object-meta.c). */
struct mf_meta_rules {
	const char *object; /* the words after "the API server refuses the" */
	bool template;	    /* a pod template's: labels and annotations only */
	/* the name checked too (a DNS subdomain): an SCC's; not yet a pod's or
	 * a workload's (docs/hardening.md, twenty-eighth pass, part H) */
	bool names;
};
/* The metadata at path ("metadata", "spec.template.metadata") as
 * ValidateObjectMeta (or, for a template, ValidatePodTemplateSpec) checks
 * it: one error, the first the server reports; *generated (may be NULL): a
 * generateName was given. */
int mf_check_object_meta(struct mf_ctx *c, struct ydoc_node *meta, const char *path,
			 const struct mf_meta_rules *rules, bool *generated);
/* The API server's rules between an SCC's fields (capabilities, privilege
 * escalation, volumes, flex volumes) and the types of the fields it does
 * not model (users, groups), on the SCC as read (manifest-scc-valid.c). */
int mf_check_scc_rules(struct mf_ctx *c, struct ydoc_node *root, const struct cs_scc *s);

#endif
