/* SPDX-License-Identifier: MIT */
/*
 * Kubernetes manifests, read by libfyaml into a ydoc tree. Kubernetes reads YAML with a YAML
 * 1.1 resolver (sigs.k8s.io/yaml on go-yaml): a plain `no`, `on` or `y` is a
 * boolean and a plain 0123 is a number, so a string field holding one of
 * those is a type error there. We report the same instead of quietly taking
 * the text, and point at the line and column.
 *
 * Aliases are followed, but every node visit is counted against a budget so
 * that an alias bomb ("billion laughs") stops with an error instead of
 * exhausting memory or time. The reader (ydoc.c) rejects duplicate keys
 * and bounds the nesting depth as libfyaml's document builder did.
 */
#include "capscope/k8s.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ctr-names.h"
#include "kubectl-stream.h"
#include "manifest-read.h"
#include "utf16.h"
#include "ydoc.h"
#include "ydoc-stream.h"
#include "yaml11.h"
#include "capscope/proc.h"
#include "../internal/cleanup.h"
#include "../internal/json-check.h"
#include "../internal/strlist.h"
#include "../internal/util.h"

#define NODE_BUDGET 200000

/* windowsOptions.hostProcess of a securityContext (Pod Security's baseline
 * forbids it: check_windowsHostProcess.go). */
static int get_host_process(struct mf_ctx *c, struct ydoc_node *scn, const char *path,
			    struct cs_opt_bool *out)
{
	struct ydoc_node *wo;
	char f[192];
	int r;

	mf_fieldf(f, sizeof(f), "%s.windowsOptions", path);
	if ((r = mf_get_map(c, scn, "windowsOptions", f, &wo)) < 0 || !wo ||
	    (r = mf_check_fields(c, wo, f, MF_WINDOWS)) < 0)
		return r;
	mf_fieldf(f, sizeof(f), "%s.windowsOptions.hostProcess", path);
	return mf_get_bool(c, wo, "hostProcess", f, out);
}

/*
 * A Localhost profile's name as the API server checks it. seccomp
 * (validateLocalDescendingPath): relative, no ".." component. AppArmor
 * (validateAppArmorProfileField): not padded with white space, not empty,
 * at most 4095 bytes. 0, or an error at the node.
 */
static int check_local(struct mf_ctx *c, struct ydoc_node *lp, const char *key, const char *f,
		       const char *local)
{
	char cl[CS_CLIP];

	if (!strcmp(key, "seccompProfile")) {
		if (*local == '/')
			return mf_errf(
			    c, lp, EINVAL, f,
			    "Invalid value \"%s\": must be a relative path (the API server "
			    "refuses the pod)",
			    cs_clip(cl, sizeof(cl), local));
		if (mf_has_dotdot(local))
			return mf_errf(
			    c, lp, EINVAL, f,
			    "Invalid value \"%s\": must not contain '..' (the API server "
			    "refuses the pod)",
			    cs_clip(cl, sizeof(cl), local));
		return 0;
	}
	if (cs_go_padded(local, strlen(local)))
		return mf_errf(c, lp, EINVAL, f,
			       "Invalid value \"%s\": must not be padded with whitespace (the API "
			       "server refuses the pod)",
			       cs_clip(cl, sizeof(cl), local));
	if (!*local)
		return mf_errf(
		    c, lp, EINVAL, f,
		    "Required value: must be set when AppArmor type is Localhost (the API "
		    "server refuses the pod)");
	if (strlen(local) > 4095)
		return mf_errf(
		    c, lp, EINVAL, f,
		    "Too long: may not be more than 4095 bytes (the API server refuses the "
		    "pod)");
	return 0;
}

/*
 * seccompProfile or appArmorProfile (key) of a securityContext: its type,
 * checked as the API server's validateSeccompProfileField and
 * validateAppArmorProfileField do (a type of the three, localhostProfile
 * exactly when it is Localhost); a pod it refuses was read and predicted.
 */
static int get_profile(struct mf_ctx *c, struct ydoc_node *scn, const char *key, const char *path,
		       const char **type, const char **local_out)
{
	static const char *const types[] = {"RuntimeDefault", "Unconfined", "Localhost"};
	struct ydoc_node *m, *lp;
	const char *local = NULL;
	char f[192];
	int r;
	bool known = false;

	*type = NULL;
	mf_fieldf(f, sizeof(f), "%s.%s", path, key);
	if ((r = mf_get_map(c, scn, key, f, &m)) < 0 || !m ||
	    (r = mf_check_fields(c, m, f, MF_PROFILE)) < 0)
		return r;
	mf_fieldf(f, sizeof(f), "%s.%s.type", path, key);
	if ((r = mf_get_str(c, m, "type", f, type)) < 0)
		return r;
	if (!*type || !**type)
		return mf_errf(c, *type ? ydoc_get(m, "type") : m, EINVAL, f,
			       "Required value: the API server refuses a %s without a type", key);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		known |= !strcmp(*type, types[i]);
	if (!known)
		return mf_errf(c, ydoc_get(m, "type"), EINVAL, f,
			       "Unsupported value \"%s\": the API server takes RuntimeDefault, "
			       "Unconfined or Localhost",
			       *type);
	mf_fieldf(f, sizeof(f), "%s.%s.localhostProfile", path, key);
	if ((r = mf_get_str(c, m, "localhostProfile", f, &local)) < 0)
		return r;
	lp = ydoc_get(m, "localhostProfile");
	if (!strcmp(*type, "Localhost") && !local)
		return mf_errf(c, ydoc_get(m, "type"), EINVAL, f,
			       "Required value: the API server refuses type Localhost without a "
			       "localhostProfile");
	if (strcmp(*type, "Localhost") != 0 && local)
		return mf_errf(c, lp, EINVAL, f,
			       "the API server refuses a localhostProfile unless the type is "
			       "Localhost");
	if (local && (r = check_local(c, lp, key, f, local)) < 0)
		return r;
	if (local_out)
		*local_out = local;
	return 0;
}

/*
 * The isolation fields of a securityContext that Pod Security's baseline
 * judges (check_appArmorProfile.go, check_seLinuxOptions.go,
 * check_procMount.go): appArmorProfile.type, seLinuxOptions' type, user and
 * role, and procMount (pm NULL: the pod's, which has none). They were not
 * read, so `appArmorProfile: {type: Unconfined}`, `seLinuxOptions: {type:
 * spc_t}` or `procMount: Unmasked` were called baseline.
 */
static int get_isolation(struct mf_ctx *c, struct ydoc_node *scn, const char *path, const char **aa,
			 const char **aa_local, const char **se_type, const char **se_user,
			 const char **se_role, const char **pm)
{
	struct ydoc_node *m;
	char f[192];
	int r;

#define G(k) (mf_fieldf(f, sizeof(f), "%s.%s", path, k), f)
	if ((r = get_profile(c, scn, "appArmorProfile", path, aa, aa_local)) < 0 ||
	    (r = mf_get_map(c, scn, "seLinuxOptions", G("seLinuxOptions"), &m)) < 0)
		return r;
	if (m && ((r = mf_check_fields(c, m, G("seLinuxOptions"), MF_SELINUX)) < 0 ||
		  (r = mf_get_str(c, m, "type", G("seLinuxOptions.type"), se_type)) < 0 ||
		  (r = mf_get_str(c, m, "user", G("seLinuxOptions.user"), se_user)) < 0 ||
		  (r = mf_get_str(c, m, "role", G("seLinuxOptions.role"), se_role)) < 0))
		return r;
	if (pm && (r = mf_get_str(c, scn, "procMount", G("procMount"), pm)) < 0)
		return r;
	/* validateProcMountType: the two values */
	if (pm && *pm && strcmp(*pm, "Default") != 0 && strcmp(*pm, "Unmasked") != 0)
		return mf_errf(c, ydoc_get(scn, "procMount"), EINVAL, f,
			       "Unsupported value \"%s\": the API server takes Default or Unmasked",
			       *pm);
	/* Thirteenth pass, second round: the API server (1.30 on) refuses an
	 * unmasked /proc outside a user namespace; it was read and predicted. */
	if (pm && *pm && !strcmp(*pm, "Unmasked") && !c->userns)
		return mf_errf(
		    c, ydoc_get(scn, "procMount"), EINVAL, f,
		    "Invalid value \"Unmasked\": the API server refuses it unless the pod "
		    "has hostUsers: false");
#undef G
	return 0;
}

static int parse_sc(struct mf_ctx *c, struct ydoc_node *scn, const char *path, struct cs_k8s_sc *sc)
{
	char f[160];
	struct ydoc_node *caps;
	int r;

	sc->pos = pos_of(c, scn);
	if ((r = mf_check_fields(c, scn, path, MF_SC)) < 0)
		return r;
#define F(k) (mf_fieldf(f, sizeof(f), "%s.%s", path, k), f)
	if ((r = mf_get_id(c, scn, "runAsUser", F("runAsUser"), &sc->run_as_user)) < 0 ||
	    (r = mf_get_id(c, scn, "runAsGroup", F("runAsGroup"), &sc->run_as_group)) < 0 ||
	    (r = mf_get_bool(c, scn, "runAsNonRoot", F("runAsNonRoot"), &sc->run_as_non_root)) <
		0 ||
	    (r = mf_get_bool(c, scn, "allowPrivilegeEscalation", F("allowPrivilegeEscalation"),
			     &sc->allow_privilege_escalation)) < 0 ||
	    (r = mf_get_bool(c, scn, "privileged", F("privileged"), &sc->privileged)) < 0 ||
	    (r = mf_get_bool(c, scn, "readOnlyRootFilesystem", F("readOnlyRootFilesystem"),
			     &sc->read_only_root_fs)) < 0)
		return r;
	if ((r = get_profile(c, scn, "seccompProfile", path, &sc->seccomp_type,
			     &sc->seccomp_local)) < 0)
		return r;
	if ((r = get_host_process(c, scn, path, &sc->host_process)) < 0 ||
	    (r = get_isolation(c, scn, path, &sc->apparmor_type, &sc->apparmor_local,
			       &sc->selinux_type, &sc->selinux_user, &sc->selinux_role,
			       &sc->proc_mount)) < 0 ||
	    (r = mf_get_map(c, scn, "capabilities", F("capabilities"), &caps)) < 0)
		return r;
	if (caps) {
		sc->caps_set = true;
		sc->caps_pos = pos_of(c, caps);
		if ((r = mf_check_fields(c, caps, F("capabilities"), MF_CAPS)) < 0 ||
		    (r = mf_get_caplist_at(c, caps, "add", F("capabilities.add"), &sc->add,
					   &sc->add_pos, &sc->add_item_pos)) < 0 ||
		    (r = mf_get_caplist_at(c, caps, "drop", F("capabilities.drop"), &sc->drop,
					   &sc->drop_pos, &sc->drop_item_pos)) < 0)
			return r;
	}
#undef F
	return 0;
}

/*
 * env and envFrom: the kubelet builds the container's environment from them
 * and expands $(NAME) in command and args with it (lib/k8s/kubelet-env.c);
 * the runtime lays it over the image's Env, so a PATH here decides where
 * runc finds the entrypoint. Names are required, as the API server requires.
 */
static int parse_env(struct mf_ctx *c, struct ydoc_node *ctr, const char *base,
		     struct cs_k8s_container *ct)
{
	struct ydoc_node *seq, *it, *from;
	size_t iter = 0, i = 0;
	char f[224];
	int r;

	mf_fieldf(f, sizeof(f), "%s.envFrom", base);
	if ((r = mf_get_seq(c, ctr, "envFrom", f, &seq)) < 0)
		return r;
	if (seq && seq->n) {
		ct->env_from = true;
		ct->env_from_pos = pos_of(c, seq);
	}
	mf_fieldf(f, sizeof(f), "%s.env", base);
	if ((r = mf_get_seq(c, ctr, "env", f, &seq)) < 0 || !seq || !seq->n)
		return r;
	if (!(ct->env = cs_arena_alloc(c->m->arena, seq->n * sizeof(*ct->env))))
		return -ENOMEM;
	while ((it = next_item(seq, &iter)) != NULL) {
		struct cs_k8s_env *e = &ct->env[i];
		char item[192];

		mf_fieldf(item, sizeof(item), "%s.env[%zu]", base, i++);
		if ((r = mf_visit(c, &it, item)) < 0 || (r = mf_need_map(c, it, item)) < 0)
			return r;
		e->pos = pos_of(c, it);
#define F(k) (mf_fieldf(f, sizeof(f), "%s.%s", item, k), f)
		if ((r = mf_get_str(c, it, "name", F("name"), &e->name)) < 0 ||
		    (r = mf_get_str(c, it, "value", F("value"), &e->value)) < 0 ||
		    (r = mf_get_map(c, it, "valueFrom", F("valueFrom"), &from)) < 0)
			return r;
		if (!e->name || !*e->name)
			return mf_errf(c, it, EINVAL, F("name"), "env entry has no name");
		if (from && e->value && *e->value)
			return mf_errf(c, it, EINVAL, F("valueFrom"),
				       "both value and valueFrom: the API server rejects it");
#undef F
		if (from)
			e->value = NULL; /* not in the manifest */
		else if (!e->value)
			e->value = "";
		ct->n_env++;
	}
	return 0;
}

/*
 * The fields the API server forbids on a pod whose spec.os.name is windows
 * (pkg/apis/core/validation validateWindows: "cannot be set for a windows
 * pod"): a container's Linux-only securityContext fields, and the pod's.
 * Read as if the pod ran, such a pod was predicted; the API server
 * refuses it.
 */
static const char *const windows_ctr_forbidden[] = {"seLinuxOptions",
						    "seccompProfile",
						    "capabilities",
						    "readOnlyRootFilesystem",
						    "privileged",
						    "allowPrivilegeEscalation",
						    "procMount",
						    "runAsUser",
						    "runAsGroup",
						    "appArmorProfile",
						    NULL};
static const char *const windows_pod_forbidden[] = {"seLinuxOptions",
						    "seccompProfile",
						    "fsGroup",
						    "fsGroupChangePolicy",
						    "sysctls",
						    "runAsUser",
						    "runAsGroup",
						    "supplementalGroups",
						    "appArmorProfile",
						    "supplementalGroupsPolicy",
						    "seLinuxChangePolicy",
						    NULL};

/* validateLinux: "windows options cannot be set for a linux pod". */
static const char *const linux_forbidden[] = {"windowsOptions", NULL};

/* keys (windows_*_forbidden, or linux_forbidden on a linux pod) set in sc */
static int os_forbidden(struct mf_ctx *c, struct ydoc_node *sc, const char *base,
			const char *const *keys)
{
	char f[224];
	int r;

	if (c->linux_os)
		keys = linux_forbidden;
	for (size_t i = 0; (c->windows || c->linux_os) && sc && keys[i]; i++) {
		struct ydoc_node *v = ydoc_get(sc, keys[i]);

		mf_fieldf(f, sizeof(f), "%s.%s", base, keys[i]);
		if ((r = mf_visit(c, &v, f)) < 0)
			return r;
		if (v && !ydoc_is_null(v))
			return mf_errf(c, v, EINVAL, f,
				       "cannot be set for a %s pod (spec.os.name): the API server "
				       "refuses the pod",
				       c->windows ? "windows" : "linux");
	}
	return 0;
}

/*
 * spec.os: absent, or a name the API server knows (validateOS: "linux" or
 * "windows"; an empty name is "Required value", another "Unsupported
 * value"). It decides which securityContext fields may be set, and the
 * kubelet of a Linux node refuses a windows pod (lib/explain/pod.c).
 */
static int get_os(struct mf_ctx *c, struct ydoc_node *spec, const char *path, struct cs_k8s_pod *p)
{
	struct ydoc_node *os;
	char f[160];
	int r;

	c->windows = c->linux_os = false;
	mf_fieldf(f, sizeof(f), "%s.os", path);
	if ((r = mf_get_map(c, spec, "os", f, &os)) < 0 || !os ||
	    (r = mf_check_fields(c, os, f, MF_OS)) < 0)
		return r;
	mf_fieldf(f, sizeof(f), "%s.os.name", path);
	if ((r = mf_get_str(c, os, "name", f, &p->os_name)) < 0)
		return r;
	if (!p->os_name || !p->os_name[0])
		return mf_errf(c, p->os_name ? ydoc_get(os, "name") : os, EINVAL, f,
			       "Required value: the API server refuses the pod");
	if (strcmp(p->os_name, "linux") && strcmp(p->os_name, "windows"))
		return mf_errf(c, ydoc_get(os, "name"), EINVAL, f,
			       "Unsupported value \"%.*s%s\" (\"linux\" or \"windows\"): the API "
			       "server refuses the pod",
			       CS_MSG_CUTS(p->os_name, 40));
	c->windows = !strcmp(p->os_name, "windows");
	c->linux_os = !c->windows;
	return 0;
}

/*
 * A container's restartPolicy as the API server validates it (1.32,
 * validateInitContainers / validateContainers): an init container may say
 * Always (a sidecar) and nothing else; other containers may not set it
 * (the ContainerRestartRules gate of 1.34, off by default, is not
 * modelled). Such a pod was read and predicted.
 */
static int restart_policy(struct mf_ctx *c, struct ydoc_node *ctr, const char *base,
			  enum cs_k8s_ctr_kind kind)
{
	const char *rp;
	char f[192];
	int r;

	mf_fieldf(f, sizeof(f), "%s.restartPolicy", base);
	if ((r = mf_get_str(c, ctr, "restartPolicy", f, &rp)) < 0 || !rp)
		return r;
	if (kind != CS_CTR_INIT)
		return mf_errf(c, ydoc_get(ctr, "restartPolicy"), EINVAL, f,
			       "Forbidden: may not be set for non-init containers (the API "
			       "server refuses the pod)");
	if (strcmp(rp, "Always") != 0)
		return mf_errf(c, ydoc_get(ctr, "restartPolicy"), EINVAL, f,
			       "Unsupported value \"%.*s%s\": supported values: \"Always\" (the "
			       "API server refuses the pod)",
			       CS_MSG_CUTS(rp, 40));
	return 0;
}

/*
 * imagePullPolicy as the API server validates it (validatePullPolicy):
 * Always, IfNotPresent or Never; an empty one is defaulted first. capscope
 * does not model pulling, but a pod the API server refuses was read and
 * predicted (twentieth pass, part D: `imagePullPolicy: always`).
 */
static int pull_policy(struct mf_ctx *c, struct ydoc_node *ctr, const char *base)
{
	const char *pp;
	char f[192];
	int r;

	mf_fieldf(f, sizeof(f), "%s.imagePullPolicy", base);
	if ((r = mf_get_str(c, ctr, "imagePullPolicy", f, &pp)) < 0 || !pp || !*pp)
		return r;
	if (strcmp(pp, "Always") && strcmp(pp, "IfNotPresent") && strcmp(pp, "Never"))
		return mf_errf(c, ydoc_get(ctr, "imagePullPolicy"), EINVAL, f,
			       "Unsupported value \"%.*s%s\": supported values: \"Always\", "
			       "\"IfNotPresent\", \"Never\" (the API server refuses the pod)",
			       CS_MSG_CUTS(pp, 40));
	return 0;
}

/*
 * How many of seq's first items can be containers: mappings naming one
 * (an alias taken to its anchor), and the first that cannot, which the
 * reader refuses. Twentieth pass, part F: the model's array (312 bytes a
 * container) was made for every item before the first was read, so a list
 * of 50,000 `{}` (a 0.15 MB admission review, refused at its first item:
 * "container has no name") held 17.4 MB, 344 bytes a JSON value where the
 * webhook charges 112, and `lint` of 1,000,000 `- {}` (7 MB) 366 MB.
 */
static size_t named_items(const struct ydoc_node *seq)
{
	size_t k = 0;

	if (seq && seq->kind == YDOC_ALIAS)
		seq = ydoc_target(seq);
	if (!seq || seq->kind != YDOC_SEQ)
		return 0;
	while (k < seq->n) {
		const struct ydoc_node *it = seq->u.items[k++], *name;

		if (it->kind == YDOC_ALIAS)
			it = ydoc_target(it);
		if (!it || it->kind != YDOC_MAP || !(name = ydoc_get(it, "name")) ||
		    ydoc_is_null(name))
			break;
	}
	return k;
}

/* The room made in p->containers for the three lists at once: each grown
 * apart left the smaller arrays before it in the arena, a pod of 30,000
 * containers in each list holding 56 MB of arrays for 28 MB of them. */
static int container_room(struct mf_ctx *c, struct ydoc_node *spec, struct cs_k8s_pod *p,
			  size_t *cap)
{
	size_t room = named_items(ydoc_get(spec, "initContainers")) +
		      named_items(ydoc_get(spec, "containers")) +
		      named_items(ydoc_get(spec, "ephemeralContainers"));
	struct cs_k8s_container *v = cs_arena_grow(c->m->arena, p->containers, p->n_containers,
						   p->n_containers + room, sizeof(*v));

	if (!v)
		return -ENOMEM;
	p->containers = v;
	*cap = p->n_containers + room;
	return 0;
}

static int parse_containers(struct mf_ctx *c, struct ydoc_node *spec, const char *path,
			    const char *key, enum cs_k8s_ctr_kind kind, struct cs_k8s_pod *p,
			    size_t *cap)
{
	struct ydoc_node *seq, *it;
	size_t iter = 0;
	char base[128], f[192];
	size_t i = 0;
	int r;

	mf_fieldf(f, sizeof(f), "%s.%s", path, key);
	if ((r = mf_get_seq(c, spec, key, f, &seq)) < 0 || !seq)
		return r;
	size_t n = (size_t)seq->n;

	while ((it = next_item(seq, &iter)) != NULL && i < n) {
		struct cs_k8s_container *ct, *v;
		struct ydoc_node *scn, *ports;

		/* Past the room container_room made (the item there is refused,
		 * so never in practice): the rest of the list, as before. */
		if (p->n_containers == *cap) {
			if (!(v = cs_arena_grow(c->m->arena, p->containers, p->n_containers,
						p->n_containers + (n - i), sizeof(*v))))
				return -ENOMEM;
			p->containers = v;
			*cap = p->n_containers + (n - i);
		}
		ct = &p->containers[p->n_containers];

		mf_fieldf(base, sizeof(base), "%s.%s[%zu]", path, key, i++);
		if ((r = mf_visit(c, &it, base)) < 0 || (r = mf_need_map(c, it, base)) < 0)
			return r;
		ct->kind = kind;
		ct->pos = pos_of(c, it);
		if ((r = mf_check_fields(c, it, base, MF_CONTAINER)) < 0 ||
		    (r = restart_policy(c, it, base, kind)) < 0 ||
		    (r = pull_policy(c, it, base)) < 0)
			return r;
#define F(k) (mf_fieldf(f, sizeof(f), "%s.%s", base, k), f)
		if ((r = mf_get_str(c, it, "name", F("name"), &ct->name)) < 0 ||
		    (r = mf_get_str(c, it, "image", F("image"), &ct->image)) < 0 ||
		    (r = mf_get_str(c, it, "workingDir", F("workingDir"), &ct->working_dir)) < 0 ||
		    (r = mf_get_strlist(c, it, "command", F("command"), &ct->command, NULL, NULL)) <
			0 ||
		    (r = mf_get_strlist(c, it, "args", F("args"), &ct->args, NULL, NULL)) < 0)
			return r;
		if (!ct->name || !*ct->name)
			return mf_errf(c, ct->name ? ydoc_get(it, "name") : it, EINVAL, F("name"),
				       "container has no name");
		if ((r = parse_env(c, it, base, ct)) < 0)
			return r;
		if ((r = mf_get_map(c, it, "securityContext", F("securityContext"), &scn)) < 0)
			return r;
		if (scn) {
			ct->has_sc = true;
			if ((r = parse_sc(c, scn, F("securityContext"), &ct->sc)) < 0 ||
			    (r = os_forbidden(c, scn, F("securityContext"),
					      windows_ctr_forbidden)) < 0)
				return r;
		}
		if ((r = mf_get_seq(c, it, "ports", F("ports"), &ports)) < 0)
			return r;
		if (ports) {
			size_t pi = 0;
			struct ydoc_node *pn;

			while ((pn = next_item(ports, &pi)) != NULL) {
				struct cs_opt_i64 hp, cp;

				if ((r = mf_visit(c, &pn, F("ports"))) < 0 ||
				    (r = mf_need_map(c, pn, F("ports"))) < 0 ||
				    (r = mf_get_i32(c, pn, "hostPort", F("ports.hostPort"), &hp)) <
					0 ||
				    (r = mf_get_i32(c, pn, "containerPort",
						    F("ports.containerPort"), &cp)) < 0)
					return r;
				if (hp.set && hp.v != 0)
					ct->host_port = true;
				if (cp.set && cp.v > 0 && cp.v < 1024 &&
				    (!ct->low_port || cp.v < ct->low_port))
					ct->low_port = (int)cp.v;
			}
		}
#undef F
		p->n_containers++;
	}
	return 0;
}

/* The API server's "Duplicate value" for a container name (lib/k8s/ctr-names.c). */
static int unique_names(struct mf_ctx *c, const char *path, const struct cs_k8s_pod *p)
{
	static const char *const list[] = {
	    [CS_CTR_INIT] = "initContainers",
	    [CS_CTR_APP] = "containers",
	    [CS_CTR_EPHEMERAL] = "ephemeralContainers",
	};
	const struct cs_k8s_container *ct;
	char f[192];
	size_t dup, at = 0;
	int r = cs_k8s_dup_ctr_name(p->containers, p->n_containers, &dup);

	if (r <= 0)
		return r;
	ct = &p->containers[dup];
	for (size_t i = 0; i < dup; i++) /* its index in its own list */
		at += p->containers[i].kind == ct->kind;
	mf_fieldf(f, sizeof(f), "%s.%s[%zu].name", path, list[ct->kind], at);
	if (c->d)
		cs_diag_put_file(c->d, "%s", c->name ? c->name : "");
	return cs_diag_set(c->d, EINVAL, ct->pos.line, ct->pos.column, f,
			   "Duplicate value \"%s\": the API server refuses the pod (container "
			   "names are unique across initContainers, containers and "
			   "ephemeralContainers)",
			   ct->name);
}

/* Each volume's type (its key other than name), for the SCC's volumes. */
static int volume_types(struct mf_ctx *c, struct ydoc_node *vols, const char *f,
			struct cs_k8s_pod *p)
{
	size_t n, i = 0, iter = 0;
	struct ydoc_node *it;
	int r;

	if (!vols)
		return 0;
	n = (size_t)vols->n;
	p->volume_types.v = cs_arena_alloc(c->m->arena, (n + 1) * sizeof(char *));
	if (!p->volume_types.v)
		return -ENOMEM;
	while ((it = next_item(vols, &iter)) != NULL && i < n) {
		const char *type = NULL;

		if ((r = mf_visit(c, &it, f)) < 0 || (r = mf_need_map(c, it, f)) < 0)
			return r;
		for (uint32_t k_i = 0; k_i < it->n; k_i++) {
			const struct ydoc_node *k = it->u.pairs[k_i].key;
			size_t len;
			const char *ks = is_scalar(k) ? scalar_text(k, &len) : NULL;

			if (ks && !eqn(ks, len, "name")) {
				type = cs_arena_strndup(c->m->arena, ks, len);
				break;
			}
		}
		p->volume_types.v[i++] = type ? type : "unknown";
	}
	p->volume_types.n = i;
	return 0;
}

/* validateHostUsers: a user namespace with none of the host's namespaces.
 * Before the twenty-eighth pass (part H) such a pod was explained as
 * confined by a user namespace it never gets. */
static int host_users_rule(struct mf_ctx *c, struct ydoc_node *spec, const char *path,
			   const struct cs_k8s_pod *p)
{
	const char *k = p->host_network ? "hostNetwork" : p->host_pid ? "hostPID" : "hostIPC";
	char f[160];

	if (!c->userns || !(p->host_network || p->host_pid || p->host_ipc))
		return 0;
	return mf_errf(c, ydoc_get(spec, k), EINVAL, mf_fieldf(f, sizeof(f), "%s.%s", path, k),
		       "Forbidden: when `hostUsers` is false (the API server refuses the pod)");
}

static int parse_pod_spec(struct mf_ctx *c, struct ydoc_node *spec, const char *path,
			  struct cs_k8s_pod *p)
{
	char f[160];
	struct ydoc_node *psc, *vols;
	struct cs_opt_bool b;
	size_t cap = 0; /* room in p->containers (container_room) */
	int r;

#define F(k) (mf_fieldf(f, sizeof(f), "%s.%s", path, k), f)
	if ((r = mf_need_map(c, spec, path)) < 0 ||
	    (r = mf_check_fields(c, spec, path, MF_POD_SPEC)) < 0 ||
	    (r = get_os(c, spec, path, p)) < 0)
		return r;
	if ((r = mf_get_bool(c, spec, "hostUsers", F("hostUsers"), &p->host_users)) < 0 ||
	    (r = mf_get_str(c, spec, "serviceAccountName", F("serviceAccountName"),
			    &p->service_account)) < 0 ||
	    (r = mf_get_str(c, spec, "runtimeClassName", F("runtimeClassName"),
			    &p->runtime_class)) < 0)
		return r;
	c->userns = p->host_users.set && !p->host_users.v;
	if ((r = mf_get_bool(c, spec, "hostNetwork", F("hostNetwork"), &b)) < 0)
		return r;
	p->host_network = b.set && b.v;
	if ((r = mf_get_bool(c, spec, "hostPID", F("hostPID"), &b)) < 0)
		return r;
	p->host_pid = b.set && b.v;
	if ((r = mf_get_bool(c, spec, "hostIPC", F("hostIPC"), &b)) < 0)
		return r;
	p->host_ipc = b.set && b.v;
	if ((r = host_users_rule(c, spec, path, p)) < 0)
		return r;

	if ((r = mf_get_map(c, spec, "securityContext", F("securityContext"), &psc)) < 0)
		return r;
	if (psc) {
		struct ydoc_node *sg, *sy, *it;
		size_t iter = 0;

		if ((r = mf_check_fields(c, psc, F("securityContext"), MF_POD_SC)) < 0 ||
		    (r = mf_get_id(c, psc, "runAsUser", F("securityContext.runAsUser"),
				   &p->run_as_user)) < 0 ||
		    (r = mf_get_id(c, psc, "runAsGroup", F("securityContext.runAsGroup"),
				   &p->run_as_group)) < 0 ||
		    (r = mf_get_id(c, psc, "fsGroup", F("securityContext.fsGroup"), &p->fs_group)) <
			0 ||
		    (r = mf_get_bool(c, psc, "runAsNonRoot", F("securityContext.runAsNonRoot"),
				     &p->run_as_non_root)) < 0)
			return r;
		mf_fieldf(f, sizeof(f), "%s.securityContext", path);
		if ((r = get_profile(c, psc, "seccompProfile", f, &p->seccomp_type,
				     &p->seccomp_local)) < 0)
			return r;
		if ((r = get_host_process(c, psc, f, &p->host_process)) < 0 ||
		    (r = get_isolation(c, psc, f, &p->apparmor_type, &p->apparmor_local,
				       &p->selinux_type, &p->selinux_user, &p->selinux_role,
				       NULL)) < 0)
			return r;
		if ((r = mf_get_str(c, psc, "supplementalGroupsPolicy",
				    F("securityContext.supplementalGroupsPolicy"),
				    &p->supplemental_groups_policy)) < 0)
			return r;
		/* validateSupplementalGroupsPolicy: the two values, spelled exactly
		 * (twentieth pass, part D: lint read any other and predicted) */
		if (p->supplemental_groups_policy &&
		    strcmp(p->supplemental_groups_policy, "Merge") != 0 &&
		    strcmp(p->supplemental_groups_policy, "Strict") != 0)
			return mf_errf(c, ydoc_get(psc, "supplementalGroupsPolicy"), EINVAL,
				       F("securityContext.supplementalGroupsPolicy"),
				       "Unsupported value \"%.*s%s\": supported values: \"Merge\", "
				       "\"Strict\" (the API server refuses the pod)",
				       CS_MSG_CUTS(p->supplemental_groups_policy, 40));
		if ((r = mf_get_seq(c, psc, "supplementalGroups",
				    F("securityContext.supplementalGroups"), &sg)) < 0)
			return r;
		if (sg) {
			size_t n = (size_t)sg->n;

			p->supplemental_groups =
			    cs_arena_alloc(c->m->arena, (n + 1) * sizeof(int64_t));
			if (!p->supplemental_groups)
				return -ENOMEM;
			while ((it = next_item(sg, &iter)) != NULL &&
			       p->n_supplemental_groups < n) {
				if ((r = mf_visit(c, &it, f)) < 0 ||
				    (r = mf_scalar_id(
					 c, it, F("securityContext.supplementalGroups"),
					 &p->supplemental_groups[p->n_supplemental_groups])) < 0)
					return r;
				p->n_supplemental_groups++;
			}
		}
		if ((r = mf_get_seq(c, psc, "sysctls", F("securityContext.sysctls"), &sy)) < 0)
			return r;
		if (sy) {
			size_t n = (size_t)sy->n;

			struct ydoc_node **nodes =
			    cs_arena_alloc(c->m->arena, (n + 1) * sizeof(*nodes));

			iter = 0;
			p->sysctls = cs_arena_alloc(c->m->arena, (n + 1) * sizeof(*p->sysctls));
			if (!p->sysctls || !nodes)
				return -ENOMEM;
			while ((it = next_item(sy, &iter)) != NULL && p->n_sysctls < n) {
				struct cs_k8s_sysctl *s = &p->sysctls[p->n_sysctls];

				if ((r = mf_visit(c, &it, F("securityContext.sysctls"))) < 0 ||
				    (r = mf_need_map(c, it, F("securityContext.sysctls"))) < 0 ||
				    (r = mf_check_fields(c, it, F("securityContext.sysctls"),
							 MF_SYSCTL)) < 0 ||
				    (r = mf_get_str(c, it, "name",
						    F("securityContext.sysctls.name"), &s->name)) <
					0)
					return r;
				/* The value is a string in the API; a plain number is what
				 * people write ("0"), and Kubernetes rejects it unquoted. */
				if ((r = mf_get_str(c, it, "value",
						    F("securityContext.sysctls.value"),
						    &s->value)) < 0)
					return r;
				if (!s->name || !s->value)
					return mf_errf(c, it, EINVAL, F("securityContext.sysctls"),
						       "a sysctl needs a name and a value");
				nodes[p->n_sysctls++] = ydoc_get(it, "name");
			}
			if ((r = mf_check_sysctls(c, nodes, path, p)) < 0)
				return r;
		}
	}

	if ((r = os_forbidden(c, psc, F("securityContext"), windows_pod_forbidden)) < 0 ||
	    (r = mf_get_seq(c, spec, "volumes", F("volumes"), &vols)) < 0)
		return r;
	if ((r = volume_types(c, vols, F("volumes"), p)) < 0)
		return r;

	if ((r = container_room(c, spec, p, &cap)) < 0 ||
	    (r = parse_containers(c, spec, path, "initContainers", CS_CTR_INIT, p, &cap)) < 0 ||
	    (r = parse_containers(c, spec, path, "containers", CS_CTR_APP, p, &cap)) < 0 ||
	    (r = parse_containers(c, spec, path, "ephemeralContainers", CS_CTR_EPHEMERAL, p,
				  &cap)) < 0)
		return r;
#undef F
	if ((r = unique_names(c, path, p)) < 0)
		return r;
	return mf_check_deep(c, spec, path, "PodSpec");
}

static int add_pod(struct mf_ctx *c, struct cs_k8s_pod **out)
{
	struct cs_k8s_manifest *m = c->m;

	if (m->n_pods == m->cap_pods) {
		size_t nc = m->cap_pods ? m->cap_pods * 2 : 4;
		struct cs_k8s_pod *v = cs_arena_grow(m->arena, m->pods, m->n_pods, nc, sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->pods = v;
		m->cap_pods = nc;
	}
	*out = &m->pods[m->n_pods];
	memset(*out, 0, sizeof(**out));
	return 0;
}

/* The list an item is read from: its items without a kind and an apiVersion
 * take their type from it (parse_list). */
struct mf_list {
	struct ydoc_node *root;
	const char *kind;
};

static int parse_object(struct mf_ctx *c, struct ydoc_node *root, const char *path,
			const struct mf_list *list);

/*
 * capscope.io/lint-ignore: on the object's own metadata (what a chart author
 * edits), else on the pod template's.
 */
static int get_lint_ignore(struct mf_ctx *c, struct ydoc_node *meta, struct ydoc_node *tmeta,
			   const char *tpath, struct cs_k8s_pod *p)
{
	struct ydoc_node *ann;
	char f[192];
	int r;

	for (int i = 0; i < 2 && !p->lint_ignore; i++) {
		struct ydoc_node *m = i ? tmeta : meta;
		const char *mp = i ? tpath : "metadata";

		if (!m)
			continue;
		if ((r = mf_get_map(c, m, "annotations",
				    mf_fieldf(f, sizeof(f), "%s.annotations", mp), &ann)) < 0)
			return r;
		mf_fieldf(f, sizeof(f), "%s.annotations.capscope.io/lint-ignore", mp);
		if (ann &&
		    (r = mf_get_str(c, ann, "capscope.io/lint-ignore", f, &p->lint_ignore)) < 0)
			return r;
	}
	return 0;
}

/*
 * The pod's label kubernetes.io/os: the kubelet compares it with its node's
 * (rejectPodAdmissionBasedOnOSSelector, lib/explain/pod.c).
 */
static int get_os_label(struct mf_ctx *c, struct ydoc_node *tmeta, const char *tpath,
			struct cs_k8s_pod *p)
{
	struct ydoc_node *labels;
	char f[192];
	int r;

	if ((r = mf_get_map(c, tmeta, "labels", mf_fieldf(f, sizeof(f), "%s.labels", tpath),
			    &labels)) < 0 ||
	    !labels)
		return r;
	return mf_get_str(c, labels, "kubernetes.io/os",
			  mf_fieldf(f, sizeof(f), "%s.labels.kubernetes.io/os", tpath),
			  &p->os_label);
}

/* A workload's own spec (a Pod's is its pod spec, checked with it). */
static int check_workload_spec(struct mf_ctx *c, struct ydoc_node *spec, const char *kind)
{
	static const struct {
		const char *kind;
		enum mf_object obj;
	} specs[] = {
	    {"Deployment", MF_DEPLOYMENT},
	    {"DaemonSet", MF_DAEMONSET},
	    {"ReplicaSet", MF_REPLICASET},
	    {"StatefulSet", MF_STATEFULSET},
	    {"Job", MF_JOB},
	    {"CronJob", MF_CRONJOB},
	    {"ReplicationController", MF_RC},
	    {"DeploymentConfig", MF_DC},
	};

	int r;

	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		if (!strcmp(kind, specs[i].kind))
			return (r = mf_check_fields(c, spec, "spec", specs[i].obj)) < 0
				   ? r
				   : mf_check_deep(c, spec, "spec", kind);
	return 0;
}

/*
 * The object's metadata and its pod template's as the API server checks
 * them (object-meta.c): ValidateObjectMeta's generateName (a DNS
 * subdomain prefix for each kind read here), labels, annotations,
 * ownerReferences and finalizers; ValidatePodTemplateSpec's labels and
 * annotations. Before the twenty-eighth pass (part H) a pod whose label
 * the server refuses was explained as if it ran. The name and namespace
 * are not refused yet (.names): capscope's own pods (a trace profile's)
 * and the suites that plant hostile text in names use ones the server
 * refuses (docs/hardening.md).
 */
static int check_meta(struct mf_ctx *c, const char *kind, struct ydoc_node *meta,
		      struct ydoc_node *tmeta, const char *tpath)
{
	bool pod = !strcmp(kind, "Pod");
	struct mf_meta_rules own = {.object = pod ? "pod" : kind};
	struct mf_meta_rules tmpl = {.object = kind, .template = true};
	int r;

	if ((r = mf_check_object_meta(c, meta, "metadata", &own, NULL)) < 0)
		return r;
	return pod ? 0 : mf_check_object_meta(c, tmeta, tpath, &tmpl, NULL);
}

/* A workload: find its pod template (spec, spec.template.spec, …). */
static int parse_workload(struct mf_ctx *c, struct ydoc_node *root, const char *path,
			  const char *kind)
{
	struct ydoc_node *meta, *spec, *tmpl = NULL, *tmeta = NULL, *pspec, *ann;
	struct cs_k8s_pod *p;
	/* tp: the pod (template) metadata's path, which messages name */
	char f[160], sp[128], tp[128] = "metadata";
	int r;

	if ((r = mf_check_fields(c, root, "", MF_OBJECT)) < 0 ||
	    (r = mf_get_map(c, root, "metadata", "metadata", &meta)) < 0 ||
	    (r = mf_check_fields(c, meta, "metadata", MF_META)) < 0)
		return r;
	if ((r = mf_get_map(c, root, "spec", "spec", &spec)) < 0)
		return r;
	if (!spec)
		return mf_errf(c, root, EINVAL, "spec", "%s has no spec", kind);
	if ((r = check_workload_spec(c, spec, kind)) < 0)
		return r;
	if (strcmp(kind, "Pod") == 0) {
		pspec = spec;
		tmeta = meta;
		mf_fieldf(sp, sizeof(sp), "spec");
	} else {
		struct ydoc_node *s = spec;

		mf_fieldf(sp, sizeof(sp), "spec");
		if (strcmp(kind, "CronJob") == 0) {
			struct ydoc_node *jt, *jmeta;

			if ((r = mf_get_map(c, spec, "jobTemplate", "spec.jobTemplate", &jt)) < 0)
				return r;
			if (!jt ||
			    (r = mf_check_fields(c, jt, "spec.jobTemplate", MF_TEMPLATE)) < 0 ||
			    (r = mf_get_map(c, jt, "metadata", "spec.jobTemplate.metadata",
					    &jmeta)) < 0 ||
			    (r = mf_check_fields(c, jmeta, "spec.jobTemplate.metadata", MF_META)) <
				0 ||
			    (r = mf_get_map(c, jt, "spec", "spec.jobTemplate.spec", &s)) < 0 || !s)
				return r < 0 ? r
					     : mf_errf(c, spec, EINVAL, "spec.jobTemplate.spec",
						       "CronJob has no jobTemplate.spec");
			if ((r = mf_check_fields(c, s, "spec.jobTemplate.spec", MF_JOB)) < 0 ||
			    (r = mf_check_deep(c, s, "spec.jobTemplate.spec", "Job")) < 0)
				return r;
			mf_fieldf(sp, sizeof(sp), "spec.jobTemplate.spec");
		}
		mf_fieldf(f, sizeof(f), "%s.template", sp);
		if ((r = mf_get_map(c, s, "template", f, &tmpl)) < 0)
			return r;
		if (!tmpl)
			return mf_errf(c, s, EINVAL, f, "%s has no pod template", kind);
		if ((r = mf_check_fields(c, tmpl, f, MF_TEMPLATE)) < 0)
			return r;
		mf_fieldf(tp, sizeof(tp), "%s.template.metadata", sp);
		if ((r = mf_get_map(c, tmpl, "metadata", tp, &tmeta)) < 0 ||
		    (r = mf_check_fields(c, tmeta, tp, MF_META)) < 0)
			return r;
		mf_fieldf(f, sizeof(f), "%s.template.spec", sp);
		if ((r = mf_get_map(c, tmpl, "spec", f, &pspec)) < 0)
			return r;
		if (!pspec)
			return mf_errf(c, tmpl, EINVAL, f, "pod template has no spec");
		mf_fieldf(sp, sizeof(sp), "%s", f);
	}
	if ((r = check_meta(c, kind, meta, tmeta, tp)) < 0 || (r = add_pod(c, &p)) < 0)
		return r;
	p->file = c->name;
	p->kind = cs_arena_strndup(c->m->arena, kind, strlen(kind));
	p->pos = pos_of(c, root);
	if (meta &&
	    ((r = mf_get_str(c, meta, "name", "metadata.name", &p->name)) < 0 ||
	     (r = mf_get_str(c, meta, "namespace", "metadata.namespace", &p->namespace)) < 0))
		return r;
	/* The SCC annotation is read from the pod (template) metadata, which is
	 * what admission sees; a Pod's own metadata is its template. */
	if ((r = get_lint_ignore(c, meta, tmeta, tp, p)) < 0)
		return r;
	if ((r = mf_get_map(c, tmeta, "annotations", mf_fieldf(f, sizeof(f), "%s.annotations", tp),
			    &ann)) < 0 ||
	    (r = get_os_label(c, tmeta, tp, p)) < 0)
		return r;
	mf_fieldf(f, sizeof(f), "%s.annotations.openshift.io/required-scc", tp);
	if (ann && (r = mf_get_str(c, ann, "openshift.io/required-scc", f, &p->required_scc)) < 0)
		return r;
	if ((r = parse_pod_spec(c, pspec, sp, p)) < 0 ||
	    (r = mf_get_apparmor_annotations(c, ann, tp, p)) < 0 ||
	    (r = mf_get_seccomp_annotations(c, ann, tp, p)) < 0)
		return r;
	(void)path;
	c->m->n_pods++;
	return 0;
}

/*
 * The apiVersions under which Kubernetes 1.32 (and OpenShift, for SCCs: its
 * group, and the legacy v1 of OpenShift 3) serves each kind read here.
 */
static const struct {
	const char *kind, *versions;
} kind_versions[] = {
    {"Pod", " v1 "},
    {"ReplicationController", " v1 "},
    {"Deployment", " apps/v1 "},
    {"DaemonSet", " apps/v1 "},
    {"ReplicaSet", " apps/v1 "},
    {"StatefulSet", " apps/v1 "},
    {"Job", " batch/v1 "},
    {"CronJob", " batch/v1 "},
    {"SecurityContextConstraints", " security.openshift.io/v1 v1 "},
    /* OpenShift's own workload (spec.template as a Deployment's): lint passed
     * a privileged one as "0 object(s)" (fifteenth pass) */
    {"DeploymentConfig", " apps.openshift.io/v1 v1 "},
};

/* A group of Kubernetes or OpenShift themselves (no dot: the core and
 * apps, batch, extensions...; or *.k8s.io, *.openshift.io). */
static bool builtin_group(const char *av)
{
	const char *slash = strchr(av, '/');
	size_t gl = slash ? (size_t)(slash - av) : 0;
	static const char *const suffixes[] = {".k8s.io", ".openshift.io"};

	if (!memchr(av, '.', gl))
		return true;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t sl = strlen(suffixes[i]);

		if (gl >= sl && !memcmp(av + gl - sl, suffixes[i], sl))
			return true;
	}
	return false;
}

/*
 * The versions Kubernetes removed before 1.32 of the kinds read here, and
 * PodSecurityPolicy (nineteenth pass, part D). They were read with 1.32's
 * fields and rules "for older clusters", but a release that served them
 * had neither: `hostUsers: false` in an apps/v1beta2 Deployment (1.25's
 * field, dropped by a 1.15 API server, which decoded leniently) was
 * predicted as a user namespace confining the capabilities, where that
 * cluster gave them in the host's; and a 1.32 cluster refuses the object
 * (no matches for kind). PodSecurityPolicy was skipped as a kind of no
 * interest, while on a cluster that served it its admission adds and
 * drops capabilities, which capscope does not model. Refused, with what
 * to write instead.
 */
static const struct {
	const char *kind, *version, *release, *instead;
} removed[] = {
    {"Deployment", "extensions/v1beta1", "1.16", "apps/v1"},
    {"DaemonSet", "extensions/v1beta1", "1.16", "apps/v1"},
    {"ReplicaSet", "extensions/v1beta1", "1.16", "apps/v1"},
    {"Deployment", "apps/v1beta1", "1.16", "apps/v1"},
    {"StatefulSet", "apps/v1beta1", "1.16", "apps/v1"},
    {"Deployment", "apps/v1beta2", "1.16", "apps/v1"},
    {"DaemonSet", "apps/v1beta2", "1.16", "apps/v1"},
    {"ReplicaSet", "apps/v1beta2", "1.16", "apps/v1"},
    {"StatefulSet", "apps/v1beta2", "1.16", "apps/v1"},
    {"CronJob", "batch/v1beta1", "1.25", "batch/v1"},
    {"CronJob", "batch/v2alpha1", "1.21", "batch/v1"},
    {"PodSecurityPolicy", "extensions/v1beta1", "1.16", NULL},
    {"PodSecurityPolicy", "policy/v1beta1", "1.25", NULL},
};

/* The first version of a kind_versions list ("apps/v1"), into buf. */
static const char *first_word(const char *v, char *buf, size_t len)
{
	v += strspn(v, " ");
	snprintf(buf, len, "%.*s", (int)strcspn(v, " "), v);
	return buf;
}

static int check_removed(struct mf_ctx *c, struct ydoc_node *root, const char *kind, const char *av)
{
	for (size_t i = 0; i < sizeof(removed) / sizeof(removed[0]); i++) {
		if (strcmp(kind, removed[i].kind) || strcmp(av, removed[i].version))
			continue;
		if (!removed[i].instead)
			return mf_errf(
			    c, ydoc_get(root, "apiVersion"), EINVAL, "apiVersion",
			    "%s %s was removed in Kubernetes %s: a 1.32 API server refuses it (no "
			    "matches for kind), and capscope does not model its admission (the "
			    "capabilities it adds and drops); Pod Security admission replaced it",
			    removed[i].version, removed[i].kind, removed[i].release);
		return mf_errf(c, ydoc_get(root, "apiVersion"), EINVAL, "apiVersion",
			       "%s %s was removed in Kubernetes %s: a 1.32 API server refuses it "
			       "(no matches for kind), and capscope reads objects with 1.32's "
			       "fields and rules, not a release's that served it; write %s",
			       removed[i].version, removed[i].kind, removed[i].release,
			       removed[i].instead);
	}
	return 0;
}

/*
 * The API server finds an object's type by apiVersion and kind: `apps/v1`
 * with kind Pod is "no matches for kind", refused by kubectl and the API
 * server, and `example.com/v1` with kind Deployment is a custom resource,
 * no Deployment at all. Both were read as the kind alone says (the
 * apiVersion was never read): linted and predicted as a workload that
 * runs. 0: the kind is read; 1: a custom resource, skipped; or an error.
 * No apiVersion at all is a fragment, read by its kind as before.
 */
static int check_api_version(struct mf_ctx *c, struct ydoc_node *root, const char *kind)
{
	const char *av;
	int r;

	if ((r = mf_get_str(c, root, "apiVersion", "apiVersion", &av)) < 0 || !av ||
	    (r = check_removed(c, root, kind, av)) < 0)
		return r;
	for (size_t i = 0; i < sizeof(kind_versions) / sizeof(kind_versions[0]); i++) {
		const char *v = kind_versions[i].versions;
		size_t n = strlen(av);
		char known[64];

		if (strcmp(kind, kind_versions[i].kind))
			continue;
		/* a whole word of the list: " av " */
		for (const char *w = v; n && *w; w += strcspn(w, " "), w += strspn(w, " "))
			if (!strncmp(w, av, n) && w[n] == ' ')
				return 0;
		if (!n)
			return mf_errf(c, ydoc_get(root, "apiVersion"), EINVAL, "apiVersion",
				       "empty: kubectl and the API server refuse the object");
		if (!builtin_group(av))
			return 1;
		return mf_errf(c, ydoc_get(root, "apiVersion"), EINVAL, "apiVersion",
			       "'%.*s%s' serves no %s in Kubernetes 1.32, whose apiVersions "
			       "capscope knows (%s serves it): kubectl and a 1.32 API server "
			       "refuse the object (no matches for kind)",
			       CS_MSG_CUTS(av, 60), kind, first_word(v, known, sizeof(known)));
	}
	return 0;
}

/*
 * A kind that is one read here but for its letters' case or blanks around
 * it (`pod`, `DEPLOYMENT`, `Pod `) in a group of Kubernetes' own, or with
 * no apiVersion: the API server's kinds are matched exactly (discovery's
 * RESTMapper: "no matches for kind"), and no built-in group has two kinds
 * that differ so, so kubectl refuses the object. It was passed over as a
 * kind of no interest ("0 object(s)", lint exit 0) where the file fails
 * to apply (session 17, part F). A custom group's kinds are its own.
 */
static int check_kind_spelling(struct mf_ctx *c, struct ydoc_node *root, const char *kind,
			       const char *written)
{
	static const char *const known[] = {"Pod",
					    "Deployment",
					    "StatefulSet",
					    "DaemonSet",
					    "ReplicaSet",
					    "Job",
					    "CronJob",
					    "ReplicationController",
					    "DeploymentConfig",
					    "SecurityContextConstraints",
					    "List"};
	const char *av = NULL, *k = kind + strspn(kind, " \t"), *e = k + strlen(k);
	int r;

	while (e > k && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if ((r = mf_get_str(c, root, "apiVersion", "apiVersion", &av)) < 0)
		return r;
	if (av && *av && !builtin_group(av))
		return 0;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (strlen(known[i]) != (size_t)(e - k) || strncasecmp(k, known[i], e - k))
			continue;
		if (written != kind) /* a typed list's items: the list's kind less "List" */
			return mf_errf(
			    c, ydoc_get(root, "kind"), EINVAL, "kind",
			    "'%.*s%s' makes its items '%.*s%s', not %s: kinds are matched "
			    "exactly, kubectl and the API server refuse them (no "
			    "matches for kind)",
			    CS_MSG_CUTS(written, 60), CS_MSG_CUTS(kind, 60), known[i]);
		return mf_errf(c, ydoc_get(root, "kind"), EINVAL, "kind",
			       "'%.*s%s' is not %s: kinds are matched exactly, kubectl and the "
			       "API server refuse the object (no matches for kind)",
			       CS_MSG_CUTS(kind, 60), known[i]);
	}
	return 0;
}

/*
 * kubectl reads a document as a list by its `items` key, not by its kind
 * (apimachinery's unstructuredJSONScheme.decode looks for the key alone,
 * and null is a list of none): `kind: Pod` with a harmless spec and
 * `items: [<a privileged pod>]` creates the privileged pod and not the
 * first, and was read as the first (fifteenth pass). The list's own
 * apiVersion maps nothing, so it is not checked (only an item typed by the
 * list is checked against it: item_kind). An item whose `items` is
 * a sequence kubectl refuses (FlattenListVisitor: an Unstructured "is not
 * a list"); any other `items` in an item is a field of that object.
 */
static int parse_list(struct mf_ctx *c, struct ydoc_node *root, const char *kind)
{
	struct mf_list list = {.root = root, .kind = kind};
	struct ydoc_node *items, *it;
	size_t iter = 0, i = 0;
	char f[64];
	int r;

	if ((r = mf_get_seq(c, root, "items", "items", &items)) < 0)
		return r;
	while (items && (it = next_item(items, &iter)) != NULL) {
		mf_fieldf(f, sizeof(f), "items[%zu]", i++);
		if ((r = parse_object(c, it, f, &list)) < 0)
			return r;
	}
	return 0;
}

/* an item of a list that is itself a list: refused by kubectl */
static int check_item_not_list(struct mf_ctx *c, struct ydoc_node *root, const char *path)
{
	struct ydoc_node *n = ydoc_get(root, "items");
	char f[80];
	int r;

	mf_fieldf(f, sizeof(f), "%s.items", path);
	if ((r = mf_visit(c, &n, f)) < 0)
		return r;
	if (n && is_seq(n))
		return mf_errf(c, n, EINVAL, f,
			       "a list inside a list: kubectl refuses the file (is not a list)");
	return 0;
}

/*
 * An item with neither a kind nor an apiVersion (absent, null or "") takes
 * both from its list, the kind without a trailing "List"
 * (unstructuredJSONScheme.decodeToList, for typed lists such as a PodList):
 * `kind: PodList` or `kind: Pod` holding `items: [{spec: <privileged>}]`
 * creates that Pod, and was refused as "an item without a kind: kubectl
 * refuses it" (fifteenth pass, second round). *kind is set to the type the
 * item is read as, *from_list when that is the list's; an item of a `List`
 * keeps no kind, as kubectl refuses it.
 */
static int item_kind(struct mf_ctx *c, struct ydoc_node *root, const char *path,
		     const struct mf_list *list, const char **kind, bool *from_list)
{
	const char *av;
	size_t n = strlen(list->kind);
	char f[80], *k;
	int r;

	*from_list = false;
	if ((r = mf_get_str(c, root, "apiVersion", "apiVersion", &av)) < 0)
		return r;
	if (n >= 4 && !strcmp(list->kind + n - 4, "List"))
		n -= 4;
	if ((av && *av) || !n)
		return mf_errf(c, root, EINVAL, mf_fieldf(f, sizeof(f), "%s.kind", path),
			       "an item without a kind: kubectl refuses it and still sends the "
			       "list's other items");
	if (!(k = cs_arena_strndup(c->m->arena, list->kind, n)))
		return -ENOMEM;
	*kind = k;
	*from_list = true;
	return 0;
}

static int parse_object(struct mf_ctx *c, struct ydoc_node *root, const char *path,
			const struct mf_list *list)
{
	const char *kind;
	bool from_list = false;
	int r;
	static const char *const workloads[] = {
	    "Pod", "Deployment", "StatefulSet",		  "DaemonSet",	     "ReplicaSet",
	    "Job", "CronJob",	 "ReplicationController", "DeploymentConfig"};

	if ((r = mf_visit(c, &root, path)) < 0)
		return r;
	if (!root || ydoc_is_null(root))
		return 0;
	if ((r = mf_need_map(c, root, path)) < 0)
		return r;
	if ((r = mf_get_str(c, root, "kind", "kind", &kind)) < 0)
		return r;
	/* kubectl: "Object 'Kind' is missing" for "" too; it still sends the
	 * stream's other objects and the list's other items, so whether the
	 * file is Kubernetes at all is decided at its end (kindless) */
	if ((!kind || !*kind) && list &&
	    (r = item_kind(c, root, path, list, &kind, &from_list)) < 0)
		return r;
	if (!kind || !*kind) {
		if (!c->has_kindless)
			c->kindless = pos_of(c, root);
		c->has_kindless = true;
		return 0;
	}
	c->has_kind = true;
	if (!list && ydoc_get(root, "items"))
		return parse_list(c, root, kind);
	if (list && (r = check_item_not_list(c, root, path)) < 0)
		return r;
	/* an item typed by its list is checked against the list's apiVersion */
	if ((r = check_api_version(c, from_list ? list->root : root, kind)) != 0) {
		c->m->n_skipped += r > 0;
		return r > 0 ? 0 : r;
	}
	for (size_t i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++)
		if (strcmp(kind, workloads[i]) == 0)
			return parse_workload(c, root, path, kind);
	if (strcmp(kind, "SecurityContextConstraints") == 0)
		return mf_parse_scc_doc(c, root, c->name);
	/* a List without items holds nothing (to kubectl, an object of kind List) */
	if (strcmp(kind, "List") == 0 ||
	    (strlen(kind) > 4 && !strcmp(kind + strlen(kind) - 4, "List")))
		return 0;
	if ((r = check_kind_spelling(c, from_list ? list->root : root, kind,
				     from_list ? list->kind : kind)) < 0)
		return r;
	c->m->n_skipped++;
	return 0;
}

/* ---- documents ---- */

/*
 * The visit budget is per document (an alias refers only within its own)
 * and grows with the document: without aliases each node is visited a few
 * times, so a List of many thousand pods, or a stream of them, is read
 * whole, while an alias bomb, whose visits grow exponentially with its
 * size, still stops.
 */
static int on_document(void *user, struct ydoc_node *root, size_t nodes)
{
	struct mf_ctx *c = user;

	/* The last document's texts, the table's keys, went with its arena
	 * (ydoc.c end_document): a quoted scalar of this one can be at the
	 * same address, and was read as the last one's copy (10 pods of one
	 * shape, each with an aliased "word\tN": all but the first ran pod
	 * 1's command). Anchors never cross documents anyway. */
	mf_copies_forget(c);
	c->budget = NODE_BUDGET + (nodes < LONG_MAX / 16 ? (long)nodes * 8 : LONG_MAX / 2);
	c->budget_given = c->budget;
	return root ? parse_object(c, root, "", NULL) : 0;
}

/*
 * A document without a kind: a file of nothing else is not Kubernetes
 * (values.yaml, a CI workflow: lint passes over it in a tree, "document has
 * no kind"). Beside objects with a kind it is an error of its own: kubectl
 * refuses that document and still sends the others, so a tree's file
 * holding a privileged Pod and a kindless document was passed over whole,
 * the Pod unread (fifteenth pass).
 */
static int kindless(struct mf_ctx *c)
{
	if (!c->has_kindless)
		return 0;
	if (c->d)
		cs_diag_put_file(c->d, "%s", c->name ? c->name : "");
	if (!c->has_kind)
		return cs_diag_set(c->d, EINVAL, c->kindless.line, c->kindless.column, "kind",
				   "document has no kind");
	return cs_diag_set(c->d, EINVAL, c->kindless.line, c->kindless.column, "kind",
			   "a document without a kind beside Kubernetes objects: kubectl refuses "
			   "it and still sends the others");
}

/* buf holds YDOC_ROOM free bytes before the text when room is set. */
static int parse_text(struct cs_k8s_manifest *m, char *buf, size_t len, bool room, const char *name,
		      struct cs_diag *d)
{
	struct mf_ctx c = {.m = m, .name = name, .d = d};
	int r;

	/* kubectl -f converts a file that starts with a UTF-16 byte order mark
	 * (cli-runtime's FileVisitor, unicode.BOMOverride) and creates what it
	 * holds; capscope said "not UTF-8 text (byte 0xff)", then refused it
	 * (fifteenth pass). It reads what kubectl reads: the text converted
	 * (utf16.c). Lines and columns count characters, and each character
	 * of the converted text is one of the file, so every position said is
	 * the file's own (second round). */
	if (cs_k8s_utf16_bom(buf + (room ? YDOC_ROOM : 0), len)) {
		cs_cleanup_free char *u = NULL;
		size_t ulen = 0;
		const char *bad;
		unsigned line, col;

		r = cs_k8s_utf16_to_utf8(buf + (room ? YDOC_ROOM : 0), len, YDOC_ROOM, &u, &ulen,
					 &bad);
		if (r == -EILSEQ) {
			cs_json_pos(u + YDOC_ROOM, ulen, &line, &col);
			cs_diag_file(d, name);
			return cs_diag_set(d, EINVAL, line, col, "", "%s", bad);
		}
		if (r < 0)
			return r;
		bool ur = ydoc_wants_room(u + YDOC_ROOM, ulen);

		return parse_text(m, ur ? u : u + YDOC_ROOM, ulen, ur, name, d);
	}
	/* what kubectl refuses before any YAML is read */
	if ((r = cs_k8s_kubectl_stream(buf + (room ? YDOC_ROOM : 0), len, d)) < 0) {
		cs_diag_file(d, name);
		return r;
	}
	if (!m->arena && !(m->arena = cs_arena_new()))
		return -ENOMEM;
	if (name && !(c.name = cs_arena_strndup(m->arena, name, strlen(name))))
		return -ENOMEM;
	r = ydoc_read(buf, len, room, name, on_document, &c, d);
	mf_copies_forget(&c);
	return r < 0 ? r : kindless(&c);
}

/* The loader's failures all say why, in the file named (cs_diag_unsaid) */
static int named(struct cs_diag *d, int r, const char *name)
{
	if (r < 0 && d && !d->message[0]) {
		cs_diag_unsaid(d, r);
		cs_diag_file(d, name);
	}
	return r;
}

int cs_k8s_parse(struct cs_k8s_manifest *m, const char *buf, size_t len, const char *name,
		 struct cs_diag *d)
{
	cs_cleanup_free char *text = NULL;
	int json = 0;

	/*
	 * Nineteenth pass, part A: a JSON stream (a webhook's request.object,
	 * checked JSON) is built by ydoc-stream.c, which needs no room before
	 * the text and writes nothing into it; the copy with room, a second 4
	 * MB of a 4 MB review, is made only for what libfyaml reads.
	 */
	if (ydoc_wants_room(buf, len) && (json = ydoc_is_json_stream(buf, len)) < 0)
		return named(d, json, name);
	if (!ydoc_wants_room(buf, len) || json)
		return named(d, parse_text(m, (char *)buf, len, false, name, d), name);
	if (!(text = malloc(len + YDOC_ROOM)))
		return named(d, -ENOMEM, name);
	memcpy(text + YDOC_ROOM, buf, len);
	return named(d, parse_text(m, text, len, true, name, d), name);
}

int cs_k8s_load(struct cs_k8s_manifest *m, const char *path, struct cs_diag *d)
{
	cs_cleanup_free char *buf = NULL;
	size_t len = 0;
	bool room;
	char *grown;
	int r = cs_read_config_file(path, 16u << 20, "kubectl", &buf, &len, d);

	if (r < 0)
		return named(d, r, path);
	/* Room for the prefix in place: no second copy of a 16 MB file. */
	room = ydoc_wants_room(buf, len);
	if (room) {
		if (!(grown = realloc(buf, len + YDOC_ROOM)))
			return named(d, -ENOMEM, path);
		buf = grown;
		memmove(buf + YDOC_ROOM, buf, len);
	}
	return named(d, parse_text(m, buf, len, room, path, d), path);
}

void cs_k8s_manifest_init(struct cs_k8s_manifest *m)
{
	memset(m, 0, sizeof(*m));
}

void cs_k8s_manifest_free(struct cs_k8s_manifest *m)
{
	cs_arena_free(m->arena);
	memset(m, 0, sizeof(*m));
}

void cs_k8s_effective_sc(const struct cs_k8s_pod *p, const struct cs_k8s_container *c,
			 struct cs_k8s_sc *out)
{
	*out = c->sc;
	if (!out->run_as_user.set)
		out->run_as_user = p->run_as_user;
	if (!out->run_as_group.set)
		out->run_as_group = p->run_as_group;
	if (!out->run_as_non_root.set)
		out->run_as_non_root = p->run_as_non_root;
	if (!out->seccomp_type)
		out->seccomp_type = p->seccomp_type;
}

/*
 * name (dotted) against a pod's sysctl as the kubelet hands it to the
 * runtime: ConvertPodSysctlsVariableToDotsSeparator applies NormalizeName
 * first, so "net/ipv4/ip_unprivileged_port_start" sets the same sysctl
 * (fourteenth pass: it was not found, and port 80 said refused).
 */
static bool sysctl_is(const char *given, const char *name)
{
	size_t sep = strcspn(given, "./");

	if (given[sep] != '/')
		return !strcmp(given, name);
	for (; *given && *name; given++, name++)
		if ((*given == '/' ? '.' : *given == '.' ? '/' : *given) != *name)
			return false;
	return !*given && !*name;
}

const char *cs_k8s_sysctl(const struct cs_k8s_pod *p, const char *name)
{
	const char *v = NULL;

	for (size_t i = 0; i < p->n_sysctls; i++)
		if (sysctl_is(p->sysctls[i].name, name))
			v = p->sysctls[i].value;
	return v;
}

const char *cs_k8s_ctr_kind_name(enum cs_k8s_ctr_kind k)
{
	switch (k) {
	case CS_CTR_INIT:
		return "initContainer";
	case CS_CTR_EPHEMERAL:
		return "ephemeralContainer";
	default:
		return "container";
	}
}
