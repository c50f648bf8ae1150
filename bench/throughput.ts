/**
 * Throughput benchmark: runs per hour on this machine with 1 and 2 solver workers. Starts its own
 * Temporal dev server and Postgres, one pipeline worker and the solver workers as real processes
 * (`heatscheduler worker …`), submits a batch of generated 50-job days at once and times the batch
 * from the first submission to the last completion. Prints figures; asserts nothing.
 *
 *   npm run bench:throughput
 *   npm run bench:throughput -- --runs 12 --limit 20 --workers 1,2,3
 *   npm run bench:throughput -- --threads     # N solves in one solver process (--concurrency N) instead of N processes
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import Table from 'cli-table3';
import { Command } from 'commander';
import { inArray } from 'drizzle-orm';
import { migrateDatabase, openDb } from '../db/client.ts';
import { optimizationRuns } from '../db/schema.ts';
import { generateRequest } from '../examples/generate.ts';
import { freePort } from '../infra/ports.ts';
import { startEmbeddedPostgres } from '../infra/postgres.ts';
import { startTemporalDevServer } from '../infra/temporal-server.ts';
import { spawnWorker, type WorkerProcess } from '../infra/worker-process.ts';
import { submitRun } from '../runs/submit.ts';

const opts = new Command()
  .option('--runs <n>', 'runs per batch', '8')
  .option('--jobs <n>', 'jobs per day', '50')
  .option('--limit <seconds>', 'solver time limit of each run', '20')
  .option('--workers <list>', 'solver worker counts to compare, comma-separated', '1,2')
  .option('--threads', 'N solves in one solver process (--concurrency N) instead of N solver processes')
  .parse()
  .opts<{ runs: string; jobs: string; limit: string; workers: string; threads?: boolean }>();
const runs = Number(opts.runs);
const jobs = Number(opts.jobs);
const limit = Number(opts.limit);
const workerCounts = opts.workers.split(',').map(Number);

const log = (msg: string) => process.stderr.write(`${msg}\n`);
const loadAtStart = loadavg();
const dir = await mkdtemp(join(tmpdir(), 'heatscheduler-throughput-'));
const [pgPort, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
log(`starting Temporal and Postgres in ${dir}`);
const [pg, temporal] = await Promise.all([
  startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: pgPort }),
  startTemporalDevServer({ dataDir: join(dir, 'temporal'), port: temporalPort, uiPort, headless: true }),
]);
await migrateDatabase(pg.url);
const env = { ...process.env, DATABASE_URL: pg.url, TEMPORAL_ADDRESS: temporal.address, LOG_LEVEL: 'warn' };
const db = openDb(pg.url);
const connection = await Connection.connect({ address: temporal.address });
const client = new Client({ connection });

interface BatchResult {
  solvers: number;
  seconds: number;
  runsPerHour: number;
  meanSolveSeconds: number;
  optimal: number;
  meanGapPercent: number;
  meanObjective: number;
}

/** Submits `runs` days at once to `solvers` solver workers and waits for every one to finish. */
async function batch(solvers: number): Promise<BatchResult> {
  const started: WorkerProcess[] = [];
  try {
    log(`${solvers} solver worker(s): starting workers`);
    started.push(await spawnWorker('pipeline', env));
    const solverArgs = (n: number) => ['--concurrency', String(n)];
    if (opts.threads) started.push(await spawnWorker('solver', env, { args: solverArgs(solvers) }));
    else started.push(...(await Promise.all(Array.from({ length: solvers }, () => spawnWorker('solver', env, { args: solverArgs(1) })))));
    log(`${solvers} solver worker(s): submitting ${runs} days of ${jobs} jobs (${limit} s limit)`);
    const t0 = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < runs; i++) {
      const request = generateRequest({ seed: 500 + i, jobs, heaters: 5, utilisation: 0.5, windows: 'loose', timeLimitSeconds: limit });
      ids.push((await submitRun(db.db, client, { content: JSON.stringify(request), format: 'json' })).runId);
    }
    await Promise.all(ids.map((id) => client.workflow.getHandle(id).result()));
    const seconds = (performance.now() - t0) / 1000;
    const rows = await db.db.select().from(optimizationRuns).where(inArray(optimizationRuns.runId, ids));
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    return {
      solvers,
      seconds,
      runsPerHour: (runs / seconds) * 3600,
      meanSolveSeconds: mean(rows.map((r) => r.solverTimeSeconds ?? 0)),
      optimal: rows.filter((r) => r.solverStatus === 'optimal').length,
      meanGapPercent: mean(rows.map((r) => (r.mipGap ?? 0) * 100)),
      meanObjective: mean(rows.map((r) => r.objectiveValue ?? 0)),
    };
  } finally {
    await Promise.all(started.map((w) => w.stop()));
  }
}

try {
  const results: BatchResult[] = [];
  for (const n of workerCounts) results.push(await batch(n));
  const base = results[0];
  const table = new Table({
    head: ['solver workers', 'batch s', 'runs/hour', 'vs first', 'mean solve s', 'optimal', 'mean gap %', 'mean cost'],
  });
  for (const r of results) {
    table.push([
      `${r.solvers}${opts.threads ? ' (threads)' : ''}`,
      r.seconds.toFixed(1),
      r.runsPerHour.toFixed(0),
      `${(r.runsPerHour / base.runsPerHour).toFixed(2)}×`,
      r.meanSolveSeconds.toFixed(1),
      `${r.optimal}/${runs}`,
      r.meanGapPercent.toFixed(2),
      r.meanObjective.toFixed(2),
    ]);
  }
  console.log(`${runs} runs of ${jobs}-job days, ${limit} s solver limit; ${availableParallelism()} × ${cpus()[0]?.model ?? 'CPU'}`);
  console.log(table.toString());
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ');
  console.log(`load average (1, 5, 15 min): ${load(loadAtStart)} at the start, ${load(loadavg())} at the end`);
} finally {
  await connection.close();
  await db.close();
  await temporal.stop();
  await pg.stop();
  await rm(dir, { recursive: true, force: true });
}
