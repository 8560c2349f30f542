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
  })
  .superRefine((w, ctx) => {
    const shortest = Math.min(
      w.staffReviewDays,
      w.actorCommitmentsDays,
      w.finalApprovalDays,
      w.changesDays,
      w.waitlistDays,
    );
    if (w.heartbeatSeconds >= shortest * 86_400) {
      ctx.addIssue({ code: 'custom', path: ['heartbeatSeconds'], message: 'must be shorter than every step timeout' });
    }
  });

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
  }),
  support: z.strictObject({ email: z.email().default('support@aptic.fr') }).default({ email: 'support@aptic.fr' }),
  console: z
    .strictObject({
      /** The final approval cannot be given by the person who approved the staff review (issue 13, « four eyes »). */
      fourEyes: z.boolean().default(true),
    })
    .default({ fourEyes: true }),
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
