import { describe, expect, it } from 'vitest';
import { type AnswerPath, getAt, setAt } from '../../../bot/fields/field.js';
import { FIELDS, type FieldKey } from '../../../bot/fields/index.js';
import {
  ABONNEMENT_OPTIONS,
  FORME_OPTIONS,
  FRAIS_OPTIONS,
  MODALITE_OPTIONS,
  OUI_NON_NSP_OPTIONS,
  PRISE_EN_CHARGE_OPTIONS,
  PROFIL_OPTIONS,
  PUBLICS_OPTIONS,
  SERVICE_OPTIONS,
  TRAINING_OPTIONS,
  WHERE_OPTIONS,
} from '../../../bot/fields/options.js';
import { type ChatState, initialState, toApplicationDocument } from '../../../bot/state.js';
import { DEFAULT_CONFIG } from '../../../shared/config/config.js';
import {
  ABONNEMENT,
  FORMES_JURIDIQUES,
  LIEUX_D_INTERVENTION,
  LIMITS,
  OUI_NON_NSP,
  PROFILS,
  parseApplication,
} from '../../../shared/domain/application.js';
import {
  DISPOSITIF_PROGRAMMES_NATIONAUX,
  FORMATIONS_LABELS,
  FRAIS_A_CHARGE,
  MODALITES_ACCOMPAGNEMENT,
  PRISE_EN_CHARGE_SPECIFIQUE,
  PUBLICS_SPECIFIQUEMENT_ADRESSES,
  SERVICES,
} from '../../../shared/domain/national-schema.js';

// A draft the domain accepts; each sample answer below changes one field of it.
function completeState(): ChatState {
  const s = initialState();
  Object.assign(s.draft.structure, {
    nom: 'Clic',
    forme_juridique: 'association',
    siret: '73282932000074',
    demandeur_est_representant_legal: false,
    demandeur_mandate: true,
    representant_nom: 'Claire Martin',
    representant_courriel: 'claire@clic.fr',
    compte_bancaire: true,
  });
  s.draft.lieux = [
    { adresse: '12 rue des Lilas', code_postal: '87280', commune: 'Limoges', accueil_inconditionnel: true },
  ];
  Object.assign(s.draft.activite, {
    mediation: true,
    services: ['Aide aux démarches administratives'],
    modalites_accompagnement: ['Accompagnement individuel'],
    lieux_d_intervention: ['lieu_propre'],
    frais_a_charge: ['Gratuit'],
  });
  Object.assign(s.draft.engagements, { charte: true, cgu: true, abonnement: 'oui', publication: true });
  return s;
}

const L = LIMITS;
const long = (n: number) => 'x'.repeat(n);
/** Valid OSM opening hours of at most `n` characters, close to it (the same rule repeated). */
const longHours = (n: number) => {
  let s = 'Mo 09:00-12:00';
  while (s.length + 16 <= n - 16) s += '; Tu 09:00-12:00';
  return `${s}; We 09:00-12:00`.padEnd(n, ' ').slice(0, n).trimEnd();
};

/** Answers each question accepts, at the document's limits where it has some. */
const ACCEPTED: Record<FieldKey, string[]> = {
  nom: [long(L.structure.nom.min), long(L.structure.nom.max)],
  forme: ['1', '5'],
  siret: ['732 829 320 00074', 'pas de siret'],
  siretDejaUtilise: ['oui', 'je ne sais pas'],
  siretDiffusible: ['non'],
  representant: ['oui', 'non'],
  mandate: ['oui'],
  repNom: [long(L.structure.representant_legal.nom.min), long(L.structure.representant_legal.nom.max)],
  repEmail: ['Claire.Martin@Clic.FR'],
  banque: ['oui'],
  mediation: ['oui'],
  services: ['1, 2'],
  modalites: ['1'],
  where: ['1, 3'],
  nombreLieux: ['1', '50'],
  lieuAdresse: [long(L.lieux.adresse.min), long(L.lieux.adresse.max)],
  lieuCommune: ['87280 Limoges'],
  lieuHoraires: ['Mo-Fr 09:00-12:00', 'passer', 'du lundi au vendredi de 9h à 12h', longHours(L.lieux.horaires.max)],
  lieuAccueil: ['non'],
  heures: [String(L.activite.heures_accueil_hebdo.min), String(L.activite.heures_accueil_hebdo.max), '12,5'],
  frais: ['1, 3'],
  tarif: [String(L.activite.tarif_seance_eur.min), String(L.activite.tarif_seance_eur.max)],
  resteACharge: ['oui'],
  salaries: ['0', String(L.equipe.salaries.max)],
  benevoles: ['aucun', String(L.equipe.benevoles.max)],
  servicesCiviques: [String(L.equipe.services_civiques.max)],
  encadres: ['non'],
  formations: ['1, 4, 7', '8'],
  publics: ['1, 2'],
  priseEnCharge: ['1'],
  charte: ['oui'],
  cgu: ['oui'],
  abonnement: ['3'],
  publication: ['non'],
  reseauMembre: ['non'],
  reseau: ['Réseau Test', long(L.contexte.reseau.max)],
  territorial: ['2'],
};

/** Answers just past the document's limits: the chat re-asks instead of sending what the API would refuse. */
const REFUSED: Partial<Record<FieldKey, string[]>> = {
  nom: [long(L.structure.nom.min - 1), long(L.structure.nom.max + 1)],
  repNom: [long(L.structure.representant_legal.nom.max + 1)],
  repEmail: [`${long(L.structure.representant_legal.courriel.max)}@x.fr`, 'claire.clic.fr'],
  lieuAdresse: [long(L.lieux.adresse.min - 1), long(L.lieux.adresse.max + 1)],
  lieuHoraires: [long(L.lieux.horaires.max + 1)],
  heures: [String(L.activite.heures_accueil_hebdo.max + 1)],
  tarif: [String(L.activite.tarif_seance_eur.max + 1)],
  salaries: [String(L.equipe.salaries.max + 1), '2,5'],
  benevoles: [String(L.equipe.benevoles.max + 1)],
  servicesCiviques: [String(L.equipe.services_civiques.max + 1)],
  reseau: [long(L.contexte.reseau.max + 1)],
};

/** Where a draft path is in the document when not at the same place; null: the chat's own (not in the document). */
const DOCUMENT_PATH: Record<string, string[] | null> = {
  'structure.representant_nom': ['structure', 'representant_legal', 'nom'],
  'structure.representant_courriel': ['structure', 'representant_legal', 'courriel'],
  'activite.nombre_lieux': null,
};
const documentPath = (p: AnswerPath): string[] | null =>
  DOCUMENT_PATH[p.join('.')] !== undefined
    ? DOCUMENT_PATH[p.join('.')]!
    : p[0] === 'lieu'
      ? ['lieux', '0', p[1]]
      : [...p];

/** Questions without a single path: the slots they fill. */
const FILLS: Partial<Record<FieldKey, AnswerPath[]>> = {
  lieuCommune: [
    ['lieu', 'code_postal'],
    ['lieu', 'commune'],
  ],
  formations: [
    ['equipe', 'dispositif_programmes_nationaux'],
    ['equipe', 'formations_labels'],
    ['equipe', 'autres_formations_labels'],
    ['equipe', 'aucune_formation'],
  ],
};

// The domain writes « absent » as undefined and the draft as null or undefined; an empty list is left out.
const same = (v: unknown) => (v === null || (Array.isArray(v) && v.length === 0) ? undefined : v);
const at = (doc: unknown, path: string[]) =>
  path.reduce<unknown>((o, k) => (o === null || o === undefined ? undefined : (o as Record<string, unknown>)[k]), doc);

describe('fields and the application document', () => {
  const entries = Object.entries(FIELDS) as [FieldKey, (typeof FIELDS)[FieldKey]][];

  it('every question stores its answer at a path or declares the slots it fills', () => {
    for (const [key, field] of entries) expect(field.path ?? FILLS[key], key).toBeDefined();
  });

  it('each accepted answer reaches the document, which accepts it, at the declared path', () => {
    for (const [key, field] of entries) {
      const paths = field.path ? [field.path] : FILLS[key]!;
      for (const answer of ACCEPTED[key]) {
        const s = completeState();
        s.lieu = { ...s.draft.lieux[0] };
        const parsed = field.parse(answer, { config: DEFAULT_CONFIG, state: s });
        expect(parsed, `${key} ← ${answer.slice(0, 20)}`).toMatchObject({ ok: true });
        if (!parsed.ok) continue;
        field.apply(s, parsed.value as never);
        s.draft.lieux = [s.lieu];
        const r = parseApplication(toApplicationDocument(s));
        expect(r.ok ? [] : r.issues, `${key} ← ${answer.slice(0, 20)}`).toEqual([]);
        if (!r.ok) continue;
        for (const p of paths) {
          const inDocument = documentPath(p);
          if (inDocument === null) continue;
          expect(same(at(r.value, inDocument)), `${key}: ${inDocument.join('.')}`).toEqual(same(getAt(s, p)));
        }
      }
    }
  });

  it('re-asks, as the document would refuse, just past its limits', () => {
    for (const [key, answers] of Object.entries(REFUSED) as [FieldKey, string[]][]) {
      for (const answer of answers) {
        const parsed = FIELDS[key].parse(answer, { config: DEFAULT_CONFIG, state: completeState() });
        expect(parsed.ok, `${key} ← ${answer.slice(0, 20)}…(${answer.length})`).toBe(false);
      }
    }
  });

  it('paths are checked by the compiler', () => {
    const s = initialState();
    setAt(s, ['structure', 'nom'], 'Clic');
    expect(getAt(s, ['structure', 'nom'])).toBe('Clic');
    // @ts-expect-error a number does not go where the document has a text
    setAt(s, ['structure', 'nom'], 3);
    // @ts-expect-error no such field in the draft
    getAt(s, ['structure', 'name']);
  });
});

describe('option lists', () => {
  const values = (options: readonly { value: string }[]) => options.map((o) => o.value);

  it('offer the domain’s values, in its order', () => {
    expect(values(PROFIL_OPTIONS)).toEqual([...PROFILS]);
    expect(values(FORME_OPTIONS)).toEqual([...FORMES_JURIDIQUES]);
    expect(values(OUI_NON_NSP_OPTIONS)).toEqual([...OUI_NON_NSP]);
    expect(values(ABONNEMENT_OPTIONS)).toEqual([...ABONNEMENT]);
    expect(values(WHERE_OPTIONS)).toEqual([...LIEUX_D_INTERVENTION]);
    expect(values(FRAIS_OPTIONS)).toEqual([...FRAIS_A_CHARGE]);
    expect(values(SERVICE_OPTIONS)).toEqual([...SERVICES]);
    expect(values(MODALITE_OPTIONS)).toEqual([...MODALITES_ACCOMPAGNEMENT]);
    expect(values(PUBLICS_OPTIONS).slice(0, -1)).toEqual([...PUBLICS_SPECIFIQUEMENT_ADRESSES]);
    expect(values(PRISE_EN_CHARGE_OPTIONS).slice(0, -1)).toEqual([...PRISE_EN_CHARGE_SPECIFIQUE]);
  });

  it('word every fee option in French (a new national value would show under its own name)', () => {
    for (const o of FRAIS_OPTIONS) expect(o.label).not.toBe(o.value);
  });

  it('name trainings the national lists know', () => {
    for (const { value } of TRAINING_OPTIONS) {
      const [kind, name] = [value.slice(0, 2), value.slice(2)];
      if (kind === 'd:') expect(DISPOSITIF_PROGRAMMES_NATIONAUX).toContain(name);
      if (kind === 'f:') expect(FORMATIONS_LABELS).toContain(name);
    }
  });
});
