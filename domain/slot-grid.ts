import { DateTime } from 'luxon';

/**
 * The run's time axis: equal slots from local midnight of the schedule date for `horizonDays`
 * local days. Slots are counted in real (UTC) time, so a DST day simply has 92 or 100 slots.
 */
export interface SlotGrid {
  startUtc: string;
  endUtc: string;
  slotMinutes: number;
  slotCount: number;
  timeZone: string;
}

export function buildSlotGrid(scheduleDate: string, timeZone: string, horizonDays: number, slotMinutes: number): SlotGrid {
  const start = DateTime.fromISO(scheduleDate, { zone: timeZone }).startOf('day');
  const end = start.plus({ days: horizonDays }).startOf('day');
  const slotCount = Math.floor(end.diff(start, 'minutes').minutes / slotMinutes);
  return {
    startUtc: start.toUTC().toISO()!,
    endUtc: end.toUTC().toISO()!,
    slotMinutes,
    slotCount,
    timeZone,
  };
}

const MINUTE_MS = 60_000;

export function slotStartMs(grid: SlotGrid, slot: number): number {
  return Date.parse(grid.startUtc) + slot * grid.slotMinutes * MINUTE_MS;
}

export function slotIso(grid: SlotGrid, slot: number): string {
  return new Date(slotStartMs(grid, slot)).toISOString();
}

/** Index of the first slot boundary at or after the instant (a job may start there). */
export function boundaryAtOrAfter(grid: SlotGrid, iso: string): number {
  const offset = (Date.parse(iso) - Date.parse(grid.startUtc)) / (grid.slotMinutes * MINUTE_MS);
  return Math.ceil(offset - 1e-9);
}

/** Index of the last slot boundary at or before the instant (a job must end by there). */
export function boundaryAtOrBefore(grid: SlotGrid, iso: string): number {
  const offset = (Date.parse(iso) - Date.parse(grid.startUtc)) / (grid.slotMinutes * MINUTE_MS);
  return Math.floor(offset + 1e-9);
}

/** Marks every slot that overlaps one of the [start, end) windows. */
export function slotsOverlapping(grid: SlotGrid, windows: { start: string; end: string }[]): boolean[] {
  const blocked = new Array<boolean>(grid.slotCount).fill(false);
  for (const w of windows) {
    const from = Math.max(0, Math.floor((Date.parse(w.start) - Date.parse(grid.startUtc)) / (grid.slotMinutes * MINUTE_MS) + 1e-9));
    const to = Math.min(grid.slotCount, boundaryAtOrAfter(grid, w.end));
    for (let s = from; s < to; s++) blocked[s] = true;
  }
  return blocked;
}
