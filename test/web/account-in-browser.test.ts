import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuild, HAS_CHROMIUM, launchBrowser } from './browser-harness.js';
import { serveBuild } from './serve-build.js';
import { startLockedServer, type LockedServer } from '../helpers/locked-server.js';
import { createStore } from '../../src/store/create-store.js';
import { addLocalUser } from '../../src/people/manage-users.js';

/**
 * A named local account in the browser: made the way `sidekick users add` makes it (before the
 * server starts, so accounts alone make the login required), logged in through the login page,
 * and then its display name — not "web", not the login — on what it says and on the role it takes.
 */
describe.skipIf(!HAS_CHROMIUM)('a local account in the room, in Chromium', { timeout: 90_000 }, () => {
  let dir: string;
  let server: LockedServer;
  let front: { url: string; close(): Promise<void> } | undefined;
  let url: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!process.env.SIDEKICK_WEB_DIST) ensureWebBuild();
    dir = mkdtempSync(join(tmpdir(), 'sidekick-account-'));
    const store = await createStore({ dataDir: join(dir, 'data') });
    try {
      await addLocalUser(store, { login: 'grace', password: 'a long grace password', displayName: 'Grace Hopper', now: new Date().toISOString() });
    } finally {
      await store.close();
    }
    server = await startLockedServer({ env: { SIDEKICK_DATA_DIR: join(dir, 'data') } });
    front = process.env.SIDEKICK_WEB_DIST ? await serveBuild(process.env.SIDEKICK_WEB_DIST, server.url) : undefined;
    url = front?.url ?? server.url;
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.route(
      (target) => target.hostname !== '127.0.0.1',
      (route) => route.abort(),
    );
    page = await context.newPage();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await front?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('logs in with the account, then names the person as author and as the role they took', async () => {
    await page.goto(url);
    await page.locator('#login-user').fill('grace');
    await page.locator('#login-password').fill('a long grace password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#login-user').waitFor({ state: 'detached', timeout: 15_000 });

    // The browser's own session declares the incident (the page's cookies, the CSRF header the UI sends).
    const declared = await page.request.post(`${url}/api/incidents`, { data: { title: 'Checkout is slow' }, headers: { 'x-sidekick-csrf': '1' } });
    expect(declared.status()).toBe(201);
    const incidentId = ((await declared.json()) as { incident: { id: string } }).incident.id;
    await page.goto(`${url}/#/incidents/${encodeURIComponent(incidentId)}`);

    const composer = page.locator('form.composer textarea').first();
    await composer.waitFor({ timeout: 15_000 });
    await composer.fill('Rolling back the payment service');
    await page.locator('form.composer button[type=submit]').first().click();
    const mine = page.locator('.message', { hasText: 'Rolling back the payment service' });
    await mine.waitFor({ timeout: 10_000 });
    await expect(mine.locator('.author').textContent()).resolves.toBe('Grace Hopper');

    const roles = page.locator('section.roles');
    await roles.locator('[data-role=communications]').getByRole('button', { name: 'take it' }).click();
    await expect.poll(() => roles.locator('[data-role=communications] dd').textContent()).toContain('Grace Hopper');
    await expect.poll(() => page.locator('.room-side').textContent()).toContain('Grace Hopper is the communications lead');

    const detail = await (await page.request.get(`${url}/api/incidents/${incidentId}`)).json();
    expect(detail.incident.roles.communications).toMatchObject({ userId: 'user:grace', name: 'Grace Hopper' });
    expect(detail.timeline.find((e: any) => e.kind === 'message' && e.text.includes('Rolling back')).actor).toBe('Grace Hopper');
  });
});
