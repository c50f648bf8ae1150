import { and, asc, eq, gt, inArray, lt } from 'drizzle-orm';
import type { Db, Tx } from '../client.ts';
import { equipmentAvailability, heatingEquipment } from '../schema.ts';
import { EquipmentSchema, clipUnavailability, type Equipment } from '../../domain/equipment.ts';

/**
 * Registers heaters for a site (updating existing ones). Their unavailability windows in
 * [from, to) are replaced by the ones given: the request states availability over its horizon.
 */
export async function upsertEquipment(
  tx: Tx | Db,
  tenantId: string,
  siteId: string,
  list: Equipment[],
  from: string,
  to: string,
): Promise<void> {
  for (const e of list) {
    const values = {
      tenantId,
      siteId,
      equipmentId: e.id,
      equipmentName: e.name,
      equipmentType: e.type,
      capacityKw: e.capacityKw,
      minLoadKw: e.minLoadKw,
      efficiency: e.efficiency,
      fuelType: e.fuelType,
      fuelRatePerKwh: e.fuelRatePerKwh ?? null,
      minRunTimeMinutes: e.minRunTimeMinutes,
      maxStartsPerDay: e.maxStartsPerDay ?? null,
      startupEnergyKwh: e.startupEnergyKwh,
      location: e.location ?? null,
      isActive: e.active,
      spec: withoutUnavailability(e),
      updatedAt: new Date(),
    };
    const [row] = await tx
      .insert(heatingEquipment)
      .values(values)
      .onConflictDoUpdate({ target: [heatingEquipment.tenantId, heatingEquipment.siteId, heatingEquipment.equipmentId], set: values })
      .returning({ id: heatingEquipment.id });
    await tx
      .delete(equipmentAvailability)
      .where(
        and(
          eq(equipmentAvailability.equipmentRowId, row.id),
          lt(equipmentAvailability.unavailableStart, new Date(to)),
          gt(equipmentAvailability.unavailableEnd, new Date(from)),
        ),
      );
    if (e.unavailability.length) {
      await tx
        .insert(equipmentAvailability)
        .values(
          e.unavailability.map((w) => ({
            equipmentRowId: row.id,
            tenantId,
            unavailableStart: new Date(w.start),
            unavailableEnd: new Date(w.end),
            reason: w.reason,
            notes: w.notes ?? null,
          })),
        )
        .onConflictDoNothing();
    }
  }
}

function withoutUnavailability({ unavailability: _, ...rest }: Equipment): Omit<Equipment, 'unavailability'> {
  return rest;
}

/**
 * The site's registry with the unavailability windows that touch [from, to), clipped to it. The stored
 * spec carries every rule; rows registered before it existed fall back to their columns.
 */
export async function loadRegistry(db: Db, tenantId: string, siteId: string, from: string, to: string): Promise<Equipment[]> {
  const rows = await db
    .select()
    .from(heatingEquipment)
    .where(and(eq(heatingEquipment.tenantId, tenantId), eq(heatingEquipment.siteId, siteId)))
    .orderBy(asc(heatingEquipment.equipmentId));
  if (rows.length === 0) return [];
  const windows = await db
    .select()
    .from(equipmentAvailability)
    .where(
      and(
        inArray(
          equipmentAvailability.equipmentRowId,
          rows.map((r) => r.id),
        ),
        lt(equipmentAvailability.unavailableStart, new Date(to)),
        gt(equipmentAvailability.unavailableEnd, new Date(from)),
      ),
    )
    .orderBy(asc(equipmentAvailability.unavailableStart), asc(equipmentAvailability.unavailableEnd));
  return rows.map((r) =>
    clipUnavailability(
      EquipmentSchema.parse({
        id: r.equipmentId,
        name: r.equipmentName,
        type: r.equipmentType,
        capacityKw: r.capacityKw,
        minLoadKw: r.minLoadKw,
        efficiency: r.efficiency,
        fuelType: r.fuelType,
        fuelRatePerKwh: r.fuelRatePerKwh ?? undefined,
        minRunTimeMinutes: r.minRunTimeMinutes,
        maxStartsPerDay: r.maxStartsPerDay ?? undefined,
        startupEnergyKwh: r.startupEnergyKwh,
        location: r.location ?? undefined,
        ...r.spec,
        active: r.isActive,
        unavailability: windows
          .filter((w) => w.equipmentRowId === r.id)
          .map((w) => ({
            start: w.unavailableStart.toISOString(),
            end: w.unavailableEnd.toISOString(),
            reason: w.reason,
            notes: w.notes ?? undefined,
          })),
      }),
      from,
      to,
    ),
  );
}
