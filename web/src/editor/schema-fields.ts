/** Decides which form control edits a setting, from its JSON Schema and current value. */
import type { JsonSchema } from '../api/types.js';

export type FieldKind =
  | { kind: 'text'; enum?: undefined }
  | { kind: 'select'; options: string[] }
  | { kind: 'number'; integer: boolean }
  | { kind: 'boolean' }
  /** A string or a list of strings (`channel: incident` or `channel: ["#a", "#b"]`), written with commas. */
  | { kind: 'text-or-list' }
  | { kind: 'list' }
  | { kind: 'record' }
  | { kind: 'object-list'; item: JsonSchema }
  | { kind: 'object'; schema: JsonSchema }
  | { kind: 'yaml' };

const typeOf = (schema: JsonSchema) => (Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : schema.type);
const isStringish = (schema: JsonSchema) => typeOf(schema) === 'string' || typeof schema.const === 'string';
const isStringList = (schema: JsonSchema) => typeOf(schema) === 'array' && Boolean(schema.items) && isStringish(schema.items!);

/** The control for one setting. */
export function fieldKindOf(schema: JsonSchema, value: unknown): FieldKind {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches && branches.length > 0) {
    const strings = branches.filter(isStringish);
    const lists = branches.filter(isStringList);
    if (strings.length && lists.length && (value === undefined || typeof value === 'string' || isStringArray(value))) {
      return { kind: 'text-or-list' };
    }
    const enums = branches.flatMap((branch) => (typeof branch.const === 'string' ? [branch.const] : (branch.enum ?? []).filter((item): item is string => typeof item === 'string')));
    if (enums.length === branches.length && enums.length > 0) return { kind: 'select', options: enums };
    if (strings.length === branches.length && (value === undefined || typeof value === 'string')) return { kind: 'text' };
    return { kind: 'yaml' };
  }
  if (Array.isArray(schema.enum) && schema.enum.every((item) => typeof item === 'string')) {
    return { kind: 'select', options: schema.enum as string[] };
  }
  switch (typeOf(schema)) {
    case 'string':
      return value === undefined || typeof value === 'string' ? { kind: 'text' } : { kind: 'yaml' };
    case 'integer':
    case 'number':
      return value === undefined || typeof value === 'number' ? { kind: 'number', integer: typeOf(schema) === 'integer' } : { kind: 'yaml' };
    case 'boolean':
      return value === undefined || typeof value === 'boolean' ? { kind: 'boolean' } : { kind: 'yaml' };
    case 'array':
      if (value !== undefined && !Array.isArray(value)) return { kind: 'yaml' };
      if (schema.items && isStringish(schema.items) && (value === undefined || isStringArray(value))) return { kind: 'list' };
      if (schema.items && typeOf(schema.items) === 'object' && schema.items.properties && isObjectArray(value)) {
        return { kind: 'object-list', item: schema.items };
      }
      return { kind: 'yaml' };
    case 'object':
      if (value !== undefined && !isPlainObject(value)) return { kind: 'yaml' };
      if (schema.properties && Object.keys(schema.properties).length > 0) return { kind: 'object', schema };
      if (
        typeof schema.additionalProperties === 'object' &&
        isStringish(schema.additionalProperties) &&
        (value === undefined || Object.values(value as object).every((item) => typeof item === 'string'))
      ) {
        return { kind: 'record' };
      }
      return { kind: 'yaml' };
    default:
      return { kind: 'yaml' };
  }
}

const isStringArray = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string');
const isObjectArray = (value: unknown) => value === undefined || (Array.isArray(value) && value.every(isPlainObject));
const isPlainObject = (value: unknown): value is Record<string, unknown> => Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/** `a, b` → `['a', 'b']`; a single value stays a string. */
export function parseTextOrList(text: string): string | string[] | undefined {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  return parts.length === 1 && !text.includes(',') ? parts[0] : parts;
}

/** A setting's value shown in a text box: lists joined with commas. */
export function formatTextOrList(value: unknown): string {
  return Array.isArray(value) ? value.join(', ') : value === undefined || value === null ? '' : String(value);
}
