/* The newsroom page in a real browser: GET / and its assets with their security headers, an
 * article pasted and tagged, mentions highlighted with the right types, entities grouped and
 * clickable, filters, the JSON view, errors (413, 422, network) in the live region, and a
 * phone-width layout; then an HTML article through the HTML tab: its source highlighted as text,
 * links marked, and the rendered preview in a sandboxed frame where none of its scripts run.
 * Screenshots go to the build directory. */
'use strict';

const crypto = require('crypto');
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

/* An HTML article: markup inside a name, character references before mentions (so that source
 * offsets and text offsets differ), a link, names in <title> and <script> (never tagged), and
 * scripts, an event handler and a dialog that must never run. */
const HTML_ARTICLE = [
  '<!doctype html>',
  '<html lang="en"><head><meta charset="utf-8"><title>Russia and Slovakia</title>',
  '<script>parent.postMessage("head script ran", "*"); var who = "Anna Kowalczyk";</script>',
  '</head><body>',
  '<h1>Slovakia to host New START talks</h1>',
  '<p>BRATISLAVA &#8212; <b>Slovakia</b> will host talks between Russia &amp; the United ' +
      'States, Foreign Minister <b>Anna</b> Kowalczyk said on Tuesday.</p>',
  '<p>Allies at <a href="https://example.org/nato">NATO</a> were briefed, and the Slovak ' +
      'envoys&#8217; notes reached both delegations.</p>',
  '<script>alert("pasted script ran"); parent.postMessage("script ran", "*"); ' +
      'var where = "Russia";</script>',
  '<img src="data:," alt="" onerror="alert(1); parent.postMessage(\'onerror ran\', \'*\')">',
  '<p>Observers from <i>NATO</i> &amp; the US will attend.</p>',
  '</body></html>',
].join('\n');
/* In reading order, as the source shows them: the person's mark holds its markup as text. */
const EXPECTED_HTML = [
  ['Slovakia', 'country'], ['New START', 'treaty'], ['Slovakia', 'country'],
  ['Russia', 'country'], ['United States', 'country'], ['Anna</b> Kowalczyk', 'person'],
  ['NATO', 'organization'], ['Slovak', 'country'], ['NATO', 'organization'], ['US', 'country'],
];

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

/* The HTML tab */

/* The format tabs follow the WAI-ARIA tabs pattern: labelled, each tab controls its panel,
 * arrow keys (and Home, End) move and select, one tab in the tab order. */
async function formatTabs(page) {
  const tabs = await page.$eval('#format-tabs', (list) => ({
    role: list.getAttribute('role'), label: list.getAttribute('aria-label'),
    tabs: [...list.querySelectorAll('[role=tab]')].map((t) => {
      const panel = document.getElementById(t.getAttribute('aria-controls'));
      return {id: t.id, name: t.textContent.trim(), selected: t.getAttribute('aria-selected'),
              tabindex: t.tabIndex, panelRole: panel && panel.getAttribute('role'),
              panelLabel: panel && panel.getAttribute('aria-labelledby'),
              panelHidden: panel && panel.hidden};
    }),
  }));
  check(tabs.role === 'tablist' && !!tabs.label, 'the format tabs are a labelled tablist');
  check(tabs.tabs.map((t) => t.name).join() === 'Plain text,HTML', 'tabs: Plain text, HTML');
  check(tabs.tabs.every((t) => t.panelRole === 'tabpanel' && t.panelLabel === t.id),
        'each tab controls a tabpanel labelled by it');
  check(tabs.tabs[0].selected === 'true' && tabs.tabs[1].selected === 'false' &&
            !tabs.tabs[0].panelHidden && tabs.tabs[1].panelHidden,
        'plain text is the default tab: ' + JSON.stringify(tabs.tabs));
  check(tabs.tabs[0].tabindex === 0 && tabs.tabs[1].tabindex === -1, 'one tab in the tab order');
  const state = () => page.evaluate(() => ({
    focus: document.activeElement.id,
    selected: [...document.querySelectorAll('[role=tab][aria-selected=true]')].map((t) => t.id),
    text: !document.getElementById('panel-text').hidden,
    html: !document.getElementById('panel-html').hidden,
    file: document.getElementById('file-label').textContent,
  }));
  await page.focus('#tab-text');
  await page.keyboard.press('ArrowRight');
  let st = await state();
  check(st.focus === 'tab-html' && st.selected.join() === 'tab-html' && st.html && !st.text,
        'ArrowRight selects the HTML tab: ' + JSON.stringify(st));
  check(/\.html/.test(st.file), 'in the HTML tab the file button opens .html: ' + st.file);
  await page.keyboard.press('ArrowRight');
  st = await state();
  check(st.focus === 'tab-text' && st.text && !st.html, 'ArrowRight wraps to Plain text');
  await page.keyboard.press('End');
  check((await state()).focus === 'tab-html', 'End goes to the last tab');
  await page.keyboard.press('Home');
  check((await state()).focus === 'tab-text', 'Home goes to the first tab');
  await page.keyboard.press('ArrowLeft');
  st = await state();
  check(st.focus === 'tab-html' && st.selected.join() === 'tab-html' && st.html,
        'ArrowLeft wraps to HTML: ' + JSON.stringify(st));
  await page.keyboard.press('Tab');
  check((await state()).focus === 'html', 'Tab goes from the tab into its panel\'s text area');
}

/* Each mark of the source view with its offset in the source (counted over the view's text). */
function sourceMarks(page) {
  return page.$eval('#view .article-text', (view) => {
    const out = [];
    let at = 0;
    for (const n of view.childNodes) {
      const len = n.textContent.length;
      if (n.nodeName === 'MARK')
        out.push({text: n.textContent, type: n.dataset.type, entity: n.dataset.entity, start: at,
                  end: at + len, inLink: n.classList.contains('in-link'), title: n.title,
                  linkLabel: getComputedStyle(n, '::before').content,
                  label: getComputedStyle(n, '::after').content});
      at += len;
    }
    return out;
  });
}

/* [start, end) of every <script> element in the source. */
function scriptRanges(html) {
  const out = [];
  const re = /<script\b[\s\S]*?<\/script>/gi;
  for (let m; (m = re.exec(html));)
    out.push([m.index, m.index + m[0].length]);
  return out;
}

/* Polls the preview frame until `pred` holds for its .wt-entity spans (the frame reloads when
 * its srcdoc changes). */
async function previewSpans(page, pred, what) {
  const spans = page.frameLocator('#preview').locator('.wt-entity');
  const deadline = Date.now() + 10000;
  let got = [];
  for (;;) {
    got = await spans.evaluateAll((ss) => ss.map((s) => ({
      text: s.textContent, type: s.dataset.type, entity: s.dataset.entityId,
      bg: getComputedStyle(s).backgroundColor, label: getComputedStyle(s, '::after').content,
    }))).catch(() => []);
    if ((got.length && pred(got)) || Date.now() > deadline)
      break;
    await page.waitForTimeout(50);
  }
  check(got.length && pred(got), what + ': ' + JSON.stringify(got));
  return got;
}

async function htmlArticle(ctx, server) {
  const page = await ctx.newPage();
  const resp = await page.goto(server.base + '/');
  const csp = (await resp.allHeaders())['content-security-policy'] || '';
  await formatTabs(page);
  /* Anything the pasted HTML runs would post here (or open a dialog, which watch() reports). */
  await page.evaluate(() => {
    window.wtMessages = [];
    window.addEventListener('message', (e) => window.wtMessages.push(String(e.data)));
  });
  await page.fill('#title', '');
  await page.evaluate((t) => navigator.clipboard.writeText(t), HTML_ARTICLE);
  await page.focus('#html');
  await page.keyboard.press('Control+V');
  check(await page.inputValue('#html') === HTML_ARTICLE, 'the HTML article was pasted');
  const sent = page.waitForRequest((r) => r.url().endsWith('/v1/tag'));
  await page.click('#tag');
  const body = JSON.parse((await sent).postData());
  check(body.html === HTML_ARTICLE && !('text' in body), 'the HTML tab sends "html", not "text"');
  check(body.options && body.options.offsets === 'utf16' && body.options.annotate === 'all',
        'with UTF-16 offsets and annotate all: ' + JSON.stringify(body.options));
  await tagged(page, HTML_ARTICLE);
  const api = await (await fetch(server.base + '/v1/tag', {method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({html: HTML_ARTICLE, options: {offsets: 'utf16', annotate: 'all'}})})).json();
  check(typeof api.html === 'string' && api.html.includes('class="wt-entity"'),
        'the service annotates the HTML');

  /* (a) The source, as text, with the mentions marked at their source offsets. */
  const marks = await sourceMarks(page);
  check(inOrder(marks.map((m) => [m.text, m.type]), EXPECTED_HTML),
        'HTML mentions highlighted in the source with their types: ' +
            JSON.stringify(marks.map((m) => [m.text, m.type])));
  const mentions = api.entities.flatMap((e) => e.mentions.map((m) => ({e, m})));
  check(marks.length === mentions.length, 'one mark per mention: ' + mentions.length);
  check(marks.every((k) => mentions.some(({e, m}) => m.start === k.start && m.end === k.end &&
                                         e.id === k.entity)),
        'every mark sits at its mention\'s source offsets');
  check(marks.every((m) => m.label !== 'none' && m.label !== 'normal'), 'marks carry type labels');
  const person = marks.find((m) => m.type === 'person');
  check(person && person.text === 'Anna</b> Kowalczyk' && /text: Anna Kowalczyk/.test(person.title),
        'a name across a tag shows its markup as text, its plain text on hover: ' +
            JSON.stringify(person));
  const scripts = scriptRanges(HTML_ARTICLE);
  check(scripts.length === 2, 'the test article has two scripts');
  const inScript = marks.filter((m) => scripts.some(([a, b]) => m.start < b && m.end > a));
  check(inScript.length === 0, 'no name inside a <script> is tagged: ' + JSON.stringify(inScript));
  check(!mentions.some(({m}) => scripts.some(([a, b]) => m.start < b && m.end > a)),
        'the service tags nothing inside a <script>');
  const live = await page.evaluate(() => ({
    children: document.querySelectorAll('#view .article-text *:not(mark)').length,
    wt: document.querySelectorAll('.wt-entity').length,
    handlers: document.querySelectorAll('[onerror], img, b, a[href^="https:"]').length,
    scripts: [...document.scripts].filter((s) => !s.src).length,
  }));
  check(live.children === 0 && live.wt === 0 && live.handlers === 0 && live.scripts === 0,
        'the pasted HTML is never markup in the page: ' + JSON.stringify(live));

  /* in_link: the mention is marked in the source, in the entity list and in the table. */
  const linked = marks.filter((m) => m.inLink);
  const nato = mentions.filter(({m}) => m.in_link === true);
  check(nato.length === 1 && linked.length === 1 && linked[0].text === 'NATO' &&
            linked[0].start === nato[0].m.start,
        'the mention inside the link is marked as such: ' + JSON.stringify(linked));
  check(linked.length && linked[0].linkLabel === '"LINK"' && /in a link/.test(linked[0].title),
        'an in-link mark shows a LINK badge and says so on hover');
  check(marks.filter((m) => !m.inLink).every((m) => m.linkLabel === 'none' ||
                                                    m.linkLabel === 'normal'),
        'other marks have no LINK badge');
  const badges = await page.$$eval('button.entity', (bs) => bs.map((b) => ({
    name: b.querySelector('.entity-name').textContent,
    link: (b.querySelector('.in-link-count') || {}).textContent || ''})));
  const natoButton = badges.find((b) => b.name === 'North Atlantic Treaty Organization');
  check(natoButton && /LINK\s+1 of 2 in links/.test(natoButton.link),
        'the entity list marks the entity named in a link: ' + JSON.stringify(natoButton));
  check(badges.filter((b) => b.link).length === 1, 'only that entity has a link badge');
  await page.click('#data summary');
  const rows = await page.$$eval('#offsets tbody tr', (rs) => rs.map((r) =>
      [...r.cells].map((c) => c.textContent)));
  check(rows.filter((r) => r[9] === 'yes').map((r) => r[3]).join() === 'NATO',
        'the table says which mention is in a link');
  check(await page.isVisible('#offsets-html'), 'the table says the offsets are into the source');

  /* (b) The rendered preview: sandboxed, the service's annotated HTML, styled under the CSP. */
  const frame = await page.$eval('#preview', (f) => ({
    sandbox: f.getAttribute('sandbox'), srcdoc: f.getAttribute('srcdoc') || '',
    title: f.title, visible: !f.closest('[hidden]')}));
  check(frame.sandbox === '', 'the preview frame is sandboxed with sandbox="": ' + frame.sandbox);
  check(frame.visible && !!frame.title, 'the preview is shown and has a title');
  const style = /<style>([\s\S]*?)<\/style>/.exec(frame.srcdoc);
  check(style && frame.srcdoc.replace(style[0], '') === api.html,
        'the preview is the annotated HTML with one style block after its doctype');
  const hash = style && "'sha256-" + crypto.createHash('sha256').update(style[1]).digest('base64') +
      "'";
  check(hash && csp.includes("style-src-elem 'self' " + hash + ';'),
        'the CSP allows the preview\'s style block by its hash (SRV_PAGE_CSP wants ' + hash + '): ' +
            csp);
  check(/(^|; )style-src 'self';/.test(csp), 'style attributes stay blocked: ' + csp);
  const wrapped = [...api.html.matchAll(/<span class="wt-entity" data-type="([a-z]+)"[^>]*>([^<]*)/g)]
      .map((m) => [m[2], m[1]]);
  check(wrapped.length >= 5, 'the service wraps mentions: ' + JSON.stringify(wrapped));
  const spans = await previewSpans(page, (ss) => ss.length === wrapped.length &&
      ss.every((s) => s.bg !== 'rgba(0, 0, 0, 0)' && /^"(PER|ORG|CTRY|TRTY)"$/.test(s.label)),
      'the preview shows the wt-entity spans, styled');
  check(JSON.stringify(spans.map((s) => [s.text, s.type])) === JSON.stringify(wrapped),
        'the preview\'s spans are the service\'s');
  const inner = page.frameLocator('#preview');
  check(await inner.locator('a[href="https://example.org/nato"]').count() === 1 &&
            await inner.locator('b').count() === 2,
        'the preview renders the article\'s markup');

  /* Nothing of the pasted HTML ran: no message, no dialog (watch), no global. */
  await page.waitForTimeout(300);
  const msgs = await page.evaluate(() => window.wtMessages);
  check(msgs.length === 0, 'no script of the pasted HTML runs: ' + JSON.stringify(msgs));
  const f = page.frames().find((x) => x.url() === 'about:srcdoc');
  const globals = f ? await f.evaluate(() => [typeof window.who, typeof window.where])
                        .catch((e) => ['not evaluable: ' + e.message]) : ['no frame'];
  check(globals.join() === 'undefined,undefined', 'the pasted scripts left nothing behind: ' + globals);

  /* Filters reach the preview as well as the source. */
  await page.click('#types label.type-country');
  await previewSpans(page, (ss) => ss.filter((s) => s.type === 'country').every((s) =>
      s.bg === 'rgba(0, 0, 0, 0)' && s.label === 'none') &&
      ss.filter((s) => s.type !== 'country').every((s) => s.label !== 'none'),
      'unticking Country removes its highlights in the preview');
  check((await sourceMarks(page)).filter((m) => m.type === 'country').every((m) => m.label === 'none'),
        'and in the source');
  await page.click('#types label.type-country');
  await previewSpans(page, (ss) => ss.every((s) => s.label !== 'none'), 'ticking restores them');

  /* Choosing an entity selects its marks in the source; Escape clears. */
  await page.locator('button.entity', {hasText: 'North Atlantic Treaty Organization'}).click();
  const sel = await page.$$eval('#view mark.selected', (ms) => ms.map((m) => m.textContent));
  check(sel.join() === 'NATO,NATO', 'selecting an entity selects its marks in the source: ' + sel);
  await page.keyboard.press('Escape');
  await page.screenshot({path: path.join(OUT, 'page-html.png'), fullPage: true});
  await page.locator('#preview').screenshot({path: path.join(OUT, 'page-html-preview.png')});

  /* Files: .html to the HTML tab (also when dropped on the plain text), others refused. */
  const drop = (target, name, type, content) => page.$eval(target, (t, f) => {
    const dt = new DataTransfer();
    dt.items.add(new File([f.content], f.name, {type: f.type}));
    t.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
  }, {name, type, content});
  const small = '<p>NATO met in <b>Slovakia</b>.</p>';
  await drop('#html', 'story.html', 'text/html', small);
  await page.waitForFunction((t) => document.getElementById('html').value === t, small);
  await page.keyboard.press('Control+Enter');
  await tagged(page, small);
  check((await sourceMarks(page)).map((m) => m.text).join() === 'NATO,Slovakia',
        'a dropped .html file is tagged with Ctrl+Enter');
  await drop('#html', 'photo.png', 'image/png', 'x');
  await page.waitForFunction(() => document.getElementById('message').textContent !== '');
  check(/not an \.html file/.test(await page.textContent('#message')),
        'a dropped image is refused in the HTML tab');
  await page.click('#tab-text');
  await drop('#text', 'other.html', 'text/html', small + ' ');
  await page.waitForFunction((t) => document.getElementById('html').value === t, small + ' ');
  check(await page.getAttribute('#tab-html', 'aria-selected') === 'true',
        'an .html file dropped on the plain text goes to the HTML tab');

  /* Back to plain text: no preview, plain offsets. */
  await page.click('#tab-text');
  await page.fill('#text', 'NATO ministers met in Slovakia.');
  await page.click('#tag');
  await tagged(page, 'NATO ministers met in Slovakia.');
  const after = await page.$eval('#preview', (f) => ({hidden: !!f.closest('[hidden]'),
                                                      srcdoc: f.hasAttribute('srcdoc')}));
  check(after.hidden && !after.srcdoc, 'plain text shows no preview: ' + JSON.stringify(after));
  check(await page.textContent('#article-heading') === 'Article', 'the heading is back to Article');
  await page.close();
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
  await htmlArticle(ctx, server);
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
  await page.click('#tab-html');
  await page.fill('#html', HTML_ARTICLE);
  await page.click('#tag');
  await tagged(page, HTML_ARTICLE);
  await page.frameLocator('#preview').locator('.wt-entity').first().waitFor();
  const htmlFits = await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth);
  check(htmlFits, 'an HTML article and its preview fit a phone screen');
  const tabs = await page.$eval('#format-tabs', (t) => t.getBoundingClientRect().right <= innerWidth);
  check(tabs, 'the format tabs fit a phone screen');
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
    await page.click('#tab-html');
    await page.fill('#html', '<p>' + big.replace(/\n\n/g, '</p><p>') + '</p>');
    await page.click('#tag');
    await page.waitForFunction(() => !document.getElementById('tag').disabled);
    await errorShown(page, /413.*the limit is 4096 bytes/, 'an oversized HTML paste shows the 413');
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
    page.on('dialog', (d) => {
      problems.push('dialog: ' + d.message());
      d.dismiss().catch(() => null);
    });
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
