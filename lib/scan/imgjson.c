/* SPDX-License-Identifier: MIT */
/*
 * Image JSON, checked as Go reads JSON and read as a compact tree
 * (lib/json-tree.c: libfyaml's JSON document held some 1.1 KiB a value of
 * one-line JSON, and an image's author writes its config). Field names from
 * the OCI image spec (image-index.md, manifest.md, config.md) and moby's
 * image/tarexport (manifest.json written by 'docker save').
 */
#include "imgjson.h"
#include "../internal/util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>

#include "../internal/cleanup.h"
#include "../internal/json-tree.h"
#include "imgjson-types.h"
#include "media-types.h"

typedef const struct ydoc_node node;

/* Read buf as what (the field of messages) and call fn with its root. */
static int parse(const char *buf, size_t len, const char *what, cs_json_tree_fn fn, void *user,
		 struct cs_diag *d)
{
	if (len > (4u << 20))
		return cs_diag_set(d, EFBIG, 0, 0, what, "larger than 4 MiB");
	return cs_json_tree(buf, len, true, what, "not valid JSON: ", fn, user, d);
}

/*
 * Docker and containerd read image JSON with Go's encoding/json: a key in
 * any case names its field ("user" is User, "LAYERS" Layers), and of two
 * for one field the later wins. Such a key is read; a second one is kept
 * in *dup and the document refused (dup_error).
 */
static node *get(node *map, const char *name, node **dup)
{
	return cs_json_get_go(map, name, dup);
}

static int dup_error(node *dup, const char *what, struct cs_diag *d)
{
	struct cs_pos at = ydoc_pos(dup);

	return cs_diag_set(
	    d, EINVAL, at.line, at.column, what,
	    "a second key '%.*s' for one field: Docker and containerd (Go's "
	    "encoding/json) match keys without case and keep the later one; keep one",
	    (int)(dup->n > 40 ? 40 : dup->n), dup->u.text);
}

/* A JSON string as a C string; NULL when absent, not a string, or holding
 * a NUL (a number or true is no file name, digest or user). */
static char *str(node *n)
{
	char *r = NULL;

	if (!cs_json_is_string(n) || cs_json_strdup(n, &r) < 0)
		return NULL;
	return r;
}

/*
 * An array of strings as a NULL-ended vector (NULL for null). null_empty:
 * a null item is "", as Go decodes it into a []string (a string ignores
 * null); else it is refused. -EINVAL for anything but strings, -EILSEQ for
 * a string holding a NUL (no C string carries it), with *bad its index.
 */
static int strv(node *n, bool null_empty, char ***out, size_t *count, size_t max, uint32_t *bad)
{
	char **v;

	*out = NULL;
	if (count)
		*count = 0;
	if (cs_json_is_null(n))
		return 0;
	if (n->kind != YDOC_SEQ)
		return -EINVAL;
	if (n->n > max)
		return -E2BIG;
	v = calloc((size_t)n->n + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (uint32_t k = 0; k < n->n; k++) {
		node *it = n->u.items[k];
		int r = 0;

		if (null_empty && cs_json_is_null(it))
			r = (v[k] = strdup("")) ? 0 : -ENOMEM;
		else if (!cs_json_is_string(it))
			r = -EINVAL;
		else if ((r = cs_json_strdup(it, &v[k])) == -EINVAL)
			r = -EILSEQ;
		if (r < 0) {
			for (uint32_t i = 0; i < k; i++)
				free(v[i]);
			free(v);
			if (bad)
				*bad = k;
			return r;
		}
	}
	*out = v;
	if (count)
		*count = n->n;
	return 0;
}

struct read {
	struct cs_img_manifest *m;
	struct cs_diag *d;
	/* The blob's name in messages (its digest, or "index.json"); NULL when
	 * what it is is read from its keys (cs_img_oci_manifest). */
	const char *what;
};

/* Empty, no size known. */
static void manifest_init(struct cs_img_manifest *m)
{
	memset(m, 0, sizeof(*m));
	m->config_size = m->child_size = -1;
}

static int read_docker_manifest(void *user, node *root)
{
	struct read *rd = user;
	struct cs_img_manifest *m = rd->m;
	node *img = root->kind == YDOC_SEQ && root->n ? root->u.items[0] : NULL, *dup = NULL;
	int rc;

	if (!img || img->kind != YDOC_MAP)
		return cs_diag_set(rd->d, EINVAL, 0, 0, "manifest.json",
				   "expected an array of images");
	/* Only the first would be read, and nothing picks by RepoTags: the
	 * others' findings would be missing from a clean-looking report. */
	if (root->n > 1)
		return cs_diag_set(rd->d, EINVAL, 0, 0, "manifest.json",
				   "lists %u images; give an archive of one (docker save IMAGE)",
				   root->n);
	m->config = str(get(img, "Config", &dup));
	rc = strv(get(img, "Layers", &dup), false, &m->layers, &m->nlayers, 4096, NULL);
	if (dup)
		return dup_error(dup, "manifest.json", rd->d);
	if (rc == -E2BIG)
		return cs_diag_set(rd->d, E2BIG, 0, 0, "manifest.json", "more than 4096 'Layers'");
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0 || !m->layers)
		return cs_diag_set(rd->d, EINVAL, 0, 0, "manifest.json",
				   "'Layers' must be an array of file names");
	return 0;
}

int cs_img_docker_manifest(const char *buf, size_t len, struct cs_img_manifest *m,
			   struct cs_diag *d)
{
	struct read rd = {m, d, NULL};
	int rc;

	manifest_init(m);
	/*
	 * docker load (image/tarexport/load.go) and containerd's importer
	 * (onUntarJSON, since CVE-2023-25153's fix) read manifest.json with
	 * json.NewDecoder(…).Decode: its first value, nothing after it looked
	 * at. A second value, a NUL or bytes that are no UTF-8 after it were
	 * refused, an image both load (nineteenth pass, part B). The blobs it
	 * names (config, layers) are read whole, as json.Unmarshal reads them.
	 */
	if (len > (4u << 20))
		rc = cs_diag_set(d, EFBIG, 0, 0, "manifest.json", "larger than 4 MiB");
	else
		rc = cs_json_tree(buf, len, false, "manifest.json",
				  "not valid JSON: ", read_docker_manifest, &rd, d);
	if (rc < 0)
		cs_img_manifest_free(m);
	return rc;
}

static int read_diff_ids(void *user, node *root)
{
	struct read *rd = user;
	node *dup = NULL, *ids = get(get(root, "rootfs", &dup), "diff_ids", &dup);
	size_t n = 0;
	int rc = strv(ids, false, &rd->m->diff_ids, &n, 4096, NULL);

	if (dup)
		return dup_error(dup, "config", rd->d);
	if (rc == -ENOMEM)
		return rc;
	/* moby's image.NewFromJSON: "invalid image JSON, no RootFS key" */
	if (rc < 0 || !rd->m->diff_ids)
		return cs_diag_set(rd->d, EINVAL, 0, 0, "rootfs.diff_ids",
				   "the config needs rootfs.diff_ids, an array of digests "
				   "(docker load refuses it without)");
	if (n != rd->m->nlayers)
		return cs_diag_set(rd->d, EINVAL, 0, 0, "rootfs.diff_ids",
				   "%zu diff_ids for %zu layers in manifest.json: docker load "
				   "refuses the image (layers length mismatch)",
				   n, rd->m->nlayers);
	return 0;
}

int cs_img_docker_diff_ids(const char *buf, size_t len, struct cs_img_manifest *m,
			   struct cs_diag *d)
{
	struct read rd = {m, d, NULL};

	return parse(buf, len, "config", read_diff_ids, &rd, d);
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
	if (u.machine[0] == 'i' && u.machine[1] && strcmp(u.machine + 2, "86") == 0)
		return "386";
	if (strncmp(u.machine, "armv", 4) == 0)
		return "arm";
	snprintf(arch, sizeof(arch), "%s", u.machine);
	return arch;
}

/* A descriptor's "size" (already typed as a Go int64), -1 when absent or null. */
static long long desc_size(node *desc, node **dup)
{
	node *n = get(desc, "size", dup);
	char buf[32];

	if (!n || n->kind != YDOC_SCALAR || cs_json_is_null(n) || n->n >= sizeof(buf))
		return -1;
	memcpy(buf, n->u.text, n->n);
	buf[n->n] = 0;
	return strtoll(buf, NULL, 10);
}

/*
 * What the blob says it is, against what the descriptor naming it says:
 * containerd's validateMediaType (core/images/image.go) reads the blob's
 * mediaType, config, layers, manifests and fsLayers keys (any value, null
 * too, is "present" to its json.RawMessage) and fails a manifest holding an
 * index's, an index holding a manifest's, and a schema 1 manifest.
 * capscope read the blob by its keys alone: an entry calling an index a
 * manifest was followed as an index. index: what the descriptor says.
 */
static int kind_check(node *root, bool index, const char *what, node **dup, struct cs_diag *d)
{
	static const char why[] = "containerd refuses the image";
	cs_cleanup_free char *mt = str(get(root, "mediaType", dup));
	const char *key = NULL;

	if (root->kind != YDOC_MAP)
		return 0; /* cs_img_manifest_types refuses it */
	if (get(root, "fsLayers", dup))
		return cs_diag_set(d, EINVAL, 0, 0, "fsLayers",
				   "%.*s%s is a schema 1 manifest (fsLayers): %s (schema 1 not "
				   "supported)",
				   CS_MSG_CUTS(what, 80), why);
	if (!index)
		key = get(root, "manifests", dup) ? "manifests" : NULL;
	else if (get(root, "config", dup))
		key = "config";
	else if (get(root, "layers", dup))
		key = "layers";
	if (!key && mt && (index ? cs_media_is_manifest(mt) : cs_media_is_index(mt)))
		key = "mediaType";
	if (!key)
		return 0;
	if (strcmp(key, "mediaType") == 0)
		return cs_diag_set(d, EINVAL, 0, 0, key,
				   "%.*s%s: its descriptor says %s, but its own mediaType is "
				   "'%.*s%s': %s (expected %s but found %s)",
				   CS_MSG_CUTS(what, 80), index ? "an index" : "a manifest",
				   CS_MSG_CUTS(mt, 80), why, index ? "index" : "manifest",
				   index ? "manifest" : "index");
	return cs_diag_set(d, EINVAL, 0, 0, key,
			   "%.*s%s: its descriptor says %s, but it holds '%s' (%s's): %s "
			   "(expected %s but found %s)",
			   CS_MSG_CUTS(what, 80), index ? "an index" : "a manifest", key,
			   index ? "a manifest" : "an index", why, index ? "index" : "manifest",
			   index ? "manifest" : "index");
}

/*
 * The picked entry's mediaType: containerd's images.Manifest follows an
 * entry of a manifest's or an index's type and fails on any other ("unexpected
 * media type"), an absent one too; the OCI image-spec makes it required.
 * The type is kept to read the blob as what it says (cs_img_oci_child).
 */
static int entry_type(node *entry, uint32_t at, node **dup, struct cs_img_manifest *m,
		      struct cs_diag *d)
{
	static const char why[] = "containerd refuses the image (unexpected media type)";
	char *mt = str(get(entry, "mediaType", dup));

	if (!mt)
		return cs_diag_set(
		    d, EINVAL, 0, 0, "manifests",
		    "manifests[%u] has no mediaType (a manifest's or an index's): %s", at, why);
	if (!cs_media_is_manifest(mt) && !cs_media_is_index(mt)) {
		cs_diag_set(d, EINVAL, 0, 0, "manifests",
			    "manifests[%u]'s mediaType '%.*s%s' is neither a manifest's nor an "
			    "index's: %s",
			    at, CS_MSG_CUTS(mt, 100), why);
		free(mt);
		return -EINVAL;
	}
	m->child_type = mt;
	return 0;
}

/*
 * containerd's normalizeArch (containerd/platforms database.go): the
 * architecture and variant lowered, aliases made canonical, the variants
 * that say nothing dropped (amd64 v1, arm64 v8) and arm's default (v7)
 * written. arch and var are changed in place (each at most 31 bytes).
 */
static void normalize_arch(char arch[32], char var[32])
{
	for (char *p = arch; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	for (char *p = var; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	if (!strcmp(arch, "i386")) {
		strcpy(arch, "386");
		var[0] = '\0';
	} else if (!strcmp(arch, "x86_64") || !strcmp(arch, "x86-64") || !strcmp(arch, "amd64")) {
		strcpy(arch, "amd64");
		if (!strcmp(var, "v1"))
			var[0] = '\0';
	} else if (!strcmp(arch, "aarch64") || !strcmp(arch, "arm64")) {
		strcpy(arch, "arm64");
		if (!strcmp(var, "8") || !strcmp(var, "v8") || !strcmp(var, "v8.0"))
			var[0] = '\0';
		else if (!strcmp(var, "9") || !strcmp(var, "9.0") || !strcmp(var, "v9.0"))
			strcpy(var, "v9");
	} else if (!strcmp(arch, "armhf")) {
		strcpy(arch, "arm");
		strcpy(var, "v7");
	} else if (!strcmp(arch, "armel")) {
		strcpy(arch, "arm");
		strcpy(var, "v6");
	} else if (!strcmp(arch, "arm")) {
		if (!var[0] || !strcmp(var, "7"))
			strcpy(var, "v7");
		else if (!strcmp(var, "5") || !strcmp(var, "6") || !strcmp(var, "8")) {
			var[2] = '\0';
			var[1] = var[0];
			var[0] = 'v';
		}
	}
}

/*
 * How well a platform (an index entry's, or an image config's) fits this
 * host, as containerd's default matcher, platforms.Default() =
 * Only(DefaultSpec()): the host's os, architecture and variant (a variant
 * only on ARM: v8 on arm64, v7 assumed on arm), then the builds it also
 * runs, ranked after (amd64: 386; arm64: arm v8 to v5; arm v7: v6, v5).
 * Each side is normalized (normalizeOS: lower case, an empty os is the
 * host's; normalize_arch), then os, architecture and variant compared
 * exactly; any os.features fails the match (the host's list is empty).
 * 2 this host's, 1 a build it also runs, 0 another platform's. Twentieth
 * pass, part D: the variant was not compared (linux/amd64/v3, which
 * containerd does not take on this host, was scanned).
 */
static int platform_fit(const char *os, const char *arch_in, const char *var_in, bool features)
{
	const char *host = host_arch();
	char arch[32], var[32];

	if (!arch_in || features || (os && *os && strcasecmp(os, "linux") != 0) ||
	    strlen(arch_in) >= sizeof(arch) || (var_in && strlen(var_in) >= sizeof(var)))
		return 0;
	snprintf(arch, sizeof(arch), "%s", arch_in);
	snprintf(var, sizeof(var), "%s", var_in ? var_in : "");
	normalize_arch(arch, var);
	if (!strcmp(host, "amd64"))
		return !strcmp(arch, "amd64") && !var[0] ? 2 : !strcmp(arch, "386") && !var[0];
	if (!strcmp(host, "arm64"))
		return !strcmp(arch, "arm64") && !var[0]
			   ? 2
			   : !strcmp(arch, "arm") && (!strcmp(var, "v8") || !strcmp(var, "v7") ||
						      !strcmp(var, "v6") || !strcmp(var, "v5"));
	if (!strcmp(host, "arm"))
		return !strcmp(arch, "arm") && !strcmp(var, "v7")
			   ? 2
			   : !strcmp(arch, "arm") && (!strcmp(var, "v6") || !strcmp(var, "v5"));
	return !strcmp(arch, host) && !var[0] ? 2 : 0;
}

/* A platform object's fit (platform_fit); an os.features list with an item. */
static int platform_node_fit(node *plat, node **dup)
{
	node *feat = get(plat, "os.features", dup);
	char *os = str(get(plat, "os", dup)), *arch = str(get(plat, "architecture", dup));
	char *var = str(get(plat, "variant", dup));
	int fit = platform_fit(os, arch, var, feat && feat->kind == YDOC_SEQ && feat->n > 0);

	free(os);
	free(arch);
	free(var);
	return fit;
}

/* "linux/arm64, linux/s390x, …": the first entries' platforms, for a message. */
static void platform_list(node *list, node **dup, char *out, size_t size)
{
	size_t at = 0;

	out[0] = '\0';
	for (uint32_t i = 0; i < list->n && i < 4 && at < size; i++) {
		node *plat = get(list->u.items[i], "platform", dup);
		char *os = str(get(plat, "os", dup)), *arch = str(get(plat, "architecture", dup));
		char *var = str(get(plat, "variant", dup));
		int n =
		    plat && !cs_json_is_null(plat)
			? snprintf(out + at, size - at, "%s%.*s%s/%.*s%s%s%.*s%s", i ? ", " : "",
				   CS_MSG_CUTS(os ? os : "", 20), CS_MSG_CUTS(arch ? arch : "", 20),
				   var && *var ? "/" : "", CS_MSG_CUTS(var ? var : "", 20))
			: snprintf(out + at, size - at, "%sno platform", i ? ", " : "");

		free(os);
		free(arch);
		free(var);
		at += n > 0 ? (size_t)n : 0;
	}
	if (list->n > 4 && at < size)
		snprintf(out + at, size - at, ", …");
}

static int read_oci_index(void *user, node *root)
{
	struct read *rd = user;
	struct cs_img_manifest *m = rd->m;
	node *list, *cand = NULL, *dup = NULL;
	uint32_t cand_at = 0;
	int candidates = 0, best = 0, r;

	if ((r = cs_img_manifest_types(root, true, &dup, rd->d)) < 0 ||
	    (r = kind_check(root, true, rd->what ? rd->what : "index", &dup, rd->d)) < 0)
		return r;
	list = get(root, "manifests", &dup);
	if (!list || list->kind != YDOC_SEQ || list->n < 1)
		return cs_diag_set(rd->d, EINVAL, 0, 0, "manifests", "index lists no manifest");
	/*
	 * Entries for other platforms are the other builds of one image; two
	 * for this platform, or two with no platform (`docker save A B` in OCI
	 * form, a layout holding two images), are two images: scanning the first
	 * alone would leave the second's findings out, exit 0 (as a docker
	 * archive of two images did). An entry without a platform is taken
	 * after those whose platform matches, and its config's platform is
	 * matched then, as containerd does (twentieth pass, part D: it was
	 * taken as this host's, its config unread). None for this host: containerd fails the image
	 * ("no match for platform in manifest"); the first entry, another platform's build, was
	 * scanned, exit 0 (nineteenth pass, part B).
	 */
	for (uint32_t i = 0; i < list->n; i++) {
		node *c = list->u.items[i], *plat = get(c, "platform", &dup);
		/* containerd sorts the entries without a platform after every
		 * one whose platform matches: 3 this host's, 2 another build it
		 * runs, 1 none (its config decides, read_oci), 0 another's */
		int pf = plat && !cs_json_is_null(plat) ? platform_node_fit(plat, &dup) : -1;
		int fit = pf < 0 ? 1 : pf ? pf + 1 : 0;

		if (fit > best)
			best = fit, candidates = 0;
		if (fit && fit == best)
			cand = c, cand_at = i, candidates++;
	}
	if (candidates > 1)
		return cs_diag_set(rd->d, EINVAL, 0, 0, "manifests",
				   "index lists %d images for %s%s (of %u entries); give a "
				   "layout of one",
				   candidates, best == 1 ? "no platform" : "linux/",
				   best == 1			   ? ""
				   : best == 3			   ? host_arch()
				   : !strcmp(host_arch(), "amd64") ? "386"
								   : "an older variant",
				   list->n);
	if (!cand) {
		char plats[200];

		platform_list(list, &dup, plats, sizeof(plats));
		return cs_diag_set(rd->d, ENOENT, 0, 0, "manifests",
				   "index lists no image for linux/%s (%u entr%s: %s): containerd "
				   "refuses it (no match for platform in manifest); refusing the "
				   "image",
				   host_arch(), list->n, list->n == 1 ? "y" : "ies", plats);
	}
	/* containerd's Manifest follows an entry without a platform and matches
	 * its manifest's config instead (ConfigPlatform): read_oci does */
	m->child_unplatformed =
	    !get(cand, "platform", &dup) || cs_json_is_null(get(cand, "platform", &dup));
	m->index_child = str(get(cand, "digest", &dup));
	m->child_size = desc_size(cand, &dup);
	if (dup)
		return dup_error(dup, "index", rd->d);
	if (!m->index_child)
		return cs_diag_set(rd->d, EINVAL, 0, 0, "digest", "index entry without a digest");
	return entry_type(cand, cand_at, &dup, m, rd->d);
}

int cs_img_oci_index(const char *buf, size_t len, struct cs_img_manifest *m, struct cs_diag *d)
{
	struct read rd = {m, d, "index.json"};
	int rc;

	manifest_init(m);
	if ((rc = parse(buf, len, "index", read_oci_index, &rd, d)) < 0)
		cs_img_manifest_free(m);
	return rc;
}

/*
 * Layer k's mediaType into *out, refused unless it names a layer diff:
 * containerd's unpacker fails an image whose layer is anything else, or has
 * no mediaType ("unrecognised mediatype"); CRI-O's reader goes by the bytes.
 * capscope reads the bytes too, so a descriptor that says something else
 * about them is refused, not read as if it said nothing (seventeenth pass,
 * integrator). What the type says of the compression is checked against the
 * bytes as they are read (image.c, layer_compression).
 */
static int layer_media_check(node *desc, uint32_t k, node **dup, char **out, struct cs_diag *d)
{
	char *mt = str(get(desc, "mediaType", dup));

	if (!mt)
		return cs_diag_set(d, EINVAL, 0, 0, "layers",
				   "layer %u has no mediaType: containerd refuses the image "
				   "(unrecognised mediatype)",
				   k);
	if (!cs_media_is_layer(mt)) {
		cs_diag_set(d, EINVAL, 0, 0, "layers",
			    "layer %u's mediaType '%.*s%s' is not a layer's: containerd "
			    "refuses the image (unrecognised mediatype)",
			    k, CS_MSG_CUTS(mt, 120));
		free(mt);
		return -EINVAL;
	}
	*out = mt;
	return 0;
}

/* An image manifest; an index where a manifest was expected, and what it
 * is read from its keys (rd->what NULL): 1. */
static int read_oci_manifest(void *user, node *root)
{
	struct read *rd = user;
	struct cs_img_manifest *m = rd->m;
	node *layers, *dup = NULL;
	int r;

	if (!rd->what && get(root, "manifests", &dup))
		return 1;
	if ((r = cs_img_manifest_types(root, false, &dup, rd->d)) < 0 ||
	    (rd->what && (r = kind_check(root, false, rd->what, &dup, rd->d)) < 0))
		return r;
	m->config = str(get(get(root, "config", &dup), "digest", &dup));
	m->config_size = desc_size(get(root, "config", &dup), &dup);
	layers = get(root, "layers", &dup);
	if (!m->config || !layers || layers->kind != YDOC_SEQ || layers->n > 4096)
		return cs_diag_set(rd->d, EINVAL, 0, 0, "layers",
				   "manifest needs a config digest and a layers array");
	if (!(m->layers = calloc((size_t)layers->n + 1, sizeof(char *))) ||
	    !(m->layer_types = calloc((size_t)layers->n + 1, sizeof(char *))) ||
	    !(m->layer_sizes = calloc((size_t)layers->n + 1, sizeof(long long))))
		return -ENOMEM;
	for (uint32_t k = 0; k < layers->n; k++) {
		if ((r = layer_media_check(layers->u.items[k], k, &dup, &m->layer_types[k],
					   rd->d)) < 0)
			return r;
		if (!(m->layers[k] = str(get(layers->u.items[k], "digest", &dup))))
			return cs_diag_set(rd->d, EINVAL, 0, 0, "layers", "layer %u has no digest",
					   k);
		m->layer_sizes[k] = desc_size(layers->u.items[k], &dup);
		m->nlayers = k + 1;
	}
	return dup ? dup_error(dup, "manifest", rd->d) : 0;
}

int cs_img_oci_manifest(const char *buf, size_t len, struct cs_img_manifest *m, struct cs_diag *d)
{
	struct read rd = {m, d, NULL};
	int rc;

	manifest_init(m);
	rc = parse(buf, len, "manifest", read_oci_manifest, &rd, d);
	if (rc < 0)
		cs_img_manifest_free(m);
	return rc == 1 ? cs_img_oci_index(buf, len, m, d) : rc;
}

int cs_img_oci_child(const char *buf, size_t len, const char *type, const char *what,
		     struct cs_img_manifest *m, struct cs_diag *d)
{
	bool index = cs_media_is_index(type);
	struct read rd = {m, d, what};
	int rc;

	manifest_init(m);
	rc = parse(buf, len, index ? "index" : "manifest",
		   index ? read_oci_index : read_oci_manifest, &rd, d);
	if (rc < 0)
		cs_img_manifest_free(m);
	return rc;
}

/* An error about node n of the config, at its line and column. */
#define config_error(n, d, ...) ydoc_error((d), (n), EINVAL, "config", __VA_ARGS__)

/* A string field of the config: absent or null is NULL, a non-scalar an error. */
static int config_str(node *cfg, const char *k, char **out, node **dup, struct cs_diag *d)
{
	node *n = get(cfg, k, dup);
	int r;

	*out = NULL;
	if (cs_json_is_null(n))
		return 0;
	if (!cs_json_is_string(n))
		return config_error(n, d, "config.%s must be a string", k);
	if ((r = cs_json_strdup(n, out)) == -EINVAL)
		return config_error(n, d,
				    "config.%s holds a NUL character (U+0000), which no user or "
				    "path can",
				    k);
	return r;
}

/*
 * The blob and its "config" are objects to Go's encoding/json, which
 * containerd, CRI-O and Docker decode them with (ocispec.Image, moby's
 * image.Image): an array, a string or a number there fails the image. They
 * were read here as an image without a config (no User, no Entrypoint), so
 * a container no runtime creates was predicted to run as root. null is
 * Go's "absent".
 */
static int config_objects(node *root, node *cfg, struct cs_diag *d)
{
	if (root->kind != YDOC_MAP)
		return config_error(root, d, "the image config must be a JSON object");
	if (!cs_json_is_null(cfg) && cfg->kind != YDOC_MAP)
		return config_error(cfg, d, "'%s' must be a JSON object (or null)", "config");
	return 0;
}

/* strv's error for field k of the config, at the item at fault. */
static int list_error(node *at, const char *k, int r, uint32_t bad, size_t max, struct cs_diag *d)
{
	if (r == -ENOMEM)
		return r;
	if (r == -E2BIG)
		return config_error(at, d, "config.%s has more than %zu entries", k, max);
	if (r == -EILSEQ)
		return config_error(at->u.items[bad], d,
				    "config.%s[%u] holds a NUL character (U+0000), which no "
				    "path, argument or variable can",
				    k, bad);
	return config_error(at, d, "config.%s must be an array of strings", k);
}

static int config_list(node *cfg, const char *k, struct cs_strlist *out, node **dup,
		       struct cs_diag *d)
{
	char **v;
	size_t n;
	uint32_t bad = 0;
	node *at = get(cfg, k, dup);
	int r = strv(at, true, &v, &n, 4096, &bad);

	if (r < 0)
		return list_error(at, k, r, bad, 4096, d);
	out->v = (const char **)v;
	out->n = n;
	return 0;
}

/* Docker and containerd decode Env as []string: anything else fails the
 * image there, so it is refused here, not skipped (a skipped Env left the
 * default PATH in the model). The last PATH wins, as in runc. */
static int config_path(node *cfg, node **dup, struct cs_image_config *c, struct cs_diag *d)
{
	char **envv = NULL;
	size_t nenv = 0;
	int r = 0;

	node *env = get(cfg, "Env", dup);
	uint32_t bad = 0;

	if ((r = strv(env, true, &envv, &nenv, 1u << 16, &bad)) < 0)
		return list_error(env, "Env", r, bad, 1u << 16, d);
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
	return r;
}

struct read_config {
	struct cs_image_config *c;
	struct cs_diag *d;
};

static int read_image_config(void *user, node *root)
{
	struct read_config *rc = user;
	struct cs_image_config *c = rc->c;
	node *cfg, *dup = NULL;
	int r;

	/* The whole config blob, or the bare config object (--image-config). */
	cfg = get(root, "config", &dup);
	if (!cfg && root->kind == YDOC_MAP && !get(root, "rootfs", &dup))
		cfg = root;
	if ((r = config_objects(root, cfg, rc->d)) < 0)
		return r;
	if ((r = config_str(cfg, "User", &c->user, &dup, rc->d)) < 0 ||
	    (r = config_str(cfg, "WorkingDir", &c->workdir, &dup, rc->d)) < 0 ||
	    (r = config_list(cfg, "Entrypoint", &c->entrypoint, &dup, rc->d)) < 0 ||
	    (r = config_list(cfg, "Cmd", &c->cmd, &dup, rc->d)) < 0)
		return r;
	if ((r = config_path(cfg, &dup, c, rc->d)) < 0 ||
	    (r = cs_img_config_types(root, cfg, &dup, rc->d)) < 0)
		return r;
	return dup ? dup_error(dup, "config", rc->d) : 0;
}

struct read_platform {
	const char *what;
	struct cs_diag *d;
};

static int read_config_platform(void *user, node *root)
{
	struct read_platform *rp = user;
	node *dup = NULL;
	char *os = str(get(root, "os", &dup)), *arch = str(get(root, "architecture", &dup));
	char *var = str(get(root, "variant", &dup));
	int fit = platform_node_fit(root, &dup), r = 0;

	if (dup)
		r = dup_error(dup, "config", rp->d);
	else if (!fit)
		r = cs_diag_set(rp->d, ENOENT, 0, 0, "config",
				"%.*s%s: its index entry has no platform, and its config says "
				"%.*s%s/%.*s%s%s%.*s%s, not linux/%s: containerd refuses the image "
				"(no match for platform in manifest); refusing the image",
				CS_MSG_CUTS(rp->what, 100), CS_MSG_CUTS(os ? os : "", 20),
				CS_MSG_CUTS(arch ? arch : "", 20), var && *var ? "/" : "",
				CS_MSG_CUTS(var ? var : "", 20), host_arch());
	free(os);
	free(arch);
	free(var);
	return r;
}

/*
 * containerd's images.Manifest follows an index entry without a platform
 * and matches its manifest's config instead (ConfigPlatform: the config's
 * os, architecture, variant and os.features, normalized): the image is
 * refused when they are another platform's. Twentieth pass, part D: such
 * an entry was taken as this host's without a look.
 */
int cs_img_config_platform(const char *buf, size_t len, const char *what, struct cs_diag *d)
{
	struct read_platform rp = {what, d};

	return parse(buf, len, "config", read_config_platform, &rp, d);
}

int cs_image_config_parse(const char *buf, size_t len, struct cs_image_config *c, struct cs_diag *d)
{
	struct read_config rc = {c, d};
	int r;

	memset(c, 0, sizeof(*c));
	if ((r = parse(buf, len, "config", read_image_config, &rc, d)) < 0)
		cs_image_config_free(c);
	return r;
}

int cs_image_config_load(const char *path, struct cs_image_config *out, struct cs_diag *d)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	memset(out, 0, sizeof(*out));
	r = cs_read_config_file(path, 1 << 24, NULL, &buf, &len, d);
	if (r < 0)
		return r;
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
	for (size_t i = 0; i < al; i++) {
		bool sep = digest[i] && strchr("+._-", digest[i]);

		if (!digest[i] ||
		    (!sep && !strchr("abcdefghijklmnopqrstuvwxyz0123456789", digest[i])))
			return -EINVAL;
		/* a separator between two components, never first, last or
		 * twice in a row ("s..:x" made the path component "s..") */
		if (sep && (i == 0 || i + 1 == al || strchr("+._-", digest[i - 1])))
			return -EINVAL;
	}
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
	free(m->child_type);
	free_v(m->layer_types);
	free_v(m->diff_ids);
	free(m->layer_sizes);
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
