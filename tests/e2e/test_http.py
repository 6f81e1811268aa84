"""The v1 HTTP contract on the real binary: every status code, headers, and the shape of
responses, with a real HTTP client on 127.0.0.1."""
import json
import threading

from wtlib import Server, check, done, problem

s = Server('--max-body', '4096', '--max-text', '2048')
try:
    # 200: JSON request, id echoed, offsets in code points, text equals the slice.
    text = '\U0001F600 Russian troops and NATO. Anna Kowalczyk met US officials.'
    st, h, b = s.post_json({'text': text, 'id': 'a1', 'title': 'RUSSIA AND NATO'})
    check(st == 200, 'POST /v1/tag JSON -> 200 (%d %r)' % (st, b[:200]))
    check(h.get('content-type') == 'application/json', 'content type of a response')
    check(len(h.get('x-request-id', '')) >= 8, 'a request id is generated')
    r = json.loads(b)
    check(r['id'] == 'a1', 'id is echoed')
    check(r['offsets'] == 'codepoint', 'offsets default to code points')
    names = {e['name']: e for e in r['entities']}
    check(set(names) == {'Russia', 'North Atlantic Treaty Organization', 'Anna Kowalczyk',
                         'United States'}, 'entities found: %s' % sorted(names))
    for e in r['entities']:
        check(e['type'] in ('person', 'organization', 'country', 'treaty'), 'type %r' % e['type'])
        check(0 <= e['confidence'] <= 1 and 0 <= e['relevance'] <= 1, 'scores in [0, 1]')
        for m in e['mentions']:
            src = 'RUSSIA AND NATO' if m['field'] == 'title' else text
            check(src[m['start']:m['end']] == m['text'], 'mention text equals the slice: %r' % m)
    check(names['Russia']['mentions'][0]['field'] == 'title', 'title mentions come first')
    check(names['Russia']['mentions'][1]['form'] == 'adjectival', 'Russian is adjectival')
    rel = [e['relevance'] for e in r['entities']]
    check(rel == sorted(rel, reverse=True), 'entities ordered by relevance')
    check(r['stats']['characters'] == len(text) + len('RUSSIA AND NATO'), 'characters counted')
    check(r['tagger']['version'] and r['tagger']['data'], 'tagger version and data id')

    # 200: options, utf16 offsets, the client's request id echoed.
    st, h, b = s.request('POST', '/v1/tag', body=json.dumps(
        {'text': text, 'options': {'types': ['country'], 'offsets': 'utf16'}}),
        headers={'Content-Type': 'application/json', 'X-Request-Id': 'client-42'})
    r = json.loads(b)
    check(h.get('x-request-id') == 'client-42', 'the client request id is echoed')
    check({e['type'] for e in r['entities']} == {'country'}, 'types option filters')
    ru = [e for e in r['entities'] if e['name'] == 'Russia'][0]
    check(ru['mentions'][0]['start'] == 3, 'utf16 offset counts the emoji as two units')

    # 200: text/plain with options in the query string; an empty text.
    st, h, b = s.request('POST', '/v1/tag?types=person&offsets=byte', body=text.encode(),
                         headers={'Content-Type': 'text/plain; charset=utf-8'})
    r = json.loads(b)
    check(st == 200 and [e['name'] for e in r['entities']] == ['Anna Kowalczyk'], 'text/plain')
    check(r['offsets'] == 'byte', 'byte offsets')
    st, h, b = s.post_json({'text': ''})
    check(st == 200 and json.loads(b)['entities'] == [], 'an empty text is valid')

    # 400: malformed JSON with line and column; invalid UTF-8 with the offset.
    st, h, b = s.post_json('{"text": "x",\n "id": }')
    p = problem(b)
    check(st == 400 and p['code'] == 'invalid_json' and p['line'] == 2 and 'column' in p,
          '400 invalid_json with line/column: %r' % p)
    check(h.get('content-type') == 'application/problem+json', 'problem content type')
    st, h, b = s.post_json(b'{"text": "bad \xff byte"}')
    p = problem(b)
    check(st == 400 and p['code'] == 'invalid_utf8' and p['offset'] == 14, '400 invalid_utf8 JSON')
    st, h, b = s.request('POST', '/v1/tag', body=b'ok \xc3\x28', headers={'Content-Type': 'text/plain'})
    p = problem(b)
    check(st == 400 and p['code'] == 'invalid_utf8' and p['offset'] == 3, '400 invalid_utf8 text')

    # 404, 405 with Allow.
    st, h, b = s.request('GET', '/v2/tag')
    check(st == 404 and problem(b)['code'] == 'not_found', '404')
    st, h, b = s.request('GET', '/v1/tag')
    check(st == 405 and h.get('allow') == 'POST' and problem(b)['code'] == 'method_not_allowed',
          '405 with Allow')
    st, h, b = s.request('PUT', '/health', body='x')
    check(st == 405 and 'GET' in h.get('allow', ''), '405 on /health')

    # 411: a POST without a length.
    out = s.raw(b'POST /v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n'
                b'Connection: close\r\n\r\n')
    check(out.startswith(b'HTTP/1.1 411'), '411 without Content-Length: %r' % out[:60])

    # 413: decided from Content-Length before reading, and while reading a chunked body.
    out = s.raw(b'POST /v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n'
                b'Content-Length: 999999999\r\n\r\n' + b'a' * 100)
    check(out.startswith(b'HTTP/1.1 413'), '413 from Content-Length without the body: %r' % out[:60])
    chunk = b'a' * 3000
    body = b''.join(b'%x\r\n%s\r\n' % (len(chunk), chunk) for _ in range(3)) + b'0\r\n\r\n'
    out = s.raw(b'POST /v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n'
                b'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n' + body)
    check(out.startswith(b'HTTP/1.1 413') and b'body_too_large' in out, '413 chunked: %r' % out[:80])
    st, h, b = s.post_json({'text': 'x' * 3000})
    check(st == 413 and problem(b)['code'] == 'text_too_large', '413 text over --max-text')

    # 415: media type and charset; HTML that is not UTF-8.
    st, h, b = s.request('POST', '/v1/tag', body='x', headers={'Content-Type': 'application/xml'})
    check(st == 415 and problem(b)['code'] == 'unsupported_media_type', '415 media type')
    st, h, b = s.request('POST', '/v1/tag', body=b'<p>caf\xe9</p>',
                         headers={'Content-Type': 'text/html'})
    p = problem(b)
    check(st == 415 and p['code'] == 'html_not_utf8' and p['offset'] == 6, '415 for HTML not in UTF-8')

    # 200: an HTML article, offsets into the HTML source, annotated HTML out.
    html = '<p>NATO met <b>Anna</b> Kowalczyk in <a href="/m">Moscow</a>. Russia&#8217;s view.</p>'
    st, h, b = s.request('POST', '/v1/tag?annotate=all', body=html.encode(),
                         headers={'Content-Type': 'text/html; charset=utf-8'})
    r = json.loads(b)
    check(st == 200, 'POST text/html -> 200')
    got = {m['text']: html[m['start']:m['end']] for e in r['entities'] for m in e['mentions']}
    check(got.get('Anna Kowalczyk') == 'Anna</b> Kowalczyk' and got.get('Russia') == 'Russia',
          'offsets point into the HTML source: %r' % got)
    check('<span class="wt-entity" data-type="country" data-entity-id="country:RU">Russia</span>'
          in r['html'], 'annotated HTML: %r' % r.get('html'))
    st, h, b = s.request('POST', '/v1/tag', body='x',
                         headers={'Content-Type': 'text/plain; charset=latin1'})
    check(st == 415, '415 charset')

    # 422: valid JSON that breaks the contract.
    for req, code in [({'title': 'x'}, 'missing_text'), ({'text': 5}, 'invalid_request'),
                      ([1, 2], 'invalid_request'),
                      ({'text': 'x', 'options': {'offsets': 'chars'}}, 'invalid_option'),
                      ({'text': 'x', 'options': {'types': ['city']}}, 'invalid_option'),
                      ({'text': 'x', 'options': {'unknown': 1}}, 'invalid_option')]:
        st, h, b = s.post_json(req)
        check(st == 422 and problem(b)['code'] == code, '422 %s for %r' % (code, req))
    st, h, b = s.request('POST', '/v1/tag?types=city', body='x', headers={'Content-Type': 'text/plain'})
    check(st == 422, '422 for a bad query option')

    # Health, readiness, version; HEAD.
    st, h, b = s.request('GET', '/health')
    check(st == 200 and json.loads(b) == {'status': 'ok'}, '/health')
    st, h, b = s.request('GET', '/ready')
    check(st == 200 and json.loads(b)['status'] == 'ready', '/ready')
    st, h, b = s.request('GET', '/version')
    check(st == 200 and json.loads(b)['version'], '/version')
    st, h, b = s.request('HEAD', '/health')
    check(st == 200 and b == b'', 'HEAD /health')

    # Many clients at once.
    results = []

    def worker():
        for _ in range(10):
            results.append(s.post_json({'text': text})[0])
    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(results.count(200) == 160, 'concurrent requests all succeed: %r' % set(results))

    log = s.read_log()
    check('status=200' in log and 'id=client-42' in log, 'one log line per request with its id')
finally:
    code = s.stop()
check(code == 0, 'SIGTERM exits 0 (got %r)' % code)
done('http')
