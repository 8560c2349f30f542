import { ABSENT, strip, type TableClient } from '../table-client.js';
import type { TerritorySnapshotStore } from './territory-snapshot.js';

export const FINANCEUR_TYPES = [
  'region',
  'departement',
  'epci',
  'commune',
  'ccas',
  'operateur',
  'fondation',
  'entreprise',
  'autre',
] as const;
export type FinanceurType = (typeof FINANCEUR_TYPES)[number];

/** A pass injection (an order of a financer, once validated), as stored: the current version. */
export interface PassInjection {
  id: string;
  /** 1 when created, +1 per correction (optimistic locking). */
  version: number;
  financeur: string;
  financeurType: FinanceurType;
  territoire: { niveau: 'commune' | 'epci' | 'departement'; code: string; nom: string };
  passes: number;
  /** Face value of one pass, € (default 10). */
  valeurFaciale: number;
  /** ISO dates (YYYY-MM-DD). */
  date: string;
  finValidite: string;
  /** The département(s) the territory rolls up to, with their share of the passes (summing to `passes`). */
  departements: { code: string; passes: number }[];
  source: 'console' | 'import';
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

/**
 * Pass injections. Layout (keys.ts):
 * | injection | INJECTION#<id> | INJECTION | gsi3 INJECTIONS / <date>#<id>            (all, by date: the territory view) |
 * | link      | INJECTION#<id> | DEP#<dep> | gsi3 INJECTIONS#<dep> / <date>#<id>      (one per département, a copy)   |
 * The main item is the truth; the links are rewritten from it after each write (idempotent, stale ones deleted), so
 * listing one département is one Query, never a Scan.
 */
export class PassInjectionStore {
  constructor(
    private readonly table: TableClient,
    /** The territory view's cache: a new or corrected injection makes it stale. */
    private readonly territory: TerritorySnapshotStore | null = null,
  ) {}

  /** Writes a new injection; false when one with this id exists already (nothing written: imports are idempotent). */
  async create(injection: PassInjection): Promise<boolean> {
    const written = await this.table.put(this.mainItem(injection), ABSENT);
    if (written) await this.writeLinks(injection, []);
    if (written) await this.territory?.bump({ injections: injection.departements.map((d) => d.code) });
    return written;
  }

  /** Replaces the injection if its stored version is `expectedVersion`; false otherwise (nothing written). */
  async correct(injection: PassInjection, expectedVersion: number): Promise<boolean> {
    const before = await this.get(injection.id);
    const written = await this.table.put(this.mainItem(injection), {
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': expectedVersion },
    });
    const previous = before?.departements.map((d) => d.code) ?? [];
    if (written) await this.writeLinks(injection, previous);
    if (written)
      await this.territory?.bump({ injections: [...injection.departements.map((d) => d.code), ...previous] });
    return written;
  }

  async get(id: string): Promise<PassInjection | null> {
    return this.table.get<PassInjection>({ pk: pk(id), sk: 'INJECTION' });
  }

  /** All injections (optionally dated on or after `since`, YYYY-MM-DD), oldest first: one Query. */
  async list(filter: { since?: string } = {}): Promise<PassInjection[]> {
    const items = await this.table.queryAll({
      IndexName: 'gsi3',
      KeyConditionExpression: filter.since ? 'gsi3pk = :p AND gsi3sk >= :s' : 'gsi3pk = :p',
      ExpressionAttributeValues: filter.since ? { ':p': 'INJECTIONS', ':s': filter.since } : { ':p': 'INJECTIONS' },
    });
    return items.map((i) => strip<PassInjection>(i));
  }

  /** What the territory view needs of the injections dated on or after `since` (a projection: a third of the bytes). */
  async listFigures(
    since: string,
  ): Promise<Pick<PassInjection, 'date' | 'valeurFaciale' | 'departements' | 'territoire'>[]> {
    const items = await this.table.queryAll({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p AND gsi3sk >= :s',
      ExpressionAttributeValues: { ':p': 'INJECTIONS', ':s': since },
      ProjectionExpression: '#d, valeurFaciale, departements, territoire',
      ExpressionAttributeNames: { '#d': 'date' },
    });
    return items as Pick<PassInjection, 'date' | 'valeurFaciale' | 'departements' | 'territoire'>[];
  }

  /**
   * What the territory view needs of one département's injections dated on or after `since`: one Query of its links
   * (the recomputation of one département after a change), oldest first like `listFigures`.
   */
  async listFiguresByDepartement(
    departement: string,
    since: string,
  ): Promise<Pick<PassInjection, 'date' | 'valeurFaciale' | 'departements' | 'territoire'>[]> {
    const items = await this.table.queryAll({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p AND gsi3sk >= :s',
      ExpressionAttributeValues: { ':p': `INJECTIONS#${departement}`, ':s': since },
      ProjectionExpression: '#d, valeurFaciale, departements, territoire',
      ExpressionAttributeNames: { '#d': 'date' },
    });
    return items as Pick<PassInjection, 'date' | 'valeurFaciale' | 'departements' | 'territoire'>[];
  }

  /** The injections that roll up (wholly or partly) to one département, oldest first: one Query. */
  async listByDepartement(departement: string): Promise<PassInjection[]> {
    const items = await this.table.queryAll({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p',
      ExpressionAttributeValues: { ':p': `INJECTIONS#${departement}` },
    });
    return items.map((i) => {
      const { departement: _d, ...rest } = strip<PassInjection & { departement: string }>(i);
      return rest;
    });
  }

  private mainItem(i: PassInjection) {
    return {
      pk: pk(i.id),
      sk: 'INJECTION',
      type: 'injection',
      gsi3pk: 'INJECTIONS',
      gsi3sk: `${i.date}#${i.id}`,
      ...i,
    };
  }

  private async writeLinks(i: PassInjection, previous: string[]): Promise<void> {
    const now = new Set(i.departements.map((d) => d.code));
    await this.table.batchWrite([
      ...i.departements.map((d) => ({
        PutRequest: {
          Item: {
            pk: pk(i.id),
            sk: `DEP#${d.code}`,
            type: 'injection-link',
            gsi3pk: `INJECTIONS#${d.code}`,
            gsi3sk: `${i.date}#${i.id}`,
            ...i,
            departement: d.code,
          },
        },
      })),
      ...previous
        .filter((code) => !now.has(code))
        .map((code) => ({ DeleteRequest: { Key: { pk: pk(i.id), sk: `DEP#${code}` } } })),
    ]);
  }
}

const pk = (id: string) => `INJECTION#${id}`;
