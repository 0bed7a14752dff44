import type { BoxContext } from './box-type.js';
import type { IncidentChannel } from '../incidents/incident.js';

/** The channel an incident talks in: its own if a flow opened one, else its team's, else the default. */
export function incidentChannel(ctx: BoxContext<unknown>): IncidentChannel | undefined {
  const channels = ctx.incident.channels.filter((channel) => channel.adapter === ctx.services.chat.name);
  return channels.find((channel) => channel.role === 'incident') ?? channels.find((channel) => channel.role === 'team');
}

/**
 * Resolves a channel setting to a channel id: `incident` (or nothing) means the incident's channel;
 * `#name` or an id is looked up through the chat adapter.
 */
export async function resolveTarget(ctx: BoxContext<unknown>, target: string | undefined): Promise<string> {
  if (!target || target === 'incident') {
    const own = incidentChannel(ctx);
    if (own) return own.id;
    return ctx.services.chat.resolveChannel(ctx.services.defaultChannel);
  }
  return ctx.services.chat.resolveChannel(target);
}
