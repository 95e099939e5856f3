/* SPDX-License-Identifier: MIT */
/* capscope policy: option parsing and rendering; the work is in lib/policy. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/json.h"
#include "capscope/policy.h"
#include "capscope/scc-load.h"
#include "commands.h"
#include "capscope/number.h"
#include "internal/util.h"
#include "output.h"
#include "unknown-fields.h"
#include "policy-output.h"

static const char help[] =
    "Usage: capscope policy scc        [OPTIONS] FILE | --profile TRACE.json\n"
    "       capscope policy custom-scc --name NAME [OPTIONS] FILE | --profile TRACE.json\n"
    "       capscope policy vap|kyverno|gatekeeper --name NAME [OPTIONS]\n"
    "                                  FILE | --profile TRACE.json | --caps LIST\n"
    "       capscope policy check      --caps LIST | --profile TRACE.json FILE...\n"
    "\n"
    "From what a workload needs to what a cluster should allow. Needs come from a\n"
    "manifest (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob,\n"
    "ReplicationController, DeploymentConfig, List; YAML or JSON) or from the\n"
    "profile of 'capscope trace --json'.\n"
    "\n"
    "  scc         the least privileged built-in OpenShift SCC that admits each pod,\n"
    "              and why every less privileged one does not (offline\n"
    "              'oc adm policy scc-subject-review')\n"
    "  custom-scc  a minimal SCC for the pod plus the Role and RoleBinding that grant\n"
    "              its service account 'use' of it; checked by running admission\n"
    "  vap         ValidatingAdmissionPolicy (CEL) + binding     } allow exactly the\n"
    "  kyverno     Kyverno ClusterPolicy                         } capabilities of the\n"
    "  gatekeeper  Gatekeeper ConstraintTemplate (Rego) + Constraint } profile/manifest\n"
    "  check       does each pod of FILE stay within --caps, by the rule those\n"
    "              policies implement (not privileged, drop ALL, add only allowed)\n"
    "\n"
    "Options:\n"
    "  --profile FILE        the output of 'capscope trace --json'\n"
    "  --caps LIST           allowed capabilities, e.g. NET_BIND_SERVICE,NET_RAW\n"
    "  --name NAME           name of the generated SCC or policy\n"
    "  --namespace NS        the Role's namespace; policies: apply only there\n"
    "  --service-account SA  custom-scc: the RoleBinding's subject (default: the pod's,\n"
    "                        or default); scc --profile: the profile pod's\n"
    "  --order KIND          restrictiveness (default: pointValue, then name) or\n"
    "                        admission (priority first, as admission sorts)\n"
    "  --uid-range START/SIZE  scc, custom-scc: the namespace's uid range\n"
    "                        (default 1000660000/10000)\n"
    "  --json                machine-readable output (scc, check)\n"
    "  --validate MODE       a key that is not a field in Kubernetes 1.32: strict\n"
    "                        (default) refuses the file, warn reads it as absent\n"
    "  -h, --help            this text\n"
    "\n"
    "Exit status: 0 ok, 1 a finding (no built-in SCC admits a pod; check found a\n"
    "violation), 2 usage or input error.\n"
    "\n"
    "Examples:\n"
    "  capscope policy scc deploy.yaml\n"
    "  capscope trace --json -- ./server >trace.json\n"
    "  capscope policy scc --profile trace.json\n"
    "  capscope policy custom-scc --name web-scc --namespace shop deploy.yaml\n"
    "  capscope policy vap --name web-caps --profile trace.json >vap.yaml\n"
    "  capscope policy kyverno --name web-caps --caps NET_BIND_SERVICE\n"
    "  capscope policy check --caps NET_BIND_SERVICE deploy.yaml\n";

enum sub { SUB_SCC, SUB_CUSTOM, SUB_VAP, SUB_KYVERNO, SUB_GATEKEEPER, SUB_CHECK };
static const char *const sub_names[] = {"scc",	   "custom-scc", "vap",
					"kyverno", "gatekeeper", "check"};

struct popts {
	enum sub sub;
	const char *profile, *caps, *name, *ns, *sa;
	bool json, have_caps, have_uid_range;
	enum cs_k8s_validate validate; /* --validate: the manifests' unknown keys */
	cs_mask_t allowed;
	enum cs_policy_order order;
	struct cs_scc_opts scc;
	char **files;
	int nfiles;
};

/* Each name copied on the stack: a strdup of the list that failed for memory
 * blamed a right list (twenty-fifth pass, part C). ALL is no policy. */
static int parse_caps(const char *s, cs_mask_t *m)
{
	char name[64];
	int c;

	for (*m = 0; *s; s += strspn(s, ", ")) {
		size_t n = strcspn(s, ", ");

		if (n == 0)
			continue;
		if (n >= sizeof(name))
			return -EINVAL;
		memcpy(name, s, n);
		name[n] = '\0';
		s += n;
		if ((c = cs_policy_cap_normalise(name)) < 0)
			return -EINVAL;
		*m |= CS_BIT(c);
	}
	return 0;
}

/*
 * Sixteenth pass, part H: "an option that would do nothing is a usage
 * error", and three did nothing here: --service-account in vap, kyverno,
 * gatekeeper and check (only custom-scc binds an account; scc --profile
 * names the profile's pod's), --namespace in check (and scc with a FILE,
 * whose pods name their own), --uid-range outside scc and custom-scc (the
 * range is SCC admission's). Each was taken, and the output was as if it
 * had not been given.
 */
static int unused_option(const struct popts *o)
{
	bool profile_pod = o->sub == SUB_SCC && o->profile; /* the pod the profile makes */
	bool sa = o->sub == SUB_CUSTOM || profile_pod;
	bool ns = sa || o->sub == SUB_VAP || o->sub == SUB_KYVERNO || o->sub == SUB_GATEKEEPER;
	bool range = o->sub == SUB_SCC || o->sub == SUB_CUSTOM;

	if (o->sa && !sa)
		return cs_usage_err("policy",
				    "--service-account is for custom-scc (and scc --profile); %s",
				    o->sub == SUB_SCC	  ? "scc reads each pod's own from FILE"
				    : o->sub == SUB_CHECK ? "check does not use it"
							  : "the policy binds no account");
	if (o->ns && !ns)
		return cs_usage_err("policy",
				    "--namespace is for custom-scc, vap, kyverno, gatekeeper (and "
				    "scc --profile); %s",
				    o->sub == SUB_SCC ? "scc reads each pod's own from FILE"
						      : "check does not use it");
	if (o->have_uid_range && !range)
		return cs_usage_err("policy",
				    "--uid-range is for scc and custom-scc (SCC "
				    "admission); %s does not model it",
				    sub_names[o->sub]);
	return 0;
}

static int parse_opts(int argc, char **argv, struct popts *o)
{
	static const struct option longopts[] = {
	    {"profile", required_argument, NULL, 'p'},
	    {"caps", required_argument, NULL, 'c'},
	    {"name", required_argument, NULL, 'n'},
	    {"namespace", required_argument, NULL, 'N'},
	    {"service-account", required_argument, NULL, 's'},
	    {"order", required_argument, NULL, 'o'},
	    {"uid-range", required_argument, NULL, 'u'},
	    {"json", no_argument, NULL, 'j'},
	    {"validate", required_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	unsigned long long seen = 0;
	int c, k = -1;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(help, stdout);
		return -1;
	}
	for (size_t i = 0; argc >= 2 && i < sizeof(sub_names) / sizeof(*sub_names); i++)
		if (!strcmp(argv[1], sub_names[i]))
			k = (int)i;
	if (k < 0)
		return argc < 2
			   ? cs_usage_err("policy", "which policy? scc, custom-scc, vap, kyverno, "
						    "gatekeeper or check")
			   : cs_usage_err("policy", "unknown policy '%s'", argv[1]);
	o->sub = (enum sub)k;
	argc--, argv++;
	opterr = 0;
	optind = 1;
	while ((c = cs_getopt(argc, argv, ":h", longopts, NULL)) != -1) {
		int once = cs_opt_once("policy", c, longopts, &seen, "");

		if (once)
			return once;
		switch (c) {
		case 'p':
			o->profile = optarg;
			break;
		case 'n':
			o->name = optarg;
			break;
		case 'N':
			o->ns = optarg;
			break;
		case 's':
			o->sa = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'V':
			if (cs_validate_parse("policy", optarg, &o->validate))
				return CS_EXIT_USAGE;
			break;
		case 'c':
			if (parse_caps(optarg, &o->allowed) < 0)
				return cs_usage_err("policy",
						    "--caps: not a list of capability names: '%s'",
						    optarg);
			o->have_caps = true;
			break;
		case 'o':
			if (strcmp(optarg, "restrictiveness") && strcmp(optarg, "admission"))
				return cs_usage_err("policy",
						    "--order: restrictiveness or admission");
			o->order = !strcmp(optarg, "admission") ? CS_POLICY_ORDER_ADMISSION
								: CS_POLICY_ORDER_RESTRICTIVENESS;
			break;
		case 'u':
			if (cs_parse_id_range(optarg, &o->scc.uid_range_start,
					      &o->scc.uid_range_size) < 0)
				return cs_usage_err("policy",
						    "--uid-range wants START/SIZE, e.g. "
						    "1000660000/10000, not '%s'",
						    optarg);
			o->have_uid_range = true;
			break;
		case 'h':
			fputs(help, stdout);
			return -1;
		default:
			return cs_bad_option("policy", c, optopt, argv, optind, longopts);
		}
	}
	o->files = argv + optind;
	o->nfiles = argc - optind;
	bool gen = o->sub == SUB_CUSTOM || o->sub == SUB_VAP || o->sub == SUB_KYVERNO ||
		   o->sub == SUB_GATEKEEPER;
	if (gen && o->json)
		return cs_usage_err("policy", "--json is for scc and check; %s writes YAML",
				    sub_names[o->sub]);
	if (o->have_caps && (o->sub == SUB_SCC || o->sub == SUB_CUSTOM))
		return cs_usage_err("policy",
				    "--caps is for vap, kyverno, gatekeeper and check; "
				    "%s needs a pod (FILE or --profile)",
				    sub_names[o->sub]);
	if (gen != !!o->name) /* an option that does nothing is an error, not a no-op */
		return cs_usage_err("policy", gen ? "%s needs --name" : "%s takes no --name",
				    sub_names[o->sub]);
	if (o->order != CS_POLICY_ORDER_RESTRICTIVENESS && o->sub != SUB_SCC)
		return cs_usage_err("policy", "--order is for scc");
	if ((k = unused_option(o)) != 0)
		return k;
	if (o->name && !cs_policy_name_valid(o->name))
		return cs_usage_err("policy",
				    "--name: lower-case letters, digits, '-' and '.' only");
	/* What the API server takes, so no engine reads a wildcard or an empty name in it. */
	if (o->ns && !cs_policy_namespace_valid(o->ns))
		return cs_usage_err("policy",
				    "--namespace: a namespace name: at most 63 lower-case letters, "
				    "digits and '-', not '%s'",
				    o->ns);
	if (o->sa && !cs_policy_name_valid(o->sa))
		return cs_usage_err("policy",
				    "--service-account: lower-case letters, digits, '-' and '.' "
				    "only, not '%s'",
				    o->sa);
	if (o->sub == SUB_CHECK && (!o->nfiles || (!o->have_caps && !o->profile)))
		return cs_usage_err("policy", "check needs --caps or --profile, and FILE");
	/* Sixteenth pass, part H: with both, --caps was the allowed set and the
	 * profile was read and then not used. */
	if (o->sub == SUB_CHECK && o->have_caps && o->profile)
		return cs_usage_err("policy", "check takes --caps or --profile, not both");
	if (o->sub != SUB_CHECK && !!o->profile + !!o->nfiles + (o->have_caps && gen) != 1)
		return cs_usage_err("policy", "give one input: FILE, --profile%s",
				    gen && o->sub != SUB_CUSTOM ? " or --caps" : "");
	if (o->sub != SUB_CHECK && o->nfiles > 1)
		return cs_usage_err("policy", "one FILE at a time");
	return 0;
}

/* A library diagnostic on stderr (cs_err escapes it: it may quote the manifest);
 * a bare error says what it is ("policy: gatekeeper: " said nothing). */
static int diag_fail(const char *what, struct cs_diag *d, int err)
{
	char buf[800];

	cs_diag_unsaid(d, err);
	cs_err("policy", "%s%s%s", what ? what : "", what ? ": " : "",
	       cs_diag_format(d, buf, sizeof(buf)));
	return CS_EXIT_USAGE;
}

/* Read the pods (and the profile's capabilities into o->allowed). Exit code or 0. */
static int load_input(struct popts *o, struct cs_k8s_manifest *m)
{
	struct cs_diag d = {0};
	cs_mask_t prof = 0;
	int rc = 0;

	if (o->profile) {
		if ((rc = cs_policy_profile_load(o->profile, &prof, &d)) < 0)
			return diag_fail("reading the profile", &d, rc);
		if (!o->have_caps)
			o->allowed = prof;
		o->have_caps = true;
		if (o->sub != SUB_CHECK) {
			struct cs_policy_pod_opts po = {.namespace = o->ns,
							.service_account = o->sa};

			rc = cs_policy_profile_pod(m, prof, &po, &d);
			return rc < 0 ? diag_fail("the profile's pod", &d, rc) : 0;
		}
	}
	void *seen = NULL;

	rc = 0;
	for (int i = 0; rc == 0 && i < o->nfiles; i++) {
		int k = cs_named_before(o->files[i], &seen);

		if (k < 0)
			rc = cs_err("policy", "out of memory"), rc = CS_EXIT_USAGE;
		else if (k == 0 && (k = cs_k8s_load(m, o->files[i], &d)) < 0)
			rc = diag_fail(NULL, &d, k);
	}
	cs_named_free(seen);
	cs_warn_unknown_fields("policy", m);
	if (rc)
		return rc;
	if (o->nfiles && m->n_pods == 0)
		return cs_no_pods_err("policy", o->files, o->nfiles);
	if (!o->have_caps) /* a manifest: what its containers add */
		for (size_t i = 0; i < m->n_pods; i++) {
			cs_mask_t add = cs_policy_pod_caps(&m->pods[i]);
			int r = 0;

			/* a policy made from the pods must allow them: a name
			 * that is no capability, or ALL, is refused */
			if (o->sub == SUB_VAP || o->sub == SUB_KYVERNO || o->sub == SUB_GATEKEEPER)
				r = cs_policy_pod_caps_checked(&m->pods[i], true, &add, &d);
			if (r < 0) /* -ENOMEM bare: diag_fail says "out of memory" */
				return diag_fail(sub_names[o->sub], &d, r);
			o->allowed |= add;
		}
	return 0;
}

/* A writer's error (-errno), for the one message on stdout's failure. */
static int out_werr;

static int do_scc(struct popts *o, struct cs_k8s_manifest *m)
{
	struct cs_k8s_manifest builtin;
	const struct cs_scc *sccs[64];
	struct cs_diag d = {0};
	struct cs_json j;
	char dir[PATH_MAX + 32];
	int rc = CS_EXIT_OK;

	cs_k8s_manifest_init(&builtin);
	if (cs_scc_builtin_dir(dir, sizeof(dir)) < 0 ||
	    cs_policy_sccs_load_dir(&builtin, dir, &d) < 0) {
		cs_k8s_manifest_free(&builtin);
		return cs_err("policy", "cannot read the built-in SCCs (%s)",
			      d.message[0] ? d.message : dir),
		       CS_EXIT_USAGE;
	}
	size_t n = builtin.n_sccs < 64 ? builtin.n_sccs : 64;
	for (size_t i = 0; i < n; i++)
		sccs[i] = &builtin.sccs[i];
	if (o->json) {
		cs_json_init(&j, stdout, true);
		cs_json_obj_begin(&j);
		cs_json_key(&j, "order");
		cs_json_str(&j, o->order == CS_POLICY_ORDER_ADMISSION ? "admission"
								      : "restrictiveness");
		cs_json_key(&j, "pods");
		cs_json_arr_begin(&j);
	}
	for (size_t i = 0; i < m->n_pods && rc != CS_EXIT_USAGE; i++) {
		struct cs_policy_scc_advice *a;

		if (cs_policy_scc_advise(&m->pods[i], sccs, n, &o->scc, o->order, &a, NULL) < 0) {
			rc = cs_err("policy", "out of memory"), rc = CS_EXIT_USAGE;
			break;
		}
		if (a->chosen < 0)
			rc = CS_EXIT_FINDINGS;
		if (o->json)
			cs_policy_scc_advice_json(&j, &m->pods[i], a);
		else if (policy_scc_text(&m->pods[i], a, o->order) < 0)
			rc = cs_err("policy", "out of memory"), rc = CS_EXIT_USAGE;
		cs_policy_scc_advice_free(a);
	}
	if (o->json) {
		cs_json_arr_end(&j);
		cs_json_obj_end(&j);
		out_werr = cs_json_finish(&j);
	}
	cs_k8s_manifest_free(&builtin);
	return rc;
}

static int do_check(struct popts *o, struct cs_k8s_manifest *m)
{
	struct cs_json j;
	int rc = CS_EXIT_OK;

	if (o->json) {
		cs_json_init(&j, stdout, true);
		cs_json_obj_begin(&j);
		cs_json_key(&j, "allowed");
		cs_json_mask(&j, o->allowed);
		cs_json_key(&j, "pods");
		cs_json_arr_begin(&j);
	}
	for (size_t i = 0; i < m->n_pods; i++) {
		const struct cs_k8s_pod *p = &m->pods[i];
		struct cs_policy_check *c;

		if (cs_policy_check_pod(p, o->allowed, &c) < 0)
			return cs_err("policy", "out of memory"), CS_EXIT_USAGE;
		if (!c->allowed)
			rc = CS_EXIT_FINDINGS;
		if (o->json)
			cs_policy_check_json(&j, p, c);
		else
			policy_check_text(p, c);
		cs_policy_check_free(c);
	}
	if (o->json) {
		cs_json_arr_end(&j);
		cs_json_obj_end(&j);
		out_werr = cs_json_finish(&j);
	}
	return rc;
}

static int do_generate(struct popts *o, struct cs_k8s_manifest *m)
{
	struct cs_policy_gen g = {.name = o->name,
				  .namespace = o->ns,
				  .service_account = o->sa,
				  .allowed = o->allowed,
				  .scc_opts = o->scc};
	struct cs_diag d = {0};
	int r;

	switch (o->sub) {
	case SUB_CUSTOM:
		if (m->n_pods != 1)
			return cs_usage_err(
			    "policy", "custom-scc: the input holds %zu pods; give one", m->n_pods);
		if (!g.service_account)
			g.service_account = m->pods[0].service_account;
		r = cs_policy_write_custom_scc(&m->pods[0], &g, stdout, &d);
		break;
	default:
		r = (o->sub == SUB_VAP	     ? cs_policy_write_vap
		     : o->sub == SUB_KYVERNO ? cs_policy_write_kyverno
					     : cs_policy_write_gatekeeper)(&g, stdout, &d);
		break;
	}
	if (r < 0 && ferror(stdout)) { /* cmd_policy names the write error, once */
		out_werr = r;
		return CS_EXIT_ERROR;
	}
	return r < 0 ? diag_fail(sub_names[o->sub], &d, r) : CS_EXIT_OK;
}

int cmd_policy(int argc, char **argv)
{
	struct popts o = {.scc = {.uid_range_start = 1000660000, .uid_range_size = 10000}};
	struct cs_k8s_manifest m;
	int rc;

	if ((rc = parse_opts(argc, argv, &o)) != 0)
		return rc < 0 ? cs_finish_stdout(NULL, 0) : rc;
	cs_k8s_manifest_init(&m);
	m.validate = o.validate;
	if ((rc = load_input(&o, &m)) == 0) {
		switch (o.sub) {
		case SUB_SCC:
			rc = do_scc(&o, &m);
			break;
		case SUB_CHECK:
			rc = do_check(&o, &m);
			break;
		default:
			rc = do_generate(&o, &m);
			break;
		}
	}
	cs_k8s_manifest_free(&m);
	return cs_finish_stdout_err("policy", rc, out_werr);
}
