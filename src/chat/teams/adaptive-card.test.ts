import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { translateToCards, toTeamsMarkdown, CARD_LIMITS } from './adaptive-card.js';
import { createTeams } from './create-teams.js';
import { systemClock } from '../../util/clock.js';
import type { Store } from '../../store/store.js';

describe('translateToCards', () => {
  it('writes Adaptive Card 1.5 with Execute buttons carrying the value untouched', () => {
    const [part] = translateToCards({
      text: 'fallback',
      blocks: [
        { type: 'header', text: 'INC-1' },
        { type: 'code', text: 'mysql -h "$(whoami)" -e "SHOW REPLICA STATUS\\G" **not bold**' },
        { type: 'buttons', buttons: [{ label: 'Lag is rising', value: 'task|go:x.sig', style: 'primary' }] },
        { type: 'divider' },
        { type: 'link', label: 'Runbook', url: 'javascript:alert(1)' },
      ],
    });
    const card = JSON.stringify(part.card);
    expect(part.card!.version).toBe('1.5');
    expect(card).toContain('"type":"Action.Execute"');
    expect(card).toContain('"data":{"sidekick":"task|go:x.sig"}');
    expect(card).toContain('"style":"positive"');
    // Commands are TextRuns (never Markdown): shown exactly as they will run.
    expect(card).toContain('"type":"TextRun","text":"mysql -h \\"$(whoami)\\" -e \\"SHOW REPLICA STATUS\\\\G\\" **not bold**"');
    expect(card).not.toContain('javascript:');
    expect(card).toContain('"separator":true');
  });

  it('turns Slack-style markup into Teams Markdown, linking only http(s)', () => {
    expect(toTeamsMarkdown('*bold* and _it_ <https://x.example/a(b)|the (docs)> <javascript:alert(1)|evil>')).toBe(
      '**bold** and _it_ [the (docs)](https://x.example/a%28b%29) <javascript:alert(1)|evil>',
    );
  });

  it('splits into several cards under the budget and never drops text', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `line ${i} 🚨 ünïcödé {{ x }} \`y\``).join('\n');
    const parts = translateToCards({ text: 'long', blocks: [{ type: 'text', text }] });
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) expect(JSON.stringify(part.card).length).toBeLessThan(CARD_LIMITS.cardChars + 1_000);
    const joined = parts.flatMap((p) => p.card!.body.map((b) => b.text as string)).join('\n');
    expect(joined).toContain('line 0 ');
    expect(joined).toContain('line 1999 ');
    expect(parts[1].text).toMatch(/\(2\/\d+\)$/);
  });
});

describe('createTeams', () => {
  it('names every missing variable instead of starting half-configured', () => {
    const deps = { store: {} as Store, log: pino({ level: 'silent' }), clock: systemClock, env: { TEAMS_APP_ID: 'a', TEAMS_APP_PASSWORD: 'b' } };
    expect(() => createTeams({}, deps)).toThrow(/TEAMS_TENANT_ID.*TEAMS_TEAM_ID/);
    expect(() => createTeams({}, { ...deps, env: { ...deps.env, GRAPH_API_URL: 'ftp://x' } })).toThrow();
  });
});
