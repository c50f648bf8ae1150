/**
 * API benchmark: submission latency of `POST /api/runs` (JSON body, JWT, validation, the run row and
 * raw input stored, the workflow started) with many concurrent clients on loopback, then the time
 * from submission to `completed` of one generated 50-job day followed over the events stream.
 * Starts its own Temporal dev server and Postgres. Prints figures; asserts nothing.
 *
 *   npm run bench:api
 *   npm run bench:api -- --clients 100 --per-client 5 --jobs 50 --limit 20
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Command } from 'commander';
import { SignJWT } from 'jose';
import pino from 'pino';
import { parseCaps, type ApiOptions } from '../api/config.ts';
import { createApi, listenApi } from '../api/server.ts';
import { migrateDatabase, openDb } from '../db/client.ts';
import { generateRequest } from '../examples/generate.ts';
import { freePort } from '../infra/ports.ts';
import { startEmbeddedPostgres } from '../infra/postgres.ts';
import { startTemporalDevServer } from '../infra/temporal-server.ts';
import { spawnWorker, type WorkerProcess } from '../infra/worker-process.ts';

const opts = new Command()
  .option('--clients <n>', 'concurrent clients', '100')
  .option('--per-client <n>', 'submissions each client makes, one after the other', '5')
  .option('--jobs <n>', 'jobs of the day timed from submission to completion (0: skip)', '50')
  .option('--limit <seconds>', 'solver time limit of that day', '20')
  .parse()
  .opts<{ clients: string; perClient: string; jobs: string; limit: string }>();
const clients = Number(opts.clients);
const perClient = Number(opts.perClient);
const jobs = Number(opts.jobs);

const log = (msg: string) => process.stderr.write(`${msg}\n`);
const SECRET = 'bench-secret-of-more-than-thirty-two-characters';
/** Submissions go to a queue no worker polls: only the API's own work is timed. */
const IDLE_QUEUE = 'bench-api-idle';
const TENANT = 'bench';

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

async function serve(databaseUrl: string, temporalAddress: string, taskQueue?: string) {
  const handle = openDb(databaseUrl);
  const connection = await Connection.connect({ address: temporalAddress });
  const options: ApiOptions = {
    auth: { mode: 'jwt', secret: SECRET, tenantClaim: 'tenant', rolesClaim: 'roles' },
    corsOrigins: [],
    rateLimit: { perMinute: 1_000_000, submitsPerMinute: 1_000_000 },
    solverTimeLimitCaps: parseCaps('planner=300,admin=3600'),
    bodyLimitBytes: 50 * 1024 * 1024,
    taskQueue,
  };
  const app = createApi(
    { db: handle.db, pool: handle.pool, client: new Client({ connection }), connection },
    options,
    pino({ level: 'silent' }),
  );
  const server = await listenApi(app, { host: '127.0.0.1', port: 0, auth: options.auth });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await connection.close();
      await handle.close();
    },
  };
}

async function submissionLatency(base: string, token: string, body: string, clients: number, perClient: number) {
  const latencies: number[] = [];
  let failed = 0;
  const client = async () => {
    for (let i = 0; i < perClient; i++) {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (res.status !== 202) failed++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, client));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { latencies, failed, seconds };
}

/** Submits one day and reads its events stream until `end`; seconds from the POST to the end. */
async function submitToCompleted(base: string, token: string, body: string) {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  const { runId } = (await res.json()) as { runId: string };
  const events = await fetch(`${base}/api/runs/${runId}/events`, { headers: { authorization: `Bearer ${token}` } });
  const text = await events.text(); // the stream closes after `end`
  const end = JSON.parse(/event: end\ndata: (.*)\n/.exec(text)![1]) as { status: string; solver: { status: string } | null };
  return { seconds: (performance.now() - t0) / 1000, status: end.status, solver: end.solver?.status ?? '–' };
}

/**
 * Applies the completed day (version 1 of its site and date) `times` in a row, each on top of the
 * last (baseVersion = the applied one), and returns each request's milliseconds. Target: < 2 s.
 */
async function applyLatency(base: string, token: string, site: string, date: string, times: number): Promise<number[]> {
  const path = `${base}/api/sites/${encodeURIComponent(site)}/schedules/${date}`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const latencies: number[] = [];
  let applied: number | null = null;
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const res = await fetch(`${path}/versions/1/apply`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ baseVersion: applied, reason: 'bench' }),
    });
    if (!res.ok) throw new Error(`apply answered ${res.status}: ${await res.text()}`);
    applied = ((await res.json()) as { version: number }).version;
    latencies.push(performance.now() - t0);
  }
  return latencies.sort((a, b) => a - b);
}

const loadAtStart = loadavg()[0];
const dir = await mkdtemp(join(tmpdir(), 'heatscheduler-bench-api-'));
const [pgPort, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
log(`starting Temporal and Postgres in ${dir}`);
const [pg, temporal] = await Promise.all([
  startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: pgPort }),
  startTemporalDevServer({ dataDir: join(dir, 'temporal'), port: temporalPort, uiPort, headless: true }),
]);
const workers: WorkerProcess[] = [];
try {
  await migrateDatabase(pg.url);
  const token = await new SignJWT({ tenant: TENANT, roles: ['planner'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench')
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(SECRET));
  const small = generateRequest({ seed: 1, jobs: 10, heaters: 3, timeLimitSeconds: 10 });
  small.schedule.tenant = TENANT;
  const idle = await serve(pg.url, temporal.address, IDLE_QUEUE);
  try {
    log(`warming up, then ${clients} clients × ${perClient} submissions`);
    const body = JSON.stringify(small);
    await submissionLatency(idle.base, token, body, 10, 2);
    const alone = await submissionLatency(idle.base, token, body, 1, 30);
    const at = (q: number) => quantile(alone.latencies, q).toFixed(1);
    console.log(`POST /api/runs, one client, 30 in a row: p50 ${at(0.5)} ms · p99 ${at(0.99)} ms`);
    const { latencies, failed, seconds } = await submissionLatency(idle.base, token, body, clients, perClient);
    const ms = (q: number) => quantile(latencies, q).toFixed(1);
    console.log(
      `POST /api/runs, ${clients} concurrent clients × ${perClient} (${latencies.length} submissions, ${failed} not 202), 10-job body of ${JSON.stringify(small).length} bytes`,
    );
    console.log(
      `  p50 ${ms(0.5)} ms · p90 ${ms(0.9)} ms · p99 ${ms(0.99)} ms · max ${latencies.at(-1)!.toFixed(1)} ms · ${(latencies.length / seconds).toFixed(0)} submissions/s`,
    );
  } finally {
    await idle.close();
  }
  if (jobs > 0) {
    const env = { ...process.env, DATABASE_URL: pg.url, TEMPORAL_ADDRESS: temporal.address, LOG_LEVEL: 'warn' };
    workers.push(await spawnWorker('pipeline', env), await spawnWorker('solver', env));
    const live = await serve(pg.url, temporal.address);
    try {
      const day = generateRequest({ seed: 42, jobs, heaters: 6, timeLimitSeconds: Number(opts.limit) });
      day.schedule.tenant = TENANT;
      const r = await submitToCompleted(live.base, token, JSON.stringify(day));
      console.log(
        `${jobs}-job day (6 heaters, solver limit ${opts.limit} s): submission to ${r.status} over the events stream in ${r.seconds.toFixed(1)} s (solver ${r.solver})`,
      );
      const applied = await applyLatency(live.base, token, day.schedule.site, day.schedule.scheduleDate, 20);
      const ms = (q: number) => quantile(applied, q).toFixed(1);
      console.log(
        `apply of that day's version (POST …/versions/1/apply, 20 in a row, each on the last): p50 ${ms(0.5)} ms · max ${applied.at(-1)!.toFixed(1)} ms (target < 2,000 ms)`,
      );
    } finally {
      await live.close();
    }
  }
  console.log(
    `machine: ${availableParallelism()} cores, load average ${loadAtStart.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end (shared with other work)`,
  );
} finally {
  await Promise.all(workers.map((w) => w.stop()));
  await temporal.stop();
  await pg.stop();
  await rm(dir, { recursive: true, force: true });
}
