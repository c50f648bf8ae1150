import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { findTariff, upsertTariff } from '../../db/repositories/tariffs.ts';
import { openDb } from '../../db/client.ts';
import { energyTariffs } from '../../db/schema.ts';
import { TariffSchema, type TariffInput } from '../../domain/tariff.ts';

const seasonal: TariffInput = {
  name: 'Seasonal with prices',
  timeZone: 'America/Los_Angeles',
  effectiveDate: '2026-01-01',
  expiryDate: '2026-12-31',
  seasons: [
    { name: 'summer', from: '06-01', to: '09-30' },
    { name: 'winter', from: '10-01', to: '05-31' },
  ],
  periods: [
    { season: 'summer', start: '00:00', end: '16:00', energyRate: 0.1, category: 'off-peak' },
    { season: 'summer', start: '16:00', end: '21:00', energyRate: 0.3, category: 'on-peak' },
    { season: 'summer', start: '21:00', end: '00:00', energyRate: 0.1, category: 'off-peak' },
    { season: 'winter', start: '00:00', end: '00:00', energyRate: 0.12, category: 'off-peak' },
  ],
  holidayCalendar: { country: 'US', state: 'CA' },
  holidays: ['2026-08-14'],
  priceSeries: { kind: 'day_ahead', start: '2026-07-01T00:00:00-07:00', intervalMinutes: 60, prices: [0.05, 0.06, 0.07], combine: 'add' },
  billingCycleStartDay: 15,
};

describe('tariff registry', () => {
  const handle = openDb(inject('databaseUrl'));
  afterAll(() => handle.close());

  it('stores every part of a tariff and gives it back unchanged (seasons, holiday calendar, price series, billing cycle)', async () => {
    const tariff = TariffSchema.parse(seasonal);
    await upsertTariff(handle.db, 'registry-test', 'site-1', tariff);
    expect(await findTariff(handle.db, 'registry-test', 'site-1', '2026-07-01')).toEqual(tariff);
  });

  it('uses the version in force on the date, and none outside every version', async () => {
    const older = TariffSchema.parse({
      ...seasonal,
      name: 'Flat 2025',
      effectiveDate: '2025-01-01',
      expiryDate: '2025-12-31',
      seasons: [],
      periods: [seasonal.periods[3]].map((p) => ({ ...p, season: undefined })),
    });
    const current = TariffSchema.parse({ ...seasonal, effectiveDate: '2026-01-01' });
    await upsertTariff(handle.db, 'registry-test', 'site-2', older);
    await upsertTariff(handle.db, 'registry-test', 'site-2', current);
    expect((await findTariff(handle.db, 'registry-test', 'site-2', '2025-06-30'))?.name).toBe('Flat 2025');
    expect((await findTariff(handle.db, 'registry-test', 'site-2', '2026-06-30'))?.name).toBe('Seasonal with prices');
    expect(await findTariff(handle.db, 'registry-test', 'site-2', '2027-01-01')).toBeUndefined();
  });

  it('still reads a tariff stored before the whole definition was kept, from its columns and periods', async () => {
    const flat = TariffSchema.parse({
      name: 'Old row',
      timeZone: 'UTC',
      effectiveDate: '2026-01-01',
      periods: [{ start: '00:00', end: '00:00', energyRate: 0.2, demandRate: 7, category: 'mid-peak' }],
      holidays: ['2026-12-25'],
    });
    const id = await upsertTariff(handle.db, 'registry-test', 'site-3', flat);
    await handle.db.update(energyTariffs).set({ definition: null }).where(eq(energyTariffs.tariffId, id));
    expect(await findTariff(handle.db, 'registry-test', 'site-3', '2026-05-01')).toEqual(flat);
  });
});
