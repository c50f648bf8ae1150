import { describe, expect, it } from 'vitest';
import type { Equipment } from '../../domain/equipment.ts';
import {
  diffVersions,
  LockInputSchema,
  lockViolations,
  requestLockProblems,
  withResourceLocks,
  type ScheduleLock,
  type VersionSnapshot,
} from '../../domain/schedule-versions.ts';

const at = (hhmm: string) => `2026-11-24T${hhmm}:00.000Z`;
const place = (equipmentId: string, start: string, end: string) => ({ equipmentId, start: at(start), end: at(end) });
const RUN = '00000000-0000-4000-8000-000000000001';

const v1: VersionSnapshot = {
  version: 1,
  runId: RUN,
  optimizedCost: 674.68,
  peakKw: 265.7,
  jobs: [
    { jobId: 'J-1', placement: place('HTR-001', '06:00', '08:00') },
    { jobId: 'J-2', placement: place('HTR-002', '06:00', '07:00') },
    { jobId: 'J-3', placement: place('HTR-001', '09:00', '10:00') },
    { jobId: 'J-4', placement: null },
    { jobId: 'J-5', placement: place('HTR-003', '12:00', '13:00') },
    { jobId: 'J-6', placement: place('HTR-003', '14:00', '15:00') },
  ],
};
const v2: VersionSnapshot = {
  version: 2,
  runId: RUN,
  optimizedCost: 700.1,
  peakKw: 240.2,
  jobs: [
    { jobId: 'J-1', placement: place('HTR-001', '06:00', '08:00') },
    { jobId: 'J-2', placement: place('HTR-001', '08:15', '09:15') },
    { jobId: 'J-3', placement: null },
    { jobId: 'J-4', placement: place('HTR-002', '10:00', '11:30') },
    { jobId: 'J-6', placement: place('HTR-003', '14:30', '15:30') },
    { jobId: 'J-7', placement: place('HTR-002', '16:00', '17:00') },
  ],
};

describe('diff of two schedule versions', () => {
  it('names each job’s change with its heater and minute shifts, and the cost and peak deltas', () => {
    const diff = diffVersions(v1, v2);
    const byJob = Object.fromEntries(diff.jobs.map((j) => [j.jobId, j]));
    expect(diff.counts).toEqual({ unchanged: 1, moved: 2, added: 1, removed: 1, unscheduled: 1, scheduled: 1 });
    expect(byJob['J-1']).toMatchObject({ change: 'unchanged', heaterChanged: false, startShiftMinutes: 0, endShiftMinutes: 0 });
    expect(byJob['J-2']).toMatchObject({ change: 'moved', heaterChanged: true, startShiftMinutes: 135, endShiftMinutes: 135 });
    expect(byJob['J-6']).toMatchObject({ change: 'moved', heaterChanged: false, startShiftMinutes: 30, endShiftMinutes: 30 });
    expect(byJob['J-3']).toMatchObject({ change: 'unscheduled', to: null, startShiftMinutes: null });
    expect(byJob['J-4']).toMatchObject({ change: 'scheduled', from: null, to: place('HTR-002', '10:00', '11:30') });
    expect(byJob['J-5']).toMatchObject({ change: 'removed', from: place('HTR-003', '12:00', '13:00'), to: null });
    expect(byJob['J-7']).toMatchObject({ change: 'added', from: null });
    expect(diff.costDelta).toBe(25.42);
    expect(diff.peakDeltaKw).toBe(-25.5);
    expect(diff.jobs.map((j) => j.jobId)).toEqual(['J-1', 'J-2', 'J-3', 'J-4', 'J-5', 'J-6', 'J-7']);
  });

  it('a version against itself changes nothing; a missing figure gives a null delta', () => {
    const same = diffVersions(v1, { ...v1, peakKw: null });
    expect(same.counts.unchanged).toBe(6);
    expect(same.costDelta).toBe(0);
    expect(same.peakDeltaKw).toBeNull();
  });
});

const eventLock: ScheduleLock = { lockId: 'L-E', kind: 'event', jobId: 'J-1', equipmentId: 'HTR-001', start: at('06:00') };
const heaterLock: ScheduleLock = { lockId: 'L-R', kind: 'resource', equipmentId: 'HTR-002', start: at('09:30'), end: at('10:30') };

describe('locks', () => {
  it('a version that keeps the locked job in place and its jobs out of the locked interval breaks nothing', () => {
    expect(lockViolations(v1.jobs, [eventLock, heaterLock])).toEqual([]);
  });

  it('a moved locked job and a job overlapping a locked heater interval are named with the lock', () => {
    const moved = v2.jobs.map((j) => (j.jobId === 'J-1' ? { ...j, placement: place('HTR-001', '06:15', '08:15') } : j));
    const violations = lockViolations(moved, [eventLock, heaterLock]);
    expect(violations.map((v) => [v.lockId, v.jobId])).toEqual([
      ['L-E', 'J-1'],
      ['L-R', 'J-4'],
    ]);
    expect(violations[0].message).toBe(
      'lock L-E: job J-1 on HTR-001 at 2026-11-24 06:00Z; the plan puts it on HTR-001 at 2026-11-24 06:15Z',
    );
    expect(violations[1].message).toContain('J-4 runs there 2026-11-24 10:00Z-2026-11-24 11:30Z');
    // Touching the interval's end is not overlapping it.
    const touching = [{ jobId: 'J-9', placement: place('HTR-002', '10:30', '11:00') }];
    expect(lockViolations(touching, [heaterLock])).toEqual([]);
    // A locked job the plan leaves out is broken too.
    expect(lockViolations([{ jobId: 'J-1', placement: null }], [eventLock])[0].message).toContain('nowhere (unscheduled)');
  });

  it('a request must carry each event lock as the job’s own pin, and pin nothing into a locked interval', () => {
    const problems = requestLockProblems(
      [{ id: 'J-0' }, { id: 'J-1' }, { id: 'J-2', lock: { equipmentId: 'HTR-002', start: at('10:00') } }],
      [eventLock, heaterLock],
      'body.schedule.jobs',
    );
    expect(problems.map((p) => p.path)).toEqual(['body.schedule.jobs[1].lock', 'body.schedule.jobs[2].lock']);
    expect(problems[0].message).toContain('lock L-E');
    expect(requestLockProblems([{ id: 'J-1', lock: { equipmentId: 'HTR-001', start: at('06:00') } }], [eventLock], 'p')).toEqual([]);
  });

  it('resource locks become the heater’s unavailability, clipped to the horizon', () => {
    const heater = { id: 'HTR-002', unavailability: [] } as unknown as Equipment;
    const other = { id: 'HTR-001', unavailability: [] } as unknown as Equipment;
    const wide: ScheduleLock = { ...heaterLock, start: '2026-11-23T20:00:00.000Z', reason: 'crane work' };
    const [out, untouched] = withResourceLocks([heater, other], [wide, eventLock], {
      startUtc: at('00:00'),
      endUtc: '2026-11-25T00:00:00.000Z',
    });
    expect(out.unavailability).toEqual([
      {
        start: at('00:00'),
        end: at('10:30'),
        reason: 'locked',
        notes: 'lock L-R: HTR-002 from 2026-11-23 20:00Z to 2026-11-24 10:30Z (crane work)',
      },
    ]);
    expect(untouched).toBe(other);
  });

  it('lock input: kind decides the fields; an interval must end after it starts; times come out in UTC', () => {
    expect(
      LockInputSchema.parse({ kind: 'resource', equipmentId: 'H', start: '2026-11-24T08:00:00+01:00', end: '2026-11-24T09:00:00+01:00' }),
    ).toMatchObject({
      start: at('07:00'),
      end: at('08:00'),
    });
    const bad = LockInputSchema.safeParse({ kind: 'resource', equipmentId: 'H', start: at('09:00'), end: at('08:00') });
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['end']);
    expect(LockInputSchema.safeParse({ kind: 'event', equipmentId: 'H', start: at('09:00') }).error?.issues[0].path).toEqual(['jobId']);
  });
});
