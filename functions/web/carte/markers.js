// The public map's markers: one circle per place, grouped by a grid (cluster.js) beyond CLUSTER_FROM places, and the
// searched commune. The map is a bonus over the list: without Leaflet or without tiles the list still says everything,
// and the map says what it could not load (#map-status).
import { CLUSTER_FROM, gridCluster } from './cluster.js';
import { ATTRIBUTION, TILE_URL } from './minimap.js';

const FRANCE = [46.6, 2.4];

function popupFor(r) {
  const box = document.createElement('div');
  const title = document.createElement('strong');
  title.textContent = r.nom || '';
  const addr = document.createElement('div');
  addr.textContent = `${r.adresse || ''}, ${r.code_postal || ''} ${r.commune || ''}`;
  box.append(title, addr);
  if (r.horaires_texte) {
    const h = document.createElement('div');
    h.textContent = `Horaires : ${r.horaires_texte}`;
    box.append(h);
  }
  if (r.itineraire) {
    const a = document.createElement('a');
    a.href = r.itineraire;
    a.textContent = 'Itinéraire (OpenStreetMap)';
    box.append(a);
  }
  return box;
}

const located = (r) =>
  r.latitude !== undefined &&
  r.longitude !== undefined &&
  Number.isFinite(Number(r.latitude)) &&
  Number.isFinite(Number(r.longitude));

/** Creates the map once; `onTileError` is called once when the tiles cannot be loaded. */
export function createMap(container, onTileError) {
  const L = window.L;
  if (!L || !container) return null;
  const map = L.map(container, { scrollWheelZoom: false, zoomControl: false }).setView(FRANCE, 5);
  // The zoom buttons' names in French, like the page (RGAA 8.7); Leaflet's defaults are English.
  L.control.zoom({ zoomInTitle: 'Zoomer', zoomOutTitle: 'Dézoomer' }).addTo(map);
  let told = false;
  L.tileLayer(TILE_URL, { maxZoom: 18, attribution: ATTRIBUTION })
    .on('tileerror', () => {
      if (told) return;
      told = true;
      onTileError();
    })
    .addTo(map);
  return { map, layer: L.layerGroup().addTo(map), rows: [], origin: null, markers: 0, clusters: 0 };
}

/** Draws the places (and the searched commune) and fits the view to them. */
export function showPlaces(state, rows, origin) {
  if (!state) return;
  state.rows = rows.filter(located);
  state.origin = origin;
  redraw(state);
  const L = window.L;
  const points = state.rows.map((r) => [Number(r.latitude), Number(r.longitude)]);
  if (origin) points.push([origin.latitude, origin.longitude]);
  if (points.length > 0) state.map.fitBounds(L.latLngBounds(points), { maxZoom: 13, padding: [20, 20] });
  if (!state.listening) {
    state.listening = true;
    state.map.on('zoomend', () => redraw(state));
  }
}

function redraw(state) {
  const L = window.L;
  const { map, layer } = state;
  layer.clearLayers();
  let markers = 0;
  let clusters = 0;
  const one = (r) => {
    L.circleMarker([Number(r.latitude), Number(r.longitude)], { radius: 7, weight: 2, className: 'lieu-marker' })
      .bindPopup(popupFor(r))
      .addTo(layer);
    markers++;
  };
  if (state.rows.length < CLUSTER_FROM) state.rows.forEach(one);
  else {
    const zoom = map.getZoom();
    const points = state.rows.map((r) => {
      const p = map.project([Number(r.latitude), Number(r.longitude)], zoom);
      return { x: p.x, y: p.y, item: r };
    });
    for (const c of gridCluster(points)) {
      if (c.items.length === 1) {
        one(c.items[0]);
        continue;
      }
      const at = map.unproject([c.x, c.y], zoom);
      const count = document.createElement('span');
      count.textContent = String(c.items.length);
      const bounds = L.latLngBounds(c.items.map((r) => [Number(r.latitude), Number(r.longitude)]));
      L.circleMarker(at, {
        radius: Math.min(28, 12 + Math.log2(c.items.length) * 2),
        weight: 2,
        fillOpacity: 0.8,
        className: 'lieu-cluster',
      })
        .bindTooltip(count, { permanent: true, direction: 'center', className: 'cluster-count' })
        .on('click', () => map.fitBounds(bounds, { padding: [30, 30], maxZoom: Math.min(18, zoom + 3) }))
        .addTo(layer);
      clusters++;
    }
  }
  if (state.origin) {
    L.circleMarker([state.origin.latitude, state.origin.longitude], {
      radius: 5,
      weight: 3,
      color: '#b3261e',
      className: 'origine-marker',
    })
      .bindTooltip(state.origin.libelle)
      .addTo(layer);
  }
  state.markers = markers;
  state.clusters = clusters;
  map.getContainer().dataset.markers = String(markers);
  map.getContainer().dataset.clusters = String(clusters);
  map.getContainer().dataset.zoom = String(map.getZoom());
}
