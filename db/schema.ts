import {
  boolean,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  time,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

import type { Equipment } from '../domain/equipment.ts';
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
const money = (name: string) => numeric(name, { precision: 14, scale: 4, mode: 'number' });
const kw = (name: string) => numeric(name, { precision: 12, scale: 3, mode: 'number' });
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** One optimisation run; its id is the Temporal workflow id. */
export const optimizationRuns = pgTable(
  'optimization_runs',
  {
    runId: uuid('run_id').primaryKey(),
    tenantId: varchar('tenant_id', { length: 64 }).notNull(),
    siteId: varchar('site_id', { length: 64 }),
    scheduleId: uuid('schedule_id'),
    status: varchar('status', { length: 20 }).notNull().default('PENDING'),
    errorCode: varchar('error_code', { length: 64 }),
    errorMessage: text('error_message'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    solverType: varchar('solver_type', { length: 30 }),
    solverStatus: varchar('solver_status', { length: 20 }),
    solverTimeSeconds: numeric('solver_time_seconds', { precision: 10, scale: 3, mode: 'number' }),
    objectiveValue: money('objective_value'),
    mipGap: doublePrecision('mip_gap'),
    jobsCount: integer('jobs_count'),
    assignmentsCount: integer('assignments_count'),
    peakKw: kw('peak_kw'),
    baselineCost: money('baseline_cost'),
    optimizedCost: money('optimized_cost'),
    savings: money('savings'),
    savingsPercent: numeric('savings_percent', { precision: 7, scale: 2, mode: 'number' }),
    inputHash: varchar('input_hash', { length: 64 }),
    outputHash: varchar('output_hash', { length: 64 }),
    /** Who submitted it (the token's subject; null from the CLI). */
    submittedBy: varchar('submitted_by', { length: 200 }),
  },
  (t) => [index('optimization_runs_tenant_started').on(t.tenantId, t.createdAt)],
);

/** The submission exactly as received, kept even when it fails validation. */
export const runInputs = pgTable('run_inputs', {
  runId: uuid('run_id')
    .primaryKey()
    .references(() => optimizationRuns.runId, { onDelete: 'cascade' }),
  tenantId: varchar('tenant_id', { length: 64 }).notNull(),
  /** The format the submitter named, or `auto` (intake recognises it from the content). */
  format: varchar('format', { length: 20 }).notNull(),
  /** The submission as text when its bytes are UTF-8 text Postgres can store (rows before 0005 always). */
  content: text('content'),
  /** The submission's bytes when they are not such text (XLSX, UTF-16, a NUL). */
  raw: bytea('raw'),
  /** SHA-256 of the submitted bytes (null on rows before 0005). */
  sha256: varchar('sha256', { length: 64 }),
  /** The file name the submitter gave, for messages (`plant.csv row 5`). */
  fileName: varchar('file_name', { length: 255 }),
  receivedAt: createdAt(),
});

/** The provenance chain: one row per pipeline step, its canonical output and its link hash. */
export const runSteps = pgTable(
  'run_steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    runId: uuid('run_id')
      .notNull()
      .references(() => optimizationRuns.runId, { onDelete: 'cascade' }),
    tenantId: varchar('tenant_id', { length: 64 }).notNull(),
    step: varchar('step', { length: 20 }).notNull(),
    seq: integer('seq').notNull(),
    parents: jsonb('parents').$type<string[]>().notNull(),
    outputJson: text('output_json').notNull(),
    hash: varchar('hash', { length: 64 }).notNull(),
    completedAt: createdAt(),
  },
  (t) => [uniqueIndex('run_steps_run_step').on(t.runId, t.step)],
);

export const productionSchedules = pgTable(
  'production_schedules',
  {
    scheduleId: uuid('schedule_id').primaryKey().defaultRandom(),
    tenantId: varchar('tenant_id', { length: 64 }).notNull(),
    siteId: varchar('site_id', { length: 64 }).notNull(),
    runId: uuid('run_id')
      .notNull()
      .references(() => optimizationRuns.runId, { onDelete: 'cascade' }),
    scheduleDate: date('schedule_date').notNull(),
    timeZone: varchar('time_zone', { length: 64 }).notNull(),
    horizonDays: integer('horizon_days').notNull(),
    sourceSystem: varchar('source_system', { length: 50 }),
    sourceReference: varchar('source_reference', { length: 100 }),
    provenanceHash: varchar('provenance_hash', { length: 64 }).notNull(),
    status: varchar('status', { length: 20 }).notNull().default('DRAFT'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('production_schedules_tenant_date').on(t.tenantId, t.scheduleDate), uniqueIndex('production_schedules_run').on(t.runId)],
);

export const productionJobs = pgTable(
  'production_jobs',
  {
    jobId: uuid('job_id').primaryKey().defaultRandom(),
    scheduleId: uuid('schedule_id')
      .notNull()
      .references(() => productionSchedules.scheduleId, { onDelete: 'cascade' }),
    tenantId: varchar('tenant_id', { length: 64 }).notNull(),
    jobRef: varchar('job_ref', { length: 64 }).notNull(),
    productId: varchar('product_id', { length: 200 }).notNull(),
    quantity: numeric('quantity', { precision: 12, scale: 2, mode: 'number' }).notNull(),
    unit: varchar('unit', { length: 20 }).notNull(),
    heatingRequirementKwh: numeric('heating_requirement_kwh', { precision: 12, scale: 4, mode: 'number' }).notNull(),
    maxThermalKw: kw('max_thermal_kw'),
    durationMinutes: integer('duration_minutes'),
    temperatureSetpointC: numeric('temperature_setpoint_c', { precision: 6, scale: 2, mode: 'number' }),
    earliestStart: timestamp('earliest_start', { withTimezone: true }).notNull(),
    latestEnd: timestamp('latest_end', { withTimezone: true }).notNull(),
    priority: integer('priority').notNull(),
    allowedEquipment: jsonb('allowed_equipment').$type<string[]>(),
  },
  (t) => [
    uniqueIndex('production_jobs_schedule_ref').on(t.scheduleId, t.jobRef),
    index('production_jobs_schedule_priority').on(t.scheduleId, t.priority),
  ],
);

export const optimizedAssignments = pgTable(
  'optimized_assignments',
  {
    assignmentId: uuid('assignment_id').primaryKey().defaultRandom(),
    runId: uuid('run_id')
      .notNull()
      .references(() => optimizationRuns.runId, { onDelete: 'cascade' }),
    tenantId: varchar('tenant_id', { length: 64 }).notNull(),
    scheduleId: uuid('schedule_id')
      .notNull()
      .references(() => productionSchedules.scheduleId, { onDelete: 'cascade' }),
    jobId: uuid('job_id')
      .notNull()
      .references(() => productionJobs.jobId, { onDelete: 'cascade' }),
    /** 'optimized' or 'baseline' (the FIFO plan it is compared with). */
    plan: varchar('plan', { length: 10 }).notNull(),
    equipmentId: varchar('equipment_id', { length: 50 }).notNull(),
    scheduledStart: timestamp('scheduled_start', { withTimezone: true }).notNull(),
    scheduledEnd: timestamp('scheduled_end', { withTimezone: true }).notNull(),
    thermalKw: kw('thermal_kw').notNull(),
    powerKw: kw('power_kw').notNull(),
    electricKw: kw('electric_kw').notNull(),
    energyCost: money('energy_cost').notNull(),
    tariffPeriod: varchar('tariff_period', { length: 20 }),
    provenanceHash: varchar('provenance_hash', { length: 64 }).notNull(),
  },
  (t) => [
    uniqueIndex('optimized_assignments_run_plan_job').on(t.runId, t.plan, t.jobId),
    index('optimized_assignments_schedule_start').on(t.scheduleId, t.scheduledStart),
  ],
);

export const energyTariffs = pgTable(
  'energy_tariffs',
  {
    tariffId: uuid('tariff_id').primaryKey().defaultRandom(),
    tenantId: varchar('tenant_id', { length: 64 }).notNull(),
    siteId: varchar('site_id', { length: 64 }).notNull(),
    tariffName: varchar('tariff_name', { length: 100 }).notNull(),
    effectiveDate: date('effective_date').notNull(),
    expiryDate: date('expiry_date'),
    utilityProvider: varchar('utility_provider', { length: 100 }),
    rateScheduleCode: varchar('rate_schedule_code', { length: 50 }),
    timeZone: varchar('time_zone', { length: 64 }).notNull(),
    currency: varchar('currency', { length: 3 }).notNull(),
    fixedCharges: jsonb('fixed_charges').$type<{ name: string; amount: number; per: 'day' | 'month' }[]>().notNull(),
    fuelPrices: jsonb('fuel_prices').$type<{ natural_gas?: number; propane?: number }>().notNull(),
    holidays: jsonb('holidays').$type<string[]>().notNull(),
    /** The whole tariff as validated (seasons, holiday calendar, demand charges, price series …); null on rows stored before it. */
    definition: jsonb('definition').$type<unknown>(),
    provenanceHash: varchar('provenance_hash', { length: 64 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('energy_tariffs_identity').on(t.tenantId, t.siteId, t.tariffName, t.effectiveDate),
    index('energy_tariffs_tenant_effective').on(t.tenantId, t.effectiveDate),
  ],
);

export const tariffPeriods = pgTable(
  'tariff_periods',
  {
    periodId: uuid('period_id').primaryKey().defaultRandom(),
    tariffId: uuid('tariff_id')
      .notNull()
      .references(() => energyTariffs.tariffId, { onDelete: 'cascade' }),
    season: varchar('season', { length: 40 }),
    dayType: varchar('day_type', { length: 20 }).notNull(),
    startTime: time('start_time').notNull(),
    endTime: time('end_time').notNull(),
    energyRateKwh: numeric('energy_rate_kwh', { precision: 10, scale: 5, mode: 'number' }).notNull(),
    demandRateKw: numeric('demand_rate_kw', { precision: 10, scale: 4, mode: 'number' }).notNull(),
    periodCategory: varchar('period_category', { length: 20 }).notNull(),
  },
  (t) => [index('tariff_periods_lookup').on(t.tariffId, t.dayType, t.startTime)],
);

export const heatingEquipment = pgTable(
  'heating_equipment',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: varchar('tenant_id', { length: 64 }).notNull(),
    siteId: varchar('site_id', { length: 64 }).notNull(),
    equipmentId: varchar('equipment_id', { length: 50 }).notNull(),
    equipmentName: varchar('equipment_name', { length: 200 }).notNull(),
    equipmentType: varchar('equipment_type', { length: 50 }).notNull(),
    capacityKw: kw('capacity_kw').notNull(),
    minLoadKw: kw('min_load_kw').notNull(),
    /** A fraction for boilers and electric heaters, the COP for heat pumps. */
    efficiency: numeric('efficiency', { precision: 8, scale: 4, mode: 'number' }).notNull(),
    fuelType: varchar('fuel_type', { length: 30 }).notNull(),
    fuelRatePerKwh: numeric('fuel_rate_per_kwh', { precision: 10, scale: 5, mode: 'number' }),
    minRunTimeMinutes: integer('min_run_time_minutes').notNull(),
    maxStartsPerDay: integer('max_starts_per_day'),
    startupEnergyKwh: numeric('startup_energy_kwh', { precision: 10, scale: 4, mode: 'number' }).notNull(),
    location: varchar('location', { length: 100 }),
    isActive: boolean('is_active').notNull().default(true),
    /** The heater as registered, all its rules (changeovers, min off time, COP windows, …) but its unavailability (own table); the columns above are what queries need. */
    spec: jsonb('spec').$type<Omit<Equipment, 'unavailability'>>(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('heating_equipment_identity').on(t.tenantId, t.siteId, t.equipmentId),
    index('heating_equipment_tenant_type').on(t.tenantId, t.equipmentType, t.isActive),
  ],
);

export const equipmentAvailability = pgTable(
  'equipment_availability',
  {
    availabilityId: uuid('availability_id').primaryKey().defaultRandom(),
    equipmentRowId: uuid('equipment_row_id')
      .notNull()
      .references(() => heatingEquipment.id, { onDelete: 'cascade' }),
    tenantId: varchar('tenant_id', { length: 64 }).notNull(),
    unavailableStart: timestamp('unavailable_start', { withTimezone: true }).notNull(),
    unavailableEnd: timestamp('unavailable_end', { withTimezone: true }).notNull(),
    reason: varchar('reason', { length: 50 }).notNull(),
    notes: text('notes'),
  },
  (t) => [
    index('equipment_availability_lookup').on(t.equipmentRowId, t.unavailableStart),
    uniqueIndex('equipment_availability_window').on(t.equipmentRowId, t.unavailableStart, t.unavailableEnd, t.reason),
  ],
);

/** Files a run produced (report JSON, text summary, later PDF and XLSX). */
export const artefacts = pgTable(
  'artefacts',
  {
    artefactId: uuid('artefact_id').primaryKey().defaultRandom(),
    runId: uuid('run_id')
      .notNull()
      .references(() => optimizationRuns.runId, { onDelete: 'cascade' }),
    tenantId: varchar('tenant_id', { length: 64 }).notNull(),
    kind: varchar('kind', { length: 40 }).notNull(),
    contentType: varchar('content_type', { length: 100 }).notNull(),
    content: bytea('content').notNull(),
    sha256: varchar('sha256', { length: 64 }).notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('artefacts_run_kind').on(t.runId, t.kind)],
);

/** One row per message per recipient: makes sending idempotent across retries. */
export const notifications = pgTable(
  'notifications',
  {
    notificationId: uuid('notification_id').primaryKey().defaultRandom(),
    runId: uuid('run_id')
      .notNull()
      .references(() => optimizationRuns.runId, { onDelete: 'cascade' }),
    tenantId: varchar('tenant_id', { length: 64 }).notNull(),
    channel: varchar('channel', { length: 20 }).notNull(),
    recipient: varchar('recipient', { length: 320 }).notNull(),
    status: varchar('status', { length: 20 }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    providerMessageId: text('provider_message_id'),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('notifications_run_channel_recipient').on(t.runId, t.channel, t.recipient)],
);

/** An alert raised by a rule (issue 13); raising the same (tenant, rule, subject) again finds this row. */
export const alerts = pgTable(
  'alerts',
  {
    alertId: uuid('alert_id').primaryKey().defaultRandom(),
    tenantId: varchar('tenant_id', { length: 64 }).notNull(),
    rule: varchar('rule', { length: 40 }).notNull(),
    subject: varchar('subject', { length: 200 }).notNull(),
    severity: varchar('severity', { length: 10 }).notNull(),
    /** The run it is about, if any (no foreign key: an alert outlives a purged run). */
    runId: uuid('run_id'),
    title: text('title').notNull(),
    text: text('text').notNull(),
    facts: jsonb('facts').$type<Record<string, string | number | boolean | null>>().notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBy: varchar('acknowledged_by', { length: 200 }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('alerts_tenant_rule_subject').on(t.tenantId, t.rule, t.subject)],
);

/**
 * The outbox: one row per message (alert, channel, recipient, event), created before the send and
 * marked SENT after, so that a retry never sends a message twice from the recipient's view.
 */
export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    deliveryId: uuid('delivery_id').primaryKey().defaultRandom(),
    alertId: uuid('alert_id')
      .notNull()
      .references(() => alerts.alertId, { onDelete: 'cascade' }),
    tenantId: varchar('tenant_id', { length: 64 }).notNull(),
    userId: varchar('user_id', { length: 200 }).notNull(),
    channel: varchar('channel', { length: 20 }).notNull(),
    recipient: varchar('recipient', { length: 2000 }).notNull(),
    /** `alert` for the first message, `escalation` for the one to the next person. */
    event: varchar('event', { length: 20 }).notNull(),
    status: varchar('status', { length: 20 }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    notBefore: timestamp('not_before', { withTimezone: true }),
    /** SMTP Message-ID, Slack channel:ts, webhook idempotency key. */
    providerMessageId: text('provider_message_id'),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('alert_deliveries_key').on(t.alertId, t.channel, t.recipient, t.event)],
);

/** A user's notification preferences (domain/alerts.ts SubscriberSchema), per tenant. */
export const notificationSubscribers = pgTable(
  'notification_subscribers',
  {
    tenantId: varchar('tenant_id', { length: 64 }).notNull(),
    userId: varchar('user_id', { length: 200 }).notNull(),
    preferences: jsonb('preferences').$type<Record<string, unknown>>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] })],
);

/** An `Idempotency-Key` a tenant sent with a submission: a repeat with the same key returns the first run. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: varchar('tenant_id', { length: 64 }).notNull(),
    key: varchar('key', { length: 200 }).notNull(),
    /** SHA-256 of the body: the same key with another body is a client error, not a replay. */
    requestHash: varchar('request_hash', { length: 64 }).notNull(),
    runId: uuid('run_id')
      .notNull()
      .references(() => optimizationRuns.runId, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] })],
);

/** Who changed a tenant's registry (tariffs, heaters) or cancelled a run, when, and what. */
export const auditEntries = pgTable(
  'audit_entries',
  {
    auditId: uuid('audit_id').primaryKey().defaultRandom(),
    tenantId: varchar('tenant_id', { length: 64 }).notNull(),
    actor: varchar('actor', { length: 200 }).notNull(),
    action: varchar('action', { length: 40 }).notNull(),
    target: varchar('target', { length: 200 }).notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('audit_entries_tenant_created').on(t.tenantId, t.createdAt)],
);

/** Each distinct state of a site's open orders pulled from an ERP: a new row only when the orders changed. */
export const erpScheduleVersions = pgTable(
  'erp_schedule_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: varchar('tenant_id', { length: 64 }).notNull(),
    siteId: varchar('site_id', { length: 64 }).notNull(),
    /** The connector (its name) the orders came from. */
    source: varchar('source', { length: 200 }).notNull(),
    version: integer('version').notNull(),
    /** SHA-256 of the canonical request the orders make. */
    requestHash: varchar('request_hash', { length: 64 }).notNull(),
    ordersCount: integer('orders_count').notNull(),
    request: jsonb('request').notNull(),
    /** The optimisation run started for this version, when the connector starts runs. */
    runId: uuid('run_id'),
    pulledAt: createdAt(),
  },
  (t) => [uniqueIndex('erp_schedule_versions_site_version').on(t.tenantId, t.siteId, t.source, t.version)],
);

/**
 * Each successful run's plan is a version of its site's schedule for its date, numbered 1, 2, …
 * per (tenant, site, date) in the order the runs completed. Rows are added lazily (on the first
 * read after a run completes, db/repositories/schedule-versions.ts): a number once given never changes.
 */
export const scheduleVersions = pgTable(
  'schedule_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: varchar('tenant_id', { length: 64 }).notNull(),
    siteId: varchar('site_id', { length: 64 }).notNull(),
    scheduleDate: date('schedule_date').notNull(),
    version: integer('version').notNull(),
    runId: uuid('run_id')
      .notNull()
      .references(() => optimizationRuns.runId, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('schedule_versions_site_date_version').on(t.tenantId, t.siteId, t.scheduleDate, t.version),
    uniqueIndex('schedule_versions_run').on(t.runId),
  ],
);

/**
 * Every apply and rollback of a site's schedule for a date, in order (`seq`); the last row is the
 * applied version. `restores` is the row this one sits on, so a rollback returns to what was
 * applied before the current one, and a second rollback goes one further back.
 */
export const scheduleApplications = pgTable(
  'schedule_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: varchar('tenant_id', { length: 64 }).notNull(),
    siteId: varchar('site_id', { length: 64 }).notNull(),
    scheduleDate: date('schedule_date').notNull(),
    seq: integer('seq').notNull(),
    version: integer('version').notNull(),
    /** `apply` or `rollback`. */
    action: varchar('action', { length: 10 }).notNull(),
    /** The application under this one (null: nothing was applied before it). */
    restores: uuid('restores'),
    actor: varchar('actor', { length: 200 }).notNull(),
    reason: text('reason'),
    appliedAt: createdAt(),
  },
  (t) => [uniqueIndex('schedule_applications_site_date_seq').on(t.tenantId, t.siteId, t.scheduleDate, t.seq)],
);

/**
 * An operator's lock on a site's schedule for a date: an event (a job pinned to a heater and a
 * start) or a resource interval (a heater no job may use from `start` to `end`).
 */
export const scheduleLocks = pgTable(
  'schedule_locks',
  {
    lockId: uuid('lock_id').primaryKey().defaultRandom(),
    tenantId: varchar('tenant_id', { length: 64 }).notNull(),
    siteId: varchar('site_id', { length: 64 }).notNull(),
    scheduleDate: date('schedule_date').notNull(),
    /** `event` or `resource`. */
    kind: varchar('kind', { length: 10 }).notNull(),
    /** The locked job (events only). */
    jobId: varchar('job_id', { length: 64 }),
    equipmentId: varchar('equipment_id', { length: 50 }).notNull(),
    start: timestamp('start', { withTimezone: true }).notNull(),
    /** The interval's end (resource locks only). */
    end: timestamp('end', { withTimezone: true }),
    reason: text('reason'),
    createdBy: varchar('created_by', { length: 200 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('schedule_locks_site_date').on(t.tenantId, t.siteId, t.scheduleDate)],
);
