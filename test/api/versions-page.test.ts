import { existsSync, mkdirSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from '../support/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../../db/schema.ts';
import { storeCompletedRun, type StoredJob } from './schedule-data.ts';
import { startApi, testOptions, type TestApi } from './support.ts';

/** Kept by CI (gitignored): what the page looked like. */
const SHOTS = new URL('../../test-artifacts/web/', import.meta.url).pathname;
const TENANT = 'versions-page';
const SITE = 'plant-7';
const DATE = '2026-11-24';
const at = (hhmm: string) => `${DATE}T${hhmm}:00.000Z`;
const job = (id: string, on?: string, from?: string, to?: string): StoredJob => ({ id, on, start: from && at(from), end: to && at(to) });

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('409')) errors.push(m.text());
  });
  return errors;
}

describe.skipIf(!existsSync(CHROMIUM))('the versions page in headless Chromium', () => {
  let open: TestApi;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    open = await startApi(testOptions({ auth: { mode: 'open' } }));
    const store = (minute: number, jobs: StoredJob[], cost: number, peakKw: number) =>
      storeCompletedRun(open.deps.db, {
        tenant: TENANT,
        site: SITE,
        date: DATE,
        jobs,
        cost,
        peakKw,
        completedAt: new Date(Date.UTC(2026, 10, 23, 18, minute)),
      });
    await store(0, [job('J-101', 'HTR-001', '06:00', '08:00'), job('J-102', 'HTR-002', '06:00', '07:00'), job('J-103')], 888.55, 516.9);
    await store(
      5,
      [job('J-101', 'HTR-001', '06:00', '08:00'), job('J-102', 'HTR-004', '09:00', '10:00'), job('J-103', 'HTR-002', '11:00', '12:30')],
      674.68,
      265.7,
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  });
  afterAll(async () => {
    await browser?.close();
    await open?.close();
  });

  it('compares two versions (diff table and deltas) and applies one with the keyboard after confirming', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${open.base.replace('127.0.0.1', 'localhost')}/#/sites/${SITE}/schedules/${DATE}?tenant=${TENANT}`);
    await page.getByRole('table', { name: 'Versions' }).waitFor();
    expect(await page.locator('tr[data-version]').count()).toBe(2);
    await expect.poll(() => page.getByText('No version applied yet.').count()).toBe(1);

    await page.getByLabel('From', { exact: true }).selectOption('1');
    await page.getByLabel('To', { exact: true }).selectOption('2');
    await page.getByRole('button', { name: 'Compare' }).click();
    const diff = page.getByRole('table', { name: 'Changes from v1 to v2' });
    await diff.waitFor();
    const changes = await page
      .locator('tr[data-job]')
      .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-job'), r.getAttribute('data-change')]));
    expect(changes).toEqual([
      ['J-101', 'unchanged'],
      ['J-102', 'moved'],
      ['J-103', 'scheduled'],
    ]);
    expect(await page.locator('tr[data-job="J-102"]').innerText()).toContain('+180 min');
    expect(await page.locator('[data-figure="cost-delta"]').innerText()).toBe('−USD 213.87');
    expect(await page.locator('[data-figure="peak-delta"]').innerText()).toBe('−251.2 kW');
    await page.screenshot({ path: `${SHOTS}versions-compare.png`, fullPage: true });

    // Keyboard only: focus the apply button, Enter opens the confirmation, type the reason, Enter confirms.
    await page.getByRole('button', { name: 'Apply the “To” version…' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Apply v2' });
    await dialog.waitFor();
    await expect.poll(() => page.locator('#apply-reason:focus').count()).toBe(1);
    await page.keyboard.type('cheaper, lower peak');
    await page.screenshot({ path: `${SHOTS}versions-apply-confirm.png`, fullPage: true });
    await page.keyboard.press('Enter');
    await page.getByText('v2 is now applied (apply).').waitFor();
    await expect.poll(() => page.locator('tr[data-version="2"]').innerText()).toContain('applied');
    await page.screenshot({ path: `${SHOTS}versions-applied.png`, fullPage: true });

    const audit = await open.deps.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.tenantId, TENANT), eq(auditEntries.action, 'schedule.apply')));
    expect(audit.map((a) => [a.details.version, a.details.reason])).toEqual([[2, 'cheaper, lower peak']]);

    // Escape cancels: nothing is applied.
    await page.getByRole('button', { name: 'Apply the “To” version…' }).click();
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect((await open.deps.db.select().from(auditEntries).where(eq(auditEntries.tenantId, TENANT))).length).toBe(1);

    // Apply v1 on top, then roll back: v2 is applied again, and the trail has all three.
    await page.getByLabel('To', { exact: true }).selectOption('1');
    await page.getByRole('button', { name: 'Apply the “To” version…' }).click();
    await page.getByRole('dialog', { name: 'Apply v1' }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByText('v1 is now applied (apply).').waitFor();
    await page.getByRole('button', { name: 'Roll back…' }).click();
    await page.getByRole('dialog', { name: 'Roll back to the version applied before' }).waitFor();
    await page.keyboard.type('back to the cheaper one');
    await page.keyboard.press('Enter');
    await page.getByText('v2 is now applied (rollback).').waitFor();
    const trail = await open.deps.db.select().from(auditEntries).where(eq(auditEntries.tenantId, TENANT)).orderBy(auditEntries.createdAt);
    expect(trail.map((a) => [a.action, a.details.version, a.details.reason])).toEqual([
      ['schedule.apply', 2, 'cheaper, lower peak'],
      ['schedule.apply', 1, null],
      ['schedule.rollback', 2, 'back to the cheaper one'],
    ]);
    expect(errors).toEqual([]);
  });
});
