import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ActorAccessStore } from './entities/actor-access.js';
import { ApplicationStore } from './entities/applications.js';
import { AuditStore } from './entities/audit.js';
import { CampaignStore, NetworkStore } from './entities/campaigns-networks.js';
import { ConfigStore } from './entities/configuration.js';
import { CounterStore } from './entities/counters.js';
import { DialogStore } from './entities/dialogs.js';
import { HistoryStore } from './entities/history.js';
import { KnowledgeBaseStore } from './entities/knowledge-base.js';
import { ErasureStore, ExpiringStore } from './entities/lifecycle.js';
import { NetworkRecordStore } from './entities/network-records.js';
import { OutboxStore } from './entities/outbox.js';
import { PassInjectionStore } from './entities/pass-injections.js';
import { PlaceStore } from './entities/places.js';
import { InvitationStore, ProspectStore } from './entities/prospects.js';
import { SearchStore } from './entities/search.js';
import { SessionStore, StaffStore } from './entities/staff.js';
import { SubscriptionStore } from './entities/subscriptions.js';
import { SupportStore } from './entities/support.js';
import { TaskStore } from './entities/tasks.js';
import { TerritorySnapshotStore } from './entities/territory-snapshot.js';
import { TableClient } from './table-client.js';

export { CONFIG_CACHE_MS } from './entities/configuration.js';
export type { KnowledgeBasePointer, KnowledgeBaseVersion } from './entities/knowledge-base.js';
export type {
  InvitationLink,
  NetworkImportRecord,
  NetworkInvitation,
  NetworkNotice,
} from './entities/network-records.js';
export type { SupportAnswer, SupportExcerptLine, SupportRequest } from './entities/support.js';
export * from './types.js';

export interface StoreOptions {
  /** Injected clock (tests, benchmarks). */
  now?: () => Date;
  /** See ApplicationStore: how old an orphan SIRET claim must be before another application takes it over. */
  staleClaimMs?: number;
}

/**
 * Every access pattern of the application, on one table (key layout: keys.ts), one object per entity family:
 * `store.applications.get(id)`, `store.tasks.claim(…)`, `store.counters.incrementUpTo(…)`. The modules live in
 * shared/store/entities/; the calls, condition handling, pagination and batch retries they share in table-client.ts.
 *
 * dynalite has no transactions: each state change is one conditional single-item write (optimistic locking on
 * `version`), follow-up writes use deterministic keys so a retried write overwrites itself. No Scan anywhere.
 */
export class Store {
  /** Applications and their SIRET claims. */
  readonly applications: ApplicationStore;
  readonly history: HistoryStore;
  /** Human steps and the staff inbox. */
  readonly tasks: TaskStore;
  readonly places: PlaceStore;
  /** Chat dialog state. */
  readonly dialogs: DialogStore;
  readonly campaigns: CampaignStore;
  /** Networks and their members. */
  readonly networks: NetworkStore;
  /** Member imports' history, invitations (and their campaign link tokens), removal notices. */
  readonly networkRecords: NetworkRecordStore;
  readonly staff: StaffStore;
  readonly sessions: SessionStore;
  /** Messages to the actor. */
  readonly outbox: OutboxStore;
  /** Administrators' configuration overrides (cached). */
  readonly config: ConfigStore;
  /** Named atomic counters: département caps, login throttling, campaign funnels. */
  readonly counters: CounterStore;
  /** Audit trail of administrative changes. */
  readonly audit: AuditStore;
  /** Erasure requests on qualified applications (staff tasks with a due date). */
  readonly erasures: ErasureStore;
  /** Items past their expiry (sessions, sign-in codes), for the retention job. */
  readonly expiring: ExpiringStore;
  /** The actor's way back: address → applications lookup, single-use sign-in codes. */
  readonly actorAccess: ActorAccessStore;
  /** Pass injections, listed by date or by département (the territorial mesh). */
  readonly passInjections: PassInjectionStore;
  /** The console's search index (tokens → application ids), written by `applications` on each document change. */
  readonly search: SearchStore;
  /** Kit subscriptions recorded at the commitments step (billing). */
  readonly subscriptions: SubscriptionStore;
  /** Places of the national open data that are not #APTIC actors yet, listed by département. */
  readonly prospects: ProspectStore;
  /** Invitations to prospects (one per address and campaign), opt-outs and unsubscribe tokens. */
  readonly invitations: InvitationStore;
  /** The territory view's cache and its change counter, bumped by applications, places and pass injections. */
  readonly territorySnapshot: TerritorySnapshotStore;
  /** « Parler à quelqu’un »: support requests from the chat and staff answers. */
  readonly support: SupportStore;
  /** Staff-published versions of the FAQ knowledge base and the pointer to the one in force. */
  readonly knowledgeBase: KnowledgeBaseStore;

  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
    options: StoreOptions = {},
  ) {
    const table = new TableClient(doc, tableName, options.now ?? (() => new Date()));
    this.search = new SearchStore(table);
    this.territorySnapshot = new TerritorySnapshotStore(table);
    this.applications = new ApplicationStore(table, this.search, {
      staleClaimMs: options.staleClaimMs,
      territory: this.territorySnapshot,
    });
    this.history = new HistoryStore(table);
    this.tasks = new TaskStore(table);
    this.places = new PlaceStore(table, this.territorySnapshot);
    this.dialogs = new DialogStore(table);
    this.campaigns = new CampaignStore(table);
    this.networks = new NetworkStore(table);
    this.networkRecords = new NetworkRecordStore(table);
    this.staff = new StaffStore(table);
    this.sessions = new SessionStore(table);
    this.outbox = new OutboxStore(table);
    this.config = new ConfigStore(table);
    this.counters = new CounterStore(table);
    this.audit = new AuditStore(table);
    this.erasures = new ErasureStore(table);
    this.expiring = new ExpiringStore(table);
    this.actorAccess = new ActorAccessStore(table);
    this.passInjections = new PassInjectionStore(table, this.territorySnapshot);
    this.subscriptions = new SubscriptionStore(table);
    this.prospects = new ProspectStore(table);
    this.invitations = new InvitationStore(table);
    this.support = new SupportStore(table);
    this.knowledgeBase = new KnowledgeBaseStore(table);
  }

  /** The document client (also accepts plain DynamoDB commands, e.g. for ensureTable). */
  get client(): DynamoDBDocumentClient {
    return this.doc;
  }
}
