import { stringify } from 'csv-stringify/sync';
import { FIELD_NAMES } from '../../domain/national-schema.js';
import type { Deps } from '../../runtime/deps.js';
import type { PlaceItem } from '../../store/store.js';

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
  const places = await deps.store.listPlaces(filter);
  return places.map((p) => toOpenDataRow(p.place));
}

/**
 * CSV as the schema says: UTF-8, comma separated, header = the schema's field names in order, several values in one
 * cell joined with `|` (already so in the rows), quotes only where needed (RFC 4180), CRLF line ends.
 */
export function toCsv(rows: OpenDataRow[]): string {
  return stringify(
    rows.map((r) => FIELD_NAMES.map((f) => r[f] ?? '')),
    { header: true, columns: [...FIELD_NAMES], record_delimiter: 'windows', cast: { number: (n) => String(n) } },
  );
}
