import * as z from 'zod';
import { HttpError, type HttpRequest } from '../../shared/http/http.js';

const IdSchema = z.uuid();

/** Path ids are parsed at the edge: anything but a UUID is a 404, never a store lookup. */
export function applicationIdParam(req: HttpRequest): string {
  const parsed = IdSchema.safeParse(req.params.id);
  if (!parsed.success) throw new HttpError(404, 'not_found', 'Demande introuvable.');
  return parsed.data;
}

export function taskIdParam(req: HttpRequest): string {
  const id = req.params.taskId ?? '';
  if (!/^[0-9a-f]{20}$/.test(id)) throw new HttpError(404, 'not_found', 'Tâche introuvable.');
  return id;
}
