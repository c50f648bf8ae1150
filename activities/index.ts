import type { Db } from '../db/client.ts';
import { costActivities } from './cost/activity.ts';
import { equipmentActivities } from './equipment/activity.ts';
import { intakeActivities } from './intake/activity.ts';
import { alertActivities, notifyActivities, writeBackActivities } from './notify/activity.ts';
import type { ChannelConfig } from './notify/channels.ts';
import { optimizeActivities, type TellWorkflow } from './optimize/activity.ts';
import { reportActivities } from './report/activity.ts';
import { runActivities } from './runs/activity.ts';
import { tariffActivities } from './tariff/activity.ts';

/** Activities served on the pipeline task queue. */
export function createPipelineActivities(db: Db, channels: ChannelConfig) {
  return {
    ...intakeActivities(db),
    ...tariffActivities(db),
    ...equipmentActivities(db),
    ...costActivities(db),
    ...reportActivities(db),
    ...notifyActivities(db, channels.mail),
    ...alertActivities(db, channels),
    ...writeBackActivities(db, channels),
    ...runActivities(db),
  };
}

/** Activities served on the solver task queue (a separate worker process). */
export function createSolverActivities(db: Db, tellWorkflow?: TellWorkflow) {
  return optimizeActivities(db, tellWorkflow);
}

export type PipelineActivities = ReturnType<typeof createPipelineActivities>;
export type SolverActivities = ReturnType<typeof createSolverActivities>;
