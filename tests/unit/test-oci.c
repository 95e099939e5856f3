/* SPDX-License-Identifier: MIT */
/* config.json reading, runc's pre-exec sequence, and the rootfs resolver. */
#include "cmocka-wrap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/oci.h"
#include "capscope/runtime.h"

#define NBS  10
#define M(c) CS_BIT(c)

static int parse(const char *json, struct cs_oci_config *c, struct cs_diag *d)
{
	memset(c, 0, sizeof(*c));
	memset(d, 0, sizeof(*d));
	return cs_oci_config_parse(json, strlen(json), "config.json", c, d);
}

/* Session 12, part G: null in an array of strings is "" to Go's
 * encoding/json, as runc reads it (args ["sh", null] runs sh with an empty
 * argument; a null capability name is an unknown name, skipped; a null env
 * entry has no '=', which runc refuses as such); it was refused as "must be
 * a string". */
static void config_null_items(void **state)
{
	struct cs_oci_config c;
	struct cs_diag d;
	const char *ok = "{\"root\":{\"path\":\"/r\"},\"process\":{\"args\":[\"sh\",null],"
			 "\"capabilities\":{\"bounding\":[\"CAP_KILL\",null]}}}";
	const char *env = "{\"root\":{\"path\":\"/r\"},\"process\":{\"args\":[\"sh\"],"
			  "\"env\":[\"A=b\",null]}}";

	(void)state;
	cs_cap_last_override(40);
	if (parse(ok, &c, &d) != 0)
		fail_msg("%s", d.message);
	assert_int_equal(c.nargs, 2);
	assert_string_equal(c.args[1], "");
	assert_int_equal(c.process.caps.set[CS_BND], M(5));
	assert_string_equal(c.process.unknown_caps, "\"\"");
	cs_oci_config_free(&c);
	assert_int_equal(parse(env, &c, &d), -EINVAL);
	assert_non_null(strstr(d.message, "has no '='"));
	assert_string_equal(d.field, "process.env[1]");
	cs_oci_config_free(&c);
}

static void config_basic(void **state)
{
	struct cs_oci_config c;
	struct cs_diag d;
	const char *j =
	    "{\"root\":{\"path\":\"/r\"},\"process\":{\"args\":[\"nc\",\"-l\"],"
	    "\"env\":[\"PATH=/a\",\"PATH=/bin\"],\"user\":{\"uid\":1000,\"gid\":1001,"
	    "\"additionalGids\":[5]},\"noNewPrivileges\":true,\"capabilities\":{"
	    "\"bounding\":[\"CAP_NET_BIND_SERVICE\",\"cap_kill\",\"CAP_FOO\"],"
	    "\"permitted\":[\"CAP_NET_BIND_SERVICE\"],\"ambient\":null}},"
	    "\"linux\":{\"namespaces\":[{\"type\":\"user\"}],\"uidMappings\":[{\"containerID\":0,"
	    "\"hostID\":100000,\"size\":65536}],\"gidMappings\":[{\"containerID\":0,"
	    "\"hostID\":100000,\"size\":65536}]}}";

	(void)state;
	cs_cap_last_override(40);
	assert_int_equal(parse(j, &c, &d), 0);
	assert_string_equal(c.root_path, "/r");
	assert_int_equal(c.nargs, 2);
	assert_string_equal(cs_oci_config_getenv(&c, "PATH"), "/bin");
	assert_int_equal(c.process.uid, 1000);
	assert_int_equal(c.process.gid, 1001);
	assert_int_equal(c.process.n_additional_gids, 1);
	assert_true(c.process.no_new_privileges);
	assert_int_equal(c.process.caps.set[CS_BND], M(NBS));
	assert_true(c.process.caps.present & (1u << CS_PRM));
	assert_false(c.process.caps.present & (1u << CS_AMB));
	assert_string_equal(c.process.unknown_caps, "cap_kill, CAP_FOO");
	assert_true(c.process.user_namespace);
	assert_int_equal(c.process.uid_map[0].host_id, 100000);
	cs_oci_config_free(&c);
}

/* runc decodes with Go's encoding/json: a key in any case names its field
 * (these were ignored: no capabilities, no no_new_privs, uid 0); two keys
 * for one field are refused. */
static void config_key_case(void **state)
{
	struct cs_oci_config c;
	struct cs_diag d;
	const char *j = "{\"Root\":{\"PATH\":\"/r\"},\"PROCESS\":{\"Args\":[\"nc\"],"
			"\"User\":{\"UID\":1000,\"Gid\":1001,\"AdditionalGIDs\":[5]},"
			"\"NoNewPrivileges\":true,\"Capabilities\":{\"Bounding\":[\"CAP_NET_RAW\"],"
			"\"PERMITTED\":[\"CAP_NET_RAW\"],\"ambient\\u017f\":null,"
			"\"\\u212anown\":1}},\"Linux\":{\"Namespaces\":[{\"Type\":\"user\"}],"
			"\"UIDMappings\":[{\"ContainerID\":0,\"HostID\":100000,\"Size\":1}],"
			"\"GidMappings\":[{\"containerid\":0,\"hostid\":100000,\"size\":1}]}}";

	(void)state;
	cs_cap_last_override(40);
	assert_int_equal(parse(j, &c, &d), 0);
	assert_string_equal(c.root_path, "/r");
	assert_int_equal(c.process.uid, 1000);
	assert_int_equal(c.process.gid, 1001);
	assert_int_equal(c.process.n_additional_gids, 1);
	assert_true(c.process.no_new_privileges);
	assert_int_equal(c.process.caps.set[CS_BND], M(13));
	assert_int_equal(c.process.caps.set[CS_PRM], M(13));
	assert_true(c.process.user_namespace);
	assert_int_equal(c.process.uid_map[0].host_id, 100000);
	assert_int_equal(c.process.gid_map[0].host_id, 100000);
	cs_oci_config_free(&c);

	/* two spellings of one field: Go keeps the later, the reader refuses */
	assert_true(parse("{\"root\":{\"path\":\"/r\"},\"process\":{\"args\":[\"x\"],"
			  "\"noNewPrivileges\":false,\"NoNewPrivileges\":true}}",
			  &c, &d) < 0);
	assert_string_equal(d.field, "noNewPrivileges");
	assert_non_null(strstr(d.message, "'NoNewPrivileges'"));
	cs_oci_config_free(&c);
	assert_true(parse("{\"root\":{\"path\":\"/r\"},\"process\":{\"args\":[\"x\"]},"
			  "\"Process\":{\"args\":[\"y\"]}}",
			  &c, &d) < 0);
	cs_oci_config_free(&c);
}

/* Eighteenth pass: runc reads the first JSON value of config.json and
 * nothing after it (json.Decoder; runc 1.1.5 ran this bundle). */
static void config_first_value(void **state)
{
	static const char json[] = "{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"],"
				   "\"noNewPrivileges\":true}}\n{\"process\": 5} \0 \xff x";
	struct cs_oci_config c;
	struct cs_diag d = {0};

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(cs_oci_config_parse(json, sizeof(json) - 1, "config.json", &c, &d), 0);
	assert_true(c.process.no_new_privileges);
	cs_oci_config_free(&c);
	/* an error inside the value is still one */
	assert_int_equal(
	    parse("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"]} x", &c, &d), -EINVAL);
	cs_oci_config_free(&c);
}

static void config_errors(void **state)
{
	struct cs_oci_config c;
	struct cs_diag d;

	(void)state;
	assert_int_equal(parse("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"],"
			       "\"user\":{\"uid\":-1,\"gid\":0}}}",
			       &c, &d),
			 -EINVAL);
	assert_string_equal(d.field, "process.user.uid");
	assert_int_equal(d.line, 1);
	cs_oci_config_free(&c);
	assert_int_equal(parse("{\"root\":{\"path\":\"r\"},\n\"process\":{\"args\":[\"x\"],"
			       "\"capabilities\":{\"bounding\":[\"CAP_KILL\",\n 7]}}}",
			       &c, &d),
			 -EINVAL);
	assert_string_equal(d.field, "process.capabilities.bounding[1]");
	assert_int_equal(d.line, 3);
	cs_oci_config_free(&c);
	assert_int_equal(parse("{\"process\":{\"args\":[\"x\"]}}", &c, &d), -EINVAL);
	assert_string_equal(d.field, "root.path");
	cs_oci_config_free(&c);
	/* An empty collection of the wrong kind is placed at its key (it had
	 * no line: libfyaml gives it no token). */
	assert_int_equal(parse("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"],\n"
			       "\"capabilities\":[]}}",
			       &c, &d),
			 -EINVAL);
	assert_string_equal(d.field, "process.capabilities");
	assert_int_equal(d.line, 2);
	cs_oci_config_free(&c);
	/* runc refuses an env entry without '=' or with an empty name. */
	assert_int_equal(parse("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"],"
			       "\"env\":[\"PATH=/bin\",\n\"FOO\"]}}",
			       &c, &d),
			 -EINVAL);
	assert_string_equal(d.field, "process.env[1]");
	assert_int_equal(d.line, 2);
	cs_oci_config_free(&c);
	assert_int_equal(parse("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"],"
			       "\"env\":[\"=x\"]}}",
			       &c, &d),
			 -EINVAL);
	assert_string_equal(d.field, "process.env[0]");
	cs_oci_config_free(&c);
	/* runc refuses a relative or empty cwd (validateProcessSpec): said, not read. */
	assert_int_equal(parse("{\"root\":{\"path\":\"r\"},\n\"process\":{\"args\":[\"x\"],"
			       "\"cwd\":\"usr\"}}",
			       &c, &d),
			 -EINVAL);
	assert_string_equal(d.field, "process.cwd");
	assert_int_equal(d.line, 2);
	cs_oci_config_free(&c);
	assert_int_equal(parse("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"],"
			       "\"cwd\":\"\"}}",
			       &c, &d),
			 -EINVAL);
	assert_string_equal(d.field, "process.cwd");
	cs_oci_config_free(&c);
	assert_int_equal(parse("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"],"
			       "\"cwd\":\"/usr\"}}",
			       &c, &d),
			 0);
	cs_oci_config_free(&c);
	assert_int_equal(parse("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[]}}", &c, &d),
			 -EINVAL);
	cs_oci_config_free(&c);
	assert_int_equal(parse("{\"root\": [1, 2", &c, &d), -EINVAL);
	assert_true(d.line >= 1);
	cs_oci_config_free(&c);
	assert_int_equal(parse("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"],"
			       "\"user\":{\"uid\":4294967296}}}",
			       &c, &d),
			 -EINVAL);
	cs_oci_config_free(&c);
}

/* Session 12, part G: runc 1.1 refuses a namespace type it does not know
 * ("namespace {"usr" ""} does not exist"; null is a namespace of type "")
 * and a type given twice ("malformed spec file: duplicated ns"), both seen
 * with runc 1.1.5; they were read as if the container started. */
static void config_namespaces(void **state)
{
	static const struct {
		const char *ns, *field, *msg;
	} bad[] = {
	    {"[{\"type\":\"usr\"}]", "linux.namespaces[0].type", "'usr' is not a namespace"},
	    {"[{\"type\":\"pid\"},null]", "linux.namespaces[1].type", "'' is not a namespace"},
	    {"[{\"type\":\"pid\"},{\"type\":\"mount\"},{\"type\":\"pid\",\"path\":\"/p\"}]",
	     "linux.namespaces[2].type", "'pid' is given twice"},
	    {"[{\"type\":\"PID\"}]", "linux.namespaces[0].type", "'PID' is not a namespace"},
	    {"[7]", "linux.namespaces[0]", "must be an object"},
	};
	static const char *const good[] = {
	    "[]",
	    "null",
	    ("[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"mount\"},{\"type\":\"ipc\"},"
	     "{\"type\":\"uts\"},{\"type\":\"cgroup\"},{\"type\":\"time\"}]"),
	};
	struct cs_oci_config c;
	struct cs_diag d;
	char j[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(j, sizeof(j),
			 "{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"]},"
			 "\"linux\":{\"namespaces\":%s}}",
			 bad[i].ns);
		if (parse(j, &c, &d) != -EINVAL || strcmp(d.field, bad[i].field) ||
		    !strstr(d.message, bad[i].msg) || !d.line)
			fail_msg("%s: %u:%u %s: %s", bad[i].ns, d.line, d.column, d.field,
				 d.message);
		cs_oci_config_free(&c);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(j, sizeof(j),
			 "{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"]},"
			 "\"linux\":{\"namespaces\":%s}}",
			 good[i]);
		if (parse(j, &c, &d) != 0)
			fail_msg("%s: %s", good[i], d.message);
		cs_oci_config_free(&c);
	}
}

static void runc_article(void **state)
{
	struct cs_oci_process p;
	struct cs_exec_file f;
	struct cs_cred out;
	struct cs_exec_result res;
	struct cs_steps st;

	(void)state;
	cs_cap_last_override(40);
	memset(&p, 0, sizeof(p));
	memset(&f, 0, sizeof(f));
	f.path = (char *)"/usr/bin/nc";
	f.known = true;
	f.mode = S_IFREG | 0755;
	p.uid = p.gid = 1000;
	p.caps.present = 0x1f;
	p.caps.set[CS_BND] = p.caps.set[CS_PRM] = p.caps.set[CS_EFF] = M(NBS);
	cs_steps_init(&st);
	assert_int_equal(cs_oci_predict(&p, &f, &out, &res, &st), 0);
	assert_true(res.ok);
	assert_int_equal(out.caps.set[CS_PRM], 0);
	assert_int_equal(out.caps.set[CS_EFF], 0);
	assert_int_equal(out.caps.set[CS_BND], M(NBS));
	/* with ambient but no inheritable: runc skips the raise silently */
	p.caps.set[CS_AMB] = M(NBS);
	cs_steps_free(&st);
	cs_steps_init(&st);
	assert_int_equal(cs_oci_predict(&p, &f, &out, &res, &st), 0);
	assert_true(res.ok);
	assert_int_equal(out.caps.set[CS_EFF], 0);
	assert_non_null(cs_steps_find(&st, "runc.ambient-skipped"));
	/* with inheritable too: effective */
	p.caps.set[CS_INH] = M(NBS);
	cs_steps_free(&st);
	cs_steps_init(&st);
	assert_int_equal(cs_oci_predict(&p, &f, &out, &res, &st), 0);
	assert_int_equal(out.caps.set[CS_EFF], M(NBS));
	/* inheritable outside bounding: runc's capset fails */
	p.caps.set[CS_INH] = M(NBS) | M(0);
	cs_steps_free(&st);
	cs_steps_init(&st);
	assert_int_equal(cs_oci_predict(&p, &f, &out, &res, &st), 0);
	assert_false(res.ok);
	assert_int_equal(res.error, EPERM);
	assert_string_equal(res.layer, "runtime");
	/* user namespace, unmapped uid */
	p.caps.set[CS_INH] = M(NBS);
	p.user_namespace = true;
	p.uid_map[0] = p.gid_map[0] = (struct cs_idmap){0, 100000, 100};
	p.n_uid_map = p.n_gid_map = 1;
	cs_steps_free(&st);
	cs_steps_init(&st);
	assert_int_equal(cs_oci_predict(&p, &f, &out, &res, &st), 0);
	assert_false(res.ok);
	assert_int_equal(res.error, EINVAL);
	/* an additional gid beyond 2^31 - 1: runc fails before the mapping
	 * check ("uids and gids must be in range"; sixteenth pass, it ran) */
	p.additional_gids[0] = 5;
	p.additional_gids[1] = 2147483648u;
	p.n_additional_gids = 2;
	cs_steps_free(&st);
	cs_steps_init(&st);
	assert_int_equal(cs_oci_predict(&p, &f, &out, &res, &st), 0);
	assert_false(res.ok);
	assert_int_equal(res.error, ERANGE);
	assert_non_null(cs_steps_find(&st, "runc.user-range"));
	cs_steps_free(&st);
}

static void resolver(void **state)
{
	char dir[] = "/tmp/cs-oci-XXXXXX", path[512];
	struct cs_exec_file f;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/bin", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/bin/tool", dir);
	fd = open(path, O_WRONLY | O_CREAT, 04711);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(chmod(path, 04711), 0);
	snprintf(path, sizeof(path), "%s/bin/data", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	close(fd);
	/* a symlink that tries to leave the rootfs stays inside it */
	snprintf(path, sizeof(path), "%s/bin/escape", dir);
	assert_int_equal(symlink("../../../../../../bin/sh", path), 0);
	snprintf(path, sizeof(path), "%s/bin/abs", dir);
	assert_int_equal(symlink("/bin/tool", path), 0);

	assert_int_equal(cs_exec_file_resolve(dir, NULL, "tool", "/nope:/bin", &f, NULL), 0);
	assert_int_equal(f.error, 0);
	assert_string_equal(f.path, "/bin/tool");
	assert_int_equal(f.mode & 07777, 04711);
	assert_int_equal(f.owner_uid, getuid());
	cs_exec_file_clear(&f);
	assert_int_equal(cs_exec_file_resolve(dir, NULL, "data", "/bin", &f, NULL), 0);
	assert_int_equal(f.error, ENOENT);
	cs_exec_file_clear(&f);
	assert_int_equal(cs_exec_file_resolve(dir, NULL, "tool", NULL, &f, NULL), 0);
	assert_int_equal(f.error, ENOENT);
	cs_exec_file_clear(&f);
	assert_int_equal(cs_exec_file_resolve(dir, NULL, "/bin/escape", NULL, &f, NULL), 0);
	assert_int_equal(f.error, ENOENT);
	cs_exec_file_clear(&f);
	assert_int_equal(cs_exec_file_resolve(dir, NULL, "/bin/abs", NULL, &f, NULL), 0);
	assert_int_equal(f.error, 0);
	assert_int_equal(f.mode & 07777, 04711);
	cs_exec_file_clear(&f);
	assert_int_equal(cs_exec_file_resolve("/nonexistent-root", NULL, "x", NULL, &f, NULL),
			 -ENOENT);
	cs_exec_file_clear(&f);

	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

/* Unknown names are listed once each, compared whole; empty names must not
 * send the bookkeeping past the end of its buffer (ASan caught a strstr
 * with an empty needle walking off it). */
static void config_unknown_names(void **state)
{
	struct cs_oci_config c;
	struct cs_diag d;
	char j[8192];
	size_t n;

	(void)state;
	cs_cap_last_override(40);
	assert_int_equal(parse("{\"root\":{\"path\":\"/r\"},\"process\":{\"args\":[\"x\"],"
			       "\"capabilities\":{\"bounding\":[\"CAP_FOO\",\"\",\"\",\"CAP_FO\","
			       "\"OO\"],\"permitted\":[\"\",\"CAP_FOO\",\"AP_FOO\"]}}}",
			       &c, &d),
			 0);
	assert_string_equal(c.process.unknown_caps, "CAP_FOO, \"\", CAP_FO, OO, AP_FOO");
	cs_oci_config_free(&c);

	/* more names than the list holds: it ends in ", ..." and stays terminated */
	n = (size_t)snprintf(j, sizeof(j),
			     "{\"root\":{\"path\":\"/r\"},\"process\":{\"args\":["
			     "\"x\"],\"capabilities\":{\"bounding\":[");
	for (int i = 0; i < 200; i++)
		n +=
		    (size_t)snprintf(j + n, sizeof(j) - n, "%s\"CAP_UNKNOWN_%d\"", i ? "," : "", i);
	snprintf(j + n, sizeof(j) - n, "]}}}");
	assert_int_equal(parse(j, &c, &d), 0);
	n = strlen(c.process.unknown_caps);
	assert_true(n < sizeof(c.process.unknown_caps));
	assert_string_equal(c.process.unknown_caps + n - 5, ", ...");
	assert_non_null(strstr(c.process.unknown_caps, "CAP_UNKNOWN_0, CAP_UNKNOWN_1, "));
	cs_oci_config_free(&c);
	cs_cap_last_override(-1);
}

/*
 * The fields the model does not read are typed as runc's decoder types them
 * (specs.Spec): each of these fails `runc run` ("json: cannot unmarshal
 * ..."), checked against runc 1.1.5; they were read as bundles that run.
 */
static void config_other_types(void **state)
{
	static const struct {
		const char *extra, *field;
	} bad[] = {
	    {"\"hostname\":5", "hostname"},
	    {"\"mounts\":{}", "mounts"},
	    {"\"annotations\":{\"a\":1}", "annotations"},
	    {"\"linux\":{\"sysctl\":{\"k\":1}}", "linux.sysctl"},
	    {"\"linux\":{\"resources\":{\"memory\":{\"limit\":\"1G\"}}}",
	     "linux.resources.memory.limit"},
	    {"\"linux\":{\"resources\":{\"memory\":{\"swappiness\":-1}}}",
	     "linux.resources.memory.swappiness"},
	    {"\"linux\":{\"resources\":{\"pids\":{\"limit\":1.5}}}", "linux.resources.pids.limit"},
	    {"\"linux\":{\"resources\":{\"blockIO\":{\"weight\":70000}}}",
	     "linux.resources.blockIO.weight"},
	    {"\"linux\":{\"seccomp\":{\"syscalls\":[{\"errnoRet\":-1}]}}",
	     "linux.seccomp.syscalls[0].errnoRet"},
	    {"\"windows\":5", "windows"},
	};
	struct cs_oci_config c;
	struct cs_diag d;
	char json[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(json, sizeof(json),
			 "{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"]},\n%s}",
			 bad[i].extra);
		assert_int_equal(parse(json, &c, &d), -EINVAL);
		assert_string_equal(d.field, bad[i].field);
		assert_int_equal(d.line, 2);
		assert_string_equal(d.file, "config.json");
		cs_oci_config_free(&c);
	}
	/* in process, under fields the model reads */
	assert_int_equal(parse("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"],"
			       "\"user\":{\"uid\":0,\"gid\":0,\n\"umask\":-1}}}",
			       &c, &d),
			 -EINVAL);
	assert_string_equal(d.field, "process.user.umask");
	assert_int_equal(d.line, 2);
	cs_oci_config_free(&c);
	/* the right types, null, -1 where Go takes an int64, unknown keys: read */
	assert_int_equal(parse("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"],"
			       "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":"
			       "1024}],\"oomScoreAdj\":-1000},\"hostname\":null,\"linux\":{"
			       "\"resources\":{\"memory\":{\"limit\":-1}},\"newField\":[1]},"
			       "\"mounts\":[{\"destination\":\"/proc\",\"options\":null}]}",
			       &c, &d),
			 0);
	cs_oci_config_free(&c);
}

/* Sixteenth pass: what runc refuses after the decode in fields the model
 * does not read (run against Debian's runc 1.1.5): each was predicted. */
static void config_runc_refuses(void **state)
{
	static const struct {
		const char *extra, *field;
	} bad[] = {
	    {"\"hostname\":\"h\",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}", "hostname"},
	    {"\"hostname\":\"h\"", "hostname"},
	    {"\"process\":{\"args\":[\"x\"],\"rlimits\":[{\"type\":\"rlimit_nofile\"}]}",
	     "process.rlimits[0].type"},
	    {"\"process\":{\"args\":[\"x\"],\"rlimits\":[{\"hard\":1,\"soft\":1}]}",
	     "process.rlimits[0].type"},
	    {"\"process\":{\"args\":[\"x\"],\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1,"
	     "\"soft\":2}]}",
	     "process.rlimits[0].soft"},
	    {"\"linux\":{\"rootfsPropagation\":\"RPRIVATE\"}", "linux.rootfsPropagation"},
	    {"\"linux\":{\"sysctl\":{\"vm.swappiness\":\"1\"}}", "linux.sysctl.vm.swappiness"},
	    {"\"linux\":{\"sysctl\":{\"kernel/shmmax\":\"1\"}}", "linux.sysctl.kernel/shmmax"},
	    {"\"linux\":{\"sysctl\":{\"net.ipv4.ip_forward\":\"1\"},\"namespaces\":[{\"type\":"
	     "\"ipc\"}]}",
	     "linux.sysctl.net.ipv4.ip_forward"},
	    {"\"linux\":{\"sysctl\":{\"kernel.hostname\":\"x\"},\"namespaces\":[{\"type\":"
	     "\"uts\"}]}",
	     "linux.sysctl.kernel.hostname"},
	    {"\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_"
	     "FILTER_FLAG_LOG\"]}}",
	     "linux.seccomp.flags"},
	    {"\"linux\":{\"seccomp\":{\"defaultAction\":\"scmp_act_allow\"}}",
	     "linux.seccomp.defaultAction"},
	    {"\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_NOTIFY\",\"listenerPath\":"
	     "\"/s\"}}",
	     "linux.seccomp.defaultAction"},
	    {"\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":["
	     "\"SCMP_ARCH_RISCV64\"]}}",
	     "linux.seccomp.architectures[0]"},
	    {"\"linux\":{\"seccomp\":{\"syscalls\":[{\"names\":[\"getcwd\"]}]}}",
	     "linux.seccomp.defaultAction"},
	    {"\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{"
	     "\"names\":[\"getcwd\"],\"action\":\"\"}]}}",
	     "linux.seccomp.syscalls[0].action"},
	    {"\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{"
	     "\"names\":[\"getcwd\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}}",
	     "linux.seccomp.syscalls[0].action"},
	    {"\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{"
	     "\"names\":[\"getcwd\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"op\":"
	     "\"SCMP_CMP_BOGUS\"}]}]}}",
	     "linux.seccomp.syscalls[0].args[0].op"},
	    /* runc 1.1.5's seccomp init, run here (sixteenth pass, part I) */
	    {"\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{"
	     "\"names\":[\"nosuch\",\"\"],\"action\":\"SCMP_ACT_ERRNO\"}]}}",
	     "linux.seccomp.syscalls[0].names[1]"},
	    {"\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{"
	     "\"names\":[null],\"action\":\"SCMP_ACT_ERRNO\"}]}}",
	     "linux.seccomp.syscalls[0].names[0]"},
	    {"\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":"
	     "\"/s\",\"syscalls\":[{\"names\":[\"getpid\",\"write\"],\"action\":"
	     "\"SCMP_ACT_NOTIFY\"}]}}",
	     "linux.seccomp.syscalls[0].names[1]"},
	    {"\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{"
	     "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"op\":\"X\"}]},{\"names\":[\"a\"],"
	     "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"op\":\"Y\"}]}]}}",
	     "linux.seccomp.syscalls[1].args[0].op"},
	    /* second round: a NUL in a sysctl's name, an empty or null syscall name */
	    {"\"linux\":{\"sysctl\":{\"kernel.domainname\\u0000x\":\"1\"},\"namespaces\":[{"
	     "\"type\":\"uts\"}]}",
	     "linux.sysctl.kernel.domainname"},
	    {"\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{"
	     "\"names\":[\"getcwd\",\"\"],\"action\":\"SCMP_ACT_ALLOW\"}]}}",
	     "linux.seccomp.syscalls[0].names[1]"},
	    {"\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{"
	     "\"names\":[null],\"action\":\"SCMP_ACT_ALLOW\"}]}}",
	     "linux.seccomp.syscalls[0].names[0]"},
	    /* an errno libseccomp refuses (4095 or more, modulo 65536) */
	    {"\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{"
	     "\"names\":[\"acct\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":4095}]}}",
	     "linux.seccomp.syscalls[0].errnoRet"},
	    {"\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{"
	     "\"names\":[\"acct\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":65535}]}}",
	     "linux.seccomp.syscalls[0].errnoRet"},
	    {"\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":"
	     "4095}}",
	     "linux.seccomp.defaultErrnoRet"},
	};
	struct cs_oci_config c;
	struct cs_diag d;
	char json[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(json, sizeof(json), "{\"root\":{\"path\":\"r\"},\n%s%s}", bad[i].extra,
			 strstr(bad[i].extra, "\"process\"") ? ""
							     : ",\"process\":{\"args\":[\"x\"]}");
		assert_int_equal(parse(json, &c, &d), -EINVAL);
		assert_string_equal(d.field, bad[i].field);
		assert_int_equal(d.line, 2);
		assert_non_null(strstr(d.message, "runc"));
		cs_oci_config_free(&c);
	}
	/* what runc takes: a uts namespace, no hostname, an empty one, the
	 * sixteen rlimits, soft equal to hard, a known propagation */
	assert_int_equal(
	    parse(
		"{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"],\"rlimits\":[{\"type\":"
		"\"RLIMIT_RTTIME\",\"hard\":1,\"soft\":1}]},\"hostname\":\"h\",\"linux\":{"
		"\"namespaces\":[{\"type\":\"uts\"},{\"type\":\"ipc\"},{\"type\":\"network\"}],"
		"\"sysctl\":{\"kernel/shmmax\":\"1\",\"fs.mqueue.msg_max\":\"1\",\"net.ipv4.x\":"
		"\"1\",\"kernel.domainname\":\"d\"},\"rootfsPropagation\":\"rslave\",\"seccomp\":{"
		"\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
		"\"listenerPath\":\"/s\",\"syscalls\":[{\"names\":[\"x\"],\"action\":"
		"\"SCMP_ACT_NOTIFY\",\"args\":[{\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}}}",
		&c, &d),
	    0);
	cs_oci_config_free(&c);
	assert_int_equal(
	    parse("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"]},"
		  "\"hostname\":\"\",\"linux\":{\"rootfsPropagation\":\"\",\"seccomp\":{"
		  "\"defaultAction\":\"\",\"flags\":[\"X\"],\"architectures\":[\"Y\"]}}}",
		  &c, &d),
	    0);
	cs_oci_config_free(&c);
	/* a rule without a name: runc reads neither its operators nor its
	 * args, and its NOTIFY needs no listener; write under another action
	 * (all run by runc here) */
	assert_int_equal(
	    parse("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"]},\"linux\":{"
		  "\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[],"
		  "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"op\":\"BOGUS\"}]},{\"action\":"
		  "\"SCMP_ACT_KILL\",\"args\":[{\"op\":\"\"}]},{\"names\":[\"write\"],"
		  "\"action\":\"SCMP_ACT_ERRNO\"},{\"action\":\"SCMP_ACT_NOTIFY\"}]}}}",
		  &c, &d),
	    0);
	cs_oci_config_free(&c);
	/* second round: a rule naming no syscall has its operators and its
	 * NOTIFY's listener never looked at by runc 1.1.5 (run: it starts) */
	assert_int_equal(
	    parse("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"]},\"linux\":{"
		  "\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[],"
		  "\"action\":\"SCMP_ACT_NOTIFY\",\"args\":[{\"op\":\"BOGUS\"}]},{\"action\":"
		  "\"SCMP_ACT_NOTIFY\",\"args\":[{\"op\":\"\"}]}]}}}",
		  &c, &d),
	    0);
	cs_oci_config_free(&c);
	/* errnos runc 1.1.5 takes (run): 4094, 65536 and 135166 (4094 modulo
	 * 65536); any errnoRet beside another action; a default errno beside
	 * SCMP_ACT_ALLOW */
	assert_int_equal(
	    parse("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"]},\"linux\":{"
		  "\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultErrnoRet\":4096,"
		  "\"syscalls\":[{\"names\":[\"acct\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":"
		  "4094},{\"names\":[\"acct\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":65536},{"
		  "\"names\":[\"acct\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":135166},{"
		  "\"names\":[\"acct\"],\"action\":\"SCMP_ACT_ALLOW\",\"errnoRet\":65535}]}}}",
		  &c, &d),
	    0);
	cs_oci_config_free(&c);
}

/* Sixteenth pass: the other platforms' sections and the fields Debian's
 * runc 1.1.5 decodes beyond the typed set (domainname, zos, a mount's id
 * mappings, cpu burst and idle, checkBeforeUpdate) were read whatever their
 * type; runc refuses each of these bundles ("json: cannot unmarshal"). */
static void config_platform_types(void **state)
{
	static const struct {
		const char *extra, *field;
	} bad[] = {
	    {"\"solaris\":{\"milestone\":5}", "solaris.milestone"},
	    {"\"solaris\":{\"anet\":[{\"macAddress\":5}]}", "solaris.anet[0].macAddress"},
	    {"\"solaris\":{\"cappedCPU\":{\"ncpus\":5}}", "solaris.cappedCPU.ncpus"},
	    {"\"windows\":{\"layerFolders\":5}", "windows.layerFolders"},
	    {"\"windows\":{\"resources\":{\"cpu\":{\"shares\":70000}}}",
	     "windows.resources.cpu.shares"},
	    {"\"windows\":{\"network\":{\"dnssearchlist\":5}}", "windows.network.DNSSearchList"},
	    {"\"windows\":{\"hyperv\":5}", "windows.hyperv"},
	    {"\"vm\":{\"kernel\":{\"initrd\":5}}", "vm.kernel.initrd"},
	    {"\"vm\":{\"image\":{\"format\":[]}}", "vm.image.format"},
	    {"\"domainname\":5", "domainname"},
	    {"\"zos\":{\"devices\":[{\"fileMode\":-1}]}", "zos.devices[0].fileMode"},
	    {"\"mounts\":[{\"destination\":\"/x\",\"uidMappings\":5}]", "mounts[0].uidMappings"},
	    {"\"linux\":{\"resources\":{\"cpu\":{\"burst\":-1}}}", "linux.resources.cpu.burst"},
	    {"\"linux\":{\"resources\":{\"cpu\":{\"idle\":\"x\"}}}", "linux.resources.cpu.idle"},
	    {"\"linux\":{\"resources\":{\"memory\":{\"checkBeforeUpdate\":5}}}",
	     "linux.resources.memory.checkBeforeUpdate"},
	};
	struct cs_oci_config c;
	struct cs_diag d;
	char json[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(json, sizeof(json),
			 "{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"]},\n%s}",
			 bad[i].extra);
		assert_int_equal(parse(json, &c, &d), -EINVAL);
		assert_string_equal(d.field, bad[i].field);
		assert_int_equal(d.line, 2);
		cs_oci_config_free(&c);
	}
	/* what runc takes: any credentialSpec, a null VM struct, the fields it
	 * does not know (scheduler, ioPriority, timeOffsets) of any type */
	assert_int_equal(
	    parse("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"],"
		  "\"scheduler\":5,\"ioPriority\":5},\"windows\":{\"credentialSpec\":5,"
		  "\"layerFolders\":[\"a\"],\"resources\":{\"cpu\":{\"shares\":65535}}},"
		  "\"vm\":{\"hypervisor\":null},\"linux\":{\"timeOffsets\":5},"
		  "\"domainname\":\"d\"}",
		  &c, &d),
	    0);
	cs_oci_config_free(&c);
}

/* Twenty-first pass, part H (held, kept): keys as runc's Go encoding/json
 * matches them: without case, through escapes, and with Unicode's simple
 * folds (U+017F, long s, is 's'); a value after the object is not read
 * (runc's json.Decoder reads the first). Each read as `process` and its
 * `capabilities`, never passed over as unknown. */
static void config_go_key_folding(void **state)
{
	static const char *const ok[] = {
	    "{\"root\":{\"path\":\"/r\"},\"Process\":{\"args\":[\"sh\"],"
	    "\"CAPABILITIES\":{\"Bounding\":[\"CAP_KILL\"]}}}",
	    "{\"root\":{\"path\":\"/r\"},\"pro\\u0063ess\":{\"args\":[\"sh\"],"
	    "\"capabilities\":{\"bounding\":[\"CAP_\\u004bILL\"]}}}",
	    "{\"root\":{\"path\":\"/r\"},\"proce\xc5\xbfs\":{\"args\":[\"sh\"],"
	    "\"capabilitie\xc5\xbf\":{\"bounding\":[\"CAP_KILL\"]}}}",
	    "{\"root\":{\"path\":\"/r\"},\"process\":{\"args\":[\"sh\"],"
	    "\"capabilities\":{\"bounding\":[\"CAP_KILL\"]}}} {}",
	};
	struct cs_oci_config c;
	struct cs_diag d;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (parse(ok[i], &c, &d) != 0)
			fail_msg("%zu: %s", i, d.message);
		assert_int_equal(c.nargs, 1);
		assert_int_equal(c.process.caps.set[CS_BND], M(5));
		cs_oci_config_free(&c);
	}
}

/* Session 13, part A (the twelfth pass's open find): two keys for one field
 * the model does not read were not refused. Go decodes both and keeps the
 * later: "hostname":"a","Hostname":5 fails runc on the second, and two
 * memory limits leave the later; the checks saw the first only. */
static void config_unread_dups(void **state)
{
	/* The first is refused by the second key's type, as runc refuses it
	 * (Go type-checks every key of a field: eighteenth pass). */
	static const char *const bad[] = {
	    "\"hostname\":\"a\",\n\"Hostname\":5",
	    "\"hooks\":{\"prestart\":[],\n\"Prestart\":[{\"path\":\"/x\"}]}",
	    "\"linux\":{\"resources\":{\"memory\":{\"limit\":1,\n\"LIMIT\":2}}}",
	    "\"mounts\":[{\"destination\":\"/p\",\n\"Destination\":\"/q\"}]",
	};
	struct cs_oci_config c;
	struct cs_diag d;
	char json[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(json, sizeof(json),
			 "{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"]},%s}", bad[i]);
		assert_int_equal(parse(json, &c, &d), -EINVAL);
		assert_int_equal(d.line, 2);
		assert_non_null(strstr(d.message, i ? "a second key" : "must be a string"));
		assert_string_equal(d.file, "config.json");
		cs_oci_config_free(&c);
	}
	/* one key a field; an unknown key in two cases (Go ignores both): read */
	assert_int_equal(parse("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"]},"
			       "\"hostname\":\"a\",\"xNew\":1,\"XNEW\":2,"
			       "\"linux\":{\"namespaces\":[{\"type\":\"uts\"}]}}",
			       &c, &d),
			 0);
	cs_oci_config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(config_basic),	     cmocka_unit_test(config_null_items),
	    cmocka_unit_test(config_go_key_folding), cmocka_unit_test(config_namespaces),
	    cmocka_unit_test(config_errors),	     cmocka_unit_test(config_key_case),
	    cmocka_unit_test(config_unknown_names),  cmocka_unit_test(runc_article),
	    cmocka_unit_test(config_other_types),    cmocka_unit_test(config_unread_dups),
	    cmocka_unit_test(config_first_value),    cmocka_unit_test(resolver),
	    cmocka_unit_test(config_platform_types), cmocka_unit_test(config_runc_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
