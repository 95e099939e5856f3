/* SPDX-License-Identifier: MIT */
/*
 * Runs a fuzz target over every file of the corpus directories (or files)
 * given, like systemd's fuzz-main.c: the saved corpus becomes a normal test.
 * Prints TAP, one line per input; a crash or sanitizer report fails the run.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int n;

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long len;

	if (!f) {
		printf("not ok %d - %s: cannot open\n", ++n, path);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(len > 0 ? (size_t)len : 1);
	if (!buf || (len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len)) {
		fclose(f);
		free(buf);
		printf("not ok %d - %s: cannot read\n", ++n, path);
		return 1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	printf("ok %d - %s\n", ++n, path);
	return 0;
}

static int compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	int fails = 0;

	for (int i = 1; i < argc; i++) {
		struct stat sb;
		DIR *d;
		struct dirent *de;
		char **names = NULL;
		size_t cnt = 0;

		if (stat(argv[i], &sb) < 0) {
			printf("not ok %d - %s: missing\n", ++n, argv[i]);
			fails++;
			continue;
		}
		if (!S_ISDIR(sb.st_mode)) {
			fails += run_file(argv[i]);
			continue;
		}
		d = opendir(argv[i]);
		while (d && (de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			names = realloc(names, (cnt + 1) * sizeof(*names));
			names[cnt++] = strdup(de->d_name);
		}
		if (d)
			closedir(d);
		qsort(names, cnt, sizeof(*names), compare);
		for (size_t k = 0; k < cnt; k++) {
			char path[4096];

			snprintf(path, sizeof(path), "%s/%s", argv[i], names[k]);
			fails += run_file(path);
			free(names[k]);
		}
		free(names);
	}
	printf("1..%d\n", n);
	return fails ? 1 : 0;
}
