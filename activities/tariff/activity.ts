import type { Db } from '../../db/client.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import type { StepRef } from '../../domain/pipeline.ts';
import { tariffOverHorizon } from '../../domain/problem.ts';
import type { IntakeOutput } from '../../domain/run-request.ts';
import { withDomainFailures } from '../failures.ts';
import { findStep, loadStepOutput, recordStep } from '../steps.ts';
import { findTariff, upsertTariff } from './registry.ts';

export function tariffActivities(db: Db) {
  return {
    /** Agent 2: the tariff from the request (stored for later runs) or the site's registry, per slot. */
    async resolveTariff({ runId, intake }: { runId: string; intake: StepRef }): Promise<StepRef> {
      return withDomainFailures(async () => {
        const done = await findStep(db, runId, 'tariff');
        if (done) return done;
        const { schedule, settings, supplied } = await loadStepOutput<IntakeOutput>(db, runId, intake);
        const tariff = supplied.tariff ?? (await findTariff(db, schedule.tenant, schedule.site, schedule.scheduleDate));
        if (!tariff) {
          throw new DomainError(
            ErrorCode.TARIFF_NOT_FOUND,
            `no tariff for tenant ${schedule.tenant}, site ${schedule.site} on ${schedule.scheduleDate}: include one in the request or register it`,
          );
        }
        const output = tariffOverHorizon(tariff, schedule, settings);
        return recordStep(db, { runId, tenantId: schedule.tenant, step: 'tariff', parents: [intake.hash], output }, async (tx) => {
          if (supplied.tariff) await upsertTariff(tx, schedule.tenant, schedule.site, supplied.tariff);
        });
      });
    },
  };
}
