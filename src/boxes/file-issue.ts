import { z } from 'zod';
import type { BoxType } from './box-type.js';
import { resolveTarget } from './chat-target.js';
import { fileReport } from '../trackers/file-report.js';

const settings = z
  .object({
    /** The issue's title (a template). `title` is the box's own display title, like every box's. */
    issueTitle: z.string().default('[INC-{{ incident.number }}] {{ incident.title }}').meta({ template: 'plain' }),
    labels: z.array(z.string()).default(['incident']),
    /** Post the issue link in the incident channel. */
    announce: z.boolean().default(true),
  })
  .strict();

type Settings = z.infer<typeof settings>;

/**
 * Files the report with every configured tracker (a Markdown file by default; GitHub, Jira,
 * GitLab when set up), the follow-ups as issues of their own. Filing again updates the same
 * issues. A tracker that fails is on the timeline; a transient failure makes the box run again
 * (the trackers that succeeded update in place), a permanent one does not hold up the others.
 */
export const fileIssueBox: BoxType<Settings> = {
  type: 'file-issue',
  title: 'File issue',
  description: 'Files the incident report and its follow-ups as issues (Markdown file, GitHub, Jira, GitLab) and posts the links.',
  settings,
  outputs: ['next'],
  produces: ['url', 'id', 'tracker'],
  async run(ctx) {
    const { services } = ctx;
    const result = await fileReport({
      tracker: services.tracker,
      store: services.store,
      incident: ctx.incident,
      title: ctx.setting('issueTitle'),
      labels: ctx.settings.labels,
      publicUrl: services.publicUrl,
      now: () => services.clock.now(),
      render: () => services.renderReport(ctx.incident.id),
    });
    for (const failure of result.failures) {
      await ctx.timeline({
        kind: 'failure',
        actor: 'sidekick',
        text: `Filing the report to ${failure.tracker} failed${failure.transient ? ' (it will be retried)' : ''}: ${failure.error.message}`,
        key: `report-failed:${failure.tracker}:${(failure.error as { code?: string }).code ?? 'error'}`,
        data: { tracker: failure.tracker, code: (failure.error as { code?: string }).code, transient: failure.transient },
      });
    }
    const [issue] = result.filed;
    // Nothing filed: throw a failure worth retrying if there is one, so a tracker that is only
    // down is tried again even when another one's token is wrong.
    if (!issue) throw (result.failures.find((f) => f.transient) ?? result.failures[0]).error;
    await services.incidents.update(ctx.incident.id, { issue });
    for (const filed of result.filed) {
      await ctx.timeline({ kind: 'report', actor: 'sidekick', text: `Report filed: ${filed.url}`, data: { ...filed }, key: `report-filed:${filed.tracker}` });
    }
    if (ctx.settings.announce) {
      const channel = await resolveTarget(ctx, 'incident');
      const links = result.filed.map((f) => `<${f.url}|${f.tracker} ${f.id}>`).join(' · ');
      const text = `📝 The incident report is filed: ${links}`;
      await services.chat.post(channel, { text, blocks: [{ type: 'text', text }] }, `${ctx.idempotencyKey}:announce`);
    }
    // Run again for the trackers that can still succeed; the others update in place, no duplicates.
    const retry = result.failures.find((f) => f.transient);
    if (retry) throw retry.error;
    return { done: { port: 'next', output: { url: issue.url, id: issue.id, tracker: issue.tracker } } };
  },
};
