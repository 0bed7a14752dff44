import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuild, HAS_CHROMIUM, launchBrowser, ROOT, startWebSidekick, type WebSidekick } from './browser-harness.js';

const example = (name: string) => readFileSync(join(ROOT, 'examples/alerts', name), 'utf8');

/** Named people in the room: the name asked once, the author of messages, acknowledgement and roles. */
describe.skipIf(!HAS_CHROMIUM)('people and roles in the room, in Chromium', { timeout: 90_000 }, () => {
  let web: WebSidekick;
  let browser: Browser;
  let page: Page;
  let incidentId: string;

  beforeAll(async () => {
    if (!process.env.SIDEKICK_WEB_DIST) ensureWebBuild();
    web = await startWebSidekick();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.route(
      (url) => url.hostname !== '127.0.0.1',
      (route) => route.abort(),
    );
    page = await context.newPage();
    await web.sidekick.post('/webhooks/datadog', example('datadog-mysql-replication-lag.json'));
    const incident = await web.sidekick.until(async () => {
      const first = (await web.sidekick.get('/api/incidents')).body.incidents[0];
      return first?.channels.some((c: any) => c.role === 'incident') ? first : undefined;
    }, 15_000);
    incidentId = incident.id;
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('asks once for a name and shows it as the author of what this browser says', async () => {
    await page.goto(`${web.url}/#/incidents/${encodeURIComponent(incidentId)}`);
    const banner = page.locator('form.name-banner');
    await banner.waitFor({ timeout: 15_000 });
    await banner.getByRole('textbox').fill('Alice Example');
    await banner.getByRole('button', { name: 'Save' }).click();
    await banner.waitFor({ state: 'detached' });

    const composer = page.locator('form.composer textarea').first();
    await composer.fill('Replica lag confirmed, looking at the tunnel');
    await page.locator('form.composer button[type=submit]').first().click();
    const mine = page.locator('.message', { hasText: 'Replica lag confirmed' });
    await mine.waitFor({ timeout: 10_000 });
    await expect(mine.locator('.author').textContent()).resolves.toBe('Alice Example');
    await expect(page.locator('.message .author', { hasText: /^web$/ }).count()).resolves.toBe(0);

    // Asked once: a reload does not ask again.
    await page.reload();
    await page.locator('.message', { hasText: 'Replica lag confirmed' }).waitFor({ timeout: 10_000 });
    await expect(page.locator('form.name-banner').count()).resolves.toBe(0);
  });

  it('acknowledges from the room and shows the commander; hands the communications lead to someone', async () => {
    const roles = page.locator('section.roles');
    await roles.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => roles.locator('[data-role=acknowledged] dd').textContent()).toContain('by Alice Example');
    await expect.poll(() => roles.locator('[data-role=commander] dd').textContent()).toContain('Alice Example');

    await roles.getByRole('combobox').selectOption('communications');
    await roles.getByPlaceholder('name').fill('Bob <b>Builder</b>');
    await roles.getByRole('button', { name: 'Hand over' }).click();
    await expect.poll(() => roles.locator('[data-role=communications] dd').textContent()).toContain('Bob <b>Builder</b>');
    // Shown as text, never as markup.
    await expect(roles.locator('[data-role=communications] b').count()).resolves.toBe(0);

    const timeline = page.locator('.room-side');
    await expect.poll(() => timeline.textContent()).toContain('Alice Example acknowledged the incident');
    await expect.poll(() => timeline.textContent()).toContain('Bob <b>Builder</b> is the communications lead (named by Alice Example)');

    const detail = (await web.sidekick.get(`/api/incidents/${incidentId}`)).body;
    expect(detail.incident.roles.commander.userId).toBe('web:Alice Example');
    expect(detail.timeline.find((e: any) => e.kind === 'message' && e.text.includes('Replica lag')).actor).toBe('Alice Example');
  });
});

describe('responder names in the room head', () => {
  it('shows the names responders were seen with, never raw ids', async () => {
    const { responderNames } = await import('../../web/src/incidents/responder-names.js');
    const incident = { responders: ['web:Alice', 'U123', 'name:Bob', 'user:carol'], roles: { commander: { userId: 'user:carol', name: 'Carol Ops', since: '' } } } as any;
    const messages = [{ userId: 'U123', userName: 'dave', fromBot: false }] as any;
    const timeline = [{ kind: 'responder', actor: 'Alice A.', data: { userId: 'web:Alice' } }] as any;
    expect(responderNames(incident, messages, timeline)).toEqual(['Alice A.', 'dave', 'Bob', 'Carol Ops']);
  });
});
