/**
 * Slows password guessing on `POST /api/login`: after `free` failures a key (one client address,
 * or all clients together) must wait `baseMs`, then twice as long after each further failure, up
 * to `maxMs`. A key is forgotten `forgetMs` after its last failure; a success forgets its client.
 * Attempts refused while waiting are not heard, so they neither count nor extend the wait.
 *
 * The state lives in this process's memory: with several instances behind a load balancer each
 * keeps its own count, so the limits apply per instance (a restart forgets them).
 */
export interface ThrottleRule {
  free: number;
  baseMs: number;
  maxMs: number;
}

export interface LoginThrottleOptions {
  perClient: ThrottleRule;
  overall: ThrottleRule;
  forgetMs: number;
  /** Milliseconds since the epoch; injected so tests move time by hand. */
  now: () => number;
  /** At most this many client addresses are remembered (the oldest failures go first). */
  maxClients?: number;
}

interface Entry {
  failures: number;
  lastFailure: number;
  blockedUntil: number;
}

export const DEFAULT_LOGIN_THROTTLE = {
  perClient: { free: 5, baseMs: 1_000, maxMs: 15 * 60_000 },
  overall: { free: 50, baseMs: 1_000, maxMs: 60_000 },
  forgetMs: 60 * 60_000,
} satisfies Omit<LoginThrottleOptions, 'now'>;

export class LoginThrottle {
  private readonly clients = new Map<string, Entry>();
  private overall: Entry = { failures: 0, lastFailure: 0, blockedUntil: 0 };

  constructor(private readonly options: LoginThrottleOptions) {}

  /** How long `client` must wait before an attempt is heard; 0 when it may try now. */
  waitMs(client: string): { ms: number; scope: 'client' | 'overall' } {
    const now = this.options.now();
    const own = Math.max(0, (this.live(this.clients.get(client), now)?.blockedUntil ?? 0) - now);
    const all = Math.max(0, (this.live(this.overall, now)?.blockedUntil ?? 0) - now);
    return own >= all ? { ms: own, scope: 'client' } : { ms: all, scope: 'overall' };
  }

  /** Records a wrong password; returns the failure counts after it. */
  failed(client: string): { client: number; overall: number } {
    const now = this.options.now();
    const entry = this.live(this.clients.get(client), now) ?? { failures: 0, lastFailure: 0, blockedUntil: 0 };
    this.clients.delete(client); // re-inserted last: the map stays ordered by last failure
    this.clients.set(client, this.bump(entry, this.options.perClient, now));
    this.overall = this.bump(this.live(this.overall, now) ?? { failures: 0, lastFailure: 0, blockedUntil: 0 }, this.options.overall, now);
    this.prune(now);
    return { client: entry.failures, overall: this.overall.failures };
  }

  succeeded(client: string): void {
    this.clients.delete(client);
  }

  private bump(entry: Entry, rule: ThrottleRule, now: number): Entry {
    entry.failures += 1;
    entry.lastFailure = now;
    if (entry.failures >= rule.free) {
      const exponent = Math.min(entry.failures - rule.free, 40);
      entry.blockedUntil = now + Math.min(rule.baseMs * 2 ** exponent, rule.maxMs);
    }
    return entry;
  }

  private live(entry: Entry | undefined, now: number): Entry | undefined {
    if (!entry || entry.failures === 0) return undefined;
    return now - entry.lastFailure > this.options.forgetMs && now >= entry.blockedUntil ? undefined : entry;
  }

  private prune(now: number): void {
    const max = this.options.maxClients ?? 10_000;
    // Oldest last failure first: forgotten entries go, then the oldest live ones if still too many.
    for (const [client, entry] of this.clients) {
      if (this.clients.size <= max && this.live(entry, now)) break;
      this.clients.delete(client);
    }
  }
}
