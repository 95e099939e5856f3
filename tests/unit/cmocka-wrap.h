/* SPDX-License-Identifier: MIT */
/* cmocka needs these headers first, in this order. */
#ifndef CAPSCOPE_TEST_CMOCKA_WRAP_H
#define CAPSCOPE_TEST_CMOCKA_WRAP_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#endif
