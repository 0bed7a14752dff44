import type { TimelineEntry } from '../../incidents/incident.js';
import { SafeMarkdown, escapeInline, markdownLink } from '../markdown.js';
import { formatClock } from '../format-time.js';
import { DRAFT_SECTIONS, type ReportDraft } from './draft.js';

/** Where a timeline entry is shown in the web UI: the incident page, scrolled to the entry. */
export function timelineEntryUrl(publicUrl: string, incidentId: string, entryId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/#/incidents/${encodeURIComponent(incidentId)}?entry=${encodeURIComponent(entryId)}`;
}

/**
 * The draft as the top of the report: a note saying what it is (drafted by a model and not yet
 * reviewed, accepted, edited, or missing and why), then Summary, What happened and Contributing
 * factors, every sentence followed by links to the timeline entries it cites.
 */
export function renderDraft(draft: ReportDraft, timeline: TimelineEntry[], options: { publicUrl: string; incidentRef: string; day: string }): SafeMarkdown {
  const entries = new Map(timeline.map((e) => [e.id, e]));
  const cite = (ids: string[]) =>
    ids
      .map((id) => entries.get(id))
      .filter((e): e is TimelineEntry => e !== undefined)
      .map((e) => markdownLink(formatClock(e.at, options.day), timelineEntryUrl(options.publicUrl, e.incidentId, e.id)).markdown)
      .join(' ');
  const sentence = (s: { text: string; cites: string[] }) => `${escapeInline(s.text)} ${cite(s.cites)}`.trim();
  const lines: string[] = [`> ${noteOf(draft, options.incidentRef)}`, ''];
  if (draft.status === 'failed') {
    lines.push('## Summary', '', '<!-- What happened and who was affected, in two sentences, for people who read only this. -->');
    return new SafeMarkdown(lines.join('\n'));
  }
  for (const { key, title } of DRAFT_SECTIONS) {
    const sentences = draft.sections[key];
    lines.push(`## ${title}`, '');
    if (sentences.length === 0) lines.push('<!-- Nothing drafted here: the timeline did not show it. -->');
    else if (key === 'summary') lines.push(sentences.map(sentence).join(' '));
    else lines.push(...sentences.map((s) => `- ${sentence(s)}`));
    lines.push('');
  }
  return new SafeMarkdown(lines.join('\n').trimEnd());
}

function noteOf(draft: ReportDraft, ref: string): string {
  const model = escapeInline(draft.model);
  const dropped =
    draft.droppedSentences > 0
      ? ` ${draft.droppedSentences} sentence${draft.droppedSentences === 1 ? ' that cited nothing on the timeline was' : 's that cited nothing on the timeline were'} left out.`
      : '';
  switch (draft.status) {
    case 'drafted':
      return `**AI first draft** by ${model}, not yet reviewed: each sentence links to the timeline entries it came from; check them before relying on it.${dropped}`;
    case 'accepted':
      return `AI first draft by ${model}, reviewed and accepted by ${escapeInline(draft.reviewedBy ?? 'a responder')}.`;
    case 'edited':
      return `First drafted by ${model}, edited by ${escapeInline(draft.reviewedBy ?? 'a responder')}.`;
    case 'failed':
      return `**No AI draft:** ${escapeInline(draft.error?.message ?? 'the model gave none')} (${escapeInline(draft.error?.code ?? 'AI_BAD_ANSWER')}). The report below is complete without it; regenerate the draft with \`sidekick report ${ref} --redraft\` or the button in the report view.`;
  }
}
