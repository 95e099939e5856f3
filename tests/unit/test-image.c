/* SPDX-License-Identifier: MIT */
/*
 * cs_image_open / cs_image_lookup / cs_image_exec_resolve: an image's final
 * view as explain pod --image sees it. The layer tar is written here with
 * libarchive (PAX, xattrs as SCHILY records) into a temporary file.
 */
#include "cmocka-wrap.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/scan.h"
#include "view.h"

static char tarpath[] = "/tmp/capscope-test-image-XXXXXX";

/* cap_net_bind_service=ep as a v2 security.capability value */
static const unsigned char netbind_ep[20] = {0x01, 0, 0, 0x02, 0x00, 0x04, 0, 0};

static const char passwd[] = "root:x:0:0:root:/root:/bin/sh\napp:x:1001:1002::/:/bin/sh\n";

static void put(struct archive *a, const char *name, unsigned type, unsigned mode, const char *link,
		const void *data, size_t len, bool caps)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, mode);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	if (link)
		archive_entry_set_symlink(e, link);
	archive_entry_set_size(e, (la_int64_t)len);
	if (caps)
		archive_entry_xattr_add_entry(e, "security.capability", netbind_ep,
					      sizeof(netbind_ep));
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	if (len)
		assert_int_equal(archive_write_data(a, data, len), (la_ssize_t)len);
	archive_entry_free(e);
}

static int setup(void **state)
{
	struct archive *a = archive_write_new();
	int fd = mkstemp(tarpath);

	(void)state;
	if (fd < 0 || !a)
		return -1;
	archive_write_set_format_pax(a);
	if (archive_write_open_fd(a, fd) != ARCHIVE_OK)
		return -1;
	put(a, "etc/", AE_IFDIR, 0755, NULL, NULL, 0, false);
	put(a, "etc/passwd", AE_IFREG, 0644, NULL, passwd, strlen(passwd), false);
	put(a, "bin/", AE_IFDIR, 0755, NULL, NULL, 0, false);
	put(a, "bin/nc.openbsd", AE_IFREG, 0755, NULL, "x", 1, true);
	put(a, "usr/bin/", AE_IFDIR, 0755, NULL, NULL, 0, false);
	put(a, "usr/bin/nc", AE_IFLNK, 0777, "/bin/nc.openbsd", NULL, 0, false);
	put(a, "usr/bin/up", AE_IFLNK, 0777, "../../../../../etc/passwd", NULL, 0, false);
	put(a, "usr/bin/out", AE_IFLNK, 0777, "../../../../../etc/shadow", NULL, 0, false);
	put(a, "usr/bin/loop1", AE_IFLNK, 0777, "loop2", NULL, 0, false);
	put(a, "usr/bin/loop2", AE_IFLNK, 0777, "loop1", NULL, 0, false);
	put(a, "usr/bin/su", AE_IFREG, 04755, NULL, "x", 1, false);
	put(a, "usr/bin/data", AE_IFREG, 0644, NULL, "x", 1, false);
	/* "#!" entrypoints: the interpreter's bits count, not the script's */
	put(a, "app/", AE_IFDIR, 0755, NULL, NULL, 0, false);
	put(a, "app/run", AE_IFREG, 04755, NULL, "#!/usr/bin/nc -l\n", 16, false);
	put(a, "app/chain", AE_IFREG, 0755, NULL, "#! /app/run\n", 12, false);
	put(a, "app/rel", AE_IFREG, 0755, NULL, "#!bin/nc.openbsd\n", 17, false);
	put(a, "app/elf", AE_IFREG, 0755, NULL,
	    "\x7f"
	    "ELF\x02",
	    5, false);
	put(a, "app/bad", AE_IFREG, 0755, NULL, "#!  \n", 5, false);
	{
		struct archive_entry *e = archive_entry_new();

		/* a hard link keeps what its target's first bytes said */
		archive_entry_set_pathname(e, "app/hard");
		archive_entry_set_hardlink(e, "app/run");
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 04755);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		archive_entry_free(e);
	}
	/* a file that is not executable, made executable by a hard link's header */
	put(a, "app/plain-script", AE_IFREG, 0644, NULL, "#!/app/run\n", 11, false);
	put(a, "app/plain-junk", AE_IFREG, 0644, NULL, "junk", 4, false);
	for (int i = 0; i < 2; i++) {
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, i ? "app/junk-x" : "app/script-x");
		archive_entry_set_hardlink(e, i ? "app/plain-junk" : "app/plain-script");
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0755);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		archive_entry_free(e);
	}
	/* working directories of 500 and 1,000 names, for the $PATH search's cost */
	{
		char deep[2 * 1000 + 8];

		for (int n = 500; n <= 1000; n += 500) {
			int k = snprintf(deep, sizeof(deep), "w%d", n);

			for (int i = 0; i < n; i++)
				k += snprintf(deep + k, sizeof(deep) - (size_t)k, "/d");
			snprintf(deep + k, sizeof(deep) - (size_t)k, "/");
			put(a, deep, AE_IFDIR, 0755, NULL, NULL, 0, false);
		}
	}
	archive_write_close(a);
	archive_write_free(a);
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(tarpath);
	return 0;
}

static void test_open_lookup(void **state)
{
	struct cs_image *im;
	struct cs_image_stat st;
	struct cs_diag d;
	const char *data;
	size_t len;

	(void)state;
	assert_int_equal(cs_image_open(tarpath, NULL, &im, &d), 0);
	assert_string_equal(cs_image_get_info(im)->kind, "layer");
	assert_null(cs_image_get_info(im)->config->user);
	assert_null(cs_image_get_info(im)->config->entrypoint.v);

	assert_int_equal(cs_image_lookup(im, "/usr/bin/nc", true, &st), 0);
	assert_string_equal(st.path, "/bin/nc.openbsd");
	assert_true(st.has_fcaps);
	assert_false(st.fcaps_invalid);
	assert_true(st.fcaps.effective);
	assert_true(st.fcaps.permitted == CS_BIT(10) /* CAP_NET_BIND_SERVICE */);
	cs_image_stat_clear(&st);
	assert_int_equal(cs_image_lookup(im, "/usr/bin/nc", false, &st), 0);
	assert_true(S_ISLNK(st.mode));
	assert_string_equal(st.link, "/bin/nc.openbsd");
	assert_string_equal(st.path, "/usr/bin/nc");
	cs_image_stat_clear(&st);
	/* ".." stops at the image root: the image's own file, never the host's. */
	assert_int_equal(cs_image_lookup(im, "usr/bin/up", true, &st), 0);
	assert_string_equal(st.path, "/etc/passwd");
	cs_image_stat_clear(&st);
	assert_int_equal(cs_image_lookup(im, "/usr/bin/out", true, &st), -ENOENT);
	assert_int_equal(cs_image_lookup(im, "/usr/bin/loop1", true, &st), -ELOOP);
	assert_int_equal(cs_image_lookup(im, "/usr/bin/su/x", true, &st), -ENOTDIR);

	assert_int_equal(cs_image_read_small(im, "/usr/bin/up", &data, &len), 0);
	assert_int_equal(len, strlen(passwd));
	assert_memory_equal(data, passwd, len);
	assert_int_equal(cs_image_read_small(im, "/usr/bin/su", &data, &len), -ENODATA);
	assert_int_equal(cs_image_read_small(im, "/usr/bin", &data, &len), -EINVAL);
	cs_image_close(im);

	assert_true(cs_image_open("/nonexistent/image.tar", NULL, &im, &d) < 0);
	assert_null(im);
}

/* A bare layer has no config: nothing to run, no user, an empty argv. */
/* A bare layer has no config: the image's config is there, and empty. */
static void test_config_from_layer(void **state)
{
	struct cs_image *im;
	const struct cs_image_config *cfg;
	struct cs_diag d;

	(void)state;
	assert_int_equal(cs_image_open(tarpath, NULL, &im, &d), 0);
	cfg = cs_image_get_info(im)->config;
	assert_non_null(cfg);
	assert_null(cfg->user);
	assert_null(cfg->entrypoint.v);
	assert_int_equal(cfg->cmd.n, 0);
	assert_null(cfg->path_env);
	cs_image_close(im);
}

static void test_exec_resolve(void **state)
{
	struct cs_image *im;
	struct cs_exec_file f;
	struct cs_diag d;

	(void)state;
	assert_int_equal(cs_image_open(tarpath, NULL, &im, &d), 0);
	/* PATH lookup, then the link's target: its mode and file caps. */
	cs_image_exec_resolve(im, NULL, "nc", "/usr/local/bin:/usr/bin:/bin", &f);
	assert_int_equal(f.error, 0);
	assert_true(f.known);
	assert_string_equal(f.path, "/usr/bin/nc");
	assert_int_equal(f.mode, S_IFREG | 0755);
	assert_int_equal(f.fcaps_state, 1);
	assert_true(f.fcaps.permitted == CS_BIT(10) /* CAP_NET_BIND_SERVICE */);
	assert_false(f.nosuid);
	/* A PATH entry that holds a non-executable file is skipped. */
	cs_exec_file_clear(&f);
	cs_image_exec_resolve(im, NULL, "data", "/usr/bin", &f);
	assert_int_equal(f.error, ENOENT);
	/* Named with a '/': found even when not executable (execve says EACCES). */
	cs_exec_file_clear(&f);
	cs_image_exec_resolve(im, NULL, "/usr/bin/up", NULL, &f);
	assert_int_equal(f.error, 0);
	assert_true(f.known);
	assert_int_equal(f.mode, S_IFREG | 0644);
	cs_exec_file_clear(&f);
	cs_image_exec_resolve(im, NULL, "usr/bin/su", NULL, &f);
	assert_int_equal(f.mode, S_IFREG | 04755);
	assert_int_equal(f.owner_uid, 0);
	assert_int_equal(f.fcaps_state, 0);
	cs_exec_file_clear(&f);
	cs_image_exec_resolve(im, NULL, "/usr/bin/loop1", NULL, &f);
	assert_int_equal(f.error, ELOOP);
	cs_exec_file_clear(&f);
	cs_image_exec_resolve(im, NULL, "/usr/bin/out", NULL, &f);
	assert_int_equal(f.error, ENOENT);
	cs_exec_file_clear(&f);
	cs_image_exec_resolve(im, NULL, "nc", NULL, &f);
	assert_int_equal(f.error, ENOENT);
	cs_exec_file_clear(&f);
	cs_image_exec_resolve(im, NULL, "", "/bin", &f);
	assert_int_equal(f.error, ENOENT);
	cs_exec_file_clear(&f);
	cs_image_close(im);
}

static void test_exec_scripts(void **state)
{
	struct cs_image *im;
	struct cs_exec_file f;
	const struct cs_exec_file *last;
	struct cs_diag d;

	(void)state;
	assert_int_equal(cs_image_open(tarpath, NULL, &im, &d), 0);
	/* The script, then its interpreter (through the /usr/bin/nc link). */
	cs_image_exec_resolve(im, NULL, "/app/run", NULL, &f);
	assert_int_equal(f.error, 0);
	assert_int_equal(f.mode, S_IFREG | 04755);
	assert_false(f.unknown_format);
	assert_non_null(f.interp);
	last = cs_exec_file_final(&f);
	assert_string_equal(last->path, "/usr/bin/nc");
	assert_int_equal(last->fcaps_state, 1);
	assert_true(last->unknown_format); /* "x": no format execve knows */
	cs_exec_file_clear(&f);
	cs_image_exec_resolve(im, NULL, "/app/hard", NULL, &f);
	assert_non_null(f.interp);
	assert_string_equal(f.interp->path, "/usr/bin/nc");
	cs_exec_file_clear(&f);
	/* The first bytes of a 0644 file are known once a hard link makes it 0755. */
	cs_image_exec_resolve(im, NULL, "/app/script-x", NULL, &f);
	assert_int_equal(f.mode, S_IFREG | 0755);
	assert_non_null(f.interp);
	assert_string_equal(f.interp->path, "/app/run");
	cs_exec_file_clear(&f);
	cs_image_exec_resolve(im, NULL, "/app/junk-x", NULL, &f);
	assert_null(f.interp);
	assert_true(f.unknown_format);
	cs_exec_file_clear(&f);
	/* Two scripts deep, found through PATH. */
	cs_image_exec_resolve(im, NULL, "chain", "/app", &f);
	assert_string_equal(f.path, "/app/chain");
	assert_non_null(f.interp);
	assert_string_equal(f.interp->path, "/app/run");
	assert_string_equal(cs_exec_file_final(&f)->path, "/usr/bin/nc");
	cs_exec_file_clear(&f);
	/* A relative interpreter is found from the working directory. */
	cs_image_exec_resolve(im, "/", "/app/rel", NULL, &f);
	assert_int_equal(cs_exec_file_final(&f)->error, 0);
	assert_int_equal(cs_exec_file_final(&f)->fcaps_state, 1);
	cs_exec_file_clear(&f);
	cs_image_exec_resolve(im, "/app", "/app/rel", NULL, &f);
	assert_int_equal(cs_exec_file_final(&f)->error, ENOENT);
	cs_exec_file_clear(&f);
	/* ELF: no chain, a known format; "#!" and blanks: ENOEXEC. */
	cs_image_exec_resolve(im, NULL, "/app/elf", NULL, &f);
	assert_null(f.interp);
	assert_false(f.unknown_format);
	cs_exec_file_clear(&f);
	cs_image_exec_resolve(im, NULL, "/app/bad", NULL, &f);
	assert_non_null(f.interp);
	assert_int_equal(f.interp->error, ENOEXEC);
	cs_exec_file_clear(&f);
	cs_image_close(im);
}

/* The view's steps for a $PATH search of 1,000 relative entries from cwd. */
static uint64_t path_search_work(struct cs_image *im, int names)
{
	char cwd[2 * 1000 + 8], path[1000 + 8];
	struct cs_exec_file f;
	uint64_t before = cs_image_lookup_work(im), work;
	int k = snprintf(cwd, sizeof(cwd), "/w%d", names);

	for (int i = 0; i < names; i++)
		k += snprintf(cwd + k, sizeof(cwd) - (size_t)k, "/d");
	memset(path, ':', 1000); /* 1,000 empty entries: "./nc.openbsd" from the cwd */
	snprintf(path + 1000, sizeof(path) - 1000, "/bin");
	assert_int_equal(cs_image_exec_resolve(im, cwd, "nc.openbsd", path, &f), 0);
	assert_true(f.known);
	assert_string_equal(f.path, "/bin/nc.openbsd");
	assert_false(f.path_relative);
	cs_exec_file_clear(&f);
	work = cs_image_lookup_work(im) - before;
	fprintf(stderr, "# $PATH search from a cwd of %d names: %llu steps\n", names,
		(unsigned long long)work);
	return work;
}

/*
 * A relative $PATH entry is looked up from the working directory, which is
 * resolved once: joining each entry to the cwd walked the cwd again for each
 * (100,000 empty entries under a 4 KB WorkingDir took 8.7 s). 1,000 entries
 * under 500 and 1,000 names: some 1,000 x 1,500 x 2 steps before, a few
 * thousand now, and a deeper cwd adds its own walks only.
 */
static void test_exec_path_cwd_once(void **state)
{
	struct cs_image *im;
	struct cs_diag d;
	uint64_t a, b;

	(void)state;
	assert_int_equal(cs_image_open(tarpath, NULL, &im, &d), 0);
	a = path_search_work(im, 500);
	b = path_search_work(im, 1000);
	assert_true(a < 50 * 1000);
	assert_true(b < 50 * 1000);
	assert_true(b - (b < a ? b : a) < 20 * 1000);
	cs_image_close(im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_lookup),	      cmocka_unit_test(test_exec_scripts),
	    cmocka_unit_test(test_exec_resolve),      cmocka_unit_test(test_exec_path_cwd_once),
	    cmocka_unit_test(test_config_from_layer),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
