import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/client.ts';
import { alertStored } from '../../db/repositories/alerts.ts';
import { markOffline, plannedUses, siteHeaters } from '../../db/repositories/equipment-status.ts';
import { heatersAuditDetails, recordRunRegistration } from '../../db/repositories/audit.ts';
import { loadRegistry, upsertEquipment } from '../../db/repositories/equipment.ts';
import { listLocks } from '../../db/repositories/schedule-versions.ts';
import { requestLockProblems, withResourceLocks } from '../../domain/schedule-versions.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { loadStepOutput } from '../../db/repositories/steps.ts';
import type { StepRef } from '../../domain/pipeline.ts';
import type { IntakeOutput } from '../../domain/run-request.ts';
import { TASK_QUEUES } from '../../domain/pipeline.ts';
import { raiseAlertFromActivity, type RaiseAlert } from '../../runs/alerts.ts';
import { JsonHttpClient, PullError } from '../http-json.ts';
import { equipmentReportedUnavailable } from '../notify/rules.ts';
import { runStep } from '../run-step.ts';
import { ensureRecurringPull } from '../schedules.ts';
import type { BmsConfig } from './bms-config.ts';
import { offlineHeaters, pullBmsStatus, runsHit } from './status.ts';
import { requestHorizon, resolveEquipment } from './resolve.ts';

export function equipmentActivities(db: Db) {
  return {
    /** Agent 3: the heaters of the site (those in the request, registered only with `register: true`, else the registry) over the horizon. */
    async resolveEquipment({ runId, intake }: { runId: string; intake: StepRef }): Promise<StepRef> {
      return runStep(db, {
        runId,
        step: 'equipment',
        parents: [intake.hash],
        load: async () => {
          const request = await loadStepOutput<IntakeOutput>(db, runId, intake);
          const { tenant, site } = request.schedule;
          const { startUtc, endUtc } = requestHorizon(request);
          const registered = request.supplied.equipment ? [] : await loadRegistry(db, tenant, site, startUtc, endUtc);
          return {
            request,
            registered,
            locks: await listLocks(db, { tenantId: tenant, siteId: site, scheduleDate: request.schedule.scheduleDate }),
          };
        },
        // The site's locks for the day: resource locks become unavailability (the solver keeps jobs out
        // of them); a run from the CLI or a pull that would let the solver move an event-locked job stops with E005.
        compute: ({ request, registered, locks }) => {
          const { equipment } = resolveEquipment(request, registered);
          const problems = requestLockProblems(request.schedule.jobs, locks, 'schedule.jobs');
          if (problems.length)
            throw new DomainError(ErrorCode.RESOURCE_LOCKED, `the run breaks ${problems.length} lock(s) of its site and day`, problems);
          return { equipment: withResourceLocks(equipment, locks, requestHorizon(request)) };
        },
        tenant: ({ request }) => request.schedule.tenant,
        record: async (tx, { input: { request } }) => {
          // A run's own heaters are its input only: the site's registry changes only when the request asked (and was allowed) to.
          const { schedule, supplied } = request;
          if (!request.register || !supplied.equipment) return;
          const { startUtc, endUtc } = requestHorizon(request);
          await upsertEquipment(tx, schedule.tenant, schedule.site, supplied.equipment, startUtc, endUtc);
          await recordRunRegistration(tx, runId, {
            tenantId: schedule.tenant,
            action: 'heaters.register',
            target: schedule.site,
            details: heatersAuditDetails(supplied.equipment),
          });
        },
      });
    },
  };
}

export interface StatusPullResult {
  heaters: number;
  offline: string[];
  /** Heaters the BMS reports that the site has not registered. */
  unknown: string[];
  /** Alerts raised by this pull (each run and heater once). */
  alerts: { runId: string; heater: string }[];
  meteredPeakKw?: number;
}

/** The live status pull from the site's SCADA/BMS gateway (BMS_* variables). */
export function equipmentStatusActivities(db: Db, bms: BmsConfig | undefined, raise: RaiseAlert = raiseAlertFromActivity) {
  let http: JsonHttpClient | undefined;
  return {
    /**
     * Reads the heaters' status; a heater reported down is kept out of new plans for the hold time,
     * and every successful run whose plan still needs it raises `equipment_unavailable` (once per
     * run and heater).
     */
    async pullEquipmentStatus(): Promise<StatusPullResult> {
      if (!bms) throw ApplicationFailure.nonRetryable('this worker has no BMS configured (BMS_STATUS_URL)', 'BMS_NOT_CONFIGURED');
      http ??= new JsonHttpClient(bms.auth, bms.patience);
      const status = await pullBmsStatus(http, bms.url).catch((err: unknown) => {
        throw err instanceof PullError && !err.retryable ? ApplicationFailure.nonRetryable(err.message, 'BMS_PULL') : err;
      });
      const now = new Date();
      const registered = await siteHeaters(db, bms.tenant, bms.site);
      const { offline, unknown } = offlineHeaters(status, [...registered.keys()]);
      const rowIds = offline.map((id) => registered.get(id)!);
      await markOffline(db, bms.tenant, rowIds, now, new Date(now.getTime() + bms.offlineHoldMinutes * 60_000));
      const alerts: StatusPullResult['alerts'] = [];
      for (const { runId, heaters } of runsHit(await plannedUses(db, bms.tenant, bms.site, offline, now), offline, now)) {
        for (const heater of heaters) {
          const state = status.heaters.find((h) => h.id === heater)?.state ?? 'down';
          const alert = equipmentReportedUnavailable({
            tenantId: bms.tenant,
            equipmentId: heater,
            runId,
            from: now.toISOString(),
            reason: `the BMS of ${bms.site} reports it ${state}, and run ${runId} plans it`,
          });
          if (await alertStored(db, alert)) continue;
          if ((await raise(alert)).alreadyRaised) continue;
          alerts.push({ runId, heater });
        }
      }
      return { heaters: status.heaters.length, offline, unknown, alerts, meteredPeakKw: status.meteredPeakKw };
    },
  };
}

export const BMS_SCHEDULE_ID = 'heatscheduler-equipment-status';

/** The status pull's Schedule (every `everyMinutes`, overlaps skipped); an existing one is left as it is. */
export function ensureStatusSchedule(client: Client, bms: BmsConfig, options: { taskQueue?: string; every?: string } = {}) {
  return ensureRecurringPull(client, {
    scheduleId: BMS_SCHEDULE_ID,
    owner: { tenant: bms.tenant, site: bms.site },
    workflowType: 'equipmentStatusPull',
    args: [],
    taskQueue: options.taskQueue ?? TASK_QUEUES.pipeline,
    every: options.every ?? `${bms.everyMinutes}m`,
    catchupWindow: `${bms.everyMinutes}m`,
  });
}
