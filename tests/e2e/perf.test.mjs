// Frame times with many pods: prints figures (not a timed pass/fail), and checks that the
// compact rendering takes over above a few hundred pods and stays interactive at 2,000.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, openApp, screenshot, runInConsole, waitFor } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Twenty roomy nodes so 2,000 pods can all be scheduled.
const BIG_CLUSTER = `name: A big cluster
description: Twenty nodes, for scaling to thousands of pods.
seed: 1
cluster:
  nodes: 20
  nodeSize: {pods: 110, cpu: "64", memory: 256Gi}
file: web.yaml
manifests: |
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
  spec:
    replicas: 200
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec:
        containers: [{name: web, image: "nginx:1.27"}]
`;

/** Frame intervals (ms) over `ms` of real time, measured in the page with requestAnimationFrame. */
async function frameTimes(page, ms) {
  return page.evaluate((duration) => new Promise((resolve) => {
    const times = [];
    let last = performance.now();
    const end = last + duration;
    function frame(now) {
      times.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(frame); else resolve(times);
    }
    requestAnimationFrame(frame);
  }), ms);
}

function summary(label, times) {
  const sorted = [...times].sort((a, b) => a - b);
  const pick = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const fps = (1000 * times.length) / times.reduce((a, b) => a + b, 0);
  const line = `${label}: ${times.length} frames, ${fps.toFixed(1)} fps, median ${pick(0.5).toFixed(1)} ms, p95 ${pick(0.95).toFixed(1)} ms, worst ${sorted[sorted.length - 1].toFixed(1)} ms`;
  console.log(`# frame times — ${line}`);
  return line;
}

async function openBigCluster(page) {
  const file = path.join(os.tmpdir(), 'kubesim-big-cluster.yaml');
  fs.writeFileSync(file, BIG_CLUSTER);
  await page.getByRole('button', { name: 'Share' }).click();
  // The session has commands by now: replacing it asks first.
  page.once('dialog', (d) => d.accept());
  await page.getByLabel('Open a scenario file').setInputFiles(file);
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}

test('frame times with 200 and 2,000 pods during a rolling update', async () => {
  const { context, page, errors } = await openApp(browser);
  await page.locator('li.pod').first().waitFor({ timeout: 30_000 });
  const motion = () => page.locator('li.pod').first().evaluate((li) => getComputedStyle(li).transitionDuration);
  assert.equal(await motion(), '0.4s, 0.4s', 'a small cluster\'s tiles scale in and out');
  // A new tile of a small cluster scales and fades in from its starting style.
  await page.evaluate(() => {
    window.kubesimEntered = [];
    window.kubesimEntering = new MutationObserver((records) => {
      for (const node of records.flatMap((r) => [...r.addedNodes])) {
        if (node.nodeType !== 1 || !node.matches('li.pod')) continue;
        requestAnimationFrame(() => window.kubesimEntered.push(
          node.getAnimations().map((a) => a.transitionProperty).sort().join(' ')));
      }
    });
    window.kubesimEntering.observe(document.querySelector('.cluster'), { childList: true, subtree: true });
  });
  await runInConsole(page, 'kubectl scale deployment/web --replicas=4');
  await waitFor(page, () => page.evaluate(() => window.kubesimEntered.length > 0), 'a new tile');
  const entered = await page.evaluate(() => { window.kubesimEntering.disconnect(); return window.kubesimEntered[0]; });
  assert.equal(entered, 'opacity transform',
    'a new tile scales and fades in');
  // A view that leaves the motionless mode must not make every tile scale in again.
  await page.waitForTimeout(1000);
  const replayed = await page.evaluate(async () => {
    const cluster = document.querySelector('.cluster');
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    cluster.classList.add('still');
    await frames();
    cluster.classList.remove('still');
    await frames();
    return document.getAnimations().filter((a) => a.effect?.target?.matches('li.pod')).length;
  });
  assert.equal(replayed, 0, 'tiles do not scale in again when the view leaves the still mode');
  await openBigCluster(page);
  await page.getByLabel('Speed').selectOption('4');
  await waitFor(page, async () => (await page.locator('li.pod.ready').count()) === 200, '200 ready pods', 90_000);
  assert.equal(await page.locator('.cluster.compact').count(), 0, '200 pods still get full tiles');
  assert.equal(await motion(), '0s', 'above 100 pods tiles change state without motion');
  // The pods a rollout retires must not switch the view to small squares and back.
  await page.evaluate(() => {
    const cluster = document.querySelector('.cluster');
    window.kubesimCompactSeen = false;
    new MutationObserver(() => { window.kubesimCompactSeen ||= cluster.classList.contains('compact'); })
      .observe(cluster, { attributes: true, attributeFilter: ['class'] });
    window.kubesimMostTiles = 0;
    window.kubesimTileCount = setInterval(() => {
      window.kubesimMostTiles = Math.max(window.kubesimMostTiles, cluster.querySelectorAll('li.pod').length);
    }, 100);
  });

  await runInConsole(page, 'kubectl set image deployment/web web=nginx:1.28');
  const lines = [summary('200 pods, rolling update at 4×', await frameTimes(page, 4000))];
  await screenshot(page, 'perf-200-pods');
  // The same at real time, the speed a class watches at, once that rollout is over: a restart
  // rolls all 200 pods again.
  await waitFor(page, async () => (await page.locator('li.pod').count()) === 200
    && (await page.locator('li.pod.ready').count()) === 200, 'the rollout to finish', 120_000);
  const most = await page.evaluate(() => { clearInterval(window.kubesimTileCount); return window.kubesimMostTiles; });
  assert.ok(most > 300, `the rollout had more than 300 tiles at once (most: ${most})`);
  assert.equal(await page.evaluate(() => window.kubesimCompactSeen), false,
    'a 200-replica rollout keeps full tiles while it has more than 300 pods');
  await page.getByLabel('Speed').selectOption('1');
  await runInConsole(page, 'kubectl rollout restart deployment/web');
  lines.push(summary('200 pods, rolling restart at 1×', await frameTimes(page, 4000)));
  await page.getByLabel('Speed').selectOption('4');

  await runInConsole(page, 'kubectl scale deployment web --replicas=2000');
  await waitFor(page, async () => (await page.locator('li.pod').count()) >= 2000, '2,000 pod tiles', 120_000);
  assert.equal(await page.locator('.cluster.compact').count(), 1, 'compact rendering above a few hundred pods');
  lines.push(summary('2,000 pods, scaling at 4×', await frameTimes(page, 4000)));

  // Still interactive: a click on one of 2,000 tiles deletes that pod. Time is paused first,
  // so the rollout cannot remove the chosen pod, nor its short termination end, before we look.
  await page.getByRole('button', { name: 'Pause (Space)' }).click();
  const victim = await page.locator('li.pod.ready').nth(1234).getAttribute('data-name');
  const t0 = Date.now();
  await page.locator(`li.pod[data-name="${victim}"] button`).click();
  await page.locator(`li.pod.terminating[data-name="${victim}"]`).waitFor({ timeout: 10_000 });
  lines.push(`2,000 pods: click to Terminating shown in ${Date.now() - t0} ms`);
  console.log(`# ${lines[lines.length - 1]}`);
  await screenshot(page, 'perf-2000-pods');
  fs.mkdirSync('test-artifacts', { recursive: true });
  fs.writeFileSync(path.join('test-artifacts', 'frame-times.txt'), lines.join('\n') + '\n');
  assert.deepEqual(errors, []);
  await context.close();
});
