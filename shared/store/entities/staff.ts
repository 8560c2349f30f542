import { Expression } from '../expression.js';
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

  /**
   * Changes an account only if its role and state are still `expected` (what the caller read): two admins changing
   * one account never overwrite each other blindly. False (nothing written) when the account moved or is absent.
   */
  async change(
    email: string,
    expected: { role: StaffAccount['role']; disabled: boolean },
    next: Partial<Pick<StaffAccount, 'role' | 'disabled' | 'passwordHash'>> & { updatedAt: string; updatedBy: string },
  ): Promise<boolean> {
    const x = new Expression();
    for (const [attr, value] of Object.entries(next)) if (value !== undefined) x.set(attr, value);
    const disabledCondition = expected.disabled
      ? `${x.n('disabled')} = ${x.v(true)}`
      : `(attribute_not_exists(${x.n('disabled')}) OR ${x.n('disabled')} = ${x.v(false)})`;
    const updated = await this.table.updateIf(
      keys.staff(email),
      x,
      `attribute_exists(pk) AND ${x.n('role')} = ${x.v(expected.role)} AND ${disabledCondition}`,
    );
    return updated !== null;
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
