"""The bundled data: check-data is clean, every ISO 3166-1 alpha-2 code is a country, the
counts the data promises hold, and a sample of every gazetteer file is found when tagged."""
import collections
import json
import os
import random
import re
import subprocess
import unicodedata

from wtlib import BIN, SRC, check, done

DATA = os.path.join(SRC, 'data')
GAZ = os.path.join(DATA, 'gazetteer')

# check-data: no syntax errors, no unresolved shared names.
p = subprocess.run([BIN, 'check-data', '--bundled-data', DATA], capture_output=True, text=True,
                   timeout=120)
check(p.returncode == 0 and p.stdout == '', 'check-data is clean: %s %s' % (p.stdout[:500], p.stderr[-300:]))


def unescape_split(s, sep):
    out, cur, i = [], '', 0
    while i < len(s):
        if s[i] == '\\' and i + 1 < len(s):
            cur += s[i + 1]
            i += 2
            continue
        if s[i] == sep:
            out.append(cur)
            cur = ''
        else:
            cur += s[i]
        i += 1
    out.append(cur)
    return out


def entries(path):
    for line in open(path, encoding='utf-8'):
        s = line.strip()
        if not s or s[0] in '#@':
            continue
        f = [x.strip() for x in unescape_split(s, '|')]
        attrs = {}
        if len(f) > 3:
            for kv in unescape_split(f[3], ';'):
                if '=' in kv:
                    k, v = kv.split('=', 1)
                    attrs[k.strip()] = v.strip()
        aliases = [a.strip() for a in unescape_split(f[2], ';')] if len(f) > 2 and f[2].strip() else []
        yield f[0], f[1].lstrip('=^~'), aliases, attrs


def fold(s):
    s = unicodedata.normalize('NFKD', s)
    return ''.join(c for c in s if not unicodedata.combining(c)).casefold()


files = sorted(f for f in os.listdir(GAZ) if f.endswith('.gaz'))
by_file = {f: list(entries(os.path.join(GAZ, f))) for f in files}
all_entries = [e for f in files for e in by_file[f]]
types = collections.Counter(e[0].split(':')[0] for e in all_entries)

# Every alpha-2 code of ISO 3166-1 (Debian's iso-codes) has a country entry.
iso = json.load(open('/usr/share/iso-codes/json/iso_3166-1.json'))['3166-1']
ids = {e[0] for e in all_entries}
missing = [c['alpha_2'] for c in iso if 'country:' + c['alpha_2'] not in ids]
check(not missing, 'every ISO 3166-1 alpha-2 code is a country: missing %s' % missing)

# The promised counts.
companies = sum(1 for e in all_entries if e[3].get('kind') == 'company')
check(types['organization'] >= 3000, 'at least 3,000 organizations (%d)' % types['organization'])
check(companies >= 1000, 'at least 1,000 companies (%d)' % companies)
check(types['person'] >= 3000, 'at least 3,000 people (%d)' % types['person'])
check(types['treaty'] >= 300, 'at least 300 treaties (%d)' % types['treaty'])
given = 0
for line in open(os.path.join(DATA, 'lexicon', 'names.lex'), encoding='utf-8'):
    if line.startswith('@class'):
        cls = line.split()[1]
    elif line.strip() and not line.startswith('#') and cls in ('given', 'given_common'):
        given += 1
check(given >= 5000, 'at least 5,000 given names (%d)' % given)

# A sample of every file, tagged in a sentence, is found as itself. Names that several entries
# share are left out: which one wins is the resolution's business, tested elsewhere.
names = collections.Counter()
for e in all_entries:
    for n in [e[1]] + [a.split(':', 1)[-1].lstrip('=^~') for a in e[2]]:
        names[fold(n)] += 1
rng = random.Random(20261127)
reqs, want = [], []
for f in files:
    pool = [e for e in by_file[f] if names[fold(e[1])] == 1 and len(e[1]) > 3]
    for e in rng.sample(pool, min(25, len(pool))):
        reqs.append({'id': str(len(reqs)), 'text': 'Reporters asked about %s on Monday.' % e[1]})
        want.append((f, e))
p = subprocess.run([BIN, 'tag', '--jsonl', '--bundled-data', DATA],
                   input=''.join(json.dumps(r) + '\n' for r in reqs), capture_output=True, text=True,
                   timeout=300)
rows = [json.loads(l) for l in p.stdout.splitlines()]
check(len(rows) == len(reqs), 'one response per sample')
bad = collections.defaultdict(list)
for (f, e), row in zip(want, rows):
    eid, name = e[0], e[1]
    typ = eid.split(':')[0]
    found = [x for x in row.get('entities', []) if x['id'] == eid]
    if typ in ('person', 'organization', 'country', 'treaty'):
        ok = found and any(m['text'] == name or fold(m['text']) == fold(name) for m in found[0]['mentions'])
    else:
        # place and other entries are never reported, and claim their text from rules.
        ok = not any(fold(name) in fold(m['text']) for x in row.get('entities', [])
                     for m in x['mentions'])
    if not ok:
        bad[f].append(name)
for f in files:
    tried = sum(1 for w in want if w[0] == f)
    misses = bad.get(f, [])
    check(len(misses) <= 1, '%s: %d of %d sampled names not found as themselves: %s'
          % (f, len(misses), tried, misses[:6]))
print('data: %s; %d companies; %d given names' % (dict(types), companies, given))
done('data')
