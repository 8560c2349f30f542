import { eraseApplication } from './erasure.js';
import { releaseSiretOf } from './lifecycle.js';
import type { Deps } from './ports.js';
import { purgeUnlinkedSupportRequests } from './support-data.js';

const DAY_MS = 86_400_000;

export interface RetentionReport {
  /** Chat conversations (drafts and transcripts) deleted after `retention.chatDays` without activity. */
  conversations: number;
  /** SIRETs of rejected applications released after `retention.rejectedSiretDays`. */
  sirets: number;
  /** Applications ended without qualification, anonymised after `retention.endedApplicationDays`. */
  anonymised: number;
  /** Expired sessions (and, once they exist, actor sign-in codes) deleted. */
  expired: number;
  /**
   * Support requests with no application anonymised (`retention.supportAnsweredDays` after the last answer,
   * `retention.supportOpenDays` after opening when unanswered); those of an application follow its erasure.
   */
  supportRequests: number;
  /** Items that could not be handled this run (logged; the next run tries again). */
  failed: number;
}

/** Per run and per kind: a big backlog is worked through over several runs instead of one long invocation. */
const BATCH = 100;

/**
 * The retention job, run on a schedule on both hosts (EventBridge on AWS, a timer on one machine): dynalite never
 * expires TTL items and DynamoDB does so only eventually, so this job is the guarantee. Every step reads an index
 * listing of what is due (no Scan) and is idempotent: what it handled leaves its listing, a rerun finds less to do.
 */
export async function runRetention(deps: Deps, options: { batch?: number } = {}): Promise<RetentionReport> {
  const batch = options.batch ?? BATCH;
  const config = await deps.config();
  const now = deps.clock();
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const report: RetentionReport = {
    conversations: 0,
    sirets: 0,
    anonymised: 0,
    expired: 0,
    supportRequests: 0,
    failed: 0,
  };
  const attempt = async (what: string, fn: () => Promise<unknown>): Promise<boolean> => {
    try {
      await fn();
      return true;
    } catch (err) {
      report.failed++;
      deps.logger.warn({ err, what }, 'retention step failed; retried on the next run');
      return false;
    }
  };

  for (const d of await deps.store.dialogs.listIdleBefore(before(config.retention.chatDays), batch)) {
    // Conditional on the activity date read: a conversation that came back to life meanwhile stays.
    if (await attempt('conversation', () => deps.store.dialogs.deleteIfIdle(d.conversationId, d.updatedAt))) {
      report.conversations++;
    }
  }

  for (const app of await deps.store.applications.listSiretHeldBefore(
    before(config.retention.rejectedSiretDays),
    batch,
  )) {
    if (await attempt('siret', () => releaseSiretOf(deps, app))) report.sirets++;
  }

  for (const app of await deps.store.applications.listEndedBefore(
    before(config.retention.endedApplicationDays),
    batch,
  )) {
    if (await attempt('anonymise', () => eraseApplication(deps, app, 'system'))) report.anonymised++;
  }

  for (const item of await deps.store.expiring.listExpired(now, batch)) {
    if (await attempt('expired', () => deps.store.expiring.deleteIfExpired(item, now))) report.expired++;
  }

  report.supportRequests = await purgeUnlinkedSupportRequests(
    deps,
    {
      answeredBefore: before(config.retention.supportAnsweredDays),
      openBefore: before(config.retention.supportOpenDays),
      batch,
    },
    attempt,
  );
  return report;
}
