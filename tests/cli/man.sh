#!/usr/bin/env bash
# Every man page renders without a groff warning.
source "$(dirname "$0")/../lib/tap.sh"
command -v groff >/dev/null || skip_all "groff is not installed"
for page in "$CAPSCOPE_TOP"/man/*.1; do
  out=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1)
  is "$out" "" "$(basename "$page") renders cleanly"
done
done_testing
