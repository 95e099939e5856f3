/* SPDX-License-Identifier: MIT */
/*
 * From a CRI request to an OCI process, per container runtime. The rules and
 * the functions they come from (docs/runtimes.md has the detail):
 *  - CRI-O internal/factory/container/container.go SpecSetPrivileges and
 *    SpecSetupCapabilities;
 *  - containerd internal/cri/opts/spec_opts.go WithCapabilities, pkg/oci
 *    spec_opts.go WithAddedCapabilities/WithDroppedCapabilities/WithPrivileged;
 *  - moby daemon/pkg/oci/caps/utils.go TweakCapabilities and
 *    NormalizeLegacyCapabilities, defaults.go DefaultCapabilities.
 */
#include "capscope/cri.h"
#include "capscope/userns.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capscope/number.h"
#include "capscope/text.h"
#include "internal/cleanup.h"
#include "internal/cri-groups.h"
#include "internal/util.h"

/* ASCII upper case, as the OCI spelling of a name is. */
static char ascii_upper(char c)
{
	return (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
}

/*
 * Exact OCI spelling "CAP_NAME" → number among the kernel's capabilities, or
 * -1. Compared in place: eighteenth pass, part C, each of the 41 names was
 * first printed into a buffer (snprintf) and upper-cased, for every name a
 * container adds or drops: a third of a webhook review's time.
 */
static int oci_cap(const char *s, bool fold)
{
	for (int c = 0; c <= cs_cap_last(); c++) {
		const char *n = cs_cap_name(c), *p = s;

		if (!n)
			continue;
		for (; *n && *p; n++, p++)
			if (fold ? ascii_upper(*n) != ascii_upper(*p) : ascii_upper(*n) != *p)
				break;
		if (!*n && !*p)
			return c;
	}
	return -1;
}

/* All three runtimes upper-case a capability name with Go's strings.ToUpper. */
#define upper_into cs_go_upper

static bool in_fold(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(v[i], s))
			return true;
	return false;
}

static void set_all(struct cs_oci_process *o, unsigned sets, cs_mask_t m)
{
	for (int s = 0; s < CS_NSETS; s++)
		if (sets & (1u << s))
			o->caps.set[s] = m;
}

static void add_bits(struct cs_oci_process *o, unsigned sets, cs_mask_t m)
{
	for (int s = 0; s < CS_NSETS; s++)
		if (sets & (1u << s))
			o->caps.set[s] |= m;
}

static void drop_bits(struct cs_oci_process *o, unsigned sets, cs_mask_t m)
{
	for (int s = 0; s < CS_NSETS; s++)
		if (sets & (1u << s))
			o->caps.set[s] &= ~m;
}

#define SB (1u << CS_BND)
#define SE (1u << CS_EFF)
#define SP (1u << CS_PRM)
#define SI (1u << CS_INH)
#define SA (1u << CS_AMB)

/* As the OCI reader lists them (lib/word.c): once each, whole words, ", ..."
 * when full (a bare snprintf cut a name in the middle, unmarked). */
static void note_unknown(struct cs_oci_process *o, const char *name)
{
	cs_word_list_add(o->unknown_caps, sizeof(o->unknown_caps), name);
}

static void names(cs_mask_t m, char *buf, size_t len)
{
	cs_mask_format_names(m, CS_NAMES_K8S, buf, len);
	if (!buf[0])
		snprintf(buf, len, "(none)");
}

/*
 * CRI-O's built-in configuration, made once: eighteenth pass, part C, a
 * request without a loaded configuration (the webhook's, by default) filled
 * a 75 KB cs_crio_config for each container, three times a container of a
 * review: a sixth of its instructions.
 */
static const struct cs_crio_config crio_builtin = {
    .default_caps = {"CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "SETGID", "SETUID", "SETPCAP",
		     "NET_BIND_SERVICE", "KILL"},
    .n_default_caps = 9,
};

void cs_crio_config_default(struct cs_crio_config *c)
{
	*c = crio_builtin;
}

cs_mask_t cs_cri_docker_defaults(void)
{
	return CS_BIT(0) | CS_BIT(1) | CS_BIT(3) | CS_BIT(4) | CS_BIT(5) | CS_BIT(6) | CS_BIT(7) |
	       CS_BIT(8) | CS_BIT(10) | CS_BIT(13) | CS_BIT(18) | CS_BIT(27) | CS_BIT(29) |
	       CS_BIT(31);
}

/* capabilities.add names a request may carry (cs_cri_merge_target refuses more). */
#define CS_CRI_MAX_ADDS 128

static int merge_crio(const struct cs_crio_config *cfg, const struct cs_cri_request *r,
		      struct cs_oci_process *o, struct cs_steps *st, struct cs_diag *d)
{
	char buf[640];
	unsigned sets = SB | SE | SP | (cfg->add_inheritable ? SI : 0);

	if (r->privileged) {
		set_all(o, SB | SE | SP | SI | SA, cs_mask_all());
		cs_steps_add(
		    st, "runtime", "crio.privileged",
		    "privileged container: CRI-O gives every capability the kernel knows in "
		    "all five sets (runtime-tools SetupPrivileged)");
		return 0;
	}
	bool add_all = in_fold(r->add, r->n_add, "ALL");
	bool drop_all = in_fold(r->drop, r->n_drop, "ALL");
	const char *list[CS_CRIO_MAX_DEFAULTS + CS_CRI_MAX_ADDS];
	size_t n = 0;

	for (size_t i = 0; i < r->n_add && n < CS_CRI_MAX_ADDS; i++)
		list[n++] = r->add[i];
	if (!add_all && !drop_all) {
		for (size_t i = 0; i < cfg->n_default_caps; i++)
			list[n++] = cfg->default_caps[i];
		cs_steps_add(
		    st, "runtime", "crio.defaults",
		    "neither add nor drop holds ALL, so default_capabilities (%s) are added: %zu "
		    "name(s)",
		    cfg->defaults_from[0] ? cfg->defaults_from : "CRI-O built-in list",
		    cfg->n_default_caps);
	} else {
		cs_steps_add(st, "runtime", "crio.no-defaults",
			     "ALL in %s: default_capabilities are not added",
			     add_all ? "add" : "drop");
	}
	if (add_all) {
		add_bits(o, sets, cs_mask_all());
		cs_steps_add(st, "runtime", "crio.add-all",
			     "ALL in add: every capability of the kernel");
	}
	if (drop_all) {
		drop_bits(o, sets, cs_mask_all());
		cs_steps_add(st, "runtime", "crio.drop-all", "ALL in drop: start from nothing");
	}
	cs_mask_t added = 0, dropped = 0;
	for (size_t i = 0; i < n; i++) {
		char pref[64];
		int c;

		if (!strcasecmp(list[i], "ALL"))
			continue;
		if (!strncasecmp(list[i], "cap_", 4))
			upper_into(pref, sizeof(pref), "", list[i]);
		else
			upper_into(pref, sizeof(pref), "CAP_", list[i]);
		if ((c = oci_cap(pref, true)) < 0)
			return cs_diag_set(d, EINVAL, 0, 0, "capabilities.add",
					   "CRI-O refuses to create the container: unknown "
					   "capability \"%s\" to add",
					   pref);
		added |= CS_BIT(c);
	}
	add_bits(o, sets, added);
	names(added, buf, sizeof(buf));
	cs_steps_add_set(st, "runtime", "crio.add", CS_BND, 0, added,
			 "added to bounding, effective, permitted%s: %s",
			 cfg->add_inheritable
			     ? " and inheritable (add_inheritable_capabilities = true)"
			     : " (not inheritable: add_inheritable_capabilities is false)",
			 buf);
	for (size_t i = 0; i < r->n_drop; i++) {
		char pref[64];
		int c;

		if (!strcasecmp(r->drop[i], "ALL"))
			continue;
		if (!strncasecmp(r->drop[i], "cap_", 4))
			upper_into(pref, sizeof(pref), "", r->drop[i]);
		else
			upper_into(pref, sizeof(pref), "CAP_", r->drop[i]);
		if ((c = oci_cap(pref, true)) < 0) {
			cs_cleanup_free char *w = cs_word_dup(pref, '"'); /* lib/word.c */

			/* Out of memory is the steps' error, which the caller
			 * reads as the model's failure: "?" for the name gave a
			 * whole answer with exit 0. */
			if (!w)
				st->error = -ENOMEM;
			else
				cs_steps_add(st, "runtime", "crio.drop-unknown",
					     "drop of unknown capability %s has no effect", w);
			continue;
		}
		dropped |= CS_BIT(c);
	}
	if (dropped) {
		cs_mask_t before = o->caps.set[CS_BND];

		drop_bits(o, sets, dropped);
		names(dropped & added, buf, sizeof(buf));
		cs_steps_add_set(st, "runtime", "crio.drop", CS_BND, before, o->caps.set[CS_BND],
				 "drops are applied after adds, so a drop beats an add%s%s",
				 dropped & added ? "; added and then dropped: " : "",
				 dropped & added ? buf : "");
	}
	cs_steps_add(st, "runtime", "crio.ambient",
		     "ambient is always empty: Kubernetes is not ambient-aware (KEP-2763)");
	return 0;
}

/* Capabilities 0..last that the running kernel knows. */
static cs_mask_t known_upto(int last)
{
	return cs_mask_all() & (last >= 63 ? ~(cs_mask_t)0 : (CS_BIT(last + 1) - 1));
}

/* What the daemon itself holds (its effective set), as the target says. */
static cs_mask_t daemon_caps(const struct cs_cri_target *t)
{
	return t->runtime_caps_set ? t->runtime_caps & cs_mask_all() : cs_mask_all();
}

/* Say so when the daemon's own set decided what ALL / privileged gives. */
static void note_daemon_caps(const struct cs_cri_target *t, cs_mask_t would, cs_mask_t got,
			     const char *rule, struct cs_steps *st)
{
	char buf[640];

	if (!t->runtime_caps_set || !(would & ~got))
		return;
	names(would & ~got, buf, sizeof(buf));
	cs_steps_add(st, "runtime", rule,
		     "the runtime hands out its own capabilities here, and it runs without %s "
		     "(--runtime-caps): the container cannot get them",
		     buf);
}

/* containerd's pkg/cap Known(): the names up to CAP_CHECKPOINT_RESTORE (40). */
#define CONTAINERD_LAST_KNOWN 40

/*
 * oci.WithCapabilities (ALL in add, ALL in drop, privileged): bounding,
 * effective, permitted = caps. containerd 2.x also cuts inheritable to
 * caps (nothing when caps is empty: pkg/oci/spec_opts.go filterCaps),
 * which matters only for a base_runtime_spec with inheritable bits; the
 * 1.6 and 1.7 code read leaves inheritable as it is.
 */
static void containerd_set_caps(const struct cs_cri_target *t, struct cs_oci_process *o,
				cs_mask_t caps)
{
	set_all(o, SB | SE | SP, caps);
	if (t->major >= 2)
		o->caps.set[CS_INH] &= caps;
}

static int merge_containerd(const struct cs_cri_target *t, const struct cs_cri_request *r,
			    struct cs_oci_process *o, struct cs_steps *st)
{
	char buf[640];
	cs_mask_t known = known_upto(CONTAINERD_LAST_KNOWN);
	cs_mask_t all = daemon_caps(t) & known;

	const struct cs_containerd_config *cf = t->containerd;

	if (cf && cf->base_set) {
		/* runtimeSpec: the base spec copied in place of the default one */
		for (int s = 0; s < CS_NSETS; s++)
			o->caps.set[s] = s == CS_AMB ? 0 : cf->base_caps.set[s] & cs_mask_all();
		char b[640], e[640], p[640], i[640];

		names(o->caps.set[CS_BND], b, sizeof(b)), names(o->caps.set[CS_EFF], e, sizeof(e));
		names(o->caps.set[CS_PRM], p, sizeof(p)), names(o->caps.set[CS_INH], i, sizeof(i));
		/* The file and the handler each one quoted word, as the
		 * refusals name them: a spec path "x of runtime runc (c.toml),
		 * in place of the default spec: bounding ALL; y.json" read as
		 * another runtime's step (twenty-first pass). */
		cs_steps_add(st, "runtime", "containerd.base-spec",
			     "base: base_runtime_spec '%s' of runtime '%s' (%s), in place of the "
			     "default spec: bounding %s; effective %s; permitted %s; "
			     "inheritable %s",
			     cf->base_spec, cf->runtime, cf->file, b, e, p, i);
		if (cf->base_unknown[0]) {
			/* the list as the base spec's reader made it (o's is empty) */
			snprintf(o->unknown_caps, sizeof(o->unknown_caps), "%s", cf->base_unknown);
			cs_steps_add(st, "runtime", "containerd.base-spec-unknown",
				     "names in the base spec runc does not know (it warns and "
				     "skips them): %s",
				     cf->base_unknown);
		}
		/* The CRI's containerSpec starts its options with
		 * oci.WithNewPrivileges ("set based on the security context
		 * below"): the base spec's flag never reaches a container. Seen
		 * with the real containerd 1.6 (truth/containerd-base-spec),
		 * where part E's reading of the source had it stay. */
		if (cf->base_no_new_privs)
			cs_steps_add(st, "runtime", "containerd.base-spec-no-new-privs",
				     "the base spec's process.noNewPrivileges: true is cleared "
				     "(the CRI starts every container with "
				     "oci.WithNewPrivileges, then sets it from "
				     "allowPrivilegeEscalation: false only)");
	} else {
		set_all(o, SB | SE | SP, cs_cri_docker_defaults());
		names(cs_cri_docker_defaults(), buf, sizeof(buf));
		cs_steps_add(
		    st, "runtime", "containerd.defaults",
		    "base: the default spec's 14 capabilities in bounding, effective, "
		    "permitted (inheritable empty since CVE-2022-24769): %s%s",
		    buf,
		    cf ? ""
		       : " (no config.toml read: a base_runtime_spec of the default "
			 "handler would replace them; explain pod --containerd-config reads it)");
	}
	if (in_fold(r->add, r->n_add, "ALL")) {
		containerd_set_caps(t, o, all);
		cs_steps_add(
		    st, "runtime", "containerd.add-all",
		    "ALL in add: the capabilities containerd itself holds (WithCapabilities "
		    "with the list cap.Current() read when containerd started)");
		note_daemon_caps(t, known, all, "containerd.runtime-caps", st);
	}
	if (in_fold(r->drop, r->n_drop, "ALL")) {
		containerd_set_caps(t, o, 0);
		cs_steps_add(st, "runtime", "containerd.drop-all", "ALL in drop: nothing left");
	}
	cs_mask_t added = 0;
	for (size_t i = 0; i < r->n_add; i++) {
		char pref[64];
		int c;

		if (!strcasecmp(r->add[i], "ALL"))
			continue;
		upper_into(pref, sizeof(pref), "CAP_", r->add[i]);
		if ((c = oci_cap(pref, false)) < 0) {
			/* Each inside its own quotes, those quotes doubled by the
			 * step's format (lib/msg-format.c). */
			note_unknown(o, pref);
			cs_steps_add(
			    st, "runtime", "containerd.add-unknown",
			    "'%s' becomes \"%s\" (containerd always prefixes CAP_); runc does "
			    "not know it, warns and skips it",
			    r->add[i], pref);
			continue;
		}
		added |= CS_BIT(c);
	}
	add_bits(o, SB | SE | SP, added);
	names(added, buf, sizeof(buf));
	cs_steps_add_set(st, "runtime", "containerd.add", CS_BND, 0, added,
			 "added to bounding, effective, permitted: %s", buf);
	cs_mask_t dropped = 0;
	for (size_t i = 0; i < r->n_drop; i++) {
		char pref[64];
		int c;

		if (!strcasecmp(r->drop[i], "ALL"))
			continue;
		upper_into(pref, sizeof(pref), "CAP_", r->drop[i]);
		if ((c = oci_cap(pref, false)) >= 0)
			dropped |= CS_BIT(c);
	}
	if (dropped) {
		cs_mask_t before = o->caps.set[CS_BND];

		/* oci.WithDroppedCapabilities touches bounding, effective and
		 * permitted only since CVE-2022-24769's fix (1.6.2): a base spec's
		 * inheritable bit stays, and runc's capset then fails (EPERM) once
		 * bounding lost it. Seen with the real containerd 1.6
		 * (truth/containerd-base-spec); the default spec's inheritable
		 * set is empty, so nothing else changes. */
		drop_bits(o, SB | SE | SP, dropped);
		cs_steps_add_set(
		    st, "runtime", "containerd.drop", CS_BND, before, o->caps.set[CS_BND],
		    "drops are removed from bounding, effective, permitted after the adds "
		    "(a drop beats an add; inheritable is left as it is)");
	}
	if (r->privileged) {
		cs_mask_t before = o->caps.set[CS_BND];

		containerd_set_caps(t, o, all);
		cs_steps_add_set(
		    st, "runtime", "containerd.privileged", CS_BND, before, all,
		    "privileged: oci.WithPrivileged comes after the capability add/drop "
		    "and sets bounding, effective, permitted to the capabilities containerd "
		    "itself holds (WithAllCurrentCapabilities): drop has no effect");
		note_daemon_caps(t, known, all, "containerd.runtime-caps", st);
	}
	cs_steps_add(st, "runtime", "containerd.ambient", "ambient cleared (WithoutAmbientCaps)");
	return 0;
}

/*
 * Docker's capability list by release: what NormalizeLegacyCapabilities
 * accepts and what ALL / privileged gives. Debian 12's 20.10 ends at
 * CAP_AUDIT_READ (37); 23 and 24 know the gocapability list up to
 * CAP_CHECKPOINT_RESTORE (40); from 25 the list is containerd's Known() and
 * ALL / privileged give the daemon's own effective set (initCaps).
 */
static bool docker_detects(const struct cs_cri_target *t)
{
	return t->major >= 25;
}

static cs_mask_t docker_known(const struct cs_cri_target *t)
{
	return known_upto(t->major == 20 ? 37 : 40);
}

/*
 * One name as Docker's NormalizeLegacyCapabilities and containers/common's
 * NormalizeCapabilities read it: Go's upper case; false for ALL, else the
 * name with CAP_ before it unless it has it.
 */
static bool go_cap_name(const char *name, char *up, size_t size)
{
	upper_into(up, size, "", name);
	if (!strcmp(up, "ALL"))
		return false;
	if (strncmp(up, "CAP_", 4) != 0)
		upper_into(up, size, "CAP_", name);
	return true;
}

static int docker_norm(const struct cs_cri_target *t, const char *const *v, size_t n, cs_mask_t *m,
		       bool *all, const char *what, struct cs_diag *d)
{
	cs_mask_t known = docker_known(t);

	*m = 0;
	*all = false;
	for (size_t i = 0; i < n; i++) {
		char up[64];
		int c;

		if (!go_cap_name(v[i], up, sizeof(up))) {
			*all = true;
			continue;
		}
		if ((c = oci_cap(up, false)) < 0 || !(known & CS_BIT(c)))
			return cs_diag_set(
			    d, EINVAL, 0, 0, what,
			    "Docker refuses the container: invalid %s: unknown capability: "
			    "\"%s\"",
			    strcmp(what, "capabilities.add") ? "CapDrop" : "CapAdd", up);
		if (docker_detects(t) && !(daemon_caps(t) & CS_BIT(c)))
			return cs_diag_set(
			    d, EINVAL, 0, 0, what,
			    "Docker refuses the container: invalid %s: capability not "
			    "supported by your kernel or not available in the current "
			    "environment: \"%s\"",
			    strcmp(what, "capabilities.add") ? "CapDrop" : "CapAdd", up);
		*m |= CS_BIT(c);
	}
	return 0;
}

static int merge_docker(const struct cs_cri_target *t, const struct cs_cri_request *r,
			struct cs_oci_process *o, struct cs_steps *st, struct cs_diag *d)
{
	cs_mask_t add, drop, caps;
	cs_mask_t all = docker_detects(t) ? daemon_caps(t) & docker_known(t) : docker_known(t);
	bool add_all, drop_all;
	char buf[640];
	int rc;

	/* validateCapabilities runs when the container is created, before and
	 * whatever privileged says */
	if ((rc = docker_norm(t, r->add, r->n_add, &add, &add_all, "capabilities.add", d)) < 0 ||
	    (rc = docker_norm(t, r->drop, r->n_drop, &drop, &drop_all, "capabilities.drop", d)) < 0)
		return rc;
	if (r->privileged) {
		caps = all;
		cs_steps_add(st, "runtime", "docker.privileged",
			     "privileged: GetAllCapabilities(), add and drop ignored%s",
			     t->major == 20 ? " (Docker 20.10's list ends at CAP_AUDIT_READ)" : "");
		if (docker_detects(t))
			note_daemon_caps(t, docker_known(t), all, "docker.runtime-caps", st);
	} else if (add_all) {
		caps = all & ~drop;
		cs_steps_add(st, "runtime", "docker.add-all",
			     "ALL in add: every capability Docker knows except the dropped ones");
		if (docker_detects(t))
			note_daemon_caps(t, docker_known(t), all, "docker.runtime-caps", st);
	} else if (drop_all) {
		caps = add;
		cs_steps_add(st, "runtime", "docker.drop-all",
			     "ALL in drop: exactly the added ones");
	} else {
		caps = (cs_cri_docker_defaults() & ~drop) | add;
		cs_steps_add(
		    st, "runtime", "docker.tweak",
		    "defaults minus drops, then plus adds (an add beats a drop, unlike CRI-O)");
	}
	names(caps, buf, sizeof(buf));
	if (r->uid == 0) {
		set_all(o, SB | SE | SP, caps);
		cs_steps_add_set(st, "runtime", "docker.caps", CS_BND, cs_cri_docker_defaults(),
				 caps,
				 "uid 0: bounding, effective, permitted: %s; no inheritable, no "
				 "ambient",
				 buf);
	} else {
		set_all(o, SB, caps);
		cs_steps_add_set(
		    st, "runtime", "docker.non-root", CS_BND, cs_cri_docker_defaults(), caps,
		    "uid %u is not root: only bounding is set (%s); effective and "
		    "permitted stay empty (SetCapabilities), so only file capabilities "
		    "or set-uid root can raise anything",
		    (unsigned)r->uid, buf);
	}
	/*
	 * daemon.json's no-new-privileges: parseSecurityOpt starts every
	 * container from the daemon's value (daemon/daemon_unix.go), privileged
	 * or not; only a security option "no-new-privileges=false" turns it
	 * off, and cri-dockerd writes one only for allowPrivilegeEscalation:
	 * false ("no-new-privileges"), so a pod cannot.
	 */
	if (t->docker && t->docker->no_new_privs) {
		o->no_new_privileges = true;
		cs_steps_add(
		    st, "runtime", "docker.daemon-no-new-privileges",
		    "%s:%u:%u: daemon.json's no-new-privileges: true gives every container "
		    "noNewPrivileges, whatever the pod says",
		    t->docker->from, t->docker->line, t->docker->column);
	}
	return 0;
}

cs_mask_t cs_cri_crio_defaults(void)
{
	const struct cs_crio_config *c = &crio_builtin;
	cs_mask_t m = 0;

	for (size_t i = 0; i < c->n_default_caps; i++) {
		int cap = cs_cap_from_name(c->default_caps[i], strlen(c->default_caps[i]));

		if (cap >= 0)
			m |= CS_BIT(cap);
	}
	return m;
}

cs_mask_t cs_cri_podman_defaults(void)
{
	/* containers-common containers.conf default_capabilities: CHOWN,
	 * DAC_OVERRIDE, FOWNER, FSETID, KILL, NET_BIND_SERVICE, SETFCAP, SETGID,
	 * SETPCAP, SETUID, SYS_CHROOT */
	return CS_BIT(0) | CS_BIT(1) | CS_BIT(3) | CS_BIT(4) | CS_BIT(5) | CS_BIT(6) | CS_BIT(7) |
	       CS_BIT(8) | CS_BIT(10) | CS_BIT(18) | CS_BIT(31);
}

/* containers/common pkg/capabilities NormalizeCapabilities: upper case,
 * CAP_ unless present, known to the library (up to the kernel's last). */
static int podman_norm(const char *const *v, size_t n, cs_mask_t *m, bool *all, const char *what,
		       struct cs_diag *d)
{
	*m = 0;
	*all = false;
	for (size_t i = 0; i < n; i++) {
		char up[64];
		int c;

		if (!go_cap_name(v[i], up, sizeof(up))) {
			*all = true;
			continue;
		}
		if ((c = oci_cap(up, false)) < 0)
			return cs_diag_set(
			    d, EINVAL, 0, 0, what,
			    "Podman refuses the container: \"%s\": unknown capability", up);
		*m |= CS_BIT(c);
	}
	return 0;
}

/* MergeCapabilities(base, adds, drops) as containers/common does it. */
static int podman_merge_caps(const struct cs_cri_target *t, cs_mask_t base,
			     const struct cs_cri_request *r, bool with_drops, cs_mask_t *out,
			     struct cs_diag *d)
{
	cs_mask_t add, drop = 0;
	bool add_all, drop_all = false;
	int rc;

	if (!r->n_add && (!with_drops || !r->n_drop)) {
		*out = base;
		return 0;
	}
	if ((with_drops && (rc = podman_norm(r->drop, r->n_drop, &drop, &drop_all,
					     "capabilities.drop", d)) < 0) ||
	    (rc = podman_norm(r->add, r->n_add, &add, &add_all, "capabilities.add", d)) < 0)
		return rc;
	if (drop_all) {
		if (add_all)
			return cs_diag_set(d, EINVAL, 0, 0, "capabilities",
					   "Podman refuses the container: adding all caps and "
					   "removing all caps not allowed");
		*out = add;
		return 0;
	}
	if (add_all) {
		*out = daemon_caps(t) & ~drop;
		return 0;
	}
	if (add & drop) {
		char buf[640];

		names(add & drop, buf, sizeof(buf));
		return cs_diag_set(
		    d, EINVAL, 0, 0, "capabilities",
		    "Podman refuses the container: capability %s cannot be dropped and "
		    "added",
		    buf);
	}
	*out = (base & ~drop) | add;
	return 0;
}

static int merge_podman(const struct cs_cri_target *t, const struct cs_cri_request *r,
			struct cs_oci_process *o, struct cs_steps *st, struct cs_diag *d)
{
	cs_mask_t bounding = daemon_caps(t), caps, user;
	char buf[640];
	int rc;

	if (r->privileged) {
		caps = bounding;
		cs_steps_add(st, "runtime", "podman.privileged",
			     "privileged: Podman's own bounding set (capabilities.BoundingSet), "
			     "add and drop ignored");
		note_daemon_caps(t, cs_mask_all(), caps, "podman.runtime-caps", st);
	} else {
		if ((rc = podman_merge_caps(t, cs_cri_podman_defaults(), r, true, &caps, d)) < 0)
			return rc;
		caps &= bounding;
		names(caps, buf, sizeof(buf));
		cs_steps_add(
		    st, "runtime", "podman.merge",
		    "containers.conf default_capabilities as containers-common ships them "
		    "(a containers.conf of the node is not read: its default_capabilities "
		    "would replace them) merged with add and drop "
		    "(MergeCapabilities: ALL in drop gives exactly the adds, ALL in add the "
		    "bounding set minus the drops, a name in both is an error): %s",
		    buf);
	}
	set_all(o, SB, caps);
	if (r->user_string_root) {
		set_all(o, SE | SP, caps);
		cs_steps_add_set(
		    st, "runtime", "podman.caps", CS_BND, 0, caps,
		    "root: bounding, effective, permitted alike; inheritable and ambient "
		    "empty");
		return 0;
	}
	if ((rc = podman_merge_caps(t, 0, r, false, &user, d)) < 0)
		return rc;
	user &= bounding;
	set_all(o, SE | SP | SI | SA, user);
	names(user, buf, sizeof(buf));
	cs_steps_add_set(
	    st, "runtime", "podman.non-root", CS_AMB, 0, user,
	    "the user (uid %u) is not \"\", \"root\" or \"0\" as written: effective, "
	    "permitted, inheritable and ambient get only the capabilities named in add "
	    "(%s), so they survive execve; bounding keeps the merged list",
	    (unsigned)r->uid, buf);
	return 0;
}

void cs_cri_target_default(enum cs_cri_runtime rt, struct cs_cri_target *t)
{
	static const unsigned cur[][2] = {
	    [CS_CRI_CRIO] = {1, 34},
	    [CS_CRI_CONTAINERD] = {2, 1},
	    [CS_CRI_DOCKER] = {28, 0},
	    [CS_CRI_PODMAN] = {5, 0},
	};

	memset(t, 0, sizeof(*t));
	t->rt = rt;
	t->major = cur[rt][0];
	t->minor = cur[rt][1];
}

/* Releases whose rules are modelled; versions in between have the same rules
 * as the one before them. */
static bool version_known(enum cs_cri_runtime rt, unsigned major, unsigned minor, bool has_minor)
{
	switch (rt) {
	case CS_CRI_CRIO:
		return major == 1 && (!has_minor || minor >= 20);
	case CS_CRI_CONTAINERD:
		return (major == 1 && has_minor && (minor == 6 || minor == 7)) || major == 2;
	case CS_CRI_DOCKER:
		return (major == 20 && has_minor && minor == 10) || (major >= 23 && major <= 28);
	case CS_CRI_PODMAN:
		return major == 4 || major == 5;
	}
	return false;
}

int cs_cri_target_parse(const char *arg, struct cs_cri_target *t, struct cs_diag *d)
{
	static const struct {
		const char *name;
		enum cs_cri_runtime rt;
	} names_[] = {
	    {"crio", CS_CRI_CRIO},     {"cri-o", CS_CRI_CRIO},	{"containerd", CS_CRI_CONTAINERD},
	    {"docker", CS_CRI_DOCKER}, {"moby", CS_CRI_DOCKER}, {"podman", CS_CRI_PODMAN}};
	const char *at = strchr(arg, '@');
	size_t nl = at ? (size_t)(at - arg) : strlen(arg);
	cs_mask_t keep = t->runtime_caps;
	bool keep_set = t->runtime_caps_set;

	for (size_t i = 0; i < sizeof(names_) / sizeof(names_[0]); i++) {
		uint64_t major = 0, minor = 0;
		bool has_minor = false;
		const char *v, *dot;

		if (strlen(names_[i].name) != nl || strncmp(names_[i].name, arg, nl) != 0)
			continue;
		cs_cri_target_default(names_[i].rt, t);
		t->runtime_caps = keep;
		t->runtime_caps_set = keep_set;
		if (!at)
			return 0;
		/* MAJOR, MAJOR.x or MAJOR.MINOR through the one strict number
		 * parser (sixteenth pass, part H: strtoul took "docker@023",
		 * "containerd@1.07" as 1.7 and "crio@01"; no release is spelt so). */
		v = at + 1;
		dot = strchr(v, '.');
		if (cs_parse_u64n(v, dot ? (size_t)(dot - v) : strlen(v), CS_NUM_DEC, 1000,
				  &major) < 0)
			goto bad_version;
		if (dot && strcmp(dot, ".x")) {
			if (cs_parse_u64(dot + 1, CS_NUM_DEC, 1000, &minor) < 0)
				goto bad_version;
			has_minor = true;
		}
		if (!version_known(names_[i].rt, (unsigned)major, (unsigned)minor, has_minor))
			goto bad_version;
		t->major = (unsigned)major;
		t->minor = (unsigned)minor;
		return 0;
	bad_version:
		return cs_diag_set(
		    d, EINVAL, 0, 0, "--runtime",
		    "unknown release '%s' of %s: modelled are crio@1.x, containerd@1.6, "
		    "containerd@1.7, containerd@2.x, docker@20.10, docker@23 .. docker@28, "
		    "podman@4, podman@5",
		    at + 1, names_[i].name);
	}
	return cs_diag_set(d, EINVAL, 0, 0, "--runtime",
			   "unknown runtime '%.*s': crio, containerd, docker or podman, optionally "
			   "with @VERSION",
			   (int)nl, arg);
}

int cs_cri_runtime_caps_parse(const char *arg, struct cs_cri_target *t, struct cs_diag *d)
{
	cs_mask_t m;
	int rc;

	if (!strcmp(arg, "self")) {
		struct cs_diag dd = {0};
		FILE *f = fopen("/proc/self/status", "re");
		char line[256];
		bool found = false;

		if (!f)
			return cs_diag_set(d, errno, 0, 0, "--runtime-caps",
					   "/proc/self/status: %s", strerror(errno));
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "CapEff:", 7)) {
				char *v = line + 7;

				while (*v == ' ' || *v == '\t')
					v++;
				v[strcspn(v, "\n")] = '\0';
				found = cs_mask_parse_hex(v, strlen(v), &m, &dd) == 0;
			}
		fclose(f);
		if (!found)
			return cs_diag_set(d, EINVAL, 0, 0, "--runtime-caps",
					   "no CapEff line in /proc/self/status");
	} else if (!arg[strspn(arg, " \t\n\v\f\r,")]) {
		/* Twentieth pass, part E: an empty list (an empty variable) was a
		 * daemon with no capability, which changes every privileged and
		 * ALL answer without a word. */
		return cs_diag_set(
		    d, EINVAL, 0, 0, "--runtime-caps",
		    "'%s' names no capability: give 0x0 for a runtime that holds none", arg);
	} else if (!strncasecmp(arg, "0x", 2)) {
		if ((rc = cs_mask_parse_hex(arg, strlen(arg), &m, d)) < 0)
			return rc;
	} else if ((rc = cs_names_parse(arg, strlen(arg), &m, d)) < 0) {
		return rc;
	}
	t->runtime_caps = m;
	t->runtime_caps_set = true;
	return 0;
}

bool cs_cri_target_has_kubelet(const struct cs_cri_target *t)
{
	return t->rt != CS_CRI_PODMAN;
}

bool cs_cri_target_strict_groups(const struct cs_cri_target *t)
{
	/* containerd's CRI since 2.0, CRI-O's setupContainerUser since 1.31 */
	return (t->rt == CS_CRI_CONTAINERD && t->major >= 2) ||
	       (t->rt == CS_CRI_CRIO && (t->major > 1 || t->minor >= 31));
}

int cs_cri_target_format(const struct cs_cri_target *t, char *buf, size_t len)
{
	if (t->rt == CS_CRI_DOCKER && t->major == 20)
		return snprintf(buf, len, "docker@20.10");
	if (t->rt == CS_CRI_DOCKER || t->rt == CS_CRI_PODMAN)
		return snprintf(buf, len, "%s@%u", cs_cri_runtime_name(t->rt), t->major);
	if (t->rt == CS_CRI_CONTAINERD && t->major >= 2)
		return snprintf(buf, len, "containerd@2.x");
	return snprintf(buf, len, "%s@%u.%u", cs_cri_runtime_name(t->rt), t->major, t->minor);
}

int cs_cri_merge_target(const struct cs_cri_target *t, const struct cs_crio_config *crio,
			const struct cs_cri_request *r, struct cs_oci_process *o,
			struct cs_steps *st, struct cs_diag *d)
{
	int rc;

	/* Refuse what the model's fixed lists cannot hold rather than cut it. */
	if (r->n_groups > CS_OCI_MAX_GROUPS)
		return cs_diag_set(d, E2BIG, 0, 0, "supplementalGroups",
				   "%zu supplementary groups: the model holds at most %d",
				   r->n_groups, CS_OCI_MAX_GROUPS);
	if (r->n_add > CS_CRI_MAX_ADDS)
		return cs_diag_set(d, E2BIG, 0, 0, "capabilities.add",
				   "%zu names in capabilities.add: the model holds at most %d",
				   r->n_add, CS_CRI_MAX_ADDS);
	memset(o, 0, sizeof(*o));
	o->uid = r->uid;
	o->gid = r->gid;
	o->caps.present = (1u << CS_NSETS) - 1;
	o->no_new_privileges = r->no_new_privs;
	if (r->user_namespace) {
		/*
		 * The kubelet sends one 65536-id mapping for uids and the same for
		 * gids (userns_manager.go createUserNs); containerd and CRI-O write
		 * it as linux.uidMappings / gidMappings unchanged.
		 */
		o->user_namespace = true;
		o->uid_map[0] =
		    cs_userns_pod_map(r->userns_base ? r->userns_base : CS_USERNS_DEFAULT_BASE);
		o->gid_map[0] = o->uid_map[0];
		o->n_uid_map = o->n_gid_map = 1;
		cs_steps_add(st, "runtime", "cri.userns-map",
			     "hostUsers: false: the kubelet maps the pod's ids 0-65535 to node ids "
			     "%u-%u; the runtime writes them as linux.uidMappings and "
			     "gidMappings",
			     (unsigned)o->uid_map[0].host_id,
			     (unsigned)(o->uid_map[0].host_id + o->uid_map[0].size - 1));
	}
	switch (t->rt) {
	case CS_CRI_CRIO:
		rc = merge_crio(crio ? crio : &crio_builtin, r, o, st, d);
		break;
	case CS_CRI_CONTAINERD:
		rc = merge_containerd(t, r, o, st);
		break;
	case CS_CRI_DOCKER:
		rc = merge_docker(t, r, o, st, d);
		break;
	case CS_CRI_PODMAN:
		rc = merge_podman(t, r, o, st, d);
		break;
	default:
		return -EINVAL;
	}
	if (rc == 0)
		rc = cs_cri_merge_groups(t, r, o, st, d);
	if (rc == 0 && r->no_new_privs)
		cs_steps_add(st, "runtime", "oci.no-new-privs",
			     "allowPrivilegeEscalation: false → process.noNewPrivileges: true");
	return rc;
}

int cs_cri_merge(enum cs_cri_runtime rt, const struct cs_crio_config *crio,
		 const struct cs_cri_request *r, struct cs_oci_process *o, struct cs_steps *st,
		 struct cs_diag *d)
{
	struct cs_cri_target t;

	if ((unsigned)rt > CS_CRI_PODMAN)
		return -EINVAL;
	cs_cri_target_default(rt, &t);
	return cs_cri_merge_target(&t, crio, r, o, st, d);
}

const char *cs_cri_runtime_name(enum cs_cri_runtime rt)
{
	switch (rt) {
	case CS_CRI_CRIO:
		return "crio";
	case CS_CRI_CONTAINERD:
		return "containerd";
	case CS_CRI_DOCKER:
		return "docker";
	case CS_CRI_PODMAN:
		return "podman";
	}
	return "?";
}
