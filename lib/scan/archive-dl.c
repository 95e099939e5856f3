/* SPDX-License-Identifier: MIT */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

/* This file needs the real names, for __typeof__ and dlsym. */
#define CS_ARCHIVE_DL_NO_RENAME
#include "archive-dl.h"
#include "capscope/diag.h"
#include "internal/archive-live.h"
#include "internal/util.h"
#include "xz-read.h"

#define CS_ARCHIVE_DEFINE(name) __typeof__(name) *cs_sym_##name;
CS_ARCHIVE_SYMBOLS(CS_ARCHIVE_DEFINE)
CS_LZMA_SYMBOLS(CS_ARCHIVE_DEFINE)
#undef CS_ARCHIVE_DEFINE

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int load_rc;
static char load_why[256];

static void load(void)
{
	void *h, *z = NULL;

	if (cs_linked_statically()) {
		snprintf(load_why, sizeof(load_why),
			 "this program is linked statically and cannot load shared libraries "
			 "safely (capscope runs such commands in capscope-dyn)");
		load_rc = -ELIBACC;
		return;
	}
	h = dlopen(CS_LIBARCHIVE_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		snprintf(load_why, sizeof(load_why), "%s", dlerror());
		load_rc = -ELIBACC;
		return;
	}
	/* Every symbol or none: a half-loaded table would crash later. */
#define CS_ARCHIVE_RESOLVE(name)                                                                   \
	if (load_rc == 0 && !(cs_sym_##name = (__typeof__(name) *)dlsym(h, #name))) {              \
		snprintf(load_why, sizeof(load_why), "%s: no symbol %s", CS_LIBARCHIVE_SONAME,     \
			 #name);                                                                   \
		load_rc = -ELIBACC;                                                                \
	}
	CS_ARCHIVE_SYMBOLS(CS_ARCHIVE_RESOLVE)
	/* libarchive's own liblzma, already loaded with it */
	if (load_rc == 0 && !(z = dlopen(CS_LIBLZMA_SONAME, RTLD_NOW | RTLD_LOCAL))) {
		snprintf(load_why, sizeof(load_why), "%s", dlerror());
		load_rc = -ELIBACC;
	}
#undef CS_ARCHIVE_RESOLVE
#define CS_LZMA_RESOLVE(name)                                                                      \
	if (load_rc == 0 && !(cs_sym_##name = (__typeof__(name) *)dlsym(z, #name))) {              \
		snprintf(load_why, sizeof(load_why), "%s: no symbol %s", CS_LIBLZMA_SONAME,        \
			 #name);                                                                   \
		load_rc = -ELIBACC;                                                                \
	}
	CS_LZMA_SYMBOLS(CS_LZMA_RESOLVE)
#undef CS_LZMA_RESOLVE
}

int cs_archive_dlopen(struct cs_diag *d)
{
	pthread_once(&once, load);
	if (load_rc < 0)
		return cs_diag_set(d, -load_rc, 0, 0, NULL, "cannot load libarchive: %s", load_why);
	return 0;
}

/* libarchive's readers alive (more than one for an image's nested layers). */
static int live;

struct archive *cs_archive_read_new_counted(void)
{
	struct archive *a = cs_sym_archive_read_new();

	if (a)
		__atomic_add_fetch(&live, 1, __ATOMIC_RELAXED);
	return a;
}

int cs_archive_read_free_counted(struct archive *a)
{
	if (a)
		__atomic_sub_fetch(&live, 1, __ATOMIC_RELAXED);
	cs_xz_forget(a); /* a decoder whose close libarchive never called */
	return cs_sym_archive_read_free(a);
}

bool cs_archive_reading(void)
{
	return __atomic_load_n(&live, __ATOMIC_RELAXED) > 0;
}
