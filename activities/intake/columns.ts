import { EquipmentTypeSchema, FuelTypeSchema } from '../../domain/equipment.ts';
import { PrecedenceTypeSchema } from '../../domain/schedule.ts';
import { ObjectiveSchema } from '../../domain/settings.ts';
import { DemandChargeSchema, RatchetSchema } from '../../domain/demand-charges.ts';
import { DayTypeSchema, PERIOD_CATEGORIES, PeriodCategorySchema } from '../../domain/tariff.ts';
import type { AdapterContext } from './adapters/types.ts';
import type { RequestBuilder } from './adapters/builder.ts';
import { readKeyValues, takeDateFormat, type FieldSpec, type KeyValue } from './table.ts';
import type { SlashDateOrder } from './values.ts';

/**
 * The columns and keys of the table formats (CSV, the XLSX template). Labels are what the
 * template writes; headers match them or an alias whatever their case, spaces and punctuation,
 * and quantities may name their unit (`Heating (MWh)`).
 */

/** Keys of the schedule header (XLSX sheet "Schedule", `# key: value` lines before a CSV header). */
export const SCHEDULE_KEYS: FieldSpec[] = [
  { key: ['tenant'], label: 'tenant', aliases: ['tenant_id', 'company'], kind: 'text' },
  { key: ['site'], label: 'site', aliases: ['plant', 'site_id', 'plant_id'], kind: 'text' },
  { key: ['scheduleDate'], label: 'schedule_date', aliases: ['date', 'day'], kind: 'date' },
  { key: ['timeZone'], label: 'time_zone', aliases: ['timezone', 'tz', 'zone'], kind: 'text' },
  { key: ['horizonDays'], label: 'horizon_days', aliases: ['horizon', 'days'], kind: 'number' },
  { key: ['sourceSystem'], label: 'source_system', aliases: ['source'], kind: 'text' },
  { key: ['sourceReference'], label: 'source_reference', aliases: ['reference'], kind: 'text' },
];

/** Not a canonical field: how slash dates are written (`MM/DD/YYYY` or `DD/MM/YYYY`). */
export const DATE_FORMAT_KEY: FieldSpec = { key: [], label: 'date_format', aliases: ['dateformat'], kind: 'text' };

export const JOB_COLUMNS: FieldSpec[] = [
  { key: ['id'], label: 'job_id', aliases: ['id', 'job', 'job_ref', 'order', 'order_id'], kind: 'text', required: true },
  { key: ['product'], label: 'product', aliases: ['product_name', 'product_id', 'description'], kind: 'text', required: true },
  { key: ['quantity'], label: 'quantity', aliases: ['qty'], kind: 'number', required: true },
  { key: ['unit'], label: 'unit', aliases: ['uom'], kind: 'text', required: true },
  {
    key: ['heatingKwh'],
    label: 'heating_kwh',
    aliases: ['heating', 'heating_req', 'heating_requirement', 'heat', 'heat_kwh', 'energy', 'energy_kwh'],
    kind: 'quantity',
    dimension: 'energy',
    required: true,
  },
  {
    key: ['maxThermalKw'],
    label: 'max_thermal_kw',
    aliases: ['max_kw', 'max_power_kw', 'max_thermal'],
    kind: 'quantity',
    dimension: 'power',
  },
  { key: ['durationMinutes'], label: 'duration_minutes', aliases: ['duration', 'duration_min'], kind: 'quantity', dimension: 'duration' },
  {
    key: ['earliestStart'],
    label: 'earliest_start',
    aliases: ['release', 'release_time', 'earliest', 'start', 'not_before'],
    kind: 'instant',
    required: true,
  },
  { key: ['deadline'], label: 'deadline', aliases: ['latest_end', 'due', 'due_date', 'due_by'], kind: 'instant', required: true },
  { key: ['priority'], label: 'priority', aliases: ['prio'], kind: 'number' },
  {
    key: ['temperatureSetpointC'],
    label: 'temperature_setpoint_c',
    aliases: ['setpoint_c', 'temperature_c', 'temperature', 'setpoint'],
    kind: 'quantity',
    dimension: 'temperature',
  },
  { key: ['allowedEquipment'], label: 'allowed_equipment', aliases: ['heaters', 'equipment', 'allowed_heaters'], kind: 'list' },
  { key: ['modulating'], label: 'modulating', kind: 'boolean' },
  { key: ['productFamily'], label: 'product_family', aliases: ['family'], kind: 'text' },
  { key: ['predecessors'], label: 'predecessors', aliases: ['after', 'depends_on', 'predecessor'], kind: 'predecessors' },
  { key: ['lock', 'equipmentId'], label: 'lock_heater', aliases: ['lock_equipment', 'lock_equipment_id'], kind: 'text' },
  { key: ['lock', 'start'], label: 'lock_start', kind: 'instant' },
];

export const HEATER_COLUMNS: FieldSpec[] = [
  { key: ['id'], label: 'heater_id', aliases: ['id', 'heater', 'equipment_id'], kind: 'text', required: true },
  { key: ['name'], label: 'name', aliases: ['heater_name', 'equipment_name'], kind: 'text', required: true },
  {
    key: ['type'],
    label: 'type',
    aliases: ['equipment_type', 'heater_type'],
    kind: 'enum',
    options: EquipmentTypeSchema.options,
    required: true,
  },
  { key: ['capacityKw'], label: 'capacity_kw', aliases: ['capacity', 'rated', 'kw'], kind: 'quantity', dimension: 'power', required: true },
  { key: ['minLoadKw'], label: 'min_load_kw', aliases: ['min_load'], kind: 'quantity', dimension: 'power' },
  { key: ['efficiency'], label: 'efficiency', aliases: ['cop', 'eff'], kind: 'quantity', dimension: 'fraction', required: true },
  { key: ['fuelType'], label: 'fuel_type', aliases: ['fuel'], kind: 'enum', options: FuelTypeSchema.options },
  { key: ['fuelRatePerKwh'], label: 'fuel_rate_per_kwh', aliases: ['fuel_rate', 'fuel_price'], kind: 'number' },
  {
    key: ['minRunTimeMinutes'],
    label: 'min_run_time_minutes',
    aliases: ['min_run_time', 'min_run'],
    kind: 'quantity',
    dimension: 'duration',
  },
  { key: ['maxStartsPerDay'], label: 'max_starts_per_day', aliases: ['max_starts'], kind: 'number' },
  {
    key: ['minOffTimeMinutes'],
    label: 'min_off_time_minutes',
    aliases: ['min_off_time', 'min_off'],
    kind: 'quantity',
    dimension: 'duration',
  },
  { key: ['startupEnergyKwh'], label: 'startup_energy_kwh', aliases: ['startup_energy', 'startup'], kind: 'quantity', dimension: 'energy' },
  { key: ['allowStacking'], label: 'allow_stacking', aliases: ['stacking'], kind: 'boolean' },
  { key: ['location'], label: 'location', kind: 'text' },
  { key: ['active'], label: 'active', kind: 'boolean' },
];

/** Rows naming a heater: its windows of unavailability, its changeovers. */
export const HEATER_REF: FieldSpec = {
  key: [],
  label: 'heater_id',
  aliases: ['id', 'heater', 'equipment_id'],
  kind: 'text',
  required: true,
};

export const WINDOW_COLUMNS: FieldSpec[] = [
  HEATER_REF,
  { key: ['start'], label: 'start', aliases: ['from'], kind: 'instant', required: true },
  { key: ['end'], label: 'end', aliases: ['to', 'until'], kind: 'instant', required: true },
  { key: ['reason'], label: 'reason', kind: 'enum', options: ['maintenance', 'repair', 'offline', 'locked'], required: true },
  { key: ['notes'], label: 'notes', aliases: ['note', 'comment'], kind: 'text' },
];

export const CHANGEOVER_COLUMNS: FieldSpec[] = [
  HEATER_REF,
  { key: ['fromFamily'], label: 'from_family', aliases: ['from'], kind: 'text', required: true },
  { key: ['toFamily'], label: 'to_family', aliases: ['to'], kind: 'text', required: true },
  {
    key: ['minutes'],
    label: 'minutes',
    aliases: ['setup', 'setup_minutes', 'duration'],
    kind: 'quantity',
    dimension: 'duration',
    required: true,
  },
];

export const SETTINGS_KEYS: FieldSpec[] = [
  { key: ['slotMinutes'], label: 'slot_minutes', aliases: ['slot'], kind: 'quantity', dimension: 'duration' },
  { key: ['solverTimeLimitSeconds'], label: 'solver_time_limit_seconds', aliases: ['time_limit_seconds', 'time_limit'], kind: 'number' },
  { key: ['mipGap'], label: 'mip_gap', kind: 'number' },
  { key: ['deterministic'], label: 'deterministic', kind: 'boolean' },
  { key: ['objective'], label: 'objective', kind: 'enum', options: ObjectiveSchema.options },
  { key: ['priorityWeights'], label: 'priority_weights', kind: 'numbers' },
  { key: ['tardinessCostPerHour'], label: 'tardiness_cost_per_hour', kind: 'number' },
  { key: ['allOrNothing'], label: 'all_or_nothing', kind: 'boolean' },
  { key: ['peakLimitKw'], label: 'peak_limit_kw', aliases: ['peak_limit'], kind: 'quantity', dimension: 'power' },
  { key: ['baseLoadKw'], label: 'base_load_kw', aliases: ['base_load'], kind: 'quantity', dimension: 'power' },
  { key: ['staffedShifts'], label: 'staffed_shifts', aliases: ['shifts'], kind: 'shifts' },
];

/** Keys of `settings.billing` (they share the settings sheet): the billing period's metered peak so far. */
export const BILLING_KEYS: FieldSpec[] = [
  { key: ['meteredPeak', 'asOf'], label: 'metered_peak_as_of', aliases: ['metered_as_of', 'peak_as_of'], kind: 'date' },
  {
    key: ['meteredPeak', 'facilityKw'],
    label: 'metered_peak_facility_kw',
    aliases: ['metered_peak_kw', 'metered_facility_kw'],
    kind: 'quantity',
    dimension: 'power',
  },
  ...PERIOD_CATEGORIES.map((category): FieldSpec => ({
    key: ['meteredPeak', 'byCategoryKw', category],
    label: `metered_peak_${category.replace(/-/g, '_')}_kw`,
    kind: 'quantity',
    dimension: 'power',
  })),
];

/** Rows of `settings.billing.pastPeaks` (XLSX sheet "Past peaks"): earlier billing periods' peaks, for the ratchet. */
export const PAST_PEAK_COLUMNS: FieldSpec[] = [
  { key: ['month'], label: 'month', aliases: ['billing_month', 'period'], kind: 'month', required: true },
  { key: ['kw'], label: 'peak_kw', aliases: ['kw', 'peak', 'demand_kw'], kind: 'quantity', dimension: 'power', required: true },
];

/** Top-level keys that share the settings sheet. */
export const NOTIFY_KEY: FieldSpec = { key: [], label: 'notify_email', aliases: ['email', 'notify'], kind: 'list' };

export const TARIFF_KEYS: FieldSpec[] = [
  { key: ['name'], label: 'name', aliases: ['tariff', 'tariff_name'], kind: 'text' },
  { key: ['utilityProvider'], label: 'utility_provider', aliases: ['utility', 'provider'], kind: 'text' },
  { key: ['rateScheduleCode'], label: 'rate_schedule_code', aliases: ['rate_schedule', 'schedule_code'], kind: 'text' },
  { key: ['timeZone'], label: 'time_zone', aliases: ['timezone', 'tz'], kind: 'text' },
  { key: ['currency'], label: 'currency', kind: 'text' },
  { key: ['effectiveDate'], label: 'effective_date', aliases: ['effective', 'valid_from'], kind: 'date' },
  { key: ['expiryDate'], label: 'expiry_date', aliases: ['expiry', 'valid_until'], kind: 'date' },
  { key: ['fuelPrices', 'natural_gas'], label: 'natural_gas_price', aliases: ['gas_price'], kind: 'number' },
  { key: ['fuelPrices', 'propane'], label: 'propane_price', kind: 'number' },
  { key: ['holidays'], label: 'holidays', kind: 'list' },
  {
    key: ['demand', 'intervalMinutes'],
    label: 'demand_interval_minutes',
    aliases: ['demand_interval', 'interval_minutes'],
    kind: 'quantity',
    dimension: 'duration',
  },
  { key: ['demand', 'ratchet', 'percent'], label: 'ratchet_percent', aliases: ['ratchet_pct', 'ratchet'], kind: 'number' },
  { key: ['demand', 'ratchet', 'months'], label: 'ratchet_months', kind: 'number' },
  {
    key: ['demand', 'ratchet', 'appliesTo'],
    label: 'ratchet_applies_to',
    kind: 'enum',
    options: RatchetSchema.shape.appliesTo.unwrap().options,
  },
];

export const PERIOD_COLUMNS: FieldSpec[] = [
  { key: ['dayType'], label: 'day_type', aliases: ['days'], kind: 'enum', options: DayTypeSchema.options },
  { key: ['start'], label: 'start', aliases: ['from'], kind: 'time', required: true },
  { key: ['end'], label: 'end', aliases: ['to'], kind: 'time', required: true },
  { key: ['energyRate'], label: 'energy_rate', aliases: ['rate', 'energy_rate_kwh'], kind: 'number', required: true },
  { key: ['demandRate'], label: 'demand_rate', aliases: ['demand_rate_kw'], kind: 'number' },
  {
    key: ['category'],
    label: 'category',
    aliases: ['period', 'period_category'],
    kind: 'enum',
    options: PeriodCategorySchema.options,
    required: true,
  },
];

export const FIXED_CHARGE_COLUMNS: FieldSpec[] = [
  { key: ['name'], label: 'name', kind: 'text', required: true },
  { key: ['amount'], label: 'amount', kind: 'number', required: true },
  { key: ['per'], label: 'per', kind: 'enum', options: ['day', 'month'], required: true },
];

/** Rows of `tariff.demand.charges` (XLSX sheet "Demand charges"): one per charge. */
export const DEMAND_CHARGE_COLUMNS: FieldSpec[] = [
  { key: ['name'], label: 'name', aliases: ['charge', 'charge_name'], kind: 'text' },
  {
    key: ['kind'],
    label: 'kind',
    aliases: ['type', 'charge_kind'],
    kind: 'enum',
    options: DemandChargeSchema.options.map((o) => o.shape.kind.value),
    required: true,
  },
  { key: ['rate'], label: 'rate', aliases: ['demand_rate', 'rate_per_kw'], kind: 'number', required: true },
  { key: ['categories'], label: 'categories', aliases: ['category', 'periods'], kind: 'enums', options: PeriodCategorySchema.options },
  { key: ['season'], label: 'season', kind: 'text' },
];

export const PRECEDENCE_TYPES = PrecedenceTypeSchema.options;

/**
 * The header of a table format (CSV preamble, XLSX "Schedule" and "Settings" sheets): what the
 * caller's context says first, then each key into the schedule, the settings or notify. Returns
 * how the file writes slash dates.
 */
export function readHeaderKeys(b: RequestBuilder, entries: KeyValue[], context: AdapterContext): { slashDates?: SlashDateOrder } {
  const dates = takeDateFormat(b, entries, DATE_FORMAT_KEY);
  for (const [key, value] of Object.entries(context)) b.set(['schedule', key], value);
  const sections = [
    { specs: SCHEDULE_KEYS, base: ['schedule'] },
    { specs: SETTINGS_KEYS, base: ['settings'] },
    { specs: BILLING_KEYS, base: ['settings', 'billing'] },
    { specs: [NOTIFY_KEY], base: ['notify', 'email'] },
  ];
  readKeyValues(b, entries, sections, dates);
  return dates;
}
