import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain browser module (no types), loaded as is.
import { CLUSTER_FROM, gridCluster } from '../../../functions/web/carte/cluster.js';

describe('/carte grid clustering', () => {
  it('groups points of one cell at their mean position and keeps far ones apart', () => {
    const out = gridCluster([
      { x: 10, y: 10, item: 'a' },
      { x: 30, y: 50, item: 'b' },
      { x: 200, y: 10, item: 'c' },
    ]);
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual({ x: 20, y: 30, items: ['a', 'b'] });
    expect(out[1]).toEqual({ x: 200, y: 10, items: ['c'] });
  });

  it('keeps every point and reduces thousands of places to a few hundred markers', () => {
    const points = Array.from({ length: 5000 }, (_, i) => ({ x: (i * 37) % 1200, y: (i * 91) % 800, item: i }));
    const out = gridCluster(points);
    expect(out.reduce((n: number, c: { items: unknown[] }) => n + c.items.length, 0)).toBe(5000);
    expect(out.length).toBeLessThanOrEqual(Math.ceil(1200 / 64) * Math.ceil(800 / 64));
    expect(CLUSTER_FROM).toBeGreaterThanOrEqual(200);
  });
});
