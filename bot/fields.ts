// The questions of ../shared/eligibility.md (B1…F2), one entry each: the French prompt, how to read the answer
// (validation delegated to shared/domain), where it goes in the draft, the hard gate it may trigger and how the summary
// shows it. Dialog modules (bot/dialogs/) arrange them; the summary re-asks them one by one for corrections.
import validator from 'validator';
import type { AppConfig } from '../shared/config/config.js';
import { findNetwork } from '../shared/config/config.js';
import { communesForPostalCode, resolveCommune } from '../shared/domain/geography.js';
import {
  DISPOSITIF_PROGRAMMES_NATIONAUX,
  FORMATIONS_LABELS,
  MODALITES_ACCOMPAGNEMENT,
  PRISE_EN_CHARGE_SPECIFIQUE,
  PUBLICS_SPECIFIQUEMENT_ADRESSES,
  SERVICES,
} from '../shared/domain/national-schema.js';
import type { ReasonCode } from '../shared/domain/reasons.js';
import { validateSiret } from '../shared/domain/siret.js';
import { cleanLine, matchKey } from '../shared/domain/text.js';
import {
  buttons,
  numbered,
  type Option,
  type Parsed,
  parseChoice,
  parseMulti,
  parseNumber,
  parseYesNo,
  splitPostalAndCommune,
  YES_NO,
} from './answers.js';
import type { Question, QuickReply } from './conversation.js';
import type { ChatState } from './state.js';

export interface FieldContext {
  config: AppConfig;
  state: ChatState;
}

export interface Field<T = unknown> {
  key: string;
  /** Label in the summary; no label = not listed (e.g. follow-ups shown with their parent). */
  label?: string;
  /** Text and buttons may depend on the dialog variables (`_cfg`: see promptConfig). */
  question: Question;
  parse(text: string, ctx: FieldContext): Parsed<T>;
  apply(state: ChatState, value: T): void;
  /** A hard prerequisite that this answer fails (eligibility.md G): the questionnaire stops with this reason. */
  gate?(value: T, state: ChatState): ReasonCode | null;
  /** After this many invalid answers, stop with `gate` reason (SIRET: 2 tries, then the "no SIRET" path). */
  maxTries?: { tries: number; reason: ReasonCode };
  /** Thread to continue with (branching inside a section dialog). */
  next?(value: T, state: ChatState): string | null;
  /** Information to give right after a valid answer (e.g. the régie for public structures). */
  note?(value: T, state: ChatState): string | null;
  show?(state: ChatState): string | null;
  /** Free text: an answer that reads like a question is first tried on the FAQ. */
  freeText?: boolean;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (message: string, quickReplies?: QuickReply[]): Parsed<never> => ({
  ok: false,
  message,
  ...(quickReplies ? { quickReplies } : {}),
});
const yesNoText = (v: boolean | undefined) => (v === undefined ? null : v ? 'oui' : 'non');
const list = (a: readonly string[] | undefined) => (a?.length ? a.join(' ; ') : null);

function yesNoField(
  key: string,
  label: string | undefined,
  prompt: string,
  get: (s: ChatState) => boolean | undefined,
  set: (s: ChatState, v: boolean) => void,
  extra: Partial<Field<boolean>> = {},
): Field<boolean> {
  return {
    key,
    label,
    question: { text: prompt, quickReplies: YES_NO },
    parse: (t) => {
      const v = parseYesNo(t);
      return v === null ? bad('Répondez par « oui » ou « non ».', YES_NO) : ok(v);
    },
    apply: set,
    show: (s) => yesNoText(get(s)),
    ...extra,
  };
}

function choiceField<T extends string>(
  key: string,
  label: string,
  prompt: string,
  options: readonly Option<T>[],
  get: (s: ChatState) => T | undefined,
  set: (s: ChatState, v: T) => void,
  extra: Partial<Field<T>> = {},
): Field<T> {
  return {
    key,
    label,
    question: { text: numbered(prompt, options), quickReplies: buttons(options) },
    parse: (t) => {
      const v = parseChoice(t, options);
      return v === null
        ? bad('Choisissez une des réponses proposées (vous pouvez taper son numéro).', buttons(options))
        : ok(v);
    },
    apply: set,
    show: (s) => {
      const v = get(s);
      return v === undefined ? null : (options.find((o) => o.value === v)?.label ?? v);
    },
    ...extra,
  };
}

function multiField<T extends string>(
  key: string,
  label: string,
  prompt: string,
  options: readonly Option<T>[],
  get: (s: ChatState) => readonly string[] | undefined,
  set: (s: ChatState, v: T[]) => void,
  extra: Partial<Field<T[]>> = {},
): Field<T[]> {
  return {
    key,
    label,
    question: {
      text: `${numbered(prompt, options)}\n(Plusieurs réponses possibles : tapez par exemple « 1, 3 ».)`,
      quickReplies: buttons(options),
      multiple: true,
    },
    parse: (t) => {
      const v = parseMulti(t, options);
      return v === null || v.length === 0
        ? bad(
            'Je n’ai pas reconnu votre choix : indiquez un ou plusieurs numéros de la liste, séparés par des virgules.',
            buttons(options),
          )
        : ok(v);
    },
    apply: set,
    show: (s) => list(get(s)?.map((v) => options.find((o) => o.value === v)?.label ?? v)),
    ...extra,
  };
}

function numberField(
  key: string,
  label: string,
  prompt: string,
  range: { min: number; max: number; integer: boolean; unit?: string },
  get: (s: ChatState) => number | undefined,
  set: (s: ChatState, v: number) => void,
  extra: Partial<Field<number>> = {},
): Field<number> {
  return {
    key,
    label,
    question: { text: prompt },
    parse: (t) => {
      const v = parseNumber(t, { integer: range.integer });
      if (v === null)
        return bad(`Indiquez un nombre${range.integer ? ' entier' : ''} (par exemple « ${Math.min(range.max, 2)} »).`);
      if (v < range.min || v > range.max)
        return bad(`Indiquez un nombre entre ${range.min} et ${range.max}${range.unit ? ` ${range.unit}` : ''}.`);
      return ok(v);
    },
    apply: set,
    show: (s) => {
      const v = get(s);
      return v === undefined ? null : `${v}${range.unit ? ` ${range.unit}` : ''}`;
    },
    ...extra,
  };
}

function textField(
  key: string,
  label: string,
  prompt: string,
  limits: { min: number; max: number; what: string },
  get: (s: ChatState) => string | undefined,
  set: (s: ChatState, v: string) => void,
  extra: Partial<Field<string>> = {},
): Field<string> {
  return {
    key,
    label,
    question: { text: prompt },
    freeText: true,
    parse: (t) => {
      const v = cleanLine(t);
      if (v.length < limits.min) return bad(`${limits.what} : au moins ${limits.min} caractères, s'il vous plaît.`);
      if (v.length > limits.max) return bad(`${limits.what} : ${limits.max} caractères au maximum, s'il vous plaît.`);
      return ok(v);
    },
    apply: set,
    show: (s) => get(s) ?? null,
    ...extra,
  };
}

// ─── option lists ──────────────────────────────────────────────────────────────────────────────────────────────

export const PROFIL_OPTIONS: Option<'producteur' | 'financeur' | 'prescripteur' | 'particulier' | 'autre'>[] = [
  {
    value: 'producteur',
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
  {
    value: 'financeur',
    label: 'un financeur / une collectivité qui veut acheter des pass',
    short: 'Financeur / collectivité',
    aliases: ['financeur', 'collectivite', 'acheter', 'commanditaire', 'mairie', 'departement'],
  },
  {
    value: 'prescripteur',
    label: 'une structure qui oriente ou distribue des pass',
    short: 'J’oriente / je distribue',
    aliases: ['prescripteur', 'aiguilleur', 'distribue', 'oriente', 'ccas', 'caf', 'france travail'],
  },
  {
    value: 'particulier',
    label: 'un particulier qui cherche de l’aide',
    short: 'Particulier',
    aliases: ['particulier', 'beneficiaire', 'personne', 'habitant', 'j ai besoin d aide', 'aide'],
  },
  { value: 'autre', label: 'autre', short: 'Autre', aliases: ['autre', 'autres', 'aucun'] },
];

const FORMES: Option[] = [
  { value: 'association', label: 'association', short: 'Association', aliases: ['asso', 'loi 1901'] },
  {
    value: 'collectivite',
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
  {
    value: 'entreprise',
    label: 'entreprise (SAS, SARL, SCIC, SCOP…)',
    short: 'Entreprise',
    aliases: ['sas', 'sarl', 'scic', 'scop', 'societe', 'entreprise', 'eurl', 'sasu'],
  },
  {
    value: 'entrepreneur_individuel',
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
  { value: 'autre', label: 'autre', short: 'Autre' },
];

const OUI_NON_NSP: Option[] = [
  { value: 'oui', label: 'oui', short: 'Oui', aliases: ['o', 'yes', 'ouais'] },
  { value: 'non', label: 'non', short: 'Non', aliases: ['n', 'no', 'nan'] },
  {
    value: 'ne_sait_pas',
    label: 'je ne sais pas',
    short: 'Je ne sais pas',
    aliases: ['nsp', 'sais pas', 'je sais pas', 'aucune idee', 'ne sais pas', 'peut etre'],
  },
];

const SERVICE_OPTIONS: Option[] = SERVICES.map((s) => ({ value: s, label: s }));
const MODALITE_OPTIONS: Option[] = MODALITES_ACCOMPAGNEMENT.map((m) => ({ value: m, label: m }));

const WHERE: Option[] = [
  {
    value: 'lieu_propre',
    label: 'dans un lieu géré par ma structure et ouvert au public',
    short: 'Dans notre lieu',
    aliases: ['lieu propre', 'notre lieu', 'chez nous', 'local'],
  },
  {
    value: 'lieux_tiers',
    label: 'dans des lieux d’autres structures (permanences, salles prêtées), sans lieu à moi',
    short: 'Lieux d’autres structures',
    aliases: ['permanences', 'salles pretees', 'tiers'],
  },
  {
    value: 'domicile',
    label: 'au domicile des personnes',
    short: 'À domicile',
    aliases: ['domicile', 'chez les gens', 'chez les personnes'],
  },
  {
    value: 'itinerant',
    label: 'en itinérance (bus, camion…)',
    short: 'En itinérance',
    aliases: ['itinerant', 'itinerance', 'bus', 'camion', 'mobile'],
  },
  {
    value: 'distance',
    label: 'uniquement à distance',
    short: 'À distance',
    aliases: ['distance', 'en ligne', 'visio', 'telephone'],
  },
];

const FRAIS: Option[] = [
  { value: 'Gratuit', label: 'gratuits', short: 'Gratuits', aliases: ['gratuit', 'gratuite'] },
  {
    value: 'Gratuit sous condition',
    label: 'gratuits sous condition',
    short: 'Gratuits sous condition',
    aliases: ['sous condition', 'gratuit sous conditions'],
  },
  { value: 'Payant', label: 'payants', short: 'Payants', aliases: ['payant', 'payante'] },
];

type Training = { field: 'dispositif' | 'formation' | 'autre' | 'aucune'; value: string };
const TRAINING: Option<string>[] = [
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
const trainingOf = (v: string): Training => {
  const [p, ...rest] = v.split(':');
  const value = rest.join(':');
  return { field: p === 'd' ? 'dispositif' : p === 'f' ? 'formation' : p === 'n' ? 'aucune' : 'autre', value };
};

const PUBLICS: Option[] = [
  ...PUBLICS_SPECIFIQUEMENT_ADRESSES.map((p) => ({ value: p, label: p })),
  {
    value: 'tout_public',
    label: 'non, tout public',
    short: 'Tout public',
    aliases: ['tout public', 'non', 'tous', 'aucun'],
  },
];
const PRISE_EN_CHARGE: Option[] = [
  ...PRISE_EN_CHARGE_SPECIFIQUE.map((p) => ({ value: p, label: p })),
  { value: 'aucune', label: 'aucune de ces situations', short: 'Aucune', aliases: ['aucune', 'non', 'rien'] },
];

const ABONNEMENT: Option<'oui' | 'non' | 'a_confirmer'>[] = [
  { value: 'oui', label: 'oui', short: 'Oui', aliases: ['ok', 'd accord', 'acceptable'] },
  { value: 'non', label: 'non', short: 'Non' },
  {
    value: 'a_confirmer',
    label: 'je dois demander',
    short: 'Je dois demander',
    aliases: ['demander', 'a confirmer', 'je ne sais pas', 'je dois verifier', 'sais pas'],
  },
];

export const NO_SIRET = 'Je n’ai pas de SIRET';

// ─── the questions ─────────────────────────────────────────────────────────────────────────────────────────────

const lieuLabel = (s: ChatState) =>
  s.draft.lieux.length > 0 || (s.draft.activite.nombre_lieux ?? 1) > 1 ? ` n°${s.draft.lieux.length + 1}` : '';

export const FIELDS = {
  nom: textField(
    'nom',
    'Nom de la structure',
    'Quel est le nom de votre structure ?',
    { min: 2, max: 150, what: 'Le nom' },
    (s) => s.draft.structure.nom,
    (s, v) => {
      s.draft.structure.nom = v;
    },
  ),
  forme: choiceField(
    'forme',
    'Forme juridique',
    'Quelle est sa forme juridique ?',
    FORMES,
    (s) => s.draft.structure.forme_juridique,
    (s, v) => {
      s.draft.structure.forme_juridique = v;
    },
  ),
  siret: {
    key: 'siret',
    label: 'SIRET',
    question: {
      text: "Quel est le numéro SIRET (14 chiffres) de l'établissement qui accueille le public ?",
      quickReplies: [{ title: NO_SIRET, payload: 'pas de siret' }],
    },
    parse: (t) => {
      const k = matchKey(t);
      if (
        /^(je n a pas de siret|pas de siret|aucun siret|je n en ai pas|non|aucun|pas encore)$/.test(k) ||
        k === matchKey(NO_SIRET)
      )
        return ok(null);
      if (/^\d{9,14}$/.test(t.replace(/[\s.\-_]/g, '')) === false && !/\d{5}/.test(t))
        return bad('Le SIRET doit comporter 14 chiffres (les espaces et les points sont acceptés).', [
          { title: NO_SIRET, payload: 'pas de siret' },
        ]);
      const r = validateSiret(t);
      return r.ok ? ok(r.siret) : bad(r.message, [{ title: NO_SIRET, payload: 'pas de siret' }]);
    },
    apply: (s, v) => {
      s.draft.structure.siret = v;
    },
    gate: (v) => (v === null ? 'siret_missing' : null),
    maxTries: { tries: 2, reason: 'siret_missing' },
    show: (s) => (s.draft.structure.siret === undefined ? null : (s.draft.structure.siret ?? 'aucun')),
  } satisfies Field<string | null>,
  siretDejaUtilise: choiceField(
    'siretDejaUtilise',
    'Démarche déjà commencée avec ce SIRET',
    'Quelqu’un de votre structure a-t-il déjà commencé une démarche #APTIC avec ce SIRET ?',
    OUI_NON_NSP,
    (s) => s.draft.structure.siret_deja_utilise,
    (s, v) => {
      s.draft.structure.siret_deja_utilise = v;
    },
    {
      note: (v) =>
        v === 'oui'
          ? "Un SIRET ne peut servir qu'à une seule demande : si une démarche existe déjà, contactez le support avec votre SIRET. Vous pouvez tout de même continuer."
          : null,
    },
  ),
  siretDiffusible: choiceField(
    'siretDiffusible',
    'SIRET diffusible',
    'Votre structure apparaît-elle dans l’annuaire des entreprises (SIRET « diffusible ») ?',
    OUI_NON_NSP,
    (s) => s.draft.structure.siret_diffusible,
    (s, v) => {
      s.draft.structure.siret_diffusible = v;
    },
  ),
  representant: yesNoField(
    'representant',
    'Vous êtes le ou la représentant·e légal·e',
    'Êtes-vous le ou la représentant·e légal·e de la structure ?',
    (s) => s.draft.structure.demandeur_est_representant_legal,
    (s, v) => {
      s.draft.structure.demandeur_est_representant_legal = v;
      if (v) delete s.draft.structure.demandeur_mandate;
    },
    { next: (v) => (v ? 'contact' : 'mandat') },
  ),
  mandate: yesNoField(
    'mandate',
    'Mandaté·e par la structure',
    'Êtes-vous mandaté·e / reconnu·e par votre structure pour faire cette démarche ?',
    (s) => s.draft.structure.demandeur_mandate,
    (s, v) => {
      s.draft.structure.demandeur_mandate = v;
    },
    { gate: (v) => (v ? null : 'not_mandated'), next: () => 'contact' },
  ),
  repNom: textField(
    'repNom',
    'Représentant·e légal·e',
    'Quel est le nom (prénom et nom) du ou de la représentant·e légal·e ?',
    { min: 2, max: 150, what: 'Le nom' },
    (s) => s.draft.structure.representant_nom,
    (s, v) => {
      s.draft.structure.representant_nom = v;
    },
  ),
  repEmail: {
    key: 'repEmail',
    label: 'E-mail du ou de la représentant·e',
    question: {
      text: 'Et son adresse e-mail ? Préférez une adresse durable de la structure (contact@…) plutôt qu’une adresse personnelle.',
    },
    parse: (t) => {
      const v = cleanLine(t).toLowerCase();
      return v.length <= 254 && validator.isEmail(v)
        ? ok(v)
        : bad('Cette adresse e-mail ne semble pas valide (exemple : prenom.nom@structure.fr).');
    },
    apply: (s, v) => {
      s.draft.structure.representant_courriel = v;
    },
    show: (s) => s.draft.structure.representant_courriel ?? null,
  } satisfies Field<string>,
  banque: yesNoField(
    'banque',
    'Compte bancaire au nom de la structure',
    'La structure dispose-t-elle d’un compte bancaire à son nom (IBAN) pour recevoir les remboursements ? (Ne donnez pas l’IBAN ici : il sera demandé plus tard, sur une étape sécurisée.)',
    (s) => s.draft.structure.compte_bancaire,
    (s, v) => {
      s.draft.structure.compte_bancaire = v;
    },
    { gate: (v) => (v ? null : 'no_bank_account') },
  ),
  mediation: yesNoField(
    'mediation',
    'Accompagnements au numérique',
    'Proposez-vous des accompagnements aux usages du numérique pour le public (ateliers, aide aux démarches en ligne, prise en main d’outils…) ?',
    (s) => s.draft.activite.mediation,
    (s, v) => {
      s.draft.activite.mediation = v;
    },
    { gate: (v) => (v ? null : 'no_mediation_activity') },
  ),
  services: multiField(
    'services',
    'Types d’accompagnement',
    'Quels types d’accompagnement proposez-vous ?',
    SERVICE_OPTIONS,
    (s) => s.draft.activite.services,
    (s, v) => {
      s.draft.activite.services = v;
    },
  ),
  modalites: multiField(
    'modalites',
    'Formes d’accompagnement',
    'Sous quelle forme ?',
    MODALITE_OPTIONS,
    (s) => s.draft.activite.modalites_accompagnement,
    (s, v) => {
      s.draft.activite.modalites_accompagnement = v;
    },
  ),
  where: multiField(
    'where',
    'Où vous accompagnez',
    'Où accompagnez-vous les personnes ?',
    WHERE,
    (s) => s.draft.activite.lieux_d_intervention,
    (s, v) => {
      s.draft.activite.lieux_d_intervention = v;
    },
    { next: (v) => (v.includes('lieu_propre') || v.includes('itinerant') ? 'count' : null) },
  ),
  nombreLieux: numberField(
    'nombreLieux',
    'Nombre de lieux',
    'Combien de lieux (points de présence) accueillent le public ?',
    { min: 1, max: 50, integer: true },
    (s) => s.draft.activite.nombre_lieux,
    (s, v) => {
      s.draft.activite.nombre_lieux = v;
    },
    {
      parse: (t) => {
        const v = parseNumber(t, { integer: true });
        if (v === null) return bad('Indiquez un nombre entier de lieux (par exemple « 1 »).');
        if (v > 50)
          return bad(
            "Au-delà de 50 lieux, l'équipe vous accompagnera directement : indiquez ici vos principaux lieux (50 au maximum).",
          );
        if (v < 1) return bad('Indiquez au moins 1 lieu.');
        return ok(v);
      },
      note: (v) =>
        v > 1
          ? 'Plusieurs lieux : une seule qualification par SIRET ; les points de présence se gèrent ensuite dans la console.'
          : null,
    },
  ),
  lieuAdresse: {
    key: 'lieuAdresse',
    question: {
      text: (vars: Record<string, unknown>) => `Adresse du lieu${String(vars.lieuLabel ?? '')} (numéro et voie) ?`,
    },
    freeText: true,
    parse: (t) => {
      const v = cleanLine(t);
      if (v.length < 3) return bad('Indiquez le numéro et la voie (par exemple « 12 rue des Lilas »).');
      if (v.length > 250) return bad('L’adresse : 250 caractères au maximum, s’il vous plaît.');
      return ok(v);
    },
    apply: (s, v) => {
      s.lieu.adresse = v;
    },
  } satisfies Field<string>,
  lieuCommune: {
    key: 'lieuCommune',
    question: { text: 'Code postal et commune ? (par exemple « 87000 Limoges »)' },
    parse: (t) => parseCommune(t),
    apply: (s, v) => {
      s.lieu.code_postal = v.cp;
      s.lieu.commune = v.commune;
    },
  } satisfies Field<{ cp: string; commune: string }>,
  lieuHoraires: {
    key: 'lieuHoraires',
    question: {
      text: 'Jours et horaires d’accueil du public ? (par exemple « Mo-Fr 09:00-12:00,14:00-18:00 » ou en toutes lettres)',
      quickReplies: [{ title: 'Passer', payload: 'passer' }],
    },
    freeText: true,
    parse: (t) => {
      const v = cleanLine(t);
      if (/^(passer|je ne sais pas|sais pas|plus tard)$/.test(matchKey(v))) return ok(null);
      if (v.length > 500) return bad('Les horaires : 500 caractères au maximum, s’il vous plaît.');
      return ok(v);
    },
    apply: (s, v) => {
      s.lieu.horaires = v;
    },
  } satisfies Field<string | null>,
  lieuAccueil: yesNoField(
    'lieuAccueil',
    undefined,
    'Ce lieu accueille-t-il sans condition toute personne (pas seulement vos adhérents ou usagers habituels) ?',
    (s) => s.lieu.accueil_inconditionnel,
    (s, v) => {
      s.lieu.accueil_inconditionnel = v;
    },
  ),
  heures: numberField(
    'heures',
    'Heures d’accueil par semaine',
    'Combien d’heures par semaine, au total, le public peut-il être accueilli ?',
    { min: 0, max: 80, integer: false, unit: 'h' },
    (s) => s.draft.activite.heures_accueil_hebdo,
    (s, v) => {
      s.draft.activite.heures_accueil_hebdo = v;
    },
  ),
  frais: multiField(
    'frais',
    'Vos accompagnements sont',
    'Vos accompagnements sont-ils :',
    FRAIS,
    (s) => s.draft.activite.frais_a_charge,
    (s, v) => {
      s.draft.activite.frais_a_charge = v;
    },
    { next: (v) => (v.includes('Payant') ? 'payant' : null) },
  ),
  tarif: numberField(
    'tarif',
    'Tarif d’une séance type',
    'Quel est le tarif d’une séance type (en €) ?',
    { min: 0, max: 500, integer: false, unit: '€' },
    (s) => s.draft.activite.tarif_seance_eur,
    (s, v) => {
      s.draft.activite.tarif_seance_eur = v;
    },
  ),
  resteACharge: yesNoField(
    'resteACharge',
    'Un pass de 10 € couvre une séance',
    'Accepteriez-vous qu’un pass de 10 € couvre entièrement une séance (aucun reste à charge pour la personne) ?',
    (s) => s.draft.activite.reste_a_charge_nul_accepte,
    (s, v) => {
      s.draft.activite.reste_a_charge_nul_accepte = v;
    },
  ),
  salaries: numberField(
    'salaries',
    'Médiateurs salariés',
    'Combien de médiateurs·trices salarié·e·s (ou agents) accompagnent le public ?',
    { min: 0, max: 500, integer: true },
    (s) => s.draft.equipe.salaries,
    (s, v) => {
      s.draft.equipe.salaries = v;
    },
  ),
  benevoles: numberField(
    'benevoles',
    'Bénévoles',
    'Combien de bénévoles ?',
    { min: 0, max: 500, integer: true },
    (s) => s.draft.equipe.benevoles,
    (s, v) => {
      s.draft.equipe.benevoles = v;
    },
  ),
  servicesCiviques: numberField(
    'servicesCiviques',
    'Volontaires en service civique',
    'Combien de volontaires en service civique ?',
    { min: 0, max: 500, integer: true },
    (s) => s.draft.equipe.services_civiques,
    (s, v) => {
      s.draft.equipe.services_civiques = v;
    },
    { next: (v, s) => (v + (s.draft.equipe.benevoles ?? 0) > 0 ? 'encadrement' : 'formation') },
  ),
  encadres: yesNoField(
    'encadres',
    'Bénévoles encadrés par un·e salarié·e',
    'Les bénévoles et services civiques sont-ils encadrés par un·e référent·e salarié·e ?',
    (s) => s.draft.equipe.benevoles_encadres,
    (s, v) => {
      s.draft.equipe.benevoles_encadres = v;
    },
    { next: () => 'formation' },
  ),
  formations: multiField(
    'formations',
    'Formations et dispositifs',
    'Vos intervenants ont-ils une formation ou un dispositif reconnu ?',
    TRAINING,
    (s) => [
      ...(s.draft.equipe.dispositif_programmes_nationaux ?? []),
      ...(s.draft.equipe.formations_labels ?? []),
      ...(s.draft.equipe.autres_formations_labels ? [s.draft.equipe.autres_formations_labels] : []),
      ...(s.draft.equipe.aucune_formation ? ['aucune'] : []),
    ],
    (s, values) => {
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
  ),
  publics: multiField(
    'publics',
    'Publics accueillis en priorité',
    'Accueillez-vous en priorité ou spécifiquement certains publics ?',
    PUBLICS,
    (s) =>
      s.draft.activite.publics_specifiquement_adresses?.length
        ? s.draft.activite.publics_specifiquement_adresses
        : s.draft.activite.publics_specifiquement_adresses
          ? ['tout public']
          : undefined,
    (s, v) => {
      s.draft.activite.publics_specifiquement_adresses = v.filter((x) => x !== 'tout_public');
    },
  ),
  priseEnCharge: multiField(
    'priseEnCharge',
    'Besoins particuliers',
    'Pouvez-vous accompagner des personnes ayant des besoins particuliers ?',
    PRISE_EN_CHARGE,
    (s) =>
      s.draft.activite.prise_en_charge_specifique?.length
        ? s.draft.activite.prise_en_charge_specifique
        : s.draft.activite.prise_en_charge_specifique
          ? ['aucune']
          : undefined,
    (s, v) => {
      s.draft.activite.prise_en_charge_specifique = v.filter((x) => x !== 'aucune');
    },
  ),
  charte: yesNoField(
    'charte',
    'Charte #APTIC acceptée',
    'Avez-vous lu la Charte #APTIC (engagements réciproques) et l’acceptez-vous ?',
    (s) => s.draft.engagements.charte,
    (s, v) => {
      s.draft.engagements.charte = v;
    },
    { gate: (v) => (v ? null : 'charter_refused') },
  ),
  cgu: yesNoField(
    'cgu',
    'Conditions générales acceptées',
    'Acceptez-vous les conditions générales (CGVU des fournisseurs qualifiés) ?',
    (s) => s.draft.engagements.cgu,
    (s, v) => {
      s.draft.engagements.cgu = v;
    },
    { gate: (v) => (v ? null : 'cgu_refused') },
  ),
  abonnement: {
    key: 'abonnement',
    label: 'Abonnement #APTIC (Kit)',
    question: {
      text: (vars) => {
        const cfg = promptConfig(vars);
        return numbered(
          `Une fois qualifié·e, l’abonnement #APTIC (Kit) coûte ${cfg.kitPrice} € HT/${cfg.kitPeriod}, facturé à la finalisation. Est-ce acceptable pour votre structure ?`,
          ABONNEMENT,
        );
      },
      quickReplies: buttons(ABONNEMENT),
    },
    parse: (t) => {
      const v = parseChoice(t, ABONNEMENT);
      return v === null ? bad('Répondez « oui », « non » ou « je dois demander ».', buttons(ABONNEMENT)) : ok(v);
    },
    apply: (s, v) => {
      s.draft.engagements.abonnement = v;
    },
    gate: (v) => (v === 'non' ? 'subscription_refused' : null),
    note: (v) =>
      v === 'a_confirmer'
        ? 'Noté : votre demande sera enregistrée comme brouillon, à confirmer par votre structure.'
        : null,
    show: (s) => ABONNEMENT.find((o) => o.value === s.draft.engagements.abonnement)?.label ?? null,
  } satisfies Field<'oui' | 'non' | 'a_confirmer'>,
  publication: yesNoField(
    'publication',
    'Publication sur la carte',
    'Acceptez-vous que le nom, l’adresse, les horaires et les services de vos lieux soient publiés sur la carte des acteurs qualifiés ?',
    (s) => s.draft.engagements.publication,
    (s, v) => {
      s.draft.engagements.publication = v;
    },
  ),
  reseauMembre: choiceField(
    'reseauMembre',
    'Membre d’un réseau partenaire',
    'Votre structure est-elle membre d’un réseau ayant signé un accord de coopération avec #APTIC ?',
    OUI_NON_NSP,
    (s) => (s.draft.contexte.reseau ? 'oui' : undefined),
    (s, v) => {
      if (v !== 'oui') s.draft.contexte.reseau = null;
    },
    { next: (v, s) => (v === 'oui' ? 'reseau' : s.campaign && s.campaign.kind !== 'network' ? null : 'territoire') },
  ),
  reseau: {
    key: 'reseau',
    label: 'Réseau',
    question: {
      text: (vars) => {
        const names = promptConfig(vars).networks;
        return `Lequel ? ${names.length ? `(réseaux partenaires : ${names.join(', ')})` : ''}`.trim();
      },
      quickReplies: (vars) => [
        ...promptConfig(vars).networks.map((n) => ({ title: n, payload: n })),
        { title: 'Un autre réseau', payload: 'autre' },
      ],
    },
    freeText: true,
    parse: (t, ctx) => {
      const v = cleanLine(t);
      if (v.length < 2 || v.length > 120) return bad('Indiquez le nom du réseau (120 caractères au maximum).');
      if (matchKey(v) === 'autre' || matchKey(v) === 'un autre reseau') return bad('Quel est le nom de ce réseau ?');
      return ok(findNetwork(ctx.config, v)?.name ?? v);
    },
    apply: (s, v) => {
      s.draft.contexte.reseau = v;
    },
    next: (_v, s) => (s.campaign && s.campaign.kind !== 'network' ? null : 'territoire'),
    show: (s) => s.draft.contexte.reseau ?? null,
  } satisfies Field<string>,
  territorial: choiceField(
    'territorial',
    'Contact territorial (Hub, collectivité, #APTIC Tour)',
    'Des pass #APTIC sont-ils (ou vont-ils être) distribués sur votre territoire ? Avez-vous été contacté·e par un Hub, une collectivité ou lors d’un #APTIC Tour ?',
    OUI_NON_NSP,
    (s) => s.draft.contexte.contact_territorial,
    (s, v) => {
      s.draft.contexte.contact_territorial = v;
    },
  ),
} as const;

export type FieldKey = keyof typeof FIELDS;
export const fieldByKey = (key: string): Field | undefined => (FIELDS as unknown as Record<string, Field>)[key];

/** The configuration values prompts show, copied into the dialog variables when a dialog starts (prompts are sync). */
export interface PromptConfig {
  kitPrice: number;
  kitPeriod: string;
  networks: string[];
}

export const toPromptConfig = (config: AppConfig): PromptConfig => ({
  kitPrice: config.kit.priceHtEur,
  kitPeriod: config.kit.period,
  networks: config.networks.filter((n) => n.agreement).map((n) => n.name),
});

export function promptConfig(vars: Record<string, unknown>): PromptConfig {
  return (vars._cfg as PromptConfig | undefined) ?? { kitPrice: 77, kitPeriod: 'an', networks: [] };
}

export { lieuLabel };

/** C5b: postal code + commune, checked against the official list; suggestions as buttons when ambiguous. */
export function parseCommune(text: string): Parsed<{ cp: string; commune: string }> {
  const split = splitPostalAndCommune(text);
  if (!split) {
    return bad('Indiquez le code postal (5 chiffres) puis la commune, par exemple « 87000 Limoges ».');
  }
  if (!/^\d{5}$/.test(split.cp)) return bad('Le code postal doit comporter 5 chiffres.');
  if (split.commune === '') {
    const communes = communesForPostalCode(split.cp);
    if (communes.length === 1) return ok({ cp: split.cp, commune: communes[0]!.nom });
    if (communes.length === 0) return bad(`Le code postal ${split.cp} est inconnu : vérifiez-le.`);
    return bad(
      `Plusieurs communes ont le code postal ${split.cp}. Laquelle ?`,
      communes.slice(0, 12).map((c) => ({ title: c.nom, payload: `${split.cp} ${c.nom}` })),
    );
  }
  const r = resolveCommune(split.cp, split.commune);
  if (r.ok) return ok({ cp: split.cp, commune: r.commune.nom });
  const suggestions: QuickReply[] = [];
  for (const s of r.suggestions.slice(0, 12)) {
    // "Limoges (87000, 87100)" when the postal code was unknown; a bare name when the commune did not match
    const m = /^(.*) \(([\d, ]+)\)$/.exec(s);
    if (m)
      for (const cp of m[2]!.split(/,\s*/).slice(0, 4))
        suggestions.push({ title: `${cp} ${m[1]}`, payload: `${cp} ${m[1]}` });
    else suggestions.push({ title: s, payload: `${split.cp} ${s}` });
  }
  return bad(r.message, suggestions.length ? suggestions.slice(0, 12) : undefined);
}
