import type { Db } from '../../db/client.ts';
import { recordRunIntake } from '../../db/repositories/runs.ts';
import { loadRunInput } from '../../db/repositories/run-inputs.ts';
import { insertSchedule } from '../../db/repositories/schedules.ts';
import { loadStepOutput } from '../../db/repositories/steps.ts';
import type { IntakeResult } from '../../domain/pipeline.ts';
import type { IntakeOutput } from '../../domain/run-request.ts';
import { runStep } from '../run-step.ts';
import { readStoredSubmission } from './parse.ts';

export function intakeActivities(db: Db) {
  return {
    /** Agent 1: reads the stored submission (any input format), validates it and persists the canonical schedule and its jobs. */
    async intake({ runId }: { runId: string }): Promise<IntakeResult> {
      const ref = await runStep(db, {
        runId,
        step: 'intake',
        parents: [],
        load: () => loadRunInput(db, runId),
        compute: (input) => readStoredSubmission(input),
        tenant: (_input, output) => output.schedule.tenant,
        record: async (tx, { output: { schedule }, hash }) => {
          const scheduleId = await insertSchedule(tx, runId, schedule, hash);
          await recordRunIntake(tx, runId, { scheduleId, siteId: schedule.site, jobsCount: schedule.jobs.length, inputHash: hash });
        },
      });
      const { schedule, settings } = await loadStepOutput<IntakeOutput>(db, runId, ref);
      const facts = { tenant: schedule.tenant, site: schedule.site, scheduleDate: schedule.scheduleDate, objective: settings.objective };
      return { ref, jobsCount: schedule.jobs.length, solverTimeLimitSeconds: settings.solverTimeLimitSeconds, facts };
    },
  };
}
