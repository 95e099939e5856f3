/* SPDX-License-Identifier: MIT */
/*
 * Image references (normalised as distribution/reference does) and the
 * --image REF=ARCHIVE map: which pair a container's image: gets, and which
 * argument lists are refused as ambiguous.
 */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capscope/image-ref.h"

static void parses(const char *s, const char *name, const char *tag, const char *digest)
{
	struct cs_image_ref r;
	struct cs_diag d = {0};

	assert_int_equal(cs_image_ref_parse(s, &r, &d), 0);
	assert_string_equal(r.name, name);
	if (tag)
		assert_string_equal(r.tag, tag);
	else
		assert_null(r.tag);
	if (digest)
		assert_string_equal(r.digest, digest);
	else
		assert_null(r.digest);
	cs_image_ref_free(&r);
}

static void refused(const char *s)
{
	struct cs_image_ref r;
	struct cs_diag d = {0};

	assert_int_equal(cs_image_ref_parse(s, &r, &d), -EINVAL);
	assert_non_null(strstr(d.message, "is not an image reference"));
	assert_null(r.name);
}

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void test_parse(void **state)
{
	(void)state;
	parses("nginx", "docker.io/library/nginx", NULL, NULL);
	parses("nginx:1.25", "docker.io/library/nginx", "1.25", NULL);
	parses("docker.io/library/nginx:latest", "docker.io/library/nginx", "latest", NULL);
	parses("docker.io/nginx", "docker.io/library/nginx", NULL, NULL);
	parses("index.docker.io/library/nginx", "docker.io/library/nginx", NULL, NULL);
	parses("nginx@sha256:" D64, "docker.io/library/nginx", NULL, "sha256:" D64);
	parses("nginx:1.25@sha256:" D64, "docker.io/library/nginx", "1.25", "sha256:" D64);
	parses("bitnami/redis:7", "docker.io/bitnami/redis", "7", NULL);
	parses("quay.io/org/app:v1", "quay.io/org/app", "v1", NULL);
	parses("localhost/app", "localhost/app", NULL, NULL);
	parses("localhost:5000/app:x", "localhost:5000/app", "x", NULL);
	parses("registry.k8s.io/pause:3.9", "registry.k8s.io/pause", "3.9", NULL);
	parses("my-reg:443/a/b/c", "my-reg:443/a/b/c", NULL, NULL);
	parses("a__b/c-d--e.f", "docker.io/a__b/c-d--e.f", NULL, NULL);
	refused("");
	refused("Nginx");		    /* repository names are lower case */
	refused("docker.io/Library/nginx"); /* repository names are lower case */
	refused("nginx:");
	refused("nginx:-x");
	refused("nginx@sha256:abc"); /* sha256 needs 64 hex digits */
	refused("nginx@sha256:" D64 "0");
	refused("nginx@");
	refused("./app.tar");
	refused("/tmp/app.tar");
	refused("a//b");
	refused("a_-b");
	refused("-a");
	refused("quay.io:x/app");
}

static enum cs_image_match match(const char *given, const char *ctr)
{
	struct cs_image_ref g, c;
	struct cs_diag d = {0};
	enum cs_image_match m;

	assert_int_equal(cs_image_ref_parse(given, &g, &d), 0);
	assert_int_equal(cs_image_ref_parse(ctr, &c, &d), 0);
	m = cs_image_ref_match(&g, &c);
	cs_image_ref_free(&g);
	cs_image_ref_free(&c);
	return m;
}

static void test_match(void **state)
{
	(void)state;
	/* Bare: any tag or digest of the repository, however it is spelled. */
	assert_int_equal(match("nginx", "nginx"), CS_IMAGE_MATCH_NAME);
	assert_int_equal(match("nginx", "docker.io/library/nginx:latest"), CS_IMAGE_MATCH_NAME);
	assert_int_equal(match("docker.io/library/nginx", "nginx:1.25"), CS_IMAGE_MATCH_NAME);
	assert_int_equal(match("nginx", "nginx@sha256:" D64), CS_IMAGE_MATCH_NAME);
	assert_int_equal(match("nginx", "quay.io/nginx"), CS_IMAGE_MATCH_NONE);
	assert_int_equal(match("nginx", "bitnami/nginx"), CS_IMAGE_MATCH_NONE);
	/* A tag: that tag; no tag and no digest is :latest. */
	assert_int_equal(match("nginx:latest", "nginx"), CS_IMAGE_MATCH_TAG);
	assert_int_equal(match("nginx:latest", "docker.io/library/nginx:latest"),
			 CS_IMAGE_MATCH_TAG);
	assert_int_equal(match("nginx:1.25", "nginx:1.25@sha256:" D64), CS_IMAGE_MATCH_TAG);
	assert_int_equal(match("nginx:1.25", "nginx:1.26"), CS_IMAGE_MATCH_NONE);
	assert_int_equal(match("nginx:1.25", "nginx"), CS_IMAGE_MATCH_NONE);
	assert_int_equal(match("nginx:latest", "nginx@sha256:" D64), CS_IMAGE_MATCH_NONE);
	/* A digest: only that digest, whatever the tag. */
	assert_int_equal(match("nginx@sha256:" D64, "nginx:1.25@sha256:" D64),
			 CS_IMAGE_MATCH_DIGEST);
	assert_int_equal(match("nginx@sha256:" D64, "nginx:1.25"), CS_IMAGE_MATCH_NONE);
	assert_int_equal(
	    match("nginx@sha256:" D64,
		  "nginx@sha256:1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
	    CS_IMAGE_MATCH_NONE);
}

static const char *archive_of(const struct cs_image_map *m, const char *image)
{
	const struct cs_image_pair *p = cs_image_map_find(m, image);

	return p ? p->archive : NULL;
}

static void test_map(void **state)
{
	struct cs_image_map m = {0};
	struct cs_diag d = {0};

	(void)state;
	assert_int_equal(cs_image_map_add(&m, "nginx=any.tar", &d), 0);
	assert_int_equal(cs_image_map_add(&m, "nginx:1.25=125.tar", &d), 0);
	assert_int_equal(cs_image_map_add(&m, "nginx@sha256:" D64 "=pinned.tar", &d), 0);
	assert_int_equal(cs_image_map_add(&m, "quay.io/org/sidecar:v2=side.tar", &d), 0);
	/* The same pair twice is harmless. */
	assert_int_equal(cs_image_map_add(&m, "docker.io/library/nginx=any.tar", &d), 0);
	/* The most specific pair wins. */
	assert_string_equal(archive_of(&m, "nginx:1.25"), "125.tar");
	assert_string_equal(archive_of(&m, "docker.io/library/nginx:1.25"), "125.tar");
	assert_string_equal(archive_of(&m, "nginx:1.25@sha256:" D64), "pinned.tar");
	assert_string_equal(archive_of(&m, "nginx"), "any.tar");
	assert_string_equal(archive_of(&m, "nginx:1.26"), "any.tar");
	assert_string_equal(archive_of(&m, "quay.io/org/sidecar:v2"), "side.tar");
	assert_null(archive_of(&m, "quay.io/org/sidecar:v3"));
	assert_null(archive_of(&m, "quay.io/org/sidecar"));
	assert_null(archive_of(&m, "busybox"));
	assert_null(archive_of(&m, NULL));
	assert_null(archive_of(&m, "Not A Reference"));
	/* A REF named twice with two archives: which one? */
	assert_int_equal(cs_image_map_add(&m, "docker.io/nginx:1.25=other.tar", &d), -EINVAL);
	assert_non_null(strstr(d.message, "is already 125.tar"));
	/* A plain ARCHIVE among pairs: for every container, or for the others? */
	memset(&d, 0, sizeof(d));
	assert_int_equal(cs_image_map_add(&m, "./all.tar", &d), -EINVAL);
	assert_non_null(strstr(d.message, "cannot be mixed"));
	memset(&d, 0, sizeof(d));
	assert_int_equal(cs_image_map_add(&m, "nginx:1.27=", &d), -EINVAL);
	assert_non_null(strstr(d.message, "no ARCHIVE"));
	cs_image_map_free(&m);
}

static void test_map_plain(void **state)
{
	struct cs_image_map m = {0};
	struct cs_diag d = {0};

	(void)state;
	/* Paths that are not references stay paths, '=' and all. */
	assert_int_equal(cs_image_map_add(&m, "./dir/a=b.tar", &d), 0);
	assert_string_equal(m.all, "./dir/a=b.tar");
	assert_int_equal(m.n, 0);
	assert_null(archive_of(&m, "a"));
	assert_int_equal(cs_image_map_add(&m, "/tmp/x.tar", &d), -EINVAL);
	assert_non_null(strstr(d.message, "given twice"));
	memset(&d, 0, sizeof(d));
	assert_int_equal(cs_image_map_add(&m, "nginx=n.tar", &d), -EINVAL);
	assert_non_null(strstr(d.message, "cannot be mixed"));
	cs_image_map_free(&m);
}

/* A name that is a file as a whole and also REF=ARCHIVE with an existing archive. */
static void test_map_ambiguous_file(void **state)
{
	char dir[] = "/tmp/capscope-test-ref-XXXXXX";
	char whole[256], part[256], arg[256];
	struct cs_image_map m = {0};
	struct cs_diag d = {0};
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chdir(dir), 0);
	snprintf(whole, sizeof(whole), "app=x.tar");
	snprintf(part, sizeof(part), "x.tar");
	assert_non_null(f = fopen(whole, "w"));
	fclose(f);
	snprintf(arg, sizeof(arg), "%s", whole);
	/* Only the whole exists: it is that file. */
	assert_int_equal(cs_image_map_add(&m, arg, &d), 0);
	assert_int_equal(m.n, 0);
	assert_string_equal(m.all, "app=x.tar");
	cs_image_map_free(&m);
	/* Neither exists: REF=ARCHIVE (opening y.tar will say it is missing). */
	assert_int_equal(cs_image_map_add(&m, "other=y.tar", &d), 0);
	assert_int_equal(m.n, 1);
	cs_image_map_free(&m);
	assert_non_null(f = fopen(part, "w"));
	fclose(f);
	assert_int_equal(cs_image_map_add(&m, arg, &d), -EINVAL);
	assert_non_null(strstr(d.message, "write ./app=x.tar"));
	memset(&d, 0, sizeof(d));
	assert_int_equal(cs_image_map_add(&m, "./app=x.tar", &d), 0);
	assert_string_equal(m.all, "./app=x.tar");
	cs_image_map_free(&m);
	unlink(whole);
	unlink(part);
	assert_int_equal(chdir("/"), 0);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_match),
	    cmocka_unit_test(test_map),
	    cmocka_unit_test(test_map_plain),
	    cmocka_unit_test(test_map_ambiguous_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
