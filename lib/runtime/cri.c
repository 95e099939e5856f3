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

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "capscope/text.h"

/* Exact OCI spelling "CAP_NAME" → number among the kernel's capabilities, or -1. */
static int oci_cap(const char *s, bool fold)
{
	char buf[40];

	for (int c = 0; c <= cs_cap_last(); c++) {
		const char *n = cs_cap_name(c);

		if (!n)
			continue;
		snprintf(buf, sizeof(buf), "%s", n);
		for (char *p = buf; *p; p++)
			*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
		if (fold ? !strcasecmp(buf, s) : !strcmp(buf, s))
			return c;
	}
	return -1;
}

static void upper_into(char *dst, size_t len, const char *prefix, const char *s)
{
	size_t n = (size_t)snprintf(dst, len, "%s", prefix);

	for (; *s && n + 1 < len; s++)
		dst[n++] = (char)(*s >= 'a' && *s <= 'z' ? *s - 32 : *s);
	dst[n < len ? n : len - 1] = '\0';
}

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

static void note_unknown(struct cs_oci_process *o, const char *name)
{
	size_t l = strlen(o->unknown_caps);

	snprintf(o->unknown_caps + l, sizeof(o->unknown_caps) - l, "%s%s", l ? "," : "", name);
}

static void names(cs_mask_t m, char *buf, size_t len)
{
	cs_mask_format_names(m, CS_NAMES_K8S, buf, len);
	if (!buf[0])
		snprintf(buf, len, "(none)");
}

void cs_crio_config_default(struct cs_crio_config *c)
{
	static const char *const def[] = {"CHOWN",  "DAC_OVERRIDE", "FSETID",
					  "FOWNER", "SETGID",	    "SETUID",
					  "SETPCAP", "NET_BIND_SERVICE", "KILL"};

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < sizeof(def) / sizeof(def[0]); i++)
		snprintf(c->default_caps[i], sizeof(c->default_caps[i]), "%s", def[i]);
	c->n_default_caps = sizeof(def) / sizeof(def[0]);
}

cs_mask_t cs_cri_docker_defaults(void)
{
	return CS_BIT(0) | CS_BIT(1) | CS_BIT(3) | CS_BIT(4) | CS_BIT(5) | CS_BIT(6) | CS_BIT(7) |
	       CS_BIT(8) | CS_BIT(10) | CS_BIT(13) | CS_BIT(18) | CS_BIT(27) | CS_BIT(29) |
	       CS_BIT(31);
}

static int merge_crio(const struct cs_crio_config *cfg, const struct cs_cri_request *r,
		      struct cs_oci_process *o, struct cs_steps *st, struct cs_diag *d)
{
	char buf[640];
	unsigned sets = SB | SE | SP | (cfg->add_inheritable ? SI : 0);

	if (r->privileged) {
		set_all(o, SB | SE | SP | SI | SA, cs_mask_all());
		cs_steps_add(st, "runtime", "crio.privileged",
			     "privileged container: CRI-O gives every capability the kernel knows in "
			     "all five sets (runtime-tools SetupPrivileged)");
		return 0;
	}
	bool add_all = in_fold(r->add, r->n_add, "ALL");
	bool drop_all = in_fold(r->drop, r->n_drop, "ALL");
	const char *list[CS_CRIO_MAX_DEFAULTS + 128];
	size_t n = 0;

	for (size_t i = 0; i < r->n_add && n < 128; i++)
		list[n++] = r->add[i];
	if (!add_all && !drop_all) {
		for (size_t i = 0; i < cfg->n_default_caps; i++)
			list[n++] = cfg->default_caps[i];
		cs_steps_add(st, "runtime", "crio.defaults",
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
		cs_steps_add(st, "runtime", "crio.add-all", "ALL in add: every capability of the kernel");
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
			snprintf(pref, sizeof(pref), "%s", list[i]);
		else
			upper_into(pref, sizeof(pref), "CAP_", list[i]);
		if ((c = oci_cap(pref, true)) < 0)
			return cs_diag_set(d, EINVAL, 0, 0, "capabilities.add",
					   "CRI-O refuses to create the container: unknown capability \"%s\" to add",
					   pref);
		added |= CS_BIT(c);
	}
	add_bits(o, sets, added);
	names(added, buf, sizeof(buf));
	cs_steps_add_set(st, "runtime", "crio.add", CS_BND, 0, added,
			 "added to bounding, effective, permitted%s: %s",
			 cfg->add_inheritable ? " and inheritable (add_inheritable_capabilities = true)"
					      : " (not inheritable: add_inheritable_capabilities is false)",
			 buf);
	for (size_t i = 0; i < r->n_drop; i++) {
		char pref[64];
		int c;

		if (!strcasecmp(r->drop[i], "ALL"))
			continue;
		if (!strncasecmp(r->drop[i], "cap_", 4))
			snprintf(pref, sizeof(pref), "%s", r->drop[i]);
		else
			upper_into(pref, sizeof(pref), "CAP_", r->drop[i]);
		if ((c = oci_cap(pref, true)) < 0) {
			cs_steps_add(st, "runtime", "crio.drop-unknown",
				     "drop of unknown capability %s has no effect", pref);
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

static int merge_containerd(const struct cs_cri_request *r, struct cs_oci_process *o,
			    struct cs_steps *st)
{
	char buf[640];

	set_all(o, SB | SE | SP, cs_cri_docker_defaults());
	names(cs_cri_docker_defaults(), buf, sizeof(buf));
	cs_steps_add(st, "runtime", "containerd.defaults",
		     "base: the default spec's 14 capabilities in bounding, effective, permitted "
		     "(inheritable empty since CVE-2022-24769): %s",
		     buf);
	if (r->privileged) {
		set_all(o, SB | SE | SP, cs_mask_all());
		cs_steps_add(st, "runtime", "containerd.privileged",
			     "privileged: every capability in bounding, effective, permitted "
			     "(oci.WithPrivileged); add/drop still apply");
	}
	if (in_fold(r->add, r->n_add, "ALL")) {
		set_all(o, SB | SE | SP, cs_mask_all());
		cs_steps_add(st, "runtime", "containerd.add-all", "ALL in add: every capability");
	}
	if (in_fold(r->drop, r->n_drop, "ALL")) {
		set_all(o, SB | SE | SP, 0);
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
			note_unknown(o, pref);
			cs_steps_add(st, "runtime", "containerd.add-unknown",
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

		drop_bits(o, SB | SE | SP | SI, dropped);
		cs_steps_add_set(st, "runtime", "containerd.drop", CS_BND, before, o->caps.set[CS_BND],
				 "drops are removed from all four sets after the adds (a drop beats an add)");
	}
	cs_steps_add(st, "runtime", "containerd.ambient", "ambient cleared (WithoutAmbientCaps)");
	return 0;
}

static int docker_norm(const char *const *v, size_t n, cs_mask_t *m, bool *all, const char *what,
		       struct cs_diag *d)
{
	*m = 0;
	*all = false;
	for (size_t i = 0; i < n; i++) {
		char up[64];
		int c;

		upper_into(up, sizeof(up), "", v[i]);
		if (!strcmp(up, "ALL")) {
			*all = true;
			continue;
		}
		if (strncmp(up, "CAP_", 4) != 0)
			upper_into(up, sizeof(up), "CAP_", v[i]);
		if ((c = oci_cap(up, false)) < 0)
			return cs_diag_set(d, EINVAL, 0, 0, what,
					   "Docker refuses the container: unknown capability: \"%s\"", up);
		*m |= CS_BIT(c);
	}
	return 0;
}

static int merge_docker(const struct cs_cri_request *r, struct cs_oci_process *o,
			struct cs_steps *st, struct cs_diag *d)
{
	cs_mask_t add, drop, caps;
	bool add_all, drop_all;
	char buf[640];
	int rc;

	if (r->privileged) {
		set_all(o, SB | SE | SP, cs_mask_all());
		cs_steps_add(st, "runtime", "docker.privileged",
			     "privileged: every capability in bounding, effective, permitted");
		return 0;
	}
	if ((rc = docker_norm(r->add, r->n_add, &add, &add_all, "capabilities.add", d)) < 0 ||
	    (rc = docker_norm(r->drop, r->n_drop, &drop, &drop_all, "capabilities.drop", d)) < 0)
		return rc;
	if (add_all) {
		caps = cs_mask_all() & ~drop;
		cs_steps_add(st, "runtime", "docker.add-all",
			     "ALL in add: every capability except the dropped ones");
	} else if (drop_all) {
		caps = add;
		cs_steps_add(st, "runtime", "docker.drop-all", "ALL in drop: exactly the added ones");
	} else {
		caps = (cs_cri_docker_defaults() & ~drop) | add;
		cs_steps_add(st, "runtime", "docker.tweak",
			     "defaults minus drops, then plus adds (an add beats a drop, unlike CRI-O)");
	}
	set_all(o, SB | SE | SP, caps);
	names(caps, buf, sizeof(buf));
	cs_steps_add_set(st, "runtime", "docker.caps", CS_BND, cs_cri_docker_defaults(), caps,
			 "bounding, effective, permitted: %s; no inheritable, no ambient", buf);
	return 0;
}

int cs_cri_merge(enum cs_cri_runtime rt, const struct cs_crio_config *crio,
		 const struct cs_cri_request *r, struct cs_oci_process *o, struct cs_steps *st,
		 struct cs_diag *d)
{
	struct cs_crio_config def;
	int rc;

	memset(o, 0, sizeof(*o));
	o->uid = r->uid;
	o->gid = r->gid;
	for (size_t i = 0; i < r->n_groups && i < CS_OCI_MAX_GROUPS; i++)
		o->additional_gids[o->n_additional_gids++] = r->groups[i];
	o->caps.present = (1u << CS_NSETS) - 1;
	o->no_new_privileges = r->no_new_privs;
	if (r->user_namespace) {
		/* The kubelet gives each pod 65536 ids at a multiple of 65536; the
		 * exact base is the node's choice, this one is illustrative. */
		o->user_namespace = true;
		o->uid_map[0] = (struct cs_idmap){0, 65536u * 16, 65536};
		o->gid_map[0] = o->uid_map[0];
		o->n_uid_map = o->n_gid_map = 1;
	}
	switch (rt) {
	case CS_CRI_CRIO:
		if (!crio) {
			cs_crio_config_default(&def);
			crio = &def;
		}
		rc = merge_crio(crio, r, o, st, d);
		break;
	case CS_CRI_CONTAINERD:
		rc = merge_containerd(r, o, st);
		break;
	case CS_CRI_DOCKER:
		rc = merge_docker(r, o, st, d);
		break;
	default:
		return -EINVAL;
	}
	if (rc == 0 && r->no_new_privs)
		cs_steps_add(st, "runtime", "oci.no-new-privs",
			     "allowPrivilegeEscalation: false → process.noNewPrivileges: true");
	return rc;
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
	}
	return "?";
}
