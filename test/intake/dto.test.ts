import { describe, expect, it } from 'vitest';
import { toSchedulerDto } from '../../activities/intake/dto-export.ts';
import { example, lines, read, rejection } from './support.ts';

const event = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Batch ${id}`,
  resourceId: 'E1',
  startDate: '2026-11-24T06:00:00Z',
  endDate: '2026-11-24T07:00:00Z',
  duration: 3_600_000,
  manuallyScheduled: false,
  locked: false,
  attributes: { heatingKwh: 50, quantity: 1, unit: 'kg' },
  ...extra,
});
const window = (id: string, from: string, to: string) => [
  { type: 'startnoearlierthan', eventId: id, date: from },
  { type: 'finishnolaterthan', eventId: id, date: to },
];
const dto = (snapshot: Record<string, unknown>) => ({
  version: 'v1',
  snapshot: { resources: [{ id: 'E1', name: 'One', type: 'heater' }], dependencies: [], constraints: [], ...snapshot },
  metadata: {
    plantId: 'p1',
    tenantId: 'acme',
    scheduleDate: '2026-11-24',
    timeZone: 'UTC',
    timestamp: '2026-11-23T10:00:00Z',
    userId: 'u7',
  },
});

describe('the scheduler DTO adapter', () => {
  it('reads events, dependencies with type and lag, windows and locks', async () => {
    const input = dto({
      events: [
        event('A'),
        event('B', { locked: true, startDate: '2026-11-24T09:00:00Z' }),
        event('C', { attributes: { heatingKwh: 20, quantity: 1, unit: 'kg', fixedDuration: false } }),
      ],
      dependencies: [
        { id: 'd1', fromEvent: 'A', toEvent: 'B', type: 2, lag: 0.5, lagUnit: 'hour' },
        { id: 'd2', fromEvent: 'A', toEvent: 'C', type: 0, lag: -10, lagUnit: 'minute' },
      ],
      constraints: [
        ...window('A', '2026-11-24T06:00:00Z', '2026-11-24T12:00:00Z'),
        ...window('B', '2026-11-24T06:00:00Z', '2026-11-24T18:00:00Z'),
        ...window('C', '2026-11-24T08:00:00+01:00', '2026-11-24T20:00:00Z'),
      ],
    });
    const { request, format } = await read(input, 'ui.json');
    expect(format).toBe('dto');
    const [a, b, c] = request.schedule.jobs;
    expect(a).toMatchObject({ id: 'A', product: 'Batch A', durationMinutes: 60, earliestStart: '2026-11-24T06:00:00.000Z' });
    expect(b.predecessors).toEqual([{ jobId: 'A', type: 'finish_to_start', lagMinutes: 30 }]);
    expect(b.lock).toEqual({ equipmentId: 'E1', start: '2026-11-24T09:00:00.000Z' });
    expect(c.predecessors).toEqual([{ jobId: 'A', type: 'start_to_start', lagMinutes: -10 }]);
    expect(c.durationMinutes).toBeUndefined();
    expect(c.earliestStart).toBe('2026-11-24T07:00:00.000Z');
    expect(request.equipment).toBeUndefined();
  });

  it('names what it cannot read by its place in the DTO', async () => {
    const input = dto({
      events: [event('A', { duration: 90_500, colour: 'red' }), event('A')],
      dependencies: [
        { id: 'd1', fromEvent: 'A', toEvent: 'Z', type: 2 },
        { id: 'd2', fromEvent: 'A', toEvent: 'A', type: 7 },
        { id: 'd3', fromEvent: 'A', toEvent: 'A', lag: 2 },
      ],
      constraints: [
        ...window('A', '2026-11-24T06:00:00Z', '2026-11-24T12:00:00Z'),
        { type: 'mustfinishon', eventId: 'A', date: '2026-11-24T12:00:00Z' },
      ],
    });
    const err = await rejection(input, 'ui.json');
    expect(lines(err)).toEqual([
      'ui.json snapshot.events[0].colour: unknown field (known: id, name, resourceId, startDate, endDate, duration, manuallyScheduled, locked, priority, attributes, cls, eventColor, iconCls, style, draggable, resizable, durationUnit)',
      'ui.json snapshot.events[0].duration: 90500 ms is not a whole number of minutes',
      'ui.json snapshot.events[1].id: repeats the event A',
      'ui.json snapshot.dependencies[0].toEvent: names no event ("Z")',
      'ui.json snapshot.dependencies[1].type: 7 is not 0 (start-to-start), 1 (start-to-finish), 2 (finish-to-start) or 3 (finish-to-finish)',
      "ui.json snapshot.dependencies[2].lagUnit: is missing: say the lag's unit (minute, hour, day, …)",
      'ui.json snapshot.constraints[2].type: "mustfinishon" is not one of startnoearlierthan, finishnolaterthan, muststarton, unavailable',
      'ui.json snapshot.events[1]: has no startnoearlierthan constraint (its earliest start)',
      'ui.json snapshot.events[1]: has no finishnolaterthan constraint (its deadline)',
    ]);
  });

  it('writes the example day with its heaters, windows and tariff, and reads it back unchanged', async () => {
    const original = await read(example('plant-day.json'), 'plant-day.json');
    const out = toSchedulerDto(original.request, 'v', '2026-11-23T10:00:00Z');
    expect(out.snapshot.resources.find((r) => r.id === 'HTR-003')).toMatchObject({ type: 'gas_boiler', capacity: 750 });
    expect(out.snapshot.constraints.filter((c) => c.type === 'unavailable')).toEqual([
      {
        type: 'unavailable',
        resourceId: 'HTR-003',
        startDate: '2026-11-24T12:00:00.000Z',
        endDate: '2026-11-24T20:00:00.000Z',
        reason: 'maintenance',
        notes: 'Burner inspection',
      },
    ]);
    const back = await read(out, 'back.json');
    expect(back.request).toEqual(original.request);
  });

  it('carries the tariff’s demand charges and settings.billing in metadata, and names a bad field by its DTO path', async () => {
    const original = await read(example('plant-day.json'), 'plant-day.json');
    const out = toSchedulerDto(original.request, 'v', '2026-11-23T10:00:00Z');
    expect((out.metadata.tariff as { demand: unknown }).demand).toEqual(original.request.tariff?.demand);
    expect((out.metadata.settings as { billing: unknown }).billing).toEqual(original.request.settings.billing);
    const tariff = original.request.tariff!;
    const bad = {
      ...out,
      metadata: {
        ...out.metadata,
        tariff: {
          ...tariff,
          demand: {
            intervalMinutes: 20,
            charges: [
              { kind: 'facility', rate: 'cheap' },
              { kind: 'time_of_use', rate: 12, categories: ['on-peak', 'peak'] },
              { kind: 'time_of_use', rate: 12 },
            ],
          },
        },
        settings: { ...original.request.settings, billing: { meteredPeak: { asOf: '23.11.2026', facilityKw: -5 } } },
      },
    };
    const err = await rejection(bad, 'ui.json');
    expect(lines(err)).toEqual([
      'ui.json metadata.tariff.demand.intervalMinutes: must be 15, 30 or 60 (minutes)',
      'ui.json metadata.tariff.demand.charges[0].rate: Invalid input: expected number, received string',
      'ui.json metadata.tariff.demand.charges[1].categories[1]: Invalid option: expected one of "off-peak"|"mid-peak"|"on-peak"|"critical"',
      'ui.json metadata.tariff.demand.charges[2]: categories is missing',
      'ui.json metadata.settings.billing.meteredPeak.asOf: must be a date YYYY-MM-DD',
      'ui.json metadata.settings.billing.meteredPeak.asOf: is not a calendar date',
      'ui.json metadata.settings.billing.meteredPeak.facilityKw: Too small: expected number to be >=0',
    ]);
  });
});

describe('the scheduler’s OptimizationRequestDTO around a ScheduleDataDTO', () => {
  const request = async (extra: Record<string, unknown>) => {
    const original = await read(example('plant-day.json'), 'plant-day.json');
    const scheduleData = toSchedulerDto(original.request, 'v7', '2026-11-23T10:00:00Z');
    return { original, body: { scheduleData, algorithmId: 1, options: { objective: 'minimize_makespan', timeLimit: 12 }, ...extra } };
  };

  it('turns options into settings, locked events into locks and locked resource intervals into unavailable windows', async () => {
    const { original, body } = await request({
      locks: {
        events: ['J-103'],
        resourceIntervals: [{ resourceId: 'HTR-002', start: '2026-11-24T06:00:00Z', end: '2026-11-24T09:30:00Z', reason: 'hand trial' }],
      },
    });
    const events = body.scheduleData.snapshot.events as { id: string; resourceId: string; startDate: string }[];
    Object.assign(
      events.find((e) => e.id === 'J-103')!,
      { resourceId: 'HTR-002', startDate: '2026-11-24T16:00:00Z' },
    );
    const { request: read_, format } = await read(body, 'optimize.json');
    expect(format).toBe('dto');
    expect(read_.settings).toMatchObject({ objective: 'minimize_makespan', solverTimeLimitSeconds: 12 });
    expect(read_.schedule.jobs.find((j) => j.id === 'J-103')!.lock).toEqual({ equipmentId: 'HTR-002', start: '2026-11-24T16:00:00.000Z' });
    expect(read_.schedule.jobs.filter((j) => j.lock)).toHaveLength(1);
    expect(read_.equipment!.find((h) => h.id === 'HTR-002')!.unavailability).toEqual([
      { start: '2026-11-24T06:00:00.000Z', end: '2026-11-24T09:30:00.000Z', reason: 'locked', notes: 'hand trial' },
    ]);
    expect(read_.schedule.jobs).toHaveLength(original.request.schedule.jobs.length);
  });

  it('names what it cannot honour by its place in the request, inside scheduleData too', async () => {
    const { body } = await request({
      algorithmId: 'fast',
      options: { objective: 'maximize_throughput', warmStart: true, colour: 1 },
      locks: { events: ['NOPE'], resourceIntervals: [{ resourceId: 'HTR-009', start: '2026-11-24T06:00:00Z', end: 'soon' }] },
    });
    Object.assign(body.scheduleData.snapshot.events[0], { colour: 'red' });
    const err = await rejection(body, 'optimize.json');
    expect(lines(err)).toEqual([
      'optimize.json scheduleData.snapshot.events[0].colour: unknown field (known: id, name, resourceId, startDate, endDate, duration, manuallyScheduled, locked, priority, attributes, cls, eventColor, iconCls, style, draggable, resizable, durationUnit)',
      'optimize.json algorithmId: "fast" is not a whole number',
      'optimize.json options.colour: unknown field (known: objective, timeLimit, incrementalMode, warmStart)',
      'optimize.json options.objective: maximize_throughput is not offered: minimize_makespan finishes the same jobs soonest',
      'optimize.json options.warmStart: is not offered: every run plans the whole day from the events and their locks (leave it out or false)',
      'optimize.json locks.events[0]: names no event ("NOPE")',
      'optimize.json locks.resourceIntervals[0].resourceId: names no resource ("HTR-009")',
    ]);
  });
});
