import type { AlertInsertResult, AlertRequest } from './queries/insert-alerts.js';

interface Pending {
  request: AlertRequest;
  resolve(result: AlertInsertResult): void;
  reject(error: unknown): void;
}

/** Alerts per transaction at most, so one round stays short. */
const MAX_ALERTS_PER_ROUND = 5_000;

/**
 * Group commit for `insertAlerts`: while one transaction is writing, calls that arrive wait and
 * then go together in the next one. A lone call starts at once (no added latency); during a storm
 * of one-alert webhooks the commits, round trips and statement overheads are shared, which is
 * what the ≥ 5,000 alerts/s bar needs. Each caller still hears back only after its alerts are
 * committed. If a shared round fails, its calls are retried one by one, so one caller's bad
 * alert cannot fail the others.
 */
export class AlertInsertBatcher {
  readonly #run: (requests: AlertRequest[]) => Promise<AlertInsertResult[]>;
  readonly #pending: Pending[] = [];
  readonly #gatherFirst: boolean;
  #running = false;

  /**
   * `gatherFirst`: start a round only once the webhooks already read in this turn of the event
   * loop have queued their alerts (setImmediate). For SQLite, whose transactions never wait on
   * the network: without it every webhook of a storm commits alone, since nothing else can run
   * while a round writes. PostgreSQL rounds wait on the network, and calls gather meanwhile.
   */
  constructor(run: (requests: AlertRequest[]) => Promise<AlertInsertResult[]>, options: { gatherFirst?: boolean } = {}) {
    this.#run = run;
    this.#gatherFirst = options.gatherFirst ?? false;
  }

  /** Stores one caller's alerts with whoever else is waiting. */
  submit(request: AlertRequest): Promise<AlertInsertResult> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ request, resolve, reject });
      if (this.#running) return;
      this.#running = true;
      if (this.#gatherFirst) setImmediate(() => void this.#drain());
      else void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length > 0) await this.#runRound(this.#takeRound());
    } finally {
      this.#running = false;
    }
  }

  #takeRound(): Pending[] {
    let alerts = 0;
    let count = 0;
    while (count < this.#pending.length) {
      alerts += this.#pending[count].request.rows.length;
      if (count > 0 && alerts > MAX_ALERTS_PER_ROUND) break;
      count += 1;
    }
    return this.#pending.splice(0, count);
  }

  async #runRound(round: Pending[]): Promise<void> {
    try {
      const results = await this.#run(round.map((pending) => pending.request));
      round.forEach((pending, index) => pending.resolve(results[index]));
    } catch (error) {
      if (round.length === 1) {
        round[0].reject(error);
        return;
      }
      for (const pending of round) await this.#runRound([pending]);
    }
  }
}
