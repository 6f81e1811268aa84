/* The newsroom page in a real browser: GET / and its assets with their security headers, an
 * article pasted and tagged, mentions highlighted with the right types, entities grouped and
 * clickable, filters, the JSON view, errors (413, 422, network) in the live region, and a
 * phone-width layout. Screenshots go to the build directory. */
'use strict';

const path = require('path');
const {OUT, check, done, playwright, Server, launch} = require('./pagelib');

const TITLE = 'NATO allies back New START talks in Slovakia';
const ARTICLE = [
  'BRATISLAVA, March 3 (Wire) \u2014 Slovakia will host talks between Russia and the United ' +
      'States on the future of the New START arms-control treaty, Foreign Minister Anna ' +
      'Kowalczyk said on Tuesday.',
  'Kowalczyk told reporters that NATO allies had been briefed and that Slovak diplomats would ' +
      'chair the first session. "Both sides have said yes \u{1F91D}," she wrote on social media.',
  'The talks, the first in more than two years, are expected to focus on verification. ' +
      'Inspections lapsed after the last data exchange, and officials on both sides have since ' +
      'traded accusations over missile deployments.',
  'Russian officials confirmed the invitation late on Monday. A US delegation is expected on ' +
      'Thursday, and NATO will send observers to the opening session.',
  '"Nobody expects a breakthrough in a week," one diplomat said, asking not to be named. ' +
      '"But a room with both delegations in it is a beginning."',
].join('\n\n');

/* In reading order; the emoji before "Russian" makes code-point offsets miss by one there. */
const EXPECTED_TEXT = [
  ['Slovakia', 'country'], ['Russia', 'country'], ['United States', 'country'],
  ['New START', 'treaty'], ['Anna Kowalczyk', 'person'], ['NATO', 'organization'],
  ['Slovak', 'country'], ['Russian', 'country'], ['US', 'country'], ['NATO', 'organization'],
];
const EXPECTED_TITLE = [['NATO', 'organization'], ['New START', 'treaty'], ['Slovakia', 'country']];
const LABELS = {person: '"PER"', organization: '"ORG"', country: '"CTRY"', treaty: '"TRTY"'};
const CSP_DIRECTIVES = ["default-src 'self'", "script-src 'self'", "style-src 'self'",
                        "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"];

/* Is `want` a subsequence of `have` ([text, type] pairs)? */
function inOrder(have, want) {
  let i = 0;
  for (const h of have)
    if (i < want.length && h[0] === want[i][0] && h[1] === want[i][1])
      i++;
  return i === want.length;
}

function checkSecurityHeaders(headers, what) {
  const csp = headers['content-security-policy'] || '';
  for (const d of CSP_DIRECTIVES)
    check(csp.includes(d), what + ': CSP has ' + d + ': ' + csp);
  check(!/unsafe-inline|unsafe-eval/.test(csp), what + ': CSP allows no inline code: ' + csp);
  check(headers['x-content-type-options'] === 'nosniff', what + ': X-Content-Type-Options');
}

async function assets(server) {
  const want = {'/': 'text/html; charset=utf-8', '/app.js': 'text/javascript; charset=utf-8',
                '/style.css': 'text/css; charset=utf-8'};
  for (const [p, type] of Object.entries(want)) {
    const r = await fetch(server.base + p);
    const headers = Object.fromEntries(r.headers);
    check(r.status === 200, 'GET ' + p + ' is 200: ' + r.status);
    check(headers['content-type'] === type, 'GET ' + p + ' Content-Type: ' + headers['content-type']);
    checkSecurityHeaders(headers, 'GET ' + p);
  }
  const html = await (await fetch(server.base + '/')).text();
  check(!/<script(?![^>]*\bsrc=)/i.test(html), 'no inline script in the page');
  check(!/<style|\sstyle=|\son[a-z]+=/i.test(html), 'no inline style or handlers in the page');
  check(!/(src|href)="(https?:)?\/\//i.test(html), 'the page loads nothing from elsewhere');
}

/* Each mark of a field: text, type, entity, tooltip and how it looks. */
function marksOf(page, selector) {
  return page.$$eval(selector + ' mark', (ms) => ms.map((m) => ({
    text: m.textContent, type: m.dataset.type, entity: m.dataset.entity, title: m.title,
    selected: m.classList.contains('selected'), current: m.classList.contains('current'),
    label: getComputedStyle(m, '::after').content, bg: getComputedStyle(m).backgroundColor,
    underline: getComputedStyle(m).borderBottomStyle,
  })));
}

async function tagged(page, text) {
  await page.waitForFunction((t) => {
    const v = document.querySelector('#view .article-text');
    return v && v.textContent === t && !document.getElementById('tag').disabled;
  }, text);
}

async function pasteAndTag(page) {
  await page.fill('#title', TITLE);
  /* A real paste: the text goes through the clipboard and Ctrl+V into the text area. */
  await page.evaluate((t) => navigator.clipboard.writeText(t), ARTICLE);
  await page.focus('#text');
  await page.keyboard.press('Control+V');
  check(await page.inputValue('#text') === ARTICLE, 'the article was pasted');
  await page.click('#tag');
  await tagged(page, ARTICLE);
}

async function highlights(page, api) {
  const text = await marksOf(page, '#view .article-text');
  const title = await marksOf(page, '#view .article-title');
  check(inOrder(text.map((m) => [m.text, m.type]), EXPECTED_TEXT),
        'text mentions highlighted with their types: ' + JSON.stringify(text.map((m) => m.text)));
  check(inOrder(title.map((m) => [m.text, m.type]), EXPECTED_TITLE),
        'title mentions highlighted: ' + JSON.stringify(title.map((m) => m.text)));
  const mentions = api.entities.reduce((n, e) => n + e.mentions.length, 0);
  check(text.length + title.length === mentions, 'one mark per mention: ' + mentions);
  const looks = {};
  for (const m of text.concat(title)) {
    check(m.label === LABELS[m.type], m.text + ' carries its type label: ' + m.label);
    looks[m.type] = looks[m.type] || new Set();
    looks[m.type].add(m.bg + '|' + m.underline);
  }
  const types = Object.keys(looks);
  check(types.length === 4, 'all four types in the test text: ' + types);
  check(types.every((t) => looks[t].size === 1), 'one look per type');
  const all = new Set(types.map((t) => [...looks[t]][0]));
  check(all.size === 4, 'four distinct looks: ' + [...all]);
  const bgs = new Set(types.map((t) => [...looks[t]][0].split('|')[0]));
  const lines = new Set(types.map((t) => [...looks[t]][0].split('|')[1]));
  check(bgs.size === 4 && lines.size === 4, 'colour and underline both differ per type');
  const russian = text.find((m) => m.text === 'Russian');
  check(russian && /Russia/.test(russian.title) && /adjectival/.test(russian.title) &&
            /confidence 0\.\d\d/.test(russian.title) && /rule: gazetteer/.test(russian.title),
        'hover shows name, form, confidence and rule: ' + (russian && russian.title));
  const legend = await page.$$eval('#types label', (ls) => ls.map((l) => l.textContent.trim()));
  check(legend.length === 4 && /Person\s+PER/.test(legend[0]) && /Treaty\s+TRTY/.test(legend[3]),
        'legend names each type with its label: ' + JSON.stringify(legend));
}

async function entityPanel(page, api) {
  const groups = await page.$$eval('#entities .group', (gs) => gs.map((g) => ({
    type: g.dataset.type,
    names: [...g.querySelectorAll('.entity-name')].map((n) => n.textContent),
    counts: [...g.querySelectorAll('.count')].map((n) => parseInt(n.textContent, 10)),
  })));
  for (const g of groups) {
    const want = api.entities.filter((e) => e.type === g.type);
    check(JSON.stringify(g.names) === JSON.stringify(want.map((e) => e.name)),
          g.type + ' entities in relevance order: ' + g.names);
    check(JSON.stringify(g.counts) === JSON.stringify(want.map((e) => e.mentions.length)),
          g.type + ' mention counts: ' + g.counts);
  }
  check(groups.map((g) => g.type).join() === 'person,organization,country,treaty',
        'grouped by type: ' + groups.map((g) => g.type));
}

async function selection(page) {
  const anna = page.locator('button.entity', {hasText: 'Anna Kowalczyk'});
  await anna.click();
  let marks = await marksOf(page, '#view');
  const sel = marks.filter((m) => m.selected);
  check(sel.length >= 1 && sel.every((m) => m.entity === 'person:anna-kowalczyk'),
        'clicking a person selects its mentions: ' + JSON.stringify(sel.map((m) => m.text)));
  check(marks.filter((m) => m.entity === 'person:anna-kowalczyk').every((m) => m.selected),
        'every mention of the person is selected');
  check(await anna.getAttribute('aria-pressed') === 'true', 'the entity button is pressed');

  /* In a short window the view scrolls: the second "United States" mention ("US") is far down. */
  await page.setViewportSize({width: 1100, height: 520});
  await page.$eval('#view', (v) => (v.scrollTop = 0));
  const us = page.locator('button.entity', {hasText: 'United States'});
  await us.click();
  await us.click();
  marks = await marksOf(page, '#view');
  check(marks.filter((m) => m.selected).map((m) => m.text).join() === 'United States,US',
        'selection moves to the next entity: ' + marks.filter((m) => m.selected).map((m) => m.text));
  check(!marks.some((m) => m.selected && m.entity === 'person:anna-kowalczyk'),
        'the previous selection is cleared');
  const current = marks.find((m) => m.current);
  check(current && current.text === 'US', 'clicking again steps to the next mention');
  const visible = await page.$eval('#view mark.current', (m) => {
    const r = m.getBoundingClientRect();
    const v = m.closest('.view').getBoundingClientRect();
    return r.top >= v.top && r.bottom <= v.bottom && r.top >= 0 && r.bottom <= innerHeight;
  });
  check(visible, 'the current mention is scrolled into view');
  await page.keyboard.press('Escape');
  check((await marksOf(page, '#view')).every((m) => !m.selected), 'Escape clears the selection');

  /* The keyboard: entity buttons are buttons, Enter selects. */
  await page.focus('button.entity >> nth=0');
  await page.keyboard.press('Enter');
  check((await marksOf(page, '#view')).some((m) => m.selected), 'Enter on an entity selects it');
  await page.setViewportSize({width: 1280, height: 900});
}

async function filters(page) {
  await page.click('#types label.type-country');
  const marks = await marksOf(page, '#view');
  const country = marks.filter((m) => m.type === 'country');
  check(country.every((m) => m.bg === 'rgba(0, 0, 0, 0)' && m.label === 'none'),
        'unticking Country removes its highlights');
  check(marks.filter((m) => m.type !== 'country').every((m) => m.label !== 'none'),
        'other types stay highlighted');
  check(await page.$eval('#entities .group[data-type=country]', (g) => g.hidden),
        'unticking Country hides its entities');
  await page.click('#types label.type-country');
  check((await marksOf(page, '#view')).every((m) => m.label !== 'none'), 'ticking restores');
}

async function dataView(page, api) {
  await page.click('#data summary');
  const json = JSON.parse(await page.textContent('#json'));
  check(json.offsets === 'utf16', 'the page asks for UTF-16 offsets');
  check(json.entities.length === api.entities.length, 'the JSON view shows the response');
  const rows = await page.$$eval('#offsets tbody tr', (rs) => rs.length);
  check(rows === api.entities.reduce((n, e) => n + e.mentions.length, 0), 'one row per mention');
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await page.click('#copy');
  await page.waitForFunction(() => document.getElementById('copy-status').textContent !== '');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  check(copied === (await page.textContent('#json')), 'Copy JSON copies the response');
  const timing = await page.textContent('#timing');
  check(/tagging took [\d.]+ ms on the server, [\d.]+ ms round trip/.test(timing),
        'the timing is shown: ' + timing);
}

async function moreInput(page) {
  const short = 'NATO ministers met in Slovakia.';
  await page.fill('#title', '');
  await page.fill('#text', short);
  await page.press('#text', 'Control+Enter');
  await tagged(page, short);
  const marks = await marksOf(page, '#view');
  check(marks.map((m) => m.text).join() === 'NATO,Slovakia', 'Ctrl+Enter tags: ' + marks.length);

  /* A .txt file dropped on the text area fills it; another kind of file is refused. */
  const drop = (name, type, content) => page.$eval('#text', (t, f) => {
    const dt = new DataTransfer();
    dt.items.add(new File([f.content], f.name, {type: f.type}));
    t.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
  }, {name, type, content});
  await drop('story.txt', 'text/plain', ARTICLE);
  await page.waitForFunction((t) => document.getElementById('text').value === t, ARTICLE);
  check(true, 'a dropped .txt fills the text area');
  await drop('photo.png', 'image/png', 'x');
  await page.waitForFunction(() => document.getElementById('message').textContent !== '');
  check(/not a \.txt file/.test(await page.textContent('#message')), 'a dropped image is refused');
}

async function controls(page) {
  const unlabelled = await page.$$eval('input, textarea, button', (es) => es.filter((e) =>
      !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
      .map((e) => e.id || e.outerHTML));
  check(unlabelled.length === 0, 'every control has a label: ' + unlabelled);
  const live = await page.$eval('#message', (m) => m.getAttribute('aria-live'));
  check(live === 'assertive' || live === 'polite', 'the message region is aria-live');
}

/* The problem+json detail, readable, in the live region. */
async function errorShown(page, pattern, what) {
  await page.waitForFunction((src) => new RegExp(src).test(
      document.getElementById('message').textContent), pattern.source).catch(() => null);
  const msg = await page.textContent('#message');
  check(pattern.test(msg), what + ': ' + msg);
  check(!/[{}]/.test(msg), what + ' in words, not raw JSON: ' + msg);
  check(await page.$eval('#message', (m) => !!m.closest('[aria-live]')), what + ' is aria-live');
}

async function unprocessable(page, server) {
  /* A real 422 from the service, replayed for a request the page itself would never send. */
  const r = await fetch(server.base + '/v1/tag', {method: 'POST',
    headers: {'Content-Type': 'application/json'}, body: '{"text": 5}'});
  const body = await r.text();
  check(r.status === 422, 'the service answers 422 to a number as text');
  const detail = JSON.parse(body).detail;
  await page.route('**/v1/tag', (route) => route.fulfill({status: r.status, body,
    contentType: 'application/problem+json'}));
  await page.click('#tag');
  await errorShown(page, new RegExp('422.*' + detail.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
                   'a 422 shows its detail');
  await page.unroute('**/v1/tag');
}

async function inlineBlocked(page) {
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.inlineRan = true';
    document.head.appendChild(s);
    return window.inlineRan === true;
  });
  check(!ran, 'the browser enforces the CSP: an inline script does not run');
}

async function desktop(ctx, server, seen) {
  const page = await ctx.newPage();
  const resp = await page.goto(server.base + '/');
  checkSecurityHeaders(await resp.allHeaders(), 'the page in the browser');
  await controls(page);
  await pasteAndTag(page);
  const api = await (await fetch(server.base + '/v1/tag', {method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({text: ARTICLE, title: TITLE, options: {offsets: 'utf16'}})})).json();
  await highlights(page, api);
  await entityPanel(page, api);
  await selection(page);
  await filters(page);
  await page.locator('button.entity', {hasText: 'Russia'}).first().click();
  await page.$eval('#view', (v) => (v.scrollTop = 0));
  await page.evaluate(() => window.scrollTo(0, 0));
  const shot = path.join(OUT, 'page.png');
  await page.screenshot({path: shot, fullPage: true});
  console.error('page: screenshot ' + shot);
  await dataView(page, api);
  await moreInput(page);
  await unprocessable(page, server);
  seen.check();
  await inlineBlocked(page);
  return page;
}

async function phone(ctx, server) {
  const page = await ctx.newPage();
  await page.setViewportSize({width: 390, height: 844});
  await page.goto(server.base + '/');
  await pasteAndTag(page);
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth);
  check(fits, 'nothing is wider than a phone screen');
  const stacked = await page.evaluate(() => {
    const a = document.querySelector('.article-pane').getBoundingClientRect();
    const e = document.querySelector('.entities-pane').getBoundingClientRect();
    return e.top >= a.bottom;
  });
  check(stacked, 'on a phone the entities come below the article');
  await page.screenshot({path: path.join(OUT, 'page-phone.png'), fullPage: true});
  await page.close();
}

async function tooLarge(ctx) {
  const small = await Server.start(['--max-body', '4096']);
  try {
    const page = await ctx.newPage();
    await page.goto(small.base + '/');
    let big = ARTICLE;
    while (big.length < 6000)
      big += '\n\n' + ARTICLE;
    await page.fill('#text', big);
    await page.click('#tag');
    await errorShown(page, /413.*the limit is 4096 bytes/, 'an oversized paste shows the 413');
    await page.close();
  } finally {
    await small.stop();
  }
}

/* Watches every page of the context: no CSP violation, no script error, no request that
 * leaves this machine's service. */
function watch(ctx) {
  const problems = [];
  const watchPage = (page) => {
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text()))
        problems.push('CSP: ' + m.text());
    });
    page.on('pageerror', (e) => problems.push('script error: ' + e));
    page.on('request', (r) => {
      if (!/^(http:\/\/127\.0\.0\.1:\d+\/|data:)/.test(r.url()))
        problems.push('request elsewhere: ' + r.url());
    });
  };
  ctx.on('page', watchPage);
  ctx.pages().forEach(watchPage);
  return {check: () => check(problems.length === 0, 'clean console and network: ' + problems)};
}

async function main() {
  const pw = playwright();
  const server = await Server.start();
  let ctx;
  try {
    await assets(server);
    ctx = await launch(pw);
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], {origin: server.base});
    const seen = watch(ctx);
    const page = await desktop(ctx, server, seen);
    await phone(ctx, server);
    await tooLarge(ctx);
    /* The service goes away: the page says so. */
    await server.stop();
    await page.fill('#text', ARTICLE);
    await page.click('#tag');
    await errorShown(page, /Could not reach the wiretag service/, 'a network failure is shown');
  } finally {
    if (ctx)
      await ctx.close();
    const rc = await server.stop();
    check(rc === 0, 'wiretag stopped cleanly: ' + rc + '\n' + server.log.slice(-2000));
  }
}

const guard = setTimeout(() => {
  console.error('FAIL: page test timed out');
  process.exit(1);
}, 240000);
main().then(() => {
  clearTimeout(guard);
  process.exitCode = done('page');
}, (e) => {
  clearTimeout(guard);
  console.error('FAIL: ' + (e && e.stack || e));
  done('page');
  process.exitCode = 1;
});
