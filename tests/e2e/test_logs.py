"""The logs of the real binary: with --log-format json every line of standard error is a JSON
object; a request line carries method, path, status, bytes in and out, duration, entity count,
remote address and request id, each checked against what the client saw; start-up and reload
lines say which data was loaded from which directories (or why not); X-Request-Id is taken
from the client when plain, generated otherwise, and echoed. The text format carries the same
request fields."""
import json
import os
import re
import shutil
import signal
import tempfile
import time
from datetime import datetime, timezone

from wtlib import E2E_DATA, Server, check, done

HEX16 = re.compile(r'^[0-9a-f]{16}$')


def json_lines(log):
    out = []
    for line in log.splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            check(False, 'every log line is JSON: %r' % line)
    return out


def request_line(s, rid):
    """The JSON request line of request `rid`, once it is written."""
    s.wait_log('"request_id":"%s"' % rid)
    found = [o for o in json_lines(s.read_log())
             if o.get('event') == 'request' and o.get('request_id') == rid]
    check(len(found) == 1, 'exactly one log line for request %s (%d)' % (rid, len(found)))
    return found[0] if found else {}


def check_ts(o, t0):
    ts = o.get('ts', '')
    try:
        t = datetime.strptime(ts, '%Y-%m-%dT%H:%M:%S.%fZ').replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        t = None
    check(t is not None and t0 - 2 <= t <= time.time() + 2, 'ts is UTC ISO 8601 and now: %r' % ts)


t0 = time.time()
layer = tempfile.mkdtemp(prefix='wiretag-logs-')
with open(os.path.join(layer, 'desk.gaz'), 'w') as f:
    f.write('# the desk layer\nperson:jan-marek | Jan Marek\n')
s = Server('--log-format', 'json', '--data', layer,
           env={'WIRETAG_ADMIN_TOKEN': 'log-test-token'})
try:
    st, h, b = s.request('GET', '/ready')
    data1 = json.loads(b)['data']

    # A tagging request with the client's id: every field against what the client saw.
    body = json.dumps({'text': 'Jan Marek met Russian and NATO officials.', 'id': 'x'}).encode()
    t1 = time.time()
    st, h, b = s.request('POST', '/v1/tag?types=person,country', body=body,
                         headers={'Content-Type': 'application/json', 'X-Request-Id': 'log-1'})
    elapsed_ms = (time.time() - t1) * 1000
    check(st == 200 and h.get('x-request-id') == 'log-1', 'the client id is echoed')
    n_entities = len(json.loads(b)['entities'])
    # (the query string is not part of the logged path, and a JSON body takes no options from it)
    check(n_entities == 3, 'three entities: %d' % n_entities)
    o = request_line(s, 'log-1')
    want = {'level': 'info', 'event': 'request', 'remote': '127.0.0.1', 'method': 'POST',
            'path': '/v1/tag', 'status': 200, 'bytes_in': len(body), 'bytes_out': len(b),
            'entities': n_entities, 'request_id': 'log-1'}
    for k, v in want.items():
        check(o.get(k) == v, 'request line %s: %r, expected %r' % (k, o.get(k), v))
    check(isinstance(o.get('duration_ms'), float) and 0 < o['duration_ms'] < elapsed_ms + 50,
          'duration_ms is a positive number of milliseconds: %r' % o.get('duration_ms'))
    check_ts(o, t0)
    check(set(o) == set(want) | {'ts', 'duration_ms'}, 'no other fields: %r' % sorted(o))

    # A generated id (none sent, or one that is not plain): echoed and logged.
    for sent in (None, 'has spaces in it', 'x' * 65):
        hdrs = {'Content-Type': 'text/plain'}
        if sent:
            hdrs['X-Request-Id'] = sent
        st, h, b = s.request('POST', '/v1/tag', body=b'Slovakia', headers=hdrs)
        rid = h.get('x-request-id', '')
        check(HEX16.match(rid) is not None, 'generated id for %r: %r' % (sent, rid))
        o = request_line(s, rid)
        check(o.get('status') == 200 and o.get('bytes_in') == 8 and o.get('entities') == 1 and
              o.get('bytes_out') == len(b), 'the generated id is logged with its request: %r' % o)
    st, h, b = s.request('GET', '/health', headers={'X-Request-Id': 'a.b:c_d-64'})
    check(h.get('x-request-id') == 'a.b:c_d-64', 'a plain id with . : _ - is kept')

    # Errors are logged with their status and the bytes of the problem sent.
    st, h, b = s.request('POST', '/v1/tag', body=b'{"text": ', headers={
        'Content-Type': 'application/json', 'X-Request-Id': 'log-400'})
    o = request_line(s, 'log-400')
    check(o.get('status') == 400 and o.get('bytes_out') == len(b) and o.get('bytes_in') == 9 and
          o.get('entities') == 0, 'a 400 is logged: %r' % o)
    st, h, b = s.request('GET', '/no/such/path', headers={'X-Request-Id': 'log-404'})
    o = request_line(s, 'log-404')
    check(o.get('status') == 404 and o.get('path') == '/no/such/path' and o.get('method') == 'GET',
          'a 404 is logged with its path: %r' % o)
    # A batch: the entities of all its documents.
    st, h, b = s.request('POST', '/v1/tag/batch', body=b'{"text": "Slovakia"}\n{"text": "NATO"}\n',
                         headers={'Content-Type': 'application/x-ndjson', 'X-Request-Id': 'log-batch'})
    o = request_line(s, 'log-batch')
    check(o.get('entities') == 2 and o.get('bytes_out') == len(b), 'a batch is logged: %r' % o)

    # Reloads by SIGHUP and by POST /admin/reload, then one that fails.
    with open(os.path.join(layer, 'desk.gaz'), 'a') as f:
        f.write('person:eva-horak | Eva Horak\n')
    s.proc.send_signal(signal.SIGHUP)
    s.wait_log('SIGHUP: data ')
    st, h, b = s.request('POST', '/admin/reload', headers={
        'Authorization': 'Bearer log-test-token', 'X-Request-Id': 'log-reload'})
    check(st == 200, 'admin reload')
    with open(os.path.join(layer, 'desk.gaz'), 'a') as f:
        f.write('person:broken id | Broken\n')
    s.proc.send_signal(signal.SIGHUP)
    s.wait_log('SIGHUP: data not loaded')
    st, h, b = s.request('GET', '/ready')
    data2 = json.loads(b)['data']
    check(st == 200 and data2 != data1, 'the failed reload left the reloaded data serving')

    events = [o for o in json_lines(s.read_log()) if o.get('event') == 'message']
    for o in events:
        check(o.get('level') in ('info', 'warn', 'error') and isinstance(o.get('message'), str),
              'an event line has a level and a message: %r' % o)
        check_ts(o, t0)
    msgs = [o['message'] for o in events]
    dirs = '%s, %s' % (E2E_DATA, layer)
    start = [m for m in msgs if m.startswith('start: data ')]
    check(len(start) == 1 and ('data %s (generation 1) loaded from %s:' % (data1, dirs)) in start[0],
          'the start-up line names the data and the directories: %r' % start)
    check(start and re.search(r'\b2 persons\b', start[0]) and '2 files' in start[0],
          'the start-up line says what was loaded: %r' % start)
    check(any(m.startswith('wiretag 0.1.0 listening on 127.0.0.1:0 (port %d)' % s.port) for m in msgs),
          'the listening line: %r' % msgs[:2])
    hup = [m for m in msgs if m.startswith('SIGHUP: data ') and ' (generation ' in m]
    check(len(hup) == 1 and '(generation 2) loaded from %s:' % dirs in hup[0] and '3 persons' in hup[0],
          'the SIGHUP line says what was loaded from where: %r' % hup)
    admin = [m for m in msgs if m.startswith('POST /admin/reload: data ')]
    check(len(admin) == 1 and ('data %s (generation 3) loaded from %s:' % (data2, dirs)) in admin[0],
          'the admin reload line: %r' % admin)
    check(any('POST /admin/reload (request log-reload)' in m for m in msgs),
          'the admin reload names its request')
    failed = [o for o in events if o['message'].startswith('SIGHUP: data not loaded')]
    check(len(failed) == 1 and failed[0]['level'] == 'error' and
          ('%s/desk.gaz:4:' % layer) in failed[0]['message'] and 'keeps serving' in failed[0]['message'],
          'the failed reload names file and line and says the old data serves: %r' % failed)
finally:
    code = s.stop()
log = s.read_log() if os.path.exists(s.log.name) else ''
check(code == 0, 'exit 0')

# The text format: one line per request with the same fields.
s = Server()
try:
    st, h, b = s.request('POST', '/v1/tag', body=b'Slovakia and Russia',
                         headers={'Content-Type': 'text/plain', 'X-Request-Id': 'text-1'})
    log = s.wait_log('id=text-1')
    line = [ln for ln in log.splitlines() if ln.endswith(' id=text-1')]
    pat = (r'^\S+Z info request remote=127\.0\.0\.1 method=POST path=/v1/tag status=200 '
           r'in=19 out=%d ms=\d+\.\d{3} entities=2 id=text-1$' % len(b))
    check(len(line) == 1 and re.match(pat, line[0]), 'text request line: %r' % line)
    check(re.search(r'info start: data [0-9a-f]+ \(generation 1\) loaded from %s: '
                    % re.escape(E2E_DATA), log), 'the text start-up line')
finally:
    code = s.stop()
check(code == 0, 'exit 0')
shutil.rmtree(layer, ignore_errors=True)
done('logs')
