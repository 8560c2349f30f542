import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod';
import { DepartementCodeSchema, departementName } from '../../domain/geography.js';
import { emailHash } from '../../store/keys.js';
import type { Deps } from '../ports.js';
import type { StaffPrincipal } from '../principal.js';
import { campaignPath, createCampaign, type StoredCampaign } from './campaigns.js';
import { ConsoleConflictError, ConsoleValidationError } from './errors.js';
import { listProspects } from './prospects.js';

/**
 * Stimulating qualification in a territory in one action (docs/territory.md « Stimuler un territoire »): a
 * territorial campaign link (the existing campaign machinery) and one invitation per prospect of the département
 * that has not applied and publishes an e-mail address, through the mailer (the outbox on one machine), each with an
 * unsubscribe link. Never twice to one address for one campaign, never to an address that unsubscribed.
 *
 * Idempotent on retry: the campaign's code is derived from the territory, kind, start and label, so the same request
 * sent again finds its campaign and only invites the addresses that were not invited yet.
 */

const dateOrDateTime = (what: string) =>
  z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: `${what} : date AAAA-MM-JJ ou date et heure ISO 8601 (2026-12-15T15:00:00+01:00).`,
  });

export const StimulateSchema = z
  .strictObject({
    kind: z.enum(['webinar', 'tour', 'hub'], { error: 'Type : webinar, tour ou hub.' }),
    label: z
      .string({ error: 'Libellé obligatoire.' })
      .trim()
      .min(2, { error: 'Libellé obligatoire.' })
      .max(120, { error: 'Libellé trop long (120 caractères au plus).' }),
    startsAt: dateOrDateTime('Début'),
    endsAt: dateOrDateTime('Fin'),
  })
  .superRefine((v, ctx) => {
    if (String(v.endsAt).slice(0, 10) < String(v.startsAt).slice(0, 10)) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'La fin précède le début.' });
    }
  });

export interface StimulateResult {
  created: boolean;
  campaign: { code: string; url: string };
  invitations: {
    /** Invitations written (and sent by e-mail where the mailer sends) by this call. */
    queued: number;
    /** Addresses already invited to this campaign (a retry): not invited again. */
    alreadyInvited: number;
    /** Addresses that unsubscribed: never invited. */
    optedOut: number;
    /** Prospects that have not applied but publish no e-mail address. */
    withoutAddress: number;
    /** Prospects of the territory that have not applied. */
    prospects: number;
  };
}

export const campaignCodeFor = (departement: string, v: z.output<typeof StimulateSchema>) => {
  const h = createHash('sha256')
    .update(`${departement}\u0000${v.kind}\u0000${v.startsAt}\u0000${v.label.toLowerCase()}`)
    .digest('hex')
    .slice(0, 6);
  return `${v.kind}-${departement.toLowerCase()}-${String(v.startsAt).slice(0, 10)}-${h}`;
};

/** « le 15/12/2026 à 15:00 » (Paris time) or « du 15/12/2026 au 16/12/2026 ». */
function frenchDates(startsAt: string, endsAt: string): string {
  const fmt = (s: string) => {
    if (s.length === 10) return `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)}`;
    return new Intl.DateTimeFormat('fr-FR', {
      dateStyle: 'short',
      timeStyle: 'short',
      timeZone: 'Europe/Paris',
    })
      .format(new Date(s))
      .replace(' ', ' à ');
  };
  return startsAt.slice(0, 10) === endsAt.slice(0, 10)
    ? `le ${fmt(startsAt)}`
    : `du ${fmt(startsAt)} au ${fmt(endsAt)}`;
}

export const unsubscribeTokenHash = (token: string) =>
  createHash('sha256').update(`aptic-unsub\u0000${token}`).digest('hex');

/** POST /api/console/territories/:code/stimulate. */
export async function stimulateTerritory(
  deps: Deps,
  staff: StaffPrincipal,
  code: string,
  body: unknown,
): Promise<StimulateResult> {
  const dep = DepartementCodeSchema.safeParse(code.toUpperCase());
  if (!dep.success || !departementName(dep.data)) {
    throw new ConsoleValidationError('Département inconnu.', [
      { path: 'code', message: `Département inconnu : ${code.slice(0, 10)} (ex. 87, 2A, 974).` },
    ]);
  }
  const departement = dep.data;
  const parsed = StimulateSchema.safeParse(body);
  if (!parsed.success) {
    throw new ConsoleValidationError(
      parsed.error.issues[0]?.message ?? 'Demande invalide.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const v = parsed.data;
  const code_ = campaignCodeFor(departement, v);
  let campaign = (await deps.store.campaigns.get(code_)) as StoredCampaign | null;
  let created = false;
  if (campaign && (campaign.territory !== departement || campaign.kind !== v.kind)) {
    throw new ConsoleConflictError('Ce code de campagne est déjà pris par une autre campagne.', { code: code_ });
  }
  if (!campaign) {
    try {
      campaign = (
        await createCampaign(deps, staff, {
          code: code_,
          kind: v.kind,
          label: v.label,
          route: 'territoriale',
          territory: departement,
          startsAt: String(v.startsAt).slice(0, 10),
          endsAt: String(v.endsAt).slice(0, 10),
          utm: { source: 'invitation', medium: 'email', campaign: code_ },
        })
      ).campaign;
      created = true;
    } catch (err) {
      // Two clicks at once: the other request created it; carry on with it.
      if (!(err instanceof ConsoleConflictError)) throw err;
      campaign = (await deps.store.campaigns.get(code_)) as StoredCampaign | null;
      if (!campaign) throw err;
    }
  }
  const base = (deps.publicBaseUrl ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  const url = `${base}${campaignPath(campaign)}`;

  const { prospects } = await listProspects(deps, { departement, applied: 'false' });
  const byAddress = new Map<string, (typeof prospects)[number]>();
  let withoutAddress = 0;
  for (const p of prospects) {
    if (!p.courriel) withoutAddress++;
    else if (!byAddress.has(p.courriel)) byAddress.set(p.courriel, p);
  }
  const hashes = new Map([...byAddress.keys()].map((a) => [a, emailHash(a)] as const));
  const optedOutSet = await deps.store.invitations.optedOut([...hashes.values()]);
  const config = await deps.config();
  const at = deps.clock().toISOString();
  const dates = frenchDates(String(v.startsAt), String(v.endsAt));
  let queued = 0;
  let alreadyInvited = 0;
  let optedOut = 0;
  for (const [address, prospect] of byAddress) {
    const hash = hashes.get(address)!;
    if (optedOutSet.has(hash)) {
      optedOut++;
      continue;
    }
    const token = randomBytes(24).toString('base64url');
    const unsubscribe = `${base}/api/unsubscribe?t=${token}`;
    const fill = (t: string) =>
      t
        .replaceAll('{label}', v.label)
        .replaceAll('{dates}', dates)
        .replaceAll('{lien}', url)
        .replaceAll('{desinscription}', unsubscribe)
        .replaceAll('{nom}', prospect.nom);
    const subject = fill(config.prospects.invitationSubject);
    const text = fill(config.prospects.invitationText);
    await deps.store.invitations.saveUnsubscribeToken(unsubscribeTokenHash(token), hash, at);
    const channel = deps.mailer.channel;
    const fresh = await deps.store.invitations.claim({
      campaign: campaign.code,
      prospectId: prospect.id,
      emailHash: hash,
      to: address,
      subject,
      text,
      at,
      channel,
      delivered: false,
    });
    if (!fresh) {
      alreadyInvited++;
      continue;
    }
    queued++;
    if (channel === 'outbox') continue;
    try {
      const { delivered } = await deps.mailer.send({ to: address, subject, text });
      if (delivered) await deps.store.invitations.markDelivered(campaign.code, hash);
    } catch (err) {
      // The invitation stays recorded (undelivered): the console shows it; the address is never logged.
      deps.logger.warn({ err, campaign: campaign.code }, 'invitation not sent; kept in the outbox');
    }
  }
  await deps.store.audit.record({
    who: staff.email,
    what: 'territory.stimulate',
    entity: `campaign:${campaign.code}`,
    data: { departement, kind: v.kind, queued, alreadyInvited, optedOut, withoutAddress },
  });
  return {
    created,
    campaign: { code: campaign.code, url },
    invitations: { queued, alreadyInvited, optedOut, withoutAddress, prospects: prospects.length },
  };
}

/** The unsubscribe link: the address behind the token is never mailed an invitation again. */
export async function unsubscribe(deps: Deps, token: string): Promise<'done' | 'unknown'> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return 'unknown';
  const hash = await deps.store.invitations.emailHashForToken(unsubscribeTokenHash(token));
  if (!hash) return 'unknown';
  await deps.store.invitations.optOut(hash, deps.clock().toISOString());
  return 'done';
}
