import { timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/client.ts';
import * as figures from '../db/repositories/metrics.ts';
import { ApiCode, ApiError } from './errors.ts';

/** Seconds buckets for the solve: a few seconds for small days up to the longest limits planners set. */
const SOLVE_BUCKETS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SITE = ['tenant_id', 'site_id'] as const;

/**
 * The Prometheus metrics of the seed's names. Run figures are read from Postgres when scraped (every
 * process writes there; an API replica's memory would hold only its own share); HTTP figures are
 * this process's own; `process_*` and `nodejs_*` from prom-client's defaults.
 */
export function createMetrics(db: Db): { registry: Registry; httpMetrics: RequestHandler } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  new Counter({
    name: 'heatscheduler_schedules_total',
    help: 'Optimisation runs submitted, by status (PENDING, RUNNING, SUCCESS, FAILED, CANCELLED)',
    labelNames: ['status'],
    registers,
    async collect() {
      this.reset();
      for (const r of await figures.runsByStatus(db)) this.inc({ status: r.status }, r.n);
    },
  });
  new Counter({
    name: 'heatscheduler_jobs_total',
    help: 'Jobs of successful runs, scheduled or left out by the optimised plan, by priority',
    labelNames: ['status', 'priority'],
    registers,
    async collect() {
      this.reset();
      for (const r of await figures.jobsByOutcome(db)) this.inc({ status: r.status, priority: String(r.priority) }, r.n);
    },
  });
  new Histogram({
    name: 'heatscheduler_optimization_duration_seconds',
    help: 'Wall-clock seconds of each run’s solve',
    buckets: SOLVE_BUCKETS,
    registers,
    async collect() {
      this.reset();
      for (const s of await figures.solveSeconds(db)) this.observe(s);
    },
  });
  siteGauges(db, registers);
  return { registry, httpMetrics: httpMetrics(registers) };
}

/** Per-site figures: savings to date, and the latest successful run's peak, costs and heater use. */
function siteGauges(db: Db, registers: Registry[]): void {
  const gauge = (name: string, help: string, labelNames: readonly string[], load: (g: Gauge) => Promise<void>) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        this.reset();
        await load(this);
      },
    });
  // A gauge though named _total: a run can cost more than its baseline, so the sum may fall.
  gauge('heatscheduler_cost_savings_usd_total', 'Savings against the baseline of all successful runs, per site', SITE, async (g) => {
    for (const r of await figures.savingsBySite(db)) g.set(site(r), Number(r.usd));
  });
  gauge('heatscheduler_savings_percent', 'Savings of the latest successful run against its baseline, %', SITE, async (g) => {
    for (const r of await figures.latestRunFigures(db)) if (r.savings_percent !== null) g.set(site(r), Number(r.savings_percent));
  });
  gauge('heatscheduler_peak_demand_kw', 'Peak electric demand of the latest successful plan, kW', SITE, async (g) => {
    for (const r of await figures.latestRunFigures(db)) if (r.peak_kw !== null) g.set(site(r), Number(r.peak_kw));
  });
  gauge('heatscheduler_energy_cost_usd', 'Heating energy cost of the latest plan by tariff period', [...SITE, 'period'], async (g) => {
    for (const r of await figures.latestEnergyCostByPeriod(db)) g.set({ ...site(r), period: r.period }, Number(r.usd));
  });
  gauge('heatscheduler_demand_charge_usd', 'Demand charges of the latest plan', SITE, async (g) => {
    for (const r of await figures.latestDemandCharges(db)) g.set(site(r), Number(r.usd));
  });
  gauge(
    'heatscheduler_equipment_utilization',
    'Share of the latest plan’s horizon each heater runs (0-1)',
    [...SITE, 'equipment_id'],
    async (g) => {
      for (const r of await figures.latestUtilisation(db)) g.set({ ...site(r), equipment_id: r.equipment_id }, Number(r.share));
    },
  );
}

const site = (r: { tenant_id: string; site_id: string }) => ({ tenant_id: r.tenant_id, site_id: r.site_id });

/** Requests and their durations by method, route pattern (never the raw path: ids would explode the series) and status. */
function httpMetrics(registers: Registry[]): RequestHandler {
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: ['method', 'endpoint', 'status'],
    registers,
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route',
    labelNames: ['method', 'endpoint'],
    buckets: HTTP_BUCKETS,
    registers,
  });
  return (req, res, next) => {
    const end = duration.startTimer();
    res.once('finish', () => {
      const endpoint = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      end({ method: req.method, endpoint });
      requests.inc({ method: req.method, endpoint, status: String(res.statusCode) });
    });
    next();
  };
}

/**
 * GET /metrics for Prometheus. Without authentication (the loopback demo) it is open; with it, the
 * scraper presents `METRICS_TOKEN` as a bearer token (figures span every tenant: not for tenants' users).
 */
export function metricsRouter(registry: Registry, opts: { open: boolean; token?: string }): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (!opts.open) checkScraper(req.headers.authorization, opts.token);
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}

function checkScraper(header: string | undefined, token: string | undefined): void {
  if (!token) {
    throw new ApiError(404, ApiCode.NOT_FOUND, 'metrics are off: set METRICS_TOKEN to let a scraper read them', [
      { path: 'METRICS_TOKEN', message: 'not configured' },
    ]);
  }
  const given = Buffer.from(header?.replace(/^Bearer /i, '') ?? '');
  const wanted = Buffer.from(token);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new ApiError(401, ApiCode.UNAUTHENTICATED, 'the metrics scraper’s bearer token is missing or wrong', [
      { path: 'headers.authorization', message: 'expected Bearer <METRICS_TOKEN>' },
    ]);
  }
}
