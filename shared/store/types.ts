import type { ApplicationDocument } from '../domain/application.js';
import type { GeoPrecision } from '../domain/commune-centres.js';
import type { Finding, Phase, Route, Status } from '../domain/eligibility.js';
import type { Stage } from '../domain/path.js';

/**
 * Item types of the store. Domain types come from shared/domain as types only: the store depends on their shape,
 * never on domain logic (a unit test checks the stage lists below against shared/domain/path.ts).
 */
export type { ApplicationDocument, Finding, Phase, Route, Stage, Status };

/** The campaign that brought the actor, copied into the application at submission. */
export interface ApplicationCampaign {
  kind: 'webinar' | 'tour' | 'hub' | 'network';
  code?: string;
  label?: string;
  route?: Route | null;
  territory?: string | null;
  network?: string | null;
}

export interface ApplicationItem {
  id: string;
  version: number;
  stage: Stage;
  status: Status;
  phase: Phase | null;
  route: Route | null;
  flags: Finding[];
  reasons: Finding[];
  document: ApplicationDocument;
  siret: string | null;
  departements: string[];
  actorTokenHash: string;
  /** Increments on each resubmission; part of task ids and history keys. */
  round: number;
  campaign?: ApplicationCampaign | null;
  error?: { name: string; message: string } | null;
  /** Client-supplied key of the submission: a retried submit finds its own application. */
  idempotencyKey?: string | null;
  /**
   * sha256 of the canonical submitted body (the parsed document and the campaign): a replay with the same key is
   * answered only when its body has this fingerprint (issue 12). Absent on items stored before it existed.
   */
  requestFingerprint?: string | null;
  /** Where the submission came from (`chat`, `api`…). */
  source?: string;
  commitmentsAt?: string;
  /** What was accepted at the commitments step: the documents' versions, when, through which channel, the Kit terms. */
  commitments?: {
    charte: AcceptedDocument;
    cgu: AcceptedDocument;
    channel: CommitmentChannel;
    kit: { priceHtEur: number; period: string };
  };
  /** The bank details (issue 10 § 2): ciphertext only, plus what the masked view needs (shared/usecases/bank-details.ts). */
  bankDetails?: BankDetailsRecord | null;
  /** When the applicant's address was confirmed (their first sign-in link); absent until then. */
  addressConfirmedAt?: string;
  qualifiedAt?: string;
  /** The département whose volume counter this application took a slot in (released if it leaves the path). */
  admittedIn?: string | null;
  /** When the application reached an end without qualification (not_eligible, rejected, expired, withdrawn). */
  endedAt?: string | null;
  /** When its SIRET claim was given back (at once, after the rejected delay, or by staff). */
  siretReleasedAt?: string | null;
  /** When its personal data was erased (on request or by retention); the item keeps anonymous counts only. */
  erasedAt?: string | null;
  /** The current suspension of a qualification (staff, with a reason). */
  suspension?: { by: string; at: string; reason: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** Fields a state change may set. `id`, `version`, `createdAt` and `siret` (claimed once) are not patchable. */
/**
 * The stored bank details. The IBAN, BIC and holder are in `ciphertext` (the bank vault: KMS or the local key); in clear
 * only the IBAN's country, check digits, length and last five characters (the masked form `FR76 •••• … ••12 345`).
 */
export interface BankDetailsRecord {
  ciphertext: string;
  ibanCountry: string;
  ibanCheckDigits: string;
  ibanLength: number;
  ibanLast: string;
  status: 'submitted' | 'validated' | 'rejected';
  submittedAt: string;
  /** The staff decision on these details (a new submission clears it). */
  review?: { valid: boolean; by: string; at: string; comment?: string } | null;
}

export type ApplicationPatch = Partial<Omit<ApplicationItem, 'id' | 'version' | 'createdAt' | 'siret'>>;

export interface HistoryEvent {
  applicationId: string;
  /** Deterministic, e.g. `r1#staff_review#approved`: a retried write overwrites itself. */
  key: string;
  at: string;
  actor: { kind: 'system' | 'actor' | 'staff'; id?: string };
  type: string;
  stage?: Stage;
  comment?: string;
  data?: Record<string, unknown>;
}

export type TaskStatus = 'open' | 'decided' | 'cancelled';

export interface TaskDecision {
  decision: string;
  by: string;
  at: string;
  comment?: string;
  /** Who decided (the history event's actor), and what the decision hands the workflow: kept so that a decision
   * claimed but not delivered (a crash in between) can be delivered again after a restart, exactly as made. */
  byKind?: 'staff' | 'actor';
  output?: Record<string, unknown>;
}

export interface TaskItem {
  taskId: string;
  applicationId: string;
  step: Stage;
  round: number;
  /** Step Functions task token: never leaves the backend. */
  token: string;
  /** The execution that holds `token` (`$$.Execution.Id`): a decision is delivered to it at most once. */
  execution?: string;
  openedAt: string;
  status: TaskStatus;
  route: Route | null;
  phase: Phase | null;
  departements: string[];
  /** Flag codes, for inbox filtering. */
  flags: string[];
  assignee?: string | null;
  decision?: TaskDecision;
  cancelled?: { by: string; at: string; reason?: string };
  /** A decided task: when its decision reached Step Functions, or was found stale (no longer awaited). */
  delivery?: { at: string; outcome: 'delivered' | 'stale' };
}

export type OpenTaskInput = Omit<TaskItem, 'taskId' | 'status' | 'decision' | 'cancelled' | 'delivery'>;

export interface TaskFilter {
  step?: Stage;
  route?: Route;
  phase?: Phase;
  departement?: string;
  flag?: string;
  assignee?: string;
}

export interface Page {
  limit?: number;
  cursor?: string;
}

/** One published place of a qualified actor (a row of the national schema, plus the keys the index needs). */
export interface PlaceItem {
  applicationId: string;
  n: number;
  departement: string;
  place: Record<string, unknown>;
  publishedAt: string;
  /** How `place.latitude/longitude` were found (`pin`, `address`, `commune`); absent on places published before. */
  precision?: GeoPrecision;
}

export interface PlaceInput {
  departement: string;
  place: Record<string, unknown>;
  precision?: GeoPrecision;
}

export interface DialogState {
  conversationId: string;
  state: Record<string, unknown>;
  /** Optimistic locking (see DialogStore.put). Items written before dialog versions existed read as 0. */
  version: number;
  updatedAt: string;
  /** Epoch seconds (DynamoDB TTL). */
  expiresAt: number;
}

export interface CampaignItem {
  code: string;
  kind: ApplicationCampaign['kind'];
  label?: string;
  route?: Route | null;
  territory?: string | null;
  network?: string | null;
  /** ISO instants between which the link carries its context. */
  startsAt?: string | null;
  endsAt?: string | null;
  utm?: Record<string, string>;
  /** A paused link carries no context until resumed (issue 13); ending a link sets `endsAt` to that instant. */
  paused?: boolean;
  updatedAt?: string;
  updatedBy?: string;
  createdAt: string;
}

export interface NetworkItem {
  id: string;
  name: string;
  /** The agreement that lets the network's attestation stand in for part of the staff review. */
  agreement?: {
    signedAt?: string;
    /** Free text (e.g. « Nouvelle-Aquitaine »), shown to staff; the route reads the fields below. */
    scope?: string;
    /** In force from (default: signedAt) to (inclusive; none: no end), `YYYY-MM-DD`. */
    startsAt?: string | null;
    endsAt?: string | null;
    /** Phases and départements covered (absent or empty: all). */
    phases?: number[] | null;
    departements?: string[] | null;
    [k: string]: unknown;
  } | null;
  createdAt: string;
  updatedAt: string;
}

export interface NetworkMember {
  networkId: string;
  siret: string;
  name?: string;
  data?: Record<string, unknown>;
  importedAt: string;
}

export interface StaffAccount {
  email: string;
  name?: string | null;
  role: 'admin' | 'reviewer';
  passwordHash?: string | null;
  disabled?: boolean;
  createdAt: string;
  createdBy?: string;
  updatedAt?: string;
  updatedBy?: string;
}

export interface SessionItem {
  tokenHash: string;
  /** `actor`: an e-mailed sign-in (subject = the address's hash); `chat`: a conversation resumed on an application. */
  kind: 'staff' | 'actor' | 'chat';
  subject: string;
  createdAt: string;
  /** Epoch seconds (DynamoDB TTL). */
  expiresAt: number;
  data?: Record<string, unknown>;
}

/** A message to the actor, one per (application, deterministic key): kept for the chat and the staff outbox. */
export interface OutboxMessage {
  applicationId: string;
  /** Deterministic (e.g. `r1#qualified`): a retried Task rewrites the same message. */
  key: string;
  at: string;
  stage?: Stage;
  subject: string;
  text: string;
  to?: string | null;
  /** How it left (`ses`) or that it only sits in the outbox (`outbox`). */
  channel: string;
  delivered: boolean;
}

export interface ConfigOverrides {
  version: number;
  data: Record<string, unknown>;
  updatedAt: string;
  updatedBy: string;
}

/** Audit trail of administrative changes (config, staff accounts, networks, campaigns, waitlist releases). */
export interface ChangeRecord {
  id: string;
  at: string;
  who: string;
  /** Short verb phrase: `config.update`, `staff.create`, `waitlist.release`. */
  what: string;
  /** What was changed, e.g. `config`, `staff:ana@example.fr`, `network:abc`. */
  entity: string;
  data?: Record<string, unknown>;
}

/** An erasure asked on a qualified application: a staff task due at `dueAt` (shared/usecases/erasure.ts). */
/** The actor's acceptance of one versioned document (Charte, CGU) at the commitments step. */
export interface AcceptedDocument {
  version: string;
  acceptedAt: string;
}

/** How the actor accepted: the actor space, the chat, or a client of the API. */
export type CommitmentChannel = 'espace' | 'chat' | 'api';

/** A Kit subscription (billing): price and period in force at acceptance; it starts at qualification. */
export interface SubscriptionItem {
  applicationId: string;
  acceptedAt: string;
  channel: CommitmentChannel;
  priceHtEur: number;
  period: string;
  charteVersion: string;
  cguVersion: string;
}

export interface ErasureRequest {
  applicationId: string;
  requestedAt: string;
  /** `actor` or the staff member's e-mail. */
  requestedBy: string;
  dueAt: string;
  doneAt?: string;
  doneBy?: string;
}

/** A single-use sign-in code (stored by its hash; the code itself only travels in the e-mail). */
export interface SignInCode {
  codeHash: string;
  /** Hash of the normalised address the code was sent to (no address in the item). */
  emailHash: string;
  createdAt: string;
  /** Epoch seconds (DynamoDB TTL; the consuming write checks it too). */
  expiresAt: number;
  usedAt?: string;
}
