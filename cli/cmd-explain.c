/* SPDX-License-Identifier: MIT */
/* capscope explain SUBJECT …: dispatch to one explainer per subject. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "explain.h"
#include "output.h"

static const struct cs_cmd subjects[] = {
    {"oci", "an OCI bundle: runc's steps, then execve, to the first process", cmd_explain_oci},
    {"pod", "a Kubernetes manifest: SCC, runtime, runc, execve, per container", cmd_explain_pod},
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: capscope explain SUBJECT [OPTIONS] ARGS\n\n"
		   "Predict a process's credentials step by step, and say why each requested\n"
		   "capability does or does not end up effective.\n\nSubjects:\n");
	for (size_t i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++)
		fprintf(f, "  %-6s %s\n", subjects[i].name, subjects[i].summary);
	fprintf(f, "\nExamples:\n"
		   "  capscope explain oci ./bundle\n"
		   "  capscope explain oci --json ./bundle | jq .process.caps.effective\n"
		   "\nRun 'capscope explain SUBJECT --help' for a subject's options.\n");
}

int cmd_explain(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CS_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return cs_finish_stdout("explain", 0);
	}
	for (size_t i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++)
		if (strcmp(argv[1], subjects[i].name) == 0)
			return subjects[i].main(argc - 1, argv + 1);
	return cs_usage_err("explain", "unknown subject '%s'", argv[1]);
}
