import type { Db } from '../../db/client.ts';
import { heatersAuditDetails, recordRunRegistration } from '../../db/repositories/audit.ts';
import { loadRegistry, upsertEquipment } from '../../db/repositories/equipment.ts';
import { loadStepOutput } from '../../db/repositories/steps.ts';
import type { StepRef } from '../../domain/pipeline.ts';
import type { IntakeOutput } from '../../domain/run-request.ts';
import { runStep } from '../run-step.ts';
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
          return { request, registered: request.supplied.equipment ? [] : await loadRegistry(db, tenant, site, startUtc, endUtc) };
        },
        compute: ({ request, registered }) => resolveEquipment(request, registered),
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
