import type { Db } from '../db/client.ts';
import { costActivities } from './cost/activity.ts';
import { equipmentActivities } from './equipment/activity.ts';
import { intakeActivities } from './intake/activity.ts';
import { notifyActivities } from './notify/activity.ts';
import type { MailConfig } from './notify/mailer.ts';
import { optimizeActivities, type TellWorkflow } from './optimize/activity.ts';
import { reportActivities } from './report/activity.ts';
import { runActivities } from './runs/activity.ts';
import { tariffActivities, tariffPullActivities } from './tariff/activity.ts';
import type { ConfiguredTariffSource } from './tariff/pull.ts';

/** Activities served on the pipeline task queue. */
export function createPipelineActivities(db: Db, mail: MailConfig | undefined, tariffSources: ConfiguredTariffSource[] = []) {
  return {
    ...intakeActivities(db),
    ...tariffActivities(db),
    ...tariffPullActivities(db, tariffSources),
    ...equipmentActivities(db),
    ...costActivities(db),
    ...reportActivities(db),
    ...notifyActivities(db, mail),
    ...runActivities(db),
  };
}

/** Activities served on the solver task queue (a separate worker process). */
export function createSolverActivities(db: Db, tellWorkflow?: TellWorkflow) {
  return optimizeActivities(db, tellWorkflow);
}

export type PipelineActivities = ReturnType<typeof createPipelineActivities>;
export type SolverActivities = ReturnType<typeof createSolverActivities>;
