// SPDX-License-Identifier: MIT
// The web view of the wall (docs/WEB.md): board/view.json gives the words and
// the board's settings, board/events streams the board's retained state
// (PROTOCOL.md) as it changes, and this draws the same board as the wall:
// three columns in the wall's order with escalation and refs, the warnings,
// the stand-up with its timers, the figures strip. Every text goes into the
// page through textContent, never as markup.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const KINDS = ['blocker', 'question', 'win'];
  const THEMES = ['wall', 'light', 'dark', 'system'];
  const params = new URLSearchParams(location.search);
  // ?now=RFC3339 fixes the clock, as the board's --now (tests, documentation).
  const fixedNow = params.has('now') ? Date.parse(params.get('now')) : NaN;
  const now = () => (isNaN(fixedNow) ? Date.now() : fixedNow);

  let view = null;
  let state = null;
  let status = 'unknown';
  let connected = false;

  // The translation of key, with %s and %d filled in order.
  function t(key, ...args) {
    const s = (view && view.strings && view.strings[key]) || key;
    let i = 0;
    return s.replace(/%[sd%]/g, (m) => (m === '%%' ? '%' : String(args[i++])));
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  const secs = (iso) => {
    const v = Date.parse(iso);
    return isNaN(v) ? NaN : v / 1000;
  };

  // "now", "5m", "3h", "2d", as the wall's cards.
  function age(s) {
    if (!(s >= 60)) return t('age_now');
    if (s < 3600) return t('age_m', Math.floor(s / 60));
    if (s < 86400) return t('age_h', Math.floor(s / 3600));
    return t('age_d', Math.floor(s / 86400));
  }

  // The figures' durations (tw_figures_format_duration).
  function duration(s) {
    s = Math.max(0, s);
    const m = Math.floor(s / 60), h = Math.floor(m / 60), d = Math.floor(h / 24);
    if (s < 60) return '<1m';
    if (h === 0) return m + 'm';
    if (d === 0) return m % 60 ? h + 'h ' + (m % 60) + 'm' : h + 'h';
    return h % 24 ? d + 'd ' + (h % 24) + 'h' : d + 'd';
  }

  function clockText(ms) {
    const d = new Date(ms);
    return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
  }

  function mmss(s) {
    s = Math.max(0, Math.floor(s));
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  }

  // ---- theme: the wall's, or the viewer's choice (kept in this browser) ----
  function themeMode() {
    const m = localStorage.getItem('teamwall.theme');
    return THEMES.includes(m) ? m : 'wall';
  }

  function applyTheme() {
    const mode = themeMode();
    let theme = mode;
    if (mode === 'wall') theme = (view && view.theme) || 'dark';
    if (mode === 'system') {
      theme = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
      if (matchMedia('(prefers-contrast: more)').matches) theme = 'high-contrast';
    }
    document.documentElement.dataset.theme = theme;
    const b = $('theme');
    b.replaceChildren(el('span', 'icon'), el('span', 'long', t('theme_' + mode)));
    b.title = t('theme_' + mode);
    b.setAttribute('aria-label', t('theme_' + mode));
  }

  // ---- actions (with [web] actions = true) ----
  async function act(body) {
    const out = $('action-result');
    body.by = $('name').value.trim() || 'web';
    const send = () => fetch('board/action', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-Teamwall-CSRF': view.csrf || ''},
      body: JSON.stringify(body),
    });
    try {
      let r = await send();
      if (r.status === 403) {
        // The bridge restarted (a new key) before the page had its new
        // token: take it and try once more.
        view = await loadView();
        r = await send();
      }
      const j = await r.json().catch(() => ({}));
      out.textContent = r.ok ? t('sent') : t('failed', j.error || r.status);
    } catch (e) {
      out.textContent = t('failed', e.message);
    }
  }

  function actionButton(label, body, withNote) {
    const b = el('button', 'act', t(label));
    b.type = 'button';
    b.addEventListener('click', () => {
      if (withNote) {
        const note = prompt(t('note'), '');
        if (note === null) return;
        if (note.trim()) body.note = note.trim();
      }
      act(body);
    });
    return b;
  }

  // ---- drawing ----
  function escalation(item, nowS) {
    if (item.kind !== 'blocker' || !view) return 0;
    const a = nowS - secs(item.created);
    if (a >= view.critical_after) return 2;
    if (a >= view.escalate_after) return 1;
    return 0;
  }

  function card(item, nowS, big) {
    const li = el(big ? 'div' : 'li', 'card ' + item.kind);
    li.dataset.id = item.id;
    const level = escalation(item, nowS);
    if (level) li.classList.add('esc' + level);
    li.appendChild(el('p', 'text', item.text));
    const meta = el('div', 'meta');
    meta.appendChild(el('span', 'author', item.author));
    meta.appendChild(el('span', 'ref', item.ref));
    const ageText = age(nowS - secs(item.created));
    meta.appendChild(el('span', level ? 'age pill' : 'age', level === 2 ? '⚠ ' + ageText : ageText));
    li.appendChild(meta);
    if (item.claimed_by) li.appendChild(el('div', 'onit', t('on_it', item.claimed_by)));
    if (view && view.actions && item.state !== 'resolved') {
      const row = el('div', 'buttons');
      if (item.kind !== 'win' && !item.claimed_by)
        row.appendChild(actionButton('claim', {action: 'claim', ref: item.ref}));
      row.appendChild(actionButton('resolve', {action: 'resolve', ref: item.ref}, true));
      li.appendChild(row);
    }
    return li;
  }

  // The wall's order: blockers and questions oldest first, wins newest first.
  function ordered(kind) {
    const items = ((state && state.items) || []).filter((i) => i.kind === kind);
    const by = (a, b) => secs(a.created) - secs(b.created) || (a.id < b.id ? -1 : a.id > b.id);
    items.sort(by);
    if (kind === 'win') items.reverse();
    return items;
  }

  function drawColumns(nowS) {
    for (const kind of KINDS) {
      const col = document.querySelector('.col[data-kind="' + kind + '"]');
      const items = ordered(kind);
      const open = state && state.open && state.open[kind] !== undefined ? state.open[kind] : items.length;
      col.querySelector('h2').textContent = t(kind) + ' · ' + open;
      const list = col.querySelector('.cards');
      list.replaceChildren(...items.map((i) => card(i, nowS)));
      if (!items.length) list.appendChild(el('li', 'empty', t('empty_' + kind)));
      if (open > items.length) list.appendChild(el('li', 'more', t('more', open - items.length)));
    }
  }

  function drawWarnings() {
    const box = $('warnings');
    const rows = [];
    for (const w of (state && state.warnings) || []) {
      let text;
      if (w.kind === 'button-offline')
        text = t('warn_button_offline', w.button, w.since ? clockText(Date.parse(w.since)) : '?');
      else if (w.kind === 'button-battery') text = t('warn_button_battery', w.button, w.battery);
      else if (w.kind === 'storage') text = t('warn_storage', w.reason || '');
      else if (w.kind === 'unassigned-button') text = t('warn_unassigned', w.topic || '');
      else text = [w.kind, w.reason || w.button || w.topic || ''].join(': ');
      rows.push(el('div', 'warning ' + (w.kind === 'storage' ? 'bad' : 'warn'), text));
    }
    box.replaceChildren(...rows);
    box.hidden = rows.length === 0;
  }

  function timer(label, elapsed, limit, id) {
    const box = el('div', 'timer');
    box.id = id;
    if (elapsed >= 2 * limit) box.classList.add('red');
    else if (elapsed >= limit) box.classList.add('amber');
    box.appendChild(el('span', 'value', mmss(elapsed)));
    box.appendChild(el('span', 'label', label));
    return box;
  }

  function drawStandup(nowS) {
    const box = $('standup');
    const su = state && state.standup;
    document.body.classList.toggle('in-standup', !!su);
    if (!su) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    box.hidden = false;
    const head = el('div', 'su-head');
    head.appendChild(el('h2', null, t('standup')));
    head.appendChild(el('span', 'phase ' + su.phase, t('phase_' + su.phase)));
    const summary = su.phase === 'summary';
    if (su.count && !summary) head.appendChild(el('span', 'position', t('position', su.position, su.count)));
    head.appendChild(el('span', 'spacer'));
    const timers = el('div', 'timers');
    // The summary has its duration instead of running clocks.
    if (su.item_started && !summary)
      timers.appendChild(timer(t('item_timer'), nowS - secs(su.item_started), view.item_seconds, 'su-item-timer'));
    if (!summary)
      timers.appendChild(timer(t('meeting_timer'), nowS - secs(su.started), view.meeting_minutes * 60, 'su-meeting-timer'));
    head.appendChild(timers);
    const parts = [head];
    const item = ((state && state.items) || []).find((i) => i.id === su.item);
    if (su.phase === 'summary' && su.summary) {
      const m = su.summary, n = (a) => (Array.isArray(a) ? a.length : 0);
      const row = el('div', 'su-summary');
      for (const [key, v] of [['su_discussed', m.discussed], ['su_resolved', n(m.resolved)],
                              ['su_claimed', n(m.claimed)], ['su_carried', n(m.carried_over)]]) {
        const f = el('div', 'figure');
        f.appendChild(el('span', 'value', v === undefined ? '—' : v));
        f.appendChild(el('span', 'label', t(key)));
        row.appendChild(f);
      }
      if (m.duration_s !== undefined) {
        const f = el('div', 'figure');
        f.appendChild(el('span', 'value', mmss(m.duration_s)));
        f.appendChild(el('span', 'label', t('su_duration')));
        row.appendChild(f);
      }
      parts.push(row);
    } else if (item) {
      const c = card(item, nowS, true);
      c.classList.add('su-item');
      parts.push(c);
      if (su.carried_over) parts.push(el('p', 'carried', t('carried_over', su.carried_over)));
    } else if (su.item) {
      parts.push(el('p', 'su-gone', t('su_item_gone')));
    }
    if (view.actions && su.phase !== 'summary') {
      const row = el('div', 'buttons');
      row.appendChild(actionButton('next', {action: 'next', at: su.position}));
      parts.push(row);
    }
    box.replaceChildren(...parts);
  }

  function tile(label, value, note, noteClass) {
    const d = el('div', 'tile');
    d.appendChild(el('div', 'label', label));
    d.appendChild(el('div', 'value', value));
    d.appendChild(el('div', 'note ' + (noteClass || ''), note));
    return d;
  }

  function drawFigures() {
    const f = (state && state.figures) || {};
    const tiles = [];
    const c = f.blocker_clear;
    if (!c || !c.count) {
      tiles.push(tile(t('fig_clear'), '—', c ? t('none_cleared') : ''));
    } else {
      let note = t('median_of', c.count), cls = '';
      if (c.prev_count > 0) {
        const d = c.median_s - c.prev_median_s;
        if (d <= -60) [note, cls] = [t('faster', duration(-d)), 'good'];
        else if (d >= 60) [note, cls] = [t('slower', duration(d)), 'bad'];
        else note = t('as_before');
      }
      tiles.push(tile(t('fig_clear'), duration(c.median_s), note, cls));
    }
    const q = f.questions;
    if (!q || q.percent === null || q.percent === undefined) {
      tiles.push(tile(t('fig_questions'), '—', q && q.asked ? t('asked_none_old', q.asked) : q ? t('none_asked') : ''));
    } else {
      const tq = tile(t('fig_questions'), q.percent + '%', t('n_of_m', q.answered_4h, q.decided));
      const track = el('div', 'track');
      const fill = el('div', 'fill');
      fill.style.width = Math.max(0, Math.min(100, q.percent)) + '%'; // CSSOM: allowed by the CSP
      track.appendChild(fill);
      tq.appendChild(track);
      tiles.push(tq);
    }
    const days = f.blockers_per_day || [];
    const chart = tile(t('fig_days'), '', '');
    const bars = el('div', 'chart');
    const max = Math.max(1, ...days.map((d) => Math.max(d.opened, d.cleared)));
    days.forEach((d, i) => {
      const pair = el('div', 'day' + (i === days.length - 1 ? ' today' : ''));
      pair.title = d.day + ': ' + d.opened + ' / ' + d.cleared;
      for (const [k, v] of [['opened', d.opened], ['cleared', d.cleared]]) {
        const b = el('span', 'bar ' + k);
        b.style.height = (v / max) * 100 + '%'; // CSSOM: allowed by the CSP
        pair.appendChild(b);
      }
      bars.appendChild(pair);
    });
    chart.replaceChild(bars, chart.querySelector('.value'));
    tiles.push(chart);
    tiles.push(tile(t('fig_wins'), f.wins_week !== undefined ? f.wins_week : '—', f.wins_week !== undefined ? t('since_monday') : '', 'win'));
    $('figures').replaceChildren(...tiles);
  }

  function drawHeader() {
    $('clock').textContent = clockText(now());
    const conn = $('conn');
    let cls = 'live', text = '● ' + t('live');
    if (!connected) [cls, text] = ['connecting', t('connecting')];
    else if (status === 'broker-down') [cls, text] = ['offline', t('broker_down')];
    else if (status === 'offline') [cls, text] = ['offline', t('board_offline')];
    conn.className = 'conn ' + cls;
    conn.textContent = text;
  }

  function draw() {
    if (!view) return;
    const nowS = now() / 1000;
    drawHeader();
    drawWarnings();
    drawStandup(nowS);
    drawColumns(nowS);
    drawFigures();
    const notice = $('notice');
    notice.textContent = !state ? t('no_state') : state.truncated ? t('truncated') : '';
    notice.hidden = !notice.textContent;
    document.body.dataset.ready = '1';
  }

  // Once a second: the clock and the stand-up timers; a full redraw each
  // minute for the ages.
  let ticks = 0;
  function tick() {
    if (!view) return;
    ticks++;
    if (ticks % 60 === 0) return draw();
    drawHeader();
    if (state && state.standup) drawStandup(now() / 1000);
  }

  // ---- start ----
  let lostOnce = false;

  async function loadView() {
    const r = await fetch('board/view.json', {credentials: 'same-origin'});
    if (!r.ok) throw new Error(await r.text());
    return r.json();
  }

  function listen() {
    const es = new EventSource('board/events');
    es.addEventListener('open', () => {
      connected = true;
      drawHeader();
      // A bridge that restarted signs with a new key: take its CSRF token.
      if (lostOnce) loadView().then((v) => { view = v; }).catch(() => {});
    });
    es.addEventListener('error', () => {
      // The browser reconnects by itself, with Last-Event-ID, after a
      // dropped connection; after an answer that is not a stream (503: too
      // many viewers; 401) it gives up, so start again a little later.
      connected = false;
      lostOnce = true;
      drawHeader();
      if (es.readyState === EventSource.CLOSED) setTimeout(listen, 3000 + Math.random() * 4000);
    });
    es.addEventListener('status', (e) => {
      status = JSON.parse(e.data).board;
      drawHeader();
    });
    es.addEventListener('state', (e) => {
      connected = true;
      state = JSON.parse(e.data);
      draw();
    });
  }

  async function start() {
    try {
      view = await loadView();
    } catch (e) {
      document.body.textContent = e.message;
      document.body.dataset.ready = '1';
      return;
    }
    document.documentElement.lang = t('lang');
    document.title = view.team + ' · ' + t('title');
    $('team').textContent = view.team;
    for (const kind of KINDS) document.querySelector('.col[data-kind="' + kind + '"] h2').textContent = t(kind);
    $('theme').addEventListener('click', () => {
      const next = THEMES[(THEMES.indexOf(themeMode()) + 1) % THEMES.length];
      localStorage.setItem('teamwall.theme', next);
      applyTheme();
    });
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', applyTheme);
    applyTheme();
    if (view.actions) {
      $('actions').hidden = false;
      $('name-label').textContent = t('your_name');
      $('name').value = localStorage.getItem('teamwall.name') || '';
      $('name').addEventListener('change', () => localStorage.setItem('teamwall.name', $('name').value.trim()));
    }
    draw();
    listen();
    setInterval(tick, 1000);
  }

  start().catch((e) => {
    document.body.textContent = String(e);
  });
})();
