import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { erpScheduleVersions } from '../schema.ts';

export type ErpVersion = typeof erpScheduleVersions.$inferSelect;

interface Where {
  tenantId: string;
  siteId: string;
  source: string;
}

const ofSite = (w: Where) =>
  and(eq(erpScheduleVersions.tenantId, w.tenantId), eq(erpScheduleVersions.siteId, w.siteId), eq(erpScheduleVersions.source, w.source));

/** The site's newest schedule version from this source, if any. */
export async function latestErpVersion(db: Db, where: Where): Promise<ErpVersion | undefined> {
  const [row] = await db.select().from(erpScheduleVersions).where(ofSite(where)).orderBy(desc(erpScheduleVersions.version)).limit(1);
  return row;
}

/**
 * Stores the orders as the next version unless the newest already has this hash (a retried pull,
 * or a concurrent one that got there first); returns the version that holds them and whether it is new.
 */
export async function recordErpVersion(
  db: Db,
  where: Where,
  pulled: { requestHash: string; ordersCount: number; request: unknown },
): Promise<{ version: ErpVersion; created: boolean }> {
  for (;;) {
    const latest = await latestErpVersion(db, where);
    if (latest?.requestHash === pulled.requestHash) return { version: latest, created: false };
    const [row] = await db
      .insert(erpScheduleVersions)
      .values({ ...where, ...pulled, version: (latest?.version ?? 0) + 1 })
      .onConflictDoNothing()
      .returning();
    if (row) return { version: row, created: true };
  }
}

export async function setErpVersionRun(db: Db, id: string, runId: string): Promise<void> {
  await db.update(erpScheduleVersions).set({ runId }).where(eq(erpScheduleVersions.id, id));
}
