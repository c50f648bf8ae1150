import { describe, expect, it } from 'vitest';
import { capabilityOf, typeFromName } from '../../activities/intake/adapters/legacy-erp.ts';
import { lines, read, rejection } from './support.ts';

/** The seed's client B file, with heat per operation and the site's zone. */
const base = (over: Record<string, unknown> = {}) => ({
  tenant: 'acme',
  plant: 'p1',
  timezone: 'America/Chicago',
  shift_window: '11/03/2025 08:00 - 16:00',
  machines: ['Fill-1', 'Fill-2', 'Label-1'],
  orders: [
    {
      order_id: 'P-100',
      product: 'standard',
      deadline_hour: 15.0,
      operations: [
        { step: 2, type: 'label', minutes: 30, kwh: 40 },
        { step: 1, type: 'fill', minutes: 60, kwh: 100 },
      ],
    },
  ],
  ...over,
});

const specs = {
  'Fill-1': { type: 'electric', capacity_kw: 200, efficiency: 0.95 },
  'Fill-2': { type: 'gas_boiler', capacityKw: 300, efficiency: '90 %' },
  'Label-1': { type: 'electric', kw: 100, efficiency: 1 },
};

describe('the legacy ERP adapter', () => {
  it('turns orders into jobs by step, on the machines whose name gives the capability', async () => {
    const { request, format } = await read(base(), 'erp.json');
    expect(format).toBe('legacy-erp');
    expect(request.equipment).toBeUndefined(); // names only: the site's registered heaters
    expect(request.schedule.jobs.map((j) => [j.id, j.allowedEquipment, j.durationMinutes, j.heatingKwh])).toEqual([
      ['P-100-1', ['Fill-1', 'Fill-2'], 60, 100],
      ['P-100-2', ['Label-1'], 30, 40],
    ]);
    expect(request.schedule.jobs[1].predecessors).toEqual([{ jobId: 'P-100-1', type: 'finish_to_start', lagMinutes: 0 }]);
    // 08:00 and 15:00 in Chicago on 3 Nov 2025 (CST, UTC-6: the clocks went back the day before).
    expect(request.schedule.jobs[0]).toMatchObject({ earliestStart: '2025-11-03T14:00:00.000Z', deadline: '2025-11-03T21:00:00.000Z' });
  });

  it('infers capabilities and heater types from names', () => {
    expect([capabilityOf('Fill-1'), capabilityOf('Furnace 2B'), capabilityOf('Oven'), capabilityOf('HP_3')]).toEqual([
      'fill',
      'furnace',
      'oven',
      'hp',
    ]);
    expect([
      typeFromName('Boiler-1'),
      typeFromName('HP-2'),
      typeFromName('Heat pump 1'),
      typeFromName('EH-4'),
      typeFromName('Fill-1'),
    ]).toEqual(['gas_boiler', 'heat_pump', 'heat_pump', 'electric', undefined]);
  });

  it("splits the machines' calendars at their breaks and turns setup times into changeovers", async () => {
    const { request } = await read(
      base({
        machine_specs: specs,
        machine_breaks: [
          { machine: 'Fill-1', start: '12:00', end: '12:30' },
          { machine: 'Fill-1', start: '14:00', end: '14:15' },
        ],
        setup_times: { 'standard->premium': 30, 'premium->standard': '0.25 h' },
      }),
      'erp.json',
    );
    const fill1 = request.equipment!.find((e) => e.id === 'Fill-1')!;
    expect(fill1.unavailability.map((w) => [w.start, w.end, w.reason])).toEqual([
      ['2025-11-03T18:00:00.000Z', '2025-11-03T18:30:00.000Z', 'offline'],
      ['2025-11-03T20:00:00.000Z', '2025-11-03T20:15:00.000Z', 'offline'],
    ]);
    expect(fill1.changeovers).toEqual([
      { fromFamily: 'standard', toFamily: 'premium', minutes: 30 },
      { fromFamily: 'premium', toFamily: 'standard', minutes: 15 },
    ]);
    expect(request.equipment!.map((e) => [e.id, e.type, e.capacityKw, e.efficiency])).toEqual([
      ['Fill-1', 'electric', 200, 0.95],
      ['Fill-2', 'gas_boiler', 300, 0.9],
      ['Label-1', 'electric', 100, 1],
    ]);
  });

  it('reads a night shift across midnight, breaks after midnight and hours past 24', async () => {
    const { request } = await read(
      base({
        shift_window: '11/24/2026 22:00 - 06:00',
        machine_specs: specs,
        machine_breaks: [
          { machine: 'Label-1', start: '23:45', end: '00:15' },
          { machine: 'Fill-2', start: '02:00', end: '02:30' },
        ],
        orders: [{ order_id: 'N-1', deadline_hour: 29.5, operations: [{ step: 1, type: 'fill', minutes: 60, kwh: 100 }] }],
      }),
      'night.json',
    );
    expect(request.schedule).toMatchObject({ scheduleDate: '2026-11-24', horizonDays: 2 });
    expect(request.schedule.jobs[0]).toMatchObject({
      id: 'N-1',
      earliestStart: '2026-11-25T04:00:00.000Z',
      deadline: '2026-11-25T11:30:00.000Z',
    });
    expect(request.equipment!.find((e) => e.id === 'Label-1')!.unavailability[0]).toMatchObject({
      start: '2026-11-25T05:45:00.000Z',
      end: '2026-11-25T06:15:00.000Z',
    });
    expect(request.equipment!.find((e) => e.id === 'Fill-2')!.unavailability[0]).toMatchObject({ start: '2026-11-25T08:00:00.000Z' });
  });

  it('keeps fractional hours exact and counts wall-clock hours on a day the clocks change', async () => {
    // 8 March 2026: Chicago springs forward at 02:00. 8.3 h is 08:18 CDT (UTC-5), not 09:18 or 07:18.
    const { request } = await read(
      base({
        shift_window: '03/08/2026 00:00 - 12:00',
        orders: [{ order_id: 'D', deadline_hour: 8.3, operations: [{ step: 1, type: 'fill', minutes: 15, kwh: 10 }] }],
      }),
    );
    expect(request.schedule.jobs[0]).toMatchObject({ earliestStart: '2026-03-08T06:00:00.000Z', deadline: '2026-03-08T13:18:00.000Z' });
    const gap = await rejection(
      base({
        shift_window: '03/08/2026 00:00 - 12:00',
        orders: [{ order_id: 'D', deadline_hour: 2.5, operations: [{ step: 1, type: 'fill', minutes: 15, kwh: 10 }] }],
      }),
      'dst.json',
    );
    expect(lines(gap)).toEqual([
      'dst.json orders[0].deadline_hour: 2026-03-08 02:30 does not exist in America/Chicago (the clocks skip it)',
    ]);
  });

  it('takes tenant, site and zone from the client profile when the file leaves them out', async () => {
    const { tenant: _t, plant: _p, timezone: _z, ...bare } = base();
    const clients = {
      erp_chicago: { format: 'legacy-erp' as const, context: { tenant: 'acme', site: 'p1', timeZone: 'America/Chicago' } },
    };
    const { request } = await read({ ...bare, client_id: 'erp_chicago' }, 'erp.json', { clients });
    expect(request.schedule).toMatchObject({ tenant: 'acme', site: 'p1', timeZone: 'America/Chicago' });
    const err = await rejection(bare, 'erp.json');
    expect(lines(err)).toEqual([
      'erp.json tenant: is missing: say which tenant the orders are for',
      'erp.json plant: is missing: say which plant the orders are for',
      'erp.json timezone: is missing: the site time zone (e.g. America/Chicago) that the shift window and hours are in',
    ]);
  });

  it('lists every problem at once, each at its place in the file', async () => {
    const err = await rejection(
      base({
        machine_specs: { 'Fill-1': specs['Fill-1'] },
        machine_breaks: [{ machine: 'Fill-9', start: '12:00', end: '12:30' }],
        orders: [
          { order_id: 'A', deadline_hour: 7.5, operations: [{ step: 1, type: 'fill', minutes: 30, kwh: 10 }] },
          { order_id: 'B', deadline_hour: 12, operations: [{ step: 1, type: 'paint', minutes: 30, kwh: -5, color: 'red' }] },
          { order_id: 'C', deadline_hour: 'noon', operations: [{ step: 1, type: 'fill', minutes: '1,5 h', kwh: '0,2 MWh' }] },
        ],
      }),
      'bad.json',
    );
    expect(lines(err)).toEqual([
      "bad.json machine_specs: has no ratings for Fill-2, Label-1: give every machine its specs, or none (the site's registered heaters)",
      'bad.json orders[0].deadline_hour: 7.5 (07:30) is not after the order may start (08:00)',
      'bad.json orders[1].operations[0].color: unknown key (known: step, type, minutes, kwh, max_kw, wait_minutes)',
      'bad.json orders[1].operations[0].type: no machine can do "paint" (capabilities: fill, label)',
      'bad.json orders[2].deadline_hour: "noon" is not a number',
      'bad.json machine_breaks[0].machine: names no machine ("Fill-9"; machines: Fill-1, Fill-2, Label-1)',
      'bad.json orders[1].operations[0].kwh: Too small: expected number to be >0',
    ]);
  });
});
