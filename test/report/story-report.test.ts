/**
 * The golden report of the bundled story: the README's demo, played through the real runtime on a
 * fake clock — the Datadog alert of `examples/alerts` (dated 1 January by its payload) arriving on
 * 3 December, people talking, choosing in the playbook, marking a decision and a key moment,
 * posting an update and a follow-up, writing the summary, and the recovery 47 minutes later.
 * The report filed at the end must read the same as test/report/fixtures/story-report.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datadogSource } from '../../src/alerts/sources/datadog.js';
import { createMemoryRuntime, type MemoryRuntime } from '../helpers/memory-runtime.js';
import type { Incident } from '../../src/incidents/incident.js';

const ROOT = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const datadog = (file: string, now: Date) => datadogSource.parse(JSON.parse(read(`examples/alerts/${file}`)), { headers: {}, receivedAt: now }, {})[0]!;
const MINUTE = 60_000;

describe('the report of the bundled story', () => {
  let rt: MemoryRuntime;
  let incident: Incident;
  let report: string;

  beforeAll(async () => {
    rt = await createMemoryRuntime([read('examples/flows/mysql-replication.yaml')]);
    rt.clock.set('2026-12-03T04:00:00.000Z');
    await rt.receive(datadog('datadog-mysql-replication-lag.json', rt.clock.now()));
    await rt.advance(5_000);
    incident = (await rt.store.listIncidents({ status: 'open' }))[0]!;
    const channel = incident.channels.find((c) => c.role === 'incident')!.id;
    const room = rt.providers.room;
    const say = async (user: string, text: string, threadId?: string) => {
      const message = await room.say({ channel, text, threadId, userId: `web:${user}`, userName: user });
      await rt.inbound.onMessage({ channel, userId: message.userId, userName: user, text, id: message.id, threadId, at: message.at });
      return message;
    };

    await rt.advance(2 * MINUTE);
    const onIt = await say('alice', 'on it. Severity *high*, tunnel looks flaky');
    await rt.advance(MINUTE);
    const playbook = (await rt.store.listRoomMessages({ channel })).find((m) => m.blocks?.some((b) => b.type === 'buttons') && m.blocks.some((b) => b.type === 'code'))!;
    const button = playbook.blocks!.flatMap((b) => (b.type === 'buttons' ? b.buttons : []))[0]!;
    expect(await rt.inbound.click(button.value, { userId: 'web:alice', userName: 'alice', messageId: playbook.id })).toBe('ok');
    await rt.advance(2 * MINUTE);
    await say('bob', 'wg0 shows 30% packet loss', onIt.id);
    const decision = await say('alice', 'Failing over reads to db-8 while the tunnel is fixed');
    await rt.incidents.markMoment(incident.id, { kind: 'decision', text: decision.text, message: { adapter: 'room', channel, id: decision.id, author: 'alice', at: decision.at }, markedBy: 'bob' });
    await rt.incidents.markMoment(incident.id, { kind: 'decision', text: 'Keep writes on db-3 until replication catches up', markedBy: 'carol' });
    await rt.advance(10 * MINUTE);
    await rt.incidents.postUpdate(incident.id, 'Reads moved to db-8; customers unaffected', 'carol');
    await rt.advance(20 * MINUTE);
    const moment = await say('bob', 'tunnel is back, lag falling');
    await rt.incidents.markMoment(incident.id, { kind: 'key-moment', text: moment.text, message: { adapter: 'room', channel, id: moment.id, author: 'bob', at: moment.at }, markedBy: 'bob' });
    await rt.incidents.addFollowUp(incident.id, { text: 'Alert on tunnel packet loss', owner: { name: 'alice' }, actor: 'bob' });
    await rt.incidents.setSummary(incident.id, 'The tunnel between sites lost packets; the db-7 replica fell 10 minutes behind. Reads were moved to db-8; nobody outside the team noticed.', 'alice');
    // 47 minutes after the alert, Datadog says the monitor recovered.
    rt.clock.set('2026-12-03T04:47:00.000Z');
    await rt.receive(datadog('datadog-mysql-replication-recovered.json', rt.clock.now()));
    await rt.advance(10_000);
    expect(rt.filed).toHaveLength(1);
    report = rt.filed[0]!.body;
  }, 60_000);

  afterAll(async () => {
    await rt?.close();
  });

  it('measures the 47 minutes on one clock', () => {
    expect(report).toContain('| Impact window | 47m 00s |');
  });

  it('reads as the golden file', async () => {
    // Ids are random per run; everything else is fixed by the fake clock and the story.
    const stable = report.replaceAll(incident.id, '<incident-id>').replace(/https:\/\/meet\.jit\.si\/[\w-]+/g, 'https://meet.jit.si/<room>');
    await expect(stable).toMatchFileSnapshot('./fixtures/story-report.md');
  });
});
