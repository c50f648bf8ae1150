import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from '../support/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, smallRequest, startApi, testOptions, token, type TestApi } from '../api/support.ts';
import { startTestPipeline, type TestPipeline } from '../support/pipeline.ts';
import { readFileSync } from 'node:fs';

/** Kept by CI (gitignored): what the pages looked like. */
const SHOTS = new URL('../../test-artifacts/web/', import.meta.url).pathname;
const example = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));

interface Plan {
  heaters: { name: string }[];
  assignments: unknown[];
  slots: unknown[];
  peakLimitKw: number | null;
}

/** Page errors and failed requests, which no test here expects. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

// .ci/run installs Chromium; a machine without it skips these (and says so in the summary).
describe.skipIf(!existsSync(CHROMIUM))('the web page in headless Chromium', () => {
  let p: TestPipeline;
  let open: TestApi;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    p = await startTestPipeline();
    // The local demo: no login, the real pipeline queue, so runs complete.
    open = await startApi(testOptions({ auth: { mode: 'open' }, taskQueue: undefined }));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  });
  afterAll(async () => {
    await browser?.close();
    await open?.close();
    await p?.close();
  });

  it('submits the example day from the page, follows it live and draws the Gantt, the load and the costs', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    const base = open.base.replace('127.0.0.1', 'localhost');
    await page.goto(`${base}/#/submit`);
    await expect.poll(() => page.getByLabel('or an example').inputValue()).toBe('plant-day.json');
    await page.getByLabel('Objective').selectOption('minimize_cost');
    await page.getByLabel('Solver time limit (seconds)').fill('20');
    await page.screenshot({ path: `${SHOTS}submit.png`, fullPage: true });
    await page.getByRole('button', { name: 'Submit run' }).click();
    await page.waitForURL(/#\/runs\/[0-9a-f-]{36}$/);
    const runId = page.url().split('/').at(-1)!;
    await page.locator('svg.gantt').waitFor({ timeout: 120_000 });
    await page.screenshot({ path: `${SHOTS}run.png`, fullPage: true });

    const run = (await call(open.base, 'GET', `/api/runs/${runId}`)).json as { status: string; cost: { optimized: number } };
    expect(run.status).toBe('completed');
    const plan = (await call(open.base, 'GET', `/api/runs/${runId}/plan`)).json as Plan;
    // Gantt: one bar per assignment, one row label per heater.
    expect(await page.locator('svg.gantt g.bar').count()).toBe(plan.assignments.length);
    for (const heater of plan.heaters) await expect.poll(() => page.locator('svg.gantt text', { hasText: heater.name }).count()).toBe(1);
    // Load: a step line over every slot, the contractual limit dashed, tariff bands behind.
    const d = (await page.locator('svg.load path[data-series=load]').getAttribute('d'))!;
    expect(d.match(/L/g)).toHaveLength(2 * plan.slots.length - 1);
    expect(await page.locator('svg.load g[data-series=limit] text').textContent()).toBe(`limit ${plan.peakLimitKw!.toFixed(1)} kW`);
    expect(await page.locator('svg.load rect[data-category]').count()).toBeGreaterThan(1);
    // Costs against the baseline: two bars, and the table's total is the run's optimised cost.
    expect(await page.locator('svg.bars').first().locator('g').count()).toBe(2);
    const totalRow = page.getByRole('row', { name: /^Total/ });
    await expect
      .poll(() => totalRow.textContent())
      .toContain(run.cost.optimized.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
    expect(await page.locator('[data-step]').allTextContents()).toEqual(
      ['intake', 'tariff', 'equipment', 'optimize', 'cost', 'report', 'notify'].map((s) => `${s}: done`),
    );

    // The runs list shows it completed; the page is usable on a phone's width.
    await page.goto(`${base}/#/runs`);
    await expect.poll(() => page.locator(`tr[data-run="${runId}"] .status`).textContent()).toBe('completed');
    await page.screenshot({ path: `${SHOTS}runs.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/#/runs/${runId}`);
    await page.locator('svg.gantt').waitFor();
    await page.screenshot({ path: `${SHOTS}run-phone.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('with authentication on, asks for a token, then shows only the token tenant’s runs', async () => {
    const secured = await startApi(testOptions());
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      const mine = await token('web-tenant', ['planner']);
      const other = await token('web-other', ['planner']);
      const post = (t: string, tenant: string) =>
        call(secured.base, 'POST', '/api/runs', { token: t, body: smallRequest(tenant, example) });
      const { runId } = (await post(mine, 'web-tenant')).json as { runId: string };
      const { runId: otherRunId } = (await post(other, 'web-other')).json as { runId: string };
      await page.goto(`${secured.base}/#/runs`);
      await page.waitForURL(/#\/login$/);
      await page.getByLabel('Access token').fill('not-a-token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('UNAUTHENTICATED');
      await page.getByLabel('Access token').fill(mine);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/#\/runs$/);
      await page.locator(`tr[data-run="${runId}"]`).waitFor();
      expect(await page.locator(`tr[data-run="${otherRunId}"]`).count()).toBe(0);
      await page.screenshot({ path: `${SHOTS}runs-signed-in.png`, fullPage: true });
      // Keyboard: a page change puts the focus on the content, whose first stop is the first filter (labelled).
      expect(await page.evaluate('document.activeElement?.id')).toBe('view');
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement?.labels?.[0]?.textContent')).toBe('Status');
      for (const id of [runId, otherRunId]) await p.client.workflow.getHandle(id).terminate('test done');
    } finally {
      await page.close();
      await secured.close();
    }
  });
});
