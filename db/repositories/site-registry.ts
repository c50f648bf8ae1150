import { and, desc, eq, notInArray } from 'drizzle-orm';
import { upsertEquipment } from './equipment.ts';
import type { Db, Tx } from '../client.ts';
import { energyTariffs, heatingEquipment } from '../schema.ts';
import type { Equipment } from '../../domain/equipment.ts';

/** All of time, for registry writes that state a heater's availability outright rather than over one horizon. */
export const ALL_TIME = { from: '1970-01-01T00:00:00.000Z', to: '9999-12-31T00:00:00.000Z' } as const;

/** A site's tariff versions (newest effective first), without their periods. */
export async function listTariffs(db: Db, tenantId: string, siteId: string) {
  const rows = await db
    .select({
      tariffId: energyTariffs.tariffId,
      name: energyTariffs.tariffName,
      effectiveDate: energyTariffs.effectiveDate,
      expiryDate: energyTariffs.expiryDate,
      currency: energyTariffs.currency,
      sha256: energyTariffs.provenanceHash,
      createdAt: energyTariffs.createdAt,
    })
    .from(energyTariffs)
    .where(and(eq(energyTariffs.tenantId, tenantId), eq(energyTariffs.siteId, siteId)))
    .orderBy(desc(energyTariffs.effectiveDate), energyTariffs.tariffName);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/**
 * Makes `list` the site's heaters: those not in it are removed (with their availability), the others
 * inserted or updated with exactly the unavailability windows given. Returns the ids removed.
 */
export async function replaceSiteEquipment(tx: Tx, tenantId: string, siteId: string, list: Equipment[]): Promise<string[]> {
  const removed = await tx
    .delete(heatingEquipment)
    .where(
      and(
        eq(heatingEquipment.tenantId, tenantId),
        eq(heatingEquipment.siteId, siteId),
        notInArray(
          heatingEquipment.equipmentId,
          list.map((e) => e.id),
        ),
      ),
    )
    .returning({ id: heatingEquipment.equipmentId });
  await upsertEquipment(tx, tenantId, siteId, list, ALL_TIME.from, ALL_TIME.to);
  return removed.map((r) => r.id).sort();
}
