import { launchBrowser, startWebSidekick } from '../browser-harness.js';
const web = await startWebSidekick();
const browser = await launchBrowser();
const page = await browser.newPage();
await page.goto(`${web.url}/#/incidents`);
const t0 = Date.now();
for (let i = 0; i < 12; i++) {
  console.log(((Date.now() - t0) / 1000).toFixed(1), await page.locator('.live').textContent());
  if (i === 4) await page.goto(`${web.url}/#/playbooks`);
  if (i === 8) await page.goto(`${web.url}/#/flows`);
  await new Promise((r) => setTimeout(r, 700));
}
await browser.close();
await web.close();
