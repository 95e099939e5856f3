/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the binfmt_misc entry reader (lib/exec-binfmt.c): the text of one
 * handler's entry file, as fs/binfmt_misc.c entry_status prints it, with
 * its fixed arrays of magic and mask bytes filled from hex in a loop (the
 * pattern of issue #13 class 3). The input's first byte is the length of
 * the file's head; the head follows, then the entry's text, written to an
 * entry file of a binfmt_misc-like directory. Property: no crash, and a
 * claim names the entry and an interpreter.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/internal/exec-binfmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void put(const char *name, const void *b, size_t n)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0 ||
	    write(fd, b, n) != (ssize_t)n)
		abort();
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_binfmt_claim c;
	size_t headlen;
	int r;

	if (!dir[0]) {
		const char *t = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/fuzz-binfmt-XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(dir))
			abort();
		put("status", "enabled\n", 8);
	}
	if (size < 1)
		return 0;
	headlen = data[0] < size - 1 ? data[0] : size - 1;
	put("e", data + 1 + headlen, size - 1 - headlen);
	r = cs_exec_binfmt_claim(dir, "/x/a.sh", (const char *)data + 1, headlen, &c);
	if (r == 1 && (strcmp(c.name, "e") != 0 || !c.interp[0]))
		abort();
	if (r < 0 && strcmp(c.name, "e") != 0)
		abort(); /* an entry not read is named */
	return 0;
}
