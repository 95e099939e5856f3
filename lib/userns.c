/* SPDX-License-Identifier: MIT */
/*
 * The kubelet's user namespace ids and, per capability, what a process that
 * holds it inside a pod's user namespace can act on. Each row names the
 * kernel check that decides (Linux 6.x): ns_capable(owner, cap) counts the
 * capability held in the pod's namespace when the object's namespace is
 * owned by it; capable(cap) is ns_capable(&init_user_ns, cap) and so never
 * counts for a process in a child namespace; capable_wrt_inode_uidgid
 * (kernel/capability.c) also wants the file's uid and gid mapped into the
 * caller's namespace (privileged_wrt_inode_uidgid).
 */
#include "capscope/userns.h"

#include <errno.h>

#include "capscope/number.h"

int cs_userns_base_parse(const char *arg, uint32_t *base, struct cs_diag *d)
{
	uint32_t v;

	if (cs_parse_u32(arg, UINT32_MAX, &v) < 0)
		return cs_diag_set(d, EINVAL, 0, 0, "--userns-base",
				   "'%s' is not a node uid (a decimal number)", arg);
	/* userns_manager.go MakeUserNsManager and record(): the same three rules. */
	if (v % CS_USERNS_IDS_PER_POD || v < CS_USERNS_IDS_PER_POD ||
	    (uint64_t)v + CS_USERNS_IDS_PER_POD > (uint64_t)UINT32_MAX + 1)
		return cs_diag_set(d, EINVAL, 0, 0, "--userns-base",
				   "%u: the kubelet only maps a pod to a multiple of 65536 from "
				   "65536 up to 4294901760 (never node uid 0)",
				   (unsigned)v);
	*base = v;
	return 0;
}

struct cs_idmap cs_userns_pod_map(uint32_t base)
{
	return (struct cs_idmap){0, base, CS_USERNS_IDS_PER_POD};
}

#define POD  CS_USERNS_POD_NAMESPACES
#define IDS  CS_USERNS_MAPPED_IDS
#define PART CS_USERNS_PARTLY
#define NODE CS_USERNS_NODE_ONLY

/* Indexed by capability number (include/uapi/linux/capability.h). */
static const struct cs_userns_cap table[] = {
    {0, IDS,
     "chown of files whose owner and group are mapped into the pod; node-owned "
     "files (shown as nobody) cannot be chowned",
     "fs/attr.c chown_ok: capable_wrt_inode_uidgid(CAP_CHOWN)"},
    {1, IDS,
     "bypasses file permissions only on files whose uid and gid are mapped into the "
     "pod; a node-owned file stays unwritable",
     "fs/namei.c generic_permission: capable_wrt_inode_uidgid(CAP_DAC_OVERRIDE)"},
    {2, IDS,
     "reads and searches mapped files only; open_by_handle_at needs the node's "
     "capability",
     "fs/namei.c generic_permission: capable_wrt_inode_uidgid; fs/fhandle.c "
     "may_decode_fh: capable(CAP_DAC_READ_SEARCH)"},
    {3, IDS, "acts as owner only of files whose uid and gid are mapped into the pod",
     "fs/inode.c inode_owner_or_capable: capable_wrt_inode_uidgid(CAP_FOWNER)"},
    {4, IDS, "keeps set-id bits only on files of mapped ids",
     "fs/attr.c setattr_should_drop_sgid: capable_wrt_inode_uidgid(CAP_FSETID)"},
    {5, POD,
     "signals processes of the pod's user namespace (and its children) only, never "
     "node processes of other users",
     "kernel/signal.c kill_ok_by_cred: ns_capable(tcred->user_ns, CAP_KILL)"},
    {6, IDS, "setgid/setgroups to gids mapped into the pod (others are EINVAL)",
     "kernel/sys.c __sys_setgid: ns_capable_setid(old->user_ns, CAP_SETGID), make_kgid"},
    {7, IDS, "setuid to uids mapped into the pod (others are EINVAL)",
     "kernel/sys.c __sys_setuid: ns_capable_setid(old->user_ns, CAP_SETUID), make_kuid"},
    {8, POD, "changes the process's own sets (bounding drop, inheritable) inside the pod",
     "security/commoncap.c cap_capset / cap_prctl_drop: ns_capable(current_user_ns(), "
     "CAP_SETPCAP)"},
    {9, NODE, "immutable and append-only flags need the node's capability",
     "fs/ioctl.c fileattr_set_prepare: capable(CAP_LINUX_IMMUTABLE)"},
    {10, POD,
     "binds ports below 1024 in the pod's own network namespace (which the pod's user "
     "namespace owns); never on the node's network",
     "net/ipv4/af_inet.c __inet_bind: ns_capable(net->user_ns, CAP_NET_BIND_SERVICE)"},
    {11, NODE, "unused by the kernel", "no check"},
    {12, POD,
     "configures the pod's own interfaces, routes and firewall (its network namespace); "
     "not the node's",
     "net/core/rtnetlink.c and net/netfilter: ns_capable(net->user_ns, CAP_NET_ADMIN)"},
    {13, POD, "raw and packet sockets in the pod's own network namespace",
     "net/ipv4/af_inet.c inet_create: ns_capable(net->user_ns, CAP_NET_RAW)"},
    {14, NODE, "locking memory beyond RLIMIT_MEMLOCK needs the node's capability",
     "mm/mlock.c can_do_mlock: capable(CAP_IPC_LOCK)"},
    {15, POD, "bypasses IPC permissions in the pod's own IPC namespace",
     "ipc/util.c ipcperms: ns_capable(ns->user_ns, CAP_IPC_OWNER)"},
    {16, NODE, "loading kernel modules: never from a user namespace",
     "kernel/module/main.c may_init_module: capable(CAP_SYS_MODULE)"},
    {17, NODE, "raw I/O (iopl, /dev/mem, ...): never from a user namespace",
     "arch/x86/kernel/ioport.c ksys_ioperm: capable(CAP_SYS_RAWIO)"},
    {18, POD, "chroot inside the pod's own filesystem view",
     "fs/open.c ksys_chroot: ns_capable(current_user_ns(), CAP_SYS_CHROOT)"},
    {19, POD, "ptrace of the pod's own processes only",
     "kernel/ptrace.c ptrace_has_cap(tcred->user_ns)"},
    {20, NODE, "process accounting needs the node's capability",
     "kernel/acct.c sys_acct: capable(CAP_SYS_PACCT)"},
    {21, PART,
     "mounts in the pod's own mount namespace (tmpfs, proc, overlay and other "
     "FS_USERNS_MOUNT filesystems), sethostname in its UTS namespace, setns into its "
     "own namespaces; most device, quota, swap and block-filesystem operations need "
     "the node's capability",
     "fs/namespace.c may_mount: ns_capable(current->nsproxy->mnt_ns->user_ns, "
     "CAP_SYS_ADMIN); kernel/sys.c sethostname: ns_capable(uts_ns->user_ns, "
     "CAP_SYS_ADMIN); many other sites capable(CAP_SYS_ADMIN)"},
    {22, PART,
     "reboot() in the pod's own PID namespace ends that namespace; the node is never "
     "rebooted",
     "kernel/reboot.c sys_reboot: ns_capable(pid_ns->user_ns, CAP_SYS_BOOT), "
     "reboot_pid_ns"},
    {23, NODE, "raising priorities and real-time scheduling need the node's capability",
     "kernel/sched/syscalls.c can_nice / __sched_setscheduler: capable(CAP_SYS_NICE)"},
    {24, NODE, "raising hard limits and quotas need the node's capability",
     "kernel/sys.c do_prlimit: capable(CAP_SYS_RESOURCE)"},
    {25, NODE, "setting the clock: never from a user namespace",
     "security/commoncap.c cap_settime: capable(CAP_SYS_TIME)"},
    {26, NODE, "TTY configuration (vhangup) needs the node's capability",
     "fs/open.c vhangup: capable(CAP_SYS_TTY_CONFIG)"},
    {27, NODE, "creating device nodes needs the node's capability (whiteouts are the exception)",
     "fs/namei.c vfs_mknod: capable(CAP_MKNOD)"},
    {28, NODE, "leases on other users' files need the node's capability",
     "fs/locks.c generic_setlease: capable(CAP_LEASE)"},
    {29, NODE, "the audit system accepts messages only from the initial namespace",
     "kernel/audit.c audit_netlink_ok: current_user_ns() != &init_user_ns → "
     "ECONNREFUSED"},
    {30, NODE, "audit control only from the initial namespace", "kernel/audit.c audit_netlink_ok"},
    {31, IDS, "sets file capabilities (as v3, rootid = the pod's root) on mapped files",
     "security/commoncap.c cap_convert_nscap: ns_capable(inode's namespace, "
     "CAP_SETFCAP)"},
    {32, NODE, "LSM policy overrides need the node's capability",
     "security/smack and others: capable(CAP_MAC_OVERRIDE)"},
    {33, NODE, "LSM configuration needs the node's capability",
     "security/apparmor, smack: capable(CAP_MAC_ADMIN)"},
    {34, NODE, "the kernel log needs the node's capability",
     "kernel/printk/printk.c check_syslog_permissions: capable(CAP_SYSLOG)"},
    {35, NODE, "wake alarms need the node's capability",
     "kernel/time/alarmtimer.c alarm_clock_getres / timer_create: "
     "capable(CAP_WAKE_ALARM)"},
    {36, NODE, "blocking suspend needs the node's capability",
     "kernel/power/wakelock.c, fs/eventpoll.c: capable(CAP_BLOCK_SUSPEND)"},
    {37, NODE, "reading the audit log only from the initial namespace",
     "kernel/audit.c audit_netlink_ok"},
    {38, NODE, "perf events need the node's capability",
     "include/linux/capability.h perfmon_capable: capable(CAP_PERFMON)"},
    {39, NODE, "BPF programs and maps need the node's capability",
     "include/linux/capability.h bpf_capable: capable(CAP_BPF)"},
    {40, POD, "checkpoint/restore (set_tid, map_files) in the pod's own PID namespace",
     "include/linux/capability.h checkpoint_restore_ns_capable(ns)"},
};

#undef POD
#undef IDS
#undef PART
#undef NODE

const struct cs_userns_cap *cs_userns_cap_info(int cap)
{
	static const struct cs_userns_cap unknown = {
	    -1, CS_USERNS_NODE_ONLY, "a capability capscope does not know: assume the node's",
	    "unknown"};

	if (cap >= 0 && (size_t)cap < sizeof(table) / sizeof(table[0]))
		return &table[cap];
	return &unknown;
}

/* Indexed by enum cs_userns_scope: the JSON id and the text column. */
static const char *const scope_names[][2] = {
    {"pod-namespaces", "inside the pod"},
    {"mapped-ids", "pod-owned ids"},
    {"partly", "partly"},
    {"node-only", "never"},
};

const char *cs_userns_scope_id(enum cs_userns_scope s)
{
	return scope_names[(unsigned)s <= CS_USERNS_NODE_ONLY ? s : CS_USERNS_NODE_ONLY][0];
}

const char *cs_userns_scope_label(enum cs_userns_scope s)
{
	return scope_names[(unsigned)s <= CS_USERNS_NODE_ONLY ? s : CS_USERNS_NODE_ONLY][1];
}
