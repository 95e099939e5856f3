/* SPDX-License-Identifier: MIT */
/*
 * dockerd's daemon.json, read as dockerd 20.10.24 reads it when it starts
 * (daemon/config/config.go getConflictFreeConfiguration, read in moby's
 * v20.10.24 tag and run against Debian's dockerd 20.10.24):
 *
 *  1. json.Decoder.Decode: the first JSON value only (text after it is not
 *     read), into a map: anything but an object or null stops dockerd; an
 *     empty file too (EOF).
 *  2. configValuesSet: a key whose value is an object is replaced by that
 *     object's keys, unless it is one of the six "flat" options
 *     (log-opts, runtimes, ...); findConfigurationConflicts then refuses
 *     every resulting key that is not the exact name of one of dockerd's
 *     flags, of a list or map option's file name, or of the two options it
 *     skips ("the following directives don't match any configuration
 *     option").
 *  3. json.Decoder.Decode into the Config struct: each key matched to a
 *     field without case, a value of another type stops dockerd; so do
 *     the types' own readers (an IP address, a size).
 *
 * A key found inside another object is a flag to dockerd, which sets a
 * boolean one from it; the model reads no-new-privileges at the top level
 * only, so such a key of the model is refused rather than guessed at.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capscope/cri.h"
#include "internal/json-tree.h"
#include "internal/json-types.h"
#include "internal/util.h"

typedef const struct ydoc_node node;

/* Every name findConfigurationConflicts takes in 20.10.24: the flags'
 * names (cmd/dockerd config.go, config_unix.go, config_common_unix.go,
 * options.go, docker.go and cobra's help), the file names of list and
 * map options (NamedOption), and skipValidateOptions. */
static const char *const known[] = {
    "add-runtime",
    "allow-nondistributable-artifacts",
    "api-cors-header",
    "authorization-plugin",
    "authorization-plugins",
    "bip",
    "bridge",
    "builder",
    "cgroup-parent",
    "cluster-advertise",
    "cluster-store",
    "cluster-store-opt",
    "cluster-store-opts",
    "config-file",
    "containerd",
    "containerd-namespace",
    "containerd-plugins-namespace",
    "cpu-rt-period",
    "cpu-rt-runtime",
    "cri-containerd",
    "data-root",
    "debug",
    "default-address-pool",
    "default-address-pools",
    "default-cgroupns-mode",
    "default-gateway",
    "default-gateway-v6",
    "default-ipc-mode",
    "default-runtime",
    "default-shm-size",
    "default-ulimit",
    "default-ulimits",
    "deprecated-key-path",
    "dns",
    "dns-opt",
    "dns-opts",
    "dns-search",
    "exec-opt",
    "exec-opts",
    "exec-root",
    "experimental",
    "features",
    "fixed-cidr",
    "fixed-cidr-v6",
    "graph",
    "group",
    "help",
    "host",
    "host-gateway-ip",
    "hosts",
    "icc",
    "init",
    "init-path",
    "insecure-registries",
    "insecure-registry",
    "ip",
    "ip-forward",
    "ip-masq",
    "ip6tables",
    "iptables",
    "ipv6",
    "label",
    "labels",
    "live-restore",
    "log-driver",
    "log-level",
    "log-opt",
    "log-opts",
    "max-concurrent-downloads",
    "max-concurrent-uploads",
    "max-download-attempts",
    "metrics-addr",
    "mtu",
    "network-control-plane-mtu",
    "network-diagnostic-port",
    "no-new-privileges",
    "node-generic-resource",
    "node-generic-resources",
    "oom-score-adjust",
    "pidfile",
    "raw-logs",
    "registry-mirror",
    "registry-mirrors",
    "restart",
    "rootless",
    "runtimes",
    "seccomp-profile",
    "selinux-enabled",
    "shutdown-timeout",
    "storage-driver",
    "storage-opt",
    "storage-opts",
    "swarm-default-advertise-addr",
    "tls",
    "tlscacert",
    "tlscert",
    "tlskey",
    "tlsverify",
    "userland-proxy",
    "userland-proxy-path",
    "userns-remap",
    "version",
};

/* flatOptions: objects whose keys are not options. */
static const char *const flat[] = {"cluster-store-opts", "log-opts", "runtimes",
				   "default-ulimits",	 "features", "builder"};

/* The keys the model reads (or refuses), at the top level only. */
static const char *const modelled[] = {"no-new-privileges", "userns-remap", "rootless",
				       "default-runtime"};

static const struct cs_json_field ulimit[] = {
    {"Name", CS_JS_STR, NULL}, {"Hard", CS_JS_I64, NULL}, {"Soft", CS_JS_I64, NULL}, {0}};
static const struct cs_json_field runtime[] = {
    {"path", CS_JS_STR, NULL}, {"runtimeArgs", CS_JS_STRV, NULL}, {0}};
static const struct cs_json_field pool[] = {
    {"base", CS_JS_STR, NULL}, {"size", CS_JS_I64, NULL}, {0}};
static const struct cs_json_field gc_rule[] = {
    {"All", CS_JS_BOOL, NULL}, {"KeepStorage", CS_JS_STR, NULL}, {0}};
static const struct cs_json_field gc[] = {{"Enabled", CS_JS_BOOL, NULL},
					  {"Policy", CS_JS_OBJ_ARRAY, gc_rule},
					  {"DefaultKeepStorage", CS_JS_STR, NULL},
					  {0}};
static const struct cs_json_field entitlements[] = {
    {"network-host", CS_JS_BOOL, NULL}, {"security-insecure", CS_JS_BOOL, NULL}, {0}};
static const struct cs_json_field builder[] = {
    {"GC", CS_JS_OBJ, gc}, {"Entitlements", CS_JS_OBJ, entitlements}, {0}};

/* The Config struct's JSON fields on Linux (daemon/config config.go,
 * config_unix.go, config_common_unix.go; registry/config.go), as Go types. */
static const struct cs_json_field fields[] = {
    {"log-driver", CS_JS_STR, NULL},
    {"log-opts", CS_JS_STR_MAP, NULL},
    {"bridge", CS_JS_STR, NULL},
    {"fixed-cidr", CS_JS_STR, NULL},
    {"default-address-pools", CS_JS_OBJ_ARRAY, pool},
    {"network-control-plane-mtu", CS_JS_I64, NULL},
    {"tlscacert", CS_JS_STR, NULL},
    {"tlscert", CS_JS_STR, NULL},
    {"tlskey", CS_JS_STR, NULL},
    {"dns", CS_JS_STRV, NULL},
    {"dns-opts", CS_JS_STRV, NULL},
    {"dns-search", CS_JS_STRV, NULL},
    {"host-gateway-ip", CS_JS_STR, NULL},
    {"authorization-plugins", CS_JS_STRV, NULL},
    {"exec-opts", CS_JS_STRV, NULL},
    {"storage-driver", CS_JS_STR, NULL},
    {"storage-opts", CS_JS_STRV, NULL},
    {"labels", CS_JS_STRV, NULL},
    {"mtu", CS_JS_I64, NULL},
    {"network-diagnostic-port", CS_JS_I64, NULL},
    {"pidfile", CS_JS_STR, NULL},
    {"raw-logs", CS_JS_BOOL, NULL},
    {"graph", CS_JS_STR, NULL},
    {"data-root", CS_JS_STR, NULL},
    {"exec-root", CS_JS_STR, NULL},
    {"group", CS_JS_STR, NULL},
    {"api-cors-header", CS_JS_STR, NULL},
    {"deprecated-key-path", CS_JS_STR, NULL},
    {"live-restore", CS_JS_BOOL, NULL},
    {"cluster-store", CS_JS_STR, NULL},
    {"cluster-store-opts", CS_JS_STR_MAP, NULL},
    {"cluster-advertise", CS_JS_STR, NULL},
    {"max-concurrent-downloads", CS_JS_I64, NULL},
    {"max-concurrent-uploads", CS_JS_I64, NULL},
    {"max-download-attempts", CS_JS_I64, NULL},
    {"shutdown-timeout", CS_JS_I64, NULL},
    {"debug", CS_JS_BOOL, NULL},
    {"hosts", CS_JS_STRV, NULL},
    {"log-level", CS_JS_STR, NULL},
    {"tls", CS_JS_BOOL, NULL},
    {"tlsverify", CS_JS_BOOL, NULL},
    {"swarm-default-advertise-addr", CS_JS_STR, NULL},
    {"swarm-raft-heartbeat-tick", CS_JS_U32, NULL},
    {"swarm-raft-election-tick", CS_JS_U32, NULL},
    {"metrics-addr", CS_JS_STR, NULL},
    {"experimental", CS_JS_BOOL, NULL},
    {"node-generic-resources", CS_JS_STRV, NULL},
    {"containerd", CS_JS_STR, NULL},
    {"cri-containerd", CS_JS_BOOL, NULL},
    {"features", CS_JS_BOOL_MAP, NULL},
    {"builder", CS_JS_OBJ, builder},
    {"containerd-namespace", CS_JS_STR, NULL},
    {"containerd-plugin-namespace", CS_JS_STR, NULL},
    {"cgroup-parent", CS_JS_STR, NULL},
    {"selinux-enabled", CS_JS_BOOL, NULL},
    {"userns-remap", CS_JS_STR, NULL},
    {"default-ulimits", CS_JS_OBJ_MAP, ulimit},
    {"cpu-rt-period", CS_JS_I64, NULL},
    {"cpu-rt-runtime", CS_JS_I64, NULL},
    {"oom-score-adjust", CS_JS_I64, NULL},
    {"init", CS_JS_BOOL, NULL},
    {"init-path", CS_JS_STR, NULL},
    {"seccomp-profile", CS_JS_STR, NULL},
    {"no-new-privileges", CS_JS_BOOL, NULL},
    {"default-ipc-mode", CS_JS_STR, NULL},
    {"default-cgroupns-mode", CS_JS_STR, NULL},
    {"resolv-conf", CS_JS_STR, NULL},
    {"rootless", CS_JS_BOOL, NULL},
    {"ipv6", CS_JS_BOOL, NULL},
    {"iptables", CS_JS_BOOL, NULL},
    {"ip6tables", CS_JS_BOOL, NULL},
    {"ip-forward", CS_JS_BOOL, NULL},
    {"ip-masq", CS_JS_BOOL, NULL},
    {"userland-proxy", CS_JS_BOOL, NULL},
    {"userland-proxy-path", CS_JS_STR, NULL},
    {"fixed-cidr-v6", CS_JS_STR, NULL},
    {"runtimes", CS_JS_OBJ_MAP, runtime},
    {"default-runtime", CS_JS_STR, NULL},
    {"default-init", CS_JS_STR, NULL},
    {"ip", CS_JS_STR, NULL},
    {"bip", CS_JS_STR, NULL},
    {"default-gateway", CS_JS_STR, NULL},
    {"default-gateway-v6", CS_JS_STR, NULL},
    {"icc", CS_JS_BOOL, NULL},
    {"allow-nondistributable-artifacts", CS_JS_STRV, NULL},
    {"registry-mirrors", CS_JS_STRV, NULL},
    {"insecure-registries", CS_JS_STRV, NULL},
    {"default-shm-size", CS_JS_STR, NULL},
    {0},
};

/* net.IP's UnmarshalText: "" or what net.ParseIP takes. */
static const char *const ip_fields[] = {"host-gateway-ip", "ip", "default-gateway",
					"default-gateway-v6"};

struct reader {
	struct cs_docker_config *c;
	struct cs_diag *d;
};

static bool in(const char *const *list, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == len && !memcmp(list[i], s, len))
			return true;
	return false;
}

#define IN(list, key) in(list, sizeof(list) / sizeof(list[0]), (key)->u.text, (key)->n)

/* d at key k, the key (cut) as the field, and the message. */
static int key_error(struct cs_diag *d, node *k, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int key_error(struct cs_diag *d, node *k, int err, const char *fmt, ...)
{
	char key[72], msg[200];
	va_list ap;

	snprintf(key, sizeof(key), "%.*s%s", CS_MSG_CUT(k->u.text, k->n, 64));
	va_start(ap, fmt);
	cs_vformat_cut(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ydoc_error(d, k, err, key, "%s", msg);
}

/* Steps 2's check: k (with its value v) among dockerd's names; inside
 * names the object it was found in ("" at the top). */
static int one_key(node *k, node *v, const char *inside, struct reader *r)
{
	(void)v;
	if (!IN(known, k))
		return key_error(r->d, k, EINVAL,
				 "no option of dockerd 20.10%s: dockerd does not start (\"the "
				 "following directives don't match any configuration option\")",
				 inside);
	if (*inside && IN(modelled, k))
		return key_error(r->d, k, ENOTSUP,
				 "found%s: dockerd takes it as its command-line flag from there, "
				 "which capscope does not follow; write it at the top level",
				 inside);
	return 0;
}

static int check_keys(node *root, struct reader *r)
{
	for (uint32_t i = 0; i < root->n; i++) {
		node *k = root->u.pairs[i].key, *v = root->u.pairs[i].value;
		char inside[100];
		int e;

		if (v->kind != YDOC_MAP || IN(flat, k)) {
			if ((e = one_key(k, v, "", r)) < 0)
				return e;
			continue;
		}
		cs_format_cut(inside, sizeof(inside), " (inside '%.*s%s')",
			      CS_MSG_CUT(k->u.text, k->n, 40));
		for (uint32_t j = 0; j < v->n; j++)
			if ((e = one_key(v->u.pairs[j].key, v->u.pairs[j].value, inside, r)) < 0)
				return e;
	}
	return 0;
}

/* Step 3 for one pair: Go decodes every occurrence of a field in turn, so
 * each is checked, not only the last. */
static int check_pair(const struct ydoc_pair *p, struct reader *r)
{
	node one = {.kind = YDOC_MAP,
		    .line = p->key->line,
		    .column = p->key->column,
		    .n = 1,
		    .u.pairs = (struct ydoc_pair *)p};
	const struct ydoc_node *dup = NULL;

	for (const struct cs_json_field *f = fields; f->name; f++) {
		struct cs_json_field just[2] = {*f, {0}};

		if (!cs_go_fold_equal(p->key->u.text, p->key->n, f->name))
			continue;
		return cs_json_check_types(&one, just, "", NULL,
					   "dockerd does not start with another type there", &dup,
					   r->d);
	}
	return 0; /* a flag the struct has no field for: Go skips it */
}

/*
 * opts.MemBytes.UnmarshalJSON: go-units' RAMInBytes on the bytes between
 * the quotes as written (an escape is not decoded: "6\u0034M" is refused),
 * matched against ^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$ (ASCII digits),
 * then strconv.ParseFloat of the number, which takes one '.' at most. Each
 * refusal below was dockerd 20.10.24's ("invalid size", "parsing"); "64Q",
 * " 64M" and "1e3" were read, a container predicted (eighteenth pass).
 */
static bool go_units_size(const char *s, size_t n, bool escaped)
{
	size_t i = 0, dots = 0;

	if (escaped)
		return false;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (!i)
		return false;
	while (i < n && s[i] == '.') {
		size_t start = ++i;

		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return false;
		dots++;
	}
	if (i < n && s[i] == ' ')
		i++;
	if (i < n && s[i] && strchr("kKmMgGtTpP", s[i]))
		i++;
	if (i < n && (s[i] == 'i' || s[i] == 'I'))
		i++;
	if (i < n && (s[i] == 'b' || s[i] == 'B'))
		i++;
	return i == n && dots <= 1;
}

/* The values whose own readers run in step 3: net.IP, opts.MemBytes. */
static int check_value(node *k, node *v, struct reader *r)
{
	char text[64];
	unsigned char addr[16];

	if (!cs_json_is_string(v) && !(v->kind == YDOC_SCALAR && cs_json_is_null(v)))
		return 0;
	if (cs_go_fold_equal(k->u.text, k->n, "default-shm-size")) {
		/* MemBytes.UnmarshalJSON wants a quoted size, null included */
		if (!cs_json_is_string(v) || !go_units_size(v->u.text, v->n, v->escaped))
			return key_error(r->d, k, EINVAL,
					 "must be a size such as \"64M\" (digits, one '.' at most, "
					 "then k, m, g, t or p, i and b if wanted, nothing else): "
					 "dockerd does not start (\"invalid size\")");
		return 0;
	}
	for (size_t i = 0; i < sizeof(ip_fields) / sizeof(ip_fields[0]); i++) {
		if (!cs_go_fold_equal(k->u.text, k->n, ip_fields[i]) || !cs_json_is_string(v) ||
		    v->n == 0)
			continue;
		if (v->n >= sizeof(text) || memchr(v->u.text, '\\', v->n)) {
			text[0] = '\0';
		} else {
			memcpy(text, v->u.text, v->n);
			text[v->n] = '\0';
		}
		if (!text[0] ||
		    (inet_pton(AF_INET, text, addr) != 1 && inet_pton(AF_INET6, text, addr) != 1))
			return key_error(r->d, k, EINVAL,
					 "is no IP address: dockerd does not start (\"invalid IP "
					 "address\")");
	}
	return 0;
}

/* The last top-level value of key (Go keeps the last), or NULL. */
static node *last(node *root, const char *key)
{
	node *v = NULL;

	for (uint32_t i = 0; i < root->n; i++)
		if (strlen(key) == root->u.pairs[i].key->n &&
		    !memcmp(root->u.pairs[i].key->u.text, key, root->u.pairs[i].key->n))
			v = root->u.pairs[i].value;
	return v;
}

static bool has_prefix_ci(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && !strncasecmp(s, prefix, k);
}

/* config.Validate's labels: key=value, not in Docker's own namespaces
 * (opts.ValidateLabel). */
static int check_labels(node *v, struct reader *r)
{
	for (uint32_t i = 0; v && v->kind == YDOC_SEQ && i < v->n; i++) {
		node *l = v->u.items[i];

		/* null is Go's "" in a []string: no '=' either */
		if (!cs_json_is_string(l) || !memchr(l->u.text, '=', l->n))
			return ydoc_error(r->d, l, EINVAL, "labels",
					  "not key=value: dockerd does not start (\"bad attribute "
					  "format\")");
		if (has_prefix_ci(l->u.text, l->n, "com.docker.") ||
		    has_prefix_ci(l->u.text, l->n, "io.docker.") ||
		    has_prefix_ci(l->u.text, l->n, "org.dockerproject."))
			return ydoc_error(r->d, l, EINVAL, "labels",
					  "com.docker.*, io.docker.* and org.dockerproject.* are "
					  "Docker's own: dockerd does not start");
	}
	return 0;
}

/* s[0, *n) without Go's white space at either end (strings.TrimSpace). */
static const char *go_trim(const char *s, size_t *n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, start, end, k;

	while (i < *n && (k = cs_go_space_len(u + i, *n - i)) > 0)
		i += k;
	start = end = i;
	while (i < *n) {
		if ((k = cs_go_space_len(u + i, *n - i)) > 0) {
			i += k;
			continue;
		}
		k = cs_utf8_seq_len(u + i, *n - i);
		i += k ? k : 1;
		end = i;
	}
	*n = end - start;
	return s + start;
}

/*
 * exec-opts' cgroup driver, as dockerd 20.10 checks it at start-up (run
 * here: the first entry whose key, split at the first '=' and trimmed, is
 * native.cgroupdriver in any case decides; entries without '=' are passed
 * over; its trimmed value must be "", cgroupfs or systemd, as written;
 * "none" is dockerd's own). dockerd does not start otherwise, and a
 * container was predicted (sixteenth pass).
 */
static int check_exec_opts(node *v, struct reader *r, bool *systemd)
{
	static const char key[] = "native.cgroupdriver";

	for (uint32_t i = 0; v && v->kind == YDOC_SEQ && i < v->n; i++) {
		node *o = v->u.items[i];
		const char *eq = cs_json_is_string(o) ? memchr(o->u.text, '=', o->n) : NULL;
		size_t kn, vn;
		const char *k, *val;

		if (!eq)
			continue;
		kn = (size_t)(eq - o->u.text);
		k = go_trim(o->u.text, &kn);
		if (kn != sizeof(key) - 1 || strncasecmp(k, key, kn))
			continue;
		vn = o->n - (size_t)(eq + 1 - o->u.text);
		val = go_trim(eq + 1, &vn);
		*systemd = vn == 7 && !memcmp(val, "systemd", 7);
		if (!vn || *systemd || (vn == 8 && !memcmp(val, "cgroupfs", 8)))
			return 0;
		return ydoc_error(
		    r->d, o, EINVAL, "exec-opts",
		    vn == 4 && !memcmp(val, "none", 4)
			? "native.cgroupdriver none is dockerd's own: it does not start "
			  "(\"internally used and cannot be specified manually\")"
			: "a native.cgroupdriver other than cgroupfs or systemd: "
			  "dockerd does not start (\"not supported\")");
	}
	return 0;
}

/* The last top-level value of key as a string ("" for none, null, or
 * another type, which step 3 has refused). */
static const char *last_str(node *root, const char *key, size_t *n)
{
	node *v = last(root, key);

	*n = v && cs_json_is_string(v) ? v->n : 0;
	return *n ? v->u.text : "";
}

static bool str_is(const char *s, size_t n, const char *want)
{
	return n == strlen(want) && !memcmp(s, want, n);
}

/* The last top-level value of key is the plain scalar false. */
static bool last_false(node *root, const char *key)
{
	node *v = last(root, key);

	return v && v->kind == YDOC_SCALAR && v->style == YDOC_PLAIN &&
	       str_is(v->u.text, v->n, "false");
}

/*
 * config.ValidatePlatformConfig, the end of config.Validate: the default
 * IPC mode must be "", private or shareable (verifyDefaultIpcMode: host,
 * none or container:ID are valid modes but no default), the default
 * cgroup namespace mode "", host or private; exactly, no case folded.
 * Run against dockerd 20.10.24: "configuration validation from file
 * failed"; capscope predicted (eighteenth pass).
 */
static int check_modes(node *root, struct reader *r)
{
	size_t n;
	const char *s = last_str(root, "default-ipc-mode", &n);

	if (n && !str_is(s, n, "private") && !str_is(s, n, "shareable"))
		return ydoc_error(r->d, last(root, "default-ipc-mode"), EINVAL, "default-ipc-mode",
				  "must be \"private\" or \"shareable\" (or absent): dockerd does "
				  "not start (\"not supported as default value\", \"is invalid\")");
	s = last_str(root, "default-cgroupns-mode", &n);
	if (n && !str_is(s, n, "host") && !str_is(s, n, "private"))
		return ydoc_error(r->d, last(root, "default-cgroupns-mode"), EINVAL,
				  "default-cgroupns-mode",
				  "must be \"host\" or \"private\" (or absent): dockerd does not "
				  "start (\"is invalid\")");
	return 0;
}

/*
 * verifyDaemonSettings' checks of what the file alone decides, before the
 * cgroup driver's: the containers' containerd namespace may not be the
 * plugins' ("plugins.moby": the file cannot set the plugins' one, whose
 * flag and field are spelt apart); a bridge and a bip together; iptables
 * false with icc false. Each was run against dockerd 20.10.24 ("failed to
 * start daemon"); capscope predicted (eighteenth pass).
 */
static int check_settings(node *root, struct reader *r)
{
	size_t n, m;
	const char *s = last_str(root, "containerd-namespace", &n);

	if (str_is(s, n, "plugins.moby"))
		return ydoc_error(r->d, last(root, "containerd-namespace"), EINVAL,
				  "containerd-namespace",
				  "is the plugins' namespace: dockerd does not start (\"containers "
				  "namespace and plugins namespace cannot be the same\")");
	last_str(root, "bridge", &n);
	last_str(root, "bip", &m);
	if (n && m)
		return ydoc_error(r->d, last(root, "bip"), EINVAL, "bip",
				  "given with bridge: dockerd does not start (\"-b & --bip, "
				  "mutually exclusive options\")");
	if (last_false(root, "iptables") && last_false(root, "icc"))
		return ydoc_error(r->d, last(root, "icc"), EINVAL, "icc",
				  "false with iptables false: dockerd does not start (\"ICC=false "
				  "uses iptables to function\")");
	return 0;
}

/*
 * verifyDaemonSettings after the driver: under the systemd cgroup driver
 * a cgroup-parent must be a slice ("xxx.slice": more than 6 bytes, ending
 * so). Only a driver the file names is known here: on a cgroup v2 host
 * dockerd picks systemd when none is named, which capscope cannot see.
 */
static int check_cgroup_parent(node *root, bool systemd, struct reader *r)
{
	size_t n;
	const char *s = last_str(root, "cgroup-parent", &n);

	if (!systemd || !n || (n > 6 && !memcmp(s + n - 6, ".slice", 6)))
		return 0;
	return ydoc_error(
	    r->d, last(root, "cgroup-parent"), EINVAL, "cgroup-parent",
	    "must be a systemd slice (\"xxx.slice\") under native.cgroupdriver=systemd: "
	    "dockerd does not start");
}

/*
 * What dockerd checks after the decode, in its order: config.Validate
 * (labels, the download and upload counts, runc's name kept for itself;
 * another default runtime is refused by model(); the default IPC and
 * cgroup namespace modes), then the log level (configureDaemonLogs:
 * logrus.ParseLevel, any case), then NewDaemon's verifyDaemonSettings
 * (namespaces, bridge and bip, icc, the cgroup driver, cgroup-parent).
 * DNS servers and search domains, hosts and generic resources are not
 * checked here.
 */
static int validate(node *root, struct reader *r)
{
	static const char *const counts[] = {"max-concurrent-downloads", "max-concurrent-uploads",
					     "max-download-attempts"};
	static const char *const levels[] = {"panic",	"fatal", "error", "warn",
					     "warning", "info",	 "debug", "trace"};
	node *v, *lv;
	bool systemd = false;
	int e;

	if ((e = check_labels(last(root, "labels"), r)) < 0)
		return e;
	for (size_t i = 0; i < 3; i++) {
		long long n;

		v = last(root, counts[i]);
		if (v && !cs_json_is_null(v) && cs_go_atoi(v->u.text, v->n, &n) &&
		    (n < 0 || (i == 2 && n == 0)))
			return ydoc_error(r->d, v, EINVAL, counts[i],
					  "must be %s: dockerd does not start",
					  i == 2 ? "1 or more" : "0 or more");
	}
	v = last(root, "runtimes");
	if (v && v->kind == YDOC_MAP)
		for (uint32_t i = 0; i < v->n; i++)
			if (v->u.pairs[i].key->n == 4 &&
			    !memcmp(v->u.pairs[i].key->u.text, "runc", 4))
				return key_error(r->d, v->u.pairs[i].key, EINVAL,
						 "the name runc is dockerd's own: it does not "
						 "start (\"runtime name 'runc' is reserved\")");
	if ((e = check_modes(root, r)) < 0)
		return e;
	lv = last(root, "log-level");
	if (lv && cs_json_is_string(lv) && lv->n) {
		size_t k = 0;

		while (k < 8 &&
		       !(strlen(levels[k]) == lv->n && !strncasecmp(levels[k], lv->u.text, lv->n)))
			k++;
		if (k == 8)
			return ydoc_error(r->d, lv, EINVAL, "log-level",
					  "no logging level (debug, info, warn, error, fatal, "
					  "panic, trace): dockerd does not start");
	}
	if ((e = check_settings(root, r)) < 0 ||
	    (e = check_exec_opts(last(root, "exec-opts"), r, &systemd)) < 0)
		return e;
	return check_cgroup_parent(root, systemd, r);
}

static bool is_true(node *v)
{
	return v->kind == YDOC_SCALAR && v->style == YDOC_PLAIN && v->n == 4 &&
	       !memcmp(v->u.text, "true", 4);
}

/* The model's keys, the last of each at the top level (Go keeps the last). */
static int model(node *root, struct reader *r)
{
	for (uint32_t i = 0; i < root->n; i++) {
		node *k = root->u.pairs[i].key, *v = root->u.pairs[i].value;

		if (k->n == 17 && !memcmp(k->u.text, "no-new-privileges", 17)) {
			r->c->no_new_privs = is_true(v);
			r->c->line = k->line;
			r->c->column = k->column;
		}
	}
	for (uint32_t i = root->n; i-- > 0;) {
		node *k = root->u.pairs[i].key, *v = root->u.pairs[i].value;

		if (k->n == 12 && !memcmp(k->u.text, "userns-remap", 12) && cs_json_is_string(v) &&
		    v->n)
			return key_error(r->d, k, ENOTSUP,
					 "dockerd runs every container in a user namespace "
					 "mapped to a subordinate id range; capscope does not "
					 "model it and makes no prediction");
		if (k->n == 8 && !memcmp(k->u.text, "rootless", 8) && is_true(v))
			return key_error(r->d, k, ENOTSUP,
					 "a rootless dockerd runs in a user namespace of its "
					 "own; capscope does not model it and makes no "
					 "prediction");
		if (k->n == 15 && !memcmp(k->u.text, "default-runtime", 15) &&
		    cs_json_is_string(v) && v->n && !(v->n == 4 && !memcmp(v->u.text, "runc", 4)))
			return key_error(r->d, k, ENOTSUP,
					 "containers run under another OCI runtime than runc; "
					 "capscope models runc only and makes no prediction");
	}
	return 0;
}

static int read_root(void *user, const struct ydoc_node *root)
{
	struct reader *r = user;
	int e;

	if (cs_json_is_null(root))
		return 0; /* json.Decode of null into a map: no keys */
	if (root->kind != YDOC_MAP)
		return ydoc_error(r->d, root, EINVAL, "",
				  "daemon.json must hold a JSON object: dockerd does not start "
				  "(\"cannot unmarshal %s into Go value of type map\")",
				  root->kind == YDOC_SEQ ? "array" : "a scalar");
	if ((e = check_keys(root, r)) < 0)
		return e;
	for (uint32_t i = 0; i < root->n; i++)
		if ((e = check_pair(&root->u.pairs[i], r)) < 0 ||
		    (e = check_value(root->u.pairs[i].key, root->u.pairs[i].value, r)) < 0)
			return e;
	if ((e = validate(root, r)) < 0)
		return e;
	return model(root, r);
}

void cs_docker_config_default(struct cs_docker_config *c)
{
	memset(c, 0, sizeof(*c));
}

int cs_docker_config_parse(struct cs_docker_config *c, const char *buf, size_t len,
			   const char *name, struct cs_diag *d)
{
	struct reader r = {c, d};
	struct cs_docker_config keep = *c;
	int e;

	if (d) {
		memset(d, 0, sizeof(*d));
		cs_diag_put_file(d, "%s", name);
	}
	/* the first value only: json.Decoder stops after it */
	e = cs_json_tree(buf, len, false, "", "not valid JSON: ", read_root, &r, d);
	if (e < 0) {
		const char *m = d ? strstr(d->message, "duplicate key") : NULL;

		/* Go keeps the last of two equal keys; which one the writer
		 * meant cannot be told */
		if (m && (!m[13] || m[13] == ' ')) {
			char key[96]; /* " 'KEY'": the checker's 64 bytes and a cut's "..." */

			snprintf(key, sizeof(key), "%s", m + 13);
			snprintf(d->message, sizeof(d->message),
				 "%s%s%s: dockerd keeps the last, capscope refuses to guess which "
				 "was meant",
				 key[0] ? "the key" : "a key given twice", key,
				 key[0] ? " is given twice" : "");
		}
		*c = keep; /* nothing partial */
		return e;
	}
	snprintf(c->from, sizeof(c->from), "%s", name);
	return 0;
}

int cs_docker_config_load(struct cs_docker_config *c, const char *path, struct cs_diag *d)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	if (d)
		memset(d, 0, sizeof(*d));
	if ((r = cs_read_config_file(path, 4u << 20, "dockerd", &buf, &len, d)) < 0)
		return r;
	r = cs_diag_unsaid(d, cs_docker_config_parse(c, buf, len, path, d));
	free(buf);
	return r;
}
