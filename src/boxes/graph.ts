import { z } from 'zod';
import type { BoxType } from './box-type.js';
import type { ChatBlock } from '../chat/chat.js';
import type { Graph } from '../graphs/graph-provider.js';
import { graphLinksFromAlert } from '../graphs/links.js';
import { datadogQueriesOf, incidentWindow } from '../graphs/incident-graphs.js';
import { resolveTarget } from './chat-target.js';

const settings = z
  .object({
    /** A metric query (Datadog syntax, a template); default: the query of the alert's monitor. */
    query: z.string().optional().meta({ template: 'plain' }),
    /** Post the graph in the incident channel. */
    post: z.boolean().default(true),
  })
  .strict();

type Settings = z.infer<typeof settings>;

/**
 * Brings the graph to the responder: a Datadog snapshot of the alert's metric over the incident's
 * window when Datadog is configured, and links back to the Grafana panel, Prometheus graph or
 * Datadog monitor the alert names. The graphs also appear in the report.
 */
export const graphBox: BoxType<Settings> = {
  type: 'graph',
  title: 'Graph',
  description: 'Posts a snapshot of the alert\u2019s metric (Datadog) and links to its Grafana panel or Prometheus graph; outputs image_url.',
  settings,
  outputs: ['next'],
  produces: ['image_url', 'graphs'],
  async run(ctx) {
    const graphs: Graph[] = [];
    const alerts = ctx.alert ? [ctx.alert] : [];
    const query = ctx.settings.query ? ctx.setting('query') : datadogQueriesOf(alerts)[0];
    if (query && ctx.services.graphs) {
      const window = incidentWindow(ctx.incident, alerts, ctx.now());
      graphs.push(await ctx.services.graphs.snapshot({ query, title: ctx.incident.title, ...window }));
    }
    if (ctx.alert) graphs.push(...graphLinksFromAlert(ctx.alert));
    if (graphs.length === 0) {
      await ctx.timeline({ kind: 'box', actor: 'sidekick', text: 'No graph: the alert names no metric query or graph link, and no graph provider is configured', data: { box: ctx.box.id } });
      return { done: { port: 'next', output: { graphs: [] } } };
    }
    if (ctx.settings.post) {
      const blocks: ChatBlock[] = [{ type: 'header', text: '📈 Graphs' }];
      for (const graph of graphs) {
        const url = graph.imageUrl ?? graph.linkUrl;
        if (url) blocks.push({ type: 'link', label: graph.title, url });
      }
      const channel = await resolveTarget(ctx, 'incident');
      await ctx.services.chat.post(channel, { text: `Graphs: ${graphs.map((g) => g.title).join(', ')}`, blocks }, ctx.idempotencyKey);
    }
    for (const graph of graphs.filter((g) => g.imageUrl)) {
      await ctx.timeline({ kind: 'box', actor: 'sidekick', text: `Graph: ${graph.title}`, data: { box: ctx.box.id, graph: { ...graph } } });
    }
    return { done: { port: 'next', output: { graphs, image_url: graphs.find((g) => g.imageUrl)?.imageUrl } } };
  },
};
