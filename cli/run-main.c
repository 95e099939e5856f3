/* SPDX-License-Identifier: MIT */
/*
 * capscope-run: `capscope run` alone, linked statically, so a container
 * image can use it as its entrypoint wrapper without any shared library.
 */
#include "commands.h"

int main(int argc, char **argv)
{
	return cmd_run(argc, argv);
}
