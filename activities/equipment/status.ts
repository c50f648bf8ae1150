import { z } from 'zod';
import { PullError, type JsonHttpClient } from '../http-json.ts';

/** What a SCADA/BMS gateway reports: each heater's availability and load, and the site's metered peak so far this month. */
export const BmsStatusSchema = z.object({
  at: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset or Z' }).optional(),
  heaters: z.array(
    z.object({
      id: z.string().trim().min(1).max(50),
      available: z.boolean(),
      loadKw: z.number().min(0).optional(),
      state: z.string().max(50).optional(),
    }),
  ),
  meteredPeakKw: z.number().min(0).optional(),
});
export type BmsStatus = z.output<typeof BmsStatusSchema>;

/** Reads the status endpoint; an answer of the wrong shape names its fields (and is not retried: it will not change by itself). */
export async function pullBmsStatus(http: JsonHttpClient, url: string): Promise<BmsStatus> {
  const body = await http.getJson(url, 'the BMS status');
  const parsed = BmsStatusSchema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`);
    throw new PullError(`the BMS status is not as expected: ${problems.slice(0, 10).join('; ')}`, false);
  }
  return parsed.data;
}

/** Heaters the BMS says are down, among the site's registered ones; ids it names that the site does not have are listed apart. */
export function offlineHeaters(status: BmsStatus, registered: readonly string[]): { offline: string[]; unknown: string[] } {
  const known = new Set(registered);
  const down = status.heaters.filter((h) => !h.available).map((h) => h.id);
  return {
    offline: [...new Set(down.filter((id) => known.has(id)))].sort(),
    unknown: [...new Set(status.heaters.map((h) => h.id).filter((id) => !known.has(id)))].sort(),
  };
}

export interface PlannedUse {
  runId: string;
  equipmentId: string;
  end: Date;
}

/** The runs whose plans still need an offline heater (an assignment ending after `now`), with the heaters each needs. */
export function runsHit(planned: readonly PlannedUse[], offline: readonly string[], now: Date): { runId: string; heaters: string[] }[] {
  const down = new Set(offline);
  const byRun = new Map<string, Set<string>>();
  for (const p of planned) {
    if (!down.has(p.equipmentId) || p.end <= now) continue;
    if (!byRun.has(p.runId)) byRun.set(p.runId, new Set());
    byRun.get(p.runId)!.add(p.equipmentId);
  }
  return [...byRun.entries()]
    .map(([runId, heaters]) => ({ runId, heaters: [...heaters].sort() }))
    .sort((a, b) => a.runId.localeCompare(b.runId));
}
