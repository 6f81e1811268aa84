"""Valgrind memcheck on the command-line tool with the bundled data: `wiretag tag` on a ~1 MB
article built from wire-style paragraphs written for this test, and `wiretag tag --jsonl` on a
few requests including a malformed line, an HTML one and one without text. Zero errors, zero
definite or indirect leaks (valgrind exits 1 on any)."""
import json
import os
import shutil
import subprocess
import tempfile

from wtlib import BIN, SRC, check, done

DATA = ['--bundled-data', os.path.join(SRC, 'data')]
# PCRE2's JIT code may look past the end of its subject: tests/valgrind-pcre2-jit.supp.
VALGRIND = ['valgrind', '--quiet', '--error-exitcode=1', '--leak-check=full',
            '--errors-for-leak-kinds=definite,indirect', '--show-leak-kinds=definite,indirect',
            '--suppressions=' + os.path.join(SRC, 'tests', 'valgrind-pcre2-jit.supp')]

# Invented wire copy: people, places and organizations of the kinds the tagger knows, with
# titles, acronyms defined in the text, short forms, numbers, quotes and typographic marks.
PARAGRAPHS = [
    "BRUSSELS, March 3 (Wire) - NATO defence ministers met in Brussels on Tuesday to discuss "
    "air defence for Poland and the Baltic states, officials said, as Russia moved more troops "
    "towards the border with Lithuania.",
    "Slovak Foreign Minister Mikulas Dzurinda told reporters the alliance would \u201cnot be "
    "intimidated\u201d, and said Bratislava would send two more battalions to the eastern "
    "flank before the summer.",
    "The Organization for Security and Co-operation in Europe (OSCE) said its monitors had "
    "recorded 1,240 ceasefire violations in the past week, up from 860 the week before. The "
    "OSCE did not say which side was responsible.",
    "In Washington, a State Department spokesman said the United States remained committed "
    "to the New START treaty but accused Moscow of failing to allow inspections. U.S. officials "
    "said talks could resume in Geneva next month.",
    "Mr. Dzurinda, 68, a former prime minister, said the European Union should agree new "
    "sanctions by the end of the month. \u201cWe cannot wait for another winter,\u201d he said.",
    "German Chancellor's office said Berlin would host a conference on Ukraine's reconstruction "
    "in June, with the World Bank and the International Monetary Fund (IMF) among the "
    "co-organizers; the IMF's board is due to review a $15.6 billion loan the same week.",
    "Separately, China's foreign ministry said Beijing and Brasilia had signed 14 agreements on "
    "trade and energy, and that President Lula da Silva would visit Shanghai in the autumn.",
    "Oil prices rose 2 percent after OPEC said it would keep output unchanged; Brent crude "
    "traded at $84.20 a barrel at 1400 GMT, while the euro slipped against the dollar.",
]


def article(size):
    parts, n = [], 0
    i = 0
    while n < size:
        p = PARAGRAPHS[i % len(PARAGRAPHS)]
        parts.append(p)
        n += len(p.encode()) + 2
        i += 1
    return '\n\n'.join(parts) + '\n'


if not shutil.which('valgrind'):
    check(False, 'valgrind is installed (scripts/install-deps test installs it)')
    done('valgrind')

tmp = tempfile.mkdtemp(prefix='wiretag-valgrind-')
try:
    text = article(1000000)
    path = os.path.join(tmp, 'article.txt')
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)

    # The article natively first: the output to compare with.
    native = subprocess.run([BIN, 'tag'] + DATA + [path], stdout=subprocess.PIPE, timeout=120)
    check(native.returncode == 0, 'wiretag tag exits 0 natively')
    r = json.loads(native.stdout)
    names = {e['name'] for e in r['entities']}
    check(len(text.encode()) >= 1000000 and len(names) >= 10,
          'a ~1 MB article with entities: %d bytes, %d entities' % (len(text.encode()), len(names)))

    p = subprocess.run(VALGRIND + [BIN, 'tag'] + DATA + [path], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=900)
    err = p.stderr.decode('utf-8', 'replace')
    check(p.returncode == 0, 'memcheck on wiretag tag (1 MB): exit %d\n%s' % (
        p.returncode, err[-4000:]))
    def untimed(out):
        r = json.loads(out)
        del r['stats']['elapsed_ms']
        return r
    check(p.returncode != 0 or untimed(p.stdout) == untimed(native.stdout),
          'the same output under valgrind')

    lines = [json.dumps({'id': 'a', 'text': PARAGRAPHS[0], 'title': 'NATO MEETS IN BRUSSELS'}),
             json.dumps({'id': 'b', 'text': PARAGRAPHS[2],
                         'options': {'types': ['organization'], 'offsets': 'utf16'}}),
             '{"id": "c", "text": "truncated',
             json.dumps({'id': 'd', 'title': 'no text'}),
             json.dumps({'id': 'e', 'html': '<p><b>Mikulas</b> Dzurinda in <a href="/x">Moscow'
                         '</a> &amp; Kyiv</p>', 'options': {'annotate': 'all'}}),
             json.dumps({'id': 'f', 'text': 'x', 'options': {'offsets': 'chars'}}),
             json.dumps({'id': 7, 'text': PARAGRAPHS[4] * 50})]
    stdin = ('\n'.join(lines) + '\n').encode()
    p = subprocess.run(VALGRIND + [BIN, 'tag', '--jsonl'] + DATA, input=stdin,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=900)
    err = p.stderr.decode('utf-8', 'replace')
    # 2: some lines failed; valgrind's own error exit would be 1.
    check(p.returncode == 2, 'memcheck on wiretag tag --jsonl: exit %d (2 expected)\n%s' % (
        p.returncode, err[-4000:]))
    rows = [json.loads(line) for line in p.stdout.decode().splitlines()]
    # The malformed line has no id to echo.
    check([r.get('id') for r in rows] == ['a', 'b', None, 'd', 'e', 'f', 7],
          'one answer per line, in order: %r' % [r.get('id') for r in rows])
    check([('error' in r) for r in rows] == [False, False, True, True, False, True, False],
          'errors on the bad lines only')
finally:
    shutil.rmtree(tmp)
done('valgrind')
