/* SPDX-License-Identifier: MIT */
/*
 * The loader an ELF file names (its PT_INTERP), as fs/binfmt_elf.c reads it:
 * an ELF whose loader cannot be opened makes execve fail with the loader's
 * error (ENOENT for a missing one), and execvp then goes on to the next
 * $PATH directory. The run and its dry run both need that answer.
 */
#ifndef CAPSCOPE_INTERNAL_EXEC_ELF_H
#define CAPSCOPE_INTERNAL_EXEC_ELF_H

#include <stddef.h>

/*
 * fd: an open file (O_PATH is enough). Returns 1 when it is an ELF file of
 * this machine's byte order naming a loader (copied to interp, len bytes at
 * most, NUL-terminated), 0 when it is such a file naming none (static),
 * -ENOEXEC when it is not one the ELF loader takes (not ELF, another byte
 * order, a header the kernel refuses), -errno when it cannot be read.
 */
int cs_exec_elf_interp(int fd, char *interp, size_t len);

/*
 * What execve would say of fd's loader with the caller's credentials, as
 * open_exec opens it (from the working directory when relative; a regular
 * file the caller may execute, not on a noexec mount): 0 when it may be
 * opened or fd names none, -errno (ENOENT, EACCES, ENOTDIR, ELOOP...) when
 * not, -ENOEXEC when fd is not an ELF file the kernel's ELF loader takes.
 */
int cs_exec_elf_loader_access(int fd);

/*
 * 1 when fd is an ELF file no ELF loader of this kernel takes, so execve
 * says ENOEXEC (a binfmt_misc handler aside): another byte order, an
 * unknown class, a type that is neither ET_EXEC nor ET_DYN, or this
 * machine's class with another machine. A 32-bit ELF on a 64-bit machine is
 * not foreign: the compat loader may take it (whether it is enabled is not
 * known here). 0 otherwise, and when fd cannot be read.
 */
int cs_exec_elf_foreign(int fd);

#endif
