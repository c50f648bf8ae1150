import type { Db } from '../../db/client.ts';
import { earlierRunPeaks } from '../../db/repositories/billing.ts';
import { loadStepOutput } from '../../db/repositories/steps.ts';
import { findTariff, upsertTariff } from '../../db/repositories/tariffs.ts';
import type { StepRef } from '../../domain/pipeline.ts';
import type { IntakeOutput } from '../../domain/run-request.ts';
import { runStep } from '../run-step.ts';
import { resolveTariff } from './resolve.ts';

export function tariffActivities(db: Db) {
  return {
    /** Agent 2: the tariff from the request (stored for later runs) or the site's registry, per slot, with its demand floors. */
    async resolveTariff({ runId, intake }: { runId: string; intake: StepRef }): Promise<StepRef> {
      return runStep(db, {
        runId,
        step: 'tariff',
        parents: [intake.hash],
        load: async () => {
          const request = await loadStepOutput<IntakeOutput>(db, runId, intake);
          const { tenant, site, scheduleDate } = request.schedule;
          return {
            request,
            registered: request.supplied.tariff ? undefined : await findTariff(db, tenant, site, scheduleDate),
            earlierRuns: await earlierRunPeaks(db, tenant, site, scheduleDate),
          };
        },
        compute: ({ request, registered, earlierRuns }) => resolveTariff(request, registered, earlierRuns),
        tenant: ({ request }) => request.schedule.tenant,
        record: async (tx, { input: { request } }) => {
          const { schedule, supplied } = request;
          if (supplied.tariff) await upsertTariff(tx, schedule.tenant, schedule.site, supplied.tariff);
        },
      });
    },
  };
}
