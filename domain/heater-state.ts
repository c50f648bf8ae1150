import type { Equipment } from './equipment.ts';

/**
 * A heater's on/off state over the slot grid, derived from its runs (MODEL.md, "Heater state"):
 * runs that follow each other with no gap, or with a gap shorter than the min off time, form one
 * on-block (the heater stays on; a gap is hot standby at `standbyKw`, forbidden without it); a gap
 * of the min off time or more turns the heater off, and the next run is a cold start. The state is
 * a function of the runs, so a plan's assignments are enough to price and check it.
 */
export interface OnBlock {
  /** First slot on (a cold start) and the slot boundary where the heater goes off. */
  from: number;
  to: number;
  /** Idle slots inside the block: [from, to) gaps held hot. */
  standby: [number, number][];
}

/** The operating rules the state obeys, in slots. */
export interface StateRules {
  offSlots: number;
  minUpSlots: number;
  /** Hot standby allowed (`standbyKw` set). */
  standby: boolean;
  maxStartsPerDay?: number;
}

/**
 * Whether the heater's starts come from a modelled on/off state: a heater that runs one job at a
 * time and has anything that depends on it (start-up energy, a start cap, min off or min run time,
 * hot standby). Stacking heaters keep one cold start per run.
 */
export const hasHeaterState = (h: Equipment) =>
  !h.allowStacking &&
  (h.startupEnergyKwh > 0 ||
    h.maxStartsPerDay !== undefined ||
    h.minOffTimeMinutes > 0 ||
    h.minRunTimeMinutes > 0 ||
    h.standbyKw !== undefined);

export function stateRules(heater: Equipment, slotMinutes: number): StateRules {
  const slots = (minutes: number) => Math.ceil(minutes / slotMinutes - 1e-9);
  return {
    offSlots: slots(heater.minOffTimeMinutes),
    minUpSlots: slots(heater.minRunTimeMinutes),
    standby: heater.standbyKw !== undefined,
    maxStartsPerDay: heater.maxStartsPerDay,
  };
}

/** Whether the heater stays on through a gap of `gap` slots between runs: back to back (no gap) always, else below the off time. */
const staysOn = (gap: number, offSlots: number) => gap <= 0 || gap < offSlots;

/** What each run (in the given order) does to its heater's state: a cold start, or the gap held hot before it (null when none). */
export interface RunState {
  coldStart: boolean;
  standby: [number, number] | null;
}

/** Per run `[start, end)` of one heater (any order, no overlaps), whether it starts the heater cold and the standby gap before it. */
export function runStates(runs: readonly (readonly [number, number])[], rules: Pick<StateRules, 'offSlots'>): RunState[] {
  const order = [...runs.keys()].sort((a, b) => runs[a][0] - runs[b][0]);
  const states: RunState[] = runs.map(() => ({ coldStart: true, standby: null }));
  let lastEnd = -Infinity;
  for (const i of order) {
    const [start, end] = runs[i];
    if (staysOn(start - lastEnd, rules.offSlots)) states[i] = { coldStart: false, standby: start > lastEnd ? [lastEnd, start] : null };
    lastEnd = Math.max(lastEnd, end);
  }
  return states;
}

/** The on-blocks of runs `[start, end)` that do not overlap (any order). */
export function onBlocks(runs: readonly (readonly [number, number])[], rules: Pick<StateRules, 'offSlots'>): OnBlock[] {
  const sorted = [...runs].sort((a, b) => a[0] - b[0]);
  const blocks: OnBlock[] = [];
  for (const [start, end] of sorted) {
    const last = blocks.at(-1);
    if (last && staysOn(start - last.to, rules.offSlots)) {
      if (start > last.to) last.standby.push([last.to, start]);
      last.to = Math.max(last.to, end);
    } else blocks.push({ from: start, to: end, standby: [] });
  }
  return blocks;
}

/**
 * The first state rule the blocks break, or null: a gap shorter than the min off time without hot
 * standby, a block shorter than the min run time (unless it reaches the horizon's end, past which
 * the heater may stay on), more starts in a local day than allowed.
 */
export function stateViolation(heaterId: string, blocks: OnBlock[], rules: StateRules, slotDay: readonly number[]): string | null {
  for (const b of blocks) {
    if (!rules.standby && b.standby.length) return `${heaterId}'s off time (no hot standby)`;
    if (b.to - b.from < rules.minUpSlots && b.to < slotDay.length) return `${heaterId}'s min run time`;
  }
  if (rules.maxStartsPerDay !== undefined) {
    const perDay = startsPerDay(blocks, slotDay);
    if ([...perDay.values()].some((n) => n > rules.maxStartsPerDay!)) return `${heaterId}'s ${rules.maxStartsPerDay} starts per day`;
  }
  return null;
}

/** Cold starts per local day index. */
export function startsPerDay(blocks: OnBlock[], slotDay: readonly number[]): Map<number, number> {
  const perDay = new Map<number, number>();
  for (const b of blocks) perDay.set(slotDay[b.from], (perDay.get(slotDay[b.from]) ?? 0) + 1);
  return perDay;
}

/** Per heater id, the runs of a plan as slot spans. */
export function spansByHeater<R extends { equipmentId: string; startSlot: number; endSlot: number }>(runs: readonly R[]) {
  const spans = new Map<string, [number, number][]>();
  for (const r of runs) spans.set(r.equipmentId, [...(spans.get(r.equipmentId) ?? []), [r.startSlot, r.endSlot]]);
  return spans;
}
