#!/usr/bin/env python3
"""Generate lib/k8s/pod-schema.c: every object a pod spec or a workload's
spec can hold, with the names of its fields, from k8s.io/api's core/v1,
apps/v1 and batch/v1 types.go (the `json:` tags) of one release, and
openshift/api's apps/v1 types.go (DeploymentConfig) of the OpenShift
release on that Kubernetes. Nineteenth adversarial pass, part D: kubectl's
strict field validation refuses an unknown key at any depth, and capscope
checked only the objects it reads; twentieth pass, part D: a
DeploymentConfig's strategy and triggers were checked at their first level.

  for g in core apps batch; do git -C api show v0.32.9:$g/v1/types.go > $g.go; done
  git -C openshift-api show release-4.19:apps/v1/types.go > appsopenshift.go
  scripts/gen-pod-schema.py v0.32.9 core.go apps.go batch.go appsopenshift.go \
    > lib/k8s/pod-schema.c
  clang-format-14 -i lib/k8s/pod-schema.c
"""
import re
import sys

release = sys.argv[1]
structs, named, group = {}, {}, {}
for path in sys.argv[2:]:
    g = {'core': 'core/v1', 'apps': 'apps/v1', 'batch': 'batch/v1',
         'appsopenshift': 'apps.openshift.io/v1'}[re.sub(r'\.go$', '', path.split('/')[-1])]
    # another group's core types are written v1.X or corev1.X
    src = re.sub(r'\b(core)?v1\.(?=[A-Z])', '', open(path).read())
    if g == 'apps.openshift.io/v1':
        # its names (DeploymentStrategy...) are apps/v1's too: OS_ before each
        for t in set(re.findall(r'^type (\w+) ', src, re.M)):
            src = re.sub(r'(?<![\w."])%s\b' % t, 'OS_' + t, src)
    for m in re.finditer(r'^type (\w+) struct \{\n(.*?)^\}', src, re.S | re.M):
        fields = []
        for line in m.group(2).split('\n'):
            line = line.strip()
            f = re.match(r'(\w+)\s+([^\s`]+)\s+`json:"([^"]*)"', line)
            e = re.match(r'([\w.*]+)\s+`json:"([^"]*)"', line)
            if f:
                tag = f.group(3).split(',')
                if tag[0] != '-':
                    fields.append((tag[0] or None, f.group(2), 'inline' in tag[1:]))
            elif e:
                tag = e.group(2).split(',')
                if 'inline' in tag[1:]:
                    fields.append((None, e.group(1), True))
                elif tag[0] != '-':
                    fields.append((tag[0], e.group(1), False))
        if m.group(1) in structs:
            sys.exit('defined twice: ' + m.group(1))
        structs[m.group(1)] = fields
        group[m.group(1)] = g
    for m in re.finditer(r'^type (\w+) ([^\s{][^\n]*)$', src, re.M):
        named[m.group(1)] = m.group(2).strip()

# apimachinery's types these hold (meta/v1 of the same release)
EXTERNAL = {
    'metav1.LabelSelector': [('matchLabels', 'map[string]string', False),
                             ('matchExpressions', '[]LabelSelectorRequirement', False)],
    'LabelSelectorRequirement': [('key', 'string', False), ('operator', 'string', False),
                                 ('values', '[]string', False)],
    'metav1.ObjectMeta': [('name', 'string', False), ('generateName', 'string', False),
                          ('namespace', 'string', False), ('selfLink', 'string', False),
                          ('uid', 'types.UID', False), ('resourceVersion', 'string', False),
                          ('generation', 'int64', False), ('creationTimestamp', 'metav1.Time', False),
                          ('deletionTimestamp', '*metav1.Time', False),
                          ('deletionGracePeriodSeconds', '*int64', False),
                          ('labels', 'map[string]string', False),
                          ('annotations', 'map[string]string', False),
                          ('ownerReferences', '[]OwnerReference', False),
                          ('finalizers', '[]string', False),
                          ('managedFields', '[]ManagedFieldsEntry', False)],
    'OwnerReference': [('apiVersion', 'string', False), ('kind', 'string', False),
                       ('name', 'string', False), ('uid', 'types.UID', False),
                       ('controller', '*bool', False), ('blockOwnerDeletion', '*bool', False)],
    'ManagedFieldsEntry': [('manager', 'string', False), ('operation', 'string', False),
                           ('apiVersion', 'string', False), ('time', '*metav1.Time', False),
                           ('fieldsType', 'string', False), ('fieldsV1', 'runtime.RawExtension', False),
                           ('subresource', 'string', False)],
}
# the object's and a template's metadata: its keys are MF_META's
EXTERNAL['ObjectMetaChecked'] = EXTERNAL['metav1.ObjectMeta']
SCALARS = {'string', 'bool', 'int', 'int32', 'int64', 'float64', 'byte', '[]byte',
           'metav1.Time', 'metav1.MicroTime', 'metav1.Duration', 'resource.Quantity',
           'intstr.IntOrString', 'types.UID'}
# objects whose own keys the manifest reader checks already (manifest-fields.c):
# the walk goes into their fields, and leaves their keys to it
KEYS_ELSEWHERE = {'PodSpec', 'Container', 'EphemeralContainer', 'DeploymentSpec',
                  'DaemonSetSpec', 'ReplicaSetSpec', 'StatefulSetSpec', 'JobSpec',
                  'CronJobSpec', 'ReplicationControllerSpec', 'ObjectMetaChecked',
                  'OS_DeploymentConfigSpec'}
# objects the manifest reader checks whole itself (their pod spec included):
# not walked again
WHOLE_ELSEWHERE = {'PodSecurityContext', 'SecurityContext', 'PodOS', 'PodTemplateSpec',
                   'JobTemplateSpec', 'runtime.RawExtension'}
ROOTS = [('PodSpec', 'PodSpec'), ('Deployment', 'DeploymentSpec'),
         ('DaemonSet', 'DaemonSetSpec'), ('ReplicaSet', 'ReplicaSetSpec'),
         ('StatefulSet', 'StatefulSetSpec'), ('Job', 'JobSpec'), ('CronJob', 'CronJobSpec'),
         ('ReplicationController', 'ReplicationControllerSpec'),
         ('DeploymentConfig', 'OS_DeploymentConfigSpec'),
         ('ObjectMeta', 'ObjectMetaChecked')]

types, order = {}, []


def shape(t):
    """(shape, type name or None) of a Go type."""
    t = t.lstrip('*')
    if t in SCALARS:
        return ('PS_SCALAR', None)
    if t in WHOLE_ELSEWHERE:
        return ('PS_ANY', None)
    if t.startswith('[]'):
        s, n = shape(t[2:])
        return {'PS_OBJ': ('PS_LIST', n), 'PS_SCALAR': ('PS_LIST_SCALAR', None)}.get(
            s, ('PS_LIST_ANY', None))
    if t.startswith('map['):
        return ('PS_MAP', None)
    if t in structs or t in EXTERNAL:
        add(t)
        return ('PS_OBJ', t)
    if t in named:
        return shape(named[t])
    sys.exit('unknown Go type: ' + t)


def flat(t):
    out = []
    for name, ty, inline in (EXTERNAL[t] if t in EXTERNAL else structs[t]):
        if inline and name is None:
            if ty.startswith('metav1.TypeMeta'):
                out += [('apiVersion', 'string'), ('kind', 'string')]
            else:
                out += flat(ty.lstrip('*'))
        else:
            out.append((name, ty))
    return out


def add(t):
    if t in types:
        return
    types[t] = None
    types[t] = [(n,) + shape(ty) for n, ty in flat(t)]
    order.append(t)


def what(t):
    if t.startswith('metav1.'):
        return 'meta/v1 ' + t[7:]
    if t == 'ObjectMetaChecked':
        return 'meta/v1 ObjectMeta'
    return ('meta/v1 ' if t in EXTERNAL else group[t] + ' ') + re.sub(r'^OS_', '', t)


for _, r in ROOTS:
    add(r)

cname = lambda t: 'T_' + re.sub(r'\W', '_', t.replace('metav1.', 'meta_'))
out = ['/* SPDX-License-Identifier: MIT */',
       '/* Generated by scripts/gen-pod-schema.py from k8s.io/api %s core/v1, apps/v1' % release,
       ' * and batch/v1 types.go and openshift/api\'s apps/v1 types.go: do not edit.',
       ' * Every object a pod spec or a workload\'s spec holds, its fields (sorted)',
       ' * and their shapes. */',
       '#include "pod-schema.h"', '', 'enum {']
out += ['\t%s,' % cname(t) for t in order]
out += ['};', '']
for t in order:
    out.append('static const struct ps_field f_%s[] = {' % cname(t)[2:])
    for n, s, sub in sorted(types[t]):
        out.append('\t{"%s", %s, %s},' % (n, s, cname(sub) if sub else '0'))
    out.append('};')
out += ['', 'const struct ps_type ps_types[] = {']
for t in order:
    out.append('\t[%s] = {"%s", f_%s, %d, %s},' % (cname(t), what(t), cname(t)[2:],
               len(types[t]), 'true' if t in KEYS_ELSEWHERE else 'false'))
out += ['};', '', 'const struct ps_root ps_roots[] = {']
out += ['\t{"%s", %s},' % (k, cname(r)) for k, r in ROOTS]
out += ['\t{0},', '};']
print('\n'.join(out))
sys.stderr.write('%d types, %d fields\n' % (len(order), sum(len(v) for v in types.values())))
