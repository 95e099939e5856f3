/* SPDX-License-Identifier: MIT */
/*
 * capscope explain pod FILE: the whole path of a container's credentials —
 * manifest → SCC admission → container runtime → OCI process → runc →
 * execve — per container, with a verdict per requested capability and
 * remedies ranked by risk.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/internal/cleanup.h"
#include "capscope/cri.h"
#include "capscope/explain.h"
#include "capscope/proc.h"
#include "capscope/scan.h"
#include "capscope/scc.h"
#include "explain-pod.h"
#include "explain.h"
#include "output.h"

#define CMD	  "explain pod"
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
    "  --runtime NAME       crio (default), containerd or docker\n"
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

#define MAX_CHECKS 16

/* What the options say. */
struct pod_opts {
	enum cs_cri_runtime runtime;
	const char *rootfs;
	bool openshift;
	uint32_t uid_start, uid_size;
};

struct state {
	struct pod_opts o;
	struct cs_k8s_manifest m;  /* pods */
	struct cs_k8s_manifest sm; /* SCCs */
	struct cs_crio_config crio;
	bool crio_loaded;
	struct cs_image_config img;
	bool img_loaded;
	struct cs_image *image; /* --image */
	const char **img_argv;	/* img.entrypoint and img.cmd when they come from --image */
	const char *granted[MAX_FILES + 1];
	size_t n_granted;
	bool use_scc;
	int ports[MAX_CHECKS];
	size_t n_ports;
	bool json;
	bool caller_self;
	struct cs_cred self;
};

/* A candidate path if it exists (heap), else NULL. */
__attribute__((format(printf, 1, 2))) static char *existing(const char *fmt, ...)
{
	va_list ap;
	char *p = NULL;
	struct stat sb;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	if (stat(p, &sb) == 0)
		return p;
	free(p);
	return NULL;
}

/* Where built-in SCCs live: $CAPSCOPE_DATADIR, next to the binary in the
 * source tree (build/capscope → data/), the install prefix, the configured
 * datadir. A heap path, or NULL. */
static char *builtin_scc_path(const char *name)
{
	char exe[PATH_MAX], *out = NULL;
	const char *env = getenv("CAPSCOPE_DATADIR");
	ssize_t n;

	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return NULL;
	if (env && (out = existing("%s/scc/%s.yaml", env, name)))
		return out;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');

		if (slash) {
			*slash = '\0';
			if ((out = existing("%s/../data/scc/%s.yaml", exe, name)) ||
			    (out = existing("%s/../share/capscope/scc/%s.yaml", exe, name)))
				return out;
		}
	}
	return existing("%s/scc/%s.yaml", CAPSCOPE_DATADIR, name);
}

static const char *const builtin_sccs[] = {
    "restricted-v2",  "restricted",  "nonroot-v2",	 "nonroot",    "anyuid",
    "hostnetwork-v2", "hostnetwork", "hostmount-anyuid", "hostaccess", "privileged"};

static int load_scc(struct state *s, const char *arg, bool grant)
{
	struct cs_diag d = {0};
	cs_cleanup_free char *path = NULL;
	struct stat sb;
	size_t before = s->sm.n_sccs;
	int r;

	if (stat(arg, &sb) == 0 || strchr(arg, '/'))
		path = strdup(arg);
	else if (!(path = builtin_scc_path(arg)))
		return cs_usage_err(CMD, "--scc %s: no such file and no built-in SCC of that name",
				    arg);
	if (!path)
		return cs_err(CMD, "out of memory");
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

struct run_ctx {
	const struct state *s;
	struct cs_json *j;
	int bad;
};

static int on_container(const struct cs_pod_explain_result *pod, const struct cs_pod_ctr_result *c,
			void *data)
{
	struct run_ctx *x = data;

	if (c->index == 0 && !x->s->json)
		pod_text_header(pod);
	if (!cs_pod_ctr_ok(c))
		x->bad = 1;
	if (x->s->json)
		cs_pod_ctr_explain_json(x->j, pod, c);
	else
		pod_text_container(pod, c, x->s->o.runtime);
	return 0;
}

static int run(struct state *s)
{
	struct cs_json j;
	struct run_ctx x = {.s = s, .j = &j};
	cs_cleanup_free const struct cs_scc **sccs = NULL;
	size_t n_sccs = 0;
	struct cs_pod_explain_opts o = {
	    .runtime = s->o.runtime,
	    .crio = s->crio_loaded ? &s->crio : NULL,
	    .use_scc = s->use_scc,
	    .granted = s->o.openshift ? s->granted : NULL,
	    .n_granted = s->n_granted,
	    .uid_range_start = s->o.uid_start,
	    .uid_range_size = s->o.uid_size,
	    .image_config = s->img_loaded ? &s->img : NULL,
	    .rootfs = s->o.rootfs,
	    .image = s->image,
	    .ports = s->ports,
	    .n_ports = s->n_ports,
	    .caller = s->caller_self ? &s->self : NULL,
	    .on_container = on_container,
	    .data = &x,
	};

	if (s->use_scc) {
		sccs = calloc(s->sm.n_sccs + s->m.n_sccs + 1, sizeof(*sccs));
		if (!sccs)
			return cs_err(CMD, "out of memory");
		for (size_t i = 0; i < s->sm.n_sccs; i++)
			sccs[n_sccs++] = &s->sm.sccs[i];
		for (size_t i = 0; i < s->m.n_sccs; i++)
			sccs[n_sccs++] = &s->m.sccs[i];
		o.sccs = (const struct cs_scc *const *)sccs;
		o.n_sccs = n_sccs;
	}
	if (s->json) {
		cs_json_init(&j, stdout, false);
		cs_json_obj_begin(&j);
		cs_json_key(&j, "containers");
		cs_json_arr_begin(&j);
	}
	for (size_t pi = 0; pi < s->m.n_pods; pi++) {
		struct cs_pod_explain_result *res = NULL;
		struct cs_diag d = {0};

		if (cs_pod_explain(&s->m.pods[pi], &o, &res, &d) < 0)
			return cs_diag_err(CMD, NULL, &d);
		if (!s->json && s->m.pods[pi].n_containers == 0)
			pod_text_header(res);
		if (!s->json)
			printf("\n");
		cs_pod_explain_free(res);
	}
	cs_esc_release();
	if (s->json) {
		cs_json_arr_end(&j);
		cs_json_obj_end(&j);
		if (cs_json_finish(&j) < 0)
			return cs_finish_stdout(CMD, CS_EXIT_FAIL);
	}
	return cs_finish_stdout(CMD, x.bad ? CS_EXIT_FAIL : 0);
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
	struct state s;
	const char *sccs[MAX_FILES], *uses[MAX_FILES], *crio_cfg = NULL, *img_cfg = NULL,
						       *image = NULL;
	size_t n_sccs = 0, n_uses = 0;
	struct cs_diag d;
	int c, rc = 0;

	memset(&s, 0, sizeof(s));
	s.o.runtime = CS_CRI_CRIO;
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
				return cs_usage_err(
				    CMD,
				    "--uid-range wants START/SIZE, e.g. 1000660000/10000, not '%s'",
				    optarg);
			break;
		case 'r':
			if (!strcmp(optarg, "crio") || !strcmp(optarg, "cri-o"))
				s.o.runtime = CS_CRI_CRIO;
			else if (!strcmp(optarg, "containerd"))
				s.o.runtime = CS_CRI_CONTAINERD;
			else if (!strcmp(optarg, "docker") || !strcmp(optarg, "moby"))
				s.o.runtime = CS_CRI_DOCKER;
			else
				return cs_usage_err(
				    CMD, "--runtime takes crio, containerd or docker, not '%s'",
				    optarg);
			break;
		case 'C':
			crio_cfg = optarg;
			break;
		case 'R':
			s.o.rootfs = optarg;
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
				return cs_usage_err(CMD, "--check takes bind:PORT, not '%s'",
						    optarg);
			errno = 0;
			p = strtol(optarg + 5, &e, 10);
			if (e == optarg + 5 || *e || errno || p < 1 || p > 65535)
				return cs_usage_err(
				    CMD, "--check bind:PORT needs a port 1-65535, not '%s'",
				    optarg + 5);
			if (s.n_ports == MAX_CHECKS)
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
				return cs_usage_err(
				    CMD, "--caller takes 'self' or 'root', not '%s'", optarg);
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
		if (cs_image_get_info(s.image)->nnotes)
			fprintf(stderr,
				"capscope " CMD
				": warning: %s: %zu entries of the image were ignored "
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
