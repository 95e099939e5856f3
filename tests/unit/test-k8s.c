/* SPDX-License-Identifier: MIT */
/* Manifest reading: kinds, merging of security contexts, hostile input. */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/k8s.h"

static int parse(struct cs_k8s_manifest *m, const char *y, struct cs_diag *d)
{
	cs_k8s_manifest_init(m);
	memset(d, 0, sizeof(*d));
	return cs_k8s_parse(m, y, strlen(y), "t.yaml", d);
}

static void test_pod_merge(void **state)
{
	struct cs_k8s_manifest m;
	struct cs_diag d;
	struct cs_k8s_sc sc;
	const char *y =
	    "apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: "
	    "{openshift.io/required-scc: anyuid}}\n"
	    "spec:\n  securityContext:\n    runAsUser: 1000\n    runAsNonRoot: true\n"
	    "    sysctls: [{name: net.ipv4.ip_unprivileged_port_start, value: \"80\"}]\n"
	    "    supplementalGroups: [5, 6]\n"
	    "  hostUsers: false\n"
	    "  initContainers: [{name: init, image: busybox}]\n"
	    "  containers:\n  - name: a\n    securityContext:\n      runAsUser: 0\n"
	    "      allowPrivilegeEscalation: false\n      capabilities: {add: [NET_BIND_SERVICE], "
	    "drop: [ALL]}\n  - name: b\n"
	    "  ephemeralContainers: [{name: dbg}]\n";
	(void)state;
	assert_int_equal(parse(&m, y, &d), 0);
	assert_int_equal(m.n_pods, 1);
	const struct cs_k8s_pod *p = &m.pods[0];
	assert_string_equal(p->required_scc, "anyuid");
	assert_int_equal(p->n_containers, 4);
	assert_int_equal(p->containers[0].kind, CS_CTR_INIT);
	assert_string_equal(p->containers[1].name, "a");
	assert_int_equal(p->containers[3].kind, CS_CTR_EPHEMERAL);
	assert_true(p->host_users.set && !p->host_users.v);
	assert_string_equal(cs_k8s_sysctl(p, "net.ipv4.ip_unprivileged_port_start"), "80");
	assert_int_equal(p->n_supplemental_groups, 2);
	cs_k8s_effective_sc(p, &p->containers[1], &sc);
	assert_int_equal(sc.run_as_user.v, 0);			     /* container wins */
	assert_true(sc.run_as_non_root.set && sc.run_as_non_root.v); /* from the pod */
	assert_true(sc.caps_set);
	assert_string_equal(sc.add.v[0], "NET_BIND_SERVICE");
	assert_string_equal(sc.drop.v[0], "ALL");
	cs_k8s_effective_sc(p, &p->containers[2], &sc);
	assert_int_equal(sc.run_as_user.v, 1000);
	assert_false(sc.caps_set);
	cs_k8s_manifest_free(&m);
}

static void test_kinds(void **state)
{
	struct cs_k8s_manifest m;
	struct cs_diag d;
	const char *y = "kind: Service\nmetadata: {name: s}\n---\n"
			"kind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n    "
			"  containers: [{name: c1}]\n"
			"---\nkind: CronJob\nmetadata: {name: cj}\nspec:\n  jobTemplate:\n    "
			"spec:\n      template:\n"
			"        spec:\n          containers: [{name: c2}]\n"
			"---\nkind: List\nitems:\n- kind: StatefulSet\n  metadata: {name: ss}\n  "
			"spec: {template: {spec: {containers: [{name: c3}]}}}\n"
			"- kind: DaemonSet\n  metadata: {name: ds}\n  spec: {template: {spec: "
			"{containers: [{name: c4}]}}}\n"
			"- kind: ReplicaSet\n  metadata: {name: rs}\n  spec: {template: {spec: "
			"{containers: [{name: c5}]}}}\n"
			"- kind: Job\n  metadata: {name: j}\n  spec: {template: {spec: "
			"{containers: [{name: c6}]}}}\n"
			"---\n{\"kind\": \"Pod\", \"metadata\": {\"name\": \"js\"}, \"spec\": "
			"{\"containers\": [{\"name\": \"c7\"}]}}\n";
	(void)state;
	assert_int_equal(parse(&m, y, &d), 0);
	assert_int_equal(m.n_pods, 7);
	assert_int_equal(m.n_skipped, 1);
	assert_string_equal(m.pods[1].kind, "CronJob");
	assert_string_equal(m.pods[1].containers[0].name, "c2");
	assert_string_equal(m.pods[6].containers[0].name, "c7");
	cs_k8s_manifest_free(&m);
}

/* OpenShift's DeploymentConfig runs its spec.template: a privileged one was
 * "0 object(s)" to lint (fifteenth pass); a custom group's is not read. */
static void test_deployment_config(void **state)
{
	struct cs_k8s_manifest m;
	struct cs_diag d;
	const char *y = "apiVersion: apps.openshift.io/v1\nkind: DeploymentConfig\n"
			"metadata: {name: dc}\nspec:\n  selector: {app: a}\n  template:\n"
			"    spec: {containers: [{name: a, securityContext: {privileged: true}}]}\n"
			"---\napiVersion: example.com/v1\nkind: DeploymentConfig\n"
			"spec: {template: {spec: {containers: [{name: b}]}}}\n";

	(void)state;
	assert_int_equal(parse(&m, y, &d), 0);
	assert_int_equal(m.n_pods, 1);
	assert_int_equal(m.n_skipped, 1);
	assert_string_equal(m.pods[0].kind, "DeploymentConfig");
	assert_true(m.pods[0].containers[0].sc.privileged.v);
	cs_k8s_manifest_free(&m);
}

static void expect_err(const char *y, unsigned line, const char *field, const char *msg)
{
	struct cs_k8s_manifest m;
	struct cs_diag d;

	assert_true(parse(&m, y, &d) < 0);
	if (line)
		assert_int_equal(d.line, line);
	if (field)
		assert_string_equal(d.field, field);
	if (msg && !strstr(d.message, msg)) {
		fprintf(stderr, "message: %s\n", d.message);
		fail();
	}
	assert_string_equal(d.file, "t.yaml");
	cs_k8s_manifest_free(&m);
}

/*
 * Seventeenth pass, part J: a key that is not a field of its object, as the
 * API server's strict decoding (kubectl's default) refuses it. Each was
 * read as absent: `SecurityContext: {privileged: true}` a plain container.
 */
static void test_unknown_fields(void **state)
{
	static const struct {
		const char *y, *field, *msg;
		unsigned line;
	} bad[] = {
	    {"kind: Pod\nspec:\n  containers:\n  - name: a\n    SecurityContext: {privileged: "
	     "true}\n",
	     "spec.containers[0].SecurityContext", "the API's is \"securityContext\"", 5},
	    {"kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n"
	     "      Capabilities: {add: [SYS_ADMIN]}\n",
	     "spec.containers[0].securityContext.Capabilities", "unknown field", 6},
	    {"kind: Pod\nspec:\n  securityContext: {runasuser: 0}\n  containers: [{name: a}]\n",
	     "spec.securityContext.runasuser", "the API's is \"runAsUser\"", 3},
	    {"kind: Pod\nspec:\n  securityContext: {privileged: true}\n  containers: [{name: "
	     "a}]\n",
	     "spec.securityContext.privileged", "unknown field", 3},
	    {"kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n"
	     "      capabilities: {add: [NET_ADMIN], Drop: [ALL]}\n",
	     "spec.containers[0].securityContext.capabilities.Drop", "the API's is \"drop\"", 6},
	    {"kind: Pod\nspec:\n  containers:\n  - name: a\n    privileged: true\n",
	     "spec.containers[0].privileged", "a field of a container's securityContext", 5},
	    {"kind: Pod\nspec:\n  containers:\n  - name: a\n    Privileged: true\n",
	     "spec.containers[0].Privileged", "not of this object", 5},
	    {"kind: Pod\nspec:\n  capabilities: {add: [SYS_ADMIN]}\n  containers: [{name: a}]\n",
	     "spec.capabilities", "not of this object", 3},
	    {"kind: Pod\nspec:\n  HostPID: true\n  containers: [{name: a}]\n", "spec.HostPID",
	     "the API's is \"hostPID\"", 3},
	    {"kind: Pod\nspec:\n  initcontainers: [{name: a, securityContext: {privileged: "
	     "true}}]\n  containers: [{name: b}]\n",
	     "spec.initcontainers", "the API's is \"initContainers\"", 3},
	    {"kind: Pod\nspec:\n  containers: [{name: a}]\n  ephemeralContainers:\n"
	     "  - {name: e, SecurityContext: {privileged: true}}\n",
	     "spec.ephemeralContainers[0].SecurityContext", "unknown field", 5},
	    {"kind: Pod\nspec:\n  securityContext:\n    seLinuxOptions: {Type: spc_t}\n"
	     "  containers: [{name: a}]\n",
	     "spec.securityContext.seLinuxOptions.Type", "the API's is \"type\"", 4},
	    {"kind: Pod\nspec:\n  securityContext:\n    seccompProfile: {type: Localhost, "
	     "localhostprofile: a.json}\n  containers: [{name: a}]\n",
	     "spec.securityContext.seccompProfile.localhostprofile", "unknown field", 4},
	    {"kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n"
	     "      appArmorProfile: {Type: Unconfined}\n",
	     "spec.containers[0].securityContext.appArmorProfile.Type", "unknown field", 6},
	    {"kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n"
	     "      windowsOptions: {HostProcess: true}\n",
	     "spec.containers[0].securityContext.windowsOptions.HostProcess", "unknown field", 6},
	    {"kind: Pod\nspec:\n  securityContext:\n    sysctls: [{name: kernel.shm_rmid_forced, "
	     "value: '1', Value: '0'}]\n  containers: [{name: a}]\n",
	     "spec.securityContext.sysctls.Value", "unknown field", 4},
	    {"kind: Pod\nspec:\n  os: {Name: linux}\n  containers: [{name: a}]\n", "spec.os.Name",
	     "unknown field", 3},
	    {"apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    Spec: {}\n"
	     "    spec: {containers: [{name: a}]}\n",
	     "spec.template.Spec", "unknown field", 5},
	    {"apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    Metadata: {}\n"
	     "    spec: {template: {spec: {containers: [{name: a}]}}}\n",
	     "spec.jobTemplate.Metadata", "the API's is \"metadata\"", 5},
	    {"apiVersion: security.openshift.io/v1\nkind: SecurityContextConstraints\n"
	     "metadata: {name: s}\nallowPrivilegedContainers: true\n",
	     "allowPrivilegedContainers", "unknown field", 4},
	    {"apiVersion: security.openshift.io/v1\nkind: SecurityContextConstraints\n"
	     "metadata: {name: s}\nrunAsUser: {type: RunAsAny, UID: 0}\n",
	     "runAsUser.UID", "unknown field", 4},
	    /* restartPolicy: Always only, on init containers only */
	    {"kind: Pod\nspec:\n  initContainers: [{name: i, restartPolicy: OnFailure}]\n"
	     "  containers: [{name: a}]\n",
	     "spec.initContainers[0].restartPolicy", "Unsupported value \"OnFailure\"", 3},
	    {"kind: Pod\nspec:\n  containers: [{name: a, restartPolicy: Always}]\n",
	     "spec.containers[0].restartPolicy", "non-init containers", 3},
	    {"kind: Pod\nspec:\n  containers: [{name: a}]\n  ephemeralContainers: [{name: e, "
	     "restartPolicy: Always}]\n",
	     "spec.ephemeralContainers[0].restartPolicy", "non-init containers", 4},
	};
	struct cs_k8s_manifest m;
	struct cs_diag d;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_err(bad[i].y, bad[i].line, bad[i].field, bad[i].msg);
	/* the fields as written, a sidecar and the fields capscope does not
	 * model (volumes, probes, resources) are read */
	assert_int_equal(parse(&m,
			       "kind: Pod\nspec:\n  volumes: [{name: v, emptyDir: {}}]\n"
			       "  initContainers: [{name: s, restartPolicy: Always}]\n"
			       "  securityContext: {runAsUser: 1000, seLinuxOptions: {level: "
			       "'s0:c1'}}\n"
			       "  containers:\n  - name: a\n    resources: {limits: {cpu: 1}}\n"
			       "    livenessProbe: {exec: {command: [true]}}\n"
			       "    securityContext: {capabilities: {drop: [ALL]}, seccompProfile: "
			       "{type: RuntimeDefault}}\n",
			       &d),
			 0);
	assert_int_equal(m.pods[0].n_containers, 2);
	cs_k8s_manifest_free(&m);
}

/*
 * Session 18: the pod spec, containers, metadata, a workload's spec and the
 * object itself are checked whole; CS_K8S_VALIDATE_WARN reads a key that is
 * no 1.32 field as absent and records it (kept up to CS_K8S_UNKNOWN_KEPT).
 */
static void test_unknown_fields_whole(void **state)
{
	static const struct {
		const char *y, *field, *msg;
		unsigned line;
	} bad[] = {
	    {"kind: Pod\nspec:\n  containers:\n  - name: a\n    volumeMount: []\n",
	     "spec.containers[0].volumeMount", "not a field of a container in Kubernetes 1.32", 5},
	    {"kind: Pod\nspec:\n  foo: 1\n  containers: [{name: a}]\n", "spec.foo",
	     "not a field of a pod spec", 3},
	    {"kind: Pod\nspec:\n  containers: [{name: a}]\n  ephemeralContainers: [{name: e, "
	     "targetContainer: a}]\n",
	     "spec.ephemeralContainers[0].targetContainer", "not a field of a container", 4},
	    {"kind: Pod\nmetadata: {name: p, label: {}}\nspec: {containers: [{name: a}]}\n",
	     "metadata.label", "not a field of metadata", 2},
	    {"kind: Pod\nfoo: 1\nspec: {containers: [{name: a}]}\n", "foo",
	     "not a field of a workload or Pod", 2},
	    {"apiVersion: apps/v1\nkind: Deployment\nspec:\n  replica: 2\n  template:\n"
	     "    spec: {containers: [{name: a}]}\n",
	     "spec.replica", "not a field of a Deployment's spec", 4},
	    {"apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    metadata: {foo: "
	     "1}\n    spec: {containers: [{name: a}]}\n",
	     "spec.template.metadata.foo", "not a field of metadata", 5},
	    {"apiVersion: batch/v1\nkind: Job\nspec:\n  backofLimit: 1\n  template:\n"
	     "    spec: {containers: [{name: a}]}\n",
	     "spec.backofLimit", "not a field of a Job's spec", 4},
	    {"apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    metadata: {x: 1}\n"
	     "    spec: {template: {spec: {containers: [{name: a}]}}}\n",
	     "spec.jobTemplate.metadata.x", "not a field of metadata", 5},
	    {"apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n"
	     "      schedule: x\n      template: {spec: {containers: [{name: a}]}}\n",
	     "spec.jobTemplate.spec.schedule", "not a field of a Job's spec", 6},
	    {"apiVersion: apps/v1\nkind: StatefulSet\nspec:\n  strategy: {}\n  template:\n"
	     "    spec: {containers: [{name: a}]}\n",
	     "spec.strategy", "not a field of a StatefulSet's spec", 4},
	    {"apiVersion: v1\nkind: ReplicationController\nspec:\n  templateRef: {}\n"
	     "  template:\n    spec: {containers: [{name: a}]}\n",
	     "spec.templateRef", "not a field of a ReplicationController's spec", 4},
	    {"apiVersion: security.openshift.io/v1\nkind: SecurityContextConstraints\n"
	     "metadata: {name: s, labelz: {}}\n",
	     "metadata.labelz", "not a field of metadata", 3},
	};
	static const char warn[] = "kind: Pod\nmetadata: {name: p, x: 1}\nspec:\n  foo: 1\n"
				   "  SecurityContext: {}\n  containers: [{name: a, bar: 2}]\n";
	static const char warn2[] = "kind: Pod\nmetadata: {name: p, x: 1}\nspec:\n  foo: 1\n"
				    "  containers: [{name: a, bar: 2}]\n";
	struct cs_k8s_manifest m;
	struct cs_diag d;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_err(bad[i].y, bad[i].line, bad[i].field, bad[i].msg);
	/* warn: the unknown keys recorded, in order; another case still refused */
	cs_k8s_manifest_init(&m);
	m.validate = CS_K8S_VALIDATE_WARN;
	memset(&d, 0, sizeof(d));
	assert_int_equal(cs_k8s_parse(&m, warn, sizeof(warn) - 1, "t.yaml", &d), -EINVAL);
	assert_string_equal(d.field, "spec.SecurityContext");
	cs_k8s_manifest_free(&m);
	cs_k8s_manifest_init(&m);
	m.validate = CS_K8S_VALIDATE_WARN;
	assert_int_equal(cs_k8s_parse(&m, warn2, sizeof(warn2) - 1, "t.yaml", &d), 0);
	assert_int_equal(m.n_pods, 1);
	assert_int_equal(m.n_unknown, 3);
	assert_int_equal(m.n_unknown_total, 3);
	assert_string_equal(m.unknown[2].field, "spec.containers[0].bar");
	assert_string_equal(m.unknown[0].field, "metadata.x");
	assert_int_equal(m.unknown[0].pos.line, 2);
	assert_string_equal(m.unknown[1].field, "spec.foo");
	assert_string_equal(m.unknown[1].object, "a pod spec");
	assert_string_equal(m.unknown[1].file, "t.yaml");
	cs_k8s_manifest_free(&m);
	/* a container of 300 unknown keys: 100 kept, 300 counted */
	{
		char *y = malloc(300 * 16 + 64), *p = y;

		assert_non_null(y);
		p += sprintf(p, "kind: Pod\nspec:\n  containers:\n  - name: a\n");
		for (int i = 0; i < 300; i++)
			p += sprintf(p, "    k%d: 1\n", i);
		cs_k8s_manifest_init(&m);
		m.validate = CS_K8S_VALIDATE_WARN;
		assert_int_equal(cs_k8s_parse(&m, y, (size_t)(p - y), "t.yaml", &d), 0);
		assert_int_equal(m.n_unknown, CS_K8S_UNKNOWN_KEPT);
		assert_int_equal(m.n_unknown_total, 300);
		assert_string_equal(m.unknown[99].field, "spec.containers[0].k99");
		cs_k8s_manifest_free(&m);
		free(y);
	}
}

/* UTF-8 text as UTF-16 (le or be) with its byte order mark, into out. */
static size_t to_utf16(const char *u8, bool le, unsigned char *out)
{
	const unsigned char *p = (const unsigned char *)u8;
	size_t n = 0;

	out[n++] = le ? 0xff : 0xfe;
	out[n++] = le ? 0xfe : 0xff;
	while (*p) {
		uint32_t c = *p++;
		int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

		c &= more == 3 ? 0x07 : more == 2 ? 0x0f : more == 1 ? 0x1f : 0x7f;
		while (more--)
			c = c << 6 | (*p++ & 0x3f);
		uint32_t u[2] = {c, 0};
		int k = 1;

		if (c >= 0x10000)
			u[0] = 0xd800 + ((c - 0x10000) >> 10), u[1] = 0xdc00 + (c & 0x3ff), k = 2;
		for (int j = 0; j < k; j++) {
			out[n++] = (unsigned char)(le ? u[j] & 0xff : u[j] >> 8);
			out[n++] = (unsigned char)(le ? u[j] >> 8 : u[j] & 0xff);
		}
	}
	return n;
}

static int parse_bytes(struct cs_k8s_manifest *m, const unsigned char *b, size_t n,
		       struct cs_diag *d)
{
	cs_k8s_manifest_init(m);
	memset(d, 0, sizeof(*d));
	return cs_k8s_parse(m, (const char *)b, n, "t.yaml", d);
}

/*
 * kubectl -f converts a file that starts with a UTF-16 byte order mark
 * (cli-runtime, unicode.BOMOverride) and creates what it holds: capscope
 * refused it (fifteenth pass); it reads it (second round), with every
 * position the file's own, and refuses what x/text would silently read as
 * U+FFFD (checked against kubectl 1.32) at its line and column.
 */
static void test_utf16(void **state)
{
	const char *pod =
	    "apiVersion: v1\nkind: Pod\nmetadata: {name: \xc3\xa9v\xf0\x9f\x98\x80l}\n"
	    "spec:\n  containers:\n  - name: a\n    securityContext: {privileged: true}\n";
	/* an error after an é and an emoji on its line: the same line and
	 * column (characters) as the UTF-8 text says */
	const char *bad = "kind: Pod\nmetadata: {name: \xc3\xa9\xf0\x9f\x98\x80, name: b}\n";
	unsigned char b[1024];
	struct cs_k8s_manifest m;
	struct cs_diag d, d8;
	size_t n;

	(void)state;
	for (int le = 0; le < 2; le++) {
		n = to_utf16(pod, le, b);
		assert_int_equal(parse_bytes(&m, b, n, &d), 0);
		assert_int_equal(m.n_pods, 1);
		assert_string_equal(m.pods[0].name, "\xc3\xa9v\xf0\x9f\x98\x80l");
		assert_true(m.pods[0].containers[0].sc.privileged.v);
		cs_k8s_manifest_free(&m);
		assert_true(parse(&m, bad, &d8) < 0);
		cs_k8s_manifest_free(&m);
		n = to_utf16(bad, le, b);
		assert_true(parse_bytes(&m, b, n, &d) < 0);
		assert_int_equal(d.line, d8.line);
		assert_int_equal(d.column, d8.column);
		assert_int_not_equal(d.column, 0);
		assert_string_equal(d.message, d8.message);
		cs_k8s_manifest_free(&m);
	}
	/* a byte order mark alone: an empty file */
	assert_int_equal(parse_bytes(&m, (const unsigned char *)"\xff\xfe", 2, &d), 0);
	assert_int_equal(m.n_pods, 0);
	cs_k8s_manifest_free(&m);
	/* lone surrogates (a high one before a letter, a low one, a high one
	 * at the end) and an odd last byte: refused at line 2, column 4 */
	static const struct {
		const char *tail;
		size_t n;
		const char *msg;
	} lone[] = {
	    {"\x00\xd8"
	     "b\x00",
	     4, "a lone UTF-16 surrogate"},
	    {"\x00\xdc", 2, "a lone UTF-16 surrogate"},
	    {"\x00\xd8", 2, "a lone UTF-16 surrogate"},
	    {"\x00\xdc\x00\xd8", 4, "a lone UTF-16 surrogate"},
	    {"b", 1, "an odd number of bytes"},
	};
	for (size_t i = 0; i < sizeof(lone) / sizeof(lone[0]); i++) {
		n = to_utf16("kind: Pod\n# a", true, b);
		memcpy(b + n, lone[i].tail, lone[i].n);
		assert_true(parse_bytes(&m, b, n + lone[i].n, &d) < 0);
		assert_int_equal(d.line, 2);
		assert_int_equal(d.column, 4);
		assert_string_equal(d.file, "t.yaml");
		if (!strstr(d.message, lone[i].msg)) {
			fprintf(stderr, "message: %s\n", d.message);
			fail();
		}
		cs_k8s_manifest_free(&m);
	}
	/* a pair is one character: read */
	n = to_utf16("apiVersion: v1\nkind: List\nitems: []\n# a", true, b);
	memcpy(b + n, "\x3d\xd8\x00\xde", 4);
	assert_int_equal(parse_bytes(&m, b, n + 4, &d), 0);
	cs_k8s_manifest_free(&m);
}

/*
 * kubectl reads a document with an `items` key as a list, whatever its
 * kind, and sends the items, not the document (kubectl 1.32, `label
 * --local -o json`): a harmless Pod holding a privileged one in `items`
 * was read as the harmless one (fifteenth pass).
 */
static void test_items_make_a_list(void **state)
{
	struct cs_k8s_manifest m;
	struct cs_diag d;
	const char *item =
	    "- apiVersion: v1\n  kind: Pod\n  metadata: {name: evil}\n"
	    "  spec: {containers: [{name: b, securityContext: {privileged: true}}]}\n";
	const char *heads[] = {
	    "apiVersion: v1\nkind: Pod\nmetadata: {name: benign}\n"
	    "spec: {containers: [{name: a}]}\nitems:\n",
	    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
	    "spec: {template: {spec: {containers: [{name: a}]}}}\nitems:\n",
	    /* the list's apiVersion maps nothing: kubectl does not check it */
	    "apiVersion: apps/v1\nkind: Pod\nitems:\n",
	};
	char y[512];

	(void)state;
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		snprintf(y, sizeof(y), "%s%s", heads[i], item);
		assert_int_equal(parse(&m, y, &d), 0);
		assert_int_equal(m.n_pods, 1);
		assert_string_equal(m.pods[0].name, "evil");
		assert_true(m.pods[0].containers[0].sc.privileged.v);
		cs_k8s_manifest_free(&m);
	}
	/* items: null, ~ or [] is a list of none: kubectl sends nothing */
	assert_int_equal(parse(&m, "kind: Pod\nspec: {containers: [{name: a}]}\nitems:\n", &d), 0);
	assert_int_equal(m.n_pods, 0);
	cs_k8s_manifest_free(&m);
	assert_int_equal(parse(&m, "kind: Pod\nspec: {containers: [{name: a}]}\nitems: []\n", &d),
			 0);
	assert_int_equal(m.n_pods, 0);
	cs_k8s_manifest_free(&m);
	/* in an item, items that is not a sequence is a key of the object: not
	 * a field of a Pod, refused as kubectl's strict validation refuses it
	 * (session 18), read as absent under warn */
	{
		static const char in_item[] = "kind: List\nitems:\n- kind: Pod\n  spec: "
					      "{containers: [{name: a}]}\n  items:\n";

		assert_int_equal(parse(&m, in_item, &d), -EINVAL);
		assert_string_equal(d.field, "items");
		assert_int_equal(d.line, 5);
		cs_k8s_manifest_free(&m);
		cs_k8s_manifest_init(&m);
		m.validate = CS_K8S_VALIDATE_WARN;
		assert_int_equal(cs_k8s_parse(&m, in_item, sizeof(in_item) - 1, "t.yaml", &d), 0);
		assert_int_equal(m.n_pods, 1);
		assert_int_equal(m.n_unknown, 1);
		cs_k8s_manifest_free(&m);
	}
	/* an item with neither kind nor apiVersion is typed by its list, "List"
	 * cut off (kubectl creates it): it was refused as an item kubectl
	 * refuses (fifteenth pass, second round) */
	{
		/* a pod's spec, or a workload's (each object checked whole) */
		const char *pod = "metadata: {name: evil}\n"
				  "  spec: {containers: [{name: b, securityContext: {privileged: "
				  "true}}]}\n";
		const char *ds = "metadata: {name: evil}\n"
				 "  spec: {template: {spec: {containers: [{name: b, "
				 "securityContext: {privileged: true}}]}}}\n";
		const char *typed[][3] = {
		    {"apiVersion: v1\nkind: PodList\nitems:\n- ", "Pod", pod},
		    {"apiVersion: v1\nkind: Pod\nspec: {containers: [{name: a}]}\nitems:\n- ",
		     "Pod", pod},
		    {"apiVersion: v1\nkind: PodList\nitems:\n- kind: ''\n  apiVersion: ~\n  ",
		     "Pod", pod},
		    {"apiVersion: apps/v1\nkind: DaemonSetList\nitems:\n- ", "DaemonSet", ds},
		};

		for (size_t i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
			snprintf(y, sizeof(y), "%s%s", typed[i][0], typed[i][2]);
			assert_int_equal(parse(&m, y, &d), 0);
			assert_int_equal(m.n_pods, 1);
			assert_string_equal(m.pods[0].name, "evil");
			assert_string_equal(m.pods[0].kind, typed[i][1]);
			assert_true(m.pods[0].containers[0].sc.privileged.v);
			cs_k8s_manifest_free(&m);
		}
	}
}

/* Sixteenth pass (the fifteenth's open find, part R): go-yaml refuses a
 * character outside YAML's printable set anywhere in a piece it reads,
 * comments too (kubectl: "control characters are not allowed"); libfyaml
 * read them all and a pod kubectl never creates was predicted. */
static void test_go_yaml_controls(void **state)
{
	static const struct {
		const char *y;
		unsigned line, column;
	} bad[] = {
	    {"kind: Pod\n# c\xc2\x80\n", 2, 4},
	    {"kind: Pod\n# c\xc2\x9b[31m\n", 2, 4},
	    {"kind: Pod\nmetadata: {name: \"a\x01\"}\n", 2, 20},
	    {"kind: Pod\nmetadata: {name: a\x7f}\n", 2, 19},
	    {"kind: Pod\nmetadata: {name: a\xef\xbf\xbe}\n", 2, 19},
	    {"kind: Pod\nmetadata: {name: a\xef\xbf\xbf}\n", 2, 19},
	    {"--- # \x01\nkind: Pod\n", 1, 7},
	    {"kind: Pod\n# x\xc2\x85\xc2\x80\n", 3, 1},
	    {"kind: Pod\r\n# x\r\n\x1b\r\n", 3, 1},
	    {"kind: Pod\nspec: {containers: [{name: a}]}\n---\n{\"kind\": \"Pod\", \"x\": "
	     "\"\xc2\x80\",\n",
	     4, 23},
	};
	/* each a pod libfyaml reads whole with this after it */
	static const char spec[] = "spec: {containers: [{name: a}]}\n",
			  json_spec[] = "\"spec\": {\"containers\": [{\"name\": \"a\"}]}}\n";
	char y[256];
	struct cs_k8s_manifest m;
	struct cs_diag d;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(y, sizeof(y), "%s%s", bad[i].y,
			 strstr(bad[i].y, "{\"") ? json_spec : spec);
		assert_int_equal(parse(&m, y, &d), -EINVAL);
		assert_int_equal(d.line, bad[i].line);
		assert_int_equal(d.column, bad[i].column);
		assert_non_null(strstr(d.message, "control characters are not allowed"));
		cs_k8s_manifest_free(&m);
	}
	/* a "---" line the splitter drops never reaches go-yaml; Go's JSON
	 * decoder takes C1, DEL and U+FFFE in a string; NEL, NBSP, U+E000,
	 * U+1FFFE and tab are printable */
	assert_int_equal(parse(&m,
			       "kind: Pod\nspec: {containers: [{name: a}]}\n--- # \x01\n"
			       "kind: Pod\nspec: {containers: [{name: b}]}\n",
			       &d),
			 0);
	assert_int_equal(m.n_pods, 2);
	cs_k8s_manifest_free(&m);
	assert_int_equal(
	    parse(&m,
		  "{\"kind\": \"Pod\", \"metadata\": {\"name\": \"a\xc2\x80\x7f\xef\xbf\xbe\"},"
		  " \"spec\": {\"containers\": [{\"name\": \"c\"}]}}\n",
		  &d),
	    0);
	cs_k8s_manifest_free(&m);
	assert_int_equal(parse(&m,
			       "kind: Pod\n# \xc2\xa0 \xee\x80\x80 \xf0\x9f\xbf\xbe\t\xc2\x85\n"
			       "spec: {containers: [{name: a}]}\n",
			       &d),
			 0);
	cs_k8s_manifest_free(&m);
}

/* Twenty-first pass, part H: a tab where go-yaml's scanner expects the
 * next token (a line's start, a blank line, after '-' or '?' in block
 * context, left of a plain scalar's indentation on the lines after it):
 * kubectl 1.32 refuses the file ("found character that cannot start any
 * token", "... violates indentation"), libfyaml read the tab as white
 * space and the pod was predicted. Each case was run through kubectl label
 * --local. */
static void test_go_yaml_tabs(void **state)
{
	static const struct {
		const char *y;
		unsigned line, column;
	} bad[] = {
	    {"kind: Pod\nspec:\n  containers:\n  -\tname: a\n", 4, 4},
	    {"kind: Pod\nspec:\n  containers:\n  - \tname: a\n", 4, 5},
	    {"kind: Pod\nspec:\n  containers:\n  - name: a\n    command:\n    -\tx\n", 6, 6},
	    {"kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n     \t\n"
	     "      privileged: true\n",
	     6, 6},
	    {"kind: Pod\nspec:\n  containers:\n  - name: a\n    args:\n    - - \tx\n", 6, 9},
	    /* left of a plain scalar's indentation, on a line after it */
	    {"kind: Pod\nspec:\n  containers:\n  - name: a\n    args:\n    - x\n    \t# c\n", 7, 5},
	};
	/* kubectl reads these: a tab after a simple key's ':', in flow
	 * context, after a scalar or "---", in a block scalar's text */
	static const char *const good[] = {
	    "kind: Pod\nspec:\n  containers:\n  - name:\ta\n",
	    "kind: Pod\nspec:\n  containers:\n  - name: a\t# c\n    args: [x,\tz]\n",
	    "---\t\nkind: Pod\nspec:\n  containers:\n  - {\tname: a}\n",
	    ("kind: Pod\nspec:\n  containers:\n  - name: a\n    args:\n    - |\n"
	     "      x\n      \ty\n"),
	    "kind: Pod\nspec:\n  containers:\n  - name: a\n    args:\n    - \"x\"\t\n",
	    /* inside the plain scalar's indentation: its scanner eats it */
	    "kind: Pod\nspec:\n  containers:\n  - name: a\n    args:\n    - x\n      \t# c\n",
	};
	struct cs_k8s_manifest m;
	struct cs_diag d;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(&m, bad[i].y, &d), -EINVAL);
		assert_int_equal(d.line, bad[i].line);
		assert_int_equal(d.column, bad[i].column);
		assert_non_null(strstr(d.message, "a tab where go-yaml takes no white space"));
		cs_k8s_manifest_free(&m);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(parse(&m, good[i], &d), 0);
		assert_int_equal(m.n_pods, 1);
		cs_k8s_manifest_free(&m);
	}
}

static void test_hostile(void **state)
{
	(void)state;
	/* An empty collection of the wrong kind is named at its '[' or '{'
	 * (eleventh pass: it had no line, having no first scalar). */
	expect_err("kind: Pod\nspec: []\n", 2, "spec", "expected a mapping");
	/* kubectl refuses a list inside a list ("is not a list") and an empty
	 * kind ("Object 'Kind' is missing"); both were read (fifteenth pass) */
	expect_err("kind: List\nitems:\n- kind: List\n  items:\n  - kind: Pod\n"
		   "    spec: {containers: [{name: a}]}\n",
		   5, "items[0].items", "a list inside a list");
	expect_err("kind: Pod\nitems: [{kind: Pod, spec: {containers: [{name: a}]}, items: []}]\n",
		   2, "items[0].items", "a list inside a list");
	expect_err("kind: \"\"\nspec: {containers: [{name: a}]}\n", 1, "kind", "no kind");
	expect_err("kind: Pod\nitems: {}\n", 2, "items", "expected a list");
	/* an untyped item of a List (no kind to take), or with an apiVersion
	 * of its own: kubectl refuses it; a typed list's apiVersion that
	 * serves not its item's kind: refused at the list's apiVersion */
	expect_err("apiVersion: v1\nkind: List\nitems:\n- spec: {}\n", 4, "items[0].kind",
		   "an item without a kind");
	expect_err("apiVersion: v1\nkind: PodList\nitems:\n- {apiVersion: v1, spec: {}}\n", 4,
		   "items[0].kind", "an item without a kind");
	expect_err("apiVersion: apps/v1\nkind: PodList\nitems:\n- spec: {}\n", 1, "apiVersion",
		   "'apps/v1' serves no Pod");
	/* The kind under an apiVersion that serves none (eleventh pass: the
	 * apiVersion was never read): refused at its line, as kubectl does. */
	expect_err("kind: Pod\napiVersion: apps/v1\nspec: {}\n", 2, "apiVersion",
		   "'apps/v1' serves no Pod");
	expect_err("apiVersion: batch/v1\nkind: DaemonSet\n", 1, "apiVersion",
		   "serves no DaemonSet");
	expect_err("apiVersion: ''\nkind: Pod\n", 1, "apiVersion", "empty");
	expect_err("apiVersion: x.openshift.io/v1\nkind: Job\n", 1, "apiVersion", "serves no Job");
	/* an integer past 64 bits is named so, not "expected an integer"
	 * (session 17, part F); a word is still that */
	expect_err("kind: Pod\nspec:\n  securityContext: {runAsUser: 9223372036854775808}\n"
		   "  containers: [{name: a}]\n",
		   3, "spec.securityContext.runAsUser",
		   "'9223372036854775808' is beyond a 64-bit integer");
	expect_err("kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n"
		   "      runAsGroup: -9223372036854775809\n",
		   6, "spec.containers[0].securityContext.runAsGroup", "beyond a 64-bit integer");
	expect_err("kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n"
		   "      runAsGroup: 1:2\n",
		   6, "spec.containers[0].securityContext.runAsGroup", "expected an integer, got");
	/* a kind read here but for case or blanks, in a built-in group or with
	 * no apiVersion: kubectl finds no such kind; it was skipped as of no
	 * interest, lint exit 0 (session 17, part F) */
	expect_err("apiVersion: v1\nkind: pod\nspec: {containers: [{name: a}]}\n", 2, "kind",
		   "'pod' is not Pod");
	expect_err("apiVersion: apps/v1\nkind: DEPLOYMENT\n", 2, "kind", "is not Deployment");
	expect_err("kind: \"Pod \"\n", 1, "kind", "'Pod ' is not Pod");
	expect_err("apiVersion: v1\nkind: podList\nitems:\n- spec: {}\n", 2, "kind",
		   "'podList' makes its items 'pod', not Pod");
	expect_err("apiVersion: security.openshift.io/v1\nkind: SecurityContextconstraints\n", 2,
		   "kind", "is not SecurityContextConstraints");
	{
		/* another group's kind of that spelling, and other kinds: skipped */
		struct cs_k8s_manifest m;
		struct cs_diag d;

		assert_int_equal(parse(&m,
				       "apiVersion: example.com/v1\nkind: pod\n---\n"
				       "apiVersion: v1\nkind: Service\n---\n"
				       "apiVersion: v1\nkind: PodTemplate\n",
				       &d),
				 0);
		assert_int_equal(m.n_skipped, 3);
		cs_k8s_manifest_free(&m);
	}
	{
		/* a custom resource of another group is no workload: skipped */
		struct cs_k8s_manifest m;
		struct cs_diag d;
		static const char cr[] =
		    "apiVersion: example.com/v1\nkind: Deployment\nspec:\n  template:\n"
		    "    spec:\n      containers: [{name: c, securityContext: {privileged: "
		    "true}}]\n"
		    "---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n"
		    "    spec:\n      containers: [{name: c}]\n";

		assert_int_equal(parse(&m, cr, &d), 0);
		assert_int_equal(m.n_pods, 1);
		assert_int_equal(m.n_skipped, 1);
		cs_k8s_manifest_free(&m);
	}
	expect_err("kind: Pod\nspec:\n  containers: {}\n", 3, "spec.containers", "expected a list");
	/* `no` is a boolean to Kubernetes' YAML 1.1 reader, not a capability. */
	expect_err("kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n"
		   "      capabilities:\n        add: [NET_ADMIN, no]\n",
		   7, "spec.containers[0].securityContext.capabilities.add[1]", "boolean");
	expect_err("kind: Pod\nspec:\n  containers:\n  - name: on\n", 4, "spec.containers[0].name",
		   "boolean");
	expect_err("kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n"
		   "      runAsUser: \"0\"\n",
		   6, "spec.containers[0].securityContext.runAsUser", "integer");
	expect_err("kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n"
		   "      privileged: maybe\n",
		   6, NULL, "boolean");
	/* duplicate keys: libfyaml refuses them */
	expect_err("kind: Pod\nkind: Pod\nspec: {}\n", 0, NULL, "YAML");
	/* an alias bomb stops at the node budget */
	{
		char *b = malloc(1 << 16);
		size_t n = 0;

		n += (size_t)sprintf(b + n, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
		for (int i = 1; i < 9; i++)
			n += (size_t)sprintf(
			    b + n,
			    "a%d: &a%d [*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d]\n", i, i,
			    i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
		n += (size_t)sprintf(b + n, "kind: Pod\nspec:\n  containers:\n  - name: a\n"
					    "    command: *a8\n");
		/* command items are strings, the bomb is below: a list of lists is a type
		 * error before the budget; the volumes path walks every node. */
		expect_err(b, 0, NULL, NULL);
		n = 0;
		n += (size_t)sprintf(b + n, "a0: &a0 {name: v, emptyDir: {}}\n");
		for (int i = 1; i < 7; i++)
			n += (size_t)sprintf(
			    b + n,
			    "a%d: &a%d [*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d]\n", i, i,
			    i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
		n += (size_t)sprintf(
		    b + n,
		    "kind: List\nitems: [*a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6]\n");
		(void)n;
		expect_err(b, 0, NULL, NULL);
		free(b);
	}
	/* deep nesting */
	{
		char *b = malloc(20000);
		size_t n = (size_t)sprintf(b, "kind: Pod\nspec: ");

		for (int i = 0; i < 5000; i++)
			b[n++] = '[';
		b[n] = '\0';
		expect_err(b, 0, NULL, NULL);
		free(b);
	}
	expect_err("kind: Pod\nspec:\n  containers:\n  - image: x\n", 4, "spec.containers[0].name",
		   "no name");
	/* Names shared across initContainers, containers and ephemeralContainers:
	 * the API server refuses the pod ("Duplicate value"), the later one named. */
	expect_err("kind: Pod\nspec:\n  initContainers:\n  - name: c\n  containers:\n"
		   "  - name: d\n  - name: c\n",
		   7, "spec.containers[1].name", "Duplicate value \"c\"");
	expect_err("kind: Deployment\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n"
		   "      containers:\n      - name: a\n      - name: b\n"
		   "      ephemeralContainers:\n      - name: b\n      - name: a\n",
		   10, "spec.template.spec.ephemeralContainers[0].name", "Duplicate value \"b\"");
	expect_err("- a\n- b\n", 1, NULL, "mapping");
	expect_err("kind: Deployment\nmetadata: {name: d}\nspec: {}\n", 0, NULL, "pod template");
}

/* What lint needs: ReplicationController, the lint-ignore annotation (object
 * first, then template) and where each add / drop entry is. */
static void test_lint_fields(void **state)
{
	struct cs_k8s_manifest m;
	struct cs_diag d;
	const char *y = "kind: ReplicationController\n"
			"metadata: {name: rc, annotations: {capscope.io/lint-ignore: privileged}}\n"
			"spec:\n  template:\n"
			"    metadata: {annotations: {capscope.io/lint-ignore: other}}\n"
			"    spec:\n      containers:\n      - name: c\n"
			"        securityContext:\n          capabilities:\n"
			"            add:\n            - CHOWN\n            - KILL\n"
			"            drop: [ALL]\n"
			"---\nkind: Pod\nmetadata:\n  name: p\n"
			"spec: {containers: [{name: c}]}\n";
	(void)state;
	assert_int_equal(parse(&m, y, &d), 0);
	assert_int_equal(m.n_pods, 2);
	assert_string_equal(m.pods[0].kind, "ReplicationController");
	assert_string_equal(m.pods[0].lint_ignore, "privileged");
	const struct cs_k8s_sc *sc = &m.pods[0].containers[0].sc;
	assert_non_null(sc->add_item_pos);
	assert_int_equal(sc->add_item_pos[0].line, 12);
	assert_int_equal(sc->add_item_pos[1].line, 13);
	assert_int_equal(sc->add_item_pos[1].column, 15);
	assert_int_equal(sc->drop_item_pos[0].line, 14);
	assert_int_equal(sc->caps_pos.line, 11);
	assert_null(m.pods[1].lint_ignore);
	cs_k8s_manifest_free(&m);
}

static void test_scc_doc(void **state)
{
	struct cs_k8s_manifest m;
	struct cs_diag d;
	(void)state;
	assert_int_equal(
	    parse(&m,
		  "kind: SecurityContextConstraints\nmetadata: {name: x}\n"
		  "priority: 5\nallowedCapabilities: [NET_BIND_SERVICE]\n"
		  "requiredDropCapabilities: [KILL]\n"
		  "runAsUser: {type: MustRunAs, uid: 7}\nseLinuxContext: {type: MustRunAs}\n",
		  &d),
	    0);
	assert_int_equal(m.n_sccs, 1);
	assert_int_equal(m.sccs[0].priority.v, 5);
	assert_int_equal(m.sccs[0].run_as_user, CS_SCC_MUST_RUN_AS);
	assert_int_equal(m.sccs[0].uid.v, 7);
	cs_k8s_manifest_free(&m);
	expect_err(
	    "kind: SecurityContextConstraints\nmetadata: {name: x}\nrunAsUser: {type: Sometimes}\n",
	    3, "runAsUser.type", "unknown");
	/* the API server's ValidateSecurityContextConstraints (twenty-seventh pass) */
	expect_err("kind: SecurityContextConstraints\nmetadata: {name: x}\n"
		   "allowedCapabilities: [NET_BIND_SERVICE]\n"
		   "requiredDropCapabilities: [NET_BIND_SERVICE]\n"
		   "runAsUser: {type: RunAsAny}\nseLinuxContext: {type: RunAsAny}\n",
		   3, "allowedCapabilities[0]", "capability is listed in allowedCapabilities");
	expect_err("kind: SecurityContextConstraints\nmetadata: {name: X}\n"
		   "runAsUser: {type: RunAsAny}\nseLinuxContext: {type: RunAsAny}\n",
		   2, "metadata.name", "a lowercase RFC 1123 subdomain");
	expect_err("kind: SecurityContextConstraints\nmetadata: {name: x}\npriority: -1\n"
		   "runAsUser: {type: RunAsAny}\nseLinuxContext: {type: RunAsAny}\n",
		   3, "priority", "priority cannot be negative");
	/* a strategy type admission does not know fails every pod: refused */
	expect_err("kind: SecurityContextConstraints\nmetadata: {name: x}\n"
		   "runAsUser: {type: RunAsAny}\nseLinuxContext: {type: RunAsAny}\n"
		   "fsGroup:\n  type: mustRunAs\n",
		   6, "fsGroup.type", "unknown fsGroup strategy 'mustRunAs'");
	expect_err("kind: SecurityContextConstraints\nmetadata: {name: x}\n"
		   "runAsUser: {type: RunAsAny}\nseLinuxContext: {type: RunAsAny}\n"
		   "supplementalGroups: {type: MustRunAsRange}\n",
		   5, "supplementalGroups.type", "unknown supplementalGroups strategy");
	expect_err("kind: SecurityContextConstraints\nmetadata: {name: x}\n"
		   "runAsUser: {type: RunAsAny}\nseLinuxContext: {type: MustRunAsNonRoot}\n",
		   4, "seLinuxContext.type", "unknown seLinuxContext strategy");
	assert_int_equal(parse(&m,
			       "kind: SecurityContextConstraints\nmetadata: {name: x}\n"
			       "runAsUser: {type: RunAsAny}\nseLinuxContext: {type: RunAsAny}\n"
			       "fsGroup: {type: ''}\n",
			       &d),
			 0);
	cs_k8s_manifest_free(&m);
	/* one bound of MustRunAsRange: OpenShift's provider fails (not the
	 * namespace's range, which needs both absent) */
	expect_err("kind: SecurityContextConstraints\nmetadata: {name: x}\n"
		   "runAsUser: {type: MustRunAsRange, uidRangeMin: 1000}\n",
		   3, "runAsUser.uidRangeMax", "needs both");
	expect_err("kind: SecurityContextConstraints\nmetadata: {name: x}\n"
		   "runAsUser:\n  type: MustRunAsRange\n  uidRangeMax: 2000\n",
		   4, "runAsUser.uidRangeMin", "needs both");
	assert_int_equal(
	    parse(&m,
		  "kind: SecurityContextConstraints\nmetadata: {name: x}\n"
		  "runAsUser: {type: MustRunAsRange}\nseLinuxContext: {type: RunAsAny}\n---\n"
		  "kind: SecurityContextConstraints\nmetadata: {name: z}\n"
		  "runAsUser: {type: MustRunAsRange, uidRangeMin: 1, uidRangeMax: 2}\n"
		  "seLinuxContext: {type: RunAsAny}\n",
		  &d),
	    0);
	cs_k8s_manifest_free(&m);
	/* no seLinuxContext, or no type in it: sccdefaults gives none and
	 * createSELinuxStrategy fails every admission */
	expect_err("kind: SecurityContextConstraints\nmetadata: {name: x}\n"
		   "runAsUser: {type: RunAsAny}\n",
		   1, "seLinuxContext", "no seLinuxContext strategy");
	expect_err("kind: SecurityContextConstraints\nmetadata: {name: x}\n"
		   "runAsUser: {type: RunAsAny}\nseLinuxContext:\n  seLinuxOptions: {}\n",
		   5, "seLinuxContext.type", "has no type");
	expect_err("kind: SecurityContextConstraints\nmetadata: {name: x}\n"
		   "runAsUser: {type: RunAsAny}\nseLinuxContext: {type: \"\"}\n",
		   4, "seLinuxContext.type", "has no type");
}

/*
 * spec.os (validateOS, validateWindows): a name the API server does not know
 * is refused, and so is a Linux-only securityContext field on a windows
 * pod, each at its line; a windows pod without them is read.
 */
static void test_pod_os(void **state)
{
	struct cs_k8s_manifest m;
	struct cs_diag d;
	(void)state;

#define OS_POD(os, psc, csc)                                                                       \
	"kind: Pod\nspec:\n  os: " os "\n" psc "  containers:\n  - name: a\n" csc
	expect_err(OS_POD("5", "", ""), 3, "spec.os", "mapping");
	expect_err(OS_POD("{}", "", ""), 3, "spec.os.name", "Required value");
	expect_err(OS_POD("{name: \"\"}", "", ""), 3, "spec.os.name", "Required value");
	expect_err(OS_POD("{name: Linux}", "", ""), 3, "spec.os.name", "Unsupported value");
	expect_err(OS_POD("{name: windows}", "",
			  "    securityContext:\n      runAsNonRoot: true\n"
			  "      capabilities: {add: [SYS_ADMIN]}\n"),
		   8, "spec.containers[0].securityContext.capabilities", "windows pod");
	expect_err(OS_POD("{name: windows}", "", "    securityContext: {privileged: false}\n"), 6,
		   "spec.containers[0].securityContext.privileged", "windows pod");
	expect_err(OS_POD("{name: windows}", "  securityContext:\n    runAsUser: 1000\n", ""), 5,
		   "spec.securityContext.runAsUser", "windows pod");
	/* validateLinux: windowsOptions on a linux pod */
	expect_err(OS_POD("{name: linux}", "",
			  "    securityContext:\n      windowsOptions: {hostProcess: false}\n"),
		   7, "spec.containers[0].securityContext.windowsOptions", "linux pod");
	expect_err(OS_POD("{name: linux}", "  securityContext:\n    windowsOptions: {}\n", ""), 5,
		   "spec.securityContext.windowsOptions", "linux pod");
	/* the same fields on a linux pod, and runAsNonRoot or null on a windows one */
	assert_int_equal(parse(&m,
			       OS_POD("{name: linux}", "  securityContext: {runAsUser: 1000}\n",
				      "    securityContext: {privileged: false}\n"),
			       &d),
			 0);
	assert_string_equal(m.pods[0].os_name, "linux");
	cs_k8s_manifest_free(&m);
	assert_int_equal(
	    parse(&m,
		  OS_POD("{name: windows}", "  securityContext: {runAsNonRoot: true}\n",
			 "    securityContext: {capabilities: null}\n"),
		  &d),
	    0);
	assert_string_equal(m.pods[0].os_name, "windows");
	cs_k8s_manifest_free(&m);
#undef OS_POD
}

/* Session 13, part A: the profiles and procMount as the API server
 * validates them (validateSeccompProfileField, validateAppArmorProfileField,
 * validateProcMountType): such pods were read and predicted; and a field's
 * path longer than 63 bytes was cut in the diagnostic
 * ("...securityContext.capabilities.a"). */
/*
 * Fourteenth pass: what the API server refuses of a localhostProfile
 * (seccomp: validateLocalDescendingPath; AppArmor: padded, empty, over 4095
 * bytes) and an AppArmor annotation that disagrees with the field
 * (validateAppArmorAnnotationsAndFieldsMatchOnCreate; a Pod's container
 * without a field of its own is first given the annotation's, a template's
 * is not). Each was read and predicted.
 */
static void test_apparmor_match(void)
{
	struct cs_k8s_manifest m;
	struct cs_diag d;
	static char longname[4200];
	char text[4600];

#define SC_POD(sc) "kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext: " sc "\n"
#define AA	   "container.apparmor.security.beta.kubernetes.io/"
#define POD_AA(val, psc, csc)                                                                      \
	"kind: Pod\nmetadata:\n  annotations:\n    " AA "a: " val                                  \
	"\nspec:\n  securityContext: " psc                                                         \
	"\n  containers:\n  - name: a\n    securityContext: " csc "\n"
#define DEP_AA(val, psc)                                                                           \
	"apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    metadata:\n"               \
	"      annotations: {" AA "a: " val "}\n    spec:\n      securityContext: " psc "\n"       \
	"      containers: [{name: a}]\n"
	const char *lp = "spec.containers[0].securityContext.seccompProfile.localhostProfile";
	const char *ap = "spec.containers[0].securityContext.appArmorProfile.localhostProfile";

	expect_err(SC_POD("{seccompProfile: {type: Localhost, localhostProfile: /etc/p.json}}"), 5,
		   lp, "relative path");
	expect_err(SC_POD("{seccompProfile: {type: Localhost, localhostProfile: a/../../p}}"), 5,
		   lp, "'..'");
	expect_err(SC_POD("{seccompProfile: {type: Localhost, localhostProfile: ..}}"), 5, lp,
		   "'..'");
	expect_err(SC_POD("{appArmorProfile: {type: Localhost, localhostProfile: ' p'}}"), 5, ap,
		   "padded");
	expect_err(SC_POD("{appArmorProfile: {type: Localhost, localhostProfile: \"p\\u3000\"}}"),
		   5, ap, "padded");
	expect_err(SC_POD("{appArmorProfile: {type: Localhost, localhostProfile: ''}}"), 5, ap,
		   "Required value");
	memset(longname, 'p', 4096);
	snprintf(text, sizeof(text),
		 "kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext: "
		 "{appArmorProfile: {type: Localhost, localhostProfile: %s}}\n",
		 longname);
	expect_err(text, 5, ap, "4095");
	longname[4095] = '\0';
	snprintf(text, sizeof(text),
		 "kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext: "
		 "{appArmorProfile: {type: Localhost, localhostProfile: %s}}\n",
		 longname);
	assert_int_equal(parse(&m, text, &d), 0);
	cs_k8s_manifest_free(&m);
	assert_int_equal(parse(&m,
			       SC_POD("{seccompProfile: {type: Localhost, localhostProfile: "
				      "a/..b/p..}}"),
			       &d),
			 0);
	cs_k8s_manifest_free(&m);

	/* the container's own field against the annotation */
	expect_err(POD_AA("runtime/default", "{}", "{appArmorProfile: {type: Unconfined}}"), 4,
		   "metadata.annotations." AA "a", "apparmor type in annotation and field");
	expect_err(POD_AA("unconfined", "{}", "{appArmorProfile: {type: RuntimeDefault}}"), 4,
		   "metadata.annotations." AA "a", "apparmor type in annotation and field");
	expect_err(
	    POD_AA("unconfined", "{}", "{appArmorProfile: {type: Localhost, localhostProfile: p}}"),
	    4, "metadata.annotations." AA "a", "apparmor type in annotation and field");
	expect_err(POD_AA("localhost/q", "{}",
			  "{appArmorProfile: {type: Localhost, localhostProfile: p}}"),
		   4, "metadata.annotations." AA "a", "apparmor profile in annotation and field");
	expect_err(POD_AA("''", "{}", "{appArmorProfile: {type: RuntimeDefault}}"), 4,
		   "metadata.annotations." AA "a", "apparmor type in annotation and field");
	/* a Pod's container without its own field: given the annotation's */
	assert_int_equal(
	    parse(&m, POD_AA("runtime/default", "{appArmorProfile: {type: Unconfined}}", "{}"), &d),
	    0);
	cs_k8s_manifest_free(&m);
	/* ... unless the annotation names no profile */
	expect_err(POD_AA("''", "{appArmorProfile: {type: Unconfined}}", "{}"), 4,
		   "metadata.annotations." AA "a", "apparmor type in annotation and field");
	expect_err(
	    POD_AA("localhost/", "{appArmorProfile: {type: Localhost, localhostProfile: p}}", "{}"),
	    4, "metadata.annotations." AA "a", "apparmor profile in annotation and field");
	/* a template is not synced: the pod's field must match (kubernetes issue 128306) */
	expect_err(DEP_AA("runtime/default", "{appArmorProfile: {type: Unconfined}}"), 6,
		   "spec.template.metadata.annotations." AA "a",
		   "apparmor type in annotation and field");
	/* agreeing ones are read */
	static const char *const agree[] = {
	    POD_AA("unconfined", "{}", "{appArmorProfile: {type: Unconfined}}"),
	    POD_AA("runtime/default", "{appArmorProfile: {type: Unconfined}}",
		   "{appArmorProfile: {type: RuntimeDefault}}"),
	    POD_AA("localhost/p", "{}",
		   "{appArmorProfile: {type: Localhost, localhostProfile: p}}"),
	    POD_AA("''", "{}", "{}"),
	    DEP_AA("localhost/p", "{appArmorProfile: {type: Localhost, localhostProfile: p}}"),
	    DEP_AA("runtime/default", "{}"),
	};
	for (size_t i = 0; i < sizeof(agree) / sizeof(agree[0]); i++) {
		if (parse(&m, agree[i], &d) != 0)
			fail_msg("refused %s: %u: %s", agree[i], d.line, d.message);
		cs_k8s_manifest_free(&m);
	}
	/* the seccomp annotations: a valid profile, and the field's */
#define SP "seccomp.security.alpha.kubernetes.io/pod"
#define SC "container.seccomp.security.alpha.kubernetes.io/"
#define POD_SC(key, val, psc, csc)                                                                 \
	"kind: Pod\nmetadata:\n  annotations:\n    " key ": " val                                  \
	"\nspec:\n  securityContext: " psc                                                         \
	"\n  containers:\n  - name: a\n    securityContext: " csc "\n"
	expect_err(POD_SC(SP, "foo", "{}", "{}"), 4, "metadata.annotations." SP,
		   "valid seccomp profile");
	expect_err(POD_SC(SC "x", "localhost/a/../b", "{}", "{}"), 4,
		   "metadata.annotations." SC "x", "relative path");
	expect_err(POD_SC(SP, "localhost//etc/p", "{}", "{}"), 4, "metadata.annotations." SP,
		   "relative path");
	expect_err(POD_SC(SP, "unconfined", "{seccompProfile: {type: RuntimeDefault}}", "{}"), 4,
		   "metadata.annotations." SP, "seccomp type in annotation and field");
	expect_err(POD_SC(SC "a", "runtime/default", "{}",
			  "{seccompProfile: {type: Localhost, localhostProfile: p}}"),
		   4, "metadata.annotations." SC "a", "seccomp type in annotation and field");
	expect_err(POD_SC(SC "a", "localhost/q", "{}",
			  "{seccompProfile: {type: Localhost, localhostProfile: p}}"),
		   4, "metadata.annotations." SC "a", "seccomp profile in annotation and field");
	expect_err("apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    metadata:\n"
		   "      annotations: {" SP ": unconfined}\n    spec:\n"
		   "      securityContext: {seccompProfile: {type: RuntimeDefault}}\n"
		   "      containers: [{name: a}]\n",
		   6, "spec.template.metadata.annotations." SP, "seccomp type in annotation");
	static const char *const sc_agree[] = {
	    POD_SC(SP, "docker/default", "{seccompProfile: {type: RuntimeDefault}}", "{}"),
	    POD_SC(SP, "localhost/p", "{seccompProfile: {type: Localhost, localhostProfile: p}}",
		   "{}"),
	    /* a container annotation is judged against its own field only */
	    POD_SC(SC "a", "unconfined", "{seccompProfile: {type: RuntimeDefault}}", "{}"),
	    /* and needs no container of that name */
	    POD_SC(SC "zz", "localhost/x..y", "{}", "{}"),
	    POD_SC(SP, "localhost/", "{}", "{}"),
	};
	for (size_t i = 0; i < sizeof(sc_agree) / sizeof(sc_agree[0]); i++) {
		if (parse(&m, sc_agree[i], &d) != 0)
			fail_msg("refused %s: %u: %s", sc_agree[i], d.line, d.message);
		cs_k8s_manifest_free(&m);
	}
#undef POD_SC
#undef SC
#undef SP
#undef DEP_AA
#undef POD_AA
#undef AA
#undef SC_POD
}

/*
 * Fourteenth pass: the pod's sysctls as the API server's validateSysctls
 * takes them, and a name in '/' form found as the kubelet normalises it.
 */
static void test_sysctls(void)
{
	struct cs_k8s_manifest m;
	struct cs_diag d;

#define SYS_POD(host, list)                                                                        \
	"kind: Pod\nspec:\n  " host "\n  securityContext:\n    sysctls: " list                     \
	"\n  containers: [{name: a}]\n"
#define UPS "net.ipv4.ip_unprivileged_port_start"
	expect_err(SYS_POD("hostNetwork: true", "[{name: " UPS ", value: '0'}]"), 5,
		   "spec.securityContext.sysctls[0].name", "'hostNetwork'");
	expect_err(SYS_POD("hostNetwork: true", "[{name: net/ipv4/ip_unprivileged_port_start, "
						"value: '0'}]"),
		   5, "spec.securityContext.sysctls[0].name", "'hostNetwork'");
	expect_err(SYS_POD("hostIPC: true", "[{name: kernel.shm_rmid_forced, value: '1'}]"), 5,
		   "spec.securityContext.sysctls[0].name", "'hostIPC'");
	expect_err(SYS_POD("hostIPC: true", "[{name: fs.mqueue.msg_max, value: '1'}]"), 5,
		   "spec.securityContext.sysctls[0].name", "'hostIPC'");
	expect_err(SYS_POD("hostPID: true", "[{name: Net.ipv4.x, value: '1'}]"), 5,
		   "spec.securityContext.sysctls[0].name", "253 characters");
	expect_err(SYS_POD("hostPID: true", "[{name: net..x, value: '1'}]"), 5,
		   "spec.securityContext.sysctls[0].name", "253 characters");
	expect_err(SYS_POD("hostPID: true", "[{name: net.x_, value: '1'}]"), 5,
		   "spec.securityContext.sysctls[0].name", "253 characters");
	/* a name of 254 bytes: cut in the message, so its reason is not */
	expect_err(
	    SYS_POD("hostPID: true",
		    "[{name: a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a."
		    "a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a."
		    "a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a."
		    "a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.ab, value: '1'}]"),
	    5, "spec.securityContext.sysctls[0].name", "...\": must have at most 253");
	expect_err(SYS_POD("hostPID: true", "[{name: '', value: '1'}]"), 5,
		   "spec.securityContext.sysctls[0].name", "Required value");
	expect_err(SYS_POD("hostPID: true", "[{name: " UPS ", value: '0'}, {name: kernel.msgmax, "
					    "value: '1'}, {name: " UPS ", value: '80'}]"),
		   5, "spec.securityContext.sysctls[2].name", "Duplicate value");
	/* read: other namespaces with the host's, a '/' name, kernel.shmfoo (no namespace) */
	assert_int_equal(
	    parse(&m,
		  SYS_POD("hostIPC: true", "[{name: " UPS ", value: '0'}, {name: kernel.shmfoo, "
					   "value: '1'}, {name: net.ipv4.conf.eno2/100.rp_filter, "
					   "value: '1'}]"),
		  &d),
	    0);
	cs_k8s_manifest_free(&m);
	assert_int_equal(parse(&m,
			       SYS_POD("hostNetwork: true", "[{name: kernel.shm_rmid_forced, "
							    "value: '1'}]"),
			       &d),
			 0);
	cs_k8s_manifest_free(&m);
	assert_int_equal(parse(&m,
			       SYS_POD("hostPID: true",
				       "[{name: net/ipv4/ip_unprivileged_port_start, value: '0'}]"),
			       &d),
			 0);
	assert_string_equal(cs_k8s_sysctl(&m.pods[0], UPS), "0");
	cs_k8s_manifest_free(&m);
#undef UPS
#undef SYS_POD
}

static void test_profiles(void **state)
{
	struct cs_k8s_manifest m;
	struct cs_diag d;
	(void)state;

#define SC_POD(sc) "kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext: " sc "\n"
	expect_err(SC_POD("{seccompProfile: {type: runtimedefault}}"), 5,
		   "spec.containers[0].securityContext.seccompProfile.type", "Unsupported value");
	expect_err(SC_POD("{seccompProfile: {}}"), 5,
		   "spec.containers[0].securityContext.seccompProfile.type", "Required value");
	expect_err(SC_POD("{seccompProfile: {type: Localhost}}"), 5,
		   "spec.containers[0].securityContext.seccompProfile.localhostProfile",
		   "Required value");
	expect_err(SC_POD("{seccompProfile: {type: Unconfined, localhostProfile: p}}"), 5,
		   "spec.containers[0].securityContext.seccompProfile.localhostProfile",
		   "unless the type is Localhost");
	expect_err(SC_POD("{appArmorProfile: {type: unconfined}}"), 5,
		   "spec.containers[0].securityContext.appArmorProfile.type", "Unsupported value");
	expect_err(SC_POD("{procMount: unmasked}"), 5,
		   "spec.containers[0].securityContext.procMount", "Unsupported value");
	expect_err("kind: Pod\nspec:\n  securityContext: {seccompProfile: {type: Localhost}}\n"
		   "  containers: [{name: a}]\n",
		   3, "spec.securityContext.seccompProfile.localhostProfile", "Required value");
	expect_err("apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n"
		   "      template:\n        spec:\n          containers:\n          - name: a\n"
		   "            securityContext: {capabilities: {add: [1]}}\n",
		   10,
		   "spec.jobTemplate.spec.template.spec.containers[0].securityContext."
		   "capabilities.add[0]",
		   "number");
	/* Thirteenth pass, second round: the API server refuses an unmasked
	 * /proc unless hostUsers is false; it was read and predicted. */
	expect_err(SC_POD("{procMount: Unmasked}"), 5,
		   "spec.containers[0].securityContext.procMount", "hostUsers: false");
	expect_err("kind: Pod\nspec:\n  hostUsers: true\n  initContainers:\n  - name: a\n"
		   "    securityContext: {procMount: Unmasked}\n  containers: [{name: b}]\n",
		   6, "spec.initContainers[0].securityContext.procMount", "hostUsers: false");
	assert_int_equal(parse(&m,
			       "kind: Pod\nspec:\n  hostUsers: false\n  containers:\n  - name: a\n"
			       "    securityContext: {procMount: Unmasked}\n",
			       &d),
			 0);
	cs_k8s_manifest_free(&m);
	/* ... and an AppArmor annotation naming no container, or whose value
	 * is not one of the API server's four forms */
	expect_err("kind: Pod\nmetadata:\n  annotations:\n"
		   "    container.apparmor.security.beta.kubernetes.io/x: runtime/default\n"
		   "spec: {containers: [{name: a}]}\n",
		   4, "metadata.annotations.container.apparmor.security.beta.kubernetes.io/x",
		   "container not found");
	expect_err("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    metadata:\n"
		   "      annotations: {container.apparmor.security.beta.kubernetes.io/a: foo}\n"
		   "    spec: {initContainers: [{name: i}], containers: [{name: a}]}\n",
		   6,
		   "spec.template.metadata.annotations.container.apparmor.security.beta.kubernetes."
		   "io/a",
		   "invalid AppArmor profile name");
	assert_int_equal(parse(&m,
			       "kind: Pod\nmetadata:\n  annotations:\n"
			       "    container.apparmor.security.beta.kubernetes.io/i: unconfined\n"
			       "    container.apparmor.security.beta.kubernetes.io/e: localhost/p\n"
			       "spec:\n  initContainers: [{name: i}]\n  containers: [{name: a}]\n"
			       "  ephemeralContainers: [{name: e}]\n",
			       &d),
			 0);
	cs_k8s_manifest_free(&m);
	/* Thirteenth pass, second round: a template's metadata was named
	 * "metadata", and a key longer than the field was cut silently. */
	expect_err("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    metadata:\n"
		   "      annotations: {openshift.io/required-scc: 7}\n"
		   "    spec: {containers: [{name: a}]}\n",
		   6, "spec.template.metadata.annotations.openshift.io/required-scc", "number");
	expect_err("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    metadata:\n"
		   "      labels: {kubernetes.io/os: 3}\n    spec: {containers: [{name: a}]}\n",
		   6, "spec.template.metadata.labels.kubernetes.io/os", "number");
	expect_err(
	    "kind: Pod\nmetadata:\n  annotations:\n"
	    "    container.apparmor.security.beta.kubernetes.io/"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: 5\nspec: {containers: [{name: a}]}\n",
	    4,
	    "metadata.annotations.container.apparmor.security.beta.kubernetes.io/"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aa"
	    "...",
	    "number");
	assert_int_equal(
	    parse(&m,
		  SC_POD("{seccompProfile: {type: Localhost, localhostProfile: p.json}, "
			 "appArmorProfile: {type: RuntimeDefault}, procMount: Default}"),
		  &d),
	    0);
	cs_k8s_manifest_free(&m);
	test_apparmor_match();
	test_sysctls();
#undef SC_POD
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pod_merge),
	    cmocka_unit_test(test_kinds),
	    cmocka_unit_test(test_items_make_a_list),
	    cmocka_unit_test(test_deployment_config),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_go_yaml_controls),
	    cmocka_unit_test(test_go_yaml_tabs),
	    cmocka_unit_test(test_utf16),
	    cmocka_unit_test(test_scc_doc),
	    cmocka_unit_test(test_lint_fields),
	    cmocka_unit_test(test_pod_os),
	    cmocka_unit_test(test_profiles),
	    cmocka_unit_test(test_unknown_fields),
	    cmocka_unit_test(test_unknown_fields_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
