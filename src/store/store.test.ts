import { expect, it } from 'vitest';
import { describeEachStore } from './testing/describe-each-store.js';
import { HOSTILE, T0, at, newAlert, newIncident } from './testing/fixtures.js';
import { StoreError } from './store-error.js';
import { CONCERNS } from './store.js';
import { getSetting, initSetting } from './queries/settings.js';

await describeEachStore('store', ({ store, target }) => {
  it('reports its dialect, answers pings and migrates twice without harm', async () => {
    expect(store().dialect).toBe(target.dialect);
    await store().ping();
    await store().migrate();
    await store().migrate();
    expect(await store().countAlerts()).toBe(0);
  });

  it('commits a transaction as a whole', async () => {
    await store().transaction(async (tx) => {
      await tx.initSetting('a', '1');
      await tx.putEffect('effect', { ok: true }, T0);
    });
    expect(await store().getSetting('a')).toBe('1');
    expect(await store().getEffect('effect')).toEqual({ ok: true });
  });

  it('rolls back everything when the transaction throws, and rethrows the error', async () => {
    const boom = new Error('boom');
    await expect(
      store().transaction(async (tx) => {
        await tx.initSetting('a', '1');
        await tx.createIncident(newIncident());
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await store().getSetting('a')).toBeUndefined();
    expect(await store().countIncidents({})).toBe(0);
  });

  it('reuses the outer transaction in nested calls, so an inner failure undoes the outer work', async () => {
    await expect(
      store().transaction(async (tx) => {
        await tx.initSetting('outer', 'x');
        await tx.transaction(async (inner) => {
          expect(inner).toBe(tx);
          await inner.initSetting('inner', 'y');
          throw new Error('inner');
        });
      }),
    ).rejects.toThrow('inner');
    expect(await store().getSetting('outer')).toBeUndefined();
    expect(await store().getSetting('inner')).toBeUndefined();
  });

  it('runs every method inside a transaction (insertAlerts included)', async () => {
    const result = await store().transaction(async (tx) => {
      const { inserted } = await tx.insertAlerts([newAlert({ id: 'a1' })], { now: T0, dedupWindowMs: 1000 });
      const incident = await tx.createIncident(newIncident());
      await tx.setAlertIncident('a1', incident.id);
      return { inserted, incident };
    });
    expect(result.inserted).toHaveLength(1);
    expect((await store().getAlert('a1'))?.incidentId).toBe(result.incident.id);
  });

  it('is a query context: a query function runs on the store, or on a transaction, directly', async () => {
    await store().transaction(async (tx) => {
      expect(await initSetting(tx, 'direct', 'tx')).toBe('tx');
      expect(await tx.getSetting('direct')).toBe('tx');
    });
    expect(await getSetting(store(), 'direct')).toBe('tx');
  });

  it('offers every query of every concern as a method, outside and inside a transaction', async () => {
    const names = CONCERNS.flatMap((concern) => Object.entries(concern).flatMap(([name, value]) => (typeof value === 'function' ? [name] : [])));
    expect(names).toEqual(expect.arrayContaining(['getAlert', 'createIncident', 'claimJobs', 'putEffect', 'takeChatBacklog', 'addRoomMessage', 'initSetting']));
    const missing = (target: object) => names.filter((name) => typeof (target as Record<string, unknown>)[name] !== 'function');
    expect(missing(store())).toEqual([]);
    expect(await store().transaction(async (tx) => missing(tx))).toEqual([]);
  });

  it('refuses migrate() and close() on a transaction-bound store', async () => {
    await store().transaction(async (tx) => {
      await expect(tx.migrate()).rejects.toMatchObject({ code: 'STORE_IN_TRANSACTION' });
      await expect(tx.close()).rejects.toBeInstanceOf(StoreError);
    });
  });

  it('keeps the first value of a setting (first writer wins)', async () => {
    expect(await store().getSetting('secret')).toBeUndefined();
    expect(await store().initSetting('secret', 'first')).toBe('first');
    expect(await store().initSetting('secret', 'second')).toBe('first');
    expect(await store().getSetting('secret')).toBe('first');
  });

  it('keeps the first result of an effect and tells "never done" from a null result', async () => {
    expect(await store().getEffect('post:1')).toBeUndefined();
    await store().putEffect('post:1', { ts: '1.0' }, T0);
    await store().putEffect('post:1', { ts: '2.0' }, at(1));
    expect(await store().getEffect('post:1')).toEqual({ ts: '1.0' });
    await store().putEffect('nothing', undefined, T0);
    expect(await store().getEffect('nothing')).toBeNull();
  });

  it('keeps dead letters newest first, byte-identical bodies included', async () => {
    const body = `{"broken": ${HOSTILE.join('')}\u0000\ud800`;
    const first = await store().addDeadLetter({
      source: 'generic',
      receivedAt: T0,
      reason: 'invalid JSON',
      body,
      headers: { 'content-type': 'application/json', 'x-evil': HOSTILE[0] },
    });
    const second = await store().addDeadLetter({ source: 'grafana', receivedAt: at(1), reason: 'too big', body: '', headers: {} });
    expect((await store().listDeadLetters()).map((letter) => letter.id)).toEqual([second.id, first.id]);
    const read = await store().getDeadLetter(first.id);
    expect(read?.body).toBe(body);
    expect(read?.headers['x-evil']).toBe(HOSTILE[0]);
    expect(await store().listDeadLetters(1)).toHaveLength(1);
    await store().deleteDeadLetter(first.id);
    expect(await store().getDeadLetter(first.id)).toBeUndefined();
    expect(await store().listDeadLetters(Number.NaN)).toHaveLength(1);
  });

  it('round-trips hostile strings in every text column byte-identical', async () => {
    for (const [index, text] of HOSTILE.entries()) {
      const incident = await store().createIncident(newIncident({ title: text, groupKey: text, labels: { [text]: text }, responders: [text] }));
      const read = await store().getIncident(incident.id);
      expect(read?.title).toBe(text);
      expect(read?.groupKey).toBe(text);
      expect(read?.labels).toEqual({ [text]: text });
      expect(read?.responders).toEqual([text]);
      expect((await store().findOpenIncident(text))?.id).toBe(incident.id);

      const entry = await store().addTimeline({ incidentId: incident.id, at: T0, kind: 'note', actor: text, text, data: { text } });
      expect(await store().listTimeline(incident.id)).toEqual([entry]);
      expect(entry.text).toBe(text);

      await store().initSetting(`k${index}${text}`, text);
      expect(await store().getSetting(`k${index}${text}`)).toBe(text);
    }
  });

  it('replaces U+0000 in plain text columns (PostgreSQL cannot store it) but keeps it in JSON', async () => {
    const { inserted } = await store().insertAlerts([newAlert({ id: 'nul\u0000id', title: 'a\u0000b', labels: { k: 'v\u0000' }, raw: { s: '\u0000' } })], { now: T0, dedupWindowMs: 0 });
    expect(inserted).toHaveLength(1);
    // The id is replaced on the way in and on lookups alike, so it is still found.
    const alert = await store().getAlert('nul\u0000id');
    expect(alert?.title).toBe('a\uFFFDb');
    expect(alert?.labels).toEqual({ k: 'v\u0000' });
    expect(alert?.raw).toEqual({ s: '\u0000' });
    expect(await store().getIncident('\u0000')).toBeUndefined();
  });

  it('normalises times to UTC ISO and rejects what is not a time with a stable code', async () => {
    const incident = await store().createIncident(newIncident({ createdAt: '2026-01-01T06:00:00+02:00' }));
    expect(incident.createdAt).toBe('2026-01-01T04:00:00.000Z');
    await expect(store().createIncident(newIncident({ createdAt: 'yesterday' }))).rejects.toMatchObject({
      code: 'STORE_INVALID_TIME',
    });
    await expect(store().putEffect('e', 1, 'not a time')).rejects.toBeInstanceOf(StoreError);
  });
});
