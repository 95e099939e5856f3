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
 *     supported").
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
	return rc ? rc : hostname(root, d);
}
