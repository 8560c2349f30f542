import { keys } from '../keys.js';
import { ABSENT, strip, type TableClient } from '../table-client.js';

/**
 * What happens around a network's member list: its imports (who, when, what changed), the invitations sent to its
 * members (and the campaign link token that pre-fills the chat), and the notices staff get when a member who has an
 * application leaves the list. All under the network's partition (one Query each), except the link token (looked up
 * by its hash) and the open notices (gsi3, for the console's list across networks).
 */

export interface NetworkImportRecord {
  id: string;
  networkId: string;
  at: string;
  by: string;
  /** `merge`: the file adds or updates members; `replace`: the file is the whole list (others are removed). */
  mode: 'merge' | 'replace';
  accepted: number;
  rejected: number;
  added: string[];
  removed: string[];
  changed: { siret: string; fields: string[] }[];
}

export interface NetworkInvitation {
  networkId: string;
  siret: string;
  campaignCode: string;
  /** SHA-256 of the link's token (the token itself is only in the e-mail). */
  tokenHash: string;
  sentAt: string;
  by: string;
  to: string;
}

/** The invitation link's token → what the chat may pre-fill (the import's data, not personal: a structure's). */
export interface InvitationLink {
  tokenHash: string;
  networkId: string;
  campaignCode: string;
  siret: string;
  name: string;
  commune: string | null;
  codePostal: string | null;
  createdAt: string;
}

export interface NetworkNotice {
  networkId: string;
  siret: string;
  at: string;
  /** Who imported the list that dropped the member. */
  by: string;
  kind: 'member_removed';
  applicationId: string;
  stage: string;
  memberName: string | null;
  status: 'open' | 'acknowledged';
  acknowledgedBy?: string;
  acknowledgedAt?: string;
}

const NOTICES = 'NETWORK_NOTICES';

export class NetworkRecordStore {
  constructor(private readonly table: TableClient) {}

  async putImport(record: NetworkImportRecord): Promise<void> {
    await this.table.put({
      ...keys.networkImport(record.networkId, record.at, record.id),
      type: 'net_import',
      ...record,
    });
  }

  /** Newest first. */
  async listImports(networkId: string): Promise<NetworkImportRecord[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.network(networkId).pk, ':s': 'IMPORT#' },
      ScanIndexForward: false,
    });
    return items.map((i) => strip<NetworkImportRecord>(i));
  }

  async putInvitation(inv: NetworkInvitation, link: InvitationLink): Promise<void> {
    await this.table.put({ ...keys.invitationLink(link.tokenHash), type: 'invite_link', ...link });
    await this.table.put({ ...keys.networkInvitation(inv.networkId, inv.siret), type: 'net_invite', ...inv });
  }

  async listInvitations(networkId: string): Promise<NetworkInvitation[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.network(networkId).pk, ':s': 'INVITE#' },
    });
    return items.map((i) => strip<NetworkInvitation>(i));
  }

  async invitationLink(tokenHash: string): Promise<InvitationLink | null> {
    return this.table.get<InvitationLink>(keys.invitationLink(tokenHash));
  }

  /** One notice per (network, member): a second removal of the same member keeps the first notice. */
  async putNotice(notice: NetworkNotice): Promise<boolean> {
    return this.table.put(
      {
        ...keys.networkNotice(notice.networkId, notice.siret),
        type: 'net_notice',
        gsi3pk: NOTICES,
        gsi3sk: `${notice.at}#${notice.networkId}#${notice.siret}`,
        ...notice,
      },
      ABSENT,
    );
  }

  async listNotices(networkId: string): Promise<NetworkNotice[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.network(networkId).pk, ':s': 'NOTICE#' },
    });
    return items.map((i) => strip<NetworkNotice>(i));
  }

  /** Open notices of every network, oldest first. */
  async listOpenNotices(): Promise<NetworkNotice[]> {
    return this.table.listType<NetworkNotice>(NOTICES);
  }

  /** Acknowledged: out of the open list, kept in the network's partition. False when there was no open notice. */
  async acknowledgeNotice(networkId: string, siret: string, by: string, at: string): Promise<boolean> {
    const done = await this.table.ifCondition(
      this.table.update({
        Key: keys.networkNotice(networkId, siret),
        UpdateExpression: 'SET #s = :a, acknowledgedBy = :b, acknowledgedAt = :t REMOVE gsi3pk, gsi3sk',
        ConditionExpression: '#s = :o',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':a': 'acknowledged', ':b': by, ':t': at, ':o': 'open' },
      }),
    );
    return done !== null;
  }
}
