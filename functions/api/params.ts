import * as z from 'zod';
import { HttpError, type HttpRequest } from '../../shared/http/http.js';

/** Path ids, parsed at the edge: anything else is a 404, never a store lookup. Exported for the OpenAPI description. */
export const ApplicationIdSchema = z.uuid();
export const TaskIdSchema = z.string().regex(/^[0-9a-f]{20}$/);
/** Networks are named by slugs. */
export const NetworkIdSchema = z.string().regex(/^[a-z0-9-]{2,60}$/);

/** Staff accounts are named by their e-mail address (percent-encoded in the path or not). */
export const StaffEmailSchema = z.email().max(254);

export function staffEmailParam(req: HttpRequest): string {
  const parsed = StaffEmailSchema.safeParse(req.params.email ?? '');
  if (!parsed.success) throw new HttpError(404, 'not_found', 'Compte introuvable.');
  return parsed.data.toLowerCase();
}

export function applicationIdParam(req: HttpRequest): string {
  const parsed = ApplicationIdSchema.safeParse(req.params.id);
  if (!parsed.success) throw new HttpError(404, 'not_found', 'Demande introuvable.');
  return parsed.data;
}

export function taskIdParam(req: HttpRequest): string {
  const parsed = TaskIdSchema.safeParse(req.params.taskId ?? '');
  if (!parsed.success) throw new HttpError(404, 'not_found', 'Tâche introuvable.');
  return parsed.data;
}

export function networkIdParam(req: HttpRequest): string {
  const parsed = NetworkIdSchema.safeParse(req.params.id ?? '');
  if (!parsed.success) throw new HttpError(404, 'not_found', 'Réseau introuvable.');
  return parsed.data;
}

/** A member's SIRET in a network path (14 digits). */
export const SiretParamSchema = z.string().regex(/^\d{14}$/);

export function siretParam(req: HttpRequest): string {
  const parsed = SiretParamSchema.safeParse(req.params.siret ?? '');
  if (!parsed.success) throw new HttpError(404, 'not_found', 'Membre introuvable.');
  return parsed.data;
}

/** Support requests (« parler à quelqu’un ») are named by a UUID. */
export const SupportIdSchema = z.uuid();

export function supportIdParam(req: HttpRequest): string {
  const parsed = SupportIdSchema.safeParse(req.params.id ?? '');
  if (!parsed.success) throw new HttpError(404, 'not_found', 'Demande de contact introuvable.');
  return parsed.data;
}

/** Campaign codes (CampaignSchema's rule; older random codes are 8 hex characters, which it accepts too). */
export const CampaignCodeSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{2,39}$/);

export function campaignCodeParam(req: HttpRequest): string {
  const parsed = CampaignCodeSchema.safeParse(req.params.code ?? '');
  if (!parsed.success) throw new HttpError(404, 'not_found', 'Lien de campagne introuvable.');
  return parsed.data;
}
