// Shared set-up of the browser journeys: the system Chromium driven by playwright-core, one
// fresh context per test, screenshots saved under test-artifacts/.
import { chromium } from 'playwright-core';
import path from 'node:path';

export const BASE_URL = process.env.KUBESIM_URL ?? 'http://127.0.0.1:8080/';
const ARTIFACTS = path.resolve(process.cwd(), 'test-artifacts');

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Opens the app in a new context and waits until the first pods are drawn. */
export async function openApp(browser, query = '') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(BASE_URL + query);
  return { context, page, errors };
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Accessible names of the pod tiles currently shown (terminating ones excluded). */
export async function podNames(page) {
  return page.$$eval('li.pod:not(.terminating) button', (bs) => bs.map((b) => b.getAttribute('aria-label')));
}

/** Types a line into the kubectl console and waits until its prompt line is echoed. */
export async function runInConsole(page, line) {
  const input = page.getByLabel('kubectl command');
  const before = await consoleText(page);
  await input.fill(line);
  await input.press('Enter');
  await page.waitForFunction(
    ([n]) => document.querySelector('[aria-label="kubectl console"]').innerText.length > n,
    [before.length],
  );
  await page.waitForTimeout(150);
}

export async function consoleText(page) {
  return page.locator('[aria-label="kubectl console"]').innerText();
}

/** Polls `check` until it returns true, failing with `what` after `timeout` ms. */
export async function waitFor(page, check, what, timeout = 30_000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (await check()) return;
    await page.waitForTimeout(200);
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
}
