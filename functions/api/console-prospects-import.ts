import { HttpError, json, type RouteFactory } from '../../shared/http/http.js';
import { importProspects } from '../../shared/usecases/console/prospects.js';
import { consoleStaff } from './console-common.js';

/**
 * Served by the Lambda of console-prospects.ts (one function for the prospect routes).
 * POST /api/console/prospects/import (staff), body = a CSV of the national schema of places of digital mediation
 * (`Content-Type: text/csv`; UTF-8, or Windows-1252 as a spreadsheet saves it: detected; `,`, `;` or tab), optionally
 * `Content-Encoding: gzip` (the console page compresses: 20,000 rows fit the 4 MiB a Lambda request allows). → 200
 * { imported, updated, unchanged, rejected: [{ line, errors }], delimiter, encoding, message }; 400 for a file
 * refused as a whole (nothing imported, said so); 413 above 4 MiB; 503 when the import stopped half way (said so).
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const staff = await consoleStaff(deps, req);
  if (!/^(text\/(csv|plain)|application\/(csv|vnd\.ms-excel))\b/i.test(req.headers['content-type'] ?? '')) {
    throw new HttpError(415, 'unsupported_media_type', 'Envoyez le fichier CSV lui-même (Content-Type: text/csv).');
  }
  const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity' && encoding !== 'gzip') {
    throw new HttpError(
      415,
      'unsupported_media_type',
      'Compression non prise en charge : envoyez le fichier tel quel ou en gzip.',
    );
  }
  const gzip = encoding === 'gzip';
  return json(
    200,
    await importProspects(deps, staff, { text: gzip ? '' : (req.body ?? ''), bytes: req.bodyBytes, gzip }),
  );
};
