/**
 * Collects the jobs that finish in the same turn of the event loop and deletes them together: one
 * statement and one commit instead of one each (on SQLite every commit appends the touched index
 * pages of the jobs table to the WAL again). Each caller's promise settles with its batch, so a
 * failed delete reaches every job in it, as a failed single delete did.
 */
export class CompleteBatcher {
  private pending: { id: string; resolve(): void; reject(error: unknown): void }[] = [];
  private scheduled = false;

  constructor(private readonly complete: (ids: string[]) => Promise<void>) {}

  /** Resolves once the job's row is deleted together with the others of its turn. */
  add(id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ id, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending.splice(0);
    try {
      await this.complete(batch.map((entry) => entry.id));
      for (const entry of batch) entry.resolve();
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }
}
