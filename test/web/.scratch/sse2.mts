import { launchBrowser, startWebSidekick } from '../browser-harness.js';
const web = await startWebSidekick({ flows: { 'a.yaml': 'id: a\ntrigger: { on: alert }\nboxes:\n  - id: p\n    type: post\n    text: hi\n' } });
const browser = await launchBrowser();
const page = await browser.newPage();
page.on('console', (m) => console.log('console', m.text()));
await page.goto(`${web.url}/#/flows/a`);
const t0 = Date.now();
for (let i = 0; i < 14; i++) {
  console.log(((Date.now() - t0) / 1000).toFixed(1), await page.locator('.live').textContent());
  if (i === 3) await page.reload();
  if (i === 8) await page.goto(`${web.url}/#/playbooks`);
  await new Promise((r) => setTimeout(r, 700));
}
await browser.close();
await web.close();
