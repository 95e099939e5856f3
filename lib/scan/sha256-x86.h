#ifndef CS_SCAN_SHA256_X86_H
#define CS_SCAN_SHA256_X86_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether this processor has the SHA extensions cs_sha256_x86_blocks needs
 * (always false off x86-64). */
bool cs_sha256_x86_usable(void);
/* SHA-256's compression function over nblocks 64-byte blocks at p, with the
 * standard's round constants k: only where cs_sha256_x86_usable(). */
void cs_sha256_x86_blocks(uint32_t h[8], const uint8_t *p, size_t nblocks, const uint32_t k[64]);

#endif
