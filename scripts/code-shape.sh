#!/usr/bin/env bash
# The shape the code is held to (issue 9): cli/ under 15% of the C lines in
# cli/, lib/ and include/ (the project's own measure: bpf/ and daemon/ are not
# counted, so they cannot flatter the figure), no
# file in cli/ over 500 lines, no function anywhere over 150 lines. Prints
# the figures and the offenders; exit 1 when a limit is broken. A function
# is what lies between a '{' and a '}' alone at the start of a line (the
# kernel style that .clang-format enforces).
cd "$(dirname "$0")/.." || exit 2
rc=0
count() { find "$@" -name '*.[ch]' -print0 | xargs -0 cat | wc -l; }
cli=$(count cli)
all=$(count cli lib include)
pct=$((cli * 1000 / all))
printf 'C lines: cli %d of %d in cli+lib+include (%d.%d%%; limit 15%%)\n' "$cli" "$all" $((pct / 10)) $((pct % 10))
[ "$pct" -ge 150 ] && rc=1
while read -r n f; do
  [ "$f" = total ] && continue
  if [ "$n" -gt 500 ]; then echo "cli file over 500 lines: $f ($n)"; rc=1; fi
done < <(find cli -name '*.[ch]' -print0 | xargs -0 wc -l)
for f in $(find cli lib bpf daemon -name '*.c'); do
  awk -v f="$f" '
    /^\{/ { start = NR; name = prev }
    /^\}/ && start { len = NR - start - 1; if (len > 150) printf "function over 150 lines: %s: %s (%d)\n", f, name, len; start = 0 }
    { if ($0 ~ /^[A-Za-z_].*\(/) prev = $0 }
  ' "$f"
done | tee /tmp/code-shape.$$ 
[ -s /tmp/code-shape.$$ ] && rc=1
rm -f /tmp/code-shape.$$
exit $rc
