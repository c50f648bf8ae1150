import { describe, expect, it } from 'vitest';
import { ErpSiteSchema, ordersToRequest } from '../../activities/erp/orders.ts';
import { DomainError } from '../../domain/errors.ts';
import { order } from './fake-erp.ts';

const site = ErpSiteSchema.parse({ tenant: 'erp-tenant', site: 'plant-9', timeZone: 'America/Chicago' });

describe('ERP orders as a canonical request', () => {
  it('gives one hash whatever the order of the pages, and another when an order changes', async () => {
    const orders = [order('B'), order('A'), order('C')];
    const first = await ordersToRequest(orders, site, 'erp');
    const shuffled = await ordersToRequest([orders[2], orders[0], orders[1]], site, 'erp');
    expect(shuffled.canonicalHash).toBe(first.canonicalHash);
    expect(first.request.schedule.jobs.map((j) => j.id)).toEqual(['A', 'B', 'C']);
    expect(first.request.schedule).toMatchObject({
      tenant: 'erp-tenant',
      site: 'plant-9',
      scheduleDate: '2026-11-24',
      sourceSystem: 'ERP',
    });
    // Local times are the site's: 06:00 in Chicago is 12:00 UTC.
    expect(first.request.schedule.jobs[0].earliestStart).toBe('2026-11-24T12:00:00.000Z');
    const changed = await ordersToRequest([order('A'), order('B', 301), order('C')], site, 'erp');
    expect(changed.canonicalHash).not.toBe(first.canonicalHash);
  });

  it("reads the ERP's own field names through the field map, and dates an instant by the site's day", async () => {
    const mapped = ErpSiteSchema.parse({ ...site, fieldMap: { id: 'OrderNo', heatingKwh: 'HeatKWh', earliestStart: 'Release' } });
    const { id, heatingKwh, earliestStart: _localRelease, ...rest } = order('X');
    // 03:00 UTC on the 25th is still the 24th in Chicago.
    const read = await ordersToRequest(
      [{ OrderNo: id, HeatKWh: heatingKwh, Release: '2026-11-25T03:00:00Z', ...rest, deadline: '2026-11-25T20:00' }],
      mapped,
      'erp',
    );
    expect(read.request.schedule.scheduleDate).toBe('2026-11-24');
    expect(read.request.schedule.jobs[0]).toMatchObject({ id: 'X', heatingKwh: 300, earliestStart: '2026-11-25T03:00:00.000Z' });
  });

  it('refuses bad orders with E001 naming the job and field', async () => {
    const err = await ordersToRequest([order('A'), { ...order('B'), heatingKwh: 'lots' }], site, 'erp').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('E001');
    expect((err as DomainError).problems.map((p) => p.path)).toContain('schedule.jobs[1].heatingKwh');
  });
});
