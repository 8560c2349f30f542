// Leaflet helpers shared by the application page (console) and the public map. The map is a bonus: without
// Leaflet (script blocked) or without tiles (offline), the pages still list every place as text.

const FRANCE = [46.6, 2.4];
export const TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const ATTRIBUTION = '© contributeurs OpenStreetMap';

/** Draws places (national-schema rows) that carry coordinates. Returns the map and how many markers it drew. */
export function drawPlaces(container, rows, existing) {
  const L = window.L;
  if (!L || !container) return { map: null, markers: 0, layer: null };
  let map = existing?.map;
  if (!map) {
    // The zoom buttons' names in French, like the page (RGAA 8.7); Leaflet's defaults are English.
    map = L.map(container, { scrollWheelZoom: false, zoomControl: false }).setView(FRANCE, 5);
    L.control.zoom({ zoomInTitle: 'Zoomer', zoomOutTitle: 'Dézoomer' }).addTo(map);
    L.tileLayer(TILE_URL, { maxZoom: 18, attribution: ATTRIBUTION }).addTo(map);
  }
  if (existing?.layer) existing.layer.remove();
  const layer = L.layerGroup().addTo(map);
  const points = [];
  for (const r of rows) {
    const lat = Number(r.latitude);
    const lon = Number(r.longitude);
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || r.latitude === undefined || r.longitude === undefined)
      continue;
    // A vector marker: no image to load, and the popup content is a DOM node built with textContent.
    const popup = document.createElement('div');
    const title = document.createElement('strong');
    title.textContent = r.nom || '';
    const addr = document.createElement('div');
    addr.textContent = `${r.adresse || ''}, ${r.code_postal || ''} ${r.commune || ''}`;
    popup.append(title, addr);
    L.circleMarker([lat, lon], { radius: 7, weight: 2 }).bindPopup(popup).addTo(layer);
    points.push([lat, lon]);
  }
  if (points.length > 0) map.fitBounds(points, { maxZoom: 13, padding: [20, 20] });
  return { map, markers: points.length, layer };
}
