/* SPDX-License-Identifier: MIT */
/*
 * dockerd's daemon.json (lib/runtime/docker-config.c): every case below but
 * userns-remap (dockerd would add a dockremap user to /etc) was run against
 * Debian's dockerd 20.10.24 (state under a scratch directory,
 * --bridge=none --iptables=false); "starts" and "refuses" are what it did.
 */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "capscope/cri.h"

struct tcase {
	const char *text;
	int rc;		    /* 0: dockerd starts; -EINVAL: it does not; -ENOTSUP: not modelled */
	unsigned line, col; /* where the error points */
	const char *field;  /* the key named */
	bool nnp;	    /* rc 0: no-new-privileges read */
};

static const struct tcase cases[] = {
    {"{}", 0, 0, 0, NULL, false},
    {"null", 0, 0, 0, NULL, false},			    /* starts */
    {"{} x", 0, 0, 0, NULL, false},			    /* starts: the first value only */
    {"{\"no-new-privileges\": true}", 0, 0, 0, NULL, true}, /* NoNewPrivs 1 in containers */
    /* starts (Go keeps the last); refused here, as by every JSON reader of capscope */
    {"{\"no-new-privileges\": true, \"no-new-privileges\": false}", -EINVAL, 1, 29, "", false},
    {"{\"no-new-privileges\": null}", 0, 0, 0, NULL, false},
    {"{\n  \"debug\": true,\n  \"zzz\": 1\n}", -EINVAL, 3, 3, "zzz", false},
    {"{\"swarm-raft-heartbeat-tick\": 1}", -EINVAL, 1, 2, "swarm-raft-heartbeat-tick", false},
    {"{\"resolv-conf\": \"x\"}", -EINVAL, 1, 2, "resolv-conf", false},
    {"{\"D\": true}", -EINVAL, 1, 2, "D", false},
    {"{\"label\": {}}", 0, 0, 0, NULL, false},		       /* starts: flattened away */
    {"{\"label\": {\"zz\": 1}}", -EINVAL, 1, 12, "zz", false}, /* zz is a key */
    {"{\"no-new-privileges\": \"true\"}", -EINVAL, 1, 23, "no-new-privileges", false},
    {"{\"no-new-privileges\": 1}", -EINVAL, 1, 23, "no-new-privileges", false},
    {"{\"No-New-Privileges\": {}}", -EINVAL, 1, 23, "no-new-privileges", false},
    {"[]", -EINVAL, 0, 0, NULL, false},
    {"", -EINVAL, 0, 0, NULL, false},		    /* EOF */
    {"\xef\xbb\xbf{}", -EINVAL, 0, 0, NULL, false}, /* invalid character 'ï' */
    {"{\"runtimes\": {\"crun\": {\"path\": 3}}}", -EINVAL, 0, 0, NULL, false},
    {"{\"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"Hard\": 1, \"Soft\": 1}}}", 0, 0,
     0, NULL, false},
    {"{\"features\": {\"a\": 1}}", -EINVAL, 0, 0, NULL, false},
    {"{\"default-shm-size\": null}", -EINVAL, 1, 2, "default-shm-size", false},
    {"{\"host-gateway-ip\": \"1.2.3\"}", -EINVAL, 1, 2, "host-gateway-ip", false},
    {"{\"ip\": null}", 0, 0, 0, NULL, false},
    {"{\"userns-remap\": \"\"}", 0, 0, 0, NULL, false},
    {"{\"default-runtime\": \"runc\"}", 0, 0, 0, NULL, false},
    {"{\"default-runtime\": \"\"}", 0, 0, 0, NULL, false},
    {"{\"rootless\": false}", 0, 0, 0, NULL, false},
    /* config.Validate and the log level, after the decode */
    {"{\"labels\": [\"a=1\", null]}", -EINVAL, 1, 20, "labels", false},
    {"{\"labels\": [\"Com.Docker.x=1\"]}", -EINVAL, 1, 13, "labels", false},
    {"{\"max-download-attempts\": 0}", -EINVAL, 1, 27, "max-download-attempts", false},
    {"{\"max-concurrent-uploads\": 0}", 0, 0, 0, NULL, false},
    {"{\"runtimes\": {\"runc\": {\"path\": \"/usr/sbin/runc\"}}}", -EINVAL, 1, 15, "runc", false},
    {"{\"log-level\": \"bogus\"}", -EINVAL, 1, 15, "log-level", false},
    {"{\"log-level\": \"WARNING\"}", 0, 0, 0, NULL, false},
    /* exec-opts' cgroup driver, each run against dockerd 20.10.24
     * (sixteenth pass): the first native.cgroupdriver entry decides */
    {"{\"exec-opts\": [\"native.cgroupdriver=bogus\", \"native.cgroupdriver=cgroupfs\"]}", -EINVAL,
     1, 16, "exec-opts", false},
    {"{\"exec-opts\": [\"other=1\", \" NATIVE.cgroupdriver =Systemd\"]}", -EINVAL, 1, 27,
     "exec-opts", false},
    {"{\"exec-opts\": [\"native.cgroupdriver=none\"]}", -EINVAL, 1, 16, "exec-opts", false},
    {"{\"exec-opts\": [\"native.cgroupdriver=systemd\", \"native.cgroupdriver=bogus\"]}", 0, 0, 0,
     NULL, false},
    {"{\"exec-opts\": [\"noequals\", \"bogus=1\", \"native.cgroupdriver= cgroupfs\"]}", 0, 0, 0,
     NULL, false},
    {"{\"exec-opts\": [\"native.cgroupdriver=\"]}", 0, 0, 0, NULL, false},
    /* eighteenth pass, each run against dockerd 20.10.24. Go decodes every
     * key of a field (any case) in turn: the second one's type counts */
    {"{\"builder\": {\"GC\": {\"Enabled\": true}, \"gc\": {\"Enabled\": 1}}}", -EINVAL, 1, 57,
     "builder.GC.Enabled", false},
    {"{\"builder\": {\"GC\": {\"Enabled\": true}, \"gc\": {\"Enabled\": false}}}", 0, 0, 0, NULL,
     false},
    {"{\"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"name\": 5}}}", -EINVAL, 1, 59,
     "default-ulimits.nofile.Name", false},
    {"{\"runtimes\": {\"x\": {\"path\": \"/bin/true\", \"PATH\": 3}}}", -EINVAL, 1, 50,
     "runtimes.x.path", false},
    /* default-shm-size: go-units' grammar on the text as written */
    {"{\"default-shm-size\": \"64Q\"}", -EINVAL, 1, 2, "default-shm-size", false},
    {"{\"default-shm-size\": \" 64M\"}", -EINVAL, 1, 2, "default-shm-size", false},
    {"{\"default-shm-size\": \"1e3\"}", -EINVAL, 1, 2, "default-shm-size", false},
    {"{\"default-shm-size\": \"1.5.5g\"}", -EINVAL, 1, 2, "default-shm-size", false},
    {"{\"default-shm-size\": \"5.m\"}", -EINVAL, 1, 2, "default-shm-size", false},
    {"{\"default-shm-size\": \"6\\u0034M\"}", -EINVAL, 1, 2, "default-shm-size", false},
    {"{\"default-shm-size\": \"64 MiB\"}", 0, 0, 0, NULL, false},
    {"{\"default-shm-size\": \"0.5g\"}", 0, 0, 0, NULL, false},
    {"{\"default-shm-size\": \"99999999999999999999999g\"}", 0, 0, 0, NULL, false},
    /* config.Validate's platform modes, then verifyDaemonSettings */
    {"{\"default-ipc-mode\": \"host\"}", -EINVAL, 1, 22, "default-ipc-mode", false},
    {"{\"default-ipc-mode\": \"Private\"}", -EINVAL, 1, 22, "default-ipc-mode", false},
    {"{\"default-ipc-mode\": \"shareable\"}", 0, 0, 0, NULL, false},
    {"{\"default-cgroupns-mode\": \"HOST\"}", -EINVAL, 1, 27, "default-cgroupns-mode", false},
    {"{\"default-cgroupns-mode\": \"host\"}", 0, 0, 0, NULL, false},
    {"{\"default-ipc-mode\": \"x\", \"labels\": [\"nolabel\"]}", -EINVAL, 1, 38, "labels", false},
    {"{\"default-ipc-mode\": \"x\", \"log-level\": \"bogus\"}", -EINVAL, 1, 22, "default-ipc-mode",
     false},
    {"{\"containerd-namespace\": \"plugins.moby\"}", -EINVAL, 1, 26, "containerd-namespace", false},
    {"{\"bridge\": \"x\", \"bip\": \"1.2.3.4/24\"}", -EINVAL, 1, 24, "bip", false},
    {"{\"iptables\": false, \"icc\": false}", -EINVAL, 1, 28, "icc", false},
    {"{\"cgroup-parent\": \".slice\", \"exec-opts\": [\"native.cgroupdriver=systemd\"]}", -EINVAL,
     1, 19, "cgroup-parent", false},
    {"{\"cgroup-parent\": \"a.slice\", \"exec-opts\": [\"native.cgroupdriver=systemd\"]}", 0, 0, 0,
     NULL, false},
    {"{\"cgroup-parent\": \"bad\"}", 0, 0, 0, NULL, false}, /* cgroupfs on this (v1) host */
    /* dockerd starts with these; the model does not reach them */
    {"{\"userns-remap\": \"default\"}", -ENOTSUP, 1, 2, "userns-remap", false},
    {"{\"rootless\": true}", -ENOTSUP, 1, 2, "rootless", false},
    {"{\"default-runtime\": \"crun\", \"runtimes\": {\"crun\": {\"path\": \"/usr/bin/crun\"}}}",
     -ENOTSUP, 1, 2, "default-runtime", false},
    /* starts, and sets the flag from inside "x": refused, not guessed */
    {"{\"x\": {\"no-new-privileges\": \"true\"}}", -ENOTSUP, 1, 8, "no-new-privileges", false},
};

static void test_daemon_json(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *t = &cases[i];
		struct cs_docker_config c;
		struct cs_diag d = {0};
		int rc;

		cs_docker_config_default(&c);
		rc = cs_docker_config_parse(&c, t->text, strlen(t->text), "daemon.json", &d);
		if (rc != t->rc)
			fail_msg("case %zu (%s): rc %d, want %d (%s)", i, t->text, rc, t->rc,
				 d.message);
		if (rc == 0 && c.no_new_privs != t->nnp)
			fail_msg("case %zu (%s): no-new-privileges %d", i, t->text, c.no_new_privs);
		if (rc < 0 && strcmp(d.file, "daemon.json"))
			fail_msg("case %zu: file '%s'", i, d.file);
		if (rc < 0 && t->line && (d.line != t->line || d.column != t->col))
			fail_msg("case %zu (%s): at %u:%u, want %u:%u (%s)", i, t->text, d.line,
				 d.column, t->line, t->col, d.message);
		if (rc < 0 && t->field && strcmp(d.field, t->field))
			fail_msg("case %zu (%s): field '%s', want '%s'", i, t->text, d.field,
				 t->field);
		if (rc < 0 && !t->field && t->line)
			fail_msg("case %zu: no field", i);
		if (rc < 0 && c.no_new_privs)
			fail_msg("case %zu: a refused file was partly read", i);
	}
}

/* The model: daemon.json's no-new-privileges gives every container
 * noNewPrivileges, privileged ones too (parseSecurityOpt). */
static void test_daemon_nnp_merge(void **state)
{
	static const char *const none[] = {NULL};
	struct cs_docker_config c;
	struct cs_cri_target t;
	struct cs_oci_process o;
	struct cs_steps st;
	struct cs_diag d = {0};

	(void)state;
	cs_docker_config_default(&c);
	assert_int_equal(cs_docker_config_parse(&c, "{\"no-new-privileges\": true}", 27,
						"/etc/docker/daemon.json", &d),
			 0);
	for (int priv = 0; priv < 2; priv++) {
		struct cs_cri_request r = {.add = none, .drop = none, .uid = 1000, .gid = 1000};

		r.privileged = priv;
		cs_cri_target_default(CS_CRI_DOCKER, &t);
		cs_steps_init(&st);
		assert_int_equal(cs_cri_merge_target(&t, NULL, &r, &o, &st, &d), 0);
		assert_false(o.no_new_privileges); /* without the file: as before */
		cs_steps_free(&st);
		t.docker = &c;
		cs_steps_init(&st);
		assert_int_equal(cs_cri_merge_target(&t, NULL, &r, &o, &st, &d), 0);
		assert_true(o.no_new_privileges);
		assert_non_null(cs_steps_find(&st, "docker.daemon-no-new-privileges"));
		cs_steps_free(&st);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_daemon_json),
	    cmocka_unit_test(test_daemon_nnp_merge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
