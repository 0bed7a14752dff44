import { z } from 'zod';
import type { BoxType } from './box-type.js';
import { INCIDENT_STATUSES } from '../incidents/incident.js';

const settings = z.object({ status: z.enum(INCIDENT_STATUSES) }).strict();

type Settings = z.infer<typeof settings>;

/** Sets the incident's status (investigating → mitigated → resolved), which other flows may wait on. */
export const incidentStatusBox: BoxType<Settings> = {
  type: 'incident-status',
  title: 'Incident status',
  description: 'Sets the incident status; `resolved` triggers the report flows.',
  settings,
  outputs: ['next'],
  produces: ['status'],
  async run(ctx) {
    if (ctx.incident.status !== ctx.settings.status) {
      await ctx.services.incidents.setStatus(ctx.incident.id, ctx.settings.status, 'sidekick');
    }
    return { done: { port: 'next', output: { status: ctx.settings.status } } };
  },
};
