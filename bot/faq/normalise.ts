import { stemmer as snowballFrench } from '@orama/stemmers/french';

/** Longer input is cut: a question never needs more, and it bounds the matcher's work. */
export const MAX_INPUT_CHARS = 1000;

/**
 * SMS / informal spellings → standard words. Keys and values are already lowercase without accents. The values may be
 * several words; elisions in them are handled after the expansion (c → "c'est" → "c", "est": both stop words).
 */
export const SMS_EXPANSIONS: Readonly<Record<string, string>> = {
  c: "c'est",
  koi: 'quoi',
  kwa: 'quoi',
  quoa: 'quoi',
  pk: 'pourquoi',
  pq: 'pourquoi',
  pkoi: 'pourquoi',
  pourkoi: 'pourquoi',
  prkoi: 'pourquoi',
  jsp: 'je ne sais pas',
  stp: "s'il te plait",
  svp: "s'il vous plait",
  bcp: 'beaucoup',
  qd: 'quand',
  qnd: 'quand',
  kan: 'quand',
  kand: 'quand',
  cb: 'combien',
  cmb: 'combien',
  cbn: 'combien',
  combin: 'combien',
  tt: 'tout',
  tjr: 'toujours',
  tjrs: 'toujours',
  ds: 'dans',
  pr: 'pour',
  mm: 'meme',
  pcq: 'parce que',
  pck: 'parce que',
  psk: 'parce que',
  paske: 'parce que',
  ya: 'il y a',
  jai: "j'ai",
  chui: 'je suis',
  chuis: 'je suis',
  jsuis: 'je suis',
  keske: "qu'est-ce que",
  kesako: "qu'est-ce que c'est",
  kezako: "qu'est-ce que c'est",
  kesk: "qu'est-ce que",
  dc: 'donc',
  bjr: 'bonjour',
  slt: 'salut',
  mrc: 'merci',
  qqn: "quelqu'un",
  qqch: 'quelque chose',
  ajd: "aujourd'hui",
  auj: "aujourd'hui",
  ki: 'qui',
  ke: 'que',
  vs: 'vous',
  coment: 'comment',
  komen: 'comment',
  komment: 'comment',
  asso: 'association',
  assos: 'associations',
  qualif: 'qualification',
  qualifs: 'qualifications',
  carto: 'cartographie',
  infos: 'informations',
  rib: 'iban',
  // auto-entrepreneur variants: one token so that the stemmer and the vocabulary see a single word.
  autoentrepreneur: 'autoentrepreneur',
  autoentrepreneuse: 'autoentrepreneur',
  autoentreprise: 'autoentrepreneur',
  microentrepreneur: 'autoentrepreneur',
  microentreprise: 'autoentrepreneur',
  mediatheque: 'mediatheque',
  mediateque: 'mediatheque',
  mediatek: 'mediatheque',
  webinar: 'webinaire',
  webinars: 'webinaires',
  // more chat spellings and clipped words of the field
  cmt: 'comment',
  cmnt: 'comment',
  kom: 'comme',
  kel: 'quel',
  kelle: 'quelle',
  pa: 'pas',
  pb: 'probleme',
  pbm: 'probleme',
  pblm: 'probleme',
  qq: 'quelques',
  qlq: 'quelque',
  qlqs: 'quelques',
  tps: 'temps',
  mtn: 'maintenant',
  mnt: 'maintenant',
  vrmt: 'vraiment',
  dmd: 'demande',
  nb: 'nombre',
  rdv: 'rendez-vous',
  dispo: 'disponible',
  dispos: 'disponibles',
  appli: 'application',
  ordi: 'ordinateur',
  ordis: 'ordinateurs',
  algo: 'algorithme',
  doc: 'document',
  docs: 'documents',
  info: 'information',
  indep: 'independant',
  indeps: 'independants',
  distrib: 'distribution',
  perso: 'personnel',
  admin: 'administratif',
  compta: 'comptabilite',
  questionaire: 'questionnaire',
  aimerai: 'aimerais',
  voudrai: 'voudrais',
};

/** « jveux », « jpeux », « jvoudrais », « jme » : « je » glued to a verb (no French word starts with j + consonant). */
const GLUED_JE = /^j([bcdfghklmnpqrstvwxz][a-z]{1,})$/;

/** Multi-word variants joined before tokenising (hyphens, spaces). Applied on accentless lowercase text. */
const PHRASE_JOINS: ReadonlyArray<[RegExp, string]> = [
  [/\b(auto|micro)[\s-]?(entrepreneu(?:r|se)s?|entreprises?)\b/g, 'autoentrepreneur'],
  [/\bcontre[\s-]?paiements?\b/g, 'contrepaiement'],
  [/\bcodes?[\s-]?barres?\b/g, 'codebarre'],
  [/\btiers[\s-]?lieux?\b/g, 'tierslieu'],
  [/\bfab[\s-]?labs?\b/g, 'fablab'],
  [/\bco[\s-]?working?s?\b/g, 'coworking'],
  [/\bdevenir\.aptic\.fr\b/g, 'devenir aptic site'],
  [/\bconsole\.aptic\.fr\b/g, 'console aptic site'],
];

/**
 * French stop words (accentless). Interrogatives that carry a topic signal (combien, quand, pourquoi) are kept.
 * Greetings and politeness are stop words: "bonjour, …" must not count as content.
 */
export const FRENCH_STOP_WORDS: ReadonlySet<string> = new Set(
  `a ai aie aient aies ait as au aucun aussi autre aux avec avez aviez avions avoir avons ayant b bah ben bien
  bonjour bonsoir c ca car ce ceci cela celle celles celui cependant certain ces cet cette ceux chaque chez ci comme
  comment concretement d dans de des deja depuis dois doit donc dont du e elle elles en encore es est et etaient etais
  etait etant ete etes etre eu eux exactement f fais faire fait faites faut g h hello ici il ils j je jusqu k l la le
  les leur leurs lui m ma mais me meme merci mes moi mon n ne ni non nos notre nous o on ont ou p par parce pas peut peuvent peux plait plus pour pouvez pouvons puis q qu que quel quelle quelles quels qui quoi r s sa
  sais salut sans se sera ses seulement si sil sont sous stp suis sur svp t ta te tes toi ton tous tout toute toutes
  tres tu u un une uns v vais veut veux via voici voila vont vos votre vous vraiment w x y z oui ok okay alors bref
  voudrais voudrions aimerais aimerions souhaite souhaitons besoin svp quelqu quelque chose beaucoup coucou`
    .split(/\s+/)
    .filter(Boolean),
);

// Bidi controls, zero-width characters, C0/C1 controls (except whitespace), lone surrogates.
const CONTROL_CHARS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is this regex's purpose.
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g;
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Lowercase, strip accents and control characters, split elisions, expand SMS spellings.
 * Returns space-separated words made of [a-z0-9] only. Never throws.
 */
export function normaliseText(input: unknown): string {
  if (typeof input !== 'string' || input.length === 0) return '';
  let s = input.slice(0, MAX_INPUT_CHARS).replace(LONE_SURROGATES, ' ').replace(CONTROL_CHARS, ' ');
  s = s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  s = s.replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/ß/g, 'ss');
  s = s.replace(/[’‘`´]/g, "'");
  for (const [re, rep] of PHRASE_JOINS) s = s.replace(re, rep);
  // Thousands written with a space or a dot ("15 000", "25.000"): one number.
  s = s.replace(/\b(\d{1,3})[ .\u00a0\u202f](\d{3})\b/g, '$1$2');
  // Expand SMS words before elisions, so that "c" becomes "c'est", then is split like any elision.
  s = s.replace(/[a-z0-9]+/g, (w) => {
    const x = SMS_EXPANSIONS[w];
    if (x !== undefined) return x;
    const glued = GLUED_JE.exec(w);
    return glued ? `je ${SMS_EXPANSIONS[glued[1]!] ?? glued[1]}` : w;
  });
  // Elisions: l' d' qu' j' n' s' c' m' t' jusqu' lorsqu' puisqu' → drop the elided article/pronoun.
  s = s.replace(/\b(?:[ldjnsmtc]|qu|jusqu|lorsqu|puisqu)'/g, ' ');
  s = s.replace(/[^a-z0-9]+/g, ' ').trim();
  return s;
}

export function tokenise(normalised: string): string[] {
  return normalised.length === 0 ? [] : normalised.split(' ');
}

const stemCache = new Map<string, string>();

/** Snowball French stem (via @orama/stemmers) of an accentless lowercase word; digits are kept as they are. */
export function stemFr(word: string): string {
  // The cache first: analysing the knowledge base stems ~115,000 words, of which ~4,600 are distinct.
  let s = stemCache.get(word);
  if (s !== undefined) return s;
  if (word.length <= 3 || /\d/.test(word)) return word;
  s = snowballFrench(word);
  if (stemCache.size > 50_000) stemCache.clear();
  stemCache.set(word, s);
  return s;
}

export interface Analysis {
  /** normalised content words (stop words removed, synonyms applied) */
  words: string[];
  /** their stems, same order */
  stems: string[];
}

/** Synonyms: canonical word → variants (any spelling: they are normalised here). */
export type Synonyms = Readonly<Record<string, readonly string[]>>;

export type Analyser = (text: string) => Analysis;

/**
 * Builds the analysis pipeline: normalise → tokenise → synonyms (longest phrase first) → stop words → stem.
 * Synonyms come from the knowledge base, so staff can add "douchette → scanner" without code.
 */
export function createAnalyser(synonyms: Synonyms = {}): Analyser {
  const phrases = new Map<string, string>();
  /** The first stem of every phrase: most words start none, and need no look-up of longer phrases. */
  const starts = new Set<string>();
  let maxLen = 1;
  for (const [canonical, variants] of Object.entries(synonyms)) {
    const canon = tokenise(normaliseText(canonical)).join(' ');
    for (const v of [canonical, ...variants]) {
      // Keyed by stems, so that plurals and verb forms of a variant match too ("chèques", "scannés").
      const key = tokenise(normaliseText(v)).map(stemFr).join(' ');
      if (!key) continue;
      phrases.set(key, canon);
      starts.add(key.split(' ')[0]!);
      maxLen = Math.max(maxLen, key.split(' ').length);
    }
  }
  return (text: string) => {
    const tokens = tokenise(normaliseText(text));
    const stemmed = tokens.map(stemFr);
    const words: string[] = [];
    for (let i = 0; i < tokens.length; ) {
      let consumed = 0;
      const from = starts.has(stemmed[i]!) ? Math.min(maxLen, tokens.length - i) : 0;
      for (let len = from; len >= 1; len--) {
        const canon = phrases.get(stemmed.slice(i, i + len).join(' '));
        if (canon !== undefined) {
          words.push(...canon.split(' '));
          consumed = len;
          break;
        }
      }
      if (consumed === 0) {
        words.push(tokens[i]!);
        consumed = 1;
      }
      i += consumed;
    }
    const content = words.filter((w) => !FRENCH_STOP_WORDS.has(w));
    return { words: content, stems: content.map(stemFr) };
  };
}
