#!/usr/bin/env bash
# capscope's test runner: a thin wrapper over `meson test`. Every test is a
# meson test() speaking TAP (tests/meson.build); this runs the plain build's
# suites (unit, fuzz, cli, truth, asan-cli), the GCC sanitizer build's (unit,
# fuzz) and clang's UBSan build's (unit, fuzz), prints one line per test
# program from meson's logs and ends with "N passed, N failed, N skipped",
# counting TAP results.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=build
asan=build-asan
clang=build-clang
filter=
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --asan-build) asan=$2; shift 2 ;;
    --clang-build) clang=$2; shift 2 ;;
    --only) filter=$2; shift 2 ;;
    *) echo "usage: run.sh [--build DIR] [--asan-build DIR] [--clang-build DIR] [--only PATTERN]" >&2
       exit 2 ;;
  esac
done
cd "$top"
case "$build" in /*) ;; *) build="$top/$build" ;; esac
case "$asan" in /*) ;; *) asan="$top/$asan" ;; esac
case "$clang" in /*) ;; *) clang="$top/$clang" ;; esac
[ -x "$asan/capscope" ] && export CAPSCOPE_ASAN_BUILD="$asan"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export NO_COLOR=1

# The display name of a test: the plain build's "suite/name", the sanitizer
# builds' unit and fuzz tests as "asan/name" and "clang/name".
select_tests() { # builddir tag -> names of the tests to run, one per line
  meson test -C "$1" --no-rebuild --list 2>/dev/null |
    sed -n 's/^[^:]*:\([^ ]*\) \/ \(.*\)$/\1 \2/p' |
    while read -r suite name; do
      shown="$suite/${name#asan-}"
      [ "$2" != plain ] && shown="$2/$name"
      [ -n "$filter" ] && [[ "$shown" != *$filter* ]] && continue
      echo "$name"
    done
}

status=0
for pass in plain asan clang; do
  dir=$build
  [ "$pass" = asan ] && dir=$asan
  [ "$pass" = clang ] && dir=$clang
  rm -f "$dir/meson-logs/testlog-$pass.json"
  [ -f "$dir/build.ninja" ] || continue
  mapfile -t names < <(select_tests "$dir" "$pass")
  [ ${#names[@]} -eq 0 ] && continue
  # meson prints its own progress; our summary below is read from its log.
  meson test -C "$dir" --no-rebuild --num-processes 2 "${names[@]}" \
    >"$dir/meson-logs/run-sh.out" 2>&1 </dev/null || status=1
  cp "$dir/meson-logs/testlog.json" "$dir/meson-logs/testlog-$pass.json"
done

python3 - "$build/meson-logs/testlog-plain.json" "$asan/meson-logs/testlog-asan.json" \
  "$clang/meson-logs/testlog-clang.json" <<'PY'
import json, os, re, sys
passed = failed = skipped = 0
failed_names = []
order = {"unit": 0, "fuzz": 1, "asan": 2, "clang": 3, "cli": 4, "truth": 5, "asan-cli": 6}
rows = []
for path, tag in zip(sys.argv[1:], ["plain", "asan", "clang"]):
    if not os.path.exists(path):
        continue
    for line in open(path):
        t = json.loads(line)
        name = t["name"]
        suite = name.split(" / ")[0].split(":")[-1] if " / " in name else ""
        short = name.split(" / ")[-1]
        shown = f"{tag}/{short}" if tag != "plain" else f"{suite}/{short.removeprefix('asan-')}"
        rows.append((order.get(tag if tag != "plain" else suite, 9), shown, t))
for _, shown, t in sorted(rows, key=lambda r: r[0]):
    out = t.get("stdout") or ""
    ok = len(re.findall(r"^ok \d+", out, re.M))
    skip = len(re.findall(r"^ok \d+.*# *(?:SKIP|skip)", out, re.M))
    # cmocka 1.1 writes a skipped case as "not ok N # SKIP why": the
    # directive, not the "not", says what happened (TAP 13).
    skip_notok = len(re.findall(r"^not ok \d+.*# *(?:SKIP|skip)", out, re.M))
    notok = len(re.findall(r"^not ok \d+", out, re.M)) - skip_notok
    ok -= skip
    skip += skip_notok
    res = t["result"]
    if res == "SKIP" or re.search(r"^1\.\.0 *# *SKIP", out, re.M):
        skipped += 1
        why = re.search(r"^1\.\.0 *# *SKIP *(.*)$", out, re.M)
        print(f"SKIP {shown:<44} {(why.group(1) if why else '')[:100]}")
        continue
    # meson's TAP reader takes "not ok N # SKIP" as a failure: a program
    # that exited 0 with skips as its only "not ok" lines skipped them
    # (asan/test-trace's target_same_tick, when no pid came back within one
    # clock tick under load, was counted as a failure)
    skipped_only = skip_notok and t.get("returncode") == 0 and res == "FAIL"
    if res not in ("OK", "EXPECTEDFAIL") and notok == 0 and not skipped_only:
        notok = 1  # crashed, timed out or failed outside TAP
    passed += ok; failed += notok; skipped += skip
    if notok:
        failed_names.append(shown)
        print(f"FAIL {shown:<44} {ok} ok, {notok} not ok ({res}, exit {t.get('returncode')})")
        for l in (out + (t.get("stderr") or "")).splitlines():
            if re.match(r"^not ok(?!.*# *(?:SKIP|skip))|.*(ERROR|Sanitizer|runtime error)", l):
                print("     " + l[:200])
                notok -= 1
            if notok < -6:
                break
    else:
        extra = f", {skip} skipped" if skip else ""
        print(f"PASS {shown:<44} {ok} ok{extra}")
print()
if failed_names:
    print("failed: " + " ".join(failed_names))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
PY
rc=$?
[ $rc -ne 0 ] && status=1
exit $status
