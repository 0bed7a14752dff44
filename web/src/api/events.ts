/** Live updates from `GET /api/events` (server-sent events), shared by every view through one connection. */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { Incident, RoomMessage, TimelineEntry } from './types.js';

export type ServerEvent =
  | { type: 'message'; data: RoomMessage }
  | { type: 'message-updated'; data: RoomMessage }
  | { type: 'timeline'; data: TimelineEntry }
  | { type: 'incident'; data: Incident }
  /** Sent locally after a reconnect: views refetch what they show, since events may have been missed. */
  | { type: 'reconnected'; data: null };

export type LiveState = 'connecting' | 'live' | 'offline';

const EVENT_TYPES = ['message', 'message-updated', 'timeline', 'incident'] as const;
const listeners = new Set<(event: ServerEvent) => void>();
const stateListeners = new Set<() => void>();
let source: EventSource | undefined;
let state: LiveState = 'connecting';
let everOpened = false;

function setState(next: LiveState) {
  if (state === next) return;
  state = next;
  for (const listener of stateListeners) listener();
}

function connect() {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/events', { withCredentials: true });
  source.onopen = () => {
    setState('live');
    if (everOpened) emit({ type: 'reconnected', data: null });
    everOpened = true;
  };
  // EventSource retries by itself; we only show that it is trying.
  source.onerror = () => setState(source?.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
  for (const type of EVENT_TYPES) {
    source.addEventListener(type, (raw) => {
      let data: unknown;
      try {
        data = JSON.parse((raw as MessageEvent<string>).data);
      } catch {
        return; // a malformed event is dropped, never shown half-parsed
      }
      emit({ type, data } as ServerEvent);
    });
  }
}

function emit(event: ServerEvent) {
  for (const listener of listeners) listener(event);
}

/** Closes the shared stream (after logout), so a new session opens a fresh one. */
export function disconnectEvents() {
  source?.close();
  source = undefined;
  everOpened = false;
  setState('connecting');
}

/** Calls `handler` for every server event while the component is mounted. */
export function useServerEvents(handler: (event: ServerEvent) => void) {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    connect();
    const listener = (event: ServerEvent) => latest.current(event);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
}

/** Whether the live stream is connected, for the indicator in the header. */
export function useLiveState(): LiveState {
  // The header is always there, so the stream is open on every page and the indicator is true.
  useEffect(connect, []);
  return useSyncExternalStore(
    (callback) => {
      stateListeners.add(callback);
      return () => stateListeners.delete(callback);
    },
    () => state,
  );
}
