import { DateTime } from 'luxon';
import { heaterOption, runLengths, type HeaterOption } from './heating.ts';
import type { PlanningProblem } from './problem.ts';
import type { Job, PrecedenceType } from './schedule.ts';
import type { Shift } from './settings.ts';
import { boundaryAtOrAfter, boundaryAtOrBefore, slotStartMs, slotsOverlapping, type SlotGrid } from './slot-grid.ts';
import { minutesOfDay } from './time.ts';

interface Placement {
  option: HeaterOption;
  /** Feasible start slots, ascending. */
  starts: number[];
}

export interface JobPlacements {
  job: Job;
  placements: Placement[];
  /** Why each heater that offers no start was left out, by heater id. */
  excluded: Record<string, string>;
}

/** `point(to) ≥ point(from) + lagSlots`, in slot units; point is a run's start or its end. */
export interface PrecedenceEdge {
  from: number;
  to: number;
  fromPoint: 'start' | 'end';
  toPoint: 'start' | 'end';
  lagSlots: number;
}

const POINTS: Record<PrecedenceType, ['start' | 'end', 'start' | 'end']> = {
  finish_to_start: ['end', 'start'],
  start_to_start: ['start', 'start'],
  finish_to_finish: ['end', 'end'],
  start_to_finish: ['start', 'end'],
};

/** The schedule's precedence relations by job index; lags rounded up to whole slots (never looser). */
export function precedenceEdges(jobs: Job[], slotMinutes: number): PrecedenceEdge[] {
  const index = new Map(jobs.map((j, i) => [j.id, i]));
  return jobs.flatMap((job, to) =>
    job.predecessors.map((p) => {
      const [fromPoint, toPoint] = POINTS[p.type];
      return { from: index.get(p.jobId)!, to, fromPoint, toPoint, lagSlots: Math.ceil(p.lagMinutes / slotMinutes - 1e-9) };
    }),
  );
}

export const pointOf = (point: 'start' | 'end', start: number, durationSlots: number) =>
  point === 'start' ? start : start + durationSlots;

/** Whether a job may start in each slot: the slot's local start lies in a staffed shift (all true without shifts). */
function staffedStarts(grid: SlotGrid, shifts: Shift[] | undefined): boolean[] {
  if (!shifts) return new Array<boolean>(grid.slotCount).fill(true);
  return Array.from({ length: grid.slotCount }, (_, t) => {
    const local = DateTime.fromMillis(slotStartMs(grid, t), { zone: grid.timeZone });
    const minute = local.hour * 60 + local.minute;
    const dayBefore = local.minus({ days: 1 }).weekday;
    return shifts.some((s) => {
      const from = minutesOfDay(s.from);
      const to = minutesOfDay(s.to);
      const on = (weekday: number) => !s.weekdays || s.weekdays.includes(weekday);
      if (from < to) return on(local.weekday) && minute >= from && minute < to;
      // Past midnight (or round the clock when from = to): the early part belongs to the day before.
      return (on(local.weekday) && minute >= from) || (on(dayBefore) && minute < to);
    });
  });
}

/** Local day index (0 = schedule date) of each slot, for per-day limits. */
export function slotDays(grid: SlotGrid): number[] {
  const first = DateTime.fromISO(grid.startUtc, { zone: grid.timeZone }).startOf('day');
  return Array.from({ length: grid.slotCount }, (_, t) =>
    Math.floor(DateTime.fromMillis(slotStartMs(grid, t), { zone: grid.timeZone }).startOf('day').diff(first, 'days').days + 1e-9),
  );
}

/**
 * Every (heater, start) a job may take: the heater can run it (`heaterOption`), the run lies in the
 * job's window (to the horizon's end when deadlines are soft) and before `latestEnd`, misses the
 * heater's unavailability, starts in a staffed shift, matches the job's lock, and leaves room for
 * its predecessors and successors. Heaters that offer no start carry the reason.
 */
export function jobPlacements(problem: PlanningProblem, { latestEnd }: { latestEnd?: number } = {}): JobPlacements[] {
  const { grid, settings, equipment, tariff } = problem;
  const jobs = problem.schedule.jobs;
  const blocked = new Map(equipment.map((h) => [h.id, slotsOverlapping(grid, h.unavailability)]));
  const staffed = staffedStarts(grid, settings.staffedShifts);
  const softDeadlines = settings.objective === 'minimize_tardiness';
  const result = jobs.map((job) => {
    const placements: Placement[] = [];
    const excluded: Record<string, string> = {};
    const first = Math.max(0, boundaryAtOrAfter(grid, job.earliestStart));
    const windowEnd = Math.min(
      grid.slotCount,
      latestEnd ?? Infinity,
      softDeadlines ? grid.slotCount : boundaryAtOrBefore(grid, job.deadline),
    );
    const lockSlot = job.lock ? (Date.parse(job.lock.start) - Date.parse(grid.startUtc)) / (grid.slotMinutes * 60_000) : undefined;
    for (const heater of equipment) {
      if (job.lock && job.lock.equipmentId !== heater.id) {
        excluded[heater.id] = `the job is locked to ${job.lock.equipmentId}`;
        continue;
      }
      const busy = blocked.get(heater.id)!;
      let freeRun = 0;
      const freeRunEndingAt = busy.map((b) => (freeRun = b ? 0 : freeRun + 1));
      let reason = '';
      for (const length of runLengths(job, heater, grid)) {
        const eligibility = heaterOption(job, heater, grid, tariff, length);
        if (!eligibility.ok) {
          reason ||= eligibility.reason;
          continue;
        }
        const { option } = eligibility;
        const starts: number[] = [];
        for (let s = first; s + option.durationSlots <= windowEnd; s++) {
          if (staffed[s] && freeRunEndingAt[s + option.durationSlots - 1] >= option.durationSlots) starts.push(s);
        }
        const minutes = option.durationSlots * grid.slotMinutes;
        if (lockSlot !== undefined) {
          if (!Number.isInteger(Math.round(lockSlot * 1e6) / 1e6))
            reason ||= `the lock's start ${job.lock!.start} is not on the ${grid.slotMinutes}-min slot grid`;
          else if (!starts.includes(Math.round(lockSlot)))
            reason ||= `the lock's start ${job.lock!.start} leaves no ${minutes}-min run inside the job's window, the heater's availability and the staffed shifts`;
          else placements.push({ option, starts: [Math.round(lockSlot)] });
          continue;
        }
        if (starts.length) placements.push({ option, starts });
        else
          reason ||= `no free ${minutes}-min window between earliestStart and ${softDeadlines ? 'the horizon end' : 'deadline'}${settings.staffedShifts ? ' starting in a staffed shift' : ''}`;
      }
      if (!placements.some((p) => p.option.equipmentId === heater.id)) excluded[heater.id] = reason;
    }
    return { job, placements, excluded };
  });
  tightenByPrecedence(result, precedenceEdges(jobs, grid.slotMinutes));
  return result;
}

/**
 * Drops starts that no plan can use because a predecessor cannot be done early enough or a
 * successor late enough (bounds propagated to a fixed point over the precedence graph).
 */
function tightenByPrecedence(all: JobPlacements[], edges: PrecedenceEdge[]): void {
  if (!edges.length) return;
  const extreme = (jp: JobPlacements, point: 'start' | 'end', pick: 'min' | 'max') => {
    let v = pick === 'min' ? Infinity : -Infinity;
    for (const { option, starts } of jp.placements) {
      if (!starts.length) continue;
      const s = pick === 'min' ? starts[0] : starts[starts.length - 1];
      const p = pointOf(point, s, option.durationSlots);
      v = pick === 'min' ? Math.min(v, p) : Math.max(v, p);
    }
    return v;
  };
  const keep = (jp: JobPlacements, ok: (start: number, duration: number) => boolean, why: string) => {
    let changed = false;
    jp.placements = jp.placements.filter((p) => {
      const before = p.starts.length;
      p.starts = p.starts.filter((s) => ok(s, p.option.durationSlots));
      changed ||= p.starts.length !== before;
      if (!p.starts.length) jp.excluded[p.option.equipmentId] = why;
      return p.starts.length > 0;
    });
    return changed;
  };
  // Forward in topological order, backward in reverse; repeat until nothing changes.
  const rank = new Map(topologicalOrder(all.length, edges, (a, b) => a - b).map((job, r) => [job, r]));
  const forward = [...edges].sort((a, b) => rank.get(a.from)! - rank.get(b.from)!);
  const backward = [...edges].sort((a, b) => rank.get(b.to)! - rank.get(a.to)!);
  for (let pass = 0, changed = true; changed && pass < 20; pass++) {
    changed = false;
    for (const e of forward) {
      const earliest = extreme(all[e.from], e.fromPoint, 'min') + e.lagSlots;
      changed =
        keep(
          all[e.to],
          (s, d) => pointOf(e.toPoint, s, d) >= earliest,
          `no start left after predecessor ${all[e.from].job.id} (${describe(e)})`,
        ) || changed;
    }
    for (const e of backward) {
      if (!all[e.to].placements.length) continue; // an unplaceable successor leaves its predecessors free (partial plans)
      const latest = extreme(all[e.to], e.toPoint, 'max') - e.lagSlots;
      changed =
        keep(
          all[e.from],
          (s, d) => pointOf(e.fromPoint, s, d) <= latest,
          `no start left before successor ${all[e.to].job.id} (${describe(e)})`,
        ) || changed;
    }
  }
}

/** Jobs ordered so that every predecessor comes before its successors; ties by `compare`. */
export function topologicalOrder(jobCount: number, edges: PrecedenceEdge[], compare: (a: number, b: number) => number): number[] {
  const indegree = new Array<number>(jobCount).fill(0);
  const next: number[][] = Array.from({ length: jobCount }, () => []);
  for (const e of edges) {
    indegree[e.to]++;
    next[e.from].push(e.to);
  }
  const ready = [...indegree.keys()].filter((j) => indegree[j] === 0);
  const order: number[] = [];
  while (ready.length) {
    ready.sort(compare);
    const j = ready.shift()!;
    order.push(j);
    for (const k of next[j]) if (--indegree[k] === 0) ready.push(k);
  }
  return order; // cycles are rejected at intake
}

const describe = (e: PrecedenceEdge) => `${e.fromPoint}-to-${e.toPoint}, lag ${e.lagSlots} slots`;
