import { and, eq, gt, inArray } from 'drizzle-orm';
import type { PlannedUse } from '../../activities/equipment/status.ts';
import type { Db } from '../client.ts';
import { equipmentAvailability, heatingEquipment, optimizationRuns, optimizedAssignments } from '../schema.ts';

/** The ids and row ids of the site's registered heaters. */
export async function siteHeaters(db: Db, tenantId: string, siteId: string): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: heatingEquipment.id, equipmentId: heatingEquipment.equipmentId })
    .from(heatingEquipment)
    .where(and(eq(heatingEquipment.tenantId, tenantId), eq(heatingEquipment.siteId, siteId)));
  return new Map(rows.map((r) => [r.equipmentId, r.id]));
}

/** Records heaters as offline over [from, to), so that runs planned meanwhile leave them out. */
export async function markOffline(db: Db, tenantId: string, rowIds: string[], from: Date, to: Date): Promise<void> {
  if (rowIds.length === 0) return;
  await db
    .insert(equipmentAvailability)
    .values(
      rowIds.map((equipmentRowId) => ({
        equipmentRowId,
        tenantId,
        unavailableStart: from,
        unavailableEnd: to,
        reason: 'offline',
        notes: 'reported by the BMS',
      })),
    )
    .onConflictDoNothing();
}

/** Assignments of the site's successful runs on these heaters that end after `now`. */
export async function plannedUses(db: Db, tenantId: string, siteId: string, heaterIds: string[], now: Date): Promise<PlannedUse[]> {
  if (heaterIds.length === 0) return [];
  return db
    .select({ runId: optimizedAssignments.runId, equipmentId: optimizedAssignments.equipmentId, end: optimizedAssignments.scheduledEnd })
    .from(optimizedAssignments)
    .innerJoin(optimizationRuns, eq(optimizationRuns.runId, optimizedAssignments.runId))
    .where(
      and(
        eq(optimizationRuns.tenantId, tenantId),
        eq(optimizationRuns.siteId, siteId),
        eq(optimizationRuns.status, 'SUCCESS'),
        eq(optimizedAssignments.plan, 'optimized'),
        inArray(optimizedAssignments.equipmentId, heaterIds),
        gt(optimizedAssignments.scheduledEnd, now),
      ),
    );
}
