"""Helpers for the end-to-end tests: start the real wiretag binary on 127.0.0.1 with an
ephemeral port, talk HTTP to it with a real client, stop it with a signal."""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

BIN = os.environ.get('WIRETAG_BIN', 'build/wiretag')
SRC = os.environ.get('WIRETAG_SOURCE_DIR', os.getcwd())
E2E_DATA = os.path.join(SRC, 'tests', 'data', 'e2e')

failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print('FAIL: ' + what, file=sys.stderr)
    return cond


def done(name):
    print('%s: %s' % (name, 'ok' if not failures else '%d failure(s)' % failures), file=sys.stderr)
    sys.exit(1 if failures else 0)


def free_port():
    """A loopback port that nothing listens on (bound, then released)."""
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def read_until_close(sock):
    """Everything `sock` sends until it closes or its timeout passes; returns (bytes, closed)."""
    out = b''
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return out, True
            out += chunk
    except socket.timeout:
        return out, False


class Server:
    """A running `wiretag serve`; its log goes to a temporary file."""

    def __init__(self, *args, data=E2E_DATA, env=None, wait_ready=True):
        self.log = tempfile.NamedTemporaryFile(prefix='wiretag-log-', delete=False)
        cmd = [BIN, 'serve', '--listen', '127.0.0.1:0', '--bundled-data', data] + list(args)
        e = dict(os.environ)
        e.update(env or {})
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.log, env=e)
        self.port = None
        deadline = time.time() + 20
        while time.time() < deadline and self.port is None:
            m = re.search(r'\(port (\d+)\)', self.read_log())
            if m:
                self.port = int(m.group(1))
            elif self.proc.poll() is not None:
                raise RuntimeError('wiretag exited early:\n' + self.read_log())
            else:
                time.sleep(0.02)
        if self.port is None:
            self.stop()
            raise RuntimeError('wiretag did not start:\n' + self.read_log())
        if wait_ready:
            while time.time() < deadline:
                if self.request('GET', '/ready')[0] == 200:
                    break
                time.sleep(0.02)

    def read_log(self):
        with open(self.log.name, encoding='utf-8', errors='replace') as f:
            return f.read()

    def wait_log(self, needle, timeout=5.0):
        """The log once it holds `needle` (request lines are written when a request completes,
        just after its reply went out), or as it is after `timeout` seconds."""
        deadline = time.time() + timeout
        log = self.read_log()
        while needle not in log and time.time() < deadline:
            time.sleep(0.02)
            log = self.read_log()
        return log

    def request(self, method, path, body=None, headers=None, timeout=30):
        """One request on a new connection; returns (status, headers dict, body bytes)."""
        c = http.client.HTTPConnection('127.0.0.1', self.port, timeout=timeout)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            c.close()

    def post_json(self, obj, path='/v1/tag'):
        body = obj if isinstance(obj, (bytes, str)) else json.dumps(obj)
        return self.request('POST', path, body=body, headers={'Content-Type': 'application/json'})

    def raw(self, data, read_timeout=5.0):
        """Sends raw bytes on a new socket; returns everything read until close or timeout."""
        s = socket.create_connection(('127.0.0.1', self.port), timeout=read_timeout)
        try:
            s.sendall(data)
            return read_until_close(s)[0]
        finally:
            s.close()

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        code = self.proc.returncode
        if code < 0 and -code not in (sig, signal.SIGKILL):
            # Died of a signal nobody sent (an abort, a crash): the log is the only witness.
            sys.stderr.write('wiretag died of signal %d; its log:\n%s\n'
                             % (-code, self.read_log()[-8000:]))
        os.unlink(self.log.name)
        return code


def problem(body):
    """Parses a problem+json body and checks its required members."""
    p = json.loads(body)
    for k in ('type', 'title', 'status', 'detail', 'code'):
        check(k in p, 'problem body has %r: %r' % (k, p))
    return p
