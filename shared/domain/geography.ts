// Communes, postal codes, départements and régions from @etalab/decoupage-administratif (v6 data files).
// Loaded lazily once, then every lookup is a Map hit. The département always comes from the commune's data (never from
// the postal code's first digits: Corsica 2A/2B, overseas 97x, COM such as Saint-Barthélemy 977).
// Over 400 lines: this one module owns the official data files and their lazy indexes (communes, EPCI, populations,
// commune centres), so each file is read at most once per process whoever asks.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as z from 'zod';
import { boundedLevenshtein, matchKey } from './text.js';

/** Département code as in the INSEE data: 01–95 without 20, 2A/2B, 971–978, 984–989. The one pattern for codes. */
export const DEPARTEMENT_CODE = /^(0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-8]|98[4-9])$/;

/** A département code from outside (query string, body, CSV), with the French message people read. */
export const DepartementCodeSchema = z
  .string()
  .regex(DEPARTEMENT_CODE, { error: 'Code de département invalide (ex. 87, 2A, 974).' });

export interface Commune {
  nom: string;
  codeInsee: string;
  codePostal: string;
  departement: string;
  region: string;
  departementNom: string | null;
  regionNom: string | null;
  /** `commune-actuelle` or `arrondissement-municipal` (Paris, Lyon, Marseille). */
  type: 'commune-actuelle' | 'arrondissement-municipal';
}

export type ResolveCommuneResult =
  | { ok: true; commune: Commune }
  | {
      ok: false;
      code: 'postal_code_unknown' | 'commune_mismatch' | 'format';
      message: string;
      suggestions: string[];
    };

interface RawCommune {
  code: string;
  nom: string;
  type: string;
  departement?: string;
  region?: string;
  codesPostaux?: string[];
  commune?: string;
  chefLieu?: string;
}

interface Entry {
  nom: string;
  codeInsee: string;
  departement: string;
  region: string;
  type: Commune['type'];
  codesPostaux: string[];
  /** Match keys: own name, plus the parent's name for arrondissements, plus names of delegated/associated communes. */
  keys: Set<string>;
}

interface GeoIndex {
  /** postal code → match key → entries */
  byPostal: Map<string, Map<string, Entry[]>>;
  /** postal code → entries (sorted by name) */
  listByPostal: Map<string, Entry[]>;
  /** match key → entries (all postal codes) */
  byKey: Map<string, Entry[]>;
  departements: Map<string, string>;
  regions: Map<string, string>;
  /** INSEE code → name and département, for every current commune (Paris, Lyon, Marseille included whole). */
  communesByCode: Map<string, { nom: string; departement: string }>;
}

const require = createRequire(import.meta.url);

/**
 * The official data files: on Lambda they come from the geography layer (`/opt/geo/`, one 12.6 MB asset shared by
 * every function instead of a copy in each bundle); everywhere else from the installed package.
 */
const LAYER_DIR = '/opt/geo/';

function readData<T>(file: string): T {
  const path = existsSync(LAYER_DIR + file)
    ? LAYER_DIR + file
    : require.resolve(`@etalab/decoupage-administratif/data/${file}`);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

let index: GeoIndex | undefined;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(value)) list.push(value);
  } else map.set(key, [value]);
}

function arrondissementKeys(nom: string, parentNom: string): string[] {
  // "Paris 11e Arrondissement" → also "paris 11", "paris 11e", "paris 11eme", "paris 11e arr"
  const m = /^(.*) (\d+)(er|e) Arrondissement$/i.exec(nom);
  if (!m) return [];
  const n = m[2]!;
  const p = matchKey(parentNom);
  return [
    `${p} ${n}`,
    `${p} ${n}${m[3]!.toLowerCase()}`,
    `${p} ${n}eme`,
    `${p} ${n}e`,
    `${p} ${n}er`,
    `${p} ${n}e arr`,
  ];
}

function build(): GeoIndex {
  const communes = readData<RawCommune[]>('communes.json');
  const departements = new Map(
    readData<{ code: string; nom: string }[]>('departements.json').map((d) => [d.code, d.nom]),
  );
  const regions = new Map(readData<{ code: string; nom: string }[]>('regions.json').map((r) => [r.code, r.nom]));

  const byCode = new Map<string, Entry>();
  const hasArrondissements = new Set<string>();
  for (const c of communes) {
    if (c.type === 'arrondissement-municipal' && c.commune) hasArrondissements.add(c.commune);
  }
  for (const c of communes) {
    if (c.type !== 'commune-actuelle' && c.type !== 'arrondissement-municipal') continue;
    if (!c.codesPostaux?.length || !c.departement) continue;
    // Paris, Lyon, Marseille are represented by their arrondissements (each with its own INSEE code).
    if (c.type === 'commune-actuelle' && hasArrondissements.has(c.code)) continue;
    byCode.set(c.code, {
      nom: c.nom,
      codeInsee: c.code,
      departement: c.departement,
      region: c.region ?? c.departement,
      type: c.type,
      codesPostaux: c.codesPostaux,
      keys: new Set([matchKey(c.nom)]),
    });
  }
  const parentNames = new Map(communes.filter((c) => hasArrondissements.has(c.code)).map((c) => [c.code, c.nom]));
  for (const c of communes) {
    if (c.type === 'arrondissement-municipal' && c.commune) {
      const e = byCode.get(c.code);
      const parent = parentNames.get(c.commune);
      if (e && parent) {
        e.keys.add(matchKey(parent));
        for (const k of arrondissementKeys(c.nom, parent)) e.keys.add(k);
      }
    } else if ((c.type === 'commune-deleguee' || c.type === 'commune-associee') && c.chefLieu) {
      // People still write the name of the former commune: map it to the commune nouvelle.
      byCode.get(c.chefLieu)?.keys.add(matchKey(c.nom));
    }
  }

  const byPostal = new Map<string, Map<string, Entry[]>>();
  const listByPostal = new Map<string, Entry[]>();
  const byKey = new Map<string, Entry[]>();
  for (const e of byCode.values()) {
    for (const cp of e.codesPostaux) {
      push(listByPostal, cp, e);
      let m = byPostal.get(cp);
      if (!m) {
        m = new Map();
        byPostal.set(cp, m);
      }
      for (const k of e.keys) push(m, k, e);
    }
    for (const k of e.keys) push(byKey, k, e);
  }
  for (const list of listByPostal.values()) list.sort((a, b) => a.nom.localeCompare(b.nom, 'fr'));
  const communesByCode = new Map<string, { nom: string; departement: string }>();
  for (const c of communes) {
    if ((c.type === 'commune-actuelle' || c.type === 'arrondissement-municipal') && c.departement) {
      communesByCode.set(c.code, { nom: c.nom, departement: c.departement });
    }
  }
  return { byPostal, listByPostal, byKey, departements, regions, communesByCode };
}

function getIndex(): GeoIndex {
  index ??= build();
  return index;
}

/** Loads the data now (e.g. at cold start or before a benchmark) instead of on first lookup. */
export function preloadGeography(): void {
  getIndex();
}

function toCommune(e: Entry, cp: string): Commune {
  const idx = getIndex();
  return {
    nom: e.nom,
    codeInsee: e.codeInsee,
    codePostal: cp,
    departement: e.departement,
    region: e.region,
    departementNom: idx.departements.get(e.departement) ?? null,
    regionNom: idx.regions.get(e.region) ?? null,
    type: e.type,
  };
}

export function normalisePostalCode(input: string): string {
  return input.replace(/[\s\u00A0\u202F]/g, '');
}

/** Communes (and Paris/Lyon/Marseille arrondissements) served by a postal code, sorted by name; [] if unknown. */
export function communesForPostalCode(cp: string): Commune[] {
  const code = normalisePostalCode(cp);
  return (getIndex().listByPostal.get(code) ?? []).map((e) => toCommune(e, code));
}

export function departementName(code: string): string | null {
  return getIndex().departements.get(code) ?? null;
}

/** A current commune (or a Paris/Lyon/Marseille arrondissement) by its INSEE code; null if unknown. */
export function communeByCode(code: string): { nom: string; departement: string } | null {
  return getIndex().communesByCode.get(code) ?? null;
}

/** Every département code of the data, sorted. */
export function departementCodes(): string[] {
  return [...getIndex().departements.keys()].sort();
}

export function regionName(code: string): string | null {
  return getIndex().regions.get(code) ?? null;
}

function joinFr(list: string[]): string {
  if (list.length <= 1) return list.join('');
  return `${list.slice(0, -1).join(', ')} ou ${list[list.length - 1]}`;
}

const MAX_SUGGESTIONS = 12;

function uncached(cpInput: string, nameInput: string): ResolveCommuneResult {
  const cp = normalisePostalCode(cpInput);
  if (!/^\d{5}$/.test(cp)) {
    return { ok: false, code: 'format', message: 'Le code postal doit comporter 5 chiffres.', suggestions: [] };
  }
  const key = matchKey(nameInput);
  if (key === '') {
    return { ok: false, code: 'format', message: 'Indiquez le nom de la commune.', suggestions: [] };
  }
  const idx = getIndex();
  const atCp = idx.byPostal.get(cp);
  if (!atCp) {
    const elsewhere = idx.byKey.get(key) ?? [];
    const suggestions = elsewhere.slice(0, MAX_SUGGESTIONS).map((e) => `${e.nom} (${e.codesPostaux.join(', ')})`);
    return {
      ok: false,
      code: 'postal_code_unknown',
      message: suggestions.length
        ? `Le code postal ${cp} est inconnu. Pour ${nameInput.trim()}, les codes postaux sont : ${suggestions.join(' ; ')}.`
        : `Le code postal ${cp} est inconnu : vérifiez-le.`,
      suggestions,
    };
  }
  const exact = atCp.get(key);
  if (exact?.length === 1) return { ok: true, commune: toCommune(exact[0]!, cp) };
  const all = idx.listByPostal.get(cp) ?? [];
  if (exact && exact.length > 1) {
    // e.g. "Paris" with a postal code shared by two arrondissements: ask which one.
    const names = exact.map((e) => e.nom);
    return {
      ok: false,
      code: 'commune_mismatch',
      message: `Plusieurs communes correspondent au code postal ${cp} : ${joinFr(names)}. Laquelle ?`,
      suggestions: names,
    };
  }
  // Tolerate a small typo when it designates exactly one commune of this postal code ("Limoge" → Limoges).
  const max = key.length <= 6 ? 1 : 2;
  let best: Entry | undefined;
  let bestD = max + 1;
  let tie = false;
  for (const e of all) {
    let d = max + 1;
    for (const k of e.keys) d = Math.min(d, boundedLevenshtein(key, k, max));
    if (d < bestD) {
      best = e;
      bestD = d;
      tie = false;
    } else if (d === bestD && d <= max && e !== best) tie = true;
  }
  if (best && bestD <= max && !tie && key.length >= 4) return { ok: true, commune: toCommune(best, cp) };
  // Every commune of the postal code (46 at most in the data): the person must be able to pick the right one.
  const names = all.map((e) => e.nom);
  return {
    ok: false,
    code: 'commune_mismatch',
    message:
      names.length === 1
        ? `La commune « ${nameInput.trim()} » ne correspond pas au code postal ${cp}, qui est celui de ${names[0]}.`
        : `La commune « ${nameInput.trim()} » ne correspond pas au code postal ${cp}. Communes possibles : ${names.join(', ')}.`,
    suggestions: names,
  };
}

// Decisions re-resolve the places of already-validated documents: memoise (bounded) so that costs a Map hit.
const cache = new Map<string, ResolveCommuneResult>();
const CACHE_MAX = 20_000;

/** Checks that a commune belongs to a postal code and resolves its INSEE code, département and région. */
export function resolveCommune(cp: string, communeName: string): ResolveCommuneResult {
  const k = `${cp}\u0000${communeName}`;
  const hit = cache.get(k);
  if (hit) return hit;
  const r = uncached(cp, communeName);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(k, r);
  return r;
}

export interface Epci {
  code: string;
  nom: string;
  /** The départements of its member communes, with their population there (an EPCI may straddle a border). */
  departements: { code: string; population: number }[];
}

interface RawEpci {
  code: string;
  nom: string;
  membres: { code: string; populationMunicipale?: number }[];
}

// epci.json (4 MB) is read only by the territory features: loaded on the first EPCI lookup, not with the communes.
let epciIndex: Map<string, Epci> | undefined;

function buildEpci(): Map<string, Epci> {
  const out = new Map<string, Epci>();
  for (const e of readData<RawEpci[]>('epci.json')) {
    const byDep = new Map<string, number>();
    for (const m of e.membres) {
      const dep = communeByCode(m.code)?.departement;
      if (dep) byDep.set(dep, (byDep.get(dep) ?? 0) + (m.populationMunicipale ?? 0));
    }
    const departements = [...byDep]
      .map(([code, population]) => ({ code, population }))
      .sort((a, b) => (a.code < b.code ? -1 : 1));
    out.set(e.code, { code: e.code, nom: e.nom, departements });
  }
  return out;
}

/** An EPCI by its SIREN (9 digits, as in the data); null if unknown. */
export function epciByCode(code: string): Epci | null {
  epciIndex ??= buildEpci();
  return epciIndex.get(code) ?? null;
}

/** Every EPCI of the data. */
export function allEpci(): Epci[] {
  epciIndex ??= buildEpci();
  return [...epciIndex.values()];
}

/** A commune's share of a territory's people: its INSEE code and its municipal population. */
export interface PopulatedCommune {
  code: string;
  population: number;
}

// Communes by département with their population (for spreading passes over the people of a territory: reach).
// Loaded on first use only, like the EPCI: the territory view reads it, nothing else.
let populationIndex: Map<string, PopulatedCommune[]> | undefined;

/** The current communes of a département (Paris, Lyon, Marseille whole) with their population; [] if unknown. */
export function communesOfDepartement(departement: string): PopulatedCommune[] {
  if (!populationIndex) {
    populationIndex = new Map();
    for (const c of readData<(RawCommune & { population?: number })[]>('communes.json')) {
      if (c.type !== 'commune-actuelle' || !c.departement) continue;
      const list = populationIndex.get(c.departement) ?? [];
      populationIndex.set(c.departement, list);
      list.push({ code: c.code, population: c.population ?? 0 });
    }
  }
  return populationIndex.get(departement) ?? [];
}

let epciMembersIndex: Map<string, (PopulatedCommune & { departement: string })[]> | undefined;
let epciOfCommuneIndex: Map<string, string> | undefined;

function buildEpciMembers(): void {
  epciMembersIndex = new Map();
  epciOfCommuneIndex = new Map();
  for (const e of readData<RawEpci[]>('epci.json')) {
    const members: (PopulatedCommune & { departement: string })[] = [];
    for (const m of e.membres) {
      const departement = communeByCode(m.code)?.departement;
      if (!departement) continue;
      members.push({ code: m.code, population: m.populationMunicipale ?? 0, departement });
      epciOfCommuneIndex.set(m.code, e.code);
    }
    epciMembersIndex.set(e.code, members);
  }
}

/** The member communes of an EPCI (SIREN) with their population and département; [] if unknown. */
export function epciMembers(code: string): (PopulatedCommune & { departement: string })[] {
  if (!epciMembersIndex) buildEpciMembers();
  return epciMembersIndex?.get(code) ?? [];
}

/**
 * The EPCI (SIREN) a commune belongs to, or null. Arrondissements of Paris, Lyon and Marseille answer for their
 * commune (the EPCI lists the whole commune).
 */
export function epciOfCommune(code: string): string | null {
  if (!epciOfCommuneIndex) buildEpciMembers();
  return (
    epciOfCommuneIndex?.get(code) ?? epciOfCommuneIndex?.get(ARRONDISSEMENT_PARENT[code.slice(0, 3)] ?? '') ?? null
  );
}

/** Arrondissement code prefixes → their commune (Paris 751xx, Marseille 132xx, Lyon 6938x). */
const ARRONDISSEMENT_PARENT: Record<string, string> = { '751': '75056', '132': '13055', '693': '69123' };

/**
 * Communes called `name` anywhere in France (matching as resolveCommune does: accents, case, hyphens, former names),
 * each with its first postal code, sorted by name then postal code. The « near me » search of /carte reads it.
 */
export function communesNamed(name: string): Commune[] {
  const entries = getIndex().byKey.get(matchKey(name)) ?? [];
  return entries
    .map((e) => toCommune(e, e.codesPostaux[0] ?? ''))
    .sort((a, b) => a.nom.localeCompare(b.nom, 'fr') || a.codePostal.localeCompare(b.codePostal));
}
