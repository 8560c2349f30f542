// Matching a prospect (a place of the national open data) to an application: by SIRET first (the schema's `pivot`),
// else by name + commune, both normalised the way people and data producers actually write them. Pure.

/** Words that carry no identity in a place's name ("Médiathèque de la Ville" = "mediatheque ville"). */
const STOP_WORDS = new Set(['le', 'la', 'les', 'l', 'de', 'du', 'des', 'd', 'et', 'a', 'au', 'aux', 'en', 'sur']);

/**
 * A name reduced to what identifies it: lower case, no accents, no punctuation, `st`/`ste` for saint/sainte, no
 * articles, single spaces. « L’Espace Numérique — Saint-Junien » → `espace numerique st junien`.
 */
export function normaliseName(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((w) => w !== '' && !STOP_WORDS.has(w))
    .map((w) => (w === 'saint' ? 'st' : w === 'sainte' ? 'ste' : w))
    .join(' ');
}

/**
 * The commune's part of the key: its INSEE code, an arrondissement folded into its city (Paris 751xx → 75056, Lyon
 * 6938x → 69123, Marseille 132xx → 13055), because one source writes « Paris 11e » and the other « Paris ».
 */
export function communeKey(codeInsee: string): string {
  const c = codeInsee.trim().toUpperCase();
  if (/^751(0[1-9]|1\d|20)$/.test(c)) return '75056';
  if (/^6938[1-9]$/.test(c)) return '69123';
  if (/^132(0[1-9]|1[0-6])$/.test(c)) return '13055';
  return c;
}

export const nameCommuneKey = (name: string, codeInsee: string) => `${normaliseName(name)}@${communeKey(codeInsee)}`;

/** What an application offers to be matched on: its SIRET, and the names (structure, places) with their communes. */
export interface ApplicationMatchable {
  id: string;
  siret: string | null;
  names: { nom: string; codeInsee: string }[];
}

export interface MatchIndex {
  bySiret: Map<string, string>;
  byNameCommune: Map<string, string>;
}

export function buildMatchIndex(applications: Iterable<ApplicationMatchable>): MatchIndex {
  const bySiret = new Map<string, string>();
  const byNameCommune = new Map<string, string>();
  for (const a of applications) {
    if (a.siret) bySiret.set(a.siret, a.id);
    for (const n of a.names) {
      const key = nameCommuneKey(n.nom, n.codeInsee);
      // An empty normalised name (« La ») would match every other empty name of the commune: never a key.
      if (!key.startsWith('@') && !byNameCommune.has(key)) byNameCommune.set(key, a.id);
    }
  }
  return { bySiret, byNameCommune };
}

export type Match = { applicationId: string; by: 'siret' | 'nom_commune' } | null;

/** SIRET first (exact), then the normalised name in the same commune. */
export function matchProspect(
  prospect: { siret: string | null; nom: string; codeInsee: string },
  index: MatchIndex,
): Match {
  if (prospect.siret) {
    const id = index.bySiret.get(prospect.siret);
    if (id) return { applicationId: id, by: 'siret' };
  }
  const key = nameCommuneKey(prospect.nom, prospect.codeInsee);
  if (key.startsWith('@')) return null;
  const id = index.byNameCommune.get(key);
  return id ? { applicationId: id, by: 'nom_commune' } : null;
}
