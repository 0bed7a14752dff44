import type { Store } from '../../store/store.js';

/** What a replayed command is told when its first delivery is still running on another instance. */
export const COMMAND_IN_PROGRESS = 'That command is already being handled; its answer follows in a moment.';

/**
 * Remembers which Slack deliveries were handled. Slack redelivers an event (with
 * `X-Slack-Retry-Num`, or `retry_attempt` in Socket Mode) when our ack was late or lost; the
 * store makes that hold across a restart and between instances, the memory keeps it cheap.
 */
export class SlackEventDedup {
  private readonly recent = new Set<string>();
  /** Answers of commands run by this process (or running), by delivery id. */
  private readonly answers = new Map<string, Promise<string>>();

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

  /**
   * Runs a command once per delivery id and gives every delivery of it the same answer. A signed
   * request replayed (or retried by Slack) within the signature window then acts once: the repeat
   * gets the first run's answer, from memory or, after a restart or on another instance, from the
   * store; while the first run is still going elsewhere, it is told so.
   * @example await dedup.answerOnce(`command:${triggerId}`, () => runSlashCommand(…))
   */
  answerOnce(id: string, run: () => Promise<string>, now: Date = new Date()): Promise<string> {
    const known = this.answers.get(id);
    if (known) return known;
    // Set before any await: a replay arriving meanwhile must find this run, not start another.
    const answer = (async () => {
      const key = `slack:answer:${id}`;
      if (!(await this.firstTime(id, now))) {
        const stored = await this.store?.getEffect(key);
        return typeof stored === 'string' ? stored : COMMAND_IN_PROGRESS;
      }
      const text = await run();
      await this.store?.putEffect(key, text, new Date().toISOString());
      return text;
    })();
    if (this.answers.size >= this.max) this.answers.delete(this.answers.keys().next().value!);
    this.answers.set(id, answer);
    return answer;
  }

  private remember(id: string): void {
    if (this.recent.size >= this.max) this.recent.delete(this.recent.values().next().value!);
    this.recent.add(id);
  }
}
