"""The command-line face: `wiretag tag` on plain text and on JSON lines (a bad line in the
middle yields an error object with its line number, and processing goes on), flags, help,
version, and data errors."""
import json
import os
import subprocess
import tempfile

from wtlib import BIN, E2E_DATA, check, done


def run(args, stdin=b''):
    p = subprocess.run([BIN] + args, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60)
    return p.returncode, p.stdout.decode('utf-8'), p.stderr.decode('utf-8', 'replace')


DATA = ['--bundled-data', E2E_DATA]

# One article from stdin and from a file.
text = 'Slovak Foreign Minister Anna Kowalczyk said NATO and Russia would talk.\n'
code, out, err = run(['tag'] + DATA, text.encode())
check(code == 0, 'tag exits 0: %s' % err)
r = json.loads(out)
check(sorted(e['name'] for e in r['entities']) ==
      ['Anna Kowalczyk', 'North Atlantic Treaty Organization', 'Russia', 'Slovakia'],
      'entities of one article: %r' % [e['name'] for e in r['entities']])
check(out.endswith('\n') and out.count('\n') == 1, 'one line of output')
with tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False) as f:
    f.write(text)
code, out2, err = run(['tag'] + DATA + [f.name])
check(code == 0 and json.loads(out2)['entities'] == r['entities'], 'tag FILE equals stdin')
code, out, err = run(['tag'] + DATA + ['--types', 'country', '--offsets', 'utf16', f.name])
r = json.loads(out)
check({e['type'] for e in r['entities']} == {'country'} and r['offsets'] == 'utf16', 'tag flags')
os.unlink(f.name)
code, out, err = run(['tag'] + DATA + ['/nonexistent/file.txt'])
check(code == 1 and 'nonexistent' in err, 'a missing file is an error')
code, out, err = run(['tag'] + DATA, b'bad \xff byte')
check(code == 1 and json.loads(out)['error']['code'] == 'invalid_utf8', 'bad UTF-8 in plain text')

# JSON lines: responses in input order, a bad line in the middle, blank lines skipped.
lines = [json.dumps({'id': 'a', 'text': 'Russia and NATO.'}),
         json.dumps({'id': 'b', 'text': 'US officials.', 'options': {'types': ['country']}}),
         '{"id": "c", "text": ',                      # malformed
         '',                                          # blank: no request
         json.dumps({'id': 'd', 'title': 'no text'}),  # missing text
         json.dumps({'id': 7, 'text': 'Anna Kowalczyk.'})]
code, out, err = run(['tag', '--jsonl'] + DATA, ('\n'.join(lines) + '\n').encode())
rows = [json.loads(l) for l in out.splitlines()]
check(code == 2, 'exit status 2 when some lines failed (got %d)' % code)
check([x.get('id') for x in rows] == ['a', 'b', None, 'd', 7], 'one line out per request, in order: %r'
      % [x.get('id') for x in rows])
check(len(rows[0]['entities']) == 2 and rows[1]['entities'][0]['name'] == 'United States', 'good lines')
check(rows[2]['error']['code'] == 'invalid_json' and rows[2]['error']['line'] == 3,
      'malformed line reported with its line number: %r' % rows[2])
check(rows[3]['error']['code'] == 'missing_text' and rows[3]['error']['line'] == 5, 'missing text')
check(rows[4]['entities'][0]['name'] == 'Anna Kowalczyk', 'processing continues after errors')
code, out, err = run(['tag', '--jsonl'] + DATA, (lines[0] + '\n').encode())
check(code == 0, 'exit status 0 when every line succeeded')

# Help, version, usage errors, data errors.
code, out, err = run(['--version'])
check(code == 0 and out.startswith('wiretag '), '--version')
code, out, err = run(['--help'])
check(code == 0 and 'serve' in out and 'tag' in out, '--help')
code, out, err = run(['serve', '--help'])
for flag in ('--listen', '--threads', '--data', '--max-body', '--log-format', 'WIRETAG_LISTEN'):
    check(flag in out, 'serve --help lists %s' % flag)
code, out, err = run(['tag', '--bogus'])
check(code == 1 and 'unknown option' in err, 'unknown flag')
code, out, err = run(['frobnicate'])
check(code == 1, 'unknown command')
with tempfile.TemporaryDirectory() as d:
    with open(os.path.join(d, 'bad.gaz'), 'w') as f:
        f.write('# bad\ncountry:XX | Xland\nnot-an-id | Y\n')
    code, out, err = run(['tag', '--bundled-data', d], b'x')
    check(code == 1 and 'bad.gaz:3: invalid id' in err, 'data errors name file and line: %r' % err)
done('cli')
