import { EventEmitter } from 'node:events';
import type { Incident, TimelineEntry } from '../incidents/incident.js';
import type { RoomMessage } from '../chat/room/room-queries.js';

/** What live views (the web UI's event stream) are told about. */
export interface LiveEventMap {
  message: [RoomMessage];
  'message-updated': [RoomMessage];
  timeline: [TimelineEntry];
  incident: [Incident];
}

export type LiveEventKind = keyof LiveEventMap;

/** Carries events to the other instances (PostgreSQL LISTEN/NOTIFY, store/postgres/pg-live-relay.ts). */
export type LiveRelay = <K extends LiveEventKind>(kind: K, data: LiveEventMap[K][0]) => void;

/**
 * Live events of this process, and, when a relay is set (PostgreSQL), of every instance: what is
 * emitted here is also handed to the relay, and what the relay hears from other instances is
 * emitted here with `emitFromElsewhere` (never relayed again). SQLite runs one process: no relay.
 */
export class LiveEvents extends EventEmitter<LiveEventMap> {
  private relay?: LiveRelay;

  constructor() {
    super();
    // Every open browser tab is a listener; the default cap of 10 would warn on a busy incident.
    this.setMaxListeners(1000);
  }

  setRelay(relay: LiveRelay | undefined): void {
    this.relay = relay;
  }

  override emit<K extends LiveEventKind>(kind: K, ...args: LiveEventMap[K]): boolean {
    const heard = this.emitHere(kind, args[0]);
    this.relay?.(kind, args[0]);
    return heard;
  }

  /** An event another instance emitted: to this process's listeners only. */
  emitFromElsewhere<K extends LiveEventKind>(kind: K, data: LiveEventMap[K][0]): boolean {
    return this.emitHere(kind, data);
  }

  private emitHere(kind: LiveEventKind, data: unknown): boolean {
    return (EventEmitter.prototype.emit as (this: EventEmitter, name: string, ...values: unknown[]) => boolean).call(this, kind, data);
  }
}
