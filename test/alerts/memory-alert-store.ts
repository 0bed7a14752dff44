import type { Alert } from '../../src/alerts/alert.js';
import type { DeadLetter, NewAlert, Store } from '../../src/store/store.js';

/**
 * The five Store methods alert intake uses, in memory, with the real store's dedup rules
 * (delivery id forever, identical content within the window). `failNext` makes the next write
 * throw, to test what intake answers when the database is down.
 */
export function memoryAlertStore() {
  const alerts: (NewAlert & { hash: string })[] = [];
  const deadLetters = new Map<string, DeadLetter>();
  let letterSeq = 0;
  const state = { failNext: undefined as 'insert' | 'deadLetter' | undefined, inserts: 0 };
  const store = {
    dialect: 'sqlite',
    async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
      const snapshot = [alerts.length, new Map(deadLetters)] as const;
      try {
        return await fn(store as unknown as Store);
      } catch (error) {
        alerts.length = snapshot[0];
        deadLetters.clear();
        for (const [id, letter] of snapshot[1]) deadLetters.set(id, letter);
        throw error;
      }
    },
    async insertAlerts(batch: NewAlert[], options: { now: string; dedupWindowMs: number }) {
      if (state.failNext === 'insert') {
        state.failNext = undefined;
        throw new Error('SQLITE_BUSY: database is locked (password=hunter2 must not leak)');
      }
      state.inserts++;
      const inserted: Alert[] = [];
      const since = Date.parse(options.now) - options.dedupWindowMs;
      for (const alert of batch) {
        const hash = JSON.stringify([alert.source, alert.dedupKey, alert.status, alert.raw]);
        const redelivered = alert.deliveryId !== undefined && alerts.some((a) => a.source === alert.source && a.deliveryId === alert.deliveryId);
        const repeated = alerts.some((a) => a.hash === hash && Date.parse(a.receivedAt) >= since);
        if (redelivered || repeated) continue;
        alerts.push({ ...alert, hash });
        inserted.push({ ...alert });
      }
      return { inserted, duplicates: batch.length - inserted.length };
    },
    async addDeadLetter(letter: Omit<DeadLetter, 'id'>) {
      if (state.failNext === 'deadLetter') {
        state.failNext = undefined;
        throw new Error('disk full');
      }
      const stored = { ...letter, id: `dl-${++letterSeq}` };
      deadLetters.set(stored.id, stored);
      return stored;
    },
    async getDeadLetter(id: string) {
      return deadLetters.get(id);
    },
    async deleteDeadLetter(id: string) {
      deadLetters.delete(id);
    },
  };
  return { store: store as unknown as Store, alerts, deadLetters, state };
}
