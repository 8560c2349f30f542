import type { HttpRequest, HttpResponse, RouteFactory } from '../../shared/http/http.js';
import { lambdaFor } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { unsubscribe } from '../../shared/usecases/console/stimulate.js';

/**
 * The unsubscribe link of invitations to prospects. GET /api/unsubscribe?t=… shows a page with one button (a mail
 * scanner that follows links must not unsubscribe anyone); POST /api/unsubscribe (the button, form field `t`, or a
 * one-click client with `?t=`) records the opt-out: the address is never invited again. Plain HTML, no script, no
 * style: nothing for a strict CSP to allow.
 */
const CSP = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function page(status: number, title: string, body: string): HttpResponse {
  return {
    statusCode: status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    },
    body: `<!doctype html>\n<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} – #APTIC</title></head><body><main><h1>${title}</h1>${body}</main></body></html>\n`,
  };
}

const escapeAttr = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '');

function tokenOf(req: HttpRequest): string {
  if (req.query.t) return req.query.t;
  if (req.method === 'POST' && req.body) return new URLSearchParams(req.body).get('t') ?? '';
  return '';
}

export const createRoute: RouteFactory = (deps) => async (req) => {
  const token = tokenOf(req);
  if (req.method !== 'POST') {
    if (!token)
      return page(
        400,
        'Lien incomplet',
        '<p>Ce lien de désinscription est incomplet : copiez-le en entier depuis le message reçu.</p>',
      );
    return page(
      200,
      'Ne plus recevoir d’invitation',
      `<p>Vous avez reçu une invitation à découvrir la qualification #APTIC parce que l’adresse de votre lieu est publiée en données ouvertes.</p><form method="post" action="/api/unsubscribe"><input type="hidden" name="t" value="${escapeAttr(token)}"><button type="submit">Ne plus recevoir d’invitation</button></form>`,
    );
  }
  const outcome = await unsubscribe(deps, token);
  if (outcome === 'unknown') {
    return page(
      404,
      'Lien inconnu',
      '<p>Ce lien de désinscription est inconnu ou incomplet : copiez-le en entier depuis le message reçu.</p>',
    );
  }
  return page(
    200,
    'Désinscription enregistrée',
    '<p>C’est fait : cette adresse ne recevra plus d’invitation #APTIC.</p>',
  );
};
export const handler = lambdaFor(createRoute, getDeps);
