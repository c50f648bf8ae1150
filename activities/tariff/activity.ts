import type { Db } from '../../db/client.ts';
import { recordRunRegistration, tariffAuditDetails } from '../../db/repositories/audit.ts';
import { loadStepOutput } from '../../db/repositories/steps.ts';
import { findTariff, upsertTariff } from '../../db/repositories/tariffs.ts';
import type { StepRef } from '../../domain/pipeline.ts';
import type { IntakeOutput } from '../../domain/run-request.ts';
import { runStep } from '../run-step.ts';
import { resolveTariff } from './resolve.ts';

export function tariffActivities(db: Db) {
  return {
    /** Agent 2: the tariff from the request (registered for the site only with `register: true`) or the site's registry, per slot. */
    async resolveTariff({ runId, intake }: { runId: string; intake: StepRef }): Promise<StepRef> {
      return runStep(db, {
        runId,
        step: 'tariff',
        parents: [intake.hash],
        load: async () => {
          const request = await loadStepOutput<IntakeOutput>(db, runId, intake);
          const { tenant, site, scheduleDate } = request.schedule;
          return { request, registered: request.supplied.tariff ? undefined : await findTariff(db, tenant, site, scheduleDate) };
        },
        compute: ({ request, registered }) => resolveTariff(request, registered),
        tenant: ({ request }) => request.schedule.tenant,
        record: async (tx, { input: { request } }) => {
          // A run's own tariff is its input only: the site's registry changes only when the request asked (and was allowed) to.
          const { schedule, supplied } = request;
          if (!request.register || !supplied.tariff) return;
          await upsertTariff(tx, schedule.tenant, schedule.site, supplied.tariff);
          await recordRunRegistration(tx, runId, {
            tenantId: schedule.tenant,
            action: 'tariff.register',
            target: schedule.site,
            details: tariffAuditDetails(supplied.tariff),
          });
        },
      });
    },
  };
}
