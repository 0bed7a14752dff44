import type { Store } from '../../store/store.js';

/**
 * Remembers which Slack deliveries were handled. Slack redelivers an event (with
 * `X-Slack-Retry-Num`, or `retry_attempt` in Socket Mode) when our ack was late or lost; the
 * store makes that hold across a restart and between instances, the memory keeps it cheap.
 */
export class SlackEventDedup {
  private readonly recent = new Set<string>();

  constructor(
    private readonly store?: Pick<Store, 'getEffect' | 'putEffect'>,
    private readonly max = 10_000,
  ) {}

  /** True the first time `id` is seen; false for a redelivery. */
  async firstTime(id: string, now: Date = new Date()): Promise<boolean> {
    if (this.recent.has(id)) return false;
    this.remember(id);
    if (!this.store) return true;
    const key = `slack:delivery:${id}`;
    if ((await this.store.getEffect(key)) !== undefined) return false;
    await this.store.putEffect(key, true, now.toISOString());
    return true;
  }

  private remember(id: string): void {
    if (this.recent.size >= this.max) this.recent.delete(this.recent.values().next().value!);
    this.recent.add(id);
  }
}
