/* The wiretag newsroom page: sends the article to POST /v1/tag with UTF-16 offsets, so that
 * offsets index JavaScript strings directly, and builds the highlighted article from them as
 * DOM nodes. User text only ever becomes text nodes (textContent), never markup.
 *
 * An HTML article (the HTML tab) is sent as "html" with "annotate": "all". Its offsets point
 * into the HTML source, so the source itself is shown, as text, with the mentions marked. The
 * rendered preview is the service's annotated HTML in an <iframe sandbox=""> through srcdoc:
 * the pasted markup never enters this page's DOM, and in the frame no script runs (sandbox),
 * its origin is opaque, and the page's CSP, which a srcdoc document inherits, still holds. */
(function () {
  'use strict';

  var TYPES = ['person', 'organization', 'country', 'treaty'];
  var TYPE_LABEL = {person: 'PER', organization: 'ORG', country: 'CTRY', treaty: 'TRTY'};
  var TYPE_GROUP = {
    person: 'Persons', organization: 'Organizations', country: 'Countries', treaty: 'Treaties'
  };

  /* The one style block of the preview frame. The srcdoc document inherits the page's CSP, which
   * allows no inline style but this exact text: its hash is in style-src-elem (server/http/
   * page_handler.c, SRV_PAGE_CSP). Change one byte here and the hash there must change too (the
   * page test says which hash it wants). The pasted HTML's own <style> and style="" stay
   * blocked. Unticked types are hidden through a <meta name="wiretag-hide"> the page puts
   * before it, so that the style text itself never varies. */
  var PREVIEW_CSS = [
    '.wt-entity{border-radius:2px;padding:0 .1em;color:inherit}',
    '.wt-entity[data-type=person]{background:#fbe3b0;border-bottom:3px solid #e69f00}',
    '.wt-entity[data-type=organization]{background:#cce3f0;border-bottom:3px dashed #0072b2}',
    '.wt-entity[data-type=country]{background:#c2e9dd;border-bottom:3px dotted #009e73}',
    '.wt-entity[data-type=treaty]{background:#f2d9e7;border-bottom:3px double #cc79a7}',
    '.wt-entity::after{display:inline-block;margin-left:.2em;padding:0 .25em;border-radius:3px;' +
        'font:700 .6rem/1.3 sans-serif;vertical-align:super;white-space:nowrap}',
    '.wt-entity[data-type=person]::after{content:"PER";background:#e69f00;color:#000}',
    '.wt-entity[data-type=organization]::after{content:"ORG";background:#0072b2;color:#fff}',
    '.wt-entity[data-type=country]::after{content:"CTRY";background:#009e73;color:#fff}',
    '.wt-entity[data-type=treaty]::after{content:"TRTY";background:#cc79a7;color:#000}',
    'html:has(meta[name=wiretag-hide][content~=person]) .wt-entity[data-type=person],' +
        'html:has(meta[name=wiretag-hide][content~=organization]) ' +
        '.wt-entity[data-type=organization],' +
        'html:has(meta[name=wiretag-hide][content~=country]) .wt-entity[data-type=country],' +
        'html:has(meta[name=wiretag-hide][content~=treaty]) .wt-entity[data-type=treaty]' +
        '{background:none;border-bottom:0}',
    'html:has(meta[name=wiretag-hide][content~=person]) .wt-entity[data-type=person]::after,' +
        'html:has(meta[name=wiretag-hide][content~=organization]) ' +
        '.wt-entity[data-type=organization]::after,' +
        'html:has(meta[name=wiretag-hide][content~=country]) ' +
        '.wt-entity[data-type=country]::after,' +
        'html:has(meta[name=wiretag-hide][content~=treaty]) .wt-entity[data-type=treaty]::after' +
        '{content:none}'
  ].join('\n');

  /* What the page shows now; replaced by each successful response. */
  var state = {
    seq: 0,          /* number of the latest request; older answers are dropped */
    marks: {},       /* entity id -> its <mark> elements in reading order */
    buttons: {},     /* entity id -> its button in the entity list */
    selected: null,  /* the selected entity id */
    cursor: -1,      /* which of its mentions was scrolled to */
    json: '',
    mode: 'text',    /* the selected input tab: 'text' or 'html' */
    annotated: null  /* the annotated HTML of the shown result (HTML mode), else null */
  };

  function $(id) {
    return document.getElementById(id);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className)
      node.className = className;
    if (text !== undefined)
      node.textContent = text;
    return node;
  }

  function clear(node) {
    while (node.firstChild)
      node.removeChild(node.firstChild);
  }

  /* Messages */

  function showError(text) {
    var m = $('message');
    m.textContent = text;
    m.classList.add('error');
  }

  function clearMessage() {
    var m = $('message');
    m.textContent = '';
    m.classList.remove('error');
  }

  /* A readable sentence for an error reply; the API answers RFC 9457 problem+json. */
  function describeProblem(status, problem, raw) {
    var detail = problem && typeof problem.detail === 'string' ? problem.detail : '';
    var title = problem && typeof problem.title === 'string' ? problem.title : 'Error';
    if (!detail)
      detail = raw ? raw.slice(0, 300) : 'the service gave no reason';
    if (status === 413)
      return 'The article is too large for this service (413 ' + title + '): ' + detail + '.';
    if (status === 422)
      return 'The service could not tag this request (422 ' + title + '): ' + detail + '.';
    if (status === 503)
      return 'The service is not ready (503): ' + detail + '. Try again in a moment.';
    return 'The service answered ' + status + ' ' + title + ': ' + detail + '.';
  }

  /* Tagging */

  async function tagArticle() {
    var html = state.mode === 'html';
    var input = html ? $('html') : $('text');
    var text = input.value;
    var title = $('title').value;
    clearMessage();
    if (!text.trim() && !title.trim()) {
      showError(html ? 'Paste the article’s HTML (or drop an .html file) first.'
                     : 'Paste an article (or drop a .txt file) first.');
      input.focus();
      return;
    }
    var body = html ? {html: text, options: {offsets: 'utf16', annotate: 'all'}}
                    : {text: text, options: {offsets: 'utf16'}};
    if (title.trim())
      body.title = title;
    var seq = ++state.seq;
    var button = $('tag');
    button.disabled = true;
    $('result').setAttribute('aria-busy', 'true');
    $('timing').textContent = 'Tagging…';
    var t0 = performance.now();
    try {
      await send(body, text, body.title || '', seq, t0);
    } finally {
      if (seq === state.seq) {
        button.disabled = false;
        $('result').removeAttribute('aria-busy');
      }
    }
  }

  async function send(body, text, title, seq, t0) {
    var resp, raw;
    try {
      resp = await fetch('/v1/tag', {
        method: 'POST',
        headers: {'Content-Type': 'application/json',
                  'Accept': 'application/json, application/problem+json'},
        body: JSON.stringify(body)
      });
      raw = await resp.text();
    } catch (err) {
      if (seq !== state.seq)
        return;
      $('timing').textContent = '';
      showError('Could not reach the wiretag service (' + (err && err.message || err) +
                '). Is it still running?');
      return;
    }
    var rtt = performance.now() - t0;
    if (seq !== state.seq)
      return;
    var parsed = null;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      parsed = null;
    }
    if (!resp.ok || !parsed || !Array.isArray(parsed.entities)) {
      $('timing').textContent = '';
      showError(resp.ok ? 'The service sent an answer this page cannot read.'
                        : describeProblem(resp.status, parsed, raw));
      return;
    }
    render(parsed, text, title, rtt, 'html' in body);
  }

  /* Rendering */

  /* `html`: the article was HTML, `text` its source, and the offsets point into that source. */
  function render(resp, text, title, rtt, html) {
    state.marks = {};
    state.buttons = {};
    state.selected = null;
    state.cursor = -1;
    var mentions = collectMentions(resp.entities);
    var view = $('view');
    clear(view);
    if (title) {
      var h = el('p', 'article-title');
      h.appendChild(highlight(title, mentions.title));
      view.appendChild(h);
    }
    var p = el('div', html ? 'article-text source' : 'article-text');
    p.appendChild(highlight(text, mentions.text));
    view.appendChild(p);
    $('article-heading').textContent = html ? 'Article HTML source' : 'Article';
    view.setAttribute('aria-label', html ? 'Tagged HTML source' : 'Tagged article');
    $('offsets-html').hidden = !html;
    state.annotated = html && typeof resp.html === 'string' ? resp.html : null;
    renderEntities(resp.entities);
    renderData(resp, mentions);
    applyFilters();
    $('preview-pane').hidden = state.annotated === null;
    $('result').hidden = false;
    $('data').hidden = false;
    var count = mentions.title.length + mentions.text.length;
    var ms = resp.stats && typeof resp.stats.elapsed_ms === 'number' ? resp.stats.elapsed_ms : NaN;
    $('timing').textContent = resp.entities.length + ' entities, ' + count + ' mentions · ' +
        'tagging took ' + ms + ' ms on the server, ' + rtt.toFixed(1) + ' ms round trip';
  }

  /* Every mention with its entity, per field, in reading order. */
  function collectMentions(entities) {
    var out = {title: [], text: []};
    entities.forEach(function (e) {
      (e.mentions || []).forEach(function (m) {
        var list = m.field === 'title' ? out.title : out.text;
        list.push({entity: e, mention: m});
      });
    });
    var byStart = function (a, b) {
      return a.mention.start - b.mention.start || b.mention.end - a.mention.end;
    };
    out.title.sort(byStart);
    out.text.sort(byStart);
    return out;
  }

  /* The field's text as text nodes and <mark>s cut at the offsets (UTF-16 units). */
  function highlight(text, mentions) {
    var frag = document.createDocumentFragment();
    var at = 0;
    mentions.forEach(function (x) {
      var m = x.mention;
      if (!(m.start >= at && m.end > m.start && m.end <= text.length))
        return; /* overlapping or out of range: leave that text plain */
      if (m.start > at)
        frag.appendChild(document.createTextNode(text.slice(at, m.start)));
      frag.appendChild(markFor(x.entity, m, text.slice(m.start, m.end)));
      at = m.end;
    });
    if (at < text.length)
      frag.appendChild(document.createTextNode(text.slice(at)));
    return frag;
  }

  /* `slice` is the source at the mention's offsets: in an HTML article it may hold markup
   * ("Anna</b> Kowalczyk"), shown as text; the mention's own `text` is its plain text. */
  function markFor(e, m, slice) {
    var mark = el('mark', 'm t-' + e.type, slice);
    mark.dataset.entity = e.id;
    mark.dataset.type = e.type;
    mark.title = e.name + ' (' + e.type + ')\nform: ' + m.form + ', confidence ' +
        Number(m.confidence).toFixed(2) + ', rule: ' + m.rule;
    if (m.in_link === true) {
      mark.classList.add('in-link');
      mark.dataset.inLink = 'true';
      mark.title += '\nin a link';
    }
    if (typeof m.text === 'string' && m.text !== slice)
      mark.title += '\ntext: ' + m.text;
    mark.addEventListener('click', function () {
      select(e.id, false);
    });
    (state.marks[e.id] = state.marks[e.id] || []).push(mark);
    return mark;
  }

  /* The entity list, grouped by type; within a type in the service's order (relevance). */
  function renderEntities(entities) {
    var box = $('entities');
    clear(box);
    if (!entities.length) {
      box.appendChild(el('p', 'hint', 'No persons, organizations, countries or treaties found.'));
      return;
    }
    TYPES.forEach(function (type) {
      var list = entities.filter(function (e) {
        return e.type === type;
      });
      if (!list.length)
        return;
      var group = el('section', 'group t-' + type);
      group.dataset.type = type;
      var h = el('h3', 'group-title');
      h.appendChild(el('span', 'swatch'));
      h.appendChild(document.createTextNode(' ' + TYPE_GROUP[type] + ' '));
      h.appendChild(el('span', 'tag', TYPE_LABEL[type]));
      group.appendChild(h);
      var ul = el('ul', 'entity-list');
      list.forEach(function (e) {
        ul.appendChild(entityItem(e));
      });
      group.appendChild(ul);
      box.appendChild(group);
    });
  }

  function entityItem(e) {
    var li = el('li');
    var b = el('button', 'entity t-' + e.type);
    b.type = 'button';
    b.dataset.entity = e.id;
    b.setAttribute('aria-pressed', 'false');
    var n = (e.mentions || []).length;
    var linked = (e.mentions || []).filter(function (m) {
      return m.in_link === true;
    }).length;
    b.appendChild(el('span', 'entity-name', e.name));
    b.appendChild(el('span', 'count', n + (n === 1 ? ' mention' : ' mentions')));
    b.appendChild(el('span', 'relevance', 'relevance ' + Number(e.relevance).toFixed(2)));
    b.title = e.id + ', confidence ' + Number(e.confidence).toFixed(2) + ', source ' + e.source;
    if (linked) {
      /* Mentions inside a link (HTML articles): a badge in words, not only a look. */
      var badge = el('span', 'in-link-count');
      badge.appendChild(el('span', 'link-tag', 'LINK'));
      badge.appendChild(document.createTextNode(
          ' ' + (linked === n ? (n === 1 ? 'in a link' : 'all in links')
                              : linked + ' of ' + n + ' in links')));
      b.appendChild(badge);
      b.classList.add('has-link');
      b.title += ', ' + linked + (linked === 1 ? ' mention' : ' mentions') + ' in a link';
    }
    b.addEventListener('click', function () {
      select(e.id, true);
    });
    state.buttons[e.id] = b;
    li.appendChild(b);
    return li;
  }

  /* Selects an entity: its mentions are highlighted, and the view scrolls to one of them.
   * Choosing the selected entity again steps to its next mention. */
  function select(id, scroll) {
    var again = state.selected === id;
    if (!again)
      deselect();
    state.selected = id;
    var marks = state.marks[id] || [];
    marks.forEach(function (m) {
      m.classList.add('selected');
    });
    if (state.buttons[id])
      state.buttons[id].setAttribute('aria-pressed', 'true');
    if (!marks.length)
      return;
    if (state.cursor >= 0 && marks[state.cursor])
      marks[state.cursor].classList.remove('current');
    state.cursor = again ? (state.cursor + 1) % marks.length : 0;
    var current = marks[state.cursor];
    current.classList.add('current');
    if (scroll)
      current.scrollIntoView({block: 'center', inline: 'nearest'});
  }

  function deselect() {
    if (state.selected === null)
      return;
    (state.marks[state.selected] || []).forEach(function (m) {
      m.classList.remove('selected', 'current');
    });
    if (state.buttons[state.selected])
      state.buttons[state.selected].setAttribute('aria-pressed', 'false');
    state.selected = null;
    state.cursor = -1;
  }

  /* Type filters */

  function applyFilters() {
    var view = $('view');
    var hidden = [];
    var boxes = $('types').querySelectorAll('input[type=checkbox]');
    Array.prototype.forEach.call(boxes, function (box) {
      view.classList.toggle('hide-' + box.value, !box.checked);
      if (!box.checked)
        hidden.push(box.value);
      var groups = $('entities').querySelectorAll('.group');
      Array.prototype.forEach.call(groups, function (g) {
        if (g.dataset.type === box.value)
          g.hidden = !box.checked;
      });
    });
    renderPreview(hidden);
  }

  /* Rendered preview */

  /* The frame's document: the annotated HTML with the page's fixed style block (and which types
   * to hide) put first, after the article's own doctype if it has one, so that a fragment is
   * drawn in standards mode, a whole document keeps its own mode, and nothing the article
   * leaves open (a comment, a <textarea>) can swallow the style. Only these fixed strings and
   * the service's answer go in; the frame is sandboxed before it gets any content. */
  function previewDoc(html, hidden) {
    var ours = '';
    if (hidden.length)
      ours += '<meta name="wiretag-hide" content="' + hidden.join(' ') + '">';
    ours += '<style>' + PREVIEW_CSS + '</style>';
    var doctype = /^(?:\s|<!--[\s\S]*?-->)*<!doctype[^>]*>/i.exec(html);
    if (doctype)
      return html.slice(0, doctype[0].length) + ours + html.slice(doctype[0].length);
    return '<!doctype html>' + ours + html;
  }

  function renderPreview(hidden) {
    var frame = $('preview');
    /* The sandbox is in index.html; should anything ever have dropped it, show nothing. */
    if (state.annotated === null || frame.getAttribute('sandbox') !== '') {
      if (frame.hasAttribute('srcdoc'))
        frame.removeAttribute('srcdoc');
      return;
    }
    var doc = previewDoc(state.annotated, hidden);
    if (frame.getAttribute('srcdoc') !== doc)
      frame.setAttribute('srcdoc', doc);
  }

  /* Offsets and JSON */

  function renderData(resp, mentions) {
    var tbody = $('offsets').querySelector('tbody');
    clear(tbody);
    mentions.title.concat(mentions.text).forEach(function (x) {
      var m = x.mention;
      var tr = el('tr', 't-' + x.entity.type);
      [m.field, m.start, m.end, m.text, x.entity.type, x.entity.id, m.form,
       Number(m.confidence).toFixed(2), m.rule, m.in_link === true ? 'yes' : ''].forEach(function (v) {
        tr.appendChild(el('td', null, String(v)));
      });
      tbody.appendChild(tr);
    });
    state.json = JSON.stringify(resp, null, 2);
    $('json').textContent = state.json;
    $('copy-status').textContent = '';
  }

  async function copyJson() {
    var status = $('copy-status');
    try {
      await navigator.clipboard.writeText(state.json);
      status.textContent = 'Copied.';
    } catch (err) {
      /* No clipboard permission: select the JSON so that Ctrl+C copies it. */
      var range = document.createRange();
      range.selectNodeContents($('json'));
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      status.textContent = 'Could not copy by itself: the JSON is selected, press Ctrl+C.';
    }
  }

  /* Input: tabs */

  var TABS = ['text', 'html'];

  /* Shows one input tab; with `focus`, moves the focus to its tab (arrow keys). */
  function selectTab(mode, focus) {
    state.mode = mode;
    TABS.forEach(function (m) {
      var tab = $('tab-' + m);
      var on = m === mode;
      tab.setAttribute('aria-selected', on ? 'true' : 'false');
      tab.tabIndex = on ? 0 : -1;
      $('panel-' + m).hidden = !on;
    });
    var file = $('file');
    file.accept = mode === 'html' ? '.html,.htm,text/html' : '.txt,text/plain';
    $('file-label').textContent = mode === 'html' ? 'Open an .html file' : 'Open a .txt file';
    if (focus)
      $('tab-' + mode).focus();
  }

  /* The tablist's keys (WAI-ARIA tabs pattern, automatic activation). */
  function onTabKey(ev) {
    var i = TABS.indexOf(state.mode);
    var next = null;
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown')
      next = TABS[(i + 1) % TABS.length];
    else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp')
      next = TABS[(i + TABS.length - 1) % TABS.length];
    else if (ev.key === 'Home')
      next = TABS[0];
    else if (ev.key === 'End')
      next = TABS[TABS.length - 1];
    if (next === null)
      return;
    ev.preventDefault();
    selectTab(next, true);
  }

  /* Input: files, keys */

  function isHtmlFile(file) {
    return /\.x?html?$/i.test(file.name) || file.type === 'text/html' ||
        file.type === 'application/xhtml+xml';
  }

  function isTextFile(file) {
    return /\.txt$/i.test(file.name) || (/^text\//.test(file.type) && !isHtmlFile(file));
  }

  /* A .txt file goes to the plain-text tab and an .html file to the HTML tab, whichever tab it
   * was dropped on or opened from. */
  async function loadFile(file) {
    if (!file)
      return;
    var mode = isHtmlFile(file) ? 'html' : isTextFile(file) ? 'text' : null;
    if (mode === null) {
      showError(state.mode === 'html'
                    ? '“' + file.name + '” is not an .html file; drop or open an HTML page.'
                    : '“' + file.name + '” is not a .txt file; drop or open plain text.');
      return;
    }
    try {
      var content = await file.text();
      if (mode !== state.mode)
        selectTab(mode, false);
      $(mode).value = content;
      clearMessage();
      $(mode).focus();
    } catch (err) {
      showError('Could not read “' + file.name + '”: ' + (err && err.message || err) + '.');
    }
  }

  function onDrop(ev) {
    if (!ev.dataTransfer || !ev.dataTransfer.files.length)
      return; /* dropped text: the browser inserts it */
    ev.preventDefault();
    ev.currentTarget.classList.remove('dragover');
    loadFile(ev.dataTransfer.files[0]);
  }

  function onDragOver(ev) {
    if (ev.dataTransfer && Array.prototype.indexOf.call(ev.dataTransfer.types, 'Files') >= 0) {
      ev.preventDefault();
      ev.dataTransfer.dropEffect = 'copy';
      ev.currentTarget.classList.add('dragover');
    }
  }

  function onKey(ev) {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      tagArticle();
    } else if (ev.key === 'Escape' && state.selected !== null) {
      deselect();
    }
  }

  function start() {
    $('form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      tagArticle();
    });
    document.addEventListener('keydown', onKey);
    TABS.forEach(function (mode) {
      $('tab-' + mode).addEventListener('click', function () {
        selectTab(mode, false);
      });
      var area = $(mode);
      area.addEventListener('dragover', onDragOver);
      area.addEventListener('dragleave', function () {
        area.classList.remove('dragover');
      });
      area.addEventListener('drop', onDrop);
    });
    $('format-tabs').addEventListener('keydown', onTabKey);
    $('file').addEventListener('change', function (ev) {
      loadFile(ev.target.files[0]);
      ev.target.value = '';
    });
    $('types').addEventListener('change', applyFilters);
    $('copy').addEventListener('click', copyJson);
    document.documentElement.classList.add('js');
  }

  start();
})();
