import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { INCIDENT_STATUSES } from '../incidents/incident.js';
import type { McpContext } from './mcp-context.js';
import { READ_ONLY, guarded, jsonResult, errorResult } from './tool-result.js';
import { previewOf, readIncident } from './read-incident.js';
import { renderPlaybookForIncident } from './render-playbook-for-incident.js';

const incidentId = z.string().min(1).max(100).describe('The incident: its id, its number (42) or its reference (INC-42)');
const status = z
  .enum(['open', ...INCIDENT_STATUSES])
  .optional()
  .describe('`open` means not resolved');

/** The tools that only read: incidents, one incident in full, a playbook for an incident, flows, recent alerts. */
export function registerReadTools(server: McpServer, ctx: McpContext): void {
  const { runtime } = ctx;

  server.registerTool(
    'list_incidents',
    {
      title: 'List incidents',
      description: 'Lists incidents, newest first, as previews (id, INC number, title, severity, status, times). Use get_incident for the timeline and conversation.',
      inputSchema: { status, limit: z.number().int().min(1).max(50).default(20), offset: z.number().int().min(0).default(0) },
      annotations: READ_ONLY,
    },
    (args) => guarded(async () => jsonResult({ incidents: (await runtime.store.listIncidents(args)).map(previewOf) }, ctx.secrets)),
  );

  server.registerTool(
    'search_incidents',
    {
      title: 'Search incidents',
      description: 'Finds incidents whose title contains the query (any case), newest first. Useful to find past incidents like the current one.',
      inputSchema: { query: z.string().trim().min(1).max(200), status, limit: z.number().int().min(1).max(20).default(10) },
      annotations: READ_ONLY,
    },
    ({ query, ...filter }) => guarded(async () => jsonResult({ incidents: (await runtime.store.listIncidents({ ...filter, search: query })).map(previewOf) }, ctx.secrets)),
  );

  server.registerTool(
    'get_incident',
    {
      title: 'Get an incident',
      description: 'One incident with its timeline, chat messages, decisions and follow-ups (the newest 300 entries of each at most).',
      inputSchema: { incident_id: incidentId },
      annotations: READ_ONLY,
    },
    ({ incident_id }) => guarded(async () => jsonResult(await readIncident(ctx, await ctx.findIncident(incident_id)), ctx.secrets)),
  );

  server.registerTool(
    'get_playbook',
    {
      title: 'Get a playbook for an incident',
      description: 'A playbook with its commands filled in from the incident\u2019s first alert (shell-quoted), page by page with the choices between pages. Without playbook_id, lists the playbooks.',
      inputSchema: { incident_id: incidentId, playbook_id: z.string().min(1).max(200).optional() },
      annotations: READ_ONLY,
    },
    ({ incident_id, playbook_id }) =>
      guarded(async () => {
        const incident = await ctx.findIncident(incident_id);
        const playbooks = runtime.playbooks.list().map((p) => ({ id: p.id, title: p.title }));
        if (!playbook_id) return jsonResult({ playbooks }, ctx.secrets);
        const playbook = runtime.playbooks.get(playbook_id);
        if (!playbook) return errorResult(`PLAYBOOK_NOT_FOUND: no playbook "${playbook_id}"; known: ${playbooks.map((p) => p.id).join(', ') || 'none'}`);
        const [alert] = await runtime.store.listAlerts({ incidentId: incident.id, limit: 1 });
        return jsonResult({ playbook: renderPlaybookForIncident(playbook, incident, alert, runtime.publicUrl, runtime.services.clock.now()) }, ctx.secrets);
      }),
  );

  server.registerTool(
    'list_flows',
    {
      title: 'List flows',
      description: 'The flows Sidekick runs (what triggers each, whether it is enabled) and the files that failed to load, with their problems.',
      inputSchema: {},
      annotations: READ_ONLY,
    },
    () =>
      guarded(async () => {
        const catalog = runtime.flows;
        return jsonResult(
          {
            flows: catalog.flows.map(({ flow, file }) => ({ id: flow.id, name: flow.name ?? flow.id, enabled: flow.enabled, trigger: flow.trigger, boxes: flow.boxes.length, file })),
            problems: catalog.problems.map((p) => ({ file: p.file, line: p.line, code: p.code, message: p.message })),
          },
          ctx.secrets,
        );
      }),
  );

  server.registerTool(
    'list_alerts',
    {
      title: 'List recent alerts',
      description: 'The most recent alerts from the monitors, newest first, optionally of one incident (normalised fields, no raw payload).',
      inputSchema: { incident_id: incidentId.optional(), limit: z.number().int().min(1).max(50).default(20) },
      annotations: READ_ONLY,
    },
    ({ incident_id, limit }) =>
      guarded(async () => {
        const incident = incident_id ? await ctx.findIncident(incident_id) : undefined;
        const alerts = await runtime.store.listAlerts({ incidentId: incident?.id, limit, newestFirst: true });
        return jsonResult(
          {
            alerts: alerts.map((a) => ({
              id: a.id,
              source: a.source,
              status: a.status,
              severity: a.severity,
              title: a.title,
              labels: a.labels,
              startsAt: a.startsAt,
              incidentId: a.incidentId,
              links: a.links,
            })),
          },
          ctx.secrets,
        );
      }),
  );
}
