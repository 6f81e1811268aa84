"""POST /admin/reload on the real binary: absent without WIRETAG_ADMIN_TOKEN (404, as an unknown
path), 401 with WWW-Authenticate: Bearer without the token, 200 with what is loaded now, 422
reload_failed with file and line when the data is broken (the old data keeps serving); and
reloads under load, alternating two versions of a data layer, where no request fails and every
response is consistent with exactly one version."""
import http.client
import json
import os
import re
import shutil
import tempfile
import threading
import time

from wtlib import Server, check, done, problem

TOKEN = 'reload-test-token-0123456789'
AUTH = {'Authorization': 'Bearer ' + TOKEN}
TEXT = 'Zorblat Quennik met Vantor Pell and Russian officials.'
# Two versions of one layer file: each knows one of the two people.
VERSIONS = {
    'A': '# version A\nperson:zorblat-quennik | Zorblat Quennik | | role=envoy\n',
    'B': '# version B\nperson:vantor-pell | Vantor Pell | | role=minister\n',
}
EXPECT = {'A': {'person:zorblat-quennik', 'country:RU'}, 'B': {'person:vantor-pell', 'country:RU'}}


def write_layer(layer, text):
    tmp = os.path.join(layer, '.swap.tmp')
    with open(tmp, 'w') as f:
        f.write(text)
    os.replace(tmp, os.path.join(layer, 'swap.gaz'))


def reload(s, headers=AUTH):
    st, h, b = s.request('POST', '/admin/reload', headers=headers)
    return st, h, json.loads(b) if b else None


# Without a token the route does not exist: answered exactly as an unknown path.
s = Server()
try:
    st, h, b = s.request('POST', '/admin/reload', headers=AUTH)
    st2, h2, b2 = s.request('POST', '/admin/nothing-here', headers=AUTH)
    check(st == 404 and problem(b)['code'] == 'not_found', 'no token: 404 not_found')
    check(json.loads(b) == json.loads(b2), 'the same answer as an unknown path')
    st, h, b = s.request('GET', '/admin/reload')
    check(st == 404 and 'allow' not in h, 'no token: GET is 404 too, not 405')
finally:
    check(s.stop() == 0, 'exit 0')

layer = tempfile.mkdtemp(prefix='wiretag-reload-')
write_layer(layer, VERSIONS['A'])
s = Server('--data', layer, env={'WIRETAG_ADMIN_TOKEN': TOKEN})
try:
    st, h, b = s.request('GET', '/admin/reload')
    check(st == 405 and h.get('allow') == 'POST', 'with a token: GET is 405 with Allow: POST')

    # 401 without a valid token, whatever is wrong with it.
    for hdrs in ({}, {'Authorization': 'Bearer'}, {'Authorization': 'Bearer '},
                 {'Authorization': 'Bearer ' + TOKEN[:-1]}, {'Authorization': 'Bearer ' + TOKEN + 'x'},
                 {'Authorization': 'Bearer ' + TOKEN[:-1] + 'X'}, {'Authorization': 'Basic ' + TOKEN},
                 {'Authorization': TOKEN}, {'Authorization': 'Bearer x' + TOKEN}):
        st, h, b = s.request('POST', '/admin/reload', headers=hdrs)
        p = problem(b)
        check(st == 401 and p['code'] == 'unauthorized' and p['status'] == 401,
              '401 for %r: %d %r' % (hdrs, st, p))
        check(h.get('www-authenticate', '').startswith('Bearer'), 'WWW-Authenticate: Bearer')
        check(h.get('content-type') == 'application/problem+json', 'a problem')
    check(TOKEN not in s.read_log(), 'the token is never logged')

    st, h, b = s.request('GET', '/ready')
    first = json.loads(b)
    check(first['generation'] == 1, 'generation 1 at start')
    st, h, r = reload(s)
    check(st == 200 and r == {'status': 'reloaded', 'data': first['data'], 'generation': 2},
          'a reload of unchanged data: same id, generation 2: %r' % r)
    st, h, r = reload(s, {'Authorization': 'bearer ' + TOKEN})
    check(st == 200 and r['generation'] == 3, 'the scheme is case-insensitive')

    # Broken data: 422 with file and line; the old data keeps serving.
    write_layer(layer, VERSIONS['A'] + 'person:broken key | Broken\n')
    st, h, b = s.request('POST', '/admin/reload', headers=AUTH)
    p = problem(b)
    check(st == 422 and p['code'] == 'reload_failed' and p['status'] == 422,
          '422 reload_failed: %r' % p)
    check(p.get('file') == os.path.join(layer, 'swap.gaz') and p.get('line') == 3,
          'the problem names the file and line: %r' % p)
    check('invalid id' in p['detail'], 'and says what is wrong: %r' % p['detail'])
    st, h, b = s.request('GET', '/ready')
    check(st == 200 and json.loads(b) == dict(first, generation=3), 'the old data still serves')
    st, h, b = s.post_json({'text': TEXT})
    check(st == 200 and {e['id'] for e in json.loads(b)['entities']} == EXPECT['A'],
          'and tags as before')

    # The two versions' identifiers.
    ids = {}
    for v in ('B', 'A'):
        write_layer(layer, VERSIONS[v])
        st, h, r = reload(s)
        check(st == 200, 'reload to %s' % v)
        ids[v] = r['data']
    check(ids['A'] == first['data'] and ids['A'] != ids['B'], 'two versions, two ids: %r' % ids)
    generation = r['generation']

    # Reloads under load: 8 keep-alive clients tag (single and batch) while the layer
    # alternates between the versions, 20 reloads in all.
    by_id = {ids[v]: v for v in ids}
    lock = threading.Lock()
    results = {'ok': 0, 'failed': [], 'versions': set(), 'mixed_batches': 0}
    stop = threading.Event()

    def client(n):
        conn = http.client.HTTPConnection('127.0.0.1', s.port, timeout=30)
        i = 0
        while not stop.is_set():
            i += 1
            batch = i % 4 == 0
            try:
                if batch:
                    body = json.dumps({'documents': [{'text': TEXT, 'id': k} for k in range(3)]})
                    conn.request('POST', '/v1/tag/batch', body=body,
                                 headers={'Content-Type': 'application/json'})
                else:
                    conn.request('POST', '/v1/tag', body=TEXT.encode(),
                                 headers={'Content-Type': 'text/plain'})
                r = conn.getresponse()
                b = r.read()
                if r.status != 200:
                    raise RuntimeError('status %d: %r' % (r.status, b[:200]))
                docs = json.loads(b)['results'] if batch else [json.loads(b)]
                seen = set()
                for d in docs:
                    v = by_id.get(d['tagger']['data'])
                    got = {e['id'] for e in d['entities']}
                    if v is None or got != EXPECT[v]:
                        raise RuntimeError('inconsistent: data %s (%s) with %s'
                                           % (d['tagger']['data'], v, sorted(got)))
                    seen.add(v)
                with lock:
                    results['ok'] += 1
                    results['versions'] |= seen
                    results['mixed_batches'] += len(seen) > 1
            except Exception as e:  # every failure is recorded, none stops the others
                with lock:
                    results['failed'].append('client %d: %r' % (n, e))
                conn.close()
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    reload_errors = []
    for k in range(20):
        v = 'B' if k % 2 == 0 else 'A'
        write_layer(layer, VERSIONS[v])
        st, h, r = reload(s)
        generation += 1
        if st != 200 or r != {'status': 'reloaded', 'data': ids[v], 'generation': generation}:
            reload_errors.append((k, st, r))
        time.sleep(0.05)
    time.sleep(0.3)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    check(not reload_errors, 'every reload under load answered 200 with its version: %r'
          % reload_errors[:3])
    check(not results['failed'], 'no request failed during the reloads (%d ok): %r'
          % (results['ok'], results['failed'][:5]))
    check(results['ok'] > 100, 'the load ran: %d requests' % results['ok'])
    print('reload under load: %d requests, %d reloads' % (results['ok'], 20))
    check(results['versions'] == {'A', 'B'}, 'both versions served: %r' % results['versions'])
    check(results['mixed_batches'] == 0, 'a batch runs on one version')

    st, h, b = s.request('GET', '/metrics')
    m = re.search(r'^wiretag_reloads_total (\d+)$', b.decode(), re.M)
    f = re.search(r'^wiretag_reload_failures_total (\d+)$', b.decode(), re.M)
    check(m and int(m.group(1)) == generation - 1 and f and int(f.group(1)) == 1,
          'the metrics count %d reloads and 1 failure: %r %r' % (generation - 1, m and m.group(0), f and f.group(0)))
finally:
    check(s.stop() == 0, 'exit 0')
    shutil.rmtree(layer, ignore_errors=True)
done('reload')
