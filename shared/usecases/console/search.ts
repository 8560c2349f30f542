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
 * Each word is first read this far (distinct applications): enough to tell a rare word from a common one, and as many
 * candidates as a short list usually needs; a word with fewer matches was read whole.
 */
const PROBE = 50;

/**
 * Applications having, for every word, a token that starts with it; at most `want`. One word: its first `want`
 * index entries. Several: each is probed (PROBE entries, in parallel); the word with the fewest matches gives the
 * candidates, and each candidate's token list (its search record) is checked against the other words, `want` at a
 * time, the candidate word read on from where its probe stopped only when needed (PER_TOKEN at most), until `want`
 * are found. A commune of 2,000 applications (« saint etienne ») thus costs two probes and one BatchGet of `want`
 * records, not a thousand entries and a hundred records.
 */
async function matchAllWords(deps: Deps, words: readonly string[], want: number): Promise<string[]> {
  if (words.length === 0) return [];
  if (words.length === 1) return deps.store.search.idsByPrefix(words[0] as string, want);
  const probes = await Promise.all(words.map((w) => deps.store.search.pageByPrefix(w, PROBE)));
  let best = 0;
  for (let i = 1; i < probes.length; i++) {
    const a = probes[i] as { ids: string[]; next?: unknown };
    const b = probes[best] as { ids: string[]; next?: unknown };
    const full = (p: { next?: unknown }) => p.next !== undefined;
    // Fewest matches (a probe read whole beats a full one); among full probes, the longest word (likely the rarest).
    if (
      (!full(a) && full(b)) ||
      (full(a) === full(b) && a.ids.length < b.ids.length) ||
      (full(a) && full(b) && (words[i] as string).length > (words[best] as string).length)
    )
      best = i;
  }
  const word = words[best] as string;
  const first = probes[best] as { ids: string[]; next?: Record<string, unknown> };
  const candidates = [...first.ids];
  const seen = new Set(candidates);
  let next = first.next;
  const others = words.filter((_, i) => i !== best);
  const found: string[] = [];
  let checked = 0;
  let chunk = want;
  while (found.length < want && checked < PER_TOKEN) {
    if (checked >= candidates.length) {
      if (!next) break;
      const page = await deps.store.search.pageByPrefix(word, Math.min(100, PER_TOKEN - checked), next);
      for (const id of page.ids) {
        if (!seen.has(id)) {
          seen.add(id);
          candidates.push(id);
        }
      }
      next = page.next;
      continue;
    }
    const slice = candidates.slice(checked, checked + chunk);
    checked += slice.length;
    // Few of the first candidates matched: read more at a time (≤ 100, one BatchGet).
    chunk = Math.min(100, chunk * 2);
    const tokens = await deps.store.search.tokensOf(slice);
    for (const id of slice) {
      const list = tokens.get(id) ?? [];
      if (others.every((w) => list.some((t) => t.startsWith(w)))) found.push(id);
      if (found.length >= want) break;
    }
  }
  return found;
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
