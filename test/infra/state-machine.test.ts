import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib/core';
import { describe, expect, it, vi } from 'vitest';
import { extractAsl, forEachState } from '../../infra/asl.js';
import { PROJECT_ROOT } from '../../infra/constructs/app-function.js';
import { STATE_NAMES } from '../../infra/constructs/qualification-state-machine.js';
import { TRANSIENT_ERRORS } from '../../infra/defaults.js';
import type { Json } from './fixture.js';

// Prepare: the definition exactly as the local engine gets it (built from the CDK stack, placeholders in place).
const { definition, tasks, placeholders } = extractAsl();
const states = definition.States as Record<string, Json>;

function allStates(): [string, Json][] {
  const out: [string, Json][] = [];
  forEachState(definition, (name, state) => out.push([name, state]));
  return out;
}
const taskStates = () => allStates().filter(([, s]) => s.Type === 'Task');
const callbackStates = () => taskStates().filter(([, s]) => String(s.Resource).endsWith('.waitForTaskToken'));

/** JSONPath subset used by our Choice rules: `$.a.b`. */
function read(input: Json, p: string): { present: boolean; value?: Json } {
  let cur = input;
  for (const key of p
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)) {
    if (cur === null || typeof cur !== 'object' || !(key in cur)) return { present: false };
    cur = cur[key];
  }
  return { present: true, value: cur };
}

function matches(rule: Json, input: Json): boolean {
  if (rule.And) return rule.And.every((r: Json) => matches(r, input));
  if (rule.Or) return rule.Or.some((r: Json) => matches(r, input));
  if (rule.Not) return !matches(rule.Not, input);
  const v = read(input, rule.Variable);
  if ('IsPresent' in rule) return v.present === rule.IsPresent;
  if (!v.present) throw new Error(`States.Runtime: ${rule.Variable} missing`);
  if ('StringEquals' in rule) return v.value === rule.StringEquals;
  if ('BooleanEquals' in rule) return v.value === rule.BooleanEquals;
  throw new Error(`operator not handled by the test walker: ${JSON.stringify(rule)}`);
}

/**
 * Walk the definition as an execution would, with every human step approved and every Task's result at its
 * ResultPath; returns the states entered, in order.
 */
function walk(input: Json, results: Record<string, Json>, maxSteps = 100): string[] {
  const visited: string[] = [];
  let name: string | undefined = definition.StartAt as string;
  const data = structuredClone(input);
  while (name) {
    visited.push(name);
    if (visited.length > maxSteps) throw new Error(`no end after ${maxSteps} states: ${visited.join(' → ')}`);
    const s: Json = states[name];
    if (s.Type === 'Succeed' || s.Type === 'Fail') break;
    if (s.Type === 'Choice') {
      const hit = (s.Choices as Json[]).find((r) => matches(r, data));
      name = hit ? hit.Next : s.Default;
      continue;
    }
    if ((s.Type === 'Task' || s.Type === 'Pass') && typeof s.ResultPath === 'string') {
      const value = s.Type === 'Pass' ? s.Result : (results[name] ?? { decision: 'approve', by: 'staff' });
      const key = s.ResultPath.replace(/^\$\./, '');
      if (s.ResultPath !== '$') data[key] = value;
    }
    name = s.Next;
  }
  return visited;
}

describe('qualification state machine (ASL from the CDK stack)', () => {
  it('has exactly the documented state names', () => {
    const names = allStates()
      .map(([n]) => n)
      .sort();
    expect(names).toEqual(Object.values(STATE_NAMES).sort());
    expect(definition.StartAt).toBe('ResumeAt');
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
  });

  it('contains every state name listed in docs/modules.md', () => {
    const doc = readFileSync(path.join(PROJECT_ROOT, 'docs/modules.md'), 'utf8');
    // The list of names, up to the paragraph on callbacks (which names API calls and error names, not states).
    const start = doc.indexOf('## Step Functions state names');
    const body = doc.slice(start, doc.indexOf('Callback tasks invoke', start));
    // `Name`… marks an elided example in the doc, not a state.
    const documented = [...body.matchAll(/`([A-Z][A-Za-z]+)`(?!…)/g)].map((m) => m[1]!);
    expect(documented.length).toBeGreaterThan(10);
    for (const name of documented) expect(Object.keys(states), name).toContain(name);
  });

  it('gives every Task (nested ones too) a Retry on transient errors and a Catch', () => {
    const all = taskStates();
    expect(all.length).toBe(14);
    for (const [name, s] of all) {
      const retriedErrors = (s.Retry ?? []).flatMap((r: Json) => r.ErrorEquals);
      expect(retriedErrors, name).toEqual(expect.arrayContaining([...TRANSIENT_ERRORS]));
      for (const r of s.Retry) {
        expect(r.MaxAttempts, name).toBe(3);
        expect(r.BackoffRate, name).toBe(2);
        expect(r.IntervalSeconds, name).toBeGreaterThanOrEqual(1);
        expect(r.IntervalSeconds, name).toBeLessThanOrEqual(2);
        expect(r.ErrorEquals, name).not.toContain('States.ALL');
      }
      const last = (s.Catch as Json[]).at(-1);
      expect(last.ErrorEquals, name).toEqual(['States.ALL']);
      expect(last.Next, name).toBe(name === 'RecordError' ? 'Failed' : 'RecordError');
      if (name !== 'RecordError') expect(last.ResultPath, name).toBe('$.error');
    }
    expect(states.Failed.Type).toBe('Fail');
    expect(states.RecordError.Next).toBe('Failed');
  });

  it('bounds every callback Task: TimeoutSeconds and a shorter HeartbeatSeconds', () => {
    const callbacks = callbackStates();
    expect(callbacks.map(([n]) => n).sort()).toEqual(
      [
        'ActorCommitments',
        'AddressConfirmation',
        'AwaitChanges',
        'StaffFinalApproval',
        'StaffReview',
        'Waitlist',
      ].sort(),
    );
    for (const [name, s] of callbacks) {
      expect(s.TimeoutSeconds, name).toBeGreaterThan(0);
      expect(s.HeartbeatSeconds, name).toBeGreaterThan(0);
      expect(s.HeartbeatSeconds, name).toBeLessThan(s.TimeoutSeconds);
      // A Standard execution lasts one year at most.
      expect(s.TimeoutSeconds, name).toBeLessThan(365 * 86_400);
      expect(s.Parameters.Payload['taskToken.$'], name).toBe('$$.Task.Token');
    }
    expect(states.Waitlist.Parameters.Payload).toEqual({
      'applicationId.$': '$.applicationId',
      'round.$': '$.round',
      step: 'waitlisted',
      'taskToken.$': '$$.Task.Token',
      'execution.$': '$$.Execution.Id',
    });
  });

  it('routes decisions: Rejected, ChangesRequested and timeouts to their recorders', () => {
    const catchOf = (state: string, error: string) =>
      (states[state].Catch as Json[]).find((c) => c.ErrorEquals.includes(error))?.Next;
    for (const step of ['StaffReview', 'StaffFinalApproval']) {
      expect(catchOf(step, 'Rejected')).toBe('RecordRejected');
      expect(catchOf(step, 'ChangesRequested')).toBe('AwaitChanges');
    }
    expect(catchOf('Waitlist', 'Rejected')).toBe('RecordRejected');
    for (const [name] of callbackStates()) {
      expect(catchOf(name, 'States.Timeout'), name).toBe('RecordExpired');
      expect(catchOf(name, 'States.HeartbeatTimeout'), name).toBe('RecordExpired');
    }
    expect(states.AwaitChanges.Next).toBe('EvaluateEligibility');
    expect(states.RecordRejected.Next).toBe('Rejected');
    expect(states.RecordExpired.Next).toBe('Expired');
    expect(states.RecordNotEligible.Next).toBe('NotEligible');
    expect(states.Rejected.Type).toBe('Succeed');
    expect(states.Expired.Type).toBe('Succeed');
    expect(states.NotEligible.Type).toBe('Succeed');
    for (const name of ['RecordRejected', 'RecordExpired', 'RecordNotEligible']) {
      expect(tasks[name]?.function, name).toBe('recordOutcome');
    }
    expect(states.RecordRejected.Parameters.outcome).toBe('rejected');
    expect(states.RecordExpired.Parameters.outcome).toBe('expired');
    expect(states.RecordNotEligible.Parameters.outcome).toBe('not_eligible');
  });

  it('waits for the address confirmation before staff review unless the evaluation says it is confirmed', () => {
    const unconfirmed = walk(
      { applicationId: 'a', round: 1 },
      { EvaluateEligibility: { outcome: 'review', route: 'libre' } },
    );
    expect(unconfirmed.indexOf('AddressConfirmation')).toBeGreaterThan(unconfirmed.indexOf('AddressChoice'));
    expect(unconfirmed.indexOf('StaffReview')).toBeGreaterThan(unconfirmed.indexOf('AddressConfirmation'));
    const confirmed = walk(
      { applicationId: 'a', round: 1 },
      { EvaluateEligibility: { outcome: 'review', route: 'libre', addressConfirmed: true } },
    );
    expect(confirmed).not.toContain('AddressConfirmation');
    expect(confirmed).toContain('StaffReview');
  });

  it('keeps the happy path within 25 state transitions, for every route', () => {
    for (const route of ['reseau', 'territoriale', 'libre']) {
      const path = walk({ applicationId: 'a', round: 1 }, { EvaluateEligibility: { outcome: 'review', route } });
      expect(path.at(-1)).toBe('Qualified');
      expect(path.length - 1, path.join(' → ')).toBeLessThanOrEqual(25);
      expect(path).toEqual(
        expect.arrayContaining(['StaffReview', 'ActorCommitments', 'StaffFinalApproval', 'Qualify', 'Notify']),
      );
    }
    // Through the waitlist: released, evaluated again, then reviewed.
    let waited = 0;
    const viaWaitlist = walk(
      { applicationId: 'a', round: 1 },
      new Proxy({} as Record<string, Json>, {
        get: (_t, k) =>
          k === 'EvaluateEligibility' ? { outcome: waited++ === 0 ? 'waitlist' : 'review', route: 'libre' } : undefined,
      }),
    );
    expect(viaWaitlist.at(-1)).toBe('Qualified');
    expect(viaWaitlist.length - 1).toBeLessThanOrEqual(25);
  });

  it('has the network attestation branch: a listed member in force skips the staff review, nobody else does', () => {
    const start = { applicationId: 'a', round: 1 };
    const member = { outcome: 'review', route: 'reseau', status: 'eligible_now', addressConfirmed: true };
    const attested = walk(start, {
      EvaluateEligibility: member,
      NetworkAttestation: { attested: true, networkId: 'n', networkName: 'N', agreementSignedAt: '2026-01-01' },
    });
    expect(attested).toEqual(
      expect.arrayContaining(['RouteReseau', 'ReviewChoice', 'NetworkAttestation', 'AttestationChoice']),
    );
    expect(attested).not.toContain('StaffReview');
    // The actor's commitments and the final approval stay.
    expect(attested.slice(attested.indexOf('AttestationChoice'))).toEqual([
      'AttestationChoice',
      'ActorCommitments',
      'StaffFinalApproval',
      'Qualify',
      'Notify',
      'Qualified',
    ]);
    // Unconfirmed address: the confirmation first, then the attestation.
    const unconfirmed = walk(start, {
      EvaluateEligibility: { ...member, addressConfirmed: false },
      NetworkAttestation: { attested: true },
    });
    expect(unconfirmed.indexOf('NetworkAttestation')).toBeGreaterThan(unconfirmed.indexOf('AddressConfirmation'));
    expect(unconfirmed).not.toContain('StaffReview');
    // The membership gone by the time of the attestation: back to the staff review.
    const lapsed = walk(start, { EvaluateEligibility: member, NetworkAttestation: { attested: false } });
    expect(lapsed.slice(lapsed.indexOf('NetworkAttestation'), lapsed.indexOf('NetworkAttestation') + 3)).toEqual([
      'NetworkAttestation',
      'AttestationChoice',
      'StaffReview',
    ]);
    // A member whose evaluation needs a human look, and the other routes: the staff review, no attestation.
    for (const evaluation of [
      { ...member, status: 'needs_human_review' },
      { ...member, route: 'territoriale' },
      { ...member, route: 'libre' },
    ]) {
      const path = walk(start, { EvaluateEligibility: evaluation });
      expect(path, JSON.stringify(evaluation)).toContain('StaffReview');
      expect(path, JSON.stringify(evaluation)).not.toContain('NetworkAttestation');
    }
    expect(walk(start, { EvaluateEligibility: { ...member, status: 'needs_human_review' } })).toContain(
      'RouteReseauReview',
    );
    // In the definition itself: the Choice on the route, the Task that records the attestation, its function.
    expect(states.RouteChoice.Choices[0]).toMatchObject({ Next: 'RouteReseau' });
    expect(JSON.stringify(states.RouteChoice.Choices[0])).toContain('"StringEquals":"reseau"');
    expect(states.RouteReseau.Result).toEqual({ kind: 'network_attestation' });
    expect(states.NetworkAttestation).toMatchObject({ Type: 'Task', ResultPath: '$.attestation' });
    expect(states.NetworkAttestation.Next).toBe('AttestationChoice');
    expect(tasks.NetworkAttestation).toMatchObject({ function: 'attest', callback: false });
    expect(tasks.NetworkAttestation?.entry).toBe('functions/workflow/attest.ts');
  });

  it('resumes at the recorded stage, and fails loudly on an unknown one', () => {
    const first = (resumeStage?: string) => {
      const input =
        resumeStage === undefined ? { applicationId: 'a', round: 1 } : { applicationId: 'a', round: 1, resumeStage };
      const hit = (states.ResumeAt.Choices as Json[]).find((r) => matches(r, input));
      return hit ? hit.Next : states.ResumeAt.Default;
    };
    expect(first(undefined)).toBe('EvaluateEligibility');
    expect(first('submitted')).toBe('EvaluateEligibility');
    expect(first('waitlisted')).toBe('Waitlist');
    expect(first('address_confirmation')).toBe('AddressConfirmation');
    expect(first('staff_review')).toBe('StaffReview');
    expect(first('network_attestation')).toBe('NetworkAttestation');
    expect(first('changes_requested')).toBe('AwaitChanges');
    expect(first('actor_commitments')).toBe('ActorCommitments');
    expect(first('final_approval')).toBe('StaffFinalApproval');
    expect(first('qualified')).toBe('Failed');
  });

  it('passes ids only to the handlers (no document, no personal data in the execution)', () => {
    const allowed = new Set(['$.applicationId', '$.round', '$.error', '$$.Task.Token', '$$.Execution.Id']);
    for (const [name, s] of taskStates()) {
      const params = s.Parameters.Payload ?? s.Parameters;
      for (const [key, value] of Object.entries(params as Record<string, Json>)) {
        if (key.endsWith('.$')) expect(allowed, `${name}.${key}`).toContain(value);
      }
    }
  });

  it('maps every Task to a handler module through a stable placeholder', () => {
    expect(Object.keys(tasks).sort()).toEqual(
      taskStates()
        .map(([n]) => n)
        .sort(),
    );
    for (const [name, t] of Object.entries(tasks)) {
      expect(existsSync(path.join(PROJECT_ROOT, t.entry)), `${name} → ${t.entry}`).toBe(true);
      expect(t.placeholder, name).toMatch(/^arn:aws:lambda:local:000000000000:function:[A-Za-z]+Fn$/);
      expect(placeholders[t.placeholder], name).toMatch(/\/[A-Za-z]+Fn$/);
    }
    expect(tasks.EvaluateEligibility?.placeholder).toBe('arn:aws:lambda:local:000000000000:function:EvaluateFn');
    expect(tasks.StaffReview).toMatchObject({ function: 'openTask', callback: true });
    const text = JSON.stringify(definition);
    expect(text).not.toMatch(/Fn::|\$\{Token|"Ref"/);
  });

  it('is cached, and each caller gets its own copy', () => {
    // A cached call builds no stack (so resolves nothing); how long it takes is measured by `npm run bench -- asl`.
    const resolve = vi.spyOn(Stack.prototype, 'resolve');
    let again: ReturnType<typeof extractAsl>;
    try {
      again = extractAsl();
      expect(resolve).not.toHaveBeenCalled();
    } finally {
      resolve.mockRestore();
    }
    expect(again.definition).toEqual(definition);
    (again.definition.States as Json).ResumeAt.Type = 'Pass';
    expect((extractAsl().definition.States as Json).ResumeAt.Type).toBe('Choice');
  });

  it('takes a test-friendly callback timeout override', () => {
    const fast = extractAsl({ callbackTimeoutOverride: { timeoutSeconds: 4, heartbeatSeconds: 2 } });
    for (const [name, s] of Object.entries(fast.definition.States as Record<string, Json>)) {
      if (String(s.Resource).endsWith('.waitForTaskToken')) {
        expect([s.TimeoutSeconds, s.HeartbeatSeconds], name).toEqual([4, 2]);
      }
    }
    expect(() => extractAsl({ callbackTimeoutOverride: { timeoutSeconds: 2, heartbeatSeconds: 2 } })).toThrow(
      /heartbeat/,
    );
  });
});
