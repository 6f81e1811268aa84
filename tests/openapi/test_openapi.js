/* docs/openapi.json against real tools and the real service: Redocly's linter (recommended
 * rules, no error and no warning), the document served at GET /openapi.json byte for byte, and
 * real answers of the binary (every endpoint, JSON, text and HTML input, batches, every error
 * status) validated with Ajv against the schema the document gives for that path, method,
 * status and media type. An answer the document does not describe fails, and so does a
 * described answer that no request here produced (unless listed as unreachable). The npm
 * packages are pinned by tests/openapi/package-lock.json and installed into the build tree. */
'use strict';

const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const {execFileSync} = require('child_process');
const {SRC, OUT, check, done, npmDeps, Server, sleep} = require('../page/pagelib');

const DEPS = process.env.WIRETAG_OPENAPI_DEPS || path.join(OUT, 'openapi-test');
const DOC_PATH = path.join(SRC, 'docs', 'openapi.json');
const TOKEN = 'openapi-test-token';

/* Answers no test can provoke on purpose: running out of memory, and not_ready on the tagging
 * routes (the window while the first load runs is covered for /ready). */
const UNREACHABLE = new Set(['POST /v1/tag 500', 'POST /v1/tag/batch 500',
                             'POST /admin/reload 500', 'POST /v1/tag/batch 503']);

function lint(req) {
  const cli = path.join(path.dirname(req.resolve('@redocly/cli/package.json')), 'bin', 'cli.js');
  let out;
  try {
    out = execFileSync(process.execPath, [cli, 'lint', '--format=json', '--config',
                                          path.join(SRC, 'tests', 'openapi', 'redocly.yaml'),
                                          DOC_PATH], {
      env: Object.assign({}, process.env, {REDOCLY_TELEMETRY: 'off',
                                           REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true'}),
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 120000,
    });
  } catch (e) {
    out = e.stdout; /* lint exits 1 on errors; the JSON report still says which */
  }
  let report;
  try {
    report = JSON.parse(out.toString());
  } catch (e) {
    check(false, 'redocly lint printed a JSON report: ' + String(out).slice(0, 500));
    return;
  }
  const problems = report.problems.map((p) => p.severity + ' ' + p.ruleId + ': ' + p.message +
                                              ' at ' + p.location.map((l) => l.pointer).join());
  check(report.totals.errors === 0 && report.totals.warnings === 0,
        'redocly lint: no errors, no warnings: ' + JSON.stringify(report.totals) + '\n' +
            problems.join('\n'));
}

/* One HTTP/1.1 request on its own connection, written by hand so that any header (or none)
 * can be sent. Resolves to {status, headers, body}. */
function raw(port, text, body = Buffer.alloc(0)) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks = [];
    sock.setTimeout(20000, () => sock.destroy(new Error('timeout')));
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', reject);
    sock.on('end', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, split).toString().split('\r\n');
      const headers = {};
      for (const line of head.slice(1)) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({status: Number(head[0].split(' ')[1]), headers, body: all.subarray(split + 4)});
    });
    sock.write(text);
    sock.end(body);
  });
}

function request(port, method, p, headers = {}, body) {
  const buf = body === undefined ? null : Buffer.isBuffer(body) ? body : Buffer.from(body);
  let text = method + ' ' + p + ' HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n';
  if (buf && !('Content-Length' in headers))
    text += 'Content-Length: ' + buf.length + '\r\n';
  for (const [k, v] of Object.entries(headers))
    if (v !== null)
      text += k + ': ' + v + '\r\n';
  return raw(port, text + '\r\n', buf || undefined);
}

/* Follows an OpenAPI Reference Object inside the document; returns [object, pointer]. */
function deref(doc, obj, pointer) {
  while (obj && obj.$ref) {
    pointer = obj.$ref.slice(1);
    obj = pointer.split('/').slice(1).reduce(
        (o, k) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return [obj, pointer];
}

const esc = (k) => k.replace(/~/g, '~0').replace(/\//g, '~1');

class Validator {
  constructor(req, doc) {
    const Ajv2020 = req('ajv/dist/2020');
    const addFormats = req('ajv-formats');
    /* The document is one resource; schemas are compiled from it by JSON pointer, so that
     * their $refs to #/components/schemas resolve as in OpenAPI. `example` and the other
     * OpenAPI keywords are annotations to Ajv. */
    this.ajv = new Ajv2020({allErrors: true, strict: false, validateSchema: false});
    addFormats(this.ajv);
    this.ajv.addSchema(doc, 'openapi.json');
    this.doc = doc;
    this.seen = new Set();
  }

  /* Checks one answer of the service against the document: the path, method and status are
   * described, the media type is among the described ones, and the body matches its schema
   * (for NDJSON, every line does). A path or method the document does not list must be
   * answered as info.description says: 404 for an unknown path, 405 with Allow naming the
   * listed methods for a known one, both a Problem. */
  answer(what, route, method, r) {
    const m = method.toLowerCase();
    const item = this.doc.paths[route];
    const op = item && item[m];
    if (!op) {
      const listed = item ? Object.keys(item).map((k) => k.toUpperCase()) : [];
      if (listed.includes('GET'))
        listed.push('HEAD');
      const want = item ? 405 : 404;
      check(r.status === want, what + ': ' + method + ' ' + route + ' is not listed: ' + want +
                                   ' (got ' + r.status + ')');
      if (item)
        check(r.headers.allow === listed.join(', '), what + ': Allow lists ' + listed.join(', ') +
                                                          ' (got ' + r.headers.allow + ')');
      if (method === 'HEAD') /* the same answer without its body */
        return;
      this.validate(what, '/components/schemas/Problem', 'application/problem+json', r);
      const p = JSON.parse(r.body);
      check(p.code === (item ? 'method_not_allowed' : 'not_found') && p.status === r.status,
            what + ': code and status of the problem: ' + r.body);
      return;
    }
    this.seen.add(method + ' ' + route + ' ' + r.status);
    const base = '/paths/' + esc(route) + '/' + m + '/responses/' + r.status;
    const [resp, pointer] = deref(this.doc, op.responses[String(r.status)], base);
    if (!check(resp, what + ': status ' + r.status + ' is documented for ' + method + ' ' + route +
                         ': ' + r.body.toString().slice(0, 300)))
      return;
    const type = (r.headers['content-type'] || '').split(';')[0].trim();
    if (!check(resp.content && resp.content[type],
               what + ': ' + type + ' is a documented media type for ' + r.status))
      return;
    this.validate(what, pointer + '/content/' + esc(type) + '/schema', type, r);
    for (const name of Object.keys(resp.headers || {}))
      check(name.toLowerCase() in r.headers, what + ': documented header ' + name + ' is sent');
  }

  /* Validates the body of `r` (media type `type`) with the schema at `pointer`. */
  validate(what, pointer, type, r) {
    const validate = this.ajv.getSchema('openapi.json#' + pointer);
    if (!check(validate, what + ': the schema at ' + pointer + ' compiles'))
      return;
    check((r.headers['content-type'] || '').startsWith(type), what + ': content type ' + type);
    const text = r.body.toString('utf8');
    let values;
    try {
      if (type === 'application/x-ndjson')
        values = text.split('\n').filter((l) => l).map((l) => JSON.parse(l));
      else if (type.endsWith('json'))
        values = [JSON.parse(text)];
      else
        values = [text];
    } catch (e) {
      check(false, what + ': the body parses as ' + type + ': ' + text.slice(0, 200));
      return;
    }
    values.forEach((v, i) => {
      check(validate(v), what + ': answer ' + r.status + ' ' + type +
                             (values.length > 1 ? ' line ' + i : '') + ' matches its schema: ' +
                             JSON.stringify(validate.errors) + ' in ' + JSON.stringify(v).slice(0, 400));
    });
  }

  /* Every documented answer was produced by some request, unless known to be unreachable. */
  coverage() {
    for (const [route, item] of Object.entries(this.doc.paths))
      for (const [m, op] of Object.entries(item))
        for (const status of Object.keys(op.responses)) {
          const key = m.toUpperCase() + ' ' + route + ' ' + status;
          check(this.seen.has(key) || UNREACHABLE.has(key), 'a request produced ' + key);
        }
  }
}

const JSONH = {'Content-Type': 'application/json'};
const ARTICLE = 'NATO chief Anna Kowalczyk met Russian officials. Slovakia and the US signed New START.';

async function exercise(v, port, layer) {
  /* `route` is the path as the document lists it (without the query string). */
  const t = async (what, route, method, p, headers, body) =>
      v.answer(what, route, method, await request(port, method, p, headers, body));
  /* POST /v1/tag */
  await t('json', '/v1/tag', 'POST', '/v1/tag', JSONH,
          JSON.stringify({id: 7, title: 'RUSSIA', text: ARTICLE}));
  await t('json with options', '/v1/tag', 'POST', '/v1/tag', JSONH,
          JSON.stringify({id: 'x', text: ARTICLE, options: {types: ['country'], offsets: 'utf16'}}));
  await t('text', '/v1/tag', 'POST', '/v1/tag?types=person,country&offsets=byte',
          {'Content-Type': 'text/plain; charset=utf-8'}, ARTICLE);
  await t('html', '/v1/tag', 'POST', '/v1/tag?annotate=all', {'Content-Type': 'text/html'},
          '<p>NATO met <b>Anna</b> Kowalczyk in <a href="/m">Moscow</a>. Russia&#8217;s view.</p>');
  await t('html in json', '/v1/tag', 'POST', '/v1/tag', JSONH,
          JSON.stringify({html: '<p><a href="/x">Slovakia</a></p>', options: {annotate: 'first'}}));
  await t('400 json', '/v1/tag', 'POST', '/v1/tag', JSONH, '{"text": "x",\n "id": }');
  await t('400 utf8', '/v1/tag', 'POST', '/v1/tag', {'Content-Type': 'text/plain'},
          Buffer.from([0x6f, 0x6b, 0xff]));
  await t('405', '/v1/tag', 'GET', '/v1/tag', {});
  await t('411', '/v1/tag', 'POST', '/v1/tag', {'Content-Type': 'text/plain'});
  await t('413 body', '/v1/tag', 'POST', '/v1/tag', {'Content-Type': 'text/plain'}, 'x'.repeat(70000));
  await t('413 text', '/v1/tag', 'POST', '/v1/tag', JSONH, JSON.stringify({text: 'x'.repeat(5000)}));
  await t('415', '/v1/tag', 'POST', '/v1/tag', {'Content-Type': 'application/xml'}, '<x/>');
  await t('415 html', '/v1/tag', 'POST', '/v1/tag', {'Content-Type': 'text/html'},
          Buffer.from('<p>caf\xe9</p>', 'latin1'));
  for (const body of [{title: 'x'}, {text: 5}, {text: 'x', options: {offsets: 'chars'}}])
    await t('422 ' + JSON.stringify(body), '/v1/tag', 'POST', '/v1/tag', JSONH, JSON.stringify(body));
  await t('404', '/v2/tag', 'GET', '/v2/tag', {});
  await t('HEAD 405', '/v1/tag', 'HEAD', '/v1/tag', {});

  /* POST /v1/tag/batch */
  const lines = [{id: 1, text: ARTICLE}, {id: 2, title: 'x'}, {text: 'x'.repeat(5000)}];
  await t('batch ndjson', '/v1/tag/batch', 'POST', '/v1/tag/batch',
          {'Content-Type': 'application/x-ndjson'},
          lines.map((l) => JSON.stringify(l)).join('\n') + '\n{"id": 4, "text": \n');
  await t('batch json', '/v1/tag/batch', 'POST', '/v1/tag/batch', JSONH,
          JSON.stringify({documents: lines.concat([[1], {html: '<b>NATO</b>'}])}));
  await t('batch 400', '/v1/tag/batch', 'POST', '/v1/tag/batch', JSONH, '{"documents": [');
  await t('batch 405', '/v1/tag/batch', 'GET', '/v1/tag/batch', {});
  await t('batch 411', '/v1/tag/batch', 'POST', '/v1/tag/batch', JSONH);
  await t('batch 413 count', '/v1/tag/batch', 'POST', '/v1/tag/batch', JSONH,
          JSON.stringify({documents: Array(6).fill({text: 'x'})}));
  await t('batch 413 size', '/v1/tag/batch', 'POST', '/v1/tag/batch', JSONH, 'x'.repeat(70000));
  await t('batch 415', '/v1/tag/batch', 'POST', '/v1/tag/batch', {'Content-Type': 'text/plain'}, 'x');
  await t('batch 422', '/v1/tag/batch', 'POST', '/v1/tag/batch', JSONH, '{"docs": []}');

  /* Operations and the page */
  for (const p of ['/health', '/ready', '/version', '/metrics', '/openapi.json', '/', '/app.js',
                   '/style.css']) {
    await t('GET ' + p, p, 'GET', p, {});
    await t('PUT ' + p, p, 'PUT', p, {'Content-Type': 'text/plain'}, 'x');
  }
  await t('reload 200', '/admin/reload', 'POST', '/admin/reload', {Authorization: 'Bearer ' + TOKEN}, '');
  await t('reload 401', '/admin/reload', 'POST', '/admin/reload', {Authorization: 'Bearer nope'}, '');
  await t('reload 405', '/admin/reload', 'GET', '/admin/reload', {});
  await t('reload 404 on the unknown neighbour', '/admin/other', 'POST', '/admin/other', {}, '');
  fs.writeFileSync(path.join(layer, 'broken.gaz'), '# broken on purpose\nperson:a b | Broken\n');
  await t('reload 422', '/admin/reload', 'POST', '/admin/reload', {Authorization: 'Bearer ' + TOKEN}, '');
  fs.unlinkSync(path.join(layer, 'broken.gaz'));
}

async function main() {
  const req = npmDeps('openapi', DEPS);
  const docText = fs.readFileSync(DOC_PATH);
  const doc = JSON.parse(docText);
  check(doc.openapi === '3.1.0', 'an OpenAPI 3.1 document');
  lint(req);
  const v = new Validator(req, doc);
  /* The validator is not vacuous: schemas reject what breaks them. */
  const schema = (name) => v.ajv.getSchema('openapi.json#/components/schemas/' + name);
  check(!schema('TagResponse')({offsets: 'codepoint', entities: [], stats: {}}) &&
            !schema('Problem')({type: 'x', title: 'x', status: 200, detail: 'x', code: 'nope'}) &&
            !schema('Entity')({id: 'x', type: 'city', name: 'x', source: 'gazetteer',
                               confidence: 2, relevance: 0, attributes: {}, mentions: []}) &&
            schema('Health')({status: 'ok'}),
        'the schemas reject broken answers and accept good ones');

  const layer = fs.mkdtempSync(path.join(os.tmpdir(), 'wiretag-openapi-'));
  fs.writeFileSync(path.join(layer, 'desk.gaz'), '# a layer\nperson:jan-marek | Jan Marek\n');
  const s = await Server.start(['--max-body', '65536', '--max-text', '4096', '--batch-max-docs', '5',
                                '--data', layer], undefined, {WIRETAG_ADMIN_TOKEN: TOKEN});
  try {
    const served = await request(s.port, 'GET', '/openapi.json', {});
    check(served.status === 200 && served.body.equals(docText),
          'GET /openapi.json serves docs/openapi.json byte for byte');
    await exercise(v, s.port, layer);
  } finally {
    check(await s.stop() === 0, 'exit 0');
  }

  /* 503: the data loading (a layer of generated names makes it last), then draining. */
  const big = fs.mkdtempSync(path.join(os.tmpdir(), 'wiretag-openapi-big-'));
  const names = ['# generated names to make loading slow'];
  for (let i = 0; i < 150000; i++)
    names.push('person:gen-' + i + ' | Genname' + i + ' Gensurname' + i);
  fs.writeFileSync(path.join(big, 'many.gaz'), names.join('\n') + '\n');
  const s2 = await Server.start(['--data', big, '--drain-delay', '5'], undefined, {}, false);
  try {
    v.answer('ready while loading', '/ready', 'GET', await request(s2.port, 'GET', '/ready', {}));
    v.answer('tag while loading', '/v1/tag', 'POST',
             await request(s2.port, 'POST', '/v1/tag', JSONH, '{"text": "x"}'));
    v.answer('reload without WIRETAG_ADMIN_TOKEN', '/admin/reload', 'POST',
             await request(s2.port, 'POST', '/admin/reload', {Authorization: 'Bearer ' + TOKEN}, ''));
    while ((await request(s2.port, 'GET', '/ready', {})).status !== 200)
      await sleep(100);
    s2.proc.kill('SIGTERM');
    while (!/draining/.test(s2.log))
      await sleep(20);
    const r = await request(s2.port, 'GET', '/ready', {});
    check(r.status === 503 && JSON.parse(r.body).code === 'shutting_down', '503 shutting_down');
    v.answer('ready while draining', '/ready', 'GET', r);
    s2.proc.kill('SIGTERM');
  } finally {
    await s2.stop();
    fs.rmSync(big, {recursive: true, force: true});
    fs.rmSync(layer, {recursive: true, force: true});
  }
  v.coverage();
  return done('openapi');
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(1);
});
