"""bench_tag, the library benchmark that bench/run drives: on two bundled articles with invented
filler names, the whole library and --engine (tokenizer and gazetteer matcher alone) each report
the corpus, the aliases loaded and positive throughput, and both read the same tokens."""
import json
import os
import subprocess
import sys

from wtlib import SRC, check, done

BENCH = sys.argv[1]
CORPUS = [os.path.join(SRC, 'bench', 'corpus', n)
          for n in ('01-nato-defence-ministers.txt', '02-un-security-council-sudan.txt')]


def run(*extra):
    p = subprocess.run([BENCH, '--data', os.path.join(SRC, 'data'), '--runs', '1', '--seconds',
                        '0', '--threads', '1', '--filler', '40000', *extra, *CORPUS],
                       capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, 'bench_tag %s exits 0 (got %d: %s)' % (extra, p.returncode, p.stderr))
    return json.loads(p.stdout.strip().splitlines()[-1])


whole, engine = run(), run('--engine')
size = sum(os.path.getsize(f) for f in CORPUS)
for name, r in (('library', whole), ('engine', engine)):
    check(r['documents'] == 2, '%s: 2 documents (got %s)' % (name, r['documents']))
    check(r['bytes'] == size, '%s: %d bytes (got %s)' % (name, size, r['bytes']))
    check(r['aliases'] >= 40000, '%s: at least 40,000 aliases (got %s)' % (name, r['aliases']))
    check(0 < r['bytes_per_alias'] < 1000, '%s: bytes per alias %s' % (name, r['bytes_per_alias']))
    one = r['runs'][0]
    check(one['threads'] == 1 and one['mb_per_s'] > 0 and one['words_per_s'] > 0,
          '%s: a run on one thread with positive throughput: %s' % (name, one))
# One pass over the corpus each: tokens per document are the tokenizer's, whichever mode.
per_doc = [r['runs'][0]['words_per_s'] / r['runs'][0]['docs_per_s'] for r in (whole, engine)]
check(abs(per_doc[0] - per_doc[1]) < 0.5 and per_doc[0] > 100,
      'the same tokens per document in both modes (got %.1f and %.1f)' % tuple(per_doc))
done('bench_tag')
