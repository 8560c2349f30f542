import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IllegalTransitionError } from '../../../shared/domain/errors.js';
import { resubmitApplication } from '../../../shared/usecases/actor-steps.js';
import type { Deps } from '../../../shared/usecases/ports.js';
import { resolvePrincipal } from '../../../shared/usecases/principal.js';
import { submitApplication } from '../../../shared/usecases/submit-application.js';
import {
  evaluateStep,
  openTaskStep,
  qualifyStep,
  recordErrorStep,
  recordOutcomeStep,
} from '../../../shared/usecases/workflow.js';
import { siretFor, validApplication } from '../../helpers/fixtures.js';
import { type ConsoleApp, startConsoleApp } from '../console/harness.js';

/**
 * The workflow's stage moves follow the qualification path (shared/domain/path.ts). The use cases are called
 * directly, as the state machine's Tasks call them, on dynalite (the Step Functions client only records).
 */
let app: ConsoleApp;
let deps: Deps;
let serial = 900;
beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  deps = app.deps;
});
afterAll(() => app.close());

async function submitted() {
  const res = await submitApplication(deps, validApplication({ siret: siretFor(serial++) }));
  return res;
}
const stageOf = async (id: string) => (await deps.store.applications.get(id))?.stage;

describe('stage moves along the qualification path', () => {
  it('refuses a move the path does not list, and leaves no open task behind', async () => {
    const { id } = await submitted();
    await expect(openTaskStep(deps, id, 'final_approval', 'token-1')).rejects.toBeInstanceOf(IllegalTransitionError);
    expect(await stageOf(id)).toBe('submitted');
    expect(await deps.store.tasks.list(id)).toEqual([]);
  });

  it('lets staff refuse a waitlisted application', async () => {
    const { id } = await submitted();
    await evaluateStep(deps, id);
    await openTaskStep(deps, id, 'waitlisted', 'token-2');
    await recordOutcomeStep(deps, id, 'rejected');
    expect(await stageOf(id)).toBe('rejected');
  });

  it('keeps a qualification when a later Task fails (Notify): the error is recorded, the stage stays', async () => {
    const { id } = await submitted();
    await openTaskStep(deps, id, 'staff_review', 'token-3');
    await openTaskStep(deps, id, 'actor_commitments', 'token-4');
    await openTaskStep(deps, id, 'final_approval', 'token-5');
    await qualifyStep(deps, id);
    await recordErrorStep(deps, id, { Error: 'MailerError', Cause: 'SES down' });
    const stored = await deps.store.applications.get(id);
    expect(stored).toMatchObject({ stage: 'qualified', error: { name: 'MailerError' } });
    expect((await deps.store.history.list(id)).map((e) => e.type)).toContain('error_recorded');
  });

  it('a corrected document sends the application back to « submitted » in a new round; a stage write of the old round that lags behind is skipped', async () => {
    const { id, actorToken } = await submitted();
    await openTaskStep(deps, id, 'staff_review', 'token-6');
    const principal = await resolvePrincipal(deps, actorToken ?? null);
    // The actor answers as soon as the task exists, before AwaitChanges has written its stage.
    const fastActor: Deps = {
      ...deps,
      store: new Proxy(deps.store, {
        get(target, prop, receiver) {
          if (prop !== 'tasks') return Reflect.get(target, prop, receiver);
          return new Proxy(target.tasks, {
            get(tasks, name, tasksReceiver) {
              if (name !== 'open') return Reflect.get(tasks, name, tasksReceiver);
              return async (...args: Parameters<typeof tasks.open>) => {
                const taskId = await tasks.open(...args);
                const doc = (await target.applications.get(id))?.document;
                await resubmitApplication(deps, principal, id, doc);
                return taskId;
              };
            },
          });
        },
      }),
    };
    await openTaskStep(fastActor, id, 'changes_requested', 'token-7');
    const stored = await deps.store.applications.get(id);
    expect(stored).toMatchObject({ stage: 'submitted', round: 2 });
    expect((await deps.store.history.list(id)).some((e) => e.key === 'r1#changes_requested#entered')).toBe(false);
  });
});
