import { describe, expect, it } from 'vitest';
import {
  deadlineAtRisk,
  equipmentReportedUnavailable,
  equipmentUnavailable,
  erpSyncFailed,
  failureOccurrence,
  optimizationFailed,
  peakNearLimit,
  runAlerts,
  savingsBelowThreshold,
  tariffUpdateFailed,
} from '../../activities/notify/rules.ts';
import { costStatement } from '../../activities/cost/statement.ts';
import { AlertSchema } from '../../domain/alerts.ts';
import { plantDayInput } from '../report/fixture.ts';

// The plant day: saves USD 210.70 (23.9 %), peak 265.7 kW against a 700 kW limit, J-111 and J-107 end at
// their deadlines (21:00, 23:45) and J-106 14 min before its own, HTR-003 in maintenance 06:00-14:00 (site time).
const RUN = '8f7c1f2e-0000-4000-8000-000000000001';

describe('alert rules over a finished run', () => {
  it('raises, for the plant day as it is, only the deadline at risk (warning) and the heater in maintenance (info)', () => {
    const alerts = runAlerts({ ...plantDayInput(), runId: RUN });
    expect(alerts.map((a) => [a.rule, a.severity])).toEqual([
      ['deadline_at_risk', 'warning'],
      ['equipment_unavailable', 'info'],
    ]);
    for (const a of alerts) expect(AlertSchema.safeParse(a).success).toBe(true);
    expect(alerts[0]).toMatchObject({ tenantId: 'acme-metals', runId: RUN, subject: RUN });
    expect(alerts[0].text).toBe(
      'J-111 ends 21:00, 0 min before its deadline; J-106 ends 23:45, 14 min before its deadline; J-107 ends 23:45, 0 min before its deadline.',
    );
    expect(alerts[1].text).toBe('HTR-003 (Gas boiler 3) maintenance 11-24 06:00 to 11-24 14:00.');
  });

  it('savings below the threshold: none at 23.9 % against the default 5 %, a warning against 50 %', () => {
    expect(savingsBelowThreshold(plantDayInput())).toBeNull();
    const alert = savingsBelowThreshold(plantDayInput({ alerts: { savingsBelowPercent: 50 } }))!;
    expect(alert).toMatchObject({ rule: 'savings_below_threshold', severity: 'warning', facts: { thresholdPercent: 50 } });
    expect(alert.text).toBe('The plan saves USD 210.70 (23.9 %), under the 50 % threshold.');
  });

  it('savings below the threshold: a plan dearer than the baseline says how much more it costs; a zero baseline raises nothing', () => {
    const input = plantDayInput();
    input.cost = costStatement(input.problem, input.plan);
    input.cost.savings = { ...input.cost.savings, amount: '-5', percent: '-0.02' };
    expect(savingsBelowThreshold(input)!.text).toBe('The plan costs USD 5.00 more than first-come-first-served, under the 5 % threshold.');
    input.cost.savings = { ...input.cost.savings, amount: '0', percent: null };
    expect(savingsBelowThreshold(input)).toBeNull();
  });

  it('peak within 10 % of the limit: none at 265.7 of 700 kW, a warning at 265.7 of 280 kW (from 252), critical over 260 kW', () => {
    expect(peakNearLimit(plantDayInput())).toBeNull();
    expect(peakNearLimit(plantDayInput({ peakLimitKw: 296 }))).toBeNull(); // 10 % under 296 is 266.4
    const near = peakNearLimit(plantDayInput({ peakLimitKw: 280 }))!;
    expect(near).toMatchObject({ severity: 'warning', facts: { peakKw: '265.7142857144', limitKw: 280 } });
    expect(near.text).toBe("The plan's electric peak is 265.7 kW, 94.9 % of the 280 kW limit (alert from 90 %).");
    expect(peakNearLimit(plantDayInput({ peakLimitKw: 260 }))).toMatchObject({
      severity: 'critical',
      title: 'Peak over the contractual limit at plant-1 2026-11-24',
    });
    expect(peakNearLimit(plantDayInput({ peakLimitKw: 275, alerts: { peakWithinPercent: 2 } }))).toBeNull(); // from 269.5
  });

  it('deadline at risk: critical for a job not placed or late, a warning within the margin, none with no margin', () => {
    expect(deadlineAtRisk(plantDayInput({ alerts: { deadlineMarginMinutes: 0 } }))).toBeNull();
    const input = plantDayInput();
    input.plan = {
      ...input.plan,
      assignments: input.plan.assignments.map((a) => (a.jobId === 'J-112' ? { ...a, end: '2026-11-24T14:15:00.000Z' } : a)),
      unscheduled: [{ jobId: 'J-999', reason: 'no eligible heater' }],
    };
    const alert = deadlineAtRisk(input)!;
    expect(alert.severity).toBe('critical');
    // J-112's deadline is 08:00 site time (14:00 UTC): 15 min late.
    expect(alert.text).toBe(
      'J-999 is not scheduled (no eligible heater); J-112 ends 08:15, 15 min late; J-111 ends 21:00, 0 min before its deadline; ' +
        'J-106 ends 23:45, 14 min before its deadline; J-107 ends 23:45, 0 min before its deadline.',
    );
    expect(alert.facts).toEqual({ notScheduled: 1, late: 1, withinMargin: 3, marginMinutes: 30 });
  });

  it('equipment unavailable: a warning when jobs were left out, none when every heater is available', () => {
    const input = plantDayInput();
    input.plan = { ...input.plan, unscheduled: [{ jobId: 'J-999', reason: 'x' }] };
    expect(equipmentUnavailable(input)).toMatchObject({ severity: 'warning', facts: { heatersUnavailable: 1, jobsNotScheduled: 1 } });
    input.problem = { ...input.problem, equipment: input.problem.equipment.map((e) => ({ ...e, unavailability: [] })) };
    expect(equipmentUnavailable(input)).toBeNull();
  });
});

describe('alerts whose source is outside the pipeline (raiseAlert)', () => {
  it('optimisation failed is critical and carries the code', () => {
    const alert = optimizationFailed({ tenantId: 't', runId: '8f7c1f2e-0000-4000-8000-000000000001', code: 'E003', message: 'no plan' });
    expect(alert).toMatchObject({ rule: 'optimization_failed', severity: 'critical', text: 'E003: no plan', facts: { code: 'E003' } });
    expect(AlertSchema.parse(alert).runId).toBe('8f7c1f2e-0000-4000-8000-000000000001');
  });

  it('ERP sync, tariff update and equipment status each name their occurrence, so the next failure is a new alert', () => {
    const erp = erpSyncFailed({ tenantId: 't', system: 'SAP', occurrence: '2026-11-24', error: 'HTTP 503' });
    expect(erp).toMatchObject({ rule: 'erp_sync_failed', severity: 'critical', subject: 'SAP@2026-11-24' });
    const tariff = tariffUpdateFailed({ tenantId: 't', tariffId: 'GL-019', occurrence: '2026-12', error: 'timeout' });
    expect(tariff).toMatchObject({ rule: 'tariff_update_failed', severity: 'warning', subject: 'GL-019@2026-12' });
    const heater = equipmentReportedUnavailable({ tenantId: 't', equipmentId: 'HTR-2', from: '2026-11-24T06:00Z', reason: 'burner fault' });
    expect(heater.text).toBe('HTR-2 is out of service from 2026-11-24T06:00Z: burner fault');
    for (const a of [erp, tariff, heater]) expect(AlertSchema.safeParse(a).success).toBe(true);
  });

  it('makes a pull failure one occurrence per UTC day and failure text', () => {
    const morning = failureOccurrence(new Date('2026-11-24T06:00:00Z'), 'HTTP 503');
    expect(morning).toMatch(/^2026-11-24#[0-9a-f]{8}$/);
    expect(failureOccurrence(new Date('2026-11-24T23:45:00Z'), 'HTTP 503')).toBe(morning);
    expect(failureOccurrence(new Date('2026-11-24T06:15:00Z'), 'HTTP 500')).not.toBe(morning);
    expect(failureOccurrence(new Date('2026-11-25T06:00:00Z'), 'HTTP 503')).not.toBe(morning);
    // A heater alert for a run that still plans it: once per heater and run.
    const forRun = equipmentReportedUnavailable({
      tenantId: 't',
      equipmentId: 'HTR-2',
      from: 'now',
      reason: 'fault',
      runId: '8f7c1f2e-0000-4000-8000-000000000001',
    });
    expect(forRun).toMatchObject({ subject: 'HTR-2@8f7c1f2e-0000-4000-8000-000000000001', runId: '8f7c1f2e-0000-4000-8000-000000000001' });
  });

  it('refuses an alert with a bad field, naming it', () => {
    const bad = AlertSchema.safeParse({ ...erpSyncFailed({ tenantId: 't', system: 'S', occurrence: 'o', error: 'e' }), severity: 'loud' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0].path).toEqual(['severity']);
  });
});
