#!/usr/bin/env bash
# Every C file is formatted by the pinned clang-format (14, Debian 12's, as
# scripts/install-deps.sh installs it) with the repository's .clang-format.
# `make format` fixes what this finds.
. "$(dirname "$0")/../lib/tap.sh"
cd "$CAPSCOPE_TOP" || exit 1
fmt=$(command -v clang-format-14) || skip_all "clang-format-14 is not installed (scripts/install-deps.sh installs it)"
files=$(find include lib cli bpf daemon tests bench examples -name '*.[ch]' -not -path '*/corpus/*' | sort)
for f in $files; do
  if "$fmt" --style=file --dry-run --Werror "$f" >/dev/null 2>&1; then
    ok 0 "clang-format: $f"
  else
    ok 1 "clang-format: $f"
    "$fmt" --style=file "$f" | diff -u "$f" - | head -n 20 | sed 's/^/#   /'
  fi
done
done_testing
