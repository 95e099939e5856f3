/* SPDX-License-Identifier: MIT */
/*
 * config.json's fields that the model does not read, typed as runc decodes
 * them: Go's encoding/json into the runtime-spec's specs.Spec (the version
 * runc 1.1 vendors, specs-go/config.go). A field of another type anywhere
 * (`"umask": -1`, `"hostname": 5`, `"mounts": {}`, a memory limit of "1G")
 * fails the decode, and runc does not create the container ("json: cannot
 * unmarshal ..."); such a bundle was predicted to run. Unknown keys are
 * ignored and null is absent, as in Go.
 *
 * Which fields runc knows is what its binary decodes, not the spec's
 * release notes: Debian's runc 1.1.5 is built against a newer spec package
 * than upstream 1.1.5 vendors, and decodes (and refuses a wrong type in)
 * `domainname`, `zos`, a mount's id mappings, `cpu.burst`, `cpu.idle` and
 * `memory.checkBeforeUpdate`, but not `process.scheduler`, `ioPriority` or
 * `linux.timeOffsets` (each tried against it with a value of another type,
 * sixteenth pass). A field typed here that an older runc ignores is refused
 * when mistyped: stricter, never more lenient.
 */
#include "internal/oci-types.h"

#include "internal/json-types.h"
#include "internal/util.h"

#include <errno.h>
#include <stdio.h>

#define STR	  CS_JS_STR
#define BOOL	  CS_JS_BOOL
#define STRV	  CS_JS_STRV
#define STR_MAP	  CS_JS_STR_MAP
#define OBJ	  CS_JS_OBJ
#define OBJ_ARRAY CS_JS_OBJ_ARRAY
#define OBJ_MAP	  CS_JS_OBJ_MAP
#define U16	  CS_JS_U16
#define U32	  CS_JS_U32
#define U64	  CS_JS_U64
#define I64	  CS_JS_I64
#define U32V	  CS_JS_U32V
#define END                                                                                        \
	{                                                                                          \
		NULL, 0, NULL                                                                      \
	}

typedef struct cs_json_field F;

static const F box[] = {{"height", U64, NULL}, {"width", U64, NULL}, END};
static const F user[] = {{"uid", U32, NULL},	  {"gid", U32, NULL},
			 {"umask", U32, NULL},	  {"additionalGids", U32V, NULL},
			 {"username", STR, NULL}, END};
static const F caps[] = {{"bounding", STRV, NULL},    {"effective", STRV, NULL},
			 {"inheritable", STRV, NULL}, {"permitted", STRV, NULL},
			 {"ambient", STRV, NULL},     END};
static const F rlimit[] = {{"type", STR, NULL}, {"hard", U64, NULL}, {"soft", U64, NULL}, END};
static const F process[] = {{"terminal", BOOL, NULL},
			    {"consoleSize", OBJ, box},
			    {"user", OBJ, user},
			    {"args", STRV, NULL},
			    {"commandLine", STR, NULL},
			    {"env", STRV, NULL},
			    {"cwd", STR, NULL},
			    {"capabilities", OBJ, caps},
			    {"rlimits", OBJ_ARRAY, rlimit},
			    {"noNewPrivileges", BOOL, NULL},
			    {"apparmorProfile", STR, NULL},
			    {"oomScoreAdj", I64, NULL},
			    {"selinuxLabel", STR, NULL},
			    END};
static const F root_[] = {{"path", STR, NULL}, {"readonly", BOOL, NULL}, END};
static const F idmap[] = {
    {"containerID", U32, NULL}, {"hostID", U32, NULL}, {"size", U32, NULL}, END};
static const F mount[] = {{"destination", STR, NULL},
			  {"type", STR, NULL},
			  {"source", STR, NULL},
			  {"options", STRV, NULL},
			  {"uidMappings", OBJ_ARRAY, idmap},
			  {"gidMappings", OBJ_ARRAY, idmap},
			  END};
static const F hook[] = {
    {"path", STR, NULL}, {"args", STRV, NULL}, {"env", STRV, NULL}, {"timeout", I64, NULL}, END};
static const F hooks[] = {{"prestart", OBJ_ARRAY, hook},
			  {"createRuntime", OBJ_ARRAY, hook},
			  {"createContainer", OBJ_ARRAY, hook},
			  {"startContainer", OBJ_ARRAY, hook},
			  {"poststart", OBJ_ARRAY, hook},
			  {"poststop", OBJ_ARRAY, hook},
			  END};
static const F dev_cgroup[] = {{"allow", BOOL, NULL}, {"type", STR, NULL},   {"major", I64, NULL},
			       {"minor", I64, NULL},  {"access", STR, NULL}, END};
static const F memory[] = {{"limit", I64, NULL},
			   {"reservation", I64, NULL},
			   {"swap", I64, NULL},
			   {"kernel", I64, NULL},
			   {"kernelTCP", I64, NULL},
			   {"swappiness", U64, NULL},
			   {"disableOOMKiller", BOOL, NULL},
			   {"useHierarchy", BOOL, NULL},
			   {"checkBeforeUpdate", BOOL, NULL},
			   END};
static const F cpu[] = {{"shares", U64, NULL},	       {"quota", I64, NULL},
			{"period", U64, NULL},	       {"realtimeRuntime", I64, NULL},
			{"realtimePeriod", U64, NULL}, {"cpus", STR, NULL},
			{"mems", STR, NULL},	       {"burst", U64, NULL},
			{"idle", I64, NULL},	       END};
static const F pids[] = {{"limit", I64, NULL}, END};
static const F weight_dev[] = {{"major", I64, NULL},
			       {"minor", I64, NULL},
			       {"weight", U16, NULL},
			       {"leafWeight", U16, NULL},
			       END};
static const F throttle_dev[] = {
    {"major", I64, NULL}, {"minor", I64, NULL}, {"rate", U64, NULL}, END};
static const F block_io[] = {{"weight", U16, NULL},
			     {"leafWeight", U16, NULL},
			     {"weightDevice", OBJ_ARRAY, weight_dev},
			     {"throttleReadBpsDevice", OBJ_ARRAY, throttle_dev},
			     {"throttleWriteBpsDevice", OBJ_ARRAY, throttle_dev},
			     {"throttleReadIOPSDevice", OBJ_ARRAY, throttle_dev},
			     {"throttleWriteIOPSDevice", OBJ_ARRAY, throttle_dev},
			     END};
static const F hugepage[] = {{"pageSize", STR, NULL}, {"limit", U64, NULL}, END};
static const F prio[] = {{"name", STR, NULL}, {"priority", U32, NULL}, END};
static const F network[] = {{"classID", U32, NULL}, {"priorities", OBJ_ARRAY, prio}, END};
static const F rdma[] = {{"hcaHandles", U32, NULL}, {"hcaObjects", U32, NULL}, END};
static const F resources[] = {{"devices", OBJ_ARRAY, dev_cgroup},
			      {"memory", OBJ, memory},
			      {"cpu", OBJ, cpu},
			      {"pids", OBJ, pids},
			      {"blockIO", OBJ, block_io},
			      {"hugepageLimits", OBJ_ARRAY, hugepage},
			      {"network", OBJ, network},
			      {"rdma", OBJ_MAP, rdma},
			      {"unified", STR_MAP, NULL},
			      END};
static const F ns[] = {{"type", STR, NULL}, {"path", STR, NULL}, END};
static const F device[] = {
    {"path", STR, NULL},     {"type", STR, NULL}, {"major", I64, NULL}, {"minor", I64, NULL},
    {"fileMode", U32, NULL}, {"uid", U32, NULL},  {"gid", U32, NULL},	END};
static const F sc_arg[] = {
    {"index", U64, NULL}, {"value", U64, NULL}, {"valueTwo", U64, NULL}, {"op", STR, NULL}, END};
static const F syscall[] = {{"names", STRV, NULL},
			    {"action", STR, NULL},
			    {"errnoRet", U64, NULL},
			    {"args", OBJ_ARRAY, sc_arg},
			    END};
static const F seccomp[] = {{"defaultAction", STR, NULL},     {"defaultErrnoRet", U64, NULL},
			    {"architectures", STRV, NULL},    {"flags", STRV, NULL},
			    {"listenerPath", STR, NULL},      {"listenerMetadata", STR, NULL},
			    {"syscalls", OBJ_ARRAY, syscall}, END};
static const F rdt[] = {{"closID", STR, NULL},	    {"l3CacheSchema", STR, NULL},
			{"memBwSchema", STR, NULL}, {"enableCMT", BOOL, NULL},
			{"enableMBM", BOOL, NULL},  END};
static const F personality[] = {{"domain", STR, NULL}, {"flags", STRV, NULL}, END};
static const F linux_[] = {{"uidMappings", OBJ_ARRAY, idmap},
			   {"gidMappings", OBJ_ARRAY, idmap},
			   {"sysctl", STR_MAP, NULL},
			   {"resources", OBJ, resources},
			   {"cgroupsPath", STR, NULL},
			   {"namespaces", OBJ_ARRAY, ns},
			   {"devices", OBJ_ARRAY, device},
			   {"seccomp", OBJ, seccomp},
			   {"rootfsPropagation", STR, NULL},
			   {"maskedPaths", STRV, NULL},
			   {"readonlyPaths", STRV, NULL},
			   {"mountLabel", STR, NULL},
			   {"intelRdt", OBJ, rdt},
			   {"personality", OBJ, personality},
			   END};
/* The other platforms' sections: runc decodes them too (and so fails on a
 * wrong type there) though it uses none of them. Windows' credentialSpec is
 * an interface{}: any JSON value. */
static const F sol_anet[] = {{"linkname", STR, NULL},	    {"lowerLink", STR, NULL},
			     {"allowedAddress", STR, NULL}, {"configureAllowedAddress", STR, NULL},
			     {"defrouter", STR, NULL},	    {"linkProtection", STR, NULL},
			     {"macAddress", STR, NULL},	    END};
static const F sol_cpu[] = {{"ncpus", STR, NULL}, END};
static const F sol_mem[] = {{"physical", STR, NULL}, {"swap", STR, NULL}, END};
static const F solaris[] = {{"milestone", STR, NULL},
			    {"limitpriv", STR, NULL},
			    {"maxShmMemory", STR, NULL},
			    {"anet", OBJ_ARRAY, sol_anet},
			    {"cappedCPU", OBJ, sol_cpu},
			    {"cappedMemory", OBJ, sol_mem},
			    END};
static const F win_dev[] = {{"id", STR, NULL}, {"idType", STR, NULL}, END};
static const F win_mem[] = {{"limit", U64, NULL}, END};
static const F win_cpu[] = {
    {"count", U64, NULL}, {"shares", U16, NULL}, {"maximum", U16, NULL}, END};
static const F win_storage[] = {
    {"iops", U64, NULL}, {"bps", U64, NULL}, {"sandboxSize", U64, NULL}, END};
static const F win_res[] = {
    {"memory", OBJ, win_mem}, {"cpu", OBJ, win_cpu}, {"storage", OBJ, win_storage}, END};
static const F win_hyperv[] = {{"utilityVMPath", STR, NULL}, END};
static const F win_net[] = {
    {"endpointList", STRV, NULL},    {"allowUnqualifiedDNSQuery", BOOL, NULL},
    {"DNSSearchList", STRV, NULL},   {"networkSharedContainerName", STR, NULL},
    {"networkNamespace", STR, NULL}, END};
static const F windows[] = {{"layerFolders", STRV, NULL},
			    {"devices", OBJ_ARRAY, win_dev},
			    {"resources", OBJ, win_res},
			    {"servicing", BOOL, NULL},
			    {"ignoreFlushesDuringBoot", BOOL, NULL},
			    {"hyperv", OBJ, win_hyperv},
			    {"network", OBJ, win_net},
			    END};
static const F vm_hyper[] = {{"path", STR, NULL}, {"parameters", STRV, NULL}, END};
static const F vm_kernel[] = {
    {"path", STR, NULL}, {"parameters", STRV, NULL}, {"initrd", STR, NULL}, END};
static const F vm_image[] = {{"path", STR, NULL}, {"format", STR, NULL}, END};
static const F vm[] = {
    {"hypervisor", OBJ, vm_hyper}, {"kernel", OBJ, vm_kernel}, {"image", OBJ, vm_image}, END};
static const F zos[] = {{"devices", OBJ_ARRAY, device}, END};
static const F spec[] = {{"ociVersion", STR, NULL}, {"process", OBJ, process},
			 {"root", OBJ, root_},	    {"hostname", STR, NULL},
			 {"domainname", STR, NULL}, {"mounts", OBJ_ARRAY, mount},
			 {"hooks", OBJ, hooks},	    {"annotations", STR_MAP, NULL},
			 {"linux", OBJ, linux_},    {"solaris", OBJ, solaris},
			 {"windows", OBJ, windows}, {"vm", OBJ, vm},
			 {"zos", OBJ, zos},	    END};

/*
 * Two keys for one field anywhere in the spec (any case: `"hostname"` and
 * `"Hostname"`, or the same key twice): Go decodes both, type-checks both
 * and keeps the later, where the model and these checks see the first, so
 * a bundle is refused rather than read as something runc does not.
 */
int cs_oci_config_types(const struct ydoc_node *doc, const char *reader, struct cs_diag *d)
{
	const struct ydoc_node *dup = NULL;
	char why[96];
	int r;

	/* the program that decodes this file is named: a base spec is
	 * containerd's (twenty-first pass, part E: it said runc's config.json) */
	snprintf(why, sizeof(why),
		 "%s (Go's encoding/json) does not load the file with another type there", reader);
	r = cs_json_check_types(doc, spec, "", NULL, why, &dup, d);

	if (r == 0 && dup) {
		char key[48];

		snprintf(key, sizeof(key), "%.*s%s", CS_MSG_CUT(dup->u.text, dup->n, 40));
		r = ydoc_error(d, dup, EINVAL, key,
			       "a second key '%.*s%s' for one field: %s (Go's encoding/json) "
			       "matches keys without case and keeps the later one; keep one",
			       CS_MSG_CUT(dup->u.text, dup->n, 40), reader);
	}
	return r;
}
