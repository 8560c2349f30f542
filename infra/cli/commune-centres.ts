import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { communeByCode, communesForPostalCode, resolveCommune } from '../../shared/domain/geography.js';

interface RawCommune {
  code: string;
  type: string;
  codesPostaux?: string[];
  commune?: string;
}

/** Every current commune and arrondissement, with its postal codes and (Paris, Lyon, Marseille) its arrondissements. */
function allCommuneCodes(): { code: string; codesPostaux: string[]; parts: string[] }[] {
  const raw = createRequire(import.meta.url)('@etalab/decoupage-administratif/data/communes.json') as RawCommune[];
  const current = raw.filter((c) => c.type === 'commune-actuelle' || c.type === 'arrondissement-municipal');
  return current.map((c) => ({
    code: c.code,
    codesPostaux: c.codesPostaux ?? [],
    parts: current.filter((a) => a.commune === c.code).map((a) => a.code),
  }));
}

/**
 * Builds shared/data/commune-centres.csv (INSEE code → centre, 3 decimals ≈ 100 m) from the open-data file
 * « communes-departement-region.csv » (data.gouv.fr, base officielle des codes postaux with GPS coordinates, Licence
 * Ouverte 2.0). No npm package ships commune centres (@etalab/decoupage-administratif has none, codes-postaux neither),
 * so the project keeps this small derived file, joined to the official geography by postal code + name here.
 * Run: `node --import tsx infra/cli/commune-centres.ts path/to/communes-departement-region.csv`.
 */
const COM_CENTRES: [string, number, number][] = [
  ['97501', 47.1, -56.38],
  ['97502', 46.78, -56.18],
  ['97701', 17.9, -62.85],
  ['97801', 18.07, -63.08],
];

export function buildCentres(csv: string): { rows: Map<string, [number, number]>; unmatched: number } {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const sep = lines[0]!.includes(';') ? ';' : ',';
  const header = lines[0]!.split(sep).map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const [iCp, iLat, iLon, iNom, iInsee] = [
    col('code_postal'),
    col('latitude'),
    col('longitude'),
    col('nom_commune_complet'),
    col('code_commune_insee'),
  ];
  const sums = new Map<string, [number, number, number]>();
  const add = (code: string, lat: number, lon: number) => {
    const s = sums.get(code) ?? [0, 0, 0];
    sums.set(code, [s[0] + lat, s[1] + lon, s[2] + 1]);
  };
  /** Rows not joined (communes renamed or merged since the file was made), by postal code: second pass below. */
  const leftover = new Map<string, [number, number][]>();
  let unmatched = 0;
  for (const line of lines.slice(1)) {
    const cells = line.split(sep);
    const lat = Number(cells[iLat]);
    const lon = Number(cells[iLon]);
    if (!cells[iLat] || !Number.isFinite(lat) || !Number.isFinite(lon)) continue;
    const cp = String(cells[iCp] ?? '').padStart(5, '0');
    let code: string | undefined;
    if (iInsee >= 0 && communeByCode(String(cells[iInsee]).padStart(5, '0')))
      code = String(cells[iInsee]).padStart(5, '0');
    else {
      const r = resolveCommune(cp, String(cells[iNom] ?? ''));
      if (r.ok) code = r.commune.codeInsee;
      else if (communesForPostalCode(cp).length === 1) code = communesForPostalCode(cp)[0]!.codeInsee;
    }
    if (!code) {
      unmatched++;
      leftover.set(cp, [...(leftover.get(cp) ?? []), [lat, lon]]);
      continue;
    }
    add(code, lat, lon);
  }
  // A commune created since (commune nouvelle) takes the rows of its postal codes that matched nothing (its former
  // communes); Paris, Lyon and Marseille whole take the mean of their arrondissements.
  for (const c of allCommuneCodes()) {
    if (sums.has(c.code)) continue;
    const points = c.codesPostaux.flatMap((cp) => leftover.get(cp) ?? []);
    const parts = c.parts.map((p) => sums.get(p)).filter((s) => s !== undefined);
    for (const [la, lo] of points) add(c.code, la, lo);
    for (const [la, lo, n] of parts) add(c.code, la / n, lo / n);
  }
  // The file has no overseas collectivities (COM); the four communes of Saint-Pierre-et-Miquelon, Saint-Barthélemy and
  // Saint-Martin, where the pass may be used, are added by hand (town-hall positions, 0.01° ≈ 1 km).
  for (const [code, la, lo] of COM_CENTRES) if (!sums.has(code)) add(code, la, lo);
  const rows = new Map<string, [number, number]>();
  for (const [code, [la, lo, n]] of [...sums].sort(([a], [b]) => a.localeCompare(b))) {
    rows.set(code, [Math.round((la / n) * 1000) / 1000, Math.round((lo / n) * 1000) / 1000]);
  }
  return { rows, unmatched };
}

export function toCentresCsv(rows: Map<string, [number, number]>): string {
  return `code_insee,latitude,longitude\n${[...rows].map(([c, [la, lo]]) => `${c},${la},${lo}`).join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const src = process.argv[2];
  if (!src) {
    console.error('Usage : commune-centres.ts chemin/vers/communes-departement-region.csv');
    process.exit(2);
  }
  const { rows, unmatched } = buildCentres(readFileSync(src, 'utf8'));
  const out = fileURLToPath(new URL('../../shared/data/commune-centres.csv', import.meta.url));
  writeFileSync(out, toCentresCsv(rows));
  console.log(`${rows.size} communes écrites dans ${out} (${unmatched} lignes sans commune actuelle).`);
}
