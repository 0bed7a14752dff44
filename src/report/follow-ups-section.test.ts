import { describe, expect, it } from 'vitest';
import { renderFollowUps } from './follow-ups-section.js';
import type { FollowUp } from '../incidents/follow-up.js';

const base = { incidentId: 'i', createdBy: 'bob', createdAt: '2026-01-01T04:00:00.000Z' };

describe('renderFollowUps', () => {
  it('writes a checklist with owners and a link per tracker', () => {
    const followUps: FollowUp[] = [
      {
        ...base,
        id: 'a',
        text: 'Alert on tunnel loss',
        owner: { name: 'alice' },
        refs: [
          { tracker: 'jira', id: 'OPS-8', url: 'https://acme.atlassian.net/browse/OPS-8' },
          { tracker: 'gitlab', id: '#4', url: 'https://gitlab.com/acme/ops/-/issues/4' },
        ],
      },
      { ...base, id: 'b', text: 'Write the RCA', refs: [] },
    ];
    expect(renderFollowUps(followUps).markdown).toBe(
      '- [ ] Alert on tunnel loss — owner: alice · [Jira OPS-8](https://acme.atlassian.net/browse/OPS-8) · [GitLab #4](https://gitlab.com/acme/ops/-/issues/4)\n' +
        '- [ ] Write the RCA — no owner yet',
    );
  });

  it('escapes hostile text, owners and links', () => {
    const markdown = renderFollowUps([
      { ...base, id: 'a', text: '# [x](javascript:alert(1)) @everyone\n- [x] done', owner: { name: '**boss**' }, refs: [{ tracker: 'github', id: '1', url: 'javascript:alert(1)' }] },
    ]).markdown;
    expect(markdown.split('\n')).toHaveLength(1);
    expect(markdown).not.toMatch(/[^\\]\]\(javascript/);
    expect(markdown).toContain('GitHub #1');
    expect(markdown).toContain('\\*\\*boss\\*\\*');
    expect(markdown).toContain('@\u200beveryone');
  });

  it('says how to add one when there are none', () => {
    expect(renderFollowUps([]).markdown).toContain('/sidekick followup');
  });
});
