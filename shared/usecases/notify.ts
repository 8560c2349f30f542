import { isProducer } from '../domain/application.js';
import type { Stage } from '../domain/path.js';
import type { ApplicationItem } from '../store/store.js';
import { publicBase } from './actor-sign-in.js';
import type { Deps } from './ports.js';

/**
 * One French message per change of stage, written for the actor. Kept in the store (the chat shows them when the
 * actor comes back; staff read the outbox locally) and sent by e-mail where a mailer delivers.
 * Never says « vous êtes qualifié·e » before the stage really is `qualified`.
 */
const MESSAGES: Partial<Record<Stage, (app: ApplicationItem) => { subject: string; text: string }>> = {
  not_eligible: (app) => ({
    subject: 'Votre demande #APTIC : il manque des prérequis',
    text: `Votre demande ne peut pas aller plus loin pour l'instant. Ce qui manque : ${app.reasons
      .map((r) => r.message)
      .join(' ; ')}. Vous pourrez refaire une demande une fois ces points réglés.`,
  }),
  waitlisted: () => ({
    subject: "Votre demande #APTIC est en liste d'attente",
    text: "Votre profil semble compatible, mais la qualification n'est pas encore ouverte pour votre situation (phase de la feuille de route ou volume du territoire). Nous gardons votre demande et vous prévenons dès qu'elle peut avancer.",
  }),
  staff_review: () => ({
    subject: 'Votre demande #APTIC est en cours d’examen',
    text: "Votre profil semble compatible. Un membre de l'équipe #APTIC examine maintenant votre demande ; vous serez prévenu·e de la suite.",
  }),
  changes_requested: () => ({
    subject: 'Votre demande #APTIC : des corrections sont demandées',
    text: "L'équipe #APTIC vous demande de compléter ou corriger votre demande. Connectez-vous à votre espace demandeur ou revenez dans la discussion pour voir le commentaire et envoyer les corrections.",
  }),
  actor_commitments: () => ({
    subject: 'Votre demande #APTIC : vos engagements',
    text: "Votre demande a été validée par l'équipe. Dernière étape de votre côté : accepter la Charte #APTIC et les conditions générales, confirmer l'abonnement au Kit #APTIC, et donner les coordonnées bancaires de la structure (IBAN, BIC) dans votre espace demandeur.",
  }),
  final_approval: () => ({
    subject: 'Votre demande #APTIC : validation finale',
    text: "Merci, vos engagements sont enregistrés. L'équipe #APTIC procède à la validation finale de votre qualification.",
  }),
  qualified: () => ({
    subject: 'Vous êtes qualifié·e #APTIC',
    text: 'Félicitations : votre structure est qualifiée #APTIC. Vos lieux apparaîtront sur la carte des acteurs qualifiés si vous avez accepté leur publication.',
  }),
  rejected: () => ({
    subject: "Votre demande #APTIC n'a pas été retenue",
    text: "Après examen, l'équipe #APTIC n'a pas retenu votre demande. Vous pouvez écrire au support pour en connaître les raisons.",
  }),
  expired: () => ({
    subject: 'Votre demande #APTIC a expiré',
    text: "Une étape de votre demande n'a pas été complétée à temps. Vous pouvez écrire au support pour la reprendre.",
  }),
  failed: () => ({
    subject: 'Votre demande #APTIC : incident technique',
    text: "Un incident technique a interrompu le traitement de votre demande. L'équipe #APTIC en est informée et reviendra vers vous.",
  }),
};

/** Stages that expect something from the actor: their messages carry the way back (actor space, chat). */
const ACTOR_STEPS: ReadonlySet<Stage> = new Set(['address_confirmation', 'changes_requested', 'actor_commitments']);

export async function notifyStage(
  deps: Deps,
  app: ApplicationItem,
  stage: Stage,
  round: number,
  variant?: string,
): Promise<void> {
  const build = MESSAGES[stage];
  if (!build) return;
  const built = build(app);
  const subject = variant ? `Rappel : ${built.subject}` : built.subject;
  // A step waiting on the actor says where to act: the actor space, where they ask for a sign-in link (never a
  // link that signs in by itself: an e-mail read weeks later must not open the application), and the chat.
  const text = ACTOR_STEPS.has(stage)
    ? `${built.text}\n\nVotre espace demandeur : ${publicBase(deps)}/espace (demandez-y un lien de connexion, envoyé à cette adresse). La discussion avec l’assistant : ${publicBase(deps)}/`
    : built.text;
  // Deterministic key: a retried Task rewrites the same message instead of sending a second one.
  const key = variant ? `r${round}#${stage}#${variant}` : `r${round}#${stage}`;
  await tellActor(deps, app, { key, stage, subject, text });
}

/**
 * One message to the actor under a deterministic key: kept in the outbox (the chat and the actor's export show it)
 * and sent by e-mail where a mailer delivers. A key already taken sends nothing (a retried call).
 */
export async function tellActor(
  deps: Deps,
  app: ApplicationItem,
  message: { key: string; stage: Stage; subject: string; text: string },
): Promise<void> {
  const { key, stage, subject, text } = message;
  const to = isProducer(app.document) ? (app.document.structure.representant_legal?.courriel ?? null) : null;
  const at = deps.clock().toISOString();
  // Claim the key first (one conditional write): a retried Task finds it taken and sends nothing twice. The message
  // is kept for the chat whatever happens to the e-mail.
  const channel = to ? deps.mailer.channel : 'outbox';
  const fresh = await deps.store.outbox.putIfAbsent({
    applicationId: app.id,
    key,
    at,
    stage,
    subject,
    text,
    to,
    channel,
    delivered: false,
  });
  if (!fresh || !to || channel === 'outbox') return;
  try {
    const { delivered } = await deps.mailer.send({ to, subject, text });
    if (delivered) await deps.store.outbox.markDelivered(app.id, key);
  } catch (err) {
    deps.logger.warn({ err, applicationId: app.id, stage }, 'e-mail not sent; kept in the outbox');
  }
}
