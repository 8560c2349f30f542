import { HttpError, json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { importPassInjections } from '../../shared/usecases/console/pass-injections.js';
import { consoleStaff } from './console-common.js';

/**
 * POST /api/console/pass-injections/import (admin), body = the CSV file itself (`Content-Type: text/csv`; UTF-8, or
 * Windows-1252 as a spreadsheet saves it: detected). → 200 { imported, unchanged, rejected: [{ line, errors }],
 * delimiter, encoding, message }; 400 for a file refused as a whole; 413 above the size limit.
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const admin = await consoleStaff(deps, req, 'admin');
  if (!/^(text\/(csv|plain)|application\/(csv|vnd\.ms-excel))\b/i.test(req.headers['content-type'] ?? '')) {
    throw new HttpError(415, 'unsupported_media_type', 'Envoyez le fichier CSV lui-même (Content-Type: text/csv).');
  }
  return json(200, await importPassInjections(deps, admin, { text: req.body ?? '', bytes: req.bodyBytes }));
};
export const handler = lambdaFor(createRoute, getDeps);
