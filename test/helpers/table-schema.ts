import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

/**
 * A small Frictionless Table Schema validator, driven entirely by the schema file: field names and order, types
 * (string, number, integer, boolean, date, datetime, year), `format` for dates, and the constraints required,
 * unique, pattern (anchored, as the spec says), minLength, maxLength, enum, minimum, maximum, plus the schema's
 * `missingValues` and `primaryKey`. Nothing about the national schema is written here.
 */
export interface TableSchemaField {
  name: string;
  type?: string;
  format?: string;
  constraints?: {
    required?: boolean;
    unique?: boolean;
    pattern?: string;
    minLength?: number;
    maxLength?: number;
    enum?: unknown[];
    minimum?: number;
    maximum?: number;
  };
}

export interface TableSchema {
  fields: TableSchemaField[];
  missingValues?: string[];
  primaryKey?: string | string[];
}

export interface SchemaError {
  row: number;
  field: string;
  message: string;
}

export function loadTableSchema(path: string | URL): TableSchema {
  return JSON.parse(readFileSync(path, 'utf8')) as TableSchema;
}

export const NATIONAL_SCHEMA_PATH = new URL('../../shared/data/lieux-mediation-numerique.schema.json', import.meta.url);

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** strftime-like patterns of `format` (e.g. `%d/%m/%Y`) → regex. */
function strftimeRegex(format: string): RegExp {
  const map: Record<string, string> = {
    '%Y': '\\d{4}',
    '%m': '\\d{2}',
    '%d': '\\d{2}',
    '%H': '\\d{2}',
    '%M': '\\d{2}',
    '%S': '\\d{2}',
  };
  const source = format.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%[YmdHMS]/g, (m) => map[m] ?? m);
  return new RegExp(`^${source}$`);
}

/** Checks one cell given as text (CSV) or as a JSON value; returns a message or null. */
function checkValue(field: TableSchemaField, value: unknown): string | null {
  const type = field.type ?? 'string';
  const c = field.constraints ?? {};
  const text = typeof value === 'string' ? value : String(value);
  switch (type) {
    case 'string':
      if (typeof value !== 'string') return `expected a string, got ${typeof value}`;
      break;
    case 'number':
      if (
        typeof value === 'number' ? !Number.isFinite(value) : !/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)
      ) {
        return `not a number: ${text}`;
      }
      break;
    case 'integer':
      if (typeof value === 'number' ? !Number.isInteger(value) : !/^[-+]?\d+$/.test(text))
        return `not an integer: ${text}`;
      break;
    case 'boolean':
      if (typeof value !== 'boolean' && !['true', 'false', 'True', 'False', 'TRUE', 'FALSE', '1', '0'].includes(text)) {
        return `not a boolean: ${text}`;
      }
      break;
    case 'date': {
      const format = field.format ?? 'default';
      if (format === 'default' || format === 'any') {
        if (!validDate(text)) return `not a date (YYYY-MM-DD): ${text}`;
      } else if (!strftimeRegex(format).test(text)) return `date not in format ${format}: ${text}`;
      break;
    }
    case 'datetime':
      if (Number.isNaN(Date.parse(text)) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) return `not a datetime: ${text}`;
      break;
    case 'year':
      if (!/^\d{4}$/.test(text)) return `not a year: ${text}`;
      break;
    default:
      return `unsupported type in schema: ${type}`;
  }
  if (c.pattern !== undefined && !new RegExp(`^(?:${c.pattern})$`, 'u').test(text))
    return `does not match pattern: ${text}`;
  if (c.maxLength !== undefined && [...text].length > c.maxLength) return `longer than ${c.maxLength} characters`;
  if (c.minLength !== undefined && [...text].length < c.minLength) return `shorter than ${c.minLength} characters`;
  if (c.enum !== undefined && !c.enum.map(String).includes(text)) return `not one of the allowed values: ${text}`;
  if (c.minimum !== undefined && Number(text) < c.minimum) return `below ${c.minimum}`;
  if (c.maximum !== undefined && Number(text) > c.maximum) return `above ${c.maximum}`;
  return null;
}

/** Validates rows given as objects (JSON export). Unknown keys are errors: a row carries the schema's fields only. */
export function validateRows(schema: TableSchema, rows: Record<string, unknown>[], fromText = false): SchemaError[] {
  const errors: SchemaError[] = [];
  const missing = new Set(schema.missingValues ?? ['']);
  const names = new Set(schema.fields.map((f) => f.name));
  const seen = new Map<string, Map<string, number>>();
  const primary = schema.primaryKey ? ([] as string[]).concat(schema.primaryKey) : [];
  rows.forEach((row, i) => {
    for (const key of Object.keys(row))
      if (!names.has(key)) errors.push({ row: i, field: key, message: 'not a field of the schema' });
    for (const field of schema.fields) {
      const raw = row[field.name];
      const absent = raw === undefined || raw === null || (typeof raw === 'string' && missing.has(raw));
      const c = field.constraints ?? {};
      if (absent) {
        if (c.required || primary.includes(field.name))
          errors.push({ row: i, field: field.name, message: 'required value missing' });
        continue;
      }
      const msg = checkValue(field, fromText && field.type !== 'string' ? String(raw) : raw);
      if (msg) errors.push({ row: i, field: field.name, message: msg });
      if (c.unique || (primary.length === 1 && primary[0] === field.name)) {
        const values = seen.get(field.name) ?? new Map<string, number>();
        const k = String(raw);
        if (values.has(k))
          errors.push({ row: i, field: field.name, message: `duplicate of row ${values.get(k)}: ${k}` });
        values.set(k, i);
        seen.set(field.name, values);
      }
    }
  });
  return errors;
}

export interface CsvValidation {
  header: string[];
  rows: Record<string, string>[];
  errors: SchemaError[];
}

/**
 * Validates a CSV text: UTF-8 (no replacement characters), comma-separated, header = the schema's field names in the
 * schema's order, then every row as text cells.
 */
export function validateCsv(schema: TableSchema, text: string): CsvValidation {
  const errors: SchemaError[] = [];
  if (text.includes('\uFFFD')) errors.push({ row: -1, field: '', message: 'not valid UTF-8' });
  const records = parse(text, { delimiter: ',', relax_column_count: false, bom: false }) as string[][];
  const [header = [], ...data] = records;
  const expected = schema.fields.map((f) => f.name);
  if (header.join(',') !== expected.join(',')) {
    errors.push({
      row: -1,
      field: '',
      message: `header differs from the schema's field names in order: ${header.join(',')}`,
    });
  }
  const rows = data.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
  errors.push(...validateRows(schema, rows, true));
  return { header, rows, errors };
}
