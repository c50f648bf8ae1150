import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { ensureErpSchedule, erpScheduleId } from '../activities/erp/activity.ts';
import { erpConnectorFromEnv, type ErpConnector } from '../activities/erp/config.ts';
import { BMS_SCHEDULE_ID, ensureStatusSchedule } from '../activities/equipment/activity.ts';
import { bmsConfigFromEnv, type BmsConfig } from '../activities/equipment/bms-config.ts';
import { activityInterceptors } from '../activities/failures.ts';
import { createPipelineActivities } from '../activities/index.ts';
import { channelConfigFromEnv } from '../activities/notify/channels.ts';
import { parseTariffSources, type ConfiguredTariffSource } from '../activities/tariff/pull.ts';
import { TASK_QUEUES } from '../domain/pipeline.ts';
import { readEnv } from '../infra/config.ts';
import { logger } from '../infra/logger.ts';
import { ensureSearchAttributes } from '../infra/search-attributes.ts';
import { WORKFLOWS_PATH, runWorkerProcess, shutdownOptions, type WorkerEnv } from './common.ts';
import { ensureTariffPullSchedules } from './tariff-schedules.ts';

/** The pipeline worker: workflows plus every agent except the solver; runs until SIGINT/SIGTERM. */
export function runPipelineWorker(): Promise<void> {
  return runWorkerProcess('pipeline', async (env, resources) => {
    const handle = await resources.database(env, 5);
    const connection = await resources.temporal(env);
    await ensureSearchAttributes(connection.operatorService, env.namespace);
    const erp = erpConnectorFromEnv(readEnv());
    const bms = bmsConfigFromEnv(readEnv());
    await ensureSchedulesOnStart(env, erp, bms);
    const tariffSources = await scheduleTariffPulls(env);
    return Worker.create({
      connection,
      namespace: env.namespace,
      taskQueue: TASK_QUEUES.pipeline,
      workflowsPath: WORKFLOWS_PATH,
      activities: createPipelineActivities(handle.db, channelConfigFromEnv(), { erp: erp ? [erp] : [], bms, tariffSources }),
      interceptors: { activity: activityInterceptors },
      ...shutdownOptions(env),
    });
  });
}

/** The pulls' Schedules (ERP, BMS status) exist once the pipeline worker runs; a failure is logged and tried again at the next start. */
async function ensureSchedulesOnStart(env: WorkerEnv, erp: ErpConnector | undefined, bms: BmsConfig | undefined): Promise<void> {
  if (!erp && !bms) return;
  const connection = await Connection.connect({ address: env.temporalAddress });
  const client = new Client({ connection, namespace: env.namespace });
  const pulls = [
    erp && { scheduleId: erpScheduleId(erp), ensure: () => ensureErpSchedule(client, erp) },
    bms && { scheduleId: BMS_SCHEDULE_ID, ensure: () => ensureStatusSchedule(client, bms) },
  ];
  try {
    for (const pull of pulls) {
      if (!pull) continue;
      await pull.ensure().then(
        (outcome) => logger.info({ scheduleId: pull.scheduleId, outcome }, 'pull schedule'),
        (err: unknown) =>
          logger.warn(
            { scheduleId: pull.scheduleId, err: err instanceof Error ? err.message : String(err) },
            'could not create the schedule',
          ),
      );
    }
  } finally {
    await connection.close();
  }
}

/**
 * The tariff sources of TARIFF_SOURCES_FILE, each with its pull Schedule made sure of. A bad file
 * or a Temporal that refuses the Schedules is logged and leaves the worker running without pulls:
 * plans do not wait on tariff updates.
 */
async function scheduleTariffPulls(env: WorkerEnv): Promise<ConfiguredTariffSource[]> {
  if (!env.tariffSourcesFile) return [];
  let sources: ConfiguredTariffSource[];
  try {
    sources = parseTariffSources(readFileSync(env.tariffSourcesFile, 'utf8'), env.tariffSourcesFile);
  } catch (err) {
    logger.error({ err: String(err), problems: (err as { problems?: unknown }).problems }, 'tariff sources not read: no tariff pulls');
    return [];
  }
  const connection = await Connection.connect({ address: env.temporalAddress });
  try {
    const ids = await ensureTariffPullSchedules(new Client({ connection, namespace: env.namespace }), sources);
    logger.info({ schedules: ids }, 'tariff pull schedules in place');
  } catch (err) {
    logger.warn({ err: String(err) }, 'tariff pull schedules not created (next start tries again)');
  } finally {
    await connection.close();
  }
  return sources;
}
