/* SPDX-License-Identifier: MIT */
/* Whether this kernel has a sysctl (see internal/sysctl-here.h). */
#include <stdbool.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "internal/sysctl-here.h"

/*
 * The per-interface directories: a name under one of them
 * (net.ipv4.conf.eth0.rp_filter) is there when the pod's network namespace
 * has the interface, which this host's need not have ("all" and "default"
 * are in every namespace).
 */
static bool per_interface(const char *path)
{
	static const char *const dirs[] = {"net/ipv4/conf/", "net/ipv6/conf/", "net/ipv4/neigh/",
					   "net/ipv6/neigh/"};

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		size_t n = strlen(dirs[i]);

		if (!strncmp(path, dirs[i], n))
			return strncmp(path + n, "all/", 4) && strncmp(path + n, "default/", 8);
	}
	return false;
}

/*
 * The names runc and pinns write inside the pod's own network or IPC
 * namespace, which a new one need not have as this process's has them (62
 * net.* of one kernel are the initial namespace's only): runc's "N" and
 * "I" kinds (the kubelet's IPC prefixes, fs.mqueue.*).
 */
static bool fresh_ns(const char *path)
{
	static const char *const dirs[] = {"net/", "kernel/shm", "kernel/msg", "kernel/sem",
					   "fs/mqueue/"};

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (!strncmp(path, dirs[i], strlen(dirs[i])))
			return true;
	return false;
}

int cs_sysctl_here(const char *name)
{
	static const char root[] = "/proc/sys/";
	char path[4096];
	size_t len = strlen(name);
	struct stat st;
	struct statfs fs;

	/* without a /proc/sys to look in, nothing can be told; nor in one
	 * that is not the kernel's (a tmpfs or a bind of a directory over it:
	 * its files are anyone's, twenty-eighth pass, part D) */
	if (stat("/proc/sys/kernel", &st) < 0 || !S_ISDIR(st.st_mode) ||
	    statfs("/proc/sys/kernel", &fs) < 0 || fs.f_type != PROC_SUPER_MAGIC)
		return CS_SYSCTL_UNTOLD_NO_PROC;
	/* longer than any path the kernel opens: it has no such sysctl */
	if (len >= sizeof(path) - sizeof(root))
		return 0;
	memcpy(path, root, sizeof(root) - 1);
	/* runc's and pinns' one conversion: every '.' a '/' (so no ".." is left) */
	for (size_t i = 0; i <= len; i++)
		path[sizeof(root) - 1 + i] = name[i] == '.' ? '/' : name[i];
	if (per_interface(path + sizeof(root) - 1))
		return CS_SYSCTL_UNTOLD_IFACE;
	/* not this process's namespace, which may be the initial one or a
	 * container's (hiding tables): a new one's answer, or none */
	if (fresh_ns(path + sizeof(root) - 1))
		return cs_sysctl_fresh_ns(path);
	/* a directory (net.ipv4, a table) is there, and no open for writing
	 * takes it: EISDIR, not "no such file" (twenty-eighth pass, part D) */
	if (stat(path, &st) < 0)
		return 0;
	return S_ISREG(st.st_mode) ? 1 : S_ISDIR(st.st_mode) ? 3 : 0;
}

const char *cs_sysctl_untold(int here)
{
	switch (here) {
	case CS_SYSCTL_UNTOLD_NO_PROC:
		return "there is no /proc/sys of the kernel's (procfs) here to look in";
	case CS_SYSCTL_UNTOLD_IFACE:
		return "it is under an interface's own directory, and the interface is the "
		       "pod's, not this host's";
	case CS_SYSCTL_UNTOLD_USERNS:
		return "capscope is not root of the initial user namespace, and a network "
		       "namespace made in another hides tables the pod's has";
	default:
		return "no new network and IPC namespace could be made or asked here";
	}
}
