/* SPDX-License-Identifier: MIT */
/*
 * cs_scan_diff on single-layer images written here with libarchive (PAX,
 * security.capability as an xattr record): what counts as a privilege
 * difference and what does not (entry order, v2 vs v3 rootid 0, permission
 * bits of a set-id file, the layer number).
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

#include "capscope/scan-diff.h"

struct ent {
	const char *name;
	unsigned mode; /* with S_ISUID/S_ISGID; directories end in '/' */
	unsigned uid, gid;
	const char *caps; /* libcap text or NULL */
	int version;	  /* 0: what cs_fcaps_from_text picks, 3: force v3 */
	unsigned rootid;
};

#define END                                                                                        \
	{                                                                                          \
		NULL, 0, 0, 0, NULL, 0, 0                                                          \
	}

static char dir[] = "/tmp/capscope-test-diff-XXXXXX";

/* Write ents (in the order given) as a layer tar; returns its path (static buffer per slot). */
static const char *layer(int slot, const struct ent *ents)
{
	static char paths[4][300];
	struct archive *a = archive_write_new();

	snprintf(paths[slot], sizeof(paths[slot]), "%s/layer%d.tar", dir, slot);
	archive_write_set_format_pax(a);
	assert_int_equal(archive_write_open_filename(a, paths[slot]), ARCHIVE_OK);
	for (const struct ent *x = ents; x->name; x++) {
		struct archive_entry *e = archive_entry_new();
		bool isdir = x->name[strlen(x->name) - 1] == '/';

		archive_entry_set_pathname(e, x->name);
		archive_entry_set_filetype(e, isdir ? AE_IFDIR : AE_IFREG);
		archive_entry_set_perm(e, x->mode);
		archive_entry_set_uid(e, x->uid);
		archive_entry_set_gid(e, x->gid);
		archive_entry_set_size(e, isdir ? 0 : 1);
		if (x->caps) {
			struct cs_fcaps f;
			struct cs_diag d = {0};
			unsigned char buf[CS_VFS_CAP_V3_SIZE];
			int n;

			assert_int_equal(cs_fcaps_from_text(x->caps, x->rootid, &f, &d), 0);
			if (x->version)
				f.version = x->version;
			n = cs_fcaps_encode(&f, buf, sizeof(buf));
			assert_true(n > 0);
			archive_entry_xattr_add_entry(e, "security.capability", buf, (size_t)n);
		}
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (!isdir)
			assert_int_equal(archive_write_data(a, "x", 1), 1);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	return paths[slot];
}

static void diff(const struct ent *old, const struct ent *new, struct cs_scan_diff *df)
{
	assert_int_equal(cs_scan_diff(layer(0, old), layer(1, new), NULL, df), 0);
	assert_true(df->old.image && df->new.image);
	assert_false(df->ep_compared); /* single layers have no config */
}

static const struct ent base[] = {
    {"usr/", 0755, 0, 0, NULL, 0, 0},
    {"usr/bin/", 0755, 0, 0, NULL, 0, 0},
    {"usr/bin/ping", 0755, 0, 0, "cap_net_raw=ep", 0, 0},
    {"usr/bin/su", 04755, 0, 0, NULL, 0, 0},
    {"usr/bin/wall", 02755, 0, 5, NULL, 0, 0},
    {"usr/bin/nc", 0755, 0, 0, "cap_net_bind_service=ep", 0, 0},
    {"usr/bin/ns", 0755, 0, 0, "cap_sys_admin=p", 3, 1000},
    {"usr/bin/plain", 0755, 0, 0, NULL, 0, 0},
    END,
};

static void test_same_in_another_order(void **state)
{
	static const struct ent rev[] = {
	    {"usr/bin/plain", 0755, 0, 0, NULL, 0, 0},
	    {"usr/bin/ns", 0755, 0, 0, "cap_sys_admin=p", 3, 1000},
	    {"usr/bin/nc", 0755, 0, 0, "cap_net_bind_service=ep", 0, 0},
	    {"usr/bin/wall", 02755, 0, 5, NULL, 0, 0},
	    /* the same set-uid file with other permission bits: not a privilege */
	    {"usr/bin/su", 04711, 0, 0, NULL, 0, 0},
	    /* v3 with rootid 0 is what the kernel makes of v2 */
	    {"usr/bin/ping", 0755, 0, 0, "cap_net_raw=ep", 3, 0},
	    END,
	};
	struct cs_scan_diff df;

	(void)state;
	diff(base, rev, &df);
	assert_int_equal(df.old.r.nfindings, 5);
	assert_int_equal(df.new.r.nfindings, 5);
	assert_int_equal(df.nfiles, 0);
	assert_false(cs_scan_diff_found(&df));
	cs_scan_diff_free(&df);
}

/* The entry for path; the test fails when there is none. */
static const struct cs_diff_file *file(const struct cs_scan_diff *df, const char *path)
{
	static const struct cs_diff_file none;

	for (size_t i = 0; i < df->nfiles; i++)
		if (!strcmp(df->files[i].path, path))
			return &df->files[i];
	fail_msg("%s is not in the diff", path);
	return &none;
}

static void test_changes(void **state)
{
	static const struct ent rebuilt[] = {
	    {"usr/", 0755, 0, 0, NULL, 0, 0},
	    {"usr/bin/", 0755, 0, 0, NULL, 0, 0},
	    {"usr/bin/ping", 0755, 0, 0, NULL, 0, 0},	/* lost its setcap */
	    {"usr/bin/su", 04755, 1000, 0, NULL, 0, 0}, /* set-uid, new owner */
	    {"usr/bin/nc", 0755, 0, 0, "cap_net_bind_service,cap_net_raw=ep", 0, 0}, /* more */
	    {"usr/bin/ns", 0755, 0, 0, "cap_sys_admin=p", 3, 2000}, /* other rootid */
	    {"usr/bin/plain", 02755, 0, 0, NULL, 0, 0},		    /* gained set-gid */
	    {"usr/bin/new", 0755, 0, 0, "cap_chown=p", 0, 0},	    /* a new file */
	    END,						    /* wall is gone */
	};
	const struct cs_diff_file *f;
	struct cs_scan_diff df;

	(void)state;
	diff(base, rebuilt, &df);
	assert_true(cs_scan_diff_found(&df));
	assert_int_equal(df.nfiles, 7);
	/* sorted by path */
	for (size_t i = 1; i < df.nfiles; i++)
		assert_true(strcmp(df.files[i - 1].path, df.files[i].path) < 0);

	f = file(&df, "/usr/bin/ping");
	assert_string_equal(cs_diff_file_change(f), "lost");
	assert_int_equal(f->what, CS_DIFF_FCAPS);
	assert_true(f->new.exists && !f->new.privileged && !f->new.has_fcaps);
	assert_int_equal(f->caps_lost, 1ULL << 13);
	assert_int_equal(f->caps_gained, 0);

	f = file(&df, "/usr/bin/su");
	assert_string_equal(cs_diff_file_change(f), "changed");
	assert_int_equal(f->what, CS_DIFF_OWNER);
	assert_int_equal(f->old.uid, 0);
	assert_int_equal(f->new.uid, 1000);

	f = file(&df, "/usr/bin/nc");
	assert_int_equal(f->what, CS_DIFF_FCAPS);
	assert_int_equal(f->caps_gained, 1ULL << 13);

	f = file(&df, "/usr/bin/ns");
	assert_int_equal(f->what, CS_DIFF_ROOTID);

	f = file(&df, "/usr/bin/plain");
	assert_string_equal(cs_diff_file_change(f), "gained");
	assert_int_equal(f->what, CS_DIFF_SETGID);
	assert_true(f->old.exists && !f->old.privileged);

	f = file(&df, "/usr/bin/new");
	assert_string_equal(cs_diff_file_change(f), "gained");
	assert_false(f->old.exists);

	f = file(&df, "/usr/bin/wall");
	assert_string_equal(cs_diff_file_change(f), "lost");
	assert_int_equal(f->what, CS_DIFF_SETGID);
	assert_false(f->new.exists);
	cs_scan_diff_free(&df);
}

static void test_errors(void **state)
{
	struct cs_scan_diff df;
	char missing[400];

	(void)state;
	snprintf(missing, sizeof(missing), "%s/no-such.tar", dir);
	assert_true(cs_scan_diff(layer(0, base), missing, NULL, &df) < 0);
	assert_int_equal(df.old.rc, 0);
	assert_true(df.new.rc < 0);
	assert_true(df.new.diag.message[0]);
	cs_scan_diff_free(&df);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[400];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_in_another_order),
	    cmocka_unit_test(test_changes),
	    cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
