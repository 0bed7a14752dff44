import type { FollowUp } from '../incidents/follow-up.js';
import { SafeMarkdown, escapeInline, markdownLink } from './markdown.js';

/** How trackers are named next to a follow-up's link. */
const TRACKER_NAMES: Record<string, string> = { github: 'GitHub', jira: 'Jira', gitlab: 'GitLab', markdown: 'file' };

/**
 * The follow-ups as a Markdown checklist: each action item with its owner and a link to the
 * issue it was filed as in every tracker. A section of its own (the template places it), so the
 * people-edited "Action items" of the RCA are never overwritten by it.
 *
 * @example
 * renderFollowUps([{ text: 'Alert on tunnel loss', owner: { name: 'alice' }, refs: [...] , ...}])
 * // - [ ] Alert on tunnel loss — owner: alice · [Jira OPS-8](https://…/browse/OPS-8)
 */
export function renderFollowUps(followUps: readonly FollowUp[]): SafeMarkdown {
  if (followUps.length === 0) return new SafeMarkdown('No follow-ups were recorded. Add one with `/sidekick followup <text> [@owner]`.');
  const lines = followUps.map((f) => {
    const owner = f.owner ? ` — owner: ${escapeInline(f.owner.name)}` : ' — no owner yet';
    // GitHub issue numbers read as `#12`, so a GitHub report's task list references them.
    const links = f.refs.map((ref) => markdownLink(`${TRACKER_NAMES[ref.tracker] ?? ref.tracker} ${ref.tracker === 'github' ? `#${ref.id}` : ref.id}`, ref.url).markdown);
    return `- [ ] ${escapeInline(f.text)}${owner}${links.length ? ` · ${links.join(' · ')}` : ''}`;
  });
  return new SafeMarkdown(lines.join('\n'));
}
