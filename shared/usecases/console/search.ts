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
    Promise.all(whole.map((t) => deps.store.search.idsByPrefix(t, PER_TOKEN))),
    Promise.all(words.map((t) => deps.store.search.idsByPrefix(t, PER_TOKEN))),
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
  if (wordHits.length) {
    const [first, ...rest] = [...wordHits].sort((a, b) => a.length - b.length);
    const others = rest.map((l) => new Set(l));
    for (const id of first ?? []) if (others.every((s) => s.has(id))) add(id);
  }
  const apps = await deps.store.applications.getMany(ids);
  const byId = new Map(apps.map((a) => [a.id, a]));
  return {
    results: ids.flatMap((id) => {
      const app = byId.get(id);
      return app ? [applicationSummary(app)] : [];
    }),
  };
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
