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

/** A clock tests move by hand; `sleep` advances it instead of waiting (yielding once so I/O runs). */
export function virtualTime(start = Date.now()) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    date: () => new Date(now),
    sleeps,
    advance(ms: number) {
      now += ms;
    },
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
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
