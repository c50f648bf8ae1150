import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { AlertThresholdsSchema, type AlertInput, type Severity } from '../../domain/alerts.ts';
import type { CostStatement } from '../../domain/cost.ts';
import { dec } from '../../domain/decimal.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { money, percent } from '../report/format.ts';

/** What the run rules look at: the verified outputs of the run's steps. */
export interface RunAlertInput {
  runId: string;
  problem: PlanningProblem;
  plan: OptimizedSchedule;
  cost: CostStatement;
}

/** Every alert a finished run raises, in rule order; none when all is well. */
export function runAlerts(input: RunAlertInput): AlertInput[] {
  return [savingsBelowThreshold(input), peakNearLimit(input), deadlineAtRisk(input), equipmentUnavailable(input)].filter(
    (a): a is AlertInput => a !== null,
  );
}

const thresholds = (problem: PlanningProblem) => problem.settings.alerts ?? AlertThresholdsSchema.parse({});

function base(input: RunAlertInput) {
  const { schedule } = input.problem;
  return { tenantId: schedule.tenant, runId: input.runId, subject: input.runId, where: `${schedule.site} ${schedule.scheduleDate}` };
}

/** Savings under the threshold share of the baseline (default 5 %); a zero baseline has no share and raises nothing. */
export function savingsBelowThreshold(input: RunAlertInput): AlertInput | null {
  const { savings, currency } = input.cost;
  const limit = thresholds(input.problem).savingsBelowPercent;
  if (savings.percent === null || dec(savings.percent).gte(limit)) return null;
  const { where, ...key } = base(input);
  const amount = dec(savings.amount);
  const what = amount.isNegative()
    ? `costs ${money(amount.abs().toFixed(), currency)} more than first-come-first-served`
    : `saves ${money(savings.amount, currency)} (${percent(savings.percent)})`;
  return {
    ...key,
    rule: 'savings_below_threshold',
    severity: 'warning',
    title: `Low savings at ${where}`,
    text: `The plan ${what}, under the ${limit} % threshold.`,
    facts: { savings: savings.amount, savingsPercent: savings.percent, thresholdPercent: limit, currency },
  };
}

/** The plan's electric peak within the given share of the contractual limit (warning), or over it (critical). */
export function peakNearLimit(input: RunAlertInput): AlertInput | null {
  const limitKw = input.problem.settings.peakLimitKw;
  if (limitKw === undefined) return null;
  const within = thresholds(input.problem).peakWithinPercent;
  const peak = dec(input.cost.optimized.totals.peakKw);
  const near = dec(limitKw)
    .times(100 - within)
    .div(100);
  if (peak.lt(near)) return null;
  const over = peak.gt(limitKw);
  const { where, ...key } = base(input);
  const share = peak.times(100).div(limitKw).toDecimalPlaces(1).toFixed(1);
  return {
    ...key,
    rule: 'peak_near_limit',
    severity: over ? 'critical' : 'warning',
    title: `${over ? 'Peak over' : 'Peak near'} the contractual limit at ${where}`,
    text: `The plan's electric peak is ${peak.toDecimalPlaces(1).toFixed(1)} kW, ${share} % of the ${limitKw} kW limit${over ? '' : ` (alert from ${100 - within} %)`}.`,
    facts: { peakKw: peak.toFixed(), limitKw, withinPercent: within },
  };
}

/** Jobs not placed, finishing after their deadline (critical), or less than the margin before it (warning). */
export function deadlineAtRisk(input: RunAlertInput): AlertInput | null {
  const { problem, plan } = input;
  const margin = thresholds(problem).deadlineMarginMinutes;
  const zone = problem.grid.timeZone;
  const deadlines = new Map(problem.schedule.jobs.map((j) => [j.id, j.deadline]));
  const late: string[] = [];
  const tight: string[] = [];
  for (const a of plan.assignments) {
    const slack = (Date.parse(deadlines.get(a.jobId)!) - Date.parse(a.end)) / 60_000;
    const at = DateTime.fromISO(a.end, { zone }).toFormat('HH:mm');
    if (slack < 0) late.push(`${a.jobId} ends ${at}, ${Math.round(-slack)} min late`);
    else if (slack < margin) tight.push(`${a.jobId} ends ${at}, ${Math.round(slack)} min before its deadline`);
  }
  const unplaced = plan.unscheduled.map((u) => `${u.jobId} is not scheduled (${u.reason})`);
  if (!late.length && !tight.length && !unplaced.length) return null;
  const severity: Severity = late.length || unplaced.length ? 'critical' : 'warning';
  const { where, ...key } = base(input);
  return {
    ...key,
    rule: 'deadline_at_risk',
    severity,
    title: `Deadlines at risk at ${where}`,
    text: [...unplaced, ...late, ...tight].join('; ') + '.',
    facts: { notScheduled: unplaced.length, late: late.length, withinMargin: tight.length, marginMinutes: margin },
  };
}

/** Heaters out of service during the horizon: a warning when jobs were left out, else for information. */
export function equipmentUnavailable(input: RunAlertInput): AlertInput | null {
  const zone = input.problem.grid.timeZone;
  const hhmm = (iso: string) => DateTime.fromISO(iso, { zone }).toFormat('MM-dd HH:mm');
  const out = input.problem.equipment.flatMap((e) =>
    e.unavailability
      // A planner's lock holds the heater on purpose: not an outage to alert anyone about.
      .filter((w) => w.reason !== 'locked')
      .map((w) => `${e.id} (${e.name}) ${w.reason} ${hhmm(w.start)} to ${hhmm(w.end)}`),
  );
  if (!out.length) return null;
  const { where, ...key } = base(input);
  const leftOut = input.plan.unscheduled.length;
  return {
    ...key,
    rule: 'equipment_unavailable',
    severity: leftOut ? 'warning' : 'info',
    title: `Equipment unavailable at ${where}`,
    text: `${out.join('; ')}.${leftOut ? ` ${leftOut} job(s) could not be scheduled.` : ''}`,
    facts: { heatersUnavailable: out.length, jobsNotScheduled: leftOut },
  };
}

/** A run that failed: the failure's code and message as the run row keeps them. */
export function optimizationFailed(failure: { tenantId: string; runId: string; code?: string; message: string }): AlertInput {
  return {
    tenantId: failure.tenantId,
    runId: failure.runId,
    subject: failure.runId,
    rule: 'optimization_failed',
    severity: 'critical',
    title: `Optimisation run ${failure.runId} failed`,
    text: `${failure.code ? `${failure.code}: ` : ''}${failure.message}`.slice(0, 4000),
    facts: { code: failure.code ?? null },
  };
}

/**
 * The occurrence of a pull's failure: its UTC day and the failure's fingerprint, so the same failure
 * repeated all day (a pull every 15 minutes) is one alert, and a new failure or a new day another.
 */
export function failureOccurrence(at: Date, error: string): string {
  return `${at.toISOString().slice(0, 10)}#${createHash('sha256').update(error).digest('hex').slice(0, 8)}`;
}

/**
 * For the ERP connector: a sync that failed. `occurrence` tells one failure from the next (the
 * import's date or batch id): the same occurrence raised twice is one alert.
 */
export function erpSyncFailed(failure: { tenantId: string; system: string; occurrence: string; error: string }): AlertInput {
  return {
    tenantId: failure.tenantId,
    subject: `${failure.system}@${failure.occurrence}`,
    rule: 'erp_sync_failed',
    severity: 'critical',
    title: `ERP sync with ${failure.system} failed`,
    text: `The sync of ${failure.occurrence} failed: ${failure.error}`.slice(0, 4000),
    facts: { system: failure.system, occurrence: failure.occurrence },
  };
}

/** For the tariff updater: an update that failed; the plan goes on with the tariff stored before. */
export function tariffUpdateFailed(failure: { tenantId: string; tariffId: string; occurrence: string; error: string }): AlertInput {
  return {
    tenantId: failure.tenantId,
    subject: `${failure.tariffId}@${failure.occurrence}`,
    rule: 'tariff_update_failed',
    severity: 'warning',
    title: `Tariff update of ${failure.tariffId} failed`,
    text: `The update of ${failure.occurrence} failed; plans use the tariff stored before: ${failure.error}`.slice(0, 4000),
    facts: { tariffId: failure.tariffId, occurrence: failure.occurrence },
  };
}

/** For the equipment status source: a heater reported out of service (with `runId`: one a plan still needs). */
export function equipmentReportedUnavailable(report: {
  tenantId: string;
  equipmentId: string;
  from: string;
  to?: string;
  reason: string;
  runId?: string;
}): AlertInput {
  return {
    tenantId: report.tenantId,
    ...(report.runId ? { runId: report.runId } : {}),
    subject: `${report.equipmentId}@${report.runId ?? report.from}`,
    rule: 'equipment_unavailable',
    severity: 'warning',
    title: `Heater ${report.equipmentId} unavailable`,
    text: `${report.equipmentId} is out of service from ${report.from}${report.to ? ` to ${report.to}` : ''}: ${report.reason}`.slice(
      0,
      4000,
    ),
    facts: { equipmentId: report.equipmentId, from: report.from, to: report.to ?? null },
  };
}
