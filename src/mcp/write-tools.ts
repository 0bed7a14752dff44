import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { INCIDENT_STATUSES } from '../incidents/incident.js';
import { MAX_FOLLOW_UP_TEXT } from '../incidents/follow-up.js';
import type { McpContext } from './mcp-context.js';
import { guarded, jsonResult } from './tool-result.js';

const incidentId = z.string().min(1).max(100).describe('The incident: its id, its number (42) or its reference (INC-42)');
/** Writes reach people (chat posts) or change what flows do next: never idempotent, never closed-world. */
const ADDS = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true } as const;
const CONFIRM = 'Only call this when the user asked for it or confirmed it.';

/**
 * The tools that change incidents, offered only with `mcp.write: true`. Each records who did it
 * (`<client> (MCP)`) on the timeline like any responder's action, and wakes the worker for the
 * flows it starts.
 */
export function registerWriteTools(server: McpServer, ctx: McpContext): void {
  const { runtime } = ctx;
  const wake = () => runtime.worker.wake();

  server.registerTool(
    'add_note_to_incident',
    {
      title: 'Post an update',
      description: `Posts a status update for stakeholders: on the timeline and to every channel of the incident. ${CONFIRM}`,
      inputSchema: { incident_id: incidentId, note: z.string().trim().min(1).max(4000) },
      annotations: ADDS,
    },
    ({ incident_id, note }) =>
      guarded(async () => {
        const incident = await ctx.findIncident(incident_id);
        await runtime.incidents.postUpdate(incident.id, note, ctx.actor());
        return jsonResult({ posted: true, incident: `INC-${incident.number}` }, ctx.secrets);
      }),
  );

  server.registerTool(
    'add_decision_to_incident',
    {
      title: 'Record a decision',
      description: `Records a decision on the timeline; the report lists it under Decisions. ${CONFIRM}`,
      inputSchema: { incident_id: incidentId, decision: z.string().trim().min(1).max(2000) },
      annotations: ADDS,
    },
    ({ incident_id, decision }) =>
      guarded(async () => {
        const incident = await ctx.findIncident(incident_id);
        const entry = await runtime.incidents.recordDecision(incident.id, decision, ctx.actor());
        return jsonResult({ recorded: { id: entry.id, at: entry.at } }, ctx.secrets);
      }),
  );

  server.registerTool(
    'add_follow_up_to_incident',
    {
      title: 'Add a follow-up',
      description: `Adds an action item, with an optional owner; it is filed as its own issue with the report. ${CONFIRM}`,
      inputSchema: { incident_id: incidentId, text: z.string().trim().min(1).max(MAX_FOLLOW_UP_TEXT), owner: z.string().trim().min(1).max(80).optional() },
      annotations: ADDS,
    },
    ({ incident_id, text, owner }) =>
      guarded(async () => {
        const incident = await ctx.findIncident(incident_id);
        const followUp = await runtime.incidents.addFollowUp(incident.id, { text, owner: owner ? { name: owner.replace(/^@/, '') } : undefined, actor: ctx.actor() });
        wake();
        return jsonResult({ followUp: { id: followUp.id, text: followUp.text, owner: followUp.owner?.name } }, ctx.secrets);
      }),
  );

  server.registerTool(
    'update_incident_status',
    {
      title: 'Change the status',
      description: `Sets the status (investigating, mitigated, resolved). Resolving ends the playbooks and reminders and starts the flows that follow (the report). ${CONFIRM}`,
      inputSchema: { incident_id: incidentId, status: z.enum(INCIDENT_STATUSES) },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    ({ incident_id, status }) =>
      guarded(async () => {
        const incident = await ctx.findIncident(incident_id);
        const updated = await runtime.incidents.setStatus(incident.id, status, ctx.actor());
        wake();
        return jsonResult({ incident: { ref: `INC-${updated.number}`, status: updated.status } }, ctx.secrets);
      }),
  );
}
