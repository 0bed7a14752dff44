import { z } from 'zod';
import type { BoxType } from './box-type.js';
import { resolveTarget } from './chat-target.js';

const settings = z
  .object({
    /** The issue's title (a template). `title` is the box's own display title, like every box's. */
    issueTitle: z.string().default('[INC-{{ incident.number }}] {{ incident.title }}'),
    labels: z.array(z.string()).default(['incident']),
    /** Post the issue link in the incident channel. */
    announce: z.boolean().default(true),
  })
  .strict();

type Settings = z.infer<typeof settings>;

/**
 * Files the report with the configured tracker (a Markdown file by default, GitHub when set up).
 * Filing again updates the same issue, so a retried or reopened incident never files twice.
 */
export const fileIssueBox: BoxType<Settings> = {
  type: 'file-issue',
  title: 'File issue',
  description: 'Files the incident report as an issue (Markdown file or GitHub) and posts its link.',
  settings,
  outputs: () => ['next'],
  templates: { issueTitle: 'plain' },
  async run(ctx) {
    const body = await ctx.services.renderReport(ctx.incident.id);
    const issue = await ctx.services.tracker.file({
      incidentId: ctx.incident.id,
      title: ctx.setting('issueTitle'),
      body,
      labels: ctx.settings.labels,
      existing: ctx.incident.issue,
    });
    await ctx.services.incidents.update(ctx.incident.id, { issue });
    await ctx.timeline({ kind: 'report', actor: 'sidekick', text: `Report filed: ${issue.url}`, data: { ...issue } });
    if (ctx.settings.announce) {
      const channel = await resolveTarget(ctx, 'incident');
      const text = `📝 The incident report is filed: <${issue.url}|${issue.tracker} ${issue.id}>`;
      await ctx.services.chat.post(channel, { text, blocks: [{ type: 'text', text }] }, `${ctx.idempotencyKey}:announce`);
    }
    return { done: { port: 'next', output: { url: issue.url, id: issue.id, tracker: issue.tracker } } };
  },
};
