// A CommonJS package: under plain Node (the CLI, not vitest) only its default export exists.
import proto from '@temporalio/proto';
import { Router } from 'express';
import { TASK_QUEUES } from '../../domain/pipeline.ts';
import type { ApiDeps } from '../server.ts';

const CHECK_MS = 2_000;
/** A poller is live if it polled this recently (a long poll lasts about a minute). */
const POLLER_FRESH_MS = 90_000;

const { TaskQueueType, TaskQueueKind } = proto.temporal.api.enums.v1;

/** Which task queues need which pollers: the pipeline runs workflows and activities, the solver activities only. */
const NEEDED = [
  { queue: TASK_QUEUES.pipeline, type: 'workflow' },
  { queue: TASK_QUEUES.pipeline, type: 'activity' },
  { queue: TASK_QUEUES.solver, type: 'activity' },
] as const;

function withTimeout<T>(work: Promise<T>, ms = CHECK_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const verdict = (work: Promise<unknown>) =>
  withTimeout(work).then(
    () => 'ok' as const,
    () => 'down' as const,
  );

async function livePollers(deps: ApiDeps, queue: string, type: 'workflow' | 'activity'): Promise<number> {
  const response = await deps.connection.withDeadline(Date.now() + CHECK_MS, () =>
    deps.connection.workflowService.describeTaskQueue({
      namespace: deps.client.options.namespace,
      taskQueue: { name: queue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: type === 'workflow' ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    }),
  );
  const now = Date.now();
  return (response.pollers ?? []).filter((p) => {
    const seconds = Number(p.lastAccessTime?.seconds ?? 0);
    return now - seconds * 1000 < POLLER_FRESH_MS;
  }).length;
}

/**
 * `/healthz`: the process answers (liveness). `/readyz`: Postgres and Temporal answer and every task
 * queue has a live poller, i.e. a run submitted now would make progress (readiness). No error text:
 * these are unauthenticated.
 */
export function healthRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [database, temporalCheck] = await Promise.all([
      verdict(deps.pool.query('select 1')),
      verdict(deps.connection.withDeadline(Date.now() + CHECK_MS, () => deps.connection.healthService.check({}))),
    ]);
    const queues = await Promise.all(
      NEEDED.map(async ({ queue, type }) => ({
        queue,
        type,
        livePollers: temporalCheck === 'ok' ? await livePollers(deps, queue, type).catch(() => 0) : 0,
      })),
    );
    const ready = database === 'ok' && temporalCheck === 'ok' && queues.every((q) => q.livePollers > 0);
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not ready', checks: { database, temporal: temporalCheck, taskQueues: queues } });
  });
  return router;
}
