// Screenshots of the page for a person to look at (not a test): node look.mjs URL FOLDER OUTDIR
// Takes, at 1366×768 and 1920×1080: the empty page, the results, one form with its preview, and
// the results in English. With a folder holding a workbook of many forms (mock_server.py
// --demo-folder DIR --many 1000) it also times sorting and filtering the long table.
import fs from 'node:fs';
import path from 'node:path';
import { launch } from './lib.mjs';

const [url, folder, outDir, formName] = process.argv.slice(2);
if (!url || !folder || !outDir) {
  console.error('usage: node look.mjs URL FOLDER OUTDIR [DEPARTMENT]');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

for (const [w, h] of [[1366, 768], [1920, 1080]]) {
  const { context, close } = await launch({ width: w, height: h });
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && console.log(`  console: ${m.text()}`));
  page.on('pageerror', (e) => console.log(`  pageerror: ${e.message}`));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  await page.screenshot({ path: path.join(outDir, `${w}-1-empty.png`) });
  const t0 = Date.now();
  await page.setInputFiles('#input-folder', folder);
  await page.waitForSelector('#results:not([hidden]) tr.row');
  const rows = await page.locator('tr.row').count();
  console.log(`${w}×${h}: ${rows} rows in ${Date.now() - t0} ms`);
  await page.screenshot({ path: path.join(outDir, `${w}-2-results.png`) });
  if (rows > 200) {
    for (const key of ['department', 'errors', 'status']) {
      const s = Date.now();
      await page.click(`th[data-sort="${key}"] button`);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
      console.log(`  sort by ${key}: ${Date.now() - s} ms`);
    }
    const s = Date.now();
    await page.click('.filter[data-filter="fix"]');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    console.log(`  filter 需修改: ${Date.now() - s} ms, ${await page.locator('tr.row').count()} rows`);
    await page.click('.filter[data-filter="all"]');
  }
  const target = formName
    ? page.locator('tr.row', { hasText: formName }).first()
    : page.locator('tr.row-fix').first();
  await target.click();
  await page.waitForSelector('.sheet td');
  await page.mouse.move(5, 5);
  await page.screenshot({ path: path.join(outDir, `${w}-3-form.png`) });
  const linked = page.locator('tr.finding.is-linked').first();
  if (await linked.count()) {
    await linked.click();
    await page.screenshot({ path: path.join(outDir, `${w}-4-finding.png`) });
  }
  await page.click('#back');
  await page.click('.lang-btn[data-lang="en"]');
  await page.waitForFunction(() => document.documentElement.lang === 'en' && !document.querySelector('#progress:not([hidden])'));
  await page.waitForSelector('#results:not([hidden]) tr.row');
  await page.screenshot({ path: path.join(outDir, `${w}-5-english.png`) });
  const missing = await page.evaluate(() => document.documentElement.dataset.missingText || '');
  if (missing) console.log(`  missing text keys: ${missing}`);
  await close();
}
