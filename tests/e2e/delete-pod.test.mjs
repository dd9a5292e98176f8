// Journey: the default Deployment's three pods come up; clicking one deletes it and the
// ReplicaSet replaces it with a pod of another name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, screenshot, podNames } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a deleted pod is replaced by a new pod with another name', async () => {
  const { context, page, errors } = await openApp(browser);
  const readyPods = page.locator('li.pod.ready button');
  await readyPods.nth(2).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('li.pod:not(.terminating)').count(), 3);
  const before = await podNames(page);
  for (const label of before) {
    assert.match(label, /^Pod web-[4-9bcdf]+-[bcdfghjklmnpqrstvwxz2456789]{5}, Running, Ready$/);
  }
  const victim = before[0].split(',')[0].replace('Pod ', '');
  await page.locator(`li.pod[data-name="${victim}"] button`).click();

  // The victim goes Terminating, a replacement with a new name joins, and we are back at 3.
  await page.waitForFunction(
    (name) => {
      const live = [...document.querySelectorAll('li.pod:not(.terminating)')].map((li) => li.dataset.name);
      return live.length === 3 && !live.includes(name);
    },
    victim,
    { timeout: 30_000 },
  );
  const after = (await podNames(page)).map((l) => l.split(',')[0].replace('Pod ', ''));
  assert.equal(after.length, 3);
  assert.ok(!after.includes(victim), `${victim} should be gone from the live pods`);
  const newcomers = after.filter((n) => !before.some((l) => l.startsWith(`Pod ${n},`)));
  assert.equal(newcomers.length, 1, 'exactly one replacement pod');
  await screenshot(page, 'delete-pod-replaced');
  assert.deepEqual(errors, []);
  await context.close();
});
