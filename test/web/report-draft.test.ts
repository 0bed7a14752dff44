import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuild, HAS_CHROMIUM, launchBrowser, SCREENSHOTS, startWebSidekick, type WebSidekick } from './browser-harness.js';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/openai/fake-openai.js';

describe.skipIf(!HAS_CHROMIUM)('the AI draft in the report view', { timeout: 120_000 }, () => {
  let fake: FakeOpenAi;
  let web: WebSidekick;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureWebBuild();
    fake = await startFakeOpenAi((request) => {
      const refs = [...(request.body.messages?.[1]?.content ?? '').matchAll(/"ref":"(E\d+)"/g)].map((m) => m[1]);
      return JSON.stringify({
        summary: [{ text: 'The payments API returned 502s until the deploy was rolled back.', cites: [refs[0]] }],
        whatHappened: [{ text: 'The incident was declared by ada.', cites: [refs[0]] }],
        contributingFactors: [{ text: 'The deploy had no canary.', cites: [refs[0]] }],
      });
    });
    web = await startWebSidekick({ env: { SIDEKICK_AI_URL: fake.url, SIDEKICK_AI_MODEL: 'llama3.1:8b' } });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 390, height: 900 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await fake?.close();
  });

  it('marks drafted text until a person accepts it, and links each sentence to its timeline entry', async () => {
    const { incident } = (await web.sidekick.post('/api/incidents', { title: 'Payments API 502s' }, { 'x-sidekick-csrf': '1' })).body;
    await page.goto(`${web.url}/#/incidents/${incident.id}`);
    await page.getByRole('button', { name: 'Regenerate draft' }).click();
    const panel = page.locator('section.draft');
    await expect.poll(() => panel.getAttribute('class')).toContain('draft-drafted');
    await expect.poll(() => panel.locator('.badge').textContent()).toBe('drafted by llama3.1:8b, not reviewed');
    expect(await panel.textContent()).toContain('The payments API returned 502s until the deploy was rolled back.');
    const cite = panel.locator('a.cite').first();
    expect(await cite.getAttribute('href')).toMatch(new RegExp(`^#/incidents/${incident.id}\\?entry=`));
    await page.screenshot({ path: join(SCREENSHOTS, 'report-draft.png'), fullPage: true });
    await cite.click();
    await expect.poll(() => page.locator('li.tl-cited').count()).toBe(1);
    await page.getByRole('button', { name: 'Accept draft' }).click();
    await expect.poll(() => panel.locator('.badge').textContent()).toBe('accepted by web');
    expect(await panel.getAttribute('class')).toContain('draft-accepted');
    // The panel fits a phone's width.
    const box = await panel.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  });
});
