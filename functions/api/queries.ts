import * as z from 'zod';
import { DepartementCodeSchema } from '../../shared/domain/geography.js';
import { HumanStepSchema, type Stage, TERMINAL_STAGES } from '../../shared/domain/path.js';

// The query strings of the handlers, in one light module (zod and the domain only): each handler parses with its
// schema here, and the OpenAPI description (functions/openapi.ts) shows the same objects without loading handlers.

/** GET /api/console/tasks */
export const ListTasksQuerySchema = z
  .object({
    step: HumanStepSchema.optional(),
    route: z.enum(['reseau', 'territoriale', 'libre']).optional(),
    phase: z.coerce
      .number()
      .pipe(z.union([z.literal(1), z.literal(2), z.literal(3)]))
      .optional(),
    departement: DepartementCodeSchema.optional(),
    flag: z
      .string()
      .regex(/^[a-z_]{2,40}$/)
      .optional(),
    assignee: z.string().max(254).optional(),
    /** `due`: earliest due date first (console.dueDays); default oldest first. */
    sort: z.enum(['opened', 'due']).optional(),
    /** `1`/`true`: only the steps past their due date. */
    overdue: z
      .enum(['1', 'true', '0', 'false'])
      .transform((v) => v === '1' || v === 'true')
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: z.string().max(2000).optional(),
  })
  .strict();

/** GET /api/console/search */
export const SearchQuerySchema = z
  .object({
    q: z
      .string({ error: 'Indiquez ce que vous cherchez (paramètre q).' })
      .trim()
      .min(2, { error: 'Tapez au moins 2 caractères.' })
      .max(200, { error: 'Recherche trop longue (200 caractères au plus).' }),
  })
  .strict();

const isoDay = z.iso.date({ error: 'Date attendue au format AAAA-MM-JJ.' });

/** GET /api/console/closed and /api/console/closed.csv: the closed applications' filters. */
export const ClosedQuerySchema = z
  .object({
    /** One stage or several, comma-separated (`qualified,rejected`). */
    stage: z
      .string()
      .max(200)
      .transform((v) => v.split(',').filter(Boolean))
      .pipe(
        z
          .array(z.enum(TERMINAL_STAGES as [Stage, ...Stage[]], { error: 'Étape inconnue (étapes closes seulement).' }))
          .max(TERMINAL_STAGES.length),
      )
      .optional(),
    departement: DepartementCodeSchema.optional(),
    from: isoDay.optional(),
    to: isoDay.optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: z.string().max(2000).optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { error: 'La date de début doit précéder la date de fin.' });

/** GET /api/console/staff */
export const StaffListQuerySchema = z
  .object({
    /** `1`: every account, disabled ones included (admins only). */
    all: z
      .enum(['1', '0'])
      .transform((v) => v === '1')
      .optional(),
  })
  .strict();

/** GET /api/console/changes */
export const ChangesQuerySchema = z
  .object({
    entity: z
      .string()
      .regex(/^[a-z]+(:[\w@.-]+)?$/)
      .max(120)
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .strict();

/** GET /api/console/outbox */
export const OutboxQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).optional(),
    /** One application's messages (its id; `staff-digest` for the staff digests). */
    applicationId: z
      .union([z.uuid({ error: 'Identifiant de demande invalide.' }), z.literal('staff-digest')])
      .optional(),
    /** `sent` (delivered), `waiting` (e-mail not delivered yet), `kept` (no e-mail on this host). */
    state: z.enum(['sent', 'waiting', 'kept'], { error: 'État inconnu (sent, waiting ou kept).' }).optional(),
  })
  .strict();

/** GET /api/lieux (and the CSV) */
export const LieuxQuerySchema = z
  .object({
    departement: DepartementCodeSchema.optional(),
  })
  .strict();

/** GET /api/lieux/proches: `q` is a commune, a postal code or both (« 87000 », « Saint-Junien », « 87200 Saint-Junien »). */
export const LieuxProchesQuerySchema = z
  .object({
    q: z.string().max(100, 'Recherche : 100 caractères au maximum.').optional(),
  })
  .strict();
