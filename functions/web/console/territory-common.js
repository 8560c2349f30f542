// Shared by the territory pages: status labels, patterns and number formats (docs/territory.md).
const SVG_NS = 'http://www.w3.org/2000/svg';

/** Each status has a label, a colour and a pattern, so colour is never the only cue (RGAA 3.1). */
export const STATUSES = {
  to_stimulate: { label: 'À stimuler', fill: '#f6c38b', ink: '#8a4b00', pattern: 'hatch' },
  balanced: { label: 'Équilibré', fill: '#9fd3a8', ink: '#1d5e2c', pattern: null },
  saturated: { label: 'Saturé', fill: '#f0a3a0', ink: '#8c1d18', pattern: 'dots' },
  no_passes: { label: 'Sans passes', fill: '#eceff3', ink: '#5b5b66', pattern: null },
};

const int = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const eur = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });

export const fmtInt = (n) => int.format(n);
export const fmtEur = (n) => (n === null || n === undefined ? '—' : eur.format(n));
export const fmtReach = (r) => (r === null || r === undefined ? 'inconnue' : `${Math.round(r * 100)} %`);

export function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = String(text);
  return el;
}

/** `<defs>` with one pattern per patterned status: the fill colour with darker hatches or dots. */
export function patternDefs(prefix) {
  const defs = svg('defs');
  for (const [status, s] of Object.entries(STATUSES)) {
    if (!s.pattern) continue;
    const p = svg('pattern', {
      id: `${prefix}-${status}`,
      patternUnits: 'userSpaceOnUse',
      width: 6,
      height: 6,
      ...(s.pattern === 'hatch' ? { patternTransform: 'rotate(45)' } : {}),
    });
    p.appendChild(svg('rect', { width: 6, height: 6, fill: s.fill }));
    if (s.pattern === 'hatch') p.appendChild(svg('rect', { width: 2, height: 6, fill: s.ink }));
    else p.appendChild(svg('circle', { cx: 3, cy: 3, r: 1.3, fill: s.ink }));
    defs.appendChild(p);
  }
  return defs;
}

export function statusFill(prefix, status) {
  const s = STATUSES[status] || STATUSES.no_passes;
  return s.pattern ? `url(#${prefix}-${status})` : s.fill;
}

/** One sentence with a territory's figures: the map's accessible names and the page's summary. */
export function describe(t) {
  const s = STATUSES[t.status]?.label || t.status;
  return `${t.nom} (${t.code}) : ${s.toLowerCase()} ; ${fmtInt(t.passesInjected12m)} passes en 12 mois, ${fmtInt(t.sustainableActors)} acteur(s) soutenable(s), ${fmtInt(t.qualifiedActors)} qualifié(s), ${fmtInt(t.inProgress)} en cours, ${fmtInt(t.waitlisted)} en attente ; portée ${fmtReach(t.reach)}.`;
}
