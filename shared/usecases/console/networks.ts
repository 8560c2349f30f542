import * as z from 'zod';
import { DepartementCodeSchema } from '../../domain/geography.js';
import { ConflictError, NotFoundError } from '../../store/errors.js';
import type { NetworkImportRecord, NetworkItem, NetworkMember } from '../../store/store.js';
import type { Deps } from '../ports.js';
import type { StaffPrincipal } from '../principal.js';
import { ConsoleValidationError, PayloadTooLargeError } from './errors.js';
import { MAX_CSV_BYTES, type MemberRow, parseMembersCsv } from './network-csv.js';
import { noticeRemovedMembers } from './network-members.js';

/**
 * Networks with their cooperation agreements and member lists. The store keeps the network (agreement details,
 * members by SIRET); the configuration keeps what eligibility reads (name + agreement yes/no), so saving a network
 * also updates the configuration overrides. Every change is in the audit trail.
 */

export const NetworkSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9-]{2,60}$/, { error: 'Identifiant : lettres minuscules, chiffres et tirets.' })
      .optional(),
    name: z.string().trim().min(2, { error: 'Nom du réseau obligatoire.' }).max(120),
    agreement: z
      .object({
        signedAt: z.iso.date({ error: 'Date de signature attendue au format AAAA-MM-JJ.' }).optional(),
        scope: z.string().trim().max(500).optional(),
        // What the réseau route reads (shared/domain/eligibility.ts membershipInForce): dates, phases, départements.
        startsAt: z.iso.date({ error: "Date d'entrée en vigueur attendue au format AAAA-MM-JJ." }).nullish(),
        endsAt: z.iso.date({ error: 'Date de fin attendue au format AAAA-MM-JJ.' }).nullish(),
        phases: z
          .array(z.union([z.literal(1), z.literal(2), z.literal(3)]), { error: 'Phases : 1, 2 ou 3.' })
          .max(3)
          .nullish(),
        departements: z
          .array(DepartementCodeSchema, { error: 'Départements : codes comme « 87 », « 2A » ou « 974 ».' })
          .max(120)
          .nullish(),
      })
      .strict()
      .refine((a) => !a.startsAt || !a.endsAt || a.startsAt <= a.endsAt, {
        error: 'La fin de la convention doit suivre son entrée en vigueur.',
        path: ['endsAt'],
      })
      .nullable(),
  })
  .strict();

const slug = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'reseau';

export async function listNetworks(deps: Deps) {
  const [networks, config, notices] = await Promise.all([
    deps.store.networks.list(),
    deps.config(),
    deps.store.networkRecords.listOpenNotices(),
  ]);
  // `notices`: members removed from a list while they had an application, not yet acknowledged (every network).
  return { networks, configured: config.networks, notices };
}

export async function getNetwork(deps: Deps, id: string) {
  const network = await deps.store.networks.get(id);
  if (!network) throw new NotFoundError('network', id);
  const members = await deps.store.networks.listMembers(id);
  return { network, members };
}

export async function saveNetwork(deps: Deps, admin: StaffPrincipal, body: unknown) {
  const parsed = NetworkSchema.safeParse(body);
  if (!parsed.success) {
    throw new ConsoleValidationError(
      'Réseau invalide.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const input = parsed.data;
  const id = input.id ?? slug(input.name);
  const existing = await deps.store.networks.get(id);
  const now = deps.clock().toISOString();
  const network: NetworkItem = {
    id,
    name: input.name,
    agreement: input.agreement,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await deps.store.networks.put(network);
  await syncConfigNetwork(deps, admin, existing?.name ?? null, input.name, input.agreement !== null);
  await deps.store.audit.record({
    who: admin.email,
    what: existing ? 'network.update' : 'network.create',
    entity: `network:${id}`,
    data: { name: input.name, agreement: input.agreement },
  });
  return { network };
}

/** Keep the configuration's network list (read by eligibility) in step; retried on a concurrent config change. */
async function syncConfigNetwork(
  deps: Deps,
  admin: StaffPrincipal,
  oldName: string | null,
  name: string,
  agreement: boolean,
) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const [config, overrides] = await Promise.all([deps.config(), deps.store.config.getOverrides({ fresh: true })]);
    const key = (s: string) => s.trim().toLowerCase();
    const others = config.networks.filter(
      (n) => key(n.name) !== key(name) && (!oldName || key(n.name) !== key(oldName)),
    );
    const networks = [...others, { name, agreement }];
    try {
      await deps.store.config.putOverrides(
        { ...(overrides?.data ?? {}), networks },
        overrides?.version ?? 0,
        admin.email,
      );
      return;
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt === 2) throw err;
    }
  }
}

/**
 * Import members from a CSV text (UTF-8, `,` or `;`). Rows are validated one by one; the accepted ones are written
 * (re-importing a member overwrites it), the rejected ones are reported with their line and reasons. `replace`: the
 * file is the whole list, members absent from it are removed. Every import is kept in the network's history (who,
 * when, which SIRETs were added, removed or changed); a removed member who has an application is not disqualified:
 * staff get a notice (network-members.ts `noticeRemovedMembers`).
 */
export async function importMembers(
  deps: Deps,
  admin: StaffPrincipal,
  networkId: string,
  csv: string,
  mode: 'merge' | 'replace' = 'merge',
) {
  const network = await deps.store.networks.get(networkId);
  if (!network) throw new NotFoundError('network', networkId);
  if (Buffer.byteLength(csv, 'utf8') > MAX_CSV_BYTES) {
    throw new PayloadTooLargeError(
      `Le fichier est trop volumineux (${MAX_CSV_BYTES / 1024} Ko au plus) : découpez-le.`,
    );
  }
  const outcome = parseMembersCsv(csv);
  if (!outcome.ok) {
    throw new ConsoleValidationError(outcome.message, [{ path: 'file', message: outcome.message }]);
  }
  const importedAt = deps.clock().toISOString();
  const before = await deps.store.networks.listMembers(networkId);
  const diff = memberDiff(before, outcome.accepted, mode);
  await deps.store.networks.putMembers(
    networkId,
    outcome.accepted.map((m) => ({ siret: m.siret, name: m.name, data: m.data, importedAt })),
  );
  await deps.store.networks.deleteMembers(networkId, diff.removed);
  const record: NetworkImportRecord = {
    id: deps.newId(),
    networkId,
    at: importedAt,
    by: admin.email,
    mode,
    accepted: outcome.accepted.length,
    rejected: outcome.rejected.length,
    ...diff,
  };
  await deps.store.networkRecords.putImport(record);
  const notices = await noticeRemovedMembers(deps, admin, network, before, diff.removed, importedAt);
  const report = {
    networkId,
    mode,
    accepted: outcome.accepted.length,
    rejected: outcome.rejected,
    delimiter: outcome.delimiter,
    added: diff.added.length,
    removed: diff.removed.length,
    changed: diff.changed.length,
    notices,
  };
  await deps.store.audit.record({
    who: admin.email,
    what: 'network.import',
    entity: `network:${networkId}`,
    data: {
      mode,
      accepted: report.accepted,
      rejected: report.rejected.length,
      added: report.added,
      removed: report.removed,
      changed: report.changed,
      importId: record.id,
    },
  });
  return report;
}

const MEMBER_FIELDS = ['code_postal', 'commune', 'code_insee', 'departement', 'adresse', 'courriel'] as const;

/** What an import changes in the list: SIRETs added, removed (replace mode only) and changed (with the fields). */
export function memberDiff(
  before: readonly NetworkMember[],
  rows: readonly MemberRow[],
  mode: 'merge' | 'replace',
): Pick<NetworkImportRecord, 'added' | 'removed' | 'changed'> {
  const old = new Map(before.map((m) => [m.siret, m]));
  const added: string[] = [];
  const changed: { siret: string; fields: string[] }[] = [];
  for (const row of rows) {
    const prev = old.get(row.siret);
    if (!prev) {
      added.push(row.siret);
      continue;
    }
    const fields: string[] = [];
    if ((prev.name ?? '') !== row.name) fields.push('nom');
    const data = (prev.data ?? {}) as Record<string, unknown>;
    for (const f of MEMBER_FIELDS)
      if ((data[f] ?? '') !== ((row.data as Record<string, unknown>)[f] ?? '')) fields.push(f);
    if (fields.length) changed.push({ siret: row.siret, fields });
  }
  const kept = new Set(rows.map((r) => r.siret));
  const removed = mode === 'replace' ? before.filter((m) => !kept.has(m.siret)).map((m) => m.siret) : [];
  return { added, removed, changed };
}
