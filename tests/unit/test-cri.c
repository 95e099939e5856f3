/* SPDX-License-Identifier: MIT */
/* Each runtime's merge rules, and crio.conf drop-in layering. */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/cri.h"
#include "internal/util.h"

#define NBS   CS_BIT(10)
#define CHOWN CS_BIT(0)

static int merge(enum cs_cri_runtime rt, const struct cs_crio_config *c, const char *const *add,
		 size_t na, const char *const *drop, size_t nd, bool priv, struct cs_oci_process *o,
		 struct cs_diag *d)
{
	struct cs_cri_request r = {add, na, drop, nd, priv, false, 1000, 1000, NULL, 0};

	r.user_string_root = false; /* uid 1000, written as such */
	struct cs_steps st;
	int rc;

	cs_steps_init(&st);
	memset(d, 0, sizeof(*d));
	rc = cs_cri_merge(rt, c, &r, o, &st, d);
	cs_steps_free(&st);
	return rc;
}

static void test_crio(void **state)
{
	struct cs_crio_config c;
	struct cs_oci_process o;
	struct cs_diag d;
	const char *all[] = {"ALL"}, *nbs[] = {"NET_BIND_SERVICE"},
		   *low[] = {"cap_net_bind_service"}, *bad[] = {"CAP_CAP_NET_BIND_SERVICE"},
		   *chown[] = {"chown"};
	(void)state;
	cs_cap_last_override(40);
	cs_crio_config_default(&c);
	assert_int_equal(merge(CS_CRI_CRIO, &c, NULL, 0, NULL, 0, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND], 0x5fb);
	assert_int_equal(o.caps.set[CS_INH], 0);
	assert_int_equal(o.caps.set[CS_AMB], 0);
	/* drop ALL + add: exactly the add, defaults skipped */
	assert_int_equal(merge(CS_CRI_CRIO, &c, nbs, 1, all, 1, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND], NBS);
	assert_int_equal(o.caps.set[CS_EFF], NBS);
	/* a drop beats an add */
	assert_int_equal(merge(CS_CRI_CRIO, &c, nbs, 1, nbs, 1, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND] & NBS, 0);
	/* lower-case cap_ prefix is accepted (case-insensitive validation) */
	assert_int_equal(merge(CS_CRI_CRIO, &c, low, 1, all, 1, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND], NBS);
	/* CAP_CAP_… is refused */
	assert_int_equal(merge(CS_CRI_CRIO, &c, bad, 1, NULL, 0, false, &o, &d), -EINVAL);
	assert_non_null(
	    strstr(d.message, "unknown capability \"CAP_CAP_NET_BIND_SERVICE\" to add"));
	/* add ALL drop chown */
	assert_int_equal(merge(CS_CRI_CRIO, &c, all, 1, chown, 1, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND], cs_mask_all() & ~CHOWN);
	/* inheritable with add_inheritable_capabilities */
	c.add_inheritable = true;
	assert_int_equal(merge(CS_CRI_CRIO, &c, nbs, 1, all, 1, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_INH], NBS);
	/* privileged: everything, all five */
	assert_int_equal(merge(CS_CRI_CRIO, &c, NULL, 0, all, 1, true, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_AMB], cs_mask_all());
	assert_int_equal(o.uid, 1000);
	cs_cap_last_override(-1);
}

static void test_containerd(void **state)
{
	struct cs_oci_process o;
	struct cs_diag d;
	const char *all[] = {"all"}, *nbs[] = {"NET_BIND_SERVICE"},
		   *pre[] = {"CAP_NET_BIND_SERVICE"};
	(void)state;
	cs_cap_last_override(40);
	assert_int_equal(merge(CS_CRI_CONTAINERD, NULL, NULL, 0, NULL, 0, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND], 0xa80425fb);
	assert_int_equal(o.caps.set[CS_INH], 0);
	/* always prefixes: CAP_CAP_NET_BIND_SERVICE is unknown to runc and skipped */
	assert_int_equal(merge(CS_CRI_CONTAINERD, NULL, pre, 1, all, 1, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND], 0);
	assert_string_equal(o.unknown_caps, "CAP_CAP_NET_BIND_SERVICE");
	/* drop beats add */
	assert_int_equal(merge(CS_CRI_CONTAINERD, NULL, nbs, 1, nbs, 1, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND] & NBS, 0);
	assert_int_equal(merge(CS_CRI_CONTAINERD, NULL, nbs, 1, all, 1, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND], NBS);
	cs_cap_last_override(-1);
}

/*
 * All three runtimes upper-case a capability name with Go's strings.ToUpper,
 * which turns U+017F (long s) into S and U+0131 (dotless i) into I: the
 * container gets CAP_SYS_ADMIN for "\u017fys_admin", CAP_IPC_LOCK for
 * "\u0131pc_lock" (the model called them unknown and skipped them).
 */
static void test_go_toupper(void **state)
{
	struct cs_oci_process o;
	struct cs_diag d;
	const char *all[] = {"ALL"}, *sa[] = {"\xc5\xbfys_admin"}, *il[] = {"\xc4\xb1pc_lock"},
		   *csa[] = {"cap_\xc5\xbfys_admin"};
	struct cs_crio_config c = {0};
	(void)state;
	cs_cap_last_override(40);
	assert_int_equal(merge(CS_CRI_CONTAINERD, NULL, sa, 1, all, 1, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND], CS_BIT(21));
	assert_int_equal(merge(CS_CRI_CONTAINERD, NULL, il, 1, all, 1, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND], CS_BIT(14));
	assert_int_equal(merge(CS_CRI_DOCKER, NULL, sa, 1, all, 1, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND], CS_BIT(21));
	assert_int_equal(merge(CS_CRI_CRIO, &c, csa, 1, all, 1, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND], CS_BIT(21));
	/* and a drop of "\u017fys_admin" drops it */
	assert_int_equal(merge(CS_CRI_CONTAINERD, NULL, all, 1, sa, 1, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND] & CS_BIT(21), 0);
	cs_cap_last_override(-1);
}

static void test_docker(void **state)
{
	struct cs_oci_process o;
	struct cs_diag d;
	const char *all[] = {"ALL"}, *nbs[] = {"NET_BIND_SERVICE"}, *bad[] = {"FOO"},
		   *chown[] = {"CHOWN"};
	(void)state;
	cs_cap_last_override(40);
	/* an add beats a drop */
	assert_int_equal(merge(CS_CRI_DOCKER, NULL, nbs, 1, nbs, 1, false, &o, &d), 0);
	assert_true(o.caps.set[CS_BND] & NBS);
	/* drop ALL → exactly the adds */
	assert_int_equal(merge(CS_CRI_DOCKER, NULL, nbs, 1, all, 1, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND], NBS);
	/* add ALL drop CHOWN; uid 1000 is not root: bounding only (SetCapabilities) */
	assert_int_equal(merge(CS_CRI_DOCKER, NULL, all, 1, chown, 1, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND], cs_mask_all() & ~CHOWN);
	assert_int_equal(o.caps.set[CS_PRM], 0);
	assert_int_equal(o.caps.set[CS_EFF], 0);
	assert_int_equal(merge(CS_CRI_DOCKER, NULL, bad, 1, NULL, 0, false, &o, &d), -EINVAL);
	assert_non_null(strstr(d.message, "unknown capability: \"CAP_FOO\""));
	/* refused even when privileged: validateCapabilities runs at create */
	assert_int_equal(merge(CS_CRI_DOCKER, NULL, NULL, 0, bad, 1, true, &o, &d), -EINVAL);
	cs_cap_last_override(-1);
}

/* One request at a release, a uid, the daemon's own set (0 = all). */
static int merge_at(const char *rt, cs_mask_t daemon, uid_t uid, const char *const *add, size_t na,
		    const char *const *drop, size_t nd, bool priv, struct cs_oci_process *o,
		    struct cs_diag *d)
{
	struct cs_cri_request r = {add, na, drop, nd, priv, false, uid, uid, NULL, 0};

	r.user_string_root = uid == 0;
	struct cs_cri_target t = {0};
	struct cs_steps st;
	int rc;

	memset(d, 0, sizeof(*d));
	if ((rc = cs_cri_target_parse(rt, &t, d)) < 0)
		return rc;
	t.runtime_caps = daemon;
	t.runtime_caps_set = daemon != 0;
	cs_steps_init(&st);
	rc = cs_cri_merge_target(&t, NULL, &r, o, &st, d);
	cs_steps_free(&st);
	return rc;
}

#define SYS_RESOURCE CS_BIT(24)
#define BPF	     CS_BIT(39)
#define UPTO(n)	     ((CS_BIT((n) + 1)) - 1)

static void test_docker_releases(void **state)
{
	struct cs_oci_process o;
	struct cs_diag d;
	const char *bpf[] = {"bpf"}, *res[] = {"SYS_RESOURCE"}, *all[] = {"all"};
	cs_mask_t daemon = UPTO(40) & ~SYS_RESOURCE;
	(void)state;
	cs_cap_last_override(40);
	/* root keeps the defaults in effective and permitted */
	assert_int_equal(merge_at("docker", 0, 0, NULL, 0, NULL, 0, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_PRM], 0xa80425fb);
	/* 20.10 (Debian 12): the list ends at CAP_AUDIT_READ */
	assert_int_equal(merge_at("docker@20.10", 0, 0, bpf, 1, NULL, 0, false, &o, &d), -EINVAL);
	assert_non_null(strstr(d.message, "invalid CapAdd: unknown capability: \"CAP_BPF\""));
	assert_int_equal(merge_at("docker@20.10", daemon, 0, NULL, 0, NULL, 0, true, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_PRM], UPTO(37)); /* the daemon's own set plays no part */
	assert_int_equal(merge_at("docker@20.10", 0, 0, all, 1, NULL, 0, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND], UPTO(37));
	/* 23: the whole list, still not the daemon's */
	assert_int_equal(merge_at("docker@23", daemon, 0, NULL, 0, NULL, 0, true, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND], UPTO(40));
	/* 25+: ALL / privileged give the daemon's own set; what it lacks is refused */
	assert_int_equal(merge_at("docker@28", daemon, 0, NULL, 0, NULL, 0, true, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND], daemon);
	assert_int_equal(merge_at("docker@28", daemon, 0, res, 1, NULL, 0, false, &o, &d), -EINVAL);
	assert_non_null(strstr(d.message, "not available in the current environment"));
	assert_int_equal(merge_at("docker@28", daemon, 1000, bpf, 1, NULL, 0, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND], 0xa80425fb | BPF);
	assert_int_equal(o.caps.set[CS_PRM], 0);
	cs_cap_last_override(-1);
}

static void test_containerd_privileged(void **state)
{
	struct cs_oci_process o;
	struct cs_diag d;
	const char *all[] = {"ALL"}, *chown[] = {"CHOWN"};
	cs_mask_t daemon = UPTO(40) & ~SYS_RESOURCE;
	(void)state;
	cs_cap_last_override(40);
	/* WithPrivileged after add/drop: the drop has no effect */
	assert_int_equal(merge_at("containerd@1.6", 0, 0, NULL, 0, chown, 1, true, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND], UPTO(40));
	/* ... and hands out the daemon's own capabilities */
	assert_int_equal(merge_at("containerd@1.6", daemon, 0, NULL, 0, all, 1, true, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_PRM], daemon);
	assert_int_equal(o.caps.set[CS_INH], 0);
	assert_int_equal(merge_at("containerd", daemon, 0, all, 1, chown, 1, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_EFF], daemon & ~CHOWN);
	cs_cap_last_override(-1);
}

static void test_podman(void **state)
{
	struct cs_oci_process o;
	struct cs_diag d;
	const char *all[] = {"ALL"}, *nbs[] = {"net_bind_service"}, *raw[] = {"NET_RAW"};
	(void)state;
	cs_cap_last_override(40);
	assert_int_equal(merge_at("podman@4", 0, 0, NULL, 0, NULL, 0, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_PRM], cs_cri_podman_defaults());
	assert_int_equal(o.caps.set[CS_AMB], 0);
	/* non-root: the added names reach ambient, so they survive execve */
	assert_int_equal(merge_at("podman", 0, 1000, raw, 1, NULL, 0, false, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_AMB], CS_BIT(13));
	assert_int_equal(o.caps.set[CS_INH], CS_BIT(13));
	assert_int_equal(o.caps.set[CS_BND], cs_cri_podman_defaults() | CS_BIT(13));
	/* a name both added and dropped, or ALL in both, is refused */
	assert_int_equal(merge_at("podman", 0, 0, nbs, 1, nbs, 1, false, &o, &d), -EINVAL);
	assert_int_equal(merge_at("podman", 0, 0, all, 1, all, 1, false, &o, &d), -EINVAL);
	/* privileged non-root: bounding everything, the rest only the adds */
	assert_int_equal(merge_at("podman", 0, 1000, NULL, 0, NULL, 0, true, &o, &d), 0);
	assert_int_equal(o.caps.set[CS_BND], UPTO(40));
	assert_int_equal(o.caps.set[CS_PRM], 0);
	cs_cap_last_override(-1);
}

static void test_target_parse(void **state)
{
	struct cs_cri_target t = {0};
	struct cs_diag d = {0};
	char buf[32];
	(void)state;
	assert_int_equal(cs_cri_target_parse("containerd@2.x", &t, &d), 0);
	assert_int_equal(t.rt, CS_CRI_CONTAINERD);
	assert_int_equal(t.major, 2);
	assert_int_equal(cs_cri_target_parse("docker@20.10", &t, &d), 0);
	cs_cri_target_format(&t, buf, sizeof(buf));
	assert_string_equal(buf, "docker@20.10");
	assert_int_equal(cs_cri_target_parse("moby", &t, &d), 0);
	assert_int_equal(t.major, 28);
	assert_true(cs_cri_target_parse("docker@21", &t, &d) < 0);
	assert_true(cs_cri_target_parse("docker@", &t, &d) < 0);
	assert_true(cs_cri_target_parse("containerd@1.5", &t, &d) < 0);
	assert_true(cs_cri_target_parse("rkt", &t, &d) < 0);
	/* Sixteenth pass, part H: strtoul read leading zeros, '+' and spaces
	 * after the first digit; every number is one strict parser's now. */
	assert_true(cs_cri_target_parse("docker@023", &t, &d) < 0);
	assert_true(cs_cri_target_parse("containerd@1.07", &t, &d) < 0);
	assert_true(cs_cri_target_parse("crio@01", &t, &d) < 0);
	assert_true(cs_cri_target_parse("crio@01.x", &t, &d) < 0);
	assert_true(cs_cri_target_parse("docker@020.10", &t, &d) < 0);
	assert_true(cs_cri_target_parse("docker@28.", &t, &d) < 0);
	assert_true(cs_cri_target_parse("docker@28.+1", &t, &d) < 0);
	assert_true(cs_cri_target_parse("docker@28. 1", &t, &d) < 0);
	assert_true(cs_cri_target_parse("crio@1.x.x", &t, &d) < 0);
	assert_true(cs_cri_target_parse("crio@.x", &t, &d) < 0);
	assert_int_equal(cs_cri_target_parse("docker@28.0", &t, &d), 0);
	assert_int_equal(cs_cri_target_parse("containerd@1.7", &t, &d), 0);
	assert_int_equal(cs_cri_target_parse("crio@1.x", &t, &d), 0);
	assert_int_equal(cs_cri_target_parse("podman@5", &t, &d), 0);
	assert_false(cs_cri_target_has_kubelet(&t));
	assert_int_equal(cs_cri_runtime_caps_parse("chown,kill", &t, &d), 0);
	assert_true(t.runtime_caps_set);
	assert_int_equal(t.runtime_caps, CS_BIT(0) | CS_BIT(5));
	assert_int_equal(cs_cri_runtime_caps_parse("0x1fffeffffff", &t, &d), 0);
	assert_int_equal(t.runtime_caps, UPTO(40) & ~SYS_RESOURCE);
	assert_int_equal(cs_cri_target_parse("containerd", &t, &d), 0); /* keeps the daemon's set */
	assert_int_equal(t.runtime_caps, UPTO(40) & ~SYS_RESOURCE);
	assert_int_equal(cs_cri_runtime_caps_parse("self", &t, &d), 0);
	assert_true(cs_cri_runtime_caps_parse("0xzz", &t, &d) < 0);
	assert_true(cs_cri_runtime_caps_parse("cap_nope", &t, &d) < 0);
}

static void test_crio_dropins(void **state)
{
	char dir[] = "/tmp/capscope-crio.XXXXXX", p[256];
	struct cs_crio_config c;
	struct cs_diag d = {0};
	FILE *f;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/crio.conf", dir);
	f = fopen(p, "w");
	fputs("[crio.runtime]\ndefault_capabilities = [\"CHOWN\"]\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/crio.conf.d", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/crio.conf.d/20-b.conf", dir);
	f = fopen(p, "w");
	fputs("[crio.runtime]\ndefault_capabilities = [\"KILL\", \"NET_RAW\"]\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/crio.conf.d/10-a.conf", dir);
	f = fopen(p, "w");
	fputs("[crio.runtime]\ndefault_capabilities = [\"SETUID\"]\nadd_inheritable_capabilities = "
	      "true\n",
	      f);
	fclose(f);
	cs_crio_config_default(&c);
	assert_int_equal(cs_crio_config_load(&c, dir, &d), 0);
	assert_int_equal(c.n_default_caps, 2); /* 20-b.conf read last wins */
	assert_string_equal(c.default_caps[0], "KILL");
	assert_true(c.add_inheritable);
	snprintf(p, sizeof(p), "%s/crio.conf.d/30-bad.conf", dir);
	f = fopen(p, "w");
	fputs("[crio.runtime]\nadd_inheritable_capabilities = \"yes\"\n", f);
	fclose(f);
	assert_true(cs_crio_config_load(&c, dir, &d) < 0);
	assert_int_equal(d.line, 2);
	assert_non_null(strstr(d.file, "30-bad.conf"));
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void put_file(const char *dir, const char *name, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_non_null(f = fopen(p, "w"));
	fputs(text, f);
	fclose(f);
}

/* CRI-O walks crio.conf.d whole (filepath.Walk): every file whatever its
 * name, dot files, subdirectories where they sort. Only *.conf at the top
 * was read, so 30-noext below was ignored and CHOWN modelled. */
static void test_crio_dropin_walk(void **state)
{
	char dir[] = "/tmp/capscope-crio.XXXXXX", p[256], cmd[300];
	struct cs_crio_config c;
	struct cs_diag d = {0};

	(void)state;
	assert_non_null(mkdtemp(dir));
	put_file(dir, "10-a.conf", "[crio.runtime]\ndefault_capabilities = [\"CHOWN\"]\n");
	snprintf(p, sizeof(p), "%s/20-sub", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	put_file(dir, "20-sub/z.conf", "[crio.runtime]\ndefault_capabilities = [\"KILL\"]\n");
	put_file(dir, "30-noext", "[crio.runtime]\ndefault_capabilities = [\"SETUID\"]\n");
	cs_crio_config_default(&c);
	assert_int_equal(cs_crio_config_load(&c, dir, &d), 0);
	assert_int_equal(c.n_default_caps, 1);
	assert_string_equal(c.default_caps[0], "SETUID");
	assert_false(c.add_inheritable);

	snprintf(p, sizeof(p), "%s/40-dir", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	put_file(dir, "40-dir/.hidden", "[crio.runtime]\nadd_inheritable_capabilities = true\n");
	put_file(dir, "40-dir/x.toml", "[crio.runtime]\ndefault_capabilities = [\"NET_RAW\"]\n");
	cs_crio_config_default(&c);
	assert_int_equal(cs_crio_config_load(&c, dir, &d), 0);
	assert_string_equal(c.default_caps[0], "NET_RAW");
	assert_true(c.add_inheritable);
	assert_non_null(strstr(c.defaults_from, "40-dir/x.toml"));

	/* a file CRI-O cannot read stops it; so here, naming the file */
	put_file(dir, "50-bad.orig", "[crio.runtime\n");
	assert_true(cs_crio_config_load(&c, dir, &d) < 0);
	assert_non_null(strstr(d.file, "50-bad.orig"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);

	/* crio.conf.d itself as filepath.Walk sees its root (lstat): a file is
	 * read as the one drop-in; a symlink to a directory is read as a file and
	 * fails; a dangling one is no drop-in */
	assert_non_null(mkdtemp(strcpy(dir, "/tmp/capscope-crio.XXXXXX")));
	put_file(dir, "crio.conf", "[crio.runtime]\ndefault_capabilities = [\"CHOWN\"]\n");
	put_file(dir, "crio.conf.d", "[crio.runtime]\ndefault_capabilities = [\"SYS_ADMIN\"]\n");
	cs_crio_config_default(&c);
	assert_int_equal(cs_crio_config_load(&c, dir, &d), 0);
	assert_string_equal(c.default_caps[0], "SYS_ADMIN");
	snprintf(p, sizeof(p), "%s/crio.conf.d", dir);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(symlink("real.d", p), 0);
	cs_crio_config_default(&c);
	assert_int_equal(cs_crio_config_load(&c, dir, &d), 0);
	assert_string_equal(c.default_caps[0], "CHOWN");
	snprintf(p, sizeof(p), "%s/real.d", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	put_file(dir, "real.d/x.conf", "[crio.runtime]\ndefault_capabilities = [\"NET_RAW\"]\n");
	cs_crio_config_default(&c);
	assert_true(cs_crio_config_load(&c, dir, &d) < 0);
	assert_non_null(strstr(d.file, "crio.conf.d"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/*
 * CRI-O checks default_capabilities when it starts, on the configuration read
 * whole (DefaultCapabilities.Validate: "CAP_" + ToUpper, known to the
 * kernel): "CAP_CHOWN", "all" or an unknown name stop it. These were read
 * and a container predicted (CAP_CHOWN as CHOWN, all as nothing). A later
 * drop-in's list replaces a bad one, and CRI-O starts.
 */
static void test_crio_startup_caps(void **state)
{
	static const char *const bad[] = {"\"CAP_CHOWN\"", "\"all\"", "\"BOGUS\"", "\"NET_RAW \""};
	char dir[] = "/tmp/capscope-crio.XXXXXX", text[160], cmd[300];
	struct cs_crio_config c;
	struct cs_diag d = {0};

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text),
			 "[crio.runtime]\ndefault_capabilities = [\"chown\", %s]\n", bad[i]);
		put_file(dir, "crio.conf", text);
		cs_crio_config_default(&c);
		memset(&d, 0, sizeof(d));
		assert_true(cs_crio_config_load(&c, dir, &d) < 0);
		assert_int_equal(d.line, 2);
		assert_int_equal(d.column, 34);
		assert_string_equal(d.field, "crio.runtime.default_capabilities");
		assert_non_null(strstr(d.file, "crio.conf"));
		assert_non_null(strstr(d.message, "CRI-O does not start"));
	}
	/* a drop-in replaces the list: CRI-O starts, with the drop-in's */
	snprintf(cmd, sizeof(cmd), "%s/crio.conf.d", dir);
	assert_int_equal(mkdir(cmd, 0755), 0);
	put_file(dir, "crio.conf.d/10.conf", "[crio.runtime]\ndefault_capabilities = [\"KILL\"]\n");
	cs_crio_config_default(&c);
	assert_int_equal(cs_crio_config_load(&c, dir, &d), 0);
	assert_string_equal(c.default_caps[0], "KILL");
	/* a drop-in without the key keeps the bad list: refused */
	put_file(dir, "crio.conf.d/10.conf",
		 "[crio.runtime]\nadd_inheritable_capabilities = true\n");
	cs_crio_config_default(&c);
	assert_true(cs_crio_config_load(&c, dir, &d) < 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* CRI-O's TOML decoder matches a key to a field without case (and with
 * Go's EqualFold, where U+017F is an s): these were ignored. */
/* default_sysctls (eighth pass): net.ipv4.ip_unprivileged_port_start=0
 * there lets every container bind low ports; it was not read. */
static void test_crio_default_sysctls(void **state)
{
	struct cs_crio_config c;
	struct cs_diag d = {0};
	const char *t1 = "[crio.runtime]\ndefault_sysctls = [\"\", \"=x\", "
			 "\"net.ipv4.ip_unprivileged_port_start=80\", \"kernel.x=1\", "
			 "\"net.ipv4.ip_local_port_range=40000 60999\", "
			 "\"net.ipv4.ip_unprivileged_port_start=0\"]\n";
	const char *t2 = "[crio.runtime]\ndefault_sysctls = [\"kernel.x=1\"]\n";
	const char *bad[] = {
	    "[crio.runtime]\ndefault_sysctls = [1]\n",
	    "[crio.runtime]\ndefault_sysctls = \"a=0\"\n",
	};

	(void)state;
	cs_crio_config_default(&c);
	assert_string_equal(c.unpriv_port_start, "");
	assert_int_equal(cs_crio_config_parse(&c, t1, strlen(t1), "t1", &d), 0);
	assert_string_equal(c.unpriv_port_start, "0");		/* the last one of the key */
	assert_string_equal(c.local_port_range, "40000 60999"); /* the range beside it */
	assert_string_equal(c.sysctls_from, "t1");
	/* a later file's list replaces the whole list */
	assert_int_equal(cs_crio_config_parse(&c, t2, strlen(t2), "t2", &d), 0);
	assert_string_equal(c.unpriv_port_start, "");
	assert_string_equal(c.local_port_range, "");
	/* the wrong types: CRI-O's decoder refuses the file */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_true(cs_crio_config_parse(&c, bad[i], strlen(bad[i]), "b", &d) < 0);
		assert_int_equal(d.line, 2);
		assert_string_equal(d.field, "crio.runtime.default_sysctls");
	}
}

/*
 * Entries CRI-O's Sysctls() refuses stop CRI-O, but only in the last list
 * read (RuntimeConfig.Validate, when it starts): each was refused at once,
 * "CRI-O refuses it", where a later drop-in's list replaces it and CRI-O
 * starts (fifteenth pass, part I). And strings.TrimSpace trims Unicode's
 * white space: an entry ending in U+00A0 stops CRI-O, and was read.
 */
static void test_crio_sysctls_last_list(void **state)
{
	static const char *const bad[] = {"net.ipv4.ip_unprivileged_port_start",
					  "net.ipv4.ip_unprivileged_port_start= 0",
					  " a=0",
					  "a=0 ",
					  "net.ipv4.ip_unprivileged_port_start=0\xc2\xa0",
					  "a\xe2\x80\x80=1",
					  "a=\\u000b1"};
	char dir[] = "/tmp/capscope-crio.XXXXXX", text[200], cmd[300];
	struct cs_crio_config c;
	struct cs_diag d = {0};

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "%s/crio.conf.d", dir);
	assert_int_equal(mkdir(cmd, 0755), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text),
			 "[crio.runtime]\ndefault_sysctls = [\"kernel.x=1\", \"%s\"]\n", bad[i]);
		put_file(dir, "crio.conf", text);
		put_file(dir, "crio.conf.d/10.conf", "[crio.runtime]\nlog_size_max = -1\n");
		cs_crio_config_default(&c);
		memset(&d, 0, sizeof(d));
		assert_true(cs_crio_config_load(&c, dir, &d) < 0);
		assert_int_equal(d.line, 2);
		assert_int_equal(d.column, 34);
		assert_string_equal(d.field, "crio.runtime.default_sysctls");
		assert_non_null(strstr(d.file, "crio.conf"));
		assert_non_null(strstr(d.message, "CRI-O does not start"));
		assert_non_null(strstr(d.message, i ? "spaces" : "key=value"));
		/* a drop-in's list replaces it: CRI-O starts */
		put_file(dir, "crio.conf.d/10.conf",
			 "[crio.runtime]\ndefault_sysctls = "
			 "[\"net.ipv4.ip_unprivileged_port_start=0\"]\n");
		cs_crio_config_default(&c);
		assert_int_equal(cs_crio_config_load(&c, dir, &d), 0);
		assert_string_equal(c.unpriv_port_start, "0");
	}
	/* a drop-in's bad list after a good one: refused at the drop-in */
	put_file(dir, "crio.conf", "[crio.runtime]\ndefault_sysctls = [\"a=1\"]\n");
	put_file(dir, "crio.conf.d/10.conf", "[crio.runtime]\ndefault_sysctls = [\"a =1\"]\n");
	cs_crio_config_default(&c);
	memset(&d, 0, sizeof(d));
	assert_true(cs_crio_config_load(&c, dir, &d) < 0);
	assert_non_null(strstr(d.file, "10.conf"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* Sixteenth pass: default_capabilities with an empty name, one of 48
 * bytes or more, or more than 64 names, was refused at once in whatever
 * file ("more than 64" as if CRI-O's limit); CRI-O checks the last list
 * only, takes duplicates in any case, and refuses an empty name. */
static void test_crio_defaults_last_list(void **state)
{
	char dir[] = "/tmp/capscope-crio.XXXXXX", cmd[300], text[4096];
	struct cs_crio_config c;
	struct cs_diag d = {0};
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "%s/crio.conf.d", dir);
	assert_int_equal(mkdir(cmd, 0755), 0);
	n = (size_t)snprintf(text, sizeof(text), "[crio.runtime]\ndefault_capabilities = [");
	for (int i = 0; i < 70; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "\"X%d\", ", i);
	snprintf(text + n, sizeof(text) - n, "\"%s\"]\n",
		 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	const char *const bad[] = {"[crio.runtime]\ndefault_capabilities = [\"CHOWN\", \"\"]\n",
				   text};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* the last list: refused at its first bad name */
		put_file(dir, "crio.conf", bad[i]);
		put_file(dir, "crio.conf.d/10.conf", "[crio.runtime]\nlog_size_max = -1\n");
		cs_crio_config_default(&c);
		memset(&d, 0, sizeof(d));
		assert_true(cs_crio_config_load(&c, dir, &d) < 0);
		assert_int_equal(d.line, 2);
		assert_string_equal(d.field, "crio.runtime.default_capabilities");
		assert_non_null(strstr(d.message, "CRI-O does not start"));
		assert_non_null(strstr(d.message, i ? "\"X0\"" : "\"\""));
		/* replaced by a drop-in's list: CRI-O starts */
		put_file(dir, "crio.conf.d/10.conf",
			 "[crio.runtime]\ndefault_capabilities = [\"KILL\"]\n");
		cs_crio_config_default(&c);
		assert_int_equal(cs_crio_config_load(&c, dir, &d), 0);
		assert_int_equal(c.n_default_caps, 1);
	}
	/* 80 names, two capabilities in two cases: taken, held once each */
	n = (size_t)snprintf(text, sizeof(text), "[crio.runtime]\ndefault_capabilities = [");
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "\"CHOWN\", \"k\xc4\xb1ll\", ");
	snprintf(text + n, sizeof(text) - n, "\"chown\"]\n");
	put_file(dir, "crio.conf", text);
	put_file(dir, "crio.conf.d/10.conf", "[crio.runtime]\nlog_size_max = -1\n");
	cs_crio_config_default(&c);
	assert_int_equal(cs_crio_config_load(&c, dir, &d), 0);
	assert_int_equal(c.n_default_caps, 2);
	/* a sysctl value past what capscope holds: its limit, said as such
	 * (it said "value too long", as if CRI-O refused it) */
	put_file(dir, "crio.conf",
		 "[crio.runtime]\ndefault_sysctls = [\"net.ipv4.ip_unprivileged_port_start="
		 "00000000000000000000000000000000000080\"]\n");
	cs_crio_config_default(&c);
	assert_true(cs_crio_config_load(&c, dir, &d) < 0);
	assert_non_null(strstr(d.message, "longer than capscope holds"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_crio_key_case(void **state)
{
	struct cs_crio_config c;
	struct cs_diag d = {0};
	const char *t1 = "[CRIO.Runtime]\nDEFAULT_CAPABILITIES = [\"SYS_ADMIN\"]\n"
			 "Add_Inheritable_Capabilities = true\n";
	const char *t2 = "[crio.runtime]\n\"default_capabilitie\xc5\xbf\" = [\"NET_RAW\"]\n";
	const char *t3 = "[crio.runtime]\ndefault_capabilities = [\"CHOWN\"]\n"
			 "Default_Capabilities = [\"KILL\"]\n";
	const char *t4 = "crio.runtime.default_capabilities = [\"CHOWN\"]\n"
			 "[Crio.runtime]\nx = 1\n";

	(void)state;
	cs_crio_config_default(&c);
	assert_int_equal(cs_crio_config_parse(&c, t1, strlen(t1), "t1", &d), 0);
	assert_int_equal(c.n_default_caps, 1);
	assert_string_equal(c.default_caps[0], "SYS_ADMIN");
	assert_true(c.add_inheritable);
	assert_int_equal(cs_crio_config_parse(&c, t2, strlen(t2), "t2", &d), 0);
	assert_string_equal(c.default_caps[0], "NET_RAW");
	/* two spellings of one field: CRI-O takes either (Go map order) */
	assert_true(cs_crio_config_parse(&c, t3, strlen(t3), "t3", &d) < 0);
	assert_int_equal(d.line, 3);
	assert_non_null(strstr(d.message, "Default_Capabilities"));
	assert_string_equal(c.default_caps[0], "NET_RAW"); /* unchanged */
	/*
	 * two spellings of one table: CRI-O merges them (unifyStruct unifies
	 * both into one struct); they were refused, saying "it takes either"
	 * (fifteenth pass, part J). A field in both is two values: refused.
	 */
	assert_int_equal(cs_crio_config_parse(&c, t4, strlen(t4), "t4", &d), 0);
	assert_string_equal(c.default_caps[0], "CHOWN");
	const char *t6 = "[crio.runtime]\ndefault_capabilities = [\"KILL\"]\n"
			 "[CRIO.RUNTIME]\nadd_inheritable_capabilities = false\n"
			 "[crio.Runtime]\n\"default_\xe2\x84\xaa"
			 "apabilities\" = 1\n";
	const char *t7 = "[crio.runtime]\nadd_inheritable_capabilities = true\n"
			 "[crio.RUNTIME]\ndefault_capabilities = [\"KILL\"]\n";
	const char *t8 = "[crio.runtime]\ndefault_capabilities = [\"KILL\"]\n"
			 "[crio.RUNTIME]\ndefault_capabilities = [\"KILL\"]\n";
	const char *t9 = "[crio]\nRUNTIME = 1\n";

	assert_true(c.add_inheritable);
	assert_int_equal(cs_crio_config_parse(&c, t7, strlen(t7), "t7", &d), 0);
	assert_string_equal(c.default_caps[0], "KILL");
	assert_true(c.add_inheritable);
	/* a key CRI-O has no field for (Kelvin sign for c: no fold) is dropped */
	assert_int_equal(cs_crio_config_parse(&c, t6, strlen(t6), "t6", &d), 0);
	assert_false(c.add_inheritable);
	assert_true(cs_crio_config_parse(&c, t8, strlen(t8), "t8", &d) < 0);
	assert_int_equal(d.line, 4);
	assert_non_null(strstr(d.message, "two spellings of its table, which CRI-O merges"));
	assert_true(cs_crio_config_parse(&c, t9, strlen(t9), "t9", &d) < 0);
	assert_non_null(strstr(d.message, "must be a table"));
	/* a name that is not the field's stays unknown */
	const char *t5 = "[crio.runtime]\ndefault-capabilities = [\"KILL\"]\n";

	assert_int_equal(cs_crio_config_parse(&c, t5, strlen(t5), "t5", &d), 0);
	assert_string_equal(c.default_caps[0], "KILL");
}

/*
 * CRI-O's start-up checks on values (crio-startup.c): each stops CRI-O, so
 * the configuration predicts nothing; the last value read wins, runtime
 * tables add up over the files, and the first refusal is in CRI-O's order.
 */
static void startup_case_says(const char *conf, const char *dropin, const char *field,
			      unsigned line, const char *file, const char *says)
{
	char dir[] = "/tmp/capscope-crio.XXXXXX", p[256], cmd[300];
	struct cs_crio_config c;
	struct cs_diag d = {0};
	int r;

	assert_non_null(mkdtemp(dir));
	put_file(dir, "crio.conf", conf);
	snprintf(p, sizeof(p), "%s/crio.conf.d", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	if (dropin)
		put_file(dir, "crio.conf.d/10-x.conf", dropin);
	cs_crio_config_default(&c);
	r = cs_crio_config_load(&c, dir, &d);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	if (!field) {
		if (r != 0)
			fail_msg("refused: %s (%s)", d.message, conf);
		return;
	}
	if (r != -EINVAL)
		fail_msg("read: %s", conf);
	assert_string_equal(d.field, field);
	assert_int_equal(d.line, line);
	assert_non_null(strstr(d.file, file));
	assert_non_null(strstr(d.message, says));
}

static void startup_case(const char *conf, const char *dropin, const char *field, unsigned line,
			 const char *file)
{
	startup_case_says(conf, dropin, field, line, file, "CRI-O does not start");
}

/*
 * Fifteenth pass, part I: /etc/crio without crio.conf (a node configured
 * by drop-ins alone, crio.conf.d/10-crio.conf): CRI-O skips the missing
 * file and reads crio.conf.d; the directory was walked whole as drop-ins,
 * so old/99.conf below gave SYS_ADMIN where CRI-O gives CHOWN.
 */
static void test_crio_etc_without_conf(void **state)
{
	char dir[] = "/tmp/capscope-crio.XXXXXX", p[256], cmd[300];
	struct cs_crio_config c;
	struct cs_diag d = {0};

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/crio.conf.d", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/old", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	put_file(dir, "crio.conf.d/10-crio.conf",
		 "[crio.runtime]\ndefault_capabilities = [\"CHOWN\"]\n");
	put_file(dir, "old/99.conf", "[crio.runtime]\ndefault_capabilities = [\"SYS_ADMIN\"]\n");
	put_file(dir, "README", "not TOML at all\n");
	cs_crio_config_default(&c);
	assert_int_equal(cs_crio_config_load(&c, dir, &d), 0);
	assert_int_equal(c.n_default_caps, 1);
	assert_string_equal(c.default_caps[0], "CHOWN");
	assert_non_null(strstr(c.defaults_from, "crio.conf.d/10-crio.conf"));
	/* a directory with neither is still a drop-in directory */
	snprintf(p, sizeof(p), "%s/crio.conf.d", dir);
	cs_crio_config_default(&c);
	assert_int_equal(cs_crio_config_load(&c, p, &d), 0);
	assert_string_equal(c.default_caps[0], "CHOWN");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/*
 * Fifteenth pass, part I: the default runtime's handler and every workload
 * are checked when CRI-O starts (RuntimeHandler.Validate, WorkloadConfig.
 * Validate), and CRI-O's decoder builds a new value for each map entry: a
 * drop-in's [crio.runtime.runtimes.crun] replaces crun's handler whole,
 * its workload table an earlier one whole. None of it was checked: a
 * configuration CRI-O does not start with was read and a container
 * predicted.
 */
static void test_crio_runtime_tables(void **state)
{
	static const char kata[] = "[crio.runtime.runtimes.crun]\nruntime_type = \"vm\"\n"
				   "runtime_path = \"/usr/bin/containerd-shim-kata-v2\"\n";
	static const char wl[] = "[crio.runtime.workloads.w]\nactivation_annotation = \"io.x\"\n";
	const char *rt = "crio.runtime.runtimes", *ws = "crio.runtime.workloads";

	(void)state;
	startup_case_says("[crio.runtime.runtimes.crun]\nruntime_type = \"VM\"\n", NULL, rt, 2,
			  "crio.conf", "invalid runtime_type");
	/* no shim's name: not found in $PATH, or not the pattern */
	startup_case_says("[crio.runtime.runtimes.crun]\nruntime_type = \"vm\"\n", NULL, rt, 2,
			  "crio.conf", "containerd-shim-NAME-v2");
	startup_case_says("[crio.runtime.runtimes.crun]\nruntime_type = \"vm\"\n"
			  "runtime_path = \"/x/containerd-shim--v2\"\n",
			  NULL, rt, 3, "crio.conf", "containerd-shim-NAME-v2");
	startup_case(kata, NULL, NULL, 0, NULL);
	startup_case("[crio.runtime.runtimes.crun]\nruntime_type = \"vm\"\n"
		     "runtime_path = \"/x/my-containerd-shim-a+b-v2.bin\"\n",
		     NULL, NULL, 0, NULL); /* MatchString is not anchored */
	/* the drop-in's crun replaces the whole handler: its type is "" again */
	startup_case(kata, "[crio.runtime.runtimes.crun]\nno_sync_log = true\n", NULL, 0, NULL);
	startup_case_says(kata, "[crio.runtime.runtimes.crun]\nruntime_config_path = \"/k.toml\"\n",
			  rt, 2, "10-x.conf", "only be used with the vm");
	startup_case_says(
	    "[crio.runtime.runtimes.crun]\nruntime_type = \"pod\"\nno_sync_log = true\n", NULL, rt,
	    3, "crio.conf", "no_sync_log");
	startup_case_says("[crio.runtime.runtimes.crun]\nstream_websockets = true\n", NULL, rt, 2,
			  "crio.conf", "websocket");
	startup_case_says("[crio.runtime.runtimes.crun]\nexec_cpu_affinity = \"last\"\n", NULL, rt,
			  2, "crio.conf", "exec_cpu_affinity");
	/* mended by a later table of the name; a handler that is not the
	 * default is dropped with a warning, CRI-O starts */
	startup_case("[crio.runtime.runtimes.crun]\nexec_cpu_affinity = \"last\"\n",
		     "[crio.runtime.runtimes.crun]\n", NULL, 0, NULL);
	startup_case("[crio.runtime]\ndefault_runtime = \"runc\"\n[crio.runtime.runtimes.runc]\n"
		     "[crio.runtime.runtimes.crun]\nruntime_type = \"x\"\n",
		     NULL, NULL, 0, NULL);
	/* after cgroup_manager, as ValidateRuntimes runs after SetCgroupManager */
	startup_case_says("[crio.runtime]\ncgroup_manager = \"x\"\n[crio.runtime.runtimes.crun]\n"
			  "runtime_type = \"x\"\n",
			  NULL, "crio.runtime.cgroup_manager", 2, "crio.conf", "cgroup");
	/* one file, two spellings of runtimes, each a crun: Go's map order */
	startup_case_says("[crio.runtime.runtimes.crun]\n[crio.runtime.RUNTIMES.crun]\n"
			  "runtime_type = \"x\"\n",
			  NULL, rt, 3, "crio.conf", "random map order");
	/* allowed_annotations: names CRI-O knows, exactly (V1 and V2) */
	startup_case(
	    "[crio.runtime.runtimes.crun]\nallowed_annotations = "
	    "[\"io.kubernetes.cri-o.userns-mode\", \"userns-mode.crio.io\", \"run.oci.\"]\n",
	    NULL, NULL, 0, NULL);
	startup_case_says("[crio.runtime.runtimes.crun]\nallowed_annotations = [\"run.oci.x\"]\n",
			  NULL, rt, 2, "crio.conf", "invalid allowed_annotation");
	startup_case("[crio.runtime.runtimes.crun]\nallowed_annotations = [\"bundle\"]\n"
		     "Allowed_Annotations = [\"bundle\"]\n",
		     NULL, NULL, 0, NULL);
	startup_case_says("[crio.runtime.workloads.w]\nactivation_annotation = \"a\"\n"
			  "allowed_annotations = [\"userns-mode\"]\n",
			  NULL, ws, 3, "crio.conf", "invalid allowed_annotation");
	/* workloads: every one checked, each replaced whole */
	startup_case(wl, NULL, NULL, 0, NULL);
	startup_case_says(wl, "[crio.runtime.workloads.w]\nannotation_prefix = \"io.y\"\n", ws, 1,
			  "10-x.conf", "activation_annotation");
	startup_case_says(wl, "[crio.runtime.workloads.w.resources]\ncpuperiod = 1000\n", ws, 1,
			  "10-x.conf", "activation_annotation");
	startup_case_says("[crio.runtime.workloads.w]\nactivation_annotation = \"a\"\n"
			  "resources = {cpuquota = 5, cpushares = 10}\n",
			  NULL, ws, 3, "crio.conf", "cpuquota");
	startup_case_says("[crio.runtime.workloads.w]\nactivation_annotation = \"a\"\n"
			  "[crio.runtime.workloads.w.resources]\nCPUPeriod = 999\n",
			  NULL, ws, 4, "crio.conf", "cpuperiod");
	startup_case("[crio.runtime.workloads.w]\nactivation_annotation = \"a\"\n"
		     "resources = {cpuquota = 10, cpushares = 10, cpuperiod = 1000}\n",
		     NULL, NULL, 0, NULL);
	/* fifteenth pass, part Q: two spellings of resources fill one struct,
	 * so cpushares from one and cpuquota from the other meet (only the
	 * first spelling was read: CRI-O does not start, capscope predicted) */
	startup_case_says("[crio.runtime.workloads.w]\nactivation_annotation = \"a\"\n"
			  "resources = {cpushares = 10}\nResources = {cpuquota = 5}\n",
			  NULL, ws, 4, "crio.conf", "cpuquota");
	startup_case_says("[crio.runtime.workloads.w]\nactivation_annotation = \"a\"\n"
			  "resources = {cpuperiod = 1000}\nRESOURCES = {cpuperiod = 999}\n",
			  NULL, ws, 1, "crio.conf", "random map order");
	startup_case("[crio.runtime.workloads.w]\nactivation_annotation = \"a\"\n"
		     "resources = {cpuperiod = 1000}\nRESOURCES = {cpushares = 5}\n",
		     NULL, NULL, 0, NULL);
}

/*
 * Fifteenth pass: every spelling of a field (CRI-O matches names without
 * case and decodes each, in Go's random map order) is read: a value under
 * [crio.IMAGE] lands in the same struct as [crio.image]'s and always stops
 * CRI-O; two values of which one is refused stop it or not at random. The
 * exact spelling's value alone was read and a container predicted.
 */
static void test_crio_startup_spellings(void **state)
{
	(void)state;
	startup_case("[crio.image]\npause_image = \"x\"\n[crio.IMAGE]\nimage_volumes = \"none\"\n",
		     NULL, "crio.image.image_volumes", 4, "crio.conf");
	startup_case("[crio.runtime]\nlog_size_max = 1\n", "[CRIO.runtime]\nLog_size_max = 2\n",
		     "crio.runtime.log_size_max", 2, "10-x.conf");
	startup_case_says("[crio.runtime]\nlog_size_max = 8192\nLog_Size_Max = 5\n", NULL,
			  "crio.runtime.log_size_max", 3, "crio.conf", "random map order");
	startup_case_says("[crio.runtime]\ncgroup_manager = \"x\"\nCGROUP_MANAGER = \"systemd\"\n",
			  NULL, "crio.runtime.cgroup_manager", 2, "crio.conf", "random map order");
	startup_case_says("[crio.runtime]\nadditional_artifact_stores = [\"/a\"]\n"
			  "Additional_Artifact_Stores = [\"b\"]\n",
			  NULL, "crio.runtime.additional_artifact_stores", 3, "crio.conf",
			  "random map order");
	startup_case_says("[crio.runtime]\ndefault_runtime = \"crun\"\nDefault_Runtime = \"runc\"\n"
			  "[crio.runtime.runtimes.runc]\n",
			  NULL, "crio.runtime.default_runtime", 3, "crio.conf", "random map order");
	/* values CRI-O treats alike: read, whichever it keeps */
	startup_case("[crio.runtime]\nlog_size_max = -1\nLog_Size_Max = 8192\n", NULL, NULL, 0,
		     NULL);
	startup_case("[crio.runtime]\ndefault_runtime = \"runc\"\nDefault_Runtime = \"runc\"\n"
		     "[crio.runtime.runtimes.runc]\n",
		     NULL, NULL, 0, NULL);
	/* [crio.runtime.RUNTIMES.b] is a table of the same map: b has one (it
	 * was refused, "CRI-O does not start", untrue); c has none */
	startup_case("[crio.runtime]\ndefault_runtime = \"b\"\n[crio.runtime.runtimes.a]\n"
		     "[crio.runtime.RUNTIMES.b]\n",
		     NULL, NULL, 0, NULL);
	startup_case("[crio.runtime]\ndefault_runtime = \"c\"\n[crio.runtime.runtimes.a]\n"
		     "[crio.runtime.RUNTIMES.b]\n",
		     NULL, "crio.runtime.default_runtime", 2, "crio.conf");
	/* a later file's value of either spelling replaces it */
	startup_case("[crio.runtime]\nlog_size_max = 8192\nLog_Size_Max = 5\n",
		     "[crio.runtime]\nlog_size_max = -1\n", NULL, 0, NULL);
}

static void test_crio_startup(void **state)
{
	(void)state;
	startup_case("[crio.runtime]\nlog_size_max = 100\n", NULL, "crio.runtime.log_size_max", 2,
		     "crio.conf");
	startup_case("[crio.runtime]\nlog_size_max = 100\n", "[crio.runtime]\nlog_size_max = -1\n",
		     NULL, 0, NULL);
	startup_case("[crio.runtime]\ndefault_runtime = \"runc\"\n", NULL,
		     "crio.runtime.default_runtime", 2, "crio.conf");
	startup_case("[crio.runtime]\ndefault_runtime = \"runc\"\n",
		     "[crio.runtime.runtimes.runc]\nruntime_path = \"/usr/bin/runc\"\n", NULL, 0,
		     NULL);
	startup_case("[crio.runtime]\ndefault_runtime = \"\"\n[crio.runtime.runtimes.x]\n", NULL,
		     NULL, 0, NULL);
	startup_case("[crio.runtime]\ncgroup_manager = \"Systemd\"\n", NULL,
		     "crio.runtime.cgroup_manager", 2, "crio.conf");
	startup_case("[crio.image]\nimage_volumes = \"none\"\n", NULL, "crio.image.image_volumes",
		     2, "crio.conf");
	startup_case("[crio.runtime]\nmin_injected_gomaxprocs = -1\n", NULL,
		     "crio.runtime.min_injected_gomaxprocs", 2, "crio.conf");
	startup_case("[crio.runtime]\nadditional_artifact_stores = [\"/a\", \"b\"]\n",
		     "[crio.runtime]\ncgroup_manager = \"cgroupfs\"\n",
		     "crio.runtime.additional_artifact_stores", 2, "crio.conf");
	startup_case("[crio.runtime]\nadditional_artifact_stores = [\"/a\", \"b\"]\n",
		     "[crio.runtime]\nadditional_artifact_stores = []\n", NULL, 0, NULL);
	/* CRI-O's order: log_dir before log_size_max, the capabilities before
	 * cgroup_manager, log_size_max before the capabilities */
	startup_case("[crio]\nlog_dir = \"var/log\"\n[crio.runtime]\nlog_size_max = 5\n", NULL,
		     "crio.log_dir", 2, "crio.conf");
	startup_case("[crio.runtime]\ncgroup_manager = \"x\"\ndefault_capabilities = [\"FOO\"]\n",
		     NULL, "crio.runtime.default_capabilities", 3, "crio.conf");
	startup_case("[crio.runtime]\ndefault_capabilities = [\"FOO\"]\n",
		     "[crio.runtime]\nLog_Size_Max = 5\n", "crio.runtime.log_size_max", 2,
		     "10-x.conf");
	startup_case("[crio.runtime]\nlog_size_max = 8192\ncgroup_manager = \"systemd\"\n"
		     "default_runtime = \"crun\"\n[crio.image]\nimage_volumes = \"bind\"\n",
		     NULL, NULL, 0, NULL);
}

/*
 * Fifteenth pass: more runtime tables than the startup record holds (64),
 * or a name longer than it holds (127 bytes), skipped the default_runtime
 * check: 65 tables and default_runtime = "nope" were read and a container
 * predicted, where CRI-O does not start. A name held still answers; one
 * that cannot be told is refused, saying so.
 */
static void runtimes_case(size_t n, const char *longname, const char *dflt, const char *want)
{
	char dir[] = "/tmp/capscope-crio.XXXXXX", p[512], cmd[300];
	struct cs_crio_config c;
	struct cs_diag d = {0};
	FILE *f;
	int r;

	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/crio.conf", dir);
	assert_non_null(f = fopen(p, "w"));
	fprintf(f, "[crio.runtime]\ndefault_runtime = \"%s\"\n", dflt);
	for (size_t i = 1; i <= n; i++)
		fprintf(f, "[crio.runtime.runtimes.r%zu]\n", i);
	if (longname)
		fprintf(f, "[crio.runtime.runtimes.%s]\n", longname);
	fclose(f);
	cs_crio_config_default(&c);
	r = cs_crio_config_load(&c, dir, &d);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	if (!want) {
		if (r != 0)
			fail_msg("refused: %s", d.message);
		return;
	}
	if (r != -EINVAL)
		fail_msg("read: %zu tables, default_runtime %s", n, dflt);
	assert_string_equal(d.field, "crio.runtime.default_runtime");
	assert_int_equal(d.line, 2);
	assert_non_null(strstr(d.message, want));
}

/* A drop-in whose path is longer than the record's 256 bytes was named by
 * its first 255, a file that is not there; now it ends in "...". */
static void test_crio_from_cut(void **state)
{
	char dir[] = "/tmp/capscope-crio.XXXXXX", p[512], name[160], cmd[300];
	struct cs_crio_config c;
	struct cs_diag d = {0};
	size_t n;

	(void)state;
	memset(name, 'y', 150);
	name[150] = 0;
	assert_non_null(mkdtemp(dir));
	put_file(dir, "crio.conf", "");
	snprintf(p, sizeof(p), "%s/crio.conf.d", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/crio.conf.d/%s", dir, name);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "crio.conf.d/%s/%s.conf", name, name);
	put_file(dir, p,
		 "[crio.runtime]\ndefault_capabilities = [\"CHOWN\"]\n"
		 "add_inheritable_capabilities = true\n"
		 "default_sysctls = [\"net.ipv4.ip_unprivileged_port_start=0\"]\n"
		 "log_size_max = -1\n");
	cs_crio_config_default(&c);
	assert_int_equal(cs_crio_config_load(&c, dir, &d), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	n = strlen(c.defaults_from);
	assert_true(n > 3 && !strcmp(c.defaults_from + n - 3, "..."));
	n = strlen(c.inheritable_from);
	assert_true(n > 3 && !strcmp(c.inheritable_from + n - 3, "..."));
	n = strlen(c.sysctls_from);
	assert_true(n > 3 && !strcmp(c.sysctls_from + n - 3, "..."));
	n = strlen(c.startup.log_size_max.from);
	assert_true(n > 3 && !strcmp(c.startup.log_size_max.from + n - 3, "..."));
}

static void test_crio_startup_runtimes_cut(void **state)
{
	char longname[200];

	(void)state;
	memset(longname, 'x', 150);
	longname[150] = 0;
	runtimes_case(64, NULL, "nope", "no runtime entry table");
	runtimes_case(65, NULL, "nope", "cannot tell whether");
	runtimes_case(1, longname, "nope", "cannot tell whether");
	runtimes_case(65, NULL, "r3", NULL);
	runtimes_case(65, NULL, "crun", NULL);
	runtimes_case(1, longname, "r1", NULL);
}

/*
 * Fourteenth pass: every field CRI-O 1.36 decodes is typed
 * (lib/runtime/crio-schema.c); a value its decoder refuses stops CRI-O, so
 * the file predicts nothing. Keys CRI-O has no field for are still read as
 * nothing, as its decoder drops them.
 */
static void test_crio_schema(void **state)
{
	static const struct {
		const char *text, *field;
		unsigned line, column;
	} bad[] = {
	    {"[crio.runtime]\nlog_size_max = \"x\"\n", "crio.runtime.log_size_max", 2, 16},
	    {"[crio.runtime]\npids_limit = 1.5\n", "crio.runtime.pids_limit", 2, 14},
	    {"[crio]\nroot = 5\n", "crio.root", 2, 8},
	    {"[crio.api]\nstream_enable_tls = \"true\"\n", "crio.api.stream_enable_tls", 2, 21},
	    {"[crio.image]\npull_progress_timeout = \"10\"\n", "crio.image.pull_progress_timeout",
	     2, 25},
	    {"[crio.image]\npull_progress_timeout = \"1d\"\n", "crio.image.pull_progress_timeout",
	     2, 25},
	    {"[crio.image]\npull_progress_timeout = 1.0\n", "crio.image.pull_progress_timeout", 2,
	     25},
	    {"[crio.network]\nplugin_dirs = [\"/a\", 2]\n", "crio.network.plugin_dirs", 2, 22},
	    {"[crio.runtime.runtimes.runc]\nruntime_path = true\n",
	     "crio.runtime.runtimes.runc.runtime_path", 2, 16},
	    {"[crio.runtime.runtimes]\nrunc = \"x\"\n", "crio.runtime.runtimes.runc", 2, 8},
	    {"[crio.runtime.runtimes.r.default_annotations]\na = 1\n",
	     "crio.runtime.runtimes.r.default_annotations", 2, 5},
	    {"[crio.runtime.workloads.w.resources]\ncpushares = \"2\"\n",
	     "crio.runtime.workloads.w.resources.cpushares", 2, 13},
	    {"[crio.runtime.workloads.w]\nDisallowedAnnotations = \"a\"\n",
	     "crio.runtime.workloads.w.DisallowedAnnotations", 2, 25},
	    {"[crio.nri.default_validator]\nnri_validator_required_plugins = [1]\n",
	     "crio.nri.default_validator.nri_validator_required_plugins", 2, 35},
	    {"[crio.metrics]\nmetrics_port = 1979-05-27\n", "crio.metrics.metrics_port", 2, 16},
	    {"[crio]\nimage = \"x\"\n", "crio.image", 2, 9},
	    /* a second spelling is decoded too (CRI-O's map order), and fails */
	    {"[crio.runtime]\nlog_size_max = 1\nLOG_SIZE_MAX = \"x\"\n",
	     "crio.runtime.LOG_SIZE_MAX", 3, 16},
	};
	const char *good =
	    "[crio]\nroot = \"/r\"\nunknown = {a = [1, 2.5]}\n"
	    "[crio.runtime]\nlog_size_max = -1\nLog_Size_Max = 8192\nnew_key = 1\n"
	    "[crio.runtime.runtimes.runc]\nruntime_path = \"\"\n"
	    "platform_runtime_paths = {\"linux/amd64\" = \"/x\"}\n"
	    "[crio.runtime.workloads.w.resources]\nCPUShares = -1\ncpuset = \"0-1\"\n"
	    "[crio.image]\npull_progress_timeout = \"1m30.5s\"\n"
	    "[crio.network]\ncni_status_grace_period = 10\n"
	    "[crio.nri]\nnri_plugin_request_timeout = \"-0\"\n"
	    "[[crio.other]]\nx = 1\n[toplevel]\nx = \"y\"\n";
	/* a map field (runtimes, workloads, platform_runtime_paths,
	 * default_annotations) given no table: BurntSushi's unifyMap drops it
	 * and CRI-O starts; read the same way */
	const char *dropped = "[crio.runtime]\nruntimes = 1\nworkloads = [\"x\"]\n";
	const char *dropped2 = "[crio.runtime.runtimes.r]\nplatform_runtime_paths = \"x\"\n"
			       "default_annotations = 2\n";
	struct cs_crio_config c;
	struct cs_diag d = {0};

	(void)state;
	cs_crio_config_default(&c);
	assert_int_equal(cs_crio_config_parse(&c, good, strlen(good), "good", &d), 0);
	assert_int_equal(cs_crio_config_parse(&c, dropped, strlen(dropped), "dropped", &d), 0);
	assert_int_equal(cs_crio_config_parse(&c, dropped2, strlen(dropped2), "dropped2", &d), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&d, 0, sizeof(d));
		if (cs_crio_config_parse(&c, bad[i].text, strlen(bad[i].text), "b", &d) != -EINVAL)
			fail_msg("case %zu read: %s", i, bad[i].text);
		assert_string_equal(d.file, "b");
		assert_string_equal(d.field, bad[i].field);
		if (d.line != bad[i].line || d.column != bad[i].column)
			fail_msg("case %zu at %u:%u, want %u:%u (%s)", i, d.line, d.column,
				 bad[i].line, bad[i].column, d.message);
		assert_non_null(strstr(d.message, "does not start"));
	}
	/* a long value is cut in the message, so its reason is not */
	char dur[400] = "[crio.image]\npull_progress_timeout = \"";

	memset(dur + strlen(dur), '1', 300);
	strcat(dur, "\"\n");
	memset(&d, 0, sizeof(d));
	assert_int_equal(cs_crio_config_parse(&c, dur, strlen(dur), "b", &d), -EINVAL);
	assert_non_null(strstr(d.message, "...\" is no Go duration"));
	assert_non_null(strstr(d.message, "does not start"));
	/* a path longer than the diagnostic's field ends in "...", never cut silently */
	char text[600] = "[crio.runtime.runtimes.";
	size_t n = strlen(text);

	memset(text + n, 'r', 300);
	strcpy(text + n + 300, "]\nruntime_path = 1\n");
	assert_int_equal(cs_crio_config_parse(&c, text, strlen(text), "b", &d), -EINVAL);
	assert_int_equal(strlen(d.field), sizeof(d.field) - 1);
	assert_string_equal(d.field + sizeof(d.field) - 4, "...");
}

/* Go's time.ParseDuration (lib/go-duration.c), at its edges. */
static void test_go_duration(void **state)
{
	static const char *const ok[] = {"0",
					 "-0",
					 "+0",
					 "1s",
					 "1.5h",
					 ".5s",
					 "5.s",
					 "1h2m3s4ms5us6ns",
					 "1\xc2\xb5s",
					 "1\xce\xbcs",
					 "-9223372036854775808ns",
					 "9223372036854775807ns",
					 "2562047h",
					 "0.000000000000000000001h"};
	static const char *const no[] = {"",
					 "+",
					 "-",
					 "1",
					 "00",
					 "1d",
					 ".s",
					 "-.s",
					 "1s2",
					 "1 s",
					 " 1s",
					 "1S",
					 "9223372036854775808ns",
					 "2562048h",
					 "9223372036854775807ns1ns",
					 "1..5s",
					 "1e3s"};

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!cs_go_duration_ok(ok[i], strlen(ok[i])))
			fail_msg("refused \"%s\"", ok[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (cs_go_duration_ok(no[i], strlen(no[i])))
			fail_msg("took \"%s\"", no[i]);
}

/* process.user.additionalGids, runtime by runtime (lib/runtime/cri-groups.c). */
static void groups_of(enum cs_cri_runtime rt, bool explicit_group, bool user_given,
		      const gid_t *want, size_t n_want)
{
	static const gid_t supp[] = {4000, 50};
	struct cs_image_groups m = {.known = true, .user = "app", .n = 3};
	struct cs_cri_request r = {.uid = 1000, .gid = 3, .groups = supp, .n_groups = 2};
	struct cs_oci_process o;
	struct cs_steps st;
	struct cs_diag d = {0};
	struct cs_cri_target t;

	m.gid[0] = 50, m.gid[1] = 1000, m.gid[2] = 10;
	m.own_name[1] = true; /* "app:x:1000:app" */
	r.fs_group_set = true;
	r.fs_group = 3000;
	r.members = &m;
	r.group_explicit = explicit_group;
	r.user_given = user_given;
	cs_cri_target_default(rt, &t);
	cs_steps_init(&st);
	assert_int_equal(cs_cri_merge_target(&t, NULL, &r, &o, &st, &d), 0);
	if (o.n_additional_gids != n_want)
		fail_msg("%s: %zu groups, want %zu", cs_cri_runtime_name(rt), o.n_additional_gids,
			 n_want);
	for (size_t i = 0; i < n_want; i++)
		if (o.additional_gids[i] != want[i])
			fail_msg("%s: group %zu is %u, want %u", cs_cri_runtime_name(rt), i,
				 (unsigned)o.additional_gids[i], (unsigned)want[i]);
	cs_steps_free(&st);
}

static void test_groups(void **state)
{
	/* containerd: sorted, unique, no group of the user's own name */
	static const gid_t ctrd[] = {3, 10, 50, 3000, 4000};
	/* CRI-O: the gid, every membership, supplementalGroups, fsGroup */
	static const gid_t crio[] = {3, 50, 1000, 10, 4000, 3000};
	/* Docker with "UID:GID": no memberships */
	static const gid_t dock_x[] = {3, 4000, 50, 3000};
	/* Podman: no fsGroup; no gid when no user was given */
	static const gid_t pod[] = {50, 1000, 10, 4000};
	static const gid_t pod_x[] = {3, 4000, 50};

	(void)state;
	groups_of(CS_CRI_CONTAINERD, true, true, ctrd, 5);
	groups_of(CS_CRI_CRIO, true, true, crio, 6);
	groups_of(CS_CRI_DOCKER, false, true, crio, 6);
	groups_of(CS_CRI_DOCKER, true, true, dock_x, 4);
	groups_of(CS_CRI_PODMAN, false, false, pod, 4);
	groups_of(CS_CRI_PODMAN, true, true, pod_x, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_crio),
	    cmocka_unit_test(test_containerd),
	    cmocka_unit_test(test_docker),
	    cmocka_unit_test(test_go_toupper),
	    cmocka_unit_test(test_docker_releases),
	    cmocka_unit_test(test_containerd_privileged),
	    cmocka_unit_test(test_podman),
	    cmocka_unit_test(test_target_parse),
	    cmocka_unit_test(test_crio_dropins),
	    cmocka_unit_test(test_crio_schema),
	    cmocka_unit_test(test_crio_startup),
	    cmocka_unit_test(test_crio_startup_runtimes_cut),
	    cmocka_unit_test(test_crio_startup_spellings),
	    cmocka_unit_test(test_crio_from_cut),
	    cmocka_unit_test(test_go_duration),
	    cmocka_unit_test(test_crio_dropin_walk),
	    cmocka_unit_test(test_crio_startup_caps),
	    cmocka_unit_test(test_crio_key_case),
	    cmocka_unit_test(test_crio_default_sysctls),
	    cmocka_unit_test(test_crio_sysctls_last_list),
	    cmocka_unit_test(test_crio_defaults_last_list),
	    cmocka_unit_test(test_crio_runtime_tables),
	    cmocka_unit_test(test_crio_etc_without_conf),
	    cmocka_unit_test(test_groups),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
