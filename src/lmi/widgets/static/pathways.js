/*! lmi Pathways widget (MIT). Embed:
 *   <script src="https://HOST/widgets/pathways.js" defer></script>
 *   <lmi-pathways api="https://HOST"></lmi-pathways>
 * Choose a degree subject (CAH) → graduates' earnings 1/3/5/10 years after graduation (LEO) and
 * the occupations it leads to, each opening a Careerometer card. Attributes: api, pathway-path
 * (default "/v1/pathways/cah/{code}"), accent, background, card-background, text, muted, font, radius.
 */
(() => {
  'use strict';
  const TAG = 'lmi-pathways';
  if (customElements.get(TAG)) return;
  const script = document.currentScript;
  const ORIGIN = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  const THEME = { accent: '--lmi-accent', background: '--lmi-bg', 'card-background': '--lmi-card-bg',
    text: '--lmi-text', muted: '--lmi-muted', font: '--lmi-font', radius: '--lmi-radius' };
  const PATHWAY = '/v1/pathways/cah/{code}';
  const CSS = `
:host{--a:var(--lmi-accent,#0b5cad);--cb:var(--lmi-card-bg,#fff);--t:var(--lmi-text,#1d2330);--m:var(--lmi-muted,#4f586b);
--r:var(--lmi-radius,10px);display:block;color:var(--t);background:var(--lmi-bg,transparent);
font:15px/1.45 var(--lmi-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif)}
*{box-sizing:border-box}
.box{background:var(--cb);border:1px solid color-mix(in srgb,var(--t) 18%,transparent);border-radius:var(--r);padding:.9em}
label{font-weight:600;display:block;margin-bottom:.25em}
select{font:inherit;color:var(--t);background:var(--cb);padding:.4em;border:1px solid var(--m);border-radius:calc(var(--r)*.6);max-width:100%}
select:focus,button:focus{outline:3px solid color-mix(in srgb,var(--a) 45%,transparent);outline-offset:1px}
h3{font-size:1em;margin:.9em 0 .4em}
.na{color:var(--m);font-style:italic;font-size:.9em;margin:.6em 0 0}
.yag{display:grid;grid-template-columns:6.5em 1fr 5em;gap:.3em .5em;align-items:center;font-size:.9em}
.track{height:.75em;background:color-mix(in srgb,var(--t) 8%,transparent);border-radius:99px;position:relative}
.bar{position:absolute;top:0;bottom:0;left:0;background:var(--a);border-radius:99px}
ul{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.4em}
button{font:inherit;color:var(--a);background:var(--cb);border:1px solid var(--a);border-radius:99px;padding:.25em .8em;cursor:pointer}
button[aria-pressed=true]{background:var(--a);color:#fff}
.badge{font-size:.72em;font-weight:700;text-transform:uppercase;padding:.1em .45em;border-radius:99px;background:#8a4b00;color:#fff;margin-left:.3em}
.card{margin-top:.8em}
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
  const getJSON = (url) => fetch(url, { headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? r.json().then((data) => ({ data, method: r.headers.get('X-LMI-Method') })) : null))
    .catch(() => null);
  const unwrap = (res) => (res && res.data && 'ok' in res.data ? res.data.data : res && res.data);
  const num = (o, ...keys) => { for (const k of keys) if (o && typeof o[k] === 'number') return o[k]; return null; };
  const money = (n) => '£' + Math.round(n).toLocaleString('en-GB');

  class Pathways extends HTMLElement {
    static get observedAttributes() { return Object.keys(THEME); }
    constructor() { super(); this.attachShadow({ mode: 'open' }); }
    get api() { return (this.getAttribute('api') || ORIGIN).replace(/\/+$/, ''); }
    attributeChangedCallback() { this.applyTheme(); }
    applyTheme() {
      for (const [attr, prop] of Object.entries(THEME)) {
        const v = this.getAttribute(attr);
        if (v) this.style.setProperty(prop, v); else this.style.removeProperty(prop);
      }
    }

    connectedCallback() {
      if (this.select) return;
      this.applyTheme();
      this.select = h('select', { id: 'subject', onchange: () => this.choose() }, h('option', { value: '' }, 'Loading subjects…'));
      this.result = h('div', { 'aria-live': 'polite' });
      this.shadowRoot.replaceChildren(h('style', null, CSS), h('div', { class: 'box' },
        h('label', { for: 'subject' }, 'Degree subject'), this.select, this.result));
      this.loadSubjects();
    }

    async loadSubjects() {
      const list = unwrap(await getJSON(`${this.api}/v1/subjects/cah?level=cah2`));
      if (!Array.isArray(list) || !list.length) {
        this.select.replaceChildren(h('option', { value: '' }, 'Subjects not available'));
        this.select.disabled = true;
        return;
      }
      const label = (s) => s.label.charAt(0).toUpperCase() + s.label.slice(1);
      const sorted = list.slice().sort((a, b) => label(a).localeCompare(label(b)));
      this.select.replaceChildren(h('option', { value: '' }, 'Choose a subject…'),
        ...sorted.map((s) => h('option', { value: s.code }, label(s))));
    }

    async choose() {
      const code = this.select.value;
      this.result.replaceChildren();
      if (!code) return;
      const path = (this.getAttribute('pathway-path') || PATHWAY).replace('{code}', encodeURIComponent(code));
      const res = await getJSON(this.api + path);
      if (code !== this.select.value) return;
      const data = unwrap(res);
      if (!data) {
        this.result.replaceChildren(h('p', { class: 'na' }, 'Graduate earnings and the jobs this subject leads to are not available yet.'));
        return;
      }
      const synthetic = res.method === 'synthetic' || (data.method === 'synthetic');
      this.result.replaceChildren(this.earnings(data.earnings, synthetic), this.occupations(data.occupations, data.occupations_source));
    }

    earnings(rows, synthetic) {
      const points = (Array.isArray(rows) ? rows : [])
        .map((r) => ({ yag: num(r, 'yag', 'years_after_graduation', 'years_after'), median: num(r, 'median', 'earnings_median') }))
        .filter((p) => p.yag !== null && p.median !== null).sort((a, b) => a.yag - b.yag);
      const heading = h('h3', null, 'Median earnings after graduating', synthetic ? h('span', { class: 'badge' }, 'synthetic data') : null);
      if (!points.length) return h('div', null, heading, h('p', { class: 'na' }, 'Not available'));
      const top = Math.max(...points.map((p) => p.median)) || 1;
      return h('div', null, heading, h('div', { class: 'yag' }, points.map((p) => [
        h('span', null, `${p.yag} year${p.yag === 1 ? '' : 's'}`),
        h('div', { class: 'track', 'aria-hidden': 'true' }, h('div', { class: 'bar', style: `width:${(100 * p.median) / top}%` })),
        h('strong', null, money(p.median)),
      ])));
    }

    occupations(rows, source) {
      const list = (Array.isArray(rows) ? rows : []).filter((o) => o && (o.soc || o.soc2010));
      const modelled = source && source.method === 'modelled';
      const heading = h('h3', null, 'Jobs it leads to', modelled ? h('span', { class: 'badge',
        title: 'An indicative link modelled from subject and job descriptions, not counts of graduates' }, 'modelled') : null);
      if (!list.length) return h('div', null, heading, h('p', { class: 'na' }, 'Not available'));
      this.card = h('div', { class: 'card' });
      const buttons = list.slice(0, 12).map((o) => h('button', { type: 'button', 'aria-pressed': 'false',
        onclick: (e) => this.open(e.currentTarget, o.soc || o.soc2010) }, String(o.title || o.soc)));
      return h('div', null, heading, h('ul', null, buttons.map((b) => h('li', null, b))), this.card);
    }

    async open(button, soc) {
      for (const b of this.shadowRoot.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b === button));
      if (!customElements.get('lmi-careerometer')) {
        document.head.append(h('script', { src: `${ORIGIN}/widgets/careerometer.js` }));
        await customElements.whenDefined('lmi-careerometer');
      }
      const attrs = { api: this.api, cards: '1', socs: String(soc) };
      for (const name of Object.keys(THEME)) if (this.getAttribute(name)) attrs[name] = this.getAttribute(name);
      this.card.replaceChildren(h('lmi-careerometer', attrs));
    }
  }

  customElements.define(TAG, Pathways);
})();
