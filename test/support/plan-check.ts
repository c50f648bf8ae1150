import { DateTime } from 'luxon';
import { heaterOption } from '../../domain/heating.ts';
import type { Equipment } from '../../domain/equipment.ts';
import type { Assignment, UnscheduledJob } from '../../domain/plan.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { minutesOfDay } from '../../domain/time.ts';

const MIN = 60_000;

/**
 * Every rule a plan must keep, checked from the instants of the assignments, independently of the
 * solver's slot arithmetic: each job placed once (or reported unscheduled), eligibility, window,
 * availability, one job per heater (capacity when stacking), changeovers, the heater's on/off state
 * (off time, hot standby, min run time, starts per day), staffed shifts, locks, precedence, the
 * contractual peak (on the demand intervals' averages, hot standby included).
 */
export function planViolations(problem: PlanningProblem, assignments: Assignment[], unscheduled: UnscheduledJob[] = []): string[] {
  const out: string[] = [];
  const { settings, grid } = problem;
  const jobs = new Map(problem.schedule.jobs.map((j) => [j.id, j]));
  const heaters = new Map(problem.equipment.map((e) => [e.id, e]));
  const byJob = new Map<string, Assignment>();
  for (const a of assignments) {
    if (byJob.has(a.jobId)) out.push(`${a.jobId} twice`);
    byJob.set(a.jobId, a);
  }
  for (const id of jobs.keys()) {
    const listed = unscheduled.some((u) => u.jobId === id);
    if (!byJob.has(id) && !listed) out.push(`${id} missing`);
    if (byJob.has(id) && listed) out.push(`${id} both placed and unscheduled`);
  }
  const ms = (iso: string) => Date.parse(iso);
  for (const a of assignments) {
    const job = jobs.get(a.jobId)!;
    const heater = heaters.get(a.equipmentId)!;
    const eligibility = heaterOption(job, heater, grid, problem.tariff, a.endSlot - a.startSlot);
    if (!eligibility.ok) out.push(`${a.jobId} on ${a.equipmentId}: ${eligibility.reason}`);
    if (ms(a.start) < ms(job.earliestStart)) out.push(`${a.jobId} starts before its earliest start`);
    if (settings.objective !== 'minimize_tardiness' && ms(a.end) > ms(job.deadline)) out.push(`${a.jobId} ends after its deadline`);
    for (const w of heater.unavailability)
      if (ms(a.start) < ms(w.end) && ms(w.start) < ms(a.end)) out.push(`${a.jobId} during ${heater.id} ${w.reason}`);
    if (job.lock && (job.lock.equipmentId !== a.equipmentId || ms(job.lock.start) !== ms(a.start)))
      out.push(`${a.jobId} moved off its lock`);
    if (settings.staffedShifts) {
      const local = DateTime.fromISO(a.start, { zone: grid.timeZone });
      const minute = local.hour * 60 + local.minute;
      const staffed = settings.staffedShifts.some((s) => {
        const [from, to] = [minutesOfDay(s.from), minutesOfDay(s.to)];
        const on = (d: number) => !s.weekdays || s.weekdays.includes(d);
        return from < to
          ? on(local.weekday) && minute >= from && minute < to
          : (on(local.weekday) && minute >= from) || (on(local.minus({ days: 1 }).weekday) && minute < to);
      });
      if (!staffed) out.push(`${a.jobId} starts at ${local.toFormat('HH:mm')}, outside the staffed shifts`);
    }
    for (const p of job.predecessors) {
      const before = byJob.get(p.jobId);
      if (!before) {
        out.push(`${a.jobId} placed without its predecessor ${p.jobId}`);
        continue;
      }
      const from = ms(p.type.startsWith('start') ? before.start : before.end);
      const to = ms(p.type.endsWith('start') ? a.start : a.end);
      if (to < from + p.lagMinutes * MIN) out.push(`${a.jobId} breaks ${p.type} after ${p.jobId} (lag ${p.lagMinutes} min)`);
    }
  }
  for (const heater of problem.equipment) {
    const runs = assignments.filter((a) => a.equipmentId === heater.id).sort((x, y) => ms(x.start) - ms(y.start));
    if (heater.allowStacking) {
      for (const a of runs) {
        const together = runs.filter((b) => ms(b.start) < ms(a.end) && ms(a.start) < ms(b.end) && ms(b.start) <= ms(a.start));
        const kw = together.reduce((s, b) => s + b.thermalKw, 0);
        if (kw > heater.capacityKw + 1e-6) out.push(`${heater.id} stacks ${kw} kW at ${a.start}, over its capacity`);
      }
    } else {
      for (let i = 0; i < runs.length; i++) {
        for (let k = i + 1; k < runs.length; k++) {
          const [x, y] = [runs[i], runs[k]];
          const [fx, fy] = [jobs.get(x.jobId)!.productFamily, jobs.get(y.jobId)!.productFamily];
          const changeover = heater.changeovers.find((c) => c.fromFamily === fx && c.toFamily === fy)?.minutes ?? 0;
          if (ms(y.start) < ms(x.end) + changeover * MIN)
            out.push(`${heater.id}: ${y.jobId} starts ${(ms(y.start) - ms(x.end)) / MIN} min after ${x.jobId}, needs ${changeover}`);
        }
      }
    }
    out.push(...stateViolations(problem, heater, runs));
  }
  if (settings.peakLimitKw !== undefined) {
    // The contractual limit is on the demand intervals' average load (15 or 30 min), written out here from the slots.
    const load = siteLoadBySlot(problem, assignments);
    const width = problem.demand.intervalMinutes * MIN;
    const [first, last] = [Date.parse(grid.startUtc), Date.parse(grid.endUtc)];
    for (let from = first; from < last; from += width) {
      const average = averageOver(problem, load, from, Math.min(from + width, last));
      if (average > settings.peakLimitKw + 1e-6)
        out.push(`load averages ${average} kW over the limit in the interval from ${new Date(from).toISOString()}`);
    }
  }
  return out;
}

/**
 * The heater's on/off state from the run instants: runs closer than the min off time share one
 * on-block (the gap held hot, which needs standbyKw), each block is one cold start, lasts the min
 * run time unless it reaches the horizon's end, and a local day has at most maxStartsPerDay of them.
 * A stacking heater starts once per run.
 */
function stateViolations(problem: PlanningProblem, heater: Equipment, runs: Assignment[]): string[] {
  const out: string[] = [];
  const blocks: { start: number; end: number }[] = [];
  for (const a of runs) {
    const last = blocks.at(-1);
    const gap = last ? Date.parse(a.start) - last.end : Infinity;
    if (!heater.allowStacking && last && (gap === 0 || gap < heater.minOffTimeMinutes * MIN)) {
      if (gap > 0 && heater.standbyKw === undefined)
        out.push(`${heater.id}: ${a.jobId} starts ${gap / MIN} min after the last run, inside the min off time, without standby`);
      last.end = Math.max(last.end, Date.parse(a.end));
    } else blocks.push({ start: Date.parse(a.start), end: Date.parse(a.end) });
  }
  const horizonEnd = Date.parse(problem.grid.endUtc);
  const perDay = new Map<string, number>();
  for (const b of blocks) {
    if (!heater.allowStacking && b.end - b.start < heater.minRunTimeMinutes * MIN && b.end < horizonEnd)
      out.push(`${heater.id} is on ${(b.end - b.start) / MIN} min from ${new Date(b.start).toISOString()}, less than its min run time`);
    const day = DateTime.fromMillis(b.start, { zone: problem.grid.timeZone }).toISODate()!;
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  if (heater.maxStartsPerDay !== undefined)
    for (const [day, n] of perDay)
      if (n > heater.maxStartsPerDay) out.push(`${heater.id} starts ${n} times on ${day}, max ${heater.maxStartsPerDay}`);
  return out;
}

/**
 * What a plan adds to the demand charges, recomputed from the slots' instants: for each charge
 * and billing period of the tariff step (which intervals it bills, its floor and rate), the
 * highest average load over those intervals' spans, billed at its rate above the floor.
 */
export function demandChargeAdded(problem: PlanningProblem, assignments: Assignment[]): number {
  const load = siteLoadBySlot(problem, assignments);
  const { intervals, intervalMinutes, determinants } = problem.demand;
  const last = Date.parse(problem.grid.endUtc);
  const averages = intervals.map((i) => {
    const from = Date.parse(i.startUtc);
    return averageOver(problem, load, from, Math.min(from + intervalMinutes * MIN, last));
  });
  return determinants.reduce((sum, d) => sum + d.rate * Math.max(0, Math.max(...d.intervals.map((k) => averages[k])) - d.floor.floorKw), 0);
}

function siteLoadBySlot(problem: PlanningProblem, assignments: Assignment[]): number[] {
  const load = new Array<number>(problem.grid.slotCount).fill(problem.settings.baseLoadKw);
  for (const a of assignments)
    for (let t = a.startSlot; t < a.endSlot; t++) load[t] += a.electricKwBySlot?.[t - a.startSlot] ?? a.electricKw;
  // Electric hot standby through every gap shorter than the heater's min off time.
  for (const heater of problem.equipment) {
    if (heater.type === 'gas_boiler' || !heater.standbyKw) continue;
    const runs = assignments.filter((a) => a.equipmentId === heater.id).sort((x, y) => x.startSlot - y.startSlot);
    for (let i = 1; i < runs.length; i++) {
      const gapMs = Date.parse(runs[i].start) - Date.parse(runs[i - 1].end);
      if (gapMs > 0 && gapMs < heater.minOffTimeMinutes * MIN)
        for (let t = runs[i - 1].endSlot; t < runs[i].startSlot; t++) load[t] += heater.standbyKw;
    }
  }
  return load;
}

/** The time-weighted average of a per-slot load over [from, to) (epoch ms). */
function averageOver(problem: PlanningProblem, load: number[], from: number, to: number): number {
  const first = Date.parse(problem.grid.startUtc);
  const slotMs = problem.grid.slotMinutes * MIN;
  let energy = 0;
  load.forEach((kw, t) => {
    const overlap = Math.min(to, first + (t + 1) * slotMs) - Math.max(from, first + t * slotMs);
    if (overlap > 0) energy += kw * overlap;
  });
  return energy / (to - from);
}
