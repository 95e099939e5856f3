/* SPDX-License-Identifier: MIT */
/* The image view (layers, whiteouts, opaque dirs, links) and the risk table. */
#include "cmocka-wrap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capscope/scan.h"
#include "imgjson.h"
#include "media-types.h"
#include "view.h"
#include "internal/scan-fuzz.h"

/* This host's architecture as Go names it: an index entry of another
 * platform's is refused when none is this host's (nineteenth pass, part B). */
#if defined(__x86_64__)
#define HOST_GOARCH "amd64"
#elif defined(__aarch64__)
#define HOST_GOARCH "arm64"
#else
#define HOST_GOARCH "unknown"
#endif

static void add(struct cs_view *v, int layer, const char *name, uint32_t mode)
{
	struct cs_ventry e = {.name = name, .mode = mode};
	struct cs_diag why;

	assert_int_equal(cs_view_apply(v, layer, &e, &why), 0);
}

static void add_link(struct cs_view *v, int layer, const char *name, const char *target, bool hard)
{
	struct cs_ventry e = {.name = name, .mode = hard ? S_IFREG | 0644 : S_IFLNK | 0777};
	struct cs_diag why;

	if (hard)
		e.hardlink = target;
	else
		e.symlink = target;
	assert_int_equal(cs_view_apply(v, layer, &e, &why), 0);
}

/* A hard link entry with its own header: mode, owner 0, and capabilities when caps. */
static void add_hard(struct cs_view *v, int layer, const char *name, const char *target,
		     uint32_t mode, const struct cs_fcaps *caps)
{
	struct cs_ventry e = {.name = name, .mode = mode, .hardlink = target};
	struct cs_diag why;

	if (caps) {
		e.has_fcaps = true;
		e.fcaps = *caps;
	}
	assert_int_equal(cs_view_apply(v, layer, &e, &why), 0);
}

static bool has(struct cs_view *v, const char *path)
{
	return cs_view_lookup(v, path) != NULL;
}

static void test_normalize(void **state)
{
	char out[64];
	int fl;

	(void)state;
	assert_int_equal(cs_view_normalize("./a/./b//c/", out, sizeof(out), &fl), 6);
	assert_string_equal(out, "/a/b/c");
	assert_int_equal(fl, 0);
	cs_view_normalize("../../etc/passwd", out, sizeof(out), &fl);
	assert_string_equal(out, "/etc/passwd");
	assert_true(fl & CS_NORM_ESCAPED);
	cs_view_normalize("/abs/x/../y", out, sizeof(out), &fl);
	assert_string_equal(out, "/abs/y");
	assert_true(fl & CS_NORM_ABSOLUTE);
	assert_false(fl & CS_NORM_ESCAPED);
	cs_view_normalize(".", out, sizeof(out), &fl);
	assert_string_equal(out, "/");
	assert_int_equal(cs_view_normalize(
			     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
			     out, sizeof(out), &fl),
			 -ENAMETOOLONG);
}

static void test_whiteout(void **state)
{
	struct cs_view v;

	(void)state;
	assert_int_equal(cs_view_init(&v), 0);
	add(&v, 0, "opt/tool", S_IFREG | 04755);
	add(&v, 0, "dir/sub/f", S_IFREG | 04755);
	add(&v, 0, "keep", S_IFREG | 04755);
	add(&v, 1, "opt/.wh.tool", S_IFREG | 0644);
	add(&v, 1, "./.wh.dir", S_IFREG | 0644);
	assert_false(has(&v, "/opt/tool"));
	assert_false(has(&v, "/dir"));
	assert_false(has(&v, "/dir/sub/f"));
	assert_true(has(&v, "/keep"));
	assert_true(has(&v, "/opt"));
	/* whiteout files themselves never appear */
	assert_false(has(&v, "/opt/.wh.tool"));
	/* a file can come back in a later layer */
	add(&v, 2, "dir/sub/f", S_IFREG | 0755);
	assert_int_equal(cs_view_lookup(&v, "/dir/sub/f")->layer, 2);
	cs_view_free(&v);
}

/*
 * Tenth pass: ".wh." and ".wh.." named the whiteout's own directory (the
 * lookup of "/p/" and "/p/." found p) and removed it with every set-id file
 * below, silently; containerd refuses such a layer. Now each is an error
 * and changes nothing.
 */
static void test_whiteout_invalid(void **state)
{
	static const char *const bad[] = {"p/.wh.", "p/.wh..", "p/q/.wh...", ".wh.", ".wh.."};
	struct cs_view v;

	(void)state;
	assert_int_equal(cs_view_init(&v), 0);
	add(&v, 0, "p/q/suid", S_IFREG | 04755);
	add(&v, 0, "top", S_IFREG | 04755);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cs_ventry e = {.name = bad[i], .mode = S_IFREG | 0644};
		struct cs_diag why;

		assert_int_equal(cs_view_apply(&v, 1, &e, &why), CS_VIEW_UNPACKABLE);
		assert_non_null(strstr(why.message, "invalid whiteout name"));
		assert_true(has(&v, "/p/q/suid"));
		assert_true(has(&v, "/top"));
	}
	cs_view_free(&v);
}

static void test_opaque(void **state)
{
	struct cs_view v;

	(void)state;
	assert_int_equal(cs_view_init(&v), 0);
	add(&v, 0, "data/old", S_IFREG | 04755);
	add(&v, 0, "data/sub/deep", S_IFREG | 04755);
	add(&v, 1, "data/", S_IFDIR | 0755);
	add(&v, 1, "data/new", S_IFREG | 04755); /* before the marker: stays */
	add(&v, 1, "data/.wh..wh..opq", S_IFREG | 0644);
	add(&v, 1, "data/after", S_IFREG | 04755);
	assert_false(has(&v, "/data/old"));
	assert_false(has(&v, "/data/sub"));
	assert_true(has(&v, "/data/new"));
	assert_true(has(&v, "/data/after"));
	assert_true(has(&v, "/data"));
	cs_view_free(&v);
}

static void test_replace_and_dups(void **state)
{
	struct cs_view v;

	(void)state;
	assert_int_equal(cs_view_init(&v), 0);
	add(&v, 0, "d/x/y", S_IFREG | 04755);
	add(&v, 1, "d/x", S_IFREG | 0755); /* a file over a directory */
	assert_false(has(&v, "/d/x/y"));
	assert_int_equal(cs_view_lookup(&v, "/d/x")->mode, S_IFREG | 0755);
	add(&v, 1, "d/x", S_IFREG | 04755); /* duplicate: last wins */
	assert_int_equal(cs_view_lookup(&v, "/d/x")->mode, S_IFREG | 04755);
	add(&v, 2, "d", S_IFDIR | 0700); /* a directory over a directory keeps children */
	assert_true(has(&v, "/d/x"));
	assert_int_equal(cs_view_lookup(&v, "/d")->mode, S_IFDIR | 0700);
	cs_view_free(&v);
}

static void test_links(void **state)
{
	struct cs_view v;
	char out[256];
	struct cs_diag why;
	struct cs_ventry e = {.name = "bin/missing-link", .mode = S_IFREG, .hardlink = "nope"};
	struct cs_scan_result r = {0};

	(void)state;
	assert_int_equal(cs_view_init(&v), 0);
	add(&v, 0, "usr/bin/su", S_IFREG | 04755);
	add_link(&v, 0, "bin", "usr/bin", false);
	add_hard(&v, 1, "sbin/su2", "usr/bin/su", S_IFREG | 04755, NULL);
	assert_int_equal(cs_view_lookup(&v, "/sbin/su2")->mode, S_IFREG | 04755);
	assert_int_equal(cs_view_lookup(&v, "/sbin/su2")->layer, 1);
	/* a parent symlink is followed inside the image */
	add(&v, 1, "bin/ping", S_IFREG | 04755);
	assert_true(has(&v, "/usr/bin/ping"));
	assert_false(has(&v, "/bin/ping"));
	assert_int_equal(cs_view_resolve(&v, "/bin/su", true, out, sizeof(out)), 0);
	assert_string_equal(out, "/usr/bin/su");
	add_link(&v, 1, "abs", "/../../usr/bin", false);
	assert_int_equal(cs_view_resolve(&v, "/abs/../bin/su", true, out, sizeof(out)), 0);
	assert_string_equal(out, "/usr/bin/su");
	add_link(&v, 1, "l1", "l2", false);
	add_link(&v, 1, "l2", "l1", false);
	assert_int_equal(cs_view_resolve(&v, "/l1/x", true, out, sizeof(out)), -ELOOP);
	/* a hard link link(2) cannot make: the layer is refused (containerd's applier fails) */
	assert_int_equal(cs_view_apply(&v, 1, &e, &why), CS_VIEW_UNPACKABLE);
	assert_non_null(strstr(why.message, "not in the image when linked"));
	assert_false(has(&v, "/bin/missing-link"));
	e.name = "usr/bin/su";
	e.hardlink = "usr/bin/su";
	assert_int_equal(cs_view_apply(&v, 1, &e, &why), CS_VIEW_UNPACKABLE);
	assert_non_null(strstr(why.message, "removed first"));
	e.name = "usr";
	assert_int_equal(cs_view_apply(&v, 1, &e, &why), CS_VIEW_UNPACKABLE);
	e.name = "dl";
	e.hardlink = "usr/bin";
	assert_int_equal(cs_view_apply(&v, 1, &e, &why), CS_VIEW_UNPACKABLE);
	assert_non_null(strstr(why.message, "a directory"));
	assert_int_equal(cs_view_findings(&v, &r), 0);
	assert_int_equal(r.nfindings, 3);
	assert_string_equal(r.findings[0].path, "/sbin/su2");
	assert_string_equal(r.findings[1].path, "/usr/bin/ping");
	assert_string_equal(r.findings[2].path, "/usr/bin/su");
	cs_scan_result_free(&r);
	cs_view_free(&v);
}

static uint32_t mode_of(struct cs_view *v, const char *path)
{
	struct cs_vattr a;

	cs_vnode_attr(cs_view_lookup(v, path), &a);
	return a.mode;
}

/*
 * A hard link entry's own header is applied to the inode (chown, xattrs,
 * chmod, as containerd and containers/storage do): a plain file linked with
 * a set-uid header is set-uid under both names, and a set-uid or capped one
 * linked with a plain header is neither.
 */
static void test_hardlink_header(void **state)
{
	struct cs_view v;
	struct cs_fcaps raw = {.version = 2, .effective = true, .permitted = CS_BIT(13)};
	struct cs_vattr a;
	struct cs_scan_result r = {0};

	(void)state;
	assert_int_equal(cs_view_init(&v), 0);
	add(&v, 0, "bin/plain", S_IFREG | 0755);
	add_hard(&v, 0, "bin/suid", "bin/plain", S_IFREG | 04755, NULL);
	assert_int_equal(mode_of(&v, "/bin/suid"), S_IFREG | 04755);
	assert_int_equal(mode_of(&v, "/bin/plain"), S_IFREG | 04755);
	add(&v, 0, "bin/plain2", S_IFREG | 0755);
	add_hard(&v, 0, "bin/capped", "bin/plain2", S_IFREG | 0755, &raw);
	cs_vnode_attr(cs_view_lookup(&v, "/bin/plain2"), &a);
	assert_true(a.has_fcaps && a.fcaps.permitted == CS_BIT(13));
	/* lchown drops set-uid and capabilities; the header gives none back */
	add(&v, 0, "bin/su", S_IFREG | 04755);
	add_hard(&v, 0, "bin/su-plain", "bin/su", S_IFREG | 0755, NULL);
	assert_int_equal(mode_of(&v, "/bin/su"), S_IFREG | 0755);
	add_hard(&v, 0, "bin/capped-plain", "bin/capped", S_IFREG | 0755, NULL);
	cs_vnode_attr(cs_view_lookup(&v, "/bin/plain2"), &a);
	assert_false(a.has_fcaps);
	/* one layer: every earlier name of the inode changes; a later whiteout
	 * of the names that were changed leaves the third one set-uid */
	add(&v, 0, "c/a", S_IFREG | 0755);
	add_hard(&v, 0, "c/b", "c/a", S_IFREG | 0755, NULL);
	add_hard(&v, 0, "c/c", "c/a", S_IFREG | 04755, NULL);
	add(&v, 1, "c/.wh.a", S_IFREG);
	add(&v, 1, "c/.wh.c", S_IFREG);
	assert_int_equal(mode_of(&v, "/c/b"), S_IFREG | 04755);
	/* a lower layer's inode is copied up before the link: its other names keep theirs */
	add(&v, 0, "d/a", S_IFREG | 04755);
	add_hard(&v, 0, "d/b", "d/a", S_IFREG | 04755, NULL);
	add_hard(&v, 1, "d/c", "d/a", S_IFREG | 0755, NULL);
	assert_int_equal(mode_of(&v, "/d/a"), S_IFREG | 0755);
	assert_int_equal(mode_of(&v, "/d/c"), S_IFREG | 0755);
	assert_int_equal(mode_of(&v, "/d/b"), S_IFREG | 04755);
	assert_int_equal(cs_view_findings(&v, &r), 0);
	assert_int_equal(r.nfindings, 4);
	assert_string_equal(r.findings[0].path, "/bin/plain");
	assert_string_equal(r.findings[1].path, "/bin/suid");
	assert_string_equal(r.findings[2].path, "/c/b");
	assert_string_equal(r.findings[3].path, "/d/b");
	cs_scan_result_free(&r);
	cs_view_free(&v);
}

static enum cs_risk risk_of(uint32_t mode, uint32_t uid, uint32_t gid, int cap)
{
	struct cs_finding f = {.mode = S_IFREG | mode, .uid = uid, .gid = gid};

	if (cap >= 0) {
		f.has_fcaps = true;
		f.fcaps.version = 2;
		f.fcaps.effective = true;
		f.fcaps.permitted = CS_BIT(cap);
	}
	cs_risk_assess(&f);
	free(f.reason);
	return f.risk;
}

static void test_risk(void **state)
{
	(void)state;
	assert_int_equal(risk_of(0755, 0, 0, 21), CS_RISK_CRITICAL); /* SYS_ADMIN */
	assert_int_equal(risk_of(0755, 0, 0, 16), CS_RISK_CRITICAL); /* SYS_MODULE */
	assert_int_equal(risk_of(0755, 0, 0, 1), CS_RISK_CRITICAL);  /* DAC_OVERRIDE */
	assert_int_equal(risk_of(0755, 0, 0, 2), CS_RISK_HIGH);	     /* DAC_READ_SEARCH */
	assert_int_equal(risk_of(0755, 0, 0, 12), CS_RISK_HIGH);     /* NET_ADMIN */
	assert_int_equal(risk_of(0755, 0, 0, 13), CS_RISK_MEDIUM);   /* NET_RAW */
	assert_int_equal(risk_of(0755, 0, 0, 10), CS_RISK_LOW);	     /* NET_BIND_SERVICE */
	assert_int_equal(risk_of(0755, 0, 0, 45), CS_RISK_MEDIUM);   /* unknown */
	assert_int_equal(risk_of(04755, 0, 0, -1), CS_RISK_HIGH);    /* set-uid root */
	assert_int_equal(risk_of(04755, 1000, 0, -1), CS_RISK_MEDIUM);
	assert_int_equal(risk_of(02755, 0, 50, -1), CS_RISK_LOW);
	assert_int_equal(risk_of(02755, 0, 0, -1), CS_RISK_MEDIUM);
	assert_int_equal(risk_of(02745, 0, 50, -1), CS_RISK_INFO); /* no g+x: locking marker */
	assert_int_equal(risk_of(04644, 0, 0, -1), CS_RISK_INFO);  /* nobody can exec it */
	assert_int_equal(risk_of(04755, 0, 0, 21), CS_RISK_CRITICAL);
	{
		struct cs_finding f = {.mode = S_IFREG | 0755, .has_fcaps = true};

		f.fcaps.version = 2;
		cs_risk_assess(&f);
		assert_int_equal(f.risk, CS_RISK_INFO);
		assert_non_null(strstr(f.reason, "empty"));
		free(f.reason);
	}
	assert_int_equal(cs_risk_parse("HIGH"), CS_RISK_HIGH);
	assert_int_equal(cs_risk_parse("nope"), -EINVAL);
	assert_string_equal(cs_risk_name(CS_RISK_CRITICAL), "critical");
}

static void test_layer_buffer_garbage(void **state)
{
	struct cs_scan_result r = {0};
	struct cs_diag d;
	static const char junk[] = "definitely not a tar archive, not even close";

	(void)state;
	assert_true(cs_scan_layer_buffer(junk, sizeof(junk), NULL, &r, &d) < 0);
	assert_true(d.message[0] != 0);
	cs_scan_result_free(&r);
}

/* Session 12, part G: the index and the manifest are typed as the config
 * is: containerd decodes them into ocispec.Index and ocispec.Manifest, and
 * a descriptor whose size is a string, whose data is not base64 or whose
 * platform is not an object fails the image there. */
static void test_imgjson_manifest_types(void **state)
{
	static const struct {
		bool index;
		const char *json, *msg;
	} bad[] = {
	    {false, "{\"config\":{\"digest\":\"sha256:a\",\"size\":\"12\"},\"layers\":[]}",
	     "config.size must be a whole number"},
	    {false, "{\"config\":{\"digest\":\"sha256:a\",\"size\":1.5},\"layers\":[]}",
	     "config.size must be a whole number"},
	    {false,
	     "{\"config\":{\"digest\":\"sha256:a\",\"size\":9223372036854775808},"
	     "\"layers\":[]}",
	     "config.size must be a whole number"},
	    {false, "{\"config\":{\"digest\":\"sha256:a\",\"data\":\"e30\"},\"layers\":[]}",
	     "config.data must be a string in base64"},
	    {false,
	     "{\"config\":{\"digest\":\"sha256:a\"},\"layers\":[{\"digest\":\"sha256:l\","
	     "\"urls\":\"http://x\"}]}",
	     "layers[0].urls must be an array of strings"},
	    {false, "{\"schemaVersion\":\"2\",\"config\":{\"digest\":\"sha256:a\"},\"layers\":[]}",
	     "schemaVersion must be a whole number"},
	    {false,
	     "{\"config\":{\"digest\":\"sha256:a\"},\"layers\":[],\"annotations\":{\"a\":1}}",
	     "annotations must be an object whose values are strings"},
	    {true, "{\"manifests\":[{\"digest\":\"sha256:b\",\"platform\":\"linux\"}]}",
	     "manifests[0].platform must be an object"},
	    {true, "{\"manifests\":[{\"digest\":\"sha256:b\",\"mediaType\":5}]}",
	     "manifests[0].mediaType must be a string"},
	};
	static const char good_manifest[] =
	    "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
	    "\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:a\",\"size\":7023,\"data\":"
	    "\"e30=\\r\\n\",\"annotations\":{\"a\":\"b\"}},\"layers\":[{\"mediaType\":"
	    "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:l\","
	    "\"size\":-9223372036854775808,\"urls\":null,\"data\":\"\"}],\"annotations\":null,"
	    "\"unknown\":[1]}";
	static const char good_index[] =
	    "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"sha256:b\",\"size\":1,"
	    "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
	    "\"platform\":{\"os\":\"linux\",\"architecture\":\"" HOST_GOARCH "\","
	    "\"os.features\":null}}]}";
	struct cs_img_manifest m;
	struct cs_diag d;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r;

		memset(&d, 0, sizeof(d));
		r = bad[i].index ? cs_img_oci_index(bad[i].json, strlen(bad[i].json), &m, &d)
				 : cs_img_oci_manifest(bad[i].json, strlen(bad[i].json), &m, &d);
		if (r != -EINVAL || !strstr(d.message, bad[i].msg) || !d.line)
			fail_msg("%s: %d %u:%u %s", bad[i].json, r, d.line, d.column, d.message);
		cs_img_manifest_free(&m);
	}
	memset(&d, 0, sizeof(d));
	if (cs_img_oci_manifest(good_manifest, strlen(good_manifest), &m, &d) != 0)
		fail_msg("manifest: %s", d.message);
	cs_img_manifest_free(&m);
	if (cs_img_oci_index(good_index, strlen(good_index), &m, &d) != 0)
		fail_msg("index: %s", d.message);
	cs_img_manifest_free(&m);
}

/* Session 11 (part A's leftover): fields the model does not read are still
 * typed as the runtimes' decoders type them; an image they fail is refused,
 * at the field, and what they take is read. */
/*
 * Eighteenth pass: media types as containerd reads them (media-types.c),
 * and an index entry's type against the blob it names (kind_check): an
 * index entry calling a manifest an index, or the reverse, was followed
 * by what the blob's keys held; containerd fails it.
 */
static void test_media_types(void **state)
{
	static const char *const decompressed[] = {
	    "application/vnd.docker.image.rootfs.diff.tar",
	    "application/vnd.docker.image.rootfs.diff.tar.gzip",
	    "application/vnd.docker.image.rootfs.diff.tar.zstd",
	    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
	    "application/vnd.oci.image.layer.v1.tar+gzip",
	    "application/vnd.oci.image.layer.v1.tar+zstd",
	    "application/vnd.oci.image.layer.v1.tar+gzip+encrypted", /* sorted: gzip last */
	    "application/vnd.oci.image.layer.v1.tar+zstd+gzip",
	    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
	};
	static const char *const raw[] = {
	    "application/vnd.oci.image.layer.v1.tar",
	    "application/vnd.oci.image.layer.v1.tar+",
	    "application/vnd.oci.image.layer.v1.tar+foo",
	    "application/vnd.oci.image.layer.v1.tar+gzip+zz", /* sorted: zz last */
	    "application/vnd.oci.image.layer.v1.tar+gzipx",
	    "application/vnd.oci.image.layer.v1.tar+gzi",
	    "application/vnd.docker.image.rootfs.diff.tar.gzip+encrypted",
	    "application/vnd.docker.image.rootfs.diff.tar+gzip",
	    "application/vnd.oci.image.config.v1+json",
	};
	struct cs_img_manifest m;
	struct cs_diag d;
	char buf[200];

	(void)state;
	for (size_t i = 0; i < sizeof(decompressed) / sizeof(decompressed[0]); i++)
		if (!cs_media_layer_decompresses(decompressed[i]))
			fail_msg("not decompressed: %s", decompressed[i]);
	for (size_t i = 0; i < sizeof(raw) / sizeof(raw[0]); i++)
		if (cs_media_layer_decompresses(raw[i]))
			fail_msg("decompressed: %s", raw[i]);
	/* containerd splits at most 50 suffixes: the 50th is the rest, "+" and all */
	snprintf(buf, sizeof(buf), "application/vnd.oci.image.layer.v1.tar");
	for (int k = 0; k < 49; k++)
		strcat(buf, "+a");
	assert_true(cs_media_layer_decompresses(strcat(buf, "+zstd")));
	assert_false(cs_media_layer_decompresses(strcat(buf, "+gzip")));
	assert_true(cs_media_is_manifest("application/vnd.oci.image.manifest.v1+json"));
	assert_false(cs_media_is_manifest("application/vnd.oci.image.manifest.v1+json; x"));
	assert_true(cs_media_is_index("application/vnd.docker.distribution.manifest.list.v2+json"));

	static const char entry_none[] = "{\"manifests\":[{\"digest\":\"sha256:aa\"}]}";
	static const char entry_cfg[] = "{\"manifests\":[{\"digest\":\"sha256:aa\",\"mediaType\":"
					"\"application/vnd.oci.image.config.v1+json\"}]}";
	memset(&d, 0, sizeof(d));
	assert_int_equal(cs_img_oci_index(entry_none, strlen(entry_none), &m, &d), -EINVAL);
	assert_non_null(strstr(d.message, "manifests[0] has no mediaType"));
	assert_int_equal(cs_img_oci_index(entry_cfg, strlen(entry_cfg), &m, &d), -EINVAL);
	assert_non_null(strstr(d.message, "neither a manifest's nor an index's"));

	static const char *const as_manifest[] = {
	    "{\"manifests\":[],\"config\":{\"digest\":\"sha256:a\"},\"layers\":[]}",
	    "{\"MANIFESTS\":null,\"config\":{\"digest\":\"sha256:a\"},\"layers\":[]}",
	    ("{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"config\":"
	     "{\"digest\":\"sha256:a\"},\"layers\":[]}"),
	    "{\"fsLayers\":[],\"config\":{\"digest\":\"sha256:a\"},\"layers\":[]}",
	};
	for (size_t i = 0; i < sizeof(as_manifest) / sizeof(as_manifest[0]); i++) {
		memset(&d, 0, sizeof(d));
		if (cs_img_oci_child(as_manifest[i], strlen(as_manifest[i]),
				     "application/vnd.oci.image.manifest.v1+json", "sha256:x", &m,
				     &d) != -EINVAL ||
		    !strstr(d.message, "sha256:x"))
			fail_msg("%s: %s", as_manifest[i], d.message);
	}
	static const char *const as_index[] = {
	    ("{\"manifests\":[{\"digest\":\"sha256:a\",\"mediaType\":"
	     "\"application/vnd.oci.image.manifest.v1+json\"}],\"layers\":null}"),
	    ("{\"manifests\":[{\"digest\":\"sha256:a\",\"mediaType\":"
	     "\"application/vnd.oci.image.manifest.v1+json\"}],\"Config\":{}}"),
	    ("{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
	     "\"manifests\":[{\"digest\":\"sha256:a\",\"mediaType\":"
	     "\"application/vnd.oci.image.manifest.v1+json\"}]}"),
	};
	for (size_t i = 0; i < sizeof(as_index) / sizeof(as_index[0]); i++) {
		memset(&d, 0, sizeof(d));
		if (cs_img_oci_child(as_index[i], strlen(as_index[i]),
				     "application/vnd.oci.image.index.v1+json", "sha256:y", &m,
				     &d) != -EINVAL ||
		    !strstr(d.message, "expected index but found manifest"))
			fail_msg("%s: %s", as_index[i], d.message);
	}
	/* a manifest whose descriptor says so is read, its layers' types kept */
	static const char man[] =
	    "{\"config\":{\"digest\":\"sha256:a\"},\"layers\":[{\"digest\":\"sha256:l\","
	    "\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+zstd\"}]}";
	assert_int_equal(cs_img_oci_child(man, strlen(man),
					  "application/vnd.docker.distribution.manifest.v2+json",
					  "z", &m, &d),
			 0);
	assert_string_equal(m.layer_types[0], "application/vnd.oci.image.layer.v1.tar+zstd");
	cs_img_manifest_free(&m);
}

static void test_imgjson_types(void **state)
{
	static const struct {
		const char *json, *field;
	} bad[] = {
	    {"{\"config\":{\"ExposedPorts\":5}}", "config.ExposedPorts must be an object whose"},
	    {"{\"config\":{\"ExposedPorts\":{\"80/tcp\":1}}}", "config.ExposedPorts must be"},
	    {"{\"config\":{\"labels\":{\"a\":1}}}", "config.Labels must be an object whose values "
						    "are strings"},
	    {"{\"config\":{\"Volumes\":[\"/v\"]}}", "config.Volumes must be"},
	    {"{\"config\":{\"ArgsEscaped\":\"yes\"}}", "config.ArgsEscaped must be true or false"},
	    {"{\"config\":{\"StopSignal\":9}}", "config.StopSignal must be a string"},
	    {"{\"config\":{},\"created\":5}", "created must be a time"},
	    {"{\"config\":{},\"history\":[1]}", "history must be an array of objects"},
	    {"{\"config\":{},\"history\":[{\"empty_layer\":\"true\"}]}",
	     "history[0].empty_layer must be true or false"},
	    {"{\"config\":{},\"rootfs\":{\"diff_ids\":\"sha256:a\"}}",
	     "rootfs.diff_ids must be an array of strings"},
	    {"{\"config\":{},\"OS\":[]}", "os must be a string"},
	    /* the bare config (--image-config) has the config's fields only */
	    {"{\"User\":\"1\",\"ExposedPorts\":5}", "config.ExposedPorts must be"},
	    /* Session 12, part G: created is a *time.Time, whose UnmarshalJSON
	     * takes only what time.Parse(time.RFC3339, ...) takes */
	    {"{\"config\":{},\"created\":\"yesterday\"}", "created must be a time"},
	    {"{\"config\":{},\"created\":\"\"}", "created must be a time"},
	    {"{\"config\":{},\"created\":\"2023-02-29T00:00:00Z\"}", "created must be a time"},
	    {"{\"config\":{},\"created\":\"2026-11-30T24:00:00Z\"}", "created must be a time"},
	    {"{\"config\":{},\"created\":\"2026-11-30t00:00:00Z\"}", "created must be a time"},
	    {"{\"config\":{},\"created\":\"2026-11-30T00:00:00\"}", "created must be a time"},
	    {"{\"config\":{},\"created\":\"2026-11-30T00:00:60Z\"}", "created must be a time"},
	    {"{\"config\":{},\"created\":\"2026-11-30T00:00:00+25:00\"}", "created must be a time"},
	    {"{\"config\":{},\"created\":\"2026-11-30T00:00:00+0100\"}", "created must be a time"},
	    {"{\"config\":{},\"created\":\"2026-11-30T00:00:00Zjunk\"}", "created must be a time"},
	    {"{\"config\":{},\"created\":\"2026-1-30T00:00:00Z\"}", "created must be a time"},
	    {"{\"config\":{},\"created\":\"2026-11-30T00:00:00.Z\"}", "created must be a time"},
	    {"{\"config\":{},\"history\":[{},{\"created\":\"1 May 2020\"}]}",
	     "history[1].created must be a time"},
	    /* Go's time reads the string as written: an escape is no digit */
	    {"{\"config\":{},\"created\":\"\\u0032026-11-30T00:00:00Z\"}",
	     "created must be a time"},
	    {"{\"config\":{},\"created\":\"2026-11-30T00:00:00\\u005a\"}",
	     "created must be a time"},
	};
	static const char *const good[] = {
	    "{\"config\":{\"ExposedPorts\":{\"80/tcp\":{}},\"Volumes\":null,\"Labels\":"
	    "{\"a\":\"b\",\"c\":null},\"ArgsEscaped\":true,\"StopSignal\":\"SIGTERM\"},"
	    "\"created\":\"2026-11-30T00:00:00Z\",\"architecture\":\"amd64\",\"os\":\"linux\","
	    "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:a\"]},\"history\":[{"
	    "\"created_by\":\"x\",\"empty_layer\":true},null],\"container_config\":5}",
	    /* a bare config: "created" is nothing of its */
	    "{\"User\":\"1\",\"created\":5}",
	    /* what time.Parse(time.RFC3339) takes beyond the strict form: an
	     * hour of one digit, a comma before the fraction, a zone of +24:00;
	     * year 0 is a leap year; null is absent */
	    "{\"config\":{},\"created\":\"2026-11-30T1:02:03,5+24:00\",\"history\":[{"
	    "\"created\":\"0000-02-29T00:00:00.123456789123Z\"},{\"created\":null}]}",
	    "{\"config\":{},\"created\":\"2024-02-29T23:59:59-23:59\"}",
	    /* escapes, tabs, CRLF and multi-byte text elsewhere do not count */
	    "{\"config\":{\"Labels\":{\"\xc3\xa9\\u00e9\\\"\":\"\\t\"}},\r\n\t\"created\":\r\n"
	    "\"2026-11-30T00:00:00Z\",\"history\":[{\"comment\":\"\\n\xe2\x80\xa8\","
	    "\"created\":\"2026-11-30T00:00:00.5Z\"}]}",
	};
	struct cs_image_config c;
	struct cs_diag d;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&d, 0, sizeof(d));
		assert_int_equal(cs_image_config_parse(bad[i].json, strlen(bad[i].json), &c, &d),
				 -EINVAL);
		if (!strstr(d.message, bad[i].field) || !d.line)
			fail_msg("%s: %u:%u %s", bad[i].json, d.line, d.column, d.message);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(&d, 0, sizeof(d));
		if (cs_image_config_parse(good[i], strlen(good[i]), &c, &d) != 0)
			fail_msg("%s: %s", good[i], d.message);
		cs_image_config_free(&c);
	}
}

static void test_imgjson(void **state)
{
	static const char dm[] =
	    "[{\"Config\":\"c.json\",\"Layers\":[\"a/layer.tar\",\"b/layer.tar\"]}]";
	static const char idx[] =
	    "{\"manifests\":[{\"digest\":\"sha256:aa\",\"platform\":{\"os\":\"linux\","
	    "\"architecture\":\"s390x\"}},{\"digest\":\"sha256:bb\",\"platform\":{\"os\":"
	    "\"linux\",\"architecture\":\"amd64\"},\"mediaType\":"
	    "\"application/vnd.oci.image.index.v1+json\"}]}";
	static const char man[] =
	    "{\"config\":{\"digest\":\"sha256:cc\"},\"layers\":[{\"digest\":"
	    "\"sha256:dd\",\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\"}]}";
	static const char cfg[] =
	    "{\"config\":{\"User\":\"1000:1000\",\"Entrypoint\":null,"
	    "\"Cmd\":[\"nc\",\"-l\",\"443\"],\"Env\":[\"A=b\",\"PATH=/opt/bin\"]}}";
	struct cs_img_manifest m;
	struct cs_image_config c;
	struct cs_diag d;
	char p[128];

	(void)state;
	assert_int_equal(cs_img_docker_manifest(dm, strlen(dm), &m, &d), 0);
	assert_string_equal(m.config, "c.json");
	assert_int_equal(m.nlayers, 2);
	assert_string_equal(m.layers[1], "b/layer.tar");
	cs_img_manifest_free(&m);
	assert_int_equal(cs_img_oci_index(idx, strlen(idx), &m, &d), 0);
#if defined(__x86_64__)
	assert_string_equal(m.index_child, "sha256:bb");
	assert_string_equal(m.child_type, "application/vnd.oci.image.index.v1+json");
#endif
	cs_img_manifest_free(&m);
#if defined(__x86_64__)
	{ /* Nineteenth pass, part B: containerd's platform matcher on amd64. */
#define E(d, p)                                                                                    \
	"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" d "\"" p "}"
#define P(os, arch) ",\"platform\":{\"os\":\"" os "\",\"architecture\":\"" arch "\"}"
		static const struct {
			const char *idx, *want; /* the entry taken, or the message's words */
		} pl[] = {
		    {"{\"manifests\":[" E("sha256:a", P("linux", "arm64")) "," E(
			 "sha256:b", P("linux", "s390x")) "]}",
		     "index lists no image for linux/amd64 (2 entries: linux/arm64, linux/s390x)"},
		    {"{\"manifests\":[" E("sha256:a", P("windows", "amd64")) "]}",
		     "(1 entry: windows/amd64)"},
		    {"{\"manifests\":[" E("sha256:a", P("linux", "arm64")) "," E(
			 "sha256:b", P("linux", "386")) "]}",
		     "sha256:b"},
		    {"{\"manifests\":[" E("sha256:a", P("linux", "386")) "," E(
			 "sha256:b", P("Linux", "x86_64")) "]}",
		     "sha256:b"},
		    {"{\"manifests\":[" E("sha256:a", P("linux", "arm64")) "," E(
			 "sha256:b", P("", "amd64")) "]}",
		     "sha256:b"},
		    {"{\"manifests\":[" E("sha256:a", P("linux", "arm64")) "," E(
			 "sha256:b", ",\"platform\":null") "]}",
		     "sha256:b"},
		    {"{\"manifests\":[" E("sha256:a", P("linux", "386")) "," E(
			 "sha256:b", P("linux", "i386")) "]}",
		     "index lists 2 images for linux/386"},
		};
#undef E
#undef P

		for (size_t i = 0; i < sizeof(pl) / sizeof(pl[0]); i++) {
			int r = cs_img_oci_index(pl[i].idx, strlen(pl[i].idx), &m, &d);

			if (strncmp(pl[i].want, "sha256:", 7) == 0
				? r != 0 || strcmp(m.index_child, pl[i].want)
				: r == 0 || !strstr(d.message, pl[i].want))
				fail_msg("%s: %d %s", pl[i].idx, r, r ? d.message : m.index_child);
			if (r == 0)
				cs_img_manifest_free(&m);
		}
	}
#endif
	assert_int_equal(cs_img_oci_manifest(man, strlen(man), &m, &d), 0);
	assert_string_equal(m.config, "sha256:cc");
	assert_string_equal(m.layers[0], "sha256:dd");
	cs_img_manifest_free(&m);
	assert_int_equal(cs_image_config_parse(cfg, strlen(cfg), &c, &d), 0);
	assert_string_equal(c.user, "1000:1000");
	assert_null(c.entrypoint.v);
	assert_int_equal(c.cmd.n, 3);
	assert_string_equal(c.cmd.v[2], "443");
	assert_string_equal(c.path_env, "/opt/bin");
	cs_image_config_free(&c);
	/* The bare config object (explain pod --image-config) reads the same. */
	assert_int_equal(cs_image_config_parse(cfg + 10, strlen(cfg) - 11, &c, &d), 0);
	assert_string_equal(c.user, "1000:1000");
	assert_string_equal(c.cmd.v[0], "nc");
	cs_image_config_free(&c);
	/* Session 12, part G: null in an array of strings is "" to Go's
	 * encoding/json (a string ignores null), as the other []string fields
	 * of the config are typed (imgjson-types.c); it was refused, "must be
	 * an array of strings". A NUL is said as such. */
	{
		static const char nulls[] =
		    "{\"config\":{\"Cmd\":[\"nc\",null],\"Entrypoint\":[null],"
		    "\"Env\":[null,\"PATH=/n\"]}}";

		memset(&d, 0, sizeof(d));
		if (cs_image_config_parse(nulls, strlen(nulls), &c, &d) != 0)
			fail_msg("%s", d.message);
		assert_int_equal(c.cmd.n, 2);
		assert_string_equal(c.cmd.v[1], "");
		assert_int_equal(c.entrypoint.n, 1);
		assert_string_equal(c.entrypoint.v[0], "");
		assert_string_equal(c.path_env, "/n");
		cs_image_config_free(&c);
		static const char nul[] = "{\"config\":{\"Cmd\":[\"a\\u0000b\"]}}";
		assert_int_equal(cs_image_config_parse(nul, strlen(nul), &c, &d), -EINVAL);
		assert_non_null(strstr(d.message, "config.Cmd[0] holds a NUL character"));
	}
	/* Wrong types are errors, never silently unset. */
	assert_true(cs_image_config_parse("{\"config\":{\"User\":{}}}", 22, &c, &d) < 0);
	assert_true(cs_image_config_parse("{\"config\":{\"Cmd\":\"nc\"}}", 23, &c, &d) < 0);
	assert_true(cs_img_docker_manifest("{}", 2, &m, &d) < 0);
	assert_true(cs_image_config_parse("[[[[", 4, &c, &d) < 0);
	/* Not an object, or a "config" that is not one (eleventh pass): Go's
	 * encoding/json fails the image in containerd, CRI-O and Docker; it
	 * was read as an image with no config at all (root, no command). */
	static const char *const not_object[] = {
	    "[1]",
	    "\"x\"",
	    "5",
	    "{\"config\": 5}",
	    "{\"config\": [1]}",
	    "{\"Config\": \"x\"}",
	    "{\"rootfs\": {}, \"config\": true}",
	};
	for (size_t i = 0; i < sizeof(not_object) / sizeof(not_object[0]); i++) {
		assert_true(cs_image_config_parse(not_object[i], strlen(not_object[i]), &c, &d) <
			    0);
		assert_int_equal(d.line, 1);
	}
	assert_true(cs_image_config_parse("{\"config\": []}", 14, &c, &d) < 0);
	assert_int_equal(d.line, 1);
	assert_int_equal(cs_image_config_parse("{\"config\": null}", 16, &c, &d), 0);
	assert_null(c.user);
	cs_image_config_free(&c);
	/* An Env entry with an empty name is kept as a fact (runc refuses it). */
	assert_int_equal(cs_image_config_parse("{\"Env\":[\"=x\"]}", 14, &c, &d), 0);
	assert_true(c.env_empty_name);
	cs_image_config_free(&c);
	/* A wrong type names its field and line. */
	static const char wrong[] = "{\"config\":\n{\"Cmd\":\n\"nc\"}}";

	assert_true(cs_image_config_parse(wrong, strlen(wrong), &c, &d) < 0);
	assert_int_equal(d.line, 3);
	assert_non_null(strstr(d.message, "config.Cmd must be an array"));
	/* Env too (eighth pass): a string or a non-string entry was skipped,
	 * leaving the default PATH; Docker and containerd refuse the config.
	 * The last PATH wins, as runc sets each entry in turn. */
	static const char *const bad_env[] = {
	    "{\"config\":{\"Env\":\"PATH=/x\"}}",
	    "{\"config\":{\"Env\":[\"A=1\",2]}}",
	    "{\"config\":{\"Env\":[\"PATH=/x\",{}]}}",
	    "{\"config\":{\"Env\":{\"PATH\":\"/x\"}}}",
	};
	for (size_t i = 0; i < sizeof(bad_env) / sizeof(bad_env[0]); i++) {
		assert_true(cs_image_config_parse(bad_env[i], strlen(bad_env[i]), &c, &d) < 0);
		assert_non_null(strstr(d.message, "Env must be an array of strings"));
	}
	static const char env2[] = "{\"config\":{\"Env\":[\"PATH=/a\",\"X=1\",\"PATH=/b\"]}}";
	assert_int_equal(cs_image_config_parse(env2, strlen(env2), &c, &d), 0);
	assert_string_equal(c.path_env, "/b");
	cs_image_config_free(&c);
	assert_int_equal(cs_image_config_parse("{\"config\":{\"Env\":null}}", 23, &c, &d), 0);
	assert_null(c.path_env);
	cs_image_config_free(&c);
	/* "PATH" without '=' (ninth pass): containerd unsets PATH; the default
	 * PATH was kept. Refused, whichever side of a PATH= it is. */
	static const char *unset[] = {"{\"config\":{\"Env\":[\"PATH\"]}}",
				      "{\"config\":{\"Env\":[\"PATH=/a\",\"PATH\"]}}",
				      "{\"config\":{\"Env\":[\"PATH\",\"PATH=/a\"]}}"};
	for (size_t i = 0; i < sizeof(unset) / sizeof(*unset); i++) {
		assert_true(cs_image_config_parse(unset[i], strlen(unset[i]), &c, &d) < 0);
		assert_non_null(strstr(d.message, "config.Env entry 'PATH' has no '='"));
	}
	/* A second value after the first (tenth pass: read as the first alone);
	 * Go's json.Unmarshal refuses the text. */
	static const char twice[] = "{\"config\":{\"User\":\"0\"}} {\"config\":{\"User\":\"1\"}}";
	assert_true(cs_image_config_parse(twice, strlen(twice), &c, &d) < 0);
	assert_int_equal(d.line, 1);
	assert_non_null(strstr(d.message, "more after the first value"));
	/* A byte order mark: Go's encoding/json refuses it; libfyaml skipped it. */
	static const char bom[] = "\xef\xbb\xbf{\"config\":{\"User\":\"0\"}}";
	assert_true(cs_image_config_parse(bom, strlen(bom), &c, &d) < 0);
	assert_non_null(strstr(d.message, "byte order mark"));
	static const char pathx[] = "{\"config\":{\"Env\":[\"PATHX\",\"XPATH\"]}}";
	assert_int_equal(cs_image_config_parse(pathx, strlen(pathx), &c, &d), 0);
	cs_image_config_free(&c);
	/* Docker and containerd decode with Go's encoding/json: a key in any
	 * case is the field (these were ignored: user unset, so root); two
	 * spellings of one field (Go keeps the later: "0") are refused. */
	static const char lc[] = "{\"Config\":{\"user\":\"0\",\"ENTRYPOINT\":[\"/x\"],"
				 "\"env\":[\"PATH=/p\"]}}";
	assert_int_equal(cs_image_config_parse(lc, strlen(lc), &c, &d), 0);
	assert_string_equal(c.user, "0");
	assert_string_equal(c.entrypoint.v[0], "/x");
	assert_string_equal(c.path_env, "/p");
	cs_image_config_free(&c);
	static const char two[] = "{\"config\":{\"User\":\"1000\",\"user\":\"0\"}}";
	assert_true(cs_image_config_parse(two, strlen(two), &c, &d) < 0);
	assert_non_null(strstr(d.message, "'user'"));
	static const char dm2[] = "[{\"config\":\"c.json\",\"layers\":[\"a.tar\"]}]";
	assert_int_equal(cs_img_docker_manifest(dm2, strlen(dm2), &m, &d), 0);
	assert_string_equal(m.layers[0], "a.tar");
	cs_img_manifest_free(&m);
	static const char dm3[] = "[{\"Config\":\"c.json\",\"Layers\":[\"a.tar\"],"
				  "\"LAYERS\":[\"b.tar\"]}]";
	assert_true(cs_img_docker_manifest(dm3, strlen(dm3), &m, &d) < 0);
	static const char man2[] = "{\"Config\":{\"Digest\":\"sha256:cc\"},"
				   "\"Layers\":[{\"DIGEST\":\"sha256:dd\",\"MediaType\":"
				   "\"application/vnd.oci.image.layer.v1.tar+gzip\"}]}";
	assert_int_equal(cs_img_oci_manifest(man2, strlen(man2), &m, &d), 0);
	assert_string_equal(m.layers[0], "sha256:dd");
	cs_img_manifest_free(&m);
	/* A layer that is not a layer diff: containerd's unpacker refuses it. */
	static const char man3[] = "{\"config\":{\"digest\":\"sha256:cc\"},\"layers\":[{"
				   "\"digest\":\"sha256:dd\",\"mediaType\":"
				   "\"application/vnd.oci.image.config.v1+json\"}]}";
	assert_true(cs_img_oci_manifest(man3, strlen(man3), &m, &d) < 0);
	assert_non_null(strstr(d.message, "is not a layer's"));
	assert_int_equal(cs_img_digest_path("sha256:abc", p, sizeof(p)), 0);
	assert_string_equal(p, "blobs/sha256/abc");
	assert_int_equal(cs_img_digest_path("sha256:../../etc/passwd", p, sizeof(p)), -EINVAL);
	assert_int_equal(cs_img_digest_path("../x:abc", p, sizeof(p)), -EINVAL);
	assert_int_equal(cs_img_digest_path("sha256", p, sizeof(p)), -EINVAL);
	assert_int_equal(cs_img_digest_path("..:abc", p, sizeof(p)), -EINVAL);
	/* The OCI grammar: one separator between algorithm components (found
	 * by libFuzzer: "s..:bb" gave the path component "s.."). */
	assert_int_equal(cs_img_digest_path("s..:bb", p, sizeof(p)), -EINVAL);
	assert_int_equal(cs_img_digest_path("sha256+:bb", p, sizeof(p)), -EINVAL);
	assert_int_equal(cs_img_digest_path("-sha:bb", p, sizeof(p)), -EINVAL);
	assert_int_equal(cs_img_digest_path("sha256+b64u:bb", p, sizeof(p)), 0);
	assert_string_equal(p, "blobs/sha256+b64u/bb");
}

/* docs/scan.md "Hostile archives": each row has its outcome here. */
static void test_hostile_names(void **state)
{
	struct cs_view v;
	struct cs_diag why;
	struct cs_ventry e = {.mode = S_IFREG | 04755};
	char *longname = malloc(5000);

	(void)state;
	assert_non_null(longname);
	assert_int_equal(cs_view_init(&v), 0);
	e.name = "/etc/passwd";
	assert_int_equal(cs_view_apply(&v, 0, &e, &why), 2);
	assert_int_equal(why.message[0] != 0, 1);
	assert_non_null(strstr(why.message, "absolute name: kept inside the image as /etc/passwd"));
	assert_true(has(&v, "/etc/passwd"));
	e.name = "../../../usr/bin/x";
	assert_int_equal(cs_view_apply(&v, 0, &e, &why), 2);
	assert_non_null(strstr(why.message, "climbs out of the root"));
	assert_true(has(&v, "/usr/bin/x"));
	e.name = "plain/name";
	assert_int_equal(cs_view_apply(&v, 0, &e, &why), 0);
	assert_string_equal(why.message, "");
	memset(longname, 'a', 4999);
	longname[4999] = 0;
	for (size_t i = 100; i < 4999; i += 100)
		longname[i] = '/';
	e.name = longname;
	assert_int_equal(cs_view_apply(&v, 0, &e, &why), CS_VIEW_UNPACKABLE);
	assert_non_null(strstr(why.message, "a name longer than 4096 bytes (ENAMETOOLONG)"));
	/* The root entry: 0755 root:root as the view keeps it changes nothing;
	 * any other mode or owner is applied by some runtimes only: said. */
	e = (struct cs_ventry){.name = "./", .mode = S_IFDIR | 0755};
	assert_int_equal(cs_view_apply(&v, 0, &e, &why), 0);
	e.name = ".";
	e.mode = S_IFDIR | 0700;
	assert_int_equal(cs_view_apply(&v, 0, &e, &why), 2);
	assert_non_null(strstr(why.message, "the root entry has mode 0700, uid 0, gid 0"));
	e.name = "./";
	e.mode = S_IFDIR | 0755;
	e.uid = 1000;
	assert_int_equal(cs_view_apply(&v, 0, &e, &why), 2);
	assert_non_null(strstr(why.message, "uid 1000"));
	assert_int_equal(cs_view_lookup(&v, "/")->mode, S_IFDIR | 0755);
	cs_view_free(&v);
	free(longname);
}

/* Work of applying one set-uid entry n directories deep, then looking it up. */
static uint64_t deep_entry_work(unsigned n)
{
	struct cs_view v;
	struct cs_diag why;
	size_t len = 2 * (size_t)n + 2;
	char *name = malloc(len);
	struct cs_ventry e = {.name = name, .mode = S_IFREG | 04755};
	uint64_t work;

	assert_non_null(name);
	for (unsigned i = 0; i < n; i++)
		memcpy(name + 2 * i, "d/", 2);
	memcpy(name + 2 * n, "x", 2);
	assert_int_equal(cs_view_init(&v), 0);
	assert_int_equal(cs_view_apply(&v, 0, &e, &why), 0);
	assert_non_null(cs_view_lookup(&v, name));
	work = v.work;
	fprintf(stderr, "# view: %u levels, work %llu\n", n, (unsigned long long)work);
	cs_view_free(&v);
	free(name);
	return work;
}

/*
 * Hashing every prefix of a name made one entry 2,000 directories deep cost
 * millions of steps (quadratic in its depth); lookups by (parent, name) make
 * twice as deep twice the work.
 */
static void test_view_deep_linear(void **state)
{
	uint64_t a = deep_entry_work(1000), b = deep_entry_work(2000);

	(void)state;
	/* Hash chains vary a little with the table's size: 2.2x, not 4x. */
	assert_true(10 * b <= 22 * a);
	assert_true(a <= 20 * 1000);
}

/*
 * A chain of n directories (with an empty sibling at each level when comb),
 * a set-uid file at the bottom. Returns the walker's work (path components
 * resolved) and checks what it found.
 */
static uint64_t scan_chain(unsigned n, bool comb, unsigned threads, unsigned max_open)
{
	/* tmpfs when there is one: 60,000 directories on a busy disk take minutes to remove. */
	char tmp[64], cmd[96];
	struct cs_scan_opts o = {.threads = threads, .max_open_dirs = max_open};
	struct cs_scan_result r = {0};
	struct cs_diag d;
	int fd, ffd;
	uint64_t steps;

	snprintf(tmp, sizeof(tmp), "%s/capscope-chain.XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	assert_non_null(mkdtemp(tmp));
	fd = open(tmp, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	for (unsigned i = 0; i < n; i++) {
		int nfd;

		/* The sibling first: tmpfs lists the newest first, so the walk goes down
		 * the chain and leaves every sibling waiting on its parent. */
		if (comb)
			assert_int_equal(mkdirat(fd, "s", 0755), 0);
		assert_int_equal(mkdirat(fd, "d", 0755), 0);
		nfd = openat(fd, "d", O_RDONLY | O_DIRECTORY);
		assert_true(nfd >= 0);
		close(fd);
		fd = nfd;
	}
	ffd = openat(fd, "suid", O_WRONLY | O_CREAT, 0755);
	assert_true(ffd >= 0);
	assert_int_equal(fchmod(ffd, 04755), 0);
	close(ffd);
	close(fd);

	assert_int_equal(cs_scan_tree(tmp, &o, &r, &d), 0);
	assert_int_equal(r.nerrors, 0);
	assert_int_equal(r.dirs, (uint64_t)n * (comb ? 2 : 1) + 1);
	assert_int_equal(r.nfindings, 1);
	assert_int_equal(strlen(cs_finding_path(&r, &r.findings[0])),
			 strlen(tmp) + 2 * (size_t)n + strlen("/suid"));
	assert_memory_equal(cs_finding_path(&r, &r.findings[0]), tmp, strlen(tmp));
	steps = r.walk_steps;
	fprintf(stderr, "# chain %u comb %d threads %u: dirs %llu steps %llu\n", n, comb, threads,
		(unsigned long long)r.dirs, (unsigned long long)steps);
	/* Linear: a constant number of components per directory, whatever the
	 * depth (reopening each directory by its path from the root, as before,
	 * is depth/2 per directory: 5,000 at 10,000 levels). */
	/*
	 * With more than one thread the climbs depend on where the other
	 * thread finished: 4.01 a directory was seen under a load of 20
	 * (twenty-first pass; 5,000 levels: 40,115 steps for 10,001
	 * directories, where the bound said 4), so 5 there.
	 */
	assert_true(steps <= (threads == 1 ? 3 : 5) * r.dirs);
	cs_scan_result_free(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	assert_int_equal(system(cmd), 0);
	return steps;
}

/*
 * O(depth) work per directory made a 10,000-level chain take 10 s (every
 * directory was reopened by its whole path from the root): the work is
 * counted here, not timed. Twice as deep must be twice the work.
 */
static void test_tree_deep_chain_linear(void **state)
{
	uint64_t a, b;

	(void)state;
	a = scan_chain(10000, false, 0, 0);
	b = scan_chain(20000, false, 0, 0);
	assert_true(b <= 2 * a + 64);
	/* Few descriptors held, an empty sibling waiting at every level: the
	 * walker closes the oldest and climbs back up through "..", still linear. */
	a = scan_chain(10000, true, 1, 8);
	b = scan_chain(20000, true, 1, 8);
	assert_true(b <= 2 * a + 64);
	/* Two threads interleave, so only the per-directory bound holds. */
	scan_chain(5000, true, 2, 4);
	scan_chain(10000, true, 2, 4);
}

/*
 * A tree's findings hold their name and directory (cs_finding_path spells
 * the path); their order is strcmp's on the whole path: "a-" and "a-x/su"
 * before "a/su" ('-' < '/'), "a.b" too, "ab" after, and a root given with
 * a trailing '/' shown as given.
 */
static void test_tree_path_order(void **state)
{
	static const char *const dirs[] = {"a-x", "a/b", "a/b-c", "a/b/c",
					   "a.b", "ab",	 "A",	  "\xc3\xa9"};
	static const char *const want[] = {"/A/su",	"/a-",	     "/a-x/su",	    "/a.b/su",
					   "/a/b-c/su", "/a/b/c/su", "/a/b/su",	    "/a/su",
					   "/ab/su",	"/top",	     "/\xc3\xa9/su"};
	const size_t nwant = sizeof(want) / sizeof(want[0]);
	char tmp[128], root[160], cmd[300];
	struct cs_scan_opts o = {0};
	struct cs_scan_result r = {0};
	struct cs_diag d;
	int fd;

	(void)state;
	snprintf(tmp, sizeof(tmp), "%s/capscope-order.XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	assert_non_null(mkdtemp(tmp));
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(cmd, sizeof(cmd), "mkdir -p '%s/%s'", tmp, dirs[i]);
		assert_int_equal(system(cmd), 0);
	}
	for (size_t i = 0; i < nwant; i++) {
		snprintf(root, sizeof(root), "%s%s", tmp, want[i]);
		fd = open(root, O_WRONLY | O_CREAT, 0755);
		assert_true(fd >= 0);
		assert_int_equal(fchmod(fd, 04755), 0);
		close(fd);
	}
	snprintf(root, sizeof(root), "%s/", tmp);
	assert_int_equal(cs_scan_tree(root, &o, &r, &d), 0);
	assert_int_equal(r.nfindings, nwant);
	for (size_t i = 0; i < nwant; i++) {
		assert_null(r.findings[i].path); /* held as a name in a directory */
		snprintf(cmd, sizeof(cmd), "%s%s", tmp, want[i]);
		assert_string_equal(cs_finding_path(&r, &r.findings[i]), cmd);
	}
	cs_scan_result_free(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	assert_int_equal(system(cmd), 0);
}

/*
 * A planted chain with a set-uid file at every level: each finding's check
 * that its path still leads to it opened the whole path from the root,
 * depth/2 lookups a finding (50 million at 10,000 levels: 17 s, where find
 * takes 0.07 s). Checked in batches, the shared directories are opened once
 * a batch: counted, not timed.
 */
static void test_tree_setid_chain_linear(void **state)
{
	char tmp[64], cmd[96];
	struct cs_scan_opts o = {.threads = 1};
	struct cs_scan_result r = {0};
	struct cs_diag d;
	const unsigned n = 32000;
	int fd;

	(void)state;
	snprintf(tmp, sizeof(tmp), "%s/capscope-setid.XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	assert_non_null(mkdtemp(tmp));
	fd = open(tmp, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	for (unsigned i = 0; i < n; i++) {
		int nfd, ffd = openat(fd, "s", O_WRONLY | O_CREAT, 0755);

		assert_true(ffd >= 0);
		assert_int_equal(fchmod(ffd, 04755), 0);
		close(ffd);
		assert_int_equal(mkdirat(fd, "d", 0755), 0);
		nfd = openat(fd, "d", O_RDONLY | O_DIRECTORY);
		assert_true(nfd >= 0);
		close(fd);
		fd = nfd;
	}
	close(fd);
	assert_int_equal(cs_scan_tree(tmp, &o, &r, &d), 0);
	assert_int_equal(r.nerrors, 0);
	assert_int_equal(r.nfindings, n);
	fprintf(stderr, "# set-id chain %u: place steps %llu\n", n,
		(unsigned long long)r.place_steps);
	/* One lookup per finding, and each check opens the directories on its
	 * findings' paths from the root: checks at depths 4,096, 8,192, 16,384
	 * and n (92,668 steps; with a check every 4,096 findings, 178,680:
	 * quadratic in the depth: some 940,000 at 80,000 levels, 287,000 now). */
	assert_true(r.place_steps >= n);
	assert_true(r.place_steps <= 3 * (uint64_t)n);
	cs_scan_result_free(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	assert_int_equal(system(cmd), 0);
}

struct move_out {
	char from[192], to[192];
	int moved;
};

/* Called after the 4,096th file of the directory being read: move it out of the tree. */
static void move_dir_out(void *arg, uint64_t files, uint64_t dirs)
{
	struct move_out *m = arg;

	(void)files;
	(void)dirs;
	if (!m->moved++)
		assert_int_equal(rename(m->from, m->to), 0);
}

/*
 * A directory's descriptor follows it when it is renamed: a directory moved
 * out of the tree in the middle of its reading went on being read where it
 * now is, and its files were reported under the path they had left (and a
 * climb through ".." reaches a moved directory the same way). They are
 * errors now: "moved during the scan".
 */
static void test_tree_moved_out(void **state)
{
	struct move_out m = {0};
	char tmp[64], cmd[160];
	struct cs_scan_opts o = {.threads = 1, .progress = move_dir_out, .progress_arg = &m};
	struct cs_scan_result r = {0};
	struct cs_diag d;
	size_t moved = 0;

	(void)state;
	snprintf(tmp, sizeof(tmp), "%s/capscope-moved.XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	assert_non_null(mkdtemp(tmp));
	snprintf(cmd, sizeof(cmd), "%s/tree/a", tmp);
	snprintf(cmd, sizeof(cmd), "%s/tree", tmp);
	assert_int_equal(mkdir(cmd, 0755), 0);
	snprintf(cmd, sizeof(cmd), "%s/tree/a", tmp);
	assert_int_equal(mkdir(cmd, 0755), 0);
	for (int i = 0; i < 5000; i++) {
		char f[192];
		int fd;

		snprintf(f, sizeof(f), "%s/f%d", cmd, i);
		fd = open(f, O_WRONLY | O_CREAT, 0755);
		assert_true(fd >= 0);
		assert_int_equal(fchmod(fd, 04755), 0);
		close(fd);
	}
	snprintf(m.from, sizeof(m.from), "%s", cmd);
	snprintf(m.to, sizeof(m.to), "%s/out", tmp);
	snprintf(cmd, sizeof(cmd), "%s/tree", tmp);
	assert_int_equal(cs_scan_tree(cmd, &o, &r, &d), 0);
	assert_int_equal(m.moved, 1);
	assert_int_equal(r.nfindings, 4096);
	assert_int_equal(r.nerrors, 5000 - 4096);
	for (size_t i = 0; i < r.nerrors; i++)
		moved += strstr(r.errors[i].message, "moved during the scan") != NULL;
	assert_int_equal(moved, r.nerrors);
	cs_scan_result_free(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	assert_int_equal(system(cmd), 0);
}

/*
 * A tree's errors hold their directory and name, as its findings do
 * (fifteenth pass, part D): an error on a directory (name NULL) sorts as
 * its path, before its entries and after a name it prefixes; one on the
 * root first; each spelled whole, a root "/" bringing its own '/'.
 */
static void test_tree_error_order(void **state)
{
	static const char *const roots[] = {"top", "/", ""}; /* "": scan --diff's (relativise) */
	static const struct {
		uint32_t dir;
		const char *name;
	} errs[] = {{2, NULL}, {1, "b-c"}, {2, "f"}, {0, NULL}, {3, "z"}, {1, NULL}};
	static const char *const want[][6] = {
	    {"top", "top/a", "top/a-x/z", "top/a/b", "top/a/b-c", "top/a/b/f"},
	    {"/", "/a", "/a-x/z", "/a/b", "/a/b-c", "/a/b/f"},
	    {"/", "/a", "/a-x/z", "/a/b", "/a/b-c", "/a/b/f"}};

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		struct cs_scan_result r = {0};

		r.tdirs = calloc(4, sizeof(*r.tdirs));
		assert_non_null(r.tdirs);
		r.ntdirs = r.captdirs = 4;
		r.tdirs[0] =
		    (struct cs_scan_dir){CS_SCAN_NO_DIR, strlen(roots[k]), strdup(roots[k])};
		r.tdirs[1] = (struct cs_scan_dir){0, 1, strdup("a")};
		r.tdirs[2] = (struct cs_scan_dir){1, 1, strdup("b")};
		r.tdirs[3] = (struct cs_scan_dir){0, 3, strdup("a-x")};
		for (size_t i = 0; i < 6; i++)
			assert_int_equal(cs_scan_add_tree_error(&r, errs[i].dir, errs[i].name,
								EACCES, "cannot open directory"),
					 0);
		cs_scan_sort_by_path(&r);
		for (size_t i = 0; i < 6; i++) {
			assert_null(r.errors[i].path);
			assert_string_equal(cs_scan_error_path(&r, &r.errors[i]), want[k][i]);
		}
		cs_scan_result_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_normalize),
	    cmocka_unit_test(test_media_types),
	    cmocka_unit_test(test_whiteout),
	    cmocka_unit_test(test_whiteout_invalid),
	    cmocka_unit_test(test_opaque),
	    cmocka_unit_test(test_replace_and_dups),
	    cmocka_unit_test(test_links),
	    cmocka_unit_test(test_hardlink_header),
	    cmocka_unit_test(test_risk),
	    cmocka_unit_test(test_layer_buffer_garbage),
	    cmocka_unit_test(test_imgjson),
	    cmocka_unit_test(test_imgjson_types),
	    cmocka_unit_test(test_imgjson_manifest_types),
	    cmocka_unit_test(test_hostile_names),
	    cmocka_unit_test(test_view_deep_linear),
	    cmocka_unit_test(test_tree_deep_chain_linear),
	    cmocka_unit_test(test_tree_moved_out),
	    cmocka_unit_test(test_tree_setid_chain_linear),
	    cmocka_unit_test(test_tree_path_order),
	    cmocka_unit_test(test_tree_error_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
