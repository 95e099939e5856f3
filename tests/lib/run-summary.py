#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tests/run.sh's summary: one line per test program from meson's logs
(testlog.json of the plain, GCC sanitizer and clang builds, in that order,
each path skipped when missing), then "N passed, N failed, N skipped",
counting TAP results. Exit 1 when any failed. Its own file so that
tests/cli/run-summary.sh can feed it made-up logs.
Usage: run-summary.py PLAIN-LOG ASAN-LOG CLANG-LOG
"""
import json, os, re, sys

# A TAP test line as TAP 13 (and meson's reader) reads it: "ok" or "not ok",
# a number or none, the description up to the line's first '#', then a
# directive, SKIP (any case, any letters after it) or TODO.
TEST_LINE = re.compile(r"(not )?ok\b\s*(\d+)?[^#]*(?:#\s*(\S*))?")


def skips_only(out):
    """Did the program finish its plan with every "not ok" a SKIP directive?
    Session 26 counted such a program (exit 0) as skipped, where meson calls
    it FAIL; the twenty-seventh pass found that rule hid failures whose line
    it read otherwise than TAP: "not ok 1 - a # b # SKIP" (the directive is
    the first '#'), "not ok - a" and "not ok<TAB>1" (no number, a tab), a
    "Bail out!", numbers out of order, no plan (the program stopped early)."""
    tests = skips = 0
    plan = None
    for line in out.splitlines():
        if line.startswith("Bail out!"):
            return False
        if plan is None and re.match(r"1\.\.(\d+)", line):
            plan = int(re.match(r"1\.\.(\d+)", line).group(1))
            continue
        m = TEST_LINE.match(line)
        if not m:
            continue
        tests += 1
        if m.group(2) is not None and int(m.group(2)) != tests:
            return False
        if m.group(1):
            if not (m.group(3) or "").upper().startswith("SKIP"):
                return False
            skips += 1
    return skips > 0 and plan == tests
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
    skipped_only = t.get("returncode") == 0 and res == "FAIL" and skips_only(out)
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
