import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TariffPullResult } from '../../activities/tariff/pull.ts';
import { alerts as alertRows, energyTariffs } from '../../db/schema.ts';
import { tariffPullScheduleId } from '../../workers/tariff-schedules.ts';
import { startTestPipeline, waitFor, type TestPipeline } from '../support/pipeline.ts';
import { startTariffService, type Behaviour } from '../tariff/tariff-service.ts';

const example = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));
const TENANT = 'pull-test';
const SITE = 'plant-p';

/**
 * The tariffPull workflow on its Temporal Schedule, on the suite's dev server, against a local
 * HTTP server that behaves like a utility's tariff service. Each case triggers the Schedule now
 * and waits for the pull it started.
 */
describe('the scheduled tariff pull', () => {
  let p: TestPipeline;
  let service: Awaited<ReturnType<typeof startTariffService>>;
  let dir: string;
  const scheduleId = tariffPullScheduleId({ tenant: TENANT, site: SITE });
  let sources: Record<string, unknown>[];
  const writeSources = (next: Record<string, unknown>[]) => {
    sources = next;
    writeFileSync(join(dir, 'sources.json'), JSON.stringify(next));
  };

  beforeAll(async () => {
    service = await startTariffService([{ kind: 'json', body: example.tariff }]);
    dir = mkdtempSync(join(tmpdir(), 'tariff-sources-'));
    const configured = [
      {
        tenant: TENANT,
        site: SITE,
        url: `${service.url}/tariffs/${SITE}`,
        apiKey: 'k-pull-secret',
        timeoutSeconds: 1,
        retry: { maximumAttempts: 3, initialIntervalSeconds: 1 },
      },
    ];
    writeSources(configured);
    p = await startTestPipeline({ TARIFF_SOURCES_FILE: join(dir, 'sources.json') });
  });

  afterAll(async () => {
    await p?.close();
    await service?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Triggers the Schedule now and returns what the pull it started ended with. */
  async function pullNow(script: Behaviour[]): Promise<TariffPullResult> {
    service.answer(script);
    const handle = p.client.schedule.getHandle(scheduleId);
    const before = (await handle.describe()).info.recentActions.length;
    await handle.trigger();
    const action = await waitFor('the triggered pull', async () => (await handle.describe()).info.recentActions[before]);
    return (await p.client.workflow.getHandle(action.action.workflow.workflowId).result()) as TariffPullResult;
  }

  const storedVersions = () =>
    p.db
      .select({ name: energyTariffs.tariffName, effectiveDate: energyTariffs.effectiveDate, hash: energyTariffs.provenanceHash })
      .from(energyTariffs)
      .where(and(eq(energyTariffs.tenantId, TENANT), eq(energyTariffs.siteId, SITE)));
  const alerts = () =>
    p.db
      .select()
      .from(alertRows)
      .where(and(eq(alertRows.tenantId, TENANT), eq(alertRows.rule, 'tariff_update_failed')))
      .orderBy(alertRows.createdAt);
  /** The alert workflow stores the alert on its own: wait until `n` are stored. */
  const alertsStored = (n: number) => waitFor(`${n} tariff alert(s)`, async () => ((await alerts()).length >= n ? alerts() : undefined));

  it('is a Schedule the pipeline worker created at start-up: daily, overlap skip, the site in its arguments and no key', async () => {
    const schedule = await p.client.schedule.getHandle(scheduleId).describe();
    // The default cron, 05:00 UTC every day, as Temporal describes it.
    expect(schedule.spec.calendars).toMatchObject([{ hour: [{ start: 5, end: 5 }], minute: [{ start: 0, end: 0 }] }]);
    expect(schedule.policies.overlap).toBe('SKIP');
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'tariffPull' });
    const args = JSON.stringify(schedule.action.type === 'startWorkflow' ? schedule.action.args : []);
    expect(args).toContain(SITE);
    expect(args).not.toContain('k-pull-secret');
  });

  it('stores the pulled tariff, with the key sent as a bearer token', async () => {
    const result = await pullNow([{ kind: 'json', body: example.tariff }]);
    expect(result).toMatchObject({ outcome: 'stored', tariffName: 'ToU-Industrial-2026', effectiveDate: '2026-01-01' });
    expect(service.requests).toEqual([{ url: `/tariffs/${SITE}`, authorization: 'Bearer k-pull-secret' }]);
    expect(await storedVersions()).toEqual([{ name: 'ToU-Industrial-2026', effectiveDate: '2026-01-01', hash: result.hash }]);
  });

  it('stores nothing when the tariff has not changed', async () => {
    const result = await pullNow([{ kind: 'json', body: example.tariff }]);
    expect(result).toMatchObject({ outcome: 'unchanged' });
    expect(await storedVersions()).toHaveLength(1);
  });

  it('retries a 500 and a maintenance page, then stores the new version the service publishes', async () => {
    const next = { ...example.tariff, effectiveDate: '2027-01-01', expiryDate: undefined };
    const result = await pullNow([{ kind: 'status', status: 500 }, { kind: 'html' }, { kind: 'json', body: next }]);
    expect(result).toMatchObject({ outcome: 'stored', effectiveDate: '2027-01-01' });
    expect(service.requests).toHaveLength(3);
    expect((await storedVersions()).map((v) => v.effectiveDate).sort()).toEqual(['2026-01-01', '2027-01-01']);
    expect(await alerts()).toEqual([]);
  });

  it('raises tariff_update_failed when its retries run out (timeouts), keeping the stored versions', async () => {
    const result = await pullNow([{ kind: 'hang' }]);
    expect(result.outcome).toBe('failed');
    expect(result.message).toBe(`${service.url}/tariffs/${SITE} no answer within 1000 ms`);
    expect(service.requests).toHaveLength(3);
    const raised = await alertsStored(1);
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ severity: 'warning', title: `Tariff update of ${SITE} failed`, facts: { tariffId: SITE } });
    expect(raised[0].text).toContain(result.message!);
    expect(await storedVersions()).toHaveLength(2);
  });

  it('raises it at once for data that will never read (an invalid tariff), naming the field', async () => {
    const periods = example.tariff.periods.map((period: object, k: number) => (k === 0 ? { ...period, energyRate: -1 } : period));
    const result = await pullNow([{ kind: 'json', body: { ...example.tariff, periods } }]);
    expect(result).toMatchObject({ outcome: 'failed' });
    expect(result.message).toBe(
      `tariff service ${service.url}/tariffs/${SITE} (${TENANT}/${SITE}) sent an invalid tariff: tariff.periods[0].energyRate: Too small: expected number to be >=0`,
    );
    expect(service.requests).toHaveLength(1);
    expect(await alertsStored(2)).toHaveLength(2);
  });

  it('is made sure of again at every start: a restarted worker keeps one Schedule and brings it to the configured cron', async () => {
    writeSources(sources.map((s) => ({ ...s, cron: '30 6 * * *' })));
    await p.restart('pipeline');
    const schedule = await p.client.schedule.getHandle(scheduleId).describe();
    expect(schedule.spec.calendars).toMatchObject([{ hour: [{ start: 6, end: 6 }], minute: [{ start: 30, end: 30 }] }]);
    const ids: string[] = [];
    for await (const s of p.client.schedule.list()) if (s.scheduleId.startsWith('heatscheduler-tariff-pull-')) ids.push(s.scheduleId);
    expect(ids).toEqual([scheduleId]);
  });
});
