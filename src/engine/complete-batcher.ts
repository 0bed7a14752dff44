/** Longest a finished job waits for others to share its delete, while other jobs are running. */
const MAX_WAIT_MS = 2;
/** Most ids in one delete. */
const MAX_BATCH = 256;

/**
 * Collects the jobs that finish close together and deletes them together: one statement and one
 * commit instead of one each (on SQLite every commit appends the touched index pages of the jobs
 * table to the WAL again). The jobs of one claim start a turn of the event loop apart, so in a
 * burst they also finish turns apart: while other jobs are running, a finished job waits up to
 * MAX_WAIT_MS for them. A job finishing with nothing else running is deleted in the next turn.
 * Each caller's promise settles with its batch, so a failed delete reaches every job in it, as a
 * failed single delete did.
 */
export class CompleteBatcher {
  private pending: { id: string; resolve(): void; reject(error: unknown): void }[] = [];
  private timer?: NodeJS.Timeout | NodeJS.Immediate;

  /** `othersRunning(waiting)`: whether jobs besides the `waiting` ones collected here are still running. */
  constructor(
    private readonly complete: (ids: string[]) => Promise<void>,
    private readonly othersRunning: (waiting: number) => boolean = () => false,
  ) {}

  /** Resolves once the job's row is deleted together with the others finishing around it. */
  add(id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ id, resolve, reject });
      if (this.pending.length >= MAX_BATCH) {
        this.clear();
        void this.flush();
        return;
      }
      if (this.timer) return;
      this.timer = this.othersRunning(this.pending.length) ? setTimeout(() => void this.flush(), MAX_WAIT_MS) : setImmediate(() => void this.flush());
    });
  }

  private clear(): void {
    if (!this.timer) return;
    clearTimeout(this.timer as NodeJS.Timeout);
    clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = undefined;
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const batch = this.pending.splice(0);
    if (batch.length === 0) return;
    try {
      await this.complete(batch.map((entry) => entry.id));
      for (const entry of batch) entry.resolve();
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }
}
