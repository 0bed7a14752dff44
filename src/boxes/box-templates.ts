import { z } from 'zod';
import type { EscapeMode } from '../templates/render.js';

/** Where a box's settings hold templates, read from `.meta({ template })` on its zod schema. */
export interface BoxTemplates {
  /** String settings that are templates, with how each is escaped (`ctx.setting(name)` renders these). */
  readonly modes: Readonly<Record<string, EscapeMode>>;
  /** Every setting holding templates, also as the values of a record or the items of a list (`links`, `headers`, `set`). */
  readonly keys: readonly string[];
}

interface SchemaNode {
  template?: EscapeMode;
  anyOf?: SchemaNode[];
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
}

const cache = new WeakMap<z.ZodType, BoxTemplates>();

/** The templated settings of a box type's settings schema; computed once per schema. */
export function templatesOf(settings: z.ZodType): BoxTemplates {
  const known = cache.get(settings);
  if (known) return known;
  // The JSON Schema export carries the metadata and unwraps optional, default and refine alike.
  const schema = z.toJSONSchema(settings, { io: 'input', unrepresentable: 'any' }) as SchemaNode;
  const modes: Record<string, EscapeMode> = {};
  const keys: string[] = [];
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const own = modeOf(property);
    if (own) modes[key] = own;
    if (own || inner(property).some((node) => modeOf(node))) keys.push(key);
  }
  const found = { modes, keys };
  cache.set(settings, found);
  return found;
}

function modeOf(node: SchemaNode): EscapeMode | undefined {
  return node.template ?? node.anyOf?.map(modeOf).find(Boolean);
}

/** The schemas nested one level inside: record values, list items, union members' own. */
function inner(node: SchemaNode): SchemaNode[] {
  const nested: SchemaNode[] = [];
  if (node.additionalProperties && typeof node.additionalProperties === 'object') nested.push(node.additionalProperties);
  if (node.items) nested.push(node.items);
  for (const member of node.anyOf ?? []) nested.push(...inner(member));
  return nested;
}
