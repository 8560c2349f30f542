import { toCsvText } from '../../domain/csv.js';
import type { Deps } from '../ports.js';

/** One Kit subscription as billing needs it (no person's name or address: the structure, its SIRET, the terms). */
export interface SubscriptionRow {
  applicationId: string;
  structure: string;
  siret: string;
  stage: string;
  /** `pending` until qualification, `active` once qualified, `ended` when the qualification ended or never came. */
  status: 'pending' | 'active' | 'ended';
  acceptedAt: string;
  channel: string;
  /** The subscription starts at qualification. */
  startsAt: string | null;
  priceHtEur: number;
  period: string;
  charteVersion: string;
  cguVersion: string;
}

const ENDED = new Set(['rejected', 'expired', 'failed', 'withdrawn', 'not_eligible', 'suspended']);

/** GET /api/console/subscriptions: every subscription recorded at the commitments step, with its application. */
export async function listSubscriptions(deps: Deps): Promise<SubscriptionRow[]> {
  const subs = await deps.store.subscriptions.list();
  const apps = new Map((await deps.store.applications.getMany(subs.map((s) => s.applicationId))).map((a) => [a.id, a]));
  return subs.map((s) => {
    const app = apps.get(s.applicationId);
    const structure = (app?.document as { structure?: { nom?: unknown; siret?: unknown } } | undefined)?.structure;
    const stage = app?.stage ?? 'erased';
    return {
      applicationId: s.applicationId,
      structure: typeof structure?.nom === 'string' ? structure.nom : '',
      siret: app?.siret ?? '',
      stage,
      status: app?.qualifiedAt && stage === 'qualified' ? 'active' : ENDED.has(stage) || !app ? 'ended' : 'pending',
      acceptedAt: s.acceptedAt,
      channel: s.channel,
      startsAt: app?.qualifiedAt ?? null,
      priceHtEur: s.priceHtEur,
      period: s.period,
      charteVersion: s.charteVersion,
      cguVersion: s.cguVersion,
    };
  });
}

const CSV_HEADER = [
  'applicationId',
  'structure',
  'siret',
  'stage',
  'status',
  'acceptedAt',
  'channel',
  'startsAt',
  'priceHtEur',
  'period',
  'charteVersion',
  'cguVersion',
] as const;

/** The billing export: the shared CSV writer (formula-like cells, e.g. a structure named `=…`, are neutralised). */
export function subscriptionsCsv(rows: readonly SubscriptionRow[]): string {
  return toCsvText(CSV_HEADER, rows as unknown as Record<string, string | number | null>[]);
}
