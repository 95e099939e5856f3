/* SPDX-License-Identifier: MIT */
/*
 * Whether this kernel has a sysctl. The runtimes write a pod's sysctls by
 * opening /proc/sys/NAME (every '.' a '/'): runc in its init, CRI-O's pinns
 * when it makes the sandbox's namespaces; a name the kernel does not have
 * fails there and no container of the pod starts. capscope takes this
 * kernel as the node's, as it does for cap_last_cap.
 */
#ifndef CAPSCOPE_INTERNAL_SYSCTL_HERE_H
#define CAPSCOPE_INTERNAL_SYSCTL_HERE_H

/*
 * 1: /proc/sys holds name as a file; 0: it does not (no such file); 2: it
 * does, but root may not write it there (EACCES: net.core.rmem_max in a new
 * network namespace); 3: it is a directory (a table, EISDIR): the
 * runtimes' open for writing fails on 0, 2 and 3. Below 0, cannot tell,
 * one of CS_SYSCTL_UNTOLD_* (cs_sysctl_untold says why). A name of the
 * network or IPC namespace (net.*, kernel.shm*, kernel.msg*, kernel.sem,
 * fs.mqueue.*) is looked up in a new such namespace, as the pod's is
 * (cs_sysctl_fresh_ns), never in this process's own.
 */
int cs_sysctl_here(const char *name);

enum {
	CS_SYSCTL_UNTOLD_NO_PROC = -1, /* no /proc/sys here */
	CS_SYSCTL_UNTOLD_IFACE = -2,   /* under an interface's own directory
					* (net.ipv4.conf.eth0.*): the pod's */
	CS_SYSCTL_UNTOLD_USERNS = -3,  /* a namespace made in a user namespace
					* hides tables runc's has */
	CS_SYSCTL_UNTOLD_NO_NS = -4,   /* no new namespace could be made or asked */
};

/* Why cs_sysctl_here could not tell (its answer below 0), in words. */
const char *cs_sysctl_untold(int here);

/*
 * path (/proc/sys/...) in a new network and IPC namespace: 1 a file there,
 * 2 one root may not write there, 3 a directory, 0 none; CS_SYSCTL_UNTOLD_NO_NS
 * (no namespace could be made or asked) or CS_SYSCTL_UNTOLD_USERNS (only one
 * inside a new user namespace, which hides some tables runc's has, and the
 * file is not there, or is not a writable file). One child per process
 * answers every question.
 */
int cs_sysctl_fresh_ns(const char *path);

#endif
