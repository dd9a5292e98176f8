// The UI journeys a course goes through: a rolling update, undo, scaling from the console, a
// stuck rollout and its recovery, invalid YAML, and a reload that keeps the state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, screenshot, podNames, runInConsole, consoleText, waitFor, BASE_URL } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The computed background image of the first pod tile matching `selector`. */
async function tilePattern(page, selector) {
  return page.locator(`${selector} button`).first().evaluate((b) => getComputedStyle(b).backgroundImage);
}

/** ReplicaSet groups as {revision, ready, desired} from their accessible names. */
async function replicaSets(page) {
  const labels = await page.$$eval('section.replicaset', (ss) => ss.map((s) => s.getAttribute('aria-label')));
  return labels.map((l) => {
    const m = l.match(/^ReplicaSet (\S+), revision (\d+), (\d+) of (\d+) ready$/);
    return { name: m[1], revision: Number(m[2]), ready: Number(m[3]), desired: Number(m[4]) };
  });
}

async function setSpeed(page, speed) {
  await page.getByLabel('Speed').selectOption(String(speed));
}

async function historyText(page) {
  await page.getByRole('tab', { name: 'Rollout' }).click();
  return page.locator('section.history').innerText();
}

async function readyThree(page) {
  await page.locator('li.pod.ready').nth(2).waitFor({ timeout: 30_000 });
}

test('while the app downloads the page says it is loading, and the app replaces that line', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Hold the WebAssembly module back so the page is seen before the app starts.
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/*.wasm', async (route) => { await held; await route.continue(); });
  await page.goto(BASE_URL);
  await page.getByRole('status').filter({ hasText: 'Loading kubesim…' }).waitFor({ timeout: 10_000 });
  release();
  await readyThree(page);
  assert.equal(await page.locator('.page-loading').count(), 0);
  await context.close();
});

test('changing the image rolls out a second ReplicaSet, and undo brings the old image back as revision 3', async () => {
  const { context, page, errors } = await openApp(browser);
  await readyThree(page);
  // Colour is not the only cue: odd revisions' tiles are striped, whatever their status.
  assert.match(await tilePattern(page, 'li.pod.ready.rev-1'), /repeating-linear-gradient/);
  await setSpeed(page, 4);
  // An empty image is refused by the form itself, with the browser's message.
  await page.getByRole('button', { name: 'Set image of web' }).click();
  assert.equal(await page.getByLabel('New image for web').evaluate((i) => i.validity.valueMissing), true);
  assert.ok(!(await consoleText(page)).includes('set image'), 'no command for an empty image');
  await page.getByLabel('New image for web').fill('nginx:1.28');
  await page.getByRole('button', { name: 'Set image of web' }).click();

  // Both ReplicaSets coexist during the rollout.
  await waitFor(page, async () => (await replicaSets(page)).length === 2, 'a second ReplicaSet');
  const during = await replicaSets(page);
  assert.deepEqual(during.map((r) => r.revision).sort(), [1, 2]);
  await screenshot(page, 'rollout-two-replicasets');

  // The old one scales to 0 and every pod is new and ready.
  await waitFor(page, async () => {
    const rs = await replicaSets(page);
    const old = rs.find((r) => r.revision === 1);
    const cur = rs.find((r) => r.revision === 2);
    return old?.desired === 0 && cur?.ready === 3 && (await page.locator('li.pod').count()) === 3;
  }, 'the old ReplicaSet at 0 and 3 new pods ready', 60_000);
  let history = await historyText(page);
  assert.match(history, /Revision 2/);
  assert.match(history, /nginx:1\.28/);
  // The history says what made revision 2: the template change against revision 1.
  assert.match(history, /Pod template changes from revision 1:\s*spec\.template\.spec\.containers\[0\]\.image: nginx:1\.27 → nginx:1\.28/);
  assert.equal(await tilePattern(page, 'li.pod.ready.rev-2'), 'none', 'even revisions are plain');
  await screenshot(page, 'rollout-complete');

  // Undo: revision 1's template comes back as revision 3; 1 leaves the history.
  await page.getByRole('button', { name: 'Undo rollout of web' }).click();
  await waitFor(page, async () => {
    const rs = await replicaSets(page);
    return rs.some((r) => r.revision === 3 && r.ready === 3) && rs.every((r) => r.revision === 3 || r.desired === 0);
  }, 'revision 3 ready', 60_000);
  history = await historyText(page);
  assert.match(history, /Revision 3/);
  assert.doesNotMatch(history, /Revision 1\b/);
  assert.match(history, /Pod template changes from revision 2:\s*spec\.template\.spec\.containers\[0\]\.image: nginx:1\.28 → nginx:1\.27/);
  const rs3 = (await replicaSets(page)).find((r) => r.revision === 3);
  const rs3Meta = await page.locator(`section.replicaset[aria-label^="ReplicaSet ${rs3.name},"] h3`).innerText();
  assert.match(rs3Meta, /nginx:1\.27/);
  assert.match(await consoleText(page), /kubectl rollout undo deployment\/web/);
  await screenshot(page, 'undo-revision-3');
  assert.deepEqual(errors, []);
  await context.close();
});

test('scaling from the console to 10: kubectl get rs matches the view', async () => {
  const { context, page, errors } = await openApp(browser);
  await readyThree(page);
  await setSpeed(page, 4);
  // What a screen reader is told: every text the narration region takes.
  await page.evaluate(() => {
    const region = document.querySelector('[role=status][aria-label="What the controllers did"]');
    window.kubesimNarrated = [];
    new MutationObserver(() => window.kubesimNarrated.push(region.textContent))
      .observe(region, { childList: true, subtree: true, characterData: true });
  });
  await runInConsole(page, 'kubectl scale deployment web --replicas=10');
  assert.match(await consoleText(page), /deployment\.apps\/web scaled/);
  await waitFor(page, async () => (await page.locator('li.pod.ready').count()) === 10, '10 ready pods', 60_000);
  await waitFor(page, () => page.evaluate(() => window.kubesimNarrated.some((t) => /deployment\/web: Scaled up replica set web-\w+ from 3 to 10\./.test(t))),
    'the scale-up narrated', 10_000);
  const narrated = await page.evaluate(() => window.kubesimNarrated);
  assert.ok(narrated.every((t) => /^At t = [\d.]+s: /.test(t)), narrated.join('\n'));
  // Captions show the same narration on screen, for a class watching.
  const region = page.locator('[role=status][aria-label="What the controllers did"]');
  assert.equal((await region.boundingBox())?.height ?? 0, 1, 'hidden until captions are on');
  await page.getByRole('button', { name: 'Captions' }).click();
  assert.equal(await page.getByRole('button', { name: 'Captions' }).getAttribute('aria-pressed'), 'true');
  assert.ok((await region.boundingBox()).height > 20, 'captions take a line of their own');
  assert.match(await region.innerText(), /^At t = [\d.]+s: /);
  await runInConsole(page, 'kubectl get rs');
  const out = await consoleText(page);
  const [rs] = await replicaSets(page);
  const row = new RegExp(`${rs.name}\\s+10\\s+10\\s+10\\s`);
  assert.match(out, row);
  assert.equal(rs.ready, 10);
  assert.equal(rs.desired, 10);
  // The editor was hidden while the console scaled; shown now (paused, so no tick redoes
  // it), its preview is about the cluster as it is: the manifest's 3 replicas against 10.
  await page.getByRole('button', { name: 'Pause (Space)' }).click();
  await page.getByRole('tab', { name: 'YAML' }).click();
  await page.locator('.editor-preview', { hasText: 'scales from 10 to 3 replicas' }).waitFor({ timeout: 10_000 });
  await screenshot(page, 'scale-to-10');
  assert.deepEqual(errors, []);
  await context.close();
});

test('kubectl edit opens the Deployment in a dialog; saving patches it, Escape cancels', async () => {
  const { context, page, errors } = await openApp(browser);
  await readyThree(page);
  await setSpeed(page, 4);
  const input = page.getByLabel('kubectl command');
  await input.fill('kubectl edit deployment/web');
  await input.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'kubectl edit deployment.apps/web' });
  await dialog.waitFor();
  const text = page.getByLabel('Edited object');
  const shown = await text.inputValue();
  assert.match(shown, /^# Please edit the object below\./);
  assert.match(shown, /\n {2}replicas: 3\n/);
  // Escape leaves the object alone, and typing goes on in the console.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.match(await consoleText(page), /Edit cancelled, no changes made\./);
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'kubectl command');
  // Saved with 5 replicas: the change runs as the patch kubectl would send.
  await input.fill('kubectl edit deployment/web');
  await input.press('Enter');
  await dialog.waitFor();
  await text.fill(shown.replace(/\n {2}replicas: 3\n/, '\n  replicas: 5\n'));
  await screenshot(page, 'edit-dialog');
  await text.press('Control+Enter');
  await dialog.waitFor({ state: 'detached' });
  const out = await consoleText(page);
  assert.match(out, /kubectl patch deployment\.apps web --type merge -p '\{"spec":\{"replicas":5\}\}'/);
  assert.match(out, /deployment\.apps\/web patched/);
  await waitFor(page, async () => (await page.locator('li.pod.ready').count()) === 5, '5 ready pods', 60_000);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a broken image tag stalls the rollout until the deadline, and kubectl logs says why; undo recovers', async () => {
  const { context, page, errors } = await openApp(browser);
  await readyThree(page);
  await page.getByRole('tab', { name: 'YAML' }).click();
  const editor = page.getByLabel('Manifest YAML');
  const text = await editor.inputValue();
  await editor.fill(text.replace('nginx:1.27', 'nginx:1.27-typo'));
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await setSpeed(page, 16);

  await waitFor(page, async () => {
    const statuses = await page.$$eval('li.pod', (ls) => ls.map((l) => l.dataset.status));
    return statuses.some((s) => s === 'ErrImagePull' || s === 'ImagePullBackOff');
  }, 'a pod failing to pull', 30_000);
  // maxUnavailable 0 (25% of 3 rounds down): the three old pods stay ready.
  const rs = await replicaSets(page);
  const old = rs.find((r) => r.revision === 1);
  assert.equal(old.ready, 3);
  assert.ok((await page.locator('li.pod.ready').count()) >= 3);
  await screenshot(page, 'bad-image-backoff');

  // The pull errors' messages read in full in the side column: no sideways scrolling.
  await page.getByRole('tab', { name: 'Events' }).click();
  await page.locator('tr.warning td.events-message').first().waitFor();
  const overflow = await page.$eval('.events-scroll', (s) => {
    const box = s.getBoundingClientRect();
    const cells = [...s.querySelectorAll('td, th')].map((c) => c.getBoundingClientRect());
    return { scroll: s.scrollWidth - s.clientWidth, outside: cells.filter((c) => c.right > box.right + 0.5).length };
  });
  assert.deepEqual(overflow, { scroll: 0, outside: 0 });
  await screenshot(page, 'bad-image-events');

  // The failing pod has no log yet: the console shows the kubelet's reason.
  const failing = await page.$$eval('li.pod', (ls) => ls.find(
    (l) => l.dataset.status === 'ErrImagePull' || l.dataset.status === 'ImagePullBackOff')?.dataset.name);
  await runInConsole(page, `kubectl logs ${failing}`);
  assert.match(await consoleText(page), new RegExp(
    `Error from server \\(BadRequest\\): container "web" in pod "${failing}" is waiting to start: (image can't be pulled|trying and failing to pull image)`));

  await page.locator('.chip', { hasText: 'ProgressDeadlineExceeded' }).waitFor({ timeout: 90_000 });
  await screenshot(page, 'bad-image-deadline');

  await page.getByRole('button', { name: 'Undo rollout of web' }).click();
  await waitFor(page, async () => {
    const statuses = await page.$$eval('li.pod', (ls) => ls.map((l) => l.dataset.status));
    return statuses.length === 3 && statuses.every((s) => s === 'Running')
      && (await page.locator('li.pod.ready').count()) === 3;
  }, 'three running pods after undo', 60_000);
  await page.locator('.chip', { hasText: 'NewReplicaSetAvailable' }).waitFor({ timeout: 30_000 });
  await screenshot(page, 'bad-image-recovered');
  assert.deepEqual(errors, []);
  await context.close();
});

test('invalid YAML shows the error at its line and leaves the cluster unchanged', async () => {
  const { context, page, errors } = await openApp(browser);
  await readyThree(page);
  await page.getByRole('button', { name: 'Pause (Space)' }).click();
  const before = await podNames(page);
  const rsBefore = await replicaSets(page);
  await page.getByRole('tab', { name: 'YAML' }).click();
  const editor = page.getByLabel('Manifest YAML');
  const lines = (await editor.inputValue()).split('\n');
  lines[4] = '  labels: [app: web';          // line 5: an unclosed flow sequence
  await editor.fill(lines.join('\n'));
  await page.getByText(/Line \d+, column \d+/).first().waitFor({ timeout: 10_000 });
  const errorText = await page.getByText(/Line \d+, column \d+/).first().innerText();
  const line = Number(errorText.match(/Line (\d+)/)[1]);
  assert.ok(line >= 5 && line <= 7, `error reported at line ${line}`);
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  assert.match(await consoleText(page), /error/i);
  assert.deepEqual(await podNames(page), before);
  assert.deepEqual(await replicaSets(page), rsBefore);
  await screenshot(page, 'invalid-yaml');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a reload brings the same state back', async () => {
  const { context, page, errors } = await openApp(browser);
  await readyThree(page);
  await runInConsole(page, 'kubectl scale deployment web --replicas=5');
  await waitFor(page, async () => (await page.locator('li.pod.ready').count()) === 5, '5 ready pods', 30_000);
  await page.getByRole('button', { name: 'Pause (Space)' }).click();
  const clock = await page.locator('.clock').getAttribute('data-ms');
  const pods = await podNames(page);
  await page.reload();
  await page.locator('li.pod').first().waitFor({ timeout: 30_000 });
  await page.getByText(/Restored your last session/).waitFor();
  assert.equal(await page.locator('.clock').getAttribute('data-ms'), clock);
  assert.deepEqual(await podNames(page), pods);
  await screenshot(page, 'reload-restored');
  // Leaving while time runs saves that moment too, not only the last command's.
  await page.getByRole('button', { name: 'Play (Space)' }).click();
  await page.waitForTimeout(2500);
  const running = Number(await page.locator('.clock').getAttribute('data-ms'));
  assert.ok(running > Number(clock) + 1000, `time ran (${clock} → ${running})`);
  await page.reload();
  await page.getByText(/Restored your last session/).waitFor({ timeout: 30_000 });
  const restored = Number(await page.locator('.clock').getAttribute('data-ms'));
  assert.ok(restored >= running, `the reload comes back at ${restored} ms, not before ${running} ms`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the scenario menu loads a built-in scenario, then a lesson, and a reload keeps the choice', async () => {
  const { context, page, errors } = await openApp(browser);
  await readyThree(page);
  const menu = page.getByLabel('Scenario');

  await menu.selectOption('multi-tier');
  for (const name of ['frontend', 'backend', 'database']) {
    await page.getByRole('article', { name: `Deployment ${name}` }).waitFor({ timeout: 10_000 });
  }
  assert.equal(await page.getByRole('article', { name: 'Deployment web' }).count(), 0, 'the old cluster is gone');
  assert.equal(await menu.inputValue(), 'multi-tier');

  // Work done in a scenario is not thrown away without asking.
  await runInConsole(page, 'kubectl scale deployment frontend --replicas=4');
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
  await menu.selectOption('lesson:first-deployment');
  await page.getByText('Nothing was loaded: your session is kept.').waitFor();
  assert.match(asked, /replaces the current session and its 1 command\./);
  assert.equal(await menu.inputValue(), 'multi-tier', 'the menu still shows the loaded scenario');
  assert.equal(await page.getByRole('article', { name: 'Deployment frontend' }).count(), 1);
  assert.match(await consoleText(page), /deployment.apps\/frontend scaled/);

  page.once('dialog', (d) => d.accept());
  await menu.selectOption('lesson:first-deployment');
  await page.getByRole('tab', { name: 'Lesson' }).waitFor({ timeout: 10_000 });
  assert.equal(await page.getByRole('article', { name: 'Deployment frontend' }).count(), 0);
  assert.equal(await menu.inputValue(), 'lesson:first-deployment');
  await screenshot(page, 'menu-lesson');

  await page.reload();
  await page.getByRole('tab', { name: 'Lesson' }).waitFor({ timeout: 30_000 });
  assert.equal(await page.getByLabel('Scenario').inputValue(), 'lesson:first-deployment');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the address follows the scenario picked, and a ?scenario= link asks before replacing saved work', async () => {
  const { context, page, errors } = await openApp(browser, '?scenario=rollback&autoplay=0');
  await page.getByRole('article', { name: 'Deployment web' }).waitFor({ timeout: 30_000 });
  await page.getByLabel('Scenario').selectOption('node-failure');
  await waitFor(page, async () => new URL(page.url()).searchParams.get('scenario') === 'node-failure',
    'the address to name the scenario picked');
  assert.equal(new URL(page.url()).searchParams.get('autoplay'), '0', 'other parameters stay');
  await runInConsole(page, 'kubectl scale deployment web --replicas=2');
  await page.reload();
  await page.getByText(/Restored your last session/).waitFor({ timeout: 30_000 });
  assert.equal(await page.getByLabel('Scenario').inputValue(), 'node-failure');

  // A link to another scenario asks first; cancelled, the saved session stays.
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
  await page.goto(new URL('?scenario=scaling', page.url()).href);
  await page.getByText(/Restored your last session/).waitFor({ timeout: 30_000 });
  assert.match(asked, /Open the scenario .scaling.\? It replaces the current session and its 1 command\./);
  assert.equal(await page.getByLabel('Scenario').inputValue(), 'node-failure');
  assert.equal(new URL(page.url()).searchParams.get('scenario'), 'node-failure');
  assert.deepEqual(errors, []);
  await context.close();
});

test('keyboard shortcuts: Space plays and pauses without scrolling, and . steps after a button was clicked', async () => {
  const { context, page, errors } = await openApp(browser, '?autoplay=0');
  await page.setViewportSize({ width: 1024, height: 500 });
  await firstPod(page);
  const play = page.locator('button.play');
  const clock = async () => Number(await page.locator('.clock').getAttribute('data-ms'));
  assert.ok(await page.evaluate(() => document.scrollingElement.scrollHeight > innerHeight), 'the page can scroll');
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Space');
  assert.equal(await play.getAttribute('aria-pressed'), 'true', 'Space plays');
  await page.keyboard.press('Space');
  assert.equal(await play.getAttribute('aria-pressed'), 'false', 'Space pauses');
  assert.equal(await page.evaluate(() => scrollY), 0, 'Space does not scroll the page');
  await page.getByRole('button', { name: /^Step to the next controller action/ }).click();
  const before = await clock();
  await page.keyboard.press('.');
  await waitFor(page, async () => (await clock()) > before, 'the clock to move on after . on the Step button');
  // The scrubber does nothing with Space, so Space still plays while it has focus.
  await page.getByLabel(/Rewind or replay/).focus();
  await page.keyboard.press('Space');
  assert.equal(await play.getAttribute('aria-pressed'), 'true', 'Space plays from the scrubber');
  await page.keyboard.press('Space');
  // After a mouse click on a toggle Space still plays and pauses; on a toggle reached with
  // the keyboard, Space is the toggle's.
  const captions = page.getByRole('button', { name: 'Captions' });
  await captions.click();
  assert.equal(await captions.getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('Space');
  assert.equal(await play.getAttribute('aria-pressed'), 'true', 'Space plays after a click on Captions');
  assert.equal(await captions.getAttribute('aria-pressed'), 'true', 'the clicked toggle stays as it was');
  await page.keyboard.press('Space');
  assert.equal(await play.getAttribute('aria-pressed'), 'false');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  assert.equal(await captions.getAttribute('aria-pressed'), 'false', 'Space on Captions reached by Tab toggles it');
  assert.equal(await play.getAttribute('aria-pressed'), 'false', 'and does not play');
  // Once the cluster has settled, Step says so and leaves the clock where it was.
  await page.getByRole('button', { name: /^Step to the next controller action/ }).focus();
  for (let i = 0; i < 40 && !(await page.getByText(/Nothing happens in the next hour/).count()); i++) {
    await page.keyboard.press('.');
    await page.waitForTimeout(50);
  }
  await page.getByText(/Nothing happens in the next hour/).waitFor({ timeout: 5_000 });
  const settled = await clock();
  await page.keyboard.press('.');
  await page.waitForTimeout(300);
  assert.equal(await clock(), settled, 'a step that finds nothing leaves the clock');
  assert.ok(settled < 120_000, `the settled clock stays near the last change (${settled} ms)`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('presenter mode enlarges the pod tiles, the ReplicaSet headings and the console', async () => {
  const { context, page, errors } = await openApp(browser);
  await firstPod(page);
  const sizes = () => page.evaluate(() => ['li.pod button', 'section.replicaset h3', '[aria-label="kubectl command"]']
    .map((s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)));
  const normal = await sizes();
  const toggle = page.getByRole('button', { name: 'Presenter' });
  await toggle.click();
  const big = await sizes();
  big.forEach((px, i) => assert.ok(px >= normal[i] * 1.2, `element ${i}: ${normal[i]}px → ${px}px`));
  await screenshot(page, 'presenter');
  // At 1024 px the toolbar stays at most two rows high and no panel tab is cut off.
  await page.setViewportSize({ width: 1024, height: 768 });
  const layout = await page.evaluate(() => {
    const tabs = document.querySelector('.tabs');
    return { toolbar: document.querySelector('.topbar').getBoundingClientRect().height,
      tabsCut: tabs.scrollWidth - tabs.clientWidth, pageCut: document.documentElement.scrollWidth - innerWidth };
  });
  assert.ok(layout.toolbar < 120, `toolbar ${layout.toolbar}px high`);
  assert.deepEqual([layout.tabsCut, layout.pageCut], [0, 0]);
  // Scrolled down, the side panel sticks under the two-row toolbar, its tabs in view.
  await page.evaluate(() => scrollTo(0, 400));
  await page.waitForTimeout(100);
  const stuck = await page.evaluate(() => ({ scrolled: scrollY,
    bar: document.querySelector('.topbar').getBoundingClientRect().bottom,
    tabs: document.querySelector('.side .tabs').getBoundingClientRect().top }));
  assert.ok(stuck.scrolled > 0, 'the page scrolls');
  assert.ok(stuck.tabs >= stuck.bar, `tabs at ${stuck.tabs}px, toolbar down to ${stuck.bar}px`);
  await page.evaluate(() => scrollTo(0, 0));
  await screenshot(page, 'presenter-1024');
  await toggle.click();
  assert.deepEqual(await sizes(), normal, 'leaving presenter mode restores the sizes');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the rollout panel moves to a Deployment that exists when the selected one is deleted', async () => {
  const { context, page, errors } = await openApp(browser);
  await firstPod(page);
  await runInConsole(page, 'kubectl create deployment api --image=nginx:1.27 --replicas=1');
  await page.getByRole('button', { name: 'deployment/api' }).click();
  const panel = page.getByRole('region', { name: 'Rollout' });
  await waitFor(page, async () => (await panel.innerText()).includes('deployment/api'), 'the panel on api');
  await runInConsole(page, 'kubectl delete deployment api');
  await waitFor(page, async () => (await panel.innerText()).includes('deployment/web'), 'the panel back on web');
  assert.deepEqual(errors, []);
  await context.close();
});

/** Waits for the first pod tile (the clock may be stopped, so none need be ready). */
async function firstPod(page) {
  await page.locator('li.pod').first().waitFor({ timeout: 30_000 });
}

test("a scenario's opening command and what it printed head the console", async () => {
  const { context, page, errors } = await openApp(browser, '?scenario=create-and-status');
  await page.locator('li.pod').first().waitFor({ timeout: 30_000 });
  await page.locator('.console-stdout', { hasText: 'successfully rolled out' }).waitFor({ timeout: 30_000 });
  const text = await consoleText(page);
  const command = text.indexOf('$ kubectl rollout status deployment/web');
  const waiting = text.indexOf('Waiting for deployment "web" rollout to finish');
  const done = text.indexOf('deployment "web" successfully rolled out');
  assert.ok(command >= 0 && command < waiting && waiting < done, text);
  await screenshot(page, 'opening-command');
  assert.deepEqual(errors, []);
  await context.close();
});

test('pod tiles keep their text readable: at least 4.5:1 against the tile in light and dark', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
    const page = await context.newPage();
    await page.goto(BASE_URL + '?scenario=crash-loop');
    await page.getByLabel('Speed').selectOption('16');
    // Pending, creating, running, ready and failing tiles all show up in a crash loop.
    const seen = new Map();
    for (let i = 0; i < 40 && seen.size < 4; i++) {
      const tiles = await page.$$eval('li.pod:not(.terminating) button', (bs) => bs.map((b) => {
        const cs = getComputedStyle(b);
        return [b.parentElement.className.split(' ').find((c) => ['pending', 'creating', 'running', 'ready', 'failing', 'lost'].includes(c)), cs.backgroundColor, cs.color];
      }));
      for (const [phase, bg, fg] of tiles) seen.set(phase, [bg, fg]);
      await page.waitForTimeout(250);
    }
    assert.ok(seen.size >= 3, `tile states seen: ${[...seen.keys()]}`);
    for (const [phase, [bg, fg]] of seen) {
      const ratio = contrast(bg, fg);
      assert.ok(ratio >= 4.5, `${colorScheme} ${phase}: ${fg} on ${bg} is ${ratio.toFixed(2)}:1`);
    }
    await context.close();
  }
});

/** WCAG contrast ratio of two `rgb(r, g, b)` colours. */
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, b2] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map((v) => Number(v) / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b2;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
