import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getAlertSource } from '../alerts/sources/index.js';
import { renderTemplate } from '../templates/render.js';
import type { Playbook } from './playbook.js';
import { loadPlaybooks } from './load-playbooks.js';
import { choose, startPath } from './playbook-path.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const library = await loadPlaybooks([`${root}examples/playbooks`]);

/** Each bundled playbook with the bundled example alert it is written for. */
const PAIRS = [
  { playbook: 'mysql-replication', source: 'datadog', alert: 'datadog-mysql-replication-lag.json' },
  { playbook: 'disk-filling', source: 'datadog', alert: 'datadog-disk-full.json' },
  { playbook: 'http-5xx-surge', source: 'alertmanager', alert: 'alertmanager-http-5xx.json' },
  { playbook: 'generic-triage', source: 'generic', alert: 'generic-example.json' },
];

function scopeOf(source: string, payload: unknown): Record<string, unknown> {
  const [alert] = getAlertSource(source)!.parse(payload, { headers: {}, receivedAt: new Date('2026-01-01T04:00:00Z') }, {});
  return { alert: { ...alert, dedup_key: alert.dedupKey, starts_at: alert.startsAt }, now: '2026-01-01T04:05:00.000Z' };
}

function readAlert(file: string): unknown {
  return JSON.parse(readFileSync(`${root}examples/alerts/${file}`, 'utf8'));
}

/** Positions of `{{` that sit inside a quoted shell string, where quoting a value cannot help. */
function findQuotedInterpolations(command: string): string[] {
  const found: string[] = [];
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote === undefined && c === '#' && (i === 0 || /\s/.test(command[i - 1]))) {
      i = command.indexOf('\n', i) === -1 ? command.length : command.indexOf('\n', i);
    } else if (c === '\\' && quote !== "'") i++;
    else if (quote === undefined && (c === "'" || c === '"')) quote = c;
    else if (c === quote) quote = undefined;
    else if (quote !== undefined && command.startsWith('{{', i)) found.push(command.slice(i, command.indexOf('\n', i)));
  }
  return found;
}

function commandsOf(playbook: Playbook) {
  return playbook.pages.flatMap((page) => page.content.flatMap((content) => (content.kind === 'command' ? [{ page: page.id, ...content }] : [])));
}

describe('bundled playbooks', () => {
  it('all parse with zero problems', () => {
    expect(library.problems()).toEqual([]);
    expect(library.list().map((playbook) => playbook.id)).toEqual(['disk-filling', 'generic-triage', 'http-5xx-surge', 'mysql-replication']);
  });

  it('include every playbook the bundled flows use', () => {
    const flows = readdirSync(`${root}examples/flows`).filter((name) => name.endsWith('.yaml'));
    const used = flows.flatMap((name) => [...readFileSync(`${root}examples/flows/${name}`, 'utf8').matchAll(/^\s+playbook: (\S+)/gm)].map((m) => m[1]));
    expect(used.length).toBeGreaterThan(0);
    for (const id of used) expect(library.get(id), id).toBeDefined();
  });

  it('tell the story: lag rising → check the tunnel between sites → tunnel down', () => {
    const mysql = library.get('mysql-replication')!;
    expect(mysql.pages.length).toBeGreaterThanOrEqual(6);
    expect(mysql.pages.length).toBeLessThanOrEqual(10);
    const at = '2026-01-01T04:01:00Z';
    const tunnel = choose(startPath(mysql), mysql, 'check-tunnel', 'U1', at)!;
    expect(tunnel).toBeDefined();
    expect(choose(tunnel, mysql, 'tunnel-down', 'U1', at)).toBeDefined();
    const commands = commandsOf(mysql)
      .filter((command) => command.page === 'start')
      .map((command) => command.template)
      .join('\n');
    for (const tool of ['SHOW REPLICA STATUS', 'wg show', 'extended-status', 'iostat']) expect(commands).toContain(tool);
  });

  it('never put a value inside a quoted shell string, where quoting it cannot protect', () => {
    for (const playbook of library.list()) {
      for (const command of commandsOf(playbook)) {
        expect(findQuotedInterpolations(command.template), `${playbook.id}:${command.line}`).toEqual([]);
      }
    }
  });

  it('the scanner itself finds values inside quotes', () => {
    expect(findQuotedInterpolations(`ssh x "ping {{ a }}"`)).toHaveLength(1);
    expect(findQuotedInterpolations(`ssh x 'ping {{ a }}'`)).toHaveLength(1);
    expect(findQuotedInterpolations(`ping {{ a }} # "x {{ b }}"\nssh 'y' {{ c }}`)).toEqual([]);
  });

  for (const pair of PAIRS) {
    it(`${pair.playbook} renders for ${pair.alert} with nothing missing, as valid shell`, () => {
      const playbook = library.get(pair.playbook)!;
      const scope = scopeOf(pair.source, readAlert(pair.alert));
      for (const page of playbook.pages) {
        for (const content of page.content) {
          const where = `${pair.playbook}:${content.line}`;
          const rendered = content.kind === 'text' ? renderTemplate(content.text, scope, 'text') : renderTemplate(content.template, scope, 'shell');
          expect(rendered.missing, where).toEqual([]);
          expect(rendered.text, where).not.toContain('⟨missing');
          if (content.kind === 'command') execFileSync('sh', ['-n'], { input: rendered.text });
        }
      }
    });
  }

  it('fill the story command with the replica from the Datadog alert', () => {
    const scope = scopeOf('datadog', readAlert('datadog-mysql-replication-lag.json'));
    const [status] = commandsOf(library.get('mysql-replication')!);
    const rendered = renderTemplate(status.template, scope, 'shell');
    expect(rendered.text).toContain("mysql -h db-7.eu-west.example.com -P 3306 -e 'SHOW REPLICA STATUS\\G'");
    expect(rendered.sources.map((source) => source.path)).toContain('alert.labels.host');
  });

  it('stay valid shell when every label is hostile', () => {
    const hostile = ['$(touch /tmp/pwned)', "a'b; rm -rf /", '`reboot`', 'x\ny', '-oProxyCommand=sh', '{{ 7*7 }}', '"; exit 1; "'];
    for (const [index, pair] of PAIRS.entries()) {
      const scope = scopeOf(pair.source, readAlert(pair.alert)) as { alert: { labels: Record<string, string>; raw: unknown } };
      for (const key of Object.keys(scope.alert.labels)) scope.alert.labels[key] = hostile[(index + key.length) % hostile.length];
      for (const command of commandsOf(library.get(pair.playbook)!)) {
        const rendered = renderTemplate(command.template, scope, 'shell');
        execFileSync('sh', ['-n'], { input: rendered.text });
        expect(rendered.text).not.toContain('49');
      }
    }
  });
});
