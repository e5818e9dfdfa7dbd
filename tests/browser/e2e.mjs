// End-to-end test of the page of `jixiao serve` in a real browser (Debian's Chromium, driven by
// playwright-core). It uses the page as an officer would: uploads a folder through 选择文件夹,
// reads the results table, opens forms, hovers cells, clicks every download, switches language.
//
//   node tests/browser/e2e.mjs BASE_URL FIXTURES_DIR --expect EXPECT.json --merged OUT.xlsx
//        [--shots DIR] [--panyu FILE] [--xss TEXT] [--token TOKEN] [--merge-forms] [--timeout S]
//        [--skipped TEXT]...
//
// BASE_URL      where the server listens, e.g. http://127.0.0.1:40123/
// FIXTURES_DIR  the folder uploaded through the folder input (paths relative to it, as the page
//               sends them). It must hold the Panyu form (--panyu) and a form whose department is
//               the --xss text.
// --expect      what the page must show: the jixiao.report/1 document of `jixiao check --format
//               json FIXTURES_DIR` (every entry becomes one expected row: file, sheet, department,
//               status, error, warning and correction counts, the reason of an unreadable file; and
//               `summary` the totals line), or {"rows": [{file, sheet?, department?, status,
//               errors?, warnings?, infos?, corrections?, error?}], "summary"?: {…}} with the same fields.
// --merged      where to save the consolidated workbook downloaded from the page (the caller
//               reads it back).
// --shots       folder for the screenshots (default target/browser): 01-empty.png,
//               02-results.png, 03-form.png, 04-english.png.
// --panyu       the report `file` of the form to open (default panyu.xlsx); its department must be
//               广州番禺经济技术开发区管理委员会 and its preview must show the ≧12次 → ≥12次
//               correction.
// --xss         the department name that must show as text (default <img src=x onerror=alert(1)>).
// --token       the access token, when the server was started with --listen.
// --merge-forms tick 每份申报表另附一个工作表 before downloading the consolidated workbook.
// --timeout     seconds to wait for one check of the folder (default 180).
// --skipped     a sentence the page must show above the list for an input it left out (one of
//               jixiao's own outputs): what `jixiao check` writes on standard error for it.
//               Repeated, in order; without it the page must show none.
//
// Exit status: 0 all passed; 1 a check failed (the message says which, a screenshot
// failure.png is saved); 2 bad arguments; 3 no browser or no playwright-core on this machine
// (the caller decides whether that is a skip or a failure).
import fs from 'node:fs';
import path from 'node:path';
import { launchOrSkip } from './lib.mjs';

const PANYU_DEPARTMENT = '广州番禺经济技术开发区管理委员会';
const PANYU_BEFORE = '≧12次';
const PANYU_AFTER = '≥12次';

class Failure extends Error {}

/** The name the list shows for a report entry (app.js nameOf): the department; a project form's
 *  project with its department. */
function shownName(e) {
  if (!e.project) return e.department ?? undefined;
  return e.department ? `${e.project}（${e.department}）` : e.project;
}

function usage(msg) {
  console.error(`e2e: ${msg}`);
  console.error('usage: node tests/browser/e2e.mjs BASE_URL FIXTURES_DIR --expect EXPECT.json --merged OUT.xlsx [--shots DIR] [--panyu FILE] [--xss TEXT] [--token TOKEN] [--merge-forms] [--timeout S] [--skipped TEXT]...');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    shots: 'target/browser',
    panyu: 'panyu.xlsx',
    xss: '<img src=x onerror=alert(1)>',
    token: '',
    mergeForms: false,
    timeout: 180,
    skipped: [],
  };
  const pos = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--expect': opts.expect = value(); break;
      case '--merged': opts.merged = value(); break;
      case '--shots': opts.shots = value(); break;
      case '--panyu': opts.panyu = value(); break;
      case '--xss': opts.xss = value(); break;
      case '--token': opts.token = value(); break;
      case '--merge-forms': opts.mergeForms = true; break;
      case '--timeout': opts.timeout = Number(value()); break;
      case '--skipped': opts.skipped.push(value()); break;
      default:
        if (a.startsWith('--')) usage(`unknown option ${a}`);
        pos.push(a);
    }
  }
  if (pos.length !== 2) usage('BASE_URL and FIXTURES_DIR are required');
  [opts.url, opts.folder] = pos;
  if (!opts.expect) usage('--expect is required');
  if (!opts.merged) usage('--merged is required');
  if (!fs.existsSync(opts.folder) || !fs.statSync(opts.folder).isDirectory()) usage(`${opts.folder} is not a folder`);
  if (!Number.isFinite(opts.timeout) || opts.timeout <= 0) usage('--timeout must be a number of seconds');
  return opts;
}

/** The rows the page must show, from a jixiao.report/1 document or a {rows, summary} file. */
function loadExpectation(file) {
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    usage(`cannot read --expect ${file}: ${err.message}`);
  }
  const fromEntry = (e) => {
    // A report without `counts` (an older `jixiao check`): count its findings and changes.
    const counts = e.counts || (Array.isArray(e.findings) ? {
      errors: e.findings.filter((f) => f.severity === 'error').length,
      warnings: e.findings.filter((f) => f.severity === 'warning').length,
      infos: e.findings.filter((f) => f.severity === 'info' && !f.fixed).length,
      corrections: (e.changes || []).length,
    } : {});
    let status = e.status;
    if (!status) {
      if (e.read === false) status = 'unreadable';
      else status = counts.errors || counts.warnings ? 'fix' : 'pass';
    }
    return {
      file: e.file,
      sheet: e.sheet ?? null,
      department: e.read === false ? undefined : shownName(e),
      status,
      errors: counts.errors ?? e.errors,
      warnings: counts.warnings ?? e.warnings,
      infos: counts.infos ?? e.infos,
      corrections: counts.corrections ?? e.corrections,
      error: e.read === false ? e.error ?? undefined : e.error,
      findings: Array.isArray(e.findings) ? e.findings.length : undefined,
    };
  };
  if (doc && doc.format === 'jixiao.report/1' && Array.isArray(doc.files)) {
    return { rows: doc.files.map(fromEntry), summary: doc.summary || null };
  }
  if (doc && Array.isArray(doc.rows)) {
    for (const r of doc.rows) {
      if (!r.file || !['pass', 'fix', 'unreadable'].includes(r.status)) {
        usage(`--expect ${file}: every row needs "file" and "status" (pass, fix or unreadable)`);
      }
    }
    return { rows: doc.rows.map(fromEntry), summary: doc.summary || null };
  }
  usage(`--expect ${file} is neither a jixiao.report/1 document nor {"rows": [...]}`);
  return null;
}

function fill(sentence, vars) {
  return sentence.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

function fmtInt(n, lang) {
  return Number(n).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const expected = loadExpectation(opts.expect);
  const base = new URL(opts.url);
  const pageUrl = new URL('/', base);
  if (opts.token) pageUrl.searchParams.set('token', opts.token);
  const auth = opts.token ? { Authorization: `Bearer ${opts.token}` } : {};
  fs.mkdirSync(opts.shots, { recursive: true });

  const { context, close } = await launchOrSkip('e2e', { width: 1366, height: 768 });
  const page = await context.newPage();
  const timeout = opts.timeout * 1000;
  page.setDefaultTimeout(30_000);

  // Everything that must never happen, collected while the test runs.
  const dialogs = [];
  const pageErrors = [];
  const consoleErrors = [];
  const external = [];
  page.on('dialog', async (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['data:', 'blob:'].includes(u.protocol) && u.origin !== base.origin) external.push(r.url());
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI || ''}`.trim());
    });
  });

  let passed = 0;
  const ok = (what) => {
    passed += 1;
    console.log(`ok ${passed} - ${what}`);
  };
  const expect = (cond, msg) => {
    if (!cond) throw new Failure(msg);
  };
  const shot = (name) => page.screenshot({ path: path.join(opts.shots, name) });
  const download = async (trigger, what) => {
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout }), trigger()]);
    const failure = await dl.failure();
    expect(!failure, `${what}: the download failed (${failure})`);
    return dl;
  };
  const bytesOf = async (dl) => fs.readFileSync(await dl.path());
  const isZip = (b) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
  const missingText = () => page.evaluate(() => document.documentElement.dataset.missingText || '');
  const messageText = () => page.evaluate(() => {
    const m = document.getElementById('message');
    return m && !m.hidden ? m.textContent.trim() : '';
  });

  const words = {};
  try {
    // The page's words, to compare what it shows with what the catalogue says.
    for (const lang of ['zh', 'en']) {
      let resp;
      try {
        resp = await fetch(new URL(`/api/info?lang=${lang}`, base), { headers: auth });
      } catch (err) {
        throw new Failure(`cannot reach ${base.href}: ${err.cause?.message || err.message}`);
      }
      if (!resp.ok) throw new Failure(`GET /api/info?lang=${lang} answered HTTP ${resp.status}: ${await resp.text()}`);
      words[lang] = (await resp.json()).text || {};
    }

    // ------------------------------------------------------------------ the empty page
    await page.goto(pageUrl.href);
    try {
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    } catch (_) {
      throw new Failure(`the page did not start; it says: ${(await messageText()) || '(nothing)'}`);
    }
    const zh = words.zh;
    expect((await page.textContent('#drop-title')) === zh['drop.title'], 'the drop zone does not show the catalogue\'s drop.title');
    expect(await page.isVisible('#pick-files') && await page.isVisible('#pick-folder'), '选择文件 / 选择文件夹 are not both visible');
    const formats = await page.textContent('#formats');
    for (const f of ['xlsx', 'xlsm', 'xls', 'xlsb', 'ods', 'csv', 'json']) {
      expect(formats.includes(`.${f}`), `the accepted formats do not list .${f}: "${formats}"`);
    }
    expect((await missingText()) === '', `text keys missing from /api/info?lang=zh: ${await missingText()}`);
    await shot('01-empty.png');
    ok('the empty page shows the drop zone, both buttons and the accepted formats, every word from the catalogue');

    // ------------------------------------------------------------------ upload the folder
    await page.setInputFiles('#input-folder', opts.folder);
    await page.waitForFunction(
      () => {
        const msg = document.getElementById('message');
        return document.querySelector('#results:not([hidden]) tr.row') || (msg && !msg.hidden);
      },
      null,
      { timeout },
    );
    const said = await messageText();
    expect(!said, `uploading the folder ended with a message instead of results: ${said}`);
    ok(`the folder ${opts.folder} went up through 选择文件夹 and results came back`);

    // ------------------------------------------------------------------ rows and statuses
    const shown = await page.$$eval('#rows tr.row', (trs) =>
      trs.map((tr) => {
        const text = (sel) => {
          const el = tr.querySelector(sel);
          return el ? el.textContent : null;
        };
        const num = (i) => {
          const td = tr.querySelectorAll('td.num')[i];
          return td ? Number(td.textContent.replace(/[^\d]/g, '')) : null;
        };
        return {
          file: text('.cell-file'),
          sheet: text('.cell-sheet'),
          department: text('.cell-dept'),
          departmentHasElements: !!tr.querySelector('.cell-dept *'),
          reason: text('.cell-reason'),
          status: text('.cell-status .badge'),
          errors: num(0),
          warnings: num(1),
          infos: num(2),
          corrections: num(3),
        };
      }),
    );
    expect(
      shown.length === expected.rows.length,
      `the page shows ${shown.length} rows, the expectation has ${expected.rows.length}`,
    );
    const key = (file, sheet) => `${file} | ${sheet ?? '—'}`;
    const byKey = new Map();
    for (const r of shown) {
      const k = key(r.file, r.sheet === '—' ? null : r.sheet);
      if (!byKey.has(k)) byKey.set(k, []);
      byKey.get(k).push(r);
    }
    for (const e of expected.rows) {
      const k = key(e.file, e.sheet);
      const list = byKey.get(k);
      expect(list && list.length, `no row for ${k}; the page shows: ${[...byKey.keys()].join(', ')}`);
      const r = list.shift();
      const statusWord = zh[`status.${e.status}`];
      expect(r.status === statusWord, `row ${k}: status should be ${statusWord}, the page shows ${r.status}`);
      if (e.status === 'unreadable') {
        if (e.error !== undefined) {
          expect(r.reason === e.error, `row ${k}: the reason should be "${e.error}", the page shows "${r.reason}"`);
        } else {
          expect(r.reason && r.reason.length > 0, `row ${k}: an unreadable row shows no reason`);
        }
        continue;
      }
      if (e.department !== undefined) {
        expect(r.department === e.department, `row ${k}: department should be "${e.department}", the page shows "${r.department}"`);
      }
      for (const f of ['errors', 'warnings', 'infos', 'corrections']) {
        if (e[f] !== undefined) expect(r[f] === e[f], `row ${k}: ${f} should be ${e[f]}, the page shows ${r[f]}`);
      }
    }
    const statusCount = (s) => expected.rows.filter((r) => r.status === s).length;
    const counts = Object.fromEntries(
      await page.$$eval('#filters [data-count]', (els) => els.map((el) => [el.dataset.count, el.textContent])),
    );
    for (const s of ['pass', 'fix', 'unreadable']) {
      expect(
        Number(String(counts[s]).replace(/[^\d]/g, '')) === statusCount(s),
        `the ${zh[`status.${s}`]} filter counts ${counts[s]}, expected ${statusCount(s)}`,
      );
    }
    ok(`${shown.length} rows with their files, sheets, departments, counts and statuses as expected (通过 ${statusCount('pass')}, 需修改 ${statusCount('fix')}, 无法读取 ${statusCount('unreadable')})`);

    if (expected.summary) {
      const s = expected.summary;
      const want = fill(zh['summary.line'], Object.fromEntries(
        ['files', 'forms', 'unreadable', 'errors', 'warnings', 'infos', 'corrections'].map((k) => [k, fmtInt(s[k] ?? 0, 'zh')]),
      ));
      const got = await page.textContent('#summary-line');
      expect(got === want, `the totals line should read "${want}", the page shows "${got}"`);
      ok(`the totals line: ${got}`);
    }
    const skipped = await page.$$eval('#skipped:not([hidden]) li', (lis) => lis.map((li) => li.textContent));
    expect(
      JSON.stringify(skipped) === JSON.stringify(opts.skipped),
      `the inputs left out should read ${JSON.stringify(opts.skipped)}, the page shows ${JSON.stringify(skipped)}`,
    );
    if (skipped.length) ok(`left out, as jixiao check says: ${skipped.join(' | ')}`);
    await page.mouse.move(1, 1);
    await shot('02-results.png');

    // ------------------------------------------------------------------ sorting and filtering
    const errorsColumn = () => page.$$eval('#rows tr.row', (trs) =>
      trs.map((tr) => (tr.classList.contains('row-unreadable') ? -1 : Number(tr.querySelectorAll('td.num')[0].textContent.replace(/[^\d]/g, '')))),
    );
    await page.click('th[data-sort="errors"] button');
    let col = await errorsColumn();
    expect(col.every((v, i) => i === 0 || col[i - 1] <= v), `sorted by 错误 ascending, the column reads ${col.join(',')}`);
    expect((await page.getAttribute('th[data-sort="errors"]', 'aria-sort')) === 'ascending', '错误 header does not say aria-sort=ascending');
    await page.click('th[data-sort="errors"] button');
    col = await errorsColumn();
    expect(col.every((v, i) => i === 0 || col[i - 1] >= v), `sorted by 错误 descending, the column reads ${col.join(',')}`);
    for (const s of ['unreadable', 'fix', 'pass']) {
      await page.click(`.filter[data-filter="${s}"]`);
      const classes = await page.$$eval('#rows tr.row', (trs) => trs.map((tr) => tr.className));
      expect(classes.length === statusCount(s), `filtered by ${zh[`status.${s}`]}: ${classes.length} rows, expected ${statusCount(s)}`);
      expect(classes.every((c) => c.includes(`row-${s}`)), `filtered by ${zh[`status.${s}`]}: a row of another status is shown`);
    }
    await page.click('.filter[data-filter="all"]');
    expect((await page.locator('#rows tr.row').count()) === expected.rows.length, 'after 全部 not every row is back');
    ok('rows sort by 错误 both ways and filter by each status');

    // ------------------------------------------------------------------ keyboard: Tab in, arrows, Enter, Escape
    await page.focus('th[data-sort="status"] button');
    await page.keyboard.press('Tab');
    const tabbedTo = await page.evaluate(() => document.activeElement.matches('tr.row'));
    expect(tabbedTo, 'Tab from the last column heading does not reach a row of the table');
    await page.keyboard.press('Home');
    const firstFile = await page.locator('#rows tr.row').first().locator('.cell-file').textContent();
    const homeFile = await page.evaluate(() => document.activeElement.closest('tr.row')?.querySelector('.cell-file')?.textContent);
    expect(homeFile === firstFile, `Home should move to the first row (${firstFile}), focus is on ${homeFile}`);
    await page.keyboard.press('ArrowDown');
    const focusedFile = await page.evaluate(() => document.activeElement.closest('tr.row')?.querySelector('.cell-file')?.textContent);
    const secondFile = await page.locator('#rows tr.row').nth(1).locator('.cell-file').textContent();
    expect(focusedFile === secondFile, `ArrowDown should move to the second row (${secondFile}), focus is on ${focusedFile}`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#detail:not([hidden])');
    const metaText = await page.textContent('#detail-meta');
    expect(metaText.includes(secondFile), `Enter opened a form whose details do not name ${secondFile}: ${metaText}`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#results:not([hidden])');
    const backOn = await page.evaluate(() => document.activeElement.closest('tr.row')?.querySelector('.cell-file')?.textContent);
    expect(backOn === secondFile, `after Escape the focus should be back on ${secondFile}, it is on ${backOn}`);
    ok('keyboard: Tab reaches the table, Home and ArrowDown move between rows, Enter opens the form, Escape comes back to the same row');

    // ------------------------------------------------------------------ the XSS department shows as text
    const xssRows = shown.filter((r) => r.department === opts.xss);
    expect(xssRows.length > 0, `no row shows the department ${opts.xss} as text; put a form with that department in ${opts.folder}`);
    expect(xssRows.every((r) => !r.departmentHasElements), 'the XSS department cell holds HTML elements');
    expect((await page.locator('img').count()) === 0, 'an <img> element exists in the page');
    await page.locator('#rows tr.row', { has: page.locator('.cell-dept', { hasText: opts.xss }) }).first().click();
    await page.waitForSelector('#detail:not([hidden])');
    expect((await page.textContent('#detail-title')) === opts.xss, 'the open form\'s title is not the XSS department as text');
    await page.waitForSelector('.sheet td[data-field="department"]', { timeout });
    const previewDept = await page.textContent('.sheet td[data-field="department"]');
    expect(previewDept === opts.xss, `the preview's 部门名称 cell shows "${previewDept}", not the XSS text`);
    expect((await page.locator('img').count()) === 0, 'an <img> element exists in the page after opening the XSS form');
    expect(dialogs.length === 0, `a dialog fired: ${dialogs.join('; ')}`);
    await page.click('#back');
    ok(`the department ${opts.xss} shows as text in the list, the form title and the preview; no element, no dialog`);

    // ------------------------------------------------------------------ the Panyu form
    const panyuRow = page.locator('#rows tr.row').filter({
      has: page.locator('.cell-file', { hasText: new RegExp(`^${opts.panyu.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }),
    });
    expect((await panyuRow.count()) >= 1, `no row for ${opts.panyu}`);
    expect(
      (await panyuRow.first().locator('.cell-dept').textContent()) === PANYU_DEPARTMENT,
      `${opts.panyu}'s department is not ${PANYU_DEPARTMENT}`,
    );
    await panyuRow.first().click();
    await page.waitForSelector('.sheet td', { timeout });
    const findingsShown = await page.locator('#findings-rows tr.finding').count();
    const panyuExpected = expected.rows.find((r) => r.file === opts.panyu);
    expect(findingsShown > 0, `${opts.panyu}: no finding is listed`);
    if (panyuExpected && panyuExpected.findings !== undefined) {
      expect(findingsShown === panyuExpected.findings, `${opts.panyu}: ${findingsShown} findings listed, expected ${panyuExpected.findings}`);
    }
    const changed = page.locator('.sheet td.mark-changed', { hasText: PANYU_AFTER });
    expect((await changed.count()) >= 1, `${opts.panyu}: no corrected (yellow) cell reads ${PANYU_AFTER}`);
    const fill0 = await changed.first().evaluate((td) => getComputedStyle(td).backgroundColor);
    expect(!/^rgba?\(255, 255, 255|rgba\(0, 0, 0, 0\)/.test(fill0), `the corrected cell is not coloured (${fill0})`);
    const legend = await page.textContent('.legend');
    for (const k of ['legend.error', 'legend.warning', 'legend.changed']) {
      expect(legend.includes(zh[k]), `the legend lacks ${zh[k]}`);
    }
    ok(`${opts.panyu}: ${findingsShown} findings listed, the preview shows ${PANYU_AFTER} as a corrected cell with the legend`);

    // hovering shows the original value
    await changed.first().hover();
    await page.waitForSelector('#tip:not([hidden])');
    const tip = await page.textContent('#tip');
    expect(tip.includes(`原值：${PANYU_BEFORE}`), `hovering the ${PANYU_AFTER} cell shows "${tip}", without 原值：${PANYU_BEFORE}`);
    ok(`hovering the corrected cell shows 原值：${PANYU_BEFORE}`);

    // clicking the finding outlines its cell
    await page.mouse.move(1, 1);
    const finding = page.locator('#findings-rows tr.finding.is-linked', { hasText: PANYU_BEFORE }).first();
    expect((await finding.count()) === 1, `no finding about ${PANYU_BEFORE} is linked to a cell of the preview`);
    await finding.click();
    const target = page.locator('.sheet td.is-target');
    expect((await target.count()) === 1, 'clicking the finding outlined no cell');
    expect((await target.textContent()) === PANYU_AFTER, `clicking the finding outlined "${await target.textContent()}", not ${PANYU_AFTER}`);
    expect(await target.isVisible(), 'the outlined cell is not visible');
    await page.waitForSelector('#tip:not([hidden])');
    expect((await page.textContent('#tip')).includes(`原值：${PANYU_BEFORE}`), 'the outlined cell\'s note lacks the original value');
    await shot('03-form.png');
    ok(`clicking the ${PANYU_BEFORE} finding outlines the ${PANYU_AFTER} cell and shows its original value`);

    // its corrected workbook
    const one = await download(() => page.click('#dl-one'), 'the corrected workbook');
    expect(one.suggestedFilename().endsWith('.xlsx'), `the corrected workbook is named ${one.suggestedFilename()}`);
    expect(isZip(await bytesOf(one)), 'the corrected workbook is not an xlsx (zip) file');
    ok(`下载修正后的工作簿 gives ${one.suggestedFilename()}`);
    await page.click('#back');
    await page.waitForSelector('#results:not([hidden])');

    // ------------------------------------------------------------------ downloads of the batch
    if (opts.mergeForms) await page.check('#merge-forms');
    const merged = await download(() => page.click('#dl-merge'), 'the consolidated workbook');
    expect(merged.suggestedFilename().endsWith('.xlsx'), `the consolidated workbook is named ${merged.suggestedFilename()}`);
    fs.mkdirSync(path.dirname(path.resolve(opts.merged)), { recursive: true });
    await merged.saveAs(opts.merged);
    expect(isZip(fs.readFileSync(opts.merged)), 'the consolidated workbook is not an xlsx (zip) file');
    ok(`汇总工作簿 saved to ${opts.merged} (${merged.suggestedFilename()})`);

    const all = await download(() => page.click('#dl-all'), 'all corrected workbooks');
    expect(isZip(await bytesOf(all)), 'the corrected workbooks are not a zip');
    ok(`全部修正后的工作簿 gives ${all.suggestedFilename()}`);

    const report = await download(() => page.click('#dl-report'), 'the JSON report');
    const doc = JSON.parse((await bytesOf(report)).toString('utf8'));
    expect(doc.format === 'jixiao.report/1', `the JSON report's format is ${doc.format}`);
    expect(doc.files.length === expected.rows.length, `the JSON report has ${doc.files.length} entries, expected ${expected.rows.length}`);
    ok(`校验报告（JSON） is a jixiao.report/1 document of ${doc.files.length} entries`);

    for (const enc of ['utf8', 'gbk']) {
      await page.selectOption('#csv-encoding', enc);
      const csv = await download(() => page.click('#dl-csv'), `the ${enc} indicator CSV`);
      const b = await bytesOf(csv);
      const bom = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
      expect(csv.suggestedFilename().endsWith('.csv'), `the indicator CSV is named ${csv.suggestedFilename()}`);
      expect(b.length > 3, `the ${enc} indicator CSV is empty`);
      expect(enc === 'utf8' ? bom : !bom, `the ${enc} indicator CSV ${bom ? 'starts' : 'does not start'} with a UTF-8 BOM`);
    }
    ok('指标 CSV downloads as UTF-8 with a BOM and as GBK without one');

    const tplButtons = page.locator('#template-buttons button');
    expect((await tplButtons.count()) >= 1, 'no blank template is offered');
    const tpl = await download(() => tplButtons.first().click(), 'a blank template');
    expect(isZip(await bytesOf(tpl)), 'the blank template is not an xlsx (zip) file');
    ok(`空白模板 gives ${tpl.suggestedFilename()}`);

    // ------------------------------------------------------------------ English
    await page.click('.lang-btn[data-lang="en"]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.waitForFunction(
      (n) => document.querySelector('#progress[hidden]') && document.querySelectorAll('#rows tr.row').length === n,
      expected.rows.length,
      { timeout },
    );
    const en = words.en;
    expect((await page.textContent('#results-title')) === en['results.title'], 'the results title is not in English');
    const enStatuses = await page.$$eval('#rows tr.row .cell-status .badge', (b) => b.map((x) => x.textContent));
    const allowed = new Set(['pass', 'fix', 'unreadable'].map((s) => en[`status.${s}`]));
    expect(enStatuses.every((s) => allowed.has(s)), `after switching to English a status reads ${enStatuses.find((s) => !allowed.has(s))}`);
    expect((await missingText()) === '', `text keys missing from /api/info?lang=en: ${await missingText()}`);
    await page.mouse.move(1, 1);
    await shot('04-english.png');
    ok('English: the words and the statuses re-render from /api/info?lang=en and the check runs again');

    // ------------------------------------------------------------------ nothing that must not happen
    const csp = await page.evaluate(() => window.__cspViolations);
    expect(csp.length === 0, `Content-Security-Policy violations: ${csp.join('; ')}`);
    expect(dialogs.length === 0, `a dialog fired: ${dialogs.join('; ')}`);
    expect(pageErrors.length === 0, `script errors in the page: ${pageErrors.join('; ')}`);
    expect(consoleErrors.length === 0, `console errors: ${consoleErrors.join('; ')}`);
    expect(external.length === 0, `requests outside ${base.origin}: ${external.join(', ')}`);
    ok('no dialog, no script error, no console error, no CSP violation, no request outside the server');

    console.log(`e2e: ${passed} passed, 0 failed; screenshots in ${opts.shots}`);
  } catch (err) {
    await shot('failure.png').catch(() => {});
    if (err instanceof Failure) {
      console.error(`e2e: FAIL: ${err.message}`);
    } else {
      console.error(`e2e: FAIL: ${err.stack || err}`);
    }
    console.error(`e2e: ${passed} passed, 1 failed; the page at the failure: ${path.join(opts.shots, 'failure.png')}`);
    await close();
    process.exit(1);
  }
  await close();
}

main().catch((err) => {
  console.error(`e2e: FAIL: ${err instanceof Failure ? err.message : err.stack || err}`);
  process.exit(1);
});
