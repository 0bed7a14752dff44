/**
 * The person holding the pager at 4 am is on a phone. Every page is opened at phone widths with
 * Chromium's device emulation (touch, mobile viewport, device scale) and must fit: the page never
 * scrolls sideways (code blocks and wide tables scroll inside themselves), buttons are big enough
 * for a thumb, and the composer is reachable.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devices, type Browser, type Page } from 'playwright-core';
import { ensureWebBuild, HAS_CHROMIUM, launchBrowser, ROOT, SCREENSHOTS, startWebSidekick, type WebSidekick } from './browser-harness.js';

const example = (name: string) => readFileSync(join(ROOT, 'examples/alerts', name), 'utf8');
const PHONES = [
  { name: 'Galaxy S8 (360 px)', device: devices['Galaxy S8'] },
  { name: 'iPhone 12 (390 px), in Chromium', device: devices['iPhone 12'] },
  { name: 'Pixel 7 (412 px)', device: devices['Pixel 7'] },
];

/** How far the page reaches past the screen, and which elements stick out (to say what broke). */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide: string[] = [];
    for (const element of Array.from(document.querySelectorAll('body *'))) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.right <= width + 1) continue;
      // Inside something that scrolls sideways by design (a code block, a table): fine.
      let parent = element.parentElement;
      let scrolls = false;
      while (parent && parent !== document.body) {
        const style = getComputedStyle(parent);
        if ((style.overflowX === 'auto' || style.overflowX === 'scroll' || style.overflowX === 'hidden') && parent.getBoundingClientRect().right <= width + 1) scrolls = true;
        parent = parent.parentElement;
      }
      if (!scrolls) wide.push(`${element.tagName.toLowerCase()}.${String(element.className).split(' ').join('.')} → ${Math.round(box.right)}`);
    }
    return { width, scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 8) };
  });
}

async function expectFits(page: Page) {
  const measured = await overflow(page);
  expect(measured, `the page is ${measured.scrollWidth - measured.width} px wider than the screen: ${measured.wide.join('; ')}`).toMatchObject({ scrollWidth: measured.width });
}

/** Visible buttons and links that look like buttons must be at least 40 px tall (a thumb, not a cursor). */
async function smallButtons(page: Page, scope: string) {
  return page.evaluate((selector) => {
    const small: string[] = [];
    for (const element of Array.from(document.querySelectorAll(`${selector} button, ${selector} a.button, ${selector} select`))) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.height < 40) small.push(`${element.textContent?.trim().slice(0, 30) || element.getAttribute('aria-label')} (${Math.round(box.height)} px)`);
    }
    return small;
  }, scope);
}

describe.skipIf(!HAS_CHROMIUM)('the web UI on a phone', { timeout: 120_000 }, () => {
  let web: WebSidekick;
  let browser: Browser;
  let incidentId: string;

  beforeAll(async () => {
    if (!process.env.SIDEKICK_WEB_DIST) ensureWebBuild();
    web = await startWebSidekick();
    browser = await launchBrowser();
    expect((await web.sidekick.post('/webhooks/datadog', example('datadog-mysql-replication-lag.json'))).status).toBe(202);
    incidentId = await web.sidekick.until(async () => (await web.sidekick.get('/api/incidents')).body.incidents[0]?.id);
    // The playbook is in the room before the pages are measured: it holds the widest content.
    await web.sidekick.until(async () => (await web.sidekick.get(`/api/incidents/${incidentId}`)).body.messages.some((m: { blocks?: unknown[] }) => m.blocks?.length), 20_000);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  for (const { name, device } of PHONES) {
    it(`fits every page on a ${name}`, async () => {
      const context = await browser.newContext({ ...device, colorScheme: 'dark', timezoneId: 'Asia/Kolkata' });
      await context.route(
        (url) => url.hostname !== '127.0.0.1',
        (route) => route.abort(),
      );
      const page = await context.newPage();
      try {
        await page.goto(`${web.url}/#/incidents`);
        await page.locator('table.incidents tbody tr, .incident-cards li').first().waitFor({ timeout: 15_000 });
        await expect(page.locator('meta[name="viewport"]').getAttribute('content')).resolves.toContain('width=device-width');
        await expectFits(page);
        await page.getByRole('button', { name: 'Declare incident' }).waitFor();
        expect(await smallButtons(page, 'main')).toEqual([]);

        await page.goto(`${web.url}/#/incidents/${incidentId}`);
        const playbook = page.locator('.message', { has: page.locator('.code-block') }).first();
        await playbook.waitFor({ timeout: 15_000 });
        await expectFits(page);
        // A long command scrolls inside its own block, not the page.
        const code = await playbook
          .locator('.code-block pre')
          .first()
          .evaluate((pre) => ({ scroll: pre.scrollWidth, client: pre.clientWidth, overflow: getComputedStyle(pre).overflowX }));
        expect(code.overflow).toBe('auto');
        // The composer is on screen without scrolling the page sideways, and can be typed into.
        const composer = page.locator('.composer textarea');
        await composer.scrollIntoViewIfNeeded();
        await expect(composer.isVisible()).resolves.toBe(true);
        const box = (await composer.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(device.viewport.width);
        expect(await smallButtons(page, '.room')).toEqual([]);
        // Times are the viewer's, and say which zone they are in.
        await expect(page.locator('.message time').first().textContent()).resolves.toMatch(/GMT\+5:30|IST/);
        if (name.startsWith('Pixel')) await shootPhone(page, 'phone-incident-room');

        await page.getByRole('button', { name: 'Show report' }).click();
        await page.locator('.report-body h2').first().waitFor({ timeout: 15_000 });
        await expectFits(page);

        await page.goto(`${web.url}/#/playbooks/mysql-replication`);
        await page.locator('.chat-preview .code-block').first().waitFor({ timeout: 15_000 });
        await expectFits(page);
        expect(await smallButtons(page, '.chat-preview')).toEqual([]);

        await page.goto(`${web.url}/#/flows`);
        await page.locator('main h1').first().waitFor();
        await expectFits(page);
      } finally {
        await context.close();
      }
    });
  }
});

describe.skipIf(!HAS_CHROMIUM)('the responder at work, on a phone', { timeout: 120_000 }, () => {
  let web: WebSidekick;
  let browser: Browser;

  beforeAll(async () => {
    if (!process.env.SIDEKICK_WEB_DIST) ensureWebBuild();
    web = await startWebSidekick();
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('declares, marks a decision, posts an update and a follow-up, writes the summary and reads the report', async () => {
    const context = await browser.newContext({ ...devices['Pixel 7'], colorScheme: 'dark' });
    await context.route(
      (url) => url.hostname !== '127.0.0.1',
      (route) => route.abort(),
    );
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await page.goto(`${web.url}/#/incidents`);
      await page.getByRole('button', { name: 'Declare incident' }).click();
      await page.getByLabel('Title').fill('Checkout is failing');
      await page.getByRole('button', { name: 'Declare', exact: true }).click();
      // The declared flow opens the channel and posts the triage playbook: the composer is there.
      await page.locator('.message', { hasText: 'Declared by hand' }).first().waitFor({ timeout: 20_000 });
      const composer = page.locator('.composer textarea');
      await composer.fill('Rolling back deploy 4711 *now*');
      await composer.press('Enter');
      const said = page.locator('.message', { hasText: 'Rolling back deploy 4711' });
      await said.waitFor();
      await said.getByRole('button', { name: 'Decision' }).click();
      await expect.poll(() => said.getByRole('button', { name: /Decision/ }).getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
      await page.locator('.moments li', { hasText: 'Rolling back deploy 4711' }).waitFor();

      await composer.fill('Rolled back; error rate falling');
      await page.getByRole('button', { name: 'Post update' }).click();
      await page.locator('.message', { hasText: 'Update on INC-' }).waitFor({ timeout: 10_000 });
      await page.locator('.tl-update').first().waitFor();

      await composer.fill('Add a canary for checkout @alice');
      await page.getByRole('button', { name: 'Follow-up', exact: true }).click();
      await page.locator('.follow-ups li', { hasText: 'Add a canary for checkout' }).waitFor({ timeout: 10_000 });

      await page.getByLabel(/^Summary/).fill('Deploy 4711 broke checkout for 20 minutes.');
      await page.getByRole('button', { name: 'Save summary' }).click();
      await page.getByText('Saved; the report opens with it.').waitFor();
      await page.getByRole('button', { name: 'Show report' }).click();
      const report = page.locator('.report-body');
      await report.locator('h2').first().waitFor();
      const text = await report.innerText();
      expect(text).toContain('Deploy 4711 broke checkout for 20 minutes.');
      expect(text).toMatch(/Decisions\s+.*Rolling back deploy 4711/);
      expect(text).toContain('Add a canary for checkout');
      expect(text).not.toContain('\\*');
      expect(text).not.toContain('<details>');
      // The collapsed timeline is a real disclosure, closed until opened.
      const details = report.locator('details').first();
      await expect(details.getAttribute('open')).resolves.toBeNull();
      await details.locator('summary').click();
      await expect(details.innerText()).resolves.toContain('Update: Rolled back');
      await expectFits(page);
      await shootPhone(page, 'phone-report');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

async function shootPhone(page: Page, name: string) {
  const dir = process.env.SIDEKICK_SCREENSHOTS ? SCREENSHOTS : join(ROOT, 'test-results');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}
