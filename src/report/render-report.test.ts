import { describe, expect, it } from 'vitest';
import { marked } from 'marked';
import { renderReport } from './render-report.js';
import { ReportError } from './report-error.js';
import { storyReportData } from '../../test/report/fixtures/story-incident.js';

describe('renderReport', () => {
  const report = renderReport(storyReportData());
  const section = (name: string) => report.split(`\n## ${name}\n`)[1]?.split('\n## ')[0] ?? '';

  it('has every section, in order', () => {
    const headings = report.split('\n').filter((l) => /^#{1,2} /.test(l));
    expect(headings).toEqual([
      '# INC-42: MySQL replication lag is high on db-7',
      '## Summary',
      '## Impact',
      '## People and roles',
      '## Key moments',
      '## Decisions',
      '## Follow-ups',
      '## Timeline',
      '## What did not work',
      '## Commands run',
      '## Graphs',
      '## Conversation',
      '## Action items',
    ]);
    expect(report).toContain('**Severity:** high · **Status:** resolved · **Opened:** 2026-01-01 04:00:12 UTC');
  });

  it('computes the timings from fixed times', () => {
    const timings = section('Impact');
    expect(timings).toContain('| Impact started | 2026-01-01 03:58:00 UTC |');
    expect(timings).toContain('| Impact window | 33m 00s |');
    expect(timings).toContain('| Time to acknowledge (from opening) | 4m 48s |');
    expect(timings).toContain('| Time to mitigate (from start of impact) | 33m 00s |');
    expect(timings).toContain('| Time to resolve (from start of impact) | 54m 00s |');
  });

  it('lists every decision with who made it, and the status history', () => {
    expect(section('Decisions').trim().split('\n')).toEqual([
      '- 04:06:00 **alice**: Is replication lag rising? → Lag is rising _(playbook choice)_',
      '- 04:09:00 **bob**: Check the tunnel → Tunnel is down _(playbook choice)_',
    ]);
    expect(section('People and roles')).toContain('04:31:00 **mitigated** by alice');
    expect(section('People and roles')).toContain('alice, bob, carol, dave');
  });

  it('shows commands fenced, with the values they were filled with', () => {
    const commands = section('Commands run');
    expect(commands).toContain("  ```sh\n  ssh 'db-7.eu-west.example.com' ip -s link show wg0\n  ```");
    expect(commands).toContain('`alert.raw.hostname` → `db-7.eu-west.example.com`');
    expect(commands).toContain('Missing values: `alert.raw.port`');
  });

  it('shows graphs inline and links', () => {
    expect(section('Graphs')).toContain('![Graph snapshot: MySQL replication lag is high on db-7](https://p.datadoghq.com/snapshot/view/dd-snapshots-prod/org_123456/a.png)');
    expect(section('Graphs')).toContain('- [Datadog event: MySQL replication lag](https://app.datadoghq.com/event/event?id=1)');
  });

  it('threads the conversation: replies indented under their parent, orphans marked', () => {
    const lines = section('Conversation').split('\n');
    const parent = lines.findIndex((l) => l.startsWith('- **04:05:00 alice**'));
    expect(lines[parent + 1]).toBe('  - **04:06:00 carol**: replying in thread: wg0 shows 30% loss');
    expect(lines[parent + 2]).toMatch(/^ {2}- \*\*04:07:00 alice\*\*: /);
    expect(section('Conversation')).toContain('- **04:09:00 dave** (reply in an older thread): late reply to something older');
    expect(section('Conversation')).toContain('- **04:00:18 Sidekick** (bot):');
  });

  it('keeps the timeline free of chat messages, which live in the conversation', () => {
    expect(section('Timeline')).toContain('- 04:31:00 · status · alice: Status: investigating → mitigated');
    expect(section('Timeline')).not.toContain('this is in the conversation');
  });

  it('cannot be broken by what people typed', () => {
    const html = marked.parse(report) as string;
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/<h1>not a heading|<h\d>not a heading/);
    // Code someone typed stays code: what is inside is shown, never obeyed.
    const code: string[] = [];
    const walk = (tokens: { type: string; text?: string; tokens?: unknown[]; items?: unknown[] }[]): void => {
      for (const token of tokens) {
        if (token.type === 'code') code.push(token.text ?? '');
        walk((token.tokens ?? token.items ?? []) as never);
      }
    };
    walk(marked.lexer(section('Conversation')) as never);
    expect(code).toEqual([]);
    expect(section('Conversation')).toContain('**04:07:00 alice**: `rm -rf / `\n    &lt;script&gt;');
    expect(report).not.toMatch(/(^|\s)@(channel|octocat)/);
  });

  it('redacts secrets in messages, commands and alert payloads, and configured secrets exactly', () => {
    const data = storyReportData();
    data.conversation.push({ id: 'm9', channel: 'c1', userId: 'U9', userName: 'erin', text: 'the vault pass is Tr0ub4dor_and_3', at: data.generatedAt, fromBot: false });
    const redacted = renderReport(data, { secrets: ['Tr0ub4dor_and_3'] });
    for (const secret of ['xoxb-1234567890', 'hunter2', 'Sup3rS3cret', '0123456789abcdef0123456789abcdef', 'Tr0ub4dor', 'Tr0ub4dor\\_and']) expect(redacted).not.toContain(secret);
    expect(redacted).toContain('mysql --password=[REDACTED] -e');
    // Alert payloads stay in the API: the report links to them instead of pasting them.
    expect(redacted).not.toContain('api_key');
  });

  it('renders a user template with the same variables and auto-escaping', () => {
    const out = renderReport(storyReportData(), {
      template: '{{ incident.ref }} {{ incident.title }} took {{ timings.resolveMs | duration }}; first: {{ conversation[1].text }} {{ "<b>" }} {{ "<b>" | raw }}',
    });
    expect(out).toBe('INC-42 MySQL replication lag is high on db-7 took 54m 00s; first: on it. tunnel looks flaky &lt;b&gt; <b>\n');
  });

  it('refuses templates that read files or do not parse, with a clear code', () => {
    for (const template of ['{% include "/etc/passwd" %}', '{% render "../secrets" %}', '{% if %}', '{{ x | no_such_filter }}']) {
      const error = (() => {
        try {
          renderReport(storyReportData(), { template });
        } catch (e) {
          return e;
        }
      })() as ReportError;
      expect(error, template).toBeInstanceOf(ReportError);
      expect(error.code).toBe('REPORT_TEMPLATE_INVALID');
      expect(error.message).not.toContain('root:x:0:0');
    }
  });

  it('writes a report for an incident with nothing in it', () => {
    const data = storyReportData();
    const empty = renderReport({
      ...data,
      timeline: [],
      alerts: [],
      conversation: [],
      graphs: [],
      incident: { ...data.incident, status: 'investigating', mitigatedAt: undefined, resolvedAt: undefined, acknowledgedAt: undefined, meeting: undefined, responders: [] },
    });
    expect(empty).toContain('| Impact ended | ongoing |');
    expect(empty).toContain('None were recorded.');
    expect(empty).toContain('_No summary yet._');
    expect(empty).toContain('Nobody was recorded as responding.');
    expect(empty).toContain('0 messages and 0 threads');
  });
});
