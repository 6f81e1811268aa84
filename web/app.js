/* The wiretag newsroom page: sends the article to POST /v1/tag with UTF-16 offsets, so that
 * offsets index JavaScript strings directly, and builds the highlighted article from them as
 * DOM nodes. User text only ever becomes text nodes (textContent), never markup. */
(function () {
  'use strict';

  var TYPES = ['person', 'organization', 'country', 'treaty'];
  var TYPE_LABEL = {person: 'PER', organization: 'ORG', country: 'CTRY', treaty: 'TRTY'};
  var TYPE_GROUP = {
    person: 'Persons', organization: 'Organizations', country: 'Countries', treaty: 'Treaties'
  };

  /* What the page shows now; replaced by each successful response. */
  var state = {
    seq: 0,          /* number of the latest request; older answers are dropped */
    marks: {},       /* entity id -> its <mark> elements in reading order */
    buttons: {},     /* entity id -> its button in the entity list */
    selected: null,  /* the selected entity id */
    cursor: -1,      /* which of its mentions was scrolled to */
    json: ''
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
    var text = $('text').value;
    var title = $('title').value;
    clearMessage();
    if (!text.trim() && !title.trim()) {
      showError('Paste an article (or drop a .txt file) first.');
      $('text').focus();
      return;
    }
    var body = {text: text, options: {offsets: 'utf16'}};
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
    render(parsed, text, title, rtt);
  }

  /* Rendering */

  function render(resp, text, title, rtt) {
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
    var p = el('div', 'article-text');
    p.appendChild(highlight(text, mentions.text));
    view.appendChild(p);
    renderEntities(resp.entities);
    renderData(resp, mentions);
    applyFilters();
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

  function markFor(e, m, slice) {
    var mark = el('mark', 'm t-' + e.type, slice);
    mark.dataset.entity = e.id;
    mark.dataset.type = e.type;
    mark.title = e.name + ' (' + e.type + ')\nform: ' + m.form + ', confidence ' +
        Number(m.confidence).toFixed(2) + ', rule: ' + m.rule;
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
    b.appendChild(el('span', 'entity-name', e.name));
    b.appendChild(el('span', 'count', n + (n === 1 ? ' mention' : ' mentions')));
    b.appendChild(el('span', 'relevance', 'relevance ' + Number(e.relevance).toFixed(2)));
    b.title = e.id + ', confidence ' + Number(e.confidence).toFixed(2) + ', source ' + e.source;
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
    var boxes = $('types').querySelectorAll('input[type=checkbox]');
    Array.prototype.forEach.call(boxes, function (box) {
      view.classList.toggle('hide-' + box.value, !box.checked);
      var groups = $('entities').querySelectorAll('.group');
      Array.prototype.forEach.call(groups, function (g) {
        if (g.dataset.type === box.value)
          g.hidden = !box.checked;
      });
    });
  }

  /* Offsets and JSON */

  function renderData(resp, mentions) {
    var tbody = $('offsets').querySelector('tbody');
    clear(tbody);
    mentions.title.concat(mentions.text).forEach(function (x) {
      var m = x.mention;
      var tr = el('tr', 't-' + x.entity.type);
      [m.field, m.start, m.end, m.text, x.entity.type, x.entity.id, m.form,
       Number(m.confidence).toFixed(2), m.rule].forEach(function (v) {
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

  /* Input: files, keys */

  async function loadFile(file) {
    if (!file)
      return;
    if (!(/\.txt$/i.test(file.name) || /^text\//.test(file.type))) {
      showError('“' + file.name + '” is not a .txt file; drop or open plain text.');
      return;
    }
    try {
      $('text').value = await file.text();
      clearMessage();
      $('text').focus();
    } catch (err) {
      showError('Could not read “' + file.name + '”: ' + (err && err.message || err) + '.');
    }
  }

  function onDrop(ev) {
    if (!ev.dataTransfer || !ev.dataTransfer.files.length)
      return; /* dropped text: the browser inserts it */
    ev.preventDefault();
    $('text').classList.remove('dragover');
    loadFile(ev.dataTransfer.files[0]);
  }

  function onDragOver(ev) {
    if (ev.dataTransfer && Array.prototype.indexOf.call(ev.dataTransfer.types, 'Files') >= 0) {
      ev.preventDefault();
      ev.dataTransfer.dropEffect = 'copy';
      $('text').classList.add('dragover');
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
    var text = $('text');
    text.addEventListener('dragover', onDragOver);
    text.addEventListener('dragleave', function () {
      text.classList.remove('dragover');
    });
    text.addEventListener('drop', onDrop);
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
