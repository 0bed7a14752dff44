import pino from 'pino';
import type { PostRecordKeys, PostRecords, Store } from '../../src/store/store.js';
import { SlackChat, type SlackChatOptions } from '../../src/chat/slack/slack-chat.js';
import type { FakeSlack } from '../fakes/slack/fake-slack.js';
import type { ChatMessage, PostedMessage } from '../../src/chat/chat.js';
import { decideRetry } from '../../src/engine/retry-policy.js';

/**
 * Only the effects part of the Store, in memory: what SlackChat uses (posts without `foldWith`). `failPuts` makes a put throw
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
      if (effects.has(key)) return false;
      effects.set(key, structuredClone(result));
      return true;
    },
    async getPostRecords(keys: PostRecordKeys): Promise<PostRecords> {
      return { ...(effects.has(keys.result) ? { result: effects.get(keys.result) } : {}), ...(effects.has(keys.intent) ? { intent: effects.get(keys.intent) } : {}) };
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
    retry: { maxElapsedMs: 60_000 },
    ...overrides,
  });
}

/**
 * What the engine does with a post that fails: the job runs again when the retry policy says
 * (a deferral for pacing, a backoff or Retry-After for a failure), until it succeeds or the
 * policy gives up. `time` waits virtually; without it the waits are real but scaled by `scale`.
 * Returns the result and how many runs it took.
 */
export async function postAsJob(
  chat: SlackChat,
  channel: string,
  message: ChatMessage,
  key: string,
  options: { time?: { now(): number; sleep(ms: number): Promise<void> }; scale?: number } = {},
): Promise<PostedMessage & { runs: number }> {
  let attempts = 0;
  let failingSince: string | undefined;
  for (let runs = 1; ; runs++) {
    try {
      return { ...(await chat.post(channel, message, key)), runs };
    } catch (error) {
      const now = options.time?.now() ?? Date.now();
      const decision = decideRetry(error, { attempts, failingSince }, new Date(now), () => 0);
      if (decision.kind === 'fail') throw error;
      if (decision.kind === 'retry') {
        attempts += 1;
        failingSince = decision.failedAt;
      }
      const ms = Date.parse(decision.kind === 'defer' ? decision.until : decision.at) - now;
      if (options.time) await options.time.sleep(ms);
      else await new Promise((resolve) => setTimeout(resolve, ms * (options.scale ?? 1)));
    }
  }
}
