// The public map of qualified places: data from /api/lieux (national schema rows), rendered with textContent only.
import { drawPlaces } from './minimap.js';

const $ = (id) => document.getElementById(id);
let rows = [];
let mapState = null;

/** The département from the INSEE code (2A/2B for Corsica, three digits overseas), never from the postal code. */
function departementOf(r) {
  const c = String(r.code_insee || '');
  if (!c) return '';
  return c.startsWith('97') || c.startsWith('98') ? c.slice(0, 3) : c.slice(0, 2);
}

function option(value, label) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = label;
  return o;
}

function fill(select, values) {
  for (const v of [...values].sort((a, b) => a.localeCompare(b, 'fr'))) select.appendChild(option(v, v));
}

function item(r) {
  const li = document.createElement('li');
  li.className = 'lieu';
  const nom = document.createElement('div');
  nom.className = 'nom';
  nom.textContent = r.nom || '';
  const addr = document.createElement('div');
  addr.textContent = `${r.adresse || ''}, ${r.code_postal || ''} ${r.commune || ''}`;
  li.append(nom, addr);
  if (r.horaires) {
    const hrs = document.createElement('div');
    hrs.textContent = `Horaires : ${r.horaires}`;
    li.append(hrs);
  }
  if (r.telephone) {
    const tel = document.createElement('div');
    tel.textContent = `Téléphone : ${r.telephone}`;
    li.append(tel);
  }
  if (r.services) {
    const s = document.createElement('div');
    s.className = 'services';
    s.textContent = String(r.services).split('|').join(' · ');
    li.append(s);
  }
  return li;
}

function render() {
  const service = $('f-service').value;
  const dep = $('f-departement').value;
  const shown = rows.filter(
    (r) =>
      (!service ||
        String(r.services || '')
          .split('|')
          .includes(service)) &&
      (!dep || departementOf(r) === dep),
  );
  const list = $('list');
  while (list.firstChild) list.removeChild(list.firstChild);
  for (const r of shown) list.appendChild(item(r));
  $('count').textContent = `${shown.length} lieu(x)`;
  // A list taller than its box scrolls: keyboard users must be able to reach it to scroll (RGAA 7.3, axe
  // scrollable-region-focusable); a short list is no tab stop.
  if (list.scrollHeight > list.clientHeight + 1) {
    list.tabIndex = 0;
    list.setAttribute('aria-labelledby', 'list-title');
  } else list.removeAttribute('tabindex');
  try {
    mapState = drawPlaces($('map'), shown, mapState);
  } catch {
    // The list is the fallback: a map error must not hide it.
  }
  document.body.dataset.loaded = 'true';
}

async function start() {
  try {
    const res = await fetch('/api/lieux', { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(String(res.status));
    rows = await res.json();
  } catch {
    $('status').textContent = 'Les lieux ne peuvent pas être chargés pour le moment. Réessayez plus tard.';
    rows = [];
  }
  const services = new Set();
  const deps = new Set();
  for (const r of rows) {
    for (const s of String(r.services || '').split('|')) if (s) services.add(s);
    if (departementOf(r)) deps.add(departementOf(r));
  }
  fill($('f-service'), services);
  fill($('f-departement'), deps);
  $('f-service').addEventListener('change', render);
  $('f-departement').addEventListener('change', render);
  render();
}

if (document.readyState === 'complete') start();
else window.addEventListener('load', start);
