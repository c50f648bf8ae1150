import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { openDb, type DbHandle } from '../../db/client.ts';
import { freePort, isListening } from '../../infra/ports.ts';
import { processAlive } from '../../infra/processes.ts';
import { descendants, startCli, workerProcesses, type CliProcess } from './processes.ts';

/** A Temporal port whose UI port (port + 1000) is free too. */
async function temporalPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 1000 < 65536 && !(await isListening('127.0.0.1', port + 1000))) return port;
  }
}

/**
 * `heatscheduler serve` as a child process of a test, on a data directory and ports of its own
 * (its embedded Temporal dev server and Postgres live under `dir`), with what a test needs to
 * reach the stack it runs and to leave nothing behind.
 */
export interface ServeStack {
  dir: string;
  env: NodeJS.ProcessEnv;
  temporalPort: number;
  pgPort: number;
  temporalAddress: string;
  databaseUrl: string;
  /** The HTTP API's base URL. */
  apiBase: string;
  /** Every serve started, in order. */
  started: CliProcess[];
  /** Starts a serve and resolves once its API answers. */
  start(): Promise<CliProcess>;
  /** Runs `fn` with a client and a database connection to the stack. */
  withStack<T>(fn: (client: Client, db: DbHandle) => Promise<T>): Promise<T>;
  /** A run row's status. */
  runStatus(runId: string): Promise<string | undefined>;
  /** The pid of the one live worker of `kind` (throws when there is none, or more than one). */
  workerPid(kind: 'pipeline' | 'solver'): number;
  /** The pid of the Temporal dev server the owning serve started (from its stack.json). */
  temporalPid(): Promise<number>;
  /** Kills every serve started and whatever they left, and removes the data directory. */
  cleanup(): Promise<void>;
}

export async function serveStack(extraEnv: NodeJS.ProcessEnv = {}): Promise<ServeStack> {
  const dir = await mkdtemp(join(tmpdir(), 'heatscheduler-serve-'));
  const [port, pgPort, apiPort] = [await temporalPort(), await freePort(), await freePort()];
  const temporalAddress = `127.0.0.1:${port}`;
  const databaseUrl = `postgres://heatscheduler:heatscheduler@127.0.0.1:${pgPort}/heatscheduler`;
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  for (const key of ['TEMPORAL_ADDRESS', 'DATABASE_URL', 'SMTP_URL', 'AUTH_JWT_SECRET', 'AUTH_JWKS_URL', 'API_HOST']) delete env[key];
  Object.assign(env, {
    HEATSCHEDULER_DATA_DIR: dir,
    HEATSCHEDULER_TEMPORAL_PORT: String(port),
    HEATSCHEDULER_PG_PORT: String(pgPort),
    PORT: String(apiPort),
    ...extraEnv,
  });
  const started: CliProcess[] = [];
  const withStack = async <T>(fn: (client: Client, db: DbHandle) => Promise<T>): Promise<T> => {
    const db = openDb(databaseUrl);
    const connection = await Connection.connect({ address: temporalAddress });
    try {
      return await fn(new Client({ connection }), db);
    } finally {
      await connection.close();
      await db.close();
    }
  };
  return {
    dir,
    env,
    temporalPort: port,
    pgPort,
    temporalAddress,
    databaseUrl,
    apiBase: `http://127.0.0.1:${apiPort}`,
    started,
    async start() {
      const p = startCli(['serve'], env);
      started.push(p);
      await p.waitForLine(/HeatScheduler API on/, 240_000);
      return p;
    },
    withStack,
    runStatus: (runId) =>
      withStack(async (_client, db) => {
        const { rows } = await db.pool.query<{ status: string }>('select status from optimization_runs where run_id = $1', [runId]);
        return rows[0]?.status;
      }),
    workerPid(kind) {
      const found = workerProcesses(temporalAddress).filter((w) => w.kind === kind);
      if (found.length !== 1) throw new Error(`expected one ${kind} worker, found ${found.length}`);
      return found[0].pid;
    },
    async temporalPid() {
      const state = JSON.parse(await readFile(join(dir, 'stack.json'), 'utf8')) as { temporalPid?: number };
      if (!state.temporalPid) throw new Error('stack.json names no Temporal dev server');
      return state.temporalPid;
    },
    async cleanup() {
      // Whatever a failed step left: every process below each serve, then the serves.
      const leftovers = started.flatMap((p) => (p.child.pid ? descendants(p.child.pid) : []));
      await Promise.all(started.map((p) => p.kill()));
      for (const pid of [...leftovers, ...workerProcesses(temporalAddress).map((w) => w.pid)]) {
        if (processAlive(pid)) process.kill(pid, 'SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
