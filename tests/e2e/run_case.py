"""Runs one data-driven case, tests/cases/NAME/{input.txt,expected.json}, on the real binary
with the bundled data, and checks what expected.json says:
  entities  each must be found once, with exactly these mention texts (any order);
            `name` is the canonical name or one of the entity's aliases
  absent    no reported mention's text may contain one of these strings
  exact     when true, nothing else may be reported
  title     optional headline, sent as the request's title."""
import json
import os
import subprocess
import sys
from collections import Counter

from wtlib import BIN, SRC, check, done

case = sys.argv[1]
exp = json.load(open(os.path.join(case, 'expected.json'), encoding='utf-8'))
text = open(os.path.join(case, 'input.txt'), encoding='utf-8').read()
req = {'id': os.path.basename(case), 'text': text}
if exp.get('title'):
    req['title'] = exp['title']
p = subprocess.run([BIN, 'tag', '--jsonl', '--bundled-data', os.path.join(SRC, 'data')],
                   input=(json.dumps(req) + '\n').encode(), stdout=subprocess.PIPE, timeout=60)
resp = json.loads(p.stdout)
ents = resp.get('entities', [])


def surfaces(e):
    return Counter(m['text'] for m in e['mentions'])


used = set()
for want in exp.get('entities', []):
    hits = [i for i, e in enumerate(ents) if e['type'] == want['type'] and
            (want['name'] == e['name'] or want['name'] in e.get('aliases', []))]
    if not check(len(hits) == 1, '%s %r found %d times' % (want['type'], want['name'], len(hits))):
        continue
    used.add(hits[0])
    got = surfaces(ents[hits[0]])
    check(got == Counter(want['mentions']), '%s %r: mentions %s, expected %s' % (
        want['type'], want['name'], sorted(got.elements()), sorted(want['mentions'])))
for a in exp.get('absent', []):
    bad = [m['text'] for e in ents for m in e['mentions'] if a.lower() in m['text'].lower()]
    check(not bad, 'absent %r appears in %r' % (a, bad))
if exp.get('exact'):
    extra = ['%s %r (%s)' % (e['type'], e['name'], ', '.join(m['text'] for m in e['mentions']))
             for i, e in enumerate(ents) if i not in used]
    check(not extra, 'unexpected: ' + '; '.join(extra))
done(os.path.basename(case))
