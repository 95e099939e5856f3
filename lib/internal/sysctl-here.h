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
 * 1: /proc/sys holds name as a file; 0: it does not (no such file, or a
 * directory: the runtimes' open for writing fails on both); 2: it does,
 * but root may not write it there (EACCES: net.core.rmem_max in a new
 * network namespace), a failure the same as 0; -1: cannot
 * tell (no /proc/sys here, or a name under an interface's own directory,
 * net.ipv4.conf.eth0.*, whose interface is the pod's, not this host's).
 * A name of the network or IPC namespace (net.*, kernel.shm*, kernel.msg*,
 * kernel.sem, fs.mqueue.*) is looked up in a new such namespace, as the
 * pod's is (cs_sysctl_fresh_ns), never in this process's own: -1 when
 * that cannot tell.
 */
int cs_sysctl_here(const char *name);

/*
 * path (/proc/sys/...) in a new network and IPC namespace: 1 a file there,
 * 2 one root may not write there, 0 none, -1 cannot tell (no namespace could be made; or only one
 * inside a new user namespace, which hides some tables runc's has, and the file is not there). One
 * child per process answers every question.
 */
int cs_sysctl_fresh_ns(const char *path);

#endif
