import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTeams, type FakeTeams } from '../fakes/teams/fake-teams.js';
import { TeamsTokenVerifier } from '../../src/chat/teams/verify-teams-token.js';

/** The token check on its own: skew, key refresh, and what happens when the metadata is down. */
describe('TeamsTokenVerifier', () => {
  let fake: FakeTeams;
  beforeAll(async () => {
    fake = await startFakeTeams();
  });
  afterAll(() => fake.close());

  const activity = () => ({ channelId: 'msteams', serviceUrl: fake.serviceUrl });

  it('accepts a token within five minutes past expiry, refuses one beyond', async () => {
    const verifier = new TeamsTokenVerifier({ openIdMetadataUrl: fake.openIdMetadataUrl, appId: fake.appId });
    await expect(verifier.verify(`Bearer ${await fake.sign({}, { expiresInSeconds: -240 })}`, activity())).resolves.toMatchObject({ aud: fake.appId });
    await expect(verifier.verify(`Bearer ${await fake.sign({}, { expiresInSeconds: -360 })}`, activity())).rejects.toMatchObject({ code: 'TEAMS_AUTH_EXPIRED' });
  });

  it('compares the serviceurl claim without case or trailing slash, and refuses another host', async () => {
    const verifier = new TeamsTokenVerifier({ openIdMetadataUrl: fake.openIdMetadataUrl, appId: fake.appId });
    const token = `Bearer ${await fake.sign({ serviceurl: fake.serviceUrl.toUpperCase().replace(/\/$/, '') })}`;
    await expect(verifier.verify(token, activity())).resolves.toBeDefined();
    await expect(verifier.verify(token, { channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1/bot/' })).rejects.toMatchObject({ code: 'TEAMS_AUTH_SERVICE_URL' });
  });

  it('fails closed when the metadata cannot be read, and keeps the last good keys when it fails later', async () => {
    const down = new TeamsTokenVerifier({ openIdMetadataUrl: `${fake.url}/nothing-here`, appId: fake.appId });
    await expect(down.verify(`Bearer ${await fake.sign()}`, activity())).rejects.toMatchObject({ code: 'TEAMS_AUTH_METADATA' });

    let now = Date.now();
    const verifier = new TeamsTokenVerifier({ openIdMetadataUrl: fake.openIdMetadataUrl, appId: fake.appId, now: () => now });
    await verifier.verify(`Bearer ${await fake.sign()}`, activity());
    fake.fail(/^GET \/v1\/\.well-known\/openidconfiguration$/, 503, 'ServiceUnavailable', 5);
    now += 25 * 3_600_000;
    // Keys older than a day are refreshed; the refresh fails, and the last good keys still verify.
    const metadataCalls = fake.calls(/openidconfiguration$/).length;
    await expect(verifier.verify(`Bearer ${await fake.sign({}, { expiresInSeconds: 26 * 3600 })}`, activity())).resolves.toBeDefined();
    expect(fake.calls(/openidconfiguration$/).length).toBe(metadataCalls + 1);
    fake.clearFaults();
  });

  it('refetches the keys for an unknown key id, at most every five minutes', async () => {
    let now = Date.now();
    const verifier = new TeamsTokenVerifier({ openIdMetadataUrl: fake.openIdMetadataUrl, appId: fake.appId, now: () => now });
    await verifier.verify(`Bearer ${await fake.sign()}`, activity());
    const before = fake.calls(/keys$/).length;
    await expect(verifier.verify(`Bearer ${await fake.sign({}, { kid: 'rotated-away' })}`, activity())).rejects.toMatchObject({ code: 'TEAMS_AUTH_KEY' });
    expect(fake.calls(/keys$/).length).toBe(before);
    now += 6 * 60_000;
    await expect(verifier.verify(`Bearer ${await fake.sign({}, { kid: 'rotated-away' })}`, activity())).rejects.toMatchObject({ code: 'TEAMS_AUTH_KEY' });
    expect(fake.calls(/keys$/).length).toBe(before + 1);
  });
});
