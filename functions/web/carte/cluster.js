// Grid clustering of map markers, written here rather than vendoring a plugin: at a given zoom, points whose screen
// positions fall in the same square cell (CELL_PX) become one cluster at their mean position. Recomputed on every zoom;
// linear in the number of points (a few thousand places cost a few milliseconds). Pure: no Leaflet, no DOM.

/** Below this many points every place is its own marker; above it, nearby ones are grouped. */
export const CLUSTER_FROM = 300;
export const CELL_PX = 64;

/**
 * points: [{ x, y, item }] in screen pixels at the current zoom. Returns [{ x, y, items }] (mean position per cell).
 */
export function gridCluster(points, cellPx = CELL_PX) {
  const cells = new Map();
  for (const p of points) {
    const key = `${Math.floor(p.x / cellPx)}:${Math.floor(p.y / cellPx)}`;
    let c = cells.get(key);
    if (!c) {
      c = { sx: 0, sy: 0, items: [] };
      cells.set(key, c);
    }
    c.sx += p.x;
    c.sy += p.y;
    c.items.push(p.item);
  }
  return [...cells.values()].map((c) => ({ x: c.sx / c.items.length, y: c.sy / c.items.length, items: c.items }));
}
