import {
  fromSchemaLieuDeMediationNumerique,
  type LieuMediationNumerique,
  toSchemaServiceDataInclusion,
  toSchemaStructureDataInclusion,
} from '@gouvfr-anct/lieux-de-mediation-numerique';
import type { Deps } from '../ports.js';
import { listOpenDataRows, type OpenDataRow } from './open-data.js';

/**
 * The published places in the data·inclusion format the national platforms consume (structures and their services),
 * produced by the field's own library (@gouvfr-anct/lieux-de-mediation-numerique, the national map's transfer code)
 * from the very rows /api/lieux serves: one mapping, maintained by those who maintain the schemas, not a copy of ours.
 */
export interface DataInclusionExport {
  structures: ReturnType<typeof toSchemaStructureDataInclusion>[];
  services: ReturnType<typeof toSchemaServiceDataInclusion>[];
}

/** Our rows through the library's model; a row it refuses is left out (and counted in the log), never half-mapped. */
export function toDataInclusion(rows: readonly OpenDataRow[]): { export: DataInclusionExport; refused: number } {
  const lieux: LieuMediationNumerique[] = [];
  let refused = 0;
  for (const row of rows) {
    try {
      lieux.push(fromSchemaLieuDeMediationNumerique(row as never));
    } catch {
      refused++;
    }
  }
  return {
    export: {
      structures: lieux.map((l) => toSchemaStructureDataInclusion(l)),
      services: lieux.map((l) => toSchemaServiceDataInclusion(l)),
    },
    refused,
  };
}

export async function listDataInclusion(deps: Deps, filter: { departement?: string } = {}) {
  const { export: out, refused } = toDataInclusion(await listOpenDataRows(deps, filter));
  if (refused > 0) deps.logger.warn({ refused }, 'published places the data·inclusion mapping refused');
  return out;
}
