import * as z from 'zod';
import { DEPARTEMENT_CODE } from '../../domain/geography.js';
import { NotFoundError } from '../../store/errors.js';
import type { CampaignItem } from '../../store/store.js';
import type { Deps } from '../ports.js';
import type { StaffPrincipal } from '../principal.js';
import { ConsoleConflictError, ConsoleValidationError } from './errors.js';

/**
 * Campaign links (webinar, #APTIC Tour, hub, network): a short code opens the chat with the campaign's context
 * (`/go/:code`, served by the chat module). The funnel per campaign: visits → conversations → applications →
 * qualified.
 *
 * Visits and conversations are counted by the chat module when it serves `/go/:code` and when a conversation starts
 * with that context: it calls `countCampaignEvent` (an atomic counter item in the table, no Scan). Applications and
 * qualified actors are counted the same way when those modules call it, and are also computed from the data (active
 * applications carry their campaign; qualified ones are found through the published places), whichever is larger.
 */

export type CampaignEvent = 'visits' | 'conversations' | 'applications' | 'qualified';
const EVENTS: CampaignEvent[] = ['visits', 'conversations', 'applications', 'qualified'];

export const campaignCounterKey = (code: string, event: CampaignEvent) => `campaign#${code}#${event}`;

/** For the chat / submission modules: +1 on a campaign's counter (atomic ADD; no cap in practice). */
export async function countCampaignEvent(deps: Deps, code: string, event: CampaignEvent): Promise<void> {
  await deps.store.counters.increment(campaignCounterKey(code, event));
}

const utmValue = z
  .string()
  .trim()
  .max(100)
  .regex(/^[\w.\-~ ]*$/u, { error: 'Lettres, chiffres, tirets, points et espaces seulement.' });

export const CampaignSchema = z
  .object({
    code: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{2,39}$/, { error: 'Code : 3 à 40 lettres minuscules, chiffres ou tirets.' })
      .optional(),
    kind: z.enum(['webinar', 'tour', 'hub', 'network'], { error: 'Type : webinar, tour, hub ou network.' }),
    label: z.string().trim().min(2, { error: 'Libellé obligatoire.' }).max(120),
    route: z.enum(['reseau', 'territoriale', 'libre']).nullable().optional(),
    territory: z
      .string()
      .regex(DEPARTEMENT_CODE, { error: 'Territoire : un code de département (ex. 87).' })
      .nullable()
      .optional(),
    network: z.string().trim().max(120).nullable().optional(),
    startsAt: z.iso.date({ error: 'Date de début au format AAAA-MM-JJ.' }).nullable().optional(),
    endsAt: z.iso.date({ error: 'Date de fin au format AAAA-MM-JJ.' }).nullable().optional(),
    utm: z
      .object({
        source: utmValue.optional(),
        medium: utmValue.optional(),
        campaign: utmValue.optional(),
        content: utmValue.optional(),
        term: utmValue.optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.startsAt && c.endsAt && c.endsAt < c.startsAt) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'La date de fin précède la date de début.' });
    }
    if (c.kind === 'network' && !c.network) {
      ctx.addIssue({ code: 'custom', path: ['network'], message: 'Un lien « réseau » doit nommer son réseau.' });
    }
  });

export type StoredCampaign = CampaignItem & {
  startsAt?: string | null;
  utm?: Record<string, string>;
  createdBy?: string;
};

export function campaignPath(c: StoredCampaign): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(c.utm ?? {})) if (v) q.set(`utm_${k}`, v);
  const qs = q.toString();
  return `/go/${encodeURIComponent(c.code)}${qs ? `?${qs}` : ''}`;
}

export async function createCampaign(deps: Deps, staff: StaffPrincipal, body: unknown) {
  const parsed = CampaignSchema.safeParse(body);
  if (!parsed.success) {
    throw new ConsoleValidationError(
      'Lien invalide.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const c = parsed.data;
  let code = c.code;
  if (code) {
    if (await deps.store.campaigns.get(code)) throw new ConsoleConflictError('Ce code est déjà utilisé.', { code });
  } else {
    for (let i = 0; i < 5 && !code; i++) {
      const candidate = deps.newId().replace(/-/g, '').slice(0, 8);
      if (!(await deps.store.campaigns.get(candidate))) code = candidate;
    }
    if (!code) throw new ConsoleConflictError('Impossible de générer un code libre, réessayez.');
  }
  const utm = Object.fromEntries(Object.entries(c.utm ?? {}).filter(([, v]) => v)) as Record<string, string>;
  const item: StoredCampaign = {
    code,
    kind: c.kind,
    label: c.label,
    route: c.route ?? (c.kind === 'network' ? 'reseau' : 'territoriale'),
    territory: c.territory ?? null,
    network: c.network ?? null,
    startsAt: c.startsAt ?? null,
    // The store compares endsAt with an instant: the link works through the whole last day (Paris time is ahead of UTC).
    endsAt: c.endsAt ? `${c.endsAt}T23:59:59.999Z` : null,
    utm,
    createdAt: deps.clock().toISOString(),
    createdBy: staff.email,
  };
  await deps.store.campaigns.put(item);
  await deps.store.audit.record({
    who: staff.email,
    what: 'campaign.create',
    entity: `campaign:${code}`,
    data: { ...item },
  });
  return { campaign: item, path: campaignPath(item) };
}

export const CampaignChangeSchema = z
  .object({
    label: z.string().trim().min(2, { error: 'Libellé obligatoire.' }).max(120).optional(),
    startsAt: z.iso.date({ error: 'Date de début au format AAAA-MM-JJ.' }).nullable().optional(),
    endsAt: z.iso.date({ error: 'Date de fin au format AAAA-MM-JJ.' }).nullable().optional(),
    /** `pause` stops the link carrying its context, `resume` gives it back, `end` ends it now (endsAt = now). */
    action: z.enum(['pause', 'resume', 'end'], { error: 'Action : pause, resume ou end.' }).optional(),
  })
  .strict()
  .refine((c) => Object.keys(c).length > 0, { error: 'Rien à modifier.' });

/**
 * PUT /api/console/campaigns/:code: edit a link's label and dates, pause, resume or end it. The code and the kind
 * stay (printed links keep working). Audited `campaign.update` with what changed.
 */
export async function changeCampaign(deps: Deps, staff: StaffPrincipal, code: string, body: unknown) {
  const parsed = CampaignChangeSchema.safeParse(body);
  if (!parsed.success) {
    throw new ConsoleValidationError(
      'Modification invalide.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const current = (await deps.store.campaigns.get(code)) as StoredCampaign | null;
  if (!current) throw new NotFoundError('campaign', code);
  const c = parsed.data;
  const now = deps.clock().toISOString();
  const next: StoredCampaign = { ...current, updatedAt: now, updatedBy: staff.email };
  if (c.label !== undefined) next.label = c.label;
  if (c.startsAt !== undefined) next.startsAt = c.startsAt;
  if (c.endsAt !== undefined) next.endsAt = c.endsAt ? `${c.endsAt}T23:59:59.999Z` : null;
  if (c.action === 'pause') next.paused = true;
  if (c.action === 'resume') next.paused = false;
  if (c.action === 'end') {
    next.endsAt = now;
    next.paused = false;
  }
  const start = next.startsAt ?? null;
  if (start && next.endsAt && next.endsAt < start && c.action !== 'end') {
    throw new ConsoleValidationError('Modification invalide.', [
      { path: 'endsAt', message: 'La date de fin précède la date de début.' },
    ]);
  }
  await deps.store.campaigns.put(next);
  await deps.store.audit.record({ who: staff.email, what: 'campaign.update', entity: `campaign:${code}`, data: c });
  return { campaign: next, path: campaignPath(next) };
}

export interface Funnel {
  visits: number;
  conversations: number;
  applications: number;
  qualified: number;
}

export const CampaignsQuerySchema = z.strictObject({
  territory: z.string().regex(DEPARTEMENT_CODE, { error: 'Territoire : un code de département (ex. 87).' }).optional(),
});

/**
 * Every campaign with its link and funnel; with `territory`, that département's campaigns (the territorial ones a
 * stimulation created among them) and their funnel summed: the territory's visits → conversations → applications →
 * qualified.
 */
export async function listCampaignsWithFunnel(deps: Deps, query: z.output<typeof CampaignsQuerySchema> = {}) {
  const all = (await deps.store.campaigns.list()) as StoredCampaign[];
  const campaigns = query.territory ? all.filter((c) => c.territory === query.territory) : all;
  const computed = await computedCounts(deps);
  const rows = await Promise.all(
    campaigns.map(async (c) => {
      const counters = await Promise.all(EVENTS.map((e) => deps.store.counters.get(campaignCounterKey(c.code, e))));
      const seen = computed.get(c.code) ?? { applications: 0, qualified: 0 };
      const funnel: Funnel = {
        visits: counters[0] ?? 0,
        conversations: counters[1] ?? 0,
        applications: Math.max(counters[2] ?? 0, seen.applications),
        qualified: Math.max(counters[3] ?? 0, seen.qualified),
      };
      return { ...c, path: campaignPath(c), funnel };
    }),
  );
  rows.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  if (!query.territory) return { campaigns: rows };
  const funnel: Funnel = { visits: 0, conversations: 0, applications: 0, qualified: 0 };
  for (const r of rows) for (const e of EVENTS) funnel[e] += r.funnel[e];
  return { campaigns: rows, territory: query.territory, funnel };
}

/** Applications and qualified actors per campaign code, from the data (no Scan: two index queries + gets). */
async function computedCounts(deps: Deps): Promise<Map<string, { applications: number; qualified: number }>> {
  const out = new Map<string, { applications: number; qualified: number }>();
  const bump = (code: string | undefined, qualified: boolean) => {
    if (!code) return;
    const e = out.get(code) ?? { applications: 0, qualified: 0 };
    e.applications++;
    if (qualified) e.qualified++;
    out.set(code, e);
  };
  const active = await deps.store.applications.listActive();
  for (const a of active) bump(a.campaign?.code, false);
  const places = await deps.store.places.list();
  const qualifiedIds = [...new Set(places.map((p) => p.applicationId))];
  const apps = await Promise.all(qualifiedIds.map((id) => deps.store.applications.get(id)));
  for (const a of apps) if (a) bump(a.campaign?.code, a.stage === 'qualified');
  return out;
}
