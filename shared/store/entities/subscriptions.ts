import { keys } from '../keys.js';
import type { TableClient } from '../table-client.js';
import type { SubscriptionItem } from '../types.js';

const SUBSCRIPTIONS = 'SUBSCRIPTIONS';

/**
 * Kit subscriptions, for billing: one item per application under its partition (written when the actor accepts the
 * commitments, with the price and period in force then), listed by acceptance date without a Scan. The item holds no
 * personal data: the listing joins the application for its name and stage (the subscription starts at qualification).
 */
export class SubscriptionStore {
  constructor(private readonly table: TableClient) {}

  /** Records (or re-records, same round of commitments) the subscription. */
  async put(sub: SubscriptionItem): Promise<void> {
    await this.table.put({
      ...keys.subscription(sub.applicationId),
      type: 'subscription',
      gsi3pk: SUBSCRIPTIONS,
      gsi3sk: `${sub.acceptedAt}#${sub.applicationId}`,
      ...sub,
    });
  }

  async get(applicationId: string): Promise<SubscriptionItem | null> {
    return this.table.get<SubscriptionItem>(keys.subscription(applicationId));
  }

  /** Every subscription, oldest acceptance first (billing reads them all; one small item each). */
  async list(): Promise<SubscriptionItem[]> {
    return this.table.listType<SubscriptionItem>(SUBSCRIPTIONS);
  }
}
