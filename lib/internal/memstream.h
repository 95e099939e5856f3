/* SPDX-License-Identifier: MIT */
#ifndef CS_INTERNAL_MEMSTREAM_H
#define CS_INTERNAL_MEMSTREAM_H

#include <stddef.h>
#include <stdio.h>

/*
 * A FILE writing into memory, as open_memstream, but one whose failure is
 * seen. glibc 2.36's open_memstream drops the bytes of a write whose growth
 * failed and sets no error flag, so fclose returns 0 over a text with a
 * hole in it (and, when its last shrink fails, over no text at all with
 * *len still set): a memory shortage of a moment read as a whole answer
 * (twenty-first pass, part C). Here a failed growth fails the write (the
 * stream's error flag) and cs_memstream_close says so.
 */
FILE *cs_memstream_open(char **buf, size_t *len);

/* Close f: 0 with *buf the whole text (NUL-terminated, the caller's to
 * free) and *len its length, or -ENOMEM with *buf NULL and *len 0 when a
 * write failed. A plain fclose(f) returns EOF then, too. */
int cs_memstream_close(FILE *f);

#endif
