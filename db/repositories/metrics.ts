import { sql } from 'drizzle-orm';
import type { Db } from '../client.ts';

/**
 * What /metrics reports, read from Postgres at scrape time: the one place every process writes
 * to, so the figures are whole whichever API replica is scraped and survive restarts.
 */

const rows = async <T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> => (await db.execute(query)).rows as T[];

/** The latest successful run of each site: what the plant's dashboards show as "now". */
const LATEST_RUNS = sql`(
  select distinct on (tenant_id, site_id) run_id, tenant_id, site_id, peak_kw, savings_percent, schedule_id
  from optimization_runs where status = 'SUCCESS' and site_id is not null
  order by tenant_id, site_id, completed_at desc
)`;

export const runsByStatus = (db: Db) =>
  rows<{ status: string; n: number }>(db, sql`select status, count(*)::int as n from optimization_runs group by status`);

/** Jobs of successful runs, scheduled or not by the optimised plan, by priority. */
export const jobsByOutcome = (db: Db) =>
  rows<{ status: string; priority: number; n: number }>(
    db,
    sql`select case when exists (select 1 from optimized_assignments a where a.job_id = j.job_id and a.plan = 'optimized')
                 then 'scheduled' else 'unscheduled' end as status, j.priority, count(*)::int as n
        from production_jobs j join production_schedules s on s.schedule_id = j.schedule_id
        join optimization_runs r on r.run_id = s.run_id and r.status = 'SUCCESS'
        group by 1, 2`,
  );

export const solveSeconds = async (db: Db): Promise<number[]> =>
  (await rows<{ s: string }>(db, sql`select solver_time_seconds as s from optimization_runs where solver_time_seconds is not null`)).map(
    (r) => Number(r.s),
  );

export const savingsBySite = (db: Db) =>
  rows<{ tenant_id: string; site_id: string; usd: string }>(
    db,
    sql`select tenant_id, site_id, sum(savings) as usd from optimization_runs
        where status = 'SUCCESS' and site_id is not null and savings is not null group by 1, 2`,
  );

export const latestRunFigures = (db: Db) =>
  rows<{ tenant_id: string; site_id: string; peak_kw: string | null; savings_percent: string | null }>(
    db,
    sql`select tenant_id, site_id, peak_kw, savings_percent from ${LATEST_RUNS} latest`,
  );

/** The latest optimised plan's heating energy cost per tariff period category. */
export const latestEnergyCostByPeriod = (db: Db) =>
  rows<{ tenant_id: string; site_id: string; period: string; usd: string }>(
    db,
    sql`select latest.tenant_id, latest.site_id, coalesce(a.tariff_period, 'unknown') as period, sum(a.energy_cost) as usd
        from ${LATEST_RUNS} latest join optimized_assignments a on a.run_id = latest.run_id and a.plan = 'optimized'
        group by 1, 2, 3`,
  );

/** What the latest plan adds to the billing periods' demand charges, from its cost statement. */
export const latestDemandCharges = (db: Db) =>
  rows<{ tenant_id: string; site_id: string; usd: string }>(
    db,
    sql`select latest.tenant_id, latest.site_id, coalesce((s.output_json::jsonb #>> '{optimized,totals,demandCharge}')::numeric, 0) as usd
        from ${LATEST_RUNS} latest join run_steps s on s.run_id = latest.run_id and s.step = 'cost'`,
  );

/** Share of the latest plan's horizon each of its heaters runs (0 for one left idle); heaters from the run's equipment step. */
export const latestUtilisation = (db: Db) =>
  rows<{ tenant_id: string; site_id: string; equipment_id: string; share: string }>(
    db,
    sql`select latest.tenant_id, latest.site_id, heater ->> 'id' as equipment_id,
          coalesce(sum(extract(epoch from a.scheduled_end - a.scheduled_start)), 0) / (ps.horizon_days * 86400.0) as share
        from ${LATEST_RUNS} latest
        join production_schedules ps on ps.schedule_id = latest.schedule_id
        join run_steps s on s.run_id = latest.run_id and s.step = 'equipment'
        cross join lateral jsonb_array_elements(s.output_json::jsonb -> 'equipment') heater
        left join optimized_assignments a on a.run_id = latest.run_id and a.plan = 'optimized' and a.equipment_id = heater ->> 'id'
        group by latest.tenant_id, latest.site_id, heater ->> 'id', ps.horizon_days`,
  );
