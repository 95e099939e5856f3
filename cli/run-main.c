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
		return cs_std_fds_refused("run");
	return cmd_run(argc, argv);
}
