import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildOpeningHoursLayer,
  esbuildOptions,
  franceOnlySource,
  OPENING_HOURS_LAYER_PATH,
  openingHoursLibrary,
} from '../../infra/bundling.js';
import { OPENING_HOURS_LAYER_MODULE } from '../../infra/defaults.js';
import { checkOpeningHours } from '../../shared/domain/opening-hours.js';
import { type TestDynamo, withDynalite } from '../helpers/dynalite.js';
import { exampleDocument } from '../helpers/fixtures.js';

/**
 * The opening_hours layer and the bundles that import it, built with the options the construct uses
 * (infra/bundling.ts): the eligibility bundle fits the budget, and the bundled code, loading the France-only build
 * the way Lambda does (a CommonJS module at /opt/…, required at first use), accepts, rejects and counts exactly like
 * the npm package.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BUDGET = 300 * 1024;

// Values a French place may declare: accepted or not, with PH/SH, solar times, foreign or misspelt tokens.
const CORPUS = [
  'Mo-Fr 09:00-12:00,14:00-18:00',
  'We 14:00-18:00',
  'le mercredi après-midi',
  'Mo-Fr 09:00-18:00; PH off',
  'Mo-Sa 10:00-19:00; SH off',
  'Mo-Fr 08:30-12:30; PH closed; SH Mo-Fr 09:00-11:00',
  'PH 10:00-12:00',
  'Mo-Fr 09:00-17:00; Sa 10:00-12:00 "sur rendez-vous"',
  'Mo-Fr 10:00-12:00 || "sur rendez-vous"',
  '24/7',
  'Mo-Su sunrise-sunset',
  'Mo-Fr 22:00-02:00',
  'Sa 10:00+',
  'Mo[1] 10:00-12:00',
  'week 1-53 Mo 10:00-12:00',
  'Jan-Dec Mo-Fr 09:00-12:00; easter off',
  'lundi-vendredi 09:00-12:00',
  'Lu-Ve 09:00-12:00',
  'Mo-Tr 09:00-12:00',
  'Mo-Fr 9:00-12:00',
  'Mo-Fr 09h00-12h00',
  'Mo-Fr 09:00-12:00,',
  'Mo 25:00-26:00',
  'off',
  'fermé',
  '',
];

const exec = promisify(execFile);
let dir: string;
let db: TestDynamo;
let layerBytes: number;
let bundles: Record<'eligibility' | 'check', { file: string; bytes: number; imports: string[]; inputs: string[] }>;

async function bundle(entry: string, name: string) {
  const file = path.join(dir, name, 'index.mjs');
  const result = await build({ ...esbuildOptions(path.join(ROOT, entry), file), absWorkingDir: ROOT, write: true });
  const [, out] = Object.entries(result.metafile!.outputs).find(([f]) => f.endsWith('.mjs'))!;
  return {
    file,
    bytes: out.bytes,
    imports: out.imports.map((i) => i.path),
    inputs: Object.keys(result.metafile!.inputs),
  };
}

beforeAll(async () => {
  // Inside the project, so that the bundles find their external @aws-sdk/* and the geography data in node_modules.
  mkdirSync(path.join(ROOT, 'cdk.out'), { recursive: true });
  dir = mkdtempSync(path.join(ROOT, 'cdk.out', 'test-opening-hours-'));
  layerBytes = buildOpeningHoursLayer(path.join(dir, 'layer')).bytes;
  const [eligibility, check] = await Promise.all([
    bundle('functions/api/eligibility.ts', 'eligibility'),
    bundle('shared/domain/opening-hours.ts', 'check'),
  ]);
  bundles = { eligibility, check };
  db = await withDynalite();
});

afterAll(async () => {
  await db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `script` (an ES module) in a fresh Node where the bundles load the built layer: their one mention of
 * OPENING_HOURS_LAYER_MODULE (the path the alias `require`s at first use) is pointed at it.
 */
async function runWithLayer(script: string, input: unknown): Promise<Json> {
  const layer = path.join(dir, 'layer', OPENING_HOURS_LAYER_PATH);
  for (const b of Object.values(bundles)) {
    const text = readFileSync(b.file, 'utf8');
    writeFileSync(b.file, text.replaceAll(JSON.stringify(OPENING_HOURS_LAYER_MODULE), JSON.stringify(layer)));
  }
  writeFileSync(path.join(dir, 'run.mjs'), script);
  const { stdout } = await exec(process.execPath, ['./run.mjs', JSON.stringify(input)], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      TABLE_NAME: db.tableName,
      DYNAMODB_ENDPOINT: db.endpoint,
      AWS_REGION: 'local',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      APTIC_CONFIG: path.join(ROOT, 'shared/config/aptic-config.json'),
      LOG_LEVEL: 'silent',
    },
  });
  return JSON.parse(stdout);
}

// biome-ignore lint/suspicious/noExplicitAny: JSON from the child process
type Json = any;

describe('opening_hours layer (France-only build of the library)', () => {
  it('keeps the French holiday data and drops the other countries', () => {
    const layer = readFileSync(path.join(dir, 'layer', OPENING_HOURS_LAYER_PATH), 'utf8');
    expect(layer).toContain('Auvergne-Rh'); // a French region of the school holidays
    expect(layer).not.toContain('Vacances de Nadal'); // Andorra
    expect(layer).not.toContain('Thanksgiving'); // United States
    expect(layerBytes).toBeLessThan(400 * 1024);
  });

  it('is only imported by shared/domain/opening-hours.ts, which only asks about France', () => {
    const importers = ['shared', 'functions', 'bot', 'infra']
      .flatMap((d) => readdirSync(path.join(ROOT, d), { recursive: true, encoding: 'utf8' }).map((f) => `${d}/${f}`))
      .filter((f) => f.endsWith('.ts') && /from 'opening_hours'/.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(importers).toEqual(['shared/domain/opening-hours.ts']);
    expect(readFileSync(path.join(ROOT, importers[0]!), 'utf8')).toMatch(/country_code: 'fr'/);
  });

  it('fails loudly when the library build no longer has the expected layout', () => {
    const { esm, version } = openingHoursLibrary();
    const source = readFileSync(esm, 'utf8');
    expect(() => franceOnlySource(source, version)).not.toThrow();
    expect(() => franceOnlySource(source.replace('var holiday_definitions =', 'var holidays ='))).toThrow(
      /one holiday_definitions namespace/,
    );
    expect(() => franceOnlySource(source.replace(/^ {2}fr: fr,\n/m, ''))).toThrow(/no `fr`/);
    expect(() =>
      franceOnlySource(
        source.replace('function index(value', 'Object.keys(holidayDefinitions);\nfunction index(value'),
      ),
    ).toThrow(/other than by key/);
  });
});

describe('the eligibility bundle, built like the construct builds it', () => {
  it(`is at most 300 KB and loads opening_hours from the layer at first use, not from node_modules`, () => {
    expect(bundles.eligibility.bytes).toBeLessThanOrEqual(BUDGET);
    // Not imported at init: required by its path when hours are first checked (infra/opening-hours-layer/index.mjs).
    expect(bundles.eligibility.imports).not.toContain(OPENING_HOURS_LAYER_MODULE);
    expect(readFileSync(bundles.eligibility.file, 'utf8')).toContain(JSON.stringify(OPENING_HOURS_LAYER_MODULE));
    expect(bundles.eligibility.inputs.filter((i) => i.includes('node_modules/opening_hours/'))).toEqual([]);
  });

  it('validates opening hours exactly like the npm package, through the layer', async () => {
    const out = await runWithLayer(
      `const { checkOpeningHours } = await import(${JSON.stringify(pathToFileURL(bundles.check.file).href)});
process.stdout.write(JSON.stringify(JSON.parse(process.argv[2]).map((t) => checkOpeningHours(t))));`,
      CORPUS,
    );
    const expected = CORPUS.map((t) => checkOpeningHours(t));
    expect(out).toEqual(expected);
    // The corpus exercises both sides (not a vacuous equality).
    expect(expected.filter((r) => r.ok).length).toBeGreaterThan(10);
    expect(expected.filter((r) => !r.ok).length).toBeGreaterThan(3);
  });

  it('answers POST /api/eligibility with the hours computed from the places', async () => {
    const doc = (horaires: string) => {
      const d = exampleDocument() as Json;
      delete d.activite.heures_accueil_hebdo;
      d.lieux[0].horaires = horaires;
      return d;
    };
    const event = (body: unknown) => ({
      version: '2.0',
      routeKey: 'POST /api/eligibility',
      rawPath: '/api/eligibility',
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      requestContext: { http: { method: 'POST', path: '/api/eligibility', sourceIp: '127.0.0.1' } },
      body: JSON.stringify(body),
      isBase64Encoded: false,
    });
    const responses = await runWithLayer(
      `const { handler } = await import(${JSON.stringify(pathToFileURL(bundles.eligibility.file).href)});
const out = [];
for (const e of JSON.parse(process.argv[2])) out.push(await handler(e));
process.stdout.write(JSON.stringify(out));`,
      [
        event(doc('Mo-Fr 09:00-12:00,14:00-18:00; PH off')),
        event(doc('We 14:00-18:00')),
        event(doc('le mercredi après-midi')),
      ],
    );
    const flags = (r: Json) => {
      expect(r.statusCode).toBe(200);
      return (JSON.parse(r.body).flags as { code: string }[]).map((f) => f.code);
    };
    const [full, short, unparsed] = responses.map(flags);
    expect(full).not.toContain('low_opening_hours');
    expect(full).not.toContain('opening_hours_unparsed');
    expect(short).toContain('low_opening_hours');
    expect(unparsed).toContain('opening_hours_unparsed');
  });
});
