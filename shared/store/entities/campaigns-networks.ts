import { keys } from '../keys.js';
import { strip, type TableClient } from '../table-client.js';
import type { CampaignItem, NetworkItem, NetworkMember } from '../types.js';

/** Campaign links (webinar, tour, hub, network): the context a submission carries. Listed by code. */
export class CampaignStore {
  constructor(private readonly table: TableClient) {}

  async put(campaign: CampaignItem): Promise<void> {
    await this.table.put({
      ...keys.campaign(campaign.code),
      type: 'campaign',
      gsi3pk: 'CAMPAIGN',
      gsi3sk: campaign.code,
      ...campaign,
    });
  }

  async get(code: string): Promise<CampaignItem | null> {
    return this.table.get<CampaignItem>(keys.campaign(code));
  }

  async list(): Promise<CampaignItem[]> {
    return this.table.listType<CampaignItem>('CAMPAIGN');
  }
}

/** Networks and their members (imported SIRETs): membership opens the network route. */
export class NetworkStore {
  constructor(private readonly table: TableClient) {}

  async put(network: NetworkItem): Promise<void> {
    await this.table.put({
      ...keys.network(network.id),
      type: 'network',
      gsi3pk: 'NETWORK',
      gsi3sk: `${network.name.toLowerCase()}#${network.id}`,
      ...network,
    });
  }

  async get(id: string): Promise<NetworkItem | null> {
    return this.table.get<NetworkItem>(keys.network(id));
  }

  /** Sorted by name. */
  async list(): Promise<NetworkItem[]> {
    return this.table.listType<NetworkItem>('NETWORK');
  }

  /** Batch put (CSV import): 25 per request, unprocessed items retried. Re-importing a member overwrites it. */
  async putMembers(networkId: string, members: Omit<NetworkMember, 'networkId'>[]): Promise<void> {
    await this.table.batchWrite(
      members.map((m) => ({
        PutRequest: {
          Item: {
            ...keys.member(m.siret, networkId),
            type: 'member',
            gsi3pk: `MEMBERS#${networkId}`,
            gsi3sk: m.siret,
            ...m,
            networkId,
          },
        },
      })),
    );
  }

  /** Members taken off the list (an import that replaces it): 25 per request. */
  async deleteMembers(networkId: string, sirets: readonly string[]): Promise<void> {
    if (sirets.length === 0) return;
    await this.table.batchWrite(sirets.map((siret) => ({ DeleteRequest: { Key: keys.member(siret, networkId) } })));
  }

  /** The networks a SIRET belongs to (for the network route and the attestation). */
  async membershipsOf(siret: string): Promise<NetworkMember[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': `MEMBER#${siret}` },
    });
    return items.map((i) => strip<NetworkMember>(i));
  }

  async listMembers(networkId: string): Promise<NetworkMember[]> {
    return this.table.listType<NetworkMember>(`MEMBERS#${networkId}`);
  }
}
