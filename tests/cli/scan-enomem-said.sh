#!/usr/bin/env bash
# scan, out of memory, never answers wrongly (twenty-fifth pass, part C).
# Each allocation of a scan failing alone (tests/lib/failalloc.c) gives the
# whole report, as with nothing failing, or one line with exit 2. Before:
# a risk reason that could not be allocated left the file's level where it
# was (cs_risk_assess: "the level is still right"), so cap_sys_admin read
# "low" (its first reason, cap_net_bind_service), a set-uid root file
# "info" with no reason, exit 0; and libarchive's own exit(1) when one of
# its strings cannot grow ("Fatal Internal Error in libarchive: Out of
# memory") was scan's exit 1, "a finding reached --fail-on", over no
# report; then exit 2 with libarchive's line alone, not capscope's: now
# capscope's line naming memory follows it (twenty-seventh pass, part G). Counted apart, not capscope's: glibc's loader failing to
# relocate libarchive.so in dlopen ("out of memory", exit 127), which
# prints no answer. libarchive 3.6's NULL dereferences (archive_read_open1
# after archive_read_open's unchecked allocation, the entry
# archive_read_new did not check: exit 139), once counted apart too, are
# avoided since the twenty-seventh pass (image.c: open_checked,
# next_header): none allowed; and libarchive's xz filter's close of a
# decoder it had freed, since the twenty-eighth (xz-read.c).
source "$(dirname "$0")/../lib/tap.sh"
source "$CAPSCOPE_TOP/tests/lib/failalloc.sh"
command -v python3 >/dev/null || skip_all "needs python3"
failalloc_setup
cd "$T" || exit 1

# A layer: set-uid root, cap_net_raw, cap_sys_admin with
# cap_net_bind_service, and a set-uid root file nobody can execute.
python3 - <<'PY'
import io, struct, tarfile
def caps(perm):
    return struct.pack('<IIIII', 0x02000001, perm & 0xffffffff, 0, perm >> 32, 0)
t = tarfile.open('layer.tar', 'w', format=tarfile.PAX_FORMAT)
def add(name, mode, xattr=None):
    ti = tarfile.TarInfo(name); ti.mode = mode; ti.size = 4
    if xattr:
        ti.pax_headers = {'SCHILY.xattr.security.capability': xattr.decode('latin-1')}
    t.addfile(ti, io.BytesIO(b'\x7fELF'))
add('bin/a', 0o4755)
add('bin/b', 0o755, caps(1 << 13))
add('sub/c', 0o755, caps((1 << 21) | (1 << 10)))
add('sub/d', 0o4644)
t.close()
PY

# whole, said (one line, exit 2), libarchive's crash (139), glibc's loader
# (127, "out of memory"), or bad
classify() {
  local c
  if [ "$1" = "$(cat "$T/good.rc")" ] && cmp -s "$T/out" "$T/good" && cmp -s "$T/err" "$T/good.err"; then
    c=whole
  else
    c=$(failalloc_said "$1")
  fi
  if [ "$1" = 2 ] && grep -q '^Fatal Internal Error in libarchive: ' "$T/err"; then
    # libarchive's own exit (its line), then capscope's line naming memory
    if [ "$(wc -l <"$T/err")" = 2 ] &&
      tail -n 1 "$T/err" | grep -qE '^capscope [a-z]+: out of memory: libarchive ended the process'; then
      c=ended
    else
      c=bad
    fi
  elif [ "$c" = bad ] && [ "$1" = 127 ] && [ "$(cat "$T/err")" = "out of memory" ] && [ ! -s "$T/out" ]; then
    c=loader
  elif [ "$c" = crashed ] && [ -s "$T/out" ]; then
    c=bad
  fi
  echo "$c"
}

sweep() { # what STATUS ARGS...: STATUS the whole answer's; CRASHES=N allows N (libfyaml's)
  local what=$1 status=$2 total crashes=${CRASHES:-0}
  shift 2
  "$CAPSCOPE_DYN" "$@" >"$T/good" 2>"$T/good.err"
  echo $? >"$T/good.rc"
  is "$(cat "$T/good.rc")" "$status" "$what: answered"
  total=$(failalloc_total "$CAPSCOPE_DYN" "$@")
  failalloc_sweep classify 0 "$total" 1 "$CAPSCOPE_DYN" "$@"
  is "${FA_SEEN[bad]:-0}" 0 "$what, each of $total allocations failing alone: whole or one line, exit 2 (${FA_FIRST[bad]:-every run}; ${FA_SEEN[whole]:-0} whole, ${FA_SEEN[said]:-0} said, ${FA_SEEN[ended]:-0} ended by libarchive and said)"
  ok "$([ "${FA_SEEN[crashed]:-0}" -le "$crashes" ] && [ "${FA_SEEN[loader]:-0}" -le 6 ] && echo 0 || echo 1)" \
    "$what: crashes ${FA_SEEN[crashed]:-0} (at most $crashes, libfyaml's: ${FA_FIRST[crashed]:-none}), glibc's loader ${FA_SEEN[loader]:-0} (at most 6), counted apart"
}

sweep "scan of a layer" 0 scan layer.tar
# The same layer xz'd: libarchive 3.6.2's xz filter, when liblzma's
# decoder could not be set up for memory, freed its state and then closed
# it (NULL): exit 139 at allocations 113-115 (twenty-seventh pass, part
# G, found, not fixed). capscope decodes xz itself (lib/scan/xz-read.c).
if command -v xz >/dev/null; then
  xz -k layer.tar
  sweep "scan of an xz layer" 0 scan layer.tar.xz
else
  skip "no xz to make an xz layer"
  skip "no xz to make an xz layer"
  skip "no xz to make an xz layer"
fi
grep -q '^critical  */sub/c .*cap_sys_admin: ' good
is $? 0 "cap_sys_admin's file is critical, for cap_sys_admin"
sweep "scan --json of a layer" 0 scan --json layer.tar
# scan --diff: exit 1 is "a difference"; a file's capabilities not written
# for memory were a cell "?" (lib/scan/diff-report.c), exit 1.
python3 - <<'PY'
import io, tarfile
t = tarfile.open('old.tar', 'w', format=tarfile.GNU_FORMAT)
ti = tarfile.TarInfo('bin/a'); ti.mode = 0o4755; ti.size = 0; t.addfile(ti, io.BytesIO(b''))
t.close()
PY
sweep "scan --diff of two layers" 1 scan --diff old.tar layer.tar

# Docker archives of the layer, their configs naming a USER. The view made
# again after pass 1 (cs_view_init), its root not allocated, had its table
# freed and left for cs_view_free to free again: "double free or
# corruption", exit 134. The text's "img.tar: docker-archive, 1 layer,
# user 'app'" line and --diff's "user 'app': " (cs_fputf) not made were
# left out, exit 0 (twenty-eighth pass, part C).
python3 - <<'PY'
import hashlib, io, json, tarfile
lay = open('layer.tar', 'rb').read()
def image(name, user):
    cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {"User": user, "Entrypoint": ["/bin/a"]},
                      "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(lay).hexdigest()]}}).encode()
    with tarfile.open(name, 'w') as t:
        for n, b in (("l/layer.tar", lay), ("c.json", cfg),
                     ("manifest.json", json.dumps([{"Config": "c.json", "Layers": ["l/layer.tar"]}]).encode())):
            i = tarfile.TarInfo(n); i.size = len(b); t.addfile(i, io.BytesIO(b))
image('img.tar', 'app')
image('img2.tar', 'nobody')
PY
sweep "scan of a docker archive" 0 scan img.tar
grep -q "^img.tar: docker-archive, 1 layer, user 'app'" good
is $? 0 "its summary line names the user"
# The entrypoint is predicted from a pod written in YAML, one for each
# image: libfyaml's own crash in fy_parse_input_append (2 a text parsed,
# tests/lib/failalloc.sh) is allowed there, 4; libarchive's none.
CRASHES=4 sweep "scan --diff of two docker archives" 0 scan --diff img.tar img2.tar
grep -q "user 'nobody': " good
is $? 0 "the entrypoint's line names the new user"

# explain pod --image ARCHIVE: the image's entry not allocated (the first
# allocation) was a usage error, "out of memory" and a Try line.
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: x\n' >pod.yaml
CS_FAILALLOC_AFTER=0 CS_FAILALLOC_SPAN=1 LD_PRELOAD=$T/failalloc.so "$CAPSCOPE_DYN" explain pod --image layer.tar pod.yaml >/dev/null 2>err
is "$?:$(cat err)" "2:capscope explain pod: out of memory" "explain pod --image, its first allocation failing: one line, exit 2"

# The same finding in a tree (root: setcap).
if [ "$(id -u)" = 0 ] && command -v setcap >/dev/null; then
  mkdir -p tree/bin tree/sub && cp /bin/true tree/bin/a && cp /bin/true tree/bin/b && cp /bin/true tree/sub/c
  chmod u+s tree/bin/a
  if setcap cap_net_raw+ep tree/bin/b && setcap cap_sys_admin,cap_net_bind_service=eip tree/sub/c; then
    sweep "scan of a tree" 0 scan tree
  else
    skip "setcap refused here"
  fi
else
  skip "a tree with file capabilities needs root and setcap"
fi
done_testing
