import { z } from 'zod';
import { SEVERITIES } from './alert.js';
import { checkPath } from './mapping/read-path.js';

const pathSchema = z.string().superRefine((path, ctx) => {
  const problem = checkPath(path);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Where the generic source finds each field: dotted paths (`labels.service`) or JSONPath (`$.a[0]`). */
export const genericMappingSchema = z.strictObject({
  /** Path to an array of alerts; without it the body is one alert (or an array of them). */
  alerts: pathSchema.optional(),
  key: pathSchema.default('key'),
  title: pathSchema.default('title'),
  status: pathSchema.default('status'),
  severity: pathSchema.default('severity'),
  /** A path to an object of labels, or label name → path. */
  labels: z.union([pathSchema, z.record(z.string().min(1), pathSchema)]).default('labels'),
  links: pathSchema.default('links'),
  startsAt: pathSchema.default('startsAt'),
  deliveryId: pathSchema.default('deliveryId'),
  /** Extra status words, e.g. `{ OK: resolved, PROBLEM: firing }`. */
  statusMap: z.record(z.string(), z.enum(['firing', 'resolved'])).default({}),
  /** Extra severity words, e.g. `{ disaster: critical }`. */
  severityMap: z.record(z.string(), z.enum(SEVERITIES)).default({}),
});
export type GenericMapping = z.output<typeof genericMappingSchema>;
