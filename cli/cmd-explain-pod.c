/* SPDX-License-Identifier: MIT */
/*
 * capscope explain pod FILE: the whole path of a container's credentials —
 * manifest → SCC admission → container runtime → OCI process → runc →
 * execve — per container, with a verdict per requested capability and
 * remedies ranked by risk.
 */
/* Human text is cut at its buffer size; that is all truncation can do here. */
#if defined(__GNUC__) && !defined(__clang__) /* clang has no such warning */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/cri.h"
#include "capscope/proc.h"
#include "capscope/psa.h"
#include "capscope/runtime.h"
#include "capscope/scan.h"
#include "capscope/scc.h"
#include "capscope/text.h"
#include "explain-pod.h"
#include "explain.h"
#include "output.h"

#define CMD "explain pod"
#define MAX_FILES 64

#ifndef CAPSCOPE_DATADIR
#define CAPSCOPE_DATADIR "/usr/local/share/capscope"
#endif

static const char help[] =
	"Usage: capscope explain pod [OPTIONS] FILE...\n"
	"\n"
	"Follow every container of the pods in FILE (Pod, Deployment, StatefulSet,\n"
	"DaemonSet, ReplicaSet, Job, CronJob or List; YAML or JSON) through OpenShift\n"
	"SCC admission, the container runtime and runc to the first process, say why\n"
	"each requested capability ends effective or not, and rank the remedies.\n"
	"\n"
	"Options:\n"
	"  --scc FILE|NAME      model SCC admission with these SCCs (repeatable; NAME is\n"
	"                       a built-in SCC such as restricted-v2 or anyuid)\n"
	"  --openshift          use the built-in OpenShift SCCs; the pod may use\n"
	"                       restricted-v2 (what system:authenticated gets) and the\n"
	"                       SCCs given with --scc or --use\n"
	"  --use NAME           also grant the pod's service account this SCC\n"
	"  --uid-range S/N      the namespace's uid range (default 1000660000/10000)\n"
	"  --runtime NAME[@VER] crio (default), containerd, docker or podman, at a release\n"
	"                       (containerd@1.6, docker@20.10, podman@4, ...; default: current)\n"
	"  --runtime-caps MASK  what the runtime daemon itself holds (hex, names or 'self'):\n"
	"                       containerd and Docker 25+ hand these out for ALL/privileged\n"
	"  --crio-config PATH   crio.conf, a directory with crio.conf and crio.conf.d,\n"
	"                       or a drop-in directory\n"
	"  --rootfs DIR         the image's root filesystem: resolve the entrypoint, read\n"
	"                       its mode, owner and file capabilities, /etc/passwd\n"
	"  --image ARCHIVE      the image itself (docker save archive, OCI layout directory\n"
	"                       or OCI archive), read as streams without extracting: its\n"
	"                       config and, in its final view, the entrypoint and\n"
	"                       /etc/passwd, as --rootfs and --image-config would give\n"
	"  --image-config FILE  the image's OCI config (User, Entrypoint, Cmd, Env);\n"
	"                       overrides the config read with --image\n"
	"  --check bind:PORT    can the first process bind this TCP port? (repeatable)\n"
	"  --caller self|root   who starts runc: a full root (default, as on a node) or\n"
	"                       this process's own credentials (to compare with a local runc)\n"
	"  --json               machine-readable output\n"
	"  -h, --help           this help\n"
	"\n"
	"Without --scc/--openshift admission is plain Kubernetes. Without --rootfs or\n"
	"--image the entrypoint is assumed to be a plain root-owned file without file capabilities\n"
	"or set-uid bit.\n"
	"\n"
	"Exit status: 0 when every requested capability ends effective and every check\n"
	"passes, 1 otherwise or on bad input, 2 on a usage error.\n"
	"\n"
	"Examples:\n"
	"  capscope explain pod --check bind:443 deploy.yaml\n"
	"  capscope explain pod --openshift --scc anyuid-netbind.yaml deploy.yaml\n"
	"  capscope explain pod --scc restricted --crio-config /etc/crio \\\n"
	"      --rootfs ./rootfs --image-config image.json --check bind:443 pod.yaml\n"
	"  capscope explain pod --image nc-capset.tar --check bind:443 pod.yaml\n"
	"  capscope explain pod --json --runtime docker pod.yaml | jq '.containers[].process.caps'\n";

struct state {
	struct pod_opts o;
	struct cs_k8s_manifest m;   /* pods */
	struct cs_k8s_manifest sm;  /* SCCs */
	struct cs_crio_config crio;
	bool crio_loaded;
	struct cs_cri_target target; /* --runtime NAME@VERSION, --runtime-caps */
	struct cs_image_config img;
	bool img_loaded;
	struct cs_image *image; /* --image */
	const char **img_argv;  /* img.entrypoint and img.cmd when they come from --image */
	const char *granted[MAX_FILES + 1];
	size_t n_granted;
	bool use_scc;
	int ports[POD_MAX_CHECKS];
	size_t n_ports;
	bool json;
	bool caller_self;
	struct cs_cred self;
};

/* Where built-in SCCs live: $CAPSCOPE_DATADIR, next to the binary in the
 * source tree (build/capscope → data/), the install prefix, the configured
 * datadir. */
static int builtin_scc_path(const char *name, char *out, size_t len)
{
	char exe[PATH_MAX];
	const char *env = getenv("CAPSCOPE_DATADIR");
	struct stat sb;
	ssize_t n;

	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return -EINVAL;
	if (env) {
		snprintf(out, len, "%s/scc/%s.yaml", env, name);
		if (stat(out, &sb) == 0)
			return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');

		if (slash) {
			*slash = '\0';
			snprintf(out, len, "%s/../data/scc/%s.yaml", exe, name);
			if (stat(out, &sb) == 0)
				return 0;
			snprintf(out, len, "%s/../share/capscope/scc/%s.yaml", exe, name);
			if (stat(out, &sb) == 0)
				return 0;
		}
	}
	snprintf(out, len, "%s/scc/%s.yaml", CAPSCOPE_DATADIR, name);
	return stat(out, &sb) == 0 ? 0 : -ENOENT;
}

static const char *const builtin_sccs[] = {"restricted-v2", "restricted",     "nonroot-v2",
					   "nonroot",	    "anyuid",	      "hostnetwork-v2",
					   "hostnetwork",   "hostmount-anyuid", "hostaccess",
					   "privileged"};

static int load_scc(struct state *s, const char *arg, bool grant)
{
	struct cs_diag d = {0};
	char path[PATH_MAX];
	struct stat sb;
	size_t before = s->sm.n_sccs;
	int r;

	if (stat(arg, &sb) == 0 || strchr(arg, '/'))
		snprintf(path, sizeof(path), "%s", arg);
	else if (builtin_scc_path(arg, path, sizeof(path)) < 0)
		return cs_usage_err(CMD, "--scc %s: no such file and no built-in SCC of that name", arg);
	r = cs_k8s_load(&s->sm, path, &d);
	if (r < 0)
		return cs_diag_err(CMD, NULL, &d);
	if (s->sm.n_sccs == before)
		return cs_err(CMD, "%s: no SecurityContextConstraints document in it", path);
	for (size_t i = before; grant && i < s->sm.n_sccs && s->n_granted < MAX_FILES; i++)
		s->granted[s->n_granted++] = s->sm.sccs[i].name;
	return 0;
}

static int parse_range(const char *a, uint32_t *start, uint32_t *size)
{
	char *e;
	unsigned long long x, y;

	errno = 0;
	x = strtoull(a, &e, 10);
	if (e == a || *e != '/' || errno || x > UINT32_MAX)
		return -EINVAL;
	a = e + 1;
	y = strtoull(a, &e, 10);
	if (e == a || *e || errno || y == 0 || y > UINT32_MAX || x + y - 1 > UINT32_MAX)
		return -EINVAL;
	*start = (uint32_t)x;
	*size = (uint32_t)y;
	return 0;
}

/* Look up a user (name or number) in the image's /etc/passwd (--rootfs or
 * --image): uid and primary gid. */
static int passwd_lookup(const struct state *s, const char *user, long *uid, long *gid)
{
	char p[PATH_MAX], *buf = NULL, *save = NULL;
	size_t len;
	int found = -ENOENT;

	if (s->image) {
		const char *data;

		if (cs_image_read_small(s->image, "/etc/passwd", &data, &len) < 0 ||
		    !(buf = strndup(data, len)))
			return -ENOENT;
	} else {
		if (!s->o.rootfs)
			return -ENOENT;
		snprintf(p, sizeof(p), "%s/etc/passwd", s->o.rootfs);
		if (cs_read_file(p, 1u << 20, &buf, &len) < 0)
			return -ENOENT;
	}
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[7] = {0};
		int nf = 0;

		for (char *q = line; nf < 7; nf++) {
			f[nf] = q;
			q = strchr(q, ':');
			if (!q)
				break;
			*q++ = '\0';
		}
		if (nf < 3 || !f[2] || !f[3])
			continue;
		if (!strcmp(f[0], user) || !strcmp(f[2], user)) {
			*uid = strtol(f[2], NULL, 10);
			*gid = strtol(f[3], NULL, 10);
			found = 0;
			break;
		}
	}
	free(buf);
	return found;
}

static bool all_digits(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool has_str(const struct cs_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

static void list_text(const struct cs_strlist *l, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < l->n && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "," : "", l->v[i]);
}

/* Find argv[0] in the image (--rootfs directory or --image final view). */
static int resolve_exec(const struct state *s, const char *arg0, struct cs_exec_file *f,
			struct cs_diag *d)
{
	const char *pathenv = s->img_loaded && s->img.path_env
				      ? s->img.path_env
				      : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

	if (s->image) {
		cs_image_exec_resolve(s->image, arg0, pathenv, f);
		return 0;
	}
	return cs_exec_file_resolve(s->o.rootfs, arg0, pathenv, f, d);
}

/* The user the container runs as, the kubelet's runAsNonRoot check, the group. */
static int decide_user(struct state *s, struct pod_ctr *r, uid_t *uid, gid_t *gid)
{
	const char *iu = s->img_loaded && s->img.user && s->img.user[0] ? s->img.user : NULL;
	long pu = -1, pg = -1;
	bool numeric = true;
	char uname[128] = "";

	if (r->adm.run_as_user.set) {
		if (r->adm.run_as_user.v < 0 || r->adm.run_as_user.v > UINT32_MAX - 1) {
			snprintf(r->exec_error, sizeof(r->exec_error), "CreateContainerConfigError");
			snprintf(r->reason, sizeof(r->reason), "runAsUser %lld is out of range",
				 (long long)r->adm.run_as_user.v);
			return -1;
		}
		*uid = (uid_t)r->adm.run_as_user.v;
		cs_steps_add(&r->st, "pod", "pod.user", "uid %u from runAsUser", (unsigned)*uid);
	} else if (iu) {
		const char *colon = strchr(iu, ':');
		size_t ul = colon ? (size_t)(colon - iu) : strlen(iu);

		snprintf(uname, sizeof(uname), "%.*s", (int)ul, iu);
		numeric = all_digits(iu, ul);
		if (numeric) {
			pu = strtol(uname, NULL, 10);
		} else if (!s->o.rootfs_given || passwd_lookup(s, uname, &pu, &pg) < 0) {
			snprintf(r->exec_error, sizeof(r->exec_error), "CreateContainerError");
			snprintf(r->reason, sizeof(r->reason),
				 "image USER '%s' is a name and %s", uname,
				 s->o.rootfs_given ? "the image's /etc/passwd does not list it"
						   : "no --rootfs or --image was given to look it up");
			return -1;
		}
		*uid = (uid_t)pu;
		if (colon && all_digits(colon + 1, strlen(colon + 1)))
			pg = strtol(colon + 1, NULL, 10);
		cs_steps_add(&r->st, "pod", "pod.user", "uid %u from the image's USER '%s'",
			     (unsigned)*uid, iu);
	} else {
		*uid = 0;
		if (s->img_loaded)
			cs_steps_add(&r->st, "pod", "pod.user",
				     "no runAsUser and the image sets no USER: uid 0 (root)");
		else
			cs_steps_add(&r->st, "pod", "pod.user",
				     "no runAsUser and no image USER given: the image's default, "
				     "root (0), is assumed (pass --image or --image-config to read it)");
	}
	if (r->adm.run_as_non_root.set && r->adm.run_as_non_root.v &&
	    cs_cri_target_has_kubelet(&s->target)) {
		if (!r->adm.run_as_user.set && !numeric) {
			snprintf(r->exec_error, sizeof(r->exec_error), "CreateContainerConfigError");
			snprintf(r->reason, sizeof(r->reason),
				 "container has runAsNonRoot and image has non-numeric user (%s), "
				 "cannot verify user is non-root",
				 uname);
			return -1;
		}
		if (*uid == 0) {
			snprintf(r->exec_error, sizeof(r->exec_error), "CreateContainerConfigError");
			snprintf(r->reason, sizeof(r->reason), "%s",
				 r->adm.run_as_user.set
					 ? "container's runAsUser breaks non-root policy"
					 : "container has runAsNonRoot and image will run as root");
			cs_steps_add(&r->st, "pod", "kubelet.run-as-non-root",
				     "the kubelet refuses to start the container: %s", r->reason);
			return -1;
		}
	}
	if (r->adm.run_as_group.set) {
		*gid = (gid_t)r->adm.run_as_group.v;
	} else if (pg >= 0) {
		*gid = (gid_t)pg;
	} else if (s->o.rootfs_given) {
		char ub[32];

		snprintf(ub, sizeof(ub), "%u", (unsigned)*uid);
		*gid = passwd_lookup(s, ub, &pu, &pg) == 0 ? (gid_t)pg : 0;
	} else {
		*gid = 0;
	}
	return 0;
}

static void do_checks(struct state *s, struct pod_ctr *r)
{
	const char *v = cs_k8s_sysctl(r->pod, "net.ipv4.ip_unprivileged_port_start");

	if (v) {
		r->unpriv_port_start = atoi(v);
		snprintf(r->unpriv_port_why, sizeof(r->unpriv_port_why),
			 "the pod sets net.ipv4.ip_unprivileged_port_start=%s", v);
	} else if (s->o.runtime == CS_CRI_DOCKER && !r->pod->host_network) {
		r->unpriv_port_start = 0;
		snprintf(r->unpriv_port_why, sizeof(r->unpriv_port_why),
			 "Docker sets net.ipv4.ip_unprivileged_port_start=0 in container network namespaces");
	} else {
		r->unpriv_port_start = 1024;
		snprintf(r->unpriv_port_why, sizeof(r->unpriv_port_why),
			 "net.ipv4.ip_unprivileged_port_start is 1024 (the default)");
	}
	for (size_t i = 0; i < s->n_ports; i++) {
		struct pod_check *c = &r->checks[r->n_checks++];
		int port = s->ports[i];

		snprintf(c->check, sizeof(c->check), "bind:%d", port);
		c->port = port;
		if (!r->admitted || !r->exec_ok) {
			c->ok = false;
			snprintf(c->why, sizeof(c->why), "the process does not start");
		} else if (port >= r->unpriv_port_start) {
			c->ok = true;
			snprintf(c->why, sizeof(c->why), "port %d is not privileged: %s", port,
				 r->unpriv_port_why);
		} else if ((r->helper_ok ? r->hpost : r->post).caps.set[CS_EFF] & CS_BIT(10)) {
			c->ok = true;
			snprintf(c->why, sizeof(c->why),
				 "CAP_NET_BIND_SERVICE is in the effective set%s%s",
				 r->helper_ok ? " of the process the helper execs" : "",
				 r->oci.user_namespace
					 ? " (of the pod's user namespace, which owns its network namespace)"
					 : "");
		} else {
			c->ok = false;
			snprintf(c->why, sizeof(c->why),
				 "port %d < %d (%s) and CAP_NET_BIND_SERVICE is not effective", port,
				 r->unpriv_port_start, r->unpriv_port_why);
		}
	}
}

static void do_verdicts(struct pod_ctr *r)
{
	const struct cs_strlist *add = r->req.caps_set ? &r->req.add : NULL;

	for (size_t i = 0; add && i < add->n && r->n_verdicts < POD_MAX_VERDICTS; i++) {
		struct pod_verdict *v = &r->verdicts[r->n_verdicts++];
		const char *nm = add->v[i];

		snprintf(v->name, sizeof(v->name), "%s", nm);
		if (!strcasecmp(nm, "ALL")) {
			v->cap = -1;
			v->ok = r->admitted && r->exec_ok;
			snprintf(v->text, sizeof(v->text), "ALL: see the sets in the table");
			continue;
		}
		v->cap = cs_cap_from_name(nm, strlen(nm));
		if (!r->admitted) {
			snprintf(v->text, sizeof(v->text), "not effective: the pod is not admitted");
		} else if (!r->oci_ok) {
			snprintf(v->text, sizeof(v->text), "not effective: %s", r->reason);
		} else if (v->cap < 0) {
			snprintf(v->text, sizeof(v->text),
				 "not effective: '%s' is not a capability name%s", nm,
				 r->oci.unknown_caps[0] ? " (the runtime passes it on, runc ignores it)"
							: "");
		} else if (!(r->oci.caps.set[CS_BND] & CS_BIT(v->cap))) {
			bool scc_drop = r->scc_name && has_str(&r->adm.drop, nm) &&
					!has_str(&r->req.drop, nm);

			if (scc_drop)
				snprintf(v->text, sizeof(v->text),
					 "not effective: SCC %s's requiredDropCapabilities drop it, and "
					 "the runtime applies drops after adds",
					 r->scc_name);
			else if (strchr(r->oci.unknown_caps, '_') && strstr(r->oci.unknown_caps, nm))
				snprintf(v->text, sizeof(v->text),
					 "not effective: the runtime spelled it as an unknown name, which "
					 "runc skips");
			else
				snprintf(v->text, sizeof(v->text),
					 "not effective: the runtime leaves it out of the bounding set "
					 "(a drop of the same capability wins over the add)");
		} else if (!r->exec_ok) {
			snprintf(v->text, sizeof(v->text), "not effective: the process does not start (%s)",
				 r->exec_error);
		} else {
			v->ok = cs_explain_cap_verdict(v->cap, &r->oci.caps, &r->pre, &r->post, &r->f,
						       &r->res, &r->st, v->text, sizeof(v->text));
		}
		if (!v->ok && v->cap >= 0)
			r->missing |= CS_BIT(v->cap);
	}
}

/*
 * An ambient-raising helper as entrypoint: the article's set_ambient (it
 * adds CAP_NET_BIND_SERVICE to inheritable with capset, raises it in ambient,
 * then execs argv[1]) or `capscope run --ambient CAPS -- CMD`. Model the
 * helper's calls with the kernel model, then the exec of the command, so the
 * process the article inspected comes out too.
 */
static void model_helper(struct state *s, struct pod_ctr *r, const char *const *argv, size_t argc)
{
	const char *base;
	cs_mask_t amb = 0;
	size_t next = 0;
	struct cs_diag d = {0};

	if (!argc)
		return;
	base = strrchr(argv[0], '/');
	base = base ? base + 1 : argv[0];
	if (!strcmp(base, "set_ambient") && argc >= 2) {
		amb = CS_BIT(10);
		next = 1;
		snprintf(r->helper_what, sizeof(r->helper_what),
			 "set_ambient raises CAP_NET_BIND_SERVICE to ambient, then execs %s", argv[1]);
	} else if (!strcmp(base, "capscope") && argc >= 4 && !strcmp(argv[1], "run")) {
		for (size_t k = 2; k < argc; k++) {
			if (!strcmp(argv[k], "--") && k + 1 < argc) {
				next = k + 1;
				break;
			}
			if (!strcmp(argv[k], "--ambient") && k + 1 < argc) {
				cs_mask_t m;

				if (cs_names_parse(argv[k + 1], strlen(argv[k + 1]), &m, &d) < 0)
					return;
				amb |= m;
				k++;
			} else if (!strncmp(argv[k], "--ambient=", 10)) {
				cs_mask_t m;

				if (cs_names_parse(argv[k] + 10, strlen(argv[k] + 10), &m, &d) < 0)
					return;
				amb |= m;
			} else {
				return; /* other launcher options: not modelled here */
			}
		}
		if (!next || !amb)
			return;
		snprintf(r->helper_what, sizeof(r->helper_what),
			 "capscope run raises the ambient set, then execs %s", argv[next]);
	} else {
		return;
	}
	r->helper = true;
	r->hpost = r->post;
	cs_steps_add(&r->st, "helper", "helper.start", "%s", r->helper_what);
	int rc = cs_kernel_capset(&r->hpost, r->hpost.caps.set[CS_EFF], r->hpost.caps.set[CS_PRM],
				  r->hpost.caps.set[CS_INH] | amb, &r->st);
	for (int cap = 0; rc == 0 && cap < CS_CAP_BITS; cap++)
		if (amb & CS_BIT(cap))
			rc = cs_kernel_ambient_raise(&r->hpost, cap, &r->st);
	if (rc < 0) {
		snprintf(r->helper_error, sizeof(r->helper_error), "%s", cs_errno_name(-rc));
		cs_steps_add(&r->st, "helper", "helper.failed",
			     "the helper's capset/ambient raise fails with %s: it exits before exec",
			     r->helper_error);
		return;
	}
	memset(&r->hf, 0, sizeof(r->hf));
	if (s->o.rootfs_given) {
		if (resolve_exec(s, argv[next], &r->hf, &d) < 0)
			return;
	} else {
		snprintf(r->hf.path, sizeof(r->hf.path), "%s", argv[next]);
	}
	rc = cs_kernel_execve(&r->hpost, &r->hf, &r->st);
	if (rc < 0) {
		snprintf(r->helper_error, sizeof(r->helper_error), "%s", cs_errno_name(-rc));
		return;
	}
	r->helper_ok = true;
}

static void copy_steps(struct cs_steps *dst, const struct cs_steps *src)
{
	for (size_t i = 0; i < src->n; i++)
		cs_steps_add(dst, src->v[i].layer, src->v[i].rule, "%s", src->v[i].detail);
}

static void run_container(struct state *s, const struct cs_k8s_pod *pod, size_t i,
			  const struct cs_scc_result *sr, const struct cs_steps *podsteps,
			  struct pod_ctr *r)
{
	const struct cs_k8s_container *c = &pod->containers[i];
	struct cs_cri_request req = {0};
	gid_t groups[CS_OCI_MAX_GROUPS];
	size_t ng = 0;
	struct cs_diag d = {0};
	uid_t uid;
	gid_t gid;
	char a[512], b[512];

	memset(r, 0, sizeof(*r));
	r->pod = pod;
	r->c = c;
	cs_steps_init(&r->st);
	copy_steps(&r->st, podsteps);
	cs_k8s_effective_sc(pod, c, &r->req);
	r->scc_step = s->use_scc;
	if (s->use_scc) {
		r->admitted = sr->admitted;
		r->scc_name = sr->chosen ? sr->chosen->name : NULL;
		snprintf(r->reason, sizeof(r->reason), "%s", sr->reason);
		r->adm = sr->admitted ? sr->sc[i] : r->req;
	} else {
		r->admitted = true;
		r->adm = r->req;
		snprintf(r->reason, sizeof(r->reason), "no SCC admission modelled (plain Kubernetes)");
	}
	list_text(&r->req.add, a, sizeof(a));
	list_text(&r->req.drop, b, sizeof(b));
	cs_steps_add(&r->st, "pod", "pod.requested", "%s %s: capabilities add [%s] drop [%s]%s",
		     cs_k8s_ctr_kind_name(c->kind), c->name, a, b,
		     r->req.caps_set ? "" : " (no capabilities field)");
	bool priv = r->adm.privileged.set && r->adm.privileged.v;
	bool ape_false = r->adm.allow_privilege_escalation.set && !r->adm.allow_privilege_escalation.v;
	if (r->admitted && ape_false && cs_cri_target_has_kubelet(&s->target) &&
	    (priv || (r->adm.caps_set && has_str(&r->adm.add, "CAP_SYS_ADMIN")))) {
		r->admitted = false;
		snprintf(r->reason, sizeof(r->reason),
			 "the API server rejects the pod: cannot set allowPrivilegeEscalation to false "
			 "and %s",
			 priv ? "privileged to true" : "capabilities.add CAP_SYS_ADMIN");
	}
	if (!r->admitted) {
		snprintf(r->exec_error, sizeof(r->exec_error), "Forbidden");
		cs_steps_add(&r->st, "pod", "pod.not-admitted", "%s", r->reason);
		goto out;
	}
	if (decide_user(s, r, &uid, &gid) < 0)
		goto out;
	for (size_t k = 0; k < pod->n_supplemental_groups && ng < CS_OCI_MAX_GROUPS; k++)
		groups[ng++] = (gid_t)pod->supplemental_groups[k];
	{
		struct cs_opt_i64 fsg = s->use_scc && sr->admitted ? sr->fs_group : pod->fs_group;

		if (fsg.set && ng < CS_OCI_MAX_GROUPS)
			groups[ng++] = (gid_t)fsg.v;
	}
	req.add = r->adm.caps_set ? r->adm.add.v : NULL;
	req.n_add = r->adm.caps_set ? r->adm.add.n : 0;
	req.drop = r->adm.caps_set ? r->adm.drop.v : NULL;
	req.n_drop = r->adm.caps_set ? r->adm.drop.n : 0;
	req.privileged = priv;
	req.no_new_privs = ape_false && (!priv || !cs_cri_target_has_kubelet(&s->target));
	req.uid = uid;
	req.gid = gid;
	req.groups = groups;
	req.n_groups = ng;
	req.user_namespace = pod->host_users.set && !pod->host_users.v;
	if (cs_cri_merge_target(&s->target, s->crio_loaded ? &s->crio : NULL, &req, &r->oci, &r->st,
				&d) < 0) {
		snprintf(r->exec_error, sizeof(r->exec_error), "CreateContainerError");
		snprintf(r->reason, sizeof(r->reason), "%s", d.message);
		cs_steps_add(&r->st, "runtime", "runtime.refused", "%s", d.message);
		goto out;
	}
	r->oci_ok = true;
	/* argv as CRI-O builds it (setupContainerEntrypoint): the container's
	 * command, else the image's Entrypoint; then args, else the image's Cmd
	 * (only when the command came from the image). */
	const char *argv_[64];
	size_t argc_ = 0;
	{
		const struct cs_strlist *cmd = c->command.n ? &c->command
					       : s->img_loaded ? &s->img.entrypoint : NULL;
		const struct cs_strlist *args = c->args.n ? &c->args
						: (!c->command.n && s->img_loaded) ? &s->img.cmd : NULL;

		for (size_t k = 0; cmd && k < cmd->n && argc_ < 63; k++)
			argv_[argc_++] = cmd->v[k];
		for (size_t k = 0; args && k < args->n && argc_ < 63; k++)
			argv_[argc_++] = args->v[k];
	}
	const char *arg0 = argc_ ? argv_[0] : NULL;
	memset(&r->f, 0, sizeof(r->f));
	if (s->o.rootfs_given && arg0) {
		if (resolve_exec(s, arg0, &r->f, &d) < 0) {
			snprintf(r->exec_error, sizeof(r->exec_error), "CreateContainerError");
			snprintf(r->reason, sizeof(r->reason), "rootfs: %s", d.message);
			goto out;
		}
	} else {
		snprintf(r->f.path, sizeof(r->f.path), "%s", arg0 ? arg0 : "(the image's entrypoint)");
		r->f.known = false;
	}
	if (cs_oci_predict_from(&r->oci, s->caller_self ? &s->self : NULL, &r->f, &r->pre, &r->post, &r->res, &r->st) < 0) {
		snprintf(r->exec_error, sizeof(r->exec_error), "EINVAL");
		goto out;
	}
	r->exec_ok = r->res.ok;
	if (!r->res.ok)
		snprintf(r->exec_error, sizeof(r->exec_error), "%s", cs_errno_name(r->res.error));
	else
		model_helper(s, r, argv_, argc_);
out:
	do_checks(s, r);
	do_verdicts(r);
}

/* ---------- output ---------- */

static void sc_line(const char *label, const struct cs_k8s_sc *sc)
{
	char a[512], d[512];

	list_text(&sc->add, a, sizeof(a));
	list_text(&sc->drop, d, sizeof(d));
	printf("  %-10s add [%s] drop [%s]", label, a, d);
	if (sc->run_as_user.set)
		printf(" runAsUser %lld", (long long)sc->run_as_user.v);
	if (sc->run_as_non_root.set)
		printf(" runAsNonRoot %s", sc->run_as_non_root.v ? "true" : "false");
	if (sc->allow_privilege_escalation.set)
		printf(" allowPrivilegeEscalation %s", sc->allow_privilege_escalation.v ? "true" : "false");
	if (sc->privileged.set && sc->privileged.v)
		printf(" privileged");
	printf("\n");
}

static void text_container(struct state *s, const struct pod_ctr *r)
{
	struct cs_table t;
	static const char *const hdr[] = {"STAGE", "UID", "BOUNDING", "PERMITTED",
					  "EFFECTIVE", "INHERITABLE", "AMBIENT", "NNP"};
	char u[3][64], stage[64];

	printf("\n%sContainer %s%s (%s%s%s)\n", cs_color(stdout, "\033[1m"), r->c->name,
	       cs_color(stdout, "\033[0m"), cs_k8s_ctr_kind_name(r->c->kind),
	       r->c->image ? ", image " : "", r->c->image ? r->c->image : "");
	sc_line("requested", &r->req);
	if (r->scc_step)
		sc_line(r->scc_name ? "after SCC" : "(no SCC)", &r->adm);
	if (!r->admitted) {
		printf("  NOT ADMITTED: %s\n", r->reason);
	} else if (!r->oci_ok) {
		printf("  NOT CREATED: %s: %s\n", r->exec_error, r->reason);
	} else {
		printf("  Entrypoint: %s%s", r->f.path, r->f.known ? "" : " (assumed plain: no --rootfs or --image)");
		if (r->f.known && !r->f.error) {
			printf(", mode %04o, owner %u", (unsigned)(r->f.mode & 07777),
			       (unsigned)r->f.owner_uid);
			if (r->f.fcaps_state > 0) {
				char *txt = cs_fcaps_to_text(&r->f.fcaps);

				printf(", file caps %s", txt ? txt : "?");
				free(txt);
			}
		}
		printf("\n\n");
		cs_table_init(&t, 8);
		cs_table_add(&t, hdr);
		snprintf(u[0], sizeof(u[0]), "%u", (unsigned)r->oci.uid);
		snprintf(stage, sizeof(stage), "OCI (%s)", cs_cri_runtime_name(s->o.runtime));
		cs_explain_flow_row(&t, stage, u[0], &r->oci.caps, r->oci.no_new_privileges);
		snprintf(u[1], sizeof(u[1]), "%u", (unsigned)r->pre.uid[1]);
		cs_explain_flow_row(&t, "runc, before execve", u[1], &r->pre.caps, r->pre.no_new_privs);
		if (r->res.ok) {
			snprintf(u[2], sizeof(u[2]), "%u", (unsigned)r->post.uid[1]);
			cs_explain_flow_row(&t, "after execve", u[2], &r->post.caps, r->post.no_new_privs);
		}
		cs_table_print(&t, stdout, cs_color(stdout, "\033[1m"));
		cs_table_free(&t);
		if (r->res.ok)
			printf("  /proc: CapInh %016llx CapPrm %016llx CapEff %016llx CapBnd %016llx CapAmb %016llx\n",
			       (unsigned long long)r->post.caps.set[CS_INH],
			       (unsigned long long)r->post.caps.set[CS_PRM],
			       (unsigned long long)r->post.caps.set[CS_EFF],
			       (unsigned long long)r->post.caps.set[CS_BND],
			       (unsigned long long)r->post.caps.set[CS_AMB]);
		if (!r->exec_ok)
			printf("  The process does not start: %s\n", r->exec_error);
		if (r->helper) {
			printf("\n  Helper: %s\n", r->helper_what);
			if (r->helper_ok)
				printf("  /proc of %s: CapInh %016llx CapPrm %016llx CapEff %016llx CapBnd %016llx CapAmb %016llx (uid %u)\n",
				       r->hf.path, (unsigned long long)r->hpost.caps.set[CS_INH],
				       (unsigned long long)r->hpost.caps.set[CS_PRM],
				       (unsigned long long)r->hpost.caps.set[CS_EFF],
				       (unsigned long long)r->hpost.caps.set[CS_BND],
				       (unsigned long long)r->hpost.caps.set[CS_AMB],
				       (unsigned)r->hpost.uid[1]);
			else
				printf("  the helper fails: %s\n", r->helper_error);
		}
	}
	if (r->n_verdicts) {
		printf("\n  Requested capabilities:\n");
		for (size_t i = 0; i < r->n_verdicts; i++)
			printf("    %-22s %s\n", r->verdicts[i].name, r->verdicts[i].text);
	}
	if (r->n_checks) {
		printf("\n  Checks:\n");
		for (size_t i = 0; i < r->n_checks; i++)
			printf("    %-10s %s: %s\n", r->checks[i].check, r->checks[i].ok ? "yes" : "NO",
			       r->checks[i].why);
	}
	printf("\n  Steps:\n");
	cs_explain_print_steps(stdout, &r->st);
	if (pod_needs_remedy(r))
		pod_remedies_text(stdout, r, &s->o);
}

static void json_sc(struct cs_json *j, const struct cs_k8s_sc *sc)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "add");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < sc->add.n; i++)
		cs_json_str(j, sc->add.v[i]);
	cs_json_arr_end(j);
	cs_json_key(j, "drop");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < sc->drop.n; i++)
		cs_json_str(j, sc->drop.v[i]);
	cs_json_arr_end(j);
	cs_json_key(j, "run_as_user");
	if (sc->run_as_user.set)
		cs_json_int(j, sc->run_as_user.v);
	else
		cs_json_null(j);
	cs_json_key(j, "allow_privilege_escalation");
	if (sc->allow_privilege_escalation.set)
		cs_json_bool(j, sc->allow_privilege_escalation.v);
	else
		cs_json_null(j);
	cs_json_obj_end(j);
}

static void json_container(struct state *s, struct cs_json *j, const struct pod_ctr *r,
			   const struct cs_psa_result *psa)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "name");
	cs_json_str(j, r->c->name);
	cs_json_key(j, "kind");
	cs_json_str(j, cs_k8s_ctr_kind_name(r->c->kind));
	cs_json_key(j, "pod");
	cs_json_str(j, r->pod->name ? r->pod->name : "");
	cs_json_key(j, "admission");
	cs_json_obj_begin(j);
	cs_json_key(j, "scc");
	cs_json_str(j, r->scc_name); /* null when absent */
	cs_json_key(j, "admitted");
	cs_json_bool(j, r->admitted);
	cs_json_key(j, "reason");
	cs_json_str(j, r->reason);
	cs_json_key(j, "pod_security");
	cs_json_str(j, cs_psa_level_name(psa->level));
	cs_json_key(j, "requested");
	json_sc(j, &r->req);
	cs_json_key(j, "after");
	json_sc(j, &r->adm);
	cs_json_obj_end(j);
	cs_json_key(j, "oci");
	if (r->oci_ok) {
		cs_json_obj_begin(j);
		cs_json_key(j, "uid");
		cs_json_uint(j, r->oci.uid);
		cs_json_key(j, "gid");
		cs_json_uint(j, r->oci.gid);
		cs_json_key(j, "additional_gids");
		cs_json_arr_begin(j);
		for (size_t k = 0; k < r->oci.n_additional_gids; k++)
			cs_json_uint(j, r->oci.additional_gids[k]);
		cs_json_arr_end(j);
		cs_json_key(j, "user_namespace");
		cs_json_bool(j, r->oci.user_namespace);
		cs_json_key(j, "no_new_privs");
		cs_json_bool(j, r->oci.no_new_privileges);
		cs_json_key(j, "caps");
		cs_json_caps(j, &r->oci.caps);
		cs_json_obj_end(j);
	} else {
		cs_json_null(j);
	}
	cs_json_key(j, "exec");
	cs_json_obj_begin(j);
	cs_json_key(j, "ok");
	cs_json_bool(j, r->exec_ok);
	cs_json_key(j, "error");
	if (r->exec_ok)
		cs_json_null(j);
	else
		cs_json_str(j, r->exec_error[0] ? r->exec_error : "?");
	cs_json_key(j, "path");
	cs_json_str(j, r->f.path);
	cs_json_obj_end(j);
	cs_json_key(j, "process");
	if (r->exec_ok)
		cs_explain_json_cred(j, &r->post);
	else
		cs_json_null(j);
	cs_json_key(j, "helper");
	if (r->helper) {
		cs_json_obj_begin(j);
		cs_json_key(j, "what");
		cs_json_str(j, r->helper_what);
		cs_json_key(j, "ok");
		cs_json_bool(j, r->helper_ok);
		cs_json_key(j, "error");
		if (r->helper_ok)
			cs_json_null(j);
		else
			cs_json_str(j, r->helper_error);
		cs_json_key(j, "path");
		cs_json_str(j, r->hf.path);
		cs_json_key(j, "process");
		if (r->helper_ok)
			cs_explain_json_cred(j, &r->hpost);
		else
			cs_json_null(j);
		cs_json_obj_end(j);
	} else {
		cs_json_null(j);
	}
	cs_json_key(j, "checks");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < r->n_checks; i++) {
		cs_json_obj_begin(j);
		cs_json_key(j, "check");
		cs_json_str(j, r->checks[i].check);
		cs_json_key(j, "ok");
		cs_json_bool(j, r->checks[i].ok);
		cs_json_key(j, "why");
		cs_json_str(j, r->checks[i].why);
		cs_json_obj_end(j);
	}
	cs_json_arr_end(j);
	cs_json_key(j, "verdicts");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < r->n_verdicts; i++) {
		cs_json_obj_begin(j);
		cs_json_key(j, "capability");
		cs_json_str(j, r->verdicts[i].name);
		cs_json_key(j, "effective");
		cs_json_bool(j, r->verdicts[i].ok);
		cs_json_key(j, "why");
		cs_json_str(j, r->verdicts[i].text);
		cs_json_obj_end(j);
	}
	cs_json_arr_end(j);
	cs_json_key(j, "steps");
	cs_explain_json_steps(j, &r->st);
	cs_json_key(j, "remedies");
	pod_remedies_json(j, r, &s->o);
	cs_json_obj_end(j);
}

static int run(struct state *s)
{
	struct cs_json j;
	int bad = 0;
	const struct cs_scc **sccs = NULL;
	size_t n_sccs = 0;

	if (s->use_scc) {
		sccs = calloc(s->sm.n_sccs + s->m.n_sccs + 1, sizeof(*sccs));
		if (!sccs)
			return cs_err(CMD, "out of memory");
		for (size_t i = 0; i < s->sm.n_sccs; i++)
			sccs[n_sccs++] = &s->sm.sccs[i];
		for (size_t i = 0; i < s->m.n_sccs; i++)
			sccs[n_sccs++] = &s->m.sccs[i];
	}
	if (s->json) {
		cs_json_init(&j, stdout, false);
		cs_json_obj_begin(&j);
		cs_json_key(&j, "containers");
		cs_json_arr_begin(&j);
	}
	for (size_t pi = 0; pi < s->m.n_pods; pi++) {
		const struct cs_k8s_pod *pod = &s->m.pods[pi];
		struct cs_scc_result sr;
		struct cs_scc_opts so = {.uid_range_start = s->o.uid_start,
					 .uid_range_size = s->o.uid_size,
					 .granted = s->o.openshift ? s->granted : NULL,
					 .n_granted = s->n_granted};
		struct cs_steps podsteps;
		struct cs_psa_result psa;
		struct pod_ctr *rs = calloc(pod->n_containers + 1, sizeof(*rs));

		memset(&sr, 0, sizeof(sr));
		cs_steps_init(&podsteps);
		if (!rs || (s->use_scc && cs_scc_admit(pod, (const struct cs_scc *const *)sccs,
						      n_sccs, &so, &sr, &podsteps) < 0)) {
			free(rs);
			free(sccs);
			return cs_err(CMD, "out of memory");
		}
		cs_psa_evaluate(pod, s->use_scc && sr.admitted ? sr.sc : NULL, &psa);
		cs_steps_add(&podsteps, "pod", "psa.level",
			     "Pod Security level %s%s%s%s%s", cs_psa_level_name(psa.level),
			     psa.baseline_fail[0] ? "; not baseline: " : "", psa.baseline_fail,
			     psa.restricted_fail[0] ? "; not restricted: " : "", psa.restricted_fail);
		if (!s->json) {
			printf("%s%s %s%s (%s:%u)\n", cs_color(stdout, "\033[1m"), pod->kind,
			       pod->name ? pod->name : "(unnamed)", cs_color(stdout, "\033[0m"),
			       pod->file ? pod->file : "-", pod->pos.line);
			printf("  Pod Security: %s", cs_psa_level_name(psa.level));
			if (psa.level < CS_PSA_RESTRICTED)
				printf(" (not %s: %s)",
				       psa.level == CS_PSA_PRIVILEGED ? "baseline" : "restricted",
				       psa.level == CS_PSA_PRIVILEGED ? psa.baseline_fail
								      : psa.restricted_fail);
			printf("\n");
			if (s->use_scc) {
				printf("  SCC admission: %s\n", sr.reason);
				for (size_t k = 0; k < sr.n_attempts; k++)
					printf("    %-18s %s\n", sr.attempts[k].scc->name,
					       sr.attempts[k].ok ? "chosen" : sr.attempts[k].reason);
			} else {
				printf("  SCC admission: not modelled (use --openshift or --scc)\n");
			}
		}
		for (size_t i = 0; i < pod->n_containers; i++) {
			struct pod_ctr *r = &rs[i];

			run_container(s, pod, i, &sr, &podsteps, r);
			if (!r->admitted || !r->exec_ok || r->missing)
				bad = 1;
			for (size_t k = 0; k < r->n_checks; k++)
				if (!r->checks[k].ok)
					bad = 1;
			if (r->st.error)
				bad = 2;
			if (s->json)
				json_container(s, &j, r, &psa);
			else
				text_container(s, r);
			cs_steps_free(&r->st);
		}
		if (!s->json)
			printf("\n");
		free(rs);
		cs_steps_free(&podsteps);
		cs_scc_result_free(&sr);
	}
	free(sccs);
	if (s->json) {
		cs_json_arr_end(&j);
		cs_json_obj_end(&j);
		if (cs_json_finish(&j) < 0)
			return cs_finish_stdout(CMD, CS_EXIT_FAIL);
	}
	if (bad == 2)
		return cs_err(CMD, "out of memory");
	return cs_finish_stdout(CMD, bad ? CS_EXIT_FAIL : 0);
}

/* The image's own config (--image) as --image-config would give it. */
static int config_from_image(struct state *s)
{
	const struct cs_image_info *in = cs_image_get_info(s->image);
	size_t ne = 0, nc = 0;

	while (in->entrypoint && in->entrypoint[ne])
		ne++;
	while (in->cmd && in->cmd[nc])
		nc++;
	s->img_argv = calloc(ne + nc + 1, sizeof(*s->img_argv));
	if (!s->img_argv)
		return cs_err(CMD, "out of memory");
	for (size_t i = 0; i < ne; i++)
		s->img_argv[i] = in->entrypoint[i];
	for (size_t i = 0; i < nc; i++)
		s->img_argv[ne + i] = in->cmd[i];
	s->img.user = in->user;
	s->img.entrypoint.v = s->img_argv;
	s->img.entrypoint.n = ne;
	s->img.cmd.v = s->img_argv + ne;
	s->img.cmd.n = nc;
	s->img.path_env = in->path_env;
	s->img_loaded = true;
	return 0;
}

int cmd_explain_pod(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"scc", required_argument, NULL, 's'},
		{"openshift", no_argument, NULL, 'O'},
		{"use", required_argument, NULL, 'u'},
		{"uid-range", required_argument, NULL, 'U'},
		{"runtime", required_argument, NULL, 'r'},
		{"runtime-caps", required_argument, NULL, 'P'},
		{"crio-config", required_argument, NULL, 'C'},
		{"rootfs", required_argument, NULL, 'R'},
		{"image-config", required_argument, NULL, 'I'},
		{"image", required_argument, NULL, 'M'},
		{"check", required_argument, NULL, 'c'},
		{"json", no_argument, NULL, 'j'},
		{"caller", required_argument, NULL, 'K'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	static struct state s; /* large; one per process */
	const char *sccs[MAX_FILES], *uses[MAX_FILES], *crio_cfg = NULL, *img_cfg = NULL,
		   *image = NULL;
	size_t n_sccs = 0, n_uses = 0;
	struct cs_diag d;
	int c, rc = 0;

	memset(&s, 0, sizeof(s));
	s.o.runtime = CS_CRI_CRIO;
	cs_cri_target_default(CS_CRI_CRIO, &s.target);
	s.o.uid_start = 1000660000;
	s.o.uid_size = 10000;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (n_sccs == MAX_FILES)
				return cs_usage_err(CMD, "too many --scc");
			sccs[n_sccs++] = optarg;
			break;
		case 'O':
			s.o.openshift = true;
			break;
		case 'u':
			if (n_uses == MAX_FILES)
				return cs_usage_err(CMD, "too many --use");
			uses[n_uses++] = optarg;
			break;
		case 'U':
			if (parse_range(optarg, &s.o.uid_start, &s.o.uid_size) < 0)
				return cs_usage_err(CMD, "--uid-range wants START/SIZE, e.g. 1000660000/10000, not '%s'",
						    optarg);
			break;
		case 'r':
			if (cs_cri_target_parse(optarg, &s.target, &d) < 0)
				return cs_usage_err(CMD, "%s", d.message);
			s.o.runtime = s.target.rt;
			break;
		case 'P':
			if (cs_cri_runtime_caps_parse(optarg, &s.target, &d) < 0)
				return cs_usage_err(CMD, "--runtime-caps: %s", d.message);
			break;
		case 'C':
			crio_cfg = optarg;
			break;
		case 'R':
			s.o.rootfs = optarg;
			s.o.rootfs_given = true;
			break;
		case 'I':
			img_cfg = optarg;
			break;
		case 'M':
			image = optarg;
			break;
		case 'c': {
			char *e;
			long p;

			if (strncmp(optarg, "bind:", 5) != 0)
				return cs_usage_err(CMD, "--check takes bind:PORT, not '%s'", optarg);
			errno = 0;
			p = strtol(optarg + 5, &e, 10);
			if (e == optarg + 5 || *e || errno || p < 1 || p > 65535)
				return cs_usage_err(CMD, "--check bind:PORT needs a port 1-65535, not '%s'",
						    optarg + 5);
			if (s.n_ports == POD_MAX_CHECKS)
				return cs_usage_err(CMD, "too many --check");
			s.ports[s.n_ports++] = (int)p;
			break;
		}
		case 'j':
			s.json = true;
			break;
		case 'K':
			if (!strcmp(optarg, "self"))
				s.caller_self = true;
			else if (!strcmp(optarg, "root"))
				s.caller_self = false;
			else
				return cs_usage_err(CMD, "--caller takes 'self' or 'root', not '%s'", optarg);
			break;
		case 'h':
			fputs(help, stdout);
			return cs_finish_stdout(CMD, 0);
		default:
			return cs_bad_option(CMD, c, optopt, argv, optind);
		}
	}
	if (optind == argc)
		return cs_usage_err(CMD, "missing FILE");
	if (image && s.o.rootfs)
		return cs_usage_err(CMD, "--image and --rootfs both name the image: give one");
	if (crio_cfg && s.o.runtime != CS_CRI_CRIO)
		return cs_usage_err(CMD, "--crio-config goes with --runtime crio");
	cs_k8s_manifest_init(&s.m);
	cs_k8s_manifest_init(&s.sm);
	if (s.caller_self) {
		memset(&d, 0, sizeof(d));
		if (cs_cred_read_self(&s.self, &d) < 0)
			return cs_diag_err(CMD, "reading own credentials", &d);
	}
	if (s.o.rootfs) {
		struct stat sb;

		if (stat(s.o.rootfs, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
			rc = cs_usage_err(CMD, "--rootfs %s: not a directory", s.o.rootfs);
			goto out;
		}
	}
	cs_crio_config_default(&s.crio);
	if (crio_cfg) {
		memset(&d, 0, sizeof(d));
		if (cs_crio_config_load(&s.crio, crio_cfg, &d) < 0) {
			rc = cs_diag_err(CMD, NULL, &d);
			goto out;
		}
		s.crio_loaded = true;
	}
	if (image) {
		memset(&d, 0, sizeof(d));
		if (cs_image_open(image, NULL, &s.image, &d) < 0) {
			if (!d.file[0])
				snprintf(d.file, sizeof(d.file), "%s", image);
			rc = cs_diag_err(CMD, "--image", &d);
			goto out;
		}
		s.o.rootfs_given = true;
		if (cs_image_get_info(s.image)->nnotes)
			fprintf(stderr,
				"capscope " CMD ": warning: %s: %zu entries of the image were ignored "
				"or adjusted while reading it ('capscope scan %s' lists them)\n",
				image, cs_image_get_info(s.image)->nnotes, image);
		if (!img_cfg && (rc = config_from_image(&s)) != 0)
			goto out;
	}
	if (img_cfg) {
		memset(&d, 0, sizeof(d));
		if (cs_image_config_load(&s.m, img_cfg, &s.img, &d) < 0) {
			rc = cs_diag_err(CMD, NULL, &d);
			goto out;
		}
		s.img_loaded = true;
	}
	if (s.o.openshift) {
		for (size_t i = 0; i < sizeof(builtin_sccs) / sizeof(builtin_sccs[0]); i++)
			if ((rc = load_scc(&s, builtin_sccs[i], false)) != 0)
				goto out;
		s.granted[s.n_granted++] = "restricted-v2";
	}
	for (size_t i = 0; i < n_sccs; i++) {
		/* A built-in name already loaded by --openshift is only granted. */
		bool dup = false;

		for (size_t k = 0; s.o.openshift && k < s.sm.n_sccs; k++)
			if (!strcmp(s.sm.sccs[k].name, sccs[i]) && !strchr(sccs[i], '/')) {
				s.granted[s.n_granted++] = s.sm.sccs[k].name;
				dup = true;
			}
		if (!dup && (rc = load_scc(&s, sccs[i], true)) != 0)
			goto out;
	}
	for (size_t i = 0; i < n_uses && s.n_granted < MAX_FILES; i++)
		s.granted[s.n_granted++] = uses[i];
	s.use_scc = s.o.openshift || n_sccs > 0;
	for (int i = optind; i < argc; i++) {
		memset(&d, 0, sizeof(d));
		if (cs_k8s_load(&s.m, argv[i], &d) < 0) {
			rc = cs_diag_err(CMD, NULL, &d);
			goto out;
		}
	}
	/* SCCs in the pod files join the candidates, granted (the article's layout). */
	for (size_t i = 0; i < s.m.n_sccs && s.n_granted < MAX_FILES; i++)
		s.granted[s.n_granted++] = s.m.sccs[i].name;
	s.use_scc = s.use_scc || s.m.n_sccs > 0;
	if (s.m.n_pods == 0) {
		rc = cs_err(CMD, "no Pod or workload with a pod template in %s", argv[optind]);
		goto out;
	}
	rc = run(&s);
out:
	cs_k8s_manifest_free(&s.m);
	cs_k8s_manifest_free(&s.sm);
	cs_image_close(s.image);
	free(s.img_argv);
	return rc;
}
