import { describe, expect, it } from 'vitest';
import { costStatement } from '../../activities/cost/statement.ts';
import { fifoBaseline } from '../../domain/baseline.ts';
import { handJob } from '../support/problem.ts';
import { handProblem } from './heaters.ts';

describe('FIFO baseline', () => {
  it('runs jobs by earliest start, each as early as possible on the first free eligible heater', () => {
    const { assignments, unscheduled } = fifoBaseline(handProblem());
    expect(unscheduled).toEqual([]);
    expect(assignments.map((a) => [a.jobId, a.equipmentId, a.startSlot, a.endSlot])).toEqual([
      ['J1', 'E1', 6, 8], // E1 and G1 can both start at 06:00; registry order picks E1
      ['J2', 'E1', 14, 15],
    ]);
  });

  it('serves priority before earliest start and waits for a busy heater', () => {
    const problem = handProblem([
      handJob('Q', 300, '06:00', '12:00', { priority: 3, allowedEquipment: ['E1'] }),
      handJob('P', 100, '08:00', '12:00', { priority: 1, allowedEquipment: ['E1'] }),
    ]);
    const { assignments } = fifoBaseline(problem);
    expect(assignments.map((a) => [a.jobId, a.startSlot, a.endSlot])).toEqual([
      ['P', 8, 9],
      ['Q', 9, 12], // 06:00-09:00 would overlap P at 08:00
    ]);
  });

  it('lists a job it cannot place, with the reason, instead of dropping it', () => {
    const problem = handProblem([
      handJob('A', 200, '06:00', '08:00', { allowedEquipment: ['E1'] }),
      handJob('B', 200, '06:00', '08:00', { allowedEquipment: ['E1'] }),
    ]);
    const { assignments, unscheduled } = fifoBaseline(problem);
    expect(assignments.map((a) => a.jobId)).toEqual(['A']);
    expect(unscheduled).toEqual([
      {
        jobId: 'B',
        reason: "G1: not in the job's allowedEquipment; every run in its window is blocked by the planned jobs: E1 busy (1 of 1 runs)",
      },
    ]);
  });
});

describe('like for like', () => {
  it('leaves a job the optimised plan could not place out of the baseline too', () => {
    const problem = handProblem();
    const [j1] = fifoBaseline(problem).assignments;
    const statement = costStatement(problem, { assignments: [j1], unscheduled: [{ jobId: 'J2', reason: 'test' }] });
    expect(statement.excludedFromBoth).toEqual(['J2']);
    expect(statement.baselineAssignments.map((a) => a.jobId)).toEqual(['J1']);
    expect(statement.savings.amount).toBe('0'); // the same plan for J1 on both sides
  });
});
