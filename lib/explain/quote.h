/* SPDX-License-Identifier: MIT */
/* Snippet quoting inside the library (the public forms are in escape.h). */
#ifndef CAPSCOPE_EXPLAIN_QUOTE_H
#define CAPSCOPE_EXPLAIN_QUOTE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The arguments of a Dockerfile RUN instruction that runs argv[0..n): the
 * shell form "w1 w2" when each word is a plain word or '...', which every
 * POSIX sh reads alike; else the exec form ["w1", "w2"] (JSON, no shell).
 * $'...' is not for a Dockerfile: RUN's shell form runs the image's
 * /bin/sh, dash on Debian and Ubuntu (0.5.12), which reads $'/x\x1b' as
 * "$/x\x1b" (second round of the fifteenth pass). A word that starts with
 * '-' (a relative path) gets "./" first, so no command takes it for an
 * option. NULL with *err -EILSEQ when a word needs the exec form and is
 * not UTF-8 (JSON cannot hold it: Docker would read U+FFFD, another
 * file), -ENOMEM; *err 0 otherwise.
 */
char *cs_quote_run_dup(const char *const *argv, size_t n, int *err);

/* Whether s is valid UTF-8 (RFC 3629). */
bool cs_text_is_utf8(const char *s);

#endif
