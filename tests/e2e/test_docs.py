"""README.md documents what the real binary has: every option of `wiretag serve --help` with its
variable in the options table, every endpoint of docs/openapi.json, every metric family a real
scrape returns, and every error code the API can answer with."""
import json
import os
import re
import subprocess

from wtlib import BIN, SRC, Server, check, done

readme = open(os.path.join(SRC, 'README.md'), encoding='utf-8').read()
table = readme[readme.index('### Options'):readme.index('## The v1 contract')]
rows = [ln for ln in table.splitlines() if ln.startswith('| ')]

# Options: `--flag ARG ... [VARIABLE]` lines of the help, and the admin token's variable.
help_text = subprocess.run([BIN, 'serve', '--help'], stdout=subprocess.PIPE, timeout=30,
                           check=True).stdout.decode()
options = re.findall(r'^\s+--([a-z-]+)\b.*?(?:\[(WIRETAG_[A-Z_]+)\])?$', help_text, re.M)
check(len(options) >= 12, 'serve --help lists its options (%d)' % len(options))
for flag, var in options:
    if flag == 'help':
        continue
    row = [r for r in rows if re.match(r'\| `--%s[ `]' % re.escape(flag), r)]
    check(len(row) == 1, 'README options table has --%s' % flag)
    check(not row or (var and ('`%s`' % var) in row[0]), '--%s is documented with %s' % (flag, var))
for var in re.findall(r'\[(WIRETAG_[A-Z_]+)\]', help_text):
    check(any(('`%s`' % var) in r for r in rows), 'README options table has %s' % var)
check('WIRETAG_ADMIN_TOKEN' in help_text, 'serve --help names WIRETAG_ADMIN_TOKEN')

# Endpoints: each operation of the OpenAPI document, as `METHOD /path` in the README.
doc = json.load(open(os.path.join(SRC, 'docs', 'openapi.json'), encoding='utf-8'))
for path, item in doc['paths'].items():
    for method in item:
        check(('`%s %s`' % (method.upper(), path)) in readme, 'README documents %s %s'
              % (method.upper(), path))

# Error codes: each code a problem or a document error can carry, in the errors table.
errors = readme[readme.index('### Errors'):readme.index('### `GET /health`')]
for code in doc['components']['schemas']['ErrorCode']['enum']:
    check(('`%s`' % code) in errors, 'the errors table has `%s`' % code)

# Metrics: every family of a real scrape (after a request, with a token) in the metrics table.
metrics_doc = readme[readme.index('### `GET /metrics`'):readme.index('### `POST /admin/reload`')]
s = Server(env={'WIRETAG_ADMIN_TOKEN': 'docs'})
try:
    s.post_json({'text': 'Russia'})
    st, h, b = s.request('GET', '/metrics')
    families = re.findall(r'^# TYPE (\S+) ', b.decode(), re.M)
    check(len(families) >= 20, 'a scrape has its families (%d)' % len(families))
    for name in families:
        check(('| `%s` |' % name) in metrics_doc, 'README documents the metric %s' % name)
finally:
    check(s.stop() == 0, 'exit 0')
done('docs')
