import { describe, expect, it } from 'vitest';
import {
  balance,
  changeovers,
  demandColumns,
  eachJobOnce,
  leftOutColumns,
  makespan,
  modelScope,
  oneJobAtATime,
  precedence,
  siteLoad,
  stackingCapacity,
  startsPerDay,
  coldStarts,
  minOffTime,
  minRunTime,
  standbyGaps,
  stateColumns,
  type ModelBuilder,
  type ModelScope,
  type RowLabel,
  type StateColumns,
} from '../../activities/optimize/constraints.ts';
import { buildMilp, withoutLeftOutColumns } from '../../activities/optimize/milp.ts';
import { SparseModelBuilder, type SparseModel } from '../../activities/optimize/sparse-model.ts';
import { heaterOption } from '../../domain/heating.ts';
import { PlanState, planRules, type Run } from '../../domain/plan-state.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { handJob, handRequest, problemFromRequest } from '../support/problem.ts';

// Each constraint of MODEL.md on a few hand-made runs: given these runs, these rows. Hand tariff
// (UTC, 60-min slots): off-peak until 08:00, mid-peak until 16:00, on-peak (5/kW demand) until midnight.

const E1 = { id: 'E1', name: 'Electric 1', type: 'electric', capacityKw: 100, efficiency: 1 } as const;
const E2 = { ...E1, id: 'E2', name: 'Electric 2' } as const;
const G1 = { id: 'G1', name: 'Gas boiler', type: 'gas_boiler', capacityKw: 100, efficiency: 0.8, fuelRatePerKwh: 0.09 } as const;
type Request = Parameters<typeof handRequest>;

/** A model's scope over the runs written `job@heater:start` (full power), with `held` runs placed around them. */
function given(request: Request, runs: string[], held: string[] = []) {
  const problem = problemFromRequest(handRequest(...request));
  const rules = planRules(problem);
  const fixed = new PlanState(problem, rules);
  for (const r of held) fixed.place(runOf(problem, r));
  const modelRuns = runs.map((r) => runOf(problem, r));
  const jobs = [...new Set(modelRuns.map((r) => r.jobIndex))].sort((a, b) => a - b);
  const scope = modelScope(problem, rules, modelRuns, jobs, fixed);
  const m: ModelBuilder = new SparseModelBuilder();
  for (const _ of modelRuns) m.addColumn(0, 0, 1, true);
  return { scope, m, names: [...runs], problem };
}

function runOf(problem: PlanningProblem, name: string): Run {
  const [, jobId, heaterId, start] = /^(\w+)@(\w+):(\d+)$/.exec(name)!;
  const jobIndex = problem.schedule.jobs.findIndex((j) => j.id === jobId);
  const eligibility = heaterOption(
    problem.schedule.jobs[jobIndex],
    problem.equipment.find((h) => h.id === heaterId)!,
    problem.grid,
    problem.tariff,
  );
  if (!eligibility.ok) throw new Error(eligibility.reason);
  return { jobIndex, option: eligibility.option, start: Number(start) };
}

/** The model's rows as text, e.g. `heater E1 t8: A@E1:6 + B@E1:8 ≤ 1`; columns by `names`. */
function rowsOf(model: SparseModel<RowLabel>, names: string[], scope: ModelScope): string[] {
  const terms: string[][] = model.rowLabels.map(() => []);
  for (let col = 0; col < model.numCols; col++) {
    for (let k = model.starts[col]; k < model.starts[col + 1]; k++) {
      const v = model.values[k];
      const magnitude = Math.abs(v) === 1 ? '' : `${Math.abs(v)}·`;
      terms[model.indices[k]].push(`${v < 0 ? '− ' : '+ '}${magnitude}${names[col]}`);
    }
  }
  const job = (j: number) => scope.problem.schedule.jobs[j].id;
  const label = (l: RowLabel) =>
    l.kind === 'job'
      ? `job ${job(l.job)}`
      : l.kind === 'precedence'
        ? `precedence ${job(l.from)}→${job(l.to)}`
        : l.kind === 'starts'
          ? `starts ${l.heaterId} day ${l.day}`
          : l.kind === 'peak'
            ? `peak t${l.slot}`
            : l.kind === 'objective'
              ? 'objective'
              : l.kind === 'state'
                ? `${l.rule} ${l.heaterId} t${l.slot}`
                : `${l.kind} ${l.heaterId} t${l.slot}`;
  return model.rowLabels.map((l, row) => {
    const [lower, upper] = [model.rowLower[row], model.rowUpper[row]];
    const sum = terms[row].join(' ').replace(/^\+ /, '');
    const bounds = lower === upper ? `= ${upper}` : upper === Infinity ? `≥ ${lower}` : `≤ ${upper}`;
    return `${label(l)}: ${lower !== upper && lower > -Infinity && upper < Infinity ? `${lower} ≤ ` : ''}${sum} ${bounds}`;
  });
}

describe('1. each job once', () => {
  it('puts every run of a job in its row, = 1', () => {
    const jobs = [handJob('A', 100, '06:00', '10:00'), handJob('B', 100, '06:00', '10:00')];
    const { scope, m, names } = given([jobs, [E1, E2]], ['A@E1:6', 'A@E1:7', 'B@E2:6']);
    expect([...eachJobOnce(m, scope)]).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(rowsOf(m.build(), names, scope)).toEqual(['job A: A@E1:6 + A@E1:7 = 1', 'job B: B@E2:6 = 1']);
  });
});

describe('2. one job at a time per heater', () => {
  it('adds a row where two runs could hold the heater at once; a run right after another, or after the off time, shares no row', () => {
    const jobs = [handJob('A', 200, '06:00', '12:00'), handJob('B', 100, '06:00', '12:00')];
    const { scope, m, names } = given([jobs, [{ ...E1, minOffTimeMinutes: 60 }]], ['A@E1:6', 'B@E1:7', 'B@E1:8', 'B@E1:9']);
    oneJobAtATime(m, scope, 'E1');
    expect(rowsOf(m.build(), names, scope)).toEqual(['heater E1 t7: A@E1:6 + B@E1:7 ≤ 1']);
  });

  it('counts hot standby as holding the heater', () => {
    const rows = stateRows(standbyDay(), ['A@E1:6', 'B@E1:10', 'B@E1:11'], (m, scope, state) => oneJobAtATime(m, scope, 'E1', state));
    expect(rows).toEqual(['heater E1 t10: B@E1:10 + idle10 ≤ 1']);
  });
});

describe('3. stacking heaters', () => {
  const oven = { ...E1, id: 'OVEN', allowStacking: true } as const;
  const jobs = ['A', 'B', 'C'].map((id) => handJob(id, 50, '06:00', '09:00', { durationMinutes: 60 }));

  it('keeps the stacked heat within the capacity where the runs could exceed it', () => {
    const { scope, m, names } = given([jobs, [oven]], ['A@OVEN:6', 'B@OVEN:6', 'C@OVEN:6', 'C@OVEN:7']);
    stackingCapacity(m, scope, 'OVEN', 100);
    expect(rowsOf(m.build(), names, scope)).toEqual(['stacking OVEN t6: 50·A@OVEN:6 + 50·B@OVEN:6 + 50·C@OVEN:6 ≤ 100']);
  });

  it('leaves room only for what the runs held in place do not use', () => {
    const { scope, m, names } = given([jobs, [oven]], ['A@OVEN:7', 'B@OVEN:7', 'B@OVEN:8'], ['C@OVEN:7']);
    stackingCapacity(m, scope, 'OVEN', 100);
    expect(rowsOf(m.build(), names, scope)).toEqual(['stacking OVEN t7: 50·A@OVEN:7 + 50·B@OVEN:7 ≤ 50']);
  });
});

describe('4. changeovers', () => {
  it('keeps a B run out of the A tails: 120 min from family X to Y (M = 2 tails per slot)', () => {
    const jobs = [handJob('A', 100, '06:00', '12:00', { productFamily: 'X' }), handJob('B', 100, '06:00', '12:00', { productFamily: 'Y' })];
    const heater = { ...E1, changeovers: [{ fromFamily: 'X', toFamily: 'Y', minutes: 120 }] };
    const { scope, m, names, problem } = given([jobs, [heater]], ['A@E1:6', 'B@E1:7', 'B@E1:9']);
    changeovers(m, scope, problem.equipment[0]);
    // A ends at 07:00; its tail covers 07:00-09:00, where only B@7 runs.
    expect(rowsOf(m.build(), names, scope)).toEqual(['changeover E1 t7: A@E1:6 + 2·B@E1:7 ≤ 2']);
  });

  it('keeps the changeover even when the off time is as long: back to back the heater would not go off', () => {
    const jobs = [handJob('A', 100, '06:00', '12:00', { productFamily: 'X' }), handJob('B', 100, '06:00', '12:00', { productFamily: 'Y' })];
    const heater = { ...E1, minOffTimeMinutes: 120, changeovers: [{ fromFamily: 'X', toFamily: 'Y', minutes: 120 }] };
    const { scope, m, names, problem } = given([jobs, [heater]], ['A@E1:6', 'B@E1:7']);
    changeovers(m, scope, problem.equipment[0]);
    expect(rowsOf(m.build(), names, scope)).toEqual(['changeover E1 t7: A@E1:6 + 2·B@E1:7 ≤ 2']);
  });
});

describe('5. starts per day', () => {
  const jobs = [handJob('A', 100, '00:00', '12:00'), handJob('B', 100, '00:00', '12:00')];

  it('caps the runs that start on a local day, less the starts held in place, where more could start', () => {
    const { scope, m, names } = given([jobs, [E1]], ['A@E1:0', 'B@E1:2', 'B@E1:4']);
    startsPerDay(m, scope, 'E1', 2);
    expect(rowsOf(m.build(), names, scope)).toEqual(['starts E1 day 0: A@E1:0 + B@E1:2 + B@E1:4 ≤ 2']);
    const held = given([[...jobs, handJob('C', 100, '00:00', '12:00')], [E1]], ['A@E1:0', 'B@E1:2'], ['C@E1:6']);
    startsPerDay(held.m, held.scope, 'E1', 2);
    expect(rowsOf(held.m.build(), held.names, held.scope)).toEqual(['starts E1 day 0: A@E1:0 + B@E1:2 ≤ 1']);
    const enough = given([jobs, [E1]], ['A@E1:0', 'B@E1:2']);
    startsPerDay(enough.m, enough.scope, 'E1', 2);
    expect(enough.m.build().numRows).toBe(0);
  });
});

describe('6. precedence', () => {
  it('orders the points of two jobs by the lag (finish-to-start, 60 min)', () => {
    const jobs = [
      handJob('J1', 100, '06:00', '12:00'),
      handJob('J2', 100, '06:00', '12:00', { predecessors: [{ jobId: 'J1', type: 'finish_to_start', lagMinutes: 60 }] }),
    ];
    const { scope, m, names } = given([jobs, [E1, E2]], ['J1@E1:6', 'J1@E1:7', 'J2@E2:8', 'J2@E2:9']);
    expect(precedence(m, scope)).toEqual([{ row: 0, from: 0, to: 1, bigM: 2 * 24 + 1 }]);
    expect(rowsOf(m.build(), names, scope)).toEqual(['precedence J1→J2: − 7·J1@E1:6 − 8·J1@E1:7 + 8·J2@E2:8 + 9·J2@E2:9 ≥ 1']);
  });

  it('skips an edge to a job outside the model (held in place: its runs were filtered already)', () => {
    const jobs = [handJob('J1', 100, '06:00', '12:00'), handJob('J2', 100, '06:00', '12:00', { predecessors: [{ jobId: 'J1' }] })];
    const { scope, m } = given([jobs, [E1, E2]], ['J2@E2:8'], ['J1@E1:6']);
    expect(precedence(m, scope)).toEqual([]);
  });
});

describe('7. demand peak and 8. contractual peak limit', () => {
  // A 200 kWh on E1 from 15:00 runs in mid-peak (unbilled) and on-peak (billed, 5/kW); B burns gas.
  const jobs = [handJob('A', 200, '14:00', '20:00'), handJob('B', 100, '16:00', '20:00')];

  it('bills the on-peak intervals through R (the raise over the floor) and holds the others under the limit, less the base load', () => {
    const { scope, m, names } = given([jobs, [E1, G1], { peakLimitKw: 250, baseLoadKw: 20 }], ['A@E1:15', 'B@G1:16']);
    const demand = demandColumns(m, scope, true);
    // No peak known in the billing period: the base load is the first raise, up to the limit.
    expect([...demand]).toEqual([['2026-03-01|on-peak|', { col: 2, lower: 20, upper: 250, determinant: 0 }]]);
    siteLoad(m, scope, demand);
    const model = m.build();
    expect(model.colCost[2]).toBe(5);
    expect(rowsOf(model, [...names, 'R'], scope)).toEqual(['peak t16: 100·A@E1:15 − R ≤ -20', 'peak t15: 100·A@E1:15 ≤ 230']);
  });

  it('leaves nothing to raise under a billed floor above the limit, and puts the limit on those intervals instead', () => {
    const settings = { peakLimitKw: 250, baseLoadKw: 20, incumbentPeakKw: { 'on-peak': 300 } };
    const { scope, m, names } = given([jobs, [E1, G1], settings], ['A@E1:15']);
    const demand = demandColumns(m, scope, true);
    expect([...demand]).toEqual([['2026-03-01|on-peak|', { col: 1, lower: 0, upper: 0, determinant: 0 }]]);
    siteLoad(m, scope, demand);
    expect(rowsOf(m.build(), [...names, 'R'], scope)).toEqual(['peak t15: 100·A@E1:15 ≤ 230', 'peak t16: 100·A@E1:15 ≤ 230']);
  });

  it('adds no demand columns for objectives other than cost, and no rows without a limit there', () => {
    const { scope, m } = given([jobs, [E1, G1]], ['A@E1:15']);
    const demand = demandColumns(m, scope, false);
    expect(demand.size).toBe(0);
    siteLoad(m, scope, demand);
    expect(m.build().numRows).toBe(0);
  });

  it('measures the limit and the demand on quarter-hour averages on a 5-min grid: one coefficient per interval', () => {
    // A 10 kWh job on E1 takes two 5-min slots at 60 kW (12:00 and 12:05): the 12:00 quarter-hour averages (60 + 60) / 3 = 40 kW,
    // under the 50 kW left by the limit, though each slot draws 60.
    const short = [handJob('S', 10, '12:00', '13:00')];
    const { scope, m, names } = given([short, [E1], { peakLimitKw: 70, baseLoadKw: 20, slotMinutes: 5 }], ['S@E1:144']);
    siteLoad(m, scope, demandColumns(m, scope, true));
    expect(rowsOf(m.build(), names, scope)).toEqual(['peak t144: 40·S@E1:144 ≤ 50']);
  });
});

describe('9. makespan', () => {
  it('puts every run end and every heater load below C, with the runs held in place', () => {
    const jobs = [handJob('A', 200, '00:00', '12:00'), handJob('B', 100, '00:00', '12:00'), handJob('H', 100, '00:00', '12:00')];
    const { scope, m, names } = given([jobs, [E1, E2]], ['A@E1:0', 'A@E2:1', 'B@E1:2'], ['H@E2:0']);
    const C = makespan(m, scope, 1);
    const model = m.build();
    expect([C, model.colLower[C], model.colUpper[C], model.colCost[C]]).toEqual([3, 1, 24, 1]);
    expect(rowsOf(model, [...names, 'C'], scope)).toEqual([
      'objective: 2·A@E1:0 + 3·A@E2:1 − C ≤ 0',
      'objective: 3·B@E1:2 − C ≤ 0',
      // E1 can start at 0; E2 at 0 (H, held) and holds 1 slot of H already.
      'objective: 2·A@E1:0 + B@E1:2 − C ≤ 0',
      'objective: 2·A@E2:1 − C ≤ -1',
    ]);
  });
});

describe('10. balance', () => {
  it("puts every heater's running slots below B, with the runs held in place", () => {
    const jobs = [handJob('A', 200, '00:00', '12:00'), handJob('B', 100, '00:00', '12:00'), handJob('H', 100, '00:00', '12:00')];
    const { scope, m, names } = given([jobs, [E1, E2]], ['A@E1:0', 'A@E2:1', 'B@E1:2'], ['H@E2:0']);
    const B = balance(m, scope, 0.5);
    const model = m.build();
    expect([B, model.colLower[B], model.colUpper[B], model.colCost[B]]).toEqual([3, 1, Infinity, 0.5]);
    expect(rowsOf(model, [...names, 'B'], scope)).toEqual(['objective: 2·A@E1:0 + B@E1:2 − B ≤ 0', 'objective: 2·A@E2:1 − B ≤ -1']);
  });
});

describe('left-out columns', () => {
  it("add u[j] to the job's row, relax its precedence rows, and leave a successor out with its predecessor", () => {
    const jobs = [
      handJob('J1', 100, '06:00', '12:00'),
      handJob('J2', 100, '06:00', '12:00', { predecessors: [{ jobId: 'J1', type: 'finish_to_start', lagMinutes: 0 }] }),
    ];
    const { scope, m, names } = given([jobs, [E1]], ['J1@E1:6', 'J2@E1:7']);
    const jobRows = eachJobOnce(m, scope);
    const precedenceRows = precedence(m, scope);
    const penalty = Float64Array.from([1000, 2000]);
    const skip = leftOutColumns(m, scope, { jobRows, precedenceRows, penalty, allowed: true });
    const model = m.build();
    expect([...skip]).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect([...model.colCost.slice(2)]).toEqual([1000, 2000]);
    expect([...model.colUpper.slice(2)]).toEqual([1, 1]);
    expect(rowsOf(model, [...names, 'u(J1)', 'u(J2)'], scope)).toEqual([
      'job J1: J1@E1:6 + u(J1) = 1',
      'job J2: J2@E1:7 + u(J2) = 1',
      'precedence J1→J2: − 7·J1@E1:6 + 7·J2@E1:7 + 48·u(J2) ≥ 0',
      'precedence J1→J2: − u(J1) + u(J2) ≥ 0',
    ]);
    const strict = given([jobs, [E1]], ['J1@E1:6']);
    const rows = eachJobOnce(strict.m, strict.scope);
    // Not allowed (a complete plan is known): no column at all, so no penalty scales the model.
    expect(leftOutColumns(strict.m, strict.scope, { jobRows: rows, precedenceRows: [], penalty, allowed: false }).size).toBe(0);
    expect([...strict.m.build().colUpper]).toEqual([1]);
  });

  it('leave the whole model, with the rows only they used, once a complete plan is known', () => {
    const jobs = [
      handJob('J1', 100, '06:00', '12:00'),
      handJob('J2', 100, '06:00', '12:00', { predecessors: [{ jobId: 'J1', type: 'finish_to_start', lagMinutes: 0 }] }),
    ];
    const { milp } = buildMilp(problemFromRequest(handRequest(jobs, [E1])));
    const runs = milp.runs.length;
    expect(milp.skipColumns.size).toBe(2);
    const strict = withoutLeftOutColumns(milp);
    expect(strict.skipColumns.size).toBe(0);
    expect(strict.numCols).toBe(milp.numCols - 2);
    expect(Math.max(...strict.colCost)).toBeLessThan(1e3);
    // The link row u(J2) − u(J1) ≥ 0 goes; the job rows and the precedence row stay, without u.
    expect(strict.numRows).toBe(milp.numRows - 1);
    expect(strict.rowLabels.filter((l) => l.kind === 'job')).toHaveLength(2);
    expect(strict.rowLabels.filter((l) => l.kind === 'precedence')).toHaveLength(1);
    expect([...strict.indices].every((row) => row < strict.numRows)).toBe(true);
    expect(strict.starts[runs]).toBe(milp.starts[runs]);
  });
});

describe('the sparse-model builder', () => {
  it('gives compressed sparse columns with the entries in the order they were added', () => {
    const m = new SparseModelBuilder<string>();
    const [x, y] = [m.addColumn(1, 0, 1, true), m.addColumn(2, -Infinity, Infinity)];
    const [r0, r1] = [m.addRow(1, 1, 'first'), m.addRow(-Infinity, 4, 'second')];
    m.add(y, r1, 3);
    m.add(x, r1, 5);
    m.add(y, r0, 7);
    expect(m.build()).toEqual({
      numCols: 2,
      numRows: 2,
      colCost: Float64Array.from([1, 2]),
      colLower: Float64Array.from([0, -Infinity]),
      colUpper: Float64Array.from([1, Infinity]),
      integrality: Int32Array.from([1, 0]),
      rowLower: Float64Array.from([1, -Infinity]),
      rowUpper: Float64Array.from([1, 4]),
      starts: Int32Array.from([0, 1, 3]),
      indices: Int32Array.from([1, 1, 0]),
      values: Float64Array.from([5, 3, 7]),
      rowLabels: ['first', 'second'],
    });
  });
});

/** A 2-slot job A and a 1-slot job B on E1 (120 min off time, 10 kWh cold start, `extra`), with the state's columns named v<t> and idle<t>. */
function stateDay(extra: Record<string, unknown> = {}): Request {
  const jobs = [handJob('A', 200, '06:00', '12:00'), handJob('B', 100, '06:00', '12:00')];
  return [jobs, [{ ...E1, minOffTimeMinutes: 120, startupEnergyKwh: 10, ...extra }]];
}
const standbyDay = () => stateDay({ standbyKw: 5 });

function withState(request: Request, runs: string[], held: string[] = []): ReturnType<typeof given> & { state: StateColumns } {
  const g = given(request, runs, held);
  const state = stateColumns(g.m, g.scope, 'E1', { start: () => 1, standby: () => 0.5, standbyElectricKw: 5 });
  state.start.forEach((col, t) => col >= 0 && (g.names[col] = `v${t}`));
  state.idle.forEach((col, t) => col >= 0 && (g.names[col] = `idle${t}`));
  return { ...g, state };
}

/** The rows `add` makes over the runs, with the state's columns named. */
function stateRows(
  request: Request,
  runs: string[],
  add: (m: ModelBuilder, scope: ModelScope, state: StateColumns) => void,
  held: string[] = [],
): string[] {
  const { scope, m, names, state } = withState(request, runs, held);
  add(m, scope, state);
  return rowsOf(m.build(), names, scope);
}

describe('11-14. the heater state', () => {
  const runs = ['A@E1:6', 'B@E1:8', 'B@E1:9', 'B@E1:10'];

  it('11. counts a cold start where a run starts and none ends: B right after A starts nothing', () => {
    expect(withState(stateDay(), runs).names.slice(4)).toEqual(['v6', 'v8', 'v9', 'v10']);
    expect(stateRows(stateDay(), runs, coldStarts)).toEqual([
      'start E1 t6: − A@E1:6 + v6 ≥ 0',
      'start E1 t8: A@E1:6 − B@E1:8 + v8 ≥ 0',
      'start E1 t9: B@E1:8 − B@E1:9 + v9 ≥ 0',
      'start E1 t10: B@E1:9 − B@E1:10 + v10 ≥ 0',
    ]);
  });

  it('12. keeps a heater that went off off for its 2 slots: no start in the 2 slots after one it was on in', () => {
    // B@9 an hour after A: 11 makes it a start (v9 = 1), and t9 then holds A + v9 ≤ 1.
    expect(stateRows(stateDay(), runs, minOffTime)).toEqual([
      'off E1 t8: A@E1:6 + v8 ≤ 1',
      'off E1 t9: A@E1:6 + v8 + v9 ≤ 1',
      'off E1 t10: B@E1:8 + v9 + v10 ≤ 1',
      'off E1 t11: B@E1:9 + v10 ≤ 1',
    ]);
  });

  it('13. keeps a heater that started on for its min run time (120 min), whichever runs fill it', () => {
    expect(stateRows(stateDay({ minRunTimeMinutes: 120 }), runs, minRunTime)).toEqual([
      'run E1 t6: − A@E1:6 + v6 ≤ 0',
      'run E1 t7: − A@E1:6 + v6 ≤ 0',
      'run E1 t8: − B@E1:8 + v8 ≤ 0',
      'run E1 t9: − B@E1:9 + v8 + v9 ≤ 0',
      'run E1 t10: − B@E1:10 + v9 + v10 ≤ 0',
      'run E1 t11: v10 ≤ 0', // B alone at 10:00 would be on for an hour
    ]);
  });

  it('13. adds nothing when every run lasts the min run time', () => {
    expect(stateRows(stateDay({ minRunTimeMinutes: 60 }), runs, minRunTime)).toEqual([]);
  });

  it('14. holds standby only between a run and the next, for less than the off time', () => {
    const standbyRuns = ['A@E1:6', 'B@E1:10', 'B@E1:11'];
    expect(withState(standbyDay(), standbyRuns).names.slice(3)).toEqual(['v6', 'v10', 'v11', 'idle8', 'idle9', 'idle10']);
    expect(stateRows(standbyDay(), standbyRuns, standbyGaps)).toEqual([
      'standby E1 t8: idle8 − idle9 ≤ 0',
      'standby E1 t9: − B@E1:10 + idle9 − idle10 ≤ 0',
      'standby E1 t10: − idle9 + idle10 ≤ 0',
      'standby E1 t10: − B@E1:11 + idle10 ≤ 0',
      'standby E1 t8: idle8 + idle9 ≤ 1',
      'standby E1 t9: idle9 + idle10 ≤ 1',
    ]);
  });

  it("11, 12. move a held run (a neighbourhood's) to the right-hand side, its start a column like the others", () => {
    const free = ['B@E1:8', 'B@E1:9'];
    expect(withState(stateDay(), free, ['A@E1:6']).names.slice(2)).toEqual(['v6', 'v8', 'v9']);
    // A held 06:00-08:00: its start is v6 ≥ 1; B right after it starts nothing, B an hour later may not start.
    expect(stateRows(stateDay(), free, coldStarts, ['A@E1:6'])).toEqual([
      'start E1 t6: v6 ≥ 1',
      'start E1 t8: − B@E1:8 + v8 ≥ -1',
      'start E1 t9: B@E1:8 − B@E1:9 + v9 ≥ 0',
    ]);
    expect(stateRows(stateDay(), free, minOffTime, ['A@E1:6'])).toEqual([
      'off E1 t8: v8 ≤ 0',
      'off E1 t9: v8 + v9 ≤ 0',
      'off E1 t10: B@E1:8 + v9 ≤ 1',
    ]);
  });

  it('5. caps the cold starts of a local day, not the runs', () => {
    const rows = stateRows(stateDay({ maxStartsPerDay: 1 }), runs, (m, scope, state) => startsPerDay(m, scope, 'E1', 1, state));
    expect(rows).toEqual(['starts E1 day 0: v6 + v8 + v9 + v10 ≤ 1']);
  });
});
