/* SPDX-License-Identifier: MIT */
/*
 * Whether a file's v3 capabilities count for this process when their
 * rootid is mapped in its user namespace as a uid other than 0. execve
 * applies them when that uid is root of this namespace or of any one above
 * it (security/commoncap.c rootid_owns_currentns walks to the initial
 * namespace), but from inside only the map to the parent can be read: in a
 * namespace two levels down, a file setcap gave on the host (rootid host 0,
 * shown here as 1000) was modelled as ignored, and `run --caps =` ran it
 * with its capabilities. Twenty-first pass, part B.
 */
#ifndef CAPSCOPE_INTERNAL_FCAPS_OWNER_H
#define CAPSCOPE_INTERNAL_FCAPS_OWNER_H

/*
 * Asks the kernel: a child process enters a new user namespace with no
 * map, where the rootid is mapped to nothing, and reads security.capability
 * of fd again; cap_inode_getsecurity then gives the v2 value only when a
 * namespace above owns the rootid (the same walk as execve's), EOVERFLOW
 * otherwise. 1 owned above, 0 not, -errno when it cannot be asked (no user
 * namespace may be made: sysctl, seccomp, chroot, depth).
 */
int cs_fcaps_rootid_owned_above(int fd);

#endif
