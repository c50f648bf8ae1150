import { DateTime } from 'luxon';
import type { PlanningProblem } from './problem.ts';
import { boundaryAtOrAfter, boundaryAtOrBefore, slotStartMs, type SlotGrid } from './slot-grid.ts';

/** Most roundings a plan's note names one by one; the rest are counted. */
const NOTE_MAX = 10;

/** Local HH:MM of a slot boundary (with the date when it is not the schedule date). */
function boundaryText(grid: SlotGrid, slot: number, scheduleDate: string): string {
  const local = DateTime.fromMillis(slotStartMs(grid, slot), { zone: grid.timeZone });
  const date = local.toISODate();
  return date === scheduleDate ? local.toFormat('HH:mm') : local.toFormat("yyyy-MM-dd' 'HH:mm");
}

function instantText(grid: SlotGrid, iso: string, scheduleDate: string): string {
  const local = DateTime.fromISO(iso, { zone: grid.timeZone });
  const format = local.toISODate() === scheduleDate ? 'HH:mm' : "yyyy-MM-dd' 'HH:mm";
  return local.second || local.millisecond ? local.toFormat(`${format}:ss`) : local.toFormat(format);
}

/**
 * Every time of a job that does not fall on the slot grid and how the model rounds it (never
 * looser): the earliest start up, the deadline down (unless deadlines are soft), a fixed duration
 * and a precedence lag up to whole slots. By job index; jobs on the grid are absent.
 */
export function gridRoundings(problem: PlanningProblem): Map<number, string[]> {
  const { grid, settings } = problem;
  const date = problem.schedule.scheduleDate;
  const slot = grid.slotMinutes;
  const offGrid = (minutes: number) => Math.abs(minutes / slot - Math.round(minutes / slot)) > 1e-9;
  const out = new Map<number, string[]>();
  problem.schedule.jobs.forEach((job, j) => {
    const notes: string[] = [];
    const first = boundaryAtOrAfter(grid, job.earliestStart);
    if (slotStartMs(grid, first) !== Date.parse(job.earliestStart))
      notes.push(`earliest start ${instantText(grid, job.earliestStart, date)} → ${boundaryText(grid, first, date)}`);
    const last = boundaryAtOrBefore(grid, job.deadline);
    if (settings.objective !== 'minimize_tardiness' && slotStartMs(grid, last) !== Date.parse(job.deadline))
      notes.push(`deadline ${instantText(grid, job.deadline, date)} → ${boundaryText(grid, last, date)}`);
    if (job.durationMinutes !== undefined && offGrid(job.durationMinutes))
      notes.push(`runs ${job.durationMinutes} min → ${Math.ceil(job.durationMinutes / slot - 1e-9) * slot} min`);
    for (const p of job.predecessors)
      if (offGrid(p.lagMinutes))
        notes.push(`lag after ${p.jobId} ${p.lagMinutes} min → ${Math.ceil(p.lagMinutes / slot - 1e-9) * slot} min`);
    if (notes.length) out.set(j, notes);
  });
  return out;
}

/** What a job's rounding did, for the reason it cannot be placed: empty when it is on the grid. */
export function roundingReason(problem: PlanningProblem, roundings: Map<number, string[]>, job: number): string {
  const notes = roundings.get(job);
  return notes ? `; on the ${problem.grid.slotMinutes}-min slot grid: ${notes.join(', ')}` : '';
}

/** The plan's note naming the roundings (the first NOTE_MAX jobs, then how many more), or null. */
export function roundingNote(problem: PlanningProblem, roundings: Map<number, string[]>): string | null {
  if (!roundings.size) return null;
  const named = [...roundings].slice(0, NOTE_MAX).map(([j, notes]) => `${problem.schedule.jobs[j].id}: ${notes.join(', ')}`);
  const more = roundings.size > NOTE_MAX ? `; and ${roundings.size - NOTE_MAX} more jobs` : '';
  return `times off the ${problem.grid.slotMinutes}-min slot grid, rounded never looser: ${named.join('; ')}${more}`;
}
