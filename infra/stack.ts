import { join } from 'node:path';
import { migrateDatabase } from '../db/client.ts';
import { childEnv, dataDir, readEnv, type Env } from './config.ts';
import { startEmbeddedPostgres } from './postgres.ts';
import { claimStack, type StackClaim } from './stack-state.ts';
import { superviseWorker, type SupervisedWorker } from './supervisor.ts';
import { isTemporalReachable, startTemporalDevServer } from './temporal-server.ts';
import type { WorkerKind } from './worker-process.ts';

export interface Stack {
  temporalAddress: string;
  namespace: string;
  databaseUrl: string;
  /** Web UI of the embedded Temporal server; null for an external cluster. */
  uiUrl: string | null;
  /** Stops what this process started, workers first (they drain), then Temporal, then Postgres. */
  stop(): Promise<void>;
}

export interface StackOptions {
  workers: boolean;
  /** Solves the solver worker runs at once (its --concurrency). */
  solverConcurrency?: number;
  log: (msg: string) => void;
  /** Each log line of the workers, prefixed with the worker's name. */
  workerLog?: (line: string) => void;
}

/** Things to stop, last started first; each stop runs once and its failure does not hold up the others. */
class Stops {
  private readonly stops: (() => Promise<void>)[] = [];
  push(stop: () => Promise<void>) {
    this.stops.push(stop);
  }
  async run() {
    for (const stop of this.stops.splice(0).reverse()) await stop().catch(() => {});
  }
}

interface Context {
  env: Env;
  dir: string;
  claim: StackClaim;
  stops: Stops;
  log: (msg: string) => void;
}

/**
 * Brings up what a run needs: Postgres (DATABASE_URL, else embedded) with migrations applied,
 * Temporal (TEMPORAL_ADDRESS, else a dev server) and, if asked, both workers under supervision.
 * The embedded services of a data directory belong to one live process at a time: another
 * process uses them as they are, and a new owner first ends what a dead one left running.
 */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const env = readEnv();
  const stops = new Stops();
  try {
    const dir = dataDir(env);
    const embedded = !env.DATABASE_URL || !env.TEMPORAL_ADDRESS;
    const claim = embedded ? await claimStack(dir, opts.log) : { shared: true, record: async () => {}, release: async () => {} };
    stops.push(claim.release);
    const ctx: Context = { env, dir, claim, stops, log: opts.log };
    const databaseUrl = env.DATABASE_URL ?? (await embeddedPostgres(ctx));
    await migrateDatabase(databaseUrl);
    const temporal = env.TEMPORAL_ADDRESS
      ? { address: env.TEMPORAL_ADDRESS, uiUrl: env.TEMPORAL_UI_URL ?? null }
      : await embeddedTemporal(ctx);
    const workerEnv = childEnv({
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE,
    });
    if (opts.workers) await startWorkers(ctx, workerEnv, opts);
    return {
      temporalAddress: temporal.address,
      namespace: env.TEMPORAL_NAMESPACE,
      databaseUrl,
      uiUrl: temporal.uiUrl,
      stop: () => stops.run(),
    };
  } catch (err) {
    await stops.run();
    throw err;
  }
}

/** Only Postgres (DATABASE_URL, else embedded), for commands that read the database alone (`verify`). */
export async function startDatabase(log: (msg: string) => void): Promise<{ databaseUrl: string; stop(): Promise<void> }> {
  const env = readEnv();
  const stops = new Stops();
  try {
    let databaseUrl = env.DATABASE_URL;
    if (!databaseUrl) {
      const dir = dataDir(env);
      const claim = await claimStack(dir, log);
      stops.push(claim.release);
      databaseUrl = await embeddedPostgres({ env, dir, claim, stops, log });
    }
    await migrateDatabase(databaseUrl);
    return { databaseUrl, stop: () => stops.run() };
  } catch (err) {
    await stops.run();
    throw err;
  }
}

async function embeddedPostgres({ env, dir, claim, stops, log }: Context): Promise<string> {
  log(`starting embedded Postgres (data in ${join(dir, 'pg')})`);
  // Reused only while its owner lives; otherwise it was left by a process that died: replaced.
  const pg = await startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    port: env.HEATSCHEDULER_PG_PORT,
    reuse: claim.shared,
    log: quiet(log),
  });
  stops.push(pg.stop);
  return pg.url;
}

/** Postgres's own log lines are noise here; only our notes about reuse and replacement pass. */
const quiet = (log: (msg: string) => void) => (msg: string) => {
  if (/^(reusing|stopping) the Postgres/.test(msg)) log(msg);
};

async function embeddedTemporal({ env, dir, claim, stops, log }: Context): Promise<{ address: string; uiUrl: string }> {
  const port = env.HEATSCHEDULER_TEMPORAL_PORT;
  const address = `127.0.0.1:${port}`;
  const uiUrl = `http://127.0.0.1:${port + 1000}`;
  if (await isTemporalReachable(address)) {
    // Its owner's (still running), or a server this project did not start: used, never stopped.
    log(`using the Temporal server already running at ${address}`);
    return { address, uiUrl };
  }
  log(`starting Temporal dev server (history in ${join(dir, 'temporal')})`);
  const server = await startTemporalDevServer({
    dataDir: join(dir, 'temporal'),
    port,
    uiPort: port + 1000,
    namespace: env.TEMPORAL_NAMESPACE,
  });
  await claim.record({ temporalPid: server.pid });
  stops.push(server.stop);
  return { address, uiUrl };
}

async function startWorkers(ctx: Context, env: NodeJS.ProcessEnv, opts: StackOptions): Promise<SupervisedWorker[]> {
  ctx.log('starting pipeline and solver workers');
  const pids: Partial<Record<WorkerKind, number>> = {};
  const onStart = (kind: WorkerKind) => (pid: number) => {
    pids[kind] = pid;
    void ctx.claim.record({ workerPids: Object.values(pids) }).catch(() => {});
  };
  const log = opts.workerLog ?? (() => {});
  const solverArgs = opts.solverConcurrency ? ['--concurrency', String(opts.solverConcurrency)] : [];
  const started = await Promise.allSettled([
    superviseWorker('pipeline', env, { log, onStart: onStart('pipeline') }),
    superviseWorker('solver', env, { args: solverArgs, log, onStart: onStart('solver') }),
  ]);
  const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  ctx.stops.push(async () => {
    await Promise.all(workers.map((w) => w.stop()));
  });
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return workers;
}
