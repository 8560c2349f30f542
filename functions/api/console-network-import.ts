import { HttpError, json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { MAX_CSV_BYTES } from '../../shared/usecases/console/network-csv.js';
import { importMembers } from '../../shared/usecases/console/networks.js';
import { consoleStaff, networkIdParam } from './console-common.js';

/**
 * POST /api/console/networks/:id/members (admin), body = the CSV file itself (`Content-Type: text/csv`, UTF-8).
 * → 200 { accepted, rejected: [{ line, siret, errors }] }; 400 for a file refused as a whole (encoding, header,
 * too many rows); 413 above the size limit. The answer also says how many members were added, removed, changed, and
 * how many removal notices staff got.
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const admin = await consoleStaff(deps, req, 'admin');
  const id = networkIdParam(req);
  const type = req.headers['content-type'] ?? '';
  if (!/^text\/(csv|plain)\b/i.test(type)) {
    throw new HttpError(415, 'unsupported_media_type', 'Envoyez le fichier CSV lui-même (Content-Type: text/csv).');
  }
  const charset = /charset=([^;]+)/i.exec(type)?.[1]?.trim().toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new HttpError(
      400,
      'validation_error',
      'Le fichier doit être encodé en UTF-8 (enregistrez-le au format « CSV UTF-8 »).',
    );
  }
  const body = req.body ?? '';
  if (Buffer.byteLength(body, 'utf8') > MAX_CSV_BYTES) {
    throw new HttpError(
      413,
      'payload_too_large',
      `Le fichier est trop volumineux (${MAX_CSV_BYTES / 1024} Ko au plus) : découpez-le.`,
    );
  }
  // `?mode=replace`: the file is the whole list (members absent from it are removed; staff get a notice for those
  // who have an application). Default `merge`: the file adds or updates members.
  const mode =
    req.query.mode === 'replace'
      ? 'replace'
      : req.query.mode === undefined || req.query.mode === 'merge'
        ? 'merge'
        : null;
  if (!mode) throw new HttpError(400, 'validation_error', 'Paramètre mode : « merge » ou « replace ».');
  return json(200, await importMembers(deps, admin, id, body, mode));
};
export const handler = lambdaFor(createRoute, getDeps);
