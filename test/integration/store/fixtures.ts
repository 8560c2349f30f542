import type { ApplicationItem, OpenTaskInput } from '../../../shared/store/store.js';

let seq = 0;

/** A minimal application item; the document is opaque to the store. */
export function application(overrides: Partial<ApplicationItem> = {}): ApplicationItem {
  seq++;
  const now = '2026-11-02T10:00:00.000Z';
  return {
    id: `app-${seq}-${Math.random().toString(36).slice(2, 8)}`,
    version: 1,
    stage: 'submitted',
    status: 'eligible_now',
    phase: 1,
    route: 'libre',
    flags: [],
    reasons: [],
    document: {} as ApplicationItem['document'],
    siret: null,
    departements: ['75'],
    actorTokenHash: 'hash',
    round: 1,
    campaign: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export function task(applicationId: string, overrides: Partial<OpenTaskInput> = {}): OpenTaskInput {
  return {
    applicationId,
    step: 'staff_review',
    round: 1,
    token: `token-${applicationId}`,
    openedAt: '2026-11-02T10:00:00.000Z',
    route: 'libre',
    phase: 1,
    departements: ['75'],
    flags: [],
    assignee: null,
    ...overrides,
  };
}
