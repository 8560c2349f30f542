import { randomBytes, randomUUID } from 'node:crypto';

// The Deps port lives with the use cases (shared/usecases/ports.ts); these are the runtime's implementations of its
// clock, ids and tokens, used by `buildDeps` and the tests.
export type { Deps } from '../usecases/ports.js';

export const systemClock = (): Date => new Date();
export const newUuid = (): string => randomUUID();
/** 256 random bits, URL-safe; the prefix tells token kinds apart in logs without revealing them. */
export const newRandomToken = (prefix: string): string => `${prefix}_${randomBytes(32).toString('base64url')}`;
