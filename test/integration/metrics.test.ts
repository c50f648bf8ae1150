import { readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optimizedAssignments, runSteps } from '../../db/schema.ts';
import type { CostStatement } from '../../domain/cost.ts';
import { freePort } from '../../infra/ports.ts';
import { spawnWorker } from '../../infra/worker-process.ts';
import { call, startApi, testOptions, token, type TestApi } from '../api/support.ts';
import { runRow, startTestPipeline, type TestPipeline } from '../support/pipeline.ts';
import { parseExposition, sampleValue, type Sample } from '../support/prometheus.ts';

const plantDay = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));
const METRICS_TOKEN = 'scraper-token-of-twenty-chars';

/** /metrics on the real stack: the figures of a real run, HTTP counts, the scraper's token, the workers' own metrics. */
describe('Prometheus metrics', () => {
  let p: TestPipeline;
  let api: TestApi;
  let workerMetricsAddress: string;
  let runId: string;
  const site = `metrics-${randomUUID().slice(0, 8)}`;
  const labels = { tenant_id: plantDay.schedule.tenant, site_id: site };

  beforeAll(async () => {
    p = await startTestPipeline();
    workerMetricsAddress = `127.0.0.1:${await freePort()}`;
    await p.workers.pipeline.stop();
    p.workers.pipeline = await spawnWorker('pipeline', { ...p.env, WORKER_METRICS_ADDRESS: workerMetricsAddress });
    runId = await p.submit({
      ...plantDay,
      schedule: { ...plantDay.schedule, site },
      settings: { ...plantDay.settings, deterministic: true },
    });
    await p.client.workflow.getHandle(runId).result();
    api = await startApi(testOptions({ auth: { mode: 'open' } }));
  });

  afterAll(async () => {
    await api?.close();
    await p?.close();
  });

  const scrape = async (): Promise<Sample[]> => {
    const reply = await call(api.base, 'GET', '/metrics');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(reply.text);
  };

  it("reports the latest run of the site as the database holds it: peak, savings, energy by period, demand, heaters' use", async () => {
    const samples = await scrape();
    const row = await runRow(p, runId);
    expect(sampleValue(samples, 'heatscheduler_peak_demand_kw', labels)).toBeCloseTo(row.peakKw!, 3);
    expect(sampleValue(samples, 'heatscheduler_savings_percent', labels)).toBeCloseTo(row.savingsPercent!, 2);
    expect(sampleValue(samples, 'heatscheduler_cost_savings_usd_total', labels)).toBeCloseTo(row.savings!, 4);

    const assignments = await p.db
      .select()
      .from(optimizedAssignments)
      .where(and(eq(optimizedAssignments.runId, runId), eq(optimizedAssignments.plan, 'optimized')));
    const energy = samples.filter((s) => s.name === 'heatscheduler_energy_cost_usd' && s.labels.site_id === site);
    expect(new Set(energy.map((s) => s.labels.period))).toEqual(new Set(assignments.map((a) => a.tariffPeriod ?? 'unknown')));
    const energyTotal = energy.reduce((sum, s) => sum + s.value, 0);
    expect(energyTotal).toBeCloseTo(
      assignments.reduce((sum, a) => sum + a.energyCost, 0),
      3,
    );

    const [cost] = await p.db
      .select()
      .from(runSteps)
      .where(and(eq(runSteps.runId, runId), eq(runSteps.step, 'cost')));
    const statement = JSON.parse(cost.outputJson) as CostStatement;
    expect(sampleValue(samples, 'heatscheduler_demand_charge_usd', labels)).toBeCloseTo(
      statement.optimized.demand.reduce((sum, d) => sum + Number(d.cost), 0),
      3,
    );

    const heaters = plantDay.equipment as { id: string }[];
    for (const { id } of heaters) {
      const busySeconds = assignments
        .filter((a) => a.equipmentId === id)
        .reduce((sum, a) => sum + (a.scheduledEnd.getTime() - a.scheduledStart.getTime()) / 1000, 0);
      const share = sampleValue(samples, 'heatscheduler_equipment_utilization', { ...labels, equipment_id: id });
      expect(share, id).toBeCloseTo(busySeconds / (86_400 * (plantDay.schedule.horizonDays ?? 1)), 6);
    }
  });

  it('counts runs by status and jobs by outcome, and the solve durations, across every run in the database', async () => {
    // Other test files add runs meanwhile: the scrape lies between a count before and one after.
    const count = async (where: ReturnType<typeof sql>) =>
      (await p.db.execute<{ n: number }>(sql`select count(*)::int as n from optimization_runs where ${where}`)).rows[0].n;
    const before = { success: await count(sql`status = 'SUCCESS'`), solved: await count(sql`solver_time_seconds is not null`) };
    const samples = await scrape();
    const after = { success: await count(sql`status = 'SUCCESS'`), solved: await count(sql`solver_time_seconds is not null`) };
    const success = sampleValue(samples, 'heatscheduler_schedules_total', { status: 'SUCCESS' })!;
    expect(success).toBeGreaterThanOrEqual(before.success);
    expect(success).toBeLessThanOrEqual(after.success);
    const solved = sampleValue(samples, 'heatscheduler_optimization_duration_seconds_count')!;
    expect(solved).toBeGreaterThanOrEqual(before.solved);
    expect(solved).toBeLessThanOrEqual(after.solved);
    const jobs = samples.filter((s) => s.name === 'heatscheduler_jobs_total').reduce((sum, s) => sum + s.value, 0);
    expect(jobs).toBeGreaterThanOrEqual(plantDay.schedule.jobs.length);
  });

  it('counts HTTP requests by route pattern, never by raw path', async () => {
    await call(api.base, 'GET', '/healthz');
    await call(api.base, 'GET', `/api/runs/${runId}`);
    await call(api.base, 'GET', '/no-such-page');
    const samples = await scrape();
    expect(sampleValue(samples, 'http_requests_total', { method: 'GET', endpoint: '/healthz', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'http_requests_total', { method: 'GET', endpoint: '/api/runs/:id', status: '200' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(sampleValue(samples, 'http_requests_total', { method: 'GET', endpoint: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(samples.some((s) => s.labels.endpoint?.includes(runId))).toBe(false);
  });

  it('with authentication on, only the scraper holding METRICS_TOKEN reads them (a tenant admin does not)', async () => {
    const guarded = await startApi(testOptions({ metricsToken: METRICS_TOKEN }));
    const closed = await startApi(testOptions());
    try {
      expect((await call(guarded.base, 'GET', '/metrics')).status).toBe(401);
      expect((await call(guarded.base, 'GET', '/metrics', { token: await token('acme', ['admin']) })).status).toBe(401);
      const ok = await call(guarded.base, 'GET', '/metrics', { token: METRICS_TOKEN });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('heatscheduler_schedules_total');
      const off = await call(closed.base, 'GET', '/metrics', { token: METRICS_TOKEN });
      expect(off.status).toBe(404);
      expect(off.json).toMatchObject({ code: 'NOT_FOUND', details: [{ path: 'METRICS_TOKEN' }] });
    } finally {
      await guarded.close();
      await closed.close();
    }
  });

  it("a worker serves the Temporal SDK's own metrics at WORKER_METRICS_ADDRESS", async () => {
    const samples = parseExposition(await (await fetch(`http://${workerMetricsAddress}/metrics`)).text());
    expect(sampleValue(samples, 'temporal_worker_task_slots_available', { worker_type: 'ActivityWorker' })).toBeGreaterThan(0);
    expect(samples.some((s) => s.name === 'temporal_activity_execution_latency_count' && s.labels.activity_type === 'intake')).toBe(true);
  });

  it("every Grafana panel's query names metrics these processes export, with labels they carry", async () => {
    const exported = [...(await scrape()), ...parseExposition(await (await fetch(`http://${workerMetricsAddress}/metrics`)).text())];
    const problems = grafanaProblems(exported);
    expect(problems).toEqual([]);
  });
});

/** Labels Prometheus adds or histograms carry, not the exporters' own. */
const SCRAPE_LABELS = new Set(['le', 'instance', 'job']);
const METRIC = /\b((?:heatscheduler|temporal|http|process|nodejs)_[a-zA-Z0-9_]+)/g;

/** Each dashboard's queries and variables checked against the exported samples; returns what does not hold. */
function grafanaProblems(exported: Sample[]): string[] {
  const dir = new URL('../../ops/grafana/dashboards/', import.meta.url);
  const datasource = /uid: (\S+)/.exec(
    readFileSync(new URL('../../ops/grafana/provisioning/datasources/prometheus.yaml', import.meta.url), 'utf8'),
  )![1];
  const problems: string[] = [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  expect(files.length).toBeGreaterThanOrEqual(2);
  for (const file of files) {
    const dashboard = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Dashboard;
    const queries = [
      ...dashboard.panels.flatMap((panel) => {
        if (panel.datasource.uid !== datasource) problems.push(`${file} "${panel.title}": datasource ${panel.datasource.uid}`);
        if (!panel.targets.length) problems.push(`${file} "${panel.title}": no query`);
        return panel.targets.map((t) => ({ where: `${file} "${panel.title}"`, expr: t.expr }));
      }),
      ...dashboard.templating.list.map((v) => ({ where: `${file} variable ${v.name}`, expr: v.query.query })),
    ];
    for (const { where, expr } of queries) problems.push(...queryProblems(where, expr, exported));
  }
  return problems;
}

function queryProblems(where: string, expr: string, exported: Sample[]): string[] {
  const metrics = [...expr.matchAll(METRIC)].map((m) => m[1]);
  if (!metrics.length) return [`${where}: names no exported metric: ${expr}`];
  const problems = metrics.filter((m) => !exported.some((s) => s.name === m)).map((m) => `${where}: ${m} is not exported`);
  const carried = new Set(exported.filter((s) => metrics.includes(s.name)).flatMap((s) => Object.keys(s.labels)));
  const used = [
    ...[...expr.matchAll(/by \(([^)]*)\)/g)].flatMap((m) => m[1].split(',').map((l) => l.trim())),
    ...[...expr.matchAll(/[{,]\s*(\w+)\s*(?:=~|!=|=|!~)/g)].map((m) => m[1]),
    ...[...expr.matchAll(/label_values\([^,]+,\s*(\w+)\)/g)].map((m) => m[1]),
  ];
  return problems.concat(
    used.filter((l) => !SCRAPE_LABELS.has(l) && !carried.has(l)).map((l) => `${where}: label ${l} not on ${metrics.join(', ')}`),
  );
}

interface Dashboard {
  panels: { title: string; datasource: { uid: string }; targets: { expr: string }[] }[];
  templating: { list: { name: string; query: { query: string } }[] };
}
