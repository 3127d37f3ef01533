/*! lmi Careerometer widget (MIT). Embed:
 *   <script src="https://HOST/widgets/careerometer.js" defer></script>
 *   <lmi-careerometer api="https://HOST"></lmi-careerometer>
 * Attributes: api, cards (1-3), socs ("2136,2231"), heading, accent, background, card-background,
 * text, muted, font, radius. CSS custom properties: --lmi-accent, --lmi-bg, --lmi-card-bg,
 * --lmi-text, --lmi-muted, --lmi-font, --lmi-radius, --lmi-average.
 */
(() => {
  'use strict';
  const TAG = 'lmi-careerometer';
  if (customElements.get(TAG)) return;
  const script = document.currentScript;
  const DEFAULT_API = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  const THEME = {
    accent: '--lmi-accent', background: '--lmi-bg', 'card-background': '--lmi-card-bg',
    text: '--lmi-text', muted: '--lmi-muted', font: '--lmi-font', radius: '--lmi-radius',
  };
  const DEBOUNCE_MS = 150;
  const OUTLOOK_YEARS = 8;
  let uid = 0;

  const CSS = `
:host{--a:var(--lmi-accent,#0b5cad);--bg:var(--lmi-bg,transparent);--cb:var(--lmi-card-bg,#fff);
--t:var(--lmi-text,#1d2330);--m:var(--lmi-muted,#4f586b);--avg:var(--lmi-average,#6b7280);
--r:var(--lmi-radius,10px);display:block;container-type:inline-size;color:var(--t);background:var(--bg);
font:15px/1.45 var(--lmi-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif)}
*{box-sizing:border-box}
h2{font-size:1.15em;margin:0 0 .6em}
.cards{display:grid;grid-template-columns:repeat(var(--n,3),minmax(0,1fr));gap:.9em}
@container (max-width:44rem){.cards{grid-template-columns:1fr}}
.card{background:var(--cb);border:1px solid color-mix(in srgb,var(--t) 18%,transparent);border-radius:var(--r);
padding:.9em;min-height:8em;display:flex;flex-direction:column;gap:.55em}
.card.empty{border-style:dashed}
label{font-weight:600;font-size:.9em;display:block;margin-bottom:.25em}
.combo{position:relative}
input{width:100%;font:inherit;color:var(--t);background:var(--cb);padding:.45em .6em;
border:1px solid var(--m);border-radius:calc(var(--r)*.6)}
input:focus{outline:3px solid color-mix(in srgb,var(--a) 45%,transparent);outline-offset:1px;border-color:var(--a)}
[role=listbox]{position:absolute;z-index:5;left:0;right:0;top:100%;margin:.2em 0 0;padding:.2em 0;list-style:none;
background:var(--cb);border:1px solid var(--m);border-radius:calc(var(--r)*.6);max-height:16em;overflow:auto;
box-shadow:0 6px 18px rgba(0,0,0,.14)}
[role=option]{padding:.4em .6em;cursor:pointer}
[role=option] small{display:block;color:var(--m)}
[role=option][aria-selected=true],[role=option]:hover{background:var(--a);color:#fff}
[role=option][aria-selected=true] small,[role=option]:hover small{color:#fff}
.status{margin:0;font-size:.85em;color:var(--m)}.status:empty,.quiet{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.body{display:flex;flex-direction:column;gap:.6em;flex:1}
h3{margin:0;font-size:1.1em;line-height:1.25}
.code{color:var(--m);font-weight:400;font-size:.85em}
.desc{margin:0;font-size:.92em}
.badge{display:inline-block;font-size:.72em;font-weight:700;letter-spacing:.02em;text-transform:uppercase;
padding:.1em .45em;border-radius:99px;background:#8a4b00;color:#fff;vertical-align:middle;margin-left:.3em}
dl{margin:0;display:grid;gap:.6em}
dt{font-weight:600;font-size:.9em}
dd{margin:0}
.fig{font-size:1.05em}.fig strong{font-size:1.1em}
.na{color:var(--m);font-size:.85em;font-style:italic}
.yr{color:var(--m);font-size:.85em}
.bars{display:grid;grid-template-columns:max-content 1fr;align-items:center;gap:.15em .4em;font-size:.8em;margin-top:.2em}
.track{height:.7em;background:color-mix(in srgb,var(--t) 8%,transparent);border-radius:99px;position:relative;overflow:hidden}
.bar{position:absolute;top:0;bottom:0;left:0;border-radius:99px;background:var(--a)}
.bar.avg{background:var(--avg)}
.track.div::after{content:"";position:absolute;left:50%;top:-2px;bottom:-2px;width:1px;background:var(--m)}
.more{color:var(--a);font-weight:600;margin-top:auto}
.see{color:var(--a);font-size:.85em}
.more:focus{outline:3px solid color-mix(in srgb,var(--a) 45%,transparent)}
.foot{font-size:.78em;color:var(--m);margin:.6em 0 0}
.uk{font-size:.85em;color:var(--m);margin-top:.2em}
.foot a{color:inherit}
`;

  const h = (tag, attrs, ...kids) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const kid of kids.flat(Infinity)) if (kid !== null && kid !== undefined && kid !== false) el.append(kid);
    return el;
  };

  // -- data -------------------------------------------------------------------------------
  const cache = new Map();
  /** GET JSON; resolves {data, method} or null when absent (404/503/network/bad JSON). */
  const getJSON = (url, signal) => {
    if (!signal && cache.has(url)) return cache.get(url);
    const p = fetch(url, { signal, headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? r.json().then((data) => ({ data, method: r.headers.get('X-LMI-Method') })) : null))
      .catch((e) => { if (e && e.name === 'AbortError') throw e; return null; });
    if (!signal) cache.set(url, p);
    return p;
  };
  /** The latest figure of an ASHE series, keeping every year for same-year comparisons. */
  const series = (key) => (res) => {
    const rows = ((res && res.data && res.data.series) || [])
      .filter((r) => typeof r[key] === 'number').sort((a, b) => a.year - b.year);
    if (!rows.length) return null;
    const last = rows[rows.length - 1];
    return { value: last[key], year: last.year, byYear: Object.fromEntries(rows.map((r) => [r.year, r[key]])), method: res.method };
  };
  /** Typical pay is the median: the latest weekly median of the native pay series (the
   * LMI-for-All-compatible estimatePay is a mean, which long upper tails pull up). */
  const pay = (res) => {
    const rows = ((res && res.data && res.data.data && res.data.data.series) || [])
      .filter((r) => typeof r.value === 'number').sort((a, b) => a.year - b.year);
    if (!rows.length) return null;
    const last = rows[rows.length - 1];
    return { value: last.value, year: last.year, byYear: Object.fromEntries(rows.map((r) => [r.year, r.value])), method: res.method || last.method };
  };
  const hours = series('hours');
  const outlook = (res, until) => {
    const rows = ((res && res.data && res.data.predictedEmployment) || [])
      .filter((r) => typeof r.employment === 'number' && r.year <= until)
      .sort((a, b) => a.year - b.year);
    if (rows.length < 2 || !rows[0].employment) return null;
    const first = rows[0], last = rows[rows.length - 1];
    return { value: (100 * (last.employment - first.employment)) / first.employment,
      from: first.year, to: last.year, method: res.method };
  };
  /** "N live adverts" (/v1/vacancies/live): {state, n, below, search, asOf, method}, or null
   * when the server does not answer it (an older lmi, an error). */
  const adverts = (res) => {
    const body = res && res.data;
    const d = body && body.data;
    if (!d || typeof d.state !== 'string') return null;
    const prov = (body.meta && body.meta.provenance && body.meta.provenance[0]) || {};
    return { state: d.state, n: d.live_adverts, below: d.withheld_below, search: d.search,
      asOf: d.as_of, method: prov.method || res.method };
  };
  const sentence = (text) => {
    const s = String(text || '').trim();
    const m = s.match(/^.{40,260}?[.!?](?=\s+[A-Z]|$)/);
    return m ? m[0].trim() : s.length > 260 ? s.slice(0, 257) + '…' : s;
  };
  const money = (n) => '£' + Math.round(n).toLocaleString('en-GB');
  const pct = (n) => (n > 0 ? '+' : '') + n.toFixed(1) + '%';

  // -- element ----------------------------------------------------------------------------
  class Careerometer extends HTMLElement {
    static get observedAttributes() { return ['cards', 'heading', ...Object.keys(THEME)]; }

    constructor() {
      super();
      this.attachShadow({ mode: 'open' });
      this.cards = [];
      this._n = ++uid;
    }

    get api() { return (this.getAttribute('api') || DEFAULT_API).replace(/\/+$/, ''); }

    connectedCallback() {
      if (!this.cards.length) this.render();
      this.applyTheme();
      this.average(); // fetched while the user types, so a selection waits only for its own figures
      this.releaseMethod();
    }

    attributeChangedCallback(name) {
      if (name in THEME) this.applyTheme();
      else if (this.cards.length) this.render();
    }

    applyTheme() {
      for (const [attr, prop] of Object.entries(THEME)) {
        const v = this.getAttribute(attr);
        if (v) this.style.setProperty(prop, v); else this.style.removeProperty(prop);
      }
    }

    render() {
      const n = Math.min(3, Math.max(1, parseInt(this.getAttribute('cards') || '3', 10) || 3));
      const kept = this.cards.map((c) => c.selected);
      this.cards = [];
      const grid = h('div', { class: 'cards', style: `--n:${n}` });
      for (let i = 0; i < n; i++) this.cards.push(new Card(this, i, grid));
      const heading = this.getAttribute('heading');
      this.shadowRoot.replaceChildren(...[
        h('style', null, CSS),
        heading ? h('h2', null, heading) : null,
        grid,
        this.foot = h('p', { class: 'foot' }, 'Data: ', h('a', { href: this.api + '/', target: '_blank', rel: 'noopener' }, 'lmi'),
          ' — UK official statistics (ONS ASHE pay and hours, Working Futures projections) and job adverts lmi collects. Figures are estimates.'),
      ].filter(Boolean));
      const foot = this.foot;
      this.releaseMethod().then((m) => {
        if (m === 'synthetic' && foot) foot.replaceChildren('Data: ', h('a', { href: this.api + '/', target: '_blank', rel: 'noopener' }, 'lmi'),
          ' — SYNTHETIC DEMO: invented figures from lmi\'s generator, not official statistics.');
      });
      const socs = (this.getAttribute('socs') || '').split(',').map((s) => s.trim()).filter(Boolean);
      this.cards.forEach((card, i) => {
        if (kept[i]) card.show(kept[i]);
        else if (socs[i]) this.select(i, socs[i]);
      });
    }

    /** Fill card ``index`` with SOC 2010 unit group ``soc`` (public API). */
    async select(index, soc) {
      const res = await getJSON(`${this.api}/api/v1/soc/code/${encodeURIComponent(soc)}`);
      if (res && this.cards[index]) this.cards[index].choose(res.data);
    }

    average() {
      this._avg = this._avg || getJSON(`${this.api}/widgets/uk-average.json`).then((r) => (r && r.data) || {});
      return this._avg;
    }

    releaseMethod() {
      this._rel = this._rel || getJSON(`${this.api}/v1/release`)
        .then((r) => (r && r.data && r.data.data && r.data.data.kind === 'synthetic' ? 'synthetic' : null));
      return this._rel;
    }

    /** Largest value of a figure across filled cards (bars compare the cards when no UK average). */
    peer(key) {
      return Math.max(0, ...this.cards.map((c) => (c.figures && c.figures[key] ? Math.abs(c.figures[key].value) : 0)));
    }

    refreshBars() { for (const c of this.cards) if (c.figures) c.renderFigures(); }
  }

  class Card {
    constructor(host, index, grid) {
      this.host = host;
      this.index = index;
      this.options = [];
      this.active = -1;
      this.selected = null;
      this.figures = null;
      const id = `lmi${host._n}c${index}`;
      this.input = h('input', {
        id: `${id}q`, type: 'text', role: 'combobox', autocomplete: 'off', spellcheck: 'false',
        'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': `${id}l`,
        placeholder: 'Type a job, e.g. nurse',
        oninput: () => this.onInput(), onkeydown: (e) => this.onKey(e),
        onblur: () => setTimeout(() => this.close(), 120),
      });
      this.list = h('ul', { id: `${id}l`, role: 'listbox', 'aria-label': `Matching jobs for choice ${index + 1}`, hidden: true });
      this.status = h('p', { class: 'status', 'aria-live': 'polite' });
      this.body = h('div', { class: 'body' });
      this.el = h('section', { class: 'card empty', 'aria-label': `Job choice ${index + 1}` },
        h('div', null, h('label', { for: `${id}q` }, index ? `Compare with another job (${index + 1})` : 'Find a job'),
          h('div', { class: 'combo' }, this.input, this.list)),
        this.status, this.body);
      grid.append(this.el);
    }

    /** Announce ``text`` (aria-live); ``quiet`` keeps it for screen readers only. */
    say(text, quiet) {
      this.status.textContent = text;
      this.status.classList.toggle('quiet', !!quiet);
    }

    onInput() {
      clearTimeout(this.timer);
      const q = this.input.value.trim();
      if (q.length < 2) { this.close(); this.say(''); return; }
      this.timer = setTimeout(() => this.search(q), DEBOUNCE_MS);
    }

    async search(q) {
      if (this.ctrl) this.ctrl.abort();
      this.ctrl = new AbortController();
      let res;
      try {
        res = await getJSON(`${this.host.api}/api/v1/soc/search?q=${encodeURIComponent(q)}&limit=8`, this.ctrl.signal);
      } catch (e) { return; } // aborted by a newer search
      const found = res && Array.isArray(res.data) ? res.data : null;
      if (!found) { this.say('Search is not available right now.'); this.close(); return; }
      this.options = found.slice(0, 8);
      this.say(found.length ? `${this.options.length} matching jobs: use the arrow keys to choose.` : 'No matching jobs: try another word.', found.length > 0);
      this.open();
    }

    open() {
      this.active = -1;
      this.list.replaceChildren(...this.options.map((o, i) => h('li', {
        id: `${this.list.id}o${i}`, role: 'option', 'aria-selected': 'false',
        onmousedown: (e) => { e.preventDefault(); this.choose(o); },
      }, String(o.title), h('small', null, `SOC 2010: ${o.soc}`))));
      const show = this.options.length > 0;
      this.list.hidden = !show;
      this.input.setAttribute('aria-expanded', String(show));
      this.input.removeAttribute('aria-activedescendant');
    }

    close() {
      this.list.hidden = true;
      this.input.setAttribute('aria-expanded', 'false');
      this.input.removeAttribute('aria-activedescendant');
      this.active = -1;
    }

    move(step) {
      if (!this.options.length) return;
      if (this.list.hidden) this.open();
      const items = this.list.children;
      if (items[this.active]) items[this.active].setAttribute('aria-selected', 'false');
      this.active = (this.active + step + items.length) % items.length;
      const item = items[this.active];
      item.setAttribute('aria-selected', 'true');
      item.scrollIntoView({ block: 'nearest' });
      this.input.setAttribute('aria-activedescendant', item.id);
    }

    onKey(e) {
      if (e.key === 'ArrowDown') { e.preventDefault(); this.move(1); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); this.move(-1); }
      else if (e.key === 'Enter') {
        if (this.list.hidden || !this.options.length) return;
        e.preventDefault();
        this.choose(this.options[Math.max(0, this.active)]);
      } else if (e.key === 'Escape') {
        if (!this.list.hidden) { e.preventDefault(); this.close(); } else this.input.value = '';
      }
    }

    choose(occ) {
      performance.mark(`lmi-select-${this.index + 1}`);
      this.close();
      this.input.value = occ.title;
      this.say(`Showing ${occ.title}.`, true);
      this.show(occ);
    }

    async show(occ) {
      const token = (this.token = {});
      this.selected = occ;
      this.figures = {};
      this.el.classList.remove('empty');
      this.head = h('div', null, h('h3', null, String(occ.title), ' ', h('span', { class: 'code' }, `(SOC ${occ.soc})`)),
        h('p', { class: 'desc' }, sentence(occ.description)));
      this.dl = h('dl', null, this.loadingRows());
      const page = `${this.host.api}/occupations/soc2010/${occ.soc}`;  // lmi's occupation page
      this.body.replaceChildren(this.head, this.dl,
        h('a', { class: 'more', href: page, target: '_blank', rel: 'noopener' }, `More about ${occ.title}`));
      this.body.className = 'body';
      const api = this.host.api, soc = encodeURIComponent(occ.soc);
      const year = new Date().getFullYear();
      const want = {
        pay: getJSON(`${api}/v1/pay/soc2010/${soc}?measure=weekly&statistic=median`).then(pay),
        hours: getJSON(`${api}/api/v1/ashe/estimateHours?soc=${soc}`).then(hours),
        // up to OUTLOOK_YEARS ahead, or to the last projected year when the data ends sooner
        outlook: getJSON(`${api}/api/v1/wf/predict?soc=${soc}&minYear=${year}`)
          .then((res) => outlook(res, year + OUTLOOK_YEARS)),
        adverts: getJSON(`${api}/v1/vacancies/live?version=soc2010&soc=${soc}`).then(adverts),
      };
      const [avg, relMethod] = await Promise.all([this.host.average(), this.host.releaseMethod()]);
      const entries = await Promise.all(Object.entries(want).map(([k, p]) => p.then((v) => [k, v])));
      if (token !== this.token) return;
      this.avg = avg;
      for (const [k, v] of entries) {
        if (v && !v.method) v.method = relMethod;
        this.figures[k] = v;
      }
      this.host.refreshBars();
      performance.mark(`lmi-data-${this.index + 1}`);
      performance.measure(`lmi-card-${this.index + 1}`, `lmi-select-${this.index + 1}`, `lmi-data-${this.index + 1}`);
      this.host.dispatchEvent(new CustomEvent('lmi-card', { bubbles: true, composed: true, detail: { card: this.index + 1, soc: occ.soc, figures: this.figures } }));
    }

    loadingRows() {
      return ['Typical pay', 'Weekly hours', 'Employment outlook', 'Live adverts'].map((t) => h('div', null, h('dt', null, t), h('dd', { class: 'na' }, 'Loading…')));
    }

    renderFigures() {
      const f = this.figures, avg = this.avg || {};
      const synthetic = Object.values(f).some((v) => v && v.method === 'synthetic');
      const title = this.head.querySelector('h3');
      const old = title.querySelector('.badge');
      if (old) old.remove();
      if (synthetic) title.append(h('span', { class: 'badge', title: 'Some figures come from synthetic stand-in data, not official statistics' }, 'synthetic data'));
      this.dl.replaceChildren(
        this.row('pay', 'Typical pay', f.pay, avg.pay, (v) => [h('strong', null, `${money(v.value)} a week`), ` · ${money(v.value * 52)} a year (median)`], money, false, (n) => `${money(n)} a week (median)`),
        this.row('hours', 'Weekly hours', f.hours, avg.hours, (v) => [h('strong', null, `${v.value.toFixed(1)} hours`), ' a week'], (n) => `${n.toFixed(1)} h`),
        this.row('outlook', 'Employment outlook', f.outlook, avg.outlook, (v) => [h('strong', null, pct(v.value)), ` jobs, ${v.from}–${v.to}`], pct, true),
        this.advertsRow(f.adverts),
      );
    }

    /** "N live adverts" with a link to them; withheld small counts, none, or not collected. */
    advertsRow(v) {
      const label = h('dt', null, 'Live adverts');
      if (!v) return h('div', { 'data-stat': 'adverts' }, label, h('dd', { class: 'na' }, 'Not available'));
      const day = v.asOf ? h('span', { class: 'yr' }, ` (as of ${String(v.asOf).slice(0, 10)})`) : null;
      const link = v.search ? h('a', { class: 'see', href: this.host.api + v.search, target: '_blank', rel: 'noopener' }, 'see them') : null;
      let dd;
      if (v.state === 'counted') {
        dd = h('dd', null, h('div', { class: 'fig' }, h('strong', null, Number(v.n).toLocaleString('en-GB')),
          v.n === 1 ? ' live advert' : ' live adverts', day), link);
      } else if (v.state === 'suppressed') {
        dd = h('dd', null, h('div', { class: 'fig' }, `Fewer than ${v.below || 3} live adverts`, day),
          h('div', { class: 'na' }, 'The exact number is withheld: a small count can point at one employer.'), link);
      } else if (v.state === 'none') {
        dd = h('dd', null, h('div', { class: 'fig' }, 'No live adverts right now', day));
      } else {
        dd = h('dd', { class: 'na' }, 'Job adverts are not collected by this service');
      }
      return h('div', { 'data-stat': 'adverts', 'data-state': v.state, 'data-method': v.method || '' }, label, dd);
    }

    /** Job and UK figures to compare: the same year when both have series. */
    compare(fig, avg) {
      if (!avg) return null;
      if (Array.isArray(avg.series) && fig.byYear) {
        const same = avg.series.filter((p) => p.year in fig.byYear).sort((a, b) => b.year - a.year)[0];
        return same ? { job: fig.byYear[same.year], uk: same.value, year: same.year } : null;
      }
      return typeof avg.value === 'number' ? { job: fig.value, uk: avg.value, year: null } : null;
    }

    row(key, label, fig, avg, text, fmt, diverging, ukText) {
      if (!fig) return h('div', { 'data-stat': key }, h('dt', null, label), h('dd', { class: 'na' }, 'Not available'));
      const cmp = this.compare(fig, avg);
      const job = cmp ? cmp.job : fig.value;
      const scale = Math.max(Math.abs(job), cmp ? Math.abs(cmp.uk) : this.host.peer(key)) || 1;
      const bar = (v, cls) => {
        const w = (Math.abs(v) / scale) * (diverging ? 50 : 100);
        const left = diverging ? (v < 0 ? 50 - w : 50) : 0;
        return h('div', { class: 'track' + (diverging ? ' div' : '') }, h('div', { class: 'bar ' + cls, style: `left:${left}%;width:${w}%` }));
      };
      const when = cmp && cmp.year && cmp.year !== fig.year ? ` ${cmp.year}` : '';
      const summary = cmp ? `${label}${when}: this job ${fmt(job)}; UK average ${fmt(cmp.uk)}`
        : `${label}: ${fmt(fig.value)}; UK average not available`;
      const bars = h('div', { class: 'bars', role: 'img', 'aria-label': summary },
        h('span', null, 'This job' + when), bar(job, 'job'),
        cmp ? [h('span', null, 'UK average' + when), bar(cmp.uk, 'avg')] : null);
      const note = cmp ? null : h('div', { class: 'na' }, this.host.cards.filter((c) => c.figures && c.figures[key]).length > 1
        ? 'UK average not available: bars compare the jobs chosen' : 'UK average not available');
      // the UK figure as a number too, not only as a bar's length
      const uk = cmp ? h('div', { class: 'uk' }, `UK average${when}: ${(ukText || fmt)(cmp.uk)}`) : null;
      return h('div', { 'data-stat': key, 'data-method': fig.method || '' }, h('dt', null, label),
        h('dd', null, h('div', { class: 'fig' }, text(fig), fig.year ? h('span', { class: 'yr' }, ` (${fig.year})`) : null), bars, uk, note));
    }
  }

  customElements.define(TAG, Careerometer);
})();
