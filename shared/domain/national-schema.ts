// The national "lieux de médiation numérique" Table Schema (LaMednum/standard-mediation-num v1), read from
// shared/data at module load. Enumerations are derived from each field's regex so they are never retyped by hand
// (accents and quirks such as "Étapes numériques(La Poste)" stay exactly as the schema spells them).
import schemaJson from '../data/lieux-mediation-numerique.schema.json' with { type: 'json' };

export interface SchemaField {
  name: string;
  type: string;
  required: boolean;
  description?: string;
  pattern?: string;
  maxLength?: number;
}

interface RawField {
  name: string;
  type: string;
  description?: string;
  constraints?: { required?: boolean; pattern?: string; maxLength?: number };
}

export const SCHEMA_URL = new URL('../data/lieux-mediation-numerique.schema.json', import.meta.url);

// A static JSON import: esbuild inlines the schema into every Lambda bundle (24 KB), so no file has to travel.
const raw = schemaJson as { version?: string; name?: string; fields: RawField[] };

export const SCHEMA_VERSION: string = raw.version ?? 'unknown';

export const SCHEMA_FIELDS: readonly SchemaField[] = Object.freeze(
  raw.fields.map((f) =>
    Object.freeze({
      name: f.name,
      type: f.type,
      required: f.constraints?.required === true,
      ...(f.description !== undefined ? { description: f.description } : {}),
      ...(f.constraints?.pattern !== undefined ? { pattern: f.constraints.pattern } : {}),
      ...(f.constraints?.maxLength !== undefined ? { maxLength: f.constraints.maxLength } : {}),
    }),
  ),
);

export const FIELD_NAMES: readonly string[] = Object.freeze(SCHEMA_FIELDS.map((f) => f.name));
export const REQUIRED_FIELDS: readonly string[] = Object.freeze(
  SCHEMA_FIELDS.filter((f) => f.required).map((f) => f.name),
);

const ENUM_PREFIX = '(?:(?:^|\\|)(';
const ENUM_SUFFIX = '))+$';

/**
 * Values of a multi-valued enum pattern `(?:(?:^|\|)(A|B|C))+$`. Alternatives are split on unescaped `|` and regex
 * escapes are removed (`\(` → `(`). Throws when the pattern does not have that shape.
 */
export function enumFromPattern(pattern: string): string[] {
  if (!pattern.startsWith(ENUM_PREFIX) || !pattern.endsWith(ENUM_SUFFIX)) {
    throw new Error(`Not an enumeration pattern: ${pattern}`);
  }
  const body = pattern.slice(ENUM_PREFIX.length, -ENUM_SUFFIX.length);
  const values: string[] = [];
  let cur = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '\\' && i + 1 < body.length) {
      cur += body[i + 1];
      i++;
    } else if (ch === '|') {
      values.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  values.push(cur);
  return values;
}

export const ENUM_FIELDS = [
  'services',
  'modalites_accompagnement',
  'frais_a_charge',
  'publics_specifiquement_adresses',
  'prise_en_charge_specifique',
  'dispositif_programmes_nationaux',
  'formations_labels',
  'modalites_acces',
  'itinerance',
] as const;
export type EnumField = (typeof ENUM_FIELDS)[number];

/** A schema field by name (throws if absent: the schema file is part of the build). */
export function schemaField(name: string): SchemaField {
  const f = SCHEMA_FIELDS.find((x) => x.name === name);
  if (!f) throw new Error(`Field ${name} is not in the national schema`);
  return f;
}

/** The field's regex, compiled as the schema states it (for checking a `|`-joined cell). */
export function fieldRegex(name: string): RegExp {
  const p = schemaField(name).pattern;
  if (!p) throw new Error(`Field ${name} has no pattern`);
  return new RegExp(p, 'u');
}

type NonEmpty = readonly [string, ...string[]];

function enumOf(name: EnumField): NonEmpty {
  const p = schemaField(name).pattern;
  if (!p) throw new Error(`Field ${name} has no pattern`);
  const values = enumFromPattern(p);
  if (values.length === 0) throw new Error(`Field ${name} has an empty enumeration`);
  return Object.freeze(values) as unknown as NonEmpty;
}

export const NATIONAL_ENUMS: Readonly<Record<EnumField, NonEmpty>> = Object.freeze(
  Object.fromEntries(ENUM_FIELDS.map((n) => [n, enumOf(n)])) as Record<EnumField, NonEmpty>,
);

export const SERVICES = NATIONAL_ENUMS.services;
export const MODALITES_ACCOMPAGNEMENT = NATIONAL_ENUMS.modalites_accompagnement;
export const FRAIS_A_CHARGE = NATIONAL_ENUMS.frais_a_charge;
export const PUBLICS_SPECIFIQUEMENT_ADRESSES = NATIONAL_ENUMS.publics_specifiquement_adresses;
export const PRISE_EN_CHARGE_SPECIFIQUE = NATIONAL_ENUMS.prise_en_charge_specifique;
export const DISPOSITIF_PROGRAMMES_NATIONAUX = NATIONAL_ENUMS.dispositif_programmes_nationaux;
export const FORMATIONS_LABELS = NATIONAL_ENUMS.formations_labels;
export const MODALITES_ACCES = NATIONAL_ENUMS.modalites_acces;
export const ITINERANCE = NATIONAL_ENUMS.itinerance;

/** The two services that are equipment, not accompaniment (flag `no_accompaniment_service` when only these). */
export const EQUIPMENT_ONLY_SERVICES: readonly string[] = Object.freeze(
  SERVICES.filter((s) => /^(Accès internet|Acquisition de matériel)/.test(s)),
);
