import { createHash } from 'node:crypto';

/**
 * Key layout, one function per item type. Every item also carries `type` (the first column).
 *
 * | type        | pk                     | sk                 | index keys                                          |
 * |-------------|------------------------|--------------------|-----------------------------------------------------|
 * | application | APP#<id>               | APP                | gsi3 ACTIVE / <stage>#<id> while not terminal       |
 * |             |                        |                    | gsi3 ENDED / <endedAt>#<id> ended unqualified,      |
 * |             |                        |                    |   until erased                                      |
 * |             |                        |                    | gsi1 SIRET_HOLD / <endedAt>#<id> rejected, until    |
 * |             |                        |                    |   its SIRET is released                             |
 * | erasure     | APP#<id>               | ERASURE            | gsi3 ERASURES / <dueAt>#<id> while pending          |
 * | subscription| APP#<id>               | SUBSCRIPTION       | gsi3 SUBSCRIPTIONS / <acceptedAt>#<id>              |
 * | siret       | SIRET#<siret>          | SIRET              |                                                     |
 * | event       | APP#<id>               | EVT#<key>          |                                                     |
 * | outbox      | APP#<id>               | OUTBOX#<key>       | gsi3 OUTBOX / <at>#<id>#<key>                       |
 * | place       | APP#<id>               | PLACE#<n:4>        | gsi2 PLACE / <departement>#<id>#<n:4>               |
 * | task        | TASK#<taskId>          | TASK               | gsi1 INBOX#<step> / <openedAt>#<taskId> while open  |
 * |             |                        |                    | gsi3 TASKS#<applicationId> / <taskId> (always)      |
 * | dialog      | DIALOG#<conversation>  | DIALOG             | gsi3 DIALOG / <updatedAt>#<conversation>; TTL       |
 * | campaign    | CAMPAIGN#<code>        | CAMPAIGN           | gsi3 CAMPAIGN / <code>                              |
 * | network     | NETWORK#<id>           | NETWORK            | gsi3 NETWORK / <name>#<id>                          |
 * | member      | MEMBER#<siret>         | NETWORK#<id>       | gsi3 MEMBERS#<networkId> / <siret>                  |
 * | net_import  | NETWORK#<id>           | IMPORT#<at>#<id>   | (a member import: who, when, added/removed/changed) |
 * | net_invite  | NETWORK#<id>           | INVITE#<siret>     | (the invitation sent to a member)                   |
 * | invite_link | INVITE#<tokenHash>     | INVITE             | (campaign link token → network and member)          |
 * | net_notice  | NETWORK#<id>           | NOTICE#<siret>     | gsi3 NETWORK_NOTICES / <at>#<id>#<siret> while open |
 * | staff       | STAFF#<email>          | STAFF              | gsi3 STAFF / <email>                                |
 * | session     | SESSION#<tokenHash>    | SESSION            | gsi3 EXPIRES / <expiresAt ISO>#<pk>; TTL expiresAt  |
 * | actor_email | ACTOR#<emailHash>      | APP#<id>           | (lookup: address → its applications, no Scan)       |
 * | signin_code | SIGNIN#<codeHash>      | SIGNIN             | (TTL expiresAt)                                     |
 * | config      | CONFIG                 | CONFIG             |                                                     |
 * | counter     | COUNTER#<name>         | COUNTER            | (TTL expiresAt when set)                            |
 * | change      | AUDIT#<entity>         | <at>#<id>          | gsi3 AUDIT / <at>#<id>                              |
 * | injection   | INJECTION#<id>         | INJECTION          | gsi3 INJECTIONS / <date>#<id>                       |
 * | inj. link   | INJECTION#<id>         | DEP#<departement>  | gsi3 INJECTIONS#<departement> / <date>#<id>         |
 * | prospect    | PROSPECT#<id>          | PROSPECT           | gsi3 PROSPECTS#<departement> / <name>#<id>          |
 * | invitation  | CAMPAIGN#<code>        | INVITE#<emailHash> | gsi3 OUTBOX / <at>#campaign:<code>#<emailHash>      |
 * | opt-out     | OPTOUT#<emailHash>     | OPTOUT             | (an address that unsubscribed from invitations)     |
 * | unsub_token | UNSUB#<tokenHash>      | UNSUB              | (unsubscribe link → address hash)                   |
 * | terr. view  | TERRITORY              | SNAPSHOT           | (the territory view's cache; its change counter is  |
 * |             |                        |                    |   the counter `territory#generation`)               |
 * | terr. log   | TERRITORY#APPLICATIONS | <counter, 12 dig.> | (applications written, for the view; TTL expiresAt) |
 * | search      | SEARCH#<token[0..2]>   | <token>#<appId>    | (console search index, entities/search.ts)          |
 * | search_rec. | APP#<id>               | SEARCH             | (the tokens an application is indexed under)        |
 * | support     | SUPPORT#<id>           | SUPPORT            | gsi3 SUPPORT / <createdAt>#<id>;                    |
 * |             |                        |                    | gsi1 SUPPORT_CONV#<conversation> / same (chat poll) |
 * |             |                        |                    | gsi2 SUPPORT_APP#<applicationId> / same, or with no |
 * |             |                        |                    |   application, until anonymised: gsi2             |
 * |             |                        |                    |   SUPPORT_DUE#open|answered / <since>#<id>          |
 * | support_mail| SUPPORT_MAIL#<emailHash>| SUPPORT#<id>      | (lookup: address given in the chat → its requests)  |
 * | kb_version  | KB#<versionId>         | KB                 | gsi3 KB_VERSIONS / <publishedAt>#<versionId>        |
 * | kb_pointer  | KB#CURRENT             | KB                 | (the published version in force, or none: the file) |
 * | kb_model    | KB#<versionId>         | MODEL              | (its trained FAQ classifier: parts' count, SHA-256; |
 * |             |                        |                    |   TTL expiresAt)                                    |
 * | kb_model_p. | KB#<versionId>         | MODEL#<n, 4 dig.>  | (350 KB of the gzipped classifier; TTL expiresAt)   |
 */
export const keys = {
  application: (id: string) => ({ pk: `APP#${id}`, sk: 'APP' }),
  siret: (siret: string) => ({ pk: `SIRET#${siret}`, sk: 'SIRET' }),
  event: (applicationId: string, key: string) => ({ pk: `APP#${applicationId}`, sk: `EVT#${key}` }),
  outbox: (applicationId: string, key: string) => ({ pk: `APP#${applicationId}`, sk: `OUTBOX#${key}` }),
  place: (applicationId: string, n: number) => ({ pk: `APP#${applicationId}`, sk: `PLACE#${pad(n)}` }),
  task: (taskId: string) => ({ pk: `TASK#${taskId}`, sk: 'TASK' }),
  dialog: (conversationId: string) => ({ pk: `DIALOG#${conversationId}`, sk: 'DIALOG' }),
  campaign: (code: string) => ({ pk: `CAMPAIGN#${code}`, sk: 'CAMPAIGN' }),
  network: (id: string) => ({ pk: `NETWORK#${id}`, sk: 'NETWORK' }),
  member: (siret: string, networkId: string) => ({ pk: `MEMBER#${siret}`, sk: `NETWORK#${networkId}` }),
  networkImport: (networkId: string, at: string, id: string) => ({
    pk: `NETWORK#${networkId}`,
    sk: `IMPORT#${at}#${id}`,
  }),
  networkInvitation: (networkId: string, siret: string) => ({ pk: `NETWORK#${networkId}`, sk: `INVITE#${siret}` }),
  invitationLink: (tokenHash: string) => ({ pk: `INVITE#${tokenHash}`, sk: 'INVITE' }),
  networkNotice: (networkId: string, siret: string) => ({ pk: `NETWORK#${networkId}`, sk: `NOTICE#${siret}` }),
  staff: (email: string) => ({ pk: `STAFF#${normaliseEmail(email)}`, sk: 'STAFF' }),
  session: (tokenHash: string) => ({ pk: `SESSION#${tokenHash}`, sk: 'SESSION' }),
  actorEmail: (emailHash: string, applicationId: string) => ({ pk: `ACTOR#${emailHash}`, sk: `APP#${applicationId}` }),
  signInCode: (codeHash: string) => ({ pk: `SIGNIN#${codeHash}`, sk: 'SIGNIN' }),
  config: () => ({ pk: 'CONFIG', sk: 'CONFIG' }),
  /** A named counter (entities/counters.ts): a département code, `login#…`, `campaign#…`. */
  counter: (name: string) => ({ pk: `COUNTER#${name}`, sk: 'COUNTER' }),
  /** The territory view's cached figures (entities/territory-snapshot.ts). */
  territorySnapshot: () => ({ pk: 'TERRITORY', sk: 'SNAPSHOT' }),
  change: (entity: string, at: string, id: string) => ({ pk: `AUDIT#${entity}`, sk: `${at}#${id}` }),
  erasure: (applicationId: string) => ({ pk: `APP#${applicationId}`, sk: 'ERASURE' }),
  searchRecord: (applicationId: string) => ({ pk: `APP#${applicationId}`, sk: 'SEARCH' }),
  subscription: (applicationId: string) => ({ pk: `APP#${applicationId}`, sk: 'SUBSCRIPTION' }),
  support: (id: string) => ({ pk: `SUPPORT#${id}`, sk: 'SUPPORT' }),
  knowledgeBaseVersion: (versionId: string) => ({ pk: `KB#${versionId}`, sk: 'KB' }),
  knowledgeBasePointer: () => ({ pk: 'KB#CURRENT', sk: 'KB' }),
};

/**
 * The listing of items that must be gone after a date (gsi3 `EXPIRES`): the retention job deletes them, because
 * dynalite never applies TTL and DynamoDB only eventually. Staff sessions carry it; so should any short-lived secret
 * (an actor's sign-in code or session): spread these keys into the item and the job removes it after `expiresAt`.
 */
export const EXPIRING = 'EXPIRES';
export const expiringKeys = (expiresAtEpochSeconds: number, key: { pk: string; sk: string }) => ({
  gsi3pk: EXPIRING,
  gsi3sk: `${new Date(expiresAtEpochSeconds * 1000).toISOString()}#${key.pk}#${key.sk}`,
});

/** Search index partition: the token's first two characters (a query of two characters or more hits one partition). */
export const searchPartition = (token: string) => `SEARCH#${token.slice(0, 2)}`;
export const searchEntry = (token: string, applicationId: string) => ({
  pk: searchPartition(token),
  sk: `${token}#${applicationId}`,
});

export const inboxPartition = (step: string) => `INBOX#${step}`;
export const inboxSortKey = (openedAt: string, taskId: string) => `${openedAt}#${taskId}`;
export const placeSortKey = (departement: string, applicationId: string, n: number) =>
  `${departement}#${applicationId}#${pad(n)}`;

export function pad(n: number): string {
  return String(n).padStart(4, '0');
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The key an address is looked up by: a hash of the normalised address, so the table's keys hold no address (the
 * application document keeps it, and erasing the document leaves only this unreadable hash behind).
 */
export function emailHash(email: string): string {
  return createHash('sha256')
    .update(`aptic-actor\u0000${normaliseEmail(email)}`)
    .digest('hex');
}

/**
 * Deterministic task id from (applicationId, step, round): a retried open-task Lambda finds the same task, and the
 * console can refer to a task without exposing the Step Functions token. 20 hex chars = 80 bits.
 */
export function taskIdFor(applicationId: string, step: string, round: number): string {
  return createHash('sha256').update(`${applicationId}\u0000${step}\u0000${round}`).digest('hex').slice(0, 20);
}
