/* SPDX-License-Identifier: MIT */
/* SHA-256 (lib/scan/sha256.c) against FIPS 180-4's examples and sha256sum,
 * in both its compression functions: the portable one and, where the
 * processor has them, the x86 SHA extensions' (sha256-x86.c). */
#include "cmocka-wrap.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

static void digest(const void *data, size_t n, size_t chunk, bool portable, char hex[65])
{
	struct cs_sha256 s;
	const uint8_t *p = data;

	cs_sha256_init(&s);
	if (portable)
		s.sha_ni = false;
	for (size_t off = 0; off < n; off += chunk)
		cs_sha256_update(&s, p + off, n - off < chunk ? n - off : chunk);
	cs_sha256_hex(&s, hex);
}

static void check(const void *data, size_t n, size_t chunk, const char *want)
{
	char hex[65];

	digest(data, n, chunk, true, hex);
	assert_string_equal(hex, want);
	digest(data, n, chunk, false, hex);
	assert_string_equal(hex, want);
}

/* Does /proc/cpuinfo list the SHA extensions ("sha_ni")? */
static bool cpuinfo_has_sha_ni(void)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, "flags", 5) && strstr(line, " sha_ni");
	fclose(f);
	return found;
}

/* Where the kernel says the processor has the SHA extensions, they are the
 * ones used, so the tests above check that code and not only the portable
 * one; elsewhere they are not used. Under valgrind, whose CPU has no SHA
 * extensions (its CPUID says so), there is nothing to compare. */
static void test_selected(void **state)
{
	struct cs_sha256 s;
	const char *preload = getenv("LD_PRELOAD");

	(void)state;
	if (preload && strstr(preload, "vgpreload")) {
		printf("# under valgrind: its CPUID, not the processor's, decides\n");
		return;
	}
	cs_sha256_init(&s);
#if defined(__x86_64__)
	assert_int_equal(s.sha_ni, cpuinfo_has_sha_ni());
	if (!s.sha_ni)
		printf(
		    "# the SHA extensions are absent here: only the portable code was checked\n");
#else
	(void)cpuinfo_has_sha_ni;
	assert_false(s.sha_ni);
#endif
}

/* Both compression functions agree on every length to 2,100 bytes, fed
 * whole and in odd pieces, over bytes from a fixed pseudo-random sequence. */
static void test_agree(void **state)
{
	uint8_t b[2100];
	uint32_t x = 2463534242u;
	char fast[65], slow[65];

	(void)state;
	for (size_t i = 0; i < sizeof(b); i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		b[i] = (uint8_t)x;
	}
	for (size_t n = 0; n <= sizeof(b); n += 1 + n / 64) {
		digest(b, n, n ? n : 1, false, fast);
		digest(b, n, n ? n : 1, true, slow);
		assert_string_equal(fast, slow);
		digest(b, n, 67, false, fast);
		assert_string_equal(fast, slow);
	}
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
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nist), cmocka_unit_test(test_sha256sum),
	    cmocka_unit_test(test_selected), cmocka_unit_test(test_agree)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
