import { Worker } from '@temporalio/worker';
import { activityInterceptors } from '../activities/failures.ts';
import { createPipelineActivities } from '../activities/index.ts';
import { channelConfigFromEnv } from '../activities/notify/channels.ts';
import { TASK_QUEUES } from '../domain/pipeline.ts';
import { WORKFLOWS_PATH, runWorkerProcess, shutdownOptions } from './common.ts';

/** The pipeline worker: workflows plus every agent except the solver; runs until SIGINT/SIGTERM. */
export function runPipelineWorker(): Promise<void> {
  return runWorkerProcess('pipeline', async (env, resources) => {
    const handle = await resources.database(env, 5);
    const connection = await resources.temporal(env);
    return Worker.create({
      connection,
      namespace: env.namespace,
      taskQueue: TASK_QUEUES.pipeline,
      workflowsPath: WORKFLOWS_PATH,
      activities: createPipelineActivities(handle.db, channelConfigFromEnv()),
      interceptors: { activity: activityInterceptors },
      ...shutdownOptions(env),
    });
  });
}
