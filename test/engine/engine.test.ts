import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRuntime, type MemoryRuntime } from '../helpers/memory-runtime.js';

let runtime: MemoryRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  await runtime?.store.close();
  runtime = undefined;
});

const roomMessages = async (rt: MemoryRuntime) => rt.store.listRoomMessages({ limit: 10_000 });

const storyFlow = `
id: story
trigger: { on: alert }
boxes:
  - id: hello
    type: post
    text: "Firing: {{ alert.title }} on {{ alert.labels.host }} ({{ alert.raw.missing_field }})"
  - id: breather
    type: wait
    duration: 30m
    until: resolved
    on: { next: hydrate }
  - id: hydrate
    type: direct-message
    text: Drink some water.
`;

describe('engine', () => {
  it('runs a flow from an alert, marks missing values visibly and records them on the timeline', async () => {
    runtime = await createMemoryRuntime([storyFlow]);
    await runtime.receive({ title: 'Lag', labels: { host: 'db-7' } });
    await runtime.advance(0);
    const [incident] = await runtime.store.listIncidents({});
    const messages = await roomMessages(runtime);
    expect(messages.map((m) => m.text)).toContain('Firing: Lag on db-7 (⟨missing: alert.raw.missing_field⟩)');
    const timeline = await runtime.store.listTimeline(incident!.id);
    expect(timeline.find((e) => e.kind === 'missing')?.text).toContain('alert.raw.missing_field');
  });

  it('sends the 30-minute reminder only after 30 minutes of (fake) time, and not when resolved first', async () => {
    runtime = await createMemoryRuntime([storyFlow]);
    await runtime.receive({ dedupKey: 'a' });
    await runtime.advance(29 * 60_000);
    expect((await roomMessages(runtime)).some((m) => m.text.includes('water'))).toBe(false);
    await runtime.advance(2 * 60_000);
    expect((await roomMessages(runtime)).filter((m) => m.text.includes('water'))).toHaveLength(1);

    await runtime.receive({ dedupKey: 'b', title: 'Second' });
    await runtime.advance(60_000);
    const second = (await runtime.store.listIncidents({})).find((i) => i.title === 'Second')!;
    await runtime.incidents.setStatus(second.id, 'resolved', 'test');
    await runtime.advance(60 * 60_000);
    expect((await roomMessages(runtime)).filter((m) => m.text.includes('water'))).toHaveLength(1);
  });

  it('does not wait for a resolution that already happened before the wait box ran', async () => {
    runtime = await createMemoryRuntime([
      `
id: quick
trigger: { on: alert }
boxes:
  - { id: hello, type: post, text: "Looking into it", next: breather }
  - id: breather
    type: wait
    duration: 30m
    until: resolved
    on: { next: hydrate, resolved: bye }
  - id: hydrate
    type: direct-message
    text: Drink some water.
  - id: bye
    type: post
    text: Resolved before the wait began
`,
    ]);
    await runtime.receive({ dedupKey: 'fast' });
    await runtime.worker.drain(1); // grouping only: the first post is queued, the wait box not yet created
    const [incident] = await runtime.store.listIncidents({});
    // Resolved (and the event delivered to nobody) before the wait box exists.
    await runtime.incidents.setStatus(incident!.id, 'resolved', 'test');
    await runtime.advance(0);
    expect((await roomMessages(runtime)).map((m) => m.text)).toContain('Resolved before the wait began');
    await runtime.advance(31 * 60_000);
    expect((await roomMessages(runtime)).some((m) => m.text.includes('water'))).toBe(false);
  });

  it('joins alerts with the key of an open incident instead of opening another, with one digest', async () => {
    runtime = await createMemoryRuntime([storyFlow]);
    for (let i = 0; i < 20; i++) await runtime.receive({ dedupKey: 'same', title: `Lag ${i}` });
    await runtime.advance(2 * 60_000);
    expect(await runtime.store.countIncidents({})).toBe(1);
    const digests = (await roomMessages(runtime)).filter((m) => m.text.includes('alert update'));
    expect(digests).toHaveLength(1);
    expect(digests[0]!.text).toContain('19 alert updates');
    expect(digests[0]!.text).toContain('… and 9 more');
  });

  it('folds a storm queued behind an open incident into a few jobs, one timeline line per alert, in order', async () => {
    runtime = await createMemoryRuntime([storyFlow]);
    const handled = vi.spyOn(runtime.incidents, 'handleAlertJob');
    await runtime.receive({ dedupKey: 'same', title: 'Lag 0' });
    await runtime.advance(0);
    for (let i = 1; i <= 30; i++) await runtime.receive({ dedupKey: 'same', title: `Lag ${i}` });
    await runtime.receive({ dedupKey: 'same', title: 'Lag 31', status: 'resolved' });
    await runtime.receive({ dedupKey: 'same', title: 'Lag 32' });
    await runtime.advance(0);
    // Opening, the first joiner (taking 2–30 with it), the resolved alert, the flap that reopens.
    expect(handled).toHaveBeenCalledTimes(4);
    const [incident, ...others] = await runtime.store.listIncidents({});
    expect(others).toEqual([]);
    expect(incident!.status).toBe('investigating');
    const alerts = await runtime.store.listAlerts({ incidentId: incident!.id, limit: 100 });
    expect(alerts.map((alert) => alert.title)).toEqual(Array.from({ length: 33 }, (_, i) => `Lag ${i}`));
    const lines = (await runtime.store.listTimeline(incident!.id)).filter((entry) => entry.kind === 'alert').map((entry) => entry.text.replace(/ \(.*\)/, ''));
    expect(lines).toEqual([...Array.from({ length: 31 }, (_, i) => `Firing: Lag ${i}`), 'Resolved: Lag 31', 'Firing: Lag 32']);
    expect(await runtime.store.countJobs()).toMatchObject({ failed: 0 });
  });

  it('takes a long queued storm along batch after batch in one job, every alert joined in order', async () => {
    runtime = await createMemoryRuntime([storyFlow]);
    const handled = vi.spyOn(runtime.incidents, 'handleAlertJob');
    await runtime.receive({ dedupKey: 'same', title: 'Disk 0' });
    await runtime.advance(0);
    for (let i = 1; i <= 600; i++) await runtime.receive({ dedupKey: 'same', title: `Disk ${i}` });
    await runtime.advance(0);
    // Opening, then the first joiner taking the 599 behind it in batches of 250.
    expect(handled).toHaveBeenCalledTimes(2);
    const [incident] = await runtime.store.listIncidents({});
    const alerts = await runtime.store.listAlerts({ incidentId: incident!.id, limit: 1000 });
    expect(alerts.map((alert) => alert.title)).toEqual(Array.from({ length: 601 }, (_, i) => `Disk ${i}`));
    const lines = (await runtime.store.listTimeline(incident!.id)).filter((entry) => entry.kind === 'alert');
    expect(lines.map((entry) => entry.text.replace(/ \(.*\)/, ''))).toEqual(Array.from({ length: 601 }, (_, i) => `Firing: Disk ${i}`));
    expect(await runtime.store.countJobs()).toMatchObject({ failed: 0 });
  });

  it('resolves when the resolved alert arrives and reopens on a flap', async () => {
    runtime = await createMemoryRuntime([storyFlow]);
    await runtime.receive({ dedupKey: 'flappy' });
    await runtime.advance(0);
    await runtime.receive({ dedupKey: 'flappy', status: 'resolved' });
    await runtime.advance(0);
    let [incident] = await runtime.store.listIncidents({});
    expect(incident!.status).toBe('resolved');
    await runtime.advance(60_000);
    await runtime.receive({ dedupKey: 'flappy' });
    await runtime.advance(0);
    expect(await runtime.store.countIncidents({})).toBe(1);
    [incident] = await runtime.store.listIncidents({});
    expect(incident!.status).toBe('investigating');
  });

  it('never posts twice when a box job runs again (a retry after a crash)', async () => {
    runtime = await createMemoryRuntime([storyFlow]);
    await runtime.receive({});
    await runtime.worker.drain(1); // grouping, which starts the alert's flows in its commit: the post task is queued, not run
    const [task] = await runtime.store.listTasks({ status: ['ready'] });
    const job = { id: 'j', kind: 'task' as const, payload: { taskId: task!.id }, runAt: '', attempts: 0 };
    // Two deliveries of the same job, as after a lease expired mid-run: the box runs once.
    await Promise.all([runtime.engine.handleTaskJob(job), runtime.engine.handleTaskJob(job)]);
    await runtime.engine.handleTaskJob(job);
    expect((await roomMessages(runtime)).filter((m) => m.text.startsWith('Firing'))).toHaveLength(1);
    // The chat adapter itself keeps one post per idempotency key.
    const channel = await runtime.services.chat.resolveChannel('#x');
    const first = await runtime.services.chat.post(channel, { text: 'once' }, 'key-1');
    const second = await runtime.services.chat.post(channel, { text: 'once' }, 'key-1');
    expect(second.id).toBe(first.id);
  });

  it('runs independent branches concurrently', async () => {
    let inFlight = 0;
    let most = 0;
    const waiting: (() => void)[] = [];
    const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
      inFlight++;
      most = Math.max(most, inFlight);
      const answer = () => {
        inFlight--;
        res.setHeader('content-type', 'application/json');
        res.end('{"ok":true}');
      };
      waiting.push(answer);
      // Each request is held until a second one arrives (or a generous fallback), so the test
      // observes overlap rather than timing.
      if (waiting.length >= 2) waiting.splice(0).forEach((fn) => fn());
      else setTimeout(() => waiting.splice(0).forEach((fn) => fn()), 3000);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      runtime = await createMemoryRuntime([
        `
id: parallel
trigger: { on: alert }
boxes:
  - { id: slow-a, type: http-request, url: "${url}/a", next: joined }
  - { id: slow-b, type: http-request, url: "${url}/b" }
  - { id: joined, type: post, text: "A answered {{ boxes.slow-a.json.ok }}" }
`,
      ]);
      await runtime.receive({});
      await runtime.advance(0);
      expect(most).toBe(2);
      expect((await roomMessages(runtime)).map((m) => m.text)).toContain('A answered true');
    } finally {
      server.close();
    }
  });

  it('quotes hostile alert values in playbook commands and never evaluates templates inside them', async () => {
    runtime = await createMemoryRuntime([
      `
id: hostile
trigger: { on: alert }
boxes:
  - { id: pb, type: playbook, playbook: mysql-replication }
  - { id: echo, type: post, text: "{{ alert.title }}" }
`,
    ]);
    await runtime.receive({
      title: 'Lag {{ 7 * 7 }} {% raw %}<!channel>',
      labels: { host: '$(reboot); rm -rf / `id`', port: "3306'; drop", site: 'eu\nwest', replica_of: 'db-3', peer_site: 'us' },
      raw: { host: '$(reboot)' },
    });
    await runtime.advance(0);
    const messages = await roomMessages(runtime);
    const echoed = messages.find((m) => m.text.startsWith('Lag'))!;
    expect(echoed.text).toBe('Lag {{ 7 * 7 }} {% raw %}&lt;!channel&gt;');
    const code = messages
      .flatMap((m) => m.blocks ?? [])
      .filter((b) => b.type === 'code')
      .map((b) => (b as { text: string }).text)
      .join('\n');
    expect(code).toContain(`'$(reboot); rm -rf / \`id\`'`);
    expect(code).not.toMatch(/[^']\$\(reboot\)/);
  });

  it('ignores a click on a button of another incident\u2019s run (forged value)', async () => {
    runtime = await createMemoryRuntime([
      `
id: ask
trigger: { on: alert }
boxes:
  - id: q
    type: ask
    question: Deploy?
    choices: [{ id: yes, label: Yes }, { id: no, label: No }]
    on: { yes: y }
  - { id: y, type: post, text: chosen yes }
`,
    ]);
    await runtime.receive({});
    await runtime.advance(0);
    const button = (await roomMessages(runtime)).flatMap((m) => m.blocks ?? []).flatMap((b) => (b.type === 'buttons' ? b.buttons : []))[0]!;
    const [taskPart] = button.value.split('|');
    const forged = `${taskPart}|no.${button.value.split('.').at(-1)}`;
    expect(await runtime.inbound.click(forged, { userId: 'u', userName: 'mallory', messageId: '' })).toBe('invalid');
    expect(await runtime.inbound.click(button.value, { userId: 'u', userName: 'alice', messageId: '' })).toBe('ok');
    await runtime.advance(0);
    expect(await runtime.inbound.click(button.value, { userId: 'u', userName: 'alice', messageId: '' })).toBe('stale');
    expect((await roomMessages(runtime)).filter((m) => m.text === 'chosen yes')).toHaveLength(1);
  });

  it('reminds responders privately, honours snooze, suggests a hand-off, and stops on resolve', async () => {
    runtime = await createMemoryRuntime([
      `
id: care
trigger: { on: alert }
boxes:
  - id: care
    type: remind
    text: Breathe.
    after: 30m
    every: 30m
    snooze: [1h]
    handoffAfter: 1h
`,
    ]);
    await runtime.receive({});
    await runtime.advance(0);
    const [incident] = await runtime.store.listIncidents({});
    await runtime.engine.addResponder(incident!.id, 'alice', 'alice');
    const dms = async () => (await roomMessages(runtime!)).filter((m) => m.channel !== '' && m.text.startsWith('Breathe'));
    await runtime.advance(30 * 60_000);
    const first = await dms();
    expect(first).toHaveLength(1);
    expect((await runtime.store.getRoomChannel(first[0]!.channel))?.name).toBe('@alice');
    const snooze = first[0]!.blocks!.flatMap((b) => (b.type === 'buttons' ? b.buttons : []))[0]!;
    expect(snooze.label).toBe('Snooze 1h');
    expect(await runtime.inbound.click(snooze.value, { userId: 'alice', userName: 'alice', messageId: first[0]!.id })).toBe('ok');
    await runtime.advance(59 * 60_000);
    expect(await dms()).toHaveLength(1);
    await runtime.advance(2 * 60_000);
    const later = await dms();
    expect(later).toHaveLength(2);
    expect(later[1]!.text).toContain('handing off');
    await runtime.incidents.setStatus(incident!.id, 'resolved', 'test');
    await runtime.advance(5 * 60 * 60_000);
    expect(await dms()).toHaveLength(2);
  });

  it('posts a graph snapshot of a metric and puts it in the report', async () => {
    const requests: unknown[] = [];
    runtime = await createMemoryRuntime(
      [
        `
id: graphs
trigger: { on: alert }
boxes:
  - id: lag
    type: graph
    query: "avg:mysql.replication.seconds_behind_source{host:{{ alert.labels.host }}}"
`,
      ],
      {
        graphs: {
          name: 'fake',
          async snapshot(request) {
            requests.push(request);
            return { title: 'Replication lag', imageUrl: 'https://graphs.example/lag.png' };
          },
        },
      },
    );
    await runtime.receive({ labels: { host: 'db-7' } });
    await runtime.advance(0);
    expect(requests).toMatchObject([{ query: 'avg:mysql.replication.seconds_behind_source{host:db-7}' }]);
    expect(JSON.stringify(await roomMessages(runtime))).toContain('https://graphs.example/lag.png');
    const [incident] = await runtime.store.listIncidents({});
    expect(await runtime.services.renderReport(incident!.id)).toContain('https://graphs.example/lag.png');
  });

  it('nudges for a stakeholder update only when none was posted for a while', async () => {
    runtime = await createMemoryRuntime([
      `
id: updates
trigger: { on: alert }
boxes:
  - { id: nudge, type: status-reminder, every: 20m }
`,
    ]);
    await runtime.receive({});
    await runtime.advance(0);
    const [incident] = await runtime.store.listIncidents({});
    const nudges = async () => (await roomMessages(runtime!)).filter((m) => m.text.includes('stakeholder update'));
    await runtime.advance(15 * 60_000);
    await runtime.incidents.postUpdate(incident!.id, 'Failing over the tunnel', 'alice');
    await runtime.advance(10 * 60_000); // 25 min in, 10 after the update: quiet
    expect(await nudges()).toHaveLength(0);
    await runtime.advance(11 * 60_000); // 36 min in, 21 after the update
    expect(await nudges()).toHaveLength(1);
    await runtime.incidents.setStatus(incident!.id, 'resolved', 'alice');
    await runtime.advance(3 * 60 * 60_000);
    expect(await nudges()).toHaveLength(1);
  });

  it('finishes opening an incident when its jobs are retried after a crash midway, without doubling anything', async () => {
    // Opening is one commit (incident, link, timeline, the jobs that start its flows); what can
    // run twice after a crash is the alert job after that commit, and the flow-starting job.
    for (const crashAt of ['after-grouping', 'after-flows-started'] as const) {
      runtime = await createMemoryRuntime([storyFlow]);
      const alertId = await runtime.receive({ title: 'Lag', labels: { host: 'db-7' } });
      await runtime.worker.drain(crashAt === 'after-grouping' ? 1 : 2);
      const alertJob = { id: 'again', kind: 'alert' as const, payload: { alertId }, runAt: '', attempts: 1, queue: 'generic:key-1' };
      await runtime.incidents.handleAlertJob(alertJob);
      const startJob = { id: 'again-2', kind: 'event' as const, payload: { incidentId: `inc-${alertId}`, event: 'alert', occurrence: `alert:${alertId}` }, runAt: '', attempts: 1 };
      await runtime.incidents.handleEventJob(startJob);
      await runtime.advance(0);
      await runtime.advance(0);
      expect(await runtime.store.countIncidents({})).toBe(1);
      expect((await roomMessages(runtime)).filter((m) => m.text.startsWith('Firing: Lag'))).toHaveLength(1);
      expect((await runtime.store.listRuns({})).length).toBe(1);
      await runtime.close();
      await runtime.store.close();
      runtime = undefined;
    }
  });
});
