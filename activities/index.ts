import type { Db } from '../db/client.ts';
import { costActivities } from './cost/activity.ts';
import type { BmsConfig } from './equipment/bms-config.ts';
import { equipmentActivities, equipmentStatusActivities } from './equipment/activity.ts';
import type { ErpConnector } from './erp/config.ts';
import { erpActivities } from './erp/activity.ts';
import { intakeActivities } from './intake/activity.ts';
import { alertActivities, notifyActivities, writeBackActivities } from './notify/activity.ts';
import type { ChannelConfig } from './notify/channels.ts';
import { optimizeActivities, type TellWorkflow } from './optimize/activity.ts';
import { reportActivities } from './report/activity.ts';
import { runActivities } from './runs/activity.ts';
import { tariffActivities, tariffPullActivities } from './tariff/activity.ts';
import type { ConfiguredTariffSource } from './tariff/pull.ts';

/** Activities served on the pipeline task queue. */
export function createPipelineActivities(
  db: Db,
  channels: ChannelConfig,
  pulls: { erp?: readonly ErpConnector[]; bms?: BmsConfig; tariffSources?: ConfiguredTariffSource[] } = {},
) {
  return {
    ...intakeActivities(db),
    ...tariffActivities(db),
    ...tariffPullActivities(db, pulls.tariffSources ?? []),
    ...equipmentActivities(db),
    ...costActivities(db),
    ...reportActivities(db),
    ...notifyActivities(db, channels),
    ...alertActivities(db, channels),
    ...writeBackActivities(db, channels),
    ...runActivities(db),
    ...erpActivities(db, pulls.erp ?? []),
    ...equipmentStatusActivities(db, pulls.bms),
  };
}

/** Activities served on the solver task queue (a separate worker process). */
export function createSolverActivities(db: Db, tellWorkflow?: TellWorkflow) {
  return optimizeActivities(db, tellWorkflow);
}

export type PipelineActivities = ReturnType<typeof createPipelineActivities>;
export type SolverActivities = ReturnType<typeof createSolverActivities>;
