/* SPDX-License-Identifier: MIT */
/* explain oci: execve's E2BIG from process.args, process.env and RLIMIT_STACK. */
#ifndef CAPSCOPE_EXPLAIN_OCI_E2BIG_H
#define CAPSCOPE_EXPLAIN_OCI_E2BIG_H

#include <stdbool.h>
#include <stddef.h>

#include "capscope/kernel.h"
#include "capscope/oci.h"

/*
 * Whether execve of filename (the name runc passes: args[0] as written, or
 * the $PATH candidate; f: the file it opens, NULL if unknown, whose "#!"
 * chain splices its names in) certainly refuses what runc 1.1 copies: 1 with why
 * filled (step execve.e2big's text), 0 when it does not, -ENOMEM, -E2BIG
 * (the image's lookup bound). The HOME runc adds is read from the
 * /etc/passwd of image, or of cfg->root_path when image is NULL.
 */
struct cs_image;
int cs_oci_exec_e2big(const struct cs_oci_config *cfg, const char *filename,
		      const struct cs_exec_file *f, const struct cs_image *image, char *why,
		      size_t len);

#endif
