import { api, clear, errorMessage, h, renderNav, requireSession, showStatus } from './common.js';
import { describe, fmtEur, fmtInt, fmtReach, patternDefs, STATUSES, statusFill, svg } from './territory-common.js';

const $ = (id) => document.getElementById(id);
const PREFIX = 'st';
const WIDTH = 613;
const METRO_HEIGHT = 585;
const BOX = 40;
const PATH_DATA = /^[MmLlZz0-9 .-]+$/;

const pageOf = (code) => `/console/territoire.html?departement=${encodeURIComponent(code)}`;

/** The shapes of metropolitan France (our own asset, functions/web/console/departements.svg): code → path data. */
async function shapes() {
  const res = await fetch('/console/departements.svg');
  if (!res.ok) throw new Error('carte indisponible');
  const doc = new DOMParser().parseFromString(await res.text(), 'image/svg+xml');
  const out = new Map();
  for (const p of doc.querySelectorAll('path[data-code]')) {
    const d = p.getAttribute('d') || '';
    // Only path data is copied into the page, never markup.
    if (PATH_DATA.test(d)) out.set(p.getAttribute('data-code'), d);
  }
  return out;
}

function territoryLink(t, shape, boxed = false) {
  // A box shows its code as text: its name starts with it, as written (RGAA 6.1.5, « label in name »).
  const name = boxed ? `${t.code}, ${describe(t)}` : describe(t);
  const a = svg('a', { href: pageOf(t.code), 'aria-label': name, tabindex: -1, 'data-code': t.code });
  // A tooltip for the pointer.
  if (!boxed) a.appendChild(svg('title', {}, name));
  a.appendChild(shape);
  return a;
}

/**
 * The map: one link per département (its page), one tab stop for the whole map (roving tabindex), arrows to move.
 * Overseas départements, which the shapes do not cover, are labelled boxes under metropolitan France.
 */
function drawMap(rows, paths) {
  const overseas = rows.filter((t) => !paths.has(t.code));
  const perLine = Math.floor((WIDTH - 10) / (BOX + 6));
  const lines = Math.ceil(overseas.length / perLine);
  const height = METRO_HEIGHT + 20 + lines * (BOX + 6);
  const root = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${height}`,
    role: 'group',
    'aria-labelledby': 'map-title',
    'aria-describedby': 'map-help',
  });
  root.appendChild(patternDefs(PREFIX));
  const links = [];
  for (const t of rows) {
    const d = paths.get(t.code);
    if (!d) continue;
    const shape = svg('path', { d, fill: statusFill(PREFIX, t.status), stroke: '#1b1b1f', 'stroke-width': 0.6 });
    links.push(territoryLink(t, shape));
  }
  overseas.forEach((t, i) => {
    const x = 5 + (i % perLine) * (BOX + 6);
    const y = METRO_HEIGHT + 20 + Math.floor(i / perLine) * (BOX + 6);
    const g = svg('g');
    g.appendChild(
      svg('rect', {
        x,
        y,
        width: BOX,
        height: BOX,
        fill: statusFill(PREFIX, t.status),
        stroke: '#1b1b1f',
        'stroke-width': 0.8,
      }),
    );
    g.appendChild(
      svg(
        'text',
        { x: x + BOX / 2, y: y + BOX / 2 + 4, 'text-anchor': 'middle', 'font-size': 12, fill: '#1b1b1f' },
        t.code,
      ),
    );
    links.push(territoryLink(t, g, true));
  });
  for (const a of links) root.appendChild(a);
  if (links[0]) links[0].setAttribute('tabindex', '0');
  root.addEventListener('keydown', (e) => {
    const at = links.indexOf(e.target.closest?.('a'));
    if (at < 0) return;
    const to = {
      ArrowRight: at + 1,
      ArrowDown: at + 1,
      ArrowLeft: at - 1,
      ArrowUp: at - 1,
      Home: 0,
      End: links.length - 1,
    }[e.key];
    if (e.key === 'Enter') {
      e.preventDefault();
      location.assign(links[at].getAttribute('href'));
      return;
    }
    if (to === undefined) return;
    e.preventDefault();
    const next = links[(to + links.length) % links.length];
    links[at].setAttribute('tabindex', '-1');
    next.setAttribute('tabindex', '0');
    next.focus();
  });
  return root;
}

function drawLegend(rows) {
  const ul = clear($('legend'));
  for (const [status, s] of Object.entries(STATUSES)) {
    const count = rows.filter((t) => t.status === status).length;
    const swatch = svg('svg', {
      width: 22,
      height: 16,
      viewBox: '0 0 22 16',
      'aria-hidden': 'true',
      focusable: 'false',
    });
    swatch.appendChild(patternDefs(`lg-${status}`));
    swatch.appendChild(
      svg('rect', { x: 1, y: 1, width: 20, height: 14, fill: statusFill(`lg-${status}`, status), stroke: '#1b1b1f' }),
    );
    ul.appendChild(h('li', { dataset: { status } }, swatch, ` ${s.label} : ${count} département(s)`));
  }
}

function drawTable(rows) {
  const tbody = clear($('territories').querySelector('tbody'));
  for (const t of rows) {
    const cell = (field, text) => h('td', { dataset: { field } }, text);
    tbody.appendChild(
      h(
        'tr',
        { dataset: { code: t.code } },
        h('th', { scope: 'row' }, h('a', { href: pageOf(t.code) }, `${t.nom} (${t.code})`)),
        h('td', { dataset: { field: 'status' }, class: `status-${t.status}` }, STATUSES[t.status]?.label || t.status),
        cell('passesInjected12m', fmtInt(t.passesInjected12m)),
        cell('valueInjected12m', fmtEur(t.valueInjected12m)),
        cell('sustainableActors', fmtInt(t.sustainableActors)),
        cell('qualifiedActors', fmtInt(t.qualifiedActors)),
        cell('inProgress', fmtInt(t.inProgress)),
        cell('waitlisted', fmtInt(t.waitlisted)),
        cell('revenuePerActor', fmtEur(t.revenuePerActor)),
        cell('reach', fmtReach(t.reach)),
      ),
    );
  }
}

async function load() {
  const [view, paths] = await Promise.all([api('/api/console/territories'), shapes()]);
  const rows = view.territories;
  drawLegend(rows);
  clear($('map')).appendChild(drawMap(rows, paths));
  drawTable(rows);
  const [lo, hi] = view.ratioBandEur;
  $('ratio').textContent =
    `Ratio consolidateur : un acteur est soutenable pour ${fmtEur(view.ratioTargetEur)} de passes par an (objectif ${fmtEur(lo)} à ${fmtEur(hi)}, jamais une promesse). Portée : part des passes dont la commune a un lieu qualifié à moins de ${view.reachRadiusKm} km.`;
  document.body.dataset.loaded = 'true';
}

if (requireSession()) {
  renderNav('territories');
  load().catch((err) => showStatus($('territories-status'), errorMessage(err)));
}
