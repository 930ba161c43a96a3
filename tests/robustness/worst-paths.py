#!/usr/bin/env python3
# The worst host paths a spec within runc-harden's 4 MiB limit can hold,
# on Docker's default spec (tests/data/corpus/docker/default.json):
#   tree DIR          make what the others walk: a chain of directories as
#                     deep as PATH_MAX allows, and 40 chained links, each
#                     with a target of 4,000 bytes
#   spec KIND DIR OUT write OUT/config.json of KIND:
#     long     one bind source of about 4 MiB ("a/" repeated)
#     maxpath  sources of 4,095 bytes through the deep chain
#     links    sources through the 40 links (160 KiB of link text each)
#     binds    as many short binds as fit
#     padding  the same size with nothing to resolve (env entries)
# Used by tests/robustness/test-paths.sh and tests/bench/bench-paths.sh.
import json
import os
import sys

LIMIT = 4 * 1024 * 1024 - 4096
HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.environ.get('RH_CORPUS', os.path.join(HERE, '..', 'data', 'corpus'))


def tree(d):
    deep = os.path.join(d, 'deep')
    os.makedirs(deep, exist_ok=True)
    cwd = os.getcwd()
    os.chdir(deep)
    for _ in range((4095 - len(deep) - 12) // 2):
        os.makedirs('d', exist_ok=True)
        os.chdir('d')
    os.chdir(cwd)
    os.makedirs(os.path.join(d, 'end'), exist_ok=True)
    for i in range(40):
        target = './' * ((4000 - 10) // 2) + ('end' if i == 0 else 'c%d' % (i - 1))
        p = os.path.join(d, 'c%d' % i)
        if not os.path.lexists(p):
            os.symlink(target, p)


def fill(base, make):
    spec = dict(base)
    spec['mounts'] = list(base['mounts'])
    size = len(json.dumps(spec, separators=(',', ':')))
    i = 0
    while True:
        m = make(i)
        n = len(json.dumps(m, separators=(',', ':'))) + 1
        if size + n > LIMIT:
            return spec, i
        spec['mounts'].append(m)
        size += n
        i += 1


def bind(i, src):
    return {'destination': '/x%d' % i, 'type': 'bind', 'source': src, 'options': ['rbind', 'rprivate']}


def spec(kind, d, out):
    base = json.load(open(os.path.join(CORPUS, 'docker', 'default.json')))
    deep = os.path.join(d, 'deep')
    if kind == 'long':
        s = dict(base)
        s['mounts'] = list(base['mounts']) + [bind(0, '/tmp/' + 'a/' * (LIMIT // 2 - 8000))]
        n = 1
    elif kind == 'maxpath':
        chain = deep + '/d' * ((4095 - len(deep) - 12) // 2)
        s, n = fill(base, lambda i: bind(i, (chain + '/%08d' % i)[:4095]))
    elif kind == 'links':
        s, n = fill(base, lambda i: bind(i, os.path.join(d, 'c39', 'x%d' % i)))
    elif kind == 'binds':
        s, n = fill(base, lambda i: bind(i, '/srv/d%d' % i))
    elif kind == 'padding':
        s = dict(base)
        s['process'] = dict(base['process'])
        env = list(base['process']['env'])
        size = len(json.dumps(s, separators=(',', ':')))
        n = 0
        while size + 40 < LIMIT:
            e = 'PAD%07d=%s' % (n, 'v' * 24)
            env.append(e)
            size += len(e) + 3
            n += 1
        s['process']['env'] = env
    else:
        sys.exit('unknown kind ' + kind)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, 'config.json'), 'w') as f:
        json.dump(s, f, separators=(',', ':'))
    print(n)


if __name__ == '__main__':
    if sys.argv[1] == 'tree':
        tree(sys.argv[2])
    else:
        spec(sys.argv[2], sys.argv[3], sys.argv[4])
