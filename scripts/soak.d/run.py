#!/usr/bin/env python3
"""scripts/soak's driver: one `wiretag serve` with the bundled data on 127.0.0.1, driven at
saturation by wrk with mix.lua (valid JSON, text and HTML articles, and every kind of bad
request, each with the status it must get), its resident memory sampled from /proc/PID/status.

    run.py WIRETAG_BINARY SOURCE_DIR SECONDS

A warm-up run (SOAK_WARMUP seconds, default 10) comes first; then the measured run of SECONDS.
Exits 1 when a response had an unexpected status, any 5xx, a socket error or timeout, the
service died or did not stop cleanly, or resident memory grew more than SOAK_MAX_GROWTH_MB
(default 2) from the start to the end of the measured run."""
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tests', 'e2e'))
from wtlib import free_port  # noqa: E402  (the project's loopback helpers)

binary, src, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3])
WARMUP = int(os.environ.get('SOAK_WARMUP', '10'))
CONNECTIONS = int(os.environ.get('SOAK_CONNECTIONS', '64'))
WRK_THREADS = int(os.environ.get('SOAK_WRK_THREADS', '2'))
MAX_GROWTH_MB = float(os.environ.get('SOAK_MAX_GROWTH_MB', '2'))
MAX_BODY = 65536



def rss_kb(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def write_bodies(d):
    """The request bodies mix.lua sends, from the scale test's article."""
    with open(os.path.join(src, 'scripts', 'scale', 'article.json'), encoding='utf-8') as f:
        art = json.load(f)
    text = art['text']
    paras = [p for p in re.split(r'(?<=\.) ', text) if p]
    html = '<html><head><title>x</title><script>var a = "NATO";</script></head><body>' + \
        '<h1>%s</h1>' % art['title'] + ''.join(
            '<p>%s</p>' % (p.replace('NATO', '<b>NATO</b>', 1)) for p in paras) + '</body></html>'
    files = {
        'article.json': json.dumps(art).encode(),
        'article.txt': text.encode(),
        'article.html': html.encode(),
        'malformed.json': json.dumps(art).encode()[:-40],
        'invalid-utf8.txt': text.encode()[:1000] + b'\xc0\xaf' + text.encode()[1000:],
        'oversized.txt': (text.encode() * (MAX_BODY // len(text.encode()) + 2))[:MAX_BODY + 1000],
        'missing-text.json': json.dumps({'id': 'x', 'title': art['title']}).encode(),
    }
    for name, body in files.items():
        with open(os.path.join(d, name), 'wb') as f:
            f.write(body)


def wrk(port, secs, d):
    env = dict(os.environ, SOAK_DIR=d)
    p = subprocess.run(['wrk', '-t', str(WRK_THREADS), '-c', str(CONNECTIONS), '-d', '%ds' % secs,
                        '--timeout', '5s', '-s', os.path.join(src, 'scripts', 'soak.d', 'mix.lua'),
                        'http://127.0.0.1:%d/' % port], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=secs + 60)
    out = p.stdout.decode('utf-8', 'replace')
    m = re.search(r'^SOAK (.*)$', out, re.M)
    if p.returncode != 0 or not m:
        sys.exit('soak: wrk failed (exit %d):\n%s' % (p.returncode, out))
    return dict(kv.split('=', 1) for kv in m.group(1).split())


def pairs(s):
    return {} if s == '-' else {k: int(v) for k, v in (x.rsplit(':', 1) for x in s.split(','))}


def main():
    tmp = tempfile.mkdtemp(prefix='wiretag-soak-')
    port = free_port()
    # The request log goes nowhere: a minute at saturation writes hundreds of megabytes.
    proc = subprocess.Popen([binary, 'serve', '--listen', '127.0.0.1:%d' % port,
                             '--bundled-data', os.path.join(src, 'data'),
                             '--max-body', str(MAX_BODY)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    failures = []
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen('http://127.0.0.1:%d/ready' % port, timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit('soak: the service did not become ready')
        write_bodies(tmp)
        print('soak: wiretag pid %d on 127.0.0.1:%d; warm-up %d s, then %d s with %d '
              'connections' % (proc.pid, port, WARMUP, seconds, CONNECTIONS), flush=True)
        if WARMUP:
            wrk(port, WARMUP, tmp)

        samples = []  # (seconds since the start of the measured run, kB)
        stop = threading.Event()
        t0 = time.monotonic()

        def sample():
            while not stop.is_set() and proc.poll() is None:
                samples.append((time.monotonic() - t0, rss_kb(proc.pid)))
                stop.wait(0.5)

        sampler = threading.Thread(target=sample)
        sampler.start()
        r = wrk(port, seconds, tmp)
        stop.set()
        sampler.join()

        secs = int(r['duration_us']) / 1e6
        status = pairs(r['status'])
        unexpected = pairs(r['unexpected'])
        n = int(r['requests'])
        print('soak: %d requests in %.1f s: %.0f requests/s; latency p50 %s ms, p99 %s ms, '
              'max %s ms' % (n, secs, n / secs, r['p50_ms'], r['p99_ms'], r['max_ms']))
        print('soak: statuses: %s' % ', '.join('%s: %d' % kv for kv in sorted(status.items())))
        print('soak: socket errors: connect %s, read %s, write %s, timeout %s' % (
            r['connect'], r['read'], r['write'], r['timeout']))
        if unexpected:
            failures.append('unexpected statuses (kind:status): %s' % unexpected)
        fivexx = sum(v for k, v in status.items() if k.startswith('5'))
        if fivexx:
            failures.append('%d 5xx answers' % fivexx)
        errors = sum(int(r[k]) for k in ('connect', 'read', 'write', 'timeout'))
        if errors:
            failures.append('%d socket errors or timeouts' % errors)
        if n == 0:
            failures.append('no requests')

        # Memory: the median of the first and of the last five samples of the measured run.
        kb = [v for _, v in samples]
        if len(kb) >= 10:
            first, last = statistics.median(kb[:5]), statistics.median(kb[-5:])
            growth = (last - first) / 1024
            series = ' '.join('%.0fs:%.1f' % (t, v / 1024) for t, v in samples[::10])
            print('soak: resident memory (MB) every 5 s: %s' % series)
            print('soak: resident memory %.1f MB at the start, %.1f MB at the end (%+.2f MB), '
                  'peak %.1f MB' % (first / 1024, last / 1024, growth, max(kb) / 1024))
            if growth > MAX_GROWTH_MB:
                failures.append('resident memory grew %.2f MB (limit %.1f MB)' % (
                    growth, MAX_GROWTH_MB))
        else:
            failures.append('too few memory samples (%d)' % len(kb))

        try:
            with urllib.request.urlopen('http://127.0.0.1:%d/health' % port, timeout=2) as h:
                ok = h.status == 200
        except OSError:
            ok = False
        if not ok:
            failures.append('/health does not answer after the run')
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(tmp)
    if proc.returncode != 0:
        failures.append('the service exited %r at SIGTERM' % proc.returncode)
    for f in failures:
        print('soak: FAIL: %s' % f)
    print('soak: %s' % ('FAIL' if failures else 'ok'))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
