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

# A TAP test line as meson's reader (mesonbuild/mtest.py, TAPParser) reads
# it: "ok" or "not ok", a number or none, the description up to the line's
# first '#', then a directive only if that '#' is followed by SKIP (any
# case, any letters after it) or TODO (any case, a whole word); else none.
TEST_LINE = re.compile(r"(not )?ok\b\s*(\d+)?[^#]*(?:#\s*([Ss][Kk][Ii][Pp]\S*|[Tt][Oo][Dd][Oo])\b)?")


def verdict(m):
    """One test line's verdict: "ok", "skip" or "fail". "not ok # SKIP" is
    cmocka 1.1's skipped case (meson: a failure; see skipped_only below);
    "ok # TODO" is meson's UNEXPECTEDPASS, a failure; "not ok # TODO" is
    meson's EXPECTEDFAIL, which this summary counts as a failure: no test
    here uses TODO, and one that did would hide a failing check."""
    d = (m.group(3) or "").upper()
    if d.startswith("SKIP"):
        return "skip"
    return "ok" if not m.group(1) and d != "TODO" else "fail"


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
            if verdict(m) != "skip":
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
    # each test line counted as meson reads it: a '#' in a description
    # ("ok 1 - a # b # skip") is no directive, "Skip" is one, a line
    # without a number counts (twenty-eighth pass, part D: counted by
    # patterns of their own, which the first and last read otherwise)
    lines = [(l, TEST_LINE.match(l)) for l in out.splitlines()]
    verdicts = [(l, verdict(m)) for l, m in lines if m]
    ok = sum(v == "ok" for _, v in verdicts)
    skip = sum(v == "skip" for _, v in verdicts)
    notok = sum(v == "fail" for _, v in verdicts)
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
            m = TEST_LINE.match(l)
            if (m and verdict(m) == "fail") or re.match(r".*(ERROR|Sanitizer|runtime error)", l):
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
