import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artefacts, runSteps } from '../../db/schema.ts';
import type { CostStatement } from '../../domain/cost.ts';
import { runRow, startTestPipeline, type TestPipeline } from '../support/pipeline.ts';

/**
 * A month of daily runs of one site under a facility demand charge of USD 10 per kW (15-min
 * intervals). Each day one job draws 100 kW for an hour over the day's base load, so the day's
 * peak is base + 100 kW. The base load rises above every earlier day on 1, 9 and 20 March only:
 * those three days raise the month's peak (150, 170, 180 kW) and pay for the kW they add
 * (150 × 10, 20 × 10, 10 × 10); every other day pays no demand charge. The month's demand
 * charge, 180 kW × 10 = USD 1,800, is paid once in all. 1 April opens a new billing period.
 */
const baseLoadOn = (day: number) => ({ 1: 50, 9: 70, 20: 80 })[day] ?? 20 + (day % 4) * 5;
const RAISING_DAYS = new Map([
  ['2026-03-01', 1500],
  ['2026-03-09', 200],
  ['2026-03-20', 100],
]);

function dayRequest(date: string, baseLoadKw: number) {
  return {
    schedule: {
      tenant: 'billing-month',
      site: 'plant-m',
      scheduleDate: date,
      timeZone: 'UTC',
      jobs: [
        {
          id: 'J1',
          product: 'batch',
          quantity: 1,
          unit: 'lot',
          heatingKwh: 100,
          earliestStart: `${date}T00:00:00Z`,
          deadline: `${date}T12:00:00Z`,
        },
      ],
    },
    tariff: {
      name: 'Month test',
      timeZone: 'UTC',
      currency: 'USD',
      effectiveDate: '2026-01-01',
      periods: [
        { start: '00:00', end: '16:00', energyRate: 0.1, category: 'off-peak' },
        { start: '16:00', end: '00:00', energyRate: 0.3, category: 'on-peak' },
      ],
      demand: { intervalMinutes: 15, charges: [{ kind: 'facility', rate: 10 }] },
    },
    equipment: [{ id: 'E1', name: 'Furnace', type: 'electric', capacityKw: 100, efficiency: 1 }],
    settings: { slotMinutes: 60, baseLoadKw, deterministic: true },
  };
}

describe('a month of daily runs through the pipeline', () => {
  let p: TestPipeline;
  const days: { date: string; runId: string; cost: CostStatement }[] = [];

  beforeAll(async () => {
    p = await startTestPipeline();
    const dates = [...Array.from({ length: 31 }, (_, i) => `2026-03-${String(i + 1).padStart(2, '0')}`), '2026-04-01'];
    for (const date of dates) {
      const runId = await p.submit(dayRequest(date, date === '2026-04-01' ? 30 : baseLoadOn(Number(date.slice(8)))));
      await p.client.workflow.getHandle(runId).result();
      const [step] = await p.db
        .select({ output: runSteps.outputJson })
        .from(runSteps)
        .where(and(eq(runSteps.runId, runId), eq(runSteps.step, 'cost')));
      days.push({ date, runId, cost: JSON.parse(step.output) as CostStatement });
    }
  }, 900_000);

  afterAll(async () => {
    await p?.close();
  });

  it('charges demand only on the days that raise the billing period’s peak, each for the kW it adds', async () => {
    const march = days.filter((d) => d.date < '2026-04');
    for (const { runId } of march) expect((await runRow(p, runId)).status).toBe('SUCCESS');
    const demandCharge = (d: (typeof days)[number]) => Number(d.cost.optimized.totals.demandCharge);
    const paid = march.filter((d) => demandCharge(d) > 0).map((d) => [d.date, demandCharge(d)]);
    expect(paid).toEqual([...RAISING_DAYS]);
    expect(march.reduce((sum, d) => sum + demandCharge(d), 0)).toBeCloseTo(1800, 9);
    // The last day's line: the month bills 180 kW × 10 = 1,800, the day adds nothing.
    expect(march.at(-1)!.cost.optimized.demand).toEqual([
      expect.objectContaining({
        label: 'facility',
        peakKw: '135',
        floorKw: '180',
        billedKw: '180',
        raisedKw: '0',
        cost: '0',
        periodCharge: '1800',
      }),
    ]);
  });

  it('takes each day’s floor from the site’s earlier runs of the period and says so', () => {
    const line = (date: string) => days.find((d) => d.date === date)!.cost.optimized.demand[0];
    expect(line('2026-03-01')).toMatchObject({ floorKw: '0', floorSource: 'none', peakKw: '150', raisedKw: '150' });
    expect(line('2026-03-02')).toMatchObject({ floorKw: '150', floorSource: 'earlier_runs', peakKw: '130', billedKw: '150' });
    expect(line('2026-03-02').floorDetail).toBe('earlier runs of 2026-03-01 planned 150 kW');
    expect(line('2026-03-09')).toMatchObject({ floorKw: '150', peakKw: '170', raisedKw: '20', cost: '200', periodCharge: '1700' });
    expect(line('2026-03-20')).toMatchObject({ floorKw: '170', peakKw: '180', raisedKw: '10', cost: '100', periodCharge: '1800' });
    // The baseline is billed over the same floor: only what it would raise.
    expect(days.find((d) => d.date === '2026-03-10')!.cost.baseline.totals.demandCharge).toBe('0');
  });

  it('opens a new billing period on 1 April: no floor, the day pays its whole peak', async () => {
    const april = days.at(-1)!;
    expect(april.cost.optimized.demand).toEqual([
      expect.objectContaining({ billingPeriod: { start: '2026-04-01', end: '2026-05-01' }, floorKw: '0', peakKw: '130', cost: '1300' }),
    ]);
    const [report] = await p.db
      .select({ content: artefacts.content })
      .from(artefacts)
      .where(and(eq(artefacts.runId, days.find((d) => d.date === '2026-03-20')!.runId), eq(artefacts.kind, 'report.txt')));
    const earlier = days.filter((d) => d.date < '2026-03-20').map((d) => d.date);
    const baselineAdds = Number(days.find((d) => d.date === '2026-03-20')!.cost.baseline.demand[0].cost).toFixed(2);
    expect(String(report.content)).toContain(
      `Demand charge "facility", billing period from 2026-03-01: 170.0 kW before this plan, from the site's earlier runs (earlier runs of ${earlier.join(', ')} planned 170 kW); ` +
        `180.0 kW with it; the plan adds USD 100.00 (baseline ${baselineAdds}) to the period's USD 1,800.00 at 10.00 per kW.`,
    );
  });
});
