"""`wiretag health URL`, the container health check: exit 0 on a 2xx answer and 1 otherwise
(an error status, a closed port, a silent or non-HTTP peer, a malformed URL), always with one
line saying why."""
import socket
import subprocess
import threading
import time

from wtlib import BIN, Server, check, done, free_port


def health(*args, timeout=20):
    """Runs `wiretag health ARGS`; returns (exit status, stdout + stderr, seconds taken)."""
    t0 = time.time()
    p = subprocess.run([BIN, 'health'] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    out = (p.stdout + p.stderr).decode('utf-8', 'replace')
    return p.returncode, out, time.time() - t0


def expect(args, status, words, what):
    rc, out, _ = health(*args)
    check(rc == status, '%s: exit %d, got %d: %r' % (what, status, rc, out))
    check(len(out.strip().splitlines()) == 1, '%s: one line: %r' % (what, out))
    for w in words:
        check(w in out, '%s: says %r: %r' % (what, w, out))


def one_shot_peer(reply):
    """A listener that answers the first connection with `reply` bytes (or nothing if None)."""
    srv = socket.socket()
    srv.bind(('127.0.0.1', 0))
    srv.listen(4)

    def serve():
        c, _ = srv.accept()
        c.recv(4096)
        if reply is not None:
            c.sendall(reply)
            c.close()
        else:
            time.sleep(3)
            c.close()
        srv.close()

    threading.Thread(target=serve, daemon=True).start()
    return srv.getsockname()[1]


s = Server()
try:
    base = 'http://127.0.0.1:%d' % s.port
    expect([base + '/ready'], 0, ['200', 'ready'], 'a ready server')
    expect([base + '/health'], 0, ['200'], '/health')
    expect(['--timeout', '5', 'http://localhost:%d/ready' % s.port], 0, ['200'], 'localhost')
    expect(['--timeout=0.5', base + '/version'], 0, ['200'], '--timeout=')
    expect([base], 0, ['200'], 'no path means /')
    expect([base + '/no-such-path'], 1, ['404', 'not_found'], 'a 404 path')
    expect([base + '/v1/tag'], 1, ['405'], 'a wrong method')
finally:
    s.stop()

expect(['http://127.0.0.1:%d/ready' % free_port()], 1, ['cannot connect'], 'a closed port')

for url, why in [('127.0.0.1:8080/ready', 'expected http://'),
                 ('https://127.0.0.1/ready', 'only http://'),
                 ('http://example.com/ready', 'must be an IPv4 address'),
                 ('http://:8080/ready', 'no host'),
                 ('http://[::1/ready', "closing ']'"),
                 ('http://[1.2.3.4]/ready', 'not an IPv6 address'),
                 ('http://127.0.0.1:0/ready', 'port'),
                 ('http://127.0.0.1:70000/ready', 'port'),
                 ('http://127.0.0.1:80x/ready', 'port'),
                 ('http://127.0.0.1/a b', 'space or control')]:
    expect([url], 1, ['malformed URL', why], 'malformed %r' % url)

expect([], 1, ['no URL'], 'no URL')
expect(['--timeout', '0', 'http://127.0.0.1/'], 1, ['--timeout'], 'a zero timeout')
expect(['--timeout'], 1, ['needs a value'], 'a missing timeout')
expect(['--bogus', 'http://127.0.0.1/'], 1, ['unknown option'], 'an unknown option')
rc, out, _ = health('--help')
check(rc == 0 and 'usage: wiretag health' in out, '--help: %r' % out)

# A peer that accepts and never answers: the timeout ends the check.
rc, out, took = health('--timeout', '0.5', 'http://127.0.0.1:%d/ready' % one_shot_peer(None))
check(rc == 1 and 'no response within 0.5 s' in out, 'a silent peer times out: %r' % out)
check(took < 2.5, 'the timeout is kept (%.2f s)' % took)

port = one_shot_peer(b'SSH-2.0-OpenSSH_9.2\r\n')
expect(['http://127.0.0.1:%d/' % port], 1, ['not an HTTP/1.x response'], 'a peer speaking SSH')
port = one_shot_peer(b'HTTP/1.0 204 No Content\r\n\r\n')
expect(['http://127.0.0.1:%d/' % port], 0, ['204 No Content'], 'any 2xx is healthy')
port = one_shot_peer(b'HTTP/1.1 301 Moved Permanently\r\nLocation: /x\r\n\r\n')
expect(['http://127.0.0.1:%d/' % port], 1, ['301'], 'a redirect is not healthy')
port = one_shot_peer(b'')
expect(['http://127.0.0.1:%d/' % port], 1, ['without a response'], 'a peer that hangs up')

# IPv6 loopback literal.
s6 = Server('--listen', '[::1]:0', wait_ready=False)
try:
    url = 'http://[::1]:%d/ready' % s6.port
    deadline = time.time() + 20
    rc, out, _ = health(url)
    while rc != 0 and time.time() < deadline:
        time.sleep(0.05)
        rc, out, _ = health(url)
    check(rc == 0 and '200' in out, 'an IPv6 literal: %r' % out)
    expect(['http://localhost:%d/ready' % s6.port], 0, ['200'], 'localhost falls back to ::1')
finally:
    s6.stop()

done('health_cmd')
