/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the image lookups explain pod --image does: open the bytes as an image
 * (here: one layer, through a memfd so cs_image_open reads a real file), then
 * resolve entrypoints through PATH and symlinks and read /etc/passwd. Every
 * path reached must stay absolute inside the image.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capscope/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *names[] = {
	    "nc", "/usr/bin/nc", "bin/sh", "../../../etc/passwd", "/proc/self/exe", "./x"};
	struct cs_scan_opts o = {.max_bytes = 64u << 20, .max_ratio = 1000};
	struct cs_image *im = NULL;
	struct cs_diag d = {0};
	char path[64];
	int fd = memfd_create("fuzz-image", MFD_CLOEXEC);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (cs_image_open(path, &o, &im, &d) == 0) {
		struct cs_exec_file f;
		struct cs_image_stat st;
		const char *buf;
		size_t len;

		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			cs_image_exec_resolve(im, "/", names[i],
					      "/usr/local/bin:/usr/bin:/bin::", &f);
			if (!f.error && !f.known)
				abort(); /* found means its metadata was read */
			cs_exec_file_clear(&f);
			if (cs_image_lookup(im, names[i], true, &st) == 0) {
				if (st.path[0] != '/')
					abort();
				cs_image_stat_clear(&st);
			}
		}
		if (cs_image_read_small(im, "/etc/passwd", &buf, &len) == 0 && strlen(buf) > len)
			abort(); /* the kept content is terminated where it ends */
		cs_image_close(im);
	}
	close(fd);
	return 0;
}
