import pino from 'pino';
import type { Store } from '../../src/store/store.js';
import { SlackChat, type SlackChatOptions } from '../../src/chat/slack/slack-chat.js';
import type { FakeSlack } from '../fakes/slack/fake-slack.js';

/**
 * Only the effects part of the Store, in memory: what SlackChat uses. `failPuts` makes a put throw
 * (a crash between the Slack call and recording it).
 */
export function memoryEffects(): Store & { effects: Map<string, unknown>; failPuts?: (key: string) => boolean } {
  const effects = new Map<string, unknown>();
  const store = {
    effects,
    failPuts: undefined as ((key: string) => boolean) | undefined,
    async getEffect(key: string) {
      return effects.get(key);
    },
    async putEffect(key: string, result: unknown) {
      if (store.failPuts?.(key)) throw new Error('simulated crash before the effect was recorded');
      if (!effects.has(key)) effects.set(key, structuredClone(result));
    },
  };
  return store as unknown as Store & typeof store;
}

export const silentLog = pino({ level: 'silent' });

/** A log that keeps every line, to check what would be written (and that no secret is). */
export function capturingLog(): { log: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  return { log, lines };
}

/**
 * Virtual time for retries and pacing. `sleep` does not add up across concurrent sleepers: like a
 * fake-timer scheduler, the clock jumps to the earliest wake-up once the process has had a moment
 * (2 ms of real time) to finish its I/O, so eight posts backing off together take as long,
 * virtually, as the slowest of them.
 */
export function virtualTime(start = Date.now()) {
  let now = start;
  const sleeps: number[] = [];
  const pending: { wake: number; resolve: () => void }[] = [];
  let ticking = false;
  const tick = () => {
    if (ticking) return;
    ticking = true;
    setTimeout(() => {
      ticking = false;
      if (pending.length === 0) return;
      now = Math.max(now, Math.min(...pending.map((p) => p.wake)));
      for (const due of pending.filter((p) => p.wake <= now)) {
        pending.splice(pending.indexOf(due), 1);
        due.resolve();
      }
      if (pending.length > 0) tick();
    }, 2);
  };
  return {
    start,
    now: () => now,
    date: () => new Date(now),
    sleeps,
    advance(ms: number) {
      now += ms;
    },
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        sleeps.push(ms);
        pending.push({ wake: now + ms, resolve });
        tick();
      }),
  };
}

export function slackChatFor(fake: FakeSlack, overrides: Partial<SlackChatOptions> = {}): SlackChat {
  return new SlackChat({
    token: fake.token,
    apiUrl: fake.apiUrl,
    store: memoryEffects(),
    log: silentLog,
    sendRatePerSecond: 1000,
    sendBurst: 1000,
    retry: { initialDelayMs: 5, maxDelayMs: 50, maxElapsedMs: 3000, jitter: 0 },
    ...overrides,
  });
}
