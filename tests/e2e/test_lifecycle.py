"""Start-up and graceful shutdown on the real binary: /ready turns 503 when draining, requests
in flight finish, new connections are refused, and the process exits 0."""
import http.client
import json
import signal
import socket
import time

from wtlib import Server, check, done

s = Server('--drain', '10')
try:
    # A request in flight: headers and half of the body sent.
    slow = socket.create_connection(('127.0.0.1', s.port), timeout=10)
    body = json.dumps({'text': 'Russian and NATO officials met.', 'id': 'slow'}).encode()
    slow.sendall(b'POST /v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
                 b'Content-Length: %d\r\n\r\n' % len(body) + body[:10])
    # An idle keep-alive connection opened before the signal.
    keep = http.client.HTTPConnection('127.0.0.1', s.port, timeout=10)
    keep.request('GET', '/health')
    r = keep.getresponse()
    r.read()
    check(r.status == 200, 'health before shutdown')
    time.sleep(0.2)

    s.proc.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    check(s.proc.poll() is None, 'the process waits for the request in flight')

    keep.request('GET', '/ready')
    r = keep.getresponse()
    p = json.loads(r.read())
    check(r.status == 503 and p['code'] == 'shutting_down', '/ready is 503 while draining: %r' % p)
    check(r.getheader('Connection', '').lower() == 'close', 'draining replies close the connection')

    refused = False
    try:
        socket.create_connection(('127.0.0.1', s.port), timeout=2).close()
    except OSError:
        refused = True
    check(refused, 'no new connections while draining')

    slow.sendall(body[10:])
    reply = b''
    while b'\r\n\r\n' not in reply or not reply.rstrip().endswith(b'}'):
        chunk = slow.recv(65536)
        if not chunk:
            break
        reply += chunk
    check(reply.startswith(b'HTTP/1.1 200'), 'the request in flight finished: %r' % reply[:40])
    check(b'"id":"slow"' in reply, 'and got its own response')
    slow.close()
    s.proc.wait(timeout=15)
    check(s.proc.returncode == 0, 'exit status 0 after draining (got %r)' % s.proc.returncode)
    log = s.read_log()
    check('shutting down' in log and 'stopped' in log, 'shutdown is logged')
finally:
    s.stop()
done('lifecycle')
