/* SPDX-License-Identifier: MIT */
/*
 * The loader an ELF file names (PT_INTERP), read as fs/binfmt_elf.c reads
 * it, from hostile headers too: the run and its dry run take an ELF whose
 * loader is missing for execve's ENOENT, and anything else for a refusal.
 */
#include "cmocka-wrap.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal/exec-elf.h"

/* An ELF header of this process's own kind, one program header, and a PT_INTERP text. */
struct img {
	Elf64_Ehdr e;
	Elf64_Phdr p[2];
	char text[64];
};

static void img_init(struct img *m, const char *interp)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	memset(m, 0, sizeof(*m));
	assert_int_equal(pread(fd, &m->e, sizeof(m->e), 0), (ssize_t)sizeof(m->e));
	close(fd);
	assert_int_equal(m->e.e_ident[EI_CLASS], ELFCLASS64);
	m->e.e_type = ET_DYN;
	m->e.e_phoff = offsetof(struct img, p);
	m->e.e_phentsize = sizeof(Elf64_Phdr);
	m->e.e_phnum = 2;
	m->p[0].p_type = PT_LOAD;
	m->p[1].p_type = PT_INTERP;
	m->p[1].p_offset = offsetof(struct img, text);
	m->p[1].p_filesz = strlen(interp) + 1;
	memcpy(m->text, interp, strlen(interp) + 1);
}

/* m (its first n bytes) as an O_PATH descriptor of a file, as the run holds it. */
static int img_fd(const struct img *m, size_t n)
{
	char path[] = "/tmp/capscope-elf-XXXXXX";
	int fd = mkstemp(path), pfd;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, m, n), (ssize_t)n);
	close(fd);
	pfd = open(path, O_PATH | O_CLOEXEC);
	unlink(path);
	assert_true(pfd >= 0);
	return pfd;
}

static int interp_of(const struct img *m, size_t n, char *out)
{
	int fd = img_fd(m, n), rc = cs_exec_elf_interp(fd, out, PATH_MAX);

	close(fd);
	return rc;
}

static void loader(void **state)
{
	char out[PATH_MAX];
	struct img m;
	int fd;

	(void)state;
	img_init(&m, "/nonexistent/ld.so");
	assert_int_equal(interp_of(&m, sizeof(m), out), 1);
	assert_string_equal(out, "/nonexistent/ld.so");
	fd = img_fd(&m, sizeof(m));
	assert_int_equal(cs_exec_elf_loader_access(fd), -ENOENT);
	close(fd);
	/* A loader that is there and executable; a directory is no loader (EACCES). */
	img_init(&m, "/bin/sh");
	fd = img_fd(&m, sizeof(m));
	assert_int_equal(cs_exec_elf_loader_access(fd), 0);
	close(fd);
	img_init(&m, "/");
	fd = img_fd(&m, sizeof(m));
	assert_int_equal(cs_exec_elf_loader_access(fd), -EACCES);
	close(fd);
	/* No PT_INTERP: a static file names none. */
	img_init(&m, "/x");
	m.p[1].p_type = PT_NOTE;
	assert_int_equal(interp_of(&m, sizeof(m), out), 0);
	fd = img_fd(&m, sizeof(m));
	assert_int_equal(cs_exec_elf_loader_access(fd), 0);
	close(fd);
}

static void hostile(void **state)
{
	char out[PATH_MAX];
	struct img m;

	(void)state;
	img_init(&m, "/lib/ld.so");
	m.text[m.p[1].p_filesz - 1] = 'x'; /* not NUL-terminated */
	assert_int_equal(interp_of(&m, sizeof(m), out), -ENOEXEC);
	img_init(&m, "/lib/ld.so");
	m.p[1].p_filesz = 1; /* shorter than the kernel takes */
	assert_int_equal(interp_of(&m, sizeof(m), out), -ENOEXEC);
	img_init(&m, "/lib/ld.so");
	m.p[1].p_filesz = (Elf64_Xword)1 << 62;
	assert_int_equal(interp_of(&m, sizeof(m), out), -ENOEXEC);
	img_init(&m, "/lib/ld.so");
	m.p[1].p_offset = ~(Elf64_Off)0; /* past any file */
	assert_int_equal(interp_of(&m, sizeof(m), out), -ENOEXEC);
	img_init(&m, "/lib/ld.so");
	m.p[1].p_offset = 1000000; /* past this one: a short read */
	assert_int_equal(interp_of(&m, sizeof(m), out), -ENOEXEC);
	img_init(&m, "/lib/ld.so");
	m.e.e_phoff = ~(Elf64_Off)0 - 8;
	assert_int_equal(interp_of(&m, sizeof(m), out), -ENOEXEC);
	img_init(&m, "/lib/ld.so");
	m.e.e_phnum = 65535; /* more than 64 KiB of headers */
	assert_int_equal(interp_of(&m, sizeof(m), out), -ENOEXEC);
	img_init(&m, "/lib/ld.so");
	m.e.e_phnum = 0;
	assert_int_equal(interp_of(&m, sizeof(m), out), -ENOEXEC);
	img_init(&m, "/lib/ld.so");
	m.e.e_phentsize = 32;
	assert_int_equal(interp_of(&m, sizeof(m), out), -ENOEXEC);
	img_init(&m, "/lib/ld.so");
	m.e.e_type = ET_REL;
	assert_int_equal(interp_of(&m, sizeof(m), out), -ENOEXEC);
	img_init(&m, "/lib/ld.so");
	m.e.e_machine ^= 0x100; /* another machine: binfmt_misc's (qemu), not the ELF loader's */
	assert_int_equal(interp_of(&m, sizeof(m), out), -ENOEXEC);
	img_init(&m, "/lib/ld.so");
	m.e.e_ident[EI_DATA] = m.e.e_ident[EI_DATA] == ELFDATA2LSB ? ELFDATA2MSB : ELFDATA2LSB;
	assert_int_equal(interp_of(&m, sizeof(m), out), -ENOEXEC);
	img_init(&m, "/lib/ld.so");
	assert_int_equal(interp_of(&m, 20, out), -ENOEXEC); /* cut in the header */
	assert_int_equal(interp_of(&m, offsetof(struct img, p) + 10, out), -ENOEXEC);
	memcpy(&m, "#!/bin/sh\n", 10);
	assert_int_equal(interp_of(&m, sizeof(m), out), -ENOEXEC);
	assert_int_equal(interp_of(&m, 0, out), -ENOEXEC); /* empty */
}

static int foreign_of(const struct img *m, size_t n)
{
	int fd = img_fd(m, n), rc = cs_exec_elf_foreign(fd);

	close(fd);
	return rc;
}

/*
 * An ELF no loader of this kernel takes: execve says ENOEXEC, and the dry
 * run predicted it would run. A 32-bit one may be the compat loader's.
 */
static void foreign(void **state)
{
	struct img m;

	(void)state;
	img_init(&m, "/lib/ld.so");
	assert_int_equal(foreign_of(&m, sizeof(m)), 0);
	m.e.e_machine = m.e.e_machine == EM_AARCH64 ? EM_X86_64 : EM_AARCH64;
	assert_int_equal(foreign_of(&m, sizeof(m)), 1);
	img_init(&m, "/lib/ld.so");
	m.e.e_ident[EI_DATA] = m.e.e_ident[EI_DATA] == ELFDATA2LSB ? ELFDATA2MSB : ELFDATA2LSB;
	assert_int_equal(foreign_of(&m, sizeof(m)), 1);
	img_init(&m, "/lib/ld.so");
	m.e.e_type = ET_REL;
	assert_int_equal(foreign_of(&m, sizeof(m)), 1);
	img_init(&m, "/lib/ld.so");
	m.e.e_ident[EI_CLASS] = 7;
	assert_int_equal(foreign_of(&m, sizeof(m)), 1);
	img_init(&m, "/lib/ld.so");
	m.e.e_ident[EI_CLASS] = ELFCLASS32;
	m.e.e_machine = EM_386;
	assert_int_equal(foreign_of(&m, sizeof(m)), 0);
	/* Not ELF, or cut short: not this question's. */
	assert_int_equal(foreign_of(&m, 3), 0);
	img_init(&m, "/lib/ld.so");
	assert_int_equal(foreign_of(&m, 20), 0);
	memcpy(&m, "#!/bin/sh\n", 10);
	assert_int_equal(foreign_of(&m, sizeof(m)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(loader),
	    cmocka_unit_test(hostile),
	    cmocka_unit_test(foreign),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
