import { STAGES } from '../domain/path.js';
import type { TaskItem } from '../store/store.js';
import { publicBase } from './actor-sign-in.js';
import { applicationSummary } from './console/search.js';
import type { Deps } from './ports.js';
import { enabledAdmins } from './staff-directory.js';

/** Outbox partition of the staff digests (they belong to no application): `APP#staff-digest`, key `<day>#<email>`. */
export const DIGEST_OUTBOX = 'staff-digest';
const DAY_MS = 86_400_000;
const PAGE = 200;

const dateFr = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });

export interface OverdueLine {
  taskId: string;
  applicationId: string;
  nom: string | null;
  step: string;
  dueAt: string;
  daysLate: number;
  assignee: string | null;
}

/**
 * The daily digest of overdue steps (issue 13, « escalation »): each assignee gets the overdue steps assigned to
 * them, each enabled admin every overdue step (assigned or not), local account or, on AWS, the user pool's admin group
 * (deps.staffDirectory). Run by the reminder job (hourly, both hosts); it
 * sends from `console.digestHourUtc` on, once per day and recipient: the outbox key `<day>#<email>` is claimed by a
 * conditional write before the e-mail leaves, so later runs of the same day send nothing twice. Nothing overdue,
 * nothing sent.
 */
export async function sendOverdueDigest(deps: Deps): Promise<{ sent: number; overdue: number; skipped?: string }> {
  const config = await deps.config();
  const now = deps.clock();
  if (now.getUTCHours() < config.console.digestHourUtc) return { sent: 0, overdue: 0, skipped: 'before_hour' };
  const lines = await overdueLines(deps, config.console.dueDays as Readonly<Record<string, number>>, now);
  if (lines.length === 0) return { sent: 0, overdue: 0 };
  // Local accounts and, on AWS, the Cognito user pool's admin group (admins may exist only there).
  const admins = await enabledAdmins(deps);
  const recipients = new Map<string, OverdueLine[]>();
  for (const email of admins) recipients.set(email, lines);
  for (const line of lines) {
    if (!line.assignee || admins.includes(line.assignee.toLowerCase())) continue;
    const own = recipients.get(line.assignee) ?? [];
    own.push(line);
    recipients.set(line.assignee, own);
  }
  const day = now.toISOString().slice(0, 10);
  let sent = 0;
  for (const [to, list] of recipients) {
    const { subject, text } = digestMessage(deps, list, { admin: admins.includes(to), day: now });
    const key = `${day}#${to}`;
    const channel = deps.mailer.channel;
    const fresh = await deps.store.outbox.putIfAbsent({
      applicationId: DIGEST_OUTBOX,
      key,
      at: now.toISOString(),
      subject,
      text,
      to,
      channel,
      delivered: false,
    });
    if (!fresh) continue;
    sent++;
    if (channel === 'outbox') continue;
    try {
      const { delivered } = await deps.mailer.send({ to, subject, text });
      if (delivered) await deps.store.outbox.markDelivered(DIGEST_OUTBOX, key);
    } catch (err) {
      deps.logger.warn({ err, key: day }, 'digest not sent; kept in the outbox');
    }
  }
  return { sent, overdue: lines.length };
}

/** Every open step past its due date, most overdue first, with the structure's name. */
export async function overdueLines(
  deps: Deps,
  dueDays: Readonly<Record<string, number>>,
  now: Date,
): Promise<OverdueLine[]> {
  const tasks: (TaskItem & { dueAt: string })[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.tasks.inboxByDue(dueDays, {}, { limit: PAGE, cursor, overdueAt: now.toISOString() });
    tasks.push(...page.tasks);
    cursor = page.next;
  } while (cursor);
  const names = new Map<string, string | null>();
  for (let i = 0; i < tasks.length; i += 100) {
    const ids = [...new Set(tasks.slice(i, i + 100).map((t) => t.applicationId))];
    for (const app of await deps.store.applications.getMany(ids)) names.set(app.id, applicationSummary(app).nom);
  }
  return tasks.map((t) => ({
    taskId: t.taskId,
    applicationId: t.applicationId,
    nom: names.get(t.applicationId) ?? null,
    step: t.step,
    dueAt: t.dueAt,
    daysLate: Math.max(1, Math.floor((now.getTime() - Date.parse(t.dueAt)) / DAY_MS)),
    assignee: t.assignee ?? null,
  }));
}

export function digestMessage(
  deps: Deps,
  lines: readonly OverdueLine[],
  options: { admin: boolean; day: Date },
): { subject: string; text: string } {
  const n = lines.length;
  const subject = `#APTIC : ${n} étape${n > 1 ? 's' : ''} en retard (${dateFr.format(options.day)})`;
  const intro = options.admin
    ? 'Voici les étapes ouvertes dont l’échéance est dépassée, assignées ou non :'
    : 'Voici les étapes qui vous sont assignées et dont l’échéance est dépassée :';
  const base = publicBase(deps);
  const body = lines.map((l) => {
    const stage = STAGES[l.step as keyof typeof STAGES]?.label ?? l.step;
    const who = options.admin ? ` — ${l.assignee ? `assignée à ${l.assignee}` : 'non assignée'}` : '';
    return `- ${l.nom ?? 'Demande'} (réf. ${l.applicationId.slice(0, 8)}) : ${stage}, échéance le ${dateFr.format(
      new Date(l.dueAt),
    )}, en retard de ${l.daysLate} jour${l.daysLate > 1 ? 's' : ''}${who}\n  ${base}/console/application.html?id=${l.applicationId}`;
  });
  return {
    subject,
    text: `${intro}\n\n${body.join('\n')}\n\nLa boîte de réception les montre avec le filtre « En retard » : ${base}/console?overdue=1`,
  };
}
