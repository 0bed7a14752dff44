import { describe, expect, it } from 'vitest';
import { renderDraft } from './render-draft.js';
import type { ReportDraft } from './draft.js';
import type { TimelineEntry } from '../../incidents/incident.js';

const entry: TimelineEntry = { id: 'e/1', incidentId: 'inc 1', at: '2026-01-01T04:02:00.000Z', kind: 'alert', actor: 'datadog', text: 'lag' };
const draft = (overrides: Partial<ReportDraft>): ReportDraft => ({
  incidentId: 'inc 1',
  status: 'drafted',
  sections: {
    summary: [{ text: 'Summary [click](javascript:alert(1)) <script>x</script> @everyone', cites: ['e/1', 'gone'] }],
    whatHappened: [{ text: '# not a heading', cites: ['e/1'] }],
    contributingFactors: [],
  },
  model: 'llama*3',
  droppedSentences: 0,
  createdAt: entry.at,
  updatedAt: entry.at,
  ...overrides,
});
const options = { publicUrl: 'https://sidekick.example/', incidentRef: 'INC-7', day: '2026-01-01' };

describe('the draft in the report', () => {
  it('escapes what the model wrote and links each citation to its entry', () => {
    const markdown = renderDraft(draft({}), [entry], options).markdown;
    expect(markdown).toContain('\\[click\\](javascript:alert(1)) &lt;script&gt;x&lt;/script&gt; @\u200beveryone');
    expect(markdown).toContain('[04:02:00](https://sidekick.example/#/incidents/inc%201?entry=e%2F1)');
    expect(markdown).toContain('- \\# not a heading');
    expect(markdown).toContain('by llama\\*3, not yet reviewed');
    expect(markdown).toContain('## Contributing factors\n\n<!-- Nothing drafted here');
  });

  it('says who reviewed it, and why there is none when the model failed', () => {
    expect(renderDraft(draft({ status: 'accepted', reviewedBy: 'ada' }), [entry], options).markdown).toContain('reviewed and accepted by ada');
    expect(renderDraft(draft({ status: 'edited', reviewedBy: 'bob' }), [entry], options).markdown).toContain('edited by bob');
    const failed = renderDraft(draft({ status: 'failed', error: { code: 'AI_TIMEOUT', message: 'too slow' } }), [entry], options).markdown;
    expect(failed).toContain('**No AI draft:** too slow (AI\\_TIMEOUT)');
    expect(failed).toContain('`sidekick report INC-7 --redraft`');
    expect(failed).toContain('## Summary');
    expect(failed).not.toContain('## What happened');
  });
});
