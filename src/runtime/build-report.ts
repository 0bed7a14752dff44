import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Services } from '../boxes/services.js';
import type { ChatHistoryMessage } from '../chat/chat.js';
import type { Graph } from '../graphs/graph-provider.js';
import { renderReport } from '../report/render-report.js';
import { graphLinksFromAlerts } from '../graphs/links.js';
import { snapshotIncidentGraphs } from '../graphs/incident-graphs.js';
import { redactSecrets } from '../util/redact.js';
import { IncidentNotFound } from '../incidents/incident-service.js';
import type { AiConfig } from '../report/draft/ai-config.js';
import { draftReport } from '../report/draft/draft-report.js';
import type { ReportDraft } from '../report/draft/draft.js';

/**
 * Gathers what the report needs (incident, timeline, alerts, the whole conversation read back from
 * chat, graphs) and renders it, with secrets redacted. Nobody scrolls back through chat.
 */
export async function buildReport(
  services: Services,
  incidentId: string,
  options: { template?: string; secrets: string[]; cwd: string; ai?: AiConfig; redraft?: boolean; fetch?: typeof fetch },
): Promise<string> {
  const { store, chat } = services;
  const incident = await store.getIncident(incidentId);
  if (!incident) throw new IncidentNotFound(incidentId);
  const [timeline, alerts, followUps, moments] = await Promise.all([
    store.listTimeline(incident.id),
    store.listAlerts({ incidentId: incident.id, limit: 10_000 }),
    store.listFollowUps(incident.id),
    store.listMoments(incident.id),
  ]);
  const conversation: ChatHistoryMessage[] = [];
  for (const channel of incident.channels.filter((c) => c.adapter === chat.name && c.role === 'incident')) {
    try {
      conversation.push(...(await chat.history(channel.id, incident.createdAt)));
    } catch (error) {
      services.log.warn({ err: (error as Error).message, incidentId }, 'could not read the conversation for the report');
    }
  }
  if (conversation.length === 0) {
    // No channel of its own: the conversation is what the timeline heard from people.
    for (const entry of timeline.filter((e) => e.kind === 'message' && e.actor !== 'sidekick')) {
      const data = (entry.data ?? {}) as { channel?: string; messageId?: string; threadId?: string; userId?: string };
      conversation.push({
        id: data.messageId ?? entry.id,
        channel: data.channel ?? '',
        userId: data.userId ?? entry.actor,
        userName: entry.actor,
        text: entry.text,
        at: entry.at,
        threadId: data.threadId,
        fromBot: false,
      });
    }
  }
  // Graphs a graph box posted during the incident, then links from the alerts, then fresh snapshots.
  const graphs: Graph[] = [...timeline.filter((e) => e.kind === 'box' && e.data?.graph).map((e) => e.data!.graph as Graph), ...graphLinksFromAlerts(alerts)];
  if (services.graphs) {
    // Snapshots over the incident's window; a graph that cannot be drawn is noted, not fatal.
    graphs.push(
      ...(await snapshotIncidentGraphs(services.graphs, {
        incident,
        alerts,
        now: services.clock.now(),
        onError: (error, query) => services.log.warn({ err: error.message, query, incidentId }, 'graph snapshot failed'),
      })),
    );
  }
  // The AI draft is made once and stored; a failed one stays failed until someone asks again.
  let draft: ReportDraft | undefined;
  if (options.ai?.enabled) {
    draft = options.redraft ? undefined : await store.getReportDraft(incident.id);
    draft ??= await draftReport({ store, ai: options.ai, secrets: options.secrets, now: () => services.clock.now(), log: services.log, fetch: options.fetch }, { incident, timeline, conversation });
  }
  const seen = new Set<string>();
  const uniqueGraphs = graphs.filter((graph) => {
    const key = graph.imageUrl ?? graph.linkUrl ?? graph.title;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const template = options.template ? await readFile(resolve(options.cwd, options.template), 'utf8') : undefined;
  const markdown = renderReport(
    { incident, timeline, alerts, conversation, graphs: uniqueGraphs, publicUrl: services.publicUrl, generatedAt: services.clock.now().toISOString(), followUps, draft, moments },
    // Redacted before rendering (escaping would hide a secret from a later pass) and once more after.
    { template, secrets: options.secrets },
  );
  return redactSecrets(markdown, options.secrets);
}
