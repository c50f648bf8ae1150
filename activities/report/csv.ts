import { stringify } from 'csv-stringify/sync';
import { slotIso } from '../../domain/slot-grid.ts';
import { siteTime, type ReportInput } from './input.ts';
import { runEnergyCost } from './format.ts';
import { runInputKwh } from './xlsx.ts';

/** The plan's assignments as CSV (RFC 4180, exact decimals, times in site time and UTC). */
export function renderAssignmentsCsv({ problem, cost }: ReportInput): string {
  const local = (slot: number) => siteTime(problem, slot, "yyyy-MM-dd'T'HH:mm");
  const jobs = new Map(problem.schedule.jobs.map((j) => [j.id, j]));
  const rows = [...cost.optimized.runs]
    .sort((a, b) => a.startSlot - b.startSlot || a.jobId.localeCompare(b.jobId))
    .map((r) => ({
      job_id: r.jobId,
      product: jobs.get(r.jobId)?.product ?? '',
      equipment_id: r.equipmentId,
      fuel: r.fuel,
      start_local: local(r.startSlot),
      end_local: local(r.endSlot),
      start_utc: slotIso(problem.grid, r.startSlot),
      end_utc: slotIso(problem.grid, r.endSlot),
      heat_kwh: r.heatKwh,
      input_kwh: runInputKwh(r),
      energy_cost: runEnergyCost(r),
      startup_cost: r.startup.cost,
      cost: r.cost,
      currency: cost.currency,
    }));
  const columns = rows.length ? Object.keys(rows[0]) : ['job_id'];
  return stringify(rows, { header: true, columns, record_delimiter: 'windows' });
}
