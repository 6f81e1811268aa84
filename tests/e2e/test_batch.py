"""POST /v1/tag/batch on the real binary: NDJSON in and out (the same per-line answers as
`wiretag tag --jsonl`), a JSON envelope in and out, per-document errors inline, whole-request
errors for bodies that are no batch, and the limits (--batch-max-docs, --max-body,
--max-text)."""
import json
import os
import subprocess

from wtlib import BIN, E2E_DATA, Server, check, done, problem

NDJSON = {'Content-Type': 'application/x-ndjson'}
JSON = {'Content-Type': 'application/json'}

docs = [
    {'id': 'a', 'text': 'Russian troops and NATO.'},
    {'id': 2, 'title': 'SLOVAKIA', 'text': 'Anna Kowalczyk met US officials.'},
    {'id': 'no-text', 'title': 'x'},                                 # missing_text
    {'id': 'bad-option', 'text': 'x', 'options': {'offsets': 'chars'}},  # invalid_option
    {'id': 'big', 'text': 'Russia ' * 400},                          # over --max-text
    {'text': 'Russia', 'options': {'types': ['person']}},            # no id, no entities
]


def single(s, doc):
    """The answer of POST /v1/tag for one document, as the batch should repeat it."""
    st, h, b = s.post_json(doc)
    return st, json.loads(b)


def same_response(batch_item, single_item, what):
    """A batch response equals the single response except for the timing."""
    a, b = dict(batch_item), dict(single_item)
    for r in (a, b):
        r.get('stats', {}).pop('elapsed_ms', None)
    check(a == b, '%s: batch answer equals POST /v1/tag: %r vs %r' % (what, a, b))


s = Server('--max-body', '65536', '--max-text', '2048', '--batch-max-docs', '8')
try:
    # NDJSON: one answer per non-blank line, in input order; errors name their line.
    lines = [json.dumps(d) for d in docs]
    body = '\n'.join(lines[:2]) + '\n\n  \n' + '\n'.join(lines[2:]) + '\n{"id": "x", "text": }\n'
    st, h, b = s.request('POST', '/v1/tag/batch', body=body.encode(), headers=NDJSON)
    check(st == 200, 'NDJSON batch -> 200 (%d %r)' % (st, b[:200]))
    check(h.get('content-type') == 'application/x-ndjson', 'NDJSON answered with NDJSON')
    out = [json.loads(line) for line in b.decode().split('\n') if line]
    check(b.endswith(b'\n') and len(out) == len(docs) + 1, 'one line per document: %d' % len(out))
    check([o.get('id') for o in out] == ['a', 2, 'no-text', 'bad-option', 'big', None, None],
          'input order and ids: %r' % [o.get('id') for o in out])
    for i in (0, 1, 5):
        st1, one = single(s, docs[i])
        check(st1 == 200, 'the single request succeeds too')
        same_response(out[i], one, 'NDJSON document %d' % i)
    # Physical line numbers: two blank lines after the second document.
    expect = [(2, 'no-text', 'missing_text', 5), (3, 'bad-option', 'invalid_option', 6),
              (4, 'big', 'text_too_large', 7), (6, None, 'invalid_json', 9)]
    for i, ident, code, line in expect:
        e = out[i].get('error', {})
        check(out[i].get('id') == ident and e.get('code') == code and e.get('line') == line,
              'NDJSON error object for %s: %r' % (ident, out[i]))
        check(isinstance(e.get('detail'), str) and e['detail'], 'error object has a detail')
    check('column' in out[6]['error'], 'a JSON syntax error has its column')

    # The same lines through `wiretag tag --jsonl` give the same answers (one code path).
    p = subprocess.run([BIN, 'tag', '--jsonl', '--bundled-data', E2E_DATA, '--max-text', '2048'],
                       input=body.encode(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60)
    cli = [json.loads(line) for line in p.stdout.decode().split('\n') if line]
    check(p.returncode == 2, 'tag --jsonl exits 2 when some lines fail (%d)' % p.returncode)
    for i, (a, c) in enumerate(zip(out, cli)):
        if 'error' in a:
            check(a == c, 'line %d: same error object as tag --jsonl: %r vs %r' % (i, a, c))
        else:
            same_response(a, c, 'line %d against tag --jsonl' % i)

    # JSON envelope: {"documents": [...]} -> {"results": [...]} in the same order.
    st, h, b = s.post_json({'documents': docs}, path='/v1/tag/batch')
    check(st == 200 and h.get('content-type') == 'application/json', 'JSON batch -> 200 JSON')
    res = json.loads(b)['results']
    check(len(res) == len(docs), 'one result per document')
    check([r.get('id') for r in res] == [d.get('id') for d in docs], 'results in input order')
    for i in (0, 1, 5):
        same_response(res[i], single(s, docs[i])[1], 'JSON document %d' % i)
    for i, code in ((2, 'missing_text'), (3, 'invalid_option'), (4, 'text_too_large')):
        check(res[i].get('error', {}).get('code') == code and 'line' not in res[i]['error'],
              'JSON per-document error %s: %r' % (code, res[i]))
    st, h, b = s.post_json({'documents': [[1, 2], 'text', None]}, path='/v1/tag/batch')
    res = json.loads(b)['results']
    check(st == 200 and [r['error']['code'] for r in res] == ['invalid_request'] * 3,
          'documents that are not objects are inline errors: %r' % res)
    st, h, b = s.post_json({'documents': []}, path='/v1/tag/batch')
    check(st == 200 and json.loads(b) == {'results': []}, 'an empty batch')
    st, h, b = s.request('POST', '/v1/tag/batch', body=b'', headers=NDJSON)
    check(st == 200 and b == b'', 'an empty NDJSON batch')

    # Whole-request errors: not JSON, not an envelope, too many documents, too large.
    st, h, b = s.post_json('{"documents": [', path='/v1/tag/batch')
    p = problem(b)
    check(st == 400 and p['code'] == 'invalid_json' and p.get('line') == 1, '400 envelope: %r' % p)
    st, h, b = s.post_json(b'{"documents": ["\xff"]}', path='/v1/tag/batch')
    p = problem(b)
    check(st == 400 and p['code'] == 'invalid_utf8' and p.get('offset') == 16,
          '400 invalid_utf8 envelope: %r' % p)
    for env in ({'docs': []}, {'documents': {}}, [1], 'documents'):
        st, h, b = s.post_json(json.dumps(env), path='/v1/tag/batch')
        check(st == 422 and problem(b)['code'] == 'invalid_request', '422 for envelope %r' % env)
    st, h, b = s.post_json({'documents': [{'text': 'x'}] * 9}, path='/v1/tag/batch')
    p = problem(b)
    check(st == 413 and p['code'] == 'too_many_documents' and '8' in p['detail'],
          '413 too_many_documents (JSON): %r' % p)
    st, h, b = s.request('POST', '/v1/tag/batch', body=('{"text": "x"}\n' * 9).encode(),
                         headers=NDJSON)
    check(st == 413 and problem(b)['code'] == 'too_many_documents', '413 too_many_documents (NDJSON)')
    st, h, b = s.request('POST', '/v1/tag/batch', body=('{"text": "x"}\n' * 8).encode(),
                         headers=NDJSON)
    check(st == 200 and b.count(b'\n') == 8, 'exactly --batch-max-docs documents pass')
    st, h, b = s.request('POST', '/v1/tag/batch', body=b'x' * 70000, headers=NDJSON)
    check(st == 413 and problem(b)['code'] == 'body_too_large', '413 body_too_large')
    st, h, b = s.request('POST', '/v1/tag/batch', body=b'x', headers={'Content-Type': 'text/plain'})
    check(st == 415 and problem(b)['code'] == 'unsupported_media_type', '415 for text/plain')
    st, h, b = s.request('GET', '/v1/tag/batch')
    check(st == 405 and h.get('allow') == 'POST', '405 with Allow: POST')

    # The log counts the entities of every document of a batch.
    st, h, b = s.request('POST', '/v1/tag/batch', body=body.encode(),
                         headers=dict(NDJSON, **{'X-Request-Id': 'batch-1'}))
    n = sum(len(o.get('entities', [])) for o in out)
    line = [ln for ln in s.wait_log('id=batch-1').splitlines() if 'id=batch-1' in ln]
    check(line and ('entities=%d ' % n) in line[0], 'log line counts the batch entities: %r' % line)
finally:
    code = s.stop()
check(code == 0, 'exit 0')
done('batch')
