import * as z from 'zod';
import { type ApplicationDocument, resolvePlaces } from '../../domain/application.js';
import { ValidationError } from '../../domain/errors.js';
import { osmToFrench } from '../../domain/hours-fr.js';
import { isStaffStep } from '../../domain/path.js';
import { FLAGS, REASONS, SOFT_FLAGS } from '../../domain/reasons.js';
import type { Finding, TaskItem } from '../../store/store.js';
import { ApplicationNotFoundError, UseCaseError } from '../errors.js';
import { toNationalRow } from '../places.js';
import type { Deps } from '../ports.js';
import type { StaffPrincipal } from '../principal.js';
import { applicationSummary, historyView, messagesView } from '../projections.js';
import { recordStaffEvent } from './history.js';

export const MAX_COMMENT_CHARS = 4000;

/** Steps a staff member decides from the console (the actor's own steps are shown, not decided). */

type Explained = Finding & { kind: 'flag' | 'reason'; soft: boolean; explanation: string };

function explain(f: Finding, kind: 'flag' | 'reason'): Explained {
  const catalogue = (kind === 'flag' ? FLAGS : REASONS) as Record<string, { message: string; topic?: string }>;
  const entry = catalogue[f.code];
  return {
    ...f,
    kind,
    soft: kind === 'flag' && SOFT_FLAGS.has(f.code as never),
    // The stored message is what the actor was told; the catalogue's is the current wording of the rule.
    explanation: entry?.message ?? f.message,
  };
}

const publicTask = ({ token: _token, ...t }: TaskItem) => t;

/**
 * Everything the application page shows: the actor's answers, each flag with its explanation, the places (as the
 * map will publish them), the timeline (who, what, when), the tasks and which one can be decided now.
 * Task tokens never leave the backend.
 */
export async function getConsoleApplication(deps: Deps, _staff: StaffPrincipal, id: string) {
  const app = await deps.store.applications.get(id);
  if (!app) throw new ApplicationNotFoundError(id);
  const [history, tasks, messages] = await Promise.all([
    deps.store.history.list(id),
    deps.store.tasks.list(id),
    deps.store.outbox.list(id),
  ]);
  const doc = app.document as ApplicationDocument & { lieux?: Record<string, unknown>[] };
  const now = deps.clock();
  let places: {
    index: number;
    lieu: Record<string, unknown>;
    departement: string | null;
    row: Record<string, unknown>;
    /** The hours in plain French (the console shows them so, never the OSM syntax). */
    horairesTexte: string | null;
  }[] = [];
  try {
    places = resolvePlaces(doc).map((p) => ({
      index: p.index,
      lieu: (doc.lieux?.[p.index] ?? {}) as Record<string, unknown>,
      departement: p.commune?.departement ?? null,
      row: toNationalRow(app, p, p.index + 1, now),
      horairesTexte: p.lieu.horaires ? osmToFrench(p.lieu.horaires) : null,
    }));
  } catch (err) {
    deps.logger.warn({ err, applicationId: id }, 'places of an application could not be resolved');
  }
  const open = tasks.find((t) => t.status === 'open') ?? null;
  return {
    ...applicationSummary(app),
    siret: app.siret,
    departements: app.departements,
    campaign: app.campaign ?? null,
    qualifiedAt: app.qualifiedAt ?? null,
    error: app.error ? { name: app.error.name } : null,
    document: app.document,
    flags: app.flags.map((f) => explain(f, 'flag')),
    reasons: app.reasons.map((f) => explain(f, 'reason')),
    places,
    history: historyView(history, 'staff'),
    messages: messagesView(messages, 'staff'),
    tasks: tasks.map(publicTask),
    openTask: open ? { ...publicTask(open), decidable: isStaffStep(open.step) } : null,
  };
}

export const CommentSchema = z
  .object({
    comment: z
      .string({ error: 'Le commentaire doit être un texte.' })
      .trim()
      .min(1, { error: 'Le commentaire est vide.' })
      .max(MAX_COMMENT_CHARS, { error: 'Le commentaire est trop long (4 000 caractères au plus).' }),
  })
  .strict();

/** A staff comment is a history event (type `comment`): it shows in the timeline with who and when. */
export async function addComment(deps: Deps, staff: StaffPrincipal, id: string, body: unknown) {
  const parsed = CommentSchema.safeParse(body);
  if (!parsed.success) {
    throw new ValidationError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const app = await deps.store.applications.get(id);
  if (!app) throw new ApplicationNotFoundError(id);
  const event = await recordStaffEvent(deps, staff, id, {
    type: 'comment',
    stage: app.stage,
    comment: parsed.data.comment,
  });
  return { at: event.at, type: event.type, actor: event.actor, comment: event.comment };
}

export const AssignSchema = z
  .object({
    /** An e-mail of a staff account, `"me"`, or null to unassign. */
    assignee: z.union([z.literal('me'), z.email({ error: 'Adresse e-mail invalide.' }).max(254), z.null()]),
  })
  .strict();

/** Answered like ValidationError (400 `validation_error` + `fields`), with its own message. */
export class UnknownStaffError extends UseCaseError {
  override readonly name = 'UnknownStaffError';
  override readonly httpStatus = 400;
  override readonly publicCode = 'validation_error';
  readonly issues = [{ path: 'assignee', message: "Ce membre de l'équipe n'existe pas." }];
  constructor() {
    super("Ce membre de l'équipe n'existe pas.");
  }
  override publicDetails() {
    return { fields: this.issues };
  }
}

/** Assign an open task to oneself or to a colleague (an account that exists and is not disabled). */
export async function assignTask(deps: Deps, staff: StaffPrincipal, taskId: string, body: unknown) {
  const parsed = AssignSchema.safeParse(body);
  if (!parsed.success) {
    throw new ValidationError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const raw = parsed.data.assignee;
  const assignee = raw === 'me' ? staff.email : raw === null ? null : raw.toLowerCase();
  if (assignee && assignee !== staff.email) {
    const account = await deps.store.staff.get(assignee);
    if (!account || account.disabled) throw new UnknownStaffError();
  }
  // Read first only to name the previous assignee in the trail: the write itself is conditional on the task open.
  const previous = (await deps.store.tasks.get(taskId))?.assignee ?? null;
  const task = await deps.store.tasks.assign(taskId, assignee);
  await recordStaffEvent(deps, staff, task.applicationId, {
    type: assignee ? 'assigned' : 'unassigned',
    stage: task.step,
    data: { taskId, assignee, previous },
  });
  // Assignment and reassignment are audited (issue 13): who moved which step from whom to whom.
  await deps.store.audit.record({
    who: staff.email,
    what: previous && assignee ? 'task.reassign' : assignee ? 'task.assign' : 'task.unassign',
    entity: `application:${task.applicationId}`,
    data: { taskId, step: task.step, from: previous, to: assignee },
  });
  return { taskId, assignee };
}

/**
 * Staff members one can assign to (no password hashes); with `all` (admins' accounts page) the disabled accounts
 * too, each with its `disabled` flag.
 */
export async function listStaffMembers(deps: Deps, options: { all?: boolean } = {}) {
  const accounts = await deps.store.staff.list();
  return {
    staff: accounts
      .filter((a) => options.all || !a.disabled)
      .map((a) => ({
        email: a.email,
        name: a.name ?? null,
        role: a.role === 'admin' ? 'admin' : 'reviewer',
        ...(options.all ? { disabled: Boolean(a.disabled), createdAt: a.createdAt } : {}),
      })),
  };
}
