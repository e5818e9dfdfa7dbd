// Shared by e2e.mjs and look.mjs: start Debian's Chromium headless through playwright-core with a
// fresh profile, and give the paths of a folder as the files a folder input would hold.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CHROMIUM = process.env.JIXIAO_CHROMIUM || '/usr/bin/chromium';

/** Exit code for "this machine has no browser or no playwright-core": the caller may skip. */
export const EXIT_NO_BROWSER = 3;

export async function launch({ width = 1366, height = 768 } = {}) {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (err) {
    const e = new Error(
      `playwright-core is not installed: run "npm ci" in ${path.dirname(new URL(import.meta.url).pathname)} (${err.message})`,
    );
    e.noBrowser = true;
    throw e;
  }
  if (!fs.existsSync(CHROMIUM)) {
    const e = new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium chromium-driver) or set JIXIAO_CHROMIUM`);
    e.noBrowser = true;
    throw e;
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width, height },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const close = async () => {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

/** launch(), or on a machine without the browser or playwright-core: say so and exit with
 * EXIT_NO_BROWSER, for the caller to count as a skip (or, under CI, a failure). */
export async function launchOrSkip(tag, size) {
  try {
    return await launch(size);
  } catch (err) {
    if (err.noBrowser) {
      console.error(`${tag}: SKIP: ${err.message}`);
      process.exit(EXIT_NO_BROWSER);
    }
    throw err;
  }
}
