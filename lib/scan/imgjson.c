/* SPDX-License-Identifier: MIT */
/*
 * Image JSON read with libfyaml in JSON mode. Field names from the OCI image
 * spec (image-index.md, manifest.md, config.md) and moby's image/tarexport
 * (manifest.json written by 'docker save').
 */
#include "imgjson.h"
#include "../internal/util.h"

#include <errno.h>
#include <libfyaml.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "../fyaml-mark.h"

#define JSON_MAX_DEPTH 64

static struct fy_document *parse(const char *buf, size_t len, const char *what, struct cs_diag *d)
{
	struct fy_document *fyd;

	if (len > (4u << 20)) {
		cs_diag_set(d, EFBIG, 0, 0, what, "larger than 4 MiB");
		return NULL;
	}
	if (cs_json_nests_deeper(buf, len, JSON_MAX_DEPTH)) {
		cs_diag_set(d, EINVAL, 0, 0, what, "nested deeper than %d levels", JSON_MAX_DEPTH);
		return NULL;
	}
	fyd = cs_fy_build_quiet(buf, len, FYPCF_JSON_FORCE, what, d);
	if (fyd && !fy_document_root(fyd)) {
		fy_document_destroy(fyd);
		cs_diag_set(d, EINVAL, 0, 0, what, "not valid JSON");
		return NULL;
	}
	return fyd;
}

/*
 * Docker and containerd read image JSON with Go's encoding/json: a key in
 * any case names its field ("user" is User, "LAYERS" Layers), and of two
 * for one field the later wins. Such a key is read; a second one is kept
 * in *dup and the document refused (dup_error).
 */
static struct fy_node *get(struct fy_node *map, const char *name, struct fy_node **dup)
{
	return cs_fy_get_go(map, name, dup);
}

static int dup_error(struct fy_node *dup, const char *what, struct cs_diag *d)
{
	size_t kl = 0;
	const char *k = fy_node_get_scalar(dup, &kl);
	const struct fy_mark *mk = cs_fy_node_mark(dup);

	return cs_diag_set(
	    d, EINVAL, mk ? (unsigned)mk->line + 1 : 0, mk ? (unsigned)mk->column + 1 : 0, what,
	    "a second key '%.*s' for one field: Docker and containerd (Go's "
	    "encoding/json) match keys without case and keep the later one; keep one",
	    (int)(kl > 40 ? 40 : kl), k ? k : "");
}

/* A JSON string (quoted scalar) as a C string; NULL when absent or not a string. */
static char *str(struct fy_node *n)
{
	size_t l;
	const char *s;
	char *r;

	enum fy_node_style st = n ? fy_node_get_style(n) : FYNS_ANY;

	/* Quoted only: a number or true is no file name, digest or user. */
	if (!n || !fy_node_is_scalar(n) || (st != FYNS_DOUBLE_QUOTED && st != FYNS_SINGLE_QUOTED))
		return NULL;
	s = fy_node_get_scalar(n, &l);
	if (!s || memchr(s, 0, l))
		return NULL;
	r = malloc(l + 1);
	if (!r)
		return NULL;
	memcpy(r, s, l);
	r[l] = 0;
	return r;
}

static int strv(struct fy_node *n, char ***out, size_t *count, size_t max)
{
	void *it = NULL;
	struct fy_node *c;
	size_t k = 0, cnt;
	char **v;

	*out = NULL;
	if (count)
		*count = 0;
	if (cs_fy_is_json_null(n))
		return 0;
	if (!fy_node_is_sequence(n))
		return -EINVAL;
	cnt = (size_t)fy_node_sequence_item_count(n);
	if (cnt > max)
		return -E2BIG;
	v = calloc(cnt + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	while ((c = fy_node_sequence_iterate(n, &it))) {
		if (k >= cnt || !(v[k] = str(c))) {
			for (size_t i = 0; i < k; i++)
				free(v[i]);
			free(v);
			return -EINVAL;
		}
		k++;
	}
	*out = v;
	if (count)
		*count = k;
	return 0;
}

int cs_img_docker_manifest(const char *buf, size_t len, struct cs_img_manifest *m,
			   struct cs_diag *d)
{
	struct fy_document *fyd = parse(buf, len, "manifest.json", d);
	struct fy_node *root, *img, *dup = NULL;
	int rc;

	memset(m, 0, sizeof(*m));
	if (!fyd)
		return -EINVAL;
	root = fy_document_root(fyd);
	img = fy_node_is_sequence(root) ? fy_node_sequence_get_by_index(root, 0) : NULL;
	if (!img || !fy_node_is_mapping(img)) {
		fy_document_destroy(fyd);
		return cs_diag_set(d, EINVAL, 0, 0, "manifest.json", "expected an array of images");
	}
	/* Only the first would be read, and nothing picks by RepoTags: the
	 * others' findings would be missing from a clean-looking report. */
	if (fy_node_sequence_item_count(root) > 1) {
		int n = fy_node_sequence_item_count(root);

		fy_document_destroy(fyd);
		return cs_diag_set(d, EINVAL, 0, 0, "manifest.json",
				   "lists %d images; give an archive of one (docker save IMAGE)",
				   n);
	}
	m->config = str(get(img, "Config", &dup));
	rc = strv(get(img, "Layers", &dup), &m->layers, &m->nlayers, 4096);
	if (dup) {
		rc = dup_error(dup, "manifest.json", d);
		fy_document_destroy(fyd);
		cs_img_manifest_free(m);
		return rc;
	}
	fy_document_destroy(fyd);
	if (rc == -E2BIG) {
		cs_img_manifest_free(m);
		return cs_diag_set(d, E2BIG, 0, 0, "manifest.json", "more than 4096 'Layers'");
	}
	if (rc < 0 || !m->layers) {
		cs_img_manifest_free(m);
		return cs_diag_set(d, EINVAL, 0, 0, "manifest.json",
				   "'Layers' must be an array of file names");
	}
	return 0;
}

static const char *host_arch(void)
{
	struct utsname u;
	static char arch[sizeof(u.machine)];

	if (uname(&u) < 0)
		return "amd64";
	if (strcmp(u.machine, "x86_64") == 0)
		return "amd64";
	if (strcmp(u.machine, "aarch64") == 0)
		return "arm64";
	snprintf(arch, sizeof(arch), "%s", u.machine);
	return arch;
}

int cs_img_oci_index(const char *buf, size_t len, struct cs_img_manifest *m, struct cs_diag *d)
{
	struct fy_document *fyd = parse(buf, len, "index", d);
	struct fy_node *list, *c, *pick = NULL, *cand = NULL, *dup = NULL;
	void *it = NULL;
	int candidates = 0, n = 0;

	memset(m, 0, sizeof(*m));
	if (!fyd)
		return -EINVAL;
	list = get(fy_document_root(fyd), "manifests", &dup);
	if (!list || !fy_node_is_sequence(list) || fy_node_sequence_item_count(list) < 1) {
		fy_document_destroy(fyd);
		return cs_diag_set(d, EINVAL, 0, 0, "manifests", "index lists no manifest");
	}
	/*
	 * Entries for other platforms are the other builds of one image; two
	 * for this platform, or two with no platform (`docker save A B` in OCI
	 * form, a layout holding two images), are two images: scanning the first
	 * alone would leave the second's findings out, exit 0 (as a docker
	 * archive of two images did).
	 */
	while ((c = fy_node_sequence_iterate(list, &it))) {
		struct fy_node *plat = get(c, "platform", &dup);
		char *os = str(get(plat, "os", &dup));
		char *arch = str(get(plat, "architecture", &dup));
		bool match =
		    os && arch && strcmp(os, "linux") == 0 && strcmp(arch, host_arch()) == 0;

		free(os);
		free(arch);
		n++;
		if (!pick)
			pick = c;
		if (match || !plat)
			cand = c, candidates++;
	}
	if (candidates > 1) {
		fy_document_destroy(fyd);
		return cs_diag_set(d, EINVAL, 0, 0, "manifests",
				   "index lists %d images for linux/%s (of %d entries); give a "
				   "layout of one",
				   candidates, host_arch(), n);
	}
	m->index_child = str(get(cand ? cand : pick, "digest", &dup));
	if (dup) {
		int rc = dup_error(dup, "index", d);

		fy_document_destroy(fyd);
		cs_img_manifest_free(m);
		return rc;
	}
	fy_document_destroy(fyd);
	if (!m->index_child)
		return cs_diag_set(d, EINVAL, 0, 0, "digest", "index entry without a digest");
	return 0;
}

int cs_img_oci_manifest(const char *buf, size_t len, struct cs_img_manifest *m, struct cs_diag *d)
{
	struct fy_document *fyd = parse(buf, len, "manifest", d);
	struct fy_node *root, *layers, *c, *dup = NULL;
	void *it = NULL;
	size_t k = 0, cnt;

	memset(m, 0, sizeof(*m));
	if (!fyd)
		return -EINVAL;
	root = fy_document_root(fyd);
	if (get(root, "manifests", &dup)) {
		fy_document_destroy(fyd);
		return cs_img_oci_index(buf, len, m, d);
	}
	m->config = str(get(get(root, "config", &dup), "digest", &dup));
	layers = get(root, "layers", &dup);
	if (!m->config || !layers || !fy_node_is_sequence(layers) ||
	    (cnt = (size_t)fy_node_sequence_item_count(layers)) > 4096) {
		fy_document_destroy(fyd);
		cs_img_manifest_free(m);
		return cs_diag_set(d, EINVAL, 0, 0, "layers",
				   "manifest needs a config digest and a layers array");
	}
	m->layers = calloc(cnt + 1, sizeof(char *));
	if (!m->layers) {
		fy_document_destroy(fyd);
		cs_img_manifest_free(m);
		return -ENOMEM;
	}
	while ((c = fy_node_sequence_iterate(layers, &it)) && k < cnt) {
		if (!(m->layers[k] = str(get(c, "digest", &dup)))) {
			fy_document_destroy(fyd);
			cs_img_manifest_free(m);
			return cs_diag_set(d, EINVAL, 0, 0, "layers", "layer %zu has no digest", k);
		}
		k++;
	}
	m->nlayers = k;
	if (dup) {
		int rc = dup_error(dup, "manifest", d);

		fy_document_destroy(fyd);
		cs_img_manifest_free(m);
		return rc;
	}
	fy_document_destroy(fyd);
	return 0;
}

/* An error about node n of the config, at its line and column. */
__attribute__((format(printf, 3, 4))) static int config_error(struct fy_node *n, struct cs_diag *d,
							      const char *fmt, ...)
{
	const struct fy_mark *mk = n ? cs_fy_node_mark(n) : NULL;
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cs_diag_set(d, EINVAL, mk ? (unsigned)mk->line + 1 : 0,
			   mk ? (unsigned)mk->column + 1 : 0, "config", "%s", msg);
}

/* A string field of the config: absent or null is NULL, a non-scalar an error. */
static int config_str(struct fy_node *cfg, const char *k, char **out, struct fy_node **dup,
		      struct cs_diag *d)
{
	struct fy_node *n = get(cfg, k, dup);

	*out = NULL;
	if (cs_fy_is_json_null(n))
		return 0;
	if (!fy_node_is_scalar(n) || !(*out = str(n)))
		return config_error(n, d, "config.%s must be a string", k);
	return 0;
}

/*
 * The blob and its "config" are objects to Go's encoding/json, which
 * containerd, CRI-O and Docker decode them with (ocispec.Image, moby's
 * image.Image): an array, a string or a number there fails the image. They
 * were read here as an image without a config (no User, no Entrypoint), so
 * a container no runtime creates was predicted to run as root. null is
 * Go's "absent".
 */
static int config_objects(struct fy_node *root, struct fy_node *cfg, struct cs_diag *d)
{
	if (!root || !fy_node_is_mapping(root))
		return config_error(root, d, "the image config must be a JSON object");
	if (!cs_fy_is_json_null(cfg) && !fy_node_is_mapping(cfg))
		return config_error(cfg, d, "'%s' must be a JSON object (or null)", "config");
	return 0;
}

static int config_list(struct fy_node *cfg, const char *k, struct cs_strlist *out,
		       struct fy_node **dup, struct cs_diag *d)
{
	char **v;
	size_t n;
	struct fy_node *node = get(cfg, k, dup);
	int r = strv(node, &v, &n, 4096);

	if (r == -E2BIG)
		return config_error(node, d, "config.%s has more than 4096 entries", k);
	if (r < 0)
		return config_error(node, d, "config.%s must be an array of strings", k);
	out->v = (const char **)v;
	out->n = n;
	return 0;
}

int cs_image_config_parse(const char *buf, size_t len, struct cs_image_config *c, struct cs_diag *d)
{
	struct fy_document *fyd = parse(buf, len, "config", d);
	struct fy_node *root, *cfg, *dup = NULL;
	int r = 0;

	memset(c, 0, sizeof(*c));
	if (!fyd)
		return -EINVAL;
	root = fy_document_root(fyd);
	/* The whole config blob, or the bare config object (--image-config). */
	cfg = get(root, "config", &dup);
	if (!cfg && root && fy_node_is_mapping(root) && !get(root, "rootfs", &dup))
		cfg = root;
	if ((r = config_objects(root, cfg, d)) < 0)
		goto out;
	if ((r = config_str(cfg, "User", &c->user, &dup, d)) < 0 ||
	    (r = config_str(cfg, "WorkingDir", &c->workdir, &dup, d)) < 0)
		goto out;
	if ((r = config_list(cfg, "Entrypoint", &c->entrypoint, &dup, d)) < 0 ||
	    (r = config_list(cfg, "Cmd", &c->cmd, &dup, d)) < 0)
		goto out;
	/* Docker and containerd decode Env as []string: anything else fails the
	 * image there, so it is refused here, not skipped (a skipped Env left
	 * the default PATH in the model). The last PATH wins, as in runc. */
	char **envv = NULL;
	size_t nenv = 0;

	struct fy_node *env = get(cfg, "Env", &dup);

	if (strv(env, &envv, &nenv, 1u << 16) < 0) {
		r = config_error(env, d, "config.%s must be an array of strings", "Env");
		goto out;
	}
	for (size_t i = 0; i < nenv; i++) {
		/* "PATH" without '=': containerd unsets it (no PATH: nothing found
		 * through it), the default PATH was kept here. Not guessed. */
		if (r == 0 && strcmp(envv[i], "PATH") == 0)
			r = cs_diag_set(
			    d, EINVAL, 0, 0, "config",
			    "config.Env entry 'PATH' has no '=': containerd unsets PATH "
			    "with it, and the lookup it leaves is not modelled; write "
			    "PATH=...");
		/* Passed on by containerd, CRI-O and Docker; runc init refuses it
		 * ("environment variable name can't be empty", seen with dockerd). */
		if (envv[i][0] == '=')
			c->env_empty_name = true;
		if (strncmp(envv[i], "PATH=", 5) == 0) {
			free(c->path_env);
			if (!(c->path_env = strdup(envv[i] + 5)))
				r = -ENOMEM;
		}
		free(envv[i]);
	}
	free(envv);
	if (r < 0)
		goto out;
	if (dup)
		r = dup_error(dup, "config", d);
out:
	fy_document_destroy(fyd);
	if (r < 0)
		cs_image_config_free(c);
	return r;
}

int cs_image_config_load(const char *path, struct cs_image_config *out, struct cs_diag *d)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	memset(out, 0, sizeof(*out));
	r = cs_read_file(path, 1 << 24, &buf, &len);
	if (r < 0) {
		cs_diag_file(d, path);
		return cs_diag_set(d, -r, 0, 0, "", "cannot read: %s", strerror(-r));
	}
	r = cs_image_config_parse(buf, len, out, d);
	free(buf);
	if (r < 0)
		cs_diag_file(d, path);
	return r;
}

int cs_img_digest_path(const char *digest, char *out, size_t len)
{
	const char *colon = strchr(digest, ':');
	size_t al, el;

	if (!colon)
		return -EINVAL;
	al = (size_t)(colon - digest);
	el = strlen(colon + 1);
	if (al == 0 || al > 32 || el == 0 || el > 256)
		return -EINVAL;
	/* OCI image-spec descriptor.md: algorithm [a-z0-9]+([+._-][a-z0-9]+)*, encoded
	 * [a-zA-Z0-9=_-]+ */
	for (size_t i = 0; i < al; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789+._-", digest[i]))
			return -EINVAL;
	for (const char *p = colon + 1; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789=_-",
			    *p))
			return -EINVAL;
	if (digest[0] == '.' ||
	    snprintf(out, len, "blobs/%.*s/%s", (int)al, digest, colon + 1) >= (int)len)
		return -EINVAL;
	return 0;
}

static void free_v(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

void cs_img_manifest_free(struct cs_img_manifest *m)
{
	free(m->config);
	free_v(m->layers);
	free(m->index_child);
	memset(m, 0, sizeof(*m));
}

void cs_image_config_free(struct cs_image_config *c)
{
	free(c->user);
	free(c->workdir);
	free(c->path_env);
	free_v((char **)c->entrypoint.v);
	free_v((char **)c->cmd.v);
	memset(c, 0, sizeof(*c));
}
