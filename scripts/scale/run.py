#!/usr/bin/env python3
"""scripts/scale-test's driver: three `wiretag serve` replicas on 127.0.0.1 behind haproxy,
wrk POSTing an article through haproxy while one replica is stopped, killed or reloaded, and a
table of what the client saw.

    run.py WIRETAG_BINARY SOURCE_DIR

Everything listens on 127.0.0.1, every wait is bounded, and the whole run stops itself after
SCALE_DEADLINE seconds (default 300). SCALE_HAPROXY_TEMPLATE names another haproxy template
(for experiments with its settings)."""
import csv
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tests', 'e2e'))
from wtlib import free_port  # noqa: E402  (the project's loopback helpers)

SECONDS = int(os.environ.get('SCALE_SECONDS', '12'))
CONNECTIONS = int(os.environ.get('SCALE_CONNECTIONS', '64'))
THREADS = int(os.environ.get('SCALE_REPLICA_THREADS', '1'))
DEADLINE = int(os.environ.get('SCALE_DEADLINE', '300'))
DRAIN = 10

LAYER_V1 = """# scale-test: a newsroom layer, first version.
organization:scale-test-desk | Scale Test Desk | alias:the test desk | kind=media
"""
LAYER_V2 = LAYER_V1.replace('first version', 'second version') + \
    "person:scale-test-editor | Petra Quellwasser | short:Quellwasser | roles=editor\n"



def http_get(port, path, timeout=2):
    """(status, body) of GET http://127.0.0.1:PORT/PATH, or (0, error) when it cannot connect."""
    try:
        with urllib.request.urlopen('http://127.0.0.1:%d%s' % (port, path), timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError as e:
        return 0, str(e)


class Replica:
    """One `wiretag serve` on a fixed loopback port, restartable on the same port."""

    def __init__(self, name, binary, port, layer, workdir):
        self.name, self.binary, self.port, self.layer = name, binary, port, layer
        self.log_path = os.path.join(workdir, name + '.log')
        self.proc = None

    def start(self):
        log = open(self.log_path, 'ab')
        self.proc = subprocess.Popen(
            [self.binary, 'serve', '--listen', '127.0.0.1:%d' % self.port, '--threads',
             str(THREADS), '--data', self.layer, '--drain', str(DRAIN)],
            stdout=subprocess.DEVNULL, stderr=log)
        log.close()

    def ready(self):
        """The data id /ready reports, or None when it is not ready."""
        status, body = http_get(self.port, '/ready')
        m = re.search(r'"data":"([^"]+)"', body) if status == 200 else None
        return m.group(1) if m else None

    def wait_ready(self, timeout=30, not_data=None):
        deadline = time.time() + timeout
        while time.time() < deadline:
            data = self.ready()
            if data and data != not_data:
                return data
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError('%s not ready:\n%s' % (self.name, self.tail_log()))

    def signal(self, sig):
        self.proc.send_signal(sig)

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return 'killed after %d s' % timeout

    def memory_kb(self):
        """VmRSS and VmHWM in kB from /proc/PID/status."""
        with open('/proc/%d/status' % self.proc.pid) as f:
            fields = dict(line.split(':', 1) for line in f if ':' in line)
        return tuple(int(fields[k].split()[0]) for k in ('VmRSS', 'VmHWM'))

    def tail_log(self, n=8):
        with open(self.log_path, encoding='utf-8', errors='replace') as f:
            return ''.join(f.readlines()[-n:])

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.wait_exit(DRAIN + 5)


class Haproxy:
    """haproxy in the foreground with scripts/scale/haproxy.cfg.in filled in."""

    def __init__(self, template, port, replicas, workdir):
        self.port = port
        self.socket_path = os.path.join(workdir, 'haproxy.sock')
        self.cfg = os.path.join(workdir, 'haproxy.cfg')
        self.log_path = os.path.join(workdir, 'haproxy.log')
        text = open(template).read().replace('@SOCKET@', self.socket_path)
        text = text.replace('@BIND@', '127.0.0.1:%d' % port)
        for i, r in enumerate(replicas, 1):
            text = text.replace('@SERVER%d@' % i, '127.0.0.1:%d' % r.port)
        with open(self.cfg, 'w') as f:
            f.write(text)
        self.proc = None

    def start(self, replicas):
        subprocess.run(['haproxy', '-c', '-q', '-f', self.cfg], check=True)
        log = open(self.log_path, 'ab')
        self.proc = subprocess.Popen(['haproxy', '-db', '-f', self.cfg],
                                     stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.time() + 20
        while time.time() < deadline and self.servers_up() < len(replicas):
            time.sleep(0.1)
        if self.servers_up() < len(replicas):
            raise RuntimeError('haproxy did not see the replicas up:\n' + self.log_text())

    def command(self, cmd):
        s = socket.socket(socket.AF_UNIX)
        try:
            s.settimeout(2)
            s.connect(self.socket_path)
            s.sendall(cmd.encode() + b'\n')
            out = b''
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    return out.decode()
                out += chunk
        except OSError:
            return ''
        finally:
            s.close()

    def stats(self):
        """Rows of `show stat` as dicts, keyed by server name."""
        text = self.command('show stat').lstrip('# ')
        return {row['svname']: row for row in csv.DictReader(io.StringIO(text))
                if row.get('pxname') == 'wiretag'}

    def servers_up(self):
        return sum(1 for name, row in self.stats().items()
                   if name.startswith('wiretag') and row.get('status') == 'UP')

    def retries(self):
        """Requests the backend has sent again so far (connection or response failures)."""
        return int(self.stats().get('BACKEND', {}).get('wretr') or 0)

    def log_text(self):
        with open(self.log_path, encoding='utf-8', errors='replace') as f:
            return f.read()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def start_wrk(lua, article, port):
    env = dict(os.environ, WIRETAG_ARTICLE=article)
    return subprocess.Popen(
        ['wrk', '-t', '2', '-c', str(CONNECTIONS), '-d', '%ds' % SECONDS, '--timeout', '5s',
         '-s', lua, 'http://127.0.0.1:%d/v1/tag' % port],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)


def finish_wrk(proc):
    out = proc.communicate(timeout=SECONDS + 30)[0].decode()
    m = re.search(r'^SCALE (.*)$', out, re.M)
    if not m:
        raise RuntimeError('wrk printed no summary:\n' + out)
    fields = dict(kv.split('=', 1) for kv in m.group(1).split())
    res = {k: int(v) for k, v in fields.items() if v.isdigit()}
    res['statuses'] = fields.get('statuses', '-')
    res['p99_ms'] = fields.get('p99_ms', '?')
    res['errors'] = res['connect'] + res['read'] + res['write'] + res['timeout']
    return res


def scenario_baseline(replicas, layer):
    time.sleep(SECONDS)
    return 'no event'


def scenario_sigterm(replicas, layer):
    """SIGTERM mid-run, then the same replica started again (a rolling restart of one)."""
    r = replicas[0]
    time.sleep(SECONDS / 4)
    t0 = time.time()
    r.signal(signal.SIGTERM)
    rc = r.wait_exit(DRAIN + 5)
    took = time.time() - t0
    time.sleep(1)
    r.start()
    r.wait_ready()
    return '%s exit %s after %.2f s, restarted' % (r.name, rc, took)


def scenario_sigkill(replicas, layer):
    """SIGKILL mid-run, then the replica started again two seconds later."""
    r = replicas[1]
    time.sleep(SECONDS / 4)
    r.signal(signal.SIGKILL)
    r.wait_exit(5)
    time.sleep(2)
    r.start()
    r.wait_ready()
    return '%s killed, restarted' % r.name


def scenario_reload(replicas, layer):
    """New data in the layer directory, then SIGHUP to one replica at a time."""
    old = replicas[0].ready()
    time.sleep(SECONDS / 6)
    with open(os.path.join(layer, 'scale.gaz'), 'w') as f:
        f.write(LAYER_V2)
    ids = []
    for r in replicas:
        r.signal(signal.SIGHUP)
        ids.append(r.wait_ready(timeout=30, not_data=old))
        time.sleep(SECONDS / 6)
    after = [r.ready() for r in replicas]
    same = len(set(after)) == 1 and after[0] != old and after[0] == ids[0]
    return 'data %s -> %s on %s' % (old, '/'.join(x or 'none' for x in after),
                                   'every replica' if same else 'NOT every replica')


SCENARIOS = [
    ('baseline', scenario_baseline, True),
    ('SIGTERM + restart', scenario_sigterm, True),
    ('SIGKILL + restart', scenario_sigkill, False),
    ('rolling SIGHUP reload', scenario_reload, True),
]


def memory_line(replicas, when):
    parts = []
    for r in replicas:
        rss, hwm = r.memory_kb()
        parts.append('%s %.1f/%.1f' % (r.name, rss / 1024, hwm / 1024))
    return 'memory %s (VmRSS/VmHWM MiB): %s' % (when, ', '.join(parts))


def run(binary, top, workdir):
    here = os.path.join(top, 'scripts', 'scale')
    layer = os.path.join(workdir, 'layer')
    os.mkdir(layer)
    with open(os.path.join(layer, 'scale.gaz'), 'w') as f:
        f.write(LAYER_V1)
    replicas = [Replica('wiretag%d' % i, binary, free_port(), layer, workdir) for i in (1, 2, 3)]
    template = os.environ.get('SCALE_HAPROXY_TEMPLATE', os.path.join(here, 'haproxy.cfg.in'))
    proxy = Haproxy(template, free_port(), replicas, workdir)
    rows, notes, lossless = [], [], True
    try:
        for r in replicas:
            r.start()
        for r in replicas:
            r.wait_ready()
        notes.append(memory_line(replicas, 'after loading'))
        proxy.start(replicas)
        print('scale-test: haproxy on 127.0.0.1:%d -> replicas on %s; %d s per scenario, '
              '%d connections, %d worker thread(s) per replica' % (
                  proxy.port, ', '.join(str(r.port) for r in replicas), SECONDS, CONNECTIONS,
                  THREADS), flush=True)
        for name, fn, graceful in SCENARIOS:
            retries0 = proxy.retries()
            log0 = len(proxy.log_text().splitlines())
            wrk = start_wrk(os.path.join(here, 'tag.lua'), os.path.join(here, 'article.json'),
                            proxy.port)
            note = fn(replicas, layer)
            res = finish_wrk(wrk)
            abnormal = proxy.log_text().splitlines()[log0:]
            res.update(name=name, note=note, retries=proxy.retries() - retries0)
            rows.append(res)
            lost = res['errors'] + res['non2xx']
            if graceful and (lost or 'NOT' in note):
                lossless = False
            print('scale-test: %-22s %d requests, %d lost; %s' % (name, res['requests'], lost,
                                                                 note), flush=True)
            for line in abnormal[:3]:  # haproxy logs only retried or failed sessions
                print('    haproxy log: ' + line)
            if name == 'baseline':
                notes.append(memory_line(replicas, 'after the baseline load'))
        notes.append(memory_line(replicas, 'at the end (after a reload)'))
    finally:
        proxy.stop()
        for r in replicas:
            r.stop()
    return rows, notes, lossless


def print_table(rows, notes):
    head = ('scenario', 'requests', 'errors', 'non-2xx', 'p99 ms', 'haproxy retries', 'note')
    print()
    print('| %s |' % ' | '.join(head))
    print('|%s|' % '|'.join('---' for _ in head))
    for r in rows:
        print('| %s | %d | %d | %d | %s | %d | %s |' % (
            r['name'], r['requests'], r['errors'], r['non2xx'], r['p99_ms'], r['retries'],
            r['note']))
    print()
    statuses = sorted({r['statuses'] for r in rows if r['statuses'] != '-'})
    print('errors: socket errors seen by wrk (connect, read, write, timeout); non-2xx: answers '
          'other than 2xx (statuses: %s); haproxy retries: attempts it sent again, to another '
          'replica.' % (', '.join(statuses) or 'none'))
    for n in notes:
        print(n)


def on_alarm(signum, frame):
    raise TimeoutError('the run took longer than %d s (SCALE_DEADLINE)' % DEADLINE)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(DEADLINE)  # the whole run is bounded, whatever hangs
    for tool in ('haproxy', 'wrk'):
        if not shutil.which(tool):
            print('scale-test: %s is not installed' % tool, file=sys.stderr)
            return 1
    workdir = tempfile.mkdtemp(prefix='wiretag-scale-')
    try:
        rows, notes, lossless = run(os.path.abspath(sys.argv[1]), sys.argv[2], workdir)
    except Exception as e:  # report, then keep the logs for a look
        print('scale-test: failed: %s\nlogs in %s' % (e, workdir), file=sys.stderr)
        return 1
    print_table(rows, notes)
    shutil.rmtree(workdir)
    print('scale-test: %s' % ('graceful scenarios lost no request' if lossless
                              else 'FAILED: a graceful scenario lost requests'))
    return 0 if lossless else 1


if __name__ == '__main__':
    sys.exit(main())
