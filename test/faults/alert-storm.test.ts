import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, startInstance, stopInstance, until, type Instance } from './fault-kit.js';

/** A notification as Alertmanager (v0.27) sends it: one group, its alerts, the group's key. */
function alertmanagerGroup(hosts: string[], alertname = 'MySQLReplicationLag') {
  return {
    receiver: 'sidekick',
    status: 'firing',
    alerts: hosts.map((host, i) => ({
      status: 'firing',
      labels: { alertname, instance: `${host}:3306`, job: 'mysql', severity: 'critical' },
      annotations: { summary: `Replication lag on ${host}` },
      startsAt: '2026-01-01T04:00:00.000Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=mysql_slave_lag_seconds+%3E+30',
      fingerprint: `fp${i.toString(16).padStart(14, '0')}`,
    })),
    groupLabels: { alertname },
    commonLabels: { alertname, job: 'mysql', severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: `{}:{alertname="${alertname}"}`,
    truncatedAlerts: 0,
  };
}

interface Listed {
  incidents: { id: string; number: number; title: string; groupKey: string }[];
}

/**
 * Grouping like the monitor and the storm guard, against a real process on SQLite: one
 * Alertmanager group is one incident whatever its size; 3,000 unrelated alerts in one webhook
 * open at most `maxNewIncidents` incidents plus one storm, while /healthz keeps answering.
 */
describe('alert storms (SQLite, real process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-storm-'));
  let instance: Instance;
  beforeAll(async () => {
    mkdirSync(join(dir, 'data'));
    mkdirSync(join(dir, 'flows'));
    writeFileSync(
      join(dir, 'flows', 'hello.yaml'),
      [
        'id: hello',
        'trigger: { on: alert }',
        'boxes:',
        '  - id: room',
        '    type: open-channel',
        '    name: "inc-{{ incident.number }}"',
        '    on: { next: say }',
        '  - id: say',
        '    type: post',
        '    text: "Firing: {{ alert.title }} on {{ alert.labels.host }}"',
      ].join('\n'),
    );
    const configPath = join(dir, 'sidekick.yaml');
    writeFileSync(
      configPath,
      ['dataDir: ./data', 'flows: { dirs: [./flows], examples: false }', 'playbooks: { dirs: [], examples: false }', 'worker: { pollMs: 50 }', 'alerts: { maxBodyBytes: 4194304 }'].join('\n'),
    );
    instance = await startInstance(configPath);
  }, 60_000);
  afterAll(async () => {
    if (instance) await stopInstance(instance, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (source: string, body: unknown) => fetch(`${instance.url}/webhooks/${source}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const incidents = async () => (await getJson<Listed>(`${instance.url}/api/incidents?limit=500`)).incidents;

  it('opens one incident for an Alertmanager group of 3, with host taken from instance', async () => {
    expect((await post('alertmanager', alertmanagerGroup(['db-1.dc2', 'db-2.dc2', 'db-3.dc2']))).status).toBe(202);
    const detail = await until(
      async () => {
        const [incident] = await incidents();
        if (!incident) return undefined;
        const read = await getJson<{ alerts: unknown[]; messages: { text: string }[] }>(`${instance.url}/api/incidents/${incident.id}`);
        return read.alerts.length === 3 && read.messages.length > 0 ? read : undefined;
      },
      30_000,
      'the group in one incident',
    );
    expect(await incidents()).toHaveLength(1);
    expect(detail.messages.map((m) => m.text)).toContain('Firing: Replication lag on db-1.dc2 on db-1.dc2');
  }, 60_000);

  it('folds 3,000 unrelated alerts of one webhook into a handful of incidents, /healthz answering throughout', async () => {
    const before = (await incidents()).length;
    const alerts = Array.from({ length: 3000 }, (_, i) => ({ key: `storm-${i}`, title: `Disk full on web-${i}`, status: 'firing', labels: { host: `web-${i}` } }));
    const accepted = await post('generic', alerts);
    expect(accepted.status).toBe(202);
    const slow: string[] = [];
    let polls = 0;
    let grouped = 0;
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline) {
      const started = Date.now();
      try {
        const response = await fetch(`${instance.url}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (response.status !== 200) slow.push(`status ${response.status}`);
      } catch (error) {
        slow.push(`${(error as Error).name} after ${Date.now() - started} ms`);
      }
      polls += 1;
      const storm = (await incidents()).find((incident) => incident.groupKey === 'storm:generic');
      if (storm) {
        grouped = (await getJson<{ groups: unknown[] }>(`${instance.url}/api/incidents/${storm.id}/groups?limit=10000`)).groups.length;
        if (grouped + (await incidents()).length - before - 1 >= 3000) break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(slow).toEqual([]);
    expect(polls).toBeGreaterThan(3);
    const opened = (await incidents()).length - before;
    // The guard's default: 10 new incidents per minute per source, then one storm incident.
    expect(opened).toBeLessThanOrEqual(11);
    expect(grouped).toBe(3000 - (opened - 1));
  }, 300_000);

  it('splits one group out of the storm into its own incident, which runs its flows', async () => {
    const storm = (await incidents()).find((incident) => incident.groupKey === 'storm:generic')!;
    const { groups } = await getJson<{ groups: { groupKey: string; alerts: number }[] }>(`${instance.url}/api/incidents/${storm.id}/groups`);
    const group = groups[groups.length - 1]!;
    const split = await fetch(`${instance.url}/api/incidents/${storm.id}/split`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ group: group.groupKey }),
    });
    expect(split.status).toBe(201);
    const { incident } = (await split.json()) as { incident: { id: string; groupKey: string } };
    expect(incident.groupKey).toBe(group.groupKey);
    const detail = await until(
      async () => {
        const read = await getJson<{ alerts: unknown[]; messages: { text: string }[] }>(`${instance.url}/api/incidents/${incident.id}`);
        return read.messages.some((m) => m.text.startsWith('Firing: Disk full')) ? read : undefined;
      },
      30_000,
      'the split incident’s flow',
    );
    expect(detail.alerts).toHaveLength(group.alerts);
    const again = await fetch(`${instance.url}/api/incidents/${storm.id}/split`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ group: group.groupKey }),
    });
    expect(again.status).toBe(404);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('INCIDENT_GROUP_UNKNOWN');
  }, 60_000);
});
