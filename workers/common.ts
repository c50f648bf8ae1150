import { fileURLToPath } from 'node:url';
import { NativeConnection } from '@temporalio/worker';
import { readEnv } from '../infra/config.ts';
import { logger } from '../infra/logger.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface WorkerEnv {
  temporalAddress: string;
  namespace: string;
  databaseUrl: string;
}

/** Worker settings from the environment; the CLI fills them in for the embedded services. */
export function workerEnv(): WorkerEnv {
  const env = readEnv();
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set');
  return {
    temporalAddress: env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.HEATSCHEDULER_TEMPORAL_PORT}`,
    namespace: env.TEMPORAL_NAMESPACE,
    databaseUrl: env.DATABASE_URL,
  };
}

export function connect(env: WorkerEnv): Promise<NativeConnection> {
  return NativeConnection.connect({ address: env.temporalAddress });
}

/** Runs a worker until SIGINT/SIGTERM, then drains it and closes its resources. */
export async function runUntilSignal(worker: { run(): Promise<void>; shutdown(): void }, close: () => Promise<void>): Promise<void> {
  const stop = () => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await worker.run();
  } finally {
    await close();
  }
}

/** Logs readiness and, when a parent process started this worker, tells it over IPC (log levels may hide the line). */
export function announceReady(kind: 'pipeline' | 'solver', taskQueue: string): void {
  logger.info({ taskQueue }, `${kind} worker ready`);
  process.send?.({ ready: kind }, () => process.disconnect?.());
}
