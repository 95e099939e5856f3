/* SPDX-License-Identifier: MIT */
/* The loader an ELF file names, and whether execve could open it (see exec-elf.h). */
#include <elf.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal/cleanup.h"
#include "internal/exec-elf.h"

/* A descriptor that can be read: fd itself, or its /proc/self/fd link when it is O_PATH. */
static int readable(int fd, int *owned)
{
	char self[64];
	int fl = fcntl(fd, F_GETFL);

	*owned = -1;
	if (fl >= 0 && !(fl & O_PATH))
		return fd;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	*owned = open(self, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	return *owned;
}

static int read_at(int fd, void *buf, size_t n, uint64_t off);

/*
 * The machine and class this process runs as (its own executable's header):
 * an ELF of another is not the ELF loader's (ENOEXEC there, or a binfmt_misc
 * emulator's), and a 32-bit ELF on a 64-bit kernel goes to the compat
 * loader, which is not modelled here either.
 */
static int self_machine = -1, self_class = -1;

static bool native(unsigned char cls, uint16_t machine)
{
	if (self_machine < 0) {
		cs_cleanup_close int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
		Elf64_Ehdr e;

		if (fd < 0 || read_at(fd, &e, sizeof(e), 0) < 0)
			return false;
		self_class = e.e_ident[EI_CLASS];
		self_machine = e.e_machine;
	}
	return cls == self_class && machine == self_machine;
}

static int read_at(int fd, void *buf, size_t n, uint64_t off)
{
	ssize_t got;

	if (off > (uint64_t)LLONG_MAX)
		return -ENOEXEC;
	got = pread(fd, buf, n, (off_t)off);
	if (got < 0)
		return -errno;
	return (size_t)got == n ? 0 : -ENOEXEC; /* the kernel's elf_read: a short read is ENOEXEC */
}

/* One program header, either class, as the 64-bit fields. */
struct phdr {
	uint32_t type;
	uint64_t offset, filesz;
};

static int read_phdr(int fd, bool is64, uint64_t at, struct phdr *p)
{
	int rc;

	if (is64) {
		Elf64_Phdr h;

		if ((rc = read_at(fd, &h, sizeof(h), at)) < 0)
			return rc;
		*p = (struct phdr){h.p_type, h.p_offset, h.p_filesz};
	} else {
		Elf32_Phdr h;

		if ((rc = read_at(fd, &h, sizeof(h), at)) < 0)
			return rc;
		*p = (struct phdr){h.p_type, h.p_offset, h.p_filesz};
	}
	return 0;
}

int cs_exec_elf_interp(int fd, char *interp, size_t len)
{
	unsigned char ident[EI_NIDENT];
	cs_cleanup_close int owned = -1;
	uint64_t phoff;
	unsigned phnum, phentsize, type, machine;
	bool is64;
	int rfd = readable(fd, &owned), rc;

	if (rfd < 0)
		return -errno;
	if ((rc = read_at(rfd, ident, sizeof(ident), 0)) < 0)
		return rc;
	if (memcmp(ident, ELFMAG, SELFMAG) != 0 ||
	    (ident[EI_CLASS] != ELFCLASS64 && ident[EI_CLASS] != ELFCLASS32) ||
	    ident[EI_DATA] != (BYTE_ORDER == LITTLE_ENDIAN ? ELFDATA2LSB : ELFDATA2MSB))
		return -ENOEXEC;
	is64 = ident[EI_CLASS] == ELFCLASS64;
	if (is64) {
		Elf64_Ehdr e;

		if ((rc = read_at(rfd, &e, sizeof(e), 0)) < 0)
			return rc;
		phoff = e.e_phoff, phnum = e.e_phnum, phentsize = e.e_phentsize;
		type = e.e_type, machine = e.e_machine;
	} else {
		Elf32_Ehdr e;

		if ((rc = read_at(rfd, &e, sizeof(e), 0)) < 0)
			return rc;
		phoff = e.e_phoff, phnum = e.e_phnum, phentsize = e.e_phentsize;
		type = e.e_type, machine = e.e_machine;
	}
	if ((type != ET_EXEC && type != ET_DYN) || !native(ident[EI_CLASS], machine))
		return -ENOEXEC;
	/* fs/binfmt_elf.c load_elf_phdrs: the entry size must match, 64 KiB of headers at most. */
	if (phentsize != (is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)) || phnum < 1 ||
	    (uint64_t)phnum * phentsize > 65536)
		return -ENOEXEC;
	for (unsigned i = 0; i < phnum; i++) {
		struct phdr p;

		if ((rc = read_phdr(rfd, is64, phoff + (uint64_t)i * phentsize, &p)) < 0)
			return rc;
		if (p.type != PT_INTERP)
			continue;
		/* The first PT_INTERP is the one: 2 bytes to PATH_MAX, NUL-terminated. */
		if (p.filesz > PATH_MAX || p.filesz < 2 || p.filesz > len)
			return -ENOEXEC;
		if ((rc = read_at(rfd, interp, p.filesz, p.offset)) < 0)
			return rc;
		if (interp[p.filesz - 1] != '\0')
			return -ENOEXEC;
		return 1;
	}
	return 0;
}

int cs_exec_elf_loader_access(int fd)
{
	char interp[PATH_MAX];
	struct stat sb;
	int rc = cs_exec_elf_interp(fd, interp, sizeof(interp));

	if (rc <= 0)
		return rc;
	/* open_exec: a regular file, executable by these credentials, not on a noexec mount. */
	if (stat(interp, &sb) < 0)
		return -errno;
	if (!S_ISREG(sb.st_mode))
		return -EACCES;
	if (faccessat(AT_FDCWD, interp, X_OK, AT_EACCESS) < 0)
		return -errno;
	return 0;
}

int cs_exec_elf_foreign(int fd)
{
	unsigned char ident[EI_NIDENT];
	cs_cleanup_close int owned = -1;
	Elf32_Ehdr e; /* e_type and e_machine sit at the same offsets in both classes */
	int rfd = readable(fd, &owned);

	if (rfd < 0 || read_at(rfd, ident, sizeof(ident), 0) < 0 ||
	    memcmp(ident, ELFMAG, SELFMAG) != 0)
		return 0;
	if (ident[EI_DATA] != (BYTE_ORDER == LITTLE_ENDIAN ? ELFDATA2LSB : ELFDATA2MSB) ||
	    (ident[EI_CLASS] != ELFCLASS64 && ident[EI_CLASS] != ELFCLASS32))
		return 1;
	if (read_at(rfd, &e, sizeof(e), 0) < 0)
		return 0; /* cut short: execve's own reading says what it says */
	if (e.e_type != ET_EXEC && e.e_type != ET_DYN)
		return 1;
	/* Another class may be the compat loader's (enabled or not: not known here). */
	return !native(ident[EI_CLASS], e.e_machine) && ident[EI_CLASS] == self_class;
}
