import * as z from 'zod';
import { type ApplicationDocument, isProducer, MAX_PLACES_DOCUMENT, resolvePlaces } from '../domain/application.js';
import { type Issue, ValidationError } from '../domain/errors.js';
import { frenchToOsm } from '../domain/hours-fr.js';
import { checkOpeningHours } from '../domain/opening-hours.js';
import { ConflictError } from '../store/errors.js';
import type { ApplicationItem } from '../store/store.js';
import { ApplicationNotFoundError, WrongStageError } from './errors.js';
import { parseOrThrow } from './evaluate.js';
import { publishedPlacesWithCoordinates } from './place-coordinates.js';
import type { NationalRow } from './places.js';
import type { Deps } from './ports.js';
import { actorApplication, type Principal, requireActor } from './principal.js';

/**
 * After qualification (docs/actor.md « After qualification »): the actor edits its places (hours, contact, add or
 * remove, `publie: false` to keep one off the map); the document is updated under its version and the map's rows are
 * replaced. A row whose content did not change keeps its `date_maj`; a changed or new one gets today's.
 */

/** The full list of places, bare or as `{ lieux }`; `version` (optional) is the document version the client edited. */
export const PlacesBodySchema = z.union([
  z.array(z.unknown()).max(MAX_PLACES_DOCUMENT, `Lieux : ${MAX_PLACES_DOCUMENT} au maximum dans un document.`),
  z
    .object({
      lieux: z
        .array(z.unknown(), { error: 'Lieux : liste attendue.' })
        .max(MAX_PLACES_DOCUMENT, `Lieux : ${MAX_PLACES_DOCUMENT} au maximum dans un document.`),
      /** The services offered (`activite.services`, one list for every place): optional, unchanged when absent. */
      services: z.array(z.unknown()).optional(),
      version: z.number().int().positive().optional(),
    })
    .strict(),
]);

export const NOT_QUALIFIED_MESSAGE = 'Les lieux ne peuvent être modifiés que lorsque la structure est qualifiée.';

const HOURS_MESSAGE =
  'Horaires non compris : écrivez par exemple « du lundi au vendredi de 9h à 12h et de 14h à 17h » ou au format OpenStreetMap (« Mo-Fr 09:00-12:00,14:00-17:00 »).';

/** Hours as OSM `opening_hours`: kept when they parse, read from everyday French otherwise, refused if neither. */
export function normaliseHours(lieux: unknown[]): { lieux: unknown[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const out = lieux.map((l, i) => {
    if (!l || typeof l !== 'object' || Array.isArray(l)) return l;
    const h = (l as { horaires?: unknown }).horaires;
    if (typeof h !== 'string' || h.trim() === '') return l;
    if (checkOpeningHours(h.trim()).ok) return { ...l, horaires: h.trim() };
    const fr = frenchToOsm(h);
    if (fr.ok) return { ...l, horaires: fr.osm };
    issues.push({ path: `lieux.${i}.horaires`, message: HOURS_MESSAGE });
    return l;
  });
  return { lieux: out, issues };
}

/** A row's content without what the publication itself sets: equal content keeps the earlier `date_maj`. */
const contentOf = (row: Record<string, unknown>): string => {
  // Coordinates compare apart (below): a row published before coordinates existed is not « changed » by getting some.
  const { id: _id, date_maj: _d, latitude: _la, longitude: _lo, ...rest } = row;
  return JSON.stringify(
    Object.keys(rest)
      .sort()
      .map((k) => [k, rest[k]]),
  );
};

const coordinatesOf = (row: Record<string, unknown>): string => `${row.latitude ?? ''},${row.longitude ?? ''}`;

function publishes(app: ApplicationItem): boolean {
  return (app.document as { engagements?: { publication?: boolean } }).engagements?.publication === true;
}

/** PUT /api/applications/:id/places (the actor, only while `qualified`): 200 with the rows now on the map. */
export async function updatePlaces(
  deps: Deps,
  principal: Principal | null,
  id: string,
  body: unknown,
): Promise<{ id: string; version: number; published: NationalRow[] }> {
  const parsed = PlacesBodySchema.safeParse(body);
  if (!parsed.success) {
    throw new ValidationError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const given = Array.isArray(parsed.data)
    ? { lieux: parsed.data, version: undefined, services: undefined }
    : parsed.data;
  const actor = requireActor(principal, id);
  let app = actorApplication(actor, id) ?? (await deps.store.applications.get(id));
  if (!app) throw new ApplicationNotFoundError(id);
  if (app.stage !== 'qualified') throw new WrongStageError(NOT_QUALIFIED_MESSAGE, app.stage);
  if (given.version !== undefined && given.version !== app.version) throw new ConflictError(id, given.version);
  if (!isProducer(app.document as ApplicationDocument)) throw new WrongStageError(NOT_QUALIFIED_MESSAGE, app.stage);
  const hours = normaliseHours(given.lieux);
  if (hours.issues.length) throw new ValidationError(hours.issues);
  // The whole document goes through the domain's schema: each place is checked as at submission (paths `lieux.N.…`).
  const current = app.document as ApplicationDocument & { activite: Record<string, unknown> };
  const doc = parseOrThrow({
    ...current,
    lieux: hours.lieux,
    ...(given.services ? { activite: { ...current.activite, services: given.services } } : {}),
  });
  const now = deps.clock();
  const at = now.toISOString();
  for (let attempt = 0; ; attempt++) {
    try {
      app = await deps.store.applications.update(app.id, app.version, { document: doc as never, updatedAt: at });
      break;
    } catch (err) {
      // Someone else wrote meanwhile (a staff move, another tab): re-read once the stage still allows it, unless the
      // client named the version it edited (then the conflict is theirs to see).
      if (!(err instanceof ConflictError) || given.version !== undefined || attempt >= 4) throw err;
      const fresh = await deps.store.applications.get(id);
      if (!fresh) throw new ApplicationNotFoundError(id);
      if (fresh.stage !== 'qualified') throw new WrongStageError(NOT_QUALIFIED_MESSAGE, fresh.stage);
      app = fresh;
    }
  }
  const before = new Map(
    (await deps.store.places.listFor(id)).map((p) => [
      contentOf(p.place),
      { date: String(p.place.date_maj ?? ''), at: p.place.latitude === undefined ? null : coordinatesOf(p.place) },
    ]),
  );
  const rows = publishes(app) ? await publishedPlacesWithCoordinates(deps, app, resolvePlaces(doc), now) : [];
  for (const r of rows) {
    const kept = before.get(contentOf(r.place));
    if (kept?.date && (kept.at === null || kept.at === coordinatesOf(r.place)))
      r.place = { ...r.place, date_maj: kept.date };
  }
  await deps.store.places.replace(id, rows);
  await deps.store.history.append({
    applicationId: id,
    key: `places#${at}#${deps.newId()}`,
    at,
    actor: { kind: 'actor', id },
    type: 'places_updated',
    stage: 'qualified',
    data: { places: doc.profil === 'producteur' ? doc.lieux.length : 0, published: rows.length },
  });
  return { id, version: app.version, published: rows.map((r) => r.place as NationalRow) };
}
