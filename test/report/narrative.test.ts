import { describe, expect, it } from 'vitest';
import { costStatement } from '../../activities/cost/statement.ts';
import type { ReportInput } from '../../activities/report/input.ts';
import { narrate, numbersIn, templateNarrative } from '../../activities/report/narrative.ts';
import { reportWarnings } from '../../activities/report/warnings.ts';
import { handJob, handRequest, problemFromRequest } from '../support/problem.ts';
import { E1, G1 } from '../cost/heaters.ts';
import { plantDayInput, plantDayWithEconomics } from './fixture.ts';

/** The hand day with one 200 kWh job: the baseline runs it on E1 at 06:00 (off-peak); `plan` puts it elsewhere. */
function handInput(plan: { equipmentId: string; startSlot: number; endSlot: number }, settings = {}): ReportInput {
  const problem = problemFromRequest(handRequest([handJob('J1', 200, '06:00', '23:00')], [E1, G1], settings));
  const assignments = [{ jobId: 'J1', ...plan }];
  const cost = costStatement(problem, { assignments });
  const solver = {
    name: 'highs',
    status: 'optimal',
    objectiveKind: 'minimize_cost',
    objective: 0,
    bound: 0,
    gap: 0,
    columns: 1,
    rows: 1,
    nonzeros: 1,
    notes: [],
  } as const;
  const plannedSchedule = {
    assignments: [],
    unscheduled: [],
    loadProfileKw: [],
    peakKw: 0,
    peakByCategoryKw: {},
    solver: { ...solver, notes: [] },
  };
  return { runId: 'r', problem, plan: plannedSchedule as unknown as ReportInput['plan'], cost, chain: [] };
}

describe('the narrative', () => {
  it('states the computed figures of the plant day in plain sentences', () => {
    const text = templateNarrative(plantDayWithEconomics());
    // The day is under the month's metered peaks (512 kW facility, 468 kW peak-period): the plan adds no demand charge;
    // first-come-first-served raises the facility peak to 516.9 kW: 4.89 kW × 9.50 = USD 46.47 of peak shaving.
    expect(text[0]).toBe('The plan costs USD 672.11 against USD 882.81 for first-come-first-served, saving USD 210.70 (23.9 %).');
    expect(text[1]).toBe('It moves 94 % of heating electricity to off-peak hours (first-come-first-served: 39 %).');
    expect(text[2]).toBe(
      'The saving comes from equipment and fuel choice (USD 195.53), peak shaving (USD 46.47); time-of-use shift (USD 28.98) and start-ups (USD 2.32) cost more.',
    );
    expect(text[3]).toBe('Peak demand is 265.7 kW against a contractual limit of 700.0 kW (first-come-first-served: 516.9 kW).');
    expect(text[4]).toMatch(/^Heating emits 1,410 kg CO2 \(first-come-first-served: 2,092 kg\), 682 kg less\.$/);
    expect(text[5]).toBe('Over 250 such days a year that is USD 52,674.79 saved.');
    expect(text[6]).toMatch(
      /^An investment of USD 150,000.00 pays back in 2.8 years \(NPV over 10 years at 8.0 %: USD [\d,.]+, IRR 33.1 %\)\.$/,
    );
  });

  it('says how much of the heating electricity moves to off-peak hours', () => {
    // Baseline: E1 06:00-08:00, all off-peak. Plan: E1 07:00-09:00, half of it mid-peak.
    const text = templateNarrative(handInput({ equipmentId: 'E1', startSlot: 7, endSlot: 9 }));
    expect(text[1]).toBe('It moves 50 % of heating electricity to off-peak hours (first-come-first-served: 100 %).');
  });

  it('says so when the plan costs more, and which causes cost more', () => {
    // Plan: E1 16:00-18:00 on-peak: 200 × 0.40 + 2 × 0.40 start + 100 kW × 5 demand, against 20.2 off-peak.
    const input = handInput({ equipmentId: 'E1', startSlot: 16, endSlot: 18 });
    const [first, , third] = templateNarrative(input);
    expect(first).toBe('The plan costs USD 580.80, USD 560.60 more than first-come-first-served (2,775.2 %).');
    expect(third).toBe('The extra cost comes from peak shaving (USD 500.00), time-of-use shift (USD 60.00), start-ups (USD 0.60).');
    expect(reportWarnings(input).map((w) => w.text)).toContain(
      'The plan costs more than first-come-first-served (see the savings by cause).',
    );
  });

  it('warns when the peak comes within 10 % of the contractual limit', () => {
    const input = handInput({ equipmentId: 'E1', startSlot: 6, endSlot: 8 }, { peakLimitKw: 105 });
    expect(reportWarnings(input).map((w) => w.text)).toContain('The peak of 100.0 kW is within 10 % of the contractual limit of 105.0 kW.');
    expect(reportWarnings(handInput({ equipmentId: 'E1', startSlot: 6, endSlot: 8 }, { peakLimitKw: 112 }))).toEqual([
      { severity: 'info', text: 'Savings are below 5 % of the baseline.' },
    ]);
  });
});

describe('the optional rephrasing model', () => {
  const input = plantDayInput();
  const template = templateNarrative(input).join(' ');

  it('is off by default: the template text', async () => {
    expect(await narrate(input)).toEqual({ text: template, source: 'template' });
  });

  it('is used when its answer keeps to the computed figures', async () => {
    const fake = async (text: string) => `In short: ${text.replace('The plan costs', 'Today’s plan costs')}`;
    const result = await narrate(input, fake);
    expect(result.source).toBe('rephrased');
    expect(result.text).toContain('Today’s plan costs USD 672.11');
  });

  it('is rejected when it writes a number that is not in the figures, and the template text is kept', async () => {
    const fake = async (text: string) => `${text} That is roughly USD 12,000 a day, or 47 % less.`;
    expect(await narrate(input, fake)).toEqual({
      text: template,
      source: 'template',
      rejected: 'numbers not in the computed figures: 12000, 47',
    });
  });

  it('falls back to the template when the model fails or says nothing', async () => {
    const failing = async () => {
      throw new Error('connection refused');
    };
    expect(await narrate(input, failing)).toEqual({ text: template, source: 'template', rejected: 'the model failed: connection refused' });
    expect((await narrate(input, async () => '  ')).rejected).toBe('the model returned nothing');
  });

  it('reads numbers as values, thousands separators and all, but not the 2 of CO2', () => {
    expect(numbersIn('USD 1,234.50 at 06:30 cuts CO2 by 7 %')).toEqual(['1234.5', '6', '30', '7']);
  });
});
