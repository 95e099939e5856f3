#!/usr/bin/env bash
# The one path of quoted values (lib/msg-format.c): no printf of the C
# library quotes a string conversion in lib/, cli/ or daemon/ outside the
# writers of code and markup, and no function with a format of its own
# passes it to v*printf (seventeenth pass, part D: the sixteenth pass's
# prose built with asprintf and snprintf beside the one path). See
# quoted-formats.py.
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is not installed"
out=$(python3 "$(dirname "$0")/quoted-formats.py" "$CAPSCOPE_TOP" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
ok $rc "every quoted value of a message or of the library's prose goes through cs_vformat_quoted"

# The checker itself finds both forms (a copy of the tree would cost too
# much: two files in a scratch tree laid out as the source).
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/lib" "$T/cli"
printf '%s\n' 'void f(char *b, const char *u) {' \
  '	snprintf(b, 9, "no such user '"'"'%s'"'"'", u);' '}' >"$T/lib/a.c"
printf '%s\n' 'static void g(const char *fmt, va_list ap) {' \
  '	vfprintf(stderr, fmt, ap);' '}' >"$T/cli/b.c"
out=$(python3 "$(dirname "$0")/quoted-formats.py" "$T" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
[ $rc -eq 2 ] && grep -q "^lib/a.c:2: snprintf quotes %s" <<<"$out" &&
  grep -q "^cli/b.c:2: vfprintf" <<<"$out"
ok $? "the checker finds a quoted %s in snprintf and a vfprintf of a format of its own"
done_testing
