import { and, desc, eq, gte, isNull, lte, or } from 'drizzle-orm';
import type { Db, Tx } from '../client.ts';
import { energyTariffs, tariffPeriods } from '../schema.ts';
import { canonicalJson, sha256Hex } from '../../domain/hashing.ts';
import { TariffSchema, type Tariff } from '../../domain/tariff.ts';

/** Stores (or replaces) a site's tariff under its name and effective date. */
export async function upsertTariff(tx: Tx | Db, tenantId: string, siteId: string, tariff: Tariff): Promise<string> {
  const values = {
    tenantId,
    siteId,
    tariffName: tariff.name,
    effectiveDate: tariff.effectiveDate,
    expiryDate: tariff.expiryDate ?? null,
    utilityProvider: tariff.utilityProvider ?? null,
    rateScheduleCode: tariff.rateScheduleCode ?? null,
    timeZone: tariff.timeZone,
    currency: tariff.currency,
    fixedCharges: tariff.fixedCharges,
    fuelPrices: tariff.fuelPrices,
    holidays: tariff.holidays,
    definition: tariff,
    provenanceHash: sha256Hex(canonicalJson(tariff)),
  };
  const [row] = await tx
    .insert(energyTariffs)
    .values(values)
    .onConflictDoUpdate({
      target: [energyTariffs.tenantId, energyTariffs.siteId, energyTariffs.tariffName, energyTariffs.effectiveDate],
      set: values,
    })
    .returning({ tariffId: energyTariffs.tariffId });
  await tx.delete(tariffPeriods).where(eq(tariffPeriods.tariffId, row.tariffId));
  await tx.insert(tariffPeriods).values(
    tariff.periods.map((p) => ({
      tariffId: row.tariffId,
      season: p.season ?? null,
      dayType: p.dayType,
      startTime: `${p.start}:00`,
      endTime: `${p.end}:00`,
      energyRateKwh: p.energyRate,
      demandRateKw: p.demandRate,
      periodCategory: p.category,
    })),
  );
  return row.tariffId;
}

/** The tariff in force at a site on a date: the latest effective one not yet expired. */
export async function findTariff(db: Db, tenantId: string, siteId: string, date: string): Promise<Tariff | undefined> {
  const [row] = await db
    .select()
    .from(energyTariffs)
    .where(
      and(
        eq(energyTariffs.tenantId, tenantId),
        eq(energyTariffs.siteId, siteId),
        lte(energyTariffs.effectiveDate, date),
        or(isNull(energyTariffs.expiryDate), gte(energyTariffs.expiryDate, date)),
      ),
    )
    .orderBy(desc(energyTariffs.effectiveDate))
    .limit(1);
  if (!row) return undefined;
  if (row.definition != null) return TariffSchema.parse(row.definition);
  const periods = await db
    .select()
    .from(tariffPeriods)
    .where(eq(tariffPeriods.tariffId, row.tariffId))
    .orderBy(tariffPeriods.dayType, tariffPeriods.startTime);
  return TariffSchema.parse({
    name: row.tariffName,
    utilityProvider: row.utilityProvider ?? undefined,
    rateScheduleCode: row.rateScheduleCode ?? undefined,
    timeZone: row.timeZone,
    currency: row.currency,
    effectiveDate: row.effectiveDate,
    expiryDate: row.expiryDate ?? undefined,
    periods: periods.map((p) => ({
      dayType: p.dayType,
      start: p.startTime.slice(0, 5),
      end: p.endTime.slice(0, 5),
      energyRate: p.energyRateKwh,
      demandRate: p.demandRateKw,
      category: p.periodCategory,
    })),
    fixedCharges: row.fixedCharges,
    fuelPrices: row.fuelPrices,
    holidays: row.holidays,
  });
}

/** The hash of the stored version of a site's tariff with this name and effective date, if any. */
export async function storedTariffHash(
  db: Db,
  tenantId: string,
  siteId: string,
  name: string,
  effectiveDate: string,
): Promise<string | undefined> {
  const [row] = await db
    .select({ hash: energyTariffs.provenanceHash })
    .from(energyTariffs)
    .where(
      and(
        eq(energyTariffs.tenantId, tenantId),
        eq(energyTariffs.siteId, siteId),
        eq(energyTariffs.tariffName, name),
        eq(energyTariffs.effectiveDate, effectiveDate),
      ),
    );
  return row?.hash ?? undefined;
}
