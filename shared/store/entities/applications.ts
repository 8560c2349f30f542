import { endedWithoutQualification, isTerminal } from '../../domain/path.js';
import { AlreadyExistsError, ConflictError, NotFoundError, SiretAlreadyClaimedError } from '../errors.js';
import { Expression } from '../expression.js';
import { keys } from '../keys.js';
import { KEY_ATTRIBUTES } from '../table.js';
import { ABSENT, MAX_PAGE, strip, type TableClient } from '../table-client.js';
import type { ApplicationItem, ApplicationPatch, Stage } from '../types.js';

/** The fields of an application a short list shows (getSummaries). */
export type ApplicationSummaryFields = Pick<ApplicationItem, 'id' | 'siret' | 'stage' | 'document'>;

import type { SearchStore } from './search.js';
import type { TerritorySnapshotStore } from './territory-snapshot.js';

const NOT_PATCHABLE = new Set(['id', 'version', 'createdAt', 'siret', ...KEY_ATTRIBUTES]);

/** gsi3 partition of the applications whose stage is not terminal. */
const ACTIVE = 'ACTIVE';
/** gsi3 partition of the applications that ended without qualification and are not erased yet, by end date. */
const ENDED = 'ENDED';
/**
 * gsi2 partition of the applications whose stage is terminal (qualified, rejected, expired, not eligible, withdrawn,
 * suspended, failed), by the date they got there: the console's list of closed applications (issue 13), most recent
 * first, with a date range as key condition. Erasure takes an application out. An application that ended before
 * the list existed is put on it by `npm run reindex` (listClosedIfMissing).
 */
const CLOSED = 'CLOSED';
/** gsi1 partition of the rejected applications whose SIRET is still held, by end date (the retention job). */
const SIRET_HOLD = 'SIRET_HOLD';

/**
 * Applications and their SIRET claims. A SIRET qualifies once: its claim item (`SIRET#<siret>`) names the one
 * application holding it. Every state change is conditional on `version` (optimistic locking).
 */
export class ApplicationStore {
  private readonly staleClaimMs: number;
  private readonly territory: TerritorySnapshotStore | null;

  constructor(
    private readonly table: TableClient,
    /** The console's search index, kept in step with every document written here. */
    private readonly search: SearchStore | null,
    options: {
      /**
       * A SIRET claim whose application never got written (a crash between the two puts) is taken over after this
       * delay; a younger one still counts as held (the other submission may be writing its application right now).
       */
      staleClaimMs?: number;
      /** The territory view's cache: a change of stage or départements makes it stale. */
      territory?: TerritorySnapshotStore;
    } = {},
  ) {
    this.staleClaimMs = options.staleClaimMs ?? 5 * 60_000;
    this.territory = options.territory ?? null;
  }

  /**
   * Claims the SIRET (conditional put), then puts the application (conditional put). Of two concurrent submissions
   * with one SIRET exactly one wins; the other gets SiretAlreadyClaimedError. A null SIRET skips the claim.
   */
  async create(item: ApplicationItem): Promise<void> {
    if (item.siret) await this.claimSiret(item.siret, item.id);
    let written: boolean;
    try {
      const stored = {
        ...item,
        ...keys.application(item.id),
        type: 'application',
        ...activeKeys(item.stage, item.id, item.updatedAt),
      };
      written = await this.table.put(stored, ABSENT);
    } catch (err) {
      await this.releaseClaimOfFailedCreate(item);
      throw err;
    }
    if (written) {
      await this.search?.index(item);
      await this.territory?.bump({ applications: [item.id] });
      return;
    }
    await this.releaseClaimOfFailedCreate(item);
    throw new AlreadyExistsError('application', item.id);
  }

  /**
   * Keeps the claim when an application with this id holds it (a retried create, or a put that timed out after
   * being applied); releases it only when it still points to this id and nothing was written.
   */
  private async releaseClaimOfFailedCreate(item: ApplicationItem): Promise<void> {
    if (!item.siret) return;
    const existing = await this.get(item.id).catch(() => undefined);
    if (existing === null || (existing && existing.siret !== item.siret)) await this.releaseSiret(item.siret, item.id);
  }

  private async claimSiret(siret: string, applicationId: string): Promise<void> {
    const createdAt = this.table.now().toISOString();
    const claimItem = { ...keys.siret(siret), type: 'siret', siret, applicationId, createdAt };
    if (await this.table.put(claimItem, ABSENT)) return;
    const claim = await this.table.getRaw(keys.siret(siret));
    if (!claim) return this.claimSiret(siret, applicationId); // released in between: try again
    const holder = String(claim.applicationId);
    if (holder === applicationId) return; // our own claim (retried create)
    const age = this.table.now().getTime() - Date.parse(String(claim.createdAt));
    if (age > this.staleClaimMs && (await this.get(holder)) === null) {
      // Orphan claim (crash between the two puts): take it over, conditional on it being unchanged.
      const taken = await this.table.put(claimItem, {
        ConditionExpression: 'applicationId = :holder',
        ExpressionAttributeValues: { ':holder': holder },
      });
      if (taken) return;
      const now = await this.table.getRaw(keys.siret(siret));
      throw new SiretAlreadyClaimedError(siret, String(now?.applicationId ?? holder));
    }
    throw new SiretAlreadyClaimedError(siret, holder);
  }

  /**
   * Frees a SIRET if (and only if) this application still holds it: a not-eligible application lets a later,
   * corrected one through. False when the claim was absent or held by another application (then left as it is).
   */
  async releaseSiret(siret: string, applicationId: string): Promise<boolean> {
    return this.table.delete(keys.siret(siret), {
      ConditionExpression: 'applicationId = :id',
      ExpressionAttributeValues: { ':id': applicationId },
    });
  }

  async get(id: string): Promise<ApplicationItem | null> {
    return this.table.get<ApplicationItem>(keys.application(id));
  }

  /** Several applications in one BatchGetItem (absent ones are left out), in the order of `ids`. */
  async getMany(ids: readonly string[]): Promise<ApplicationItem[]> {
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    const items = [];
    // BatchGetItem takes at most 100 keys.
    for (let i = 0; i < unique.length; i += 100) {
      items.push(...(await this.table.batchGet(unique.slice(i, i + 100).map((id) => keys.application(id)))));
    }
    const byId = new Map(items.map((i) => [String(i.id), strip<ApplicationItem>(i)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * What a short list shows of each application (search results): id, SIRET, stage, and of the document only the
   * profile, the structure's name and the places, read with a projection (BatchGets of 100, order of `ids`). A
   * document is kilobytes; the list needs a few of its fields.
   */
  async getSummaries(ids: readonly string[]): Promise<ApplicationSummaryFields[]> {
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    const items = [];
    for (let i = 0; i < unique.length; i += 100) {
      items.push(
        ...(await this.table.batchGet(
          unique.slice(i, i + 100).map((id) => keys.application(id)),
          {
            ProjectionExpression: '#id, siret, #st, #d.profil, #d.structure.nom, #d.lieux',
            ExpressionAttributeNames: { '#id': 'id', '#st': 'stage', '#d': 'document' },
          },
        )),
      );
    }
    const byId = new Map(items.map((i) => [String(i.id), i as unknown as ApplicationSummaryFields]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** The applications holding these SIRETs (a network's members): BatchGets of the claims, then of the items. */
  async getManyBySiret(sirets: readonly string[]): Promise<Map<string, ApplicationItem>> {
    const unique = [...new Set(sirets)];
    const claims = [];
    for (let i = 0; i < unique.length; i += 100) {
      claims.push(...(await this.table.batchGet(unique.slice(i, i + 100).map((s) => keys.siret(s)))));
    }
    const apps = await this.getMany(claims.map((c) => String(c.applicationId)));
    return new Map(apps.flatMap((a) => (a.siret ? [[a.siret, a] as const] : [])));
  }

  async getBySiret(siret: string): Promise<ApplicationItem | null> {
    const claim = await this.table.getRaw(keys.siret(siret));
    if (!claim) return null;
    return this.get(String(claim.applicationId));
  }

  /**
   * Conditional on `version = expectedVersion`; bumps the version and returns the new item. A stale version →
   * ConflictError (the item is unchanged). The stage decides the listings: not terminal → ACTIVE; an end without
   * qualification → ENDED (and a rejection → SIRET_HOLD) until `erasedAt` / `siretReleasedAt` take it out.
   */
  async update(id: string, expectedVersion: number, patch: ApplicationPatch): Promise<ApplicationItem> {
    return this.write(id, expectedVersion, patch, false);
  }

  /**
   * The erasure write: like `update`, and it may also clear the SIRET (the one time `siret` changes) and takes the
   * application out of every listing.
   */
  async erase(
    id: string,
    expectedVersion: number,
    patch: ApplicationPatch & { siret: null; erasedAt: string },
  ): Promise<ApplicationItem> {
    return this.write(id, expectedVersion, patch, true);
  }

  private async write(
    id: string,
    expectedVersion: number,
    patch: ApplicationPatch & { siret?: null },
    erasing: boolean,
  ): Promise<ApplicationItem> {
    const x = new Expression();
    for (const [attr, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (NOT_PATCHABLE.has(attr) && !(erasing && attr === 'siret')) {
        throw new TypeError(`applications.update: "${attr}" cannot be patched`);
      }
      x.set(attr, value);
    }
    const at = patch.updatedAt ?? this.table.now().toISOString();
    if (patch.updatedAt === undefined) x.set('updatedAt', at);
    x.set('version', expectedVersion + 1);
    // Index keys: null means "remove", a string "set", absent "leave as is".
    const index: Record<string, string | null> = {};
    if (patch.stage !== undefined) {
      const ended = endedWithoutQualification(patch.stage);
      index.gsi3pk = !isTerminal(patch.stage) ? ACTIVE : ended ? ENDED : null;
      index.gsi3sk = !isTerminal(patch.stage) ? `${patch.stage}#${id}` : ended ? `${at}#${id}` : null;
      if (patch.stage === 'rejected') Object.assign(index, { gsi1pk: SIRET_HOLD, gsi1sk: `${at}#${id}` });
      index.gsi2pk = isTerminal(patch.stage) ? CLOSED : null;
      index.gsi2sk = isTerminal(patch.stage) ? `${at}#${id}` : null;
    }
    if (patch.siretReleasedAt) Object.assign(index, { gsi1pk: null, gsi1sk: null });
    if (erasing) {
      Object.assign(index, { gsi1pk: null, gsi1sk: null, gsi2pk: null, gsi2sk: null, gsi3pk: null, gsi3sk: null });
    }
    for (const [attr, value] of Object.entries(index)) value === null ? x.remove(attr) : x.set(attr, value);
    const updated = await this.table.updateIf(keys.application(id), x, `${x.n('version')} = ${x.v(expectedVersion)}`);
    if (updated) {
      const item = strip<ApplicationItem>(updated);
      if (patch.document !== undefined) await this.search?.index(item);
      if (patch.stage !== undefined || patch.departements !== undefined || erasing) {
        await this.territory?.bump({ applications: [id] });
      }
      return item;
    }
    if ((await this.table.getRaw(keys.application(id))) === null) throw new NotFoundError('application', id);
    throw new ConflictError(id, expectedVersion);
  }

  /**
   * Puts a closed application on the list of closed applications (gsi2 `CLOSED`) when a version that did not keep
   * the list left it off: the list key from `closedAt` (when it got to its terminal stage), conditional on the stage
   * still being `stage`, the item not erased and not listed yet. An index write only: version and document untouched.
   * True when listed now; false when it was listed already, has moved on, was erased or is not terminal.
   */
  async listClosedIfMissing(id: string, stage: Stage, closedAt: string): Promise<boolean> {
    if (!isTerminal(stage)) return false;
    const x = new Expression();
    x.set('gsi2pk', CLOSED);
    x.set('gsi2sk', `${closedAt}#${id}`);
    const condition = `attribute_exists(pk) AND ${x.n('stage')} = ${x.v(stage)} AND attribute_not_exists(gsi2pk) AND (attribute_not_exists(${x.n('erasedAt')}) OR ${x.n('erasedAt')} = ${x.v(null)})`;
    return (await this.table.updateIf(keys.application(id), x, condition)) !== null;
  }

  /** Applications that ended without qualification before `before` (ISO), not erased yet: oldest first. */
  async listEndedBefore(before: string, limit = 100): Promise<ApplicationItem[]> {
    return this.listBefore('gsi3', ENDED, before, limit);
  }

  /** Rejected applications that ended before `before` and still hold their SIRET: oldest first. */
  async listSiretHeldBefore(before: string, limit = 100): Promise<ApplicationItem[]> {
    return this.listBefore('gsi1', SIRET_HOLD, before, limit);
  }

  private async listBefore(index: 'gsi1' | 'gsi3', partition: string, before: string, limit: number) {
    const res = await this.table.query({
      IndexName: index,
      KeyConditionExpression: `${index}pk = :p AND ${index}sk < :b`,
      ExpressionAttributeValues: { ':p': partition, ':b': before },
      Limit: Math.max(1, Math.min(limit, MAX_PAGE)),
    });
    return (res.Items ?? []).map((i) => strip<ApplicationItem>(i));
  }

  /**
   * Every item of the application's partition (the item, its events, outbox messages, places, erasure request):
   * what the erasure routine goes through and its test checks. Keys included.
   */
  async partition(id: string): Promise<Record<string, unknown>[]> {
    return this.table.queryAll({
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': keys.application(id).pk },
    });
  }

  /**
   * What the territory view needs of the applications whose stage is not terminal: stage and départements, and
   * with `places` the places' postal codes and communes (the EPCI view). A projection of the same listing.
   */
  async listActiveFigures(
    options: { places?: boolean } = {},
  ): Promise<
    { id: string; stage: Stage; departements?: string[]; lieux?: { code_postal?: string; commune?: string }[] }[]
  > {
    const items = await this.table.queryAll({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p',
      ExpressionAttributeValues: { ':p': ACTIVE },
      ProjectionExpression: options.places ? 'id, stage, departements, #doc.lieux' : 'id, stage, departements',
      ...(options.places ? { ExpressionAttributeNames: { '#doc': 'document' } } : {}),
    });
    return items.map((i) => ({
      id: String(i.id),
      stage: i.stage as Stage,
      departements: i.departements as string[] | undefined,
      lieux: (i.document as { lieux?: { code_postal?: string; commune?: string }[] } | undefined)?.lieux,
    }));
  }

  /**
   * Closed applications (terminal stage), most recent first: one Query on gsi2 `CLOSED`, the dates as key condition
   * (`from` ≤ closed < `to`, ISO), stage and département as filters (read ahead: Limit counts items read). The
   * cursor is the last application's sort key.
   */
  async listClosed(
    filter: { stages?: readonly Stage[]; departement?: string; from?: string; to?: string },
    page: { limit?: number; cursor?: string } = {},
  ): Promise<{ applications: (ApplicationItem & { closedAt: string })[]; next?: string }> {
    const limit = Math.max(1, Math.min(page.limit ?? 100, MAX_PAGE));
    const x = new Expression();
    const upper = page.cursor ? Buffer.from(page.cursor, 'base64url').toString('utf8') : (filter.to ?? '~');
    if (filter.from && filter.from >= upper) return { applications: [] };
    let key = `gsi2pk = ${x.v(CLOSED)}`;
    // A bare ISO date sorts before every `<date>#<id>` of that instant: `< to` excludes `to` itself.
    key += filter.from ? ` AND gsi2sk BETWEEN ${x.v(filter.from)} AND ${x.v(upper)}` : ` AND gsi2sk < ${x.v(upper)}`;
    const filters: string[] = [];
    if (filter.stages?.length) filters.push(`${x.n('stage')} IN (${filter.stages.map((s) => x.v(s)).join(', ')})`);
    if (filter.departement) filters.push(`contains(${x.n('departements')}, ${x.v(filter.departement)})`);
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.table.query({
        IndexName: 'gsi2',
        KeyConditionExpression: key,
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
        ...x.attributes(),
        ScanIndexForward: false,
        Limit: filters.length ? Math.max(limit * 5, 200) : limit + 1,
        ExclusiveStartKey: start,
      });
      // BETWEEN is inclusive: a cursor's own application is not listed twice.
      out.push(...(res.Items ?? []).filter((i) => i.gsi2sk !== upper));
      start = res.LastEvaluatedKey;
    } while (start && out.length <= limit);
    const items = out.slice(0, limit);
    const last = items[items.length - 1];
    const applications = items.map((i) => ({
      ...strip<ApplicationItem>(i),
      closedAt: String(i.gsi2sk).slice(0, String(i.gsi2sk).indexOf('#')),
    }));
    return out.length > limit && last
      ? { applications, next: Buffer.from(String(last.gsi2sk), 'utf8').toString('base64url') }
      : { applications };
  }

  /** Applications whose stage is not terminal (restart resume), optionally of one stage (e.g. `waitlisted`). */
  async listActive(filter: { stage?: Stage } = {}): Promise<ApplicationItem[]> {
    const items = await this.table.queryAll({
      IndexName: 'gsi3',
      KeyConditionExpression: filter.stage ? 'gsi3pk = :p AND begins_with(gsi3sk, :s)' : 'gsi3pk = :p',
      ExpressionAttributeValues: filter.stage ? { ':p': ACTIVE, ':s': `${filter.stage}#` } : { ':p': ACTIVE },
    });
    return items.map((i) => strip<ApplicationItem>(i));
  }
}

function activeKeys(stage: Stage, id: string, at: string): Record<string, string> {
  return isTerminal(stage) ? { gsi2pk: CLOSED, gsi2sk: `${at}#${id}` } : { gsi3pk: ACTIVE, gsi3sk: `${stage}#${id}` };
}
