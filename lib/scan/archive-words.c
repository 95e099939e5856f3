/* SPDX-License-Identifier: MIT */
/*
 * libarchive's error texts, said in capscope's words. Its own ("Unrecognized
 * archive format", "Truncated input file (needed 512 bytes, only 188
 * available)") came on capscope's line after the context, in another
 * voice and capitalised mid-line (twenty-fifth pass, part A, said there;
 * twenty-sixth, part C). The ones a cut or foreign file gives are said
 * here; any other is kept, named as libarchive's.
 */
#include "archive-words.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *cs_archive_words(const char *es, char *buf, size_t len)
{
	unsigned need, have;
	char what[16];
	int end = 0;

	if (!es || !*es)
		snprintf(buf, len, "unreadable archive");
	else if (!strncmp(es, "Can't allocate", 14) || !strcasecmp(es, "Out of memory") ||
		 !strcmp(es, "No memory") || !strcmp(es, "No memory."))
		/* its allocations that failed: "Can't allocate memory for Uname";
		 * "out of memory" is image.c's own, set on a reader */
		snprintf(buf, len, "out of memory");
	else if (!strncmp(es, "Unrecognized archive format", 27))
		/* the filters and the format image.c's readers enable; libarchive's
		 * tar reader bids nothing on a first header whose checksum is
		 * wrong, so a tar damaged there says this too ("not a tar" alone
		 * was untrue of it: twenty-seventh pass, part D) */
		snprintf(buf, len,
			 "not a tar archive (plain, or compressed with gzip, zstd, xz or bzip2), "
			 "or its first header is damaged");
	else if (sscanf(es, "Truncated input file (needed %u bytes, only %u available)", &need,
			&have) == 2)
		snprintf(buf, len, "the archive is cut short (%u bytes needed, %u left)", need,
			 have);
	else if (!strcmp(es, "Truncated tar archive") ||
		 !strncmp(es, "Truncated tar archive detected", 30))
		snprintf(buf, len, "the archive is cut short: it ends inside an entry");
	else if (sscanf(es, "Truncated %15[a-zA-Z0-9] input%n", what, &end) == 1 && !es[end])
		snprintf(buf, len, "the %s stream is cut short", what);
	else if (strstr(es, "decompression failed: Restored data doesn't match checksum"))
		snprintf(buf, len, "the zstd data does not match its checksum (damaged)");
	else if (!strcmp(es, "Damaged tar archive"))
		snprintf(buf, len, "a damaged tar header (its checksum or fields are wrong)");
	else
		snprintf(buf, len, "libarchive says: %s", es);
	return buf;
}
