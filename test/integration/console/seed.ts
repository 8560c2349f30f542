import { parseApplication, resolvePlaces } from '../../../shared/domain/application.js';
import type { ApplicationItem, BankDetailsRecord, Stage } from '../../../shared/store/store.js';
import { toPublishedPlaces } from '../../../shared/usecases/places.js';
import type { Deps } from '../../../shared/usecases/ports.js';
import { sealedBankDetails } from '../../helpers/bank.js';
import { applicationDocument, type DocOverrides } from './harness.js';

/**
 * Seeds the store directly (no workflow): for console tests about reading and authorising, and for the benchmark.
 */
export interface SeedOptions extends DocOverrides {
  stage?: Stage;
  departements?: string[];
  phase?: 1 | 2 | 3 | null;
  route?: 'reseau' | 'territoriale' | 'libre';
  flags?: { code: string; message: string }[];
  campaignCode?: string;
  openedAt?: string;
  /** Open a task for the stage (human steps). */
  task?: boolean;
  /** Publish the places (as the Qualify step does). */
  publish?: boolean;
  /**
   * The actor's bank details (test/helpers/bank.ts): validated by default at the final approval and after it (what
   * the final approval waits for, `commitments.bankDetailsRequired`), none before; `null` for none at all.
   */
  bankDetails?: BankDetailsRecord['status'] | null;
}

const BANK_STAGES: ReadonlySet<Stage> = new Set(['final_approval', 'qualified', 'suspended']);

export async function seedApplication(
  deps: Deps,
  o: SeedOptions = {},
): Promise<{ app: ApplicationItem; taskId: string | null }> {
  const parsed = parseApplication(applicationDocument(o));
  if (!parsed.ok) throw new Error(`bad seed document: ${JSON.stringify(parsed.issues)}`);
  const doc = parsed.value as Record<string, any>;
  const now = deps.clock().toISOString();
  const stage = o.stage ?? 'staff_review';
  const app: ApplicationItem = {
    id: deps.newId(),
    version: 1,
    stage,
    status: 'eligible_now',
    phase: o.phase === undefined ? 1 : o.phase,
    route: o.route ?? 'libre',
    flags: o.flags ?? [],
    reasons: [],
    document: doc as never,
    siret: doc.structure.siret,
    departements: o.departements ?? ['87'],
    actorTokenHash: 'x'.repeat(64),
    round: 1,
    campaign: o.campaignCode ? { kind: 'webinar', code: o.campaignCode } : null,
    createdAt: now,
    updatedAt: now,
    ...(stage === 'qualified' ? { qualifiedAt: now } : {}),
  };
  const bank = o.bankDetails === undefined ? (BANK_STAGES.has(stage) ? 'validated' : null) : o.bankDetails;
  if (bank) app.bankDetails = await sealedBankDetails(deps, app.id, bank);
  await deps.store.applications.create(app);
  let taskId: string | null = null;
  if (
    o.task ??
    ['waitlisted', 'staff_review', 'final_approval', 'actor_commitments', 'changes_requested'].includes(stage)
  ) {
    taskId = await deps.store.tasks.open({
      applicationId: app.id,
      step: stage,
      round: 1,
      token: `fake-token-${app.id}`,
      openedAt: o.openedAt ?? now,
      route: app.route,
      phase: app.phase,
      departements: app.departements,
      flags: app.flags.map((f) => f.code),
      assignee: null,
    });
  }
  if (o.publish ?? stage === 'qualified') {
    await deps.store.places.replace(app.id, toPublishedPlaces(app, resolvePlaces(doc as never), deps.clock()));
  }
  return { app, taskId };
}
