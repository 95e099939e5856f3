/* SPDX-License-Identifier: MIT */
/* SHA-256 (lib/scan/sha256.c) against FIPS 180-4's examples and sha256sum. */
#include "cmocka-wrap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

static void check(const void *data, size_t n, size_t chunk, const char *want)
{
	struct cs_sha256 s;
	char hex[65];
	const uint8_t *p = data;

	cs_sha256_init(&s);
	for (size_t off = 0; off < n; off += chunk)
		cs_sha256_update(&s, p + off, n - off < chunk ? n - off : chunk);
	cs_sha256_hex(&s, hex);
	assert_string_equal(hex, want);
}

/* The NIST examples (FIPS 180-4's SHA256.pdf and "long message" test). */
static void test_nist(void **state)
{
	static const char two[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char *m = malloc(1000000);

	(void)state;
	check("", 0, 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check("abc", 3, 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check(two, strlen(two), 64,
	      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	check(two, strlen(two), 5,
	      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	assert_non_null(m);
	memset(m, 'a', 1000000);
	check(m, 1000000, 1000000,
	      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	check(m, 1000000, 4097, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(m);
}

/* Bytes (i * 7 + 3) mod 256, i < 1000, and lengths around the 56-byte
 * padding edge: digests from sha256sum. */
static void test_sha256sum(void **state)
{
	uint8_t b[1000];

	(void)state;
	for (int i = 0; i < 1000; i++)
		b[i] = (uint8_t)(i * 7 + 3);
	for (size_t c = 1; c <= 130; c += 3)
		check(b, 1000, c,
		      "1e9bc38cbf860b9ec31918b065f9b52476c549a782e0e7990bed8ce3868d2371");
	check(b, 55, 55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b");
	check(b, 56, 56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27");
	check(b, 64, 7, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241");
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_nist),
					   cmocka_unit_test(test_sha256sum)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
