"""Graceful shutdown of the real binary: --drain-delay keeps serving (new connections too) with
/ready at 503 and `Connection: close` on every reply before the listener closes; a second
SIGTERM cuts the delay short; and SIGTERM in the middle of a burst of 16 keep-alive clients
loses none of the requests that were sent (connections refused after the listener closed are
counted apart: they were never sent), then exits 0."""
import http.client
import json
import os
import re
import signal
import socket
import threading
import time

from wtlib import Server, check, done

ARTICLE = json.dumps({'text': ('Russian and NATO officials met in Moscow. Anna Kowalczyk said the '
                               'United States and Slovakia would sign New START. ') * 20})
HEADERS = {'Content-Type': 'application/json'}


def log_time(line):
    m = re.match(r'^(\d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)Z', line)
    return time.mktime(time.strptime(m.group(1)[:19], '%Y-%m-%dT%H:%M:%S')) + float('0.' + m.group(1)[20:])


def first_line(log, needle):
    lines = [ln for ln in log.splitlines() if needle in ln]
    return lines[0] if lines else None


# 1. --drain-delay: serving on, marked draining, then the listener closes.
s = Server('--drain-delay', '2', '--drain', '10')
try:
    keep = http.client.HTTPConnection('127.0.0.1', s.port, timeout=10)
    keep.request('GET', '/ready')
    r = keep.getresponse()
    r.read()
    check(r.status == 200 and (r.getheader('Connection') or '').lower() != 'close',
          'before SIGTERM: ready, keep-alive')
    t0 = time.time()
    s.proc.send_signal(signal.SIGTERM)
    s.wait_log('draining')
    keep.request('GET', '/ready')
    r = keep.getresponse()
    p = json.loads(r.read())
    check(r.status == 503 and p['code'] == 'shutting_down', '/ready is 503 while draining: %r' % p)
    check((r.getheader('Connection') or '').lower() == 'close', 'draining replies close')
    # New connections are still accepted and served during the delay.
    served = 0
    while time.time() - t0 < 1.5:
        st, h, b = s.request('POST', '/v1/tag', body=ARTICLE, headers=HEADERS)
        check(st == 200 and h.get('connection', '').lower() == 'close',
              'a new connection during the delay is served and closed (%d)' % st)
        served += st == 200
        st, h, b = s.request('GET', '/health')
        check(st == 200, '/health stays 200 while draining')
        time.sleep(0.05)
    check(served >= 5, 'requests served during the delay: %d' % served)
    check(s.proc.poll() is None, 'still running during the delay')
    # After the delay the listener is closed.
    deadline = time.time() + 10
    refused = False
    while time.time() < deadline and not refused:
        try:
            socket.create_connection(('127.0.0.1', s.port), timeout=1).close()
            time.sleep(0.05)
        except OSError:
            refused = True
    check(refused and time.time() - t0 >= 1.9, 'the listener closes after the delay (%.2f s)'
          % (time.time() - t0))
    s.proc.wait(timeout=15)
    check(s.proc.returncode == 0, 'exit 0 (%r)' % s.proc.returncode)
    log = s.read_log()
    d, q = first_line(log, 'draining: /ready answers 503'), first_line(log, 'shutting down')
    check(d and '2 s' in d and q and log_time(q) - log_time(d) >= 1.9,
          'the log shows the delay between draining and closing: %r %r' % (d, q))
finally:
    s.stop()

# 2. A second SIGTERM cuts the delay short; the variable sets the delay too.
s = Server(env={'WIRETAG_DRAIN_DELAY': '60'})
try:
    s.proc.send_signal(signal.SIGTERM)
    log = s.wait_log('draining')
    check('still serving for 60 s' in log, 'WIRETAG_DRAIN_DELAY sets the delay')
    t0 = time.time()
    s.proc.send_signal(signal.SIGTERM)
    s.proc.wait(timeout=15)
    check(s.proc.returncode == 0 and time.time() - t0 < 5, 'a second SIGTERM ends the delay: %r'
          % s.proc.returncode)
    check('second signal' in s.read_log(), 'and says so')
finally:
    s.stop()

# 3. SIGTERM during a burst of 16 keep-alive clients: every request sent gets its answer.
s = Server('--drain', '10')
lock = threading.Lock()
stats = {'ok': 0, 'failed': 0, 'refused': 0, 'closing': 0}
failures = []
stop = threading.Event()


def client(n):
    conn = http.client.HTTPConnection('127.0.0.1', s.port, timeout=30)
    while not stop.is_set():
        if conn.sock is None:
            # A new connection: refused once the listener is closed, which is no sent request.
            try:
                conn.connect()
            except ConnectionRefusedError:
                with lock:
                    stats['refused'] += 1
                return
        try:
            conn.request('POST', '/v1/tag', body=ARTICLE, headers=HEADERS)
            r = conn.getresponse()
            body = r.read()
            ok = r.status == 200 and json.loads(body)['entities']
            closing = (r.getheader('Connection') or '').lower() == 'close'
        except (OSError, http.client.HTTPException, ValueError) as e:
            ok, closing = False, True
            with lock:
                failures.append('client %d: %r' % (n, e))
        with lock:
            stats['ok' if ok else 'failed'] += 1
            stats['closing'] += closing
        if closing:
            conn.close()
    conn.close()


try:
    threads = [threading.Thread(target=client, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    with lock:
        before = stats['ok']
    s.proc.send_signal(signal.SIGTERM)
    s.proc.wait(timeout=30)
    # Each client goes on until its reconnection is refused; `stop` is only a safety net.
    for t in threads:
        t.join(timeout=30)
    stop.set()
    check(before > 50, 'the burst was running before SIGTERM (%d answers)' % before)
    check(stats['failed'] == 0, 'no request that was sent failed: %r %r' % (stats, failures[:5]))
    check(stats['ok'] > before, 'requests in flight at SIGTERM were answered: %r' % stats)
    check(stats['closing'] >= 1, 'draining answers carried Connection: close: %r' % stats)
    check(stats['refused'] == 16, 'every client ended on a refused connection: %r' % stats)
    check(s.proc.returncode == 0, 'exit 0 (%r)' % s.proc.returncode)
    print('drain burst: %r' % stats)
finally:
    stop.set()
    s.stop()
done('drain')
