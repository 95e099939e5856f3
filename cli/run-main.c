/* SPDX-License-Identifier: MIT */
/*
 * capscope-run: `capscope run` alone, linked statically, so a container
 * image can use it as its entrypoint wrapper without any shared library.
 */
#include "commands.h"
#include "output.h"

int main(int argc, char **argv)
{
	if (!cs_hold_std_fds())
		return cs_err(NULL, "a standard descriptor (0, 1 or 2) is closed and /dev/null "
				    "cannot be opened to hold it");
	return cmd_run(argc, argv);
}
