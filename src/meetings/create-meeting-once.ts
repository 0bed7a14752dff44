import type { Meeting } from './meeting-provider.js';
import type { Store } from '../store/store.js';

/**
 * Creates each meeting once per idempotency key: a retry of the same task while the first
 * creation is still in flight in this process shares it, and a creation the store remembers
 * (`<provider>-meeting:<key>`) is answered without calling the vendor again. A vendor without an
 * idempotency key can still leave one spare meeting after a crash between create and remember,
 * which costs nothing and is better than an incident without a meeting.
 */
export class MeetingOnce {
  private readonly inFlight = new Map<string, Promise<Meeting>>();

  constructor(
    private readonly provider: string,
    private readonly store: Pick<Store, 'getEffect' | 'putEffect'> | undefined,
    private readonly now: () => Date,
  ) {}

  /** The meeting for `key`: remembered, in flight, or made now by `make` and remembered. */
  create(key: string, make: () => Promise<Meeting>): Promise<Meeting> {
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const work = this.createOnce(key, make).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, work);
    return work;
  }

  private async createOnce(key: string, make: () => Promise<Meeting>): Promise<Meeting> {
    const effectKey = `${this.provider}-meeting:${key}`;
    const known = (await this.store?.getEffect(effectKey)) as Meeting | undefined;
    if (known?.joinUrl) return known;
    const meeting = await make();
    await this.store?.putEffect(effectKey, meeting, this.now().toISOString());
    return meeting;
  }
}
