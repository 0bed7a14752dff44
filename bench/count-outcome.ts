import type { Store } from '../src/store/store.js';

/** What a storm left in the store: alerts, incidents, jobs, and (optionally) the chat messages. */
export interface Outcome {
  alerts: number;
  incidents: number;
  /** Jobs held by a worker right now. */
  leasedJobs: number;
  /** Whether any unleased job is due (scheduled work such as 30-minute reminders is not). */
  overdueJobs: boolean;
  failedJobs: number;
  messages?: { fromBot: number; digests: number; flow: number };
}

/** Nothing left to do now: no job running and none due. */
export function isDrained(outcome: Outcome): boolean {
  return outcome.leasedJobs === 0 && !outcome.overdueJobs;
}

/** Counts through the Store interface, so it works the same on SQLite and PostgreSQL. */
export async function countOutcome(store: Store, options: { withMessages: boolean; now?: Date }): Promise<Outcome> {
  const now = (options.now ?? new Date()).toISOString();
  const [alerts, incidents, jobs] = await Promise.all([store.countAlerts(), store.countIncidents({}), store.countJobs()]);
  const outcome: Outcome = {
    alerts,
    incidents,
    leasedJobs: jobs.leased,
    overdueJobs: jobs.oldestDueAt !== undefined && jobs.oldestDueAt <= now,
    failedJobs: jobs.failed,
  };
  if (options.withMessages) {
    const messages = (await store.listRoomMessages({ limit: 1_000_000 })).filter((message) => message.fromBot);
    // The digest's wording is the incident service's: "🧾 12 alert updates on INC-3 …".
    const digests = messages.filter((message) => /^🧾 \d+ alert update/u.test(message.text)).length;
    outcome.messages = { fromBot: messages.length, digests, flow: messages.length - digests };
  }
  return outcome;
}
