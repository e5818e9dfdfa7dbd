// The page's edges, against mock_server.py (which it starts itself, with the flags each case
// needs): the access token, the limits, the server's error sentences, an unreachable server,
// cancelling, a drop of files, and a thousand rows with the keyboard.
//
//   node tests/browser/edges.mjs [--shots DIR]
//
// These cases need a server that can be told to require a token, to have small limits or to be
// slow, which is why they run against the mock; e2e.mjs is the test that also runs against the
// real `jixiao serve`. Exit status as e2e.mjs: 0 passed, 1 failed, 3 no browser.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchOrSkip } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const mockScript = path.join(here, 'mock_server.py');
const args = process.argv.slice(2);
const shots = args[0] === '--shots' && args[1] ? args[1] : 'target/browser-edges';
fs.mkdirSync(shots, { recursive: true });

class Failure extends Error {}
const expect = (cond, msg) => {
  if (!cond) throw new Failure(msg);
};
let passed = 0;
const ok = (what) => console.log(`ok ${++passed} - ${what}`);
const fill = (s, vars) => s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));

const servers = [];
function startMock(flags) {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [mockScript, '--port', '0', ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
    servers.push(child);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.on('exit', (code) => reject(new Error(`mock server exited (${code}) before listening`)));
  });
}
function stopMock(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill();
  });
}

async function info(url, lang = 'zh', headers = {}) {
  const r = await fetch(new URL(`/api/info?lang=${lang}`, url), { headers });
  return { status: r.status, body: await r.json() };
}

async function ready(page, url) {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
}

async function messageText(page) {
  return page.evaluate(() => {
    const m = document.getElementById('message');
    return m && !m.hidden ? document.getElementById('message-text').textContent : '';
  });
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-edges-'));
  const demo = path.join(tmp, 'demo');
  const many = path.join(tmp, 'many');
  execFileSync('python3', [mockScript, '--demo-folder', demo]);
  execFileSync('python3', [mockScript, '--demo-folder', many, '--many', '1000']);
  const demoFolder = path.join(demo, '2024');

  const { context, close } = await launchOrSkip('edges', { width: 1366, height: 768 });
  const newPage = async () => {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('dialog', (d) => {
      throw new Failure(`a dialog fired: ${d.message()}`);
    });
    page.on('pageerror', (e) => console.error(`  page error: ${e.message}`));
    return page;
  };

  try {
    // ---------------------------------------------------------------- the token
    {
      const { url, child } = await startMock(['--token', 's3cret']);
      const denied = await info(url);
      expect(denied.status === 401 && denied.body.error, 'the mock does not refuse /api/info without the token');
      const page = await newPage();
      await page.goto(url);
      await page.waitForFunction(() => !document.getElementById('message').hidden);
      expect((await messageText(page)) === denied.body.error, `without the token the page should say "${denied.body.error}", it says "${await messageText(page)}"`);
      expect(await page.locator('#main').isHidden(), 'without the token the drop zone is shown');
      ok('without the token the page shows the server\'s 401 sentence and nothing else');

      const apiRequests = [];
      page.on('request', (r) => {
        if (new URL(r.url()).pathname.startsWith('/api/')) apiRequests.push(r);
      });
      await ready(page, `${url}?token=s3cret`);
      await page.setInputFiles('#input-folder', demoFolder);
      await page.waitForSelector('#results:not([hidden]) tr.row');
      await page.locator('#rows tr.row').first().click();
      await page.waitForSelector('.sheet td');
      await page.click('#back');
      const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#template-buttons button').first().click()]);
      expect(!(await dl.failure()), 'the template download failed with the token');
      expect(apiRequests.length >= 4, `only ${apiRequests.length} API requests were seen`);
      for (const r of apiRequests) {
        const h = await r.allHeaders();
        expect(h.authorization === 'Bearer s3cret', `${r.method()} ${r.url()} went without "Authorization: Bearer s3cret"`);
      }
      ok(`with ?token= every one of ${apiRequests.length} API requests (info, check, preview, template) carries the bearer token`);
      await page.close();
      await stopMock(child);
    }

    // ---------------------------------------------------------------- limits and error sentences
    {
      const { url, child } = await startMock(['--max-files', '5', '--delay', '1']);
      const zh = (await info(url)).body.text;
      const page = await newPage();
      const checks = [];
      page.on('request', (r) => r.url().includes('/api/check') && checks.push(r.url()));
      await ready(page, url);
      await page.setInputFiles('#input-folder', demoFolder);
      await page.waitForFunction(() => !document.getElementById('message').hidden);
      const want = fill(zh['limit.files'], { count: 12, max: 5 });
      expect((await messageText(page)) === want, `too many files: the page should say "${want}", it says "${await messageText(page)}"`);
      expect(checks.length === 0, 'the page sent a batch it knew was over the file limit');
      ok(`over the file limit the page says so before sending anything: ${want}`);

      // Progress while checking (the mock waits a second), then the results.
      const few = path.join(tmp, 'few');
      fs.mkdirSync(few);
      for (const f of ['区财政局.xlsx', '区教育局.xlsx', '损坏的文件.xlsx']) fs.copyFileSync(path.join(demoFolder, f), path.join(few, f));
      await page.setInputFiles('#input-folder', few);
      await page.waitForFunction(
        (label) => document.getElementById('progress-label').textContent === label && !document.getElementById('progress').hidden,
        fill(zh['progress.checking'], { files: 3 }),
      );
      ok('while the server checks, the progress bar says 正在校验 3 个文件');
      await page.waitForSelector('#results:not([hidden]) tr.row');
      expect(await page.isHidden('#progress'), 'the progress bar stays after the results');

      // A parameter the server refuses: its sentence, word for word, and the results stay.
      const form = new FormData();
      form.append('files', new Blob([fs.readFileSync(path.join(few, '区财政局.xlsx'))]), '区财政局.xlsx');
      const refused = await (await fetch(new URL('/api/check?lang=zh&year=1800', url), { method: 'POST', body: form })).json();
      expect(refused.error, 'the mock accepts year=1800');
      await page.fill('#opt-year', '1800');
      await page.click('#recheck');
      await page.waitForFunction(() => !document.getElementById('message').hidden);
      expect((await messageText(page)) === refused.error, `a refused year should show "${refused.error}", the page shows "${await messageText(page)}"`);
      expect((await page.locator('#rows tr.row').count()) === 3, 'the earlier results went away after a refused check');
      ok(`the server's error sentence is shown as it is: ${refused.error}`);
      await page.fill('#opt-year', '');

      // Cancelling a check.
      await page.setInputFiles('#input-files', path.join(few, '区教育局.xlsx'));
      await page.waitForSelector('#progress:not([hidden])');
      await page.click('#cancel');
      await page.waitForFunction((t) => document.getElementById('message-text').textContent === t, zh['progress.cancelled']);
      expect(await page.isHidden('#progress'), 'the progress bar stays after cancelling');
      ok('取消 stops the upload and says so');

      // The server goes away: a friendly sentence, never an error page.
      await stopMock(child);
      const before = page.url();
      await page.click('#dl-merge');
      await page.waitForFunction((t) => document.getElementById('message-text').textContent === t, zh['error.unreachable']);
      expect(page.url() === before, `the page navigated to ${page.url()}`);
      ok(`with the server gone a download says: ${zh['error.unreachable']}`);
      await page.close();
    }

    // ---------------------------------------------------------------- /api/info unreachable at start
    {
      const { url, child } = await startMock([]);
      const page = await newPage();
      await page.route('**/api/info*', (route) => route.abort());
      await page.goto(url);
      await page.waitForFunction(() => !document.getElementById('message').hidden);
      const said = await messageText(page);
      expect(said.includes('jixiao serve'), `when /api/info cannot be reached the page says "${said}"`);
      ok(`before the page has its words, an unreachable server gets the built-in sentence: ${said}`);
      await page.close();

      // ---------------------------------------------------------------- a drop of files
      const drop = await newPage();
      await ready(drop, url);
      const names = ['区财政局.xlsx', '区司法局.xlsx'];
      const contents = names.map((n) => [...fs.readFileSync(path.join(demoFolder, n))]);
      await drop.evaluate(({ names, contents }) => {
        const dt = new DataTransfer();
        names.forEach((n, i) => dt.items.add(new File([new Uint8Array(contents[i])], n)));
        const zone = document.getElementById('dropzone');
        for (const type of ['dragenter', 'dragover', 'drop']) {
          zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
        }
      }, { names, contents });
      await drop.waitForSelector('#results:not([hidden]) tr.row');
      const files = await drop.$$eval('#rows .cell-file', (tds) => tds.map((td) => td.textContent).sort());
      expect(JSON.stringify(files) === JSON.stringify([...names].sort()), `dropped ${names.join(', ')}, the rows are ${files.join(', ')}`);
      expect(await drop.isHidden('#drag-overlay'), 'the drop overlay stays after the drop');
      ok('dropping two files checks them');
      await drop.close();

      // ---------------------------------------------------------------- a thousand rows
      const big = await newPage();
      await ready(big, url);
      await big.setInputFiles('#input-folder', many);
      await big.waitForSelector('#results:not([hidden]) tr.row', { timeout: 120_000 });
      const total = Number((await big.textContent('#filters [data-count="all"]')).replace(/[^\d]/g, ''));
      const inDom = await big.locator('#rows tr.row').count();
      expect(total === 1014, `the 全部 filter counts ${total}, expected 1014`);
      expect(inDom < 200, `${inDom} of ${total} rows are in the page at once`);
      await big.screenshot({ path: path.join(shots, 'many-rows.png') });
      ok(`1,014 forms: ${inDom} rows laid out at a time`);

      await big.locator('#rows tr.row').first().focus();
      await big.keyboard.press('End');
      const lastSheet = await big.evaluate(() => document.activeElement.closest('tr.row')?.querySelector('.cell-sheet')?.textContent);
      expect(lastSheet === '表1000', `End should focus the last row (表1000), focus is on ${lastSheet}`);
      const visible = await big.evaluate(() => {
        const r = document.activeElement.getBoundingClientRect();
        const w = document.getElementById('table-wrap').getBoundingClientRect();
        return r.top >= w.top && r.bottom <= w.bottom + 1;
      });
      expect(visible, 'the focused last row is not scrolled into view');
      await big.keyboard.press('Enter');
      await big.waitForSelector('#detail:not([hidden])');
      expect((await big.textContent('#detail-meta')).includes('表1000'), 'Enter on the last row did not open 表1000');
      await big.keyboard.press('Escape');
      await big.waitForSelector('#results:not([hidden])');
      const back = await big.evaluate(() => document.activeElement.closest('tr.row')?.querySelector('.cell-sheet')?.textContent);
      expect(back === '表1000', `after Escape the focus is on ${back}, not 表1000`);
      await big.keyboard.press('Home');
      const home = await big.evaluate(() => document.activeElement.closest('tr.row')?.querySelector('.cell-file')?.textContent);
      expect(home === (await big.locator('#rows tr.row').first().locator('.cell-file').textContent()), 'Home does not go back to the first row');
      ok('End, Enter, Escape and Home work across the thousand rows');

      await big.click('th[data-sort="errors"] button');
      await big.click('th[data-sort="errors"] button');
      const firstErrors = await big.locator('#rows tr.row').first().locator('td.num').first().textContent();
      expect(firstErrors === '2', `sorted by 错误 descending the first row has ${firstErrors} errors, expected 2`);
      await big.fill('#search', '第0500号');
      await big.waitForFunction(() => document.querySelectorAll('#rows tr.row').length === 1);
      expect((await big.textContent('#rows tr.row .cell-dept')) === '第0500号单位（模拟）', 'the search did not find 第0500号单位');
      ok('sorting and searching the thousand rows');
      await big.close();
      await stopMock(child);
    }
    console.log(`edges: ${passed} passed, 0 failed`);
  } catch (err) {
    console.error(`edges: FAIL: ${err instanceof Failure ? err.message : err.stack || err}`);
    console.error(`edges: ${passed} passed, 1 failed`);
    process.exitCode = 1;
  } finally {
    for (const s of servers) await stopMock(s);
    await close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
