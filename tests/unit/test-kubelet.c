/* SPDX-License-Identifier: MIT */
/* The kubelet's rules: user selection, runAsNonRoot, the command line, no_new_privs,
 * the API server's rejections. */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/kubelet.h"
#include "k8s/kubelet-env.h"

static const char passwd[] = "root:x:0:0:root:/root:/bin/sh\n"
			     "app:x:1001:1002:app:/home/app:/sbin/nologin\n"
			     "broken\n"
			     "nobody:x:65534:65534:nobody:/:/sbin/nologin\n";
static const char group[] = "root:x:0:\n"
			    "broken\n"
			    "bad:x:zero:\n"
			    "staff:x:50:app\n"
			    "staff:x:51:\n";

static struct cs_image_config cfg(const char *user)
{
	struct cs_image_config c = {.user = (char *)user};

	return c;
}

/* Podman's kube play (no kubelet: the image USER reaches the runtime whole) when set. */
static bool whole;

static struct cs_kubelet_image image(const struct cs_image_config *c, bool fs)
{
	struct cs_kubelet_image img = {c,
				       fs,
				       fs ? passwd : NULL,
				       fs ? sizeof(passwd) - 1 : 0,
				       fs ? group : NULL,
				       fs ? sizeof(group) - 1 : 0,
				       whole};

	return img;
}

static int user(const struct cs_k8s_sc *sc, const struct cs_image_config *c, bool fs, uid_t *uid,
		gid_t *gid, struct cs_steps *st, struct cs_diag *d)
{
	struct cs_kubelet_image img = image(c, fs);

	cs_steps_init(st);
	memset(d, 0, sizeof(*d));
	return cs_kubelet_user(sc, &img, uid, gid, st, d);
}

static void test_run_as_user_wins(void **state)
{
	struct cs_k8s_sc sc = {.run_as_user = {true, 1000}};
	struct cs_image_config c = cfg("app");
	struct cs_steps st;
	struct cs_diag d;
	uid_t u = 7;
	gid_t g = 7;

	(void)state;
	assert_int_equal(user(&sc, &c, true, &u, &g, &st, &d), 0);
	assert_int_equal(u, 1000);
	assert_int_equal(g, 0); /* 1000 is not in passwd */
	assert_non_null(cs_steps_find(&st, "pod.user"));
	assert_non_null(strstr(cs_steps_find(&st, "pod.user")->detail, "runAsUser"));
	cs_steps_free(&st);
}

static void test_run_as_user_out_of_range(void **state)
{
	struct cs_k8s_sc sc = {.run_as_user = {true, -1}};
	struct cs_steps st;
	struct cs_diag d;
	uid_t u;
	gid_t g;
	int rc;

	(void)state;
	rc = user(&sc, NULL, false, &u, &g, &st, &d);
	assert_int_equal(rc, -EPERM);
	assert_string_equal(cs_kubelet_error_name(rc), "CreateContainerConfigError");
	assert_non_null(strstr(d.message, "out of range"));
	cs_steps_free(&st);
}

/*
 * USER's forms as containerd's WithUser and runc's GetExecUser (CRI-O) read
 * them (ninth pass): a group name is looked up in the image's /etc/group
 * (it kept the passwd's primary group, and a group the image does not have
 * ran where both runtimes refuse); an empty user part is uid 0 (it was
 * "a name the passwd does not list"), and the kubelet, given neither a uid
 * nor a name, takes it as root.
 */
/*
 * Podman's kube play reads the image USER whole (runc's GetExecUser); with a
 * kubelet the runtime is given only the user part (as run_as_user or
 * run_as_username, an empty one as uid 0), so the group part is never read:
 * real containerd, Docker and CRI-O run "1000:50" with the passwd's group
 * (the truth/ matrices: images ug, name-g, empty-u).
 */
static void test_image_user_group_part_under_kubelet(void **state)
{
	static const struct {
		const char *user;
		uid_t uid;
		gid_t gid;
	} cases[] = {
	    {"app:staff", 1001, 1002},
	    {"1001:staff", 1001, 1002},
	    {":staff", 0, 0},
	    {":50", 0, 0},
	    {"app:50", 1001, 1002},
	    {"app:nogroup", 1001, 1002},
	    {"1001:nogroup", 1001, 1002},
	    {"1001:2147483648", 1001, 1002},
	};
	struct cs_k8s_sc sc = {0}, grp = {.run_as_group = {true, 3000}};
	struct cs_steps st;
	struct cs_diag d;

	(void)state;
	whole = false;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct cs_image_config c = cfg(cases[i].user);
		uid_t u = 7;
		gid_t g = 7;
		int rc = user(&sc, &c, true, &u, &g, &st, &d);

		if (rc != 0 || u != cases[i].uid || g != cases[i].gid)
			fail_msg(
			    "USER '%s' under a kubelet: rc %d uid %u gid %u, want uid %u gid %u",
			    cases[i].user, rc, (unsigned)u, (unsigned)g, (unsigned)cases[i].uid,
			    (unsigned)cases[i].gid);
		cs_steps_free(&st);
	}
	/* kube play: runAsGroup alone is "0:GID", whatever the image's USER */
	whole = true;
	struct cs_image_config c = cfg("app");
	uid_t u = 7;
	gid_t g = 7;

	assert_int_equal(user(&grp, &c, true, &u, &g, &st, &d), 0);
	assert_int_equal(u, 0);
	assert_int_equal(g, 3000);
	cs_steps_free(&st);
	whole = false;
	assert_int_equal(user(&grp, &c, true, &u, &g, &st, &d), 0);
	assert_int_equal(u, 1001);
	assert_int_equal(g, 3000);
	cs_steps_free(&st);
}

static void test_image_user_forms(void **state)
{
	static const struct {
		const char *user;
		int rc;
		uid_t uid;
		gid_t gid;
	} cases[] = {
	    {"app:staff", 0, 1001, 50},
	    {"1001:staff", 0, 1001, 50},
	    {":staff", 0, 0, 50},
	    {":50", 0, 0, 50},
	    {":", 0, 0, 0},
	    {"app:", 0, 1001, 1002},
	    {"app:50", 0, 1001, 50},
	    {"app:nogroup", -ENOENT, 0, 0},
	    /* runc's reader: a gid that is no number is 0, a line without one too */
	    {"app:bad", 0, 1001, 0},
	    {"app:broken", 0, 1001, 0},
	};
	struct cs_k8s_sc sc = {0}, nonroot = {.run_as_non_root = {true, true}};
	struct cs_steps st;
	struct cs_diag d;

	(void)state;
	whole = true;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct cs_image_config c = cfg(cases[i].user);
		uid_t u = 7;
		gid_t g = 7;
		int rc = user(&sc, &c, true, &u, &g, &st, &d);

		if (rc != cases[i].rc || (rc == 0 && (u != cases[i].uid || g != cases[i].gid)))
			fail_msg("USER '%s': rc %d uid %u gid %u, want rc %d uid %u gid %u",
				 cases[i].user, rc, (unsigned)u, (unsigned)g, cases[i].rc,
				 (unsigned)cases[i].uid, (unsigned)cases[i].gid);
		if (rc < 0)
			assert_non_null(
			    strstr(d.message, "the image's /etc/group does not list it"));
		cs_steps_free(&st);
	}
	/* without the image's files a group name cannot be looked up */
	struct cs_image_config c = cfg("app:staff");
	uid_t u;
	gid_t g;

	assert_int_equal(user(&sc, &c, false, &u, &g, &st, &d), -ENOENT);
	cs_steps_free(&st);
	/* runAsNonRoot: an empty user part is root to the kubelet */
	c = cfg(":50");
	assert_int_equal(user(&nonroot, &c, true, &u, &g, &st, &d), -EPERM);
	assert_non_null(strstr(d.message, "image will run as root"));
	cs_steps_free(&st);
	whole = false;
}

static void test_image_user_numeric_with_group(void **state)
{
	struct cs_k8s_sc sc = {0};
	struct cs_image_config c = cfg("1000:50");
	struct cs_steps st;
	struct cs_diag d;
	uid_t u;
	gid_t g;

	(void)state;
	whole = true;
	assert_int_equal(user(&sc, &c, false, &u, &g, &st, &d), 0);
	assert_int_equal(u, 1000);
	assert_int_equal(g, 50);
	cs_steps_free(&st);
	whole = false;
}

/* The /etc/group memberships, as runc's user package reads the files. */
static void test_member_groups(void **state)
{
	static const char pw[] = "  app:x:1001:1002::/:/bin/sh  \n"
				 "evil:x:notanumber:0::/:/bin/sh\n"
				 "root:x:0:0::/:/bin/sh\n"
				 "twin:x:1001:1002::/:/bin/sh\n";
	static const char gr[] = "# staff:x:77:app\n"
				 "wheel:x:10:root,app\n"
				 "staff:x:50:app\n"
				 "spaced:x:51: app\n"
				 "prefix:x:52:apple,ap\n"
				 "app:x:1002:app\n"
				 "odd:x:zz:app\n"
				 "short:x:53\n"
				 "  tail:x:54:twin,app  \n"
				 "roots:x:55:evil\n";
	struct cs_image_config c = cfg("");
	struct cs_kubelet_image img = {&c, true, pw, sizeof(pw) - 1, gr, sizeof(gr) - 1, false};
	struct cs_k8s_sc sc = {.run_as_user = {true, 1001}};
	struct cs_image_groups g;
	struct cs_diag d = {0};
	static const gid_t want[] = {10, 50, 1002, 0, 54};

	(void)state;
	assert_int_equal(cs_image_member_groups(&sc, &img, 1001, &g, &d), 0);
	assert_true(g.known);
	assert_string_equal(g.user, "app"); /* the first line with uid 1001, trimmed */
	assert_int_equal(g.n, 5);
	for (size_t i = 0; i < g.n; i++) {
		assert_int_equal(g.gid[i], want[i]); /* "zz" is 0, as Go's Atoi error leaves it */
		assert_int_equal(g.own_name[i], i == 2);
	}
	/* uid 0: runc's reader takes "notanumber" as uid 0, and that line comes first */
	sc.run_as_user.v = 0;
	assert_int_equal(cs_image_member_groups(&sc, &img, 0, &g, &d), 0);
	assert_string_equal(g.user, "evil");
	assert_int_equal(g.n, 1);
	assert_int_equal(g.gid[0], 55);
	/* an image USER name is looked up by that name, not by uid */
	c = cfg("twin:staff");
	sc.run_as_user.set = false;
	assert_int_equal(cs_image_member_groups(&sc, &img, 1001, &g, &d), 0);
	assert_string_equal(g.user, "twin");
	assert_int_equal(g.n, 1);
	assert_int_equal(g.gid[0], 54);
	/* a uid the passwd does not list has no memberships; no files, nothing known */
	c = cfg("4242");
	assert_int_equal(cs_image_member_groups(&sc, &img, 4242, &g, &d), 0);
	assert_false(g.known);
	img.fs_given = false;
	c = cfg("twin");
	assert_int_equal(cs_image_member_groups(&sc, &img, 1001, &g, &d), 0);
	assert_false(g.known);
}

/*
 * The runtimes read an image USER's uid with strconv.Atoi: "+0", "00", "-0"
 * are uid 0 (root), not a name nor an invalid uid; past 2147483647 or below 0
 * the runtime refuses the container.
 */
static void test_image_user_go_atoi(void **state)
{
	static const char *const root[] = {"+0", "00", "-0", "+0:+0", "000:00"};
	static const char *const range[] = {"-1", "2147483648", "4294967296",
					    "99999999999999999999", "1000:2147483648"};
	struct cs_k8s_sc sc = {0}, nonroot = {.run_as_non_root = {true, true}};
	struct cs_image_config c;
	struct cs_steps st;
	struct cs_diag d;
	uid_t u;
	gid_t g;
	int rc;

	(void)state;
	whole = true; /* the group parts are read (Podman) */
	for (size_t i = 0; i < sizeof(root) / sizeof(root[0]); i++) {
		c = cfg(root[i]);
		u = g = 7;
		assert_int_equal(user(&sc, &c, true, &u, &g, &st, &d), 0);
		assert_int_equal(u, 0);
		assert_int_equal(g, 0);
		cs_steps_free(&st);
		/* the kubelet's ParseInt reads it as 0 too: runAsNonRoot refuses it */
		assert_int_equal(user(&nonroot, &c, true, &u, &g, &st, &d), -EPERM);
		cs_steps_free(&st);
	}
	c = cfg("+1000:+50");
	assert_int_equal(user(&sc, &c, false, &u, &g, &st, &d), 0);
	assert_int_equal(u, 1000);
	assert_int_equal(g, 50);
	cs_steps_free(&st);
	for (size_t i = 0; i < sizeof(range) / sizeof(range[0]); i++) {
		c = cfg(range[i]);
		rc = user(&sc, &c, false, &u, &g, &st, &d);
		assert_int_equal(rc, -ERANGE);
		assert_string_equal(cs_kubelet_error_name(rc), "CreateContainerError");
		assert_non_null(strstr(d.message, "out of range"));
		cs_steps_free(&st);
	}
	c = cfg("2147483647");
	assert_int_equal(user(&sc, &c, false, &u, &g, &st, &d), 0);
	assert_int_equal(u, 2147483647);
	cs_steps_free(&st);
	whole = false;
}

static void test_image_user_name_from_passwd(void **state)
{
	struct cs_k8s_sc sc = {0};
	struct cs_image_config c = cfg("app");
	struct cs_steps st;
	struct cs_diag d;
	uid_t u;
	gid_t g;

	(void)state;
	assert_int_equal(user(&sc, &c, true, &u, &g, &st, &d), 0);
	assert_int_equal(u, 1001);
	assert_int_equal(g, 1002);
	cs_steps_free(&st);
}

static void test_image_user_name_unresolvable(void **state)
{
	struct cs_k8s_sc sc = {0};
	struct cs_image_config c = cfg("ghost"), c2 = cfg("app");
	struct cs_steps st;
	struct cs_diag d;
	uid_t u;
	gid_t g;
	int rc;

	(void)state;
	rc = user(&sc, &c, true, &u, &g, &st, &d);
	assert_int_equal(rc, -ENOENT);
	assert_string_equal(cs_kubelet_error_name(rc), "CreateContainerError");
	assert_non_null(strstr(d.message, "does not list it"));
	cs_steps_free(&st);
	/* A name and no image files to look it up in. */
	assert_int_equal(user(&sc, &c2, false, &u, &g, &st, &d), -ENOENT);
	assert_non_null(strstr(d.message, "no --rootfs or --image"));
	cs_steps_free(&st);
}

static void test_no_user_is_root(void **state)
{
	struct cs_k8s_sc sc = {0};
	struct cs_image_config c = cfg(NULL);
	struct cs_steps st;
	struct cs_diag d;
	uid_t u = 9;
	gid_t g = 9;

	(void)state;
	assert_int_equal(user(&sc, &c, true, &u, &g, &st, &d), 0);
	assert_int_equal(u, 0);
	assert_int_equal(g, 0);
	assert_non_null(strstr(cs_steps_find(&st, "pod.user")->detail, "sets no USER"));
	cs_steps_free(&st);
	assert_int_equal(user(&sc, NULL, false, &u, &g, &st, &d), 0);
	assert_non_null(strstr(cs_steps_find(&st, "pod.user")->detail, "is assumed"));
	cs_steps_free(&st);
}

static void test_run_as_non_root(void **state)
{
	struct cs_k8s_sc root = {.run_as_non_root = {true, true}};
	struct cs_k8s_sc root_uid = {.run_as_non_root = {true, true}, .run_as_user = {true, 0}};
	struct cs_k8s_sc ok = {.run_as_non_root = {true, true}, .run_as_user = {true, 5}};
	struct cs_k8s_sc named = {.run_as_non_root = {true, true}};
	struct cs_image_config c = cfg("app");
	struct cs_steps st;
	struct cs_diag d;
	uid_t u;
	gid_t g;

	(void)state;
	assert_int_equal(user(&root, NULL, false, &u, &g, &st, &d), -EPERM);
	assert_string_equal(d.message, "container has runAsNonRoot and image will run as root");
	assert_non_null(cs_steps_find(&st, "kubelet.run-as-non-root"));
	cs_steps_free(&st);
	assert_int_equal(user(&root_uid, NULL, false, &u, &g, &st, &d), -EPERM);
	assert_string_equal(d.message, "container's runAsUser breaks non-root policy");
	cs_steps_free(&st);
	assert_int_equal(user(&ok, NULL, false, &u, &g, &st, &d), 0);
	cs_steps_free(&st);
	/* A named image user cannot be verified, even when passwd resolves it. */
	assert_int_equal(user(&named, &c, true, &u, &g, &st, &d), -EPERM);
	assert_non_null(strstr(d.message, "non-numeric user (app)"));
	cs_steps_free(&st);
}

static void test_passwd_lookup(void **state)
{
	long u = -1, g = -1;

	(void)state;
	assert_int_equal(cs_passwd_lookup(passwd, strlen(passwd), "1001", &u, &g), 0);
	assert_int_equal(u, 1001);
	assert_int_equal(g, 1002);
	assert_int_equal(cs_passwd_lookup(passwd, strlen(passwd), "nobody", &u, &g), 0);
	assert_int_equal(u, 65534);
	/* a line with a name alone is that name with uid 0 and gid 0 (runc's parseLine) */
	assert_int_equal(cs_passwd_lookup(passwd, strlen(passwd), "broken", &u, &g), 0);
	assert_int_equal(u, 0);
	assert_int_equal(g, 0);
	assert_int_equal(cs_passwd_lookup(NULL, 0, "root", &u, &g), -ENOENT);
}

/*
 * bytes.TrimSpace trims Unicode's white space too (unicode.IsSpace): a line
 * led by NO-BREAK SPACE or IDEOGRAPHIC SPACE names its user to the
 * runtimes; the model read the spaces as part of the name (tenth pass, D).
 * Not white space: U+200B, a lone 0xc2, U+00A0 inside the line.
 */
static void test_etc_unicode_space(void **state)
{
	const char pw[] = "\xc2\xa0"
			  "app:x:1001:1002::/:/bin/sh\n"
			  "\xe3\x80\x80\xe2\x80\x8a\xc2\x85"
			  "bob:x:1003:1003::/:/bin/sh\xe2\x80\xa8\n"
			  "\xe2\x80\x8bzw:x:1004:1004\n\xc2"
			  "cut:x:1005:1005\n"
			  "in\xc2\xa0side:x:1006:1006\n";
	const char gr[] = "g:x:50:app\xe2\x80\xaf\n\xc2\xa0#c:x:51:app\n";
	long u = -1, g = -1;

	(void)state;
	assert_int_equal(cs_passwd_lookup(pw, strlen(pw), "app", &u, &g), 0);
	assert_int_equal(u, 1001);
	assert_int_equal(cs_passwd_lookup(pw, strlen(pw), "bob", &u, &g), 0);
	assert_int_equal(u, 1003);
	assert_int_equal(cs_passwd_lookup(pw, strlen(pw), "zw", &u, &g), -ENOENT);
	assert_int_equal(cs_passwd_lookup(pw, strlen(pw), "cut", &u, &g), -ENOENT);
	assert_int_equal(cs_passwd_lookup(pw, strlen(pw), "in\xc2\xa0side", &u, &g), 0);
	assert_int_equal(u, 1006);
	/* the member list's trailing U+202F goes; a comment led by U+00A0 is a comment */
	assert_int_equal(cs_group_lookup(gr, strlen(gr), "g", &g), 0);
	assert_int_equal(g, 50);
	assert_int_equal(cs_group_lookup(gr, strlen(gr), "\xc2\xa0#c", &g), -ENOENT);
	assert_int_equal(cs_group_lookup(gr, strlen(gr), "#c", &g), -ENOENT);
}

/* A NUL byte is refused with its line; a passwd line of 65536 bytes is one runc cannot read. */
static void test_etc_unreadable(void **state)
{
	static char big[70000];
	struct cs_diag d = {0};

	(void)state;
	assert_int_equal(cs_etc_file_check("f", "a\nb\0c\n", 6, &d), -EINVAL);
	assert_int_equal(d.line, 2);
	assert_string_equal(d.file, "f");
	assert_int_equal(cs_etc_file_check("f", "a\nb\n", 4, NULL), 0);
	memset(big, 'x', sizeof(big));
	big[0] = '\n';
	big[65536] = '\n'; /* line 2: 65535 bytes, line 3 shorter */
	assert_int_equal(cs_passwd_unreadable_line(big, 65537), 0);
	assert_int_equal(cs_passwd_unreadable_line(big, sizeof(big)), 0);
	big[65536] = '\r';
	big[65537] = '\n'; /* 65535 bytes and a CR: 65536 before the newline */
	assert_int_equal(cs_passwd_unreadable_line(big, 65538), 2);
	assert_int_equal(cs_passwd_unreadable_line(NULL, 0), 0);
}

/*
 * Fields as runc's user package reads them, which all four runtimes use: a
 * uid or gid that is not a number is 0 (Go's Atoi, its error dropped), so
 * such a user runs as root; a number past int64 saturates and the runtimes
 * keep its low 32 bits; lines are trimmed; a numeric user is a uid, never a
 * name. (Before session 10 such lines were "no entry": a container that runs
 * as root was predicted not to start.)
 */
static void test_passwd_not_numbers(void **state)
{
	static const char bad[] = "app:x:abc:1000::/:/bin/sh\n"
				  "web:x: 1001:1001::/:/bin/sh\n"
				  "db:x:1002:+5::/:/bin/sh\n"
				  "big:x:4294967296:1::/:/bin/sh\n"
				  "huge:x:99999999999999999999:1::/:/bin/sh\n"
				  "\t ok:x:1003:1004::/:/bin/sh  \n"
				  "1003:x:7:7::/:/bin/sh\n";
	static const struct {
		const char *user;
		long uid, gid;
	} cases[] = {
	    {"app", 0, 1000},	      {"web", 0, 1001},	  {"db", 1002, 5},	{"big", 0, 1},
	    {"huge", 4294967295L, 1}, {"ok", 1003, 1004}, {"1003", 1003, 1004}, /* by uid: the first
										   line with 1003,
										   not the name
										   "1003" */
	};
	long u = -1, g = -1;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		assert_int_equal(cs_passwd_lookup(bad, strlen(bad), cases[i].user, &u, &g), 0);
		if (u != cases[i].uid || g != cases[i].gid)
			fail_msg("%s: uid %ld gid %ld, want %ld %ld", cases[i].user, u, g,
				 cases[i].uid, cases[i].gid);
	}
	/* uid 0 by number: "app" (uid "abc") is the first line with it */
	assert_int_equal(cs_passwd_lookup(bad, strlen(bad), "0", &u, &g), 0);
	assert_int_equal(g, 1000);
	assert_int_equal(cs_passwd_lookup(bad, strlen(bad), "nobody", &u, &g), -ENOENT);
}

static void check_argv(const struct cs_k8s_container *c, const struct cs_image_config *img,
		       const char *want)
{
	const char **v = NULL;
	size_t n = 99;
	char got[256] = "";

	assert_int_equal(cs_kubelet_argv(c, img, &v, &n), 0);
	for (size_t i = 0; i < n; i++) {
		strcat(got, i ? " " : "");
		strcat(got, v[i]);
	}
	assert_null(v[n]);
	assert_string_equal(got, want);
	free(v);
}

static void test_argv(void **state)
{
	const char *cmd[] = {"/bin/nc"}, *args[] = {"-l", "443"};
	const char *ep[] = {"/entry"}, *ic[] = {"default", "cmd"};
	struct cs_image_config img = {.entrypoint = {ep, 1}, .cmd = {ic, 2}};
	struct cs_k8s_container both = {.command = {cmd, 1}, .args = {args, 2}};
	struct cs_k8s_container only_cmd = {.command = {cmd, 1}};
	struct cs_k8s_container only_args = {.args = {args, 2}};
	struct cs_k8s_container none = {0};

	(void)state;
	check_argv(&both, &img, "/bin/nc -l 443");
	check_argv(&only_cmd, &img, "/bin/nc"); /* the image's Cmd goes with its Entrypoint only */
	check_argv(&only_args, &img, "/entry -l 443");
	check_argv(&none, &img, "/entry default cmd");
	check_argv(&none, NULL, "");
}

static void expect_expand(const struct cs_k8s_container *c, const char *in, int rc,
			  const char *want)
{
	char *out = (char *)"unset";

	assert_int_equal(cs_kubelet_expand(c, in, &out), rc);
	if (rc == 0) {
		assert_string_equal(out, want);
		free(out);
	} else {
		assert_null(out);
	}
}

/* env and $(NAME): the kubelet's expansion (command, args, env values) and PATH. */
static void test_env_expand(void **state)
{
	struct cs_k8s_env env[] = {
	    {"A", "/opt", {0}},	      {"B", "$(A)/cap", {0}}, {"S", NULL, {0}},
	    {"C", "$(S)", {0}},	      {"D", "$(LATER)", {0}}, {"LATER", "x", {0}},
	    {"PATH", "/a:$(B)", {0}},
	};
	struct cs_k8s_container c = {.env = env, .n_env = 7};
	const char *cmd[] = {"$(B)/app", "$(S)"}, *args[] = {"$$(A)"};
	const char *ep[] = {"$(A)"};
	struct cs_image_config img = {.entrypoint = {ep, 1}};
	const char **v = NULL;
	char *path = NULL;
	size_t n;

	(void)state;
	expect_expand(&c, "$(A)/bin:$(B)", 0, "/opt/bin:/opt/cap");
	expect_expand(&c, "$$(A) $$ $x $", 0, "$(A) $ $x $");
	expect_expand(&c, "$(A", 0, "$(A");
	expect_expand(&c, "$()", 0, "$()");
	expect_expand(&c, "$\xc3", 0, "$\xc3\x83"); /* Go's string(byte) */
	expect_expand(&c, "$(NOPE)", 0, "$(NOPE)"); /* undefined: kept */
	expect_expand(&c, "$(D)", 0, "$(LATER)");   /* defined later: not yet */
	expect_expand(&c, "$(LATER)", 0, "x");
	expect_expand(&c, "$(S)", 1, NULL);		   /* valueFrom */
	expect_expand(&c, "$(C)", 1, NULL);		   /* through valueFrom */
	expect_expand(&c, "$(FOO_SERVICE_HOST)", 1, NULL); /* a service link */
	expect_expand(&c, "$(FOO_PORT)", 1, NULL);
	assert_int_equal(cs_kubelet_path(&c, &path), 0);
	assert_string_equal(path, "/a:/opt/cap");
	free(path);

	/* the pod's command and args are expanded, the image's entrypoint is not */
	c.command = (struct cs_strlist){cmd, 1};
	c.args = (struct cs_strlist){args, 1};
	assert_int_equal(cs_kubelet_argv(&c, &img, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "/opt/cap/app");
	assert_string_equal(v[1], "$(A)");
	free(v);
	c.command = (struct cs_strlist){NULL, 0};
	assert_int_equal(cs_kubelet_argv(&c, &img, &v, &n), 0);
	assert_string_equal(v[0], "$(A)");
	free(v);
	c.command = (struct cs_strlist){cmd + 1, 1}; /* argv[0] is not in the manifest */
	assert_int_equal(cs_kubelet_argv(&c, &img, &v, &n), 1);
	assert_string_equal(v[0], "$(S)");
	free(v);

	/* PATH from valueFrom, from envFrom, or not set */
	env[6].value = NULL;
	assert_int_equal(cs_kubelet_path(&c, &path), 1);
	c.n_env = 2;
	assert_int_equal(cs_kubelet_path(&c, &path), 0);
	assert_null(path);
	c.env_from = true;
	assert_int_equal(cs_kubelet_path(&c, &path), 1);
	expect_expand(&c, "$(NOPE)", 1, NULL); /* envFrom may define it */
	expect_expand(&c, "$(A)", 0, "/opt");  /* env wins over envFrom */
}

/*
 * The index cs_kubelet_argv expands its words with (twenty-fourth pass: a
 * backward scan of env for each word was args x env) answers as the scan:
 * the last entry of a name before the place, names that are prefixes of
 * others, a name repeated, a value naming an entry defined later.
 */
static void test_env_index(void **state)
{
	struct cs_k8s_env env[] = {
	    {"A", "1", {0}},	     {"AB", "$(A)2", {0}}, {"A", "$(A)3", {0}},
	    {"B", "$(AB)$(C)", {0}}, {"C", "$(A)", {0}},   {"", "e", {0}},
	    {"S", NULL, {0}},	     {"AB", "$(B)", {0}},  {"Z", "$(Z)z", {0}},
	};
	const char *words[] = {"$(A)", "$(AB)", "$(B)", "$(C)",	 "$()",	 "$(S)",
			       "$(Z)", "$(ZZ)", "$(A",	"$$(A)", "$(AB", "x$(A)y$(AB)z"};
	struct cs_k8s_container c = {.env = env, .n_env = 9};
	struct cs_env_index ix;

	(void)state;
	assert_int_equal(cs_env_index_build(&c, &ix), 0);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		char *a = NULL, *b = NULL;
		int ra = cs_kubelet_expand(&c, words[i], &a);

		assert_int_equal(cs_kubelet_expand_indexed(&c, &ix, words[i], &b), ra);
		if (ra == 0)
			assert_string_equal(a, b);
		free(a);
		free(b);
	}
	cs_env_index_free(&ix);
	/* spot checks: B's AB is the first AB, and C comes after B; the last
	 * AB names B; the last A is the one that names the first */
	expect_expand(&c, "$(B)", 0, "12$(C)");
	expect_expand(&c, "$(AB)", 0, "12$(C)");
	expect_expand(&c, "$(A)", 0, "13");
}

/* The expansion is bounded: a chain of references doubling at each step. */
static void test_env_expand_bounded(void **state)
{
	static struct cs_k8s_env env[40];
	static char names[40][8], vals[40][32];
	struct cs_k8s_container c = {.env = env, .n_env = 40};
	char *out = NULL;

	(void)state;
	for (int i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "V%d", i);
		if (i)
			snprintf(vals[i], sizeof(vals[i]), "$(V%d)$(V%d)", i - 1, i - 1);
		else
			snprintf(vals[i], sizeof(vals[i]), "xxxxxxxx");
		env[i] = (struct cs_k8s_env){names[i], vals[i], {0}};
	}
	assert_int_equal(cs_kubelet_expand(&c, "$(V39)", &out), 1);
	assert_null(out);
	assert_int_equal(cs_kubelet_expand(&c, "$(V4)", &out), 0);
	assert_int_equal(strlen(out), 8 << 4);
	free(out);
}

static void test_api_rejects_and_nnp(void **state)
{
	const char *sys_admin[] = {"CAP_SYS_ADMIN"};
	struct cs_k8s_sc priv = {.privileged = {true, true},
				 .allow_privilege_escalation = {true, false}};
	struct cs_k8s_sc admin = {
	    .allow_privilege_escalation = {true, false}, .caps_set = true, .add = {sys_admin, 1}};
	struct cs_k8s_sc ape_false = {.allow_privilege_escalation = {true, false}};
	struct cs_k8s_sc unset = {0};
	struct cs_diag d = {0};

	(void)state;
	assert_true(cs_k8s_api_rejects(&priv, &d));
	assert_non_null(strstr(d.message, "privileged to true"));
	assert_true(cs_k8s_api_rejects(&admin, &d));
	assert_non_null(strstr(d.message, "CAP_SYS_ADMIN"));
	assert_false(cs_k8s_api_rejects(&ape_false, &d));
	assert_false(cs_k8s_api_rejects(&unset, NULL));
	assert_true(cs_kubelet_no_new_privs(&ape_false));
	assert_false(cs_kubelet_no_new_privs(&priv)); /* privileged wins */
	assert_false(cs_kubelet_no_new_privs(&unset));
}

/* --allowed-unsafe-sysctls: patterns added list by list, each checked;
 * a refused list leaves the patterns as they were. */
static void test_unsafe_sysctls_add(void **state)
{
	struct cs_kubelet_unsafe_sysctls u;
	struct cs_diag d = {0};
	char big[5000];

	(void)state;
	memset(&u, 0, sizeof(u));
	assert_int_equal(cs_kubelet_unsafe_sysctls_add(&u, "net.core.*,kernel.sem", &d), 0);
	assert_int_equal(cs_kubelet_unsafe_sysctls_add(&u, "net/ipv4/tcp_fin_timeout", &d), 0);
	assert_int_equal(u.n, 3);
	assert_string_equal(u.v[0], "net.core.*");
	assert_string_equal(u.v[1], "kernel.sem");
	assert_string_equal(u.v[2], "net/ipv4/tcp_fin_timeout");
	assert_int_equal(cs_kubelet_unsafe_sysctls_add(&u, "net.x,,net.y", &d), -EINVAL);
	assert_int_equal(cs_kubelet_unsafe_sysctls_add(&u, "vm.swappiness", &d), -EINVAL);
	assert_non_null(strstr(d.message, "not known to be namespaced"));
	assert_int_equal(u.n, 3);
	assert_string_equal(u.v[2], "net/ipv4/tcp_fin_timeout");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(cs_kubelet_unsafe_sysctls_add(&u, big, &d), -E2BIG);
	for (int i = 3; i < CS_KUBELET_UNSAFE_SYSCTLS_MAX; i++)
		assert_int_equal(cs_kubelet_unsafe_sysctls_add(&u, "net.a", &d), 0);
	assert_int_equal(cs_kubelet_unsafe_sysctls_add(&u, "net.b", &d), -E2BIG);
	assert_int_equal(u.n, CS_KUBELET_UNSAFE_SYSCTLS_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_run_as_user_wins),
	    cmocka_unit_test(test_unsafe_sysctls_add),
	    cmocka_unit_test(test_run_as_user_out_of_range),
	    cmocka_unit_test(test_image_user_numeric_with_group),
	    cmocka_unit_test(test_image_user_forms),
	    cmocka_unit_test(test_image_user_group_part_under_kubelet),
	    cmocka_unit_test(test_member_groups),
	    cmocka_unit_test(test_image_user_go_atoi),
	    cmocka_unit_test(test_image_user_name_from_passwd),
	    cmocka_unit_test(test_image_user_name_unresolvable),
	    cmocka_unit_test(test_no_user_is_root),
	    cmocka_unit_test(test_run_as_non_root),
	    cmocka_unit_test(test_passwd_lookup),
	    cmocka_unit_test(test_etc_unicode_space),
	    cmocka_unit_test(test_etc_unreadable),
	    cmocka_unit_test(test_passwd_not_numbers),
	    cmocka_unit_test(test_argv),
	    cmocka_unit_test(test_env_expand),
	    cmocka_unit_test(test_env_expand_bounded),
	    cmocka_unit_test(test_env_index),
	    cmocka_unit_test(test_api_rejects_and_nnp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
