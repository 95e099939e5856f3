#!/usr/bin/env bash
# The kubelet's --allowed-unsafe-sysctls is a pflag StringSlice: its value
# is the first record Go's encoding/csv reads of it (readAsCSV). No kubelet
# runs here, but kubectl is the same pflag and encoding/csv: its `config
# set-credentials --exec-arg` is a StringSlice, and `config view` shows the
# list it read. Each value of a corpus (quotes, commas, line breaks, '\r',
# blanks) is put to kubectl and to capscope's reader (tests/helpers/go-csv);
# the fields, or that the value is refused, must agree. Session 27, part B:
# capscope cut at each ',' as written.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
KUBECTL=
for k in kubectl /usr/lib/google-cloud-sdk/bin/kubectl.1.32 /usr/lib/google-cloud-sdk/bin/kubectl; do
  if command -v "$k" >/dev/null && "$k" version --client >/dev/null 2>&1; then KUBECTL=$(command -v "$k"); break; fi
done
[ -n "$KUBECTL" ] || skip_all "no kubectl here (a Go pflag StringSlice to compare with)"
HELPER=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}/tests/helpers/go-csv
[ -x "$HELPER" ] || skip_all "tests/helpers/go-csv was not built"
export KUBECTL HELPER T
python3 - <<'PY'
import json, os, random, subprocess
kubectl, helper, t = os.environ["KUBECTL"], os.environ["HELPER"], os.environ["T"]
fixed = ['a', '"a"', '"a,b",c', 'a,', ',', '"a"b', 'a"b', '"a', '"a""b"', '""', '"",""',
         'a\nb', '\na', '\n\na,b', 'a\r\n', 'a\r', '\r', '\n', '\r\n', '"a\nb",c', '"a\r\nb"',
         'a\rb', ' "a"', '"a" ', '"a"\n', '"a",\n', '"a"\r\nb', 'a,"b', 'a,"b"c', '\n"', ',\n,',
         'net.core.somaxconn', '"net.core.*",kernel.sem', 'net.core.x\nvm.swappiness']
rnd = random.Random(27)
alphabet = ['a', ',', '"', '\n', '\r', ' ', '.']
corpus = fixed + [''.join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 7))) for _ in range(220)]
corpus = list(dict.fromkeys(v for v in corpus if v))
out = subprocess.run([helper], input="".join(v.encode().hex() + "\n" for v in corpus),
                     capture_output=True, text=True, check=True).stdout.splitlines()
n = bad = 0
for v, mine in zip(corpus, out):
    words = mine.split(" ")
    ours = [bytes.fromhex(w[1:]).decode() for w in words[1:]] if words[0] == "OK" else None
    cfg = os.path.join(t, "kc")
    if os.path.exists(cfg):
        os.unlink(cfg)
    env = dict(os.environ, KUBECONFIG=cfg)
    r = subprocess.run([kubectl, "config", "set-credentials", "u", "--exec-command=x",
                        "--exec-arg=" + v], env=env, capture_output=True, text=True)
    if r.returncode:
        theirs = None
    else:
        view = json.loads(subprocess.run([kubectl, "config", "view", "-o", "json"], env=env,
                                         capture_output=True, text=True, check=True).stdout)
        theirs = (view["users"][0]["user"].get("exec") or {}).get("args") or []
    n += 1
    # kubectl reads the flag back with GetStringSlice, through its String()
    # ("[" + the fields as CSV + "]", then "[]" trimmed and read again):
    # one empty field writes as nothing and reads back as none, and a field
    # starting with '[' or ending with ']' loses it (no '[' or ']' here).
    # The kubelet's StringSliceVar keeps the list Set read.
    ok = ours == theirs or (ours == [""] and theirs == [])
    bad += not ok
    print(("ok" if ok else "not ok") + " %d - %r: kubectl %s" % (n, v, "refuses" if theirs is None else json.dumps(theirs)))
    if not ok:
        print("#   capscope: %s (%s)" % (json.dumps(ours), words[0]))
        print("#   kubectl: " + (r.stderr.strip().splitlines() or [""])[0])
print("1..%d" % n)
PY
