import { describe, expect, it } from 'vitest';
import { createTestContext } from './testing/create-test-context.js';
import { postBox } from './post.js';
import { anIncident } from '../incidents/testing/an-incident.js';
import type { Incident } from '../incidents/incident.js';
import type { NewJob } from '../store/store.js';

/**
 * Runs the post box with an Acknowledge button against a chat whose post is slow enough for
 * someone to acknowledge meanwhile (`ackDuringPost`), and says which jobs it queued.
 */
async function postWithButton(ackDuringPost: boolean) {
  const incident = anIncident({ id: 'inc_1', title: 'API errors' });
  let stored: Incident = { ...incident };
  const jobs: NewJob[] = [];
  const posted: { blocks?: { type: string }[] }[] = [];
  const services = {
    chat: {
      name: 'room',
      resolveChannel: async () => 'c1',
      post: async (_channel: string, message: { blocks?: { type: string }[] }) => {
        posted.push(message);
        if (ackDuringPost) stored = { ...stored, acknowledgedBy: 'Alice' };
        return { id: 'm1', channel: 'c1' };
      },
    },
    signer: { sign: (payload: string) => `${payload}.sig` },
    store: {
      addTimeline: async (entry: unknown) => entry,
      getIncident: async () => stored,
      enqueue: async (job: NewJob) => void jobs.push(job),
    },
  };
  const ctx = createTestContext(postBox, { settings: { text: 'Checkout is down', acknowledge: true, channel: 'incident' }, incident, services });
  await postBox.run(ctx);
  return { jobs, posted };
}

describe('post box with an Acknowledge button', () => {
  it('queues the button’s replacement when the incident was acknowledged while the message was being posted', async () => {
    const { jobs, posted } = await postWithButton(true);
    expect(posted[0]?.blocks?.some((block) => block.type === 'buttons')).toBe(true);
    expect(jobs).toEqual([expect.objectContaining({ kind: 'acknowledged', payload: { incidentId: 'inc_1' }, queue: 'incident:inc_1', uniqueKey: 'acknowledged:inc_1:task_1' })]);
  });

  it('queues nothing when nobody acknowledged meanwhile', async () => {
    const { jobs } = await postWithButton(false);
    expect(jobs).toEqual([]);
  });
});
