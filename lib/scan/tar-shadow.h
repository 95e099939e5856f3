/* SPDX-License-Identifier: MIT */
/*
 * Go's archive/tar's view of a tar stream, from its headers alone: the
 * entries containerd and Docker unpack, named as Go names them. libarchive
 * reads a layer for the scanner; this reads the same bytes beside it, so
 * that a layer the two read differently is refused, not scanned as the one
 * the runtimes never write (lib/scan/image.c).
 */
#ifndef CAPSCOPE_SCAN_TAR_SHADOW_H
#define CAPSCOPE_SCAN_TAR_SHADOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cs_tar_shadow;

int cs_tar_shadow_new(struct cs_tar_shadow **out);
void cs_tar_shadow_free(struct cs_tar_shadow *s);

/* The next len bytes of the uncompressed stream. 0, or -ENOMEM. */
int cs_tar_shadow_feed(struct cs_tar_shadow *s, const void *buf, size_t len);

/*
 * Data bytes the shadow would pass unread from here (an entry's body and
 * padding), and passing n of them (n <= that) without their bytes: a
 * reader of a plain file may seek over them.
 */
uint64_t cs_tar_shadow_skippable(const struct cs_tar_shadow *s);
void cs_tar_shadow_skip(struct cs_tar_shadow *s, uint64_t n);

/* The stream has no more bytes: Go's end of file there, or its error. */
void cs_tar_shadow_finish(struct cs_tar_shadow *s);

/*
 * The next entry Go's reader returns, taken off the queue: its name and,
 * for a hard or symbolic link, its target (else NULL). false when no entry
 * is waiting: none seen yet, the end, or an error.
 */
bool cs_tar_shadow_next(struct cs_tar_shadow *s, const char **name, const char **link);

/*
 * What Go's reader says of the entry cs_tar_shadow_next gave last (NULL
 * when none): the numbers containerd and Docker apply, as Go parses them
 * (libarchive parses some differently: a mode field "\0" "004755" is 04755
 * to Go and 0 to libarchive), and its type.
 */
struct cs_tar_go_meta {
	int64_t mode, uid, gid;
	int64_t size; /* the logical size; of a sparse file, its GNU.sparse size record's */
	char type;    /* the typeflag; '5' for a '\0' whose name ends in '/', as Go makes it */
	bool sparse;  /* a GNU PAX sparse file (0.0, 0.1, 1.0) */
};
const struct cs_tar_go_meta *cs_tar_shadow_meta(const struct cs_tar_shadow *s);

/*
 * The security.capability Go gives the entry cs_tar_shadow_next returned
 * last: its PAX header's last SCHILY.xattr.security.capability record,
 * which containerd and Docker set (LIBARCHIVE.xattr records they ignore).
 * false when it has none.
 */
bool cs_tar_shadow_fcaps(const struct cs_tar_shadow *s, const void **value, size_t *len);

/* Go has read to its end of archive (two zero blocks, or the stream's end at a header). */
bool cs_tar_shadow_ended(const struct cs_tar_shadow *s);

/* Why Go's reader would fail on this stream (its pull would), or NULL. */
const char *cs_tar_shadow_error(const struct cs_tar_shadow *s);

#endif
