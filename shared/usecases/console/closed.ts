import { toCsvText } from '../../domain/csv.js';
import { CONSOLE_LABELS } from '../../domain/labels.js';
import type { Stage } from '../../domain/path.js';
import type { Deps } from '../ports.js';
import { applicationSummary } from './search.js';

/** The stages the list of closed applications offers as filters (issue 13: qualified, refused, expired, …). */
export const CLOSED_STAGES = [
  'qualified',
  'rejected',
  'expired',
  'not_eligible',
  'withdrawn',
  'suspended',
  'failed',
] as const satisfies readonly Stage[];

export interface ClosedQuery {
  stage?: Stage[];
  departement?: string;
  /** ISO dates (YYYY-MM-DD): closed on or after `from`, before the day after `to`. */
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface ClosedRow {
  applicationId: string;
  reference: string;
  nom: string | null;
  siret: string | null;
  commune: string | null;
  stage: string;
  route: string | null;
  phase: number | null;
  departements: string[];
  closedAt: string;
}

const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString();

/**
 * GET /api/console/closed: applications that reached a terminal stage, most recent first, filtered by stage,
 * département and dates (store.applications.listClosed: one gsi2 Query, no Scan). Staff only.
 */
export async function listClosedApplications(
  deps: Deps,
  q: ClosedQuery,
): Promise<{ applications: ClosedRow[]; next: string | null }> {
  const page = await deps.store.applications.listClosed(
    {
      stages: q.stage,
      departement: q.departement,
      from: q.from ? `${q.from}T00:00:00.000Z` : undefined,
      to: q.to ? dayAfter(q.to) : undefined,
    },
    { limit: q.limit ?? 100, cursor: q.cursor },
  );
  return {
    applications: page.applications.map((app) => {
      const s = applicationSummary(app);
      return {
        applicationId: app.id,
        reference: app.id.slice(0, 8),
        nom: s.nom,
        siret: app.siret,
        commune: s.commune,
        stage: app.stage,
        route: app.route ?? null,
        phase: app.phase ?? null,
        departements: app.departements ?? [],
        closedAt: app.closedAt,
      };
    }),
    next: page.next ?? null,
  };
}

/** At most this many rows in one export (pages of 200): a bigger export asks for a narrower filter. */
export const MAX_EXPORT_ROWS = 10_000;

const CSV_HEADER = [
  'reference',
  'id',
  'nom',
  'siret',
  'commune',
  'etape',
  'etape_code',
  'parcours',
  'phase',
  'departements',
  'close_le',
] as const;

/**
 * The staff CSV export of the current filter (every page, up to MAX_EXPORT_ROWS), cells written by the one CSV
 * writer (shared/domain/csv.ts): formula-like text (a structure named `=HYPERLINK(…)`) is neutralised.
 */
export async function closedApplicationsCsv(
  deps: Deps,
  q: Omit<ClosedQuery, 'limit' | 'cursor'>,
): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const rows: ClosedRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await listClosedApplications(deps, { ...q, limit: 200, cursor });
    rows.push(...page.applications);
    cursor = page.next ?? undefined;
  } while (cursor && rows.length < MAX_EXPORT_ROWS);
  const kept = rows.slice(0, MAX_EXPORT_ROWS);
  const stages = CONSOLE_LABELS.stages as Record<string, string>;
  const routes = CONSOLE_LABELS.routes as Record<string, string>;
  const csv = toCsvText(
    CSV_HEADER,
    kept.map((r) => ({
      reference: r.reference,
      id: r.applicationId,
      nom: r.nom,
      siret: r.siret,
      commune: r.commune,
      etape: stages[r.stage] ?? r.stage,
      etape_code: r.stage,
      parcours: r.route ? (routes[r.route] ?? r.route) : null,
      phase: r.phase,
      departements: r.departements.join('|'),
      close_le: r.closedAt,
    })),
  );
  return { csv, rows: kept.length, truncated: Boolean(cursor) || rows.length > MAX_EXPORT_ROWS };
}
