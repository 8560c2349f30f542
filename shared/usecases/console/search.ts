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
  const apps = await deps.store.applications.getMany(ids);
  const byId = new Map(apps.map((a) => [a.id, a]));
  return {
    results: ids.flatMap((id) => {
      const app = byId.get(id);
      return app ? [applicationSummary(app)] : [];
    }),
  };
}

/** Each word is first read this far; a word with fewer matches is read whole, and is the one the others check. */
const PROBE = 200;

/**
 * Applications having, for every word, a token that starts with it; at most `want`. One word: its first `want`
 * index entries. Several: each is probed (PROBE entries, in parallel); the word with the fewest matches gives the
 * candidates (read to PER_TOKEN if every probe was full), and each candidate's token list (its search record, one
 * BatchGet per 100) is checked against the other words, until `want` are found. A common word (« limoges ») thus costs
 * one short page, not a thousand entries.
 */
async function matchAllWords(deps: Deps, words: readonly string[], want: number): Promise<string[]> {
  if (words.length === 0) return [];
  if (words.length === 1) return deps.store.search.idsByPrefix(words[0] as string, want);
  const probes = await Promise.all(words.map((w) => deps.store.search.idsByPrefix(w, PROBE)));
  let best = 0;
  for (let i = 1; i < probes.length; i++) {
    const a = probes[i] as string[];
    const b = probes[best] as string[];
    // Fewest matches; among full probes, the longest word (likely the rarest).
    if (a.length < b.length || (a.length === b.length && (words[i] as string).length > (words[best] as string).length))
      best = i;
  }
  let candidates = probes[best] as string[];
  if (candidates.length >= PROBE) candidates = await deps.store.search.idsByPrefix(words[best] as string, PER_TOKEN);
  const others = words.filter((_, i) => i !== best);
  const found: string[] = [];
  for (let i = 0; i < candidates.length && found.length < want; i += 100) {
    const chunk = candidates.slice(i, i + 100);
    const tokens = await deps.store.search.tokensOf(chunk);
    for (const id of chunk) {
      const list = tokens.get(id) ?? [];
      if (others.every((w) => list.some((t) => t.startsWith(w)))) found.push(id);
      if (found.length >= want) break;
    }
  }
  return found;
}

/** What a list shows of an application: its structure's name, SIRET, first commune and stage. */
export function applicationSummary(app: ApplicationItem): SearchResult {
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
