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
 *     container's own (below);
 *   - a seccomp section runc cannot build a filter from (below).
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
			  "a sysctl runc refuses here (%s%s): it does not create the container",
			  why, memchr(k->u.text, 0, k->n) ? "; the name holds a NUL byte" : "");
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
char cs_runc_sysctl_kind(const char *name, size_t n)
{
	static const char *const ipc[] = {
	    "kernel.msgmax", "kernel.msgmnb",	       "kernel.msgmni",
	    "kernel.sem",    "kernel.shmall",	       "kernel.shmmax",
	    "kernel.shmmni", "kernel.shm_rmid_forced", NULL};

	for (size_t i = 0; ipc[i]; i++)
		if (n == strlen(ipc[i]) && !memcmp(name, ipc[i], n))
			return 'I';
	if (n >= 10 && !memcmp(name, "fs.mqueue.", 10))
		return 'I';
	if (n >= 4 && !memcmp(name, "net.", 4))
		return 'N';
	/* by length: Go's names hold a NUL ("kernel.domainname\u0000x" is
	 * no name runc places: refused) */
	if (n == strlen("kernel.domainname") && !memcmp(name, "kernel.domainname", n))
		return 'D';
	if (n == strlen("kernel.hostname") && !memcmp(name, "kernel.hostname", n))
		return 'H';
	return 0;
}

static int sysctls(node *root, struct cs_diag *d)
{
	node *sc = go_get(go_get(root, "linux"), "sysctl");
	const char *why = NULL;
	char name[256];

	for (uint32_t i = 0; sc && sc->kind == YDOC_MAP && i < sc->n && !why; i++) {
		node *k = sc->u.pairs[i].key;
		size_t n = k->n < sizeof(name) - 1 ? k->n : sizeof(name) - 1;
		char kind;

		memcpy(name, k->u.text, n);
		name[n] = '\0';
		for (char *p = name; (p = memchr(p, '/', (size_t)(name + n - p))); p++)
			*p = '.';
		kind = cs_runc_sysctl_kind(name, n);
		if (kind == 'I')
			why = has_ns(root, "ipc", NULL) ? NULL
							: "not allowed in the host's ipc namespace";
		else if (kind == 'N')
			why = has_ns(root, "network", NULL)
				  ? NULL
				  : "not allowed in the host's network namespace";
		else if (kind == 'D' && has_ns(root, "uts", NULL))
			why = NULL;
		else if (kind == 'H' && has_ns(root, "uts", NULL))
			why = "not allowed: it conflicts with the hostname field";
		else
			why = "not in a separate kernel namespace";
		if (why)
			return key_error(d, k, why);
	}
	return 0;
}

/*
 * A rule's names as runc 1.1.5's seccomp init reads them (run here): an
 * empty name fails it ("empty string is not a valid syscall") whether or
 * not the others resolve, and so does SCMP_ACT_NOTIFY on `write` (its
 * agent could not be told). Returns how many names the rule has (runc
 * converts a rule's args once per name: a rule without one has its
 * operators never read, so a bad one there starts the container), or a
 * refusal.
 */
static int rule_names(node *rule, uint32_t i, bool notify, struct cs_diag *d)
{
	node *names = go_get(rule, "names");
	char f[96];

	if (!names || names->kind != YDOC_SEQ)
		return 0;
	for (uint32_t k = 0; k < names->n; k++) {
		node *nm = names->u.items[k];
		bool empty = cs_json_is_null(nm) || !nm->n;

		snprintf(f, sizeof(f), "linux.seccomp.syscalls[%u].names[%u]", i, k);
		if (empty || (notify && text_is(nm, "write")))
			return ydoc_error(d, nm, EINVAL, f,
					  empty
					      ? "an empty syscall name: runc refuses the bundle "
						"(empty string is not a valid syscall)"
					      : "SCMP_ACT_NOTIFY on write: runc refuses the bundle "
						"(its agent could not be told)");
	}
	return (int)(names->n > INT32_MAX ? INT32_MAX : names->n);
}

/*
 * An errno for SCMP_ACT_ERRNO that libseccomp refuses: runc hands it over
 * as an int16 (so modulo 65536) and libseccomp takes below MAX_ERRNO
 * (4095) only. Run here: 4094, 65536 and 135166 start; 4095 and 65535 do
 * not, as a rule's return or as the default one.
 */
static const char errno_why[] = "an errno of 4095 or more (modulo 65536)";

static bool errno_over(node *n)
{
	return !cs_json_is_null(n) && (u64_of(n) & 0xffff) >= 4095;
}

/*
 * linux.seccomp as runc 1.1.5 (Debian's) builds it, run here: nothing is
 * checked when it has neither a default action nor a syscall rule;
 * otherwise any flag is refused ("not yet supported"), every action and
 * operator (of a rule with a name) must be one of libseccomp's names as
 * written, NOTIFY is no default action and needs a listenerPath, an
 * ERRNO's return is one libseccomp takes (errno_over), and an
 * architecture must be one runc names (whether libseccomp can add it to
 * this host's filter is the host's: not checked). An argument index past
 * 5 fails only on a name this host's libseccomp resolves: not checked
 * (capscope has no syscall table).
 */
static int seccomp(node *root, struct cs_diag *d)
{
	static const char *const acts[] = {"SCMP_ACT_KILL",	   "SCMP_ACT_KILL_PROCESS",
					   "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
					   "SCMP_ACT_ERRNO",	   "SCMP_ACT_TRACE",
					   "SCMP_ACT_ALLOW",	   "SCMP_ACT_LOG",
					   "SCMP_ACT_NOTIFY",	   NULL};
	static const char *const ops[] = {"SCMP_CMP_NE",	"SCMP_CMP_LT", "SCMP_CMP_LE",
					  "SCMP_CMP_EQ",	"SCMP_CMP_GE", "SCMP_CMP_GT",
					  "SCMP_CMP_MASKED_EQ", NULL};
	static const char *const archs[] = {"SCMP_ARCH_X86",
					    "SCMP_ARCH_X86_64",
					    "SCMP_ARCH_X32",
					    "SCMP_ARCH_ARM",
					    "SCMP_ARCH_AARCH64",
					    "SCMP_ARCH_MIPS",
					    "SCMP_ARCH_MIPS64",
					    "SCMP_ARCH_MIPS64N32",
					    "SCMP_ARCH_MIPSEL",
					    "SCMP_ARCH_MIPSEL64",
					    "SCMP_ARCH_MIPSEL64N32",
					    "SCMP_ARCH_PPC",
					    "SCMP_ARCH_PPC64",
					    "SCMP_ARCH_PPC64LE",
					    "SCMP_ARCH_S390",
					    "SCMP_ARCH_S390X",
					    NULL};
	static const char why[] = "runc refuses the bundle";
	node *sc = go_get(go_get(root, "linux"), "seccomp");
	node *def = go_get(sc, "defaultAction"), *sys = go_get(sc, "syscalls");
	node *flags = go_get(sc, "flags"), *arch = go_get(sc, "architectures");
	node *lp = go_get(sc, "listenerPath"), *e;
	bool has_sys = sys && sys->kind == YDOC_SEQ && sys->n;
	bool listener = !cs_json_is_null(lp) && lp->n;
	char f[96];
	int rc;

	if ((cs_json_is_null(def) || !def->n) && !has_sys)
		return 0;
	if (flags && flags->kind == YDOC_SEQ && flags->n)
		return ydoc_error(d, flags, EINVAL, "linux.seccomp.flags",
				  "seccomp flags: %s (not yet supported)", why);
	if (cs_json_is_null(def) || !one_of(def, acts) || text_is(def, "SCMP_ACT_NOTIFY"))
		return ydoc_error(
		    d, cs_json_is_null(def) ? sc : def, EINVAL, "linux.seccomp.defaultAction",
		    "not a default action runc takes (SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, "
		    "...; not SCMP_ACT_NOTIFY): %s",
		    why);
	if ((e = go_get(sc, "defaultErrnoRet")) && text_is(def, "SCMP_ACT_ERRNO") && errno_over(e))
		return ydoc_error(d, e, EINVAL, "linux.seccomp.defaultErrnoRet",
				  "%s as SCMP_ACT_ERRNO's return: %s (could not create filter)",
				  errno_why, why);
	for (uint32_t i = 0; arch && arch->kind == YDOC_SEQ && i < arch->n; i++)
		if (cs_json_is_null(arch->u.items[i]) || !one_of(arch->u.items[i], archs)) {
			snprintf(f, sizeof(f), "linux.seccomp.architectures[%u]", i);
			return ydoc_error(d, arch->u.items[i], EINVAL, f,
					  "not an architecture runc names (SCMP_ARCH_X86_64, ...): "
					  "%s",
					  why);
		}
	for (uint32_t i = 0; has_sys && i < sys->n; i++) {
		node *rule = sys->u.items[i], *a = go_get(rule, "action"),
		     *args = go_get(rule, "args");

		snprintf(f, sizeof(f), "linux.seccomp.syscalls[%u].action", i);
		if (cs_json_is_null(a) || !one_of(a, acts))
			return ydoc_error(
			    d, cs_json_is_null(a) ? rule : a, EINVAL, f,
			    "not a seccomp action runc knows (SCMP_ACT_ERRNO, ...): %s", why);
		if ((rc = rule_names(rule, i, text_is(a, "SCMP_ACT_NOTIFY"), d)) < 0)
			return rc;
		if (rc == 0)
			continue; /* no name: runc never reads the args (rule_names) */
		if (text_is(a, "SCMP_ACT_ERRNO") && (e = go_get(rule, "errnoRet")) &&
		    errno_over(e)) {
			snprintf(f, sizeof(f), "linux.seccomp.syscalls[%u].errnoRet", i);
			return ydoc_error(d, e, EINVAL, f,
					  "%s as SCMP_ACT_ERRNO's return: %s (error adding "
					  "seccomp filter rule)",
					  errno_why, why);
		}
		/* A nameless NOTIFY rule adds no syscall: runc runs without a listener. */
		if (text_is(a, "SCMP_ACT_NOTIFY") && !listener)
			return ydoc_error(d, a, EINVAL, f,
					  "SCMP_ACT_NOTIFY without a listenerPath: %s", why);
		for (uint32_t k = 0; args && args->kind == YDOC_SEQ && k < args->n; k++) {
			node *op = go_get(args->u.items[k], "op");

			if (!cs_json_is_null(op) && one_of(op, ops))
				continue;
			snprintf(f, sizeof(f), "linux.seccomp.syscalls[%u].args[%u].op", i, k);
			return ydoc_error(
			    d, cs_json_is_null(op) ? args->u.items[k] : op, EINVAL, f,
			    "not a seccomp operator runc knows (SCMP_CMP_EQ, ...): %s", why);
		}
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
	if (!rc)
		rc = seccomp(root, d);
	return rc ? rc : hostname(root, d);
}
