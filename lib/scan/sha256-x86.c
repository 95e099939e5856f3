/*
 * SHA-256's compression function on the x86 SHA extensions (SHA-NI), and the
 * CPUID check that says whether this processor has them. sha256.h says why.
 *
 * The instructions work on the state split as {A,B,E,F} and {C,D,G,H}
 * (Intel SDM, SHA256RNDS2): each SHA256RNDS2 does two rounds, so the loop
 * below does the standard's 64 rounds as 16 groups of four, and
 * SHA256MSG1/SHA256MSG2 compute the message schedule (FIPS 180-4 6.2.2
 * step 1) four words at a time.
 */
#include "sha256-x86.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#include <cpuid.h>
#include <immintrin.h>

bool cs_sha256_x86_usable(void)
{
	unsigned a, b, c, d;

	/* leaf 1 ECX: SSSE3 (bit 9) and SSE4.1 (bit 19), used to load and
	 * byte-swap the words; leaf 7 EBX bit 29: the SHA extensions */
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 9)) || !(c & (1u << 19)))
		return false;
	if (__get_cpuid_max(0, NULL) < 7)
		return false;
	__cpuid_count(7, 0, a, b, c, d);
	return (b & (1u << 29)) != 0;
}

__attribute__((target("sha,ssse3,sse4.1"))) void
cs_sha256_x86_blocks(uint32_t h[8], const uint8_t *p, size_t nblocks, const uint32_t k[64])
{
	/* each 32-bit word of the message is big-endian */
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i lo = _mm_loadu_si128((const __m128i *)h);	/* A B C D, A lowest */
	__m128i hi = _mm_loadu_si128((const __m128i *)(h + 4)); /* E F G H */
	__m128i abef, cdgh;

	lo = _mm_shuffle_epi32(lo, 0xb1);     /* B A D C */
	hi = _mm_shuffle_epi32(hi, 0x1b);     /* H G F E */
	abef = _mm_alignr_epi8(lo, hi, 8);    /* F E B A: A in the top lane */
	cdgh = _mm_blend_epi16(hi, lo, 0xf0); /* H G D C */

	for (; nblocks; nblocks--, p += 64) {
		__m128i abef0 = abef, cdgh0 = cdgh;
		__m128i w[4];

		for (int i = 0; i < 4; i++) {
			w[i] =
			    _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), bswap);
		}
		/* unrolled, so that w[] lives in registers (twice the speed at -O2) */
#pragma GCC unroll 16
		for (int g = 0; g < 16; g++) {
			__m128i wk =
			    _mm_add_epi32(w[g & 3], _mm_loadu_si128((const __m128i *)(k + 4 * g)));

			/* two rounds leave the new {A,B,E,F} in the register that held
			 * {C,D,G,H}, and the old {A,B,E,F} is then the new {C,D,G,H} */
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
			abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0e));
			if (g < 12) {
				/* W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16] for the
				 * group four ahead, in the slot this group has used */
				__m128i t7 = _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4);
				__m128i x = _mm_add_epi32(
				    _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]), t7);

				w[g & 3] = _mm_sha256msg2_epu32(x, w[(g + 3) & 3]);
			}
		}
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}

	lo = _mm_shuffle_epi32(abef, 0x1b);				  /* A B E F, A lowest */
	hi = _mm_shuffle_epi32(cdgh, 0xb1);				  /* G H C D */
	_mm_storeu_si128((__m128i *)h, _mm_blend_epi16(lo, hi, 0xf0));	  /* A B C D */
	_mm_storeu_si128((__m128i *)(h + 4), _mm_alignr_epi8(hi, lo, 8)); /* E F G H */
}

#else

bool cs_sha256_x86_usable(void)
{
	return false;
}

void cs_sha256_x86_blocks(uint32_t h[8], const uint8_t *p, size_t nblocks, const uint32_t k[64])
{
	(void)h, (void)p, (void)nblocks, (void)k;
}

#endif
