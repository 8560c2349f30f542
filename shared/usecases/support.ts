import * as z from 'zod';
import { isProducer } from '../domain/application.js';
import type { ApplicationItem, SupportExcerptLine, SupportRequest } from '../store/store.js';
import { publicBase } from './actor-sign-in.js';
import { ConsoleConflictError, ConsoleValidationError } from './console/errors.js';
import { UseCaseError } from './errors.js';
import { tellActor } from './notify.js';
import type { Deps } from './ports.js';
import type { StaffPrincipal } from './principal.js';

/**
 * « Parler à quelqu’un » (issue 14 § 8, docs/console.md « Support requests »): the chat opens a support request with
 * an excerpt of the conversation, staff answer it in the console, the answer reaches the actor in the chat (shown on
 * the next turn or poll of the conversation that opened it) and by e-mail (with the way back, never a sign-in link).
 * The time to the first answer is stored on the request and measured (`SupportFirstAnswerSeconds`).
 */

export class SupportRequestNotFoundError extends UseCaseError {
  override readonly name = 'SupportRequestNotFoundError';
  override readonly httpStatus = 404;
  override readonly publicCode = 'not_found';
  constructor(readonly id: string) {
    super('Demande de contact introuvable.');
  }
}

// Personal data kept to a minimum in the excerpt: what staff need is the question, not the addresses and numbers
// typed along the way (the application, when linked, holds those).
const EMAIL = /[^\s@<>()]+@[^\s@<>()]+\.[A-Za-z]{2,}/g;
const PHONE = /(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}/g;
const LONG_NUMBER = /\d(?:[\s.]?\d){8,}/g;

/** Masks e-mail addresses, phone numbers and long numbers (SIRET, IBAN digits) in a text of the excerpt. */
export function maskPersonal(text: string): string {
  return text
    .replace(EMAIL, '[adresse masquée]')
    .replace(PHONE, '[téléphone masqué]')
    .replace(LONG_NUMBER, '[numéro masqué]');
}

const ExcerptLineSchema = z.strictObject({ who: z.enum(['actor', 'bot']), text: z.string().max(2000) });

export const OpenSupportRequestSchema = z.strictObject({
  conversationId: z.string().min(1).max(200),
  applicationId: z.uuid().nullable(),
  trigger: z.enum(['typed', 'button', 'misunderstood']),
  message: z
    .string()
    .trim()
    .min(1, 'Votre message est vide.')
    .max(2000, 'Votre message est trop long (2 000 caractères au maximum).'),
  excerpt: z.array(ExcerptLineSchema).max(50),
  courriel: z.email('Adresse e-mail invalide.').max(254).nullable(),
});
export type OpenSupportRequestInput = z.input<typeof OpenSupportRequestSchema>;

/** Called by the chat (bot/ports.ts): the request is stored at once, staff see it in the console list. */
export async function openSupportRequest(deps: Deps, input: unknown): Promise<{ id: string }> {
  const parsed = OpenSupportRequestSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConsoleValidationError(
      parsed.error.issues[0]?.message ?? 'Demande invalide.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const d = parsed.data;
  const config = await deps.config();
  const at = deps.clock().toISOString();
  const id = deps.newId();
  const excerpt: SupportExcerptLine[] = d.excerpt
    .slice(-config.handover.excerptMessages)
    .map((l) => ({ who: l.who, text: maskPersonal(l.text) }));
  const courriel = d.applicationId ? null : d.courriel;
  // The address's lookup first: the actor's export and erasure find every request made under it.
  if (courriel) await deps.store.support.indexAddress(courriel, id);
  await deps.store.support.create({
    id,
    version: 1,
    conversationId: d.conversationId,
    applicationId: d.applicationId,
    trigger: d.trigger,
    message: d.message,
    excerpt,
    courriel,
    status: 'open',
    createdAt: at,
    updatedAt: at,
    firstAnsweredAt: null,
    firstAnswerSeconds: null,
    answers: [],
  });
  deps.metrics.count('SupportRequests', { trigger: d.trigger });
  deps.logger.info(
    { supportRequestId: id, trigger: d.trigger, linked: d.applicationId !== null },
    'support request opened',
  );
  return { id };
}

/** What the console shows of a request (the staff member who answered is shown, the actor's address is not listed). */
export interface SupportRequestView {
  id: string;
  status: SupportRequest['status'];
  trigger: SupportRequest['trigger'];
  createdAt: string;
  firstAnsweredAt: string | null;
  firstAnswerSeconds: number | null;
  message: string;
  excerpt: SupportExcerptLine[];
  /** The application it is linked to, if any (the console links to its page). */
  application: { id: string; nom: string | null; stage: string } | null;
  /** Whether an e-mail answer can go out (an address on the application or given in the chat). */
  reachableByMail: boolean;
  /** Erased with its application: the text is gone, the dates and the time to first answer stay. */
  erased: boolean;
  answers: { at: string; by: string; text: string; shownInChat: boolean; mail: string }[];
}

const nameOf = (app: ApplicationItem): string | null =>
  (app.document as { structure?: { nom?: string } }).structure?.nom ?? null;

function addressOf(app: ApplicationItem | null, request: SupportRequest): string | null {
  // An erased application keeps no document to read an address from.
  if (app) {
    return !app.erasedAt && isProducer(app.document)
      ? (app.document.structure?.representant_legal?.courriel ?? null)
      : null;
  }
  return request.courriel;
}

function view(r: SupportRequest, app: ApplicationItem | null): SupportRequestView {
  return {
    id: r.id,
    status: r.status,
    trigger: r.trigger,
    createdAt: r.createdAt,
    firstAnsweredAt: r.firstAnsweredAt,
    firstAnswerSeconds: r.firstAnswerSeconds,
    message: r.message,
    excerpt: r.excerpt,
    application: app
      ? { id: app.id, nom: nameOf(app), stage: app.stage }
      : r.applicationId
        ? { id: r.applicationId, nom: null, stage: 'unknown' }
        : null,
    reachableByMail: addressOf(app, r) !== null,
    erased: Boolean(r.erasedAt),
    answers: r.answers.map((a) => ({
      at: a.at,
      by: a.by,
      text: a.text,
      shownInChat: Boolean(a.chatDeliveredAt),
      mail: a.mail
        ? a.mail.delivered
          ? 'envoyé'
          : a.mail.channel === 'outbox'
            ? 'boîte d’envoi'
            : 'non envoyé'
        : 'non envoyé',
    })),
  };
}

/** GET /api/console/support: the most recent requests, open ones first, with the median time to first answer. */
export async function listSupportRequests(deps: Deps, _staff: StaffPrincipal) {
  const requests = await deps.store.support.listRecent(100);
  const ids = [...new Set(requests.map((r) => r.applicationId).filter((x): x is string => x !== null))];
  const apps = new Map((ids.length > 0 ? await deps.store.applications.getMany(ids) : []).map((a) => [a.id, a]));
  const views = requests.map((r) => view(r, r.applicationId ? (apps.get(r.applicationId) ?? null) : null));
  views.sort((a, b) => (a.status === b.status ? (a.createdAt < b.createdAt ? 1 : -1) : a.status === 'open' ? -1 : 1));
  const times = requests
    .map((r) => r.firstAnswerSeconds)
    .filter((x): x is number => x !== null)
    .sort((a, b) => a - b);
  const median = times.length === 0 ? null : times[Math.floor((times.length - 1) / 2)]!;
  return { requests: views, open: views.filter((v) => v.status === 'open').length, medianFirstAnswerSeconds: median };
}

export const SupportAnswerBodySchema = z.strictObject({
  text: z
    .string({ error: 'Écrivez la réponse.' })
    .trim()
    .min(2, 'La réponse est vide.')
    .max(4000, 'La réponse est trop longue (4 000 caractères au maximum).'),
});

/**
 * POST /api/console/support/:id/answer: the staff answer is stored on the request (the chat shows it on the
 * conversation's next turn or poll) and e-mailed — through the application's outbox when one is linked, straight
 * to the address given in the chat otherwise. The first answer fixes the time to first answer.
 */
export async function answerSupportRequest(
  deps: Deps,
  staff: StaffPrincipal,
  id: string,
  body: unknown,
): Promise<SupportRequestView> {
  const parsed = SupportAnswerBodySchema.safeParse(body);
  if (!parsed.success) {
    throw new ConsoleValidationError(
      parsed.error.issues[0]?.message ?? 'Réponse invalide.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'text', message: i.message })),
    );
  }
  const text = parsed.data.text;
  const r = await deps.store.support.get(id);
  if (!r || r.erasedAt) throw new SupportRequestNotFoundError(id);
  const app = r.applicationId ? await deps.store.applications.get(r.applicationId) : null;
  const now = deps.clock();
  const at = now.toISOString();
  const first = r.firstAnsweredAt === null;
  const seconds = first
    ? Math.max(0, Math.round((now.getTime() - Date.parse(r.createdAt)) / 1000))
    : r.firstAnswerSeconds;
  const n = r.answers.length + 1;
  const stored = await deps.store.support.replace(
    {
      ...r,
      status: 'answered',
      updatedAt: at,
      firstAnsweredAt: r.firstAnsweredAt ?? at,
      firstAnswerSeconds: seconds,
      answers: [...r.answers, { at, by: staff.email, text, chatDeliveredAt: null }],
    },
    r.version,
  );
  if (!stored) throw new ConsoleConflictError('Quelqu’un vient de répondre à cette demande : rechargez la page.');
  if (first && seconds !== null) deps.metrics.measure?.('SupportFirstAnswerSeconds', seconds, 'Seconds');
  const mail = await mailAnswer(deps, stored, app, text, n);
  const latest = await recordMail(deps, stored, n - 1, mail);
  return view(latest, app);
}

type MailOutcome = { channel: 'ses' | 'outbox' | 'none'; delivered: boolean };

async function mailAnswer(
  deps: Deps,
  r: SupportRequest,
  app: ApplicationItem | null,
  answer: string,
  n: number,
): Promise<MailOutcome> {
  const base = publicBase(deps);
  const subject = 'Réponse de l’équipe #APTIC à votre message';
  // The way back, never a link that signs in by itself: an e-mail read weeks later must not open the application.
  const way = app
    ? `Votre espace demandeur : ${base}/espace (demandez-y un lien de connexion, envoyé à cette adresse). La discussion avec l’assistant : ${base}/`
    : `La discussion avec l’assistant : ${base}/`;
  const text = `Bonjour,\n\nVous avez demandé à parler à une personne de l’équipe #APTIC. Voici sa réponse :\n\n${answer}\n\n${way}`;
  const to = addressOf(app, r);
  if (app) {
    await tellActor(deps, app, { key: `support#${r.id}#${n}`, stage: app.stage, subject, text });
    const out = await deps.store.outbox.get(app.id, `support#${r.id}#${n}`);
    return { channel: to ? deps.mailer.channel : 'none', delivered: out?.delivered === true };
  }
  if (!to) return { channel: 'none', delivered: false };
  try {
    const { delivered, channel } = await deps.mailer.send({ to, subject, text });
    return { channel, delivered };
  } catch (err) {
    deps.logger.warn({ err, supportRequestId: r.id }, 'support answer e-mail not sent');
    return { channel: deps.mailer.channel, delivered: false };
  }
}

async function recordMail(deps: Deps, r: SupportRequest, index: number, mail: MailOutcome): Promise<SupportRequest> {
  let current: SupportRequest | null = r;
  for (let attempt = 0; current && attempt < 5; attempt++) {
    const answers = current.answers.map((a, i) => (i === index ? { ...a, mail } : a));
    const next = await deps.store.support.replace({ ...current, answers }, current.version);
    if (next) return next;
    current = await deps.store.support.get(r.id);
  }
  return current ?? r;
}

/**
 * The staff answers of a conversation's requests not shown in the chat yet, marked shown (the chat's next turn or
 * poll); `open` says whether a request of this conversation still waits for its first answer.
 */
export async function takeSupportAnswers(
  deps: Deps,
  conversationId: string,
): Promise<{ answers: { text: string; at: string }[]; open: boolean; any: boolean }> {
  const requests = await deps.store.support.ofConversation(conversationId);
  const out: { text: string; at: string }[] = [];
  const at = deps.clock().toISOString();
  for (const first of requests) {
    let r: SupportRequest | null = first;
    for (let attempt = 0; r && attempt < 5; attempt++) {
      const pending = r.answers.filter((a) => !a.chatDeliveredAt);
      if (pending.length === 0) break;
      const next = await deps.store.support.replace(
        { ...r, answers: r.answers.map((a) => (a.chatDeliveredAt ? a : { ...a, chatDeliveredAt: at })) },
        r.version,
      );
      if (next) {
        out.push(...pending.map((a) => ({ text: a.text, at: a.at })));
        break;
      }
      r = await deps.store.support.get(first.id);
    }
  }
  out.sort((a, b) => (a.at < b.at ? -1 : 1));
  return { answers: out, open: requests.some((r) => r.status === 'open'), any: requests.length > 0 };
}
