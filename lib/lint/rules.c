/* SPDX-License-Identifier: MIT */
/*
 * The lint rules and the dangerous capabilities, as data: ids and codes are
 * stable (configs, annotations and code-scanning alerts refer to them), the
 * texts are what SARIF viewers and docs/lint.md show.
 */
#include "capscope/lint.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Where docs/lint.md is published; each rule has an anchor named by its id. */
#define CS_LINT_DOCS_URL "https://github.com/capscope/capscope/blob/main/docs/lint.md"

static const struct cs_lint_rule rules[CS_LINT_NRULES] = {
    [CS_LINT_CAP_NOT_EFFECTIVE] =
	{"cap-not-effective", "CS001", "CapabilityNotEffective", CS_LINT_ERROR, "3.0",
	 "A requested capability will not be effective",
	 "The container asks for a capability that the process will not hold after execve: "
	 "a non-root user without ambient capabilities or file capabilities loses it, "
	 "no_new_privs stops file capabilities, a drop wins over an add, the runtime does "
	 "not know the spelling, or the SCC drops it. The workload will fail where it needs "
	 "the capability.",
	 "follow the remedy named in the message (docs/lint.md#cap-not-effective)"},
    [CS_LINT_DANGEROUS_CAP] =
	{"dangerous-cap", "CS002", "DangerousCapability", CS_LINT_WARNING, "8.0",
	 "The process will hold a dangerous capability",
	 "After execve the process holds (effective or permitted) a capability that lets it "
	 "take over or disturb the node: SYS_ADMIN, NET_ADMIN, SYS_PTRACE, DAC_READ_SEARCH, "
	 "BPF, SYS_MODULE, SYS_RAWIO and others, each with its reason.",
	 "remove the capability from capabilities.add, or narrow it (docs/lint.md#dangerous-cap)"},
    [CS_LINT_MISSING_DROP_ALL] =
	{"missing-drop-all", "CS003", "MissingDropAll", CS_LINT_WARNING, "5.0",
	 "The runtime's default capabilities stay",
	 "Without capabilities.drop: [ALL] the container runtime adds its default set "
	 "(CRI-O 9 capabilities, containerd and Docker 14, including NET_RAW and "
	 "DAC_OVERRIDE) that the workload did not ask for.",
	 "add capabilities.drop: [\"ALL\"] and add back only what is needed"},
    [CS_LINT_PRIVILEGED] = {"privileged", "CS004", "PrivilegedContainer", CS_LINT_ERROR, "9.0",
			    "The container is privileged",
			    "A privileged container gets every capability in all five sets, every "
			    "device and no seccomp or AppArmor confinement: root in it is root on "
			    "the node.",
			    "set privileged: false and add only the capabilities needed"},
    [CS_LINT_ESCALATION_ENTRYPOINT] =
	{"escalation-entrypoint", "CS005", "PrivilegeEscalationEntrypoint", CS_LINT_ERROR, "7.5",
	 "Privilege escalation is allowed and the entrypoint gains privileges",
	 "allowPrivilegeEscalation is not false (no_new_privs is off) and the image's "
	 "entrypoint is set-uid, set-gid or has file capabilities, so execve raises the "
	 "process's privileges beyond what the securityContext shows. Known only with "
	 "--image or --rootfs.",
	 "set allowPrivilegeEscalation: false, or remove the set-uid bit or file capabilities"},
    [CS_LINT_SCC_NOT_ADMITTED] = {"scc-not-admitted", "CS006", "NotAdmittedBySCC", CS_LINT_ERROR,
				  "3.0", "No SecurityContextConstraints admits the pod",
				  "OpenShift admission (modelled with --scc or --openshift) finds "
				  "no SCC the pod's service account may use that admits every "
				  "container: the pod will be rejected.",
				  "change the securityContext to fit the SCC, or grant an SCC"},
    [CS_LINT_PSA_LEVEL] = {"psa-level", "CS007", "PodSecurityLevel", CS_LINT_ERROR, "5.0",
			   "The pod does not meet the Pod Security level",
			   "The pod fails a check of the Pod Security Standards level given "
			   "with --psa-level; a namespace that enforces it rejects the pod.",
			   "change the fields the message names"},
    [CS_LINT_CAP_SPELLING] =
	{"cap-spelling", "CS008", "CapabilitySpelling", CS_LINT_WARNING, "4.0",
	 "A capability is spelled in a way runtimes treat differently",
	 "Kubernetes passes capability names as written. containerd prefixes every name "
	 "with CAP_ (so CAP_NET_RAW becomes the unknown CAP_CAP_NET_RAW, which runc skips), "
	 "and Pod Security, SCCs and policy engines compare the names as written "
	 "(\"all\" is not \"ALL\", \"net_raw\" is not \"NET_RAW\").",
	 "write the name in upper case without CAP_, and ALL in upper case"},
};

const struct cs_lint_rule *cs_lint_rule(enum cs_lint_rule_id id)
{
	return (unsigned)id < CS_LINT_NRULES ? &rules[id] : NULL;
}

int cs_lint_rule_find(const char *s)
{
	for (int i = 0; s && i < CS_LINT_NRULES; i++)
		if (!strcmp(s, rules[i].id) || !strcmp(s, rules[i].code))
			return i;
	return -1;
}

const char *cs_lint_help_uri(enum cs_lint_rule_id id, char *buf, size_t len)
{
	snprintf(buf, len, "%s#%s", CS_LINT_DOCS_URL, rules[id % CS_LINT_NRULES].id);
	return buf;
}

static const char *const level_names[] = {"off", "note", "warning", "error"};

const char *cs_lint_level_name(enum cs_lint_level l)
{
	return (unsigned)l <= CS_LINT_ERROR ? level_names[l] : "?";
}

int cs_lint_level_parse(const char *s, enum cs_lint_level *out)
{
	for (int i = 0; s && i <= CS_LINT_ERROR; i++)
		if (!strcmp(s, level_names[i])) {
			*out = (enum cs_lint_level)i;
			return 0;
		}
	return -EINVAL;
}

/*
 * What each capability lets a process do to the node (capabilities(7) and
 * the container escapes that used them). Capabilities in the runtimes'
 * default sets (CHOWN, DAC_OVERRIDE, NET_RAW, …) are missing-drop-all's
 * business, not this table's.
 */
static const struct cs_lint_danger dangers[] = {
    {2,
     "DAC_READ_SEARCH reads any file by handle (open_by_handle_at): the shocker escape "
     "reads the node's files",
     "8.0"},
    {12,
     "NET_ADMIN reconfigures interfaces, routes and firewall rules of the network namespace "
     "(and the node's with hostNetwork)",
     "7.0"},
    {16, "SYS_MODULE loads kernel modules: code in the node's kernel", "9.5"},
    {17, "SYS_RAWIO gives raw I/O ports and /dev/mem access", "9.0"},
    {19,
     "SYS_PTRACE traces and injects into other processes it can see (with hostPID: the "
     "node's)",
     "8.0"},
    {21,
     "SYS_ADMIN mounts file systems, uses many namespaced and global admin operations: the "
     "usual way out of a container",
     "9.0"},
    {22, "SYS_BOOT reboots the node and loads a new kernel (kexec_load)", "8.5"},
    {24, "SYS_RESOURCE overrides resource limits and quotas of the node", "5.0"},
    {25, "SYS_TIME sets the node's clock (the clock is not namespaced)", "7.0"},
    {32, "MAC_OVERRIDE overrides the mandatory access control (SELinux, Smack)", "8.0"},
    {33, "MAC_ADMIN changes the mandatory access control policy", "8.0"},
    {34, "SYSLOG reads and clears the kernel log, which shows kernel addresses", "5.0"},
    {38, "PERFMON opens perf events on the node's kernel", "6.0"},
    {39,
     "BPF loads BPF programs and maps: reads kernel memory with PERFMON, attaches to the "
     "node's kernel",
     "8.5"},
    {40, "CHECKPOINT_RESTORE chooses pids and reads other processes' state", "5.0"},
};

const struct cs_lint_danger *cs_lint_danger(int cap)
{
	for (size_t i = 0; i < sizeof(dangers) / sizeof(dangers[0]); i++)
		if (dangers[i].cap == cap)
			return &dangers[i];
	return NULL;
}
