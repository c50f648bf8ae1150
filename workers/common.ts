import { fileURLToPath } from 'node:url';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { openDb, type DbHandle } from '../db/client.ts';
import { readEnv } from '../infra/config.ts';
import { logger } from '../infra/logger.ts';
import type { WorkerKind } from '../infra/worker-process.ts';
import { installSdkLogger } from './sdk-logger.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface WorkerEnv {
  temporalAddress: string;
  namespace: string;
  databaseUrl: string;
  /** How long a stopping worker lets in-flight activities finish before handing them back. */
  drainSeconds: number;
  /** The sites whose tariff is pulled on a Schedule (pipeline worker). */
  tariffSourcesFile?: string;
}

/** A worker joins a Temporal and a Postgres that run elsewhere: both addresses are required. */
export function workerEnv(): WorkerEnv {
  const env = readEnv();
  const missing = [env.TEMPORAL_ADDRESS ? null : 'TEMPORAL_ADDRESS (host:port)', env.DATABASE_URL ? null : 'DATABASE_URL (postgres://…)'];
  if (!env.TEMPORAL_ADDRESS || !env.DATABASE_URL) {
    throw new Error(`a worker needs ${missing.filter(Boolean).join(' and ')}: set them to the Temporal frontend and Postgres to join`);
  }
  return {
    temporalAddress: env.TEMPORAL_ADDRESS,
    namespace: env.TEMPORAL_NAMESPACE,
    databaseUrl: env.DATABASE_URL,
    drainSeconds: env.HEATSCHEDULER_DRAIN_SECONDS,
    ...(env.TARIFF_SOURCES_FILE ? { tariffSourcesFile: env.TARIFF_SOURCES_FILE } : {}),
  };
}

/** Options every worker shares: drain in-flight tasks on shutdown, then hand them back; never hang. */
export function shutdownOptions(env: WorkerEnv) {
  return { shutdownGraceTime: `${env.drainSeconds}s`, shutdownForceTime: `${env.drainSeconds + 30}s` } as const;
}

/** What one build of a worker holds; closed when the worker stops or its build fails half-way. */
export class WorkerResources {
  private readonly closers: (() => Promise<void>)[] = [];

  async temporal(env: WorkerEnv): Promise<NativeConnection> {
    const connection = await NativeConnection.connect({ address: env.temporalAddress });
    this.closers.push(() => connection.close());
    return connection;
  }

  /** A pool that has answered once, so a worker never reports ready without its database. */
  async database(env: WorkerEnv, maxConnections: number): Promise<DbHandle> {
    const handle = openDb(env.databaseUrl, maxConnections);
    this.closers.push(() => handle.close());
    await handle.pool.query('select 1');
    return handle;
  }

  add(close: () => Promise<void>): void {
    this.closers.push(close);
  }

  async close(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close().catch(() => {});
  }
}

export type BuildWorker = (env: WorkerEnv, resources: WorkerResources) => Promise<Worker>;

const BACKOFF_FIRST_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
/** A worker that ran this long before failing starts its backoff afresh. */
const HEALTHY_AFTER_MS = 60_000;

/** Resolves on SIGINT/SIGTERM, or when the parent that started this process goes away. */
function stopRequest(): AbortSignal {
  const controller = new AbortController();
  const stop = (why: string) => {
    if (controller.signal.aborted) return;
    logger.info(`stopping: ${why}`);
    controller.abort();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  if (process.connected) process.once('disconnect', () => stop('the parent process is gone'));
  return controller.signal;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Runs a worker until SIGINT/SIGTERM: waits with backoff (1 s doubling to 30 s) until Temporal and
 * Postgres answer, and builds the worker again the same way whenever it fails (a connection lost
 * for longer than the SDK's own retries). On a stop it drains, then hands in-flight tasks back.
 */
export async function runWorkerProcess(kind: WorkerKind, build: BuildWorker): Promise<void> {
  const env = workerEnv();
  installSdkLogger();
  const stopped = stopRequest();
  let backoffMs = BACKOFF_FIRST_MS;
  let announced = false;
  while (!stopped.aborted) {
    const resources = new WorkerResources();
    const startedAt = Date.now();
    try {
      const worker = await build(env, resources);
      if (stopped.aborted) break;
      if (!announced) announceReady(kind, worker.options.taskQueue);
      announced = true;
      await runUntil(worker, stopped);
    } catch (err) {
      logger.warn({ err: err instanceof Error ? err.message : String(err), retryInMs: backoffMs }, `${kind} worker cannot run; retrying`);
    } finally {
      await resources.close();
    }
    if (stopped.aborted) break;
    if (Date.now() - startedAt > HEALTHY_AFTER_MS) backoffMs = BACKOFF_FIRST_MS;
    await sleep(backoffMs, stopped);
    backoffMs = Math.min(backoffMs * 2, BACKOFF_MAX_MS);
  }
  logger.info(`${kind} worker stopped`);
  if (process.connected) process.disconnect();
}

/** Runs `worker` until it fails or `stopped` fires; a stop shuts it down gracefully. */
async function runUntil(worker: Worker, stopped: AbortSignal): Promise<void> {
  const shutdown = () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  stopped.addEventListener('abort', shutdown, { once: true });
  try {
    await worker.run();
    if (!stopped.aborted) throw new Error('the worker stopped by itself');
  } finally {
    stopped.removeEventListener('abort', shutdown);
  }
}

/** Logs readiness and, when a parent process started this worker, tells it over IPC (log levels may hide the line). */
function announceReady(kind: WorkerKind, taskQueue: string): void {
  logger.info({ taskQueue }, `${kind} worker ready`);
  process.send?.({ ready: kind });
}
