// The answers offered as numbered choices, in French with the ways people say them. Values and their order come
// from the domain's enumerations (shared/domain/application.ts, national-schema.ts) wherever one exists; only the
// wording is the bot's. test/unit/bot/fields.test.ts checks that the values still match the domain.
import {
  ABONNEMENT,
  FORMES_JURIDIQUES,
  LIEUX_D_INTERVENTION,
  OUI_NON_NSP,
  PROFILS,
} from '../../shared/domain/application.js';
import {
  DISPOSITIF_PROGRAMMES_NATIONAUX,
  FORMATIONS_LABELS,
  FRAIS_A_CHARGE,
  MODALITES_ACCOMPAGNEMENT,
  PRISE_EN_CHARGE_SPECIFIQUE,
  PUBLICS_SPECIFIQUEMENT_ADRESSES,
  SERVICES,
} from '../../shared/domain/national-schema.js';
import type { Option } from '../answers.js';
import type { ChatState } from '../state.js';
import { getAt, type PathFor, type Slot, setAt } from './field.js';

type Wording = Omit<Option, 'value'>;

/**
 * One option per domain value, in the domain's order. With a literal enumeration a value left without wording does
 * not compile; the national ones are read from JSON (plain strings), so a new value is offered under its own name.
 */
function optionsOf<const V extends string>(values: readonly V[], wording: { [K in V]?: Wording }): Option<V>[] {
  return values.map((value) => ({ value, ...(wording[value] ?? { label: value }) }));
}
type Complete<V extends string> = { [K in V]: Wording };

export const PROFIL_OPTIONS = optionsOf(PROFILS, {
  producteur: {
    label: 'une structure ou un·e professionnel·le qui accompagne des personnes au numérique',
    short: 'J’accompagne au numérique',
    aliases: [
      'producteur',
      'mediateur',
      'mediatrice',
      'structure',
      'association',
      'epn',
      'mediatheque',
      'tiers lieu',
      'lieu',
      'professionnel',
      'aptic',
      'apticulteur',
      'conseiller numerique',
    ],
  },
  financeur: {
    label: 'un financeur / une collectivité qui veut acheter des pass',
    short: 'Financeur / collectivité',
    aliases: ['financeur', 'collectivite', 'acheter', 'commanditaire', 'mairie', 'departement'],
  },
  prescripteur: {
    label: 'une structure qui oriente ou distribue des pass',
    short: 'J’oriente / je distribue',
    aliases: ['prescripteur', 'aiguilleur', 'distribue', 'oriente', 'ccas', 'caf', 'france travail'],
  },
  particulier: {
    label: 'un particulier qui cherche de l’aide',
    short: 'Particulier',
    aliases: ['particulier', 'beneficiaire', 'personne', 'habitant', 'j ai besoin d aide', 'aide'],
  },
  autre: { label: 'autre', short: 'Autre', aliases: ['autre', 'autres', 'aucun'] },
} satisfies Complete<(typeof PROFILS)[number]>);

export const FORME_OPTIONS = optionsOf(FORMES_JURIDIQUES, {
  association: { label: 'association', short: 'Association', aliases: ['asso', 'loi 1901'] },
  collectivite: {
    label: 'collectivité / établissement public (mairie, médiathèque, CCAS, EPCI…)',
    short: 'Collectivité / public',
    aliases: [
      'collectivite',
      'mairie',
      'commune',
      'mediatheque',
      'ccas',
      'epci',
      'public',
      'etablissement public',
      'bibliotheque',
      'departement',
      'region',
    ],
  },
  entreprise: {
    label: 'entreprise (SAS, SARL, SCIC, SCOP…)',
    short: 'Entreprise',
    aliases: ['sas', 'sarl', 'scic', 'scop', 'societe', 'entreprise', 'eurl', 'sasu'],
  },
  entrepreneur_individuel: {
    label: 'entrepreneur individuel / micro-entreprise',
    short: 'Micro-entreprise',
    aliases: [
      'auto entrepreneur',
      'autoentrepreneur',
      'micro entreprise',
      'micro entrepreneur',
      'independant',
      'ei',
      'freelance',
    ],
  },
  autre: { label: 'autre', short: 'Autre' },
} satisfies Complete<(typeof FORMES_JURIDIQUES)[number]>);

export const OUI_NON_NSP_OPTIONS = optionsOf(OUI_NON_NSP, {
  oui: { label: 'oui', short: 'Oui', aliases: ['o', 'yes', 'ouais'] },
  non: { label: 'non', short: 'Non', aliases: ['n', 'no', 'nan'] },
  ne_sait_pas: {
    label: 'je ne sais pas',
    short: 'Je ne sais pas',
    aliases: ['nsp', 'sais pas', 'je sais pas', 'aucune idee', 'ne sais pas', 'peut etre'],
  },
} satisfies Complete<(typeof OUI_NON_NSP)[number]>);

export const SERVICE_OPTIONS = optionsOf(SERVICES, {});
export const MODALITE_OPTIONS = optionsOf(MODALITES_ACCOMPAGNEMENT, {});

export const WHERE_OPTIONS = optionsOf(LIEUX_D_INTERVENTION, {
  lieu_propre: {
    label: 'dans un lieu géré par ma structure et ouvert au public',
    short: 'Dans notre lieu',
    aliases: ['lieu propre', 'notre lieu', 'chez nous', 'local'],
  },
  lieux_tiers: {
    label: 'dans des lieux d’autres structures (permanences, salles prêtées), sans lieu à moi',
    short: 'Lieux d’autres structures',
    aliases: ['permanences', 'salles pretees', 'tiers'],
  },
  domicile: {
    label: 'au domicile des personnes',
    short: 'À domicile',
    aliases: ['domicile', 'chez les gens', 'chez les personnes'],
  },
  itinerant: {
    label: 'en itinérance (bus, camion…)',
    short: 'En itinérance',
    aliases: ['itinerant', 'itinerance', 'bus', 'camion', 'mobile'],
  },
  distance: {
    label: 'uniquement à distance',
    short: 'À distance',
    aliases: ['distance', 'en ligne', 'visio', 'telephone'],
  },
} satisfies Complete<(typeof LIEUX_D_INTERVENTION)[number]>);

export const FRAIS_OPTIONS = optionsOf(FRAIS_A_CHARGE, {
  Gratuit: { label: 'gratuits', short: 'Gratuits', aliases: ['gratuit', 'gratuite'] },
  'Gratuit sous condition': {
    label: 'gratuits sous condition',
    short: 'Gratuits sous condition',
    aliases: ['sous condition', 'gratuit sous conditions'],
  },
  Payant: { label: 'payants', short: 'Payants', aliases: ['payant', 'payante'] },
});

export const ABONNEMENT_OPTIONS = optionsOf(ABONNEMENT, {
  oui: { label: 'oui', short: 'Oui', aliases: ['ok', 'd accord', 'acceptable'] },
  non: { label: 'non', short: 'Non' },
  a_confirmer: {
    label: 'je dois demander',
    short: 'Je dois demander',
    aliases: ['demander', 'a confirmer', 'je ne sais pas', 'je dois verifier', 'sais pas'],
  },
} satisfies Complete<(typeof ABONNEMENT)[number]>);

// ─── lists with a « none of these » answer ─────────────────────────────────────────────────────────────────────

export const PUBLICS_OPTIONS: Option[] = [
  ...optionsOf(PUBLICS_SPECIFIQUEMENT_ADRESSES, {}),
  {
    value: 'tout_public',
    label: 'non, tout public',
    short: 'Tout public',
    aliases: ['tout public', 'non', 'tous', 'aucun'],
  },
];
export const PRISE_EN_CHARGE_OPTIONS: Option[] = [
  ...optionsOf(PRISE_EN_CHARGE_SPECIFIQUE, {}),
  { value: 'aucune', label: 'aucune de ces situations', short: 'Aucune', aliases: ['aucune', 'non', 'rien'] },
];

/** A list where one option means « none of these »: stored as [] (answered, none), shown as `shownAs`. */
export function noneMeansEmpty(path: PathFor<string[]>, none: string, shownAs: string): Slot<string[]> {
  return {
    path,
    read: (s) => {
      const v = getAt(s, path);
      return Array.isArray(v) && v.length ? v : v ? [shownAs] : undefined;
    },
    write: (s, v) =>
      setAt(
        s,
        path,
        v.filter((x) => x !== none),
      ),
  };
}

// ─── trainings: one answer, four document fields ───────────────────────────────────────────────────────────────

/** Values are prefixed with the field they go to: d: dispositif, f: formation label, a: other, n: none. */
export const TRAINING_OPTIONS: Option[] = [
  { value: 'd:Conseillers numériques', label: 'Conseillers numériques', aliases: ['cnfs', 'conseiller numerique'] },
  { value: 'd:Aidants Connect', label: 'Aidants Connect', aliases: ['aidant connect'] },
  {
    value: 'a:Titre professionnel Responsable d’espace de médiation numérique',
    label: 'titre pro Responsable d’espace de médiation numérique',
    short: 'Titre pro REMN',
    aliases: ['remn', 'titre pro'],
  },
  {
    value: `f:${FORMATIONS_LABELS.find((f) => f.includes('Mon Espace Santé')) ?? 'Formé à « Mon Espace Santé »'}`,
    label: 'formé·e à « Mon Espace Santé »',
    short: 'Mon Espace Santé',
  },
  {
    value: `f:${FORMATIONS_LABELS.find((f) => f.includes('DUPLEX')) ?? 'Formé à « DUPLEX » (illettrisme)'}`,
    label: 'formé·e à « DUPLEX » (illettrisme)',
    short: 'DUPLEX',
  },
  { value: 'd:France Services', label: 'France Services' },
  { value: 'a:Autre formation', label: 'autre formation ou dispositif', short: 'Autre' },
  { value: 'n:aucune', label: 'aucune', short: 'Aucune', aliases: ['rien', 'pas de formation', 'non'] },
];

type Training = { field: 'dispositif' | 'formation' | 'autre' | 'aucune'; value: string };
const trainingOf = (v: string): Training => {
  const [p, ...rest] = v.split(':');
  const value = rest.join(':');
  return { field: p === 'd' ? 'dispositif' : p === 'f' ? 'formation' : p === 'n' ? 'aucune' : 'autre', value };
};

/** equipe.dispositif_programmes_nationaux, formations_labels, autres_formations_labels and aucune_formation. */
export const TRAINING_SLOT: Slot<string[]> = {
  read: (s: ChatState) => [
    ...(s.draft.equipe.dispositif_programmes_nationaux ?? []),
    ...(s.draft.equipe.formations_labels ?? []),
    ...(s.draft.equipe.autres_formations_labels ? [s.draft.equipe.autres_formations_labels] : []),
    ...(s.draft.equipe.aucune_formation ? ['aucune'] : []),
  ],
  write: (s: ChatState, values: string[]) => {
    const t = values.map(trainingOf);
    const none = t.some((x) => x.field === 'aucune') && t.length === 1;
    const e = s.draft.equipe;
    e.dispositif_programmes_nationaux = t
      .filter((x) => x.field === 'dispositif' && DISPOSITIF_PROGRAMMES_NATIONAUX.includes(x.value))
      .map((x) => x.value);
    e.formations_labels = t.filter((x) => x.field === 'formation').map((x) => x.value);
    const others = t.filter((x) => x.field === 'autre').map((x) => x.value);
    if (others.length) e.autres_formations_labels = others.join(' ; ');
    else delete e.autres_formations_labels;
    e.aucune_formation = none;
  },
};
