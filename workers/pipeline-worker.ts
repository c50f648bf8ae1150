import { Worker } from '@temporalio/worker';
import { activityInterceptors } from '../activities/failures.ts';
import { createPipelineActivities } from '../activities/index.ts';
import { mailConfigFromEnv } from '../activities/notify/mailer.ts';
import { openDb } from '../db/client.ts';
import { TASK_QUEUES } from '../domain/pipeline.ts';
import { WORKFLOWS_PATH, announceReady, connect, runUntilSignal, workerEnv } from './common.ts';

/** The pipeline worker: workflows plus every agent except the solver. */
async function main() {
  const env = workerEnv();
  const handle = openDb(env.databaseUrl);
  const connection = await connect(env);
  const worker = await Worker.create({
    connection,
    namespace: env.namespace,
    taskQueue: TASK_QUEUES.pipeline,
    workflowsPath: WORKFLOWS_PATH,
    activities: createPipelineActivities(handle.db, mailConfigFromEnv()),
    interceptors: { activity: activityInterceptors },
    shutdownGraceTime: '10s',
  });
  announceReady('pipeline', TASK_QUEUES.pipeline);
  await runUntilSignal(worker, async () => {
    await connection.close();
    await handle.close();
  });
}

await main();
