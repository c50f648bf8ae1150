import type { Equipment } from './equipment.ts';
import type { ProductionSchedule } from './schedule.ts';
import type { Settings } from './settings.ts';
import type { SlotGrid } from './slot-grid.ts';
import type { SlotTariff, Tariff } from './tariff.ts';

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
