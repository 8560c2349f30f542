// The application document (../shared/application.md): strict zod schema with French messages, normalising outputs
// (SIRET → 14 digits, phone → schema format, commune → official name, texts cleaned). Pure; reads data files once.
// Over 400 lines on purpose: the limits, the builders and the sections read top to bottom as the one contract.
import isEmailModule from 'validator/lib/isEmail.js';

// validator's per-function modules are CommonJS with a `default` export; importing one (not the whole library)
// keeps 130 KB out of every Lambda bundle. The shim covers both interop shapes (Node ESM and esbuild).
const isEmail: (s: string) => boolean =
  (isEmailModule as unknown as { default?: (s: string) => boolean }).default ??
  (isEmailModule as unknown as (s: string) => boolean);

import * as z from 'zod';
import fr from 'zod/v4/locales/fr.js';
import type { Issue } from './errors.js';
import { type Commune, normalisePostalCode, resolveCommune } from './geography.js';
import {
  DISPOSITIF_PROGRAMMES_NATIONAUX,
  FORMATIONS_LABELS,
  FRAIS_A_CHARGE,
  MODALITES_ACCES,
  MODALITES_ACCOMPAGNEMENT,
  PRISE_EN_CHARGE_SPECIFIQUE,
  PUBLICS_SPECIFIQUEMENT_ADRESSES,
  SERVICES,
} from './national-schema.js';
import { normalisePhone } from './phone.js';
import { validateSiret } from './siret.js';
import { cleanLine, cleanMultiline } from './text.js';

export const PROFILS = ['producteur', 'financeur', 'prescripteur', 'particulier', 'autre'] as const;
export type Profil = (typeof PROFILS)[number];
export const OTHER_PROFILS = ['financeur', 'prescripteur', 'particulier', 'autre'] as const;
export const FORMES_JURIDIQUES = [
  'association',
  'collectivite',
  'entreprise',
  'entrepreneur_individuel',
  'autre',
] as const;
export const OUI_NON_NSP = ['oui', 'non', 'ne_sait_pas'] as const;
export const ABONNEMENT = ['oui', 'non', 'a_confirmer'] as const;
export const LIEUX_D_INTERVENTION = ['lieu_propre', 'lieux_tiers', 'domicile', 'itinerant', 'distance'] as const;
export type LieuIntervention = (typeof LIEUX_D_INTERVENTION)[number];

/**
 * Structural upper bound on places, against oversized payloads. The business limit is `config.maxPlaces` (50):
 * above it the decision is `needs_human_review` (eligibility.md C5), not a 400.
 */
export const MAX_PLACES_DOCUMENT = 200;

/**
 * Lengths (characters, after cleaning) and numeric ranges of the document's fields, laid out as the document is. The
 * schema below is built from them and the chat (bot/fields/) re-asks with the same numbers: a limit changes here only.
 */
export const LIMITS = {
  structure: {
    nom: { min: 2, max: 150 },
    representant_legal: { nom: { min: 2, max: 150 }, courriel: { max: 254 } },
  },
  lieux: {
    nom: { min: 2, max: 150 },
    adresse: { min: 3, max: 250 },
    complement_adresse: { min: 0, max: 250 },
    commune: { min: 1, max: 100 },
    horaires: { max: 500 },
  },
  activite: {
    tarif_seance_eur: { min: 0, max: 500, integer: false },
    heures_accueil_hebdo: { min: 0, max: 80, integer: false },
  },
  equipe: {
    salaries: { min: 0, max: 500, integer: true },
    benevoles: { min: 0, max: 500, integer: true },
    services_civiques: { min: 0, max: 500, integer: true },
    autres_formations_labels: { min: 0, max: 300 },
  },
  contexte: { reseau: { min: 1, max: 120 } },
} as const;

export interface LengthLimit {
  readonly min: number;
  readonly max: number;
}
export interface NumberRange extends LengthLimit {
  readonly integer: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Field builders

const quoted = (values: readonly string[]) => values.map((v) => `« ${v} »`).join(', ');

function text(label: string, { min, max }: LengthLimit) {
  return z
    .string({ error: `${label} : texte attendu.` })
    .overwrite(cleanLine)
    .min(min, min <= 1 ? `${label} : champ obligatoire.` : `${label} : au moins ${min} caractères.`)
    .max(max, `${label} : ${max} caractères au maximum.`);
}

function longText(label: string, max: number) {
  return z
    .string({ error: `${label} : texte attendu.` })
    .overwrite(cleanMultiline)
    .max(max, `${label} : ${max} caractères au maximum.`);
}

function yesNo(label: string) {
  return z.boolean({ error: `${label} : répondez par oui (true) ou non (false).` });
}

function choice<const T extends readonly [string, ...string[]]>(values: T, label: string) {
  return z.enum(values, { error: `${label} : valeur attendue parmi ${quoted(values)}.` });
}

/** Optional field that may also be sent as null (the bot sends null for "unknown"); null becomes absent. */
function opt<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((v) => (v === null ? undefined : v));
}

function multi<const T extends readonly [string, ...string[]]>(values: T, label: string) {
  return z
    .array(
      z.enum(values, {
        error: (iss) =>
          `${label} : valeur inconnue ${JSON.stringify(iss.input)}. Valeurs possibles : ${quoted(values)}.`,
      }),
      { error: `${label} : liste de valeurs attendue.` },
    )
    .max(values.length * 2, `${label} : trop de valeurs.`)
    .transform((a) => [...new Set(a)]);
}

function count(label: string, { min, max }: NumberRange & { integer: true }) {
  return z
    .number({ error: `${label} : nombre attendu.` })
    .int(`${label} : nombre entier attendu.`)
    .min(min, min === 0 ? `${label} : le nombre ne peut pas être négatif.` : `${label} : ${min} au minimum.`)
    .max(max, `${label} : ${max} au maximum.`);
}

const siretField = z
  .union([z.string(), z.null()], {
    error: "Le SIRET doit être un texte de 14 chiffres, ou null si la structure n'en a pas.",
  })
  .transform((v, ctx) => {
    if (v === null) return null;
    const r = validateSiret(v);
    if (r.ok) return r.siret;
    ctx.issues.push({ code: 'custom', message: r.message, input: v });
    return z.NEVER;
  });

const EMAIL_MAX = LIMITS.structure.representant_legal.courriel.max;
const email = z
  .string({ error: 'Adresse e-mail : texte attendu.' })
  .overwrite(cleanLine)
  .max(EMAIL_MAX, `Adresse e-mail : ${EMAIL_MAX} caractères au maximum.`)
  .refine((v) => isEmail(v), 'Adresse e-mail invalide (exemple : prenom.nom@structure.fr).');

/** An e-mail address the document accepts (length and syntax): the chat checks answers with it before submitting. */
export const isValidEmail = (value: string): boolean => email.safeParse(value).success;

const phone = z.string({ error: 'Téléphone : texte attendu.' }).transform((v, ctx) => {
  const p = normalisePhone(v);
  if (p) return p;
  ctx.issues.push({
    code: 'custom',
    message: 'Numéro de téléphone invalide : indiquez un numéro français à 10 chiffres (ex. 05 55 00 00 00).',
    input: v,
  });
  return z.NEVER;
});

const postalCode = z
  .string({ error: 'Code postal : texte de 5 chiffres attendu.' })
  .overwrite(normalisePostalCode)
  .regex(/^\d{5}$/, 'Le code postal doit comporter 5 chiffres.');

// ---------------------------------------------------------------------------------------------------------------
// Sections

const RepresentantLegalSchema = z.strictObject(
  {
    nom: text('Nom du ou de la représentant·e légal·e', LIMITS.structure.representant_legal.nom),
    courriel: email,
    telephone: opt(phone),
  },
  { error: 'Représentant·e légal·e : objet attendu { nom, courriel }.' },
);

const StructureSchema = z
  .strictObject(
    {
      nom: text('Nom de la structure', LIMITS.structure.nom),
      siret: siretField,
      forme_juridique: choice(FORMES_JURIDIQUES, 'Forme juridique'),
      demandeur_est_representant_legal: yesNo('Êtes-vous le ou la représentant·e légal·e'),
      demandeur_mandate: opt(yesNo('Êtes-vous mandaté·e par la structure')),
      representant_legal: opt(RepresentantLegalSchema),
      compte_bancaire: yesNo('Compte bancaire au nom de la structure'),
      siret_deja_utilise: opt(choice(OUI_NON_NSP, 'SIRET déjà utilisé')),
      /** B3c: is the SIRET "diffusible" at INSEE? (optional, the chat cannot check it offline) */
      siret_diffusible: opt(choice(OUI_NON_NSP, 'SIRET diffusible')),
    },
    { error: 'Structure : objet attendu.' },
  )
  .superRefine((s, ctx) => {
    if (s.demandeur_est_representant_legal === false && s.demandeur_mandate === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['demandeur_mandate'],
        message: "Indiquez si vous êtes mandaté·e par la structure (vous n'êtes pas son ou sa représentant·e légal·e).",
      });
    }
  });

const PositionSchema = z.strictObject(
  {
    latitude: z
      .number({ error: 'Position : latitude attendue (nombre, ex. 45.8336).' })
      .min(-90, 'Position : latitude entre -90 et 90.')
      .max(90, 'Position : latitude entre -90 et 90.'),
    longitude: z
      .number({ error: 'Position : longitude attendue (nombre, ex. 1.2611).' })
      .min(-180, 'Position : longitude entre -180 et 180.')
      .max(180, 'Position : longitude entre -180 et 180.'),
  },
  { error: 'Position : objet attendu { latitude, longitude }.' },
);

const LieuSchema = z
  .strictObject(
    {
      nom: text('Nom du lieu', LIMITS.lieux.nom),
      adresse: text('Adresse du lieu', LIMITS.lieux.adresse),
      complement_adresse: opt(text("Complément d'adresse", LIMITS.lieux.complement_adresse)),
      code_postal: postalCode,
      commune: text('Commune', LIMITS.lieux.commune),
      /** OSM opening_hours; text that does not parse is kept as is and flagged (`opening_hours_unparsed`). */
      horaires: opt(longText('Horaires', LIMITS.lieux.horaires.max)),
      telephone: opt(phone),
      accueil_inconditionnel: yesNo('Accueil de toute personne sans condition'),
      /** Per place: `false` keeps this place off the map (the application's `engagements.publication` still rules). */
      publie: opt(yesNo('Publication de ce lieu sur la carte')),
      /** The pin the actor confirmed (WGS84): published as is, precision `pin` (docs/places-geo.md). */
      position: opt(PositionSchema),
    },
    { error: 'Lieu : objet attendu.' },
  )
  .transform((lieu, ctx) => {
    const r = resolveCommune(lieu.code_postal, lieu.commune);
    if (r.ok) return { ...lieu, commune: r.commune.nom, horaires: lieu.horaires || undefined };
    ctx.issues.push({
      code: 'custom',
      path: [r.code === 'postal_code_unknown' ? 'code_postal' : 'commune'],
      message: r.message,
      input: lieu.commune,
      params: { suggestions: r.suggestions },
    });
    return z.NEVER;
  });

const TARIF = LIMITS.activite.tarif_seance_eur;
const HEURES = LIMITS.activite.heures_accueil_hebdo;
const ActiviteSchema = z
  .strictObject(
    {
      mediation: yesNo('Proposez-vous des accompagnements au numérique'),
      services: multi(SERVICES, 'Services').default([]),
      modalites_accompagnement: multi(MODALITES_ACCOMPAGNEMENT, "Modalités d'accompagnement").default([]),
      lieux_d_intervention: multi(LIEUX_D_INTERVENTION, "Lieux d'intervention").refine(
        (a) => a.length > 0,
        "Lieux d'intervention : choisissez au moins une valeur.",
      ),
      frais_a_charge: multi(FRAIS_A_CHARGE, 'Frais à charge').default([]),
      reste_a_charge_nul_accepte: opt(yesNo('Un pass de 10 € peut-il couvrir entièrement une séance')),
      tarif_seance_eur: opt(
        z
          .number({ error: "Tarif d'une séance : nombre attendu (en euros)." })
          .min(TARIF.min, "Tarif d'une séance : il ne peut pas être négatif.")
          .max(TARIF.max, `Tarif d'une séance : ${TARIF.max} € au maximum.`),
      ),
      heures_accueil_hebdo: opt(
        z
          .number({ error: "Heures d'accueil par semaine : nombre attendu." })
          .min(HEURES.min, `Heures d'accueil par semaine : ${HEURES.min} au minimum.`)
          .max(HEURES.max, `Heures d'accueil par semaine : ${HEURES.max} au maximum.`),
      ),
      publics_specifiquement_adresses: opt(multi(PUBLICS_SPECIFIQUEMENT_ADRESSES, 'Publics spécifiquement adressés')),
      prise_en_charge_specifique: opt(multi(PRISE_EN_CHARGE_SPECIFIQUE, 'Prise en charge spécifique')),
      modalites_acces: opt(multi(MODALITES_ACCES, "Modalités d'accès")),
    },
    { error: 'Activité : objet attendu.' },
  )
  .superRefine((a, ctx) => {
    if (!a.mediation) return;
    if (a.services.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['services'],
        message: 'Services : choisissez au moins un type d’accompagnement.',
      });
    }
    if (a.modalites_accompagnement.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['modalites_accompagnement'],
        message: "Modalités d'accompagnement : choisissez au moins une valeur.",
      });
    }
    if (a.frais_a_charge.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['frais_a_charge'],
        message: 'Frais à charge : choisissez au moins une valeur.',
      });
    }
  });

const EquipeSchema = z.strictObject(
  {
    salaries: opt(count('Nombre de médiateurs salariés', LIMITS.equipe.salaries)),
    benevoles: opt(count('Nombre de bénévoles', LIMITS.equipe.benevoles)),
    services_civiques: opt(count('Nombre de volontaires en service civique', LIMITS.equipe.services_civiques)),
    benevoles_encadres: opt(yesNo('Bénévoles et services civiques encadrés par un·e référent·e salarié·e')),
    dispositif_programmes_nationaux: opt(multi(DISPOSITIF_PROGRAMMES_NATIONAUX, 'Dispositifs et programmes nationaux')),
    formations_labels: opt(multi(FORMATIONS_LABELS, 'Formations et labels')),
    autres_formations_labels: opt(text('Autres formations et labels', LIMITS.equipe.autres_formations_labels)),
    /** D4 "aucune": no training nor recognised programme (flag `no_training`). */
    aucune_formation: opt(yesNo('Aucune formation')),
  },
  { error: 'Équipe : objet attendu.' },
);

const EngagementsSchema = z.strictObject(
  {
    charte: yesNo('Acceptation de la Charte #APTIC'),
    cgu: yesNo('Acceptation des conditions générales'),
    abonnement: choice(ABONNEMENT, 'Abonnement #APTIC'),
    publication: yesNo('Publication des lieux sur la carte'),
  },
  { error: 'Engagements : objet attendu.' },
);

const ContexteSchema = z.strictObject(
  {
    // reseau and campagne keep an explicit null (the contract's "none"), unlike other optional fields.
    reseau: text('Réseau', LIMITS.contexte.reseau).nullish(),
    contact_territorial: opt(choice(OUI_NON_NSP, 'Contact territorial')),
    campagne: z
      .string({ error: 'Campagne : code attendu.' })
      .overwrite(cleanLine)
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'Campagne : code invalide (lettres, chiffres, - et _).')
      .nullish(),
    utm: opt(
      z
        .record(
          z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'UTM : nom de paramètre invalide.'),
          text('UTM', { min: 0, max: 200 }),
          {
            error: 'UTM : objet de textes courts attendu.',
          },
        )
        .refine((r) => Object.keys(r).length <= 20, 'UTM : 20 paramètres au maximum.'),
    ),
  },
  { error: 'Contexte : objet attendu.' },
);

const ProducteurSchema = z
  .strictObject({
    profil: z.literal('producteur'),
    structure: StructureSchema,
    lieux: z
      .array(LieuSchema, { error: 'Lieux : liste attendue.' })
      .max(MAX_PLACES_DOCUMENT, `Lieux : ${MAX_PLACES_DOCUMENT} au maximum dans un document.`)
      .default([]),
    activite: ActiviteSchema,
    equipe: opt(EquipeSchema),
    engagements: EngagementsSchema,
    contexte: opt(ContexteSchema),
  })
  .superRefine((d, ctx) => {
    const where = d.activite.lieux_d_intervention;
    if (d.lieux.length === 0 && (where.includes('lieu_propre') || where.includes('itinerant'))) {
      ctx.addIssue({
        code: 'custom',
        path: ['lieux'],
        message: 'Lieux : indiquez au moins un lieu (adresse, code postal, commune) où le public est accueilli.',
      });
    }
  });

/** Any profil but producteur: only `profil` is required; the rest is accepted but not kept (except `contexte`). */
const AutreProfilSchema = z
  .strictObject({
    profil: z.enum(OTHER_PROFILS),
    structure: z.unknown().optional(),
    lieux: z.unknown().optional(),
    activite: z.unknown().optional(),
    equipe: z.unknown().optional(),
    engagements: z.unknown().optional(),
    contexte: opt(ContexteSchema),
  })
  .transform(({ profil, contexte }) => (contexte ? { profil, contexte } : { profil }));

export const ApplicationDocumentSchema = z.discriminatedUnion('profil', [ProducteurSchema, AutreProfilSchema], {
  error: (iss) =>
    (iss.code as string) === 'invalid_type' &&
    (iss.input === null || typeof iss.input !== 'object' || Array.isArray(iss.input))
      ? 'Le document doit être un objet JSON.'
      : `Profil manquant ou invalide : valeur attendue parmi ${quoted(PROFILS)}.`,
});

export type ApplicationDocumentInput = z.input<typeof ApplicationDocumentSchema>;
export type ApplicationDocument = z.output<typeof ApplicationDocumentSchema>;
export type ProducerApplication = z.output<typeof ProducteurSchema>;
export type Lieu = ProducerApplication['lieux'][number];

export function isProducer(doc: ApplicationDocument): doc is ProducerApplication {
  return doc.profil === 'producteur';
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing

// Only the French locale is imported: `z.locales` would pull every locale (≈ 250 KB) into each Lambda bundle.
const FRENCH = fr().localeError;

function toIssues(error: z.ZodError): Issue[] {
  const out: Issue[] = [];
  for (const iss of error.issues) {
    const base = iss.path.map(String).join('.');
    if (iss.code === 'unrecognized_keys') {
      for (const key of iss.keys) {
        out.push({
          path: base ? `${base}.${key}` : key,
          message: `Champ inconnu : « ${key} ». Vérifiez son orthographe ou retirez-le.`,
        });
      }
    } else {
      out.push({ path: base, message: iss.message });
    }
  }
  return out;
}

export type ParseResult = { ok: true; value: ApplicationDocument } | { ok: false; issues: Issue[] };

/** Validates and normalises an application document. Issues carry dotted paths (`lieux.0.commune`) and French text. */
export function parseApplication(input: unknown): ParseResult {
  const r = ApplicationDocumentSchema.safeParse(input, { error: FRENCH });
  return r.success ? { ok: true, value: r.data } : { ok: false, issues: toIssues(r.error) };
}

export interface ResolvedPlace {
  index: number;
  nom: string;
  codePostal: string;
  /** The place as in the (parsed) document. */
  lieu: Lieu;
  /** Official commune with INSEE code, département and région; null only if the document was not parsed first. */
  commune: Commune | null;
}

/** Per place, the commune resolved from the postal code and name (memoised lookups). [] for other profils. */
export function resolvePlaces(doc: ApplicationDocument): ResolvedPlace[] {
  if (!isProducer(doc)) return [];
  return doc.lieux.map((l, index) => {
    const r = resolveCommune(l.code_postal, l.commune);
    return { index, nom: l.nom, codePostal: l.code_postal, lieu: l, commune: r.ok ? r.commune : null };
  });
}
