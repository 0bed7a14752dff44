import { expect, it } from 'vitest';
import { describeEachStore } from './testing/describe-each-store.js';
import { HOSTILE, T0, at, newIncident } from './testing/fixtures.js';
import type { ReportDraft } from '../report/draft/draft.js';

await describeEachStore('report drafts', ({ store }) => {
  it('keeps one draft per incident: stored, read back, replaced by a redraft or a review', async () => {
    const incident = await store().createIncident(newIncident());
    expect(await store().getReportDraft(incident.id)).toBeUndefined();
    const draft: ReportDraft = {
      incidentId: incident.id,
      status: 'drafted',
      sections: { summary: [{ text: HOSTILE.join(' '), cites: ['e1', 'e2'] }], whatHappened: [], contributingFactors: [{ text: 'Lag', cites: ['e2'] }] },
      model: 'llama3.1:8b',
      droppedSentences: 2,
      createdAt: T0,
      updatedAt: T0,
    };
    await store().putReportDraft(draft);
    expect(await store().getReportDraft(incident.id)).toEqual(draft);
    const reviewed: ReportDraft = { ...draft, status: 'accepted', reviewedBy: 'ada', updatedAt: at(60_000) };
    await store().putReportDraft(reviewed);
    expect(await store().getReportDraft(incident.id)).toEqual(reviewed);
    const failed: ReportDraft = {
      ...draft,
      status: 'failed',
      sections: { summary: [], whatHappened: [], contributingFactors: [] },
      error: { code: 'AI_TIMEOUT', message: 'slow' },
      droppedSentences: 0,
      createdAt: at(120_000),
      updatedAt: at(120_000),
    };
    await store().putReportDraft(failed);
    expect(await store().getReportDraft(incident.id)).toEqual(failed);
  });

  it('finds incidents by words in the title, any case, with % and _ taken literally', async () => {
    await store().createIncident(newIncident({ title: 'MySQL replication lag on db-3' }));
    await store().createIncident(newIncident({ title: 'Disk 100% full on web_1' }));
    expect((await store().listIncidents({ search: 'REPLICATION' })).map((i) => i.title)).toEqual(['MySQL replication lag on db-3']);
    expect((await store().listIncidents({ search: '100%' })).map((i) => i.title)).toEqual(['Disk 100% full on web_1']);
    expect(await store().listIncidents({ search: 'web%1' })).toEqual([]);
    expect(await store().listIncidents({ search: '_' })).toHaveLength(1);
  });
});
