import { endedWithoutQualification, STAGES, type Stage } from '../../domain/path.js';
import { NotFoundError } from '../../store/errors.js';
import type { ApplicationItem, NetworkInvitation, NetworkItem, NetworkMember } from '../../store/store.js';
import { publicBase } from '../actor-sign-in.js';
import type { Deps } from '../ports.js';
import { hashToken, type StaffPrincipal } from '../principal.js';

/**
 * A network's page (docs/console.md « A network's page »): each member's state, invitations through a network
 * campaign link, the final approval of many members at once (the console calls the bulk decisions route with the
 * task ids listed here), the history of member imports and the notices of members removed while they had an
 * application.
 */

export type MemberState = 'not_invited' | 'invited' | 'applied' | 'in_review' | 'qualified' | 'refused' | 'closed';

const IN_REVIEW: ReadonlySet<Stage> = new Set(['staff_review', 'network_attestation', 'final_approval']);

export function memberState(app: ApplicationItem | undefined, invitation: NetworkInvitation | undefined): MemberState {
  if (!app) return invitation ? 'invited' : 'not_invited';
  if (app.stage === 'qualified' || app.stage === 'suspended') return 'qualified';
  if (app.stage === 'rejected' || app.stage === 'not_eligible') return 'refused';
  if (endedWithoutQualification(app.stage) || app.stage === 'failed') return 'closed';
  return IN_REVIEW.has(app.stage) ? 'in_review' : 'applied';
}

/** The campaign code of a network's invitations: one per network, created with the first invitation. */
export const invitationCampaignCode = (networkId: string) => `r-${networkId}`.slice(0, 40);

async function load(deps: Deps, networkId: string): Promise<NetworkItem> {
  const network = await deps.store.networks.get(networkId);
  if (!network) throw new NotFoundError('network', networkId);
  return network;
}

/** GET /api/console/networks/:id/overview. Reads: the members (one Query), their applications (BatchGets). */
export async function networkOverview(deps: Deps, networkId: string) {
  const network = await load(deps, networkId);
  const [members, invitations, imports, notices] = await Promise.all([
    deps.store.networks.listMembers(networkId),
    deps.store.networkRecords.listInvitations(networkId),
    deps.store.networkRecords.listImports(networkId),
    deps.store.networkRecords.listNotices(networkId),
  ]);
  const apps = await deps.store.applications.getManyBySiret(members.map((m) => m.siret));
  const invited = new Map(invitations.map((i) => [i.siret, i]));
  const rows = members.map((m) => {
    const app = apps.get(m.siret);
    const inv = invited.get(m.siret);
    const data = (m.data ?? {}) as Record<string, string | undefined>;
    return {
      siret: m.siret,
      name: m.name ?? null,
      commune: data.commune ?? null,
      codePostal: data.code_postal ?? null,
      departement: data.departement ?? null,
      hasEmail: Boolean(data.courriel),
      importedAt: m.importedAt,
      state: memberState(app, inv),
      invitedAt: inv?.sentAt ?? null,
      applicationId: app?.id ?? null,
      stage: app?.stage ?? null,
      stageLabel: app ? STAGES[app.stage].label : null,
      route: app?.route ?? null,
      // The open final approval's task: deterministic id, no Query (the bulk action decides it).
      finalApprovalTaskId:
        app?.stage === 'final_approval' ? deps.store.tasks.idFor(app.id, 'final_approval', app.round) : null,
    };
  });
  const counts: Record<MemberState, number> = {
    not_invited: 0,
    invited: 0,
    applied: 0,
    in_review: 0,
    qualified: 0,
    refused: 0,
    closed: 0,
  };
  for (const r of rows) counts[r.state]++;
  return {
    network,
    campaignCode: invitations.length ? invitationCampaignCode(networkId) : null,
    members: rows,
    counts,
    imports,
    notices: notices.sort((a, b) => (a.at < b.at ? 1 : -1)),
  };
}

const INVITATION = (network: NetworkItem, member: NetworkMember, link: string) => ({
  subject: `${network.name} vous invite à demander la qualification #APTIC`,
  text: [
    'Bonjour,',
    '',
    `Le réseau ${network.name} a signé une convention de coopération avec #APTIC : ses membres peuvent être qualifiés #APTIC sur l’attestation du réseau.`,
    `Votre structure (${member.name ?? member.siret}, SIRET ${member.siret}) figure sur la liste des membres. Pour faire votre demande, ouvrez ce lien : l’assistant connaît déjà votre SIRET, votre nom et votre commune.`,
    '',
    link,
    '',
    'L’équipe #APTIC',
  ].join('\n'),
});

export type InvitationStatus = 'sent' | 'already_applied' | 'already_invited' | 'no_address';

/**
 * POST /api/console/networks/:id/invitations: an e-mail to each member who has not applied (and was not invited
 * yet), with the network campaign link and a token that lets the chat pre-fill the import's SIRET, name and commune.
 * The message is kept in the outbox under `network:<id>` (no application exists yet) and sent where a mailer does.
 */
export async function inviteMembers(deps: Deps, staff: StaffPrincipal, networkId: string) {
  const network = await load(deps, networkId);
  const [members, invitations] = await Promise.all([
    deps.store.networks.listMembers(networkId),
    deps.store.networkRecords.listInvitations(networkId),
  ]);
  const apps = await deps.store.applications.getManyBySiret(members.map((m) => m.siret));
  const invited = new Set(invitations.map((i) => i.siret));
  const code = invitationCampaignCode(networkId);
  const now = deps.clock().toISOString();
  if (!(await deps.store.campaigns.get(code))) {
    await deps.store.campaigns.put({
      code,
      kind: 'network',
      label: network.name,
      route: 'reseau',
      network: network.name,
      createdAt: now,
    });
  }
  const results: { siret: string; status: InvitationStatus }[] = [];
  for (const m of members) {
    const email = ((m.data ?? {}) as Record<string, string | undefined>).courriel;
    let status: InvitationStatus;
    if (apps.has(m.siret)) status = 'already_applied';
    else if (invited.has(m.siret)) status = 'already_invited';
    else if (!email) status = 'no_address';
    else {
      await sendInvitation(deps, staff, network, m, email, code, now);
      status = 'sent';
    }
    results.push({ siret: m.siret, status });
  }
  const sent = results.filter((r) => r.status === 'sent').length;
  await deps.store.audit.record({
    who: staff.email,
    what: 'network.invite',
    entity: `network:${networkId}`,
    data: { sent, skipped: results.length - sent, campaign: code },
  });
  return { campaignCode: code, sent, results };
}

async function sendInvitation(
  deps: Deps,
  staff: StaffPrincipal,
  network: NetworkItem,
  member: NetworkMember,
  to: string,
  campaignCode: string,
  at: string,
) {
  const token = deps.newToken('inv');
  const tokenHash = hashToken(token);
  const data = (member.data ?? {}) as Record<string, string | undefined>;
  await deps.store.networkRecords.putInvitation(
    { networkId: network.id, siret: member.siret, campaignCode, tokenHash, sentAt: at, by: staff.email, to },
    {
      tokenHash,
      networkId: network.id,
      campaignCode,
      siret: member.siret,
      name: member.name ?? '',
      commune: data.commune ?? null,
      codePostal: data.code_postal ?? null,
      createdAt: at,
    },
  );
  const link = `${publicBase(deps)}/go/${campaignCode}?m=${encodeURIComponent(token)}`;
  const { subject, text } = INVITATION(network, member, link);
  const outboxId = `network:${network.id}`;
  const key = `invite#${member.siret}`;
  const channel = deps.mailer.channel;
  const fresh = await deps.store.outbox.putIfAbsent({
    applicationId: outboxId,
    key,
    at,
    subject,
    text,
    to,
    channel,
    delivered: false,
  });
  if (!fresh || channel === 'outbox') return;
  try {
    const { delivered } = await deps.mailer.send({ to, subject, text });
    if (delivered) await deps.store.outbox.markDelivered(outboxId, key);
  } catch (err) {
    deps.logger.warn({ err, networkId: network.id }, 'invitation e-mail not sent; kept in the outbox');
  }
}

/**
 * Members removed from the list (an import in `replace` mode) who have an application: it is not touched (no
 * silent disqualification), staff get a notice on the network's page and in the console's list, the application's
 * history says so, and the audit trail records it. Returns the number of notices written.
 */
export async function noticeRemovedMembers(
  deps: Deps,
  staff: StaffPrincipal,
  network: NetworkItem,
  before: readonly NetworkMember[],
  removed: readonly string[],
  at: string,
): Promise<number> {
  if (removed.length === 0) return 0;
  const names = new Map(before.map((m) => [m.siret, m.name ?? null]));
  const apps = await deps.store.applications.getManyBySiret(removed);
  let written = 0;
  for (const siret of removed) {
    const app = apps.get(siret);
    if (!app || endedWithoutQualification(app.stage)) continue;
    const fresh = await deps.store.networkRecords.putNotice({
      networkId: network.id,
      siret,
      at,
      by: staff.email,
      kind: 'member_removed',
      applicationId: app.id,
      stage: app.stage,
      memberName: names.get(siret) ?? null,
      status: 'open',
    });
    if (!fresh) continue;
    written++;
    await deps.store.history.append({
      applicationId: app.id,
      key: `network_member_removed#${network.id}#${at}`,
      at,
      actor: { kind: 'staff', id: staff.email },
      type: 'network_member_removed',
      stage: app.stage,
      data: { networkId: network.id, networkName: network.name },
    });
    await deps.store.audit.record({
      who: staff.email,
      what: 'network.member_removed',
      entity: `application:${app.id}`,
      data: { networkId: network.id, stage: app.stage },
    });
  }
  return written;
}

/** POST /api/console/networks/:id/notices/:siret/acknowledge. */
export async function acknowledgeNotice(deps: Deps, staff: StaffPrincipal, networkId: string, siret: string) {
  const done = await deps.store.networkRecords.acknowledgeNotice(
    networkId,
    siret,
    staff.email,
    deps.clock().toISOString(),
  );
  if (!done) throw new NotFoundError('network_notice', `${networkId}/${siret}`);
  await deps.store.audit.record({
    who: staff.email,
    what: 'network.notice_acknowledged',
    entity: `network:${networkId}`,
    data: { siret },
  });
  return { acknowledged: true };
}
