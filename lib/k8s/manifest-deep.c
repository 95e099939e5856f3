/* SPDX-License-Identifier: MIT */
/*
 * Every object of a pod spec, at every depth, checked against Kubernetes
 * 1.32's fields (nineteenth pass, part D). kubectl's default strict field
 * validation refuses an unknown key wherever it is (sigs.k8s.io/json's
 * strict decoding of the whole object: `spec.volumes[0].hostPath.typo`,
 * `spec.affinity.nodeAffinity.requiredDuringScheduling...`), but capscope
 * checked only the objects on its way to a container's credentials: a key
 * in a volume, a probe, resources, affinity or a toleration was accepted
 * in silence, a pod kubectl refuses predicted as if it ran.
 *
 * The fields come from k8s.io/api v0.32.9 (pod-schema.c, generated). Kept
 * to what strict decoding refuses in any release: an unknown key (read as
 * absent with a record under --validate=warn, a newer release may add it),
 * a key that is a field in another case (refused always: the decoder is
 * case-sensitive), an object or a list where a scalar is wanted and the
 * reverse (refused always: no release changes a field's shape). A map of
 * the user's keys (labels, resource lists, CSI attributes) and a raw
 * object (ObjectMeta's managedFields) are not looked into. The objects the
 * reader checks itself (securityContexts, os) are left to it, as are the
 * pod spec's and each container's own keys, so a key is said once.
 *
 * A workload's own spec the same way (apps/v1 and batch/v1): a Deployment's
 * `strategy.rollingUpdate`, a StatefulSet's `volumeClaimTemplates`, a
 * Job's `podFailurePolicy`, every `selector`; its pod template is the
 * reader's.
 */
#include <errno.h>
#include <strings.h>

#include "manifest-read.h"
#include "pod-schema.h"

static const struct ps_field *field_of(const struct ps_type *t, const char *k, size_t n)
{
	for (uint16_t i = 0; i < t->n; i++)
		if (strlen(t->fields[i].name) == n && !memcmp(t->fields[i].name, k, n))
			return &t->fields[i];
	return NULL;
}

static const char *case_of(const struct ps_type *t, const char *k, size_t n)
{
	for (uint16_t i = 0; i < t->n; i++)
		if (strlen(t->fields[i].name) == n && !strncasecmp(t->fields[i].name, k, n))
			return t->fields[i].name;
	return NULL;
}

static int walk(struct mf_ctx *c, struct ydoc_node *n, const char *path, unsigned type);

static int shape_err(struct mf_ctx *c, struct ydoc_node *n, const char *path, const char *want)
{
	return mf_errf(c, n, EINVAL, path,
		       "expected %s (Kubernetes 1.32's type of this field): the API server's "
		       "decoding refuses the object",
		       want);
}

/* The value v (visited) of field fd, at path. */
static int value(struct mf_ctx *c, struct ydoc_node *v, const char *path, const struct ps_field *fd)
{
	char item[224];
	size_t i = 0;
	struct ydoc_node *it;
	int r;

	if (ydoc_is_null(v) || fd->shape == PS_ANY)
		return 0;
	switch (fd->shape) {
	case PS_SCALAR:
		return is_scalar(v) ? 0 : shape_err(c, v, path, "a string, number or boolean");
	case PS_MAP:
		return is_map(v) ? 0 : shape_err(c, v, path, "a mapping");
	case PS_OBJ:
		if (!is_map(v))
			return shape_err(c, v, path, "a mapping");
		return walk(c, v, path, fd->type);
	default:
		break;
	}
	if (!is_seq(v))
		return shape_err(c, v, path, "a list");
	if (fd->shape == PS_LIST_ANY)
		return 0;
	while ((it = next_item(v, &i)) != NULL) {
		mf_fieldf(item, sizeof(item), "%s[%zu]", path, i - 1);
		if ((r = mf_visit(c, &it, item)) < 0)
			return r;
		if (ydoc_is_null(it))
			continue;
		if (fd->shape == PS_LIST_SCALAR && !is_scalar(it))
			return shape_err(c, it, item, "a string or number");
		if (fd->shape == PS_LIST && (!is_map(it) ? (r = shape_err(c, it, item, "a mapping"))
							 : (r = walk(c, it, item, fd->type))) < 0)
			return r;
	}
	return 0;
}

/* The mapping map, an object of ps_types[type] at path. */
static int walk(struct mf_ctx *c, struct ydoc_node *map, const char *path, unsigned type)
{
	const struct ps_type *t = &ps_types[type];
	char f[224];
	int r;

	for (uint32_t i = 0; i < map->n; i++) {
		struct ydoc_node *key = map->u.pairs[i].key, *v = map->u.pairs[i].value;
		const struct ps_field *fd;
		const char *k = NULL, *other;
		size_t n = 0;

		if ((r = mf_field_key(c, key, path, &k, &n)) < 0)
			return r;
		if (!(fd = field_of(t, k, n))) {
			if (t->keys_elsewhere)
				continue;
			other = case_of(t, k, n);
			if ((r = mf_unknown_key(c, key, path, k, n, t->what, NULL, other,
						other != NULL)) < 0)
				return r;
			continue;
		}
		mf_fieldf(f, sizeof(f), "%s.%s", path, fd->name);
		if ((r = mf_visit(c, &v, f)) < 0 || (r = value(c, v, f, fd)) < 0)
			return r;
	}
	return 0;
}

int mf_check_deep(struct mf_ctx *c, struct ydoc_node *spec, const char *path, const char *root)
{
	for (size_t i = 0; spec && is_map(spec) && ps_roots[i].name; i++)
		if (!strcmp(ps_roots[i].name, root))
			return walk(c, spec, path, ps_roots[i].type);
	return 0;
}
