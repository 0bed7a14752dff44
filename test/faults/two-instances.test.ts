import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  adminQuery,
  countTexts,
  dropSchema,
  fireAlert,
  firstIncident,
  postgresReachable,
  prepareInstances,
  startInstance,
  stopInstance,
  uniqueSchema,
  until,
  type FaultSetup,
  type IncidentDetail,
  type Instance,
} from './fault-kit.js';

const reachable = await postgresReachable('two instances on one PostgreSQL schema');

/**
 * A run with a pending click, a timer and a box in flight, shared by two real processes on one
 * schema. The flow: open a room, then in parallel ask a question, wait a few seconds, and call an
 * HTTP endpoint that hangs on its first call (so one instance is holding leased work when it dies).
 */
function handoverFlow(port: number, wait: string): string {
  return `id: handover
trigger: { on: alert }
boxes:
  - { id: room, type: open-channel, next: [ask, pause, check] }
  - id: ask
    type: ask
    question: "Roll back the deploy?"
    choices:
      - { id: rollback, label: "Roll back" }
      - { id: keep, label: "Keep it" }
    on: { rollback: answered, keep: kept }
  - { id: answered, type: post, text: "Answer received: rolling back" }
  - { id: kept, type: post, text: "Answer received: keeping it" }
  - { id: pause, type: wait, duration: ${wait}, next: after }
  - { id: after, type: post, text: "The wait is over" }
  - { id: check, type: http-request, url: "http://127.0.0.1:${port}/check", timeout: 60000, next: checked }
  - { id: checked, type: post, text: "Checked: {{ boxes.check.json.checked }}" }
`;
}

/** An endpoint whose first `hold` calls never answer (the caller dies holding them). */
function hangingEndpoint() {
  const state = { hits: 0, hold: 1, held: [] as ServerResponse[] };
  const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    state.hits++;
    if (state.hits <= state.hold) {
      state.held.push(res);
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end('{"checked":true}');
  });
  return { server, state };
}

function botTexts(detail: IncidentDetail): string[] {
  return detail.messages.filter((message) => message.fromBot).map((message) => message.text);
}

async function leaseHolders(schema: string): Promise<number[]> {
  const rows = await adminQuery<{ lease_owner: string }>(`select distinct lease_owner from "${schema}".jobs where lease_owner is not null and lease_until > $1`, [Date.now()]);
  // Owners are `<host>:<pid>:<random>`.
  return rows.map((row) => Number(row.lease_owner.split(':').at(-2)));
}

/** Waits until some instance holds a live lease; the pids of those that do. */
function someLeaseHolders(schema: string): Promise<number[]> {
  return until(
    async () => {
      const pids = await leaseHolders(schema);
      return pids.length > 0 ? pids : undefined;
    },
    10_000,
    'a leased job',
  );
}

/** Both waits are rows, and the HTTP box is in flight (called, not finished). */
async function waitingBoth(url: string, hits: () => number): Promise<IncidentDetail | undefined> {
  const detail = await firstIncident(url);
  if (!detail) return undefined;
  const status = (box: string) => detail.tasks.find((task) => task.boxId === box)?.status;
  return status('ask') === 'waiting' && status('pause') === 'waiting' && status('check') === 'ready' && hits() >= 1 ? detail : undefined;
}

describe.skipIf(!reachable)('two instances on one PostgreSQL schema', () => {
  const endpoint = hangingEndpoint();
  const hits = () => endpoint.state.hits;
  let port = 0;
  const instances: Instance[] = [];
  const setups: FaultSetup[] = [];

  beforeAll(async () => {
    await new Promise<void>((r) => endpoint.server.listen(0, '127.0.0.1', r));
    port = (endpoint.server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((instance) => stopInstance(instance)));
  });
  afterAll(async () => {
    for (const res of endpoint.state.held) res.destroy();
    endpoint.server.close();
    endpoint.server.closeAllConnections();
    for (const setup of setups) {
      await dropSchema(setup.schema);
      setup.remove();
    }
  });

  it('kill -9 of the instance holding work: the other finishes the run, the click and the timer, nothing doubled', async () => {
    endpoint.state.hits = 0;
    endpoint.state.hold = 1;
    const setup = prepareInstances({ schema: uniqueSchema('faults_kill'), flows: { 'handover.yaml': handoverFlow(port, '30s') } });
    setups.push(setup);
    const [a, b] = await Promise.all([startInstance(setup.configPath), startInstance(setup.configPath)]);
    instances.push(a, b);

    expect((await fireAlert(a.url, { key: 'handover', title: 'Checkout 5xx', status: 'firing' })).status).toBe(202);
    // Either instance may have claimed each box; both see the same waits.
    const waiting = await until(() => waitingBoth(b.url, hits), 20_000, 'ask and wait waiting, check in flight');
    expect(await waitingBoth(a.url, hits)).toBeTruthy();

    const holders = await someLeaseHolders(setup.schema);
    const victim = instances.find((instance) => instance.child.pid === holders[0]);
    expect(victim, `lease held by pid ${holders[0]}, not one of ${instances.map((i) => i.child.pid)}`).toBeDefined();
    const survivor = victim === a ? b : a;
    await stopInstance(victim!, 'SIGKILL');

    // The button value is read from the room, exactly as a person's browser would.
    const question = waiting.messages.find((message) => message.text === 'Roll back the deploy?');
    const button = question?.blocks?.find((block) => block.type === 'buttons')?.buttons?.find((candidate) => candidate.label === 'Roll back');
    expect(button?.value).toBeTruthy();
    const click = await fetch(`${survivor.url}/api/room/click`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sidekick-user': 'alice' },
      body: JSON.stringify({ value: button!.value }),
    });
    expect(click.status).toBe(202);

    const final = await until(
      async () => {
        const detail = await firstIncident(survivor.url);
        return detail?.runs.every((run) => run.status === 'done') ? detail : undefined;
      },
      50_000,
      'the run done on the survivor',
    );
    const counts = countTexts(botTexts(final));
    expect(counts['Answer received: rolling back']).toBe(1);
    expect(counts['Answer received: keeping it']).toBeUndefined();
    expect(counts['The wait is over']).toBe(1);
    expect(counts['Checked: true']).toBe(1);
    expect(final.timeline.filter((entry) => entry.kind === 'choice')).toHaveLength(1);
    expect(final.timeline.filter((entry) => entry.kind === 'failure')).toEqual([]);
    // The question was answered in place, once.
    expect(final.messages.filter((message) => message.text.startsWith('Roll back the deploy?'))).toHaveLength(1);
    expect(final.messages.find((message) => message.text.startsWith('Roll back the deploy?'))?.text).toBe('Roll back the deploy? — Roll back');
    // The box that was in flight when its instance died was run again by the survivor, once.
    expect(endpoint.state.hits).toBe(2);

    // A second click on the same button is refused as stale, through either instance.
    const again = await fetch(`${survivor.url}/api/room/click`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: button!.value }),
    });
    expect(again.status).toBe(409);
    // A forged button (signature of another value) is refused.
    const forged = button!.value.replace(/rollback/, 'keep');
    const refused = await fetch(`${survivor.url}/api/room/click`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: forged }),
    });
    expect(refused.status).toBe(400);
  }, 90_000);

  it('SIGTERM mid-wait and mid-box: the leaving instance finishes its box, leaves no lease, and the other fires the timer and takes the click long before a lease could expire', async () => {
    endpoint.state.hits = 0;
    endpoint.state.hold = 1;
    // A lease far longer than the test's patience: only releaseJobs can hand the work over in time.
    const setup = prepareInstances({ schema: uniqueSchema('faults_term'), leaseMs: 120_000, flows: { 'handover.yaml': handoverFlow(port, '3s') } });
    setups.push(setup);
    const [a, b] = await Promise.all([startInstance(setup.configPath), startInstance(setup.configPath)]);
    instances.push(a, b);

    expect((await fireAlert(a.url, { key: 'graceful', title: 'Graceful shutdown', status: 'firing' })).status).toBe(202);
    await until(() => waitingBoth(a.url, hits), 20_000, 'ask and wait waiting, check in flight');
    const holders = await someLeaseHolders(setup.schema);
    const leaving = instances.find((instance) => instance.child.pid === holders[0])!;
    expect(leaving).toBeDefined();
    const staying = leaving === a ? b : a;

    // A graceful stop finishes the box in flight: the hung call answers only after SIGTERM was sent.
    const stopped = stopInstance(leaving, 'SIGTERM');
    await until(async () => leaving.output().includes('SIGTERM: finishing work in flight'), 10_000, 'the instance to start stopping');
    for (const res of endpoint.state.held.splice(0)) {
      res.setHeader('content-type', 'application/json');
      res.end('{"checked":true}');
    }
    expect(await stopped).toBe(0);
    expect(leaving.output()).toContain('SIGTERM: finishing work in flight');
    // Nothing is leased by the instance that left.
    const afterExit = await leaseHolders(setup.schema);
    expect(afterExit).not.toContain(leaving.child.pid);

    const question = (await firstIncident(staying.url))!.messages.find((message) => message.text === 'Roll back the deploy?');
    const button = question?.blocks?.find((block) => block.type === 'buttons')?.buttons?.find((candidate) => candidate.label === 'Keep it');
    const click = await fetch(`${staying.url}/api/room/click`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: button!.value }),
    });
    expect(click.status).toBe(202);
    const detail = await until(
      async () => {
        const current = await firstIncident(staying.url);
        return current?.runs.every((run) => run.status === 'done') ? current : undefined;
      },
      25_000,
      'the survivor to finish the run (well within the 120 s lease)',
    );
    const counts = countTexts(botTexts(detail));
    expect(counts['Checked: true']).toBe(1);
    expect(counts['The wait is over']).toBe(1);
    expect(counts['Answer received: keeping it']).toBe(1);
    expect(counts['Answer received: rolling back']).toBeUndefined();
    expect(detail.timeline.filter((entry) => entry.kind === 'failure')).toEqual([]);
    expect(endpoint.state.hits).toBe(1);
  }, 60_000);
});
