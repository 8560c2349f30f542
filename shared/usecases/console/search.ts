import { type ApplicationDocument, resolvePlaces } from '../../domain/application.js';
import { queryTokens } from '../../domain/search-text.js';
import type { ApplicationItem } from '../../store/store.js';
import type { Deps } from '../ports.js';
import type { StaffPrincipal } from '../principal.js';

/** At most this many results (the console shows a short list; type more to narrow it). */
export const SEARCH_RESULTS = 20;
/** Per token, how many index entries are read at most: bounds the work of a query as common as « limoges ». */
const PER_TOKEN = 1000;

export interface SearchResult {
  applicationId: string;
  nom: string | null;
  siret: string | null;
  commune: string | null;
  stage: string;
}

/**
 * GET /api/console/search?q=: applications by SIRET (any spacing), name or e-mail (any case, any accents), commune,
 * or id prefix. Reads the search index (store.search, `begins_with` Queries, no Scan), then the applications found
 * (one BatchGet) for the fields shown and the current stage. `whole` lookups (a SIRET, an e-mail, an id) each find
 * on their own; the words of the query must all match (each a prefix of one of the application's tokens).
 */
export async function searchApplications(
  deps: Deps,
  _staff: StaffPrincipal,
  q: string,
): Promise<{ results: SearchResult[] }> {
  const { whole, words } = queryTokens(q);
  const [wholeHits, wordHits] = await Promise.all([
    Promise.all(whole.map((t) => deps.store.search.idsByPrefix(t, SEARCH_RESULTS))),
    matchAllWords(deps, words, SEARCH_RESULTS),
  ]);
  const ids: string[] = [];
  const seen = new Set<string>();
  const add = (id: string) => {
    if (!seen.has(id) && ids.length < SEARCH_RESULTS) {
      seen.add(id);
      ids.push(id);
    }
  };
  for (const list of wholeHits) for (const id of list) add(id);
  for (const id of wordHits) add(id);
  // Only the fields a result shows (projection), not each whole document.
  const apps = await deps.store.applications.getSummaries(ids);
  const byId = new Map(apps.map((a) => [a.id, a]));
  return {
    results: ids.flatMap((id) => {
      const app = byId.get(id);
      return app ? [applicationSummary(app)] : [];
    }),
  };
}

/**
 * Each word is first read this far (distinct applications): enough to tell a rare word from a common one most of the
 * time, and as many candidates as a short list usually needs; a word with fewer matches was read whole.
 */
const PROBE = 50;
/** When every probe was full and the likeliest word's first candidates mostly fail: each word read this far. */
const WIDE = 200;

type Probe = { ids: string[]; next?: Record<string, unknown> };
const full = (p: Probe) => p.next !== undefined;

/** Fewest matches (a probe read whole beats a full one); among full probes, the longest word (likely the rarest). */
function pickBest(words: readonly string[], probes: readonly Probe[]): number {
  let best = 0;
  for (let i = 1; i < probes.length; i++) {
    const a = probes[i] as Probe;
    const b = probes[best] as Probe;
    if (
      (!full(a) && full(b)) ||
      (full(a) === full(b) && a.ids.length < b.ids.length) ||
      (full(a) && full(b) && (words[i] as string).length > (words[best] as string).length)
    )
      best = i;
  }
  return best;
}

/**
 * Those of `ids` whose token list (search record, one BatchGet) has, for each of `words`, a token it starts. The
 * application's id is left out of that list: a query of several words is names, places and numbers, and « atelier
 * 231 » must not find every application whose id starts with 231 (an id prefix is found by the `whole` lookup, a
 * query of its own). The candidates' own word is checked again for that reason (the index has the id as a token).
 */
async function matching(deps: Deps, ids: readonly string[], words: readonly string[]): Promise<string[]> {
  const tokens = await deps.store.search.tokensOf(ids);
  return ids.filter((id) => {
    const own = id.toLowerCase();
    const list = (tokens.get(id) ?? []).filter((t) => t !== own);
    return words.every((w) => list.some((t) => t.startsWith(w)));
  });
}

/**
 * Applications having, for every word, a token that starts with it; at most `want`. One word: its first `want`
 * index entries. Several: each is probed (PROBE applications, in parallel); the word with the fewest matches gives
 * the candidates, whose token lists (search records) are checked against every word, `want` at a time, the
 * candidate word read on from where its probe stopped only when needed (PER_TOKEN at most), until `want` are found.
 * When every probe is full, the likeliest word's first `want` candidates are a trial: if fewer than half match (« 37 »
 * is the rare word of « fabrique numerique 37 », not « numerique »), every word is read to WIDE and the choice made
 * again. A commune of 2,000 applications (« saint etienne ») thus costs two probes of 50 and one BatchGet of 20
 * records, not a thousand entries and a hundred records.
 */
async function matchAllWords(deps: Deps, words: readonly string[], want: number): Promise<string[]> {
  if (words.length === 0) return [];
  if (words.length === 1) return deps.store.search.idsByPrefix(words[0] as string, want);
  let probes: Probe[] = await Promise.all(words.map((w) => deps.store.search.pageByPrefix(w, PROBE)));
  let best = pickBest(words, probes);
  const found: string[] = [];
  const checked = new Set<string>();
  if (probes.every(full)) {
    const trial = (probes[best] as Probe).ids.slice(0, want);
    for (const id of trial) checked.add(id);
    const hits = await matching(deps, trial, words);
    found.push(...hits);
    if (found.length >= want) return found.slice(0, want);
    if (hits.length * 2 < trial.length) {
      const more = await Promise.all(
        words.map((w, i) => {
          const p = probes[i] as Probe;
          return deps.store.search.pageByPrefix(w, WIDE - p.ids.length, p.next);
        }),
      );
      probes = probes.map((p, i) => {
        const m = more[i] as Probe;
        return { ids: [...new Set([...p.ids, ...m.ids])], ...(m.next ? { next: m.next } : {}) };
      });
      best = pickBest(words, probes);
    }
  }
  const word = words[best] as string;
  const first = probes[best] as Probe;
  const candidates = first.ids.filter((id) => !checked.has(id));
  const seen = new Set(first.ids);
  let next = first.next;
  let at = 0;
  let chunk = want;
  while (found.length < want && checked.size < PER_TOKEN) {
    if (at >= candidates.length) {
      if (!next) break;
      const page = await deps.store.search.pageByPrefix(word, Math.min(100, PER_TOKEN - checked.size), next);
      for (const id of page.ids) {
        if (!seen.has(id)) {
          seen.add(id);
          candidates.push(id);
        }
      }
      next = page.next;
      if (page.ids.length === 0) break;
      continue;
    }
    const slice = candidates.slice(at, at + chunk).filter((id) => !checked.has(id));
    at += chunk;
    // Few of the first candidates matched: read more at a time (≤ 100, one BatchGet).
    chunk = Math.min(100, chunk * 2);
    for (const id of slice) checked.add(id);
    for (const id of await matching(deps, slice, words)) {
      if (!found.includes(id)) found.push(id);
      if (found.length >= want) break;
    }
  }
  return found.slice(0, want);
}

/** What a list shows of an application: its structure's name, SIRET, first commune and stage. */
export function applicationSummary(app: Pick<ApplicationItem, 'id' | 'siret' | 'stage' | 'document'>): SearchResult {
  const doc = (app.document ?? {}) as ApplicationDocument & {
    structure?: { nom?: string };
    lieux?: { commune?: string }[];
  };
  return {
    applicationId: app.id,
    nom: doc.structure?.nom ?? null,
    siret: app.siret,
    commune: communeOf(doc),
    stage: app.stage,
  };
}

function communeOf(doc: ApplicationDocument & { lieux?: { commune?: string }[] }): string | null {
  try {
    const first = resolvePlaces(doc)[0];
    if (first?.commune) return first.commune.nom;
  } catch {
    // A document that does not resolve still shows what the actor typed.
  }
  return doc.lieux?.[0]?.commune ?? null;
}
