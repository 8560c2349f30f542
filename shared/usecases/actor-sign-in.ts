import * as z from 'zod';
import { isTerminal } from '../domain/path.js';
import { emailHash, normaliseEmail } from '../store/keys.js';
import type { ApplicationItem } from '../store/store.js';
import { confirmAddress } from './address-confirmation.js';
import { TooManyRequestsError, UnauthorizedError, UseCaseError } from './errors.js';
import type { Deps } from './ports.js';
import { addressesOf, hashToken, newActorSessionToken } from './principal.js';

/**
 * The actor's way back (docs/actor.md): an address asks for a sign-in link (`POST /api/actor/sign-in`, the chat's
 * « J'ai déjà fait une demande »), the link's single-use code opens an actor session (`POST /api/actor/sign-in/verify`)
 * over every application of that address, and the first link opened also confirms the applicant's address.
 */

/** Outbox keys of sign-in messages: the actor's own view of an application leaves them out. */
export const SIGN_IN_MESSAGE_PREFIX = 'signin#';

export const SignInRequestSchema = z
  .object({
    courriel: z
      .string({ error: 'Indiquez une adresse e-mail.' })
      .trim()
      .max(254, { error: 'Adresse e-mail trop longue.' })
      .pipe(z.email({ error: 'Adresse e-mail invalide.' })),
  })
  .strict();

export const SignInVerifySchema = z
  .object({
    code: z
      .string({ error: 'Le code est attendu.' })
      .trim()
      .regex(/^[A-Za-z0-9_-]{20,100}$/, { error: 'Code invalide.' }),
  })
  .strict();

/** The same words whatever the address: nobody learns from this answer whether an application uses it. */
export const SIGN_IN_ACCEPTED =
  'Si une demande est associée à cette adresse, un e-mail vient de lui être envoyé avec un lien de connexion (valable 30 minutes, utilisable une seule fois).';

export class InvalidSignInCodeError extends UseCaseError {
  override readonly name = 'InvalidSignInCodeError';
  override readonly httpStatus = 401;
  override readonly publicCode = 'invalid_code';
  constructor() {
    super(
      'Ce lien de connexion n’est plus valable (déjà utilisé, expiré ou inconnu). Demandez-en un nouveau : il arrive en quelques instants.',
    );
  }
}

const HOUR_S = 3600;
const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

/** The public address of the pages, without a trailing slash. */
export const publicBase = (deps: Deps): string => (deps.publicBaseUrl ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');

/** One counter per key and clock hour; beyond `cap`, 429 with the seconds left in the hour. */
async function throttle(deps: Deps, key: string, cap: number): Promise<void> {
  const now = epoch(deps.clock());
  const hour = Math.floor(now / HOUR_S);
  const ends = (hour + 1) * HOUR_S;
  const admitted = await deps.store.counters.incrementUpTo(`signin#${key}#${hour}`, cap, { expiresAt: ends + HOUR_S });
  if (!admitted) {
    throw new TooManyRequestsError(
      'Trop de demandes de lien de connexion. Merci de patienter avant de réessayer.',
      ends - now,
    );
  }
}

/** Applications filed under the address that still carry it (the lookup items may be stale), newest first. */
async function applicationsOf(deps: Deps, hash: string): Promise<ApplicationItem[]> {
  const ids = await deps.store.actorAccess.applicationsFor(hash);
  const apps = await deps.store.applications.getMany(ids);
  return apps.filter((app) => addressesOf(app).some((a) => emailHash(a) === hash));
}

/**
 * `POST /api/actor/sign-in` and the chat: throttled per address and per client IP (when known), then — only if
 * applications carry the address — one message with a fresh link. The answer takes at least `minResponseMs`
 * whether or not anything was sent, so its timing tells no more than its words.
 */
export async function requestSignIn(
  deps: Deps,
  input: z.infer<typeof SignInRequestSchema>,
  ctx: { ip?: string | null } = {},
): Promise<{ message: string }> {
  const config = (await deps.config()).actorSignIn;
  const address = normaliseEmail(input.courriel);
  const hash = emailHash(address);
  if (ctx.ip) await throttle(deps, `ip#${ctx.ip}`, config.perIpPerHour);
  await throttle(deps, `mail#${hash}`, config.perAddressPerHour);
  const started = performance.now();
  try {
    await sendSignInLink(deps, address, { purpose: 'sign_in' });
  } catch (err) {
    // The caller's answer does not depend on it (nor may it: that would tell the address exists).
    deps.logger.warn({ err }, 'sign-in link not sent');
  }
  const wait = config.minResponseMs - (performance.now() - started);
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  return { message: SIGN_IN_ACCEPTED };
}

/**
 * A fresh single-use code for `address`, e-mailed as `<PUBLIC_BASE_URL>/espace#code=<code>` when applications carry
 * the address (nothing otherwise). The code is stored hashed; the outbox keeps the message for staff and the local
 * host, with the link itself only where nothing leaves the machine (outbox channel): on SES the stored copy says a
 * link was sent, so the table never holds a working code.
 * `confirm`: the message sent at submission, asking to confirm the address.
 */
export async function sendSignInLink(
  deps: Deps,
  address: string,
  options: { purpose: 'sign_in' | 'confirm'; applicationId?: string },
): Promise<boolean> {
  const hash = emailHash(address);
  const apps = await applicationsOf(deps, hash);
  const target = options.applicationId ? apps.find((a) => a.id === options.applicationId) : apps[0];
  if (!target) return false;
  const config = (await deps.config()).actorSignIn;
  const now = deps.clock();
  const code = deps.newToken('x').slice(2);
  const codeHash = hashToken(code);
  await deps.store.actorAccess.putCode({
    codeHash,
    emailHash: hash,
    createdAt: now.toISOString(),
    expiresAt: epoch(now) + Math.round(config.codeMinutes * 60),
  });
  const base = publicBase(deps);
  const link = `${base}/espace#code=${code}`;
  const minutes = config.codeMinutes;
  const subject =
    options.purpose === 'confirm'
      ? 'Confirmez votre adresse e-mail pour votre demande #APTIC'
      : 'Votre lien de connexion #APTIC';
  const intro =
    options.purpose === 'confirm'
      ? 'Merci pour votre demande de qualification #APTIC. Pour que l’équipe l’examine, confirmez votre adresse e-mail en ouvrant ce lien :'
      : 'Voici votre lien pour retrouver votre demande #APTIC (espace demandeur et discussion) :';
  const after = `Ce lien est valable ${minutes} minutes et ne sert qu’une fois. Passé ce délai, demandez-en un nouveau sur ${base}/espace.${
    options.purpose === 'confirm'
      ? ' Sans confirmation, la demande expire au bout du délai indiqué sur votre espace.'
      : ' Si vous n’avez rien demandé, ignorez ce message.'
  }`;
  const text = `${intro}\n${link}\n${after}`;
  const channel = deps.mailer.channel;
  const key = `${SIGN_IN_MESSAGE_PREFIX}${codeHash.slice(0, 24)}`;
  await deps.store.outbox.putIfAbsent({
    applicationId: target.id,
    key,
    at: now.toISOString(),
    subject,
    text: channel === 'outbox' ? text : `${intro}\n[lien de connexion envoyé par e-mail]\n${after}`,
    to: address,
    channel,
    delivered: false,
  });
  if (channel === 'outbox') return true;
  const { delivered } = await deps.mailer.send({ to: address, subject, text });
  if (delivered) await deps.store.outbox.markDelivered(target.id, key);
  return true;
}

export interface VerifiedSignIn {
  token: string;
  expiresAt: string;
  applications: { id: string; stage: string; nom: string }[];
}

/**
 * `POST /api/actor/sign-in/verify`: uses the code (one conditional write: a used, expired or unknown code is a 401),
 * confirms the address of the applications waiting for it, and opens an actor session over the address's
 * applications (`acs_…`, `actorSignIn.sessionDays`; checked again at each use by resolvePrincipal).
 */
export async function verifySignIn(deps: Deps, input: z.infer<typeof SignInVerifySchema>): Promise<VerifiedSignIn> {
  const now = deps.clock();
  const used = await deps.store.actorAccess.consumeCode(hashToken(input.code), now.toISOString(), epoch(now));
  if (!used) throw new InvalidSignInCodeError();
  const config = (await deps.config()).actorSignIn;
  const apps: ApplicationItem[] = [];
  for (const app of await applicationsOf(deps, used.emailHash)) {
    // Opening the link proves the address: the first one lets the application on to staff review.
    apps.push(app.addressConfirmedAt || isTerminal(app.stage) ? app : await confirmAddress(deps, app));
  }
  const token = newActorSessionToken(deps);
  const expiresAt = epoch(now) + Math.round(config.sessionDays * 86_400);
  await deps.store.sessions.put({
    tokenHash: hashToken(token),
    kind: 'actor',
    subject: used.emailHash,
    createdAt: now.toISOString(),
    expiresAt,
    data: { applicationIds: apps.map((a) => a.id) },
  });
  return {
    token,
    expiresAt: new Date(expiresAt * 1000).toISOString(),
    applications: apps.map((a) => ({ id: a.id, stage: a.stage, nom: nomOf(a) })),
  };
}

function nomOf(app: ApplicationItem): string {
  const nom = (app.document as { structure?: { nom?: unknown } }).structure?.nom;
  return typeof nom === 'string' ? nom : '';
}

/** `POST /api/actor/sign-out`: the actor session ends at once (an `act_` token or an unknown one: nothing to end). */
export async function signOut(deps: Deps, bearer: string | null): Promise<void> {
  if (!bearer) throw new UnauthorizedError();
  if (bearer.startsWith('acs_')) await deps.store.sessions.delete(hashToken(bearer));
}

/** Indexes an application under its addresses (submission, corrected document). */
export async function indexApplicationAddresses(deps: Deps, app: ApplicationItem): Promise<void> {
  const hashes = addressesOf(app).map(emailHash);
  if (hashes.length) await deps.store.actorAccess.indexApplication(app.id, hashes, app.createdAt);
}
