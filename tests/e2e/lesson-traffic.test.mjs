// A guided lesson played to completion, and the traffic panel's chart and counters during a
// rolling update.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, screenshot, waitFor } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the first lesson can be played to its end', async () => {
  const { context, page, errors } = await openApp(browser, '?lesson=first-deployment');
  const panel = page.getByRole('region', { name: 'Lesson' });
  await panel.waitFor({ timeout: 30_000 });
  await page.getByLabel('Speed').selectOption('16');
  const steps = await panel.locator('.lesson-steps li').count();
  assert.ok(steps >= 5, `${steps} steps`);
  for (let i = 0; i < steps; i++) {
    await panel.getByText(`Step ${i + 1} of ${steps}`).waitFor();
    // Answer the prediction first: it was computed when the step was shown.
    if (await panel.getByLabel('Your prediction').count()) {
      const question = await panel.locator('.question').innerText();
      const answers = { 'How many pods will exist': 3, 'How many ReplicaSets': 1, 'After scaling to 5': 1, 'One second after': 5, 'Right after scaling to 2': 2 };
      const key = Object.keys(answers).find((k) => question.includes(k));
      assert.ok(key, `an answer for: ${question}`);
      const input = panel.getByLabel('Your prediction');
      if (i === 0) {
        // A fraction is refused by the form; a whole number may be written as `3.0`.
        await input.fill('2.5');
        assert.equal(await input.evaluate((e) => e.validity.stepMismatch), true);
      }
      await input.fill(i === 0 ? `${answers[key]}.0` : String(answers[key]));
      await panel.getByRole('button', { name: 'Check my answer' }).click();
      await panel.locator('.grade.ok').waitFor({ timeout: 5_000 });
      // The grade comes with what was simulated to get the answer.
      assert.match(await panel.locator('.prediction-why').innerText(), /^Simulated from now/);
    }
    for (const run of await panel.getByRole('button', { name: /^Run / }).all()) {
      await run.click();
      await page.waitForTimeout(300);
    }
    await panel.getByText('✓ Goal reached.').waitFor({ timeout: 60_000 });
    if (i === 1) await screenshot(page, 'lesson-step-2');
    if (i + 1 < steps) await panel.getByRole('button', { name: 'Next step ›' }).click();
  }
  await panel.getByText(/lesson complete/).waitFor({ timeout: 10_000 });
  await screenshot(page, 'lesson-complete');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the traffic chart and counters appear and change during a rolling update', async () => {
  const { context, page, errors } = await openApp(browser, '?scenario=traffic-rolling');
  await page.locator('li.pod').first().waitFor({ timeout: 30_000 });
  await page.getByRole('tab', { name: 'Traffic' }).click();
  const panel = page.getByRole('region', { name: 'Traffic' });
  await panel.locator('svg rect').first().waitFor({ timeout: 30_000 });
  const total = async (which) => Number(await panel.locator(`[data-total="${which}"]`).first().innerText());
  const served = async () => (await total('old')) + (await total('new'));
  const first = await served();
  await page.waitForTimeout(1500);
  assert.ok((await served()) > first, 'the counters grow as requests are served');
  await page.getByLabel('Speed').selectOption('8');
  // The scenario changes the image; requests move from the old revision to the new one.
  await waitFor(page, async () => (await total('new')) > 0 && (await page.locator('section.replicaset').count()) === 2,
    'requests served by the new revision', 60_000);
  await screenshot(page, 'traffic-rolling');
  assert.equal(await total('failed'), 0, 'a correct rolling update fails no request');
  assert.ok(await panel.locator('svg rect.served').count() > 10);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a lesson link reloaded brings back the cluster with the step it belongs to', async () => {
  const { context, page, errors } = await openApp(browser, '?lesson=first-deployment');
  const panel = page.getByRole('region', { name: 'Lesson' });
  await panel.waitFor({ timeout: 30_000 });
  await page.getByLabel('Speed').selectOption('16');
  for (const run of await panel.getByRole('button', { name: /^Run / }).all()) await run.click();
  await panel.getByText('✓ Goal reached.').waitFor({ timeout: 60_000 });
  await panel.getByRole('button', { name: 'Next step ›' }).click();
  await panel.getByText(/^Step 2 of/).waitFor();
  const pods = await page.locator('li.pod').count();
  assert.ok(pods > 0);
  await page.reload();
  await page.getByText(/Restored your last session/).waitFor({ timeout: 30_000 });
  await panel.getByText(/^Step 2 of/).waitFor();
  assert.ok(Number(await page.locator('.clock').getAttribute('data-ms')) > 0, 'the clock was not reset');
  assert.equal(await page.locator('li.pod').count(), pods);
  // A damaged saved session is set aside with a message, and the lesson still opens. The
  // damage is done after the app's own save on leaving the page.
  await page.evaluate(() => window.addEventListener('pagehide',
    () => localStorage.setItem('kubesim.session', 'format: nonsense')));
  await page.reload();
  await page.getByText(/could not be restored/).waitFor({ timeout: 30_000 });
  await panel.getByText(/^Step 1 of/).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
