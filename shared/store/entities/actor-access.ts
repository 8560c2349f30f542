import { keys } from '../keys.js';
import { ABSENT, strip, type TableClient } from '../table-client.js';
import type { SignInCode } from '../types.js';

/**
 * The actor's way back (docs/actor.md): which applications an address holds, and the single-use sign-in codes
 * e-mailed to it. Addresses and codes appear only as hashes in keys and items.
 *
 * The address lookup is one small item per (address, application), written when an application is stored or its
 * document changes: a Query on `ACTOR#<hash>` lists the applications, no Scan and no index over personal data.
 * It can go stale (an address changed, an application erased): readers re-check the application's document.
 */
export class ActorAccessStore {
  constructor(private readonly table: TableClient) {}

  /** Idempotent: the same (address, application) pair rewrites the same item. */
  async indexApplication(applicationId: string, emailHashes: readonly string[], at: string): Promise<void> {
    for (const h of new Set(emailHashes)) {
      await this.table.put({ ...keys.actorEmail(h, applicationId), type: 'actor_email', applicationId, at });
    }
  }

  async unindexApplication(applicationId: string, emailHash: string): Promise<void> {
    await this.table.delete(keys.actorEmail(emailHash, applicationId));
  }

  /** Application ids filed under an address hash, most recently indexed first. */
  async applicationsFor(emailHash: string): Promise<string[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': `ACTOR#${emailHash}` },
    });
    return items
      .sort((a, b) => String(b.at ?? '').localeCompare(String(a.at ?? '')))
      .map((i) => String(i.applicationId));
  }

  /** A new code (its hash is random: an existing key means a collision, reported as false). */
  async putCode(code: SignInCode): Promise<boolean> {
    return this.table.put({ ...keys.signInCode(code.codeHash), type: 'signin_code', ...code }, ABSENT);
  }

  /**
   * Uses a code: one conditional write that succeeds only for a code that exists, is unused and has not expired at
   * `nowEpoch`. The code as it was, or null (unknown, used or expired: the caller cannot tell which, nor can anyone).
   */
  async consumeCode(codeHash: string, at: string, nowEpoch: number): Promise<SignInCode | null> {
    const out = await this.table.ifCondition(
      this.table.update({
        Key: keys.signInCode(codeHash),
        UpdateExpression: 'SET usedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND expiresAt > :now',
        ExpressionAttributeValues: { ':at': at, ':now': nowEpoch },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return out?.Attributes ? strip<SignInCode>(out.Attributes) : null;
  }
}
