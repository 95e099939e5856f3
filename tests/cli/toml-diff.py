#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Differential test of capscope's TOML reader against Python's tomllib.

Every document is parsed by both: tomllib in this process, capscope's
reader through tests/helpers/toml-dump (the tree as JSON). They must agree:
both refuse, or both accept with the same tree. capscope may refuse — but
never accept differently — where it cannot represent a value exactly
(integers beyond 64 bits, NUL in a string, nesting past 100, numbers past
127 characters). Speaks TAP.

Documents: hand-written crio.conf-like cases, the TOML fuzz corpus, and a
seeded generator (valid documents, then byte-level mutations of them).
Usage: toml-diff.py TOML_DUMP [--seed N] [--count N] [--write-corpus DIR N]
                    [--corpus DIR]...  (more documents: a fuzzer's new inputs)
"""
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile

try:
    import tomllib
except ImportError:  # python < 3.11
    print("1..0 # SKIP python3 has no tomllib (3.11+)")
    sys.exit(77)

HAND = [
    # the spellings of crio.runtime seen in real configs and drop-ins
    '[crio]\nroot = "/var/lib/containers/storage"\n[crio.runtime]\n'
    'default_capabilities = [\n  "CHOWN",\n  "DAC_OVERRIDE", # trailing\n]\n',
    '[crio]\nruntime = { default_capabilities = ["CHOWN"], add_inheritable_capabilities = true }\n',
    'crio = { runtime = { default_capabilities = [ "KILL" ] } }\n',
    '["crio.runtime"]\ndefault_capabilities = ["CHOWN"]\n',
    '[crio."runtime"]\ndefault_capabilities = []\n',
    "[crio.'runtime']\nadd_inheritable_capabilities = false\n",
    '[crio]\nruntime.default_capabilities = ["A"]\nruntime.x = 1\n',
    '[crio.runtime]\ndefault_runtime = "runc"\n[crio.runtime.runtimes.runc]\n'
    'runtime_path = ""\nruntime_type = "oci"\nallowed_annotations = [\n'
    '  "io.containers.trace-syscall",\n]\n[crio.runtime.runtimes."crun-wasm"]\n'
    'runtime_path = "/usr/bin/crun"\n',
    '[crio.runtime.workloads.management]\nactivation_annotation = "x"\n'
    'annotation_prefix = "io.openshift.workload.management"\n'
    'resources = { "cpushares" = 0, "cpuset" = "" }\n',
    '[crio.image]\npause_image = "registry.k8s.io/pause:3.9"\n'
    'insecure_registries = []\n[crio.network]\nplugin_dirs = [\n  "/opt/cni/bin/",\n]\n',
    '[crio.metrics]\nenable_metrics = true\nmetrics_port = 9_090\n'
    'metrics_collectors = ["operations"]\n',
    '[crio.runtime]\nconmon_env = [\n"PATH=/usr/local/sbin:/usr/local/bin",\n]\n'
    'log_size_max = -1\npids_limit = 0\n',
    '[crio.runtime]\ndefault_capabilities = """CHOWN"""\n',
    '[crio.runtime]\ndefault_capabilities = ["CHOWN",]\ndefault_capabilities = []\n',
    '[crio.runtime]\n[crio.runtime]\n',
    '[crio]\nruntime = {}\n[crio.runtime]\n',
    '[crio]\nruntime = { default_capabilities = ["A"] }\nruntime.x = 1\n',
    'crio.runtime = 5\n',
    '[[crio.runtime]]\nx = 1\n',
    '[crio.runtime]\nseccomp_profile = \'\'\'\n/etc/x\'\'\'\nwhen = 1979-05-27T07:32:00Z\n',
    '[crio.runtime]\ndefault_capabilities = ["CHOWN"\n"KILL"]\n',
    '[crio.runtime]\r\ndefault_capabilities = ["CHOWN"]\r\n',
    '[crio.runtime]\rdefault_capabilities = ["CHOWN"]\n',
    '\ufeff[crio]\n',
    '\ufeff\ufeff[crio]\n',
    '[crio]\n\ufeff',
    '\ufeff',
    '[crio.runtime] # c\n  default_capabilities = [ ] # c\n',
    '[ crio . runtime ]\ndefault_capabilities = ["A"]\n',
    '[crio .runtime]\n',
    '[crio.runtime.]\n',
    '[.crio]\n',
    '[]\n',
    '[crio]]\n',
    'a = """\\\n   \\\n  x"""\n',
    'a = "\\U0001F600 \\u00E9"\n',
    'a = "\\uD800"\n',
    'a = "\\u0000"\n',
    'a = 99999999999999999999\n',
    'a = 1979-05-27T24:00:00\n',
    'a = 1979-05-27 07:32:00.123456789+05:30\n',
    'a = 2000-02-29\nb = 1900-02-29\n',
    'a = { b.c = 1, b.d = 2 }\n',
    'a = { b = 1, b.c = 2 }\n',
    '[[a]]\n[a.b]\n[[a]]\n[a.b]\n',
    '[[a.b]]\n[a]\n',
    'a = [{b = 1}]\n[a.c]\n',
    "k = '''''''''\n",
    'k = """"""""\n',
    'k = """""""""\n',
    # issue 13, second adversarial pass: control bytes, TOML 1.1-only forms,
    # redefinitions, number spellings, unterminated values
    'a = "x\x1by"\n',
    'a = "x\x7fy"\n',
    "a = 'x\x1by'\n",
    'a = 1 # c\x01\n',
    'a = 1 # c\x7f\n',
    'a = 1 # c\rd\n',
    '\u00e9 = 1\n',
    'a = "\\e"\n',
    'a = "\\x1b"\n',
    'a = 1979-05-27T07:32\n',
    'a = 07:32\n',
    'a = {b = 1,\n c = 2}\n',
    'a = {b = 1,}\n',
    'a = {}\n[a.b]\n',
    'a = {b = 1}\na.c = 2\n',
    'a = []\n[[a]]\n',
    '[a.b]\n[a]\nb.c = 1\n',
    '[a]\nb.c = 1\n[a.b]\n',
    '[a] b = 1\n',
    '= 1\n',
    'a = = 1\n',
    'a = "x\n',
    'a = [1,\n',
    'a = {b = 1\n',
    'a = +01\n', 'a = 0_1\n', 'a = 1__0\n', 'a = 1_\n', 'a = _1\n',
    'a = 1e\n', 'a = 1.e5\n', 'a = e5\n', 'a = 1_000.5_5\n', 'a = 0.1_\n', 'a = 00.1\n',
    'a = 0x\n', 'a = 0xG\n', 'a = 0o8\n', 'a = 0b2\n', 'a = -0x1\n',
    'a\u00a0= 1\n',
    'a = """\\  \n  b"""\n',
    'a = """x\r\ny"""\n',
    '"a\\nb" = 1\n',
    'a = [1, "x", [2], {b = 3}]\n',
    'a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p = 1\n',
    '[crio.runtime]\ndefault_capabilities = ["CHOWN", "KILL\\u0000"]\n',
    '[crio.runtime]\ndefault_capabilities = ["CH\u202eOWN"]\n',
]

def edge_cases():
    """Eighteenth pass: every string kind with every escape, line-ending
    backslashes, dates and times at their edges, special floats, integer
    prefixes and underscores, keys quoted every way, dotted keys and
    headers redefining tables, arrays of tables, comments in odd places,
    CR, CRLF, byte order marks, control characters, long lines and deep
    nesting."""
    C = []
    def add(*xs): C.extend(xs)
    # strings and escapes
    for e in ['\\b','\\t','\\n','\\f','\\r','\\"','\\\\','\\u0041','\\U00000041','\\u00e9','\\U0010FFFF','\\U00110000','\\uDFFF','\\u12','\\U1234567','\\a','\\0','\\/','\\ ','\\\t','\\v','\\x41','\\e','\\u001F','\\u007F','\\U0000FEFF']:
        add('a = "%s"\n' % e)
        add('a = """%s"""\n' % e)
        add("a = '%s'\n" % e)
        add("a = '''%s'''\n" % e)
    add('a = """\\\n"""\n', 'a = """\\  \t \n\n  \t x"""\n', 'a = """x\\\n"""\n', 'a = """x \\\r\n  y"""\n',
        'a = """x\\  y"""\n', 'a = """x \\ \t\n y"""\n', 'a = """\\\n\\\n"""\n', 'a = """\nx"""\n', 'a = """\r\nx"""\n',
        "a = '''\nx'''\n", "a = '''\r\nx'''\n", "a = '''\\\nx'''\n", 'a = """a""""\n', 'a = """a"""""\n', 'a = """a""""""\n',
        "a = '''a''''\n", "a = '''a'''''\n", "a = '''a''''''\n", 'a = """ "" """\n', 'a = """ \\""" """\n',
        'a = """x\ry"""\n', 'a = """x\n\ry"""\n', "a = '''x\ry'''\n", 'a = "x\ty"\n', "a = 'x\ty'\n", 'a = """x\ty"""\n',
        'a = """x\x00y"""\n', 'a = "x\x00y"\n', 'a = """x\x1fy"""\n', "a = '''x\x7fy'''\n", 'a = """x\x0by"""\n', 'a = """x\x0cy"""\n',
        'a = ""\n', "a = ''\n", 'a = """"""\n', "a = ''''''\n",
        'a = "\\\\\\""\n', 'a = """\\\\\n"""\n', 'a = """\\\\\\\n x"""\n',
    )
    # dates/times
    for v in ['1979-05-27T07:32:00Z','1979-05-27t07:32:00z','1979-05-27T07:32:00+00:00','1979-05-27T07:32:00-00:00','1979-05-27T07:32:00.999999999Z',
              '1979-05-27T07:32:00.1234567891Z','1979-05-27T07:32:60Z','1979-05-27T07:60:00','1979-05-27T23:59:59+24:00','1979-05-27T07:32:00+23:59',
              '1979-05-27T07:32:00+5:00','1979-05-27T07:32:00Z+01:00','1979-5-27','79-05-27','1979-02-29','2000-02-30','1979-04-31','0000-01-01','9999-12-31',
              '1979-05-27T','1979-05-27 ','1979-05-27T07:32:00.','07:32:00.','07:32:60','7:32:00','1979-05-27_07:32:00','1979-05-27  07:32:00',
              '1979-05-27T07:32:00.5+01:00', '1979-05-27 07:32:00 # c', '1979-05-27T07:32:00.000000000001', '24:00:00','23:59:59.9999999999',
              '1979-05-27T07:32:00ZZ', '1979-05-27T07:32:00.Z', '-1979-05-27', '+1979-05-27', '1979-00-10', '1979-01-00', '1979-01-32','19790527']:
        add('a = %s\n' % v, 'a = [%s]\n' % v)
    # special floats
    for v in ['inf','+inf','-inf','nan','+nan','-nan','Inf','NaN','infinity','inf_','1e1000','-1e1000','1e-400','4.9e-324','2.5e-324','1.7976931348623157e308','1.7976931348623159e308',
              '0.0','-0.0','+0.0','0e0','0E0','1e01','1e+01','1e-01','1e_1','1_e1','1e1_0','1.0e1_0','1.0_e1','1._0','0.0_1','01.5','-01.5','1.5.5','1e1.5','.1','1.','+.1',
              '3.14159265358979323846264338327950288419716939937510','0.1000000000000000055511151231257827','123456789012345678901234567890.5',
              '9007199254740993.0', '1_1.1_1e1_1', '1__1.0', '0x1.0', '0x1p3', 'nan#c', 'inf#c','infx','nanx']:
        add('a = %s\n' % v)
    # integers
    for v in ['0x0','0X10','0xDEADbeef','0x_1','0x1_','0x1__2','0o0','0o777','0o7_7','0O7','0b0','0b1_0','0B1','+0x1','0x-1','0x8000000000000000','0x7FFFFFFFFFFFFFFF',
              '0xFFFFFFFFFFFFFFFF','0o1777777777777777777777','0o777777777777777777777','0b'+'1'*63,'0b'+'1'*64,'-9223372036854775808','-9223372036854775809','9223372036854775807',
              '+9223372036854775807','9_223_372_036_854_775_807','-0','+0','00','-00','0_0','1_2_3','1 2','1,2','٣','１','0x00000000000000000000001','0'*200,'1'+'0'*200]:
        add('a = %s\n' % v)
    # keys
    add('"" = 1\n', "'' = 1\n", '"a" = 1\n"a" = 2\n', 'a = 1\n"a" = 2\n', "a = 1\n'a' = 2\n", '"\\u0061" = 1\na = 2\n', '"a\\tb" = 1\n', "'a\\tb' = 1\n",
        '"a"."b" = 1\n', "'a'.'b'.c = 1\n", 'a . b = 1\n', 'a\t.\tb = 1\n', 'a. b = 1\n', 'a .b = 1\n', 'a..b = 1\n', '.a = 1\n', 'a. = 1\n', '"a.b" = 1\na.b = 2\n',
        '1.2 = 3\n', '1.2.3 = 4\n', 'true = 1\n', 'inf = 1\n', 'nan.x = 1\n', '-_- = 1\n', '1979-05-27 = 1\n', 'a b = 1\n', '"""a""" = 1\n', "'''a''' = 1\n",
        '"a\nb" = 1\n', "'a\nb' = 1\n", 'é = 1\n', '"é" = 1\n"e\\u0301" = 2\n', '"\\u00e9" = 1\n"é" = 2\n', '[ "a" . \'b\' . c ]\n', '[a."".b]\n', '[""]\n', "['']\n",
        '[a]\n[A]\n', '[a]\n["a"]\n', '[[ a ]]\n[[a]]\n', '[ [a]]\n', '[[a] ]\n', '[[a]\n', '[a]]\n', '[a\n]\n', '[\na]\n', '[a] # c\n', '[[a]] # c\n', '[a]#c\n', 'a=1#c\n')
    # dotted keys redefining tables
    add('a.b = 1\n[a]\n', '[a]\nb = 1\n[a.c]\n[a]\n', 'a.b.c = 1\n[a.b]\n', '[a.b.c]\n[a.b]\nc.d = 1\n', '[a]\nb.c = 1\nb.d = 2\n', '[a]\nb.c = 1\n[a.b.d]\n',
        'a = {}\na.b = 1\n', '[a]\nb = {}\n[a.b]\n', 'a.b = 1\na.b.c = 2\n', 'a.b = {c = 1}\na.b.d = 2\n', '[a.b]\nc = 1\n[a]\nb.d = 2\n', '[[a]]\nb.c = 1\n[a.b]\n',
        '[[a]]\nb.c = 1\n[[a]]\nb.c = 2\n', '[a]\n[a.b]\n[a]\n', '[a.b]\n[a]\n[a.b]\n', 'a.b = 1\n[a.c]\n', '[x]\na.b = 1\n[x.a]\n', '[x]\na.b = 1\n[x.a.c]\n',
        '[x.a.c]\n[x]\na.b = 1\n', '[x.a]\n[x]\na.b = 1\n', 'a = [1]\na.b = 1\n', 'a = [{}]\n[[a]]\n', '[[a]]\n[a]\n', '[a]\n[[a]]\n', '[[a.b]]\n[a.b.c]\n[[a.b]]\n',
        '[[a]]\n[[a.b]]\n[a.b.c]\n', '[a.b]\n[[a.b.c]]\n[[a.b]]\n', '[[a]]\nx=1\n[[a]]\nx=2\n[a.y]\n', 'a.b.c = 1\na.b = 2\n', 'a = {b = {c = 1}}\n[a.b]\n', 'a = {b = {c = 1}}\n[a.b.d]\n',
        '[a]\nb = {c = 1}\nb.d = 2\n', '[[a]]\n[[a.b]]\nx = 1\n[[a.b]]\nx = 2\n[[a]]\n[[a.b]]\n')
    # arrays
    add('a = [1,,2]\n', 'a = [,]\n', 'a = [1 2]\n', 'a = [\n#c\n1\n#c\n,\n#c\n2\n#c\n]\n', 'a = [#c\n]\n', 'a = [1,#c\n]\n', 'a = [1 #c\n,2]\n', 'a = [[],[[]]]\n',
        'a = [1, 1.0]\n', 'a = [{a=1},{b=2}]\n', 'a = [\r\n1,\r\n]\n', 'a = [1,\r2]\n', 'a = [ ]\n', 'a = [\t]\n')
    # inline tables
    add('a = {b=1, c=2}\n', 'a = {b=1 c=2}\n', 'a = { }\n', 'a = {,}\n', 'a = {b=1,,c=2}\n', 'a = {b=1, b=2}\n', 'a = {b.c=1, b.d=2}\n', 'a = {b.c=1, b={}}\n',
        'a = {b={c=1}, b.d=1}\n', 'a = {b=[1], b.c=1}\n', 'a = {b=1}\n[a]\n', 'a = {b=1}\n[a.c]\n', 'a = {b = 1 #c\n}\n', 'a = {\tb\t=\t1\t}\n')
    # comments in odd places, CRLF, BOM, control chars
    add('#\n', '#', '# \x00\n', '# \t\n', 'a = 1 #\r\n', 'a = 1 #\r\r\n', '# c\r\na = 1', 'a = 1\r', 'a = 1\r\r\n', '[a]\r\nb = 1\r\n[c]\r\n', 'a = """\r\n"""\r\n',
        'a = [\r\n]\r\n', '\ufeffa = 1\n', 'a = 1\n\ufeff', 'a = "\ufeff"\n', '# \ufeff\n', 'a = 1 # \u2028\n', 'a = "\u2028"\n', 'a = "\x80"\n', '\x0ca = 1\n',
        'a = 1\x0b\n', 'a\x0c= 1\n', ' \t a = 1\n', '\x00', '\n\n\n', '', ' ', '\t', '\r\n', 'a = 1 # \x09 tab\n', 'a = 1 # \ud7ff\n', 'a = 1 # \ue000\n', 'a = 1 # \U0010ffff\n')
    # long lines, deep nesting
    add('a = "' + 'x' * 200000 + '"\n', 'a = [' + '1,' * 50000 + ']\n', '# ' + 'x'*300000 + '\n', 'k' * 100000 + ' = 1\n', 'a = ' + '1' * 130 + '\n',
        'a = ' + '['*99 + ']'*99 + '\n', 'a = ' + '['*101 + ']'*101 + '\n', 'a = ' + '{b='*60 + '1' + '}'*60 + '\n',
        'a = ' + '{b='*200 + '1' + '}'*200 + '\n', '.'.join(['k']*150) + ' = 1\n', '[' + '.'.join(['k']*150) + ']\n', '[[' + '.'.join(['k']*150) + ']]\n',
        'a = ' + '[{b='*40 + '1' + '}]'*40 + '\n', 'a = ' + '[{b='*60 + '1' + '}]'*60 + '\n')
    return C


def pass20_cases():
    """Twentieth pass: line-ending backslashes with every blank before the
    newline, \\U escapes valid and not, dotted keys and arrays of tables
    over [crio.runtime.runtimes], empty and unicode keys, number and date
    spellings in a crio field, BOM, CR-only lines, NUL, every control
    character in a comment, and content after every kind of value."""
    C = []
    def add(*xs): C.extend(xs)
    # multi-line strings with line-ending backslashes
    for ws in ['', ' ', '\t', ' \t ', '  \r']:
        add('a = """x\\%s\ny"""\n' % ws, 'a = """x\\%s\r\ny"""\n' % ws, 'a = """x\\%s\n\n\n   y"""\n' % ws,
            'a = """x\\%s\n"""\n' % ws, 'a = """\\%s\n\\%s\n"""\n' % (ws, ws))
    add('a = """x\\\ry"""\n', 'a = """x\\ \ry"""\n', 'a = """x\\\\\ny"""\n', 'a = """x\\\\\\\ny"""\n',
        'a = "x\\\ny"\n', "a = '''x\\\ny'''\n", 'a = """x\\', 'a = """x\\\n', 'a = """\\\n \\\n"""', 'a = """x \\ y"""\n',
        'a = """\\\u00a0\ny"""\n', 'a = """\\\x0c\ny"""\n', 'a = """\\\x0b\ny"""\n')
    # escapes
    for e in ['\\U0001F600', '\\U0001f600', '\\U0000D800', '\\U0000DFFF', '\\U0000E000', '\\U00110000', '\\UFFFFFFFF',
              '\\U0001F60', '\\U0001F60G', '\\u+041', '\\U+0001F60', '\\u 041', '\\u-041', '\\uD83D\\uDE00', '\\U00000000',
              '\\u0000', '\\U0010FFFF', '\\U0010ffff', '\\u00', '\\U', '\\u', '\\x', '\\"', '\\\'', '\\%', '\\N', '\\Z', '\\E',
              '\\U0000007F', '\\u001b', '\\uFFFE', '\\uFFFF', '\\U000FFFFF', '\\u00e9\\u0301']:
        add('a = "%s"\n' % e, 'a = """%s"""\n' % e, '"%s" = 1\n' % e, '["%s"]\n' % e, 'a = {"%s" = 1}\n' % e)
    # dotted keys redefining tables
    add('[crio.runtime]\ndefault_capabilities = ["A"]\n[crio]\nruntime.default_capabilities = ["B"]\n',
        '[crio]\nruntime.default_capabilities = ["B"]\n[crio.runtime]\nx = 1\n',
        '[crio]\nruntime.runtimes.runc.runtime_path = "/x"\n[crio.runtime.runtimes.runc]\n',
        '[crio.runtime.runtimes.runc]\nruntime_path = "/x"\n[crio]\nruntime.runtimes.crun.runtime_path = "/y"\n',
        '[crio.runtime]\nruntimes.runc.runtime_path = "/x"\nruntimes.runc.runtime_type = "oci"\n',
        '[crio.runtime]\nruntimes.runc = {runtime_path = "/x"}\nruntimes.runc.runtime_type = "oci"\n',
        'crio.runtime.default_capabilities = ["A"]\n[crio]\n',
        'crio.runtime.default_capabilities = ["A"]\n[crio.runtime]\n',
        'crio.runtime.default_capabilities = ["A"]\n[crio.image]\n',
        '[crio]\nruntime.x = 1\n[crio.runtime.runtimes.runc]\n',
        '[crio]\nruntime.x = 1\nruntime = 2\n', '[crio]\nruntime = 2\nruntime.x = 1\n')
    # arrays of tables under runtimes
    add('[[crio.runtime.runtimes]]\nruntime_path = "/x"\n',
        '[[crio.runtime.runtimes.runc]]\nruntime_path = "/x"\n',
        '[crio.runtime.runtimes.runc]\n[[crio.runtime.runtimes.runc]]\n',
        '[[crio.runtime.runtimes.runc]]\n[crio.runtime.runtimes.runc]\n',
        '[[crio.runtime.runtimes.runc]]\n[crio.runtime.runtimes.runc.x]\n',
        '[crio.runtime]\nruntimes = [{runc = {runtime_path = "/x"}}]\n',
        '[crio.runtime]\nruntimes = []\n[crio.runtime.runtimes.runc]\n',
        '[[crio.runtime.runtimes.runc.allowed_annotations]]\n',
        '[[crio]]\n[crio.runtime]\n', '[[crio]]\n[[crio.runtime]]\n', '[[crio.runtime]]\n[[crio.runtime]]\n')
    # unicode / quoted empty keys
    add('"" = 1\n[crio]\n', '[crio.""]\nx = 1\n', '[crio.runtime.runtimes.""]\nruntime_path = "/x"\n',
        '["".runtime]\n', '"".a = 1\n', 'a."" = 1\n', '"" = {"" = 1}\n', "'' = 1\n\"\" = 2\n", '[""]\n[""]\n', '[[""]]\n[[""]]\n',
        '"\u00e9" = 1\n', '"\U0001F600" = 1\n', "'\U0001F600' = 1\n", '\U0001F600 = 1\n', '[crio.runtime.runtimes."\u00e9"]\n',
        '"cr\\u0069o" = {runtime = {}}\n', '["cr\\u0069o".runtime]\ndefault_capabilities = ["A"]\n', '[crio.runtime.runtimes."r\\u0000"]\n',
        '"a\u200bb" = 1\n', 'crio\u200b = 1\n', '"\\u0000" = 1\n')
    # integer/float/datetime forms
    for v in ['1_0', '0x1_0', '0o1_0', '0b1_0', '-0x1', '+0o1', '0X1', '0B1', '0O1', '1e+2', '1E-2', '-1E+2_0', '3.0e', '.0', '0.', '-.5',
              '1979-05-27T07:32:00+00', '1979-05-27T07:32:00+0000', '1979-05-27T07:32Z', '1979-05-27T07Z', '1979-05-27T07:32:00.Z',
              '1979-05-27 07:32:00', '1979-05-27t07:32:00', '1979-05-27T07:32:00 Z', '1979-05-27T7:32:00', '0001-01-01T00:00:00Z',
              '1979-05-27T07:32:00.1234567890123456789012345Z', '2024-02-29T23:59:60Z', '2023-02-29', '1979-05-27T25:00:00',
              '1979-05-27T07:32:00-24:00', '1979-05-27T07:32:00+23:60', '00:00:00', '23:59:60', '12:00', '12', '1979-05', '1979']:
        add('a = %s\n' % v, '[crio.runtime]\npids_limit = %s\n' % v)
    # BOM
    add('\ufeff[crio.runtime]\ndefault_capabilities = ["A"]\n', '\ufeff\r\n', '\ufeff#c\n', '[crio]\nx = "\ufeff"\n', '\ufeff= 1\n',
        'a\ufeff = 1\n', '\ufeff\n\ufeff\n')
    # CR-only line endings
    add('[crio.runtime]\rdefault_capabilities = ["A"]\r', 'a = 1\rb = 2\r', '# c\ra = 1\n', 'a = [1,\r2]\n', 'a = "x"\r', '[a]\r',
        'a = """x\ry"""\n', "a = '''x\ry'''\n", 'a = 1 # c\r\n', 'a = 1 # c\r', 'a = 1\r\r', '\r', '\r\r\n', 'a = {b = 1}\r')
    # NUL bytes
    add('\x00', '\x00a = 1\n', 'a = 1\x00\n', 'a = 1\n\x00', '# c\x00\n', 'a = "\x00"\n', "a = '\x00'\n", 'a\x00 = 1\n',
        '"a\x00" = 1\n', '[a\x00]\n', '[crio.runtime]\ndefault_capabilities = ["A\x00B"]\n', 'a = """\x00"""\n', "a = '''\x00'''\n",
        'a = 1 \x00# c\n', 'a = [1,\x002]\n')
    # comments with control chars (tomllib refuses those but tab)
    for c in list(range(0, 9)) + list(range(10, 32)) + [127]:
        add('# c%sd\n' % chr(c), 'a = 1 # c%sd\n' % chr(c), '[crio] # c%s\n' % chr(c), 'a = [ # c%s\n1]\n' % chr(c))
    add('# \u0085\n', '# \u2029\n', '# \x80\n', '# \ud800\n')
    # trailing content after values
    for v in ['1', '"s"', "'s'", '"""s"""', "'''s'''", 'true', 'false', '1.5', 'inf', 'nan', '1979-05-27', '07:32:00',
              '1979-05-27T07:32:00Z', '[1]', '{b = 1}', '0x1']:
        for t in [' x', 'x', ' 1', ',', ' ,', ' = 2', ' ]', ' }', ' "x"', ' #ok', '\tb = 2', ' [a]', '.5', ':', ' \\']:
            add('a = %s%s\n' % (v, t))
    add('[crio.runtime]\ndefault_capabilities = ["A"] ["B"]\n', '[crio.runtime]\ndefault_capabilities = ["A"], ["B"]\n',
        '[crio.runtime] x\n', '[[crio.runtime.runtimes]] x\n', '[crio.runtime]]\n', '[crio.runtime] [x]\n',
        '[crio.runtime]\nadd_inheritable_capabilities = true false\n', '[crio.runtime]\nadd_inheritable_capabilities = truex\n',
        '[crio.runtime]\nadd_inheritable_capabilities = tru\n', '[crio.runtime]\nadd_inheritable_capabilities = TRUE\n')
    return C


def pass22_cases():
    """Twenty-second pass, part E: TOML 1.0's table rules (inline tables
    closed to extension, dotted keys and [headers] defining a table twice,
    arrays of tables against tables), multi-line strings and their quotes,
    line-ending backslashes, CRLF, marks and NULs in odd places, keys of
    70,000 bytes, nesting either side of the limit. All held."""
    C = []
    def add(xs): C.extend(xs)
    # inline table extension / closing
    add(['a = {b = 1}\na.c = 2\n', 'a = {b = 1}\n[a]\nc = 2\n', 'a = {b = 1}\n[a.c]\n', 'a = {b = {c = 1}}\na.b.d = 2\n',
         'a = {b = 1}\n[[a.c]]\n', 'a = {}\na.b = 1\n', '[t]\na = {b = 1}\n[t.a.c]\n', 'a = {b.c = 1, b.d = 2}\n', 'a = {b.c = 1, b = {}}\n',
         'a = {b = 1, b.c = 2}\n', 'a = {b.c = 1, b.c.d = 2}\n', 'a = [{b = 1}]\n[[a]]\n', 'a = []\n[[a]]\n', '[[a]]\na = 1\n',
         'a = {b = [1]}\n[[a.b]]\n'])
    # dotted keys defining tables twice
    add(['a.b.c = 1\na.b.d = 2\n', 'a.b.c = 1\n[a.b]\n', 'a.b.c = 1\n[a]\n', '[a]\nb.c = 1\n[a.b]\nd = 2\n', '[a]\nb.c = 1\n[a]\n',
         '[a.b.c]\n[a]\nb.c.d = 1\n', '[a.b.c]\n[a]\nb.d = 1\n', '[a.b]\nc = 1\n[a]\nb.d = 1\n', '[a.b.c]\nz = 1\n[a]\nb.c.d = 1\n',
         'a.b = 1\na.b.c = 2\n', 'a.b.c = 1\na.b = 2\n', '[a]\n[a.b]\n[a]\n', '[a.b]\n[a]\n[a.b]\n', '[a.b]\n[a]\nb = 1\n',
         '[a]\nb = {c = 1}\n[a.b.d]\n', '[[a.b]]\n[a]\nb.c = 1\n', '[[a]]\nb.c = 1\n[a.b]\n', '[[a]]\n[a.b]\nc = 1\n[[a]]\n[a.b]\nc = 2\n',
         '[[a]]\n[[a.b]]\n[a.b.c]\n[[a.b]]\n[a.b.c]\n', '[a.b.c]\n[[a.b]]\n', '[[a.b]]\n[a.b.c]\n', 'a.b.c = 1\n[[a.b]]\n',
         'x.y = 1\n["x"]\n', '"x".y = 1\n[x.y.z]\n', 'a . b . c = 1\n', "a.'b'.\"c\" = 1\n[a.'b']\n"])
    # arrays of tables
    add(['[[a]]\n[[a]]\nb = 1\n[[a.c]]\n[[a]]\n', '[[a.b]]\n[[a]]\n', '[[a]]\n[[a.b]]\n[[a]]\n[[a.b]]\n', '[a]\n[[a]]\n', '[[a]]\n[a]\n',
         '[[a]]\nb = []\n[[a.b]]\n', '[[ a ]]\n', '[[a ]]\n', '[ [a]]\n', '[[a] ]\n', '[[a]]]\n', '[[a]\n'])
    # multiline strings, line ending backslash
    add(['a = """\\\n  \\\n  x"""\n', 'a = """\\\r\n  x"""\n', 'a = """x\\  \r\n  y"""\n', 'a = """x\\ \t \n\n\t y"""\n',
         'a = """""x"""""\n', 'a = """x""""\n', 'a = """x"""""\n', 'a = """x""""""\n', "a = '''''x'''''\n", "a = ''''x''''''\n",
         'a = """\r\nx"""\n', 'a = """\n\nx"""\n', 'a = """\\u00e9\\\n"""\n', 'a = """a\\\n\\\nb"""\n'])
    # CRLF / BOM / NUL in odd places
    add(['a = 1\r\n[b]\r\nc = 2\r\n', 'a = """x\r\n"""\r\n', "a = '''\r\nx'''\n", 'a = [\r\n1,\r\n]\r\n', 'a = {b = 1}\r\n',
         '\ufeff\ufeffa = 1\n', 'a = 1\n\ufeff', '\ufeff', '[a]\r\n\ufeff', 'a = 1\r', 'a = "x\r"\n', 'a = "x"\r\r\n',
         'a = "\x00"\n', 'a = """x\x00y"""\n', '# \x00\n', '\x00\x00'])
    # very long keys and many parts
    add(['%s = 1\n' % ('k' * 70000), '"%s" = 1\n' % ('k' * 70000), '[%s]\n' % ('k' * 70000), '%s = 1\n' % '.'.join(['a'] * 99),
         '%s = 1\n' % '.'.join(['a'] * 101), '[%s]\n' % '.'.join(['a'] * 101), 'a = %s1%s\n' % ('[' * 99, ']' * 99),
         'a = %s1%s\n' % ('[' * 101, ']' * 101), 'a = %s%s\n' % ('{b = ' * 101, '}' * 101), '%s = 1\n' % ('k' * 300)])
    return C


def pass28_cases():
    """Twenty-eighth pass, part B: what the runtimes' files add (CRI-O's
    runtimes and workloads tables, containerd's plugin tables and imports
    list): arrays of tables and their sub-tables, dotted keys across
    [tables], inline tables inside arrays, literal strings with
    backslashes (paths, regexps), multi-line basic strings with
    line-ending backslashes, integers with '_', '+', hex, octal and
    binary, dates and times at their bounds, tables twice."""
    C = []
    def add(xs): C.extend(xs)
    # arrays of tables: CRI-O's workloads, containerd's proxy plugins
    add(['[[a]]\nb = 1\n[a.c]\nd = 2\n[[a]]\nb = 2\n[a.c]\nd = 3\n',
         '[[a]]\n[a.c]\n[a.c]\n', '[[a]]\n[[a.b]]\nc = 1\n[a.b.d]\n', '[[a]]\nb.c = 1\n[[a]]\nb.c = 2\n',
         '[[a]]\nb.c = 1\nb.c = 2\n', '[[a]]\nb = {c = 1}\n[a.b]\n', '[[a]]\nb = [{c = 1}]\n[[a.b]]\n',
         '[a]\n[[a.b]]\n[[a.b]]\nc = 1\n', '[[a.b]]\n[[a.b.c]]\n[[a.b]]\n[[a.b.c]]\n[[a.b.c]]\n',
         "[['a']]\n[[\"a\"]]\n", '[["a.b"]]\n[a]\n', '[[a]]\n[a.b.c]\n[a.b]\n', '[[a]]\n[a.b]\n[a.b.c]\n[a.b]\n',
         'a = []\n', '[[a]]\n# only a comment\n[[a]]\n'])
    # dotted keys across tables: containerd's plugins."io.containerd.grpc.v1.cri"
    add(['[plugins]\n"io.containerd.grpc.v1.cri".containerd.default_runtime_name = "runc"\n'
         '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]\nruntime_type = "x"\n',
         '[plugins]\n"io.containerd.grpc.v1.cri".x = 1\n[plugins."io.containerd.grpc.v1.cri"]\ny = 2\n',
         '[plugins."io.containerd.grpc.v1.cri"]\ny = 2\n[plugins]\n"io.containerd.grpc.v1.cri".x = 1\n',
         '[a]\nb.c.d = 1\n[a.b.c.e]\n', '[a]\nb.c.d = 1\n[a.b.c]\n', '[a]\nb.c.d = 1\n[a.b]\nc.e = 2\n',
         '[a.b]\nc.d = 1\n[a]\nb.c.e = 2\n', 'a.b.c = 1\n[a.b.d]\n', 'a.b.c = 1\n[a.b]\n',
         '[crio.runtime]\nruntimes.crun.runtime_path = "/x"\n[crio.runtime.runtimes.crun]\n',
         '[crio.runtime.runtimes.crun]\n[crio.runtime]\nruntimes.crun.runtime_path = "/x"\n',
         '[crio.runtime.runtimes.crun]\n[crio.runtime]\nruntimes.runc.runtime_path = "/x"\n',
         'a."b.c".d = 1\n[a."b.c"]\ne = 2\n', 'a."b.c".d = 1\n[a.b.c]\ne = 2\n'])
    # inline tables inside arrays
    add(['a = [{b = 1}, {b = 2, c = {d = [3]}}]\n', 'a = [{}, {}, {b = []}]\n', 'a = [{b.c = 1}, {b.c = 2}]\n',
         'a = [{b = 1, b = 2}]\n', 'a = [{b.c = 1, b = 1}]\n', 'a = [ { b = 1 } , ]\n', 'a = [{b = 1}\n,{c = 2}\n]\n',
         'a = [{b = 1}]\na = [{b = 1}]\n', 'a = [[{b = 1}], [{c = [{d = 2}]}]]\n', 'a = [{b = 1}]\n[a.c]\n',
         'a = [{b = 1}]\n[[a]]\n', 'a = [{"b c" = 1, \'d"e\' = 2}]\n'])
    # literal strings with backslashes (paths, regexps)
    add([r"a = 'C:\Users\x'" + '\n', r"a = '\d+\.\s*'" + '\n', r"a = '\'" + '\n', r"a = '''\'''" + '\n',
         "a = '''\\\n'''\n", "a = '''\\\nb'''\n", r"'\' = 1" + '\n', r"['\u0041']" + '\n', r"a = '\u0041\n'" + '\n',
         r"a = 'x\'" + '\nb = 1\n', r"a = '''x\'''" + '\n', r"a = ''''\''''" + '\n'])
    # multi-line basic strings with line-ending backslashes
    add(['a = """a \\\n  b"""\n', 'a = """a\\\n\n\n  b"""\n', 'a = """a\\ \t\n  b"""\n', 'a = """a\\\\\n  b"""\n',
         'a = """a\\\\\\\n  b"""\n', 'a = """\\\n"""\n', 'a = """\\\n\\\n"""\n', 'a = """a\\ x\n"""\n',
         'a = """a\\\t\n b"""\n', 'a = """a\\\r\n b"""\n', 'a = """a\\ \r\n b"""\n', 'a = """a\\\n"b"\\\n"""\n',
         'a = """\\\n   """\n', 'a = """\\\n   \\\n   \\\n"""\n', 'a = "a\\\nb"\n'])
    # integers
    add(['a = 1_2_3\n', 'a = +1_000\n', 'a = -1_000\n', 'a = 0x1_F\n', 'a = 0xFFFF_FFFF_FFFF_FFFF\n', 'a = 0x7FFF_FFFF_FFFF_FFFF\n',
         'a = 0o7_7\n', 'a = 0b1_0\n', 'a = 0b_1\n', 'a = 0b1_\n', 'a = +0x1\n', 'a = 0X1\n', 'a = 0O7\n', 'a = 0B1\n',
         'a = 0o\n', 'a = 0b\n', 'a = 0xg\n', 'a = 0o777777777777777777777\n', 'a = 0o1000000000000000000000\n',
         'a = 0b' + '1' * 63 + '\n', 'a = 0b' + '1' * 64 + '\n', 'a = -9_223_372_036_854_775_808\n',
         'a = 9_223_372_036_854_775_808\n', 'a = +0\n', 'a = -0\n', 'a = +00\n', 'a = 1__2\n', 'a = 0x00\n', 'a = 0_0\n',
         'a = 1_000_\n', 'a = 1e1_0\n', 'a = 1_0e1\n', 'a = 1.0_1\n', 'a = 1_.0\n', 'a = 1._0\n', 'a = +inf\n', 'a = -nan\n'])
    # dates and times
    add(['a = 1979-05-27\n', 'a = 0000-01-01\n', 'a = 9999-12-31T23:59:59.999999Z\n', 'a = 1979-05-27T00:00:00+23:59\n',
         'a = 1979-05-27T00:00:00+24:00\n', 'a = 1979-05-27T00:00:00-00:00\n', 'a = 1979-05-27t07:32:00z\n',
         'a = 1979-05-27T07:32:60Z\n', 'a = 1979-05-27T07:60:00Z\n', 'a = 1979-05-32\n', 'a = 1979-04-31\n',
         'a = 2100-02-29\n', 'a = 2000-02-30\n', 'a = 1979-5-27\n', 'a = 79-05-27\n', 'a = 1979-05-27T7:32:00\n',
         'a = 07:32:00.\n', 'a = 1979-05-27T07:32:00.Z\n', 'a = 1979-05-27T07:32:00.1234567891234Z\n',
         'a = 1979-05-27 \n', 'a = 1979-05-27  07:32:00\n', 'a = [1979-05-27, 07:32:00]\n', 'a = {b = 1979-05-27T07:32:00Z}\n',
         'a = 1979-05-27T07:32:00+0100\n', 'a = 1979-05-27T07:32:00+01\n'])
    # tables twice, in the shapes a drop-in or an import could take
    add(['[a]\n[a]\n', '[a]\nb = 1\n[a]\nc = 2\n', '[a.b]\n[a.b]\n', '[a]\n["a"]\n', "[a]\n['a']\n", '[a.b]\n[a."b"]\n',
         '[a]\n[A]\n', '[a.b]\nc = 1\n[a]\n[a.b.d]\n[a.b]\n', 'a = {}\n[a]\n', 'a = 1\n[a]\n', '[a]\n[a.b]\n[a]\nb = 1\n',
         '[a]\nb = 1\n[a.b]\n', '[a]\nb = {}\n[a.b]\n', '[a.b.c]\n[a.b.c]\n', 'imports = ["/a", "/b"]\nimports = []\n',
         '[crio.runtime]\n[CRIO.runtime]\n', '[crio.runtime]\n[crio . runtime]\n', '[crio.runtime]\n["crio".runtime]\n'])
    return C


ATOMS = [
    '"s"', "'lit'", '"""m\nl"""', "'''m\nl'''", '""', '"\\t\\n\\"\\\\"', '"é"',
    '0', '-0', '+7', '1_000', '0x_1', '0xdead_BEEF', '0o755', '0b1010', '07',
    '1.5', '-0.0', '6.02e23', '1e-7', '1E+2', '1.', '.5', 'inf', '-inf', 'nan', '+nan',
    'true', 'false', 'True', '1979-05-27', '1979-05-27T07:32:00', '1979-05-27 07:32:00Z',
    '07:32:00', '07:32:00.5', '1979-05-27T07:32:00.12345678-08:00', '1979-13-01',
    '9223372036854775807', '-9223372036854775808', '9223372036854775808',
]
KEYS = ['a', 'b', 'key', 'bare-key_1', '1234', '"quoted key"', '"a.b"', "'lit.key'",
        '""', '"é"', 'crio', 'runtime', 'default_capabilities']


def gen_value(r, depth=0):
    k = r.random()
    if depth < 3 and k < 0.15:
        sep = r.choice([', ', ',', ',\n  ', ' , '])
        items = [gen_value(r, depth + 1) for _ in range(r.randint(0, 3))]
        tail = r.choice(['', ',', ',\n'])
        return '[' + sep.join(items) + (tail if items else '') + ']'
    if depth < 3 and k < 0.27:
        pairs = [gen_key(r) + ' = ' + gen_value(r, depth + 1) for _ in range(r.randint(0, 3))]
        return '{ ' + ', '.join(pairs) + ' }'
    return r.choice(ATOMS)


def gen_key(r):
    return '.'.join(r.choice(KEYS) for _ in range(r.choice([1, 1, 1, 2, 3])))


def gen_doc(r):
    lines = []
    for _ in range(r.randint(1, 10)):
        k = r.random()
        if k < 0.2:
            lines.append('[' + gen_key(r) + ']')
        elif k < 0.28:
            lines.append('[[' + gen_key(r) + ']]')
        elif k < 0.33:
            lines.append('# comment ' + r.choice(['', 'é', '"x"']))
        elif k < 0.36:
            lines.append('')
        else:
            lines.append(r.choice(['', '  ', '\t']) + gen_key(r) + r.choice([' = ', '=', ' =\t'])
                         + gen_value(r) + r.choice(['', ' # c', '  ']))
    return '\n'.join(lines) + r.choice(['\n', '', '\r\n'])


NOISE = ['=', '[', ']', '{', '}', '"', "'", '.', ',', '#', '\n', '\r', '\\', '_', '0', 'x',
         ':', '-', '+', ' ', '\t', '\x00', '\x7f', '\x01', 'e', 'T', 'Z', '\u00e9']


def mutate(r, doc):
    b = list(doc)
    for _ in range(r.randint(1, 3)):
        op = r.random()
        i = r.randint(0, len(b))
        if op < 0.4 and b:
            del b[min(i, len(b) - 1)]
        elif op < 0.8:
            b.insert(i, r.choice(NOISE))
        else:
            b[min(i, len(b) - 1):min(i, len(b) - 1)] = b[:r.randint(0, 20)]
    return ''.join(b)


def norm(v):
    import datetime
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    if isinstance(v, list):
        return [norm(x) for x in v]
    if isinstance(v, bool) or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return {'$f': 'nan' if math.isnan(v) else format(v, '.17g')}
    if isinstance(v, (datetime.datetime, datetime.date, datetime.time)):
        return {'$dt': v.isoformat()}
    raise TypeError(type(v))


def may_refuse(v, depth=0):
    """Values capscope refuses on purpose, rather than represent them wrongly."""
    if depth > 100:
        return True
    if isinstance(v, dict):
        return any('\0' in k or may_refuse(x, depth + 1) for k, x in v.items())
    if isinstance(v, list):
        return any(may_refuse(x, depth + 1) for x in v)
    if isinstance(v, str):
        return '\0' in v
    if isinstance(v, int) and not isinstance(v, bool):
        return not -2**63 <= v < 2**63
    return False


def has_inf(v):
    """A float tomllib read as infinite: from `inf`, or from a literal past
    the 64-bit range, which capscope refuses as CRI-O's reader does."""
    if isinstance(v, dict):
        return any(has_inf(x) for x in v.values())
    if isinstance(v, list):
        return any(has_inf(x) for x in v)
    return isinstance(v, float) and math.isinf(v)


def after_mark(data):
    """The text CRI-O's reader parses: BurntSushi/toml (1.3 on) drops a
    UTF-8 byte order mark, or a UTF-16 one's two bytes, at the start, and
    capscope does too; tomllib refuses the mark, so it is given the rest."""
    for m in (b'\xff\xfe', b'\xfe\xff', b'\xef\xbb\xbf'):
        if data.startswith(m):
            return data[len(m):]
    return data


def main():
    args = sys.argv[1:]
    dump = args.pop(0)
    seed, count, corpus, extra = 20261129, 600, None, []
    while args:
        a = args.pop(0)
        if a == '--seed':
            seed = int(args.pop(0))
        elif a == '--count':
            count = int(args.pop(0))
        elif a == '--corpus':
            extra.append(args.pop(0))
        elif a == '--write-corpus':
            corpus = (args.pop(0), int(args.pop(0)))
    r = random.Random(seed)
    docs = [('hand-%d' % i, d.encode()) for i, d in enumerate(HAND)]
    docs += [('edge-%d' % i, d.encode('utf-8', 'surrogatepass')) for i, d in enumerate(edge_cases())]
    docs += [('pass20-%d' % i, d.encode('utf-8', 'surrogatepass')) for i, d in enumerate(pass20_cases())]
    docs += [('pass22-%d' % i, d.encode('utf-8', 'surrogatepass')) for i, d in enumerate(pass22_cases())]
    docs += [('pass28-%d' % i, d.encode('utf-8', 'surrogatepass')) for i, d in enumerate(pass28_cases())]
    cdir = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fuzz', 'corpus', 'toml')
    for d in [cdir] + extra:
        for name in sorted(os.listdir(d)):
            with open(os.path.join(d, name), 'rb') as f:
                docs.append(('corpus/' + name if d == cdir else d + '/' + name, f.read()))
    valid = []
    for i in range(count):
        d = gen_doc(r)
        if i % 2 and valid:
            d = mutate(r, r.choice(valid))
        else:
            valid.append(d)
        docs.append(('gen-%d' % i, d.encode('utf-8', 'surrogatepass')))
    if corpus:
        os.makedirs(corpus[0], exist_ok=True)
        for name, d in docs[-corpus[1]:]:
            with open(os.path.join(corpus[0], name), 'wb') as f:
                f.write(d)
        return 0
    n = fails = agree_ok = agree_err = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'doc.toml')
        for name, data in docs:
            try:
                py = norm(tomllib.loads(after_mark(data).decode('utf-8')))
                raw = tomllib.loads(after_mark(data).decode('utf-8'))
            except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
                py, raw, pyerr = None, None, str(e)
            with open(path, 'wb') as f:
                f.write(data)
            p = subprocess.run([dump, path], capture_output=True)
            n += 1
            why = None
            if p.returncode not in (0, 1):
                why = 'toml-dump crashed (%d): %s' % (p.returncode, p.stderr[-300:])
            elif p.returncode == 0 and py is None:
                why = 'capscope accepts what tomllib refuses (%s)' % pyerr
            elif (p.returncode == 1 and py is not None and not may_refuse(raw) and
                  not (b'a float beyond the 64-bit range' in p.stderr and has_inf(raw))):
                why = 'capscope refuses a valid document: %s' % p.stderr.decode('utf-8', 'replace').strip()
            elif p.returncode == 0 and json.loads(p.stdout) != py:
                why = 'trees differ:\n#  capscope %s\n#  tomllib  %s' % (
                    p.stdout.decode().strip()[:400], json.dumps(py)[:400])
            elif p.returncode == 1 and not re.match(re.escape(path) + r':[1-9][0-9]*:[1-9][0-9]*: ',
                                                    p.stderr.decode('utf-8', 'replace')):
                why = 'error without file:line:column: %s' % p.stderr.decode('utf-8', 'replace').strip()
            if why:
                fails += 1
                print('not ok %d - %s' % (n, name))
                print('#  ' + repr(data[:300]))
                print('#  ' + why)
            else:
                agree_ok += p.returncode == 0
                agree_err += p.returncode == 1
                print('ok %d - %s (%s)' % (n, name, 'same tree' if p.returncode == 0 else 'both refuse'))
    print('# %d agree on a tree, %d both refuse, %d disagree' % (agree_ok, agree_err, fails))
    print('1..%d' % n)
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
