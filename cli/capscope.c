/* SPDX-License-Identifier: MIT */
/* capscope: the command table and dispatch. */
#include <stdio.h>
#include <string.h>

#include "capscope/version.h"
#include "commands.h"
#include "output.h"

static const struct cs_cmd commands[] = {
    {"decode", "capability masks to names, as capsh --decode", cmd_decode},
    {"encode", "capability names or libcap text to masks", cmd_encode},
    {"ps", "the five sets and credentials of processes", cmd_ps},
    {"file", "file capabilities: get, set, rm", cmd_file},
    {"scan", "privileged files in a tree or a container image", cmd_scan},
    {"trace", "live capability checks (eBPF) and the least set", cmd_trace},
    {"run", "run a command with exact credentials, fail closed", cmd_run},
    {"explain", "predict credentials step by step: explain oci BUNDLE", cmd_explain},
    {"lint", "check manifests in CI: rules from the model, SARIF", cmd_lint},
    {"policy", "least SCC, custom SCC, admission policies from real needs", cmd_policy},
    {"serve", "node agent (Prometheus metrics) and admission webhook", cmd_serve},
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: capscope COMMAND [OPTIONS] [ARGS]\n\n"
		   "Which capabilities does a process really have, why, and what is the\n"
		   "least it needs?\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'capscope COMMAND --help' for a command's options and examples.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CS_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return cs_finish_stdout(NULL, 0);
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("capscope %s\n", cs_version());
		return cs_finish_stdout(NULL, 0);
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].main(argc - 1, argv + 1);
	return cs_usage_err(NULL, "unknown command '%s'", argv[1]);
}
