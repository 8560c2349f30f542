// The qualification path (docs/modules.md): stages, who acts at each, and the allowed transitions. Pure data + lookup.
// This table is the one list of stages: human steps, staff steps and terminal stages are derived from it, and every
// other layer (store, use cases, handlers, the state machine's timeouts) imports them from here.
import * as z from 'zod';
import { IllegalTransitionError } from './errors.js';

export const STAGE_NAMES = [
  'submitted',
  'not_eligible',
  'waitlisted',
  'address_confirmation',
  'staff_review',
  // Instead of staff_review for a listed member of a network in force (the state machine's attestation branch).
  'network_attestation',
  'changes_requested',
  'actor_commitments',
  'final_approval',
  'qualified',
  'rejected',
  'expired',
  'failed',
  // After the path (use cases, not states of the machine; see LIFECYCLE_TRANSITIONS).
  'suspended',
  'withdrawn',
] as const;
export type Stage = (typeof STAGE_NAMES)[number];

export const PATH_EVENTS = [
  'evaluated_eligible',
  'evaluated_not_eligible',
  'evaluated_waitlist',
  'released',
  'address_requested',
  'confirmed',
  'approved',
  'rejected',
  'changes_requested',
  'resubmitted',
  'committed',
  'timed_out',
  'failed',
  // A listed member of a network in force: its attestation takes the place of the staff review.
  'attested',
  // Staff and actor moves after (or instead of) the workflow: LIFECYCLE_TRANSITIONS.
  'suspended',
  'reinstated',
  'withdrawn',
] as const;
export type PathEvent = (typeof PATH_EVENTS)[number];

export type StageActor = 'system' | 'staff' | 'actor' | null;

export interface StageInfo {
  /** Who moves the application out of this stage; null for terminal stages. */
  actor: StageActor;
  terminal: boolean;
  /** A human step ("task"): non-terminal with a human actor. */
  human: boolean;
  /** French label for pages and messages. */
  label: string;
  description: string;
}

// `as const` keeps each stage's `human`/`actor` as literal types, so the step types below are derived, not restated.
const STAGE_TABLE = {
  submitted: {
    actor: 'system',
    terminal: false,
    human: false,
    label: 'Demande reçue',
    description: 'stored, eligibility not evaluated yet',
  },
  not_eligible: {
    actor: null,
    terminal: true,
    human: false,
    label: 'Prérequis manquants',
    description: 'a hard gate failed (reasons recorded)',
  },
  waitlisted: {
    actor: 'staff',
    terminal: false,
    human: true,
    label: "Liste d'attente",
    description: 'eligible but phase closed or département cap reached; staff opens a phase or frees slots',
  },
  address_confirmation: {
    actor: 'actor',
    terminal: false,
    human: true,
    label: 'Adresse e-mail à confirmer',
    description:
      'the applicant opens the sign-in link sent to their address (first sign-in); until then the application waits before staff review',
  },
  staff_review: {
    actor: 'staff',
    terminal: false,
    human: true,
    label: "Examen par l'équipe",
    description: 'first human review (approve / reject / request_changes)',
  },
  network_attestation: {
    actor: 'system',
    terminal: false,
    human: false,
    label: 'Attestation du réseau',
    description:
      "a listed member of a network whose agreement is in force: the network's attestation (its agreement and member import) takes the place of the staff review",
  },
  changes_requested: {
    actor: 'actor',
    terminal: false,
    human: true,
    label: 'Modifications demandées',
    description: 'the actor must resubmit a corrected document',
  },
  actor_commitments: {
    actor: 'actor',
    terminal: false,
    human: true,
    label: 'Engagements à signer',
    description: 'actor signs Charte + CGU and confirms the Kit subscription',
  },
  final_approval: {
    actor: 'staff',
    terminal: false,
    human: true,
    label: 'Validation finale',
    description: 'last human check (approve / reject / request_changes)',
  },
  qualified: {
    actor: null,
    terminal: true,
    human: false,
    label: 'Qualifié',
    description: 'qualified; places published (if agreed)',
  },
  rejected: { actor: null, terminal: true, human: false, label: 'Refusée', description: 'staff rejected' },
  expired: { actor: null, terminal: true, human: false, label: 'Expirée', description: 'a human step timed out' },
  failed: {
    actor: null,
    terminal: true,
    human: false,
    label: 'Erreur technique',
    description: 'a technical error ended the workflow (error recorded)',
  },
  // Terminal for the workflow (no execution runs), but staff may reinstate: see LIFECYCLE_TRANSITIONS.
  suspended: {
    actor: null,
    terminal: true,
    human: false,
    label: 'Qualification suspendue',
    description: 'staff suspended the qualification (reason recorded); places off the map; staff may reinstate',
  },
  withdrawn: {
    actor: null,
    terminal: true,
    human: false,
    label: 'Retirée',
    description: 'staff withdrew the qualification, or the application was withdrawn (erasure) before its end',
  },
} as const satisfies Record<Stage, StageInfo>;

export const STAGES: Readonly<Record<Stage, StageInfo>> = Object.freeze(STAGE_TABLE);

/** A human step ("task"): a non-terminal stage where a person acts; each opens a task and a callback Task. */
export type HumanStep = { [K in Stage]: (typeof STAGE_TABLE)[K]['human'] extends true ? K : never }[Stage];
/** A human step decided by staff in the console (approve / reject / request changes, or release). */
export type StaffStep = {
  [K in Stage]: (typeof STAGE_TABLE)[K] extends { human: true; actor: 'staff' } ? K : never;
}[Stage];

// Every non-terminal stage can fail technically; every human step can time out.
export const TRANSITIONS: Readonly<Record<Stage, Readonly<Partial<Record<PathEvent, Stage>>>>> = Object.freeze({
  submitted: {
    evaluated_eligible: 'staff_review',
    address_requested: 'address_confirmation',
    evaluated_not_eligible: 'not_eligible',
    evaluated_waitlist: 'waitlisted',
    attested: 'network_attestation',
    failed: 'failed',
  },
  // Staff release (→ evaluated again → review) or refuse a waitlisted application; a release re-evaluates it, and
  // a configuration changed meanwhile may find a prerequisite missing.
  waitlisted: {
    released: 'staff_review',
    attested: 'network_attestation',
    address_requested: 'address_confirmation',
    rejected: 'rejected',
    evaluated_not_eligible: 'not_eligible',
    timed_out: 'expired',
    failed: 'failed',
  },
  // The first sign-in link confirms the address; unconfirmed, the application expires and its SIRET claim lapses.
  address_confirmation: {
    confirmed: 'staff_review',
    attested: 'network_attestation',
    timed_out: 'expired',
    failed: 'failed',
  },
  // The attestation stands for the staff review's approval; nothing waits here (no human, no timeout).
  network_attestation: { approved: 'actor_commitments', failed: 'failed' },
  staff_review: {
    approved: 'actor_commitments',
    rejected: 'rejected',
    changes_requested: 'changes_requested',
    timed_out: 'expired',
    failed: 'failed',
  },
  changes_requested: { resubmitted: 'submitted', timed_out: 'expired', failed: 'failed' },
  actor_commitments: { committed: 'final_approval', timed_out: 'expired', failed: 'failed' },
  final_approval: {
    approved: 'qualified',
    rejected: 'rejected',
    changes_requested: 'changes_requested',
    timed_out: 'expired',
    failed: 'failed',
  },
  not_eligible: {},
  qualified: {},
  rejected: {},
  expired: {},
  failed: {},
  suspended: {},
  withdrawn: {},
});

/**
 * Moves outside the state machine, made by use cases (shared/usecases/lifecycle.ts, erasure.ts) on an application
 * whose workflow has ended or is being stopped. Kept apart from TRANSITIONS on purpose: the workflow's `enterStage`
 * only follows TRANSITIONS, so a retried Task can never turn a suspension back into `qualified`.
 * - staff suspend a qualification (reinstate it later) or withdraw it for good;
 * - an application erased before its end (execution stopped) ends `withdrawn`.
 */
export const LIFECYCLE_TRANSITIONS: Readonly<Record<Stage, Readonly<Partial<Record<PathEvent, Stage>>>>> =
  Object.freeze({
    submitted: { withdrawn: 'withdrawn' },
    waitlisted: { withdrawn: 'withdrawn' },
    address_confirmation: { withdrawn: 'withdrawn' },
    staff_review: { withdrawn: 'withdrawn' },
    network_attestation: { withdrawn: 'withdrawn' },
    changes_requested: { withdrawn: 'withdrawn' },
    actor_commitments: { withdrawn: 'withdrawn' },
    final_approval: { withdrawn: 'withdrawn' },
    qualified: { suspended: 'suspended', withdrawn: 'withdrawn' },
    suspended: { reinstated: 'qualified', withdrawn: 'withdrawn' },
    not_eligible: {},
    rejected: {},
    expired: {},
    failed: {},
    withdrawn: {},
  });

/**
 * Stages that end an application without a qualification: its SIRET and its département slot are given back
 * (at once, or after `retention.rejectedSiretDays` for `rejected`). `failed` is not one: a technical fault that staff
 * may resume keeps both (staff can release the SIRET by hand).
 */
export const ENDED_WITHOUT_QUALIFICATION: readonly Stage[] = Object.freeze([
  'not_eligible',
  'rejected',
  'expired',
  'withdrawn',
]);

export function endedWithoutQualification(stage: Stage): boolean {
  return ENDED_WITHOUT_QUALIFICATION.includes(stage);
}

/** The stage a lifecycle move leads to, or IllegalTransitionError. */
export function lifecycleTransition(stage: Stage, event: PathEvent): Stage {
  const next = isStage(stage) ? LIFECYCLE_TRANSITIONS[stage][event] : undefined;
  if (!next) throw new IllegalTransitionError(String(stage), String(event));
  return next;
}

export const HUMAN_STEPS: readonly HumanStep[] = Object.freeze(
  STAGE_NAMES.filter((s): s is HumanStep => STAGES[s].human),
);
export const STAFF_STEPS: readonly StaffStep[] = Object.freeze(
  HUMAN_STEPS.filter((s): s is StaffStep => STAGES[s].actor === 'staff'),
);
export const TERMINAL_STAGES: readonly Stage[] = Object.freeze(STAGE_NAMES.filter((s) => STAGES[s].terminal));

/** zod enum of the human steps, for inputs that name one (task filters, Task events). */
export const HumanStepSchema = z.enum(HUMAN_STEPS as [HumanStep, ...HumanStep[]]);

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && Object.hasOwn(STAGES, value);
}

export function isPathEvent(value: unknown): value is PathEvent {
  return typeof value === 'string' && (PATH_EVENTS as readonly string[]).includes(value);
}

export function isTerminal(stage: Stage): boolean {
  return STAGES[stage].terminal;
}

export function isHumanStep(stage: Stage): stage is HumanStep {
  return STAGES[stage].human;
}

export function isStaffStep(stage: Stage): stage is StaffStep {
  return STAGES[stage].human && STAGES[stage].actor === 'staff';
}

/** Events accepted in a stage. */
export function allowedEvents(stage: Stage): PathEvent[] {
  return Object.keys(TRANSITIONS[stage] ?? {}) as PathEvent[];
}

/** The event that moves `from` to `to` in one step, or null when the path has no such move. */
export function eventBetween(from: Stage, to: Stage): PathEvent | null {
  if (!isStage(from)) return null;
  for (const [event, next] of Object.entries(TRANSITIONS[from])) if (next === to) return event as PathEvent;
  return null;
}

/** Next stage, or IllegalTransitionError (also for unknown stages/events coming from stored data). */
export function transition(stage: Stage, event: PathEvent): Stage {
  const next = isStage(stage) ? TRANSITIONS[stage][event] : undefined;
  if (!next) throw new IllegalTransitionError(String(stage), String(event));
  return next;
}
