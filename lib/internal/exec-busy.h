/* SPDX-License-Identifier: MIT */
/*
 * ETXTBSY: execve refuses a file some process holds open for writing
 * (do_open_execat: exe_file_deny_write_access), and nothing in the file's
 * mode, owner or xattrs says so. The kernel answers the question itself
 * since Linux 6.14: execveat with AT_EXECVE_CHECK opens the file for
 * execution as execve does (search, permission, noexec, the write check),
 * runs the security modules' check and returns without executing. Its only
 * effect is execve's own: writers are held off for the call's duration.
 * An older kernel refuses the flag (EINVAL): no answer, taken as not busy,
 * as before; so is anything that answers the call without honouring the
 * flag (valgrind would execute the file): the flag is tried first on a file
 * no loader takes (lib/exec-busy.c check_honoured).
 */
#ifndef CAPSCOPE_INTERNAL_EXEC_BUSY_H
#define CAPSCOPE_INTERNAL_EXEC_BUSY_H

/*
 * 1 when execve of path under dirfd (path "" : dirfd itself, O_PATH is
 * enough) would fail with ETXTBSY, with the caller's credentials; 0 when
 * not, or when the kernel is older than 6.14 (it cannot say); -errno when
 * the kernel knows the check but it could not be asked here (the probe
 * failed with that errno: a filter, vm.memfd_noexec=2, an emulator).
 */
int cs_exec_text_busy(int dirfd, const char *path);

#endif
