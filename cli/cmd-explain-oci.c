/* SPDX-License-Identifier: MIT */
/* capscope explain oci BUNDLE: runc's steps and execve, from config.json. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/fcaps.h"
#include "capscope/json.h"
#include "capscope/oci.h"
#include "capscope/runtime.h"
#include "capscope/scan.h"
#include "capscope/text.h"
#include "explain.h"
#include "output.h"

#define CMD "explain oci"

static const char help[] =
	"Usage: capscope explain oci [--json] [--image ARCHIVE] BUNDLE\n"
	"\n"
	"Predict the credentials of an OCI bundle's first process, as runc 1.1 and\n"
	"the kernel would give them, step by step. Reads BUNDLE/config.json\n"
	"(root.path, process.user, process.args and env, process.capabilities,\n"
	"noNewPrivileges, a user namespace with its uid/gid mappings), finds\n"
	"process.args[0] inside the rootfs through the config's PATH (never leaving\n"
	"the rootfs), reads its mode, owner and file capabilities, then runs the\n"
	"model: bounding drop, user switch, capset, ambient raises, no_new_privs,\n"
	"execve. Prints the flow as a table, every rule that fired, and one line\n"
	"per requested capability saying whether it ends effective and why not.\n"
	"\n"
	"Options:\n"
	"  --caller self|root\n"
	"              who starts runc: 'self' = these credentials (runc started here\n"
	"              inherits this bounding set; the default when run as root),\n"
	"              'root' = uid 0 with every capability (as a container engine\n"
	"              on a node would; the default otherwise)\n"
	"  --image ARCHIVE\n"
	"              find process.args[0] in this image (docker save archive, OCI\n"
	"              layout directory or OCI archive) instead of root.path: its\n"
	"              final view, read as streams, never extracted\n"
	"  --json      {\"exec\": {ok, error, path}, \"process\": {uids, gids,\n"
	"              no_new_privs, caps}, \"steps\": [{layer, rule, detail}]}\n"
	"  -h, --help  this text\n"
	"\n"
	"Exit status: 0 when the process starts, 1 when it would not (or the bundle\n"
	"is unreadable), 2 on a usage error.\n"
	"\n"
	"Examples:\n"
	"  capscope explain oci ./bundle\n"
	"  capscope explain oci --image nc-capset.tar ./bundle\n"
	"  capscope explain oci --json ./bundle | jq -r .process.caps.effective.names[]\n";

static void describe_file(const struct cs_exec_file *f)
{
	if (f->error) {
		printf("Entrypoint: %s: %s\n", f->path, strerror(f->error));
		return;
	}
	printf("Entrypoint: %s, mode %04o, owner %u:%u%s%s", f->path,
	       (unsigned)(f->mode & 07777), (unsigned)f->owner_uid, (unsigned)f->owner_gid,
	       (f->mode & S_ISUID) ? ", set-uid" : "", f->nosuid ? ", nosuid mount" : "");
	if (f->fcaps_state > 0) {
		char *txt = cs_fcaps_to_text(&f->fcaps);

		printf(", file caps %s (v%d", txt ? txt : "?", f->fcaps.version);
		if (f->fcaps.version == 3)
			printf(", rootid %u", (unsigned)f->fcaps.rootid);
		printf(")");
		free(txt);
	} else if (f->fcaps_state < 0) {
		printf(", invalid security.capability");
	} else {
		printf(", no file caps");
	}
	printf("\n");
}

static int text_out(const struct cs_oci_config *cfg, const struct cs_exec_file *f,
		    const struct cs_cred *pre, const struct cs_cred *post,
		    const struct cs_exec_result *res, const struct cs_steps *st)
{
	struct cs_table t;
	static const char *const hdr[] = {"STAGE", "UID", "BOUNDING", "PERMITTED",
					  "EFFECTIVE", "INHERITABLE", "AMBIENT", "NNP"};
	const struct cs_oci_process *p = &cfg->process;
	char u[3][64], line[600];
	cs_mask_t asked = 0;

	printf("Bundle: %s (rootfs %s)%s\n", cfg->bundle, cfg->root_path,
	       p->user_namespace ? ", user namespace" : "");
	describe_file(f);
	printf("\n");
	cs_table_init(&t, 8);
	cs_table_add(&t, hdr);
	snprintf(u[0], sizeof(u[0]), "%u", (unsigned)p->uid);
	cs_explain_flow_row(&t, "config.json", u[0], &p->caps, p->no_new_privileges);
	snprintf(u[1], sizeof(u[1]), "%u", (unsigned)pre->uid[1]);
	cs_explain_flow_row(&t, "runc, before execve", u[1], &pre->caps, pre->no_new_privs);
	if (res->ok) {
		snprintf(u[2], sizeof(u[2]), "%u/%u/%u/%u", (unsigned)post->uid[0],
			 (unsigned)post->uid[1], (unsigned)post->uid[2], (unsigned)post->uid[3]);
		cs_explain_flow_row(&t, "after execve", u[2], &post->caps, post->no_new_privs);
	}
	cs_table_print(&t, stdout, cs_color(stdout, "\033[1m"));
	cs_table_free(&t);
	if (!res->ok)
		printf("\nThe process does not start: %s (%s) at %s [%s].\n",
		       cs_errno_name(res->error), strerror(res->error), res->step, res->layer);
	printf("\nSteps:\n");
	cs_explain_print_steps(stdout, st);
	for (int s = 0; s < CS_NSETS; s++)
		if (p->caps.present & (1u << s))
			asked |= p->caps.set[s];
	if (asked) {
		printf("\nRequested capabilities:\n");
		for (int cap = 0; cap < 64; cap++) {
			char name[32];

			if (!(asked & CS_BIT(cap)))
				continue;
			cs_explain_cap_verdict(cap, &p->caps, pre, post, f, res, st, line,
					       sizeof(line));
			printf("  %-22s %s\n", cs_cap_name_r(cap, true, name, sizeof(name)), line);
		}
	}
	return 0;
}

static int json_out(const struct cs_exec_file *f, const struct cs_cred *post,
		    const struct cs_exec_result *res, const struct cs_steps *st)
{
	struct cs_json j;

	(void)f;
	cs_json_init(&j, stdout, false);
	cs_json_obj_begin(&j);
	cs_json_key(&j, "exec");
	cs_explain_json_exec(&j, res);
	cs_json_key(&j, "process");
	if (res->ok)
		cs_explain_json_cred(&j, post);
	else
		cs_json_null(&j);
	cs_json_key(&j, "steps");
	cs_explain_json_steps(&j, st);
	cs_json_obj_end(&j);
	return cs_json_finish(&j);
}

int cmd_explain_oci(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'j'},
		{"caller", required_argument, NULL, 'c'},
		{"image", required_argument, NULL, 'i'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct cs_oci_config cfg;
	struct cs_exec_file f;
	struct cs_cred pre, post;
	struct cs_exec_result res;
	struct cs_steps st;
	struct cs_diag d = {0};
	struct cs_cred self;
	bool json = false;
	const char *image = NULL;
	struct cs_image *img = NULL;
	/* runc started right here inherits our bounding set; as root, predict that. */
	bool caller_self = geteuid() == 0;
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'c':
			if (strcmp(optarg, "self") == 0)
				caller_self = true;
			else if (strcmp(optarg, "root") == 0)
				caller_self = false;
			else
				return cs_usage_err(CMD, "--caller takes 'self' or 'root', not '%s'",
						    optarg);
			break;
		case 'i':
			image = optarg;
			break;
		case 'h':
			fputs(help, stdout);
			return cs_finish_stdout(CMD, 0);
		default:
			return cs_bad_option(CMD, c, optopt, argv, optind);
		}
	}
	if (optind + 1 != argc)
		return cs_usage_err(CMD, optind == argc ? "missing BUNDLE" : "too many arguments");
	rc = cs_oci_config_load(argv[optind], &cfg, &d);
	if (rc)
		return cs_diag_err(CMD, NULL, &d);
	if (image && cs_image_open(image, NULL, &img, &d) < 0) {
		cs_oci_config_free(&cfg);
		if (!d.file[0])
			snprintf(d.file, sizeof(d.file), "%s", image);
		return cs_diag_err(CMD, "--image", &d);
	}
	{
		/* A relative name with a '/' is looked up from process.cwd, as runc chdirs first. */
		const char *arg0 = cfg.args[0];
		char joined[4096];

		if (strchr(arg0, '/') && arg0[0] != '/' && cfg.cwd) {
			snprintf(joined, sizeof(joined), "%s/%s", cfg.cwd, arg0);
			arg0 = joined;
		}
		if (img)
			cs_image_exec_resolve(img, arg0, cs_oci_config_getenv(&cfg, "PATH"), &f);
		else
			rc = cs_exec_file_resolve(cfg.root_path, arg0,
						  cs_oci_config_getenv(&cfg, "PATH"), &f, &d);
		cs_image_close(img);
	}
	if (rc) {
		cs_oci_config_free(&cfg);
		return cs_diag_err(CMD, argv[optind], &d);
	}
	if (cfg.process.unknown_caps[0])
		fprintf(stderr, "capscope " CMD ": warning: runc ignores unknown capabilities: %s\n",
			cfg.process.unknown_caps);
	if (caller_self && cs_cred_read_self(&self, &d) < 0) {
		cs_oci_config_free(&cfg);
		return cs_diag_err(CMD, "reading own credentials", &d);
	}
	cs_steps_init(&st);
	rc = cs_oci_predict_from(&cfg.process, caller_self ? &self : NULL, &f, &pre, &post, &res,
				 &st);
	if (rc || st.error) {
		cs_steps_free(&st);
		cs_oci_config_free(&cfg);
		return cs_err(CMD, "out of memory");
	}
	rc = json ? json_out(&f, &post, &res, &st) : text_out(&cfg, &f, &pre, &post, &res, &st);
	cs_steps_free(&st);
	cs_oci_config_free(&cfg);
	if (rc)
		return cs_finish_stdout(CMD, CS_EXIT_FAIL);
	return cs_finish_stdout(CMD, res.ok ? 0 : CS_EXIT_FAIL);
}
