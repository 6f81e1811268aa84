"""Every limit of the real binary, set by its environment variable (the flags are exercised by
the other tests): body size, text per document, batch size, header size, connections held at
once, the idle and slow-client timeout, and the drain time for requests still in flight."""
import json
import signal
import socket
import threading
import time

from wtlib import Server, check, done, problem


def closed_after(sock, limit):
    """Seconds until the server closes `sock` (it sends nothing first), or None."""
    sock.settimeout(limit)
    t0 = time.time()
    try:
        data = sock.recv(65536)
    except socket.timeout:
        return None
    except ConnectionResetError:
        data = b''
    return time.time() - t0 if data == b'' else None


env = {'WIRETAG_MAX_BODY': '4096', 'WIRETAG_MAX_TEXT': '100', 'WIRETAG_BATCH_MAX_DOCS': '2',
       'WIRETAG_MAX_HEADERS': '16384', 'WIRETAG_TIMEOUT': '1', 'WIRETAG_DRAIN': '1'}
s = Server(env=env)
try:
    st, h, b = s.request('POST', '/v1/tag', body=b'x' * 5000, headers={'Content-Type': 'text/plain'})
    check(st == 413 and problem(b)['code'] == 'body_too_large' and '4096' in problem(b)['detail'],
          'WIRETAG_MAX_BODY: 413 body_too_large')
    st, h, b = s.request('POST', '/v1/tag', body=b'x' * 101, headers={'Content-Type': 'text/plain'})
    check(st == 413 and problem(b)['code'] == 'text_too_large', 'WIRETAG_MAX_TEXT: 413 text_too_large')
    st, h, b = s.request('POST', '/v1/tag', body=b'x' * 100, headers={'Content-Type': 'text/plain'})
    check(st == 200, 'exactly WIRETAG_MAX_TEXT bytes pass')
    st, h, b = s.post_json({'documents': [{'text': 'x'}] * 3}, path='/v1/tag/batch')
    check(st == 413 and problem(b)['code'] == 'too_many_documents',
          'WIRETAG_BATCH_MAX_DOCS: 413 too_many_documents')

    # Headers beyond WIRETAG_MAX_HEADERS: libmicrohttpd's own 431.
    out = s.raw(b'GET /health HTTP/1.1\r\nHost: x\r\nX-Pad: ' + b'a' * 20000 +
                b'\r\nConnection: close\r\n\r\n')
    check(out.startswith(b'HTTP/1.1 431'), 'WIRETAG_MAX_HEADERS: 431 for 20 KB of headers: %r' % out[:40])
    out = s.raw(b'GET /health HTTP/1.1\r\nHost: x\r\nX-Pad: ' + b'a' * 8000 +
                b'\r\nConnection: close\r\n\r\n')
    check(out.startswith(b'HTTP/1.1 200'), '8 KB of headers pass: %r' % out[:40])

    # WIRETAG_TIMEOUT: an idle connection, one stuck in its headers, and one stuck in its body
    # are closed after about a second.
    idle = socket.create_connection(('127.0.0.1', s.port))
    t = closed_after(idle, 10)
    check(t is not None and 0.5 <= t <= 4, 'an idle connection is closed after the timeout: %r' % t)
    slow = socket.create_connection(('127.0.0.1', s.port))
    slow.sendall(b'GET /health HTTP/1.1\r\nHost: x\r\n')
    t = closed_after(slow, 10)
    check(t is not None and 0.5 <= t <= 4, 'a client stuck in its headers is cut off: %r' % t)
    slow = socket.create_connection(('127.0.0.1', s.port))
    slow.sendall(b'POST /v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n'
                 b'Content-Length: 100\r\nX-Request-Id: slow-body\r\n\r\nabc')
    t = closed_after(slow, 10)
    check(t is not None and 0.5 <= t <= 4, 'a client stuck in its body is cut off: %r' % t)
    log = s.wait_log('id=slow-body')
    check(any('status=408' in ln and 'id=slow-body' in ln for ln in log.splitlines()),
          'and logged as 408')

    # WIRETAG_DRAIN: a request still in flight (its client trickles the body, so it is never
    # idle long enough for the timeout) holds shutdown for one second, no more.
    stuck = socket.create_connection(('127.0.0.1', s.port))
    stuck.sendall(b'POST /v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n'
                  b'Content-Length: 100\r\n\r\nabc')
    stop = threading.Event()

    def trickle():
        while not stop.wait(0.2):
            try:
                stuck.sendall(b'x')
            except OSError:
                return
    th = threading.Thread(target=trickle)
    th.start()
    time.sleep(0.3)
    t0 = time.time()
    s.proc.send_signal(signal.SIGTERM)
    s.proc.wait(timeout=15)
    took = time.time() - t0
    stop.set()
    th.join()
    stuck.close()
    check(s.proc.returncode == 0 and 0.8 <= took <= 5, 'WIRETAG_DRAIN: stopped after %.2f s' % took)
    check('1 request(s) still in flight after 1 s' in s.read_log(), 'and says what it cut off')
finally:
    s.stop()

# WIRETAG_MAX_CONNECTIONS: over the limit the service stops accepting, so a new connection
# waits in the listen queue, unanswered, until a held one closes. (One worker thread: with
# several, libmicrohttpd splits the limit between them.)
s = Server(env={'WIRETAG_MAX_CONNECTIONS': '3', 'WIRETAG_THREADS': '1'})
try:
    held = [socket.create_connection(('127.0.0.1', s.port)) for _ in range(3)]
    time.sleep(0.2)
    extra = socket.create_connection(('127.0.0.1', s.port))
    extra.sendall(b'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    extra.settimeout(1.0)
    try:
        got = extra.recv(100)
    except socket.timeout:
        got = None
    check(got is None, 'a fourth connection is not served while three are held: %r' % got)
    held[0].close()
    extra.settimeout(10)
    got = extra.recv(100)
    check(got.startswith(b'HTTP/1.1 200'), 'it is served once one closes: %r' % got[:40])
    for c in held[1:] + [extra]:
        c.close()
finally:
    check(s.stop() == 0, 'exit 0')

# Limits below their minimum are refused at start.
for var, val in (('WIRETAG_MAX_HEADERS', '1000'), ('WIRETAG_BATCH_MAX_DOCS', '0'),
                 ('WIRETAG_TIMEOUT', '0'), ('WIRETAG_DRAIN_DELAY', 'soon')):
    try:
        Server(env={var: val})
        check(False, '%s=%s is refused' % (var, val))
    except RuntimeError as e:
        check(var in str(e) or 'must' in str(e), '%s=%s is refused: %s' % (var, val, str(e)[-120:]))
done('limits')
