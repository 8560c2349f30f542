// The public map of qualified places (docs/places-geo.md): data from /api/lieux/proches (national-schema rows with the
// hours in words and an itinerary link), rendered with textContent only. The list is the accessible twin of the map;
// a commune or a postal code puts the nearest places first, with their distance.
import { createMap, showPlaces } from './markers.js';

const $ = (id) => document.getElementById(id);
let rows = [];
let origin = null;
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
  while (select.options.length > 1) select.remove(1);
  for (const v of [...values].sort((a, b) => a.localeCompare(b, 'fr'))) select.appendChild(option(v, v));
}

/** « 3,2 km », « 800 m »: as shared/domain/commune-centres.ts formatDistanceFr says it. */
function distanceText(km) {
  if (km < 1) return `${Math.max(100, Math.round((km * 1000) / 100) * 100)} m`;
  if (km < 10) return `${km.toFixed(1).replace('.', ',')} km`;
  return `${Math.round(km)} km`;
}

function line(text, cls) {
  const d = document.createElement('div');
  d.textContent = text;
  if (cls) d.className = cls;
  return d;
}

function item(r) {
  const li = document.createElement('li');
  li.className = 'lieu';
  li.append(line(r.nom || '', 'nom'));
  if (typeof r.distance_km === 'number') li.append(line(`À ${distanceText(r.distance_km)}`, 'distance'));
  li.append(line(`${r.adresse || ''}, ${r.code_postal || ''} ${r.commune || ''}`));
  if (r.horaires_texte) li.append(line(`Horaires : ${r.horaires_texte}`, 'horaires'));
  if (r.telephone) li.append(line(`Téléphone : ${r.telephone}`));
  if (r.services) li.append(line(String(r.services).split('|').join(' · '), 'services'));
  if (r.itineraire) {
    const a = document.createElement('a');
    a.href = r.itineraire;
    a.className = 'itineraire';
    a.textContent = `Itinéraire vers ${r.nom || 'ce lieu'} (OpenStreetMap)`;
    const p = document.createElement('div');
    p.append(a);
    li.append(p);
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
  $('count').textContent = origin
    ? `${shown.length} lieu(x), les plus proches de ${origin.libelle} d’abord`
    : `${shown.length} lieu(x)`;
  $('list-title').textContent = origin ? `Lieux les plus proches de ${origin.libelle}` : 'Liste des lieux';
  // A list taller than its box scrolls: keyboard users must be able to reach it to scroll (RGAA 7.3, axe
  // scrollable-region-focusable); a short list is no tab stop.
  if (list.scrollHeight > list.clientHeight + 1) {
    list.tabIndex = 0;
    list.setAttribute('aria-labelledby', 'list-title');
  } else list.removeAttribute('tabindex');
  try {
    showPlaces(mapState, shown, origin);
  } catch {
    // The list is the fallback: a map error must not hide it.
  }
  document.body.dataset.loaded = 'true';
}

function refillFilters() {
  const services = new Set();
  const deps = new Set();
  for (const r of rows) {
    for (const s of String(r.services || '').split('|')) if (s) services.add(s);
    if (departementOf(r)) deps.add(departementOf(r));
  }
  const keep = [$('f-service').value, $('f-departement').value];
  fill($('f-service'), services);
  fill($('f-departement'), deps);
  $('f-service').value = services.has(keep[0]) ? keep[0] : '';
  $('f-departement').value = deps.has(keep[1]) ? keep[1] : '';
}

async function load(q) {
  const url = q ? `/api/lieux/proches?q=${encodeURIComponent(q)}` : '/api/lieux/proches';
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  const body = await res.json().catch(() => null);
  return { status: res.status, body };
}

function showChoices(choix) {
  const box = $('choices');
  while (box.firstChild) box.removeChild(box.firstChild);
  box.hidden = choix.length === 0;
  if (choix.length === 0) return;
  box.append(line('Plusieurs communes portent ce nom : laquelle ?'));
  box.firstChild.id = 'choices-title';
  box.setAttribute('role', 'group');
  box.setAttribute('aria-labelledby', 'choices-title');
  for (const c of choix) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = c.libelle;
    b.addEventListener('click', () => {
      $('q').value = c.q;
      void search(c.q);
    });
    box.append(b);
  }
  box.querySelector('button').focus();
}

async function search(q) {
  $('status').textContent = '';
  try {
    const { status, body } = await load(q);
    if (status === 404 || status === 400) {
      showChoices([]);
      $('status').textContent = body?.message || 'Commune ou code postal introuvable.';
      return;
    }
    if (status !== 200 || !body) throw new Error(String(status));
    if (body.choix?.length) {
      $('count').textContent = 'Plusieurs communes portent ce nom : choisissez-la ci-dessous.';
      showChoices(body.choix);
      return;
    }
    showChoices([]);
    origin = body.origine || null;
    rows = body.lieux || [];
    refillFilters();
    render();
  } catch {
    $('status').textContent = 'La recherche n’a pas abouti. Réessayez plus tard ; la liste ci-dessous reste valable.';
  }
}

async function start() {
  mapState = (() => {
    try {
      return createMap($('map'), () => {
        $('map-status').textContent =
          'Le fond de carte ne peut pas être chargé : les lieux restent sur la liste, avec leur adresse et leur itinéraire.';
      });
    } catch {
      return null;
    }
  })();
  if (!mapState) $('map-status').textContent = 'La carte ne peut pas s’afficher : la liste donne tous les lieux.';
  try {
    const { status, body } = await load('');
    if (status !== 200 || !body) throw new Error(String(status));
    rows = body.lieux || [];
  } catch {
    $('status').textContent = 'Les lieux ne peuvent pas être chargés pour le moment. Réessayez plus tard.';
    rows = [];
  }
  refillFilters();
  $('f-service').addEventListener('change', render);
  $('f-departement').addEventListener('change', render);
  $('filters').addEventListener('submit', (e) => e.preventDefault());
  $('search').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = $('q').value.trim();
    if (!q) {
      origin = null;
      void load('').then(({ body }) => {
        rows = body?.lieux || [];
        refillFilters();
        render();
      });
      return;
    }
    void search(q);
  });
  render();
}

if (document.readyState === 'complete') start();
else window.addEventListener('load', start);
