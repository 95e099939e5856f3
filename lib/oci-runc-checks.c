/* SPDX-License-Identifier: MIT */
/*
 * What runc 1.1 refuses in config.json fields the model does not read,
 * after Go has decoded them (their types are oci-types.c's): each fails
 * `runc create` before the process exists, so a prediction of that process
 * would be of one that never runs (sixteenth pass: all four were read and
 * predicted). Compared with Debian's runc 1.1.5 here:
 *   - hostname without a uts namespace: the config validator's "unable to
 *     set hostname without a private UTS namespace";
 *   - an rlimit type specconv does not know ("wrong rlimit value: X", case
 *     sensitive; a missing type is ""), a soft limit above the hard one
 *     (setrlimit's EINVAL in runc init);
 *   - a rootfsPropagation specconv has no mapping for ("... is not
 *     supported");
 *   - a sysctl the validator does not place in a namespace of the
 *     container's own (below).
 * Keys are found as Go finds them; a second key for one field has been
 * refused before this runs.
 */
#include "internal/oci-types.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "capscope/number.h"
#include "internal/json-tree.h"
#include "internal/util.h"

typedef const struct ydoc_node node;

static node *go_get(node *map, const char *name)
{
	node *dup = NULL;

	return cs_json_is_null(map) ? NULL : cs_json_get_go(map, name, &dup);
}

static bool text_is(node *n, const char *s)
{
	return n->n == strlen(s) && !memcmp(n->u.text, s, n->n);
}

static bool one_of(node *n, const char *const *list)
{
	for (; *list; list++)
		if (text_is(n, *list))
			return true;
	return false;
}

static uint64_t u64_of(node *n)
{
	uint64_t v = 0;

	if (!cs_json_is_null(n))
		(void)cs_parse_u64n(n->u.text, n->n, CS_NUM_DEC, UINT64_MAX, &v);
	return v;
}

static int key_error(struct cs_diag *d, node *k, const char *why)
{
	char f[300];

	snprintf(f, sizeof(f), "linux.sysctl.%.*s%s", CS_MSG_CUT(k->u.text, k->n, 200));
	return ydoc_error(d, k, EINVAL, f,
			  "a sysctl runc refuses here (%s): it does not create the container", why);
}

static int hostname(node *root, struct cs_diag *d)
{
	node *h = go_get(root, "hostname"), *ns = go_get(go_get(root, "linux"), "namespaces");

	if (cs_json_is_null(h) || !h->n)
		return 0;
	for (uint32_t i = 0; ns && ns->kind == YDOC_SEQ && i < ns->n; i++) {
		node *t = go_get(ns->u.items[i], "type");

		if (!cs_json_is_null(t) && text_is(t, "uts"))
			return 0;
	}
	return ydoc_error(d, h, EINVAL, "hostname",
			  "a hostname without a uts namespace in linux.namespaces: runc refuses "
			  "the bundle (unable to set hostname without a private UTS namespace)");
}

static int rlimits(node *root, struct cs_diag *d)
{
	static const char *const types[] = {"RLIMIT_AS",
					    "RLIMIT_CORE",
					    "RLIMIT_CPU",
					    "RLIMIT_DATA",
					    "RLIMIT_FSIZE",
					    "RLIMIT_LOCKS",
					    "RLIMIT_MEMLOCK",
					    "RLIMIT_MSGQUEUE",
					    "RLIMIT_NICE",
					    "RLIMIT_NOFILE",
					    "RLIMIT_NPROC",
					    "RLIMIT_RSS",
					    "RLIMIT_RTPRIO",
					    "RLIMIT_RTTIME",
					    "RLIMIT_SIGPENDING",
					    "RLIMIT_STACK",
					    NULL};
	node *rl = go_get(go_get(root, "process"), "rlimits");
	char f[64];

	for (uint32_t i = 0; rl && rl->kind == YDOC_SEQ && i < rl->n; i++) {
		node *item = rl->u.items[i], *t = go_get(item, "type");
		node *soft = go_get(item, "soft");

		snprintf(f, sizeof(f), "process.rlimits[%u].type", i);
		if (cs_json_is_null(t) || !one_of(t, types))
			return ydoc_error(d, cs_json_is_null(t) ? item : t, EINVAL, f,
					  "'%.*s%s' is not an rlimit runc knows (RLIMIT_NOFILE, "
					  "RLIMIT_NPROC, ...; upper case): runc refuses the bundle "
					  "(wrong rlimit value)",
					  CS_MSG_CUT(cs_json_is_null(t) ? "" : t->u.text,
						     cs_json_is_null(t) ? 0 : t->n, 32));
		snprintf(f, sizeof(f), "process.rlimits[%u].soft", i);
		if (u64_of(soft) > u64_of(go_get(item, "hard")))
			return ydoc_error(d, soft, EINVAL, f,
					  "a soft limit above the hard one: setrlimit fails in "
					  "runc init and the container does not start");
	}
	return 0;
}

/* Whether linux.namespaces has type t; *path set to its path node. */
static bool has_ns(node *root, const char *t, node **path)
{
	node *ns = go_get(go_get(root, "linux"), "namespaces");

	for (uint32_t i = 0; ns && ns->kind == YDOC_SEQ && i < ns->n; i++) {
		node *n = go_get(ns->u.items[i], "type");

		if (!cs_json_is_null(n) && text_is(n, t)) {
			if (path)
				*path = go_get(ns->u.items[i], "path");
			return true;
		}
	}
	return false;
}

/*
 * The config validator's sysctl rule (runc 1.1.5 as Debian builds it, run
 * here; '/' in a name is read as '.'): the IPC ones (eight kernel.* names
 * and fs.mqueue.*) need an ipc namespace, net.* a network namespace that
 * is not the host's, kernel.domainname a uts namespace, kernel.hostname is
 * refused beside the hostname field; any other name is "not in a separate
 * kernel namespace". A network namespace given by path may be the host's,
 * which runc asks the host: taken here as not.
 */
static int sysctls(node *root, struct cs_diag *d)
{
	static const char *const ipc[] = {
	    "kernel.msgmax", "kernel.msgmnb",	       "kernel.msgmni",
	    "kernel.sem",    "kernel.shmall",	       "kernel.shmmax",
	    "kernel.shmmni", "kernel.shm_rmid_forced", NULL};
	node *sc = go_get(go_get(root, "linux"), "sysctl");
	const char *why = NULL;
	char name[256];

	for (uint32_t i = 0; sc && sc->kind == YDOC_MAP && i < sc->n && !why; i++) {
		node *k = sc->u.pairs[i].key;
		size_t n = k->n < sizeof(name) - 1 ? k->n : sizeof(name) - 1;
		struct ydoc_node key = *k;

		memcpy(name, k->u.text, n);
		name[n] = '\0';
		for (char *p = name; (p = strchr(p, '/')); p++)
			*p = '.';
		key.u.text = name;
		key.n = n;
		if (one_of(&key, ipc) || !strncmp(name, "fs.mqueue.", 10))
			why = has_ns(root, "ipc", NULL) ? NULL
							: "not allowed in the host's ipc namespace";
		else if (!strncmp(name, "net.", 4))
			why = has_ns(root, "network", NULL)
				  ? NULL
				  : "not allowed in the host's network namespace";
		else if (!strcmp(name, "kernel.domainname") && has_ns(root, "uts", NULL))
			why = NULL;
		else if (!strcmp(name, "kernel.hostname") && has_ns(root, "uts", NULL))
			why = "not allowed: it conflicts with the hostname field";
		else
			why = "not in a separate kernel namespace";
		if (why)
			return key_error(d, k, why);
	}
	return 0;
}

static int propagation(node *root, struct cs_diag *d)
{
	static const char *const known[] = {
	    "",	      "private", "rprivate",   "slave",	      "rslave",
	    "shared", "rshared", "unbindable", "runbindable", NULL};
	node *p = go_get(go_get(root, "linux"), "rootfsPropagation");

	if (cs_json_is_null(p) || one_of(p, known))
		return 0;
	return ydoc_error(d, p, EINVAL, "linux.rootfsPropagation",
			  "'%.*s%s' is no propagation runc knows (private, rprivate, slave, "
			  "rslave, shared, rshared, unbindable, runbindable; lower case): runc "
			  "refuses the bundle (not supported)",
			  CS_MSG_CUT(p->u.text, p->n, 32));
}

int cs_oci_runc_checks(const struct ydoc_node *root, struct cs_diag *d)
{
	int rc = propagation(root, d);

	if (!rc)
		rc = rlimits(root, d);
	if (!rc)
		rc = sysctls(root, d);
	return rc ? rc : hostname(root, d);
}
