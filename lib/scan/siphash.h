#ifndef CS_SCAN_SIPHASH_H
#define CS_SCAN_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

/*
 * SipHash-2-4 (Aumasson and Bernstein, 2012), written from the paper: a
 * keyed 64-bit hash whose collisions one who does not know the key cannot
 * make. The outer archive's index (image.c) keeps names as such hashes, not
 * as their bytes; FNV-1a, the hash used elsewhere, can be made to collide
 * whatever its seed.
 */
uint64_t cs_siphash24(const uint8_t key[16], const void *data, size_t n);

/* A fresh random key (getrandom): 0, or -errno when none can be had. */
int cs_siphash_key(uint8_t key[16]);

#endif
