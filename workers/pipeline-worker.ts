import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { activityInterceptors } from '../activities/failures.ts';
import { createPipelineActivities } from '../activities/index.ts';
import { mailConfigFromEnv } from '../activities/notify/mailer.ts';
import { parseTariffSources, type ConfiguredTariffSource } from '../activities/tariff/pull.ts';
import { TASK_QUEUES } from '../domain/pipeline.ts';
import { logger } from '../infra/logger.ts';
import { WORKFLOWS_PATH, runWorkerProcess, shutdownOptions, type WorkerEnv } from './common.ts';
import { ensureTariffPullSchedules } from './tariff-schedules.ts';

/** The pipeline worker: workflows plus every agent except the solver; runs until SIGINT/SIGTERM. */
export function runPipelineWorker(): Promise<void> {
  return runWorkerProcess('pipeline', async (env, resources) => {
    const handle = await resources.database(env, 5);
    const connection = await resources.temporal(env);
    const sources = await scheduleTariffPulls(env);
    return Worker.create({
      connection,
      namespace: env.namespace,
      taskQueue: TASK_QUEUES.pipeline,
      workflowsPath: WORKFLOWS_PATH,
      activities: createPipelineActivities(handle.db, mailConfigFromEnv(), sources),
      interceptors: { activity: activityInterceptors },
      ...shutdownOptions(env),
    });
  });
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
