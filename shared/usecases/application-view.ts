import type { AppConfig } from '../config/config.js';
import { SERVICES } from '../domain/national-schema.js';
import { isHumanStep, STAGES, type Stage } from '../domain/path.js';
import type { HistoryEvent } from '../store/store.js';
import { maskedBankDetails } from './bank-details.js';
import { ApplicationNotFoundError } from './errors.js';
import { withCentreIfMissing } from './place-coordinates.js';
import type { Deps } from './ports.js';
import { actorApplication, type Principal, requireAccess } from './principal.js';
import { applicationSummary, historyView, messagesView } from './projections.js';

/**
 * GET /api/applications/:id. The actor sees its own application; staff see any, with who decided. Task tokens,
 * token hashes and internal error detail are never part of it.
 */
export async function getApplicationView(deps: Deps, principal: Principal | null, id: string) {
  const p = requireAccess(principal, id);
  const app = actorApplication(p, id) ?? (await deps.store.applications.get(id));
  if (!app) throw new ApplicationNotFoundError(id);
  const [history, messages, config] = await Promise.all([
    deps.store.history.list(id),
    deps.store.outbox.list(id),
    deps.config(),
  ]);
  const isStaff = p.kind === 'staff';
  const audience = isStaff ? 'staff' : 'actor';
  const openStep = isHumanStep(app.stage) ? app.stage : null;
  const task = openStep ? await deps.store.tasks.get(await deps.store.tasks.idFor(app.id, openStep, app.round)) : null;
  return {
    ...applicationSummary(app),
    flags: app.flags,
    reasons: app.reasons,
    openStep,
    expected: expectedStep(openStep, task?.status === 'open' ? task.openedAt : null, config),
    changeRequest: openStep === 'changes_requested' ? changeRequestOf(history) : null,
    commitments: app.commitments ?? null,
    // Masked for everyone here (the admin reads them in full on their own audited route).
    bankDetails: await maskedBankDetails(deps, app),
    // The versioned documents and the Kit terms in force: what the actor space shows at the commitments step.
    commitmentTerms: {
      charte: config.commitments.charte,
      cgu: config.commitments.cgu,
      kit: config.kit,
      // Whether the final approval waits for validated bank details (the actor space says so at that step).
      bankDetailsRequired: config.commitments.bankDetailsRequired,
    },
    // The national schema's enumerations the actor space's forms offer (one source: shared/domain).
    choices: { services: SERVICES },
    history: historyView(history, audience),
    messages: messagesView(messages, audience),
    // The actor sees their own document (the actor space's change form starts from it); staff see it too.
    document: app.document,
    // Where the map puts each published place (docs/places-geo.md): the actor space offers to confirm or correct it.
    onMap: app.stage === 'qualified' ? await placesOnMap(deps, app.id) : [],
    ...(isStaff ? { campaign: app.campaign ?? null, error: app.error ? { name: app.error.name } : null } : {}),
  };
}

/** How long each human step may stay open (the state machine's timeouts come from the same fields). */
function stepDays(step: Stage, config: AppConfig): number | null {
  const w = config.workflow;
  const days: Partial<Record<Stage, number>> = {
    address_confirmation: w.addressConfirmation.hours / 24,
    staff_review: w.staffReviewDays,
    changes_requested: w.changesDays,
    actor_commitments: w.actorCommitmentsDays,
    final_approval: w.finalApprovalDays,
    waitlisted: w.waitlistDays,
  };
  return days[step] ?? null;
}

/** The open step, who acts, since when and by when (the step's timeout counted from its task's opening). */
function expectedStep(step: Stage | null, openedAt: string | null, config: AppConfig) {
  if (!step) return null;
  const days = stepDays(step, config);
  return {
    step,
    by: STAGES[step].actor,
    since: openedAt,
    dueAt: openedAt && days ? new Date(Date.parse(openedAt) + days * 86_400_000).toISOString() : null,
  };
}

/** The staff's words for the changes asked: the comment of the latest `decision_request_changes` event. */
function changeRequestOf(events: readonly HistoryEvent[]) {
  const last = [...events].reverse().find((e) => e.type === 'decision_request_changes');
  return last ? { at: last.at, comment: last.comment ?? null } : null;
}

/** Per published place: its position in the document (`index`), its coordinates and how they were found. */
async function placesOnMap(deps: Deps, id: string) {
  return (await deps.store.places.listFor(id)).map((p) => {
    const row = withCentreIfMissing(p.place);
    return {
      index:
        Number(
          String(row.id ?? '')
            .split('-')
            .pop(),
        ) - 1,
      latitude: row.latitude ?? null,
      longitude: row.longitude ?? null,
      precision: p.precision ?? (row.latitude === undefined ? null : 'commune'),
    };
  });
}
