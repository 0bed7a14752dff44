import { expect, it } from 'vitest';
import { describeEachStore } from './testing/describe-each-store.js';
import { HOSTILE as HOSTILE_VALUES, T0, at, newIncident } from './testing/fixtures.js';

const HOSTILE = HOSTILE_VALUES.join(' | ');

await describeEachStore('users and roles', ({ store }) => {
  it('adds local and single sign-on users once, finds them by login and removes them', async () => {
    const alice = await store().addUser({ id: 'user:alice', login: 'alice', displayName: HOSTILE, passwordHash: '$argon2id$x', createdAt: T0, updatedAt: T0 });
    expect(alice).toMatchObject({ id: 'user:alice', login: 'alice', displayName: HOSTILE, sessionEpoch: 0 });
    await expect(store().addUser({ id: 'user:alice', login: 'alice', displayName: 'again', createdAt: T0, updatedAt: T0 })).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
    await store().addUser({ id: 'oidc:1', login: 'bob@example.com', displayName: 'Bob', oidc: { issuer: 'https://idp', subject: 's1' }, createdAt: T0, updatedAt: T0 });
    await expect(store().addUser({ id: 'oidc:2', login: 'bob2', displayName: 'Bob', oidc: { issuer: 'https://idp', subject: 's1' }, createdAt: T0, updatedAt: T0 })).rejects.toMatchObject({
      code: 'STORE_CONFLICT',
    });
    expect((await store().getUserByLogin('ALICE'))?.id).toBe('user:alice');
    expect((await store().listUsers()).map((u) => u.login)).toEqual(['alice', 'bob@example.com']);
    expect(await store().countUsers()).toBe(2);
    expect((await store().getUser('oidc:1'))?.oidc).toEqual({ issuer: 'https://idp', subject: 's1' });
    expect(await store().removeUser('user:alice')).toBe(true);
    expect(await store().removeUser('user:alice')).toBe(false);
    expect(await store().getUser('user:alice')).toBeUndefined();
  });

  it('raises the session epoch when the password changes', async () => {
    await store().addUser({ id: 'user:carol', login: 'carol', displayName: 'Carol', passwordHash: 'h1', createdAt: T0, updatedAt: T0 });
    await store().setUserPassword('user:carol', 'h2', at(1));
    expect(await store().getUser('user:carol')).toMatchObject({ passwordHash: 'h2', sessionEpoch: 1 });
  });

  it('stores each role in its own column: two hand-overs at once keep both', async () => {
    const incident = await store().createIncident(newIncident());
    expect(incident.roles).toBeUndefined();
    await Promise.all([
      store().updateIncident(incident.id, { roles: { commander: { userId: 'user:alice', name: 'Alice', since: T0 } } }),
      store().updateIncident(incident.id, { roles: { communications: { userId: 'U2', name: HOSTILE, since: T0 } } }),
    ]);
    const both = await store().getIncident(incident.id);
    expect(both?.roles).toEqual({ commander: { userId: 'user:alice', name: 'Alice', since: T0 }, communications: { userId: 'U2', name: HOSTILE, since: T0 } });
    await store().updateIncident(incident.id, { roles: { commander: undefined }, acknowledgedAt: at(2), acknowledgedBy: 'Alice' });
    const after = await store().getIncident(incident.id);
    expect(after?.roles).toEqual({ communications: { userId: 'U2', name: HOSTILE, since: T0 } });
    expect(after).toMatchObject({ acknowledgedAt: at(2), acknowledgedBy: 'Alice' });
  });
});
