import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { ensureErpSchedule, erpScheduleId } from '../activities/erp/activity.ts';
import { erpConnectorFromEnv, type ErpConnector } from '../activities/erp/config.ts';
import { activityInterceptors } from '../activities/failures.ts';
import { createPipelineActivities } from '../activities/index.ts';
import { mailConfigFromEnv } from '../activities/notify/mailer.ts';
import { TASK_QUEUES } from '../domain/pipeline.ts';
import { readEnv } from '../infra/config.ts';
import { logger } from '../infra/logger.ts';
import { WORKFLOWS_PATH, runWorkerProcess, shutdownOptions, type WorkerEnv } from './common.ts';

/** The pipeline worker: workflows plus every agent except the solver; runs until SIGINT/SIGTERM. */
export function runPipelineWorker(): Promise<void> {
  return runWorkerProcess('pipeline', async (env, resources) => {
    const handle = await resources.database(env, 5);
    const connection = await resources.temporal(env);
    const erp = erpConnectorFromEnv(readEnv());
    if (erp) await ensureErpScheduleOnStart(env, erp);
    return Worker.create({
      connection,
      namespace: env.namespace,
      taskQueue: TASK_QUEUES.pipeline,
      workflowsPath: WORKFLOWS_PATH,
      activities: createPipelineActivities(handle.db, mailConfigFromEnv(), erp ? [erp] : []),
      interceptors: { activity: activityInterceptors },
      ...shutdownOptions(env),
    });
  });
}

/** The ERP pull's Schedule exists once the pipeline worker runs; a failure is logged and tried again at the next start. */
async function ensureErpScheduleOnStart(env: WorkerEnv, erp: ErpConnector): Promise<void> {
  const connection = await Connection.connect({ address: env.temporalAddress });
  try {
    const outcome = await ensureErpSchedule(new Client({ connection, namespace: env.namespace }), erp);
    logger.info({ scheduleId: erpScheduleId(erp), outcome }, 'ERP pull schedule');
  } catch (err) {
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not create the ERP pull schedule');
  } finally {
    await connection.close();
  }
}
