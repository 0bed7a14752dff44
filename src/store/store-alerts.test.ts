import { expect, it } from 'vitest';
import { describeEachStore } from './testing/describe-each-store.js';
import { T0, at, newAlert, newIncident } from './testing/fixtures.js';

const WINDOW = 60_000;

await describeEachStore('alerts', ({ store }) => {
  it('stores alerts and enqueues one alert job per alert, queued by group key', async () => {
    const { inserted, duplicates } = await store().insertAlerts([newAlert({ id: 'a1', groupKey: 'g1' }), newAlert({ id: 'a2', groupKey: 'g2', raw: { other: true } })], {
      now: T0,
      dedupWindowMs: WINDOW,
    });
    expect(duplicates).toBe(0);
    expect(inserted.map((alert) => alert.id)).toEqual(['a1', 'a2']);
    expect(inserted[0]).not.toHaveProperty('groupKey');
    expect(await store().countAlerts()).toBe(2);
    const jobs = await store().claimJobs('w', 10, T0, at(30_000));
    expect(jobs.map((job) => [job.kind, job.queue, job.payload])).toEqual([
      ['alert', 'g1', { alertId: 'a1' }],
      ['alert', 'g2', { alertId: 'a2' }],
    ]);
  });

  it('returns exactly what getAlert reads back', async () => {
    const { inserted } = await store().insertAlerts([newAlert({ id: 'a1', deliveryId: 'd1', startsAt: '2026-01-01T05:00:00+01:00' })], { now: T0, dedupWindowMs: WINDOW });
    expect(inserted[0].startsAt).toBe('2026-01-01T04:00:00.000Z');
    expect(await store().getAlert('a1')).toEqual(inserted[0]);
    expect(await store().getAlert('missing')).toBeUndefined();
  });

  it('drops a redelivery by (source, deliveryId), even long after the dedup window', async () => {
    await store().insertAlerts([newAlert({ id: 'a1', deliveryId: 'd1' })], { now: T0, dedupWindowMs: WINDOW });
    const later = at(24 * 3600_000);
    const again = await store().insertAlerts([newAlert({ id: 'a2', deliveryId: 'd1', raw: { changed: true }, receivedAt: later })], { now: later, dedupWindowMs: WINDOW });
    expect(again).toEqual({ inserted: [], duplicates: 1 });
    // The same delivery id from another source is another delivery.
    const other = await store().insertAlerts([newAlert({ id: 'a3', source: 'grafana', deliveryId: 'd1', receivedAt: later })], { now: later, dedupWindowMs: WINDOW });
    expect(other.inserted).toHaveLength(1);
  });

  it('drops the same content within the window, keeps it after, and ignores key order', async () => {
    const raw = { b: 2, a: { y: [1, { q: 1, p: 2 }], x: 'z' } };
    const reordered = { a: { x: 'z', y: [1, { p: 2, q: 1 }] }, b: 2 };
    await store().insertAlerts([newAlert({ id: 'a1', raw })], { now: T0, dedupWindowMs: WINDOW });

    const inside = at(WINDOW - 1);
    const dup = await store().insertAlerts([newAlert({ id: 'a2', raw: reordered, receivedAt: inside })], {
      now: inside,
      dedupWindowMs: WINDOW,
    });
    expect(dup).toEqual({ inserted: [], duplicates: 1 });

    const outside = at(WINDOW + 1);
    const fresh = await store().insertAlerts([newAlert({ id: 'a3', raw, receivedAt: outside })], {
      now: outside,
      dedupWindowMs: WINDOW,
    });
    expect(fresh.inserted.map((alert) => alert.id)).toEqual(['a3']);
  });

  it('does not confuse content of different sources or arrays in another order', async () => {
    await store().insertAlerts([newAlert({ id: 'a1', raw: [1, 2] })], { now: T0, dedupWindowMs: WINDOW });
    const result = await store().insertAlerts([newAlert({ id: 'a2', raw: [2, 1] }), newAlert({ id: 'a3', source: 'grafana', raw: [1, 2] })], { now: T0, dedupWindowMs: WINDOW });
    expect(result.duplicates).toBe(0);
  });

  it('treats repeats inside one batch as duplicates (content, delivery id and alert id)', async () => {
    const result = await store().insertAlerts(
      [
        newAlert({ id: 'a1', raw: { same: 1 } }),
        newAlert({ id: 'a2', raw: { same: 1 } }),
        newAlert({ id: 'a3', deliveryId: 'd', raw: { n: 3 } }),
        newAlert({ id: 'a4', deliveryId: 'd', raw: { n: 4 } }),
        newAlert({ id: 'a5', raw: { n: 5 } }),
        newAlert({ id: 'a5', raw: { n: 6 } }),
      ],
      { now: T0, dedupWindowMs: WINDOW },
    );
    expect(result.inserted.map((alert) => alert.id)).toEqual(['a1', 'a3', 'a5']);
    expect(result.duplicates).toBe(3);
    expect((await store().getAlert('a5'))?.raw).toEqual({ n: 5 });
    expect((await store().countJobs()).ready).toBe(3);
  });

  it('skips content dedup when the window is zero or not a number', async () => {
    for (const dedupWindowMs of [0, -5, Number.NaN]) {
      const result = await store().insertAlerts([newAlert({ id: `x${dedupWindowMs}`, raw: { same: true } })], { now: T0, dedupWindowMs });
      expect(result.inserted).toHaveLength(1);
    }
  });

  it('treats a repeated alert id (a retried call) as a duplicate, not an error', async () => {
    await store().insertAlerts([newAlert({ id: 'a1' })], { now: T0, dedupWindowMs: 0 });
    const again = await store().insertAlerts([newAlert({ id: 'a1' })], { now: T0, dedupWindowMs: 0 });
    expect(again).toEqual({ inserted: [], duplicates: 1 });
    expect((await store().countJobs()).ready).toBe(1);
  });

  it('answers an empty batch without touching the database', async () => {
    expect(await store().insertAlerts([], { now: T0, dedupWindowMs: WINDOW })).toEqual({ inserted: [], duplicates: 0 });
  });

  it('rejects an alert with an invalid time and stores nothing of its batch', async () => {
    await expect(
      store().insertAlerts([newAlert({ id: 'ok' }), newAlert({ id: 'bad', startsAt: 'soon' })], {
        now: T0,
        dedupWindowMs: WINDOW,
      }),
    ).rejects.toMatchObject({ code: 'STORE_INVALID_TIME' });
    expect(await store().countAlerts()).toBe(0);
  });

  it('commits concurrent calls together, answers each its own, and isolates a failing one', async () => {
    const calls = Array.from({ length: 40 }, (_, i) =>
      store().insertAlerts([newAlert({ id: `c${i}`, raw: { i } }), newAlert({ id: `c${i}-dup`, raw: { i } })], {
        now: T0,
        dedupWindowMs: WINDOW,
      }),
    );
    const results = await Promise.all(calls);
    results.forEach((result, i) => {
      expect(result.inserted.map((alert) => alert.id)).toEqual([`c${i}`]);
      expect(result.duplicates).toBe(1);
    });
    expect(await store().countAlerts()).toBe(40);

    // A call that fails in the database (NOT NULL group key) must not fail those committed with it.
    const broken = newAlert({ id: 'broken', raw: 'broken', groupKey: undefined as unknown as string });
    const settled = await Promise.allSettled([
      store().insertAlerts([newAlert({ id: 'good1', raw: 'good1' })], { now: T0, dedupWindowMs: WINDOW }),
      store().insertAlerts([newAlert({ id: 'good2', raw: 'good2' })], { now: T0, dedupWindowMs: WINDOW }),
      store().insertAlerts([broken], { now: T0, dedupWindowMs: WINDOW }),
      store().insertAlerts([newAlert({ id: 'good3', raw: 'good3' })], { now: T0, dedupWindowMs: WINDOW }),
    ]);
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await store().getAlert('broken')).toBeUndefined();
    expect(await store().countAlerts()).toBe(43);
  });

  it('keeps a 1 MB raw payload and hostile content byte-identical', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const raw = { big, quote: '\'"`$(id)`', emoji: '🔥', nested: { deep: [null, true, 1.5, -0.25e-10] }, __proto__x: 1 };
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "c"}') as unknown;
    await store().insertAlerts([newAlert({ id: 'big', raw }), newAlert({ id: 'proto', raw: hostile })], { now: T0, dedupWindowMs: WINDOW });
    const read = await store().getAlert('big');
    expect(JSON.stringify(read?.raw)).toBe(JSON.stringify(raw));
    const proto = await store().getAlert('proto');
    expect(JSON.stringify(proto?.raw)).toBe('{"__proto__":{"polluted":true},"constructor":"c"}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The __proto__ key is part of the content hash: a payload without it is different content.
    const other = await store().insertAlerts([newAlert({ id: 'proto2', raw: { constructor: 'c' } })], {
      now: T0,
      dedupWindowMs: WINDOW,
    });
    expect(other.inserted).toHaveLength(1);
  });

  it('lists alerts oldest first, by incident, with a sane limit', async () => {
    for (let i = 0; i < 5; i++) {
      await store().insertAlerts([newAlert({ id: `a${i}`, raw: i, receivedAt: at(i * 1000) })], {
        now: at(i * 1000),
        dedupWindowMs: WINDOW,
      });
    }
    const incident = await store().createIncident(newIncident());
    await store().setAlertIncident('a1', incident.id);
    await store().setAlertIncident('a3', incident.id);
    expect((await store().listAlerts({})).map((alert) => alert.id)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect((await store().listAlerts({ incidentId: incident.id })).map((alert) => alert.id)).toEqual(['a1', 'a3']);
    expect((await store().listAlerts({ incidentId: incident.id, limit: 1 })).map((alert) => alert.id)).toEqual(['a1']);
    // Equal receive times keep insertion order.
    await store().insertAlerts([newAlert({ id: 'z', raw: 'z', receivedAt: T0 }), newAlert({ id: 'y', raw: 'y', receivedAt: T0 })], {
      now: T0,
      dedupWindowMs: WINDOW,
    });
    expect((await store().listAlerts({ limit: 3 })).map((alert) => alert.id)).toEqual(['a0', 'z', 'y']);
    expect(await store().listAlerts({ limit: -1 })).toHaveLength(0);
    expect(await store().listAlerts({ limit: Number.POSITIVE_INFINITY })).toHaveLength(7);
  });

  it('refuses to link an alert to an incident that does not exist', async () => {
    await store().insertAlerts([newAlert({ id: 'a1' })], { now: T0, dedupWindowMs: WINDOW });
    await expect(store().setAlertIncident('a1', 'ghost')).rejects.toThrow();
  });
});
