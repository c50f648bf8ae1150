import { join } from 'node:path';
import { migrateDatabase } from '../db/client.ts';
import { childEnv, dataDir, readEnv } from './config.ts';
import { startEmbeddedPostgres } from './postgres.ts';
import { isTemporalReachable, startTemporalDevServer } from './temporal-server.ts';
import { spawnWorker, type WorkerProcess } from './worker-process.ts';

export interface Stack {
  temporalAddress: string;
  namespace: string;
  databaseUrl: string;
  /** Web UI of the embedded Temporal server; null for an external cluster. */
  uiUrl: string | null;
  workers: WorkerProcess[];
  /** Environment for processes that join this stack (workers, the API). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/**
 * Brings up what a run needs: Postgres (DATABASE_URL, else embedded) with migrations applied,
 * Temporal (TEMPORAL_ADDRESS, else a dev server, reused if one already answers on the port) and,
 * if asked, both workers as child processes.
 */
export async function startStack(opts: { workers: boolean; solverConcurrency?: number; log: (msg: string) => void }): Promise<Stack> {
  const env = readEnv();
  const dir = dataDir(env);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  const embeddedPostgres = async () => {
    opts.log(`starting embedded Postgres (data in ${join(dir, 'pg')})`);
    const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: env.HEATSCHEDULER_PG_PORT });
    stops.push(pg.stop);
    return pg.url;
  };
  try {
    const databaseUrl = env.DATABASE_URL ?? (await embeddedPostgres());
    await migrateDatabase(databaseUrl);

    let temporalAddress = env.TEMPORAL_ADDRESS;
    let uiUrl: string | null = null;
    if (!temporalAddress) {
      const port = env.HEATSCHEDULER_TEMPORAL_PORT;
      temporalAddress = `127.0.0.1:${port}`;
      uiUrl = `http://127.0.0.1:${port + 1000}`;
      if (await isTemporalReachable(temporalAddress)) {
        opts.log(`using the Temporal server already running at ${temporalAddress}`);
      } else {
        opts.log(`starting Temporal dev server (history in ${join(dir, 'temporal')})`);
        const server = await startTemporalDevServer({
          dataDir: join(dir, 'temporal'),
          port,
          uiPort: port + 1000,
          namespace: env.TEMPORAL_NAMESPACE,
        });
        stops.push(server.stop);
      }
    }

    const workerEnv = childEnv({
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE,
    });
    const workers: WorkerProcess[] = [];
    if (opts.workers) {
      opts.log('starting pipeline and solver workers');
      const solverArgs = opts.solverConcurrency ? ['--concurrency', String(opts.solverConcurrency)] : [];
      const started = await Promise.all([spawnWorker('pipeline', workerEnv), spawnWorker('solver', workerEnv, { args: solverArgs })]);
      workers.push(...started);
      stops.push(async () => {
        await Promise.all(started.map((w) => w.stop()));
      });
    }
    return { temporalAddress, namespace: env.TEMPORAL_NAMESPACE, databaseUrl, uiUrl, workers, env: workerEnv, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
