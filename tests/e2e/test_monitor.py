"""/health and /ready as a monitor sees them: Debian's monitoring-plugins `check_http` against
the real binary while the data loads (a large generated layer makes the load last seconds),
when ready, during a reload (the old data keeps serving), and while draining; status, body
strings (-s), expected statuses (-e) and response-time thresholds (-w/-c)."""
import os
import shutil
import signal
import subprocess
import tempfile
import time

from wtlib import Server, check, done

CHECK_HTTP = '/usr/lib/nagios/plugins/check_http'
OK, WARNING, CRITICAL = 0, 1, 2


def check_http(port, *args):
    """Runs check_http against 127.0.0.1:port; returns (exit status, its one line)."""
    p = subprocess.run([CHECK_HTTP, '-I', '127.0.0.1', '-p', str(port), '-t', '10'] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
    return p.returncode, p.stdout.decode(errors='replace').strip()


def expect(port, want, args, needle, what):
    rc, out = check_http(port, *args)
    check(rc == want and needle in out, '%s: check_http %s -> %d %r' % (what, ' '.join(args), rc, out))
    return rc, out


check(os.access(CHECK_HTTP, os.X_OK), 'check_http is installed (monitoring-plugins)')

# A layer of 150,000 generated names: loading it takes seconds, long enough to look at the
# service while it loads and while it reloads.
layer = tempfile.mkdtemp(prefix='wiretag-monitor-')
with open(os.path.join(layer, 'many.gaz'), 'w') as f:
    f.write('# generated names to make loading slow\n')
    for i in range(150000):
        f.write('person:gen-%d | Genname%d Gensurname%d\n' % (i, i, i))

s = Server('--data', layer, wait_ready=False)
try:
    # While loading: alive, not ready.
    expect(s.port, CRITICAL, ['-u', '/ready'], '503', 'loading: /ready is CRITICAL')
    expect(s.port, OK, ['-u', '/ready', '-e', '503', '-s', 'not_ready'], 'HTTP OK',
           'loading: /ready answers 503 not_ready')
    expect(s.port, OK, ['-u', '/health', '-s', '"status":"ok"', '-w', '1', '-c', '2'], 'HTTP OK',
           'loading: /health is OK (it never touches the data)')
    check('ready in' not in s.read_log(), 'the checks above ran while the data was loading')

    # Wait as a monitor would: poll /ready until it is OK.
    deadline = time.time() + 120
    while time.time() < deadline and check_http(s.port, '-u', '/ready')[0] != OK:
        time.sleep(0.2)
    expect(s.port, OK, ['-u', '/ready', '-s', '"status":"ready"', '-w', '0.5', '-c', '2'],
           'HTTP OK', 'ready: /ready is OK with its body and within the time limits')
    expect(s.port, OK, ['-u', '/health', '-s', '"status":"ok"'], 'HTTP OK', 'ready: /health')
    expect(s.port, CRITICAL, ['-u', '/health', '-s', 'no-such-string'], 'not found',
           'a missing body string is CRITICAL')
    expect(s.port, WARNING, ['-u', '/health', '-w', '0.0000001', '-c', '10'], 'WARNING',
           'over the warning response time')
    expect(s.port, CRITICAL, ['-u', '/health', '-w', '0.0000001', '-c', '0.0000002'], 'CRITICAL',
           'over the critical response time')
    expect(s.port, OK, ['-u', '/metrics', '-s', 'wiretag_build_info'], 'HTTP OK', '/metrics')
    expect(s.port, OK, ['-u', '/version', '-s', '"api":"v1"'], 'HTTP OK', '/version')

    # During a reload the old data serves: /ready stays OK the whole time.
    gen1 = check_http(s.port, '-u', '/ready', '-s', '"generation":1')[0]
    check(gen1 == OK, 'generation 1 before the reload')
    s.proc.send_signal(signal.SIGHUP)
    seen = []
    deadline = time.time() + 120
    while time.time() < deadline and 'SIGHUP: data ' not in s.read_log():
        seen.append(check_http(s.port, '-u', '/ready', '-s', '"status":"ready"')[0])
    check(seen and set(seen) == {OK}, '/ready stays OK during a reload (%d checks: %r)'
          % (len(seen), sorted(set(seen))))
    expect(s.port, OK, ['-u', '/ready', '-s', '"generation":2'], 'HTTP OK', 'generation 2 after')
finally:
    code = s.stop()
    shutil.rmtree(layer, ignore_errors=True)
check(code == 0, 'exit 0')

# Draining: from SIGTERM on, /ready is CRITICAL (503 shutting_down) while /health stays OK,
# for the whole --drain-delay; then the listener closes and the monitor sees it go.
s = Server('--drain-delay', '3')
try:
    expect(s.port, OK, ['-u', '/ready'], 'HTTP OK', 'before SIGTERM')
    s.proc.send_signal(signal.SIGTERM)
    s.wait_log('draining')
    expect(s.port, CRITICAL, ['-u', '/ready'], '503', 'draining: /ready is CRITICAL')
    expect(s.port, OK, ['-u', '/ready', '-e', '503', '-s', 'shutting_down'], 'HTTP OK',
           'draining: /ready answers 503 shutting_down')
    expect(s.port, OK, ['-u', '/health', '-s', '"status":"ok"'], 'HTTP OK',
           'draining: /health stays OK')
    s.proc.wait(timeout=30)
    check(s.proc.returncode == 0, 'exit 0 after the drain (%r)' % s.proc.returncode)
    expect(s.port, CRITICAL, ['-u', '/health'], 'onnection refused', 'stopped: no connection')
finally:
    s.stop()
done('monitor')
