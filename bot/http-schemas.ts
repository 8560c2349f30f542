import * as z from 'zod';

// The chat's HTTP inputs, in a module of their own (zod only): the service parses with them and the OpenAPI
// description (functions/openapi.ts) shows them, without pulling Botkit and ws into what imports them.

/**
 * POST /api/messages body: a message, `hello` (the page's first call, which gets the greeting), or `poll` (no turn:
 * the team's answers to a support request not shown yet, docs/bot.md « Talking to a person »).
 */
export const ChatMessageSchema = z.union([
  z.object({ type: z.literal('message'), text: z.string() }).loose(),
  z.object({ type: z.literal('hello') }).loose(),
  z.object({ type: z.literal('poll') }).loose(),
]);

/** GET /api/faq query. */
export const FaqQuerySchema = z.object({
  q: z
    .string({
      error: 'Question manquante : posez-la dans le paramètre q (par exemple /api/faq?q=combien coûte le kit).',
    })
    .trim()
    .min(1, 'Question vide.')
    .max(500, 'Question trop longue (500 caractères au maximum).'),
});

/** POST /api/chat/session body (optional): the campaign code of the link that opened the page. */
export const ChatSessionBodySchema = z
  .object({
    campaign: z.string().max(64).nullish(),
    /** A network invitation's token (from `/go/<code>?m=…`); kept only with a running campaign. */
    invite: z
      .string()
      .regex(/^[A-Za-z0-9_-]{10,100}$/)
      .nullish()
      .catch(null),
    /** From the actor space: resume on one application with the actor token the page holds. */
    resume: z
      .object({ applicationId: z.uuid(), token: z.string().min(10).max(200) })
      .strict()
      .nullish(),
  })
  .loose();
