#!/usr/bin/env python3
"""A corpus of hostile names, and the check that text output shows none raw.

Names a less-privileged party controls (a process's comm and argv, file and
tar entry names, an image's config, a manifest's names) are planted by the
hostile-input suites from this one list; `check` then reads what capscope
wrote for a terminal and reports any character the escaping rule
(include/capscope/escape.h) says never reaches one raw.

  hostile-names.py tree DIR          files (set-uid) and directories of every name
  hostile-names.py procs             start one sleeper per name, print their pids
  hostile-names.py image OUT.tar     a 'docker save' archive: entries and config
  hostile-names.py manifest OUT.yaml a Pod a name (UTF-8 ones): its names, image,
                                     command, service account, added capability
  hostile-names.py check-sarif FILE  the same check on every SARIF message text
  hostile-names.py messages CAPSCOPE the error paths of every command with each
                                     name as a file, a field and a value: each
                                     message one line, nothing raw (prints the bad)
  hostile-names.py yaml-out CAPSCOPE the YAML policy writes of containers of every name:
                                     parsed, ASCII, no key of its own (prints the bad)
  hostile-names.py options CAPSCOPE  every option of every command that takes a value
                                     (from its --help) given hostile values: each
                                     message one line, nothing raw (prints the bad)
  hostile-names.py trace-comm N      (a child of trace) take name N (wN: WIDE's) as comm by
                                     prctl, then make one capability check (setuid)
  hostile-names.py check FILE...     exit 1, naming line and character, on a raw one
  hostile-names.py tree-wide DIR     tree, procs and manifest of the WIDE names (two
  hostile-names.py procs-wide        columns, none, a blank that is not a space)
  hostile-names.py manifest-wide OUT
  hostile-names.py columns FILE...   exit 1 when a row of a table does not start its
                                     cells under the header's (columns as wcwidth)
  hostile-names.py rows FILE...      the same for a table without a header (lint)
  hostile-names.py at-column WORD FILE...  every line holding WORD has it at one column
  hostile-names.py list-columns LABEL FILE...  the same for the list after LABEL (a
                                     padded name, then text at one column)
"""
import hashlib
import io
import json
import os
import sys
import tarfile
import time

# Each is bytes: some are not UTF-8 (a file name or a comm may be anything).
NAMES = [
    b"\x1b[31mred\x1b[0m",                     # CSI: colour
    b"\x1b]0;owned\x07t",                      # OSC: window title
    b"\x1b]8;;http://e.x/\x1b\\lnk\x1b]8;;\x1b\\",  # OSC 8: a hyperlink
    b"c1\x9b31mraw",                           # a C1 CSI as a raw byte
    b"c1\xc2\x9b31mutf",                       # a C1 CSI as UTF-8 (U+009B)
    b"ok\rcritical",                           # CR: overwrite the line
    b"x\ncritical  CAP_SYS_ADMIN",             # a forged row
    b"\xe2\x80\xaeevil",                       # U+202E right-to-left override
    b"a\xe2\x81\xa6b\xe2\x81\xa9",             # U+2066 isolate, U+2069 pop
    b"NET_ADMIN\xe2\x80\x8b",                  # U+200B zero width space
    b"x\xef\xbb\xbf",                          # U+FEFF
    b"NET\xf3\xa0\x80\xa0ADMIN",               # U+E0020, a tag character
    b"ov\xc0\xafer",                           # overlong "/"
    b"nul\xc0\x80x",                           # overlong NUL
    b"sur\xed\xa0\x80x",                       # a surrogate
    b"bad\xff\xfe",                            # never UTF-8
    b"Container web:",                         # looks like a block
    b"tab\tsep",
    b"del\x7fx",
    b"q'uo\"te",
    # Nineteenth pass: joiners and variation selectors draw nothing beside
    # ASCII ("web" U+200D looked like "web"), U+2065 nothing anywhere.
    b"web\xe2\x80\x8d",                       # U+200D zero width joiner
    b"\xe2\x80\x8cNET_ADMIN",                 # U+200C zero width non-joiner
    b"NET_ADMIN\xef\xb8\x8f",                 # U+FE0F variation selector 16
    b"x\xe2\x81\xa5y",                         # U+2065
    # Twentieth pass: line breaks that are not "\n" (YAML 1.1 and many
    # viewers break a line at NEL, U+2028 and U+2029), and the YAML that
    # capscope writes: a name that would be a key, a comment, a document end.
    b"x\xc2\x85critical",                      # NEL, U+0085
    b"a\xe2\x80\xa8critical",                  # U+2028 line separator
    b"a\xe2\x80\xa9critical",                  # U+2029 paragraph separator
    b"k: v # c\n...\n---\nkind: x",             # YAML: a key, a comment, documents
]

# Twenty-first pass: names whose columns on a terminal are not their code
# points (wcwidth): a table that counts code points moves the cells after
# them, which then stand under another header (a forged cell).
WIDE = [
    "漢字の名前".encode(),                     # CJK: two columns each
    "ＡＢＣ".encode(),                          # fullwidth U+FF21..
    "😀😀x".encode(),                          # emoji U+1F600: two columns
    "e\u0301e\u0301e\u0301".encode(),            # combining U+0301: none
    "\u1100\u1161\u11a8x".encode(),              # Hangul jamo L V T: 2 + 0 + 0
    "\u0915\u200d\u0937".encode(),              # ZWJ kept between Devanagari: none
    "\U0001f468\u200d\U0001f469\u200d\U0001f467".encode(),  # a ZWJ family: 2 0 2 0 2
    "\u0e01\u0e34\u0e48".encode(),                # Thai, two combining marks
    "a\u3000b".encode(),                         # ideographic space (a blank, escaped)
    "\u4e00" .encode() * 20,                     # twenty CJK characters: 40 columns
]

HIDDEN_RANGES = [(0x80, 0x9f), (0xad, 0xad), (0x34f, 0x34f), (0x61c, 0x61c), (0x115f, 0x1160),
                 (0x17b4, 0x17b5), (0x180e, 0x180e), (0x200b, 0x200b), (0x200e, 0x200f),
                 (0x2028, 0x202e), (0x2060, 0x206f), (0x3164, 0x3164),
                 (0xfeff, 0xfeff), (0xffa0, 0xffa0), (0xfff0, 0xfffb), (0x1bca0, 0x1bca3),
                 (0x1d173, 0x1d17a), (0xe0000, 0xe007f)]


def hidden(c):
    return c < 0x20 and c != 0x0a or c == 0x7f or any(a <= c <= b for a, b in HIDDEN_RANGES)


def joiner(c):
    return c in (0x200c, 0x200d)


def selector(c):
    return 0xfe00 <= c <= 0xfe0f or 0x180b <= c <= 0x180d or c == 0x180f or 0xe0100 <= c <= 0xe01ef


def shows(c):
    return c >= 0xa0 and not hidden(c) and not joiner(c) and not selector(c)


def hidden_in(s, i):
    """Whether s[i] may not be raw: the rule of escape.h, with its context
    for the joiners (kept between characters that show) and the variation
    selectors (kept after one)."""
    c = ord(s[i])
    if hidden(c):
        return True
    if not joiner(c) and not selector(c):
        return False
    p = ord(s[i - 1]) if i else 0
    if selector(c):
        return not shows(p)
    if selector(p) and i >= 2:
        p = ord(s[i - 2])
    n = ord(s[i + 1]) if i + 1 < len(s) else 0
    return not shows(p) or not shows(n)


def check(paths):
    bad = 0
    for path in paths:
        data = open(path, "rb").read()
        for ln, line in enumerate(data.split(b"\n"), 1):
            try:
                s = line.decode("utf-8")
            except UnicodeDecodeError as e:
                print(f"{path}:{ln}: not UTF-8 at byte {e.start}: {line[max(0, e.start - 20):e.start + 8]!r}")
                bad += 1
                continue
            for i, ch in enumerate(s):
                if hidden_in(s, i):
                    print(f"{path}:{ln}: U+{ord(ch):04X} raw: {s[max(0, i - 30):i + 8]!r}")
                    bad += 1
                    break
    return 1 if bad else 0


def tree(top, names=NAMES):
    for n in names:
        p = os.path.join(top.encode(), n.replace(b"/", b"_"))
        with open(p, "wb") as f:
            f.write(b"x")
        os.chmod(p, 0o4755)
        os.mkdir(p + b".d")
        with open(p + b".d/" + n.replace(b"/", b"_"), "wb") as f:
            f.write(b"y")
        os.chmod(p + b".d/" + n.replace(b"/", b"_"), 0o2755)


def procs(names=NAMES):
    # comm (15 bytes) by prctl after exec, argv[0] and a last word of the name.
    code = ("import ctypes,os,time;ctypes.CDLL(None).prctl(15,os.environb[b'HN'][:15],0,0,0);"
            "os.write(1,b'.');os.close(1);time.sleep(120)")
    pids = []
    for n in names:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            os.dup2(w, 1)
            os.execve(sys.executable, [n, "-c", code, b"\x1b[2Jarg\n" + n],
                      {b"HN": n, b"PATH": b"/usr/bin:/bin"})
        os.close(w)
        os.read(r, 1)  # renamed
        os.close(r)
        pids.append(pid)
    print(" ".join(map(str, pids)))


def image(out):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT, encoding="utf-8",
                      errors="surrogateescape") as t:
        for n in NAMES + [b"entry"]:
            ti = tarfile.TarInfo("bin/" + n.replace(b"/", b"_").decode("utf-8", "surrogateescape"))
            ti.size, ti.mode = 4, 0o4755 if n != b"entry" else 0o755
            t.addfile(ti, io.BytesIO(b"\x7fELF"))
    layer = b.getvalue()
    lid = hashlib.sha256(layer).hexdigest()
    text = [n.decode("utf-8", "replace") for n in NAMES]
    cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {
        "User": "app'" + "".join(text[:8]), "Env": ["PATH=/bin"] + ["X=" + t for t in text],
        "Entrypoint": ["/bin/entry"], "Cmd": text, "Labels": {t: t for t in text}},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + lid]}}).encode()
    cid = hashlib.sha256(cfg).hexdigest()
    o = io.BytesIO()
    with tarfile.open(fileobj=o, mode="w") as t:
        for name, data in ((cid + ".json", cfg), (lid + "/layer.tar", layer),
                           ("manifest.json", json.dumps([{"Config": cid + ".json",
                            "RepoTags": ["t:latest"], "Layers": [lid + "/layer.tar"]}]).encode())):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
    with open(out, "wb") as f:
        f.write(o.getvalue())


def yq(v):
    """v as YAML flow: each string double-quoted, every character but
    printable ASCII as \\uNNNN or \\UNNNNNNNN (go-yaml refuses surrogates)."""
    if isinstance(v, dict):
        return "{" + ", ".join(yq(k) + ": " + yq(x) for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(yq(x) for x in v) + "]"
    if not isinstance(v, str):
        return json.dumps(v)
    return '"' + "".join(c if 0x20 <= ord(c) < 0x7f and c not in '"\\' else
                         f"\\u{ord(c):04x}" if ord(c) <= 0xffff else f"\\U{ord(c):08x}"
                         for c in v) + '"'


def manifest(out, names=NAMES):
    docs = []
    for k, n in enumerate(names):
        try:
            t = n.decode("utf-8")
        except UnicodeDecodeError:
            continue
        # An annotation's key is a qualified name, which the API server
        # checks (capscope too, since the twenty-eighth pass): the text is
        # the value, any string.
        meta = {"name": t, "namespace": t, "annotations": {f"corpus.example.com/n{k}": t}}
        spec = {"serviceAccountName": t, "containers": [{
            "name": t, "image": t, "command": [t, t],
            "securityContext": {"capabilities": {"add": ["NET_RAW"] + ([t] if k % 2 else [])}}}]}
        docs.append("apiVersion: v1\nkind: Pod\nmetadata: " + yq(meta) + "\nspec: " + yq(spec))
    with open(out, "w") as f:
        f.write("\n---\n".join(docs) + "\n")


def yaml_out(capscope):
    """Twentieth pass: the YAML capscope writes (policy custom-scc, vap,
    kyverno, gatekeeper) of a pod whose containers, images and commands are
    the names: it parses, is ASCII, and has the keys of a plain pod's (a
    name can neither add a key nor end a comment, a scalar or the document)."""
    import subprocess
    import yaml
    bad = 0

    def keys(doc):
        return sorted(doc) if isinstance(doc, dict) else None

    def gen(name, base=None):
        nonlocal bad
        spec = {"serviceAccountName": "sa", "containers": [
            {"name": name, "image": name, "command": [name, name]}, {"name": "b" + name, "image": "i"}]}
        with open("yaml-one.yaml", "w") as f:
            f.write("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec: " + yq(spec) + "\n")
        got = {}
        for kind in ("custom-scc", "vap", "kyverno", "gatekeeper"):
            p = subprocess.run([capscope, "policy", kind, "--name", "n", "yaml-one.yaml"], capture_output=True)
            try:
                p.stdout.decode("ascii")
                got[kind] = [(d.get("kind"), keys(d)) for d in yaml.safe_load_all(p.stdout)]
            except Exception as e:
                got[kind] = f"exit {p.returncode}: {e}"
            if p.returncode != 0 or (base and got[kind] != base[kind]):
                bad += 1
                print(f"{name!r}: policy {kind}: exit {p.returncode}, {got[kind]!s:.200}")
        return got

    base = gen("plain")
    for n in NAMES:
        try:
            gen(n.decode("utf-8"), base)
        except UnicodeDecodeError:
            continue
    return 1 if bad else 0


def check_sarif(path):
    text = []

    def walk(v, key=None):
        if isinstance(v, dict):
            for k, x in v.items():
                walk(x, k)
        elif isinstance(v, list):
            for x in v:
                walk(x, key)
        elif isinstance(v, str) and key in ("text", "markdown"):
            text.append(v)
    walk(json.load(open(path, encoding="utf-8")))
    tmp = path + ".texts"
    with open(tmp, "w", encoding="utf-8", errors="surrogatepass") as f:
        f.write("\n".join(t.replace("\n", " ") for t in text) + "\n")
    return check([tmp])


def stderr_lines(err):
    """A refusal's stderr: its lines but the usage hint ("Try '..."), and
    what in it would reach a terminal raw (hidden characters by code point,
    or "not UTF-8")."""
    lines = [ln for ln in err.rstrip(b"\n").split(b"\n") if ln and not ln.startswith(b"Try '")]
    try:
        t = err.decode("utf-8").replace("\n", " ")
        raw = [f"U+{ord(t[i]):04X}" for i in range(len(t)) if hidden_in(t, i)]
    except UnicodeDecodeError:
        raw = ["not UTF-8"]
    return lines, raw


def messages(capscope):
    import shutil
    import subprocess
    bad = 0

    def run(args, label):
        nonlocal bad
        try:  # a FIFO read as a file waited for ever (twenty-first pass, part E)
            p = subprocess.run([capscope] + args, capture_output=True, cwd="msgs", timeout=30)
        except subprocess.TimeoutExpired:
            bad += 1
            print(f"{label}: no answer in 30 s (waits)")
            return
        lines, raw = stderr_lines(p.stderr)
        if p.returncode not in (0, 1, 2) or len(lines) > 1 or raw or (p.returncode == 2 and not lines):
            bad += 1
            print(f"{label}: exit {p.returncode}, {len(lines)} lines, raw {raw[:3]}: {p.stderr[:200]!r}")

    os.makedirs("msgs/d", exist_ok=True)
    with open("msgs/pod.yaml", "w") as f:
        f.write("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n")
    for n in NAMES:
        name = n.replace(b"/", b"_").decode("utf-8", "surrogateescape")
        miss, path = "d/missing" + name, "d/" + name
        for cmd in (["lint", miss], ["explain", "pod", miss], ["policy", "scc", miss], ["scan", miss],
                    ["explain", "oci", miss], ["lint", "--config", miss, "pod.yaml"],
                    ["explain", "pod", "--image", miss, "pod.yaml"],
                    ["explain", "pod", "--crio-config", miss, "pod.yaml"]):
            run(cmd, f"missing {n!r}: {cmd[0]}")
        with open("msgs/" + path, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write("apiVersion: v1\nkind: Pod\nmetadata: {name: [\n")
        for cmd in (["lint", path], ["explain", "pod", "--crio-config", path, "pod.yaml"],
                    ["explain", "pod", "--scc", path, "pod.yaml"], ["scan", path]):
            run(cmd, f"malformed {n!r}: {cmd[:2]!r}")
        os.unlink("msgs/" + path)
        # A FIFO of that name where a configuration file is read, and as the
        # base spec config.toml names; a missing layer of that name
        # (twenty-first pass, part E: cs_read_config_file, image members).
        os.mkfifo("msgs/" + path)
        # TOML holds any UTF-8 text, control characters escaped as \\uXXXX
        full = os.path.abspath("msgs/" + path)
        toml = "".join(c if 0x20 <= ord(c) != 0x7f and c not in '"\\' and not 0xdc80 <= ord(c) <= 0xdcff
                       else "\\u%04x" % ord(c) for c in full)
        with open("msgs/base.toml", "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write('version = 2\n[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]\n'
                    'base_runtime_spec = "%s"\n' % toml)
        rt = {"containerd": ["--runtime", "containerd@1.7", "--containerd-config"],
              "crio": ["--runtime", "crio@1.28", "--crio-config"], "docker": ["--runtime", "docker@20.10", "--docker-config"],
              "scc": ["--scc"], "image-config": ["--image-config"]}
        for k, opts in rt.items():
            run(["explain", "pod"] + opts + [path, "pod.yaml"], f"fifo {n!r}: explain pod {k}")
        for cmd in (["explain", "pod", path], ["lint", path], ["lint", "--config", path, "pod.yaml"],
                    ["policy", "scc", "--profile", path],
                    ["explain", "pod", "--runtime", "containerd@1.7", "--containerd-config", "base.toml", "pod.yaml"]):
            run(cmd, f"fifo {n!r}: {' '.join(cmd[:2])}")
        os.unlink("msgs/" + path)
        with tarfile.open("msgs/member.tar", "w") as t:
            m = json.dumps([{"Config": n.decode("utf-8", "surrogateescape"), "Layers": []}],
                           ensure_ascii=False).encode("utf-8", "surrogateescape")
            i = tarfile.TarInfo("manifest.json")
            i.size = len(m)
            t.addfile(i, io.BytesIO(m))
        run(["scan", "member.tar"], f"image member {n!r}")
        run(["serve", "--listen", "127.0.0.1:0", "--scc", miss], f"missing {n!r}: serve --scc")
        os.makedirs("msgs/" + path)
        with open("msgs/" + path + "/config.json", "w") as f:
            f.write('{"ociVersion": "1.0.2", "process": {"args": 5}}')
        run(["explain", "oci", path], f"bundle {n!r}")
        shutil.rmtree("msgs/" + path)
        try:
            t = n.decode("utf-8")
        except UnicodeDecodeError:
            continue
        for sc in ({t: 1}, {"procMount": t}, {"runAsUser": t}):
            with open("msgs/f.json", "w") as f:
                json.dump({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {
                    "containers": [{"name": "c", "image": "i", "securityContext": sc}]}}, f)
            for cmd in (["lint", "f.json"], ["lint", "--validate=warn", "f.json"]):
                run(cmd, f"field {n!r}: {' '.join(cmd)} {sc}")
        for cmd in (["run", "--user", t, "--", "true"], ["encode", t], ["ps", t], ["decode", t],
                    ["decode", "--json", t]):
            run(cmd, f"argument {n!r}: {cmd[0]}")
    return 1 if bad else 0


def options(capscope):
    """Twentieth pass, part J: an option's value is echoed in its refusal;
    every option with a value of every command, from its own --help, so a
    new option is tried the day it is added."""
    import re
    import subprocess
    bad = tried = 0
    values = [b"\x1b[31mx\ncritical  CAP_SYS_ADMIN", b"a\xe2\x80\xaeb\xc2\x85c\xe2\x80\xa8\xff",
              b"A" * 10000 + b"\x1b"]
    cmds = [["decode"], ["scan"], ["trace"], ["run"], ["explain", "oci"], ["explain", "pod"], ["lint"],
            ["policy", "scc"], ["policy", "custom-scc"], ["policy", "vap"], ["policy", "check"], ["serve"]]
    for cmd in cmds:
        text = subprocess.run([capscope] + cmd + ["--help"], capture_output=True).stdout.decode()
        opts = sorted(set(re.findall(r"(--[a-z][a-z-]+)[ =](?:[A-Z][A-Z:|@\[\]./]*|[a-z]+\|[a-z|]+)", text)))
        if not opts:
            bad += 1
            print(f"{' '.join(cmd)}: no option with a value found in its --help")
        after = {"run": ["--", "true"], "trace": ["--", "true"], "decode": ["1"], "serve": [], "scan": ["d"]}
        for o in opts:
            for v in values:
                # serve: the value refused, or a listener on a free loopback port, never 8443
                tail = after.get(cmd[0], ["pod.yaml"]) + (["--listen", "127.0.0.1:0"] if cmd[0] == "serve"
                                                          and o != "--listen" else [])
                try:
                    p = subprocess.run([capscope] + cmd + [o, v] + tail, capture_output=True, cwd="msgs",
                                       timeout=20)
                except subprocess.TimeoutExpired:
                    bad += 1
                    print(f"{' '.join(cmd)} {o} {v[:12]!r}: still running after 20 s")
                    continue
                tried += 1
                lines, raw = stderr_lines(p.stderr)
                if p.returncode not in (0, 1, 2, 127) or len(lines) > 1 or raw or \
                        (p.returncode == 2 and not lines):
                    bad += 1
                    print(f"{' '.join(cmd)} {o} {v[:12]!r}: exit {p.returncode}, {len(lines)} lines, "
                          f"raw {raw[:3]}: {p.stderr[:200]!r}")
    if tried < 100:
        bad += 1
        print(f"only {tried} options tried")
    return 1 if bad else 0


def cols(s):
    """The columns a terminal gives s: the C library's wcwidth() in a UTF-8
    locale (the oracle, not capscope's own table); -1 counted as one."""
    import ctypes
    import locale
    locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
    libc = ctypes.CDLL(None)
    libc.wcwidth.argtypes = [ctypes.c_uint32]
    w = [libc.wcwidth(ord(ch)) for ch in s]
    return [n if n >= 0 else int(ord(ch) >= 0x20) for ch, n in zip(s, w)]


def starts(line):
    """Display columns at which cells start: the first, and each after two spaces."""
    w, col, out, run = cols(line), 0, [], 2
    for ch, n in zip(line, w):
        if ch != " " and run >= 2:
            out.append(col)
        run = run + 1 if ch == " " else 0
        col += n
    return out


def columns(paths):
    """Each table (a header line of three capitalised words or more, then
    rows up to a blank line): every cell of a row starts at a header's
    column. A name counted as other than its columns moves the cells after
    it off them (the corpus has no cell wider than a table pads)."""
    bad = seen = 0
    for path in paths:
        lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
        head = None
        for ln, line in enumerate(lines, 1):
            if not line.strip() or line.startswith(" "):
                head = None  # a table's rows start at its first column
            elif head is None:
                words = line.split()
                if len(starts(line)) >= 3 and all(x.isupper() for x in words[:3]):
                    head = set(starts(line))
            else:
                seen += 1
                if not set(starts(line)) <= head:
                    print(f"{path}:{ln}: cells at {starts(line)}, header at {sorted(head)}: {line!r}")
                    bad += 1
    if not seen:
        print("no table row")
    return 1 if bad or not seen else 0


def rows(paths):
    """Lines of one table without a header (lint's): each cell of every
    line starts where the first line's do."""
    bad = 0
    for path in paths:
        lines = [x for x in open(path, encoding="utf-8", errors="replace").read().split("\n") if x]
        if len(lines) < 2:
            print(f"{path}: fewer than two rows")
            bad += 1
        first = starts(lines[0]) if lines else []
        for ln, line in enumerate(lines[1:], 2):
            if starts(line) != first:
                print(f"{path}:{ln}: cells at {starts(line)}, the first line's at {first}: {line!r}")
                bad += 1
    return 1 if bad else 0


def at_column(word, paths):
    """Every event line (a time first) holding word has it at one display
    column (trace's --events)."""
    seen = set()
    for path in paths:
        for line in open(path, encoding="utf-8", errors="replace").read().split("\n"):
            if word in line and line.split(" ", 1)[0] != line.lstrip(" ").split(" ", 1)[0] \
                    and line.lstrip(" ")[:1].isdigit():  # an event: "  0.000123 ..."
                seen.add(sum(cols(line[:line.index(word)])))
    if len(seen) != 1:
        print(f"{word!r} at columns {sorted(seen)}")
    return 1 if len(seen) != 1 else 0


def list_columns(label, paths):
    """The lines after one that starts with label (its indentation and
    more, up to one that is not): each a name padded to a width, then text;
    the text starts at one column on every line."""
    bad = seen = 0
    for path in paths:
        lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
        at, indent = None, None
        for ln, line in enumerate(lines, 1):
            body = line.lstrip(" ")
            if body.startswith(label):
                at, indent = set(), len(line) - len(body)
                continue
            if at is None or len(line) - len(body) <= indent or not body:
                at = None
                continue
            w, col, i = cols(line), 0, len(line) - len(body)
            col = sum(w[:i])
            while i < len(line) and line[i] != " ":
                col, i = col + w[i], i + 1
            run = i
            while i < len(line) and line[i] == " ":
                col, i = col + 1, i + 1
            if i - run == 1:
                continue  # a name wider than the pad: one space after it
            at.add(col)
            if len(at) > 1:
                print(f"{path}:{ln}: text at columns {sorted(at)} after {label!r}: {line!r}")
                bad += 1
                at = None
            seen += 1
    if not seen:
        print(f"no list after {label!r}")
    return 1 if bad or not seen else 0


def trace_comm(index):
    import ctypes
    name = WIDE[int(index[1:])] if index.startswith("w") else NAMES[int(index)]
    ctypes.CDLL(None).prctl(15, name[:15], 0, 0, 0)
    try:
        os.setuid(os.getuid())
    except OSError:
        pass


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "check":
        sys.exit(check(args))
    if cmd == "check-sarif":
        sys.exit(check_sarif(args[0]))
    if cmd == "messages":
        sys.exit(messages(args[0]))
    if cmd == "options":
        sys.exit(options(args[0]))
    if cmd == "trace-comm":
        sys.exit(trace_comm(args[0]))
    if cmd == "list-columns":
        sys.exit(list_columns(args[0], args[1:]))
    if cmd == "at-column":
        sys.exit(at_column(args[0], args[1:]))
    if cmd == "rows":
        sys.exit(rows(args))
    if cmd == "columns":
        sys.exit(columns(args))
    if cmd == "tree-wide":
        sys.exit(tree(args[0], WIDE))
    if cmd == "procs-wide":
        sys.exit(procs(WIDE))
    if cmd == "manifest-wide":
        sys.exit(manifest(args[0], WIDE))
    if cmd == "yaml-out":
        sys.exit(yaml_out(args[0]))
    {"tree": tree, "image": image, "manifest": manifest}.get(cmd, lambda *a: procs())(*args)
