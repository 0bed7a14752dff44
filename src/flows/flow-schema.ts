import { z } from 'zod';
import { SEVERITIES } from '../alerts/alert.js';
import { CHAT_NAMES } from '../chat/adapters.js';

/** Incident events a flow can start on or a wait box can wait for. */
export const INCIDENT_EVENTS = ['declared', 'opened', 'mitigated', 'resolved', 'reopened'] as const;
export type IncidentEvent = (typeof INCIDENT_EVENTS)[number];

/** A text matcher: an exact value, a glob with `*`, or a `/regex/i`. A list matches any of them. */
const textMatch = z.union([z.string(), z.array(z.string()).min(1)]);

export const triggerSchema = z
  .object({
    /** `alert`: a new alert opens or joins an incident; the others are incident events. */
    on: z.enum(['alert', ...INCIDENT_EVENTS]).default('alert'),
    match: z
      .object({
        source: textMatch.optional(),
        title: textMatch.optional(),
        severity: z.union([z.enum(SEVERITIES), z.array(z.enum(SEVERITIES)).min(1)]).optional(),
        labels: z.record(z.string(), textMatch).optional(),
      })
      .strict()
      .default({}),
    /** When several flows match one alert, only those with the highest priority run. Catch-alls use a negative one. */
    priority: z.number().int().default(0),
  })
  .strict();

export type FlowTrigger = z.infer<typeof triggerSchema>;

/** Arrows leaving a box: one target, several (run in parallel), keyed by the box's named outputs. */
const targets = z.union([z.string(), z.array(z.string())]);

/** The fields every box has (BOX_BASE_KEYS in flow-graph.ts); its type's own settings sit beside them. */
export const boxBaseSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'a box id uses letters, digits, - and _ (it is referenced by arrows)'),
  type: z.string(),
  title: z.string().optional(),
  /** Arrows from the `next` output. */
  next: targets.optional(),
  /** Arrows from named outputs: `on: { rising: check-tunnel, stable: wait-more }`. */
  on: z.record(z.string(), targets).optional(),
  /** Canvas position for the editor; optional so diffs of flows stay about behaviour. */
  position: z.object({ x: z.number(), y: z.number() }).optional(),
  /** The chat this box talks in when several are configured (default: the flow's, else `chat.adapter`). */
  chat: z.enum(CHAT_NAMES).optional(),
});

export type BoxBase = z.infer<typeof boxBaseSchema>;

/** A box as written in a flow file: base fields plus the settings of its type. */
export type BoxDefinition = BoxBase & Record<string, unknown>;

export const flowSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'a flow id uses letters, digits, - and _'),
    name: z.string().optional(),
    description: z.string().optional(),
    enabled: z.boolean().default(true),
    trigger: triggerSchema,
    /** Path (relative to the flow file) of a sample alert payload, used by validate and the editor. */
    sample: z.object({ source: z.string(), file: z.string() }).strict().optional(),
    /** Flow variables, available to templates as `vars.<name>`. */
    vars: z.record(z.string(), z.unknown()).default({}),
    /** The chat this flow talks in when several are configured (Slack and Teams); default `chat.adapter`. */
    chat: z.enum(CHAT_NAMES).optional(),
    /** Boxes that start the run; defaults to every box no arrow points to. */
    start: z.array(z.string()).optional(),
    boxes: z.array(boxBaseSchema.passthrough()).min(1, 'a flow needs at least one box'),
  })
  .strict();

export type FlowDefinition = z.infer<typeof flowSchema> & { boxes: BoxDefinition[] };
