import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { activityInterceptors } from '../activities/failures.ts';
import { createSolverActivities } from '../activities/index.ts';
import type { TellWorkflow } from '../activities/optimize/activity.ts';
import { openDb } from '../db/client.ts';
import { SOLVER_PROGRESS_SIGNAL, TASK_QUEUES } from '../domain/pipeline.ts';
import { announceReady, connect, runUntilSignal, workerEnv } from './common.ts';

/** The solver worker: only the optimize agent, one solve at a time (WASM HiGHS is single-threaded). */
async function main() {
  const env = workerEnv();
  const handle = openDb(env.databaseUrl, 2);
  const connection = await connect(env);
  // A client of its own, to signal solver progress to the runs' workflows.
  const clientConnection = await Connection.connect({ address: env.temporalAddress });
  const client = new Client({ connection: clientConnection, namespace: env.namespace });
  const tellWorkflow: TellWorkflow = (workflowId, progress) =>
    client.workflow.getHandle(workflowId).signal(SOLVER_PROGRESS_SIGNAL, progress);
  const worker = await Worker.create({
    connection,
    namespace: env.namespace,
    taskQueue: TASK_QUEUES.solver,
    activities: createSolverActivities(handle.db, tellWorkflow),
    interceptors: { activity: activityInterceptors },
    maxConcurrentActivityTaskExecutions: 1,
    // Heartbeats are how a cancellation reaches the solve; the default throttle (80 % of the 15 s
    // heartbeat timeout) would leave a cancelled solve running for up to 12 s.
    maxHeartbeatThrottleInterval: '2s',
    // Lets a solve in progress hear the cancellation and stop its thread on shutdown.
    shutdownGraceTime: '5s',
  });
  announceReady('solver', TASK_QUEUES.solver);
  await runUntilSignal(worker, async () => {
    await connection.close();
    await clientConnection.close();
    await handle.close();
  });
}

await main();
