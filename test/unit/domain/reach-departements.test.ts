import { describe, expect, it } from 'vitest';
import { boxOf, departementsNear } from '../../../shared/domain/reach.js';

// Which départements' reach a change of places may move (docs/territory.md « Reach across borders »).
describe('departementsNear', () => {
  it('names the départements with a commune within the radius of the points, across borders, and no farther', () => {
    // Saint-Junien (87) is about 10 km from Charente (16); Corse-du-Sud is 700 km away.
    const box = boxOf([{ latitude: 45.8877, longitude: 0.9014 }]);
    expect(box).toEqual([45.8877, 0.9014, 45.8877, 0.9014]);
    const near = departementsNear(box!, 15);
    expect(near).toEqual(expect.arrayContaining(['87', '16']));
    expect(near).not.toContain('2A');
    expect(near).not.toContain('75');
    // A wider radius reaches more; an empty set of points has no rectangle.
    expect(departementsNear(box!, 80).length).toBeGreaterThan(near.length);
    expect(boxOf([])).toBeNull();
  });
});
