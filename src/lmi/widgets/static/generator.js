/* Embed-code generator of /widgets: live preview, snippet, contrast check. */
(() => {
  'use strict';
  const form = document.getElementById('gen');
  const preview = document.getElementById('preview-widget');
  const snippet = document.getElementById('snippet');
  const contrast = document.getElementById('contrast');
  const DEFAULTS = { cards: '3', accent: '#0b5cad', text: '#1d2330', 'card-background': '#ffffff', background: '', font: '', radius: '10' };
  const THEMED = ['accent', 'text', 'card-background', 'background', 'font', 'radius'];

  const luminance = (hex) => {
    const n = parseInt(hex.slice(1), 16);
    const c = [n >> 16, (n >> 8) & 255, n & 255].map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

  const values = () => {
    const data = Object.fromEntries(new FormData(form).entries());
    data.radius = String(data.radius);
    if (data.background === '#f7f8fa') data.background = '';
    return data;
  };

  const update = () => {
    const v = values();
    const api = (v.api || location.origin).replace(/\/+$/, '');
    const attrs = [['api', api]];
    if (v.heading) attrs.push(['heading', v.heading]);
    if (v.cards !== DEFAULTS.cards) attrs.push(['cards', v.cards]);
    for (const name of THEMED) {
      let value = v[name] || '';
      if (name === 'radius' && value) value = value + 'px';
      const dflt = name === 'radius' ? DEFAULTS.radius + 'px' : DEFAULTS[name];
      if (value && value !== dflt) attrs.push([name, value]);
    }
    for (const name of ['heading', 'cards', ...THEMED]) preview.removeAttribute(name);
    for (const [name, value] of attrs) preview.setAttribute(name, value);
    snippet.value = `<script src="${esc(api)}/widgets/careerometer.js" defer></script>\n` +
      `<lmi-careerometer ${attrs.map(([n, x]) => `${n}="${esc(x)}"`).join(' ')}></lmi-careerometer>`;
    const checks = [['Text on cards', ratio(v.text, v['card-background'])], ['Accent on cards', ratio(v.accent, v['card-background'])], ['White on accent', ratio('#ffffff', v.accent)]];
    const weak = checks.filter(([, r]) => r < 4.5);
    contrast.textContent = weak.length
      ? 'Low contrast: ' + weak.map(([n, r]) => `${n} ${r.toFixed(1)}:1`).join(', ') + ' (aim for at least 4.5:1).'
      : 'Contrast OK (all at least 4.5:1).';
    contrast.className = weak.length ? 'warn' : 'muted';
  };

  form.addEventListener('input', update);
  form.addEventListener('submit', (e) => e.preventDefault());
  document.getElementById('copy').addEventListener('click', async () => {
    const done = document.getElementById('copied');
    try { await navigator.clipboard.writeText(snippet.value); done.textContent = 'Copied.'; }
    catch (e) { snippet.select(); done.textContent = 'Press Ctrl+C (⌘C) to copy.'; }
  });
  update();
})();
