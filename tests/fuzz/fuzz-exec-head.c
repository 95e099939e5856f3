/* SPDX-License-Identifier: MIT */
/*
 * Fuzz what execve's model reads of a file it is about to run (lib/exec-script.c,
 * lib/exec-elf.c): the "#!" line of any file a scan, an image or `run` meets,
 * and an ELF file's header and program headers (PT_INTERP). The file is
 * anyone's: a name and its argument must fit the buffers the header promises,
 * and the loader's name must be NUL-terminated within the length given.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal/exec-elf.h"
#include "internal/exec-script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[CS_EXEC_HEAD_MAX], arg[CS_EXEC_HEAD_MAX], interp[64];
	size_t n = size < CS_EXEC_HEAD_MAX ? size : CS_EXEC_HEAD_MAX;
	/* Exactly the bytes the kernel would read, on the heap: ASan sees a read past them. */
	char *head = calloc(1, n ? n : 1);
	int r, fd;

	if (!head)
		return 0;
	memcpy(head, data, n);
	(void)cs_exec_head_unknown(head, n);
	r = cs_exec_script_interpreter(head, n, name, size % 2 ? arg : NULL);
	free(head);
	if (r == 1) {
		char *argv[] = {"a", "b", NULL};
		char **v;

		if (strlen(name) >= CS_EXEC_HEAD_MAX) /* empty is allowed: "#!" and a NUL */
			abort();
		if (size % 2 && strlen(arg) >= CS_EXEC_HEAD_MAX)
			abort();
		v = cs_exec_script_argv(name, size % 2 ? arg : "", "/x", argv);
		if (v && (strcmp(v[0], name) || !v[size % 2 && arg[0] ? 3 : 2] ||
			  v[size % 2 && arg[0] ? 4 : 3]))
			abort();
		free(v);
	} else if (r != 0 && r != -ENOEXEC)
		abort();

	/* The whole input as a file: the ELF reader pulls headers from any offset. */
	if ((fd = memfd_create("fuzz", MFD_CLOEXEC)) < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		memset(interp, 'x', sizeof(interp));
		r = cs_exec_elf_interp(fd, interp, size % 3 + 61);
		if (r == 1 && !memchr(interp, '\0', size % 3 + 61))
			abort();
		(void)cs_exec_elf_foreign(fd);
	}
	close(fd);
	return 0;
}
