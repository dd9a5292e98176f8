// Replayable state in the browser: share links, embeds, rewind-and-branch, hostile links and
// working offline after the first visit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, screenshot, podNames, runInConsole, consoleText, waitFor, BASE_URL } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function historyText(page) {
  await page.getByRole('tab', { name: 'Rollout' }).click();
  return page.locator('section.history').innerText();
}

test('a share link opens the same pods and revision history in a fresh browser', async () => {
  const { context, page, errors } = await openApp(browser);
  await page.locator('li.pod.ready').nth(2).waitFor({ timeout: 30_000 });
  await page.getByLabel('Speed').selectOption('4');
  await runInConsole(page, 'kubectl set image deployment/web web=nginx:1.28');
  await waitFor(page, async () => (await page.locator('section.replicaset').count()) === 2, 'the rollout to start');
  await page.getByRole('button', { name: 'Pause (Space)' }).click();
  const pods = await podNames(page);
  const history = await historyText(page);
  const clock = await page.locator('.clock').getAttribute('data-ms');
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByLabel('Share link').inputValue();
  assert.ok(link.startsWith(BASE_URL + '#s=2.'), link);
  await screenshot(page, 'share-dialog');
  await context.close();

  const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page2 = await fresh.newPage();
  const errors2 = [];
  page2.on('pageerror', (e) => errors2.push(String(e)));
  await page2.goto(link);
  await page2.getByText(/Opened a shared state/).waitFor({ timeout: 30_000 });
  assert.equal(await page2.locator('.clock').getAttribute('data-ms'), clock);
  assert.deepEqual(await podNames(page2), pods);
  assert.equal(await historyText(page2), history);
  // The fragment is dropped once loaded, so a reload keeps the visitor's own changes.
  assert.ok(!page2.url().includes('#s='), page2.url());
  await screenshot(page2, 'share-opened');
  assert.deepEqual([...errors, ...errors2], []);
  await fresh.close();
});

test('an embed URL shows only the chosen panels', async () => {
  const { context, page, errors } = await openApp(browser, '?embed=1&panels=cluster&speed=2&theme=dark');
  await page.locator('li.pod').first().waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('[aria-label="kubectl console"]').count(), 0);
  assert.equal(await page.getByRole('tablist').count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Share' }).count(), 0);
  assert.equal(await page.getByLabel('Scenario').count(), 0);
  assert.equal(await page.locator('.app.embed.theme-dark').count(), 1);
  assert.equal(await page.getByLabel('Speed').inputValue(), '2');
  await screenshot(page, 'embed-cluster-only');

  await page.goto(BASE_URL + '?embed=1&panels=cluster,console&readonly=1&autoplay=0&t=20&captions=1');
  await page.locator('li.pod.ready').nth(2).waitFor({ timeout: 30_000 });
  // Asked for by the address, the captions bar shows from the start.
  assert.equal(await page.getByRole('button', { name: 'Captions' }).getAttribute('aria-pressed'), 'true');
  assert.ok(await page.locator('.captions[role=status]').isVisible());
  assert.equal(await page.locator('[aria-label="kubectl console"]').count(), 1);
  assert.equal(await page.getByLabel('kubectl command').isVisible(), false, 'read-only hides the input');
  assert.equal(await page.locator('.clock').getAttribute('data-ms'), '20000');
  const pods = await podNames(page);
  await page.locator('li.pod button').first().click();
  await page.waitForTimeout(500);
  assert.deepEqual(await podNames(page), pods, 'read-only: a click deletes nothing');

  // Without the rollout panel, the first panel chosen is the one on show.
  await page.goto(BASE_URL + '?embed=1&scenario=traffic-rolling&panels=traffic&autoplay=0&t=40');
  await page.getByRole('tab', { name: 'Traffic' }).waitFor({ timeout: 30_000 });
  assert.equal(await page.getByRole('tab', { name: 'Traffic' }).getAttribute('aria-selected'), 'true');
  assert.equal(await page.locator('#panel-traffic').count(), 1, 'the Traffic panel shows');
  assert.equal(await page.getByText('No events yet').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the share dialog keeps keyboard focus and closes on Escape', async () => {
  const { context, page, errors } = await openApp(browser, '?autoplay=0');
  await page.locator('li.pod').first().waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Share' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  const inside = () => page.evaluate(() => document.querySelector('[role=dialog]').contains(document.activeElement));
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    assert.ok(await inside(), `Tab ${i + 1} stays in the dialog`);
  }
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Shift+Tab');
    assert.ok(await inside(), `Shift+Tab ${i + 1} stays in the dialog`);
  }
  // Focus sent behind the dialog comes back, and Escape still closes it.
  await page.evaluate(() => document.querySelector('li.pod button').focus());
  await waitFor(page, inside, 'focus to return to the dialog', 5_000);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('rewinding and acting starts a branch from that moment', async () => {
  const { context, page, errors } = await openApp(browser);
  await page.locator('li.pod.ready').nth(2).waitFor({ timeout: 30_000 });
  await page.getByLabel('Speed').selectOption('4');
  await runInConsole(page, 'kubectl scale deployment web --replicas=6');
  await waitFor(page, async () => (await page.locator('li.pod.ready').count()) === 6, '6 ready pods', 30_000);
  await page.getByRole('button', { name: 'Pause (Space)' }).click();
  const end = Number(await page.locator('.clock').getAttribute('data-ms'));

  // Drag the scrubber back to 1 s: the scale has not happened there yet.
  await page.getByLabel(/Rewind or replay/).evaluate((el) => {
    el.value = '1000';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.locator('.clock[data-ms="1000"]').waitFor();
  assert.equal(await page.locator('li.pod:not(.terminating)').count(), 3);
  // The console says where the view is now and what Play would do, once per rewind.
  await page.getByLabel(/Rewind or replay/).evaluate((el) => {
    el.value = '1000';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  const rewound = (await consoleText(page)).match(/# Back to t = 1s: Play replays the 1 later command from the log; a command that changes the cluster starts a branch\./g);
  assert.equal(rewound?.length, 1);
  assert.equal(await page.getByLabel(/Rewind or replay/).getAttribute('max'), String(end));

  // Reading the cluster of that moment asks nothing and keeps the later commands.
  await runInConsole(page, 'kubectl get deployment web -o jsonpath={.spec.replicas}');
  await waitFor(page, async () => /\$ kubectl get deployment web -o jsonpath=\{\.spec\.replicas\}\n3(\n|$)/.test(await consoleText(page)), 'the replicas of t = 1s', 10_000);
  assert.equal(await page.getByLabel(/Rewind or replay/).getAttribute('max'), String(end));

  // Keeping the later commands runs nothing and puts the line back in the console's input.
  page.once('dialog', (d) => d.dismiss());
  const input = page.getByLabel('kubectl command');
  await input.fill('kubectl scale deployment web --replicas=2');
  await input.press('Enter');
  await page.getByText('Nothing was run: the later commands are kept.').waitFor();
  assert.equal(await input.inputValue(), 'kubectl scale deployment web --replicas=2');
  await input.fill('');

  // Acting here asks first, then drops the later scale.
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.accept(); });
  await runInConsole(page, 'kubectl scale deployment web --replicas=2');
  assert.match(asked, /drops the 1 later command/);
  assert.match(await consoleText(page), /# New branch: the 1 later command above no longer happened\./);
  await page.getByRole('button', { name: 'Play (Space)' }).click();
  await waitFor(page, async () => (await page.locator('li.pod:not(.terminating)').count()) === 2, '2 pods on the branch', 30_000);
  await page.waitForTimeout(1500);
  assert.equal(await page.locator('li.pod:not(.terminating)').count(), 2, 'the old scale to 6 is gone');
  await screenshot(page, 'branch');
  assert.deepEqual(errors, []);
  await context.close();
});

test('opening a link asks before replacing saved work, and a broken one brings the saved work back', async () => {
  const { context, page, errors } = await openApp(browser, '?autoplay=0');
  await page.locator('li.pod').nth(2).waitFor({ timeout: 30_000 });
  await runInConsole(page, 'kubectl scale deployment web --replicas=4');
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByLabel('Share link').inputValue();
  await page.keyboard.press('Escape');
  await runInConsole(page, 'kubectl scale deployment web --replicas=2');
  const replicas = () => page.evaluate(() => document.querySelectorAll('li.pod:not(.terminating)').length);

  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
  await page.goto('about:blank');
  await page.goto(link);
  await page.getByText(/Restored your last session/).waitFor({ timeout: 30_000 });
  assert.match(asked, /^Open the shared state\? It replaces the current session and its 2 commands\./);
  await waitFor(page, async () => (await replicas()) === 2, 'the saved session with 2 pods');

  await page.goto('about:blank');
  await page.goto(link.replace(/#s=2\..*/, '#s=2.AAAA'));
  await page.getByText(/This link could not be opened: .*Showing your last session\./).waitFor({ timeout: 30_000 });
  await waitFor(page, async () => (await replicas()) === 2, 'the saved session after a broken link');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a hostile link shows an error and the default cluster', async () => {
  const hostile = [
    '#s=1.<img src=x onerror=alert(1)>',
    '#s=1.' + 'A'.repeat(5000),
    '#s=99.abc',
    '#garbage',
  ];
  for (const fragment of hostile) {
    const { context, page, errors } = await openApp(browser, fragment);
    let dialog = false;
    page.on('dialog', (d) => { dialog = true; d.dismiss(); });
    await page.getByText(/This link could not be opened/).waitFor({ timeout: 30_000 });
    await page.locator('li.pod').nth(2).waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    assert.equal(dialog, false);
    assert.equal(await page.locator('section.replicaset').count(), 1);
    if (fragment.startsWith('#s=1.<img')) await screenshot(page, 'hostile-link');
    assert.deepEqual(errors, [], fragment);
    await context.close();
  }
});

// A share link (made with `kubesim::share::encode`) for six hours of 5,000 busybox pods that
// each count to 20,000 and crash: far more than opening a link may replay.
const HEAVY = '#s=2.ABQCAABQLjQSAGZvcm1hdDogAGt1YmVzaW0vAHYxCnNjZW5hAHJpbzogfAogACBuYW1lOiBoAGVhdnkKICBzAGVlZDogMQogACBjbHVzdGVyADoKICAgIG5vAGRlczogNTAKACAgZmlsZTogAHcueWFtbAogACBtYW5pZmVzBHRzTwACICBhcGkAVmVyc2lvbjpgIGFwcHNzAAAYAABrAGluZDogRGVwgGxveW1lbnQVAAEAbWV0YWRhdGFIOiB7iQACd30YAAFzCHBlY3sAAiAgcmWgcGxpY2GAAAEwggAAASEAAWVsZWN0b3IAOiB7bWF0Y2gATGFiZWxzOiAwe2FwcEYAAEcAAiAgAHRlbXBsYXRlO00ABHMACWw1ABOAAAoBAABjbwBudGFpbmVycxUWAAgtPgEDdxQAByAgaQBtYWdlOiBidQBzeWJveDoxLgQzNiAACWNvbW1hAQwBAFtzaCwgLWMALCAnaT0wOyAAd2hpbGUgWyAAJGkgLWx0IDIAMDAwMCBdOyAAZG8gZWNobyAAbGluZSAkaTsAIGk9JCgoaSsIMSkpHQAAbmU7IABleGl0IDEnXQAKCiAgdW50aQBsOiAyMTYwMBAKbm93CwADLjAKAGxvZzogW10K';

test('a link that asks for hours of a huge cluster opens where its replay stopped', async () => {
  const { context, page, errors } = await openApp(browser, HEAVY);
  const notice = page.getByText(/replaying all of it takes more simulation than kubesim does at once/);
  await notice.waitFor({ timeout: 60_000 });
  const text = await notice.innerText();
  const m = text.match(/at t = (\d+)s of 21600s/);
  assert.ok(m && Number(m[1]) < 21600, text);
  // The page answers: the console runs a command against the cluster as it stands.
  await runInConsole(page, 'kubectl get deploy w --no-headers');
  assert.match(await consoleText(page), /w\s+\d+\/5000/);
  await screenshot(page, 'heavy-link');
  assert.deepEqual(errors, []);
  await context.close();
});

test('after the first visit the site works offline', async () => {
  const { context, page, errors } = await openApp(browser);
  await page.locator('li.pod').first().waitFor({ timeout: 30_000 });
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    // Wait for the worker to control the page, so the reload goes through it.
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
  });
  await context.setOffline(true);
  await page.reload();
  await page.locator('li.pod').first().waitFor({ timeout: 30_000 });
  assert.ok((await podNames(page)).length >= 3);
  await screenshot(page, 'offline-reload');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the share dialog keeps the moment it was opened at, and an embed keeps one panel', async () => {
  const { context, page, errors } = await openApp(browser);
  await page.locator('li.pod').first().waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('button.play').getAttribute('aria-pressed'), 'true', 'playing');
  await page.getByRole('button', { name: 'Share' }).click();
  const link = page.getByLabel('Share link');
  const code = page.getByLabel('Embed code');
  const first = [await link.inputValue(), await code.inputValue()];
  await page.waitForTimeout(1_000);
  assert.deepEqual([await link.inputValue(), await code.inputValue()], first, 'the link does not move on while playing');
  const boxes = page.locator('fieldset input[type=checkbox]');
  for (let i = 0; i < await boxes.count(); i++) {
    const box = boxes.nth(i);
    if (await box.isChecked() && await box.isEnabled()) await box.uncheck();
  }
  const ticked = page.locator('fieldset input[type=checkbox]:checked');
  assert.equal(await ticked.count(), 1, 'the last panel stays ticked');
  assert.ok(await ticked.isDisabled(), 'and cannot be unticked');
  assert.match(await code.inputValue(), /panels=[a-z]+&amp;/);
  assert.deepEqual(errors, []);
  await context.close();
});
