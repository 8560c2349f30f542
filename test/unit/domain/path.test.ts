import { describe, expect, it } from 'vitest';
import { IllegalTransitionError } from '../../../shared/domain/errors.js';
import {
  allowedEvents,
  ENDED_WITHOUT_QUALIFICATION,
  eventBetween,
  HUMAN_STEPS,
  isTerminal,
  lifecycleTransition,
  PATH_EVENTS,
  STAGE_NAMES,
  STAGES,
  type Stage,
  TERMINAL_STAGES,
  transition,
} from '../../../shared/domain/path.js';

describe('qualification path', () => {
  it('has the stages and events of docs/modules.md', () => {
    expect(STAGE_NAMES).toEqual([
      'submitted',
      'not_eligible',
      'waitlisted',
      'address_confirmation',
      'staff_review',
      'network_attestation',
      'changes_requested',
      'actor_commitments',
      'final_approval',
      'qualified',
      'rejected',
      'expired',
      'failed',
      'suspended',
      'withdrawn',
    ]);
    expect(PATH_EVENTS).toHaveLength(17);
    expect(HUMAN_STEPS).toEqual([
      'waitlisted',
      'address_confirmation',
      'staff_review',
      'changes_requested',
      'actor_commitments',
      'final_approval',
    ]);
    expect(TERMINAL_STAGES).toEqual([
      'not_eligible',
      'qualified',
      'rejected',
      'expired',
      'failed',
      'suspended',
      'withdrawn',
    ]);
    expect(STAGES.changes_requested.actor).toBe('actor');
    expect(STAGES.staff_review.actor).toBe('staff');
  });

  it('walks the happy path', () => {
    let s: Stage = 'submitted';
    for (const e of ['evaluated_eligible', 'approved', 'committed', 'approved'] as const) s = transition(s, e);
    expect(s).toBe('qualified');
    expect(isTerminal(s)).toBe(true);
  });

  it('waits for the address confirmation before staff review, or expires', () => {
    expect(transition('submitted', 'address_requested')).toBe('address_confirmation');
    expect(transition('waitlisted', 'address_requested')).toBe('address_confirmation');
    expect(transition('address_confirmation', 'confirmed')).toBe('staff_review');
    expect(transition('address_confirmation', 'timed_out')).toBe('expired');
    expect(STAGES.address_confirmation.actor).toBe('actor');
    expect(STAGES.address_confirmation.label).toBe('Adresse e-mail à confirmer');
  });

  it('a listed network member: the attestation instead of the staff review, then the commitments', () => {
    for (const from of ['submitted', 'waitlisted', 'address_confirmation'] as const) {
      expect(transition(from, 'attested')).toBe('network_attestation');
    }
    expect(transition('network_attestation', 'approved')).toBe('actor_commitments');
    expect(eventBetween('network_attestation', 'actor_commitments')).toBe('approved');
    expect(() => transition('network_attestation', 'timed_out')).toThrow(IllegalTransitionError);
    expect(STAGES.network_attestation).toMatchObject({ actor: 'system', human: false, terminal: false });
    expect(HUMAN_STEPS).not.toContain('network_attestation');
  });

  it('waitlist, changes and resubmission', () => {
    expect(transition('submitted', 'evaluated_waitlist')).toBe('waitlisted');
    expect(transition('waitlisted', 'released')).toBe('staff_review');
    expect(transition('staff_review', 'changes_requested')).toBe('changes_requested');
    expect(transition('final_approval', 'changes_requested')).toBe('changes_requested');
    expect(transition('changes_requested', 'resubmitted')).toBe('submitted');
    expect(transition('submitted', 'evaluated_not_eligible')).toBe('not_eligible');
    expect(transition('staff_review', 'rejected')).toBe('rejected');
    expect(transition('final_approval', 'rejected')).toBe('rejected');
    // Staff may refuse a waitlisted application; a release re-evaluates it, which may find a prerequisite missing.
    expect(transition('waitlisted', 'rejected')).toBe('rejected');
    expect(transition('waitlisted', 'evaluated_not_eligible')).toBe('not_eligible');
  });

  it('finds the event between two stages, or none', () => {
    expect(eventBetween('staff_review', 'actor_commitments')).toBe('approved');
    expect(eventBetween('changes_requested', 'submitted')).toBe('resubmitted');
    expect(eventBetween('submitted', 'final_approval')).toBeNull();
    expect(eventBetween('qualified', 'failed')).toBeNull();
    expect(eventBetween('nope' as Stage, 'failed')).toBeNull();
  });

  it('every human step can time out; every non-terminal stage can fail', () => {
    for (const s of HUMAN_STEPS) expect(transition(s, 'timed_out')).toBe('expired');
    for (const s of STAGE_NAMES.filter((x) => !isTerminal(x))) expect(transition(s, 'failed')).toBe('failed');
  });

  it('terminal stages accept nothing; illegal moves throw IllegalTransitionError', () => {
    for (const s of TERMINAL_STAGES) expect(allowedEvents(s)).toEqual([]);
    try {
      transition('qualified', 'approved');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(IllegalTransitionError);
      expect(e).toMatchObject({
        name: 'IllegalTransitionError',
        code: 'illegal_transition',
        from: 'qualified',
        event: 'approved',
      });
    }
    expect(() => transition('submitted', 'approved')).toThrow(IllegalTransitionError);
    expect(() => transition('actor_commitments', 'approved')).toThrow(IllegalTransitionError);
    expect(() => transition('bogus' as Stage, 'approved')).toThrow(IllegalTransitionError);
  });

  it('lifecycle moves (suspend, reinstate, withdraw) live apart from the workflow path', () => {
    expect(lifecycleTransition('qualified', 'suspended')).toBe('suspended');
    expect(lifecycleTransition('suspended', 'reinstated')).toBe('qualified');
    expect(lifecycleTransition('suspended', 'withdrawn')).toBe('withdrawn');
    expect(lifecycleTransition('qualified', 'withdrawn')).toBe('withdrawn');
    for (const s of STAGE_NAMES.filter((x) => !isTerminal(x)))
      expect(lifecycleTransition(s, 'withdrawn')).toBe('withdrawn');
    expect(() => lifecycleTransition('rejected', 'suspended')).toThrow(IllegalTransitionError);
    expect(() => lifecycleTransition('withdrawn', 'reinstated')).toThrow(IllegalTransitionError);
    // The workflow never follows them: a retried Task cannot reinstate a suspended qualification.
    expect(eventBetween('suspended', 'qualified')).toBeNull();
    expect(eventBetween('qualified', 'suspended')).toBeNull();
    expect(ENDED_WITHOUT_QUALIFICATION).toEqual(['not_eligible', 'rejected', 'expired', 'withdrawn']);
  });
});
