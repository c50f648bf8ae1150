import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { optimizationRuns, productionJobs, productionSchedules, runInputs } from '../../db/schema.ts';
import type { IntakeResult } from '../../domain/pipeline.ts';
import type { IntakeOutput } from '../../domain/run-request.ts';
import { withDomainFailures } from '../failures.ts';
import { findStep, loadStepOutput, recordStep } from '../steps.ts';
import { parseSubmission } from './parse.ts';

export function intakeActivities(db: Db) {
  return {
    /** Agent 1: validates the stored submission and persists the canonical schedule and its jobs. */
    async intake({ runId }: { runId: string }): Promise<IntakeResult> {
      return withDomainFailures(async () => {
        const done = await findStep(db, runId, 'intake');
        if (done) return summarize(done, await loadStepOutput<IntakeOutput>(db, runId, done));

        const [input] = await db.select().from(runInputs).where(eq(runInputs.runId, runId));
        if (!input) throw new Error(`run ${runId} has no stored input`);
        const output = parseSubmission(input.content, input.format);
        const { schedule } = output;

        const ref = await recordStep(db, { runId, tenantId: schedule.tenant, step: 'intake', parents: [], output }, async (tx, hash) => {
          const [row] = await tx
            .insert(productionSchedules)
            .values({
              tenantId: schedule.tenant,
              siteId: schedule.site,
              runId,
              scheduleDate: schedule.scheduleDate,
              timeZone: schedule.timeZone,
              horizonDays: schedule.horizonDays,
              sourceSystem: schedule.sourceSystem,
              sourceReference: schedule.sourceReference,
              provenanceHash: hash,
            })
            .returning({ scheduleId: productionSchedules.scheduleId });
          await tx.insert(productionJobs).values(
            schedule.jobs.map((job) => ({
              scheduleId: row.scheduleId,
              tenantId: schedule.tenant,
              jobRef: job.id,
              productId: job.product,
              quantity: job.quantity,
              unit: job.unit,
              heatingRequirementKwh: job.heatingKwh,
              maxThermalKw: job.maxThermalKw,
              durationMinutes: job.durationMinutes,
              temperatureSetpointC: job.temperatureSetpointC,
              earliestStart: new Date(job.earliestStart),
              latestEnd: new Date(job.deadline),
              priority: job.priority,
              allowedEquipment: job.allowedEquipment,
            })),
          );
          await tx
            .update(optimizationRuns)
            .set({ scheduleId: row.scheduleId, siteId: schedule.site, jobsCount: schedule.jobs.length, inputHash: hash })
            .where(eq(optimizationRuns.runId, runId));
        });
        return summarize(ref, output);
      });
    },
  };
}

function summarize(ref: IntakeResult['ref'], output: IntakeOutput): IntakeResult {
  return { ref, jobsCount: output.schedule.jobs.length, solverTimeLimitSeconds: output.settings.solverTimeLimitSeconds };
}
