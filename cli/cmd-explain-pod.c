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
#include "capscope/image-ref.h"
#include "capscope/html.h"
#include "capscope/number.h"
#include "capscope/proc.h"
#include "capscope/scan.h"
#include "capscope/scc.h"
#include "capscope/scc-load.h"
#include "capscope/userns.h"
#include "commands.h"
#include "explain-pod.h"
#include "explain.h"
#include "html-guard.h"
#include "output.h"
#include "unknown-fields.h"

#define CMD	  "explain pod"
#define MAX_FILES 64

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
	struct cs_k8s_manifest m; /* pods */
	struct cs_scc_set sc;
	struct cs_crio_config crio;
	bool crio_loaded;
	struct cs_docker_config docker;		/* --docker-config */
	struct cs_containerd_config containerd; /* --containerd-config */
	struct cs_cri_target target;		/* --runtime NAME@VERSION, --runtime-caps */
	struct cs_image_config img;
	bool img_loaded;
	struct cs_image_map images; /* --image ARCHIVE or --image REF=ARCHIVE... */
	bool use_scc;
	int ports[MAX_CHECKS];
	size_t n_ports;
	bool json;
	const char *html; /* --html FILE */
	bool caller_self;
	struct cs_cred self;
	uint32_t userns_base;			 /* --userns-base, 0: the default */
	struct cs_kubelet_unsafe_sysctls unsafe; /* --allowed-unsafe-sysctls */
};

struct run_ctx {
	const struct state *s;
	struct cs_json *j;
	struct cs_html *html;
	int bad; /* the exit status: 1 a container fails, 2 one is not modelled */
};

static int on_container(const struct cs_pod_explain_result *pod, const struct cs_pod_ctr_result *c,
			void *data)
{
	struct run_ctx *x = data;

	if (c->index == 0 && !x->s->json && pod_text_header(pod) < 0)
		return -ENOMEM; /* "out of memory" (cs_pod_explain) */
	x->bad = x->bad ? x->bad : !cs_pod_ctr_ok(c) ? CS_EXIT_FINDINGS : 0;
	if (c->not_modelled) /* past the model's 256 groups: the others still are */
		x->bad = pod_not_modelled(pod, c);
	if (x->s->json)
		cs_pod_ctr_explain_json(x->j, pod, c);
	else
		pod_text_container(pod, c, x->s->o.runtime);
	if (x->html && cs_html_pod_container(x->html, pod, c) < 0)
		return -ENOMEM; /* "out of memory"; the page is discarded */
	return 0;
}

/* A run stopped after containers were written: whole JSON that says why, as stderr. */
static void json_stopped(struct cs_json *j, const struct cs_diag *d)
{
	char buf[800];

	cs_diag_format(d, buf, sizeof(buf));
	cs_json_arr_end(j);
	cs_json_key(j, "error");
	cs_json_str(j, buf);
	cs_json_obj_end(j);
	cs_json_finish(j);
}

static int run(struct state *s)
{
	struct cs_json j;
	struct run_ctx x = {.s = s, .j = &j};
	cs_cleanup_free const struct cs_scc **sccs = NULL;
	size_t n_sccs = 0;
	struct cs_diag d0 = {0};
	struct cs_pod_explain_opts o = {
	    .runtime = s->o.runtime,
	    .target = &s->target,
	    .crio = s->crio_loaded ? &s->crio : NULL,
	    /* Its text and page print one level's reasons (and the step). */
	    .psa_next_only = true,
	    .use_scc = s->use_scc,
	    .granted = s->o.openshift ? s->sc.granted : NULL,
	    .n_granted = s->sc.n_granted,
	    .uid_range_start = s->o.uid_start,
	    .uid_range_size = s->o.uid_size,
	    .userns_base = s->userns_base,
	    .unsafe_sysctls = s->unsafe.v,
	    .n_unsafe_sysctls = s->unsafe.n,
	    .image_config = s->img_loaded	  ? &s->img
			    : s->images.all_image ? cs_image_get_info(s->images.all_image)->config
						  : NULL,
	    .rootfs = s->o.rootfs,
	    .image = s->images.all_image,
	    .images = s->images.n ? &s->images : NULL,
	    .ports = s->ports,
	    .n_ports = s->n_ports,
	    .caller = s->caller_self ? &s->self : NULL,
	    .on_container = on_container,
	    .data = &x,
	};

	if (s->use_scc) {
		if (cs_scc_set_candidates(&s->sc, &s->m, &sccs, &n_sccs, &d0) < 0)
			return cs_diag_err(CMD, NULL, &d0);
		o.sccs = (const struct cs_scc *const *)sccs;
		o.n_sccs = n_sccs;
	}
	/* Before any output: an error then leaves no partial JSON or report. */
	if (cs_pod_explain_check_files(&o, &d0) < 0)
		return cs_diag_err(CMD, NULL, &d0);
	if (s->html && html_guard_open(s->html, "capscope explain pod", &x.html, &d0) < 0)
		return cs_diag_err(CMD, "--html", &d0);
	if (s->json) {
		cs_json_init(&j, stdout, false);
		cs_json_obj_begin(&j);
		cs_json_key(&j, "containers");
		cs_json_arr_begin(&j);
	}
	for (size_t pi = 0; pi < s->m.n_pods; pi++) {
		struct cs_pod_explain_result *res = NULL;
		struct cs_diag d = {0};

		if (cs_pod_explain(&s->m.pods[pi], &o, &res, &d) < 0) {
			html_guard_discard(x.html);
			if (s->json)
				json_stopped(&j, &d);
			return cs_diag_err(CMD, NULL, &d);
		}
		if (!s->json && s->m.pods[pi].n_containers == 0 && pod_text_header(res) < 0) {
			cs_pod_explain_free(res);
			html_guard_discard(x.html); /* its temporary file too (nineteenth pass) */
			return cs_err(CMD, "out of memory");
		}
		if (!s->json)
			printf("\n");
		cs_pod_explain_free(res);
	}
	cs_esc_release();
	if (html_guard_close(x.html, &d0) < 0)
		return cs_diag_err(CMD, "--html", &d0);
	if (s->json) {
		cs_json_arr_end(&j);
		cs_json_obj_end(&j);
		int werr = cs_json_finish(&j);
		return cs_finish_stdout_err(CMD, werr < 0 ? CS_EXIT_ERROR : x.bad, werr);
	}
	return cs_finish_stdout(CMD, x.bad);
}

/* The command line, parsed. */
struct args {
	const char *sccs[MAX_FILES], *uses[MAX_FILES];
	size_t n_sccs, n_uses;
	const char *crio_cfg, *img_cfg, *docker_cfg, *containerd_cfg;
	bool uid_range; /* --uid-range given */
	bool stop;	/* --help or a usage error: return rc */
	enum cs_k8s_validate validate;
};

static int parse_check(struct state *s, const char *arg)
{
	uint32_t p;

	if (strncmp(arg, "bind:", 5) != 0)
		return cs_usage_err(CMD, "--check takes bind:PORT, not '%s'", arg);
	if (cs_parse_u32(arg + 5, 65535, &p) < 0 || p < 1)
		return cs_usage_err(CMD, "--check bind:PORT needs a port 1-65535, not '%s'",
				    arg + 5);
	if (s->n_ports == MAX_CHECKS)
		return cs_usage_err(CMD, "too many --check");
	s->ports[s->n_ports++] = (int)p;
	return 0;
}

static int parse_option(int c, struct state *s, struct args *a)
{
	struct cs_diag d = {0};

	switch (c) {
	case 's':
		if (a->n_sccs == MAX_FILES)
			return cs_usage_err(CMD, "too many --scc");
		a->sccs[a->n_sccs++] = optarg;
		return 0;
	case 'O':
		s->o.openshift = true;
		return 0;
	case 'u':
		if (a->n_uses == MAX_FILES)
			return cs_usage_err(CMD, "too many --use");
		a->uses[a->n_uses++] = optarg;
		return 0;
	case 'U':
		if (cs_parse_id_range(optarg, &s->o.uid_start, &s->o.uid_size) < 0)
			return cs_usage_err(
			    CMD, "--uid-range wants START/SIZE, e.g. 1000660000/10000, not '%s'",
			    optarg);
		a->uid_range = true;
		return 0;
	case 'A':
		return cs_unsafe_sysctls_opt(CMD, &s->unsafe, optarg);
	case 'B':
		return cs_userns_base_parse(optarg, &s->userns_base, &d) < 0
			   ? cs_usage_err(CMD, "--userns-base: %s", d.message)
			   : 0;
	case 'r':
		if (cs_cri_target_parse(optarg, &s->target, &d) < 0)
			return cs_usage_err(CMD, "%s", d.message);
		s->o.runtime = s->target.rt;
		return 0;
	case 'P':
		return cs_cri_runtime_caps_parse(optarg, &s->target, &d) < 0
			   ? cs_usage_err(CMD, "--runtime-caps: %s", d.message)
			   : 0;
	case 'C':
		a->crio_cfg = optarg;
		return 0;
	case 'V':
		return cs_validate_parse(CMD, optarg, &a->validate);
	case 'D':
		a->docker_cfg = optarg;
		return 0;
	case 'N':
		a->containerd_cfg = optarg;
		return 0;
	case 'R':
		s->o.rootfs = optarg;
		return 0;
	case 'I':
		a->img_cfg = optarg;
		return 0;
	case 'M': /* out of memory is no usage error (no "Try --help") */
		return cs_image_map_add(&s->images, optarg, &d) == 0 ? 0
		       : d.message[0] ? cs_usage_err(CMD, "%s", d.message)
				      : cs_err(CMD, "out of memory");
	case 'c':
		return parse_check(s, optarg);
	case 'j':
		s->json = true;
		return 0;
	case 'W':
		s->html = optarg;
		return 0;
	case 'K':
		if (strcmp(optarg, "self") && strcmp(optarg, "root"))
			return cs_usage_err(CMD, "--caller takes 'self' or 'root', not '%s'",
					    optarg);
		s->caller_self = !strcmp(optarg, "self");
		return 0;
	default:
		return -1;
	}
}

static int parse_args(int argc, char **argv, struct state *s, struct args *a)
{
	static const struct option longopts[] = {
	    {"scc", required_argument, NULL, 's'},
	    {"openshift", no_argument, NULL, 'O'},
	    {"use", required_argument, NULL, 'u'},
	    {"uid-range", required_argument, NULL, 'U'},
	    {"runtime", required_argument, NULL, 'r'},
	    {"userns-base", required_argument, NULL, 'B'},
	    {"allowed-unsafe-sysctls", required_argument, NULL, 'A'},
	    {"runtime-caps", required_argument, NULL, 'P'},
	    {"crio-config", required_argument, NULL, 'C'},
	    {"docker-config", required_argument, NULL, 'D'},
	    {"containerd-config", required_argument, NULL, 'N'},
	    {"rootfs", required_argument, NULL, 'R'},
	    {"image-config", required_argument, NULL, 'I'},
	    {"image", required_argument, NULL, 'M'},
	    {"check", required_argument, NULL, 'c'},
	    {"json", no_argument, NULL, 'j'},
	    {"caller", required_argument, NULL, 'K'},
	    {"html", required_argument, NULL, 'W'},
	    {"validate", required_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	unsigned long long seen = 0;
	int c, rc;

	a->stop = true;
	opterr = 0;
	optind = 1;
	while ((c = cs_getopt(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(explain_pod_help, stdout);
			return cs_finish_stdout(CMD, 0);
		}
		if ((rc = cs_opt_once(CMD, c, longopts, &seen, "suMcA")))
			return rc;
		rc = parse_option(c, s, a);
		if (rc < 0)
			return cs_bad_option(CMD, c, optopt, argv, optind, longopts);
		if (rc > 0)
			return rc;
	}
	if (optind == argc)
		return cs_usage_err(CMD, "missing FILE");
	if ((s->images.all || s->images.n) && s->o.rootfs)
		return cs_usage_err(CMD, "--image and --rootfs both name the image: give one");
	if (s->images.n && a->img_cfg)
		return cs_usage_err(CMD, "--image-config is one image's config: not with "
					 "--image REF=ARCHIVE (each image's own config is used)");
	if (a->crio_cfg && s->o.runtime != CS_CRI_CRIO)
		return cs_usage_err(CMD, "--crio-config goes with --runtime crio");
	if (a->docker_cfg && (s->o.runtime != CS_CRI_DOCKER || s->target.major != 20))
		return cs_usage_err(CMD,
				    "--docker-config reads daemon.json as dockerd 20.10 does: it "
				    "goes with --runtime docker@20.10 (later releases have "
				    "other keys)");
	if (a->containerd_cfg && s->o.runtime != CS_CRI_CONTAINERD)
		return cs_usage_err(CMD, "--containerd-config goes with --runtime containerd");
	a->stop = false;
	return 0;
}

/* --image (and its config unless --image-config), then --image-config. */
static int load_image(struct state *s, const struct args *a)
{
	struct cs_diag d = {0};

	if (cs_image_map_open(&s->images, NULL, &d) < 0)
		return cs_diag_err(CMD, "--image", &d);
	for (size_t i = 0; i <= s->images.n; i++) {
		const struct cs_image *im =
		    i < s->images.n ? s->images.v[i].image : s->images.all_image;
		const char *path = i < s->images.n ? s->images.v[i].archive : s->images.all;

		/* Through cs_err, the one escaping rule (escape.h): the archive's
		 * name may be anyone's (a glob of a shared directory), and was
		 * written raw here, ESC and a line break with it (pass 24). */
		if (im && cs_image_get_info(im)->nnotes)
			(void)cs_err(CMD,
				     "warning: %s: %zu entries of the image were ignored or "
				     "adjusted while reading it ('capscope scan %s' lists them)",
				     path, cs_image_get_info(im)->nnotes, path);
	}
	if (a->img_cfg) {
		if (cs_image_config_load(a->img_cfg, &s->img, &d) < 0)
			return cs_diag_err(CMD, "--image-config", &d);
		s->img_loaded = true;
	}
	return 0;
}

/* Everything but the pod files: own credentials, rootfs, crio.conf, image, SCCs. */
static int load_context(struct state *s, const struct args *a)
{
	struct cs_diag d = {0};
	int rc;

	if (s->caller_self && cs_cred_read_self(&s->self, &d) < 0)
		return cs_diag_err(CMD, "reading own credentials", &d);
	if (s->o.rootfs && (rc = cs_opt_dir(CMD, "--rootfs", s->o.rootfs)))
		return rc;
	cs_crio_config_default(&s->crio);
	if (a->crio_cfg) {
		memset(&d, 0, sizeof(d));
		if (cs_crio_config_load(&s->crio, a->crio_cfg, &d) < 0)
			return cs_diag_err(CMD, "--crio-config", &d);
		s->crio_loaded = true;
	}
	if ((rc = cs_explain_daemon_configs(CMD, &s->target, &s->docker, a->docker_cfg,
					    &s->containerd, a->containerd_cfg)) != 0)
		return rc;
	if ((rc = load_image(s, a)) != 0)
		return rc;
	memset(&d, 0, sizeof(d));
	rc = cs_scc_set_load(&s->sc, s->o.openshift, a->sccs, a->n_sccs, a->uses, a->n_uses, &d);

	if (rc == -ENOENT && !strcmp(d.field, "scc"))
		return cs_usage_err(CMD, "%s", d.message);
	if (rc == -ENOMEM && !strcmp(d.field, "scc"))
		return cs_err(CMD, "out of memory");
	if (rc < 0)
		return cs_diag_err(CMD, "--scc", &d);
	return 0;
}

static int load_pods(struct state *s, int argc, char **argv)
{
	struct cs_diag d;
	void *seen = NULL;
	int rc = 0;

	/* A file named twice is read once (its pods were explained twice). */
	for (int i = optind; rc == 0 && i < argc; i++) {
		int k = cs_named_before(argv[i], &seen);

		memset(&d, 0, sizeof(d));
		if (k < 0)
			rc = cs_err(CMD, "out of memory");
		else if (k == 0 && cs_k8s_load(&s->m, argv[i], &d) < 0)
			rc = cs_diag_err(CMD, NULL, &d);
	}
	cs_named_free(seen);
	cs_warn_unknown_fields(CMD, &s->m);
	if (rc)
		return rc;
	cs_scc_set_grant_manifest(&s->sc, &s->m);
	if (s->m.n_pods == 0)
		return cs_no_pods_err(CMD, argv + optind, argc - optind);
	return 0;
}

int cmd_explain_pod(int argc, char **argv)
{
	struct state s;
	struct args a = {0};
	int rc;

	memset(&s, 0, sizeof(s));
	s.o.runtime = CS_CRI_CRIO;
	cs_cri_target_default(CS_CRI_CRIO, &s.target);
	s.o.uid_start = 1000660000;
	s.o.uid_size = 10000;
	rc = parse_args(argc, argv, &s, &a);
	if (a.stop) {
		cs_image_map_free(&s.images);
		return rc;
	}
	cs_k8s_manifest_init(&s.m);
	s.m.validate = a.validate;
	cs_scc_set_init(&s.sc);
	s.sc.sm.validate = a.validate; /* --scc FILE: read as the pods are */
	rc = load_context(&s, &a);
	cs_warn_unknown_fields(CMD, &s.sc.sm);
	s.use_scc = s.o.openshift || a.n_sccs > 0;
	if (rc == 0 && (rc = load_pods(&s, argc, argv)) == 0) {
		s.use_scc = s.use_scc || s.m.n_sccs > 0;
		/* Sixteenth pass, part H: both were taken and changed nothing
		 * when no SCC is modelled ("an option that would do nothing is
		 * a usage error"); known only now, since a file's SCCs count. */
		const char *unknown = cs_scc_set_unknown_use(&s.sc, a.uses, a.n_uses, &s.m);

		if (!s.use_scc && (a.n_uses || a.uid_range))
			rc = cs_usage_err(CMD,
					  "%s is for SCC admission: give --scc, --openshift "
					  "or a file with SCCs",
					  a.n_uses ? "--use" : "--uid-range");
		else if (unknown)
			rc = cs_usage_err(CMD,
					  "--use %s: no SCC of that name was given (--scc, "
					  "--openshift or a file with SCCs)",
					  unknown);
		else
			rc = run(&s);
	}
	cs_k8s_manifest_free(&s.m);
	cs_scc_set_free(&s.sc);
	cs_image_map_free(&s.images);
	cs_image_config_free(&s.img);
	return rc;
}
