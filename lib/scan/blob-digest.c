/* Blobs against the digests that name them (blob-digest.h). */
#include "blob-digest.h"

#include <errno.h>
#include <string.h>

#include "../internal/util.h"

int cs_blob_digest_start(struct cs_blob_digest *b, const char *digest, const char *what,
			 struct cs_diag *d)
{
	const char *hex = digest + 7;

	b->on = false;
	if (strncmp(digest, "sha256:", 7) != 0)
		return cs_diag_set(d, EINVAL, 0, 0, "digest",
				   "%.*s%s: digest '%.*s%s' is not sha256, the one algorithm "
				   "capscope checks a blob against: refusing it unchecked",
				   CS_MSG_CUTS(what, 100), CS_MSG_CUTS(digest, 80));
	/* go-digest (containerd's) takes only lower-case hex, 64 digits */
	if (strlen(hex) != 64 || strspn(hex, "0123456789abcdef") != 64)
		return cs_diag_set(d, EINVAL, 0, 0, "digest",
				   "%.*s%s: '%.*s%s' is not a sha256 digest (64 lower-case hex "
				   "digits); refusing it",
				   CS_MSG_CUTS(what, 100), CS_MSG_CUTS(digest, 80));
	memcpy(b->want, hex, 65);
	cs_sha256_init(&b->sum);
	b->n = 0;
	b->want_size = -1;
	b->on = true;
	return 0;
}

void cs_blob_digest_feed(struct cs_blob_digest *b, const void *data, size_t n)
{
	if (!b->on || !n)
		return;
	cs_sha256_update(&b->sum, data, n);
	b->n += n;
}

int cs_blob_digest_end(struct cs_blob_digest *b, const char *what, bool uncompressed,
		       struct cs_diag *d)
{
	char got[65];

	if (!b->on)
		return 0;
	b->on = false;
	/* containerd's content writer: "unexpected commit size", when the size
	 * given is over 0 (a size of 0 is not checked there either) */
	if (b->want_size > 0 && b->n != (unsigned long long)b->want_size)
		return cs_diag_set(d, EINVAL, 0, 0, NULL,
				   "%.*s%s: %llu bytes, where its descriptor's size says %lld "
				   "(containerd refuses the blob)",
				   CS_MSG_CUTS(what, 100), (unsigned long long)b->n, b->want_size);
	cs_sha256_hex(&b->sum, got);
	if (strcmp(got, b->want) == 0)
		return 0;
	/* both digests whole: the message (256 bytes) cuts the name first */
	return cs_diag_set(d, EINVAL, 0, 0, NULL,
			   "%.*s%s: its %sbytes hash to sha256:%s, not to sha256:%s (altered)",
			   CS_MSG_CUTS(what, 56), uncompressed ? "uncompressed " : "", got,
			   b->want);
}

int cs_blob_digest_check(const char *digest, long long size, const void *data, size_t len,
			 const char *what, struct cs_diag *d)
{
	struct cs_blob_digest b;
	int rc = cs_blob_digest_start(&b, digest, what, d);

	if (rc < 0)
		return rc;
	b.want_size = size;
	cs_blob_digest_feed(&b, data, len);
	return cs_blob_digest_end(&b, what, false, d);
}
