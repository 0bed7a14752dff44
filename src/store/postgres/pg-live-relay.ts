import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Store } from '../store.js';
import type { LiveEventKind, LiveEventMap, LiveEvents } from '../../util/live-events.js';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; stay clear of it. */
const MAX_PAYLOAD_BYTES = 7_500;
const KINDS = new Set<LiveEventKind>(['message', 'message-updated', 'timeline', 'incident']);

interface Envelope {
  /** The sending instance, so it does not hear itself twice. */
  o: string;
  k: LiveEventKind;
  /** The event itself when it fits… */
  d?: unknown;
  /** …else where to read it: the row's id (and, for a timeline entry, its incident). */
  r?: { id: string; incidentId?: string };
}

export interface LiveRelayHandle {
  close(): Promise<void>;
}

/**
 * Live events across instances on PostgreSQL: whatever one instance emits (after its writes
 * committed) is sent with NOTIFY on a channel named after the schema, and every instance LISTENing
 * there emits it to its own `/api/events` subscribers. An event too large for a NOTIFY payload
 * travels as a reference and the receiver reads the row. A lost LISTEN connection reconnects
 * every second; events sent meanwhile are missed by that instance's open streams (browsers
 * reload their views on reconnect), never by the store.
 */
export async function relayLiveEvents(live: LiveEvents, options: { connectionString: string; schema?: string; store: Store; log: Logger }): Promise<LiveRelayHandle> {
  const origin = randomUUID();
  const channel = `sidekick_live_${createHash('sha256')
    .update(options.schema ?? 'public')
    .digest('hex')
    .slice(0, 32)}`;
  const { log, store } = options;
  let closed = false;
  let listener: pg.Client | undefined;
  let sender: pg.Client | undefined;
  let senderReady: Promise<pg.Client> | undefined;

  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: options.connectionString });
    client.on('error', (err) => log.warn({ err: err.message }, 'live events: database connection lost'));
    await client.connect();
    return client;
  };

  const listen = async (): Promise<void> => {
    try {
      const client = await connect();
      client.on('notification', (message) => void receive(message.payload));
      client.on('end', () => {
        if (!closed) setTimeout(() => void listen(), 1000).unref();
      });
      await client.query(`listen "${channel}"`);
      listener = client;
    } catch (error) {
      log.warn({ err: (error as Error).message }, 'live events: could not LISTEN; retrying in 1 s');
      if (!closed) setTimeout(() => void listen(), 1000).unref();
    }
  };

  const receive = async (payload: string | undefined): Promise<void> => {
    try {
      const envelope = JSON.parse(payload ?? '') as Envelope;
      if (envelope.o === origin || !KINDS.has(envelope.k)) return;
      const data = envelope.d ?? (envelope.r ? await readRow(store, envelope.k, envelope.r) : undefined);
      if (data !== undefined) live.emitFromElsewhere(envelope.k, data as LiveEventMap[typeof envelope.k][0]);
    } catch (error) {
      log.debug({ err: (error as Error).message }, 'live events: ignored a notification');
    }
  };

  const send = (kind: LiveEventKind, data: unknown): void => {
    if (closed) return;
    let payload = JSON.stringify({ o: origin, k: kind, d: data } satisfies Envelope);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      const row = data as { id: string; incidentId?: string };
      payload = JSON.stringify({ o: origin, k: kind, r: { id: row.id, ...(row.incidentId ? { incidentId: row.incidentId } : {}) } } satisfies Envelope);
    }
    // One sending connection: notifications leave in the order they were emitted.
    senderReady ??= connect().then((client) => {
      sender = client;
      client.on('end', () => {
        senderReady = undefined;
        sender = undefined;
      });
      return client;
    });
    senderReady
      .then((client) => client.query('select pg_notify($1, $2)', [channel, payload]))
      .catch((error: unknown) => {
        senderReady = undefined;
        log.warn({ err: (error as Error).message, kind }, 'live events: could not notify the other instances');
      });
  };

  await listen();
  live.setRelay(send);
  return {
    async close() {
      closed = true;
      live.setRelay(undefined);
      await Promise.all([listener?.end().catch(() => {}), sender?.end().catch(() => {})]);
    },
  };
}

/** The row an over-large event refers to, as the event carried it. */
async function readRow(store: Store, kind: LiveEventKind, ref: { id: string; incidentId?: string }): Promise<unknown> {
  switch (kind) {
    case 'incident':
      return store.getIncident(ref.id);
    case 'message':
    case 'message-updated':
      return store.getRoomMessage(ref.id);
    case 'timeline':
      return ref.incidentId ? (await store.listTimeline(ref.incidentId)).find((entry) => entry.id === ref.id) : undefined;
  }
}
