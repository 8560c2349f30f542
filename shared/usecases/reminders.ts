import { SendTaskHeartbeatCommand } from '@aws-sdk/client-sfn';
import type { Stage } from '../domain/path.js';
import { redeliverClaimed } from './decisions.js';
import { sendOverdueDigest } from './digest.js';
import { notifyStage } from './notify.js';
import type { Deps } from './ports.js';

const DAY_MS = 86_400_000;

/** Steps where the actor is the one to act: they get the reminder; staff see waiting time in the inbox. */
const ACTOR_STEPS: readonly Stage[] = ['address_confirmation', 'changes_requested', 'actor_commitments'];

/**
 * The reminder loop behind HeartbeatSeconds: run on a schedule (EventBridge on AWS, a timer on one machine). For each
 * open human step it sends SendTaskHeartbeat, so an open step only times out at its TimeoutSeconds while the
 * backend is alive, and a step whose backend stopped caring (no heartbeats) ends by itself. It also reminds the actor
 * of a step waiting on them, once per `reminderDays` period (deterministic message keys: a rerun sends nothing twice).
 * First, it delivers decisions a crash left claimed but undelivered (`redeliverUndelivered`).
 */
export async function sendReminders(deps: Deps): Promise<{
  heartbeats: number;
  stale: number;
  reminders: number;
  digests: number;
  redelivered: number;
  staleDecisions: number;
}> {
  const config = await deps.config();
  const now = deps.clock().getTime();
  let swept = { redelivered: 0, staleDecisions: 0 };
  try {
    swept = await redeliverUndelivered(deps);
  } catch (err) {
    deps.logger.warn({ err }, 'undelivered decisions sweep failed');
  }
  let cursor: string | undefined;
  let heartbeats = 0;
  let stale = 0;
  let reminders = 0;
  do {
    const page = await deps.store.tasks.inbox({}, { limit: 100, cursor });
    for (const task of page.tasks) {
      try {
        await deps.sfn.send(new SendTaskHeartbeatCommand({ taskToken: task.token }));
        heartbeats++;
      } catch (err) {
        const name = (err as Error).name;
        if (name === 'TaskTimedOut' || name === 'TaskDoesNotExist' || name === 'InvalidToken') {
          // The execution no longer waits on this token (timed out, stopped, or restarted with a new token).
          const current = await deps.store.tasks.get(task.taskId);
          if (current?.token === task.token) {
            await deps.store.tasks.cancel(task.taskId, {
              by: 'system',
              at: new Date(now).toISOString(),
              reason: 'stale_token',
            });
            stale++;
          }
          continue;
        }
        deps.logger.warn({ err, taskId: task.taskId }, 'heartbeat failed');
      }
      const waitedDays = (now - new Date(task.openedAt).getTime()) / DAY_MS;
      const period = Math.floor(waitedDays / config.workflow.reminderDays);
      if (period >= 1 && ACTOR_STEPS.includes(task.step)) {
        const app = await deps.store.applications.get(task.applicationId);
        if (app && app.stage === task.step) {
          await notifyStage(deps, app, task.step, app.round, `reminder-${period}`);
          reminders++;
        }
      }
    }
    cursor = page.next;
  } while (cursor);
  // The staff side of the same job: once a day, overdue steps to their assignees and to the admins (digest.ts).
  let digests = 0;
  try {
    digests = (await sendOverdueDigest(deps)).sent;
  } catch (err) {
    deps.logger.warn({ err }, 'overdue digest failed');
  }
  return { heartbeats, stale, reminders, digests, ...swept };
}

/** Per run: a backlog (an outage) is worked through over several runs. */
const SWEEP_BATCH = 100;

/**
 * Decisions claimed more than `workflow.redeliverAfterSeconds` ago and never delivered (the function died between
 * the claim and the call to Step Functions): on one machine the resumed execution also gets them (openTaskStep), on
 * AWS nothing else would, and the step would wait until its timeout. Each is delivered or, when Step Functions no
 * longer waits on its token, closed (decisions.ts `redeliverClaimed`); either way it leaves the listing.
 */
export async function redeliverUndelivered(deps: Deps): Promise<{ redelivered: number; staleDecisions: number }> {
  const config = await deps.config();
  const before = new Date(deps.clock().getTime() - config.workflow.redeliverAfterSeconds * 1000).toISOString();
  let redelivered = 0;
  let staleDecisions = 0;
  for (const task of await deps.store.tasks.listUndelivered(before, SWEEP_BATCH)) {
    try {
      const outcome = await redeliverClaimed(deps, task);
      if (outcome === 'delivered') redelivered++;
      if (outcome === 'stale') staleDecisions++;
    } catch (err) {
      // Throttled or unreachable: still listed, the next run tries again.
      deps.logger.warn({ err, taskId: task.taskId }, 'claimed decision not delivered; retried on the next run');
    }
  }
  return { redelivered, staleDecisions };
}
