import { describe, expect, it } from 'vitest';
import { resolveEquipment } from '../../activities/equipment/resolve.ts';
import { renderRequest } from '../../activities/intake/convert.ts';
import { pricePlanExact } from '../../activities/cost/ledger.ts';
import { parseSubmission } from '../../activities/intake/parse.ts';
import { solvePlan } from '../../activities/optimize/solve.ts';
import { partLoadEfficiency, piecewiseLinear, withForecastCop } from '../../domain/efficiency-curves.ts';
import { EquipmentSchema, type EquipmentInput } from '../../domain/equipment.ts';
import { DomainError } from '../../domain/errors.ts';
import { electricKwAt, heaterOption } from '../../domain/heating.ts';
import { assembleProblem, tariffOverHorizon } from '../../domain/problem.ts';
import type { RunRequestInput } from '../../domain/run-request.ts';
import { example, read } from '../intake/support.ts';
import { COLD_NIGHT_FORECAST, COP_CURVE_PUMP, flatDayForPump } from '../support/heat-pump.ts';
import { planViolations } from '../support/plan-check.ts';
import { at, byWork, handJob, handRequest, problemFromRequest } from '../support/problem.ts';

const BOILER = {
  id: 'B1',
  name: 'Boiler',
  type: 'gas_boiler',
  capacityKw: 500,
  efficiency: 0.92,
  fuelRatePerKwh: 0.09,
  partLoadCurve: [
    { loadFraction: 0.4, efficiency: 0.8 },
    { loadFraction: 1, efficiency: 0.92 },
  ],
} as const satisfies EquipmentInput;

const PUMP = COP_CURVE_PUMP;
const FORECAST = COLD_NIGHT_FORECAST;

function problems(input: unknown): string[] {
  try {
    parseSubmission(JSON.stringify(input), 'json');
  } catch (err) {
    if (err instanceof DomainError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

describe('piecewise linear curves', () => {
  const curve = [
    { x: 0.2, y: 0.7 },
    { x: 0.6, y: 0.9 },
    { x: 1, y: 0.8 },
  ];
  it('interpolates between points and stays flat outside them', () => {
    expect(piecewiseLinear(curve, 0.1)).toBe(0.7);
    expect(piecewiseLinear(curve, 0.4)).toBeCloseTo(0.8, 12);
    expect(piecewiseLinear(curve, 0.6)).toBe(0.9);
    expect(piecewiseLinear(curve, 0.9)).toBeCloseTo(0.825, 12);
    expect(piecewiseLinear(curve, 1)).toBe(0.8);
    expect(piecewiseLinear([{ x: 5, y: 3 }], -20)).toBe(3);
  });

  it('gives the part-load efficiency by fraction of capacity, the nominal one without a curve', () => {
    const boiler = EquipmentSchema.parse(BOILER);
    expect(partLoadEfficiency(boiler, 200)).toBeCloseTo(0.8, 12);
    expect(partLoadEfficiency(boiler, 350)).toBeCloseTo(0.86, 12);
    expect(partLoadEfficiency(boiler, 100)).toBeCloseTo(0.8, 12);
    expect(partLoadEfficiency({ ...boiler, partLoadCurve: undefined }, 200)).toBe(0.92);
  });
});

describe('curve and forecast validation', () => {
  it('names the field of every problem in a heater curve', () => {
    const pump = {
      ...PUMP,
      partLoadCurve: [
        { loadFraction: 0.5, efficiency: 3.2 },
        { loadFraction: 0.5, efficiency: 12 },
      ],
      copCurve: [
        { outdoorC: 10, cop: 4 },
        { outdoorC: -5, cop: 0.5 },
      ],
    };
    const boiler = { ...BOILER, id: 'B2', partLoadCurve: [{ loadFraction: 0, efficiency: 0.9 }], copCurve: [{ outdoorC: 0, cop: 3 }] };
    expect(problems(handRequest([handJob('A', 100, '00:00', '08:00')], [pump, boiler])).sort()).toEqual([
      'equipment[0].copCurve[1].cop: must be a COP between 1 and 10 for a heat_pump',
      "equipment[0].copCurve[1].outdoorC: must be above the previous point's (10)",
      'equipment[0].partLoadCurve[1].efficiency: must be a COP between 1 and 10 for a heat_pump',
      "equipment[0].partLoadCurve[1].loadFraction: must be above the previous point's (0.5)",
      'equipment[1].copCurve: applies to heat pumps only, not a gas_boiler',
      'equipment[1].partLoadCurve[0].loadFraction: must be above 0',
    ]);
  });

  it('names the interval of a forecast that overlaps or runs backwards', () => {
    const forecast = [
      { start: at('00:00'), end: at('08:00'), outdoorC: -5 },
      { start: at('07:00'), end: at('09:00'), outdoorC: 0 },
      { start: at('10:00'), end: at('09:00'), outdoorC: 70 },
    ];
    expect(problems(handRequest([handJob('A', 100, '00:00', '08:00')], [PUMP], { outdoorTemperature: forecast })).sort()).toEqual([
      "settings.outdoorTemperature[1].start: must not be before the previous interval's end (2026-03-02T08:00:00.000Z)",
      'settings.outdoorTemperature[2].end: must be after start',
      'settings.outdoorTemperature[2].outdoorC: Too big: expected number to be <=60',
    ]);
  });
});

describe('a boiler at part load', () => {
  // 200 kWh in one hour on a 500 kW boiler: 40 % load, efficiency 0.80 instead of 0.92.
  const jobs = [handJob('A', 200, '00:00', '08:00', { durationMinutes: 60 })];

  it('draws 15 % more gas (250 kWh instead of 217.39), and the plan prices it (22.50 instead of 19.57)', async () => {
    const problem = problemFromRequest(handRequest(jobs, [BOILER]));
    const option = heaterOption(problem.schedule.jobs[0], problem.equipment[0], problem.grid, problem.tariff);
    if (!option.ok) throw new Error(option.reason);
    expect(option.option.fuelKw).toBeCloseTo(250, 9);
    const flat = problemFromRequest(handRequest(jobs, [{ ...BOILER, partLoadCurve: undefined }]));
    const nominal = heaterOption(flat.schedule.jobs[0], flat.equipment[0], flat.grid, flat.tariff);
    if (!nominal.ok) throw new Error(nominal.reason);
    expect(nominal.option.fuelKw).toBeCloseTo(217.391304, 5);
    expect(option.option.fuelKw / nominal.option.fuelKw).toBeCloseTo(1.15, 12);

    const plan = await solvePlan(problem, byWork());
    expect(planViolations(problem, plan.assignments, plan.unscheduled)).toEqual([]);
    expect(plan.assignments[0].fuelKw).toBeCloseTo(250, 9);
    expect(plan.assignments[0].energyCost).toBeCloseTo(22.5, 9);
    expect(plan.solver.objective).toBeCloseTo(22.5, 9);
    // The cost agent's exact ledger prices the same draw: 250 kWh of gas at 0.09.
    expect(pricePlanExact(problem, plan.assignments).totals).toMatchObject({ fuelKwh: '250', fuelCost: '22.5' });
    expect((await solvePlan(flat, byWork())).solver.objective).toBeCloseTo((200 / 0.92) * 0.09, 9);
  });
});

describe('COP from the outdoor temperature forecast', () => {
  const window = (start: string, end: string, efficiency: number) => ({ start, end, efficiency });

  it('turns the curve and forecast into COP windows, the user’s own windows winning where they overlap', () => {
    const pump = EquipmentSchema.parse({ ...PUMP, efficiencyWindows: [window(at('06:00'), at('09:00'), 3)] });
    const { efficiencyWindows } = withForecastCop(
      pump,
      FORECAST.map((f) => ({ ...f, start: new Date(f.start).toISOString(), end: new Date(f.end).toISOString() })),
      at('00:00'),
      at('20:00'),
    );
    expect(efficiencyWindows).toEqual([
      window('2026-03-02T00:00:00.000Z', '2026-03-02T06:00:00.000Z', 2.5),
      window(at('06:00'), at('09:00'), 3),
      window('2026-03-02T09:00:00.000Z', '2026-03-02T16:00:00.000Z', 4),
      window('2026-03-02T16:00:00.000Z', '2026-03-02T20:00:00.000Z', 3.25),
    ]);
    expect(withForecastCop(pump, undefined, at('00:00'), at('20:00'))).toBe(pump);
    const noCurve = EquipmentSchema.parse({ ...PUMP, copCurve: undefined });
    expect(withForecastCop(noCurve, FORECAST as never, at('00:00'), at('20:00'))).toBe(noCurve);
  });

  /** The planning problem the way the pipeline builds it: the equipment step's core, not the test helper's. */
  function throughEquipmentStep(request: RunRequestInput) {
    const intake = parseSubmission(JSON.stringify(request), 'json');
    const tariff = tariffOverHorizon(intake.supplied.tariff!, intake.schedule, intake.settings);
    const equipment = resolveEquipment(intake, []);
    return { problem: assembleProblem(intake, tariff, equipment), equipment };
  }

  it('scales a heat pump’s part-load COP by the window’s COP over the nominal one (50 kW: 2.7 → 3.6 at 10 °C, 2.25 at -5 °C)', () => {
    const pump = {
      ...PUMP,
      partLoadCurve: [
        { loadFraction: 0.5, efficiency: 2.7 },
        { loadFraction: 1, efficiency: 3 },
      ],
    };
    const request = handRequest([handJob('A', 50, '00:00', '23:00', { durationMinutes: 60 })], [pump], { outdoorTemperature: FORECAST });
    const { problem } = throughEquipmentStep(request);
    const option = heaterOption(problem.schedule.jobs[0], problem.equipment[0], problem.grid, problem.tariff);
    if (!option.ok) throw new Error(option.reason);
    expect(option.option.inputKw).toBeCloseTo(50 / 2.7, 9);
    expect(50 / electricKwAt(option.option, 10)).toBeCloseTo(3.6, 9); // 10:00, 10 °C
    expect(50 / electricKwAt(option.option, 2)).toBeCloseTo(2.25, 9); // 02:00, -5 °C
  });

  it('plans a heat pump into the warm hours on a flat tariff (300/4 × 0.20 = 15 instead of 300/3 × 0.20 = 20)', async () => {
    const { problem, equipment } = throughEquipmentStep(flatDayForPump({ outdoorTemperature: FORECAST }));
    expect(equipment.equipment[0].efficiencyWindows.map((w) => w.efficiency)).toEqual([2.5, 4, 3.25]);
    const plan = await solvePlan(problem, byWork());
    expect(planViolations(problem, plan.assignments, plan.unscheduled)).toEqual([]);
    const [run] = plan.assignments;
    expect(Date.parse(run.start)).toBeGreaterThanOrEqual(Date.parse(at('08:00')));
    expect(Date.parse(run.end)).toBeLessThanOrEqual(Date.parse(at('16:00')));
    expect(run.electricKwBySlot).toEqual([25, 25, 25]);
    expect(plan.solver.objective).toBeCloseTo(15, 9);
    expect(pricePlanExact(problem, plan.assignments).totals).toMatchObject({ electricKwh: '75', electricCost: '15' });

    const nominal = throughEquipmentStep(flatDayForPump());
    expect(nominal.equipment.equipment[0].efficiencyWindows).toEqual([]);
    expect((await solvePlan(nominal.problem, byWork())).solver.objective).toBeCloseTo(20, 9);
  });
});

describe('the curves and the forecast in other formats', () => {
  // The example plant day's heat pump with both curves, and a forecast in Chicago time (UTC-6 in November).
  const curves = {
    copCurve: [
      { outdoorC: -5, cop: 2.5 },
      { outdoorC: 10, cop: 4 },
    ],
    partLoadCurve: [
      { loadFraction: 0.3, efficiency: 3.2 },
      { loadFraction: 1, efficiency: 3.5 },
    ],
  };
  const forecast = [
    { start: '2026-11-24T00:00:00-06:00', end: '2026-11-24T12:00:00-06:00', outdoorC: -3 },
    { start: '2026-11-24T12:00:00-06:00', end: '2026-11-26T00:00:00-06:00', outdoorC: 4 },
  ];

  it('reads them from XML and through the scheduler DTO to the same canonical request as the JSON', async () => {
    const base = JSON.parse(example('plant-day.json').toString('utf8'));
    base.equipment = base.equipment.map((e: { id: string }) => (e.id === 'HTR-004' ? { ...e, ...curves } : e));
    base.settings = { ...base.settings, outdoorTemperature: forecast };
    base.schedule = { ...base.schedule, sourceSystem: 'XML', sourceReference: 'examples/plant-day.xml' }; // as the XML example says
    const json = await read(base, 'plant-day.json');
    const point = (tag: string, attrs: object) =>
      `<${tag} ${Object.entries(attrs)
        .map(([k, v]) => `${k}="${v}"`)
        .join(' ')}/>`;
    const xml = example('plant-day.xml')
      .toString('utf8')
      .replace(
        /<heater id="HTR-004"([^>]*)\/>/,
        `<heater id="HTR-004"$1><copCurve>${curves.copCurve.map((p) => point('point', p)).join('')}</copCurve>` +
          `<partLoadCurve>${curves.partLoadCurve.map((p) => point('point', p)).join('')}</partLoadCurve></heater>`,
      )
      .replace(
        /<settings ([^>]*)>/,
        `<settings $1><outdoorTemperature>${forecast.map((f) => point('interval', f)).join('')}</outdoorTemperature>`,
      );
    const fromXml = await read(xml, 'plant-day.xml');
    const fromDto = await read(renderRequest(json, 'dto', new Date('2026-11-23T12:00:00Z')), 'plant-day.dto.json');
    expect(json.request.equipment?.find((e) => e.id === 'HTR-004')).toMatchObject(curves);
    expect(json.request.settings.outdoorTemperature?.[0]).toEqual({
      start: '2026-11-24T06:00:00.000Z',
      end: '2026-11-24T18:00:00.000Z',
      outdoorC: -3,
    });
    expect([fromXml.format, fromDto.format]).toEqual(['xml', 'dto']);
    expect(fromXml.request).toEqual(json.request);
    expect([fromXml.canonicalHash, fromDto.canonicalHash]).toEqual([json.canonicalHash, json.canonicalHash]);
  });
});
