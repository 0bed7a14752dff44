/**
 * Paces sends per channel like Slack asks: about one message a second per channel, short bursts
 * allowed (a token bucket). It never waits: `reserve` answers "go" (0) or how long until the
 * channel has room, and the caller turns that into a durable delay (the job runs again later and
 * its worker slot is free meanwhile; LESSONS: pacing is a row, not a sleep).
 *
 * A wait given with a key is a reservation: the same key coming back at its time goes ahead
 * without taking another token, so N posts waiting for one channel are spread one a second
 * instead of all waking at once and all but one deferring again. A 429 pauses the channel for its
 * Retry-After. The state is this process's: after a restart a waiting post simply asks again.
 */

export interface SendQueueOptions {
  /** Sustained sends per second per channel (Slack: 1). */
  ratePerSecond: number;
  /** Sends allowed back to back before pacing starts. */
  burst: number;
  now?: () => number;
}

interface Lane {
  tokens: number;
  at: number;
  pausedUntil: number;
  /** Posts promised a later turn: key → when. */
  reservations: Map<string, number>;
}

/** A reservation not claimed this long after its time belongs to a job that went away. */
const STALE_RESERVATION_MS = 10 * 60_000;

export class SendQueue {
  private readonly lanes = new Map<string, Lane>();
  private readonly now: () => number;

  constructor(private readonly options: SendQueueOptions) {
    if (!(options.ratePerSecond > 0) || !(options.burst >= 1)) throw new RangeError('ratePerSecond must be > 0 and burst >= 1');
    this.now = options.now ?? Date.now;
  }

  /**
   * 0 when `channel` may send now (the turn is taken), else the milliseconds until it may. With a
   * `key`, a wait reserves that later turn for the key.
   */
  reserve(channel: string, key?: string): number {
    const lane = this.lane(channel);
    const now = this.now();
    if (lane.pausedUntil > now) return lane.pausedUntil - now;
    this.refill(lane);
    if (key !== undefined) {
      const turn = lane.reservations.get(key);
      if (turn !== undefined) {
        if (turn > now) return turn - now;
        lane.reservations.delete(key);
        return 0;
      }
    }
    if (lane.tokens >= 1) {
      lane.tokens -= 1;
      return 0;
    }
    const perToken = 1000 / this.options.ratePerSecond;
    if (key === undefined) return Math.ceil((1 - lane.tokens) * perToken);
    // Take the turn on credit: the bucket goes below zero and refills into the promised turn.
    lane.tokens -= 1;
    const wait = Math.ceil(-lane.tokens * perToken);
    lane.reservations.set(key, now + wait);
    this.sweep(lane, now);
    return wait;
  }

  /** Gives back a key's reserved turn (its post went out folded into another message). */
  release(channel: string, key: string): void {
    const lane = this.lanes.get(channel);
    if (!lane?.reservations.delete(key)) return;
    lane.tokens = Math.min(this.options.burst, lane.tokens + 1);
  }

  /** Holds every send to `channel` for `ms` (a 429's Retry-After). */
  pause(channel: string, ms: number): void {
    const lane = this.lane(channel);
    lane.pausedUntil = Math.max(lane.pausedUntil, this.now() + ms);
    // When the pause ends one send may go at once (what Retry-After means), then the usual pace.
    lane.tokens = Math.min(lane.tokens, 1);
  }

  /** Whether posts of this process wait for a later turn of `channel`. */
  hasWaiting(channel: string): boolean {
    return (this.lanes.get(channel)?.reservations.size ?? 0) > 0;
  }

  /** Channels with turns promised to waiting posts (for metrics and tests). */
  get busyChannels(): number {
    return [...this.lanes.values()].filter((lane) => lane.reservations.size > 0).length;
  }

  private lane(channel: string): Lane {
    let lane = this.lanes.get(channel);
    if (!lane) {
      // Idle lanes are dropped when new ones come, so thousands of channels keep no garbage.
      if (this.lanes.size >= 1000) this.dropIdle();
      lane = { tokens: this.options.burst, at: this.now(), pausedUntil: 0, reservations: new Map() };
      this.lanes.set(channel, lane);
    }
    return lane;
  }

  private refill(lane: Lane): void {
    const now = this.now();
    lane.tokens = Math.min(this.options.burst, lane.tokens + (Math.max(0, now - Math.max(lane.at, lane.pausedUntil)) / 1000) * this.options.ratePerSecond);
    lane.at = now;
  }

  private sweep(lane: Lane, now: number): void {
    if (lane.reservations.size < 100) return;
    for (const [key, turn] of lane.reservations) if (turn < now - STALE_RESERVATION_MS) lane.reservations.delete(key);
  }

  private dropIdle(): void {
    const now = this.now();
    for (const [channel, lane] of this.lanes) {
      this.refill(lane);
      if (lane.reservations.size === 0 && lane.pausedUntil <= now && lane.tokens >= this.options.burst) this.lanes.delete(channel);
    }
  }
}
