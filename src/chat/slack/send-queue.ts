/**
 * Paces sends per channel like Slack asks: about one message a second per channel, short bursts
 * allowed (a token bucket). A 429 pauses the channel for its Retry-After, so the messages queued
 * behind it wait too instead of each collecting its own 429.
 */

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SendQueueOptions {
  /** Sustained sends per second per channel (Slack: 1). */
  ratePerSecond: number;
  /** Sends allowed back to back before pacing starts. */
  burst: number;
  now?: () => number;
  sleep?: Sleep;
}

interface Lane {
  tokens: number;
  at: number;
  pausedUntil: number;
  /** Takers of one channel go in order: a promise chain. */
  tail: Promise<void>;
  waiting: number;
}

export class SendQueue {
  private readonly lanes = new Map<string, Lane>();
  private readonly now: () => number;
  private readonly sleep: Sleep;

  constructor(private readonly options: SendQueueOptions) {
    if (!(options.ratePerSecond > 0) || !(options.burst >= 1)) throw new RangeError('ratePerSecond must be > 0 and burst >= 1');
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
  }

  /** Resolves when `channel` may send one more message. */
  take(channel: string): Promise<void> {
    const lane = this.lane(channel);
    lane.waiting += 1;
    const turn = lane.tail.then(() => this.waitForToken(lane));
    lane.tail = turn.catch(() => undefined);
    return turn.finally(() => {
      lane.waiting -= 1;
      // Idle lanes are dropped so a long run over thousands of channels keeps no garbage.
      if (lane.waiting === 0 && lane.pausedUntil <= this.now() && this.refill(lane) >= this.options.burst) this.lanes.delete(channel);
    });
  }

  /** Holds every send to `channel` for `ms` (a 429's Retry-After). */
  pause(channel: string, ms: number): void {
    const lane = this.lane(channel);
    lane.pausedUntil = Math.max(lane.pausedUntil, this.now() + ms);
    lane.tokens = 0;
  }

  /** Channels with a send waiting (for metrics and tests). */
  get busyChannels(): number {
    return [...this.lanes.values()].filter((lane) => lane.waiting > 0).length;
  }

  private lane(channel: string): Lane {
    let lane = this.lanes.get(channel);
    if (!lane) {
      lane = { tokens: this.options.burst, at: this.now(), pausedUntil: 0, tail: Promise.resolve(), waiting: 0 };
      this.lanes.set(channel, lane);
    }
    return lane;
  }

  private refill(lane: Lane): number {
    const now = this.now();
    lane.tokens = Math.min(this.options.burst, lane.tokens + ((now - lane.at) / 1000) * this.options.ratePerSecond);
    lane.at = now;
    return lane.tokens;
  }

  private async waitForToken(lane: Lane): Promise<void> {
    for (;;) {
      const paused = lane.pausedUntil - this.now();
      if (paused > 0) {
        await this.sleep(paused);
        lane.at = Math.max(lane.at, this.now());
        continue;
      }
      if (this.refill(lane) >= 1) {
        lane.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - lane.tokens) / this.options.ratePerSecond) * 1000));
    }
  }
}
