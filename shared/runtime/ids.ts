import { randomBytes, randomUUID } from 'node:crypto';

// The runtime's clock, ids and tokens: what `buildDeps` gives the use cases' ports (shared/usecases/ports.ts).

export const systemClock = (): Date => new Date();
export const newUuid = (): string => randomUUID();
/** 256 random bits, URL-safe; the prefix tells token kinds apart in logs without revealing them. */
export const newRandomToken = (prefix: string): string => `${prefix}_${randomBytes(32).toString('base64url')}`;
