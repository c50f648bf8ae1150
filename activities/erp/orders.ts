import { z } from 'zod';
import { readRunRequest, type IntakeRead } from '../intake/registry.ts';

/** Where pulled orders belong and how their fields are named in the ERP. */
export const ErpSiteSchema = z
  .object({
    tenant: z.string().min(1).max(64),
    site: z.string().min(1).max(64),
    timeZone: z.string().min(1).default('UTC'),
    horizonDays: z.number().int().min(1).max(14).default(2),
    /** Canonical job field → the ERP's name for it (`{ "id": "OrderNo", "heatingKwh": "HeatKWh" }`); unnamed fields keep their canonical names. */
    fieldMap: z.record(z.string(), z.string().min(1)).default({}),
  })
  .strict();
export type ErpSite = z.output<typeof ErpSiteSchema>;
export type ErpSiteInput = z.input<typeof ErpSiteSchema>;

const JOB_FIELDS = [
  'id',
  'product',
  'quantity',
  'unit',
  'heatingKwh',
  'maxThermalKw',
  'durationMinutes',
  'earliestStart',
  'deadline',
  'priority',
  'temperatureSetpointC',
  'allowedEquipment',
  'modulating',
  'productFamily',
  'predecessors',
] as const;

/** An order as a canonical job: the mapped fields only (anything else the ERP sends is not ours to guess). */
function toJob(order: Record<string, unknown>, map: Record<string, string>): Record<string, unknown> {
  const job: Record<string, unknown> = {};
  for (const field of JOB_FIELDS) {
    const value = order[map[field] ?? field];
    if (value !== undefined && value !== null) job[field] = value;
  }
  return job;
}

/** The site-local date an instant or a local date-time falls on. */
function localDate(value: unknown, timeZone: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (!/[zZ]|[+-]\d\d:?\d\d$/.test(value)) return /^\d{4}-\d{2}-\d{2}/.exec(value)?.[0];
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return undefined;
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/**
 * The orders as one canonical run request: jobs sorted by id (the ERP's order of pages must not
 * make a new version), the schedule starting on the day of the earliest release. Read through
 * intake's canonical adapter, so bad orders get E001 naming `schedule.jobs[i].field`.
 */
export async function ordersToRequest(orders: Record<string, unknown>[], site: ErpSite, source: string): Promise<IntakeRead> {
  const jobs = orders.map((o) => toJob(o, site.fieldMap)).sort((a, b) => String(a.id).localeCompare(String(b.id)));
  const dates = jobs.map((j) => localDate(j.earliestStart, site.timeZone)).filter((d): d is string => d !== undefined);
  const scheduleDate = dates.sort()[0];
  const request = {
    schedule: {
      tenant: site.tenant,
      site: site.site,
      scheduleDate,
      timeZone: site.timeZone,
      horizonDays: site.horizonDays,
      sourceSystem: 'ERP',
      sourceReference: source,
      jobs,
    },
  };
  return readRunRequest({ bytes: Buffer.from(JSON.stringify(request)) }, { format: 'json' });
}
