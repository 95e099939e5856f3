#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Differential test of capscope's crio.conf + crio.conf.d reading against
CRI-O's rules, on seeded layouts of /etc/crio.

CRI-O is not packaged here, so its reading is written out below from its
source (cri-o v1.37, internal/criocli/criocli.go mergeConfigFiles,
pkg/config/config.go UpdateFromFile, UpdateFromDropInFile and
UpdateFromPath, BurntSushi/toml 1.6 decode.go unifySlice):

- crio.conf is read with os.ReadFile: missing (ENOENT, a dangling link
  too) is skipped; any other error (a directory, a loop) stops CRI-O.
- crio.conf.d: os.Stat first, missing is no drop-in; then filepath.Walk,
  which lstats the root and every entry: an entry that is not a directory
  (a file whatever its name, a dot file, a symbolic link to anything) is
  read with os.ReadFile, so a link is followed (to a directory it fails,
  dangling it fails); directories are walked where their name sorts,
  names in byte order (sort.Strings), any depth.
- each file is decoded over the configuration so far: a key the file has
  replaces the value (unifySlice sets the slice's length to the file's:
  a list replaces, never appends); a file that is not TOML stops CRI-O.

Each layout is given to `capscope explain pod --runtime crio --crio-config
DIR --check bind:80 --json`, and with DIR/crio.conf when it is a file
(CRI-O reads its crio.conf.d after whatever --config names); the bounding set (default_capabilities), the
file it names for them, inheritable (add_inheritable_capabilities), bind:80
and the file named for default_sysctls must be CRI-O's, or both refuse and
capscope names the file CRI-O stops at. Speaks TAP.
Usage: crio-dropin-diff.py CAPSCOPE [--seed N] [--count N]
"""
import json
import os
import random
import subprocess
import sys
import tempfile

try:
    import tomllib
except ImportError:  # python < 3.11
    print("1..0 # SKIP python3 has no tomllib (3.11+)")
    sys.exit(77)

CAPS = ['CHOWN', 'KILL', 'NET_RAW', 'SETUID', 'SETGID', 'FOWNER', 'SYS_CHROOT', 'net_bind_service']
POD = ('kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: i\n'
       '    securityContext: {runAsUser: 1000}\n')


class Stop(Exception):
    """CRI-O does not start: the path it names."""

    def __init__(self, path):
        super().__init__(path)
        self.path = path


def crio_model(root):
    """What CRI-O 1.37 reads from ROOT/crio.conf and ROOT/crio.conf.d."""
    st = {'caps': None, 'caps_from': None, 'port': None, 'sysctls_from': None, 'inh': False}

    def decode(path):
        try:
            with open(path, 'rb') as f:
                data = f.read()
        except OSError as e:
            raise Stop(path) from e
        try:
            doc = tomllib.loads(data.decode('utf-8'))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise Stop(path) from e
        rt = doc.get('crio', {}).get('runtime', {})
        if 'default_capabilities' in rt:
            st['caps'], st['caps_from'] = rt['default_capabilities'], path
        if 'default_sysctls' in rt:
            st['port'], st['sysctls_from'] = None, path
            for s in rt['default_sysctls']:
                k, _, v = s.partition('=')
                if k == 'net.ipv4.ip_unprivileged_port_start':
                    st['port'] = v
        if 'add_inheritable_capabilities' in rt:
            st['inh'] = rt['add_inheritable_capabilities']

    def walk(p):
        if not os.path.isdir(p) or os.path.islink(p):
            decode(p)
            return
        try:
            names = sorted(os.listdir(p), key=lambda n: n.encode())
        except OSError as e:
            raise Stop(p) from e
        for n in names:
            walk(os.path.join(p, n))

    conf = os.path.join(root, 'crio.conf')
    if os.path.exists(conf) or not os.path.lexists(conf):
        if os.path.lexists(conf):
            decode(conf)
    d = os.path.join(root, 'crio.conf.d')
    try:
        os.stat(d)
    except FileNotFoundError:
        return st
    except OSError:
        pass
    walk(d)
    return st


def body(r):
    """A drop-in's text: some of the three keys, other tables, or none."""
    k = r.random()
    if k < 0.06:
        return ''
    if k < 0.10:
        return r.choice(['[crio.runtime\n', 'not toml at all\n', 'default_capabilities = [\n'])
    if k < 0.14:
        return '[crio.image]\npause_image = "registry.k8s.io/pause:3.10"\n'
    lines = ['[crio.runtime]']
    if r.random() < 0.6:
        lines.append('default_capabilities = [%s]' % ', '.join(
            '"%s"' % c for c in r.sample(CAPS, r.randint(0, 3))))
    if r.random() < 0.4:
        vals = [r.choice(['0', '1024', '80']) for _ in range(r.randint(0, 2))]
        lines.append('default_sysctls = [%s]' % ', '.join(
            '"net.ipv4.ip_unprivileged_port_start=%s"' % v for v in vals))
    if r.random() < 0.25:
        lines.append('add_inheritable_capabilities = %s' % r.choice(['true', 'false']))
    return '\n'.join(lines) + '\n'


NAMES = ['10-a.conf', '20-b', '.hidden.conf', '99-z.conf.bak', 'A.conf', '_x.conf', 'a.conf',
         '5.conf', '05-sp ace.conf', '10-a.conf~', 'z', '30-sub']


def put(r, d, depth, store, links):
    """Fill directory D with one to five entries, some of them directories."""
    os.makedirs(d, exist_ok=True)
    for name in r.sample(NAMES, r.randint(1, 5)):
        p = os.path.join(d, name)
        k = r.random()
        if k < 0.15 and depth < 3:
            put(r, p, depth + 1, store, links)
        elif k < 0.22 and links:
            t = os.path.join(store, 'f%d' % r.randint(0, 99))
            with open(t, 'w') as f:
                f.write(body(r))
            os.symlink(t, p)
        elif k < 0.24 and links:
            os.symlink(store, p)  # a directory: os.ReadFile fails
        elif k < 0.26 and links:
            os.symlink(os.path.join(store, 'gone'), p)
        else:
            with open(p, 'w') as f:
                f.write(body(r))


def layout(r, root):
    store = os.path.join(root, 'store')
    os.makedirs(store)
    etc = os.path.join(root, 'etc')
    os.makedirs(etc)
    k = r.random()
    if k < 0.7:
        with open(os.path.join(etc, 'crio.conf'), 'w') as f:
            f.write(body(r) if r.random() < 0.8 else
                    '[crio.runtime]\ndefault_capabilities = ["CHOWN"]\n')
    elif k < 0.78:
        os.symlink(os.path.join(store, 'gone'), os.path.join(etc, 'crio.conf'))
    d = os.path.join(etc, 'crio.conf.d')
    k = r.random()
    if k < 0.8:
        put(r, d, 0, store, r.random() < 0.5)
    elif k < 0.85:
        with open(d, 'w') as f:
            f.write(body(r))
    elif k < 0.9:
        os.symlink(os.path.join(store, 'gone'), d)
    elif k < 0.93:
        os.symlink(store, d)
    return etc


CAPS1 = '[crio.runtime]\ndefault_capabilities = ["KILL"]\n'
# Layouts written by hand, before the generated ones: (crio.conf, crio.conf.d
# entries); a target starting with '->' is a symbolic link to it, under store/.
HAND = [
    # a dangling crio.conf is skipped as missing (twenty-eighth pass: refused)
    ('->gone', None),
    ('->gone', {'10-a.conf': CAPS1}),
    ('->gone', {'old.rpmsave': CAPS1}),
    ('->f', {}),
    ('->.', {}),  # a directory: os.ReadFile fails, CRI-O does not start
    (None, {'10-a.conf': CAPS1, '.20-hidden': '', 'sub/30-x': '[crio.runtime]\ndefault_capabilities = []\n'}),
    (CAPS1, {'a': '[crio.runtime]\ndefault_sysctls = ["net.ipv4.ip_unprivileged_port_start=0"]\n',
             'b/c': '[crio.runtime]\ndefault_sysctls = []\n'}),
]


def hand_layout(root, i):
    store = os.path.join(root, 'store')
    etc = os.path.join(root, 'etc')
    os.makedirs(store)
    os.makedirs(etc)
    with open(os.path.join(store, 'f'), 'w') as f:
        f.write(CAPS1)
    conf, drop = HAND[i]
    p = os.path.join(etc, 'crio.conf')
    if conf and conf.startswith('->'):
        os.symlink(os.path.normpath(os.path.join(store, conf[2:])), p)
    elif conf is not None:
        with open(p, 'w') as f:
            f.write(conf)
    for name, text in (drop or {}).items():
        q = os.path.join(etc, 'crio.conf.d', name)
        os.makedirs(os.path.dirname(q), exist_ok=True)
        with open(q, 'w') as f:
            f.write(text)
    if drop == {}:
        os.makedirs(os.path.join(etc, 'crio.conf.d'))
    return etc


def capscope(cap, etc, pod):
    p = subprocess.run([cap, 'explain', 'pod', '--runtime', 'crio', '--crio-config', etc,
                        '--check', 'bind:80', '--json', pod], capture_output=True)
    if p.returncode not in (0, 1) or not p.stdout:  # 1: bind:80 fails
        return None, p.returncode, p.stderr.decode('utf-8', 'replace')
    c = json.loads(p.stdout)['containers'][0]
    steps = {s['rule']: s['detail'] for s in c['steps']}
    return {
        'bounding': sorted(c['oci']['caps']['bounding']['names']),
        'inheritable': sorted(c['oci']['caps']['inheritable']['names']),
        'defaults': steps.get('crio.defaults', ''),
        'bind80': c['checks'][0]['ok'],
        'why': c['checks'][0]['why'],
    }, 0, ''


def main():
    args = sys.argv[1:]
    cap = args.pop(0)
    seed, count = 20261203, 300
    while args:
        a = args.pop(0)
        if a == '--seed':
            seed = int(args.pop(0))
        elif a == '--count':
            count = int(args.pop(0))
    r = random.Random(seed)
    n = fails = agree_ok = agree_err = 0
    with tempfile.TemporaryDirectory() as tmp:
        pod = os.path.join(tmp, 'pod.yaml')
        with open(pod, 'w') as f:
            f.write(POD)
        base = os.path.join(tmp, 'empty')
        os.makedirs(base)
        open(os.path.join(base, 'crio.conf'), 'w').close()
        dflt, _, _ = capscope(cap, base, pod)
        for i in range(-len(HAND), count):
            root = os.path.join(tmp, 'l%d' % i)
            etc = hand_layout(root, i + len(HAND)) if i < 0 else layout(r, root)
            try:
                want = crio_model(etc)
            except Stop as e:
                want = e
            conf = os.path.join(etc, 'crio.conf')
            # the directory, and crio.conf itself when it is a file: CRI-O reads
            # its crio.conf.d after it either way (its default --config-dir)
            for given in [etc] + ([conf] if os.path.isfile(conf) and not os.path.islink(conf) else []):
                got, rc, err = capscope(cap, given, pod)
                n += 1
                why = None
                if isinstance(want, Stop):
                    if got is not None:
                        why = 'CRI-O stops at %s; capscope read it: %s' % (want.path, got)
                    elif rc != 2 or (want.path + ':') not in err and (want.path + ' ') not in err:
                        why = 'CRI-O stops at %s; capscope (exit %d) said: %s' % (want.path, rc, err.strip())
                elif got is None:
                    why = 'CRI-O reads it; capscope refused (exit %d): %s' % (rc, err.strip())
                else:
                    caps = dflt['bounding'] if want['caps'] is None else sorted(
                        {'CAP_' + c.upper() for c in want['caps']})
                    inh = caps if want['inh'] else []
                    bind = want['port'] in ('0', '80')
                    if got['bounding'] != caps:
                        why = 'bounding %s, CRI-O %s (from %s)' % (got['bounding'], caps, want['caps_from'])
                    elif got['inheritable'] != inh:
                        why = 'inheritable %s, CRI-O %s' % (got['inheritable'], inh)
                    elif want['caps_from'] and '(%s)' % want['caps_from'] not in got['defaults']:
                        why = 'default_capabilities from %s, capscope says: %s' % (want['caps_from'], got['defaults'])
                    elif got['bind80'] != bind:
                        why = 'bind:80 %s, CRI-O port start %s (%s): %s' % (
                            got['bind80'], want['port'], want['sysctls_from'], got['why'])
                    elif want['port'] is not None and 'default_sysctls of %s)' % want['sysctls_from'] not in got['why']:
                        why = 'default_sysctls from %s, capscope says: %s' % (want['sysctls_from'], got['why'])
                what = '%s%s' % (i if i >= 0 else 'hand-%d' % (i + len(HAND)),
                                 ' given as crio.conf' if given == conf else '')
                if why:
                    fails += 1
                    print('not ok %d - layout %s' % (n, what))
                    for dp, dn, fn in os.walk(etc):
                        for x in sorted(dn + fn):
                            q = os.path.join(dp, x)
                            print('#    %s%s' % (os.path.relpath(q, root),
                                                ' -> ' + os.readlink(q) if os.path.islink(q) else ''))
                    print('#  ' + why)
                else:
                    agree_ok += got is not None
                    agree_err += got is None
                    print('ok %d - layout %s (%s)' % (n, what, 'same reading' if got else 'both refuse'))
    print('# %d read alike, %d both refuse, %d differ' % (agree_ok, agree_err, fails))
    print('1..%d' % n)
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
