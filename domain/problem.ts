import { clipUnavailability, type Equipment } from './equipment.ts';
import type { ProductionSchedule } from './schedule.ts';
import type { Settings } from './settings.ts';
import { buildSlotGrid, type SlotGrid } from './slot-grid.ts';
import { classifySlots, fixedChargesFor, type SlotTariff, type Tariff } from './tariff.ts';

/** Tariff agent's output: the tariff in force and every slot of the grid classified by it. */
export interface TariffOutput {
  tariff: Tariff;
  grid: SlotGrid;
  slots: SlotTariff[];
  fixedCharges: { name: string; amount: number }[];
}

/** Equipment agent's output: the site's heaters with unavailability clipped to the horizon. */
export interface EquipmentOutput {
  equipment: Equipment[];
}

/** Everything the optimiser and the cost calculator need, assembled from the step outputs. */
export interface PlanningProblem {
  schedule: ProductionSchedule;
  settings: Settings;
  tariff: Tariff;
  grid: SlotGrid;
  slots: SlotTariff[];
  fixedCharges: { name: string; amount: number }[];
  equipment: Equipment[];
}

/** The slot grid of the schedule's horizon and the tariff's rate for every slot. */
export function tariffOverHorizon(tariff: Tariff, schedule: ProductionSchedule, settings: Settings): TariffOutput {
  const grid = buildSlotGrid(schedule.scheduleDate, schedule.timeZone, schedule.horizonDays, settings.slotMinutes);
  return { tariff, grid, slots: classifySlots(tariff, grid), fixedCharges: fixedChargesFor(tariff, grid) };
}

/** Heaters with their unavailability clipped to the grid, in id order. */
export function heatersOverHorizon(equipment: Equipment[], grid: SlotGrid): EquipmentOutput {
  return { equipment: equipment.map((e) => clipUnavailability(e, grid.startUtc, grid.endUtc)).sort((a, b) => a.id.localeCompare(b.id)) };
}

/** The planning problem from the intake, tariff and equipment steps' outputs. */
export function assembleProblem(
  intake: { schedule: ProductionSchedule; settings: Settings },
  tariff: TariffOutput,
  equipment: EquipmentOutput,
): PlanningProblem {
  return {
    schedule: intake.schedule,
    settings: intake.settings,
    tariff: tariff.tariff,
    grid: tariff.grid,
    slots: tariff.slots,
    fixedCharges: tariff.fixedCharges,
    equipment: equipment.equipment,
  };
}
