import { describe, expect, it } from 'vitest';
import { heaterOption } from '../../domain/heating.ts';
import { blockedReason, firstNotBefore, PlanState, type Run } from '../../domain/plan-state.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { handJob, handRequest, problemFromRequest } from '../support/problem.ts';

// The rules of a partial plan, checked run by run (60-min slots, UTC hand tariff).

const E1 = { id: 'E1', name: 'Electric 1', type: 'electric', capacityKw: 100, efficiency: 1 } as const;
const E2 = { ...E1, id: 'E2', name: 'Electric 2' } as const;
type Request = Parameters<typeof handRequest>;

function planOf(...request: Request) {
  const problem = problemFromRequest(handRequest(...request));
  const state = new PlanState(problem);
  return { problem, state, run: (name: string) => runOf(problem, name) };
}

/** `job@heater:start`, at full power. */
function runOf(problem: PlanningProblem, name: string): Run {
  const [, jobId, heaterId, start] = /^(\w+)@(\w+):(\d+)$/.exec(name)!;
  const jobIndex = problem.schedule.jobs.findIndex((j) => j.id === jobId);
  const heater = problem.equipment.find((h) => h.id === heaterId)!;
  const eligibility = heaterOption(problem.schedule.jobs[jobIndex], heater, problem.grid, problem.tariff);
  if (!eligibility.ok) throw new Error(eligibility.reason);
  return { jobIndex, option: eligibility.option, start: Number(start) };
}

const day = (ids: string[], kWh = 200) => ids.map((id) => handJob(id, kWh, '00:00', '23:00'));

describe('PlanState', () => {
  it('keeps one job at a time on a heater, and a gap after a run either none or the min off time', () => {
    const { state, run } = planOf(day(['A', 'B']), [{ ...E1, minOffTimeMinutes: 120 }, E2]);
    state.place(run('A@E1:6')); // 06:00-08:00
    expect(state.conflict(run('B@E1:7'))).toBe('E1 busy');
    expect(state.fits(run('B@E1:8'))).toBe(true); // back to back: the heater stays on
    expect(state.conflict(run('B@E1:9'))).toBe("E1's off time or changeover"); // off 08:00-09:00 only
    expect(state.fits(run('B@E1:10'))).toBe(true);
    expect(state.conflict(run('B@E1:3'))).toBe("E1's off time or changeover"); // ends 05:00, starts again 06:00
    expect(state.fits(run('B@E1:4'))).toBe(true);
    expect(state.fits(run('B@E2:6'))).toBe(true);
  });

  it('holds a heater with hot standby on through a gap shorter than its off time, as one on-block', () => {
    const { state, run } = planOf(day(['A', 'B']), [{ ...E1, minOffTimeMinutes: 120, standbyKw: 5, maxStartsPerDay: 1 }]);
    state.place(run('A@E1:6'));
    expect(state.fits(run('B@E1:9'))).toBe(true);
    state.place(run('B@E1:9'));
    expect(state.blocksOn('E1')).toEqual([{ from: 6, to: 11, standby: [[8, 9]] }]);
    expect(state.startsOn('E1', 0)).toBe(1);
    expect([...state.siteLoad().slice(7, 12)]).toEqual([100, 5, 100, 100, 0]);
    expect(state.stateViolation()).toBeNull();
  });

  it('holds the min run time over the on-block, not per run, and may leave it to later runs when asked pairwise', () => {
    const jobs = ['A', 'B'].map((id) => handJob(id, 100, '00:00', '23:00'));
    const { state, run } = planOf(jobs, [{ ...E1, minRunTimeMinutes: 120 }]);
    expect(state.conflict(run('A@E1:6'))).toBe("E1's min run time");
    expect(state.conflict(run('A@E1:6'), { pairwise: true })).toBeNull();
    state.place(run('A@E1:6'));
    expect(state.stateViolation()).toBe("E1's min run time");
    expect(state.fits(run('B@E1:7'))).toBe(true);
    expect(state.fits(run('B@E1:9'))).toBe(false);
    expect(state.fits(run('B@E1:23'))).toBe(false); // A's block still short; a block at the horizon's end alone would do
  });

  it('applies a changeover in its direction only', () => {
    const jobs = [handJob('A', 100, '00:00', '23:00', { productFamily: 'X' }), handJob('B', 100, '00:00', '23:00', { productFamily: 'Y' })];
    const { state, run } = planOf(jobs, [{ ...E1, changeovers: [{ fromFamily: 'X', toFamily: 'Y', minutes: 120 }] }]);
    state.place(run('A@E1:6')); // X until 07:00: Y not before 09:00; Y may end right when X starts
    expect(state.conflict(run('B@E1:8'))).toBe("E1's off time or changeover");
    expect(state.fits(run('B@E1:9'))).toBe(true);
    expect(state.fits(run('B@E1:5'))).toBe(true);
  });

  it('stacks runs on a heater that allows it, up to its capacity', () => {
    const jobs = ['A', 'B', 'C'].map((id) => handJob(id, 50, '00:00', '23:00', { durationMinutes: 60 }));
    const { state, run } = planOf(jobs, [{ ...E1, id: 'OVEN', allowStacking: true }]);
    state.place(run('A@OVEN:6'));
    state.place(run('B@OVEN:6'));
    expect(state.stackedOn('OVEN', 6)).toBe(100);
    expect(state.conflict(run('C@OVEN:6'))).toBe("OVEN's capacity (stacked jobs)");
    expect(state.fits(run('C@OVEN:7'))).toBe(true);
  });

  it('counts starts per local day', () => {
    const { state, run } = planOf(day(['A', 'B'], 100), [{ ...E1, maxStartsPerDay: 1 }]);
    state.place(run('A@E1:2'));
    expect(state.startsOn('E1', 0)).toBe(1);
    expect(state.conflict(run('B@E1:10'))).toBe("E1's 1 starts per day");
    expect(state.fits(run('B@E1:3'))).toBe(true); // back to back: no second start
    state.place(run('B@E1:3'));
    expect(state.startsOn('E1', 0)).toBe(1);
  });

  it('keeps the site load under the peak limit, with the base load', () => {
    const { state, run } = planOf(day(['A', 'B']), [E1, E2], { peakLimitKw: 150, baseLoadKw: 40 });
    expect(state.load[6]).toBe(40);
    state.place(run('A@E1:6'));
    expect(state.load[6]).toBe(140);
    expect(state.conflict(run('B@E2:7'))).toBe('the peak limit');
    expect(state.fits(run('B@E2:8'))).toBe(true);
  });

  it('keeps precedence with the placed jobs both ways, and a successor out with its predecessor', () => {
    const jobs = [
      handJob('J1', 100, '00:00', '23:00'),
      handJob('J2', 100, '00:00', '23:00', { predecessors: [{ jobId: 'J1', type: 'finish_to_start', lagMinutes: 60 }] }),
    ];
    const { state, run } = planOf(jobs, [E1, E2]);
    state.place(run('J1@E1:6')); // ends 07:00: J2 from 08:00
    expect(state.conflict(run('J2@E2:7'))).toBe('precedence with J1');
    expect(state.fits(run('J2@E2:8'))).toBe(true);
    const other = planOf(jobs, [E1, E2]);
    other.state.place(other.run('J2@E2:8'));
    expect(other.state.conflict(other.run('J1@E1:7'))).toBe('precedence with J2');
    expect(other.state.fits(other.run('J1@E1:6'))).toBe(true);
    const skipped = planOf(jobs, [E1, E2]);
    skipped.state.skip(0);
    expect(skipped.state.conflict(skipped.run('J2@E2:8'))).toBe('predecessor J1 is unscheduled');
  });

  it('takes a run out again exactly as it was put in', () => {
    const { state, run } = planOf(day(['A', 'B']), [{ ...E1, maxStartsPerDay: 2 }, E2], { baseLoadKw: 10 });
    const a = run('A@E1:6');
    state.place(run('B@E2:6'));
    const before = { load: [...state.load], starts: state.startsOn('E1', 0), runs: [...state.runs] };
    state.place(a);
    expect(state.placedOn('E1')).toEqual([a]);
    state.remove(a);
    expect({ load: [...state.load], starts: state.startsOn('E1', 0), runs: [...state.runs] }).toEqual(before);
    expect(state.placedOn('E1')).toEqual([]);
    expect(state.fits(run('A@E1:6'))).toBe(true);
  });

  it('says where to try next past the runs that block a heater, and finds the first start that fits', () => {
    const { state, run } = planOf(day(['A', 'B', 'C']), [{ ...E1, minOffTimeMinutes: 120 }]);
    state.place(run('A@E1:4')); // E1 runs 04:00-06:00
    state.place(run('B@E1:9')); // and 09:00-11:00
    expect(state.nextStartToTry(run('C@E1:3'))).toBe(6); // back to back after A
    expect(state.nextStartToTry(run('C@E1:6'))).toBe(11); // 06:00-08:00 leaves an hour before B: past B
    expect(state.nextStartToTry(run('C@E1:11'))).toBeNull();
    expect(state.nextStartToTry(run('C@E1:7'))).toBe(8); // an hour after A (back to back with B): the off time after A
    const option = run('C@E1:0').option;
    expect(state.firstFit(2, option, [3, 5, 6, 7, 11, 12])).toBe(11);
    expect(state.firstFit(2, option, [0, 1])).toBe(0);
    expect(state.firstFit(2, option, [5, 8])).toBeUndefined();
  });
});

describe('blockedReason', () => {
  it('names the rules that block every run of a job, most frequent first', () => {
    const { state, run } = planOf(day(['A', 'B']), [E1, E2]);
    state.place(run('A@E1:6'));
    const runs = ['B@E2:9', 'B@E1:6', 'B@E1:7'].map(run);
    expect(blockedReason(state, runs)).toBe(
      'every run in its window is blocked by the planned jobs: E1 busy (2 of 3 runs), the rest of the plan (1 of 3 runs)',
    );
  });
});

describe('firstNotBefore', () => {
  it('finds the first index where the predicate turns false, within the range', () => {
    const starts = [1, 3, 3, 5, 8];
    expect(firstNotBefore(0, starts.length, (k) => starts[k] < 3)).toBe(1);
    expect(firstNotBefore(2, starts.length, (k) => starts[k] < 3)).toBe(2);
    expect(firstNotBefore(0, starts.length, (k) => starts[k] < 6)).toBe(4);
    expect(firstNotBefore(0, starts.length, (k) => starts[k] < 9)).toBe(5);
    expect(firstNotBefore(3, 3, () => true)).toBe(3);
  });
});
