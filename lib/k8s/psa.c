/* SPDX-License-Identifier: MIT */
/*
 * Pod Security Standards checks that touch credentials and isolation, from
 * k8s.io/pod-security-admission/policy: check_privileged.go,
 * check_capabilities_baseline.go, check_capabilities_restricted.go,
 * check_allowPrivilegeEscalation.go, check_runAsNonRoot.go,
 * check_runAsUser.go, check_hostNamespaces.go, check_hostPathVolumes.go,
 * check_hostPorts.go, check_sysctls.go, check_restrictedVolumes.go,
 * check_seccompProfile_restricted.go, check_appArmorProfile.go,
 * check_seLinuxOptions.go, check_procMount.go. Capability names are compared exactly
 * as written, as those checks do.
 */
#include "capscope/psa.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "internal/cleanup.h"
#include "internal/util.h"

/*
 * The reasons a level fails, "; "-separated, on the heap. Appended in place
 * with a doubling capacity: joining into a new string each time copied the
 * whole text per reason, quadratic in a pod's containers (a pod of 4,000
 * containers took 10 s in explain pod).
 */
struct acc {
	char **s;
	size_t len, cap;
	bool oom;
	/* Text is made while shorter than this: 0 for the level alone
	 * (cs_psa_level), SIZE_MAX for the whole, else a head of whole
	 * reasons at least this long (cs_psa_evaluate_next). */
	size_t max;
	size_t n; /* failed checks */
};

/*
 * A name as a word of a reason (lib/word.c): a container "c: privileged" or a
 * capability "X (not in the baseline list); y" would imitate the reason's
 * own words. Heap ("?" kept out: NULL marks the list out of memory).
 */
static char *word(struct acc *a, const char *s)
{
	char *w = cs_word_dup(s, '"');

	if (!w)
		a->oom = true;
	return w;
}

#define W(w) ((w) ? (w) : "?")

static void addf(struct acc *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(struct acc *a, const char *fmt, ...)
{
	char *item = NULL;
	va_list ap;
	int n;
	size_t need;

	if (a->oom || (a->n++, a->len >= a->max))
		return;
	va_start(ap, fmt);
	item = cs_vformat_quoted(fmt, ap); /* a quoted name's quotes doubled */
	va_end(ap);
	if (!item) {
		a->oom = true;
		return;
	}
	n = (int)strlen(item);
	need = a->len + (a->len ? 2 : 0) + (size_t)n + 1;
	if (need > a->cap) {
		size_t cap = a->cap * 2 > need ? a->cap * 2 : need;
		char *g = realloc(*a->s, cap);

		if (!g) {
			free(item);
			a->oom = true;
			return;
		}
		*a->s = g;
		a->cap = cap;
	}
	if (a->len) {
		memcpy(*a->s + a->len, "; ", 2);
		a->len += 2;
	}
	memcpy(*a->s + a->len, item, (size_t)n + 1);
	a->len += (size_t)n;
	free(item);
}

/* The text to its length; kept as it was when realloc fails. */
static void shrink(struct acc *a)
{
	char *g = *a->s && a->len + 1 < a->cap ? realloc(*a->s, a->len + 1) : NULL;

	if (g)
		*a->s = g;
}

void cs_psa_result_free(struct cs_psa_result *r)
{
	if (!r)
		return;
	free(r->baseline_fail);
	free(r->restricted_fail);
	r->baseline_fail = r->restricted_fail = NULL;
}

static bool in(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/*
 * Baseline's isolation checks of one securityContext (ctr: the container's
 * name, NULL for the pod's): check_appArmorProfile.go (a type, when set,
 * RuntimeDefault or Localhost), check_seLinuxOptions.go (the types of
 * selinuxAllowedTypes1_31; no user, no role), check_procMount.go (Default
 * or unset; skipped for a pod with hostUsers: false, as the 1.35 policy
 * relaxes it).
 */
static void isolation(struct acc *b, const char *ctr, const char *aa, const char *se_type,
		      const char *se_user, const char *se_role, const char *pm, bool userns)
{
	static const char *const se_types[] = {"", "container_t", "container_init_t",
					       "container_kvm_t", "container_engine_t"};
	const char *who = ctr ? ctr : "pod", *sep = ctr ? ": " : " ";

	if (aa && strcmp(aa, "RuntimeDefault") != 0 && strcmp(aa, "Localhost") != 0) {
		cs_cleanup_free char *w = word(b, aa);

		addf(b, "%s%sappArmorProfile %s is not allowed", who, sep, W(w));
	}
	if (se_type && !in(se_types, sizeof(se_types) / sizeof(se_types[0]), se_type)) {
		cs_cleanup_free char *w = word(b, se_type);

		addf(b, "%s%sseLinuxOptions type %s is not allowed", who, sep, W(w));
	}
	if ((se_user && *se_user) || (se_role && *se_role))
		addf(b, "%s%sseLinuxOptions user and role must not be set", who, sep);
	if (pm && strcmp(pm, "Default") != 0 && !userns) {
		cs_cleanup_free char *w = word(b, pm);

		addf(b, "%s%sprocMount %s is not allowed", who, sep, W(w));
	}
}

static int evaluate(const struct cs_k8s_pod *pod, const struct cs_k8s_sc *scv,
		    struct cs_psa_result *r, size_t bmax, size_t smax)
{
	static const char *const baseline_caps[] = {
	    "AUDIT_WRITE", "CHOWN",  "DAC_OVERRIDE",	 "FOWNER",  "FSETID",
	    "KILL",	   "MKNOD",  "NET_BIND_SERVICE", "SETFCAP", "SETGID",
	    "SETPCAP",	   "SETUID", "SYS_CHROOT"};
	static const char *const safe_sysctls[] = {
	    "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
	    "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
	    "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
	    "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
	    "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
	    /* sysctlsAllowedV1Dot32 */
	    "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"};
	static const char *const restricted_vols[] = {
	    "configMap", "csi",	  "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
	    "projected", "secret"};
	struct acc b = {.s = &r->baseline_fail, .max = bmax},
		   s = {.s = &r->restricted_fail, .max = smax};
	/* helpers.go relaxPolicyForUserNamespacePod: hostUsers set and false. */
	bool userns = pod->host_users.set && !pod->host_users.v;
	/* The V1Dot25 checks of allowPrivilegeEscalation, restricted capabilities
	 * and seccompProfile allow a pod whose spec.os.name is windows (the API
	 * server refuses those fields on it). */
	bool windows = pod->os_name && !strcmp(pod->os_name, "windows");

	memset(r, 0, sizeof(*r));
	if (pod->host_network || pod->host_pid || pod->host_ipc)
		addf(&b, "host namespaces (hostNetwork/hostPID/hostIPC) are not allowed");
	for (size_t i = 0; i < pod->volume_types.n; i++) {
		if (!strcmp(pod->volume_types.v[i], "hostPath"))
			addf(&b, "hostPath volumes are not allowed");
		else if (!in(restricted_vols, sizeof(restricted_vols) / sizeof(restricted_vols[0]),
			     pod->volume_types.v[i])) {
			cs_cleanup_free char *w = word(&s, pod->volume_types.v[i]);

			addf(&s, "volume type %s is not allowed", W(w));
		}
	}
	for (size_t i = 0; i < pod->n_sysctls; i++)
		if (!in(safe_sysctls, sizeof(safe_sysctls) / sizeof(safe_sysctls[0]),
			pod->sysctls[i].name)) {
			cs_cleanup_free char *w = word(&b, pod->sysctls[i].name);

			addf(&b, "sysctl %s is not in the safe set", W(w));
		}
	bool pod_nonroot = pod->run_as_non_root.set && pod->run_as_non_root.v;
	if (pod->run_as_user.set && pod->run_as_user.v == 0 && !userns)
		addf(&s, "pod runAsUser is 0");
	if (pod->run_as_non_root.set && !pod->run_as_non_root.v && !userns)
		addf(&s, "pod runAsNonRoot is false");
	bool pod_seccomp = pod->seccomp_type && (!strcmp(pod->seccomp_type, "RuntimeDefault") ||
						 !strcmp(pod->seccomp_type, "Localhost"));
	if (pod->seccomp_type && !strcmp(pod->seccomp_type, "Unconfined"))
		addf(&b, "seccompProfile Unconfined is not allowed");
	/* check_windowsHostProcess.go: the pod's or any container's */
	if (pod->host_process.set && pod->host_process.v)
		addf(&b, "hostProcess (windowsOptions) is not allowed");
	for (size_t i = 0; i < pod->apparmor_bad.n; i++) {
		cs_cleanup_free char *w = word(&b, pod->apparmor_bad.v[i]);

		addf(&b, "AppArmor annotation %s is not allowed", W(w));
	}
	isolation(&b, NULL, pod->apparmor_type, pod->selinux_type, pod->selinux_user,
		  pod->selinux_role, NULL, userns);

	for (size_t i = 0; i < pod->n_containers; i++) {
		const struct cs_k8s_container *c = &pod->containers[i];
		const struct cs_k8s_sc *sc = scv ? &scv[i] : &c->sc;
		cs_cleanup_free char *cw = word(&b, c->name);
		const char *n = W(cw);

		if (sc->privileged.set && sc->privileged.v)
			addf(&b, "%s: privileged", n);
		if (c->host_port)
			addf(&b, "%s: hostPort", n);
		if (sc->host_process.set && sc->host_process.v)
			addf(&b, "%s: hostProcess (windowsOptions)", n);
		isolation(&b, n, sc->apparmor_type, sc->selinux_type, sc->selinux_user,
			  sc->selinux_role, sc->proc_mount, userns);
		for (size_t k = 0; sc->caps_set && k < sc->add.n; k++) {
			cs_cleanup_free char *w = word(&b, sc->add.v[k]);

			if (!in(baseline_caps, sizeof(baseline_caps) / sizeof(baseline_caps[0]),
				sc->add.v[k]))
				addf(&b, "%s: adds capability %s (not in the baseline list)", n,
				     W(w));
			if (strcmp(sc->add.v[k], "NET_BIND_SERVICE") != 0 && !windows)
				addf(&s, "%s: adds %s (restricted allows only NET_BIND_SERVICE)", n,
				     W(w));
		}
		if (!windows && (!sc->caps_set || !in(sc->drop.v, sc->drop.n, "ALL")))
			addf(&s, "%s: must drop ALL capabilities", n);
		if (!windows &&
		    !(sc->allow_privilege_escalation.set && !sc->allow_privilege_escalation.v))
			addf(&s, "%s: allowPrivilegeEscalation must be false", n);
		if (!userns) {
			bool nonroot =
			    sc->run_as_non_root.set ? sc->run_as_non_root.v : pod_nonroot;

			if (!nonroot)
				addf(&s, "%s: runAsNonRoot must be true", n);
			if (sc->run_as_user.set && sc->run_as_user.v == 0)
				addf(&s, "%s: runAsUser must not be 0", n);
		}
		const char *st = sc->seccomp_type;
		if (st && !strcmp(st, "Unconfined") && st != pod->seccomp_type)
			addf(&b, "%s: seccompProfile Unconfined", n);
		if (!windows && !(st ? (!strcmp(st, "RuntimeDefault") || !strcmp(st, "Localhost"))
				     : pod_seccomp))
			addf(&s, "%s: seccompProfile must be RuntimeDefault or Localhost", n);
	}
	if (b.oom || s.oom) {
		cs_psa_result_free(r);
		return -ENOMEM;
	}
	/* Held at their size, not the doubled buffers' (up to twice; a pod of
	 * containers adding 16 capabilities each: 3 KB a container). */
	shrink(&b);
	shrink(&s);
	if (!b.n)
		r->level = s.n ? CS_PSA_BASELINE : CS_PSA_RESTRICTED;
	else
		r->level = CS_PSA_PRIVILEGED;
	return 0;
}

int cs_psa_evaluate(const struct cs_k8s_pod *pod, const struct cs_k8s_sc *scv,
		    struct cs_psa_result *r)
{
	return evaluate(pod, scv, r, SIZE_MAX, SIZE_MAX);
}

int cs_psa_level(const struct cs_k8s_pod *pod, const struct cs_k8s_sc *scv, struct cs_psa_result *r)
{
	return evaluate(pod, scv, r, 0, 0);
}

/*
 * Which level's reasons are printed is known once the level is: the
 * level alone first (no text), then the texts that level needs. Twice
 * the checks, once their text: both texts name every container and each
 * check it fails (2.9 KB of explain pod --openshift's 7.4 KB a container
 * of 16 added capabilities, seventeenth pass, part A).
 */
int cs_psa_evaluate_next(const struct cs_k8s_pod *pod, const struct cs_k8s_sc *scv,
			 struct cs_psa_result *r, size_t head)
{
	int rc = evaluate(pod, scv, r, 0, 0);

	if (rc < 0 || r->level == CS_PSA_RESTRICTED)
		return rc;
	return evaluate(pod, scv, r, r->level == CS_PSA_PRIVILEGED ? SIZE_MAX : 0,
			r->level == CS_PSA_PRIVILEGED ? head : SIZE_MAX);
}

const char *cs_psa_level_name(enum cs_psa_level l)
{
	switch (l) {
	case CS_PSA_BASELINE:
		return "baseline";
	case CS_PSA_RESTRICTED:
		return "restricted";
	default:
		return "privileged";
	}
}
