/* SPDX-License-Identifier: MIT */
/*
 * capscope lint FILE|DIR|-...: options in, the library's rules over every
 * object (capscope/lint.h), findings out as a table, JSON or SARIF.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/kubelet.h"
#include "capscope/lint.h"
#include "capscope/number.h"
#include "capscope/scan.h"
#include "capscope/version.h"
#include "commands.h"
#include "output.h"
#include "unknown-fields.h"

#define CMD	 "lint"
#define MAX_SCCS 64

static const char help[] =
    "Usage: capscope lint [OPTIONS] FILE|DIR|-...\n"
    "\n"
    "Check Kubernetes manifests (helm template / kubectl kustomize output, a directory\n"
    "of *.yaml, *.yml, *.json, or - for stdin) with rules from capscope's model: a\n"
    "capability that will not be effective, dangerous capabilities, no drop: [ALL],\n"
    "privileged, escalation through the entrypoint, SCC and Pod Security admission,\n"
    "spellings runtimes treat differently. Rules and suppression: docs/lint.md.\n"
    "\nOptions:\n"
    "  --json | --sarif     machine-readable output (SARIF 2.1.0 for code scanning)\n"
    "  --fail-on LEVEL      exit 1 on a finding at error (default), warning, note or none\n"
    "  --config FILE        rule levels (rules: {cap-spelling: off, CS002: error})\n"
    "  --psa-level LEVEL    the Pod Security level the namespace enforces\n"
    "  --scc FILE|NAME      model SCC admission (repeatable); --openshift the built-in SCCs\n"
    "  --use NAME           also grant this SCC; --uid-range S/N the namespace's range\n"
    "  --runtime NAME[@VER] crio (default), containerd, docker or podman\n"
    "  --image ARCHIVE      the image all containers run (entrypoint, set-uid, file caps)\n"
    "  --rootfs DIR         the same from an unpacked root filesystem\n"
    "  --allowed-unsafe-sysctls LIST  the node's kubelet flag (NAME or PREFIX*, by\n"
    "                       commas): by default a pod with a sysctl outside the safe\n"
    "                       set is rejected (SysctlForbidden)\n"
    "  --validate MODE      a key that is not a field in Kubernetes 1.32: strict (default,\n"
    "                       as kubectl) refuses the file, warn reads it as absent and says\n"
    "                       so on stderr (a manifest for a newer cluster)\n"
    "  -h, --help           this help\n"
    "\nExit status: 0 clean, 1 findings at or above --fail-on, 2 usage or input error.\n"
    "\nExamples:\n"
    "  helm template ./chart | capscope lint -\n"
    "  capscope lint --sarif --psa-level restricted deploy/ > capscope.sarif\n"
    "  capscope lint --openshift --image app.tar --fail-on warning k8s/app.yaml\n";

struct args {
	const char *sccs[MAX_SCCS], *uses[MAX_SCCS], *image, *config;
	size_t n_sccs, n_uses;
	bool openshift, uid_range;
	enum cs_lint_format fmt;
	bool stop; /* --help or a usage error: return what parse_args returned */
	enum cs_lint_level fail_on;
	struct cs_kubelet_unsafe_sysctls unsafe; /* --allowed-unsafe-sysctls */
};

static int parse_option(int c, struct args *a, struct cs_lint_opts *o, struct cs_cri_target *t)
{
	struct cs_diag d = {0};

	if ((c == 's' && a->n_sccs == MAX_SCCS) || (c == 'u' && a->n_uses == MAX_SCCS))
		return cs_usage_err(CMD, "too many --scc or --use");
	/* clang-format off */
	switch (c) {
	case 's': a->sccs[a->n_sccs++] = optarg; return 0;
	case 'u': a->uses[a->n_uses++] = optarg; return 0;
	case 'O': a->openshift = true; return 0;
	case 'j': case 'S':
		/* the same one twice asks for the same thing; it said "--json and --sarif" */
		if (a->fmt != CS_LINT_TEXT && a->fmt != (c == 'j' ? CS_LINT_JSON : CS_LINT_SARIF))
			return cs_usage_err(CMD, "--json and --sarif: give one");
		a->fmt = c == 'j' ? CS_LINT_JSON : CS_LINT_SARIF;
		return 0;
	case 'c': a->config = optarg; return 0;
	case 'M': a->image = optarg; return 0;
	case 'R': o->explain.rootfs = optarg; return 0;
	case 'V': return cs_validate_parse(CMD, optarg, &o->validate);
	/* clang-format on */
	case 'f':
		if (!strcmp(optarg, "none"))
			a->fail_on = CS_LINT_OFF;
		else if (cs_lint_level_parse(optarg, &a->fail_on) < 0 || a->fail_on == CS_LINT_OFF)
			return cs_usage_err(CMD, "--fail-on takes error, warning, note or none");
		return 0;
	case 'p':
		o->psa_set = true;
		for (o->psa_level = CS_PSA_PRIVILEGED; o->psa_level <= CS_PSA_RESTRICTED;
		     o->psa_level++)
			if (!strcmp(optarg, cs_psa_level_name(o->psa_level)))
				return 0;
		return cs_usage_err(CMD, "--psa-level takes restricted, baseline or privileged");
	case 'U':
		if (cs_parse_id_range(optarg, &o->explain.uid_range_start,
				      &o->explain.uid_range_size) < 0)
			return cs_usage_err(
			    CMD, "--uid-range wants START/SIZE, e.g. 1000660000/10000, not '%s'",
			    optarg);
		a->uid_range = true;
		return 0;
	case 'r':
		if (cs_cri_target_parse(optarg, t, &d) < 0)
			return cs_usage_err(CMD, "%s", d.message);
		o->explain.runtime = t->rt;
		return 0;
	case 'A':
		if (cs_unsafe_sysctls_opt(CMD, &a->unsafe, optarg))
			return CS_EXIT_ERROR;
		o->explain.unsafe_sysctls = a->unsafe.v;
		o->explain.n_unsafe_sysctls = a->unsafe.n;
		return 0;
	}
	return -1;
}

static int parse_args(int argc, char **argv, struct args *a, struct cs_lint_opts *o,
		      struct cs_cri_target *t)
{
	/* clang-format off */
	static const struct option lo[] = {
	    {"json", 0, 0, 'j'}, {"sarif", 0, 0, 'S'}, {"fail-on", 1, 0, 'f'}, {"config", 1, 0, 'c'},
	    {"psa-level", 1, 0, 'p'}, {"scc", 1, 0, 's'}, {"openshift", 0, 0, 'O'}, {"use", 1, 0, 'u'},
	    {"uid-range", 1, 0, 'U'}, {"runtime", 1, 0, 'r'}, {"image", 1, 0, 'M'},
	    {"rootfs", 1, 0, 'R'}, {"validate", 1, 0, 'V'}, {"allowed-unsafe-sysctls", 1, 0, 'A'},
	    {"help", 0, 0, 'h'}, {0}};
	/* clang-format on */
	unsigned long long seen = 0;
	int c, rc;

	a->stop = true;
	opterr = 0;
	optind = 1;
	while ((c = cs_getopt(argc, argv, ":h", lo, NULL)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			return cs_finish_stdout(CMD, 0);
		}
		if ((rc = cs_opt_once(CMD, c, lo, &seen, "suA")))
			return rc;
		if ((rc = parse_option(c, a, o, t)) < 0)
			return cs_bad_option(CMD, c, optopt, argv, optind, lo);
		if (rc > 0)
			return rc;
	}
	if (optind == argc)
		return cs_usage_err(CMD, "missing FILE, DIR or -");
	if (a->image && o->explain.rootfs)
		return cs_usage_err(CMD, "--image and --rootfs both name the image: give one");
	if (o->explain.rootfs && (rc = cs_opt_dir(CMD, "--rootfs", o->explain.rootfs)))
		return rc;
	/* Sixteenth pass, part H: lint models SCCs only with these two, so
	 * --use and --uid-range without them were taken and did nothing. */
	if ((a->n_uses || a->uid_range) && !a->openshift && !a->n_sccs)
		return cs_usage_err(CMD, "%s is for SCC admission: give --scc or --openshift",
				    a->n_uses ? "--use" : "--uid-range");
	a->stop = false;
	return 0;
}

static int lint(int argc, char **argv, struct args *a, struct cs_lint_opts *o)
{
	struct cs_lint_report r = {0};
	struct cs_diag d = {0};
	int rc = 0, werr;

	for (int i = optind; i < argc && rc == 0; i++)
		if (cs_lint_path(argv[i], o, &r, &d) < 0)
			rc = cs_diag_err(CMD, NULL, &d);
	for (size_t i = 0; i < r.n_unknown; i++)
		cs_warn_unknown_field(CMD, r.unknown[i].file, r.unknown[i].line,
				      r.unknown[i].column, r.unknown[i].field, r.unknown[i].object,
				      r.unknown[i].api);
	cs_warn_unknown_more(CMD, r.n_unknown, r.n_unknown_total);
	/* Twenty-seventh pass, part H: a --use name that is no SCC of the
	 * set nor of any linted file granted nothing, without a word (a typo
	 * of anyuid read every pod as refused); known only now, since each
	 * file's SCCs count. A usage error, as in explain pod and serve. */
	for (size_t i = 0; rc == 0 && i < a->n_uses; i++)
		if (!(r.uses_in_files >> i & 1) &&
		    cs_scc_set_unknown_use(o->scc_set, &a->uses[i], 1, NULL))
			rc = cs_usage_err(
			    CMD,
			    "--use %s: no SCC of that name was given (--scc, --openshift "
			    "or a linted file with SCCs)",
			    a->uses[i]);
	cs_lint_report_sort(&r);
	if (rc == 0 && (werr = cs_lint_write(stdout, &r, a->fmt, cs_version())) < 0)
		rc = cs_finish_stdout_err(CMD, CS_EXIT_ERROR, werr); /* names the write error */
	if (rc == 0 && a->fail_on != CS_LINT_OFF && cs_lint_report_max(&r) >= a->fail_on)
		rc = CS_EXIT_FINDINGS;
	cs_lint_report_free(&r);
	return rc == CS_EXIT_ERROR ? rc : cs_finish_stdout(CMD, rc);
}

int cmd_lint(int argc, char **argv)
{
	struct args a = {.fail_on = CS_LINT_ERROR};
	struct cs_lint_config cfg;
	struct cs_cri_target t;
	struct cs_scc_set sc;
	struct cs_image *img = NULL;
	struct cs_diag d = {0};
	struct cs_lint_opts o = {.explain = {.runtime = CS_CRI_CRIO,
					     .uid_range_start = 1000660000,
					     .uid_range_size = 10000},
				 .config = &cfg,
				 .scc_set = &sc};
	int rc;

	cs_cri_target_default(CS_CRI_CRIO, &t);
	cs_lint_config_init(&cfg);
	rc = parse_args(argc, argv, &a, &o, &t);
	if (a.stop)
		return rc;
	o.explain.target = &t;
	if (a.config && cs_lint_config_load(&cfg, a.config, &d) < 0)
		return cs_diag_err(CMD, "--config", &d);
	if (a.image && cs_image_open(a.image, NULL, &img, &d) < 0)
		return cs_diag_err(CMD, "--image", &d);
	o.explain.image = img;
	o.explain.image_config = img ? cs_image_get_info(img)->config : NULL;
	cs_scc_set_init(&sc);
	sc.sm.validate = o.validate; /* --scc FILE: read as the manifests are */
	o.explain.use_scc = a.openshift || a.n_sccs;
	o.explain.granted = a.openshift ? sc.granted : NULL;
	if (cs_scc_set_load(&sc, a.openshift, a.sccs, a.n_sccs, a.uses, a.n_uses, &d) < 0)
		rc = cs_diag_err(CMD, "--scc", &d);
	o.explain.n_granted = sc.n_granted;
	o.uses = a.uses;
	o.n_uses = a.n_uses;
	cs_warn_unknown_fields(CMD, &sc.sm);
	if (rc == 0)
		rc = lint(argc, argv, &a, &o);
	cs_scc_set_free(&sc);
	cs_image_close(img);
	return rc;
}
