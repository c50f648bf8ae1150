import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import type { EarlierRunPeaks } from '../../domain/billing.ts';
import type { Db } from '../client.ts';
import { optimizationRuns, productionSchedules, runSteps } from '../schema.ts';

/** A billing period is at most a month long: runs of the 62 days before a date cover any period it falls in. */
const LOOKBACK_DAYS = 62;

/**
 * Each local day's planned peak per demand charge from the site's successful runs of the days
 * before `beforeDate` (their cost step's `optimized.dailyPeaks`). A day planned more than once
 * takes its latest run: a re-plan replaces the plan it follows.
 */
export async function earlierRunPeaks(db: Db, tenantId: string, siteId: string, beforeDate: string): Promise<EarlierRunPeaks[]> {
  const from = new Date(Date.parse(`${beforeDate}T00:00:00Z`) - LOOKBACK_DAYS * 86_400_000).toISOString().slice(0, 10);
  const rows = await db
    .select({ peaks: sql<EarlierRunPeaks[] | null>`(${runSteps.outputJson})::jsonb #> '{optimized,dailyPeaks}'` })
    .from(runSteps)
    .innerJoin(optimizationRuns, eq(optimizationRuns.runId, runSteps.runId))
    .innerJoin(productionSchedules, eq(productionSchedules.runId, runSteps.runId))
    .where(
      and(
        eq(runSteps.step, 'cost'),
        eq(optimizationRuns.status, 'SUCCESS'),
        eq(productionSchedules.tenantId, tenantId),
        eq(productionSchedules.siteId, siteId),
        gte(productionSchedules.scheduleDate, from),
        lt(productionSchedules.scheduleDate, beforeDate),
      ),
    )
    .orderBy(asc(runSteps.completedAt), asc(runSteps.id));
  const byDate = new Map<string, EarlierRunPeaks>();
  for (const { peaks } of rows) for (const day of peaks ?? []) if (day.date < beforeDate) byDate.set(day.date, day);
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}
