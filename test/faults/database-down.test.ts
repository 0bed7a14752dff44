import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_URL, adminQuery, dropSchema, fireAlert, postgresReachable, prepareInstances, startInstance, stopInstance, uniqueSchema, until, type FaultSetup, type Instance } from './fault-kit.js';

const reachable = await postgresReachable('the database unreachable for a while');

/**
 * A TCP relay between Sidekick and PostgreSQL that the test can cut: closed, it refuses new
 * connections and drops the open ones, which is what an instance sees when the database host
 * goes away (the shared test server itself cannot be stopped).
 */
class DatabaseRelay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async open(): Promise<void> {
    const target = new URL(PG_URL);
    this.server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  url(): string {
    const target = new URL(PG_URL);
    target.host = `127.0.0.1:${this.port}`;
    return target.toString();
  }
}

describe.skipIf(!reachable)('the database unreachable for a while (one instance)', () => {
  let setup: FaultSetup;
  let instance: Instance;
  const relay = new DatabaseRelay();

  beforeAll(async () => {
    await relay.open();
    setup = prepareInstances({
      schema: uniqueSchema('faults_down'),
      pgUrl: relay.url(),
      flows: { 'hello.yaml': 'id: hello\ntrigger: { on: alert }\nboxes:\n  - { id: hello, type: post, text: "Opened {{ incident.title }}" }\n' },
    });
    instance = await startInstance(setup.configPath);
  }, 60_000);
  afterAll(async () => {
    if (instance) await stopInstance(instance);
    await relay.cut();
    if (setup) {
      await dropSchema(setup.schema);
      setup.remove();
    }
  });

  it('answers not ready and refuses alerts with 503 while the database is gone, and recovers by itself', async () => {
    expect((await fetch(`${instance.url}/readyz`)).status).toBe(200);
    await relay.cut();

    // Readiness fails (taking the instance out of rotation) but liveness holds: no restart loop.
    const notReady = await until(
      async () => {
        const response = await fetch(`${instance.url}/readyz`);
        return response.status === 503 ? ((await response.json()) as { ok: boolean; database: string }) : undefined;
      },
      30_000,
      'readyz 503',
    );
    expect(notReady.ok).toBe(false);
    expect(notReady.database.length).toBeGreaterThan(0);
    expect((await fetch(`${instance.url}/healthz`)).status).toBe(200);
    // An alert that cannot be stored is not acknowledged: the monitor keeps it and retries.
    const refused = await fireAlert(instance.url, { key: 'db-down', title: 'Arrived during the outage', status: 'firing', deliveryId: 'down-1' });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('ALERT_STORE_FAILED');
    // Metrics still answer from the process.
    expect((await fetch(`${instance.url}/metrics`)).status).toBe(200);

    await relay.open();
    await until(async () => (await fetch(`${instance.url}/readyz`)).status === 200, 30_000, 'readyz 200 again');
    // The monitor's retry is stored and handled, once.
    const accepted = await until(
      async () => {
        const response = await fireAlert(instance.url, { key: 'db-down', title: 'Arrived during the outage', status: 'firing', deliveryId: 'down-1' });
        return response.status === 202 ? response : undefined;
      },
      30_000,
      'the retried delivery accepted',
    );
    expect(accepted.status).toBe(202);
    await until(
      async () => {
        const rows = await adminQuery<{ n: string }>(`select count(*) as n from "${setup.schema}".room_messages where text like 'Opened Arrived during the outage%'`);
        return Number(rows[0]!.n) === 1;
      },
      30_000,
      'the incident opened and posted once',
    );
    expect(instance.child.exitCode).toBeNull();
  }, 120_000);
});
