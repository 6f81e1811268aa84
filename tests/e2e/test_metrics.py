"""GET /metrics on the real binary after real traffic: Debian's `promtool check metrics` accepts
the exposition, every histogram is consistent, and the counters, the data figures and the
process figures say what actually happened."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from wtlib import E2E_DATA, Server, check, done

PROMTOOL = shutil.which('promtool') or '/usr/bin/promtool'
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse(text):
    """The samples of an exposition: {(name, frozenset(labels)): value}, and the families'
    declared types."""
    samples, types = {}, {}
    for line in text.splitlines():
        if line.startswith('# TYPE '):
            _, _, name, kind = line.split(' ', 3)
            types[name] = kind
        if not line or line.startswith('#'):
            continue
        m = SAMPLE.match(line)
        check(m is not None, 'a sample line parses: %r' % line)
        if m:
            labels = frozenset(LABEL.findall(m.group(2) or ''))
            samples[(m.group(1), labels)] = float(m.group(3))
    return samples, types


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())))


def promtool(text, what):
    p = subprocess.run([PROMTOOL, 'check', 'metrics'], input=text.encode(),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    check(p.returncode == 0 and not p.stdout.strip(),
          'promtool check metrics accepts the exposition %s: %r' % (what, p.stdout[:2000]))


def scrape(s):
    st, h, b = s.request('GET', '/metrics')
    check(st == 200, 'GET /metrics -> 200')
    check(h.get('content-type', '').startswith('text/plain; version=0.0.4'),
          'content type of the text format 0.0.4: %r' % h.get('content-type'))
    return b.decode()


def histograms_consistent(samples):
    """Every route's histogram: buckets non-decreasing in le order, +Inf equals _count, a sum
    above 0 once something was observed. Returns the routes seen."""
    routes = {dict(k[1])['route'] for k in samples if k[0] == 'wiretag_http_request_duration_seconds_count'}
    for route in routes:
        buckets = sorted(((float(dict(k[1])['le']), v) for k, v in samples.items()
                          if k[0] == 'wiretag_http_request_duration_seconds_bucket'
                          and dict(k[1])['route'] == route), key=lambda x: x[0])
        check(len(buckets) >= 10 and buckets[0][0] <= 0.0005 and buckets[-2][0] >= 5,
              '%s: buckets from sub-millisecond to seconds: %r' % (route, [b[0] for b in buckets]))
        counts = [c for _, c in buckets]
        check(counts == sorted(counts), '%s: buckets are cumulative: %r' % (route, counts))
        check(buckets[-1][0] == float('inf'), '%s: the last bucket is +Inf' % route)
        n = value(samples, 'wiretag_http_request_duration_seconds_count', route=route)
        total = value(samples, 'wiretag_http_request_duration_seconds_sum', route=route)
        check(counts[-1] == n, '%s: +Inf bucket (%r) equals _count (%r)' % (route, counts[-1], n))
        check(n == 0 or total > 0, '%s: sum > 0 after %r observations (%r)' % (route, n, total))
    return routes


started = time.time()
layer = tempfile.mkdtemp(prefix='wiretag-metrics-')
with open(os.path.join(layer, 'extra.gaz'), 'w') as f:
    f.write('# a layer for the reload counters\nperson:jan-marek | Jan Marek\n')
s = Server('--data', layer)
try:
    text0 = scrape(s)
    promtool(text0, 'before traffic')

    # Traffic of every kind: tagging (JSON, text, HTML, batch), errors, unknown paths, odd
    # methods, and a request still in flight during the scrape.
    entities = {'person': 0, 'organization': 0, 'country': 0, 'treaty': 0}
    tagged_bytes = 0
    tagged_docs = 0
    articles = [{'text': 'Russian troops and NATO. Anna Kowalczyk met US officials.',
                 'title': 'RUSSIA'},
                {'text': 'Jan Marek spoke in Moscow about New START.'},
                {'text': 'Ceská: Slovakia and the United States.', 'title': 'Dvě země'}]
    for a in articles:
        st, h, b = s.post_json(a)
        check(st == 200, 'tag request')
        for e in json.loads(b)['entities']:
            entities[e['type']] += 1
        tagged_docs += 1
        tagged_bytes += len(a['text'].encode()) + len(a.get('title', '').encode())
    st, h, b = s.request('POST', '/v1/tag', body='Slovakia and Russia.'.encode(),
                         headers={'Content-Type': 'text/plain'})
    for e in json.loads(b)['entities']:
        entities[e['type']] += 1
    tagged_docs += 1
    tagged_bytes += len('Slovakia and Russia.')
    st, h, b = s.request('POST', '/v1/tag/batch',
                         body=b'{"text": "NATO"}\n{"text": 1}\n{"text": "Slovakia"}\n',
                         headers={'Content-Type': 'application/x-ndjson'})
    for line in b.decode().split('\n'):
        if line and 'entities' in line:
            for e in json.loads(line)['entities']:
                entities[e['type']] += 1
    tagged_docs += 2
    tagged_bytes += len('NATO') + len('Slovakia')
    for _ in range(3):
        s.post_json('{"text": ')                     # 400
    s.request('GET', '/nope')                        # 404 unmatched
    s.request('PUT', '/health', body='x')            # 405 on a known path
    s.request('BREW', '/v1/tag')                     # a method outside the label list
    s.request('POST', '/admin/reload')               # no token: the route does not exist
    for _ in range(5):
        s.request('GET', '/health')
    st, h, b = s.request('GET', '/version', headers={'X-Request-Id': 'last-before-scrape'})
    data_id = json.loads(b)['data']
    slow = socket.create_connection(('127.0.0.1', s.port), timeout=10)
    slow.sendall(b'POST /v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n'
                 b'Content-Length: 100\r\n\r\nabc')
    s.wait_log('id=last-before-scrape')  # counted before its log line is written
    time.sleep(0.1)

    text = scrape(s)
    promtool(text, 'after traffic')
    m, types = parse(text)
    for name, kind in [('wiretag_http_requests_total', 'counter'),
                       ('wiretag_http_request_duration_seconds', 'histogram'),
                       ('wiretag_http_requests_in_flight', 'gauge'),
                       ('wiretag_documents_tagged_total', 'counter'),
                       ('wiretag_bytes_tagged_total', 'counter'),
                       ('wiretag_entities_total', 'counter'),
                       ('wiretag_data_entries', 'gauge'), ('wiretag_data_aliases', 'gauge'),
                       ('wiretag_data_info', 'gauge'),
                       ('wiretag_data_loaded_timestamp_seconds', 'gauge'),
                       ('wiretag_reloads_total', 'counter'),
                       ('wiretag_reload_failures_total', 'counter'),
                       ('wiretag_build_info', 'gauge'),
                       ('process_resident_memory_bytes', 'gauge'), ('process_open_fds', 'gauge'),
                       ('process_start_time_seconds', 'gauge'),
                       ('process_cpu_seconds_total', 'counter')]:
        check(types.get(name) == kind, '%s is declared a %s (%r)' % (name, kind, types.get(name)))

    req = lambda method, route, status: value(m, 'wiretag_http_requests_total', method=method,
                                              route=route, status=str(status))
    check(req('POST', '/v1/tag', 200) == 4, 'POST /v1/tag 200 counted: %r' % req('POST', '/v1/tag', 200))
    check(req('POST', '/v1/tag', 400) == 3, '400s counted')
    check(req('POST', '/v1/tag/batch', 200) == 1, 'the batch counted')
    check(req('GET', 'unmatched', 404) == 1, 'an unknown path is route="unmatched"')
    check(req('POST', 'unmatched', 404) == 1, 'the admin route without a token is unmatched')
    check(req('PUT', '/health', 405) == 1, 'a 405 counts under its path')
    check(req('other', '/v1/tag', 405) == 1, 'an unknown method is method="other"')
    check(req('GET', '/health', 200) == 5, '/health counted')
    check(req('GET', '/version', 200) == 1, '/version counted')
    check((req('GET', '/ready', 200) or 0) >= 1, '/ready counted (the start-up poll)')
    check(req('GET', '/metrics', 200) == 1, 'the first scrape counted (not the current one)')
    check(not any('/admin' in dict(k[1]).get('route', '') for k in m),
          'no series names the admin route when it does not exist')

    routes = histograms_consistent(m)
    check({'/v1/tag', '/v1/tag/batch', '/health', 'unmatched'} <= routes, 'histograms by route: %r' % routes)
    check(value(m, 'wiretag_http_request_duration_seconds_count', route='/v1/tag') == 8,
          'the /v1/tag histogram counts every request to it (4 + 3 + 1)')

    in_flight = value(m, 'wiretag_http_requests_in_flight')
    check(in_flight is not None and in_flight >= 2, 'the scrape and the slow request are in flight: %r' % in_flight)
    check(value(m, 'wiretag_documents_tagged_total') == tagged_docs,
          'documents tagged: %r, expected %d' % (value(m, 'wiretag_documents_tagged_total'), tagged_docs))
    check(value(m, 'wiretag_bytes_tagged_total') == tagged_bytes,
          'bytes tagged: %r, expected %d' % (value(m, 'wiretag_bytes_tagged_total'), tagged_bytes))
    for t, n in entities.items():
        check(value(m, 'wiretag_entities_total', type=t) == n,
              'entities of type %s: %r, expected %d' % (t, value(m, 'wiretag_entities_total', type=t), n))

    # The data: tests/data/e2e/test.gaz plus the layer's one person.
    for t, n in {'person': 2, 'organization': 1, 'country': 3, 'treaty': 1, 'place': 1, 'other': 0}.items():
        check(value(m, 'wiretag_data_entries', type=t) == n, 'data entries of type %s' % t)
    check(value(m, 'wiretag_data_aliases') > 0, 'aliases counted')
    check(value(m, 'wiretag_data_info', data=data_id) == 1, 'wiretag_data_info names the data %s' % data_id)
    loaded = value(m, 'wiretag_data_loaded_timestamp_seconds')
    check(loaded and started - 2 <= loaded <= time.time() + 2, 'data loaded timestamp: %r' % loaded)
    check(value(m, 'wiretag_reloads_total') == 0 and value(m, 'wiretag_reload_failures_total') == 0,
          'no reloads yet')
    st, h, b = s.request('GET', '/version')
    check(value(m, 'wiretag_build_info', version=json.loads(b)['version']) == 1, 'build info')

    # The process, as /proc sees it.
    rss = value(m, 'process_resident_memory_bytes')
    check(rss and 1e6 < rss < 4e9, 'resident memory: %r' % rss)
    fds = value(m, 'process_open_fds')
    check(fds and 3 <= fds < 1000, 'open fds: %r' % fds)
    start = value(m, 'process_start_time_seconds')
    check(start and started - 5 <= start <= time.time(), 'process start time: %r (test started %r)' % (start, started))
    cpu = value(m, 'process_cpu_seconds_total')
    check(cpu is not None and cpu >= 0, 'cpu seconds: %r' % cpu)
    slow.close()

    # Reloads: one good (SIGHUP), then one that fails on a broken file.
    with open(os.path.join(layer, 'extra.gaz'), 'a') as f:
        f.write('person:eva-horak | Eva Horak\n')
    s.proc.send_signal(signal.SIGHUP)
    s.wait_log('SIGHUP: data')
    with open(os.path.join(layer, 'broken.gaz'), 'w') as f:
        f.write('# broken on purpose\nno-type-here | Broken\n')
    s.proc.send_signal(signal.SIGHUP)
    s.wait_log('SIGHUP: data not loaded')
    text = scrape(s)
    promtool(text, 'after reloads')
    m, _ = parse(text)
    check(value(m, 'wiretag_reloads_total') == 1, 'one reload: %r' % value(m, 'wiretag_reloads_total'))
    check(value(m, 'wiretag_reload_failures_total') == 1, 'one failed reload')
    check(value(m, 'wiretag_data_entries', type='person') == 3, 'the reloaded data is described')
    check(value(m, 'wiretag_data_generation') == 2, 'generation 2')
    check(value(m, 'wiretag_data_info', data=data_id) is None, 'the old data id is gone')
    histograms_consistent(m)
finally:
    code = s.stop()
    shutil.rmtree(layer, ignore_errors=True)
check(code == 0, 'exit 0')
done('metrics')
