import { Worker } from '@temporalio/worker';
import { createSolverActivities } from '../activities/index.ts';
import { openDb } from '../db/client.ts';
import { TASK_QUEUES } from '../domain/pipeline.ts';
import { logger } from '../infra/logger.ts';
import { connect, runUntilSignal, workerEnv } from './common.ts';

/** The solver worker: only the optimize agent, one solve at a time (WASM HiGHS is single-threaded). */
async function main() {
  const env = workerEnv();
  const handle = openDb(env.databaseUrl, 2);
  const connection = await connect(env);
  const worker = await Worker.create({
    connection,
    namespace: env.namespace,
    taskQueue: TASK_QUEUES.solver,
    activities: createSolverActivities(handle.db),
    maxConcurrentActivityTaskExecutions: 1,
    // Lets a solve in progress hear the cancellation and stop its thread on shutdown.
    shutdownGraceTime: '5s',
  });
  logger.info({ taskQueue: TASK_QUEUES.solver }, 'solver worker ready');
  await runUntilSignal(worker, async () => {
    await connection.close();
    await handle.close();
  });
}

await main();
