import { availableParallelism } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { activityInterceptors } from '../activities/failures.ts';
import { createSolverActivities } from '../activities/index.ts';
import type { TellWorkflow } from '../activities/optimize/activity.ts';
import { SOLVER_PROGRESS_SIGNAL, TASK_QUEUES } from '../domain/pipeline.ts';
import { readEnv } from '../infra/config.ts';
import { runWorkerProcess, shutdownOptions } from './common.ts';

/** Solves at once when nobody says: every core but one (left to Temporal, Postgres and the pipeline), at least one. */
export function defaultSolverConcurrency(): number {
  return readEnv().HEATSCHEDULER_SOLVER_CONCURRENCY ?? Math.max(1, availableParallelism() - 1);
}

/**
 * The solver worker: only the optimize agent, `concurrency` solves at once, each in a worker
 * thread of its own (WASM HiGHS is single-threaded); runs until SIGINT/SIGTERM.
 */
export function runSolverWorker({ concurrency = defaultSolverConcurrency() }: { concurrency?: number } = {}): Promise<void> {
  return runWorkerProcess('solver', async (env, resources) => {
    const handle = await resources.database(env, concurrency + 1);
    const connection = await resources.temporal(env);
    // A client of its own, to signal solver progress to the runs' workflows.
    const clientConnection = await Connection.connect({ address: env.temporalAddress });
    resources.add(() => clientConnection.close());
    const client = new Client({ connection: clientConnection, namespace: env.namespace });
    const tellWorkflow: TellWorkflow = (workflowId, progress) =>
      client.workflow.getHandle(workflowId).signal(SOLVER_PROGRESS_SIGNAL, progress);
    return Worker.create({
      connection,
      namespace: env.namespace,
      taskQueue: TASK_QUEUES.solver,
      activities: createSolverActivities(handle.db, tellWorkflow),
      interceptors: { activity: activityInterceptors },
      maxConcurrentActivityTaskExecutions: concurrency,
      // Heartbeats are how a cancellation reaches the solve; the default throttle (80 % of the 15 s
      // heartbeat timeout) would leave a cancelled solve running for up to 12 s.
      maxHeartbeatThrottleInterval: '2s',
      // A solve still running when the drain ends hears the cancellation, stops its thread and is
      // retried by Temporal, resuming from the plan it last heartbeated.
      ...shutdownOptions(env),
    });
  });
}
