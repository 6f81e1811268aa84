"""The bad-input catalogue on the real binary: malformed, hostile and oversized requests, each
answered with its documented status (README, "Errors" and "Reliability"), and after each one
the service still answers /health quickly. 127.0.0.1 only; about 30 s in all.

Two servers: `small` with tiny limits and a 2 s --timeout (limits, timeouts, slow and idle
clients), `big` with the default limits (1 MB texts, 100,000 keys)."""
import json
import os
import resource
import socket
import sys
import threading
import time

from wtlib import Server, check, done, read_until_close

TIMEOUT = 2  # --timeout of the small server, seconds
MAX_BODY = 4096
# /health must answer within this (a sanitizer build may raise it through the environment).
HEALTH_S = float(os.environ.get('WIRETAG_HEALTH_MAX_S', '0.5'))
IDLE_HEALTH_S = float(os.environ.get('WIRETAG_IDLE_HEALTH_MAX_S', '0.2'))
IDLE_CONNECTIONS = 1000

# 1,000 idle connections need more descriptors than the usual soft limit of 1024; the server
# inherits the raised limit.
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
want = IDLE_CONNECTIONS + 200
if soft != resource.RLIM_INFINITY and soft < want:
    resource.setrlimit(resource.RLIMIT_NOFILE,
                       (want if hard == resource.RLIM_INFINITY else min(want * 2, hard), hard))

catalogue = []  # (case, expected, observed)


def record(case, expected, observed, ok):
    catalogue.append((case, expected, observed))
    check(ok, '%s: expected %s, observed %s' % (case, expected, observed))


def alive(s, case):
    """The service still answers /health, quickly, on a new connection."""
    t0 = time.monotonic()
    try:
        st = s.request('GET', '/health', timeout=5)[0]
    except OSError as e:
        st = repr(e)
    dt = time.monotonic() - t0
    check(st == 200 and dt < HEALTH_S and s.proc.poll() is None,
          'after %s: /health -> %r in %.3f s (limit %.2f s)' % (case, st, dt, HEALTH_S))


def exchange(s, data, timeout=5.0, shut=False):
    """Sends raw bytes on a new connection and reads until the server closes it or `timeout`
    passes. Returns (bytes read, seconds until the end, 'closed' | 'timeout' | 'reset')."""
    c = socket.create_connection(('127.0.0.1', s.port), timeout=timeout)
    t0 = time.monotonic()
    out, how = b'', 'closed'
    try:
        c.sendall(data)
        if shut:
            c.shutdown(socket.SHUT_WR)
        while True:
            chunk = c.recv(1 << 20)
            if not chunk:
                break
            out += chunk
    except socket.timeout:
        how = 'timeout'
    except (ConnectionResetError, BrokenPipeError):
        how = 'reset'
    finally:
        c.close()
    return out, time.monotonic() - t0, how


def responses(raw):
    """Splits raw bytes into [(status, headers, body)] using Content-Length."""
    out = []
    while raw.startswith(b'HTTP/'):
        head, sep, rest = raw.partition(b'\r\n\r\n')
        if not sep:
            break
        lines = head.split(b'\r\n')
        status = int(lines[0].split()[1])
        h = {}
        for line in lines[1:]:
            k, _, v = line.partition(b':')
            h[k.strip().lower().decode()] = v.strip().decode('latin-1')
        n = int(h.get('content-length', '0'))
        out.append((status, h, rest[:n]))
        raw = rest[n:]
    return out


def status_of(raw):
    r = responses(raw)
    return r[0][0] if r else None


def code_of(body):
    try:
        return json.loads(body).get('code')
    except ValueError:
        return None


def post(ct, body, extra=b'', path=b'/v1/tag'):
    """A complete POST that asks the server to close the connection after it."""
    ctl = b'Content-Type: ' + ct + b'\r\n' if ct is not None else b''
    return (b'POST ' + path + b' HTTP/1.1\r\nHost: x\r\n' + ctl +
            b'Content-Length: %d\r\nConnection: close\r\n' % len(body) + extra + b'\r\n' + body)


J, T, H = b'application/json', b'text/plain; charset=utf-8', b'text/html; charset=utf-8'

small = Server('--max-body', str(MAX_BODY), '--max-text', '2048', '--timeout', str(TIMEOUT),
               '--threads', '2', '--max-connections', str(2 * IDLE_CONNECTIONS))
big = Server('--timeout', '5', '--threads', '2')
try:
    # ---- Bodies that are not what they claim: one request, one documented answer. -------------
    # (case, request, status, problem code or None, extra check on the parsed body or None)
    simple = [
        ('truncated JSON', post(J, b'{"text": "Russia and'), 400, 'invalid_json',
         lambda p: p['line'] == 1 and p['column'] > 0),
        ('trailing garbage after JSON', post(J, b'{"text": "x"} {"x": 1}'), 400, 'invalid_json',
         None),
        ('duplicate keys', post(J, b'{"text": "a", "text": "b"}'), 400, 'invalid_json',
         lambda p: 'duplicate' in p['detail']),
        ('text is a number', post(J, b'{"text": 42}'), 422, 'invalid_request', None),
        ('text is an array', post(J, b'{"text": ["Russia"]}'), 422, 'invalid_request', None),
        ('text is an object', post(J, b'{"text": {"a": 1}}'), 422, 'invalid_request', None),
        ('text missing', post(J, b'{"id": "a1", "title": "x"}'), 422, 'missing_text', None),
        ('text null', post(J, b'{"text": null}'), 422, 'missing_text', None),
        ('JSON that is not an object', post(J, b'[1, 2]'), 422, 'invalid_request', None),
        ('invalid UTF-8 in JSON', post(J, b'{"text": "caf\xe9"}'), 400, 'invalid_utf8',
         lambda p: p['offset'] == 13),
        ('invalid UTF-8 in text/plain', post(T, b'Moscow \xff'), 400, 'invalid_utf8',
         lambda p: p['offset'] == 7 and p['field'] == 'text'),
        ('invalid UTF-8 in text/html', post(H, b'<p>caf\xe9</p>'), 415, 'html_not_utf8',
         lambda p: p['offset'] == 6),
        ('overlong encoding C0 AF in text/plain', post(T, b'a/\xc0\xafb'), 400, 'invalid_utf8',
         lambda p: p['offset'] == 2),
        ('overlong encoding C0 AF in JSON', post(J, b'{"text": "\xc0\xaf"}'), 400,
         'invalid_utf8', lambda p: p['offset'] == 10),
        ('overlong 3-byte E0 80 AF', post(T, b'\xe0\x80\xaf'), 400, 'invalid_utf8', None),
        ('UTF-8 encoded surrogate ED A0 80', post(T, b'x\xed\xa0\x80'), 400, 'invalid_utf8',
         lambda p: p['offset'] == 1),
        ('code point above U+10FFFF', post(T, b'\xf4\x90\x80\x80'), 400, 'invalid_utf8', None),
        ('truncated UTF-8 sequence at the end', post(T, b'Russia \xe2\x82'), 400,
         'invalid_utf8', lambda p: p['offset'] == 7),
        ('lone high surrogate escape \\ud800', post(J, b'{"text": "a\\ud800b"}'), 400,
         'invalid_json', None),
        ('lone low surrogate escape \\udc00', post(J, b'{"text": "a\\udc00"}'), 400,
         'invalid_json', None),
        ('raw NUL byte between JSON tokens', post(J, b'{"text":\x00 "x"}'), 400,
         'invalid_json', None),
        ('raw NUL byte inside a JSON string', post(J, b'{"text": "a\x00b"}'), 400,
         'invalid_json', lambda p: 'control character' in p['detail']),
        ('empty body as JSON', post(J, b''), 400, 'invalid_json', None),
        ('wrong content type', post(b'application/xml', b'<text/>'), 415,
         'unsupported_media_type', None),
        ('no content type', post(None, b'Russia'), 415, 'unsupported_media_type', None),
        ('wrong charset', post(b'text/plain; charset=iso-8859-1', b'Russia'), 415,
         'unsupported_media_type', lambda p: 'iso-8859-1' in p['detail']),
        ('text over --max-text', post(J, json.dumps({'text': 'x' * 3000}).encode()), 413,
         'text_too_large', None),
        ('POST without Content-Length, not chunked',
         b'POST /v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n'
         b'Connection: close\r\n\r\n', 411, 'length_required', None),
        ('unknown method on a known path',
         b'BREW /v1/tag HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 405,
         'method_not_allowed', None),
        ('unknown method on an unknown path',
         b'BREW /coffee HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 404, 'not_found',
         None),
        # Framing errors libmicrohttpd answers itself, with a small HTML body.
        ('Content-Length not a number',
         b'POST /v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n'
         b'Content-Length: 12abc\r\nConnection: close\r\n\r\nRussia', 400, None, None),
        ('chunk size not hexadecimal',
         b'POST /v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n'
         b'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nabc\r\n0\r\n\r\n', 400,
         None, None),
        ('request line without HTTP version', b'GET /health\r\n\r\n', 400, None, None),
        ('HTTP/2 preface on the HTTP/1 port', b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 505, None,
         None),
    ]
    # Over the small server's 4 KB limit: these go to the one with the default limits.
    simple += [
        ('JSON nested 10,000 deep', post(J, b'[' * 10000 + b']' * 10000), 400, 'invalid_json',
         lambda p: 'depth' in p['detail'], big),
        ('object member nested 10,000 deep',
         post(J, b'{"text": "x", "a": ' + b'{"a": ' * 10000 + b'1' + b'}' * 10001), 400,
         'invalid_json', None, big)]
    for case, req, want, code, extra, *on in simple:
        srv = on[0] if on else small
        out, dt, how = exchange(srv, req)
        st = status_of(out)
        body = responses(out)[0][2] if st else b''
        got_code = code_of(body) if code else None
        ok = st == want and got_code == code and how == 'closed'
        if ok and extra:
            ok = bool(extra(json.loads(body)))
        record(case, '%d %s' % (want, code or '(libmicrohttpd)'),
               '%s %s' % (st, got_code or ''), ok)
        alive(srv, case)

    # ---- Valid input that looks odd: answered 200. ----------------------------------------------
    out, _, _ = exchange(small, post(J, b'{"text": "Russia\\u0000NATO"}'))
    r = responses(out)
    names = sorted(e['name'] for e in json.loads(r[0][2])['entities']) if r and r[0][0] == 200 \
        else None
    record('\\u0000 escape inside text (valid)', '200, both entities found', '%s %s' % (
        r[0][0] if r else None, names),
        names == ['North Atlantic Treaty Organization', 'Russia'])
    alive(small, '\\u0000 in text')

    out, _, _ = exchange(small, post(T, b'Russia\x00NATO'))
    r = responses(out)
    ok = bool(r) and r[0][0] == 200 and json.loads(r[0][2])['stats']['characters'] == 11
    record('raw NUL byte in text/plain (valid UTF-8)', '200', r[0][0] if r else None, ok)
    alive(small, 'raw NUL in text/plain')

    out, _, _ = exchange(small, post(J, b'{"text": "\\ud83d\\ude00 Russia"}'))
    r = responses(out)
    record('surrogate pair escape (valid)', '200', r[0][0] if r else None,
           bool(r) and r[0][0] == 200)
    alive(small, 'surrogate pair')

    out, _, _ = exchange(small, post(T, b''))
    r = responses(out)
    ok = bool(r) and r[0][0] == 200 and json.loads(r[0][2])['entities'] == []
    record('empty body as text/plain', '200, no entities', r[0][0] if r else None, ok)
    alive(small, 'empty text/plain')

    # ---- Content-Length that lies. -------------------------------------------------------------
    # Shorter than the body: the first N bytes are the request; the rest would be the start of
    # the next request on the connection, which never completes and times out.
    out, dt, how = exchange(small, b'POST /v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain'
                            b'\r\nContent-Length: 6\r\n\r\nRussia and NATO', timeout=TIMEOUT + 5)
    r = responses(out)
    ok = (len(r) == 1 and r[0][0] == 200 and json.loads(r[0][2])['stats']['characters'] == 6
          and how == 'closed' and dt < TIMEOUT + 2.5)
    record('Content-Length shorter than the body', '200 on the first N bytes, then closed at '
           '--timeout', '%s, %s after %.1f s' % ([x[0] for x in r], how, dt), ok)
    alive(small, 'Content-Length shorter')

    # Longer than the body: the server waits for the rest, serves others meanwhile, and closes
    # the connection after --timeout (logged as 408).
    lying = socket.create_connection(('127.0.0.1', small.port), timeout=TIMEOUT + 5)
    lying.sendall(b'POST /v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n'
                  b'X-Request-Id: lying-length\r\nContent-Length: 100\r\n\r\nRussia')
    t0 = time.monotonic()
    alive(small, 'Content-Length longer (while the server waits for the body)')
    try:
        got = lying.recv(65536)
        how = 'closed'
    except socket.timeout:
        got, how = b'', 'timeout'
    except ConnectionResetError:
        got, how = b'', 'reset'
    dt = time.monotonic() - t0
    lying.close()
    time.sleep(0.1)
    logged = 'status=408' in ''.join(line for line in small.read_log().splitlines()
                                     if 'id=lying-length' in line)
    record('Content-Length longer than the body', 'no answer; closed after --timeout, logged 408',
           '%s after %.1f s%s' % (how if not got else got[:20], dt, ', logged 408' if logged
                                  else ''),
           got == b'' and how in ('closed', 'reset') and TIMEOUT - 0.5 < dt < TIMEOUT + 2.5
           and logged)
    alive(small, 'Content-Length longer')

    # ---- Bodies over the limit. ----------------------------------------------------------------
    # Decided from Content-Length before the body is read: the answer comes back while the client
    # has sent only the headers.
    c = socket.create_connection(('127.0.0.1', small.port), timeout=5)
    t0 = time.monotonic()
    c.sendall(b'POST /v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n'
              b'Content-Length: 50000000\r\n\r\n')
    out = read_until_close(c)[0]
    dt = time.monotonic() - t0
    c.close()
    r = responses(out)
    record('body over --max-body (Content-Length, body not sent)', '413 body_too_large at once, '
           'then closed', '%s %s in %.2f s' % (r[0][0] if r else None,
                                               code_of(r[0][2]) if r else '', dt),
           bool(r) and r[0][0] == 413 and code_of(r[0][2]) == 'body_too_large' and dt < 1.0)
    alive(small, '413 from Content-Length')

    # With Expect: 100-continue the client is told 413 and never invited to send.
    out, dt, how = exchange(small, b'POST /v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain'
                            b'\r\nContent-Length: 50000000\r\nExpect: 100-continue\r\n\r\n')
    record('body over --max-body with Expect: 100-continue', '413, no 100 Continue',
           '%s' % status_of(out), status_of(out) == 413 and b'100 Continue' not in out
           and dt < 1.0)
    alive(small, '413 with Expect')

    # Chunked: the size is unknown up front; the 413 comes when the body ends.
    chunk = b'a' * 1000
    body = b''.join(b'%x\r\n%s\r\n' % (len(chunk), chunk) for _ in range(3 * MAX_BODY // 1000))
    out, dt, how = exchange(small, b'POST /v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain'
                            b'\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n' + body +
                            b'0\r\n\r\n')
    r = responses(out)
    record('chunked body over --max-body (3x)', '413 body_too_large when it ends',
           '%s %s' % (r[0][0] if r else None, code_of(r[0][2]) if r else ''),
           bool(r) and r[0][0] == 413 and code_of(r[0][2]) == 'body_too_large')
    alive(small, 'oversized chunked')

    # One that goes on past four times the limit is cut off.
    body = b''.join(b'%x\r\n%s\r\n' % (len(chunk), chunk) for _ in range(8 * MAX_BODY // 1000))
    out, dt, how = exchange(small, b'POST /v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain'
                            b'\r\nTransfer-Encoding: chunked\r\n\r\n' + body + b'0\r\n\r\n')
    record('chunked body past 4x --max-body', 'connection closed, no answer',
           '%s after %.2f s' % (how if not out else status_of(out), dt),
           out == b'' and how in ('closed', 'reset') and dt < 1.0)
    alive(small, 'chunked past 4x')

    # An unknown path with a huge body is answered 404 without reading it.
    out, dt, how = exchange(small, b'POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain'
                            b'\r\nContent-Length: 50000000\r\n\r\n')
    record('unknown path with a 50 MB Content-Length', '404 at once', '%s in %.2f s' % (
        status_of(out), dt), status_of(out) == 404 and dt < 1.0)
    alive(small, '404 with huge body')

    # ---- Huge request lines and headers: a clean 4xx from libmicrohttpd's 64 KB buffer. ---------
    for case, req, want in [
            ('100 KB URL', b'GET /' + b'a' * 100000 + b' HTTP/1.1\r\nHost: x\r\n\r\n', 414),
            ('100 KB header', b'GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ' + b'a' * 100000 +
             b'\r\n\r\n', 431),
            ('10,000 headers', b'GET /health HTTP/1.1\r\nHost: x\r\n' +
             b''.join(b'X-H%d: v\r\n' % i for i in range(10000)) + b'\r\n', 431)]:
        out, dt, how = exchange(small, req)
        record(case, '%d, closed' % want, '%s, %s' % (status_of(out), how),
               status_of(out) == want and how == 'closed')
        alive(small, case)

    # ---- HTTP/1.0, keep-alive and pipelining. --------------------------------------------------
    out, dt, how = exchange(small, b'GET /health HTTP/1.0\r\n\r\n')
    r = responses(out)
    record('HTTP/1.0 request', '200, then closed', '%s, %s after %.2f s' % (
        r[0][0] if r else None, how, dt),
        bool(r) and r[0][0] == 200 and how == 'closed' and dt < 1.0)
    alive(small, 'HTTP/1.0')

    c = socket.create_connection(('127.0.0.1', small.port), timeout=5)
    got = []
    try:
        buf = b''
        for i in range(2):
            c.sendall(b'GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n')
            while len(responses(buf)) <= i:
                chunk = c.recv(65536)
                if not chunk:
                    break
                buf += chunk
        got = responses(buf)
    except OSError:
        pass
    c.close()
    record('HTTP/1.0 with Connection: keep-alive', '200 twice on one connection',
           [x[0] for x in got], [x[0] for x in got] == [200, 200] and
           got[0][1].get('connection', '').lower() == 'keep-alive')
    alive(small, 'HTTP/1.0 keep-alive')

    pipe = (b'GET /health HTTP/1.1\r\nHost: x\r\nX-Request-Id: p1\r\n\r\n'
            b'POST /v1/tag HTTP/1.1\r\nHost: x\r\nX-Request-Id: p2\r\nContent-Type: text/plain\r\n'
            b'Content-Length: 6\r\n\r\nRussia'
            b'GET /ready HTTP/1.1\r\nHost: x\r\nX-Request-Id: p3\r\n\r\n'
            b'GET /nowhere HTTP/1.1\r\nHost: x\r\nX-Request-Id: p4\r\nConnection: close\r\n\r\n')
    out, dt, how = exchange(small, pipe)
    r = responses(out)
    seen = [(x[0], x[1].get('x-request-id')) for x in r]
    record('4 pipelined requests on one connection', '200 200 200 404 in order',
           ' '.join('%d(%s)' % x for x in seen),
           seen == [(200, 'p1'), (200, 'p2'), (200, 'p3'), (404, 'p4')] and
           'Russia' in r[1][2].decode())
    alive(small, 'pipelining')

    # ---- Clients that misbehave in time. -------------------------------------------------------
    # Gone in the middle of the body: logged as 499, nothing else happens.
    c = socket.create_connection(('127.0.0.1', small.port), timeout=5)
    c.sendall(b'POST /v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n'
              b'X-Request-Id: gone-mid-body\r\nContent-Length: 1000\r\n\r\n' + b'Russia ' * 20)
    time.sleep(0.1)
    c.close()
    deadline = time.monotonic() + 3
    logged = False
    while time.monotonic() < deadline and not logged:
        time.sleep(0.05)
        logged = any('id=gone-mid-body' in line and 'status=499' in line
                     for line in small.read_log().splitlines())
    record('client disconnects mid-body', 'request dropped, logged 499',
           'logged 499' if logged else 'not logged', logged)
    alive(small, 'disconnect mid-body')

    # Slowloris: a partial request, then bytes slower than --timeout. The connection is closed
    # after --timeout while other clients are served normally.
    slow = socket.create_connection(('127.0.0.1', small.port), timeout=TIMEOUT + 5)
    slow.sendall(b'POST /v1/tag HTTP/1.1\r\nHost: x\r\n')
    t0 = time.monotonic()
    closed_at = [None]

    def trickle():
        try:
            while time.monotonic() - t0 < TIMEOUT + 4:
                time.sleep(TIMEOUT + 1)  # slower than --timeout
                slow.sendall(b'X')
        except OSError:
            pass

    def watch():
        try:
            while slow.recv(65536):
                pass
        except OSError:
            pass
        closed_at[0] = time.monotonic() - t0

    threads = [threading.Thread(target=trickle), threading.Thread(target=watch)]
    for t in threads:
        t.start()
    served = []
    while closed_at[0] is None and time.monotonic() - t0 < TIMEOUT + 4:
        t1 = time.monotonic()
        st = small.request('GET', '/health', timeout=5)[0]
        served.append((st, time.monotonic() - t1))
        time.sleep(0.1)
    for t in threads:
        t.join()
    slow.close()
    worst = max(d for _, d in served) if served else None
    record('slowloris (one byte per --timeout + 1 s)', 'closed after --timeout; others served',
           'closed after %s s; %d health checks meanwhile, slowest %.3f s' % (
               '%.1f' % closed_at[0] if closed_at[0] is not None else 'never', len(served),
               worst or 0),
           closed_at[0] is not None and TIMEOUT - 0.5 < closed_at[0] < TIMEOUT + 2.5 and
           len(served) >= 5 and all(st == 200 for st, _ in served) and worst < HEALTH_S)
    alive(small, 'slowloris')

    # 1,000 idle connections: half silent, half with half a request line. /health still answers
    # within IDLE_HEALTH_S, and the idle ones are closed after --timeout.
    idle = []
    try:
        for i in range(IDLE_CONNECTIONS):
            c = socket.create_connection(('127.0.0.1', small.port), timeout=TIMEOUT + 5)
            if i % 2:
                c.sendall(b'GET /hea')
            idle.append(c)
        times = []
        for _ in range(5):
            t1 = time.monotonic()
            st = small.request('GET', '/health', timeout=5)[0]
            times.append((st, time.monotonic() - t1))
        worst = max(d for _, d in times)
        record('%d idle connections' % IDLE_CONNECTIONS,
               '/health within %.0f ms' % (IDLE_HEALTH_S * 1000),
               'slowest of 5: %.1f ms' % (worst * 1000),
               all(st == 200 for st, _ in times) and worst < IDLE_HEALTH_S)
        # They are closed by the server after --timeout.
        time.sleep(TIMEOUT + 1.5)
        closed = 0
        for c in idle:
            c.settimeout(0.01)
            try:
                closed += c.recv(1) == b''
            except socket.timeout:
                pass
            except OSError:
                closed += 1
        record('%d idle connections after --timeout' % IDLE_CONNECTIONS, 'all closed by the server',
               '%d closed' % closed, closed == IDLE_CONNECTIONS)
    finally:
        for c in idle:
            c.close()
    alive(small, 'idle connections')

    # ---- Big but valid, on the server with the default limits. ---------------------------------
    t0 = time.monotonic()
    st, h, b = big.request('POST', '/v1/tag', body=b'x' * 1000000,
                           headers={'Content-Type': 'text/plain'})
    dt = time.monotonic() - t0
    r = json.loads(b) if st == 200 else {}
    record('1 MB single token', '200, one token, no entities', '%d in %.2f s' % (st, dt),
           st == 200 and r['stats']['tokens'] == 1 and r['entities'] == [])
    alive(big, '1 MB token')

    n = 1000000 // len('Russia ')
    t0 = time.monotonic()
    st, h, b = big.request('POST', '/v1/tag', body=('Russia ' * n).encode(),
                           headers={'Content-Type': 'text/plain'})
    dt = time.monotonic() - t0
    r = json.loads(b) if st == 200 else {}
    counts = [(e['name'], len(e['mentions'])) for e in r.get('entities', [])]
    record('1 MB of one entity repeated', '200, %d mentions' % n,
           '%d, %s in %.2f s' % (st, counts, dt), st == 200 and counts == [('Russia', n)])
    alive(big, '1 MB entity')

    doc = '{"text": "Russia", ' + ', '.join('"k%d": %d' % (i, i) for i in range(100000)) + '}'
    t0 = time.monotonic()
    st, h, b = big.request('POST', '/v1/tag', body=doc.encode(),
                           headers={'Content-Type': 'application/json'})
    dt = time.monotonic() - t0
    names = [e['name'] for e in json.loads(b)['entities']] if st == 200 else None
    record('JSON object with 100,000 keys', '200 (unknown members ignored)',
           '%d in %.2f s' % (st, dt), st == 200 and names == ['Russia'])
    alive(big, '100,000 keys')
finally:
    codes = (small.stop(), big.stop())
check(codes == (0, 0), 'both servers exit 0 at SIGTERM: %r' % (codes,))

print('| case | expected | observed |', file=sys.stderr)
print('|---|---|---|', file=sys.stderr)
for case, want, got in catalogue:
    print('| %s | %s | %s |' % (case, want, got), file=sys.stderr)
check(len(catalogue) >= 32, 'at least 32 cases (%d)' % len(catalogue))
done('bad_input (%d cases)' % len(catalogue))
