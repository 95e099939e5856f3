/* SPDX-License-Identifier: MIT */
/*
 * What go-yaml v2 (through sigs.k8s.io/yaml, how Kubernetes reads a
 * manifest) makes of a plain scalar: a boolean, a number or a string.
 * Internal to libcapscope.
 */
#ifndef CAPSCOPE_LIB_K8S_YAML11_H
#define CAPSCOPE_LIB_K8S_YAML11_H

#include <stdbool.h>
#include <stddef.h>

/* 1 or 0 for a YAML 1.1 boolean (`yes`, `Off`, `y`...), -1 otherwise. */
int yaml11_bool(const char *s, size_t len);

/*
 * Whether go-yaml v2 resolves the plain scalar to an integer or a float
 * (resolve.go: `.inf`/`.nan` spellings, strconv.ParseInt/ParseUint with
 * base prefixes after removing `_`, its float pattern, `0b` forms), so that
 * Kubernetes refuses it where a string is expected. `10.0.0.1`, `1.2.3`,
 * `1-2` and `2001-12-14` are strings there.
 */
bool yaml11_number(const char *s, size_t len);

#endif
