/* SPDX-License-Identifier: MIT */
/* One entry point per subcommand, each in its own cmd-NAME.c. */
#ifndef CAPSCOPE_CLI_COMMANDS_H
#define CAPSCOPE_CLI_COMMANDS_H

#include <stdbool.h>

#include "capscope/ids.h"

/*
 * Where the commands look users and groups up. The static programs
 * (capscope, capscope-run) read /etc/passwd and /etc/group themselves: a
 * static program cannot load NSS modules safely (capscope/ids.h), and
 * starting NSS would read /etc/nsswitch.conf on every start.
 */
#if defined(CS_DYN_PATH) || defined(CS_STATIC_RUN)
#define CS_CLI_IDS (&cs_ids_etc_files)
#else
#define CS_CLI_IDS (&cs_ids_nss)
#endif

int cmd_decode(int argc, char **argv);
int cmd_encode(int argc, char **argv);
int cmd_ps(int argc, char **argv);
int cmd_file(int argc, char **argv);
int cmd_scan(int argc, char **argv);
struct cs_scan_opts;
/* scan --diff OLD NEW (scan-diff.c): 0 no privilege difference, 1 one, 2 error. */
int scan_diff_main(const char *old, const char *new, const struct cs_scan_opts *o, bool json);
int cmd_trace(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_lint(int argc, char **argv);

struct cs_kubelet_unsafe_sysctls;
/* --allowed-unsafe-sysctls LIST added to u: 0, or the exit status after the
 * message (cli/unsafe-sysctls-opt.c). */
int cs_unsafe_sysctls_opt(const char *cmd, struct cs_kubelet_unsafe_sysctls *u, const char *list);

#endif
