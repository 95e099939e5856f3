/* SPDX-License-Identifier: MIT */
/*
 * SCC admission. Sources (openshift/apiserver-library-go):
 *  - sccadmission/admission.go: candidates, required-scc, first match wins;
 *  - util/sort/byrestrictions.go + bypriority.go: priority (higher first),
 *    then pointValue (lower first), then name;
 *  - sccmatching/provider.go: mutatePod/mutateContainer then validate,
 *    runAsNonRoot and allowPrivilegeEscalation defaulting;
 *  - capabilities/mustrunas.go: Generate and ValidateContainer (exact,
 *    case-sensitive names; "*" in allowedCapabilities skips all checks);
 *  - user/{mustrunas,mustrunasrange,nonroot,runasany}.go.
 * docs/scc.md lists every rule with the function it comes from.
 */
#include "capscope/scc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capscope/text.h"
#include "internal/cleanup.h"
#include "explain/strf.h"
#include "internal/util.h"
#include "scc-sysctls.h"
#include "sysctl-names.h"

enum {
	PRIVILEGED_POINTS = 1600000,
	HOST_PORTS_POINTS = 800000,
	HOST_NETWORK_POINTS = 400000,
	HOST_VOLUME_POINTS = 200000,
	NON_TRIVIAL_VOLUME_POINTS = 100000,
	RUN_AS_ANY_POINTS = 40000,
	RUN_AS_NON_ROOT_POINTS = 30000,
	RUN_AS_RANGE_POINTS = 20000,
	RUN_AS_USER_POINTS = 10000,
	CAP_DEFAULT_POINTS = 5000,
	CAP_ADD_ONE_POINTS = 300,
	CAP_ALLOW_ALL_POINTS = 4000,
	CAP_ALLOW_ONE_POINTS = 10,
	CAP_DROP_ALL_POINTS = -3000,
	CAP_DROP_ONE_POINTS = -50,
	CAP_MAX_POINTS = 9999,
};

static bool has(const struct cs_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

static bool has_fold(const struct cs_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i], s) == 0)
			return true;
	return false;
}

int cs_scc_points(const struct cs_scc *s)
{
	int pts = 0;
	int64_t cap;
	bool host_vol = false, nontrivial = false;
	static const char *const trivial[] = {"secret",	     "configMap", "emptyDir",
					      "downwardAPI", "projected", "none"};

	if (s->allow_privileged)
		pts += PRIVILEGED_POINTS;
	for (size_t i = 0; i < s->volumes.n; i++) {
		const char *v = s->volumes.v[i];
		bool t = false;

		if (!strcmp(v, "hostPath") || !strcmp(v, "*")) {
			host_vol = true;
			continue;
		}
		for (size_t k = 0; k < sizeof(trivial) / sizeof(trivial[0]); k++)
			t |= !strcmp(v, trivial[k]);
		if (!t)
			nontrivial = true;
	}
	if (host_vol)
		pts += HOST_VOLUME_POINTS;
	else if (nontrivial)
		pts += NON_TRIVIAL_VOLUME_POINTS;
	if (s->allow_host_network)
		pts += HOST_NETWORK_POINTS;
	if (s->allow_host_ports)
		pts += HOST_PORTS_POINTS;

	/* In 64 bits, as Go's int: 7,200,000 default capabilities (a 14 MB
	 * file takes them) times 300 overflowed an int (sixteenth pass). */
	cap = CAP_DEFAULT_POINTS + CAP_ADD_ONE_POINTS * (int64_t)s->default_add_caps.n;
	if (has(&s->allowed_caps, "*") || has_fold(&s->allowed_caps, "ALL"))
		cap += CAP_ALLOW_ALL_POINTS;
	else
		cap += CAP_ALLOW_ONE_POINTS * (int64_t)s->allowed_caps.n;
	if (has_fold(&s->required_drop_caps, "ALL"))
		cap += CAP_DROP_ALL_POINTS;
	else
		cap += CAP_DROP_ONE_POINTS * (int64_t)s->required_drop_caps.n;
	pts += cap < 0 ? 0 : cap > CAP_MAX_POINTS ? CAP_MAX_POINTS : (int)cap;

	if (s->selinux_type && !strcmp(s->selinux_type, "RunAsAny"))
		pts += RUN_AS_ANY_POINTS;
	else if (s->selinux_type && !strcmp(s->selinux_type, "MustRunAs"))
		pts += RUN_AS_USER_POINTS;
	switch (s->run_as_user) {
	case CS_SCC_RUN_AS_ANY:
		pts += RUN_AS_ANY_POINTS;
		break;
	case CS_SCC_MUST_RUN_AS_NON_ROOT:
		pts += RUN_AS_NON_ROOT_POINTS;
		break;
	case CS_SCC_MUST_RUN_AS_RANGE:
		pts += RUN_AS_RANGE_POINTS;
		break;
	case CS_SCC_MUST_RUN_AS:
		pts += RUN_AS_USER_POINTS;
		break;
	default:
		break;
	}
	return pts;
}

struct cand {
	const struct cs_scc *s;
	int points;
	int64_t prio;
};

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->prio != y->prio)
		return x->prio > y->prio ? -1 : 1;
	if (x->points != y->points)
		return x->points < y->points ? -1 : 1;
	return strcmp(x->s->name, y->s->name);
}

static int own(struct cs_scc_result *r, void *p)
{
	if (!p)
		return -ENOMEM;
	if (r->n_owned == r->cap_owned) {
		size_t nc = r->cap_owned ? r->cap_owned * 2 : 16;
		void **v = realloc(r->owned, nc * sizeof(*v));

		if (!v) {
			free(p);
			return -ENOMEM;
		}
		r->owned = v;
		r->cap_owned = nc;
	}
	r->owned[r->n_owned++] = p;
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Lookups in lists that come from input of any length (an SCC's capability
 * lists, a container's adds and drops): a sorted copy and bsearch, so that
 * one lookup per capability stays n log n. A linear has() in those loops
 * made admission quadratic: 20 SCCs of 2,000 defaultAddCapabilities and
 * 200 containers took 26 s.
 */
static const char **sorted_copy(const struct cs_strlist *a, const struct cs_strlist *b, size_t *n)
{
	size_t na = a->n, nb = b ? b->n : 0;
	const char **v = malloc((na + nb + 1) * sizeof(*v));

	if (!v)
		return NULL;
	if (na)
		memcpy(v, a->v, na * sizeof(*v));
	if (nb)
		memcpy(v + na, b->v, nb * sizeof(*v));
	qsort(v, na + nb, sizeof(*v), str_cmp);
	*n = na + nb;
	return v;
}

static bool in_sorted(const char *const *v, size_t n, const char *s)
{
	return n && bsearch(&s, v, n, sizeof(*v), str_cmp) != NULL;
}

/* Sorted, de-duplicated union of up to two lists minus a third (sets.String). */
static int set_build(struct cs_scc_result *r, struct cs_strlist *out, const struct cs_strlist *a,
		     const struct cs_strlist *minus, const struct cs_strlist *b)
{
	size_t n = 0, cap = a->n + (b ? b->n : 0), nm = 0;
	const char **v = malloc((cap + 1) * sizeof(*v));
	const char **m = minus && minus->n && a->n ? sorted_copy(minus, NULL, &nm) : NULL;

	if (own(r, v) < 0 || (minus && minus->n && a->n && !m)) {
		free(m);
		return -ENOMEM;
	}
	for (size_t i = 0; i < a->n; i++)
		if (!in_sorted(m, nm, a->v[i]))
			v[n++] = a->v[i];
	free(m);
	for (size_t i = 0; b && i < b->n; i++)
		v[n++] = b->v[i];
	qsort(v, n, sizeof(*v), str_cmp);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (k == 0 || strcmp(v[k - 1], v[i]) != 0)
			v[k++] = v[i];
	out->v = v;
	out->n = k;
	return 0;
}

/* The "; "-joined error list of one attempt, grown on the heap (addf). A failed
 * allocation is remembered (oom) and reported once admission ends. */
struct errbuf {
	char *buf;
	size_t used, cap;
	int count;
	bool oom;
};

static void addf(struct errbuf *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(struct errbuf *e, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	size_t w;

	e->count++;
	va_start(ap, fmt);
	msg = cs_vformat_quoted(fmt, ap); /* a quoted name's quotes doubled */
	va_end(ap);
	if (!msg) {
		e->oom = true;
		return;
	}
	w = strlen(msg);
	size_t need = e->used + (e->used ? 2 : 0) + (size_t)w + 1;
	if (need > e->cap) {
		/*
		 * Nineteenth pass, part A: doubled, the buffer's unused part
		 * (up to half) was pages touched under MALLOC_PERTURB_ (every
		 * allocation filled when made) and not without: the peak is an
		 * attempt's reason being built beside the last one's, so lint's
		 * slope was 6.6 KB a refused container with it and 5.5 without
		 * (massif: a 6.6 MB buffer for a 4.1 MB reason). Grown by an
		 * eighth, still geometric (linear copying), the spare is at most
		 * an eighth whatever the allocator touches.
		 */
		size_t nc = need + need / 8 + 256;
		char *nb = realloc(e->buf, nc);

		if (!nb) {
			free(msg);
			e->oom = true;
			return;
		}
		e->buf = nb;
		e->cap = nc;
	}
	if (e->used) {
		memcpy(e->buf + e->used, "; ", 2);
		e->used += 2;
	}
	memcpy(e->buf + e->used, msg, (size_t)w + 1);
	e->used += (size_t)w;
	free(msg);
}

/* The most of a pod's own value an SCC's refusal quotes: each SCC tried
 * repeats it (cs_scc_admit). */
#define SCC_VALUE_MAX 64

static void uid_range(const struct cs_scc *s, const struct cs_scc_opts *o, int64_t *lo, int64_t *hi)
{
	if (s->uid_min.set && s->uid_max.set) {
		*lo = s->uid_min.v;
		*hi = s->uid_max.v;
	} else {
		*lo = o->uid_range_start;
		*hi = (int64_t)o->uid_range_start + o->uid_range_size - 1;
	}
}

/* The group ranges of a MustRunAs strategy: the SCC's own, else the
 * namespace's uid range (matcher.go requiresPreallocatedFSGroup: only an
 * SCC without ranges takes the namespace annotation). */
static struct cs_id_range group_ranges_first(const struct cs_id_range *v, size_t n,
					     const struct cs_scc_opts *o)
{
	if (n)
		return v[0];
	return (struct cs_id_range){o->uid_range_start,
				    (int64_t)o->uid_range_start + o->uid_range_size - 1};
}

/* group/mustrunas.go isGroupValid: inside any one range, bounds included.
 * Without ranges of its own the SCC takes the namespace's (matcher.go):
 * supplementalGroups the whole block, fsGroup only its first id
 * (getPreallocatedFSGroup makes the range {Start, Start}), so a pod's
 * fsGroup anywhere else in the namespace's block is refused. */
static bool group_allowed(const struct cs_id_range *v, size_t n, const struct cs_scc_opts *o,
			  bool first_only, int64_t g)
{
	struct cs_id_range ns = group_ranges_first(NULL, 0, o);

	if (first_only)
		ns.max = ns.min;
	if (!n)
		return g >= ns.min && g <= ns.max;
	for (size_t i = 0; i < n; i++)
		if (g >= v[i].min && g <= v[i].max)
			return true;
	return false;
}

/* A pod volume's source key as the SCC's FSType names it (util.go
 * GetVolumeFSType): three are spelled differently. */
static const char *fs_type(const char *key)
{
	if (!strcmp(key, "cephfs"))
		return "cephFS";
	if (!strcmp(key, "vsphereVolume"))
		return "vsphere";
	if (!strcmp(key, "storageos"))
		return "storageOS";
	return key;
}

/*
 * The pod's volumes against the SCC's, sorted once an attempt: looked up
 * in the list as given, every volume walked every entry (8,000 volumes
 * and entries: 0.8 s an SCC, growing as their product; sixteenth pass).
 */
static void validate_volumes(const struct cs_k8s_pod *pod, const struct cs_scc *s, struct errbuf *e)
{
	size_t n = 0;
	const char **v;

	if (!pod->volume_types.n || has(&s->volumes, "*"))
		return;
	if (!(v = sorted_copy(&s->volumes, NULL, &n))) {
		e->oom = true;
		return;
	}
	for (size_t i = 0; i < pod->volume_types.n; i++)
		if (!in_sorted(v, n, fs_type(pod->volume_types.v[i])))
			addf(e, "spec.volumes[%zu]: %s volumes are not allowed to be used", i,
			     fs_type(pod->volume_types.v[i]));
	free(v);
}

/* The pod's sysctls against the SCC's patterns, indexed once an attempt. */
static void validate_sysctls(const struct cs_k8s_pod *pod, const struct cs_scc *s, struct errbuf *e)
{
	struct cs_sysctl_pats forbidden, allowed;

	if (!pod->n_sysctls)
		return;
	if (cs_sysctl_pats_build(&forbidden, &s->forbidden_sysctls) < 0) {
		e->oom = true;
		return;
	}
	if (cs_sysctl_pats_build(&allowed, &s->allowed_unsafe_sysctls) < 0) {
		cs_sysctl_pats_free(&forbidden);
		e->oom = true;
		return;
	}
	for (size_t i = 0; i < pod->n_sysctls; i++) {
		const char *n = pod->sysctls[i].name;
		cs_cleanup_free char *w = cs_word_dup(n, '"'); /* lib/word.c */

		if (!w)
			e->oom = true;
		if (cs_sysctl_pats_match(&forbidden, n))
			addf(e, "sysctl %s is forbidden", w ? w : "?");
		else if (!cs_k8s_sysctl_safe(n) && !cs_sysctl_pats_match(&allowed, n))
			addf(e, "unsafe sysctl %s is not allowed", w ? w : "?");
	}
	cs_sysctl_pats_free(&forbidden);
	cs_sysctl_pats_free(&allowed);
}

/* Pod level: host namespaces, volumes, sysctls, user namespace, groups. */
static void validate_pod(const struct cs_k8s_pod *pod, const struct cs_scc *s,
			 const struct cs_scc_opts *o, struct cs_opt_i64 *fs_group, struct errbuf *e)
{
	if (pod->host_pid && !s->allow_host_pid)
		addf(e, "spec.hostPID: Host PID is not allowed to be used");
	if (pod->host_network && !s->allow_host_network)
		addf(e, "spec.hostNetwork: Host network is not allowed to be used");
	if (pod->host_ipc && !s->allow_host_ipc)
		addf(e, "spec.hostIPC: Host IPC is not allowed to be used");
	validate_volumes(pod, s, e);
	validate_sysctls(pod, s, e);
	if (s->user_namespace_level && !strcmp(s->user_namespace_level, "RequirePodLevel") &&
	    !(pod->host_users.set && !pod->host_users.v))
		addf(e, "spec.securityContext.hostUsers: Host Users must be set to false "
			"(userNamespaceLevel RequirePodLevel)");
	*fs_group = pod->fs_group;
	if (s->fs_group_type && !strcmp(s->fs_group_type, "MustRunAs")) {
		struct cs_id_range first =
		    group_ranges_first(s->fs_group_ranges, s->n_fs_group_ranges, o);

		if (!fs_group->set) {
			fs_group->set = true;
			fs_group->v = first.min;
		} else if (!group_allowed(s->fs_group_ranges, s->n_fs_group_ranges, o, true,
					  fs_group->v)) {
			addf(e, "spec.securityContext.fsGroup: %lld is not an allowed group",
			     (long long)fs_group->v);
		}
	}
	if (s->supplemental_groups_type && !strcmp(s->supplemental_groups_type, "MustRunAs"))
		for (size_t i = 0; i < pod->n_supplemental_groups; i++) {
			int64_t g = pod->supplemental_groups[i];

			if (!group_allowed(s->supplemental_groups_ranges,
					   s->n_supplemental_groups_ranges, o, false, g))
				addf(e,
				     "spec.securityContext.supplementalGroups[%zu]: %lld is not an "
				     "allowed group",
				     i, (long long)g);
		}
}

/* provider.go mutateContainer: the strategies' Generate on one container. */
static int mutate_container(const struct cs_k8s_pod *pod, const struct cs_k8s_container *c,
			    const struct cs_scc *s, int64_t lo, struct cs_scc_result *r,
			    struct cs_k8s_sc *sc)
{
	static const struct cs_strlist empty = {NULL, 0};
	int rc;

	cs_k8s_effective_sc(pod, c, sc);
	/* runAsUser strategy: Generate fills an unset uid. */
	if (!sc->run_as_user.set) {
		if (s->run_as_user == CS_SCC_MUST_RUN_AS) {
			sc->run_as_user.set = true;
			sc->run_as_user.v = s->uid.v;
		} else if (s->run_as_user == CS_SCC_MUST_RUN_AS_RANGE) {
			sc->run_as_user.set = true;
			sc->run_as_user.v = lo;
		}
	}
	/* runAsNonRoot marker (provider.go mutateContainer). */
	if (!sc->run_as_non_root.set) {
		if ((!sc->run_as_user.set && s->run_as_user == CS_SCC_MUST_RUN_AS_NON_ROOT) ||
		    (sc->run_as_user.set && sc->run_as_user.v > 0)) {
			sc->run_as_non_root.set = true;
			sc->run_as_non_root.v = true;
		}
	}
	/* seccomp: the SCC's first profile becomes the pod's when none is set
	 * (provider.go mutatePod, seccomp/strategy.go Generate). */
	if (!sc->seccomp_type && s->seccomp_profiles.n) {
		const char *sp = s->seccomp_profiles.v[0];

		if (!strcmp(sp, "runtime/default") || !strcmp(sp, "docker/default"))
			sc->seccomp_type = "RuntimeDefault";
		else if (!strncmp(sp, "localhost/", 10))
			sc->seccomp_type = "Localhost";
	}
	if (s->read_only_root_fs && !sc->read_only_root_fs.set) {
		sc->read_only_root_fs.set = true;
		sc->read_only_root_fs.v = true;
	}
	/* Capabilities Generate. */
	if (s->default_add_caps.n || s->required_drop_caps.n) {
		const struct cs_strlist *cadd = sc->caps_set ? &sc->add : &empty;
		const struct cs_strlist *cdrop = sc->caps_set ? &sc->drop : &empty;
		struct cs_strlist add, drop;

		if ((rc = set_build(r, &add, &s->default_add_caps, cdrop, cadd)) < 0 ||
		    (rc = set_build(r, &drop, &s->required_drop_caps, NULL, cdrop)) < 0)
			return rc;
		sc->caps_set = true;
		sc->add = add;
		sc->drop = drop;
	}
	/* allowPrivilegeEscalation defaulting. */
	bool priv = sc->privileged.set && sc->privileged.v;
	bool sysadmin = sc->caps_set && has(&sc->add, "CAP_SYS_ADMIN");

	if (s->default_allow_privilege_escalation.set && !sc->allow_privilege_escalation.set &&
	    !priv && !sysadmin)
		sc->allow_privilege_escalation = s->default_allow_privilege_escalation;
	if (s->allow_privilege_escalation.set && !s->allow_privilege_escalation.v &&
	    !sc->allow_privilege_escalation.set) {
		sc->allow_privilege_escalation.set = true;
		sc->allow_privilege_escalation.v = false;
	}
	return 0;
}

/* provider.go ValidateContainer: the SCC's checks on one mutated container. */
/* ok_add: defaultAddCapabilities and allowedCapabilities, sorted (n_ok_add
 * names); allow_all: "*" among the allowed. */
static void validate_container(const struct cs_k8s_container *c, const struct cs_scc *s, int64_t lo,
			       int64_t hi, const struct cs_k8s_sc *sc, const char *const *ok_add,
			       size_t n_ok_add, bool allow_all, struct errbuf *e)
{
	/* Names are words of the reason (lib/word.c): a container "c: runAsUser
	 * must be 0" or a capability "X\": capability may not be added; Y" would
	 * imitate the reason's own words. */
	cs_cleanup_free char *word = cs_word_dup(c->name, '"');
	const char *cn = word ? word : "?";
	bool priv = sc->privileged.set && sc->privileged.v;

	if (!word)
		e->oom = true;

	if (priv && !s->allow_privileged)
		addf(e, "%s: Privileged containers are not allowed", cn);
	if (s->read_only_root_fs && !(sc->read_only_root_fs.set && sc->read_only_root_fs.v))
		addf(e, "%s: ReadOnlyRootFilesystem must be set to true", cn);
	if (s->allow_privilege_escalation.set && !s->allow_privilege_escalation.v &&
	    (!sc->allow_privilege_escalation.set || sc->allow_privilege_escalation.v))
		addf(e, "%s: Allowing privilege escalation for containers is not allowed", cn);
	switch (s->run_as_user) {
	case CS_SCC_MUST_RUN_AS:
		if (!sc->run_as_user.set || sc->run_as_user.v != s->uid.v)
			addf(e, "%s: runAsUser must be %lld", cn, (long long)s->uid.v);
		break;
	case CS_SCC_MUST_RUN_AS_RANGE:
		if (!sc->run_as_user.set || sc->run_as_user.v < lo || sc->run_as_user.v > hi)
			addf(e, "%s: runAsUser %lld must be in the ranges: [%lld, %lld]", cn,
			     (long long)sc->run_as_user.v, (long long)lo, (long long)hi);
		break;
	case CS_SCC_MUST_RUN_AS_NON_ROOT:
		if (!sc->run_as_non_root.set && !sc->run_as_user.set)
			addf(e, "%s: runAsNonRoot must be true", cn);
		else if (sc->run_as_non_root.set && !sc->run_as_non_root.v)
			addf(e, "%s: runAsNonRoot must be true", cn);
		else if (sc->run_as_user.set && sc->run_as_user.v == 0)
			addf(e, "%s: running with the root UID is forbidden", cn);
		break;
	default:
		break;
	}
	if (!sc->caps_set) {
		if (s->default_add_caps.n || s->required_drop_caps.n)
			addf(e, "%s: required capabilities are not set on the securityContext", cn);
	} else if (!allow_all) {
		size_t nd = 0;
		const char **drop =
		    s->required_drop_caps.n ? sorted_copy(&sc->drop, NULL, &nd) : NULL;

		for (size_t i = 0; i < sc->add.n; i++) {
			if (in_sorted(ok_add, n_ok_add, sc->add.v[i]))
				continue;
			/* Nineteenth pass, part A: the value whole made every
			 * SCC's refusal as long as it: a 100 KB name and 1,000
			 * SCCs (--scc) held 100 MB and wrote 200 MB. Cut as the
			 * reader's messages are (a capability's name is short). */
			addf(e,
			     "%s: capabilities.add: Invalid value: \"%.*s%s\": capability may "
			     "not be added",
			     cn, CS_MSG_CUTS(sc->add.v[i], SCC_VALUE_MAX));
		}
		if (s->required_drop_caps.n && !drop)
			e->oom = true;
		for (size_t i = 0; drop && i < s->required_drop_caps.n; i++) {
			cs_cleanup_free char *v = NULL;

			if (in_sorted(drop, nd, s->required_drop_caps.v[i]))
				continue;
			if (!(v = cs_word_dup(s->required_drop_caps.v[i], '"')))
				e->oom = true;
			addf(e, "%s: %s is required to be dropped but was not found", cn,
			     v ? v : "?");
		}
		free(drop);
	}
	if (c->host_port && !s->allow_host_ports)
		addf(e, "%s: Host ports are not allowed to be used", cn);
}

static int try_scc(const struct cs_k8s_pod *pod, const struct cs_scc *s,
		   const struct cs_scc_opts *o, struct cs_scc_result *r, struct cs_k8s_sc *out,
		   struct cs_opt_i64 *fs_group, struct errbuf *e)
{
	int64_t lo, hi;
	int rc = 0;
	size_t n_ok = 0;
	bool allow_all = has(&s->allowed_caps, "*");
	const char **ok =
	    allow_all ? NULL : sorted_copy(&s->default_add_caps, &s->allowed_caps, &n_ok);

	if (!allow_all && !ok)
		return -ENOMEM;
	uid_range(s, o, &lo, &hi);
	validate_pod(pod, s, o, fs_group, e);
	for (size_t ci = 0; ci < pod->n_containers; ci++) {
		rc = mutate_container(pod, &pod->containers[ci], s, lo, r, &out[ci]);
		if (rc < 0)
			break;
		validate_container(&pod->containers[ci], s, lo, hi, &out[ci], ok, n_ok, allow_all,
				   e);
	}
	free(ok);
	return rc;
}

static bool granted(const struct cs_scc_opts *o, const char *name)
{
	if (!o->granted)
		return true;
	for (size_t i = 0; i < o->n_granted; i++)
		if (!strcmp(o->granted[i], name))
			return true;
	return false;
}

/*
 * One container's changes by the chosen SCC s. Names are words of the
 * sentence (lib/word.c): a container or capability name that is not a plain
 * word is quoted, so "x: runAsNonRoot set" or "X] drop [ALL" in a name
 * cannot imitate the words after it. 0 or -ENOMEM.
 */
static int note_container(const struct cs_k8s_pod *pod, const struct cs_scc *s,
			  const struct cs_k8s_container *c, const struct cs_k8s_sc *sc,
			  struct cs_steps *st)
{
	cs_cleanup_free char *cn = cs_word_dup(c->name, '"'), *sn = cs_word_dup(s->name, '"');
	struct cs_k8s_sc eff;
	size_t nd = 0;
	const char **drop = NULL;

	if (!cn || !sn)
		return -ENOMEM;
	cs_k8s_effective_sc(pod, c, &eff);
	if (sc->run_as_user.set && !eff.run_as_user.set)
		cs_steps_add(st, "scc", "scc.run-as-user",
			     "%s: runAsUser set to %lld by %s's %s strategy", cn,
			     (long long)sc->run_as_user.v, sn,
			     s->run_as_user == CS_SCC_MUST_RUN_AS ? "MustRunAs" : "MustRunAsRange");
	if (sc->run_as_non_root.set && !eff.run_as_non_root.set)
		cs_steps_add(st, "scc", "scc.run-as-non-root",
			     "%s: runAsNonRoot set to true (the kubelet will refuse uid 0)", cn);
	if (sc->allow_privilege_escalation.set && !eff.allow_privilege_escalation.set)
		cs_steps_add(st, "scc", "scc.allow-privilege-escalation",
			     "%s: allowPrivilegeEscalation defaulted to %s by %s%s", cn,
			     sc->allow_privilege_escalation.v ? "true" : "false", sn,
			     sc->allow_privilege_escalation.v
				 ? ""
				 : " — the runtime will set no_new_privs, so set-uid bits "
				   "and file capabilities will not raise privileges");
	if (sc->caps_set && (s->default_add_caps.n || s->required_drop_caps.n)) {
		cs_cleanup_free char *a = cs_words_join(sc->add.v, sc->add.n);
		cs_cleanup_free char *b = cs_words_join(sc->drop.v, sc->drop.n);

		if (!a || !b)
			return -ENOMEM;
		cs_steps_add(st, "scc", "scc.capabilities",
			     "%s: capabilities become add [%s] drop [%s] (defaultAddCapabilities "
			     "minus the container's drops, plus its adds; requiredDropCapabilities "
			     "plus its drops)",
			     cn, a, b);
	}
	/* An SCC that allows a capability and also requires dropping it. */
	if (sc->caps_set && sc->add.n && sc->drop.n && !(drop = sorted_copy(&sc->drop, NULL, &nd)))
		return -ENOMEM;
	for (size_t i = 0; drop && i < sc->add.n; i++) {
		cs_cleanup_free char *cap = NULL;

		if (!in_sorted(drop, nd, sc->add.v[i]))
			continue;
		if (!(cap = cs_word_dup(sc->add.v[i], '"'))) {
			free(drop);
			return -ENOMEM;
		}
		cs_steps_add(st, "scc", "scc.add-and-drop",
			     "%s: %s is both added and dropped after admission; the "
			     "runtime decides which wins (CRI-O and containerd: the drop)",
			     cn, cap);
	}
	free(drop);
	return 0;
}

/* 0 or -ENOMEM. */
/* Each container's changes, where they start in st kept in notes (n + 1). */
static int note_changes(const struct cs_k8s_pod *pod, const struct cs_scc *s,
			const struct cs_k8s_sc *out, struct cs_steps *st, size_t *notes)
{
	for (size_t ci = 0; ci < pod->n_containers; ci++) {
		notes[ci] = st->n;
		int rc = note_container(pod, s, &pod->containers[ci], &out[ci], st);

		if (rc < 0)
			return rc;
	}
	notes[pod->n_containers] = st->n;
	return 0;
}

/* "NAME: what" as a step, the SCC's name a word of the sentence (lib/word.c). */
static void note_scc(struct cs_steps *st, const char *rule, const struct cs_scc *s,
		     const char *what)
{
	cs_cleanup_free char *name = cs_word_dup(s->name, '"');

	if (!name) /* out of memory: the steps' error, never a "?" for the name */
		st->error = -ENOMEM;
	else
		cs_steps_add(st, "scc", rule, "%s: %s", name, what);
}

/* "SCCs tried in order …" as one step; the list is as long as it needs to be. */
static void note_order(const struct cand *cv, size_t nc, struct cs_steps *st)
{
	struct errbuf l = {0};

	for (size_t i = 0; i < nc; i++) {
		/* A word of the sentence (lib/word.c): "a (priority 9, score 0), b"
		 * as one SCC's name would imitate the list. */
		cs_cleanup_free char *name = cs_word_dup(cv[i].s->name, '"');

		if (!name) { /* out of memory: the steps' error, never "?" */
			st->error = -ENOMEM;
			break;
		}
		addf(&l, "%s (priority %lld, score %d)", name, (long long)cv[i].prio, cv[i].points);
		if (cv[i].s->run_as_user_ranges_pruned)
			cs_steps_add(st, "scc", "scc.run-as-user-ranges-pruned",
				     "%s: runAsUser.ranges is not a field of the SCC API and is "
				     "dropped; MustRunAsRange takes %s",
				     name,
				     cv[i].s->uid_min.set && cv[i].s->uid_max.set
					 ? "uidRangeMin/uidRangeMax"
					 : "the namespace's openshift.io/sa.scc.uid-range");
	}
	if (l.oom) /* a list cut by a failed allocation is not the order */
		st->error = -ENOMEM;
	cs_steps_add(st, "scc", "scc.order",
		     "SCCs tried in order of priority, restrictiveness, name: %s",
		     l.buf ? l.buf : "(none)");
	free(l.buf);
}

int cs_scc_admit(const struct cs_k8s_pod *pod, const struct cs_scc *const *sccs, size_t n,
		 const struct cs_scc_opts *o, struct cs_scc_result *res, struct cs_steps *st)
{
	struct cand *cv;
	size_t nc = 0;
	int rc = 0;
	size_t nctr = pod->n_containers ? pod->n_containers : 1;
	/* The annotation's value inside its quotes: "a' b" as 'a'' b' (the
	 * formats' rule, lib/msg-format.c). */
	const char *req = pod->required_scc;

	memset(res, 0, sizeof(*res));
	cv = calloc(n ? n : 1, sizeof(*cv));
	res->attempts = calloc(n ? n : 1, sizeof(*res->attempts));
	res->sc = calloc(nctr, sizeof(*res->sc));
	struct cs_k8s_sc *tmp = calloc(nctr, sizeof(*tmp));
	if (!cv || !res->attempts || !res->sc || !tmp) {
		rc = -ENOMEM;
		goto out;
	}
	res->n_sc = pod->n_containers;

	for (size_t i = 0; i < n; i++) {
		if (pod->required_scc && strcmp(pod->required_scc, sccs[i]->name) != 0)
			continue;
		cv[nc].s = sccs[i];
		cv[nc].points = cs_scc_points(sccs[i]);
		cv[nc].prio = sccs[i]->priority.set ? sccs[i]->priority.v : 0;
		nc++;
	}
	qsort(cv, nc, sizeof(*cv), cand_cmp);
	if (pod->required_scc && nc == 0) {
		if (!(res->reason = cs_strf("the pod requires SCC '%s' (openshift.io/required-scc) "
					    "but no such SCC was given",
					    req))) {
			rc = -ENOMEM;
			goto out;
		}
		cs_steps_add(st, "scc", "scc.required-missing", "%s", res->reason);
		goto out;
	}
	if (pod->required_scc)
		cs_steps_add(st, "scc", "scc.required",
			     "openshift.io/required-scc names '%s': only that SCC is considered",
			     req);
	note_order(cv, nc, st);

	for (size_t i = 0; i < nc; i++) {
		struct cs_scc_attempt *a = &res->attempts[res->n_attempts++];
		struct errbuf e = {0};
		struct cs_opt_i64 fsg;

		a->scc = cv[i].s;
		a->points = cv[i].points;
		a->granted = granted(o, a->scc->name);
		if (!a->granted) {
			if (!(a->reason =
				  strdup("the pod's service account is not allowed to use it"))) {
				rc = -ENOMEM;
				goto out;
			}
			note_scc(st, "scc.reject", a->scc, a->reason);
			continue;
		}
		size_t mark = res->n_owned;

		rc = try_scc(pod, a->scc, o, res, tmp, &fsg, &e);
		/* Held to the end at its size, not the doubled buffer's (up to twice). */
		a->reason = e.buf && e.used + 1 < e.cap ? realloc(e.buf, e.used + 1) : e.buf;
		if (!a->reason)
			a->reason = e.buf;
		if (rc == 0 && e.oom)
			rc = -ENOMEM;
		if (rc < 0)
			goto out;
		if (e.count == 0) {
			a->ok = true;
			res->admitted = true;
			res->chosen = a->scc;
			res->fs_group = fsg;
			memcpy(res->sc, tmp, pod->n_containers * sizeof(*tmp));
			cs_cleanup_free char *name = cs_word_dup(a->scc->name, '"');

			if (!name || asprintf(&res->reason,
					      "admitted by SCC %s (openshift.io/scc annotation)",
					      name) < 0) {
				res->reason = NULL;
				rc = -ENOMEM;
				goto out;
			}
			note_scc(st, "scc.chosen", a->scc,
				 "the first SCC the whole pod validates against");
			if (!(res->notes = calloc(pod->n_containers + 1, sizeof(*res->notes)))) {
				rc = -ENOMEM;
				goto out;
			}
			if ((rc = note_changes(pod, a->scc, res->sc, st, res->notes)) < 0)
				goto out;
			break;
		}
		note_scc(st, "scc.reject", a->scc, a->reason);
		/* The mutated lists of a refused SCC are read no more (tmp is
		 * overwritten by the next): keeping them made memory grow with
		 * SCCs x containers x capabilities. */
		while (res->n_owned > mark)
			free(res->owned[--res->n_owned]);
	}
	/* Every SCC tried refused: the reason ("unable to validate …: a: why;
	 * b: why") is made from the attempts when written (scc-reason.c). */
	if (!res->admitted && nc == 0 &&
	    !(res->reason = strdup("no SecurityContextConstraints available to the pod")))
		rc = -ENOMEM;
out:
	free(cv);
	free(tmp);
	if (rc < 0)
		cs_scc_result_free(res);
	return rc;
}

void cs_scc_result_free(struct cs_scc_result *res)
{
	for (size_t i = 0; i < res->n_owned; i++)
		free(res->owned[i]);
	free(res->owned);
	for (size_t i = 0; res->attempts && i < res->n_attempts; i++)
		free(res->attempts[i].reason);
	free(res->attempts);
	free(res->sc);
	free(res->notes);
	free(res->reason);
	memset(res, 0, sizeof(*res));
}
