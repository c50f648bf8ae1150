import { clipUnavailability, type Equipment } from './equipment.ts';
import type { EarlierRunPeaks } from './billing.ts';
import { demandModel, type DemandModel } from './demand-model.ts';
import { DomainError, ErrorCode } from './errors.ts';
import type { Holiday } from './holidays.ts';
import { seriesEndMs, seriesWithin } from './price-series.ts';
import type { ProductionSchedule } from './schedule.ts';
import type { Settings } from './settings.ts';
import { buildSlotGrid, type SlotGrid } from './slot-grid.ts';
import { classifySlots, fixedChargesFor, periodResolver, tariffCalendar, type SlotTariff, type Tariff } from './tariff.ts';

/** Tariff agent's output: the tariff in force and every slot of the grid classified by it. */
export interface TariffOutput {
  tariff: Tariff;
  grid: SlotGrid;
  slots: SlotTariff[];
  fixedCharges: { name: string; amount: number }[];
  /** Holidays within the horizon (the calendar's and the listed ones), when there are any. */
  holidays?: Holiday[];
  /** Demand as the tariff bills it over the horizon: intervals, charges per billing period, floors. */
  demand: DemandModel;
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
  demand: DemandModel;
  equipment: Equipment[];
}

/**
 * The slot grid of the schedule's horizon, the tariff's rate for every slot and its demand charges
 * with their floors (the billing period's peak so far from the settings or the site's earlier runs).
 */
export function tariffOverHorizon(
  given: Tariff,
  schedule: ProductionSchedule,
  settings: Settings,
  earlierRuns: EarlierRunPeaks[] = [],
): TariffOutput {
  const grid = buildSlotGrid(schedule.scheduleDate, schedule.timeZone, schedule.horizonDays, settings.slotMinutes);
  const tariff = withinHorizon(given, grid);
  const calendar = tariffCalendar(tariff, grid);
  const demand = demandModel(tariff, grid, periodResolver(tariff, calendar), {
    scheduleDate: schedule.scheduleDate,
    billing: settings.billing,
    legacy: { incumbentPeakKw: settings.incumbentPeakKw, demandRatchet: settings.demandRatchet },
    earlierRuns,
  });
  return {
    tariff,
    grid,
    slots: classifySlots(tariff, grid, calendar),
    fixedCharges: fixedChargesFor(tariff, grid),
    ...(calendar.holidays.length ? { holidays: calendar.holidays } : {}),
    demand,
  };
}

/** The tariff with its price series cut to the horizon; a series that does not cover the horizon is an E006. */
function withinHorizon(tariff: Tariff, grid: SlotGrid): Tariff {
  const series = tariff.priceSeries;
  if (!series) return tariff;
  const from = Date.parse(grid.startUtc);
  const to = Date.parse(grid.endUtc);
  if (Date.parse(series.start) > from || seriesEndMs(series) < to) {
    throw new DomainError(ErrorCode.TARIFF_NOT_FOUND, 'no prices for the whole horizon', [
      {
        path: 'tariff.priceSeries',
        message: `covers ${series.start} to ${new Date(seriesEndMs(series)).toISOString()}, the horizon runs from ${grid.startUtc} to ${grid.endUtc}`,
      },
    ]);
  }
  return { ...tariff, priceSeries: seriesWithin(series, from, to) };
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
    demand: tariff.demand,
    equipment: equipment.equipment,
  };
}
