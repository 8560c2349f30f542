import { expiringKeys, keys, normaliseEmail } from '../keys.js';
import { ABSENT, epochSeconds, strip, type TableClient } from '../table-client.js';
import type { SessionItem, StaffAccount } from '../types.js';

/** Staff accounts, keyed by normalised e-mail, listed by e-mail. */
export class StaffStore {
  constructor(private readonly table: TableClient) {}

  /** `onlyIfAbsent` (bootstrap account on a new store): false when the account already exists. */
  async put(account: StaffAccount, options: { onlyIfAbsent?: boolean } = {}): Promise<boolean> {
    const email = normaliseEmail(account.email);
    return this.table.put(
      { ...keys.staff(email), type: 'staff', gsi3pk: 'STAFF', gsi3sk: email, ...account, email },
      options.onlyIfAbsent ? ABSENT : undefined,
    );
  }

  async get(email: string): Promise<StaffAccount | null> {
    return this.table.get<StaffAccount>(keys.staff(email));
  }

  /** Sorted by e-mail. */
  async list(): Promise<StaffAccount[]> {
    return this.table.listType<StaffAccount>('STAFF');
  }
}

/** Sessions (staff, actor, chat), keyed by the hash of their token, with a TTL. */
export class SessionStore {
  constructor(private readonly table: TableClient) {}

  /** With `onlyIfAbsent`, false (nothing written) when an item with that key exists. */
  async put(session: SessionItem, options: { onlyIfAbsent?: boolean } = {}): Promise<boolean> {
    return this.table.put(
      {
        ...keys.session(session.tokenHash),
        type: 'session',
        ...expiringKeys(session.expiresAt, keys.session(session.tokenHash)),
        ...session,
      },
      options.onlyIfAbsent ? ABSENT : undefined,
    );
  }

  /** Null when absent or expired. */
  async get(tokenHash: string): Promise<SessionItem | null> {
    const item = await this.table.get<SessionItem>(keys.session(tokenHash));
    return item && item.expiresAt > epochSeconds(this.table.now()) ? item : null;
  }

  /**
   * A staff session and its account in one round trip (BatchGetItem): the account is read on every staff request
   * (a disabled account loses its sessions at once), so it is fetched with the session instead of after it.
   * The session is null when absent, expired, or not the given account's.
   */
  async getWithAccount(
    tokenHash: string,
    email: string,
  ): Promise<{ session: SessionItem | null; account: StaffAccount | null }> {
    const sessionKey = keys.session(tokenHash);
    const staffKey = keys.staff(email);
    const items = await this.table.batchGet([sessionKey, staffKey]);
    const find = (k: { pk: string; sk: string }) => items.find((i) => i.pk === k.pk && i.sk === k.sk);
    const session = find(sessionKey);
    const account = find(staffKey);
    const live =
      session &&
      (session.expiresAt as number) > epochSeconds(this.table.now()) &&
      session.subject === normaliseEmail(email)
        ? strip<SessionItem>(session)
        : null;
    return { session: live, account: account ? strip<StaffAccount>(account) : null };
  }

  async delete(tokenHash: string): Promise<void> {
    await this.table.delete(keys.session(tokenHash));
  }
}
