import { api, clear, errorMessage, h, renderNav, requireSession, showStatus } from './common.js';

const SVG = 'http://www.w3.org/2000/svg';
const SERIES = [
  ['qualified', 'Qualifiés', '#1d7a3a'],
  ['inProgress', 'En cours', '#1f4fa3'],
  ['waitlisted', 'En attente', '#c98a1a'],
];

function svg(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = String(text);
  return el;
}

/** Horizontal stacked bars, one per département, drawn as inline SVG (no chart library). */
function chart(rows) {
  const barH = 18;
  const gap = 6;
  const left = 140;
  const width = 720;
  const legendH = 24;
  const max = Math.max(1, ...rows.map((r) => r.qualified + r.inProgress + r.waitlisted));
  const height = legendH + rows.length * (barH + gap) + 4;
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': 'Demandes par département (détail dans le tableau ci-dessous)',
  });
  SERIES.forEach(([, label, color], i) => {
    root.appendChild(svg('rect', { x: left + i * 130, y: 4, width: 12, height: 12, fill: color }));
    root.appendChild(svg('text', { x: left + i * 130 + 16, y: 14, 'font-size': 12 }, label));
  });
  rows.forEach((r, i) => {
    const y = legendH + i * (barH + gap);
    root.appendChild(svg('text', { x: 0, y: y + 13, 'font-size': 12 }, `${r.departement} ${r.nom || ''}`.slice(0, 22)));
    let x = left;
    for (const [key, label, color] of SERIES) {
      const w = ((width - left - 40) * r[key]) / max;
      if (w > 0) {
        const rect = svg('rect', { x, y, width: w, height: barH, fill: color });
        rect.appendChild(svg('title', {}, `${label} : ${r[key]}`));
        root.appendChild(rect);
      }
      x += w;
    }
    root.appendChild(svg('text', { x: x + 4, y: y + 13, 'font-size': 11 }, r.qualified + r.inProgress + r.waitlisted));
  });
  return root;
}

async function load() {
  const res = await api('/api/console/coverage');
  const t = res.totals;
  $('totals').textContent = `${t.qualified} qualifié(s), ${t.inProgress} en cours, ${t.waitlisted} en attente.`;
  clear($('chart')).appendChild(chart(res.departements));
  const tbody = clear($('coverage').querySelector('tbody'));
  for (const r of res.departements) {
    tbody.appendChild(
      h(
        'tr',
        { dataset: { departement: r.departement } },
        h('td', {}, `${r.departement} ${r.nom || ''}`),
        h('td', {}, r.qualified),
        h('td', {}, r.inProgress),
        h('td', {}, r.waitlisted),
        h('td', {}, r.cap === null ? '—' : `${r.admitted} / ${r.cap}`),
        h('td', {}, r.activeDeployment ? 'oui' : 'non'),
      ),
    );
  }
  document.body.dataset.loaded = 'true';
}

function $(id) {
  return document.getElementById(id);
}

if (requireSession()) {
  renderNav('coverage');
  load().catch((err) => showStatus($('coverage-status'), errorMessage(err)));
}
