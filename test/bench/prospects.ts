import '../../shared/runtime/polyfills.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { preloadGeography } from '../../shared/domain/geography.js';
import { importProspects, listProspects } from '../../shared/usecases/console/prospects.js';
import { parseProspectsCsv } from '../../shared/usecases/console/prospects-csv.js';
import { startConsoleApp } from '../integration/console/harness.js';

/**
 * Prospect import (goal ≤ 10 s for 20,000 rows): a CSV of the national schema with 20,000 places spread over 2,000
 * real communes, imported through the use case (parse + library validation + geography + batched writes to
 * dynalite), then the same file again (all unchanged: reads only), then over HTTP, and one département's listing
 * with its matching. Figures only, no timed assertion.
 */
const ROWS = 20_000;

interface RawCommune {
  code: string;
  nom: string;
  type: string;
  codesPostaux?: string[];
}

function communes(): RawCommune[] {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@etalab/decoupage-administratif/data/communes.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as RawCommune[])
    .filter((c) => c.type === 'commune-actuelle' && c.codesPostaux?.length)
    .filter((_, i) => i % 17 === 0)
    .slice(0, 2_000);
}

function csv(): string {
  const list = communes();
  const lines = ['id,pivot,nom,commune,code_postal,code_insee,adresse,date_maj,services,courriels,source'];
  for (let i = 0; i < ROWS; i++) {
    const c = list[i % list.length]!;
    lines.push(
      [
        `bench-${i}`,
        '00000000000000',
        `Espace numérique ${i}`,
        `"${c.nom}"`,
        c.codesPostaux![0],
        c.code,
        `${1 + (i % 90)} rue de la Mairie`,
        '2024-05-02',
        'Aide aux démarches administratives|Maîtrise des outils numériques du quotidien',
        `contact${i}@lieux.example.org`,
        'bench',
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function benchProspects(): Promise<string[]> {
  preloadGeography();
  const text = csv();
  const bytes = Buffer.byteLength(text);
  // Sent compressed, as the console page sends it: 20,000 rows of text are over the 4 MiB a request may carry.
  const gz = gzipSync(text);
  const app = await startConsoleApp({ lite: true });
  try {
    const staff = await app.staff('admin');
    const principal = { kind: 'staff', email: staff.email, role: 'admin' } as never;
    let t0 = performance.now();
    const parsed = parseProspectsCsv(text, { maxRows: ROWS, today: new Date().toISOString().slice(0, 10) });
    const parseMs = performance.now() - t0;
    if (!parsed.ok || parsed.rejected.length)
      throw new Error(`bench file refused: ${JSON.stringify(parsed).slice(0, 300)}`);
    // CPU time of this process (dynalite runs in it) beside the wall clock: steadier on a shared machine.
    const cpu = (start: NodeJS.CpuUsage) => {
      const u = process.cpuUsage(start);
      return `${((u.user + u.system) / 1e6).toFixed(2)} s CPU`;
    };
    t0 = performance.now();
    let c0 = process.cpuUsage();
    const first = await importProspects(app.deps, principal, { text: '', bytes: gz, gzip: true });
    const firstS = (performance.now() - t0) / 1000;
    const firstCpu = cpu(c0);
    t0 = performance.now();
    c0 = process.cpuUsage();
    const again = await importProspects(app.deps, principal, { text: '', bytes: gz, gzip: true });
    const againS = (performance.now() - t0) / 1000;
    const againCpu = cpu(c0);
    t0 = performance.now();
    const res = await fetch(`${app.url}/api/console/prospects/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${staff.token}`, 'content-type': 'text/csv', 'content-encoding': 'gzip' },
      body: gz,
    });
    const overHttp = (await res.json()) as { unchanged?: number; message?: string };
    const httpS = (performance.now() - t0) / 1000;
    const dep = parsed.rows[0]!.prospect.departement;
    t0 = performance.now();
    const listed = await listProspects(app.deps, { departement: dep });
    const listMs = performance.now() - t0;
    return [
      `file: ${ROWS} rows, ${(bytes / 1024 / 1024).toFixed(2)} MiB (${(gz.byteLength / 1024).toFixed(0)} KiB gzip); parse + library validation + geography alone: ${(parseMs / 1000).toFixed(2)} s`,
      `import ${ROWS} new rows (use case, dynalite): ${firstS.toFixed(2)} s, ${firstCpu} (goal ≤ 10 s) — imported ${first.imported}`,
      `same file again (all unchanged, reads only): ${againS.toFixed(2)} s, ${againCpu} — unchanged ${again.unchanged}`,
      `POST /api/console/prospects/import (same file): ${res.status} in ${httpS.toFixed(2)} s — ${overHttp.unchanged ?? overHttp.message}`,
      `GET prospects of ${dep} (${listed.total} prospects, with matching): ${listMs.toFixed(0)} ms`,
    ];
  } finally {
    await app.close();
  }
}
