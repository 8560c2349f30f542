import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { isTerminal, lifecycleTransition, type Stage } from '../domain/path.js';
import { ConflictError } from '../store/errors.js';
import { emailHash } from '../store/keys.js';
import type { ApplicationItem, Finding } from '../store/store.js';
import { ApplicationNotFoundError, ForbiddenError } from './errors.js';
import { releaseSiretOf, settleEnd } from './lifecycle.js';
import type { Deps } from './ports.js';
import { addressesOf, type Principal, requireAccess } from './principal.js';
import { eraseSupportRequestsOf } from './support-data.js';

/**
 * Erasure of an application's personal data (docs/modules.md « Erasure and retention »).
 *
 * What counts as personal: everything the document says (the legal representative's and the contact's names,
 * e-mails and phone numbers, the places' addresses and phones, the structure's name and SIRET — a sole trader's
 * SIRET and trade name identify a person, so the rule does not tell the two apart), free text (staff comments and
 * decision comments, messages to the actor and their addresses), the chat conversation, tokens. What stays: anonymous
 * counts — stage, status, route, phase, départements, round, source, campaign code, flag and reason codes, dates —
 * and a history that says an erasure happened (event types, stages, dates, who acted), not what was erased.
 */

const DAY_MS = 86_400_000;

/** The chat conversation that submitted the application: the chat's idempotency key is `<conversationId>[#round]`. */
export function conversationOf(app: Pick<ApplicationItem, 'source' | 'idempotencyKey'>): string | null {
  if (app.source !== 'chat' || !app.idempotencyKey) return null;
  return app.idempotencyKey.split('#')[0] || null;
}

/** Execution names are the application id (resumed local executions add a suffix and are not stopped here). */
function executionArn(stateMachineArn: string, applicationId: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${applicationId}`;
}

async function stopExecution(deps: Deps, applicationId: string): Promise<void> {
  try {
    await deps.sfn.send(
      new StopExecutionCommand({
        executionArn: executionArn(deps.stateMachineArn, applicationId),
        error: 'Erased',
        cause: 'personal data erased on request',
      }),
    );
  } catch (err) {
    // Already finished or never started: nothing to stop.
    if ((err as Error).name !== 'ExecutionDoesNotExist') throw err;
  }
}

export interface ErasureResult {
  /** `erased` now, or `pending`: a staff task due at `dueAt` (a qualified application). */
  status: 'erased' | 'pending';
  message: string;
  dueAt?: string;
}

/**
 * POST /api/applications/:id/erasure, by the actor (its own application) or an admin. Not qualified → erased at once
 * (the execution stopped). Qualified or suspended, asked by the actor → a staff task due in `retention.erasureDueDays`
 * (contracts may require keeping some data); asked by an admin → carried out (the admin is that decision).
 */
export async function requestErasure(deps: Deps, principal: Principal | null, id: string): Promise<ErasureResult> {
  const p = requireAccess(principal, id);
  if (p.kind === 'staff' && p.role !== 'admin') throw new ForbiddenError('Action réservée aux administrateurs.');
  const app = await deps.store.applications.get(id);
  if (!app) throw new ApplicationNotFoundError(id);
  if (app.erasedAt)
    return { status: 'erased', message: 'Les données personnelles de cette demande sont déjà effacées.' };
  const by = p.kind === 'staff' ? p.email : 'actor';
  if ((app.stage === 'qualified' || app.stage === 'suspended') && p.kind === 'actor') {
    const now = deps.clock();
    const config = await deps.config();
    const dueAt = new Date(now.getTime() + config.retention.erasureDueDays * DAY_MS).toISOString();
    const fresh = await deps.store.erasures.request({
      applicationId: id,
      requestedAt: now.toISOString(),
      requestedBy: by,
      dueAt,
    });
    const request = fresh ? null : await deps.store.erasures.get(id);
    if (fresh) {
      await deps.store.history.append({
        applicationId: id,
        key: 'erasure#requested',
        at: now.toISOString(),
        actor: { kind: 'actor' },
        type: 'erasure_requested',
        stage: app.stage,
      });
    }
    const due = request?.dueAt ?? dueAt;
    return {
      status: 'pending',
      dueAt: due,
      message: `Votre demande d'effacement est enregistrée. Votre structure étant qualifiée, l'équipe #APTIC vérifie ce que vos engagements obligent à conserver et effacera le reste au plus tard le ${formatDate(due)}.`,
    };
  }
  await eraseApplication(deps, app, by);
  return { status: 'erased', message: 'Les données personnelles de cette demande ont été effacées.' };
}

const formatDate = (iso: string) => new Date(iso).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' });

const anonymousFinding = (f: Finding): Finding => ({ code: f.code, message: '' });

/**
 * The erasure routine (on request, by an admin, or by the retention job). Idempotent: every step either removes
 * something that may already be gone or overwrites the same anonymous values. Order: stop the workflow first (so no
 * Task writes personal data back), then remove copies outside the item, and the item itself last (`erasedAt` says
 * it is done).
 */
export async function eraseApplication(deps: Deps, first: ApplicationItem, by: string): Promise<ApplicationItem> {
  const id = first.id;
  const at = deps.clock().toISOString();
  let app = first;
  if (!isTerminal(app.stage)) await stopExecution(deps, id);
  await deps.store.tasks.cancelOpen(id, 'erasure', by === 'actor' ? id : by);
  // A running or qualified application ends `withdrawn` (it gives back its SIRET and slot like any other end).
  const ending: Stage | null =
    !isTerminal(app.stage) || app.stage === 'qualified' || app.stage === 'suspended' ? 'withdrawn' : null;
  for (let attempt = 0; ending && app.stage !== ending; attempt++) {
    try {
      app = await deps.store.applications.update(id, app.version, {
        stage: lifecycleTransition(app.stage, 'withdrawn'),
        updatedAt: at,
      });
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 4) throw err;
      app = (await deps.store.applications.get(id)) ?? app;
    }
  }
  app = await settleEnd(deps, app);
  // Erasure wins over the rejected delay: the claim item names the SIRET, which is part of what is erased.
  if (app.siret && !app.siretReleasedAt) app = await releaseSiretOf(deps, app);
  await deps.store.places.replace(id, []);
  for (const task of await deps.store.tasks.list(id)) await deps.store.tasks.redact(task.taskId);
  await deps.store.outbox.deleteAll(id);
  const conversation = conversationOf(app);
  // Support requests of the application, of the conversation that submitted it, or made with no application under
  // its actor's address lose their text (support.ts). Read while the document still holds the address.
  await eraseSupportRequestsOf(deps, id, conversation, addressesOf(app));
  if (conversation) await deps.store.dialogs.delete(conversation);
  await eraseActorSessions(deps, app);
  await deps.store.history.redactAll(id);
  await deps.store.history.append({
    applicationId: id,
    key: 'erasure#done',
    at,
    actor: by === 'actor' ? { kind: 'actor' } : by === 'system' ? { kind: 'system' } : { kind: 'staff', id: by },
    type: 'erased',
    stage: app.stage,
  });
  const erasedDocument = { profil: (app.document as { profil?: string }).profil ?? 'producteur', efface: true };
  for (let attempt = 0; ; attempt++) {
    try {
      app = await deps.store.applications.erase(id, app.version, {
        document: erasedDocument as never,
        siret: null,
        erasedAt: at,
        flags: app.flags.map(anonymousFinding),
        reasons: app.reasons.map(anonymousFinding),
        actorTokenHash: '',
        idempotencyKey: null,
        error: app.error ? { name: app.error.name, message: '' } : null,
        suspension: app.suspension ? { by: app.suspension.by, at: app.suspension.at, reason: '' } : null,
        bankDetails: null,
        updatedAt: at,
      });
      break;
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 4) throw err;
      app = (await deps.store.applications.get(id)) ?? app;
    }
  }
  if (await deps.store.erasures.get(id)) await deps.store.erasures.complete(id, at, by);
  if (by !== 'actor' && by !== 'system') {
    await deps.store.audit.record({ who: by, what: 'application.erase', entity: `application:${id}` });
  }
  return app;
}

/**
 * Sessions and sign-in codes of the actor: none are stored per application yet (actor tokens are a hash on the item,
 * cleared by the erasure write). The actor sign-in (issue 10 §1) deletes its codes and sessions for this application
 * here; expired ones also go with the retention job (keys.expiringKeys).
 */
/**
 * The actor's way back to this application goes: the address → application lookup items are removed, so no sign-in
 * link lists it again, and live actor sessions drop it at their next use (they re-check that the application still
 * carries their address, which the erased document no longer does). Sign-in codes hold a hash of an address, not
 * the application, and expire within 30 minutes (the retention job deletes them).
 */
async function eraseActorSessions(deps: Deps, app: ApplicationItem): Promise<void> {
  for (const address of addressesOf(app)) await deps.store.actorAccess.unindexApplication(app.id, emailHash(address));
}

/** The staff task list of erasures asked on qualified applications, soonest due first. */
export async function listErasureRequests(deps: Deps) {
  const now = deps.clock().toISOString();
  return (await deps.store.erasures.listPending()).map((r) => ({
    applicationId: r.applicationId,
    requestedAt: r.requestedAt,
    dueAt: r.dueAt,
    overdue: r.dueAt < now,
  }));
}
