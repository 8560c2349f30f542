import { toCsvText } from '../../domain/csv.js';
import { FIELD_NAMES } from '../../domain/national-schema.js';
import type { PlaceItem } from '../../store/store.js';
import { withCentreIfMissing } from '../place-coordinates.js';
import type { Deps } from '../ports.js';

/**
 * The open-data export: qualified places whose actors agreed to publication (only those are in the places index:
 * the Qualify step writes them), as rows of the national schema. Only the schema's own fields leave, in its order:
 * anything else a row might carry is dropped here, so no personal data (legal representative, e-mails) can leak
 * through a later change of the row builder.
 */
export type OpenDataRow = Record<string, string | number>;

export function toOpenDataRow(place: PlaceItem['place']): OpenDataRow {
  const row: OpenDataRow = {};
  for (const name of FIELD_NAMES) {
    const v = place[name];
    if (v === undefined || v === null || v === '') continue;
    row[name] = typeof v === 'number' ? v : String(v);
  }
  return row;
}

export async function listOpenDataRows(deps: Deps, filter: { departement?: string } = {}): Promise<OpenDataRow[]> {
  const places = await deps.store.places.list(filter);
  // Places published before coordinates existed get their commune's centre here (docs/places-geo.md).
  return places.map((p) => toOpenDataRow(withCentreIfMissing(p.place)));
}

/**
 * CSV as the schema says: UTF-8 (no BOM), comma separated, header = the schema's field names in order, several values
 * in one cell joined with `|` (already so in the rows), CRLF line ends. Written by hand: csv-stringify took 400 ms
 * for 10,000 rows, this takes a few ms (test/bench/console.ts), and the open-data test parses it back with csv-parse.
 * Cells go through `csvCell` (shared/domain/csv.ts), which neutralises formula injection and keeps numbers and
 * `+33…` phone numbers exact, so the file stays valid against the schema.
 */
export function toCsv(rows: OpenDataRow[]): string {
  return toCsvText(FIELD_NAMES, rows);
}
