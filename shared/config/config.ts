// The one application configuration (see docs/configuration.md for every field). Everything an operator may change
// (open phases, networks, territories, caps, prices, thresholds, timeouts) lives here, not in code.
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { ConfigError } from '../domain/errors.js';
import { DEPARTEMENT_CODE } from '../domain/geography.js';
import { matchKey } from '../domain/text.js';

const departement = z.string().regex(DEPARTEMENT_CODE, 'département code expected (e.g. "87", "2A", "974")');

const NetworkSchema = z.strictObject({
  name: z.string().min(1).max(120),
  /** true when the network signed a cooperation agreement with APTIC: only then does it give the `reseau` route. */
  agreement: z.boolean(),
});

const DEFAULT_NETWORKS = [
  { name: 'La MedNum', agreement: true },
  { name: "Ligue de l'enseignement", agreement: true },
  { name: 'PIMMS', agreement: true },
];

const WorkflowSchema = z
  .strictObject({
    staffReviewDays: z.number().positive().max(365).default(14),
    actorCommitmentsDays: z.number().positive().max(365).default(30),
    finalApprovalDays: z.number().positive().max(365).default(14),
    changesDays: z.number().positive().max(365).default(30),
    waitlistDays: z.number().positive().max(365).default(180),
    heartbeatSeconds: z.number().int().positive().default(86_400),
    reminderDays: z.number().positive().max(365).default(7),
    /**
     * A decision claimed this long ago and still not delivered to Step Functions (the Lambda died in between) is
     * delivered again by the reminder job; well above the API functions' timeout, so a live delivery is never raced.
     */
    redeliverAfterSeconds: z.number().int().min(60).max(86_400).default(900),
    /**
     * The first sign-in link confirms the applicant's address; until then the application waits before staff review
     * and expires after `hours` (its SIRET claim lapses). `required: false` skips the step (tests, demos).
     */
    addressConfirmation: z
      .strictObject({
        required: z.boolean().default(true),
        hours: z.number().positive().max(720).default(48),
      })
      .default({ required: true, hours: 48 }),
  })
  .superRefine((w, ctx) => {
    const shortest = Math.min(
      w.staffReviewDays,
      w.actorCommitmentsDays,
      w.finalApprovalDays,
      w.changesDays,
      w.waitlistDays,
      w.addressConfirmation.hours / 24,
    );
    if (w.heartbeatSeconds >= shortest * 86_400) {
      ctx.addIssue({ code: 'custom', path: ['heartbeatSeconds'], message: 'must be shorter than every step timeout' });
    }
  });

const CommitmentDocSchema = z.strictObject({
  version: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash or underscore'),
  title: z.string().min(1).max(200),
  /** A public page, or a path on this host (the document is linked from the actor space and the chat). */
  url: z.string().regex(/^(https:\/\/|\/)[^\s]*$/, 'an https:// URL or a path starting with /'),
});

const DEFAULT_COMMITMENTS = {
  charte: { version: '2024-01', title: 'Charte #APTIC', url: 'https://www.aptic.fr/charte' },
  cgu: { version: '2024-01', title: 'Conditions générales d’utilisation #APTIC', url: 'https://www.aptic.fr/cgu' },
};

const dueDays = z.number().positive().max(365);
/** Due date of each human step, in days after it opened. */
const DueDaysSchema = z.strictObject({
  waitlisted: dueDays.default(60),
  address_confirmation: dueDays.default(2),
  staff_review: dueDays.default(5),
  changes_requested: dueDays.default(14),
  actor_commitments: dueDays.default(14),
  final_approval: dueDays.default(3),
});
const DEFAULT_DUE_DAYS = {
  waitlisted: 60,
  address_confirmation: 2,
  staff_review: 5,
  changes_requested: 14,
  actor_commitments: 14,
  final_approval: 3,
};

/** How long data is kept (docs/configuration.md, README « Retention »); enforced by the retention job. */
const RetentionSchema = z.strictObject({
  /** Chat conversations (unfinished drafts and transcripts): days after their last activity. */
  chatDays: z.number().positive().max(3650).default(183),
  /** Applications that ended without qualification: days after their last contact, then anonymised. */
  endedApplicationDays: z.number().positive().max(3650).default(730),
  /** A rejected application keeps its SIRET this many days (staff can release it earlier). */
  rejectedSiretDays: z.number().min(0).max(3650).default(90),
  /** An erasure asked on a qualified application becomes a staff task due after this many days. */
  erasureDueDays: z.number().positive().max(365).default(30),
  /** Support requests not linked to an application (« parler à quelqu'un »), answered: days after the last answer. */
  supportAnsweredDays: z.number().positive().max(3650).default(90),
  /** The same, never answered: days after they were opened. Then anonymised (the time to first answer stays). */
  supportOpenDays: z.number().positive().max(3650).default(365),
});

/** The default invitation to prospects (French; the same text as aptic-config.json). */
const INVITATION_TEXT =
  'Bonjour,\n\n{nom} figure dans la cartographie nationale des lieux de médiation numérique. Des pass #APTIC sont distribués sur votre territoire : les lieux qualifiés #APTIC peuvent les accepter en paiement de leurs services de médiation numérique.\n\nPour découvrir la qualification et poser vos questions : {label} ({dates}).\nInscription et informations : {lien}\n\nVous recevez ce message parce que l’adresse de votre lieu est publiée en données ouvertes. Pour ne plus recevoir d’invitation : {desinscription}\n';

export const AppConfigSchema = z.strictObject({
  phasesOpen: z
    .array(z.union([z.literal(1), z.literal(2), z.literal(3)]))
    .default([1])
    .transform((a) => [...new Set(a)].sort()),
  networks: z
    .array(NetworkSchema)
    .default(DEFAULT_NETWORKS)
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      for (const [i, n] of list.entries()) {
        const k = matchKey(n.name);
        if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate network "${n.name}"` });
        seen.add(k);
      }
    }),
  territoriesWithActiveDeployment: z.array(departement).default([]),
  volumeCaps: z.record(departement, z.number().int().min(0)).default({}),
  kit: z
    .strictObject({ priceHtEur: z.number().min(0).default(77), period: z.literal('an').default('an') })
    .default({ priceHtEur: 77, period: 'an' }),
  /**
   * The documents an actor accepts at the commitments step, versioned: acceptance records which version was in force
   * (docs/configuration.md). A new version of either is a new `version` id here.
   */
  commitments: z
    .strictObject({
      charte: CommitmentDocSchema,
      cgu: CommitmentDocSchema,
      /**
       * The final approval waits for bank details validated by an admin (issue 10 § 2, docs/actor.md): the actor enters
       * them in the actor space (/espace), an admin validates them as part of the final approval. On by default.
       */
      bankDetailsRequired: z.boolean().default(true),
    })
    .default({ ...DEFAULT_COMMITMENTS, bankDetailsRequired: true }),
  softFlagThreshold: z.number().int().min(1).default(3),
  lowOpeningHoursThreshold: z.number().min(0).max(168).default(24),
  maxPlaces: z.number().int().min(1).max(500).default(50),
  workflow: WorkflowSchema.default({
    staffReviewDays: 14,
    actorCommitmentsDays: 30,
    finalApprovalDays: 14,
    changesDays: 30,
    waitlistDays: 180,
    heartbeatSeconds: 86_400,
    reminderDays: 7,
    redeliverAfterSeconds: 900,
    addressConfirmation: { required: true, hours: 48 },
  }),
  /** The actor's way back (docs/actor.md): e-mailed sign-in links and actor sessions. */
  actorSignIn: z
    .strictObject({
      /** Lifetime of a sign-in code (single use). */
      codeMinutes: z
        .number()
        .positive()
        .max(24 * 60)
        .default(30),
      /** Lifetime of an actor session token. */
      sessionDays: z.number().positive().max(90).default(7),
      /** Sign-in requests per address and per client IP, per hour (then 429 with Retry-After). */
      perAddressPerHour: z.number().int().min(1).default(5),
      perIpPerHour: z.number().int().min(1).default(30),
      /** Every sign-in request answers after at least this long, whether or not the address is known. */
      minResponseMs: z.number().int().min(0).max(5_000).default(300),
    })
    .default({ codeMinutes: 30, sessionDays: 7, perAddressPerHour: 5, perIpPerHour: 30, minResponseMs: 300 }),
  support: z.strictObject({ email: z.email().default('support@aptic.fr') }).default({ email: 'support@aptic.fr' }),
  submissionLimits: z
    .strictObject({
      windowSeconds: z
        .number()
        .int()
        .min(60)
        .max(7 * 86_400)
        .default(3600),
      perIp: z.number().int().min(1).default(10),
      perEmail: z.number().int().min(1).default(5),
    })
    .default({ windowSeconds: 3600, perIp: 10, perEmail: 5 }),
  retention: RetentionSchema.default({
    chatDays: 183,
    endedApplicationDays: 730,
    rejectedSiretDays: 90,
    erasureDueDays: 30,
    supportAnsweredDays: 90,
    supportOpenDays: 365,
  }),
  /** The territorial mesh (docs/territory.md): ratio consolidateur, reach radius, caps derived from passes. */
  territory: z
    .strictObject({
      ratioTargetEur: z.number().positive().default(15_000),
      ratioBandEur: z
        .tuple([z.number().positive(), z.number().positive()])
        .default([15_000, 25_000])
        .refine(([lo, hi]) => lo <= hi, { message: 'the band must be [low, high]' }),
      reachRadiusKm: z.number().positive().max(200).default(15),
      derivedCaps: z.boolean().default(true),
      /** The territory view is cached and recomputed on change; this bounds how stale a lost change mark leaves it. */
      snapshotMaxAgeSeconds: z.number().int().min(0).max(86_400).default(3600),
    })
    .default({
      ratioTargetEur: 15_000,
      ratioBandEur: [15_000, 25_000],
      reachRadiusKm: 15,
      derivedCaps: true,
      snapshotMaxAgeSeconds: 3600,
    }),
  /** Prospects and the stimulation of a territory (docs/territory.md « Prospects », « Stimuler »). */
  prospects: z
    .strictObject({
      /** Rows of one prospect import (the national map has about 18,000 places: one file per région or less). */
      maxImportRows: z.number().int().min(1).max(50_000).default(20_000),
      /** Invitation e-mail; `{label}`, `{dates}`, `{lien}`, `{desinscription}`, `{nom}` are replaced. */
      invitationSubject: z.string().min(5).max(200).default('Devenir #APTIC : {label}'),
      invitationText: z.string().min(20).max(4000).default(INVITATION_TEXT),
    })
    .default({ maxImportRows: 20_000, invitationSubject: 'Devenir #APTIC : {label}', invitationText: INVITATION_TEXT }),
  /** Where published places are (docs/places-geo.md): geocoding of addresses and the « near me » search of /carte. */
  geocoding: z
    .strictObject({
      /** The address API call gives up after this long; the commune's centre is used instead. */
      timeoutMs: z.number().int().min(100).max(10_000).default(2000),
      /** Below this score (0–1) a geocoded address is not trusted; the commune's centre is used instead. */
      minScore: z.number().min(0).max(1).default(0.5),
      /** How many places the « near me » search of /carte returns, nearest first. */
      nearestLimit: z.number().int().min(1).max(200).default(20),
    })
    .default({ timeoutMs: 2000, minScore: 0.5, nearestLimit: 20 }),
  /**
   * The « Devenir #APTIC » webinars the chat announces (issue 13: data edited in the console, not text in code): the
   * next one still to come is named in the chat's result message with its link.
   */
  webinars: z
    .array(
      z.strictObject({
        /** Start, ISO date-time with offset (`2026-12-08T15:00:00+01:00`). */
        startsAt: z.iso.datetime({ offset: true }),
        /** Where to join or register: an https:// URL. */
        link: z.url({ protocol: /^https$/ }).max(500),
        label: z.string().min(1).max(120).optional(),
      }),
    )
    .max(100)
    .default([]),
  console: z
    .strictObject({
      /** The final approval cannot be given by the person who approved the staff review (issue 13, « four eyes »). */
      fourEyes: z.boolean().default(true),
      /**
       * Days after a step opened before it is due (issue 13, « due dates »): the inbox sorts and filters by the due
       * date, flags overdue steps, and the daily digest lists them to their assignee and to the admins.
       */
      dueDays: DueDaysSchema.default(DEFAULT_DUE_DAYS),
      /** The daily digest of overdue steps: sent by the first reminder run at or after this hour (UTC) each day. */
      digestHourUtc: z.number().int().min(0).max(23).default(6),
    })
    .default({ fourEyes: true, dueDays: DEFAULT_DUE_DAYS, digestHourUtc: 6 }),
  /** « Parler à quelqu’un » in the chat (docs/console.md « Support requests »). */
  handover: z
    .strictObject({
      /** Messages of the conversation (the actor's and the bot's) copied into a support request, latest last. */
      excerptMessages: z.number().int().min(0).max(50).default(12),
      /** Misunderstandings in a row after which the chat offers a person by itself. */
      afterMisunderstandings: z.number().int().min(1).max(10).default(2),
    })
    .default({ excerptMessages: 12, afterMisunderstandings: 2 }),
  /** Staff-published FAQ versions (docs/faq.md « Published versions »): how often a running bot checks for a new one. */
  faqPublished: z.strictObject({ checkSeconds: z.number().min(0).max(300).default(3) }).default({ checkSeconds: 3 }),
});

export type AppConfig = z.output<typeof AppConfigSchema>;
export type AppConfigInput = z.input<typeof AppConfigSchema>;
export type NetworkConfig = AppConfig['networks'][number];

export const DEFAULT_CONFIG_PATH = new URL('./aptic-config.json', import.meta.url);

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** Validates a configuration object (e.g. JSON merged with staff overrides). Throws ConfigError. */
export function parseConfig(input: unknown): AppConfig {
  const r = AppConfigSchema.safeParse(input);
  if (!r.success) {
    throw new ConfigError(
      'Invalid configuration',
      r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return deepFreeze(r.data);
}

/** Reads and validates the configuration file (default: shared/config/aptic-config.json). The result is frozen. */
export function loadConfig(path?: string | URL): AppConfig {
  const file = path ?? DEFAULT_CONFIG_PATH;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`Cannot read configuration file ${String(file)}`, [], { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`Configuration file ${String(file)} is not valid JSON`, [], { cause });
  }
  if (json && typeof json === 'object' && '$comment' in json) {
    const { $comment: _ignored, ...rest } = json as Record<string, unknown>;
    json = rest;
  }
  return parseConfig(json);
}

/** Every default, as documented in docs/configuration.md. */
export const DEFAULT_CONFIG: AppConfig = parseConfig({});

/** Network entry matching a name typed by a person (case-, accent- and punctuation-insensitive), or null. */
export function findNetwork(config: AppConfig, name: string | null | undefined): NetworkConfig | null {
  if (!name) return null;
  const k = matchKey(name);
  if (!k) return null;
  return config.networks.find((n) => matchKey(n.name) === k) ?? null;
}
