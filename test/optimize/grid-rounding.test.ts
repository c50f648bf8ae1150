import { describe, expect, it } from 'vitest';
import { buildMilp } from '../../activities/optimize/milp.ts';
import { solvePlan } from '../../activities/optimize/solve.ts';
import { gridRoundings } from '../../domain/grid-rounding.ts';
import { DomainError } from '../../domain/errors.ts';
import { planViolations } from '../support/plan-check.ts';
import { byWork, handJob, handRequest, problemFromRequest } from '../support/problem.ts';

const E1 = { id: 'E1', name: 'Electric 1', type: 'electric', capacityKw: 100, efficiency: 1 } as const;
const quarterHours = { slotMinutes: 15 } as const;

describe('times off the slot grid', () => {
  it('are listed per job with what the model made of them (never looser), and jobs on the grid not at all', () => {
    const jobs = [
      handJob('ON', 50, '06:00', '08:00'),
      handJob('OFF', 50, '06:10', '23:18', {
        durationMinutes: 20,
        predecessors: [{ jobId: 'ON', type: 'finish_to_start', lagMinutes: 5 }],
      }),
    ];
    const roundings = gridRoundings(problemFromRequest(handRequest(jobs, [E1], quarterHours)));
    expect([...roundings]).toEqual([
      [1, ['earliest start 06:10 → 06:15', 'deadline 23:18 → 23:15', 'runs 20 min → 30 min', 'lag after ON 5 min → 15 min']],
    ]);
  });

  it("name the rounding in the plan's notes", async () => {
    const problem = problemFromRequest(handRequest([handJob('A', 50, '06:10', '08:00')], [E1], quarterHours));
    const plan = await solvePlan(problem, byWork());
    expect(planViolations(problem, plan.assignments, plan.unscheduled)).toEqual([]);
    expect(plan.solver.notes).toContain('times off the 15-min slot grid, rounded never looser: A: earliest start 06:10 → 06:15');
  });

  it('say in the E003 reason when rounding made a job impossible (68 min of window for a 65-min run)', () => {
    // 06:10-07:18 holds 65 minutes; on the grid the window is 06:15-07:15 (60 min) and the run 75 min.
    const job = handJob('TIGHT', 50, '06:10', '07:18', { durationMinutes: 65 });
    const rounding = 'on the 15-min slot grid: earliest start 06:10 → 06:15, deadline 07:18 → 07:15, runs 65 min → 75 min';
    const strict = problemFromRequest(handRequest([job], [E1], { ...quarterHours, allOrNothing: true }));
    expect(() => buildMilp(strict)).toThrow(DomainError);
    expect(() => buildMilp(strict)).toThrow(rounding);
    const { context } = buildMilp(problemFromRequest(handRequest([job], [E1], quarterHours)));
    expect(context.unplaceable).toHaveLength(1);
    expect(context.unplaceable[0].reason).toContain(rounding);
  });
});
