import { launchBrowser, startWebSidekick, ensureWebBuild } from '../browser-harness.js';
ensureWebBuild();
const web = await startWebSidekick();
const browser = await launchBrowser();
for (let i = 0; i < 4; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${web.url}/#/incidents`);
  await page.getByRole('heading', { name: 'Incidents' }).waitFor();
  const t = await page.evaluate(() => ({ fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime, dcl: performance.getEntriesByType('navigation')[0] && (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd }));
  console.log(JSON.stringify(t));
  await context.close();
}
await browser.close();
await web.close();
