import { HttpError, json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { importProspects } from '../../shared/usecases/console/prospects.js';
import { consoleStaff } from './console-common.js';

/**
 * POST /api/console/prospects/import (staff), body = a CSV of the national schema of places of digital mediation
 * (`Content-Type: text/csv`; UTF-8, or Windows-1252 as a spreadsheet saves it: detected; `,`, `;` or tab). → 200
 * { imported, updated, unchanged, rejected: [{ line, errors }], delimiter, encoding, message }; 400 for a file
 * refused as a whole (nothing imported, said so); 413 above 4 MiB; 503 when the import stopped half way (said so).
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const staff = await consoleStaff(deps, req);
  if (!/^(text\/(csv|plain)|application\/(csv|vnd\.ms-excel))\b/i.test(req.headers['content-type'] ?? '')) {
    throw new HttpError(415, 'unsupported_media_type', 'Envoyez le fichier CSV lui-même (Content-Type: text/csv).');
  }
  return json(200, await importProspects(deps, staff, { text: req.body ?? '', bytes: req.bodyBytes }));
};
export const handler = lambdaFor(createRoute, getDeps);
